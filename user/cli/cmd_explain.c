// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * xpf explain [-j] [--vlan ID]... [--frag first|next] [--reply] IFACE PROTO SRC DST [DPORT
 * [SPORT]]: "why is this client blocked?" One packet is built and run through the explain
 * variant of the program loaded on IFACE, on that program's maps (kernel/explain.h); its
 * answer says the verdict and the row or reason that decided it. The roles of the two
 * addresses come from the site file the filter was loaded from.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <bpf/bpf.h>
#include <linux/bpf.h>

#include <json-c/json.h>

#include "cli/commands.h"
#include "cli/options.h"
#include "cli/output.h"
#include "core/config_load.h"
#include "core/names.h"
#include "kernel/explain.h"
#include "kernel/filter.h"
#include "kernel/generation.h"
#include "kernel/rule_info.h"
#include "core/probe.h"

#define MAX_ROLES 64

struct roles {
	struct xpf_site site;
	bool loaded;
	bool changed_since_load;	/* the file is newer than the rule set in force */
	char problem[XPF_MESSAGE_MAX];	/* why it could not be read */
	const char *source[MAX_ROLES], *destination[MAX_ROLES];
	size_t source_count, destination_count;
};

struct explained {
	const char *ifname;
	struct xpf_probe probe;
	struct xpf_explanation run;
	struct xpf_config config;
	struct xpf_meta meta;
	uint32_t generation;
	bool has_rule;
	uint32_t rule_number;
	struct xpf_rule_info rule;
	struct roles roles;
};

enum { OPTION_VLAN = 256, OPTION_FRAG, OPTION_REPLY };

static const struct xpf_option explain_options[] = {
	{ OPTION_VLAN, "vlan", "ID", "a VLAN tag on the frame, 0 to 4095 (twice: 802.1ad, 802.1Q)",
	  NULL, XPF_OPTION_REPEATS },
	{ OPTION_FRAG, "frag", "first|next", "a first or a later fragment", "first next", 0 },
	{ OPTION_REPLY, "reply", NULL, "a reply to a flow the host opened", NULL, 0 },
	{},
};

const struct xpf_verb xpf_verb_explain = {
	"explain", cmd_explain, "IFACE PROTO SRC DST [DPORT [SPORT]]", 4, 6, true,
	"one packet through the loaded program: its verdict and why (PROTO: tcp, udp, icmp or a "
	"number)", explain_options, true,
};

static int parse_port(const char *text, const char *what, uint16_t *port)
{
	char *end;
	long value = strtol(text, &end, 10);

	if (end == text || *end || value < 1 || value > 65535) {
		xpf_misuse(&xpf_verb_explain, "%s must be a port from 1 to 65535, not '%s'", what,
			   text);
		return -EINVAL;
	}
	*port = (uint16_t)value;
	return 0;
}

static int parse_host(const char *text, const char *what, struct xpf_prefix *host)
{
	const char *problem = NULL;

	if (xpf_prefix_parse(text, host, &problem) ||
	    host->len != (host->family == AF_INET ? 32 : 128)) {
		xpf_misuse(&xpf_verb_explain, "%s must be one IPv4 or IPv6 address, not '%s'%s%s",
			   what, text, problem ? ": " : "", problem ? problem : "");
		return -EINVAL;
	}
	return 0;
}

/* The roles of both addresses, from the site file named in the meta map. */
static void find_roles(struct explained *e)
{
	struct roles *roles = &e->roles;
	struct xpf_error err = { { 0 } };
	struct stat st;
	char *text = NULL;

	if (xpf_read_file(e->meta.site[e->generation], &text, &err)) {
		snprintf(roles->problem, sizeof(roles->problem), "%s", err.message);
		return;
	}
	if (xpf_site_parse(text, e->meta.site[e->generation], &roles->site, &err)) {
		snprintf(roles->problem, sizeof(roles->problem), "%s", err.message);
		free(text);
		return;
	}
	free(text);
	roles->loaded = true;
	if (!stat(e->meta.site[e->generation], &st))
		roles->changed_since_load =
			(uint64_t)st.st_mtim.tv_sec * 1000000000ull + st.st_mtim.tv_nsec >
			e->meta.loaded_at_ns[e->generation];
	roles->source_count = xpf_roles_containing(&roles->site, &e->probe.source, roles->source,
						   MAX_ROLES);
	roles->destination_count = xpf_roles_containing(&roles->site, &e->probe.destination,
							roles->destination, MAX_ROLES);
	if (roles->source_count > MAX_ROLES)
		roles->source_count = MAX_ROLES;
	if (roles->destination_count > MAX_ROLES)
		roles->destination_count = MAX_ROLES;
}

