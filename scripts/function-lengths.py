#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
"""Every C function in user/ and bpf/ stays within 60 lines, unless it says why not.

A function's length is its body's lines, from the line of its opening brace to that of its
closing one, both counted. Each function over the limit is listed as file:line:function:lines;
the check fails on any that is not excused. The excuse is a comment on the line right above the
function's signature, or the comment block that ends there, saying `long function:` and then
the reason, e.g.

    /* long function: the verifier proves the bounds only within one body. */
    SEC("xdp")
    int xpf_filter(struct xdp_md *ctx)

Read from the source alone (comments, strings and preprocessor lines set aside), so it runs
before anything is built. `--list` also prints the long functions that are excused.
"""
import argparse
import os
import re
import sys

from c_code import blank_out

LIMIT = 60
DEFAULT_ROOTS = ("user", "bpf")

# Functions over the limit whose split waits for other work on their file: each entry must
# still be over the limit (one that is not fails the check, to be taken out). Empty: every
# function is within the limit or says why (tests/lint/test_function_lengths.sh adds to it).
PENDING_SPLIT = {
}

EXCUSE = re.compile(r"long function:\s*\w", re.IGNORECASE)
IDENTIFIER = re.compile(r"[A-Za-z_]\w*")


def without_trailing_attributes(head):
    """The head with any `__attribute__((...))` after the parameter list taken off."""
    while True:
        stripped = head.rstrip()
        if not stripped.endswith(")"):
            return stripped
        start = matching_open(stripped, len(stripped) - 1)
        if start is None:
            return stripped
        before = stripped[:start].rstrip()
        if before.endswith("__attribute__"):
            head = before[:-len("__attribute__")]
        else:
            return stripped


def matching_open(text, close):
    """The offset of the '(' that the ')' at @close closes, or None."""
    depth = 0
    for i in range(close, -1, -1):
        if text[i] == ")":
            depth += 1
        elif text[i] == "(":
            depth -= 1
            if depth == 0:
                return i
    return None


def function_name(head):
    """The name a top-level head such as `static int foo(int a)` defines a function of, or
    None when the brace that follows opens a type or an initializer."""
    head = without_trailing_attributes(head)
    if not head.endswith(")"):
        return None
    start = matching_open(head, len(head) - 1)
    if start is None or "=" in head[:start]:
        return None
    names = IDENTIFIER.findall(head[:start])
    return names[-1] if names else None


class Function:
    def __init__(self, path, name, signature_line, open_line, close_line):
        self.path = path
        self.name = name
        self.signature_line = signature_line
        self.lines = close_line - open_line + 1


def functions(path):
    """Every function defined in the file at @path."""
    with open(path, encoding="utf-8") as file:
        code = blank_out(file.read())
    found = []
    depth, head_start, open_at, open_name = 0, 0, None, None
    for i, c in enumerate(code):
        if c == "{":
            if depth == 0:
                open_at = i
                open_name = function_name(code[head_start:i])
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                if open_name:
                    head = code[head_start:open_at]
                    signature = head_start + len(head) - len(head.lstrip())
                    found.append(Function(path, open_name, line_of(code, signature),
                                          line_of(code, open_at), line_of(code, i)))
                    head_start = i + 1
                open_name = None
        elif c == ";" and depth == 0:
            head_start = i + 1
    return found


def line_of(text, offset):
    return text.count("\n", 0, offset) + 1


def leading_comment(lines, signature_line):
    """The comment that ends on the line right above the signature (1-based), or ""."""
    index = signature_line - 2
    if index < 0:
        return ""
    last = lines[index].strip()
    if last.startswith("//"):
        start = index
        while start > 0 and lines[start - 1].strip().startswith("//"):
            start -= 1
        return "\n".join(lines[start:index + 1])
    if not last.endswith("*/"):
        return ""
    start = index
    while start >= 0 and "/*" not in lines[start]:
        start -= 1
    return "\n".join(lines[max(start, 0):index + 1])


def excused(function):
    with open(function.path, encoding="utf-8") as file:
        lines = file.read().splitlines()
    comment = leading_comment(lines, function.signature_line)
    words = re.sub(r"/\*|\*/|^\s*(\*|//)", " ", comment, flags=re.MULTILINE)
    return bool(EXCUSE.search(words))


def sources(roots):
    for root in roots:
        for directory, subdirectories, files in os.walk(root):
            subdirectories.sort()
            for name in sorted(files):
                if name.endswith((".c", ".h")):
                    yield os.path.relpath(os.path.join(directory, name), ".")


def check(roots, list_all):
    failures, pending_seen = [], set()
    for path in sources(roots):
        for function in functions(path):
            if function.lines <= LIMIT:
                continue
            where = f"{path}:{function.signature_line}:{function.name}:{function.lines}"
            if (path, function.name) in PENDING_SPLIT:
                pending_seen.add((path, function.name))
                if list_all:
                    print(f"{where}: pending split")
            elif excused(function):
                if list_all:
                    print(f"{where}: excused")
            else:
                failures.append(f"{where}: over {LIMIT} lines: split it, or say why not in a "
                                "`long function:` comment above it")
    for path, name in sorted(set(PENDING_SPLIT) - pending_seen):
        if any(path == root or path.startswith(root.rstrip("/") + "/") for root in roots):
            failures.append(f"{path}:{name}: within {LIMIT} lines or gone: take it out of "
                            "PENDING_SPLIT in scripts/function-lengths.py")
    for failure in failures:
        print(failure, file=sys.stderr)
    return 1 if failures else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("roots", nargs="*", default=DEFAULT_ROOTS,
                        help="the trees to check (user bpf)")
    parser.add_argument("--list", action="store_true",
                        help="also print the long functions that are excused or pending")
    arguments = parser.parse_args()
    return check(arguments.roots, arguments.list)


if __name__ == "__main__":
    sys.exit(main())
