/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* The compiled rule set as JSON (`xpf check -j`): for tools that check xpf against another
 * implementation of the same policy. User space only. */
#ifndef XPF_RULESET_JSON_H
#define XPF_RULESET_JSON_H

#include <json-c/json.h>

#include "core/config_load.h"
#include "core/site_gaps.h"

/* One object: site, tables, policy, local addresses, rules in priority order (each with its
 * origins), warnings, and what the site lacks for its tables (@gaps). */
struct json_object *xpf_ruleset_json(const char *site, const struct xpf_loaded_config *config,
				     const struct xpf_gaps *gaps);

#endif /* XPF_RULESET_JSON_H */