static int read_filter_state(const struct xpf_filter *filter, struct explained *e)
{
	uint32_t zero = 0;
	int err = xpf_filter_read_config(filter, &e->config, &e->generation);

	if (err)
		return err;
	return bpf_map_lookup_elem(filter->map_fds[XPF_MAP_META], &zero, &e->meta) ? -errno : 0;
}

static void find_rule(const struct xpf_filter *filter, struct explained *e)
{
	const struct xpf_explain *answer = &e->run.answer;

	if (answer->reason != XPF_REASON_RULE || !e->meta.rule_id_span ||
	    xpf_rule_info_get(filter, e->meta.rule_id_span, answer->rule_id, &e->rule))
		return;
	e->has_rule = true;
	e->rule_number = answer->rule_id % e->meta.rule_id_span + 1;
}

static const char *action_name(uint32_t action)
{
	return action == XPF_ACTION_DROP ? "drop" : "pass";
}

/* The verdict table's row, in words, for a decision without a rule. */
static void describe_reason(const struct explained *e, char *buf, size_t size)
{
	const struct xpf_config *c = &e->config;

	switch (e->run.answer.reason) {
	case XPF_REASON_NON_IP:
		snprintf(buf, size, "not IPv4 or IPv6");
		break;
	case XPF_REASON_ICMP:
		snprintf(buf, size, "ICMP: NDP, packet-too-big, fragmentation-needed, an error "
				    "about a flow the host opened, or policy icmp (%s)",
			 action_name(c->policy_icmp));
		break;
	case XPF_REASON_NOT_LOCAL:
		snprintf(buf, size, "destination is not a local address: policy other (%s)",
			 action_name(c->policy_other));
		break;
	case XPF_REASON_DEFAULT:
		snprintf(buf, size, "TCP/UDP to a local address that no rule admits and no flow "
				    "the host opened answers: policy default (%s)",
			 action_name(c->policy_default));
		break;
	case XPF_REASON_REPLY:
		snprintf(buf, size, "reply to a flow the host opened, under no outbound row");
		break;
	case XPF_REASON_OTHER_PROTO:
		snprintf(buf, size, "protocol %u to a local address: policy default (%s)",
			 e->probe.protocol, action_name(c->policy_default));
		break;
	case XPF_REASON_FRAGMENT:
		snprintf(buf, size, c->policy_fragments == XPF_FRAGMENTS_DROP
					    ? "fragment: policy fragments drop"
					    : "later fragment: takes its first fragment's verdict "
					      "(drop when no first fragment was seen)");
		break;
	case XPF_REASON_MALFORMED:
		snprintf(buf, size, "malformed or truncated headers (README: Verdicts)");
		break;
	case XPF_REASON_UNCONFIGURED:
		snprintf(buf, size, "no rule set written yet");
		break;
	default:
		snprintf(buf, size, "unknown reason %u", e->run.answer.reason);
	}
}

static const char *verdict_text(const struct explained *e)
{
	if (e->run.answer.flags & XPF_EXPLAIN_WOULD_DROP)
		return "pass (would drop: audit mode)";
	return action_name(e->run.answer.action);
}

static void format_endpoint(const struct xpf_prefix *host, uint16_t port, bool ports, char *buf,
			    size_t size)
{
	char text[INET6_ADDRSTRLEN + 4];

	xpf_prefix_format(host, text, sizeof(text));
	if (!ports)
		snprintf(buf, size, "%s", text);
	else if (host->family == AF_INET6)
		snprintf(buf, size, "[%s]:%u", text, port);
	else
		snprintf(buf, size, "%s:%u", text, port);
}

static void print_roles(const char *title, const struct xpf_prefix *host,
			const char *const *names,
			size_t count)
{
	char text[INET6_ADDRSTRLEN + 4];

	xpf_prefix_format(host, text, sizeof(text));
	printf("%-12s%s: ", title, text);
	for (size_t i = 0; i < count; i++)
		printf("%s%s", i ? ", " : "", names[i]);
	printf("\n");
}

