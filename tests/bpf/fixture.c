/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* The BPF tests' site programs, runs and counters: see fixture.h. */
#define _GNU_SOURCE /* program_invocation_short_name */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <arpa/inet.h>

#include <cmocka.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "core/compile.h"
#include "core/stats.h"

#include "fixture.h"
#include "kernel/generation.h"

int write_text_file(const char *path, const char *first, const char *second)
{
	FILE *file = fopen(path, "w");

	if (!file)
		return -errno;
	fputs(first, file);
	fputs(second, file);
	return fclose(file) ? -errno : 0;
}

const char *const program_path_names[PATH_COUNT] = {
	[PATH_FAST] = "fast path",
	[PATH_GENERAL] = "general path",
};

static enum program_path chosen_path = PATH_FAST;

void fixture_set_path(enum program_path path)
{
	chosen_path = path;
}

int fixture_apply_path(const struct xpf_filter *filter)
{
	return xpf_filter_set_general_only(filter, chosen_path == PATH_GENERAL);
}

int site_program_open(struct site_program *site, const char *dir, const char *name,
		      const char *text, const char *extra, const struct site_options *options)
{
	const char *me = program_invocation_short_name;
	struct xpf_image image = {};
	struct xpf_error err = {};
	int ret;

	snprintf(site->path, sizeof(site->path), "%s/%s", dir, name);
	ret = write_text_file(site->path, text, extra);
	if (ret) {
		fprintf(stderr, "%s: writing %s: %s\n", me, site->path, strerror(-ret));
		return ret;
	}
	ret = xpf_config_load(site->path, &site->config, &err);
	if (ret) {
		fprintf(stderr, "%s: %s\n", me, err.message);
		return ret;
	}
	site->config_loaded = true;
	ret = xpf_compile(&site->config.ruleset, &image, &err);
	if (ret) {
		fprintf(stderr, "%s: compiling %s: %s\n", me, site->path, err.message);
		return ret;
	}
	image.config.audit = options->audit;
	ret = xpf_filter_load_unattached(&(struct xpf_capacity){ .rule_ids = options->rule_ids },
					 &site->filter);
	if (ret) {
		fprintf(stderr,
			"%s: FAIL: cannot load the XDP program: %s. These tests need root "
			"(CAP_BPF, CAP_NET_ADMIN, CAP_PERFMON) and are never skipped.\n",
			me, strerror(-ret));
		goto out;
	}
	site->filter_loaded = true;
	if (options->before_install)
		options->before_install(&site->filter);
	ret = xpf_filter_install(&site->filter, &image, &site->config.ruleset, site->path,
				 site->config.table_name);
	ret = ret ?: fixture_apply_path(&site->filter);
	if (ret)
		fprintf(stderr, "%s: installing %s: %s\n", me, site->path, strerror(-ret));
out:
	xpf_image_free(&image);
	return ret;
}

void site_program_close(struct site_program *site)
{
	if (site->filter_loaded)
		xpf_filter_close(&site->filter);
	if (site->config_loaded)
		xpf_config_free(&site->config);
	if (site->path[0])
		unlink(site->path);
	memset(site, 0, sizeof(*site));
}

int run_frame(int prog_fd, const struct frame *f, uint32_t repeat)
{
	/* The first buffer ends at data_end, BPF_PROG_TEST_RUN puts the rest in a fragment (a
	 * kernel that does not take a data_end short of the data refuses the run: the test
	 * fails). */
	struct xdp_md ctx = { .data_end = f->first_buffer };
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = f->data, .data_size_in = f->len,
		    .ctx_in = f->first_buffer ? &ctx : NULL,
		    .ctx_size_in = f->first_buffer ? sizeof(ctx) : 0, .repeat = repeat);
	int err;

	if (f->first_buffer && f->first_buffer >= f->len)
		fail_msg("run_frame: a first buffer of %zu bytes holds the whole %zu-byte frame",
			 f->first_buffer, f->len);
	err = bpf_prog_test_run_opts(prog_fd, &opts);

	if (err)
		fail_msg("bpf_prog_test_run_opts: %s", strerror(-err));
	return opts.retval;
}

uint64_t reason_packets(const struct xpf_filter *filter, enum xpf_reason reason)
{
	struct xpf_counter sums[XPF_REASON_COUNT];

	assert_int_equal(xpf_reasons_read(filter->map_fds[XPF_MAP_REASON_STATS],
					  libbpf_num_possible_cpus(), sums), 0);
	return sums[reason].packets;
}

struct xpf_counter rule_counter(const struct xpf_filter *filter, uint32_t rule_id)
{
	int ncpus = libbpf_num_possible_cpus();
	struct xpf_counter_block blocks[ncpus];
	struct xpf_counter sum;

	assert_true(ncpus > 0);
	assert_int_equal(xpf_rule_counter_read(filter->map_fds[XPF_MAP_RULE_STATS], rule_id, ncpus,
					       blocks, &sum), 0);
	return sum;
}

void open_reply_hint(const struct xpf_filter *filter, const struct xpf_flow_key *key,
		     uint64_t last_seen_ns)
{
	uint32_t words[4], slot;
	uint64_t hint = 0;

	memcpy(words, key->remote, sizeof(words));
	slot = xpf_reply_hint_slot(words[0] ^ words[1] ^ words[2] ^ words[3], key->remote_port,
				   key->protocol);
	assert_int_equal(bpf_map_lookup_elem(filter->map_fds[XPF_MAP_REPLY_HINTS], &slot, &hint), 0);
	if (hint < last_seen_ns)
		hint = last_seen_ns;
	assert_int_equal(bpf_map_update_elem(filter->map_fds[XPF_MAP_REPLY_HINTS], &slot, &hint,
					     BPF_ANY),
			 0);
}

struct xpf_flow_key host_flow_key(uint8_t protocol, const char *local, uint16_t local_port,
				  const char *remote, uint16_t remote_port)
{
	int family = strchr(local, ':') ? AF_INET6 : AF_INET;
	struct xpf_flow_key key = {
		.family = family,
		.protocol = protocol,
		.local_port = local_port,
		.remote_port = remote_port,
	};

	assert_int_equal(inet_pton(family, local, key.local), 1);
	assert_int_equal(inet_pton(family, remote, key.remote), 1);
	return key;
}
