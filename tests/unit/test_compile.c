/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Unit tests: rule list → map image (user/compile.c). */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "core/compile.h"
#include "site_text.h"
#include "support.h"

#ifndef XPF_TABLE_DIR
#define XPF_TABLE_DIR "tables"
#endif

#define PUBLISHED XPF_TABLE_DIR "/lync2013-director-dns-hlb.txt"
#define TCP XPF_TRANSPORT_TCP
#define UDP XPF_TRANSPORT_UDP

/* The site example of DESIGN.md, for the published table. */
static const char design_site[] =
	"table  lync2013-director-dns-hlb\n"
	"local  Director, Director Hardware Load Balancer VIP\n"
	"role   Reverse proxy internal interface = 192.0.2.10, 2001:db8:1::10\n"
	"role   Internal Clients = 10.0.0.0/8, 2001:db8:100::/48\n"
	"role   Edge Server internal interface = 192.0.2.50\n"
	"role   Front End pool or Front End Server = 192.0.2.20/30\n"
	"role   Director = 192.0.2.101\n"
	"role   Director Hardware Load Balancer VIP = 192.0.2.100\n"
	"allow  RDP/TCP 3389 | Admin workstations | Director | remote administration\n"
	"deny   HTTPS/TCP 443 | 192.0.2.66 | Director Hardware Load Balancer VIP | quarantined\n"
	"role   Admin workstations = 203.0.113.0/28\n"
	"policy icmp drop\n";

/* Director is this host, in both families; Edge is not. */
#define SITE "local Director\nrole Director = 192.0.2.101, 2001:db8::101\n" \
	     "role Edge = 192.0.2.50\n"

static struct xpf_prefix prefix_of(const char *text)
{
	struct xpf_prefix prefix;
	const char *problem;

	assert_int_equal(xpf_prefix_parse(text, &prefix, &problem), 0);
	return prefix;
}

static uint32_t dest_class_of(const struct xpf_image *image, const char *addr)
{
	struct xpf_prefix p = prefix_of(addr);

	for (size_t i = 0; i < image->local_count; i++)
		if (image->locals[i].key.family == p.family &&
		    !memcmp(image->locals[i].key.addr, p.addr, 16))
			return image->locals[i].value.dest_class;
	fail_msg("%s is not local", addr);
	return 0;
}

static uint32_t reply_class_of(const struct xpf_image *image, const char *addr)
{
	struct xpf_prefix p = prefix_of(addr);

	for (size_t i = 0; i < image->local_count; i++)
		if (image->locals[i].key.family == p.family &&
		    !memcmp(image->locals[i].key.addr, p.addr, 16))
			return image->locals[i].value.reply_class;
	fail_msg("%s is not local", addr);
	return 0;
}

/* The entry for a source prefix, or NULL. */
static const struct xpf_image_rule *entry_of(const struct xpf_image *image, uint32_t dest_class,
					     uint32_t port_class, const char *source)
{
	struct xpf_prefix p = prefix_of(source);

	for (size_t i = 0; i < image->entry_count; i++) {
		const struct xpf_image_rule_key *key = &image->entries[i].key;
		const struct xpf_class_key *class = &image->classes[image->entries[i].class_no].key;

		if (class->dest_class == dest_class && class->port_class == port_class &&
		    key->prefix_len == p.len && !memcmp(key->source, p.addr, 16))
			return &image->entries[i];
	}
	return NULL;
}

static const struct xpf_image_class *class_of(const struct xpf_image *image, uint32_t dest_class,
					      uint32_t port_class)
{
	for (size_t i = 0; i < image->class_count; i++)
		if (image->classes[i].key.dest_class == dest_class &&
		    image->classes[i].key.port_class == port_class)
			return &image->classes[i];
	return NULL;
}

