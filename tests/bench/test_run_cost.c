/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Per-packet cost through BPF_PROG_TEST_RUN (scripts/bench, part 1).
 *
 * Contenders: the empty XDP_DROP program (the floor), the least port filter
 * (least_filter.bpf.c), xpf loaded here, unattached, with each site file given (NAME=SITE),
 * and programs already loaded, by id (NAME=id:ID): what scripts/bench attached to an
 * interface, so that the program actually attached runs (xpf alone, libxdp's dispatcher with
 * xpf behind it, xdp-filter). The frames are tests/bench/bench_frames.c's; the egress program of
 * the first site runs against an empty tc program returning TC_ACT_OK. Every round runs every
 * contender on every packet, the contenders in a rotated order each round, so that a noisy
 * neighbour slows them all alike; the result is the median over rounds of the kernel's own
 * ns/packet (which leaves out the time the test run was preempted; it is whole nanoseconds).
 *
 * A test run with repeat runs one frame again and again: the egress "syn" packet writes its
 * flow on every repeat (as a new flow would), "established" reads it and writes it at most once
 * a second (XPF_FLOW_REFRESH_NS), as a busy flow does. A new flow on every packet cannot be
 * measured this way.
 *
 * usage: test_run_cost [-r REPEAT] [-n ROUNDS] [-b BPF_OBJ_DIR] [-o RAW_CSV] [-p PACKET]
 *                      NAME=SITE|NAME=id:ID...
 * -p runs that packet only: what `perf record` of a profile wants.
 * stdout: CSV "kind,contender,packet,rules,median_ns,min_ns,max_ns,verdict": verdict, the XDP
 * program's return code for the frame (run once after its prime); rules 0 for a program by id.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "core/config_load.h"
#include "kernel/egress.h"
#include "kernel/filter.h"
#include "kernel/install.h"

#include "bench_frames.h"
/* After the headers that define the types of its global data (xpf/maps.h). */
#include "egress.skel.h"

#define MAX_CONTENDERS 16
#define MAX_ROUNDS 64

struct contender {
	char name[32];
	int prog_fd;		/* XDP program */
	int egress_fd;		/* tc program, -1 if none */
	size_t rules;
	struct xpf_filter filter;
	struct egress_bpf *egress;
	bool is_xpf;
	int verdicts[BENCH_FRAMES_MAX]; /* each XDP frame's return code */
};

static struct bench_frame packets[BENCH_FRAMES_MAX];
static int packet_count;
static struct contender contenders[MAX_CONTENDERS];
static int contender_count;

static int run(int fd, const struct frame *f, int repeat, uint32_t *duration, double *wall_ns,
	       uint32_t *retval)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = f->data, .data_size_in = f->len,
		    .repeat = repeat);
	struct timespec a, b;
	int err;

	clock_gettime(CLOCK_MONOTONIC, &a);
	err = bpf_prog_test_run_opts(fd, &opts);
	clock_gettime(CLOCK_MONOTONIC, &b);
	if (err)
		return -errno;
	if (duration)
		*duration = opts.duration;
	if (wall_ns)
		*wall_ns = ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / repeat;
	if (retval)
		*retval = opts.retval;
	return 0;
}

static int load_floor(const char *dir, struct bpf_object **obj)
{
	char path[512];
	struct contender *c = &contenders[contender_count++];
	int err;

	snprintf(path, sizeof(path), "%s/floor.bpf.o", dir);
	*obj = bpf_object__open_file(path, NULL);
	if (!*obj)
		return -errno;
	err = bpf_object__load(*obj);
	if (err) {
		fprintf(stderr, "loading %s: %s\n", path, strerror(-err));
		return err;
	}
	snprintf(c->name, sizeof(c->name), "floor");
	c->prog_fd = bpf_program__fd(bpf_object__find_program_by_name(*obj, "xdp_drop"));
	c->egress_fd = bpf_program__fd(bpf_object__find_program_by_name(*obj, "tc_ok"));
	return 0;
}

/* The least port filter (least_filter.bpf.c): what a filter hand-compiled for the Director
 * table, with its counters, costs. XDP only. */
