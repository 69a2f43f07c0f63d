#!/usr/bin/env python3
"""Precision and recall per edit kind of `medcoder check` on
eval/check/encounters.tsv, and the false errors on the clean encounters
(expected: no edit). Compared per encounter: the set of kinds medcoder
reports at severity error or warning, plus `unspecified` notes, against the
expected set. Other notes (conditional "if applicable" instructions) are
not scored.

An encounter with a `date` is checked with `--date` (the release in effect
then); `MEDCODER_BIN` names another binary.

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
binary = os.environ.get("MEDCODER_BIN", os.path.join(ROOT, "target/release/medcoder"))
# One run per date of service (`date` column; empty: medcoder's default, today).
got = [None] * len(rows)
for date in sorted({r.get("date") or "" for r in rows}):
    idx = [i for i, r in enumerate(rows) if (r.get("date") or "") == date]
    run = subprocess.run(
        [binary, "check", "--format", "jsonl"] + (["--date", date] if date else []),
        input="".join(rows[i]["codes"] + "\n" for i in idx),
        capture_output=True,
        text=True,
    )
    if run.returncode == 2:
        sys.exit(f"medcoder check failed: {run.stderr}")
    lines = run.stdout.splitlines()
    assert len(lines) == len(idx), (date, len(lines), len(idx))
    for i, line in zip(idx, lines):
        got[i] = json.loads(line)
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
            print("  false error:", r["id"], r["codes"], [e["kind"] for e in g["edits"] if e["severity"] == "error"])
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