/* The table a table row came from, "PAGE: CAPTION"; the generation's tables when the rule
 * names none. */
static const char *origin_name(const struct explained *e)
{
	static char name[XPF_INFO_NAME_MAX + XPF_INFO_CAPTION_MAX + 2];
	uint8_t origin = e->rule.origins[0];
	const struct xpf_origin_info *info;

	if (!origin || origin > e->meta.origin_count[e->generation] || origin > XPF_MAX_ORIGINS)
		return e->meta.table[e->generation];
	info = &e->meta.origins[e->generation][origin - 1];
	snprintf(name, sizeof(name), "%s: %s", info->table, info->caption);
	return name;
}

static void print_text(const struct explained *e)
{
	const struct xpf_probe *p = &e->probe;
	bool ports = (p->protocol == IPPROTO_TCP || p->protocol == IPPROTO_UDP) &&
		     p->fragment != XPF_PROBE_LATER_FRAGMENT;
	char what[32], source[64], dest[64], reason[256];

	xpf_probe_describe(p, what, sizeof(what));
	format_endpoint(&p->source, p->source_port, ports, source, sizeof(source));
	format_endpoint(&p->destination, p->dest_port, ports, dest, sizeof(dest));
	printf("%-12s%s %s -> %s", "packet", what, source, dest);
	if (p->protocol == IPPROTO_TCP && p->fragment != XPF_PROBE_LATER_FRAGMENT)
		printf(" (%s)", p->reply ? "ACK" : "SYN");
	for (int i = 0; i < p->vlan_count; i++)
		printf(" vlan %u", p->vlans[i]);
	if (p->fragment != XPF_PROBE_WHOLE)
		printf(" %s fragment", p->fragment == XPF_PROBE_FIRST_FRAGMENT ? "first" : "later");
	printf(", into %s\n", e->ifname);
	printf("%-12s%s\n", "verdict", verdict_text(e));
	if (e->has_rule) {
		char range[16];

		if (e->rule.port_first == e->rule.port_last)
			snprintf(range, sizeof(range), "%u", e->rule.port_first);
		else
			snprintf(range, sizeof(range), "%u-%u", e->rule.port_first,
				 e->rule.port_last);
		printf("%-12srule %u: %s | %s -> %s | %s %s/%s%s\n", "decided", e->rule_number,
		       e->rule.label, e->rule.source, e->rule.destination,
		       e->rule.action == XPF_ACTION_DROP ? "deny" : "allow",
		       xpf_protocols_name(e->rule.protocols), range,
		       e->rule.direction == XPF_DIRECTION_OUTBOUND ? " (outbound: a reply)" : "");
		printf("%-12s%s line %u (%s)\n", "from", e->rule.from_site ? "site" : "table",
		       e->rule.line, e->rule.from_site ? e->meta.site[e->generation] : origin_name(e));
	} else {
		describe_reason(e, reason, sizeof(reason));
		printf("%-12s%s: %s\n", "decided", xpf_reason_name(e->run.answer.reason), reason);
	}
	if (e->roles.loaded) {
		print_roles("source", &p->source, e->roles.source, e->roles.source_count);
		print_roles("destination", &p->destination, e->roles.destination,
			    e->roles.destination_count);
		printf("%-12s%s%s\n", "roles from", e->meta.site[e->generation],
		       e->roles.changed_since_load
			       ? " (CHANGED since the rule set was loaded: roles as the file says "
				 "now, the verdict is the loaded rule set's)"
			       : " (unchanged since load)");
	} else {
		printf("%-12sunknown: %s\n", "roles", e->roles.problem);
	}
}

static struct json_object *string_list(const char *const *names, size_t count)
{
	struct json_object *list = json_object_new_array();

	for (size_t i = 0; i < count; i++)
		json_object_array_add(list, json_object_new_string(names[i]));
	return list;
}

static struct json_object *packet_json(const struct xpf_probe *p)
{
	struct json_object *packet = json_object_new_object(), *vlans = json_object_new_array();
	bool ports = p->protocol == IPPROTO_TCP || p->protocol == IPPROTO_UDP;
	char text[INET6_ADDRSTRLEN + 4];

