#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
"""The layers of user/: each file may depend on its own folder and those below, never above.

    lib/ < core/ < kernel/ < cli/

Read from the source alone (the #include lines, and which header declares and which .c defines
each function), so it runs before anything is built. Fails, naming file:line, on:
  - an include of a higher layer's header;
  - libbpf or libxdp (<bpf/...>, <xdp/...>) or a BPF skeleton (*.skel.h) included in core/ or lib/;
  - a user header included without its folder ("site.h" for "core/site.h");
  - a function or variable declared in a header of one layer and defined in a .c of another;
  - a cycle among modules (x.c with x.h), by includes or by calls: a .c that uses a function
    depends on the module whose .c defines it, whichever header declares it.
`--summary` prints which folder includes which, and how often.
"""
import argparse
import os
import re
import sys

from c_code import blank_out

LAYERS = ("lib", "core", "kernel", "cli")
RANK = {name: rank for rank, name in enumerate(LAYERS)}
KERNEL_LIBRARIES = ("bpf/", "xdp/")

INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^">]+)[">]')
IDENTIFIER = re.compile(r"[A-Za-z_]\w*")
KEYWORDS = {"if", "for", "while", "switch", "return", "sizeof", "do", "else", "case",
            "typedef", "struct", "enum", "union", "static", "inline", "extern", "const",
            "__attribute__", "_Static_assert", "offsetof"}


class Source:
    """One file of user/: its layer, its includes, and its code without comments or strings."""

    def __init__(self, root, path):
        self.path = path                               # relative to root: "core/site.c"
        self.layer = path.split("/", 1)[0]
        self.module = os.path.splitext(path)[0]         # x.c and x.h are one module
        with open(os.path.join(root, path), encoding="utf-8") as file:
            self.text = file.read()
        self.includes = []                             # (line, delimiter, name)
        for number, line in enumerate(self.text.splitlines(), 1):
            found = INCLUDE.match(line)
            if found:
                self.includes.append((number, found.group(1), found.group(2)))
        self.code = blank_out(self.text)


def line_of(text, offset):
    return text.count("\n", 0, offset) + 1


def top_level_statements(code):
    """(offset, head, has_body) for each statement at brace depth 0: head is its text before a
    body or its closing ';'."""
    depth, start, statements = 0, 0, []
    head_end = None
    for i, c in enumerate(code):
        if c == "{":
            if depth == 0:
                head_end = i
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                # A function's body ends its statement; a struct's or an initializer's goes
                # on to its ';'.
                head = code[start:head_end]
                if head.rstrip().endswith(")"):
                    statements.append((start, head, True))
                    start, head_end = i + 1, None
        elif c == ";" and depth == 0:
            head = code[start:head_end if head_end is not None else i]
            statements.append((start, head, head_end is not None))
            start, head_end = i + 1, None
    return statements


def declared_name(head):
    """The function or variable a top-level statement declares or defines, and whether it is
    static; None for types, typedefs and the like."""
    words = head.split()
    if not words or words[0] == "typedef":
        return None
    static = "static" in words
    paren = head.find("(")
    if paren >= 0:
        before = head[:paren]
        if "=" in before:          # a variable with an initializer that calls nothing here
            before = before.split("=", 1)[0]
            names = IDENTIFIER.findall(before)
            return (names[-1], static) if names else None
        names = IDENTIFIER.findall(before)
        if not names or names[-1] in KEYWORDS:
            return None
        if before.rstrip().endswith("*") and "(*" in head:   # a function pointer variable
            return None
        return names[-1], static
    before = head.split("=", 1)[0].split("[", 1)[0]
    names = IDENTIFIER.findall(before)
    if len(names) < 2 or names[0] in ("struct", "enum", "union") and len(names) == 2:
        return None
    return names[-1], static


def a_use(code, offset):
    """Whether the identifier at @offset names a function or variable: not a struct, enum or
    union tag, nor a member (.name, ->name)."""
    before = code[:offset].rstrip()
    if before.endswith((".", "->")):
        return False
    return not re.search(r"\b(struct|enum|union)$", before)


def load(root):
    sources = {}
    for layer in LAYERS:
        for directory, _, files in os.walk(os.path.join(root, layer)):
            for name in sorted(files):
                if name.endswith((".c", ".h")):
                    path = os.path.relpath(os.path.join(directory, name), root)
                    sources[path] = Source(root, path)
    return sources


