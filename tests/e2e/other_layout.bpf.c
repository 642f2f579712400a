// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * What an xpf of another version can leave on an interface when its maps have this version's
 * names and one of them another layout (tests/e2e/test_iface_events.sh): this program, its
 * reply_hints map mappable.
 */
#define XPF_TEST_OTHER_LAYOUT
#include "../../bpf/xpf.bpf.c"
