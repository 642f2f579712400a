// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Text or JSON on stdout, and the failures said on the way (output.h). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli/output.h"
#include "lib/logging.h"

static enum xpf_json_style json_style;
/* What was said under -j: the verb's own failures, and the warnings of the layers below,
 * which stand in for them when the verb failed without a message. */
static struct json_object *failures, *warnings;
static bool document_printed;
static struct json_object *result;

static void keep_warning(const char *fmt, va_list ap);

/* -p after -j or before it: indented, as bpftool's -p implies its -j. */
void xpf_output_set_json(enum xpf_json_style style)
{
	if (style > json_style)
		json_style = style;
	if (xpf_json())
		xpf_log_observe_warnings(keep_warning);
}

bool xpf_json(void)
{
	return json_style != XPF_JSON_NONE;
}

/* One message as a JSON string: without the "xpf: " every line of text starts with, and
 * without the newline. */
static struct json_object *message_json(const char *fmt, va_list ap)
{
	char text[1024];
	const char *start = text;
	size_t length;

	vsnprintf(text, sizeof(text), fmt, ap);
	length = strlen(text);
	while (length && text[length - 1] == '\n')
		text[--length] = '\0';
	if (!strncmp(start, "xpf: ", 5))
		start += 5;
	return json_object_new_string(start);
}

static void keep_warning(const char *fmt, va_list ap)
{
	if (!warnings)
		warnings = json_object_new_array();
	json_object_array_add(warnings, message_json(fmt, ap));
}

struct json_object *xpf_json_document(void)
{
	struct json_object *document = json_object_new_object();

	json_object_object_add(document, "schema_version", json_object_new_int(XPF_SCHEMA_VERSION));
	return document;
}

struct json_object *xpf_json_interfaces_document(struct json_object **interfaces)
{
	struct json_object *document = xpf_json_document();

	*interfaces = json_object_new_array();
	json_object_object_add(document, "interfaces", *interfaces);
	return document;
}

static void print_object(struct json_object *object, int style_flags)
{
	puts(json_object_to_json_string_ext(object, style_flags | JSON_C_TO_STRING_NOSLASHESCAPE));
	fflush(stdout);
}

static int style_flags(void)
{
	return json_style == XPF_JSON_PRETTY ? JSON_C_TO_STRING_PRETTY : JSON_C_TO_STRING_PLAIN;
}

void xpf_json_print(struct json_object *document)
{
	if (failures)
		json_object_object_add(document, "errors", json_object_get(failures));
	print_object(document, style_flags());
	json_object_put(document);
	document_printed = true;
}

void xpf_json_print_event(struct json_object *event)
{
	print_object(event, style_flags());
	json_object_put(event);
}

struct json_object *xpf_json_result(const char *ifname)
{
	if (!result) {
		result = json_object_new_object();
		json_object_object_add(result, "interface", json_object_new_string(ifname));
	}
	return result;
}

FILE *xpf_text_out(void)
{
	return xpf_json() ? stderr : stdout;
}

static int fail(const char *prefix, const char *fmt, va_list ap)
{
	if (!xpf_json()) {
		fputs(prefix, stderr);
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
		return 1;
	}
	if (!failures)
		failures = json_object_new_array();
	json_object_array_add(failures, message_json(fmt, ap));
	return 1;
}

int xpf_fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fail("xpf: ", fmt, ap);
	va_end(ap);
	return 1;
}

int xpf_fail_as_is(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fail("", fmt, ap);
	va_end(ap);
	return 1;
}

int xpf_output_finish(int status)
{
	struct json_object *error, *said = failures ?: warnings;

	if (xpf_json() && !status && result && !document_printed) {
		struct json_object *interfaces, *document = xpf_json_interfaces_document(&interfaces);

		json_object_array_add(interfaces, json_object_get(result));
		xpf_json_print(document);
	}
	json_object_put(result);
	result = NULL;
	if (!xpf_json() || !status || document_printed)
		return status;
	error = xpf_json_document();
	if (!said || !json_object_array_length(said)) {
		char text[48];

		/* A verb that failed with no word of its own nor of the layers below. */
		snprintf(text, sizeof(text), "failed (exit status %d)", status);
		said = json_object_new_array();
		json_object_array_add(said, json_object_new_string(text));
	} else {
		json_object_get(said);
	}
	json_object_object_add(error, "error", json_object_get(json_object_array_get_idx(said, 0)));
	json_object_object_add(error, "errors", said);
	json_object_object_add(error, "exit_status", json_object_new_int(status));
	print_object(error, style_flags());
	json_object_put(error);
	return status;
}