	json_object_object_add(packet, "family",
			       json_object_new_int(p->source.family == AF_INET6 ? 6 : 4));
	json_object_object_add(packet, "protocol", json_object_new_int(p->protocol));
	xpf_prefix_format(&p->source, text, sizeof(text));
	json_object_object_add(packet, "source", json_object_new_string(text));
	xpf_prefix_format(&p->destination, text, sizeof(text));
	json_object_object_add(packet, "destination", json_object_new_string(text));
	json_object_object_add(packet, "source_port",
			       ports ? json_object_new_int(p->source_port) : NULL);
	json_object_object_add(packet, "dest_port", ports ? json_object_new_int(p->dest_port) : NULL);
	for (int i = 0; i < p->vlan_count; i++)
		json_object_array_add(vlans, json_object_new_int(p->vlans[i]));
	json_object_object_add(packet, "vlans", vlans);
	json_object_object_add(packet, "fragment",
			       json_object_new_string(p->fragment == XPF_PROBE_FIRST_FRAGMENT ? "first"
						      : p->fragment == XPF_PROBE_LATER_FRAGMENT
							      ? "next"
							      : "none"));
	json_object_object_add(packet, "reply", json_object_new_boolean(p->reply));
	return packet;
}

static struct json_object *rule_json(const struct explained *e)
{
	struct json_object *rule = json_object_new_object();

	json_object_object_add(rule, "id", json_object_new_int64(e->rule_number));
	json_object_object_add(rule, "counter", json_object_new_int64(e->run.answer.rule_id));
	json_object_object_add(rule, "label", json_object_new_string(e->rule.label));
	json_object_object_add(rule, "source", json_object_new_string(e->rule.source));
	json_object_object_add(rule, "destination", json_object_new_string(e->rule.destination));
	json_object_object_add(rule, "proto",
			       json_object_new_string(xpf_protocols_name(e->rule.protocols)));
	json_object_object_add(rule, "port", json_object_new_int(e->rule.port_first));
	json_object_object_add(rule, "port_last", json_object_new_int(e->rule.port_last));
	json_object_object_add(rule, "action", json_object_new_string(
		e->rule.action == XPF_ACTION_DROP ? "deny" : "allow"));
	json_object_object_add(rule, "direction",
			       json_object_new_string(xpf_direction_name(e->rule.direction)));
	json_object_object_add(rule, "origin",
			       json_object_new_string(e->rule.from_site ? "site" : "table"));
	json_object_object_add(rule, "line", json_object_new_int(e->rule.line));
	return rule;
}

static void print_json(const struct explained *e)
{
	struct json_object *root = xpf_json_document(), *roles = json_object_new_object();
	const struct xpf_explain *a = &e->run.answer;
	char reason[256];

	json_object_object_add(root, "interface", json_object_new_string(e->ifname));
	json_object_object_add(root, "packet", packet_json(&e->probe));
	json_object_object_add(root, "verdict", json_object_new_string(action_name(a->action)));
	json_object_object_add(root, "would_drop",
			       json_object_new_boolean(a->flags & XPF_EXPLAIN_WOULD_DROP));
	json_object_object_add(root, "audit", json_object_new_boolean(e->config.audit));
	json_object_object_add(root, "reason", json_object_new_string(xpf_reason_name(a->reason)));
	if (!e->has_rule) {
		describe_reason(e, reason, sizeof(reason));
		json_object_object_add(root, "explanation", json_object_new_string(reason));
	}
	json_object_object_add(root, "rule", e->has_rule ? rule_json(e) : NULL);
	json_object_object_add(roles, "site", json_object_new_string(e->meta.site[e->generation]));
	if (e->roles.loaded) {
		json_object_object_add(roles, "source", string_list(e->roles.source,
								    e->roles.source_count));
		json_object_object_add(roles, "destination",
				       string_list(e->roles.destination,
						   e->roles.destination_count));
		json_object_object_add(roles, "changed_since_load",
				       json_object_new_boolean(e->roles.changed_since_load));
	} else {
		json_object_object_add(roles, "error", json_object_new_string(e->roles.problem));
	}
	json_object_object_add(root, "roles", roles);
	xpf_json_print(root);
}

static int parse_vlan(const char *text, struct xpf_probe *p)
{
	char *end;
	long vlan = strtol(text, &end, 10);

	if (end == text || *end || vlan < 0 || vlan > 4095 || p->vlan_count == 2) {
		xpf_misuse(&xpf_verb_explain, "--vlan takes an id from 0 to 4095, at most twice; "
			   "not '%s'", text);
		return 2;
	}
	p->vlans[p->vlan_count++] = (uint16_t)vlan;
	return 0;
}

