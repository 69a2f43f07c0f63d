#!/usr/bin/env python3
"""Exact wins: every billable ICD-10-CM title and inclusion term of the
bundled release, typed as the query, must give that code first.

Python 3 standard library only.  From the repository root:

    cargo build --release
    python3 eval/exact_titles.py                    # summary
    python3 eval/exact_titles.py --misses 20        # sample misses
    python3 eval/exact_titles.py --shared eval/dev/exact_shared.txt   # the list of shared texts

Queries come from the bundled manual of one release, data/icd10cm-2027.csv
(FY2027, in effect since 2026-10-01; `--release 2026` for data/icd10cm-2026.csv):
the `title` and each `synonyms` entry (inclusion term) of every billable
code, searched with a date of service in that release (`--date`), so a code
that the other release deleted or split is not counted against it.  Two texts
are the same query when they are equal ignoring case, punctuation and word
order.  A text shared by several codes cannot rank all of them first: it
is a hit when any of its codes is first, and it is listed with `--shared`;
so is a text tied first with another code's text that the analyser reads as
the same words (word order, plurals, stop words: "Other injury of
unspecified intra-abdominal organ" and "Unspecified injury of other
intra-abdominal organs").

The queries are the manual's own text, so this set measures, it never
feeds match data.
"""

import argparse
import csv
import json
import os
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
# A date of service in each bundled release.
RELEASE_DATES = {"2026": "2026-06-01", "2027": "2026-12-01"}


def key(text):
    """Equal ignoring case, punctuation and word order."""
    return " ".join(sorted(re.findall(r"[a-z0-9]+", text.lower())))


def norm(code):
    return code.replace(".", "").upper()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bin", default=os.path.join(ROOT, "target", "release", "medcoder"))
    ap.add_argument("--release", choices=sorted(RELEASE_DATES), default="2027",
                    help="bundled ICD-10-CM release (default %(default)s)")
    ap.add_argument("--manual", help="manual CSV (default data/icd10cm-RELEASE.csv)")
    ap.add_argument("--misses", type=int, default=0, help="print N sample misses")
    ap.add_argument("--shared", help="write the texts shared by several codes to this file")
    ap.add_argument("--json", help="write a machine-readable summary")
    a = ap.parse_args()
    manual = a.manual or os.path.join(ROOT, "data", "icd10cm-%s.csv" % a.release)

    texts = {}  # key -> (first text seen, {codes}, kinds)
    csv.field_size_limit(1 << 24)
    with open(manual, encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            if r["billable"] != "Y":
                continue
            items = [("title", r["title"])]
            items += [("inclusion", s.strip()) for s in r["synonyms"].split(" | ") if s.strip()]
            for kind, t in items:
                k = key(t)
                if not k:
                    continue
                e = texts.setdefault(k, [t, set(), set()])
                e[1].add(r["code"])
                e[2].add(kind)
    keys = sorted(texts)
    queries = [texts[k][0] for k in keys]
    t0 = time.time()
    out = subprocess.run(
        [a.bin, "suggest", "--format", "jsonl", "-n", "5", "--date", RELEASE_DATES[a.release]],
        input="\n".join(queries) + "\n", capture_output=True, text=True,
    )
    elapsed = time.time() - t0
    lines = out.stdout.splitlines()
    if len(lines) != len(queries):
        raise SystemExit("expected %d output lines, got %d (stderr: %s)"
                         % (len(queries), len(lines), out.stderr[:300]))
    stats = {}
    misses = []
    shared = []
    for k, q, line in zip(keys, queries, lines):
        _, codes, kinds = texts[k]
        sugg = json.loads(line)["suggestions"]
        got = [norm(s["code"]) for s in sugg]
        gold = {norm(c) for c in codes}
        first = bool(got) and got[0] in gold
        # Another code's wording that the analyser reads as the same text
        # (word order, plurals, stop words): both are exact, tied first.
        tied = not first and any(
            norm(s["code"]) in gold and s["score"] == sugg[0]["score"] for s in sugg)
        group = ("shared" if len(codes) > 1 else "tied" if tied else
                 "title" if "title" in kinds else "inclusion")
        s = stats.setdefault(group, [0, 0, 0])
        s[0] += 1
        s[1] += first or tied
        s[2] += any(g in gold for g in got[:5])
        if len(codes) > 1:
            shared.append((q, sorted(codes)))
        elif tied:
            shared.append((q, sorted(codes) + ["(tied with %s)" % got[0]]))
        elif not first:
            misses.append((q, sorted(codes)[0], got[:3]))
    print("== exact titles and inclusion terms of ICD-10-CM FY%s (%d texts, %.1fs, %d queries/s)"
          % (a.release, len(queries), elapsed, len(queries) / max(elapsed, 1e-9)))
    print("   %-10s %7s %8s %8s" % ("group", "n", "top-1", "top-5"))
    total = [0, 0, 0]
    for g in ("title", "inclusion", "shared", "tied"):
        n, t1, t5 = stats.get(g, [0, 0, 0])
        total = [x + y for x, y in zip(total, (n, t1, t5))]
        if n:
            print("   %-10s %7d %7.2f%% %7.2f%%" % (g, n, 100 * t1 / n, 100 * t5 / n))
    n, t1, t5 = total
    print("   %-10s %7d %7.2f%% %7.2f%%" % ("ALL", n, 100 * t1 / n, 100 * t5 / n))
    print("   unique texts not first: %d; shared by several codes or tied first with"
          " a text the analyser reads as the same: %d" % (len(misses), len(shared)))
    for q, g, got in misses[: a.misses]:
        print("   MISS %-60s gold %-9s got %s" % (q[:60], g, " ".join(got)))
    if a.shared:
        with open(a.shared, "w", encoding="utf-8") as f:
            f.write("# texts shared by several billable codes (equal ignoring case, punctuation,"
                    " order), or tied first with a text the analyser reads as the same\n")
            for q, codes in shared:
                f.write("%s\t%s\n" % (q, " ".join(codes)))
    if a.json:
        with open(a.json, "w") as f:
            json.dump({g: dict(zip(("n", "top1", "top5"), v)) for g, v in stats.items()}, f)


if __name__ == "__main__":
    sys.exit(main())