static int load_least_filter(const char *dir, struct bpf_object **obj)
{
	char path[512];
	struct contender *c = &contenders[contender_count];
	int err;

	snprintf(path, sizeof(path), "%s/least_filter.bpf.o", dir);
	*obj = bpf_object__open_file(path, NULL);
	if (!*obj)
		return -errno;
	err = bpf_object__load(*obj);
	if (err) {
		fprintf(stderr, "loading %s: %s\n", path, strerror(-err));
		return err;
	}
	snprintf(c->name, sizeof(c->name), "least_filter");
	c->prog_fd = bpf_program__fd(bpf_object__find_program_by_name(*obj, "xdp_least_filter"));
	c->egress_fd = -1;
	contender_count++;
	return 0;
}

static int load_xpf(const char *name, const char *site, bool with_egress)
{
	struct contender *c = &contenders[contender_count];
	struct xpf_loaded_config config;
	struct xpf_image image = {};
	struct xpf_capacity capacity;
	struct xpf_error err = {};
	int ret;

	if (xpf_config_load(site, &config, &err))
		goto bad_input;
	if (xpf_compile(&config.ruleset, &image, &err)) {
		xpf_config_free(&config);
		goto bad_input;
	}
	/* Sized as `xpf load` sizes them. */
	xpf_capacity_of(&image, &config.ruleset, &capacity);
	ret = xpf_filter_load_unattached(&capacity, &c->filter);
	ret = ret ?: xpf_filter_install(&c->filter, &image, &config.ruleset, site, "");
	if (!ret && with_egress)
		ret = xpf_egress_load(c->filter.map_fds, &c->egress);
	snprintf(c->name, sizeof(c->name), "%s", name);
	c->rules = config.ruleset.count;
	c->prog_fd = c->filter.prog_fd;
	c->egress_fd = c->egress ? bpf_program__fd(c->egress->progs.xpf_egress) : -1;
	c->is_xpf = true;
	xpf_image_free(&image);
	xpf_config_free(&config);
	if (ret) {
		fprintf(stderr, "%s: loading xpf failed: %s (root needed)\n", site, strerror(-ret));
		return ret;
	}
	contender_count++;
	return 0;
bad_input:
	fprintf(stderr, "%s\n", err.message);
	return -EINVAL;
}

/* A program already loaded, by id: what is attached to an interface (xpf alone, libxdp's
 * dispatcher with xpf behind it, xdp-filter), test-run as it runs there. XDP only. */
static int load_attached(const char *name, const char *id_text)
{
	struct contender *c = &contenders[contender_count];
	char *end;
	unsigned long id = strtoul(id_text, &end, 10);

	if (!*id_text || *end || !id) {
		fprintf(stderr, "%s=id:%s: not a program id\n", name, id_text);
		return -EINVAL;
	}
	c->prog_fd = bpf_prog_get_fd_by_id(id);
	if (c->prog_fd < 0) {
		int err = -errno;

		fprintf(stderr, "%s: program id %lu: %s\n", name, id, strerror(-err));
		return err;
	}
	snprintf(c->name, sizeof(c->name), "%s", name);
	c->egress_fd = -1;
	contender_count++;
	return 0;
}

static const char *xdp_action(uint32_t action)
{
	static const char *const names[] = {"XDP_ABORTED", "XDP_DROP", "XDP_PASS", "XDP_TX",
					    "XDP_REDIRECT"};

	return action < sizeof(names) / sizeof(names[0]) ? names[action] : "unknown";
}

static int compare_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static double median(uint32_t *values, int n)
{
	qsort(values, n, sizeof(*values), compare_u32);
	return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2.0;
}

