// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * libFuzzer target: a site file, resolved and compiled, as `xpf check` does it without the
 * file system: xpf_site_parse → xpf_ruleset_build → xpf_compile (user/core/site.c, ruleset.c,
 * compile.c). A site that names a table is built against the published table (parsed once,
 * at start-up); one that names none against an empty table.
 */
#include "fuzz_common.h"

#include <errno.h>
#include <sys/socket.h>

#include "core/class_sources.h"
#include "core/compile.h"
#include "core/config.h"
#include "core/source_trie.h"

#ifndef XPF_TABLE_DIR
#define XPF_TABLE_DIR "tables"
#endif
#define PUBLISHED XPF_TABLE_DIR "/lync2013-director-dns-hlb.txt"

static struct xpf_table published;

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "r");
	char *text = NULL;
	long size;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET))
		goto out;
	text = calloc(1, (size_t)size + 1);
	if (text && fread(text, 1, (size_t)size, f) != (size_t)size) {
		free(text);
		text = NULL;
	}
out:
	fclose(f);
	return text;
}

/* The published table must parse: a target that silently fuzzed against an empty one would
 * prove nothing about the rows it exists for. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct xpf_error err = { { 0 } };
	char *text = read_file(PUBLISHED);

	(void)argc;
	(void)argv;
	if (!text) {
		fprintf(stderr, "fuzz_site: cannot read %s\n", PUBLISHED);
		exit(1);
	}
	if (xpf_table_parse(text, PUBLISHED, &published, &err) || published.count == 0) {
		fprintf(stderr, "fuzz_site: %s\n", err.message);
		exit(1);
	}
	free(text);
	return 0;
}

static void check_ruleset(const struct xpf_ruleset *rs, const struct xpf_site *site,
			  const struct xpf_table *table)
{
	/* A site row is one rule; a table row one or more (a rule for each role of its cells
	 * that the site defines), or a further origin of a rule another table row made. */
	FUZZ_CHECK(rs->count >= site->row_count);
	FUZZ_CHECK(rs->count - site->row_count + rs->also_count >= table->count);
	FUZZ_CHECK(rs->origin_count == table->section_count);
	for (size_t i = 0; i < rs->also_count; i++) {
		FUZZ_CHECK(rs->also[i].rule >= site->row_count && rs->also[i].rule < rs->count);
		FUZZ_CHECK(rs->also[i].origin <= rs->origin_count);
		FUZZ_CHECK(i == 0 || rs->also[i - 1].rule <= rs->also[i].rule);
	}
	for (size_t i = 0; i < rs->count; i++)
		FUZZ_CHECK(i < site->row_count ? rs->rules[i].origin == 0
					       : rs->rules[i].origin <= rs->origin_count);
	FUZZ_CHECK(rs->local_count <= XPF_MAX_LOCAL_ADDRS);
	for (size_t i = 0; i < rs->count; i++) {
		const struct xpf_rule *rule = &rs->rules[i];

		FUZZ_CHECK(rule->direction == XPF_DIRECTION_INGRESS ||
			   rule->direction == XPF_DIRECTION_OUTBOUND ||
			   rule->direction == XPF_DIRECTION_NOT_FOR_HOST);
		FUZZ_CHECK(rule->source_count == 0 || rule->sources);
		FUZZ_CHECK(rule->destination_count == 0 || rule->destinations);
		for (size_t j = 0; j < rule->source_count; j++)
			FUZZ_CHECK(rule->sources[j].len <=
				   (rule->sources[j].family == AF_INET ? 32 : 128));
	}
	for (size_t i = 0; i < rs->local_count; i++) {
		const struct xpf_prefix *addr = &rs->locals[i].addr;

		FUZZ_CHECK(addr->len == (addr->family == AF_INET ? 32 : 128));
		FUZZ_CHECK(FUZZ_TERMINATED(rs->locals[i].role));
	}
	for (size_t i = 0; i < rs->warning_count; i++)
		FUZZ_CHECK(rs->warnings[i] && rs->warnings[i][0]);
}

