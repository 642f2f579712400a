/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * What the verifier does for each program of BPF objects: loads every program of each object
 * given (its maps as the object declares them) with the verifier's statistics
 * (BPF_LOG_STATS) and reports the instructions it processed and its states. veristat is not
 * in Debian 12; this reads the same totals from the verifier's log through libbpf.
 *
 * usage: verifier_insns LABEL=OBJECT...
 * stdout: CSV "build,object,program,processed_insns,total_states,peak_states,verify_us".
 * Exit status 1 when an object fails to load: the build it came from is not loadable.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/libbpf.h>

#define LOG_SIZE (1u << 20)
#define MAX_PROGRAMS 8

static char logs[MAX_PROGRAMS][LOG_SIZE];

/* The number after @key in @log, or -1. */
static long log_number(const char *log, const char *key)
{
	const char *at = strstr(log, key);

	return at ? strtol(at + strlen(key), NULL, 10) : -1;
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

static int report(const char *label, const char *path)
{
	struct bpf_object *obj = bpf_object__open_file(path, NULL);
	struct bpf_program *prog;
	int n = 0, err;

	if (!obj) {
		fprintf(stderr, "verifier_insns: %s: %s\n", path, strerror(errno));
		return -1;
	}
	bpf_object__for_each_program(prog, obj) {
		if (n == MAX_PROGRAMS)
			break;
		logs[n][0] = '\0';
		bpf_program__set_log_level(prog, 4);	/* BPF_LOG_STATS */
		bpf_program__set_log_buf(prog, logs[n], LOG_SIZE);
		n++;
	}
	err = bpf_object__load(obj);
	if (err) {
		fprintf(stderr, "verifier_insns: %s (%s): the verifier refuses it: %s\n", path,
			label, strerror(-err));
		bpf_object__close(obj);
		return -1;
	}
	n = 0;
	bpf_object__for_each_program(prog, obj) {
		if (n == MAX_PROGRAMS)
			break;
		printf("%s,%s,%s,%ld,%ld,%ld,%ld\n", label, base_name(path),
		       bpf_program__name(prog), log_number(logs[n], "processed "),
		       log_number(logs[n], "total_states "), log_number(logs[n], "peak_states "),
		       log_number(logs[n], "verification time "));
		n++;
	}
	bpf_object__close(obj);
	return 0;
}

int main(int argc, char **argv)
{
	int status = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s LABEL=OBJECT...\n", argv[0]);
		return 2;
	}
	libbpf_set_print(NULL);
	printf("build,object,program,processed_insns,total_states,peak_states,verify_us\n");
	for (int i = 1; i < argc; i++) {
		char *eq = strchr(argv[i], '=');

		if (!eq) {
			fprintf(stderr, "verifier_insns: %s: not LABEL=OBJECT\n", argv[i]);
			return 2;
		}
		*eq = '\0';
		if (report(argv[i], eq + 1))
			status = 1;
	}
	return status;
}
