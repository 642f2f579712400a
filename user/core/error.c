/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Input errors as one line, "FILE:LINE: problem", the form editors and CI logs link back to
 * the offending line.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

#include "core/config.h"

int xpf_error_set(struct xpf_error *err, const char *file, int line, const char *fmt, ...)
{
	size_t size = sizeof(err->message);
	int used;
	va_list ap;

	if (!err)
		return -EINVAL;
	if (!file || !*file)
		used = 0;
	else if (line > 0)
		used = snprintf(err->message, size, "%s:%d: ", file, line);
	else
		used = snprintf(err->message, size, "%s: ", file);
	if (used < 0)
		used = 0;
	/* A file name as long as the buffer still leaves the message terminated. */
	if ((size_t)used >= size)
		return -EINVAL;
	va_start(ap, fmt);
	vsnprintf(err->message + used, size - used, fmt, ap);
	va_end(ap);
	return -EINVAL;
}