static void check_image(const struct xpf_image *image, const struct xpf_ruleset *rs)
{
	FUZZ_CHECK(image->config.loaded == 1);
	FUZZ_CHECK(image->local_count == rs->local_count);
	FUZZ_CHECK(image->port_classes);
	for (int t = 0; t < XPF_TRANSPORTS; t++)
		for (int port = 0; port < XPF_PORTS; port++)
			FUZZ_CHECK(image->port_classes[t][port] < image->port_class_count);
	/* Port 0 is never a rule's port (1-65535). */
	FUZZ_CHECK(image->port_classes[XPF_TRANSPORT_TCP][0] == 0 &&
		   image->port_classes[XPF_TRANSPORT_UDP][0] == 0);
	for (size_t i = 0; i < image->class_count; i++) {
		const struct xpf_class_value *value;

		FUZZ_CHECK(image->classes[i].list < image->prefix_list_count);
		value = &image->prefix_lists[image->classes[i].list];
		FUZZ_CHECK(value->prefix_len_count >= 1 &&
			   value->prefix_len_count <= XPF_MAX_PREFIX_LENS);
		for (uint32_t j = 1; j < value->prefix_len_count; j++)
			FUZZ_CHECK(value->prefix_lens[j - 1] > value->prefix_lens[j]);
		FUZZ_CHECK(value->prefix_lens[0] <= 128);
		FUZZ_CHECK(image->classes[i].key.port_class != 0);
	}
	for (size_t i = 0; i < image->entry_count; i++) {
		const struct xpf_image_rule *entry = &image->entries[i];

		FUZZ_CHECK(entry->value.rule_id < rs->count);
		FUZZ_CHECK(entry->value.action == rs->rules[entry->value.rule_id].row.action);
		/* ingress rows for packets to the host, outbound rows for their replies */
		FUZZ_CHECK(rs->rules[entry->value.rule_id].direction != XPF_DIRECTION_NOT_FOR_HOST);
		FUZZ_CHECK(entry->key.prefix_len <= 128);
		FUZZ_CHECK(entry->class_no < image->class_count);
		FUZZ_CHECK(image->classes[entry->class_no].key.port_class != 0);
	}
}

/* The last address of rule entry @key's prefix: its source with every bit past the length
 * set, within its family's width (an IPv4 address's last 12 bytes stay zero). */
static void last_address(const struct xpf_image_rule_key *key, uint8_t last[16])
{
	memcpy(last, key->source, 16);
	for (int bit = key->prefix_len; bit < (key->family == AF_INET ? 32 : 128); bit++)
		last[bit / 8] |= 0x80 >> bit % 8;
}

/* The IPv4 source trie of the image: as many chunks as counted, its rule table built where it
 * fits, and every IPv4 rule source's first and last address find its length among those
 * containing them. */
static void check_source_trie(const struct xpf_image *image)
{
	struct xpf_source_trie trie;
	uint64_t cells;
	uint32_t chunks;

	FUZZ_CHECK(xpf_source_trie_size(image, &chunks, &cells) == 0);
	/* The rule table where the program would have it. */
	if (cells > XPF_MAX_SOURCE_RULES)
		cells = 0;
	FUZZ_CHECK(xpf_source_trie_build(image, chunks, cells, &trie) == 0);
	FUZZ_CHECK(trie.chunk_count == chunks && (!cells || trie.rules));
	for (size_t i = 0; i < image->entry_count; i++) {
		const struct xpf_image_rule_key *key = &image->entries[i].key;
		uint8_t last[16];

		if (key->family != AF_INET)
			continue;
		FUZZ_CHECK(key->prefix_len <= 32);
		FUZZ_CHECK(XPF_SOURCE_LENS(xpf_source_trie_lookup(&trie, key->source)) >>
			   key->prefix_len & 1);
		last_address(key, last);
		FUZZ_CHECK(XPF_SOURCE_LENS(xpf_source_trie_lookup(&trie, last)) >> key->prefix_len & 1);
	}
	xpf_source_trie_free(&trie);
}

/* Whether @addr lies in the prefix of @source under its mask, the way the program compares
 * (bpf/classify.h, scan_span()): one 32-bit word for IPv4, four for IPv6. */