static void published_table_compiles(void **state)
{
	char *table = read_text(PUBLISHED);
	struct xpf_image image;
	uint32_t vip, director;

	(void)state;
	compile_ok(design_site, table, &image, NULL);
	free(table);
	assert_int_equal(image.local_count, 2);
	vip = dest_class_of(&image, "192.0.2.100");
	director = dest_class_of(&image, "192.0.2.101");
	assert_int_not_equal(vip, director);
	/* Nine published ports minus 444 (outbound) plus 3389; 443 is shared with the deny. */
	assert_int_equal(image.port_class_count, 10);
	/* 10 IPv4 sources: the IPv6 halves of roles have no IPv6 local to reach; and one reply
	 * entry for the outbound 444 row: Front End /30 answering the Director. */
	assert_int_equal(image.entry_count, 11);
	assert_int_equal(image.class_count, 10);
	assert_int_equal(image.port_classes[TCP][444], 0);
	assert_int_not_equal(image.reply_port_classes[TCP][444], 0);
	assert_int_equal(reply_class_of(&image, "192.0.2.100"), 0);
	assert_non_null(entry_of(&image, reply_class_of(&image, "192.0.2.101"),
				 image.reply_port_classes[TCP][444], "192.0.2.20/30"));
	assert_non_null(entry_of(&image, director, image.port_classes[TCP][50002], "0.0.0.0/0"));
	assert_non_null(entry_of(&image, vip, image.port_classes[TCP][80], "10.0.0.0/8"));
	assert_null(entry_of(&image, director, image.port_classes[TCP][80], "10.0.0.0/8"));
	xpf_image_free(&image);
}

static void config_carries_policies(void **state)
{
	struct xpf_image image;

	(void)state;
	compile_ok(SITE "policy icmp drop\npolicy fragments drop\n", NULL, &image, NULL);
	assert_int_equal(image.config.loaded, 1);
	assert_int_equal(image.config.audit, 0);
	assert_int_equal(image.config.policy_default, XPF_ACTION_DROP);
	assert_int_equal(image.config.policy_other, XPF_ACTION_PASS);
	assert_int_equal(image.config.policy_icmp, XPF_ACTION_DROP);
	assert_int_equal(image.config.policy_fragments, XPF_FRAGMENTS_DROP);
	assert_int_equal(image.config.log_rate, XPF_DEFAULT_LOG_RATE);
	xpf_image_free(&image);
}

static void config_carries_log_rate(void **state)
{
	struct xpf_image image;

	(void)state;
	compile_ok(SITE "log rate 7/s\n", NULL, &image, NULL);
	assert_int_equal(image.config.log_rate, 7);
	xpf_image_free(&image);
}

static void range_compiles_to_one_port_class(void **state)
{
	struct xpf_image image;
	uint32_t class;

	(void)state;
	compile_ok(SITE "allow TCP 50001-50003 | 10.0.0.0/8 | Director\n", NULL, &image, NULL);
	class = image.port_classes[TCP][50001];
	assert_int_not_equal(class, 0);
	assert_int_equal(image.port_classes[TCP][50002], class);
	assert_int_equal(image.port_classes[TCP][50003], class);
	assert_int_equal(image.port_class_count, 2);
	assert_int_equal(image.entry_count, 1);
	xpf_image_free(&image);
}

static void unnamed_ports_are_class_0(void **state)
{
	struct xpf_image image;

	(void)state;
	compile_ok(SITE "allow TCP 50001-50003 | Any | Director\n", NULL, &image, NULL);
	assert_int_equal(image.port_classes[TCP][0], 0);
	assert_int_equal(image.port_classes[TCP][50000], 0);
	assert_int_equal(image.port_classes[TCP][50004], 0);
	assert_int_equal(image.port_classes[TCP][65535], 0);
	for (uint32_t port = 0; port < XPF_PORTS; port++)
		assert_int_equal(image.port_classes[UDP][port], 0);
	xpf_image_free(&image);
}

static void tcp_and_udp_share_a_class_for_the_same_rules(void **state)
{
	struct xpf_image image;

	(void)state;
	compile_ok(SITE "allow TCP/UDP 53 | 10.0.0.0/8 | Director\n", NULL, &image, NULL);
	assert_int_not_equal(image.port_classes[TCP][53], 0);
	assert_int_equal(image.port_classes[UDP][53], image.port_classes[TCP][53]);
	assert_int_equal(image.port_class_count, 2);
	assert_int_equal(image.entry_count, 1);
	xpf_image_free(&image);
}

static void same_port_of_other_rules_gets_its_own_class(void **state)
{
	struct xpf_image image;

	(void)state;
	compile_ok(SITE "allow TCP 53 | 10.0.0.0/8 | Director\n"
		   "allow UDP 53 | 10.0.0.0/8 | Director\n", NULL, &image, NULL);
	assert_int_not_equal(image.port_classes[TCP][53], image.port_classes[UDP][53]);
	assert_int_equal(image.port_class_count, 3);
	assert_int_equal(image.entry_count, 2);
	xpf_image_free(&image);
}