static int parse_fragment(const char *text, struct xpf_probe *p)
{
	if (!strcmp(text, "first")) {
		p->fragment = XPF_PROBE_FIRST_FRAGMENT;
	} else if (!strcmp(text, "next")) {
		p->fragment = XPF_PROBE_LATER_FRAGMENT;
	} else {
		xpf_misuse(&xpf_verb_explain, "--frag is first or next, not '%s'", text);
		return 2;
	}
	return 0;
}

/* The options into @p; -1 when the operands follow at argv[optind], their count in
 * @operands, else the exit status. */
static int parse_options(int argc, char **argv, struct xpf_probe *p, int *operands)
{
	struct xpf_args args;
	int opt, err = 0;

	xpf_args_start(&args, &xpf_verb_explain);
	while ((opt = xpf_args_next(&args, argc, argv)) >= 0) {
		if (opt == OPTION_VLAN)
			err = parse_vlan(optarg, p);
		else if (opt == OPTION_FRAG)
			err = parse_fragment(optarg, p);
		else
			p->reply = true;
		if (err)
			return err;
	}
	if (opt != XPF_ARGS_END)
		return xpf_args_exit(opt);
	*operands = args.operands;
	return -1;
}

/* PROTO SRC DST [DPORT [SPORT]] (@count of them) into @p; -1 when they make a packet, else 2. */
static int parse_packet(char **operand, int count, struct xpf_probe *p)
{
	const char *protocol = operand[0];

	if (parse_host(operand[1], "SRC", &p->source) ||
	    parse_host(operand[2], "DST", &p->destination))
		return 2;
	if (p->source.family != p->destination.family) {
		xpf_misuse(&xpf_verb_explain, "SRC and DST must both be IPv4 or both IPv6");
		return 2;
	}
	if (xpf_probe_protocol(protocol, p->source.family, &p->protocol)) {
		xpf_misuse(&xpf_verb_explain, "PROTO is tcp, udp, icmp or a number 0-255, not '%s'",
			protocol);
		return 2;
	}
	p->source_port = XPF_PROBE_SOURCE_PORT;
	if (p->protocol != IPPROTO_TCP && p->protocol != IPPROTO_UDP) {
		if (count > 3) {
			xpf_misuse(&xpf_verb_explain, "ports only with tcp or udp");
			return 2;
		}
		return -1;
	}
	if (count < 4) {
		xpf_misuse(&xpf_verb_explain, "%s needs DPORT", protocol);
		return 2;
	}
	if (parse_port(operand[3], "DPORT", &p->dest_port) ||
	    (count == 5 && parse_port(operand[4], "SPORT", &p->source_port)))
		return 2;
	return -1;
}

/* -1 when the command line names an interface and a packet, else the exit status. */
static int parse_arguments(int argc, char **argv, struct explained *e)
{
	int operands = 0, status;

	status = parse_options(argc, argv, &e->probe, &operands);
	if (status >= 0)
		return status;
	e->ifname = argv[optind];
	return parse_packet(&argv[optind + 1], operands - 1, &e->probe);
}

int cmd_explain(int argc, char **argv)
{
	static struct explained e;
	struct xpf_filter filter;
	uint8_t frame[XPF_PROBE_MAX_BYTES];
	size_t length;
	int err;

	err = parse_arguments(argc, argv, &e);
	if (err >= 0)
		return err;
	if (xpf_check_privileges())
		return 1;
	length = xpf_probe_build(&e.probe, frame, sizeof(frame));
	err = xpf_filter_find(e.ifname, &filter);
	if (err)
		return report_filter_error(e.ifname, "explain", err);
	err = read_filter_state(&filter, &e);
	err = err ?: xpf_explain_run(&filter, frame, length, &e.run);
	if (err) {
		xpf_filter_close(&filter);
		return report_failure(e.ifname, "explain (test run of the loaded program)", err);
	}
	find_rule(&filter, &e);
	xpf_filter_close(&filter);
	find_roles(&e);
	if (xpf_json())
		print_json(&e);
	else
		print_text(&e);
	if (e.roles.loaded)
		xpf_site_free(&e.roles.site);
	return 0;
}
