// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* What more than one verb parses alike. */
#include <errno.h>
#include <string.h>

#include "cli/commands.h"

int parse_mode(const char *text, enum xdp_attach_mode *mode)
{
	if (!strcmp(text, "native"))
		*mode = XDP_MODE_NATIVE;
	else if (!strcmp(text, "skb"))
		*mode = XDP_MODE_SKB;
	else if (!strcmp(text, "auto"))
		*mode = XDP_MODE_UNSPEC;
	else
		return -EINVAL;
	return 0;
}
