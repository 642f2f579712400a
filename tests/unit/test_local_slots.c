/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Unit tests: the local-address slot table (user/core/local_slots.c): every address in a slot of
 * its own, found again through the same hash the XDP program computes, nothing else there;
 * no table when none can be found. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "core/local_slots.h"

static struct xpf_local_slot slots[XPF_LOCAL_SLOTS];

static struct xpf_image_local local_of(const char *text, uint32_t dest_class,
				       uint32_t reply_class)
{
	struct xpf_image_local local = { 0 };

	local.key.family = strchr(text, ':') ? AF_INET6 : AF_INET;
	assert_int_equal(inet_pton(local.key.family, text, local.key.addr), 1);
	local.value.dest_class = dest_class;
	local.value.reply_class = reply_class;
	return local;
}

/* What the XDP program does: the address's slot, then the address compared. */
static const struct xpf_local_slot *find(const struct xpf_config *config, uint8_t family,
					 const uint8_t *addr)
{
	const struct xpf_local_slot *slot = &slots[xpf_local_slot_of(config, family, addr)];

	if (slot->family != family || memcmp(slot->addr, addr, family == AF_INET ? 4 : 16))
		return NULL;
	return slot;
}

static void every_address_found_with_its_classes(struct xpf_image_local *locals, size_t count,
						 struct xpf_config *config)
{
	size_t used = 0;

	assert_true(xpf_local_slots_build(locals, count, config, slots));
	assert_true(config->local_slot_shift >= 32 - XPF_LOCAL_SLOT_BITS);
	assert_true(config->local_slot_shift < 32);
	for (size_t i = 0; i < count; i++) {
		const struct xpf_local_slot *slot = find(config, locals[i].key.family,
							 locals[i].key.addr);

		assert_non_null(slot);
		assert_int_equal(slot->value.dest_class, locals[i].value.dest_class);
		assert_int_equal(slot->value.reply_class, locals[i].value.reply_class);
	}
	for (size_t s = 0; s < XPF_LOCAL_SLOTS; s++)
		used += slots[s].family != 0;
	assert_int_equal(used, count);	/* nothing else in the table */
}

static void director_addresses(void **state)
{
	struct xpf_image_local locals[] = {
		local_of("192.0.2.101", 1, 3),
		local_of("192.0.2.100", 2, 0),
		local_of("2001:db8:1::101", 4, 5),
		local_of("2001:db8:1::100", 6, 0),
	};
	struct xpf_config config = { 0 };
	uint8_t other[16] = { 0 };

	(void)state;
	every_address_found_with_its_classes(locals, 4, &config);
	/* Addresses that are not the host's: not found, whatever slot they hash to. */
	assert_int_equal(inet_pton(AF_INET, "192.0.2.102", other), 1);
	assert_null(find(&config, AF_INET, other));
	assert_int_equal(inet_pton(AF_INET, "192.0.2.200", other), 1);
	assert_null(find(&config, AF_INET, other));
	/* The IPv4 bytes as an IPv6 address, and an IPv6 address differing in its last word. */
	memcpy(other, locals[0].key.addr, 16);
	assert_null(find(&config, AF_INET6, other));
	assert_int_equal(inet_pton(AF_INET6, "2001:db8:1::102", other), 1);
	assert_null(find(&config, AF_INET6, other));
	assert_int_equal(inet_pton(AF_INET6, "2001:db8:2::101", other), 1);
	assert_null(find(&config, AF_INET6, other));
}

/* A host with no address of a local role: an empty table, every lookup a miss. */
static void no_addresses(void **state)
{
	struct xpf_config config = { 0 };
	uint8_t addr[16] = { 192, 0, 2, 1 };

	(void)state;
	assert_true(xpf_local_slots_build(NULL, 0, &config, slots));
	assert_null(find(&config, AF_INET, addr));
}

/* Addresses that differ only in one byte of one word, or in several words, both families:
 * a hundred of each still get a table. */
static void hundreds_of_addresses(void **state)
{
	struct xpf_image_local *locals = calloc(200, sizeof(*locals));
	struct xpf_config config = { 0 };
	char text[64];

	(void)state;
	assert_non_null(locals);
	for (int i = 0; i < 100; i++) {
		snprintf(text, sizeof(text), "198.18.%d.%d", i / 10, i % 10 + 1);
		locals[i] = local_of(text, (uint32_t)i + 1, 0);
		snprintf(text, sizeof(text), "2001:db8:%x::%x", i % 7, i);
		locals[100 + i] = local_of(text, (uint32_t)i + 101, (uint32_t)i);
	}
	every_address_found_with_its_classes(locals, 200, &config);
	free(locals);
}

/* More addresses than a quarter of the slots: no table, shift 0 (the program then uses the
 * local_addrs hash). */
static void too_many_addresses(void **state)
{
	size_t count = XPF_LOCAL_SLOTS / 4 + 1;
	struct xpf_image_local *locals = calloc(count, sizeof(*locals));
	struct xpf_config config = { .local_slot_shift = 20 };

	(void)state;
	assert_non_null(locals);
	for (size_t i = 0; i < count; i++) {
		locals[i].key.family = AF_INET;
		locals[i].key.addr[0] = 198;
		locals[i].key.addr[1] = 18;
		locals[i].key.addr[2] = (uint8_t)(i >> 8);
		locals[i].key.addr[3] = (uint8_t)i;
	}
	assert_false(xpf_local_slots_build(locals, count, &config, slots));
	assert_int_equal(config.local_slot_shift, 0);
	free(locals);
}

/* The same addresses give the same table: a reload of an unchanged site rewrites it as is. */
static void reproducible(void **state)
{
	struct xpf_image_local locals[] = {
		local_of("192.0.2.101", 1, 0),
		local_of("2001:db8:1::101", 2, 0),
	};
	struct xpf_config a = { 0 }, b = { 0 };

	(void)state;
	assert_true(xpf_local_slots_build(locals, 2, &a, slots));
	assert_true(xpf_local_slots_build(locals, 2, &b, slots));
	assert_int_equal(a.local_slot_shift, b.local_slot_shift);
	assert_memory_equal(a.local_multipliers, b.local_multipliers, sizeof(a.local_multipliers));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(director_addresses),
		cmocka_unit_test(no_addresses),
		cmocka_unit_test(hundreds_of_addresses),
		cmocka_unit_test(too_many_addresses),
		cmocka_unit_test(reproducible),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