static int span_source_holds(const struct xpf_class_source *source, uint8_t family,
			     const uint8_t *addr)
{
	int bytes = family == AF_INET ? 4 : 16;

	if (source->family != family)
		return 0;
	for (int b = 0; b < bytes; b++)
		if ((addr[b] ^ source->source[b]) & source->mask[b])
			return 0;
	return 1;
}

/* Whether @addr lies in the prefix of rule entry @key. */
static int entry_holds(const struct xpf_image_rule_key *key, uint8_t family, const uint8_t *addr)
{
	if (key->family != family)
		return 0;
	for (int bit = 0; bit < key->prefix_len; bit++)
		if ((addr[bit / 8] ^ key->source[bit / 8]) & (0x80 >> bit % 8))
			return 0;
	return 1;
}

/* The rule the hash probes find for @addr in class @class_no: the class's longest entry that
 * holds it (@by_class: the image's entries ordered by class, @first: where each class starts),
 * as xpf_source_rule_of() encodes it; 0 if none. */
static uint32_t probed_rule(const struct xpf_image *image, const uint32_t *by_class,
			    const uint32_t *first, uint32_t class_no, uint8_t family,
			    const uint8_t *addr)
{
	const struct xpf_image_rule *best = NULL;

	for (uint32_t i = first[class_no]; i < first[class_no + 1]; i++) {
		const struct xpf_image_rule *entry = &image->entries[by_class[i]];

		if (entry_holds(&entry->key, family, addr) &&
		    (!best || entry->key.prefix_len > best->key.prefix_len))
			best = entry;
	}
	return best ? xpf_source_rule_of(best->value.rule_id, best->value.action) : 0;
}

/* Whether span source @source is entry @entry: its family, length, prefix, the mask of that
 * length, and the entry's rule. */
static int source_is_entry(const struct xpf_class_source *source,
			   const struct xpf_image_rule *entry)
{
	uint8_t mask[16] = { 0 };

	for (int bit = 0; bit < entry->key.prefix_len; bit++)
		mask[bit / 8] |= 0x80 >> bit % 8;
	return source->family == entry->key.family && source->prefix_len == entry->key.prefix_len &&
	       !memcmp(source->source, entry->key.source, 16) && !memcmp(source->mask, mask, 16) &&
	       source->rule == xpf_source_rule_of(entry->value.rule_id, entry->value.action);
}

/* The classes' spans (user/core/class_sources.c), as the program scans them: a class of at most
 * XPF_CLASS_SOURCES_SCAN entries has one span of exactly its entries (each entry one source
 * of the span), IPv4 first, each family longest first, others none; and for the first and last
 * address of every entry, the first source of its family's part of the span that holds it is
 * the rule the hash probes would find. */
