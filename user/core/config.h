/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The rule set as xpf understands it, before it becomes maps: the published table's rows, the
 * site file, and the two resolved together. User space only. Everything declared here is pure
 * (text in, structs out, no BPF, no I/O) so that unit tests and fuzzers reach all of it.
 *
 * Functions return 0 or a negative errno. Input errors fill struct xpf_error with
 * "FILE:LINE: problem" and leave the output empty (nothing half-parsed survives).
 */
#ifndef XPF_CONFIG_H
#define XPF_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <xpf/maps.h>			/* XPF_MAX_ORIGINS: a rule set's tables fit the meta map */

#include "lib/hash.h"

#define XPF_NAME_MAX 128	/* a role name or a literal prefix as written */
#define XPF_LABEL_MAX 64	/* a protocol cell as published: "SIP/MTLS/TCP 5061" */
#define XPF_NOTE_MAX 512
#define XPF_FILE_MAX 256
#define XPF_MESSAGE_MAX 768

#define XPF_PROTO_TCP 0x1
#define XPF_PROTO_UDP 0x2

struct xpf_error {
	char message[XPF_MESSAGE_MAX];
};

/* "FILE:LINE: message"; line <= 0 prints "FILE: message". Returns -EINVAL for chaining. */
int xpf_error_set(struct xpf_error *err, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

struct xpf_prefix {
	uint8_t family;		/* AF_INET or AF_INET6 */
	uint8_t len;		/* 0..32 or 0..128 */
	uint8_t addr[16];	/* network byte order, masked to len; IPv4 in addr[0..3] */
};

/* "192.0.2.1", "192.0.2.0/24", "2001:db8::/32". Host bits are cleared. -EINVAL on anything
 * else (300.1.2.3, /33, empty); *problem then says what was wrong ("bad address", "bad
 * prefix length"). */
int xpf_prefix_parse(const char *text, struct xpf_prefix *out, const char **problem);
bool xpf_prefix_contains(const struct xpf_prefix *outer, const struct xpf_prefix *inner);
/* "192.0.2.0/24"; host prefixes without "/32" or "/128". buf of INET6_ADDRSTRLEN + 4. */
void xpf_prefix_format(const struct xpf_prefix *prefix, char *buf, size_t size);
/* True when a cell looks like it was meant as an address (digits and dots, or a colon), so
 * that a typo there is reported as a bad address rather than an unknown role. */
bool xpf_looks_like_address(const char *text);
/* Role names match case- and blank-insensitively: "Front End pool" == "front  endpool". */
bool xpf_role_name_equal(const char *a, const char *b);

/* tolower() of the "C" locale, which xpf runs in (it sets no other), inline: role names are
 * compared for every cell of a large table. */
static inline char xpf_ascii_lower(char c)
{
	return (unsigned char)(c - 'A') <= 'Z' - 'A' ? (char)(c + ('a' - 'A')) : c;
}

/* Copies @in into @out with blank runs (spaces, tabs, line breaks) folded to one space and
 * the ends trimmed, as cells that ran across lines are compared and shown. Returns the folded
 * length, which may exceed @size - 1 (the copy is then cut, still terminated). */
size_t xpf_fold_blanks(const char *in, char *out, size_t size);

/* Strings of parsed input, kept in blocks (64 KiB, doubling to 2 MiB) and freed at once
 * (user/core/strings.c): a table of 100,000 rows would otherwise be mostly fixed-size text fields,
 * or one malloc per cell. Strings added with
 * xpf_strings_intern share one copy with their equals (file and role names). NULL: no memory. */
struct xpf_strings {
	char **blocks;
	size_t block_count;
	size_t block_cap;
	char *next;
	size_t left;
	struct xpf_hash interned;	/* of const char * */
};

const char *xpf_strings_add(struct xpf_strings *strings, const char *text);
const char *xpf_strings_intern(struct xpf_strings *strings, const char *text);
/* Drops the index of interned strings once nothing more is to be added (100,000 distinct
 * labels: 1.5 MiB); the strings stay. A later intern starts a new index. */
void xpf_strings_end_interning(struct xpf_strings *strings);
void xpf_strings_free(struct xpf_strings *strings);

/* Prefix arrays kept in blocks and freed at once (user/core/prefix_pool.c), as strings are
 * above. */
struct xpf_prefix_pool {
	struct xpf_prefix **blocks;
	size_t block_count;
	size_t block_cap;
	struct xpf_prefix *next;
	size_t left;
};

/* A copy of @count (> 0) prefixes in @pool; NULL: no memory. */
struct xpf_prefix *xpf_prefix_pool_copy(struct xpf_prefix_pool *pool,
					const struct xpf_prefix *prefixes, size_t count);
void xpf_prefix_pool_free(struct xpf_prefix_pool *pool);

/* One row of a port table or an allow/deny line of a site file, as written. The strings belong
 * to the table, site or rule set the row is in. Labels are at most XPF_LABEL_MAX - 1
 * characters, cells XPF_NAME_MAX - 1, notes XPF_NOTE_MAX - 1. */
struct xpf_row {
	const char *label;		/* protocol cell, blanks folded: "HTTP/TCP 8080" */
	const char *source;		/* role name or literal prefix, as written */
	const char *destination;
	const char *note;
	const char *file;
	int line;			/* line of the row's first cell */
	uint16_t port_first;
	uint16_t port_last;
	uint8_t protocols;		/* XPF_PROTO_TCP | XPF_PROTO_UDP */
	uint8_t action;			/* XPF_ACTION_PASS (allow) or XPF_ACTION_DROP (deny) */
};

/* Parses a protocol cell ("HTTP/TCP 8080", "TCP/UDP 50,000-59,999", "MTLS/TCP/50001") into
 * row->label (kept in @strings, one copy of each), protocols and ports. *problem says what was
 * wrong on -EINVAL (row->label is then ""), or that @strings had no memory. */
int xpf_row_parse_protocol(const char *cell, struct xpf_strings *strings, struct xpf_row *row,
			   const char **problem);

/* The column layouts a table of a page may have, recognised from its header row (docs/tables.md):
 * which cell is the port, the transport, the source and the destination. */
enum xpf_layout {
	XPF_LAYOUT_FLOWS,		/* PROTOCOL/PORT | SOURCE | DESTINATION | NOTES */
	XPF_LAYOUT_SERVER_PORTS,	/* SERVER ROLE | SERVICE | PORT | PROTOCOL | NOTES */
	XPF_LAYOUT_LOAD_BALANCER,	/* LOAD BALANCER | PORT | PROTOCOL */
	XPF_LAYOUT_CLIENT_PORTS,	/* COMPONENT | PORT | PROTOCOL | NOTES */
	XPF_LAYOUT_COUNT,
};

/* The layout's name as docs/tables.md gives it ("flows", "server ports", ...). */
const char *xpf_layout_name(enum xpf_layout layout);

/* One table of a page: its caption (the line above its header row, "" when there is none),
 * where it is, and its rows: table->rows[first_row .. first_row + row_count - 1]. */
struct xpf_section {
	const char *file;		/* the page's name: a built-in name or the path read */
	const char *caption;
	int header_line;
	int last_line;			/* of its last row (the header's when it has none) */
	size_t first_row;
	size_t row_count;
	size_t first_report;		/* its reports: table->reports[first_report ..] */
	size_t report_count;
	uint8_t layout;			/* enum xpf_layout */
};

/* A row of a page that yields no rule, and why ("no transport (TCP or UDP) in 'HTTP 80'"):
 * every row of a page is either compiled or reported. */
struct xpf_report {
	const char *file;
	int line;
	const char *problem;
};

/* One or more pages of published tables, and the rows read from them. */
/* A transport cell, in tables whose port has a cell of its own: "TCP", "TCP/UDP", "TCP (TLS)",
 * "HTTPS TCP", or a protocol that stands for its transport ("HTTPS", "DHCP": docs/tables.md).
 * A transport named wins over one a protocol stands for. -EINVAL with *problem. */
int xpf_transport_parse(const char *cell, uint8_t *protocols, const char **problem);
/* A port cell: "5061", "57501-65535", "67/68" (two ports), "1024-65535 *" (a footnote's mark).
 * Fills up to @max ranges and returns how many, or -EINVAL with *problem. */
int xpf_ports_parse(const char *cell, uint16_t *first, uint16_t *last, size_t max,
		    const char **problem);

struct xpf_table {
	struct xpf_row *rows;
	size_t count;
	struct xpf_strings strings;	/* of the rows, but for their notes */
	struct xpf_strings notes;	/* kept apart: a rule set needs all the rest, not these */
	const char *title;		/* the first page's first line */
	struct xpf_section *sections;	/* every table read, in page order */
	size_t section_count;
	struct xpf_report *reports;	/* in page order */
	size_t report_count;
	bool without_notes;		/* set by a reader that never shows them: rows' notes "" */
};

/* A published page, prose and all (docs/tables.md): every table on it, each found by its
 * header row (its layout recognised from the header's cells), the "---|" row skipped, its
 * cells read across line breaks, its caption kept. Every row is an allow. Rows that cannot be
 * placed are reported in table->reports, the rest read; a header of no known layout, a row
 * cut short and a page without a table are errors. */
int xpf_table_read(const char *text, const char *file, struct xpf_table *table,
		   struct xpf_error *err);
/* The same, but a reported row is an error too: the first one, at its FILE:LINE. */
int xpf_table_parse(const char *text, const char *file, struct xpf_table *table,
		    struct xpf_error *err);
/* Reads one more page into @table (a zeroed one, or one these functions filled), keeping of
 * it only the tables that @pick names ("" or NULL: all): a caption, or a part of one that
 * only one of the page's captions holds (case and blanks aside), or the table's number on
 * the page, from 1. -ENOENT when @pick names no table of the page, or several (*problem then
 * says which the page has); other errors as xpf_table_read, and the table is then freed. */
int xpf_table_add(struct xpf_table *table, const char *text, const char *file, const char *pick,
		  struct xpf_error *err);
void xpf_table_free(struct xpf_table *table);
/* Frees the rows' notes, which are "" from then on: nothing after the parse reads them (the
 * 100,000-row benchmark table's are 1.8 MB). */
void xpf_table_free_notes(struct xpf_table *table);
/* The section a row of @table came from; NULL for a row of no section. */
const struct xpf_section *xpf_table_section_of(const struct xpf_table *table,
						const struct xpf_row *row);

/* A role cell of a table names one role, or several: "Director or Director pool", "Front End
 * Server, Front End pool, Director", "Any (can be defined as Director, Front End pool IP
 * address)". The parts are split on ", ", " or " and ", or "; the Any form's parts are the
 * roles that may narrow it. */
#define XPF_ROLE_PARTS_MAX 12

struct xpf_role_cell {
	bool any;			/* "Any (can be defined as ...)": Any unless narrowed */
	size_t count;			/* parts; 0 when the cell is one name */
	char parts[XPF_ROLE_PARTS_MAX][XPF_NAME_MAX];
};

/* Splits @cell (blanks folded) into *out. Parts past XPF_ROLE_PARTS_MAX, or longer than a role
 * name can be, are left out. */
void xpf_role_cell_split(const char *cell, struct xpf_role_cell *out);

struct xpf_role {
	char name[XPF_NAME_MAX];	/* as defined */
	struct xpf_prefix *prefixes;
	size_t count;
	bool local;			/* enforced: named by `local` or by `protect` */
	bool protect;			/* named by `protect`: behind the interface, not this host */
	int line;
};

struct xpf_policy {
	uint8_t default_action;		/* XPF_ACTION_*: local TCP/UDP that no rule admits */
	uint8_t other_action;		/* XPF_ACTION_*: IP not addressed to a local role */
	uint8_t icmp_action;		/* XPF_ACTION_*: ICMP to local (NDP, PMTU always pass) */
	uint8_t fragments;		/* XPF_FRAGMENTS_* */
	uint32_t tcp_timeout_s;		/* `timeout tcp`: established flows the host opened */
	uint32_t udp_timeout_s;		/* `timeout udp` */
	uint32_t log_rate;		/* `log rate N/s`: drop-log events a second; 0: off */
	uint32_t flows;			/* `flows max N`: flows the egress program remembers */
};

#define XPF_DEFAULT_LOG_RATE 100
#define XPF_MAX_LOG_RATE 1000000u
/* `flows max N`: the flows map is made at load with N entries. Below 1,024 the kernel's LRU
 * spends its entries on per-CPU free lists; 4,194,304 entries are some 500 MiB. */
#define XPF_MIN_FLOWS 1024u
#define XPF_MAX_FLOWS 4194304u

/* A `table` line: a page, built in or a path, and which of its tables ("" for all). */
struct xpf_site_table {
	char name[XPF_FILE_MAX];
	char pick[XPF_FILE_MAX];	/* after '#': a caption, a part of one, or a number */
	int line;
};

struct xpf_site {
	char file[XPF_FILE_MAX];
	char table[XPF_FILE_MAX];	/* the first `table` line's page; "" when none */
	int table_line;
	struct xpf_site_table *tables;	/* every `table` line, in file order */
	size_t table_count;
	struct xpf_role *roles;		/* `Any` is not listed: it is built in */
	size_t role_count;
	struct xpf_row *rows;		/* allow/deny lines in file order */
	size_t row_count;
	struct xpf_policy policy;
	/* `audit` (1), `audit off` (0), or no such line (-1): the mode a load takes, unless the
	 * command line says; a reload without one keeps the interface's. */
	int audit;
	int audit_line;
	int local_line;
	/* Names in the `local` directive as written; xpf_ruleset_build checks that each one
	 * names a role, since roles may be defined after `local`. */
	char (*local_names)[XPF_NAME_MAX];
	size_t local_name_count;
	/* `local auto`: the host's roles are found from its addresses (user/core/host_roles.h)
	 * before the rule set is built, and only the addresses it holds are local. */
	bool local_auto;
	struct xpf_prefix *host_addrs;	/* of them, those a role holds; set with the roles */
	size_t host_addr_count;
	/* Names in the `protect` directive: roles behind the interface xpf is attached to (a
	 * router's, a bridge port's, a load balancer's), enforced as local ones. */
	int protect_line;
	char (*protect_names)[XPF_NAME_MAX];
	size_t protect_name_count;
	struct xpf_strings strings;	/* of the rows */
	/* `deny-list` and `allow-list` lines in file order, as rows: the source is the list's
	 * FILE as written; without a protocol cell, TCP/UDP on every port; without a
	 * destination, Any. */
	struct xpf_row *lists;
	size_t list_count;
};

/* Site file: `table` (as many as wanted), `local`, `protect`, `role`, `allow`, `deny`,
 * `deny-list`, `allow-list`, `policy`, `timeout`, `log`, `flows`, `audit`; `#` comments (on a
 * `table` line, a '#' after a blank: `table NAME#CAPTION`
 * picks one table of a page). Roles may be defined after the rows that use them; role
 * references are checked by xpf_ruleset_build, everything else here. */
int xpf_site_parse(const char *text, const char *file, struct xpf_site *site,
		   struct xpf_error *err);
void xpf_site_free(struct xpf_site *site);

enum xpf_direction {
	XPF_DIRECTION_INGRESS,		/* destination is local: enforced by the XDP program */
	XPF_DIRECTION_OUTBOUND,		/* source is local: replies admitted by flow tracking */
	XPF_DIRECTION_NOT_FOR_HOST,	/* neither: warned about, ignored */
};

struct xpf_rule {
	/* Its strings the rule set's; its note "". Its source and destination are the role's
	 * name as defined ("Any" for Any), or the literal as written. */
	struct xpf_row row;
	struct xpf_prefix *sources;
	struct xpf_prefix *destinations;	/* ingress: the local addresses it covers */
	/* Outbound: a reply comes from one of the destination's prefixes (reply_remotes) to one
	 * of the source's local addresses (reply_locals); it is counted on this row. */
	struct xpf_prefix *reply_locals;
	struct xpf_prefix *reply_remotes;
	/* The arrays' lengths, after the pointers, and the locals' in 16 bits (at most
	 * XPF_MAX_LOCAL_ADDRS): 104 bytes a rule, not 128 (100,000 rules: 2.4 MB). */
	uint32_t source_count;
	uint32_t reply_remote_count;
	uint16_t destination_count;
	uint16_t reply_local_count;
	uint8_t direction;			/* enum xpf_direction */
	uint8_t origin;			/* table rows: ruleset->origins[origin - 1]; 0: none */
	/* A `deny-list` / `allow-list` line's rule: ruleset->lists[list - 1] holds its sources
	 * (none here: the compile leaves it to the list maps); 0: a row's rule. */
	uint8_t list;
};

/* A table a rule set's rows came from: its page and its caption. */
struct xpf_origin {
	const char *table;		/* the page: a built-in name or the path read */
	const char *caption;		/* "" when it has none */
};

/* A rule's further origin: a row of another table that makes the same rule (the same
 * transport, ports, source and destination) and so adds none. */
struct xpf_also {
	uint32_t rule;				/* its index in ruleset->rules */
	uint8_t origin;				/* as xpf_rule.origin */
	int line;
};


struct xpf_local_addr {
	struct xpf_prefix addr;		/* a host: /32 or /128 */
	char role[XPF_NAME_MAX];	/* first local role that names it */
	bool protect;			/* that role is named by `protect`, not by `local` */
};

struct xpf_prefix_list;

struct xpf_ruleset {
	struct xpf_rule *rules;		/* priority order: site rows, then table rows */
	size_t count;
	struct xpf_local_addr *locals;	/* every address of every local role, no duplicates */
	size_t local_count;
	struct xpf_policy policy;
	char **warnings;		/* "FILE:LINE: ..." for outbound / not-for-host rows */
	size_t warning_count;
	struct xpf_origin *origins;	/* the tables the rules came from, in page order */
	size_t origin_count;
	struct xpf_also *also;		/* by rule, then in page order */
	size_t also_count;
	struct xpf_strings strings;	/* of the rules: they outlive the site and table */
	/* The table's strings, when xpf_ruleset_build_adopting() took them: its rows' labels,
	 * cells and file name are then the rules', not copied. */
	struct xpf_strings table_strings;
	/* The rules' prefix arrays, when xpf_ruleset_build made them (rules that name the same
	 * role share one); a rule set put together by hand has none here, and each rule's arrays
	 * are its own malloc()s. */
	struct xpf_prefix_pool prefixes;
	/* Its policy digest, when the command computed it (user/cli/policy_digest.h); "" else. */
	char digest[XPF_DIGEST_HEX_SIZE];
	/* The lists' prefixes, by a list rule's `list` - 1 (user/core/prefix_list.h): read from
	 * their files after the rule set is built (xpf_config_build), freed with it. */
	struct xpf_prefix_list *lists;
	size_t list_count;
};

/* Resolves role names (unknown → error at the row's FILE:LINE), expands local roles into
 * host addresses, sets each rule's direction. A table's role cell is a role the site defines,
 * whole, or else the parts of it that the site defines, a rule for each (xpf_role_cell_split;
 * "Any (can be defined as ...)" is Any when the site defines none of them). A table row that
 * makes a rule a row of another table made already is that rule's further origin
 * (ruleset->also), not a second rule. The table's reported rows become warnings. The site's
 * lists come first, a rule each, without their prefixes (ruleset->lists is left empty): a
 * list's destination is a local role or a literal holding local addresses, at most
 * XPF_LIST_DESTINATIONS of them or all. */
int xpf_ruleset_build(const struct xpf_site *site, const struct xpf_table *table,
		      struct xpf_ruleset *ruleset, struct xpf_error *err);
/* The same, but the rule set takes the table's strings rather than copying them (and indexing
 * them while it does: 100,000 rows, 6 MB less): on success @table keeps its rows, and their
 * strings are the rule set's from then on (free the table first). On failure the table is as
 * it was. */
int xpf_ruleset_build_adopting(const struct xpf_site *site, struct xpf_table *table,
			       struct xpf_ruleset *ruleset, struct xpf_error *err);
void xpf_ruleset_free(struct xpf_ruleset *ruleset);
/* The origins of rule @index: its own, then its further ones, up to @max of them; returns how
 * many it has. lines[] may be NULL. */
size_t xpf_rule_origins(const struct xpf_ruleset *ruleset, size_t index, uint8_t *origins,
			int *lines, size_t max);

#endif /* XPF_CONFIG_H */
