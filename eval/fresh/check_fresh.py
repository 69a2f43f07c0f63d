#!/usr/bin/env python3
"""Check eval/fresh/clinical_fresh.tsv: every gold code must exist and be
billable (a leaf of the official FY2026 code list).  Prints titles for review.

usage: python3 eval/fresh/check_fresh.py [TSV] [--data DIR] [--quiet]
"""
import argparse, collections, os, re, sys
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = "/tmp/pkgs/simple_icd_10_cm/simple_icd_10_cm/data"

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("tsv", nargs="?", default=os.path.join(HERE, "clinical_fresh.tsv"))
    ap.add_argument("--data", default=DATA)
    ap.add_argument("--quiet", action="store_true")
    a = ap.parse_args()

    codes = [l.strip() for l in open(os.path.join(a.data, "code-list-April-2026.txt"))]
    codes = {c for c in codes if c and "-" not in c}
    srt = sorted(codes)
    import bisect
    def is_leaf(c):
        i = bisect.bisect_right(srt, c)
        return not (i < len(srt) and srt[i].startswith(c))

    titles = {}
    for d in ET.parse(os.path.join(a.data, "icd10c-tabular-April-1-2026.xml")).iter("diag"):
        n, t = d.find("name"), d.find("desc")
        if n is not None and t is not None:
            titles[n.text.replace(".", "")] = t.text
    def title(c):
        for k in range(len(c), 2, -1):
            if c[:k] in titles:
                return titles[c[:k]] + ("" if k == len(c) else f"  [7th/ext of {c[:k]}]")
        return "?"

    bad, seen, cats = 0, set(), collections.Counter()
    with open(a.tsv, encoding="utf-8") as f:
        header = f.readline().rstrip("\n")
        if header != "query\tgold\tcategory":
            print("bad header:", header); bad += 1
        for ln, line in enumerate(f, 2):
            parts = line.rstrip("\n").split("\t")
            if len(parts) != 3:
                print(f"line {ln}: expected 3 columns"); bad += 1; continue
            q, gold, cat = parts
            cats[cat] += 1
            if q.lower() in seen:
                print(f"line {ln}: duplicate query {q!r}"); bad += 1
            seen.add(q.lower())
            for g in gold.split():
                ok_fmt = re.fullmatch(r"[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?", g)
                c = g.replace(".", "")
                status = "OK"
                if not ok_fmt: status = "BADFORMAT"
                elif c not in codes: status = "MISSING"
                elif not is_leaf(c): status = "NOT-BILLABLE"
                if status != "OK": bad += 1
                if status != "OK" or not a.quiet:
                    print(f"{status:12} {cat:12} {q[:45]:45} {g:9} {title(c)}")
    print("categories:", dict(cats), "total:", sum(cats.values()))
    print("problems:", bad)
    return 1 if bad else 0

if __name__ == "__main__":
    sys.exit(main())
