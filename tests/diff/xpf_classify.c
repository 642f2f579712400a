// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * xpf's side of the differential test: loads the XDP program (unattached) with the rule set
 * compiled from SITE, runs every frame of FRAMES through BPF_PROG_TEST_RUN in file order (so a
 * datagram's first fragment is seen before the later ones, as on the wire) and prints one line
 * per frame: "pass REASON" or "drop REASON", REASON being the reason counter that moved.
 *
 *	xpf_classify SITE FRAMES > VERDICTS
 *
 * FRAMES is a sequence of records, each a 4-byte little-endian length then that many bytes of
 * Ethernet frame (tests/diff/gen_packets.py writes it). Needs root; never skips.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>

#include "core/compile.h"
#include "core/config_load.h"
#include "core/names.h"
#include "kernel/counters.h"
#include "kernel/filter.h"
#include "kernel/install.h"

#define RULE_CAPACITY 8192
#define FRAME_MAX     9216

struct reason_sums {
	uint64_t packets[XPF_REASON_COUNT];
};

static int read_reasons(int fd, int ncpus, struct reason_sums *sums)
{
	struct xpf_counter counters[XPF_REASON_COUNT];
	int err = xpf_reasons_read(fd, ncpus, counters);

	for (uint32_t reason = 0; reason < XPF_REASON_COUNT && !err; reason++)
		sums->packets[reason] = counters[reason].packets;
	return err;
}

/* The one reason whose counter moved by one packet; -1 if not exactly one did. */
static int moved_reason(const struct reason_sums *before, const struct reason_sums *after)
{
	int found = -1;

	for (int reason = 0; reason < XPF_REASON_COUNT; reason++) {
		uint64_t delta = after->packets[reason] - before->packets[reason];

		if (delta == 0)
			continue;
		if (delta != 1 || found >= 0)
			return -1;
		found = reason;
	}
	return found;
}

/* Reads one record; 1 when one was read, 0 at the end, -EINVAL on a broken file. */
static int read_frame(FILE *in, uint8_t *frame, uint32_t *len)
{
	uint8_t prefix[4];
	size_t got = fread(prefix, 1, sizeof(prefix), in);

	if (got == 0 && feof(in))
		return 0;
	if (got != sizeof(prefix))
		return -EINVAL;
	*len = prefix[0] | prefix[1] << 8 | prefix[2] << 16 | (uint32_t)prefix[3] << 24;
	if (*len > FRAME_MAX || fread(frame, 1, *len, in) != *len)
		return -EINVAL;
	return 1;
}

static int classify_all(const struct xpf_filter *filter, FILE *in, const char *frames_path)
{
	int ncpus = libbpf_num_possible_cpus(), reason_fd, ret;
	struct reason_sums before, after;
	static uint8_t frame[FRAME_MAX];
	unsigned long count = 0;
	uint32_t len;

	if (ncpus < 0) {
		fprintf(stderr, "xpf_classify: possible CPUs: %s\n", strerror(-ncpus));
		return ncpus;
	}
	reason_fd = filter->map_fds[XPF_MAP_REASON_STATS];
	ret = read_reasons(reason_fd, ncpus, &before);
	while (ret == 0 && (ret = read_frame(in, frame, &len)) == 1) {
		LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = frame, .data_size_in = len,
			    .repeat = 1);
		int reason;

		ret = bpf_prog_test_run_opts(filter->prog_fd, &opts);
		if (ret) {
			fprintf(stderr, "xpf_classify: test run of frame %lu (%u bytes): %s\n",
				count, len, strerror(-ret));
			return ret;
		}
		ret = read_reasons(reason_fd, ncpus, &after);
		if (ret)
			break;
		reason = moved_reason(&before, &after);
		if (reason < 0 || (opts.retval != XDP_PASS && opts.retval != XDP_DROP)) {
			fprintf(stderr, "xpf_classify: frame %lu: action %u, no single reason\n",
				count, opts.retval);
			return -EPROTO;
		}
		printf("%s %s\n", opts.retval == XDP_PASS ? "pass" : "drop",
		       xpf_reason_name(reason));
		before = after;
		count++;
	}
	if (ret < 0) {
		fprintf(stderr, "xpf_classify: %s: record %lu: %s\n", frames_path, count,
			strerror(-ret));
		return ret;
	}
	fprintf(stderr, "xpf_classify: %lu frames\n", count);
	return 0;
}

int main(int argc, char **argv)
{
	struct xpf_loaded_config config;
	struct xpf_filter filter = {};
	struct xpf_image image = {};
	struct xpf_error err = {};
	bool filter_loaded = false;
	FILE *in = NULL;
	int ret;

	if (argc != 3) {
		fprintf(stderr, "usage: xpf_classify SITE FRAMES > VERDICTS\n");
		return 2;
	}
	if (xpf_config_load(argv[1], &config, &err)) {
		fprintf(stderr, "%s\n", err.message);
		return 1;
	}
	ret = xpf_compile(&config.ruleset, &image, &err);
	if (ret) {
		fprintf(stderr, "%s\n", err.message);
		goto cleanup;
	}
	ret = xpf_filter_load_unattached(&(struct xpf_capacity){ .rule_ids = RULE_CAPACITY }, &filter);
	if (ret) {
		fprintf(stderr, "xpf_classify: cannot load the XDP program: %s (needs root)\n",
			strerror(-ret));
		goto cleanup;
	}
	filter_loaded = true;
	ret = xpf_filter_install(&filter, &image, &config.ruleset, argv[1], config.table_name);
	if (ret) {
		fprintf(stderr, "xpf_classify: installing %s: %s\n", argv[1], strerror(-ret));
		goto cleanup;
	}
	in = fopen(argv[2], "rb");
	if (!in) {
		ret = -errno;
		fprintf(stderr, "xpf_classify: %s: %s\n", argv[2], strerror(errno));
		goto cleanup;
	}
	ret = classify_all(&filter, in, argv[2]);
	if (fflush(stdout))
		ret = -errno;
cleanup:
	if (in)
		fclose(in);
	if (filter_loaded)
		xpf_filter_close(&filter);
	xpf_image_free(&image);
	xpf_config_free(&config);
	return ret ? 1 : 0;
}