def check(root, summary):
    sources = load(root)
    errors = []
    stray = [os.path.relpath(os.path.join(root, name), ".") for name in sorted(os.listdir(root))
             if name.endswith((".c", ".h"))]
    for path in stray:
        errors.append(f"{path}:1: outside the layers: move it into one of {', '.join(LAYERS)}/")

    edges = {}          # module -> {module: "file:line why"}
    folders = {}        # (layer, layer) -> count

    def depend(source, line, target, why):
        if target != source.module:
            edges.setdefault(source.module, {}).setdefault(
                target, f"{display(root, source.path)}:{line}: {why}")

    for source in sources.values():
        for line, delimiter, name in source.includes:
            where = f"{display(root, source.path)}:{line}"
            if delimiter == "<":
                if name.startswith(KERNEL_LIBRARIES) and RANK[source.layer] < RANK["kernel"]:
                    errors.append(f"{where}: {source.layer}/ includes <{name}>: libbpf and "
                                  "libxdp belong to kernel/ and above")
                continue
            if name.endswith(".skel.h"):
                if RANK[source.layer] < RANK["kernel"]:
                    errors.append(f"{where}: {source.layer}/ includes the skeleton \"{name}\": "
                                  "skeletons belong to kernel/ and above")
                continue
            if name not in sources:
                errors.append(f"{where}: \"{name}\" is not a header of user/{'/'.join(LAYERS)} "
                              "(includes name the folder: \"core/site.h\")")
                continue
            target = sources[name]
            folders[(source.layer, target.layer)] = folders.get(
                (source.layer, target.layer), 0) + 1
            if RANK[target.layer] > RANK[source.layer]:
                errors.append(f"{where}: {source.layer}/ includes {name}: upward "
                              f"({' < '.join(LAYERS)})")
            depend(source, line, target.module, f"includes {name}")

    # Who declares and who defines each function and global variable.
    declared, defined = {}, {}
    for source in sources.values():
        for offset, head, has_body in top_level_statements(source.code):
            found = declared_name(head)
            if not found:
                continue
            name, static = found
            line = line_of(source.code, offset + len(head) - len(head.lstrip()))
            if source.path.endswith(".h") and not has_body and not static:
                declared.setdefault(name, []).append((source, line))
            elif not static or source.path.endswith(".h"):
                if has_body or source.path.endswith(".c"):
                    defined.setdefault(name, (source, line))
    for name, declarations in sorted(declared.items()):
        for header, line in declarations:
            if name in defined and defined[name][0].layer != header.layer:
                definition = defined[name][0]
                errors.append(f"{display(root, header.path)}:{line}: declares {name}(), defined "
                              f"in {display(root, definition.path)}: another layer's")

    # Uses: a .c (or a header's inline code) depends on the module that defines what it uses.
    for source in sources.values():
        own = {name for _, head, _ in top_level_statements(source.code)
               for name in [declared_name(head)] if name for name in [name[0]]}
        for match in IDENTIFIER.finditer(source.code):
            name = match.group(0)
            if name in own or name not in defined or not a_use(source.code, match.start()):
                continue
            definition = defined[name][0]
            if definition.module == source.module:
                continue
            line = line_of(source.code, match.start())
            if RANK[definition.layer] > RANK[source.layer]:
                errors.append(f"{display(root, source.path)}:{line}: uses {name}() of "
                              f"{display(root, definition.path)}: upward")
            depend(source, line, definition.module, f"uses {name}()")

    for cycle in cycles(edges):
        steps = [edges[a][b] for a, b in zip(cycle, cycle[1:] + cycle[:1])]
        errors.append("cycle " + " -> ".join(cycle + cycle[:1]) + ":\n    " +
                      "\n    ".join(steps))

    if summary:
        print("includes between folders (includer -> included: count):")
        for (a, b), count in sorted(folders.items(), key=lambda k: (RANK[k[0][0]], RANK[k[0][1]])):
            print(f"  {a:6} -> {b:6} {count}")
    for error in errors:
        print(error, file=sys.stderr)
    return 1 if errors else 0


def display(root, path):
    return os.path.relpath(os.path.join(root, path), ".")


def cycles(edges):
    """One cycle for each strongly connected set of modules (Tarjan), in a stable order."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []
    counter = [0]
    nodes = sorted(set(edges) | {b for targets in edges.values() for b in targets})

    def visit(node):
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for target in sorted(edges.get(node, {})):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(shortest_cycle(edges, set(component)))

    sys.setrecursionlimit(10000)
    for node in nodes:
        if node not in index:
            visit(node)
    return found


def shortest_cycle(edges, component):
    """A shortest cycle through the component's first module, by breadth-first search."""
    start = min(component)
    previous, frontier = {start: None}, [start]
    while frontier:
        following = []
        for node in frontier:
            for target in sorted(edges.get(node, {})):
                if target not in component:
                    continue
                if target == start:
                    path = [node]
                    while previous[path[-1]] is not None:
                        path.append(previous[path[-1]])
                    return path[::-1]
                if target not in previous:
                    previous[target] = node
                    following.append(target)
        frontier = following
    return [start]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("root", nargs="?", default="user", help="the tree to check (user)")
    parser.add_argument("--summary", action="store_true",
                        help="print which folder includes which")
    arguments = parser.parse_args()
    return check(arguments.root, arguments.summary)


if __name__ == "__main__":
    sys.exit(main())
