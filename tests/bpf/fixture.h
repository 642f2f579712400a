/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * What the BPF tests share around the real XDP program (tests/bpf/fixture.c): a site file
 * written, loaded, compiled and installed into a program of its own, loaded unattached; frames
 * run through it with BPF_PROG_TEST_RUN; its counters and flows read. Needs root. The
 * functions that a test calls fail the running cmocka test on an error; site_program_open(),
 * called by group setups, returns it.
 */
#ifndef XPF_TESTS_FIXTURE_H
#define XPF_TESTS_FIXTURE_H

#include <stdbool.h>
#include <stdint.h>

/* glibc's <net/if.h> (through filter.h) before the UAPI headers of packets.h. */
#include "core/config_load.h"
#include "kernel/counters.h"
#include "kernel/filter.h"
#include "kernel/install.h"

#include "packets.h"

struct site_program {
	char path[128];
	struct xpf_loaded_config config;
	bool config_loaded;
	struct xpf_filter filter;
	bool filter_loaded;
};

struct site_options {
	uint32_t rule_ids;	/* room for rule ids, both generations */
	bool audit;		/* as `xpf load --audit`: drops pass, counted as would-drop */
	/* Called after the program's load, before the install: the layout flags of filter.h. */
	void (*before_install)(struct xpf_filter *filter);
};

/* The two paths of the XDP program (bpf/fast_path.h): every suite that runs verdicts runs them
 * through each, so that the two can never disagree. */
enum program_path {
	PATH_FAST,		/* as xpf runs it: the fast path where a frame takes it */
	PATH_GENERAL,		/* in_force.general_only: every frame through the general path */
	PATH_COUNT,
};
extern const char *const program_path_names[PATH_COUNT];

/* The path of the programs site_program_open() opens from here on. */
void fixture_set_path(enum program_path path);
/* Puts @filter's program on the path chosen (in_force.general_only): 0 or a negative errno. */
int fixture_apply_path(const struct xpf_filter *filter);

/* Writes @text then @extra to @dir/@name, loads and compiles it, loads the program and
 * installs the rule set in it. 0, or a negative errno with what failed said on stderr; the
 * message says that these tests need root when the program cannot be loaded. */
int site_program_open(struct site_program *site, const char *dir, const char *name,
		      const char *text, const char *extra, const struct site_options *options);
/* Undoes what site_program_open() did, however far it went (the file too); then all zero. */
void site_program_close(struct site_program *site);

/* @first then @second into @path: 0 or a negative errno. */
int write_text_file(const char *path, const char *first, const char *second);

/* Runs @f @repeat times through program @prog_fd: its return value (the XDP action). */
int run_frame(int prog_fd, const struct frame *f, uint32_t repeat);

/* Summed over every CPU. */
uint64_t reason_packets(const struct xpf_filter *filter, enum xpf_reason reason);
struct xpf_counter rule_counter(const struct xpf_filter *filter, uint32_t rule_id);

/* The flows map's key of a flow the host opened, from the host's side, as the egress program
 * (bpf/egress.bpf.c) writes it. */
/* The reply hint the egress program writes beside a flow it writes (maps.h, reply_hints):
 * raised to @last_seen_ns for @key's remote side. */
void open_reply_hint(const struct xpf_filter *filter, const struct xpf_flow_key *key,
		     uint64_t last_seen_ns);

struct xpf_flow_key host_flow_key(uint8_t protocol, const char *local, uint16_t local_port,
				  const char *remote, uint16_t remote_port);

#endif /* XPF_TESTS_FIXTURE_H */