static void overlapping_ranges_split_into_classes(void **state)
{
	struct xpf_image image;
	uint32_t a, ab, b, dc;

	(void)state;
	compile_ok(SITE "allow TCP 1-100 | 10.0.0.0/8 | Director\n"
		   "allow TCP 50-150 | 172.16.0.0/12 | Director\n", NULL, &image, NULL);
	a = image.port_classes[TCP][1];
	ab = image.port_classes[TCP][50];
	b = image.port_classes[TCP][101];
	assert_int_equal(image.port_classes[TCP][49], a);
	assert_int_equal(image.port_classes[TCP][100], ab);
	assert_int_equal(image.port_classes[TCP][150], b);
	assert_int_equal(image.port_classes[TCP][151], 0);
	assert_int_equal(image.port_class_count, 4);
	dc = dest_class_of(&image, "192.0.2.101");
	assert_non_null(entry_of(&image, dc, a, "10.0.0.0/8"));
	assert_non_null(entry_of(&image, dc, ab, "10.0.0.0/8"));
	assert_non_null(entry_of(&image, dc, ab, "172.16.0.0/12"));
	assert_non_null(entry_of(&image, dc, b, "172.16.0.0/12"));
	assert_int_equal(image.entry_count, 4);
	xpf_image_free(&image);
}

static void wide_range_around_a_port_covers_both_classes(void **state)
{
	struct xpf_image image;
	uint32_t dc;

	(void)state;
	compile_ok(SITE "allow TCP 1-65535 | 10.0.0.0/8 | Director\n"
		   "deny TCP 80 | 10.1.0.0/16 | Director\n", NULL, &image, NULL);
	assert_int_equal(image.port_class_count, 3);
	assert_int_equal(image.port_classes[TCP][79], image.port_classes[TCP][81]);
	dc = dest_class_of(&image, "192.0.2.101");
	assert_non_null(entry_of(&image, dc, image.port_classes[TCP][80], "10.0.0.0/8"));
	assert_non_null(entry_of(&image, dc, image.port_classes[TCP][81], "10.0.0.0/8"));
	assert_non_null(entry_of(&image, dc, image.port_classes[TCP][80], "10.1.0.0/16"));
	assert_int_equal(image.entry_count, 3);
	xpf_image_free(&image);
}

static void equal_key_keeps_first_row(void **state)
{
	const struct xpf_image_rule *entry;
	struct xpf_image image;

	(void)state;
	compile_ok(SITE "deny TCP 22 | 10.0.0.0/8 | Director\n"
		   "allow TCP 22 | 10.1.2.3/8 | Director\n", NULL, &image, NULL);
	assert_int_equal(image.entry_count, 1);
	entry = &image.entries[0];
	assert_int_equal(entry->value.rule_id, 0);
	assert_int_equal(entry->value.action, XPF_ACTION_DROP);
	xpf_image_free(&image);
}

static void deny_row_and_longer_prefix_keep_separate_keys(void **state)
{
	const struct xpf_image_rule *allow, *deny;
	const struct xpf_image_class *class;
	struct xpf_image image;
	uint32_t dc, pc;

	(void)state;
	compile_ok(SITE "allow TCP 443 | 10.0.0.0/8 | Director\n"
		   "deny TCP 443 | 10.1.2.3 | Director\n", NULL, &image, NULL);
	dc = dest_class_of(&image, "192.0.2.101");
	pc = image.port_classes[TCP][443];
	allow = entry_of(&image, dc, pc, "10.0.0.0/8");
	deny = entry_of(&image, dc, pc, "10.1.2.3");
	assert_non_null(allow);
	assert_non_null(deny);
	assert_int_equal(allow->value.action, XPF_ACTION_PASS);
	assert_int_equal(deny->value.action, XPF_ACTION_DROP);
	assert_int_equal(deny->value.rule_id, 1);
	class = class_of(&image, dc, pc);
	assert_non_null(class);
	assert_int_equal(image.prefix_lists[class->list].prefix_len_count, 2);
	assert_int_equal(image.prefix_lists[class->list].prefix_lens[0], 32);
	assert_int_equal(image.prefix_lists[class->list].prefix_lens[1], 8);
	xpf_image_free(&image);
}

