#!/usr/bin/env python3
"""Fit (or check) medcoder's confidence model on the dev sets.

Python 3 standard library only.  From the repository root:

    cargo build --release
    python3 eval/fit_confidence.py            # fit, report on the held-out half
    python3 eval/fit_confidence.py --write    # ... and write data/confidence.tsv
    python3 eval/fit_confidence.py --check    # report the bundled model only

Every query of the dev sets (eval/dev/*.tsv and, when the reference file is
present, the on-the-fly index_wording set) is run through
`suggest --format jsonl -n 5 --explain`, which prints each suggestion's
`features`.  A query belongs to the fitting half or the reporting half by a
hash of its text (never both).  A logistic regression (Newton's method,
small L2 penalty) is fitted on the first codes of the fitting half (label:
the code is one of the query's gold codes), and the review threshold is the
highest confidence at which at most 20% of right first codes are flagged.
The report, on the other half only, gives the reliability table of first
codes by decile, the expected calibration error (ECE, decile bins weighted
by count) and the review-flag figures.  The blind sets in eval/fresh/ are
reported too (never fitted).
"""

import argparse
import hashlib
import json
import math
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True
import run_eval  # noqa: E402  (stdlib-only sibling script)

FEATURES = ["score", "margin", "query_coverage", "title_coverage", "from_header", "guessed",
            "unknown", "procedure", "length", "ties", "same_category", "exact", "index_path",
            "inclusion", "penalty", "rewritten", "unspecified"]
DERIVED = ["score_squared", "margin_capped", "margin_squared", "coverage_product",
           "title_coverage_squared"]
NAMES = ["intercept"] + FEATURES + DERIVED
OUT = os.path.join(ROOT, "data", "confidence.tsv")
MAX_RIGHT_FLAGGED = 0.20
# The threshold is chosen on the fitting half with this margin below the
# target: with ~2,000 right first codes a half, the share flagged on the other
# half varies by about one point (one standard error), so a threshold at
# exactly 20 % on one half lands above 20 % on the other half as often as not.
# Two standard errors kept the held-out share under the target until session
# 8's ranking changes, when it landed at 20.1 %: 2.5 points since.
FIT_MARGIN = 0.025


def half(query):
    return int(hashlib.sha1(query.encode("utf-8")).hexdigest(), 16) % 2


def run(binary, rows, extra):
    cmd = [binary, "suggest", "--format", "jsonl", "-n", "5", "--explain"] + extra
    data = "".join(q + "\n" for q, _, _ in rows)
    p = subprocess.run(cmd, input=data.encode("utf-8"), stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE)
    if p.returncode not in (0, 1):
        raise SystemExit("command failed: %s\n%s" % (" ".join(cmd), p.stderr.decode()[-2000:]))
    out = [json.loads(l) for l in p.stdout.decode("utf-8").splitlines() if l.strip()]
    if len(out) != len(rows):
        raise SystemExit("%d queries but %d results: %s" % (len(rows), len(out), " ".join(cmd)))
    return out


def collect(binary, sets):
    """(set name, query, [(features dict, right, confidence)] best first) per query."""
    items = []
    for name, rows, extra in sets:
        for (q, gold, _), res in zip(rows, run(binary, rows, extra)):
            g = {run_eval.norm(x) for x in gold}
            sugg = [(s.get("features") or {}, run_eval.norm(s["code"]) in g, s["confidence"],
                     s["code"], s["score"]) for s in res.get("suggestions", [])]
            items.append((name, q, sugg))
    return items


def dev_sets(index_xml):
    sets = []
    for f in sorted(os.listdir(os.path.join(HERE, "dev"))):
        if not f.endswith(".tsv") or f == "older_exact.tsv":  # a subset of older_wording
            continue
        rows, _ = run_eval.read_tsv(os.path.join(HERE, "dev", f))
        extra = ["--system", "icd10pcs"] if "procedure" in f else []
        sets.append((f, [r for r in rows if ";" not in r[0]], extra))
    if index_xml and os.path.isfile(index_xml):
        rows, _ = run_eval.build_index_wording(index_xml, run_eval.load_billable())
        sets.append(("index_wording", rows, []))
    return sets


def fresh_sets():
    out = []
    for f in ("clinical_fresh.tsv", "index_fresh.tsv"):
        rows, _ = run_eval.read_tsv(os.path.join(HERE, "fresh", f))
        out.append((f, rows, []))
    return out


def vec(f):
    """The model's inputs, as src/confidence/mod.rs computes them."""
    v = [float(f.get(k, 0.0)) for k in FEATURES]
    s, m, qc, nc = (float(f.get(k, 0.0)) for k in ("score", "margin", "query_coverage",
                                                  "title_coverage"))
    return [1.0] + v + [s * s, min(m, 0.2), m * m, qc * nc, nc * nc]


def solve(a, b):
    n = len(b)
    m = [row[:] + [b[i]] for i, row in enumerate(a)]
    for c in range(n):
        p = max(range(c, n), key=lambda r: abs(m[r][c]))
        m[c], m[p] = m[p], m[c]
        for r in range(n):
            if r != c and m[c][c] != 0:
                k = m[r][c] / m[c][c]
                for j in range(c, n + 1):
                    m[r][j] -= k * m[c][j]
    return [m[i][n] / m[i][i] if m[i][i] else 0.0 for i in range(n)]


