// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The digest and the local addresses of a filter (pool_view.h). */
#include <arpa/inet.h>

#include "cli/pool_view.h"

static const char *digest_of(const struct xpf_stats *stats)
{
	const char *digest = stats->meta.digest[stats->generation];

	return digest[0] ? digest : "(none)";
}

void xpf_pool_print(FILE *out, const char *indent, const struct xpf_stats *stats)
{
	char text[INET6_ADDRSTRLEN + 4];

	fprintf(out, "%sdigest: %s\n%slocal:  ", indent, digest_of(stats), indent);
	for (size_t i = 0; i < stats->local_count; i++) {
		xpf_prefix_format(&stats->locals[i], text, sizeof(text));
		fprintf(out, "%s%s", i ? ", " : "", text);
	}
	fprintf(out, "%s\n", stats->local_count ? "" : "(none)");
}

void xpf_pool_json(struct json_object *object, const struct xpf_stats *stats)
{
	struct json_object *locals = json_object_new_array();
	char text[INET6_ADDRSTRLEN + 4];

	json_object_object_add(object, "digest",
			       json_object_new_string(stats->meta.digest[stats->generation]));
	for (size_t i = 0; i < stats->local_count; i++) {
		xpf_prefix_format(&stats->locals[i], text, sizeof(text));
		json_object_array_add(locals, json_object_new_string(text));
	}
	json_object_object_add(object, "locals", locals);
}
