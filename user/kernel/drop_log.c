// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The drop log: ring buffer events → wall-clock time and the deciding row (cli/drop_view.c
 * prints them). */
#include <errno.h>
#include <string.h>
#include <time.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "kernel/drop_log.h"
#include "kernel/rule_info.h"

#define POLL_TIMEOUT_MS 250

struct follower {
	const struct xpf_filter *filter;
	xpf_drop_handler handler;
	void *ctx;
};

static uint64_t clock_ns(clockid_t clock)
{
	struct timespec now;

	clock_gettime(clock, &now);
	return now.tv_sec * 1000000000ull + now.tv_nsec;
}

/* The row behind a rule id, numbered as `xpf stats` numbers the rows of its generation. */
static void find_rule(const struct xpf_filter *filter, struct xpf_drop *drop)
{
	struct xpf_meta meta;
	uint32_t zero = 0;

	if (drop->event.reason != XPF_REASON_RULE ||
	    bpf_map_lookup_elem(filter->map_fds[XPF_MAP_META], &zero, &meta) ||
	    !meta.rule_id_span ||
	    xpf_rule_info_get(filter, meta.rule_id_span, drop->event.rule_id, &drop->rule))
		return;
	drop->has_rule = true;
	drop->rule_number = drop->event.rule_id % meta.rule_id_span + 1;
}

static int on_event(void *ctx, void *data, size_t size)
{
	const struct follower *follower = ctx;
	struct xpf_drop drop = { .filter = follower->filter };

	if (size < sizeof(drop.event))
		return 0;
	memcpy(&drop.event, data, sizeof(drop.event));
	/* The event's clock is CLOCK_MONOTONIC: shifted to the wall clock as it reads now. */
	drop.realtime_ns = drop.event.time_ns + clock_ns(CLOCK_REALTIME) - clock_ns(CLOCK_MONOTONIC);
	find_rule(follower->filter, &drop);
	follower->handler(&drop, follower->ctx);
	return 0;
}

int xpf_drop_log_follow(const struct xpf_filter *filters, int count, volatile sig_atomic_t *stop,
			xpf_drop_handler handler, void *ctx)
{
	struct follower followers[XPF_MAX_FOLLOWED];
	struct ring_buffer *ring = NULL;
	int err = 0;

	if (count < 1 || count > XPF_MAX_FOLLOWED)
		return -EINVAL;
	for (int i = 0; i < count && !err; i++) {
		int fd = filters[i].map_fds[XPF_MAP_DROP_LOG];

		followers[i] = (struct follower){ &filters[i], handler, ctx };
		if (!ring) {
			ring = ring_buffer__new(fd, on_event, &followers[i], NULL);
			err = ring ? 0 : -errno;
		} else {
			err = ring_buffer__add(ring, fd, on_event, &followers[i]);
		}
	}
	while (!err && !*stop) {
		err = ring_buffer__poll(ring, POLL_TIMEOUT_MS);
		if (err == -EINTR)
			err = 0;
		err = err < 0 ? err : 0;
	}
	ring_buffer__free(ring);
	return err;
}
