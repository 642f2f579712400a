/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * What a verb prints, as text or as JSON (-j compact, -p pretty: global options, before or
 * after the verb), and how it says it failed. Under -j every verb prints one document on
 * stdout: an object with "schema_version", and an "interfaces" array where there can be
 * several; a failure is such an object too, with "error" (its first message) and "errors"
 * (all of them), and the exit status is the same as without -j. User space only.
 */
#ifndef XPF_CLI_OUTPUT_H
#define XPF_CLI_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>

#include <json-c/json.h>

/* Raised when a document loses or renames a key, never when one is added. */
#define XPF_SCHEMA_VERSION 1

enum xpf_json_style {
	XPF_JSON_NONE,		/* text */
	XPF_JSON_COMPACT,	/* -j: one line */
	XPF_JSON_PRETTY,	/* -p: indented */
};

/* Under -j, warnings of the layers below (lib/logging.h) are also kept for the error object. */
void xpf_output_set_json(enum xpf_json_style style);
bool xpf_json(void);

/* A new document: an object holding "schema_version". */
struct json_object *xpf_json_document(void);
/* A new document with an empty "interfaces" array, returned through @interfaces. */
struct json_object *xpf_json_interfaces_document(struct json_object **interfaces);
/* Prints @document on stdout in the style chosen, with "errors" when some were said (a verb
 * that read some interfaces and not others), and frees it. */
void xpf_json_print(struct json_object *document);
/* One object of a stream (xpf log): one line under -j, indented under -p, flushed. */
void xpf_json_print_event(struct json_object *event);

/* Under -j, the object of what a verb that changes @ifname did (load, reload, unload): the verb
 * adds its fields as it goes; xpf_output_finish() prints it, on success, as the one entry of
 * a document's "interfaces". Made with {"interface": @ifname} at the first call. */
struct json_object *xpf_json_result(const char *ifname);
/* Where a verb's progress lines go: stdout, or stderr under -j (stdout holds the JSON). */
FILE *xpf_text_out(void);

/* The one way to say a verb failed: "xpf: MESSAGE" on stderr, or, under -j, kept for the
 * document or the error object. Returns 1, the exit status of a failure. */
int xpf_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The same without the "xpf: " prefix, for a message that names its source (FILE:LINE: ...,
 * xpf VERB: ...). */
int xpf_fail_as_is(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* After the verb: under -j, when it failed and printed no document, the error object on
 * stdout. Returns @status. */
int xpf_output_finish(int status);

#endif /* XPF_CLI_OUTPUT_H */
