// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Search for a collision-free slot hash of the local addresses. With n addresses in m slots a
 * random multiplier has no collision with probability about exp(-n^2 / 2m): tables of 4n to
 * XPF_LOCAL_SLOTS slots and a few dozen multipliers each find one for up to some hundred
 * addresses in well under a millisecond. A host with more keeps the local_addrs hash.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/local_slots.h"
#include "lib/mix.h"

#define ATTEMPTS_PER_SIZE 64

/* Reproducible multipliers (splitmix64's sequence), so that a reload of the same site writes
 * the same table. */
static uint64_t next_random(uint64_t *state)
{
	uint64_t x = xpf_mix64(*state);

	*state += 0x9e3779b97f4a7c15ull;
	return x;
}

static unsigned int bits_for(size_t count)
{
	unsigned int bits = 1;

	while (bits < XPF_LOCAL_SLOT_BITS && (1ull << bits) < 4 * (uint64_t)count)
		bits++;
	return bits;
}

/* Whether @config's hash puts every address in a slot of its own; @owner: 1 << bits entries,
 * index + 1 of the address in each slot. */
static bool collision_free(const struct xpf_image_local *locals, size_t count,
			   const struct xpf_config *config, uint32_t *owner, size_t slots)
{
	memset(owner, 0, slots * sizeof(*owner));
	for (size_t i = 0; i < count; i++) {
		uint32_t slot = xpf_local_slot_of(config, locals[i].key.family, locals[i].key.addr);

		if (owner[slot])
			return false;
		owner[slot] = (uint32_t)i + 1;
	}
	return true;
}

bool xpf_local_slots_build(const struct xpf_image_local *locals, size_t count,
			   struct xpf_config *config, struct xpf_local_slot *slots)
{
	uint32_t *owner = malloc(XPF_LOCAL_SLOTS * sizeof(*owner));
	struct xpf_config trial = *config;
	uint64_t state = 0;
	bool found = false;

	config->local_slot_shift = 0;
	if (!owner || count > XPF_LOCAL_SLOTS / 4)
		goto out;
	for (unsigned int bits = bits_for(count); bits <= XPF_LOCAL_SLOT_BITS && !found; bits++) {
		for (int attempt = 0; attempt < ATTEMPTS_PER_SIZE && !found; attempt++) {
			for (int w = 0; w < 4; w++)
				trial.local_multipliers[w] = (uint32_t)next_random(&state) | 1;
			trial.local_slot_shift = 32 - bits;
			found = collision_free(locals, count, &trial, owner, 1u << bits);
		}
	}
	if (!found)
		goto out;
	memset(slots, 0, XPF_LOCAL_SLOTS * sizeof(*slots));
	for (uint32_t slot = 0; slot < XPF_LOCAL_SLOTS; slot++) {
		const struct xpf_image_local *local;

		if (slot >= 1u << (32 - trial.local_slot_shift) || !owner[slot])
			continue;
		local = &locals[owner[slot] - 1];
		memcpy(slots[slot].addr, local->key.addr, sizeof(slots[slot].addr));
		slots[slot].value = local->value;
		slots[slot].family = local->key.family;
	}
	config->local_slot_shift = trial.local_slot_shift;
	memcpy(config->local_multipliers, trial.local_multipliers,
	       sizeof(config->local_multipliers));
out:
	free(owner);
	return found;
}