def fit(xs, ys, l2=1e-3, steps=25):
    w = [0.0] * len(xs[0])
    for _ in range(steps):
        g = [0.0] * len(w)
        h = [[0.0] * len(w) for _ in w]
        for x, y in zip(xs, ys):
            z = sum(a * b for a, b in zip(w, x))
            p = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
            for i, xi in enumerate(x):
                g[i] += (p - y) * xi
                for j, xj in enumerate(x):
                    h[i][j] += p * (1 - p) * xi * xj
        for i in range(len(w)):
            g[i] += l2 * w[i] * len(xs)
            h[i][i] += l2 * len(xs)
        d = solve(h, g)
        w = [a - b for a, b in zip(w, d)]
        if max(abs(v) for v in d) < 1e-6:
            break
    return w


def predict(w, f):
    z = sum(a * b for a, b in zip(w, vec(f)))
    return round(1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z)))), 3)


def threshold(firsts):
    """Highest t with at most MAX_RIGHT_FLAGGED - FIT_MARGIN of right first codes below t."""
    right = sorted(p for p, ok in firsts if ok)
    if not right:
        return 0.5
    k = int(math.floor((MAX_RIGHT_FLAGGED - FIT_MARGIN) * len(right)))
    return right[k] if k < len(right) else 1.0


def report(title, firsts, t):
    n = len(firsts)
    if not n:
        return
    print("\n== %s: %d first codes, %.1f%% right" % (title, n, 100.0 * sum(ok for _, ok in firsts) / n))
    print("   confidence    n   mean conf   share right")
    ece = 0.0
    for b in range(10):
        lo, hi = b / 10, (b + 1) / 10
        sel = [(p, ok) for p, ok in firsts if lo <= p < hi or (b == 9 and p == 1.0)]
        if not sel:
            print("   %.1f-%.1f  %6d" % (lo, hi, 0))
            continue
        mc = sum(p for p, _ in sel) / len(sel)
        acc = sum(ok for _, ok in sel) / len(sel)
        ece += len(sel) / n * abs(mc - acc)
        print("   %.1f-%.1f  %6d   %9.3f   %11.3f" % (lo, hi, len(sel), mc, acc))
    wrong = [p for p, ok in firsts if not ok]
    right = [p for p, ok in firsts if ok]
    fw = sum(p < t for p in wrong) / max(1, len(wrong))
    fr = sum(p < t for p in right) / max(1, len(right))
    print("   ECE %.3f; review below %.3f flags %.1f%% of wrong first codes (%d of %d) and %.1f%% of"
          " right ones (%d of %d)" % (ece, t, 100 * fw, sum(p < t for p in wrong), len(wrong),
                                      100 * fr, sum(p < t for p in right), len(right)))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", default=os.path.join(ROOT, "target", "release", "medcoder"))
    ap.add_argument("--write", action="store_true", help="write data/confidence.tsv")
    ap.add_argument("--check", action="store_true", help="report the bundled model, no fit")
    ap.add_argument("--index-wording", default=run_eval.DEFAULT_EINDEX, metavar="XML",
                    help="External Cause Index XML for the index_wording set (default %(default)s)")
    a = ap.parse_args()

    items = collect(a.bin, dev_sets(a.index_wording))
    fresh = collect(a.bin, fresh_sets())
    fit_items = [it for it in items if half(it[1]) == 0]
    held = [it for it in items if half(it[1]) == 1]
    if a.check:
        t = None
        with open(OUT, encoding="utf-8") as f:
            for line in f:
                if line.startswith("review_below\t"):
                    t = float(line.split("\t")[1])
        conf = lambda it: [(s[0][2], s[0][1]) for s in [it[2]] if s]  # noqa: E731
    else:
        xs, ys = [], []
        for _, _, sugg in fit_items:
            if sugg:
                xs.append(vec(sugg[0][0]))
                ys.append(1.0 if sugg[0][1] else 0.0)
        print("fitting on the first codes of %d queries" % len(xs))
        w = fit(xs, ys)
        t = threshold([(predict(w, s[0][0]), s[0][1]) for _, _, s in fit_items if s])
        conf = lambda it: [(predict(w, s[0][0]), s[0][1]) for s in [it[2]] if s]  # noqa: E731
        print("coefficients: " + ", ".join("%s %.3f" % (k, v) for k, v in
                                           zip(NAMES, w)))
    for name in sorted({it[0] for it in held}):
        report("held-out half of %s" % name, [c for it in held if it[0] == name for c in conf(it)], t)
    report("held-out half of all dev sets", [c for it in held for c in conf(it)], t)
    report("fitting half of all dev sets", [c for it in fit_items for c in conf(it)], t)
    report("both halves of all dev sets", [c for it in items for c in conf(it)], t)
    report("blind sets (eval/fresh)", [c for it in fresh for c in conf(it)], t)
    if a.write and not a.check:
        with open(OUT, "w", encoding="utf-8") as f:
            f.write("# Confidence model: logistic regression, p = 1 / (1 + exp(-(intercept + sum of\n"
                    "# weight * feature))); the features are described in src/confidence/mod.rs.\n"
                    "# Fitted by eval/fit_confidence.py on the half of the dev-set queries whose\n"
                    "# SHA-1 is even; review_below flags at most 17.5% of right first codes there\n"
                    "# (20% less the margin FIT_MARGIN).\n"
                    "# Refit: cargo build --release && python3 eval/fit_confidence.py --write\n")
            for k, v in zip(NAMES, w):
                f.write("%s\t%.4f\n" % (k, v))
            f.write("review_below\t%.3f\n" % t)
        print("\nwrote %s" % OUT)


if __name__ == "__main__":
    main()
