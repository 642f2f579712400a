/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* The compiled rule set as JSON (`xpf check -j`): for tools that check xpf against another
 * implementation of the same policy. User space only. */
#ifndef XPF_RULESET_JSON_H
#define XPF_RULESET_JSON_H

#include <json-c/json.h>

#include "core/config_load.h"

/* One object: site, table, policy, local addresses, rules in priority order, warnings. */
struct json_object *xpf_ruleset_json(const char *site, const struct xpf_loaded_config *config);

#endif /* XPF_RULESET_JSON_H */
