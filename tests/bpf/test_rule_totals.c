/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* BPF maps, root: xpf_rule_totals_read() (user/kernel/counters.c), the reader behind
 * `xpf stats` and the reload's carry, hands on every rule of a range once, in order, its carried
 * count plus its counters on every CPU, across batches, partial blocks and a short last batch. */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "core/stats.h"
#include "kernel/counters.h"
#include "kernel/filter.h"

#define BLOCKS 1024	/* 16,384 rules: several batches at any CPU count */
#define RULES (BLOCKS * XPF_COUNTER_BLOCK)

struct fixture {
	struct xpf_filter filter;
	int ncpus;
};

/* What rule @id counts on CPU @cpu, and what earlier generations carried for it: distinct for
 * every rule and CPU, so that a counter read from the wrong place shows. */
static struct xpf_counter counted(uint32_t id, int cpu)
{
	return (struct xpf_counter){ .packets = id * 10ull + cpu + 1, .bytes = id * 1000ull + cpu,
				     .last_seen_ns = id + cpu * 7ull, .would_drop = cpu };
}

static struct xpf_counter carried(uint32_t id)
{
	return (struct xpf_counter){ .packets = id + 5, .bytes = 3ull * id,
				     .last_seen_ns = 2ull * id, .would_drop = id % 3 };
}

static struct xpf_counter total(uint32_t id, int ncpus)
{
	struct xpf_counter sum = carried(id);

	for (int cpu = 0; cpu < ncpus; cpu++) {
		struct xpf_counter c = counted(id, cpu);

		xpf_counter_add(&sum, &c);
	}
	return sum;
}

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	struct xpf_counter_block *per_cpu;
	struct xpf_counter *carry;
	int stats_fd, carried_fd;

	assert_non_null(fx);
	fx->ncpus = libbpf_num_possible_cpus();
	assert_true(fx->ncpus > 0);
	stats_fd = bpf_map_create(BPF_MAP_TYPE_PERCPU_ARRAY, "xpf_test_stats", 4,
				  sizeof(struct xpf_counter_block), BLOCKS, NULL);
	carried_fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "xpf_test_carry", 4,
				    sizeof(struct xpf_counter), RULES, NULL);
	if (stats_fd < 0 || carried_fd < 0)
		fail_msg("bpf_map_create: %s (root needed)", strerror(errno));
	per_cpu = calloc(fx->ncpus, sizeof(*per_cpu));
	carry = calloc(RULES, sizeof(*carry));
	assert_non_null(per_cpu);
	assert_non_null(carry);
	for (uint32_t block = 0; block < BLOCKS; block++) {
		for (int cpu = 0; cpu < fx->ncpus; cpu++)
			for (uint32_t i = 0; i < XPF_COUNTER_BLOCK; i++)
				per_cpu[cpu].counters[i] =
					counted(block * XPF_COUNTER_BLOCK + i, cpu);
		assert_int_equal(bpf_map_update_elem(stats_fd, &block, per_cpu, 0), 0);
	}
	for (uint32_t id = 0; id < RULES; id++)
		carry[id] = carried(id);
	for (uint32_t id = 0; id < RULES; id++)
		assert_int_equal(bpf_map_update_elem(carried_fd, &id, &carry[id], 0), 0);
	free(per_cpu);
	free(carry);
	for (int m = 0; m < XPF_MAP_COUNT; m++)
		fx->filter.map_fds[m] = -1;
	fx->filter.map_fds[XPF_MAP_RULE_STATS] = stats_fd;
	fx->filter.map_fds[XPF_MAP_RULE_CARRIED] = carried_fd;
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	close(fx->filter.map_fds[XPF_MAP_RULE_STATS]);
	close(fx->filter.map_fds[XPF_MAP_RULE_CARRIED]);
	free(fx);
	return 0;
}

/* What the callback saw: the batches' totals in one array, and how they came. */
struct taken {
	struct xpf_counter *totals;
	uint32_t first_id, next, calls, largest, cancel_at;
};

static int take(uint32_t first, const struct xpf_counter *totals, uint32_t count, void *ctx)
{
	struct taken *t = ctx;

	/* In order, each rule once, never an empty batch. */
	assert_int_equal(first, t->next);
	assert_true(count > 0);
	memcpy(&t->totals[first - t->first_id], totals, count * sizeof(*totals));
	t->next = first + count;
	t->largest = count > t->largest ? count : t->largest;
	return ++t->calls == t->cancel_at ? -ECANCELED : 0;
}

static void read_range(struct fixture *fx, uint32_t first_id, uint32_t count)
{
	struct taken t = { .totals = calloc(count ?: 1, sizeof(struct xpf_counter)),
			   .first_id = first_id, .next = first_id };

	assert_non_null(t.totals);
	assert_int_equal(xpf_rule_totals_read(&fx->filter, first_id, count, fx->ncpus, take, &t),
			 0);
	assert_int_equal(t.next, first_id + count);
	/* More than one batch where the range is larger than one, and none larger than 256 KiB
	 * of per-CPU blocks. */
	assert_true(t.largest <= 512u / (unsigned)fx->ncpus * XPF_COUNTER_BLOCK ||
		    t.largest == XPF_COUNTER_BLOCK);
	if (count > t.largest)
		assert_true(t.calls > 1);
	for (uint32_t i = 0; i < count; i++) {
		struct xpf_counter want = total(first_id + i, fx->ncpus);

		if (memcmp(&t.totals[i], &want, sizeof(want)))
			fail_msg("rule %u: %llu packets %llu bytes, want %llu and %llu",
				 first_id + i, (unsigned long long)t.totals[i].packets,
				 (unsigned long long)t.totals[i].bytes,
				 (unsigned long long)want.packets, (unsigned long long)want.bytes);
	}
	free(t.totals);
}

static void every_rule_once_with_all_it_counted(void **state)
{
	struct fixture *fx = *state;

	read_range(fx, 0, RULES);			/* whole batches */
	read_range(fx, 0, RULES - 5);			/* a short last batch, a partial block */
	read_range(fx, 300 * XPF_COUNTER_BLOCK, 9999);	/* a generation's range past 0 */
	read_range(fx, 16, 3);				/* less than a block */
	read_range(fx, 32, 0);				/* nothing: no call */
}

static void the_callers_error_stops_the_read(void **state)
{
	struct fixture *fx = *state;
	struct taken t = { .totals = calloc(RULES, sizeof(struct xpf_counter)), .cancel_at = 2 };

	assert_non_null(t.totals);
	assert_int_equal(xpf_rule_totals_read(&fx->filter, 0, RULES, fx->ncpus, take, &t),
			 -ECANCELED);
	assert_int_equal(t.calls, 2);
	free(t.totals);
}

static void a_range_past_the_maps_is_an_error(void **state)
{
	struct fixture *fx = *state;
	struct taken t = { .totals = calloc(RULES, sizeof(struct xpf_counter)),
			   .first_id = RULES - 16, .next = RULES - 16 };

	assert_non_null(t.totals);
	assert_int_not_equal(xpf_rule_totals_read(&fx->filter, RULES - 16, 32, fx->ncpus, take,
						  &t), 0);
	assert_int_equal(t.calls, 0);
	assert_int_equal(xpf_rule_totals_read(&fx->filter, 0, 16, 0, take, &t), -EINVAL);
	free(t.totals);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_rule_once_with_all_it_counted),
		cmocka_unit_test(the_callers_error_stops_the_read),
		cmocka_unit_test(a_range_past_the_maps_is_an_error),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
