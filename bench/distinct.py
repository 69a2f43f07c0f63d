#!/usr/bin/env python3
"""Distinct query lines for the throughput benches: the dev queries
(first column of eval/dev/*.tsv), varied until there are N lines no two of
which are equal. No patient data: every line is a dev phrase with a
qualifier before or after it, a second phrase joined to it, a number, or
a typing slip (two letters swapped, one dropped, one doubled), as
clinicians write them.

    bench/distinct.py N OUT            # one query a line
    bench/distinct.py N OUT --csv      # an encounter CSV (diagnosis column)

Deterministic (fixed seed): the same N gives the same file.
"""
import csv
import glob
import os
import random
import sys

PREFIXES = ["", "acute", "chronic", "history of", "suspected", "left", "right",
            "bilateral", "recurrent", "mild", "severe", "follow up", "r/o"]
SUFFIXES = ["", "unspecified", "initial encounter", "subsequent encounter",
            "with complications", "without complications", "NOS", "in remission",
            "left side", "right side", "worsening", "resolved", "for 3 days"]


def dev_queries(root):
    out, seen = [], set()
    for path in sorted(glob.glob(os.path.join(root, "eval/dev/*.tsv"))):
        with open(path, encoding="utf-8") as f:
            next(f, None)
            for line in f:
                q = line.rstrip("\n").split("\t")[0].strip()
                if q and q not in seen:
                    seen.add(q)
                    out.append(q)
    return out


def slip(rng, text):
    words = text.split(" ")
    i = rng.randrange(len(words))
    w = words[i]
    if len(w) < 4:
        return text
    k = rng.randrange(1, len(w) - 1)
    kind = rng.randrange(3)
    if kind == 0:
        w = w[:k] + w[k + 1] + w[k] + w[k + 2:]
    elif kind == 1:
        w = w[:k] + w[k + 1:]
    else:
        w = w[:k] + w[k] + w[k:]
    words[i] = w
    return " ".join(words)


def vary(rng, base, queries):
    r = rng.random()
    if r < 0.15:
        return base
    if r < 0.55:
        text = " ".join(x for x in (rng.choice(PREFIXES), base, rng.choice(SUFFIXES)) if x)
    elif r < 0.70:
        text = f"{base}; {rng.choice(queries)}"
    elif r < 0.80:
        text = f"{base} {rng.randint(2, 40)}"
    else:
        text = base
    if rng.random() < 0.35:
        text = slip(rng, text)
    return text


def main():
    n, out = int(sys.argv[1]), sys.argv[2]
    as_csv = "--csv" in sys.argv[3:]
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    queries = dev_queries(root)
    rng = random.Random(15)
    lines, seen = [], set()
    i = 0
    while len(lines) < n:
        base = queries[i % len(queries)]
        i += 1
        for _ in range(50):  # a few tries for a variant not seen yet
            text = vary(rng, base, queries)
            if text not in seen:
                seen.add(text)
                lines.append(text)
                break
    rng.shuffle(lines)
    with open(out, "w", newline="", encoding="utf-8") as f:
        if as_csv:
            w = csv.writer(f)
            w.writerow(["encounter_id", "date", "provider", "diagnosis", "amount"])
            for k, text in enumerate(lines):
                w.writerow([f"E{k:08d}", f"2025-{k % 12 + 1:02d}-{k % 28 + 1:02d}",
                            ["Smith, J", "Lee, K", "Patel, R"][k % 3], text, f"{20 + k % 880}.00"])
        else:
            for text in lines:
                f.write(text + "\n")


if __name__ == "__main__":
    main()