static void check_class_spans(const struct xpf_image *image)
{
	uint32_t size = xpf_class_spans_size(image), classes = (uint32_t)image->class_count;
	uint32_t *first = calloc(classes + 2, sizeof(*first));
	uint32_t *by_class = malloc((image->entry_count ?: 1) * sizeof(*by_class));
	struct xpf_class_source *sources = calloc(size ?: 1, sizeof(*sources));
	struct xpf_class_spans spans;

	FUZZ_CHECK(first && by_class && sources);
	/* The entries ordered by class: a counting sort, first[c] .. first[c + 1] class c's. */
	for (size_t i = 0; i < image->entry_count; i++)
		first[image->entries[i].class_no + 2]++;
	for (uint32_t c = 0; c < classes; c++)
		first[c + 2] += first[c + 1];
	for (size_t i = 0; i < image->entry_count; i++)
		by_class[first[image->entries[i].class_no + 1]++] = (uint32_t)i;

	FUZZ_CHECK(xpf_class_spans_build(image, size, &spans) == 0 && spans.count == size);
	xpf_class_sources_fill(image, &spans, 0, 0, size, sources);
	for (uint32_t c = 0; c < classes; c++) {
		uint32_t span = spans.spans[c], entries = first[c + 1] - first[c];
		uint32_t at = xpf_class_span_first(span), count = xpf_class_span_count(span);

		if (entries > XPF_CLASS_SOURCES_SCAN) {
			FUZZ_CHECK(span == 0);
			continue;
		}
		FUZZ_CHECK(count == entries && at + count <= size);
		for (uint32_t j = 0; j < count; j++)
			FUZZ_CHECK(sources[at + j].family ==
				   (j < xpf_class_span_v4_count(span) ? AF_INET : AF_INET6));
		for (uint32_t j = 1; j < count; j++)
			FUZZ_CHECK(j == xpf_class_span_v4_count(span) ||
				   sources[at + j - 1].prefix_len >= sources[at + j].prefix_len);
		/* Entries' keys differ, so each matching exactly one source makes the span a
		 * permutation of them. */
		for (uint32_t i = first[c]; i < first[c + 1]; i++) {
			uint32_t matches = 0;

			for (uint32_t j = 0; j < count; j++)
				matches += source_is_entry(&sources[at + j],
							   &image->entries[by_class[i]]);
			FUZZ_CHECK(matches == 1);
		}
	}
	for (size_t i = 0; i < image->entry_count; i++) {
		const struct xpf_image_rule_key *key = &image->entries[i].key;
		uint32_t c = image->entries[i].class_no, span = spans.spans[c];
		uint8_t addrs[2][16];

		if (!span)
			continue;
		memcpy(addrs[0], key->source, 16);
		last_address(key, addrs[1]);
		for (int a = 0; a < 2; a++) {
			int is_v4 = key->family == AF_INET;
			uint32_t scanned = 0;

			for (uint32_t j = 0; j < xpf_class_span_family_count(span, is_v4) && !scanned;
			     j++) {
				const struct xpf_class_source *source =
					&sources[xpf_class_span_family_first(span, is_v4) + j];

				if (span_source_holds(source, key->family, addrs[a]))
					scanned = source->rule;
			}
			FUZZ_CHECK(scanned &&
				   scanned == probed_rule(image, by_class, first, c, key->family,
							  addrs[a]));
		}
	}
	xpf_class_spans_free(&spans);
	free(sources);
	free(by_class);
	free(first);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct xpf_table empty;
	struct xpf_error err = { { 0 } };
	const struct xpf_table *table;
	struct xpf_ruleset ruleset;
	struct xpf_image image;
	struct xpf_site site;
	char *text = fuzz_text(data, size);
	int ret;

	if (!text)
		return 0;
	memset(&site, 0xab, sizeof(site));
	ret = xpf_site_parse(text, "fuzz.site", &site, &err);
	if (ret) {
		FUZZ_CHECK(ret < 0 && err.message[0] && FUZZ_TERMINATED(err.message));
		FUZZ_CHECK(fuzz_is_zero(&site, sizeof(site)));
		goto out;
	}
	/* `local` or `protect` is required; a protected role is enforced, never this host's. */
	FUZZ_CHECK(site.local_name_count + site.protect_name_count >= 1);
	for (size_t i = 0; i < site.role_count; i++)
		FUZZ_CHECK(!site.roles[i].protect || site.roles[i].local);

	table = site.table[0] ? &published : &empty;
	memset(&ruleset, 0xab, sizeof(ruleset));
	ret = xpf_ruleset_build(&site, table, &ruleset, &err);
	if (ret) {
		FUZZ_CHECK(ret < 0 && err.message[0] && FUZZ_TERMINATED(err.message));
		FUZZ_CHECK(fuzz_is_zero(&ruleset, sizeof(ruleset)));
		goto free_site;
	}
	check_ruleset(&ruleset, &site, table);

	memset(&image, 0xab, sizeof(image));
	ret = xpf_compile(&ruleset, &image, &err);
	if (ret) {
		FUZZ_CHECK(ret < 0 && err.message[0] && FUZZ_TERMINATED(err.message));
	} else {
		check_image(&image, &ruleset);
		check_source_trie(&image);
		check_class_spans(&image);
		xpf_image_free(&image);
	}
	xpf_ruleset_free(&ruleset);
free_site:
	xpf_site_free(&site);
out:
	free(text);
	return 0;
}