static void class_lists_prefix_lengths_longest_first(void **state)
{
	const struct xpf_image_class *class;
	struct xpf_image image;

	(void)state;
	compile_ok(SITE "allow TCP 22 | 10.0.0.0/16 | Director\n"
		   "allow TCP 22 | 10.0.0.7 | Director\n"
		   "allow TCP 22 | Any | Director\n"
		   "allow TCP 22 | 10.0.0.0/24 | Director\n"
		   "allow TCP 22 | 10.9.0.0/16 | Director\n", NULL, &image, NULL);
	class = class_of(&image, dest_class_of(&image, "192.0.2.101"),
			 image.port_classes[TCP][22]);
	assert_non_null(class);
	assert_int_equal(image.prefix_lists[class->list].prefix_len_count, 4);
	assert_int_equal(image.prefix_lists[class->list].prefix_lens[0], 32);
	assert_int_equal(image.prefix_lists[class->list].prefix_lens[1], 24);
	assert_int_equal(image.prefix_lists[class->list].prefix_lens[2], 16);
	assert_int_equal(image.prefix_lists[class->list].prefix_lens[3], 0);
	xpf_image_free(&image);
}

static void families_get_distinct_dest_classes(void **state)
{
	struct xpf_image image;
	uint32_t v4, v6, pc;

	(void)state;
	compile_ok(SITE "allow TCP 22 | Any | Director\n", NULL, &image, NULL);
	v4 = dest_class_of(&image, "192.0.2.101");
	v6 = dest_class_of(&image, "2001:db8::101");
	assert_int_not_equal(v4, 0);
	assert_int_not_equal(v6, 0);
	assert_int_not_equal(v4, v6);
	pc = image.port_classes[TCP][22];
	/* Each source prefix goes with the destination class of its own family. */
	assert_non_null(entry_of(&image, v4, pc, "0.0.0.0/0"));
	assert_non_null(entry_of(&image, v6, pc, "::/0"));
	assert_int_equal(image.entry_count, 2);
	xpf_image_free(&image);
}

static void addresses_treated_alike_share_a_dest_class(void **state)
{
	struct xpf_image image;
	uint32_t class;

	(void)state;
	compile_ok("local Pool\nrole Pool = 10.0.0.0/30\nallow TCP 80 | Any | Pool\n", NULL,
		   &image, NULL);
	assert_int_equal(image.local_count, 4);
	class = image.locals[0].value.dest_class;
	for (size_t i = 1; i < 4; i++)
		assert_int_equal(image.locals[i].value.dest_class, class);
	assert_int_equal(image.entry_count, 1);
	xpf_image_free(&image);
}

static void addresses_treated_differently_get_their_own_dest_class(void **state)
{
	struct xpf_image image;

	(void)state;
	compile_ok("local Pool, VIP\nrole Pool = 10.0.0.1\nrole VIP = 10.0.0.9\n"
		   "allow TCP 80 | Any | Pool\nallow TCP 80 | Any | 10.0.0.0/28\n", NULL, &image,
		   NULL);
	assert_int_not_equal(dest_class_of(&image, "10.0.0.1"), dest_class_of(&image, "10.0.0.9"));
	/* Pool gets both rows' keys; the second row's key for Pool is equal: kept once. */
	assert_int_equal(image.entry_count, 2);
	xpf_image_free(&image);
}

static void local_without_rule_gets_a_dest_class(void **state)
{
	struct xpf_image image;

	(void)state;
	compile_ok("local Director, Spare\nrole Director = 10.0.0.1\nrole Spare = 10.0.0.2\n"
		   "allow TCP 80 | Any | Director\n", NULL, &image, NULL);
	assert_int_equal(image.local_count, 2);
	assert_int_not_equal(dest_class_of(&image, "10.0.0.2"), 0);
	assert_int_not_equal(dest_class_of(&image, "10.0.0.2"), dest_class_of(&image, "10.0.0.1"));
	xpf_image_free(&image);
}

static void rule_id_is_the_index_in_the_rule_set(void **state)
{
	struct xpf_image image;

	(void)state;
	compile_ok(SITE "allow TCP 5061 | Director | Edge\nallow TCP 5061 | Edge | Edge\n"
		   "allow TCP 5061 | Edge | Director\n", NULL, &image, NULL);
	assert_non_null(entry_of(&image, dest_class_of(&image, "192.0.2.101"),
				 image.port_classes[TCP][5061], "192.0.2.50"));
	assert_int_equal(entry_of(&image, dest_class_of(&image, "192.0.2.101"),
				  image.port_classes[TCP][5061], "192.0.2.50")->value.rule_id, 2);
	assert_int_equal(entry_of(&image, reply_class_of(&image, "192.0.2.101"),
				  image.reply_port_classes[TCP][5061], "192.0.2.50")->value.rule_id, 0);
	xpf_image_free(&image);
}

