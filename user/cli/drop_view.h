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

#endif /* XPF_DROP_VIEW_H */
