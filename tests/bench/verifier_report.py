#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
"""The verifier's work per compiler and program (scripts/bench-verifier), against a baseline.

usage: verifier_report.py VERIFIER_CSV BASELINE_CSV

Prints one line per program: instructions processed, the baseline's, the growth; a growth past
GROWTH_FLAG is marked "GREW". A program missing from the baseline is marked "new". Exit 0:
growth is reported, not failed on (a change that grows the verifier's work says why).
"""
import csv
import sys

GROWTH_FLAG = 0.20


def rows(path):
    with open(path, newline="") as f:
        return {(r["build"], r["object"], r["program"]): r for r in csv.DictReader(f)}


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    now, base = rows(sys.argv[1]), rows(sys.argv[2])
    print(f"{'build':9} {'object':18} {'program':14} {'processed':>10} {'baseline':>10} "
          f"{'growth':>8}  states")
    for key, row in sorted(now.items()):
        build, obj, program = key
        insns = int(row["processed_insns"])
        was = base.get(key)
        if was is None:
            growth, mark, was_text = "", "new", "-"
        else:
            before = int(was["processed_insns"])
            change = (insns - before) / before if before else 0.0
            growth = f"{change:+.1%}"
            mark = "GREW" if change > GROWTH_FLAG else ""
            was_text = str(before)
        print(f"{build:9} {obj:18} {program:14} {insns:>10} {was_text:>10} {growth:>8}  "
              f"{row['total_states']}/{row['peak_states']} {mark}".rstrip())


if __name__ == "__main__":
    main()
