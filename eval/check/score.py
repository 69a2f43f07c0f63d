#!/usr/bin/env python3
"""Precision and recall per edit kind of `medcoder check` on
eval/check/encounters.tsv, and the false errors on the clean encounters
(expected: no edit). Compared per encounter: the set of kinds medcoder
reports at severity error or warning, plus `unspecified` notes, against the
expected set. Other notes (conditional "if applicable" instructions) are
not scored.

Usage: cargo build --release && python3 eval/check/score.py [encounters.tsv]
"""
import csv
import json
import os
import subprocess
import sys
from collections import Counter

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "eval/check/encounters.tsv")
rows = list(csv.DictReader(open(path, encoding="utf-8"), delimiter="\t"))
binary = os.path.join(ROOT, "target/release/medcoder")
run = subprocess.run(
    [binary, "check", "--format", "jsonl"],
    input="".join(r["codes"] + "\n" for r in rows),
    capture_output=True,
    text=True,
)
if run.returncode == 2:
    sys.exit(f"medcoder check failed: {run.stderr}")
got = [json.loads(l) for l in run.stdout.splitlines()]
assert len(got) == len(rows), (len(got), len(rows))
tp, fp, fn = Counter(), Counter(), Counter()
clean = clean_errors = 0
wrong = []
for r, g in zip(rows, got):
    exp = set(filter(None, r["expected"].split(";")))
    have = {e["kind"] for e in g["edits"] if e["severity"] != "note" or e["kind"] == "unspecified"}
    for k in exp & have:
        tp[k] += 1
    for k in have - exp:
        fp[k] += 1
    for k in exp - have:
        fn[k] += 1
    if not exp:
        clean += 1
        if any(e["severity"] == "error" for e in g["edits"]):
            clean_errors += 1
    if exp != have:
        wrong.append((r["id"], r["codes"], sorted(exp), sorted(have)))
print(f"{len(rows)} encounters ({clean} clean); false errors on clean encounters: {clean_errors}")
print(f"{'kind':<22}{'expected':>9}{'precision':>11}{'recall':>8}")
for k in sorted(set(tp) | set(fp) | set(fn)):
    p = tp[k] / (tp[k] + fp[k]) if tp[k] + fp[k] else 1.0
    rc = tp[k] / (tp[k] + fn[k]) if tp[k] + fn[k] else 1.0
    print(f"{k:<22}{tp[k] + fn[k]:>9}{100 * p:>10.1f}%{100 * rc:>7.1f}%")
print(f"exact match: {len(rows) - len(wrong)}/{len(rows)}")
for w in wrong:
    print("  differs:", *w)
