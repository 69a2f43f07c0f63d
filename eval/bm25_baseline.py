#!/usr/bin/env python3
"""Plain BM25 calibration baseline for the development sets.

Python 3 standard library only.  From the repository root:

    python3 eval/bm25_baseline.py                 # older_wording, typo, clinical, procedures
    python3 eval/bm25_baseline.py eval/dev/typo.tsv --misses 5

What it does (deliberately naive -- a reference point, not a competitor):

  * documents = the code titles of the billable codes (billable == "Y") of
    data/icd10cm-2026.csv (system icd10cm), or of data/icd10pcs-2024.csv
    (system icd10pcs) for procedure files (file name containing "procedure"
    or "pcs"), one document per code, title only (no synonyms / index terms);
  * tokenisation: lower-case, split on non-alphanumerics, no stemming, drop
    a small stop-word list (STOPWORDS; "with"/"without" are kept);
  * ranking: Okapi BM25, k1=1.2, b=0.75, Lucene idf
    log(1 + (N - df + 0.5) / (df + 0.5)); each distinct query term counted
    once; ties broken by code (ascending) so results are deterministic;
  * scoring exactly as eval/run_eval.py: a query is a hit@k when any gold
    code equals one of the first k result codes (upper-cased, dots removed).

The task statement quotes plain BM25 over FY2026 titles at 0.735 top-1 /
0.86 top-5 on the hidden "older wording" set; comparing with this script's
older_wording.tsv figure tells how hard our dev set is relative to it.
"""

import argparse
import csv
import heapq
import math
import os
import random
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run_eval import Score, read_tsv  # noqa: E402  (one reader and scorer for both scripts)

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DEV_DIR = os.path.join(HERE, "dev")
CM_CSV = os.path.join(ROOT, "data", "icd10cm-2026.csv")
PCS_CSV = os.path.join(ROOT, "data", "icd10pcs-2024.csv")
DEFAULT_FILES = ["older_wording.tsv", "typo.tsv", "clinical.tsv", "procedures.tsv"]
SEED = 2026

STOPWORDS = frozenset("a an and or the of in on at for by to".split())
TOKEN_RE = re.compile(r"[^0-9a-z]+")
PCS_FILE_RE = re.compile(r"procedure|pcs", re.I)


def tokenize(text):
    return [t for t in TOKEN_RE.split(text.lower()) if t and t not in STOPWORDS]


class BM25:
    def __init__(self, csv_path, system, k1=1.2, b=0.75):
        t0 = time.perf_counter()
        self.codes, self.titles = [], []
        with open(csv_path, encoding="utf-8", newline="") as f:
            for r in csv.DictReader(f):
                if r["system"] == system and r["billable"] == "Y":
                    self.codes.append(r["code"])
                    self.titles.append(r["title"])
        if not self.codes:
            raise SystemExit("%s: no billable %s codes" % (csv_path, system))
        docs = [tokenize(t) for t in self.titles]
        n = len(docs)
        avgdl = sum(len(d) for d in docs) / float(n)
        tfs = {}                          # term -> {doc: tf}
        for i, d in enumerate(docs):
            for t in d:
                p = tfs.get(t)
                if p is None:
                    p = tfs[t] = {}
                p[i] = p.get(i, 0) + 1
        # term -> list of (doc, idf * saturated tf): the full per-term contribution
        self.post = {}
        for t, p in tfs.items():
            df = len(p)
            idf = math.log(1.0 + (n - df + 0.5) / (df + 0.5))
            self.post[t] = [
                (i, idf * tf * (k1 + 1.0) / (tf + k1 * (1.0 - b + b * len(docs[i]) / avgdl)))
                for i, tf in p.items()]
        self.n, self.avgdl = n, avgdl
        self.build_seconds = time.perf_counter() - t0

    def search(self, query, k):
        acc = {}
        get = acc.get
        for t in set(tokenize(query)):
            for i, w in self.post.get(t, ()):
                acc[i] = get(i, 0.0) + w
        codes = self.codes
        best = heapq.nsmallest(k, acc.items(), key=lambda kv: (-kv[1], codes[kv[0]]))
        return [codes[i] for i, _ in best]


def pct(x):
    return "%5.1f%%" % (100.0 * x)


def main():
    ap = argparse.ArgumentParser(description="Plain BM25 baseline on the dev sets.")
    ap.add_argument("files", nargs="*",
                    help="TSV files (default: eval/dev/{%s})" % ",".join(DEFAULT_FILES))
    ap.add_argument("-n", type=int, default=5, help="results per query (default 5)")
    ap.add_argument("--k1", type=float, default=1.2)
    ap.add_argument("--b", type=float, default=0.75)
    ap.add_argument("--misses", type=int, default=0, metavar="N",
                    help="print N example misses per category")
    args = ap.parse_args()

    paths = args.files or [os.path.join(DEV_DIR, f) for f in DEFAULT_FILES]
    indexes = {}
    summary = []
    k = args.n
    for path in paths:
        pcs = bool(PCS_FILE_RE.search(os.path.basename(path)))
        src = (PCS_CSV, "icd10pcs") if pcs else (CM_CSV, "icd10cm")
        if src not in indexes:
            indexes[src] = BM25(src[0], src[1], args.k1, args.b)
            ix = indexes[src]
            print("index %s (%s billable): %d docs, %d terms, avgdl %.2f, built in %.2fs"
                  % (os.path.relpath(src[0], ROOT), src[1], ix.n, len(ix.post), ix.avgdl,
                     ix.build_seconds))
        ix = indexes[src]
        rows = read_tsv(path)
        t0 = time.perf_counter()
        total, cats = Score(), {}
        for q, gold, cat in rows:
            got = ix.search(q, k)
            total.add(q, gold, got)
            cats.setdefault(cat, Score()).add(q, gold, got)
        elapsed = time.perf_counter() - t0
        name = os.path.basename(path)
        print("\n== %s  (%d queries, %.2fs, %.0f queries/s)  [BM25 k1=%g b=%g over %s]"
              % (name, len(rows), elapsed, len(rows) / elapsed if elapsed > 0 else 0,
                 args.k1, args.b, src[1]))
        print("   %-14s %6s %7s %7s %6s" % ("category", "n", "top-1", "top-%d" % k, "MRR"))
        for cname, s in sorted(cats.items()) + [("ALL", total)]:
            d = float(s.n or 1)
            print("   %-14s %6d %7s %7s %6.3f" % (cname, s.n, pct(s.top1 / d), pct(s.topk / d),
                                               s.rr / d))
        if args.misses:
            rng = random.Random(SEED)
            for cname, s in sorted(cats.items()):
                if not s.misses:
                    continue
                ex = s.misses if len(s.misses) <= args.misses else rng.sample(s.misses,
                                                                              args.misses)
                print("   -- misses [%s] %d of %d" % (cname, len(ex), len(s.misses)))
                for q, gold, got in ex:
                    print("      %-60s gold=%s got=%s" % (q[:60], ",".join(gold[:4]) +
                                                         ("..." if len(gold) > 4 else ""),
                                                         ",".join(got) or "-"))
        summary.append((name, total))

    if len(summary) > 1:
        print("\n== summary (top-1 / top-%d)" % k)
        for name, s in summary:
            d = float(s.n or 1)
            print("   %-24s n=%5d  %s / %s" % (name, s.n, pct(s.top1 / d), pct(s.topk / d)))


if __name__ == "__main__":
    main()
