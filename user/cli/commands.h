/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* The xpf verbs, one file each (user/cmd_*.c), and what they share. User space only. */
#ifndef XPF_COMMANDS_H
#define XPF_COMMANDS_H

#include <stdio.h>

#include <xdp/libxdp.h>

int cmd_load(int argc, char **argv);
int cmd_reload(int argc, char **argv);
int cmd_unload(int argc, char **argv);
int cmd_status(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_flows(int argc, char **argv);
int cmd_top(int argc, char **argv);
int cmd_exporter(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_log(int argc, char **argv);
int cmd_help(int argc, char **argv);
int cmd_tables(int argc, char **argv);
int cmd_save(int argc, char **argv);
int cmd_confirm(int argc, char **argv);
int cmd_suggest(int argc, char **argv);
int cmd_diff(int argc, char **argv);

/* One line on stderr for a failed filter operation: names the interface and what failed. */
int report_filter_error(const char *ifname, const char *operation, int err);
/* One line for a failed step that is not about finding the filter. */
int report_failure(const char *ifname, const char *operation, int err);
/* "native", "skb" or "auto" (XDP_MODE_UNSPEC): -m of load (cli/options.c). */

#define XPF_MAX_INTERFACES 256

#endif /* XPF_COMMANDS_H */
