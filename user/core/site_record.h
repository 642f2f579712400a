/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The site file of the rule set in force on an interface, as load and reload put it there
 * (core/site_format.h), kept in /run/xpf beside the filter: what `xpf save`, `xpf diff` and a
 * reload's revert read back. The maps hold the compiled rules, not the roles' addresses they
 * came from. A record names the load it belongs to (the generation's CLOCK_REALTIME load
 * time, from the meta map), so a record that another load left is never taken for the rule
 * set in force. User space only.
 */
#ifndef XPF_SITE_RECORD_H
#define XPF_SITE_RECORD_H

#include <stdint.h>

#include "core/config.h"

#define XPF_SITE_RECORD_DIR "/run/xpf"

/* Replaces @ifname's record (in this network namespace) with @text, for the load at
 * @loaded_at_ns; written whole (a new file renamed over the old), mode 0600. */
int xpf_site_record_write(const char *ifname, uint64_t loaded_at_ns, const char *text);
/* The record of the load at @loaded_at_ns into *@text (malloc()ed). -ENOENT, with a message,
 * when there is none, or one of another load. */
int xpf_site_record_read(const char *ifname, uint64_t loaded_at_ns, char **text,
			 struct xpf_error *err);
void xpf_site_record_remove(const char *ifname);

#endif /* XPF_SITE_RECORD_H */