/* An outbound row is not an ingress rule: its only entries are for the replies to the flows
 * it opens, keyed on the local source and the reply's source port. A row for neither end
 * makes nothing. */
static void outbound_row_makes_reply_entries_only(void **state)
{
	struct xpf_image image;

	(void)state;
	compile_ok(SITE "allow TCP 5061 | Director | Edge\nallow TCP 5062 | Edge | Edge\n", NULL,
		   &image, NULL);
	assert_int_equal(image.entry_count, 1);
	assert_int_equal(image.class_count, 1);
	assert_int_equal(image.port_class_count, 1);
	assert_int_equal(image.port_classes[TCP][5061], 0);
	assert_int_not_equal(image.reply_port_classes[TCP][5061], 0);
	assert_int_equal(image.reply_port_classes[TCP][5062], 0);
	assert_int_not_equal(reply_class_of(&image, "192.0.2.101"), 0);
	assert_int_not_equal(reply_class_of(&image, "192.0.2.101"),
			     dest_class_of(&image, "192.0.2.101"));
	assert_int_equal(image.local_count, 2);
	xpf_image_free(&image);
}

static void keys_have_generation_0_and_zero_padding(void **state)
{
	static const uint8_t zero[16];
	struct xpf_image image;

	(void)state;
	compile_ok(SITE "allow TCP 22 | Any | Director\nallow UDP 53 | 10.0.0.0/8 | Director\n",
		   NULL, &image, NULL);
	for (size_t i = 0; i < image.local_count; i++) {
		const struct xpf_local_key *key = &image.locals[i].key;

		assert_int_equal(key->generation, 0);
		assert_memory_equal(key->pad, zero, sizeof(key->pad));
		if (key->family == AF_INET)
			assert_memory_equal(key->addr + 4, zero, 12);
	}
	for (size_t i = 0; i < image.class_count; i++) {
		assert_int_equal(image.classes[i].key.generation, 0);
		assert_memory_equal(image.classes[i].key.pad, zero, 3);
	}
	for (size_t i = 0; i < image.entry_count; i++) {
		const struct xpf_image_rule_key *key = &image.entries[i].key;

		assert_true(key->family == AF_INET || key->family == AF_INET6);
		assert_memory_equal(key->pad, zero, sizeof(key->pad));
		if (key->prefix_len <= 32 &&
		    image.classes[image.entries[i].class_no].key.dest_class ==
			    dest_class_of(&image, "192.0.2.101"))
			assert_memory_equal(key->source + 4, zero, 12);
	}
	xpf_image_free(&image);
}

/* ---- scale: 100,000 generated rules ---- */

#define SCALE_RULES 100000

static bool lists_length(const struct xpf_class_value *list, uint8_t prefix_len)
{
	for (uint32_t i = 0; i < list->prefix_len_count; i++)
		if (list->prefix_lens[i] == prefix_len)
			return true;
	return false;
}

/* Entries by class, then key: an entry's class names its destination and port class. */
static int key_compare(const void *a, const void *b)
{
	const struct xpf_image_rule *x = a, *y = b;

	if (x->class_no != y->class_no)
		return x->class_no < y->class_no ? -1 : 1;
	return memcmp(&x->key, &y->key, sizeof(x->key));
}

static int class_key_compare(const void *a, const void *b)
{
	const struct xpf_class_key *x = a, *y = b;

	if (x->dest_class != y->dest_class)
		return x->dest_class < y->dest_class ? -1 : 1;
	if (x->port_class != y->port_class)
		return x->port_class < y->port_class ? -1 : 1;
	return 0;
}