int main(int argc, char **argv)
{
	static uint32_t results[MAX_CONTENDERS][BENCH_FRAMES_MAX][MAX_ROUNDS];
	const char *bpf_dir = "build/tests/bench", *raw_path = NULL, *only = NULL;
	int repeat = 1000000, rounds = 5, opt, ret = 1, egress_loaded = 0;
	struct bpf_object *floor_obj = NULL, *least_obj = NULL;
	FILE *raw = NULL;

	while ((opt = getopt(argc, argv, "r:n:b:o:p:")) != -1) {
		switch (opt) {
		case 'r': repeat = atoi(optarg); break;
		case 'n': rounds = atoi(optarg); break;
		case 'b': bpf_dir = optarg; break;
		case 'o': raw_path = optarg; break;
		case 'p': only = optarg; break;
		default: goto usage;
		}
	}
	if (optind >= argc || repeat < 1 || rounds < 1 || rounds > MAX_ROUNDS ||
	    argc - optind > MAX_CONTENDERS - 2)
		goto usage;
	libbpf_set_print(NULL);
	packet_count = bench_frames_build(packets, NULL);
	if (load_floor(bpf_dir, &floor_obj) || load_least_filter(bpf_dir, &least_obj))
		goto out;
	for (int i = optind; i < argc; i++) {
		char name[32], *eq = strchr(argv[i], '=');

		if (!eq || eq - argv[i] >= (int)sizeof(name))
			goto usage;
		snprintf(name, sizeof(name), "%.*s", (int)(eq - argv[i]), argv[i]);
		if (!strncmp(eq + 1, "id:", 3) ? load_attached(name, eq + 4)
					       : load_xpf(name, eq + 1, !egress_loaded++))
			goto out;
	}
	if (raw_path && !(raw = fopen(raw_path, "w"))) {
		perror(raw_path);
		goto out;
	}
	if (raw)
		fprintf(raw, "round,contender,packet,kernel_ns,wall_ns\n");

	for (int c = 0; c < contender_count; c++)
		for (int p = 0; p < packet_count; p++) {
			int fd = packets[p].hook == BENCH_XDP ? contenders[c].prog_fd
							      : contenders[c].egress_fd;
			uint32_t verdict = 0;

			if (fd < 0)
				continue;
			if (packets[p].prime.len)
				run(fd, &packets[p].prime, 1, NULL, NULL, NULL);
			/* Egress: SYN, then first ACK; XDP: the frame's verdict. */
			if (packets[p].prime.len || packets[p].hook == BENCH_XDP)
				run(fd, &packets[p].frame, 1, NULL, NULL, &verdict);
			contenders[c].verdicts[p] = verdict;
		}

	for (int r = 0; r < rounds; r++) {
		for (int k = 0; k < contender_count; k++) {
			int c = (k + r) % contender_count;

			for (int p = 0; p < packet_count; p++) {
				int fd = packets[p].hook == BENCH_XDP ? contenders[c].prog_fd
								      : contenders[c].egress_fd;
				uint32_t ns;
				double wall;
				int err;

				if (fd < 0 || (only && strcmp(only, packets[p].name)))
					continue;
				err = run(fd, &packets[p].frame, repeat, &ns, &wall, NULL);
				if (err) {
					fprintf(stderr, "test run %s/%s: %s\n", contenders[c].name,
						packets[p].name, strerror(-err));
					goto out;
				}
				results[c][p][r] = ns;
				if (raw)
					fprintf(raw, "%d,%s,%s,%u,%.2f\n", r, contenders[c].name,
						packets[p].name, ns, wall);
			}
		}
	}

	printf("kind,contender,packet,rules,median_ns,min_ns,max_ns,verdict\n");
	for (int c = 0; c < contender_count; c++)
		for (int p = 0; p < packet_count; p++) {
			bool egress = packets[p].hook == BENCH_EGRESS;
			int fd = egress ? contenders[c].egress_fd : contenders[c].prog_fd;
			double m;

			if (fd < 0 || (only && strcmp(only, packets[p].name)))
				continue;
			m = median(results[c][p], rounds);
			printf("%s,%s,%s,%zu,%.1f,%u,%u,%s\n", egress ? "egress" : "xdp",
			       contenders[c].name, packets[p].name, contenders[c].rules, m,
			       results[c][p][0], results[c][p][rounds - 1],
			       egress ? "" : xdp_action(contenders[c].verdicts[p]));
		}
	ret = 0;
out:
	if (raw)
		fclose(raw);
	for (int c = 0; c < contender_count; c++) {
		if (!contenders[c].is_xpf)
			continue;
		egress_bpf__destroy(contenders[c].egress);
		xpf_filter_close(&contenders[c].filter);
	}
	bpf_object__close(floor_obj);
	bpf_object__close(least_obj);
	return ret;
usage:
	fprintf(stderr, "usage: %s [-r REPEAT] [-n ROUNDS] [-b BPF_OBJ_DIR] [-o RAW_CSV] "
			"[-p PACKET] NAME=SITE|NAME=id:ID...\n", argv[0]);
	return 2;
}
