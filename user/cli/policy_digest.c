// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The policy digest (policy_digest.h), with nettle's SHA-256. */
#include <stdio.h>

#include <nettle/sha2.h>

#include "cli/policy_digest.h"
#include "core/policy_text.h"

static void feed_sha256(void *ctx, const char *text, size_t len)
{
	sha256_update(ctx, len, (const uint8_t *)text);
}

_Static_assert(XPF_DIGEST_HEX_SIZE == 2 * SHA256_DIGEST_SIZE + 1, "a SHA-256 in hex");

void xpf_policy_digest(const struct xpf_site *site, struct xpf_ruleset *ruleset)
{
	uint8_t digest[SHA256_DIGEST_SIZE];
	struct sha256_ctx ctx;

	sha256_init(&ctx);
	xpf_policy_text(site, ruleset, feed_sha256, &ctx);
	sha256_digest(&ctx, sizeof(digest), digest);
	for (size_t i = 0; i < sizeof(digest); i++)
		snprintf(ruleset->digest + 2 * i, 3, "%02x", digest[i]);
}