static void make_scale_ruleset(struct xpf_ruleset *rs)
{
	static const char *const locals[] = { "192.0.2.1", "192.0.2.2", "2001:db8::1" };
	char text[64];

	memset(rs, 0, sizeof(*rs));
	rs->policy.default_action = XPF_ACTION_DROP;
	rs->policy.other_action = XPF_ACTION_PASS;
	rs->policy.icmp_action = XPF_ACTION_PASS;
	rs->policy.fragments = XPF_FRAGMENTS_TRACK;
	rs->local_count = 3;
	rs->locals = calloc(3, sizeof(*rs->locals));
	assert_non_null(rs->locals);
	for (size_t i = 0; i < 3; i++) {
		rs->locals[i].addr = prefix_of(locals[i]);
		strcpy(rs->locals[i].role, "Director");
	}
	rs->rules = calloc(SCALE_RULES, sizeof(*rs->rules));
	assert_non_null(rs->rules);
	rs->count = SCALE_RULES;
	for (size_t i = 0; i < SCALE_RULES; i++) {
		struct xpf_rule *rule = &rs->rules[i];
		bool v6 = rng() % 5 == 0;

		rule->direction = XPF_DIRECTION_INGRESS;
		rule->row.protocols = (uint8_t)(1 + rng() % 3);
		rule->row.action = rng() % 10 ? XPF_ACTION_PASS : XPF_ACTION_DROP;
		rule->row.port_first = (uint16_t)(1 + rng() % 65535);
		rule->row.port_last = rule->row.port_first;
		/* Some ranges, short ones: a wide range over many single ports is one key per
		 * port class it spans, by design. */
		if (rng() % 20 == 0) {
			uint32_t last = rule->row.port_first + rng() % 64;

			rule->row.port_last = (uint16_t)(last > 65535 ? 65535 : last);
		}
		if (v6)
			snprintf(text, sizeof(text), "2001:db8:%x:%x::%x/%u", rng() & 0xffff,
				 rng() & 0xffff, rng() & 0xffff, 16 + rng() % 113);
		else
			snprintf(text, sizeof(text), "%u.%u.%u.%u/%u", rng() & 255, rng() & 255,
				 rng() & 255, rng() & 255, 8 + rng() % 25);
		rule->sources = malloc(sizeof(*rule->sources));
		assert_non_null(rule->sources);
		rule->sources[0] = prefix_of(text);
		rule->source_count = 1;
		rule->destinations = malloc(2 * sizeof(*rule->destinations));
		assert_non_null(rule->destinations);
		if (v6) {
			rule->destinations[0] = rs->locals[2].addr;
			rule->destination_count = 1;
		} else {
			rule->destinations[0] = rs->locals[rng() % 2].addr;
			rule->destination_count = 1;
			if (rng() % 4 == 0) {
				rule->destinations[1] = rs->locals[0].addr;
				rule->destinations[0] = rs->locals[1].addr;
				rule->destination_count = 2;
			}
		}
	}
}

