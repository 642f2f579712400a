/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* `xpf log`: an event of the drop log as a line of text or as JSON. User space only. */
#ifndef XPF_DROP_VIEW_H
#define XPF_DROP_VIEW_H

#include <stdio.h>

#include <json-c/json.h>

#include "kernel/drop_log.h"

/* One line: "2026-11-26T01:50:00.123Z eth0 drop tcp 198.51.100.7:51000 -> 192.0.2.101:443
 * default". */
void xpf_drop_print(FILE *out, const struct xpf_drop *drop);
struct json_object *xpf_drop_json(const struct xpf_drop *drop);
/* One line of key=value fields, the JSON form's keys in its order ("rule" flattened to
 * rule_id, rule_label, ...), for syslog: "time=2026-11-26T01:50:00.123Z interface=eth0
 * family=4 source=198.51.100.7 destination=192.0.2.101 proto=tcp source_port=51000
 * dest_port=443 reason=default would_drop=0 bytes=60". A value with a blank, '"', '=' or '\'
 * is quoted, '"' and '\' escaped; keys without a value (no ports, no rule) are left out.
 * Cut to @size, whole fields only. */
void xpf_drop_format_fields(const struct xpf_drop *drop, char *buf, size_t size);

#endif /* XPF_DROP_VIEW_H */
