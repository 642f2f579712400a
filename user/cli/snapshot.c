// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <stdlib.h>

#include "cli/snapshot.h"

void xpf_snapshot_free(struct xpf_snapshot *snapshot)
{
	free(snapshot->denied);
	snapshot->denied = NULL;
	for (size_t i = 0; i < snapshot->count; i++)
		xpf_stats_free(&snapshot->interfaces[i]);
	free(snapshot->interfaces);
	snapshot->interfaces = NULL;
	snapshot->count = 0;
	free(snapshot->unread);
	snapshot->unread = NULL;
	snapshot->unread_count = 0;
}