static void hundred_thousand_rules_compile(void **state)
{
	struct xpf_error err = { { 0 } };
	struct xpf_image_rule *sorted;
	struct xpf_class_key *class_keys;
	struct xpf_image image;
	struct xpf_ruleset rs;

	(void)state;
	make_scale_ruleset(&rs);
	if (xpf_compile(&rs, &image, &err))
		fail_msg("compile: %s", err.message);

	assert_int_equal(image.local_count, 3);
	assert_true(image.port_class_count > 1);
	assert_true(image.port_class_count <= 2 * SCALE_RULES + 1);
	assert_true(image.entry_count >= SCALE_RULES / 2);
	assert_true(image.entry_count <= XPF_MAX_RULE_ENTRIES);
	assert_true(image.class_count <= image.entry_count);
	assert_true(image.class_count <= XPF_MAX_CLASSES);

	/* Every class an entry uses exists and lists the entry's prefix length. */
	class_keys = malloc(image.class_count * sizeof(*class_keys));
	assert_non_null(class_keys);
	for (size_t i = 0; i < image.class_count; i++)
		class_keys[i] = image.classes[i].key;
	qsort(class_keys, image.class_count, sizeof(*class_keys), class_key_compare);
	sorted = malloc(image.entry_count * sizeof(*sorted));
	assert_non_null(sorted);
	memcpy(sorted, image.entries, image.entry_count * sizeof(*sorted));
	qsort(sorted, image.entry_count, sizeof(*sorted), key_compare);
	for (size_t i = 0; i < image.entry_count; i++) {
		struct xpf_class_key want;

		/* Its class number names a class: the XDP program keys rules by it. */
		assert_true(sorted[i].class_no < image.class_count);
		want = (struct xpf_class_key){
			.dest_class = image.classes[sorted[i].class_no].key.dest_class,
			.port_class = image.classes[sorted[i].class_no].key.port_class };
		assert_non_null(bsearch(&want, class_keys, image.class_count, sizeof(want),
					class_key_compare));
		assert_true(sorted[i].value.rule_id < SCALE_RULES);
		/* ... and its list holds the entry's prefix length. */
		assert_true(lists_length(&image.prefix_lists[image.classes[sorted[i].class_no].list],
					 sorted[i].key.prefix_len));
		if (i)
			assert_true(key_compare(&sorted[i - 1], &sorted[i]) < 0);
	}

	/* Every rule finds its key at its first port, held by itself or an earlier rule. */
	for (size_t i = 0; i < SCALE_RULES; i++) {
		const struct xpf_rule *rule = &rs.rules[i];
		int t = rule->row.protocols & XPF_PROTO_TCP ? TCP : UDP;
		struct xpf_image_rule want = { 0 };
		const struct xpf_image_rule *found;

		uint32_t dc, pc;
		const struct xpf_image_class *class;

		want.key.family = rule->sources[0].family;
		want.key.prefix_len = rule->sources[0].len;
		dc = dest_class_of(&image, rule->sources[0].family == AF_INET ?
				   (rule->destinations[0].addr[3] == 1 ?
				    "192.0.2.1" : "192.0.2.2") : "2001:db8::1");
		pc = image.port_classes[t][rule->row.port_last];
		memcpy(want.key.source, rule->sources[0].addr, 16);
		assert_int_not_equal(pc, 0);
		class = class_of(&image, dc, pc);
		assert_non_null(class);
		want.class_no = (uint32_t)(class - image.classes);
		found = bsearch(&want, sorted, image.entry_count, sizeof(want), key_compare);
		assert_non_null(found);
		assert_true(found->value.rule_id <= i);
	}

	/* Ports share a class exactly when the same rules name them (sampled). */
	for (int sample = 0; sample < 64; sample++) {
		uint32_t p = rng() % XPF_PORTS, q = rng() % XPF_PORTS;
		int t = (int)(rng() % 2);
		uint8_t bit = t == TCP ? XPF_PROTO_TCP : XPF_PROTO_UDP;
		bool same = true, any = false;

		for (size_t i = 0; i < SCALE_RULES; i++) {
			const struct xpf_row *row = &rs.rules[i].row;
			bool in_p, in_q;

			if (!(row->protocols & bit))
				continue;
			in_p = p >= row->port_first && p <= row->port_last;
			in_q = q >= row->port_first && q <= row->port_last;
			same &= in_p == in_q;
			any |= in_p;
		}
		assert_int_equal(image.port_classes[t][p] == image.port_classes[t][q], same);
		assert_int_equal(image.port_classes[t][p] != 0, any);
	}

	free(sorted);
	free(class_keys);
	xpf_image_free(&image);
	xpf_ruleset_free(&rs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(published_table_compiles),
		cmocka_unit_test(config_carries_policies),
		cmocka_unit_test(config_carries_log_rate),
		cmocka_unit_test(range_compiles_to_one_port_class),
		cmocka_unit_test(unnamed_ports_are_class_0),
		cmocka_unit_test(tcp_and_udp_share_a_class_for_the_same_rules),
		cmocka_unit_test(same_port_of_other_rules_gets_its_own_class),
		cmocka_unit_test(overlapping_ranges_split_into_classes),
		cmocka_unit_test(wide_range_around_a_port_covers_both_classes),
		cmocka_unit_test(equal_key_keeps_first_row),
		cmocka_unit_test(deny_row_and_longer_prefix_keep_separate_keys),
		cmocka_unit_test(class_lists_prefix_lengths_longest_first),
		cmocka_unit_test(families_get_distinct_dest_classes),
		cmocka_unit_test(addresses_treated_alike_share_a_dest_class),
		cmocka_unit_test(addresses_treated_differently_get_their_own_dest_class),
		cmocka_unit_test(local_without_rule_gets_a_dest_class),
		cmocka_unit_test(rule_id_is_the_index_in_the_rule_set),
		cmocka_unit_test(outbound_row_makes_reply_entries_only),
		cmocka_unit_test(keys_have_generation_0_and_zero_padding),
		cmocka_unit_test(hundred_thousand_rules_compile),
	};

	rng_seed(0x243f6a8885a308d3ull);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
