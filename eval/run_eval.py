#!/usr/bin/env python3
"""Measure medcoder's suggestion accuracy on the development sets.

Python 3 standard library only.  Typical use, from the repository root:

    cargo build --release
    python3 eval/run_eval.py                      # all eval/dev/*.tsv (+ index_wording)
    python3 eval/run_eval.py eval/dev/clinical.tsv --misses 5
    python3 eval/run_eval.py --json /tmp/eval.json --bin target/debug/medcoder

For every TSV (header query<TAB>gold<TAB>category) the binary is run ONCE:

    <bin> suggest --format jsonl -n 5 [per-file args]   < all queries, one per line

Procedure files (file name containing "procedure" or "pcs") get
`--system icd10pcs`.  The binary must print one JSON object per input line:
    {"query": "...", "suggestions": [{"code": "E11.40", "title": ..., "score": ..., "billable": ...}, ...]}

A query is a hit@k when any of its gold codes equals one of the first k suggested
codes (compared upper-cased with dots removed).  Reported per file and per
category: n, top-1, top-5 (top-n) accuracy, MRR, and queries/second.

Optional on-the-fly set "index_wording" (never written to disk, never committed):
built from ../shared/reference/icd10cm/icd-10-cm-eindex-2025.xml when it exists,
see build_index_wording().  It is included by default when no TSV paths are
given; use --index-wording to force it / point at another file and
--no-index-wording to skip it.

THESE SETS ARE FOR MEASUREMENT ONLY.  Nothing in them (nor anything derived from
the reference files) may be used as match data, synonyms or tuning tables.
"""

import argparse
import glob
import json
import os
import random
import re
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DEV_DIR = os.path.join(HERE, "dev")
BILLABLE_TXT = os.path.join(DEV_DIR, "icd10cm_2026_billable.txt")
DEFAULT_EINDEX = os.path.join(ROOT, "..", "shared", "reference", "icd10cm",
                              "icd-10-cm-eindex-2025.xml")
DEFAULT_PCS_TABLES = os.path.join(ROOT, "..", "shared", "reference", "icd10pcs",
                                  "icd10pcs_tables_2026.xml")
SEED = 2026

# per-file extra arguments: (regex on the file's base name, args)
FILE_RULES = [
    (re.compile(r"procedure|pcs", re.I), ["--system", "icd10pcs"]),
]

# per-file date of service (MEDCODER_DATE, which `--date` defaults to; a
# binary without releases ignores it): the sets of FY2027 changes are coded
# in FY2027, every other set targets FY2026 codes. First match wins.
FILE_DATES = [
    (re.compile(r"fy2027", re.I), "2026-12-01"),
    (re.compile(r"."), "2026-06-01"),
]


def norm(code):
    return re.sub(r"[\s.]", "", str(code)).upper()


# --------------------------------------------------------------------------
# data sets
# --------------------------------------------------------------------------

class DevSet:
    def __init__(self, name, rows, path=None, codings=False):
        self.name = name          # display name
        self.rows = rows          # list of (query, [gold...], category)
        self.path = path
        self.codings = codings    # gold is one complete coding, first-listed first


def read_tsv(path):
    """Rows of a dev set, and whether it is a codings set (header
    query<TAB>codes<TAB>category: the codes are one complete coding)."""
    rows = []
    with open(path, encoding="utf-8", newline="") as f:
        header = f.readline().rstrip("\r\n").split("\t")
        if header[:3] not in (["query", "gold", "category"], ["query", "codes", "category"]):
            raise SystemExit("%s: header must be query<TAB>gold<TAB>category (or "
                             "query<TAB>codes<TAB>category for a codings set), got %r"
                             % (path, header))
        codings = header[1] == "codes"
        for lineno, line in enumerate(f, 2):
            line = line.rstrip("\r\n")
            if not line.strip():
                continue
            parts = line.split("\t")
            if len(parts) < 3:
                raise SystemExit("%s:%d: expected 3 tab-separated fields" % (path, lineno))
            q = " ".join(parts[0].split())
            gold = parts[1].split()
            if not q or not gold:
                raise SystemExit("%s:%d: empty query or gold" % (path, lineno))
            rows.append((q, gold, parts[2].strip() or "-"))
    return rows, codings


def load_billable(path=BILLABLE_TXT, tabular=None):
    if tabular:
        sys.path.insert(0, HERE)
        sys.dont_write_bytecode = True
        import build_devsets  # noqa: E402  (stdlib-only sibling script)
        cl = os.path.join(os.path.dirname(tabular), "code-list-April-2026.txt")
        bil, _ = build_devsets.load_tabular(tabular, cl if os.path.isfile(cl) else None)
        return set(norm(c) for c in bil)
    if not os.path.isfile(path):
        raise SystemExit("%s missing: run eval/build_devsets.py or pass --tabular" % path)
    with open(path, encoding="utf-8") as f:
        return set(norm(l) for l in f if l.strip())


def load_pcs_2026(xml_path):
    """All valid FY2026 PCS codes, expanded row by row from the official tables
    (read at evaluation time only, to warn about stale gold codes)."""
    codes = set()
    for table in ET.parse(xml_path).getroot().iter("pcsTable"):
        head = {int(a.get("pos")): [l.get("code") for l in a.findall("label")]
                for a in table.findall("axis")}
        for row in table.findall("pcsRow"):
            ax = dict(head)
            for a in row.findall("axis"):
                ax[int(a.get("pos"))] = [l.get("code") for l in a.findall("label")]
            prefixes = [""]
            for pos in range(1, 8):
                prefixes = [p + c for p in prefixes for c in ax.get(pos, [])]
            codes.update(prefixes)
    return codes


def warn_stale_pcs(ds, valid):
    stale = sorted({g for _, gold, _ in ds.rows for g in gold if norm(g) not in valid})
    dead = [q for q, gold, _ in ds.rows if not any(norm(g) in valid for g in gold)]
    if stale:
        print("   note: %d gold PCS codes in %s are not valid FY2026 codes: %s%s"
              % (len(stale), ds.name, " ".join(stale[:10]), " ..." if len(stale) > 10 else ""))
    if dead:
        print("   WARNING: %d queries have no FY2026-valid gold code: %s"
              % (len(dead), "; ".join(dead[:5])))


def _title_text(el):
    """Text of an index <title>, without the <nemod> non-essential modifiers."""
    if el is None:
        return ""
    parts = [el.text or ""]
    for ch in el:
        if ch.tag != "nemod":
            parts.append("".join(ch.itertext()))
        parts.append(ch.tail or "")
    return " ".join("".join(parts).split()).strip(" ,")


def _dot(c):
    return c if len(c) <= 3 else c[:3] + "." + c[3:]


def _gold_for(code, billable, by_prefix):
    """Billable gold codes for an index code: the code itself if billable;
    otherwise (codes that still need a 7th character, e.g. V94.4 or X58) every
    billable expansion that differs only by X placeholders + 7th character."""
    c = norm(code).rstrip("-")
    if c in billable:
        return [_dot(c)]
    if len(c) >= 7:
        return []
    out = []
    for b in by_prefix.get(c[:3], ()):
        if len(b) == 7 and b.startswith(c) and set(b[len(c):6]) <= {"X"}:
            out.append(_dot(b))
    return sorted(out)


def build_index_wording(xml_path, billable, n=1500, seed=SEED):
    """Coder index wording ("Accident, boat, striking swimmer, powered") ->
    the code on that term; sampled with a fixed seed."""
    by_prefix = {}
    for b in billable:
        by_prefix.setdefault(b[:3], []).append(b)
    items = {}

    def walk(el, path):
        for term in el.findall("term"):
            t = _title_text(term.find("title"))
            p = path + [t] if t else path
            emit(term, p)
            walk(term, p)

    def emit(el, path):
        code = el.findtext("code")
        if not code or not path:
            return
        gold = _gold_for(code.strip(), billable, by_prefix)
        if not gold:
            return
        q = ", ".join(path)
        if q.lower() not in items:
            items[q.lower()] = (q, gold, "eindex")

    root = ET.parse(xml_path).getroot()
    for mt in root.iter("mainTerm"):
        path = [_title_text(mt.find("title"))]
        emit(mt, path)
        walk(mt, path)
    allrows = [items[k] for k in sorted(items)]
    rng = random.Random(seed)
    rows = rng.sample(allrows, min(n, len(allrows)))
    return rows, len(allrows)


# --------------------------------------------------------------------------
# running the binary
# --------------------------------------------------------------------------

def run_binary(binary, extra, queries, topn, timeout, date=None):
    cmd = [binary, "suggest", "--format", "jsonl", "-n", str(topn)] + extra
    data = "".join(q + "\n" for q in queries)
    env = dict(os.environ)
    if date:
        env["MEDCODER_DATE"] = date
    t0 = time.perf_counter()
    try:
        proc = subprocess.run(cmd, input=data.encode("utf-8"), stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, timeout=timeout, env=env)
    except FileNotFoundError:
        raise SystemExit("binary not found: %s (cargo build --release, or pass --bin)" % binary)
    except subprocess.TimeoutExpired:
        raise SystemExit("timeout after %ss: %s" % (timeout, " ".join(cmd)))
    elapsed = time.perf_counter() - t0
    err = proc.stderr.decode("utf-8", "replace")
    if proc.returncode != 0:
        sys.stderr.write("command failed (exit %d): %s\n%s\n"
                         % (proc.returncode, " ".join(cmd), err[-2000:]))
        raise SystemExit(2)
    out = []
    bad = 0
    for line in proc.stdout.decode("utf-8", "replace").splitlines():
        if not line.strip():
            continue
        try:
            out.append(json.loads(line))
        except ValueError:
            bad += 1
    if bad:
        sys.stderr.write("warning: %d non-JSON output lines ignored\n" % bad)
    return out, elapsed, cmd


def align(queries, results):
    """Pair each query with its result object.  Normally results are in input
    order, one per line; if counts differ, fall back to matching on "query"."""
    if len(results) == len(queries):
        mism = sum(1 for q, r in zip(queries, results)
                   if isinstance(r, dict) and "query" in r
                   and " ".join(str(r["query"]).split()) != q)
        if mism:
            sys.stderr.write("warning: %d results echo a different query text "
                             "(paired by position)\n" % mism)
        return results
    sys.stderr.write("warning: %d queries but %d result lines; matching by query text\n"
                     % (len(queries), len(results)))
    by_q = {}
    for r in results:
        if isinstance(r, dict) and "query" in r:
            by_q.setdefault(" ".join(str(r["query"]).split()), []).append(r)
    out = []
    for q in queries:
        lst = by_q.get(q)
        out.append(lst.pop(0) if lst else None)
    return out


def codes_of(result):
    if not isinstance(result, dict):
        return []
    sugg = result.get("suggestions") or []
    out = []
    for s in sugg:
        if isinstance(s, dict) and s.get("code") is not None:
            out.append(str(s["code"]))
        elif isinstance(s, str):
            out.append(s)
    return out


# --------------------------------------------------------------------------
# scoring / reporting
# --------------------------------------------------------------------------

class Score:
    def __init__(self):
        self.n = self.top1 = self.topk = 0
        self.rr = 0.0
        self.misses = []

    def add(self, query, gold, got):
        g = set(norm(x) for x in gold)
        rank = next((i + 1 for i, c in enumerate(got) if norm(c) in g), None)
        self.n += 1
        if rank == 1:
            self.top1 += 1
        if rank is not None:
            self.topk += 1
            self.rr += 1.0 / rank
        else:
            self.misses.append((query, gold, got[:3]))
        return rank

    def as_dict(self, k):
        n = self.n or 1
        return {"n": self.n, "top1": self.top1 / n, "top%d" % k: self.topk / n,
                "mrr": self.rr / n}


def pct(x):
    return "%5.1f%%" % (100.0 * x)


def evaluate(ds, args):
    extra = list(args.extra_arg or [])
    base = os.path.basename(ds.path or ds.name)
    for rx, a in FILE_RULES:
        if rx.search(base):
            extra += a
    date = next((d for rx, d in FILE_DATES if rx.search(base)), None)
    queries = [q for q, _, _ in ds.rows]
    results, elapsed, cmd = run_binary(args.bin, extra, queries, args.n, args.timeout, date)
    if date:
        cmd = ["MEDCODER_DATE=%s" % date] + cmd
    results = align(queries, results)
    total, cats = Score(), {}
    missing = 0
    for (q, gold, cat), res in zip(ds.rows, results):
        if res is None:
            missing += 1
        got = codes_of(res)
        total.add(q, gold, got)
        cats.setdefault(cat, Score()).add(q, gold, got)
    qps = len(queries) / elapsed if elapsed > 0 else float("inf")
    k = args.n
    print("\n== %s  (%d queries, %.2fs, %.0f queries/s)" % (ds.name, len(queries), elapsed, qps))
    print("   cmd: %s" % " ".join(cmd))
    if "icd10pcs" in extra and args.pcs_valid:
        warn_stale_pcs(ds, args.pcs_valid)
    if missing:
        print("   WARNING: %d queries had no result line" % missing)
    print("   %-14s %6s %7s %7s %6s" % ("category", "n", "top-1", "top-%d" % k, "MRR"))
    for name, s in sorted(cats.items()) + [("ALL", total)]:
        d = s.as_dict(k)
        print("   %-14s %6d %7s %7s %6.3f" % (name, s.n, pct(d["top1"]), pct(d["top%d" % k]),
                                           d["mrr"]))
    if args.misses:
        rng = random.Random(SEED)
        for name, s in sorted(cats.items()):
            if not s.misses:
                continue
            ex = s.misses if len(s.misses) <= args.misses else rng.sample(s.misses, args.misses)
            print("   -- misses [%s] %d of %d" % (name, len(ex), len(s.misses)))
            for q, gold, got in ex:
                print("      %-60s gold=%s got=%s" % (q[:60], ",".join(gold[:4]) +
                                                     ("..." if len(gold) > 4 else ""),
                                                     ",".join(got) or "-"))
    return {"file": ds.path or ds.name, "name": ds.name, "cmd": cmd,
            "seconds": elapsed, "queries_per_second": qps, "missing_results": missing,
            "all": total.as_dict(k),
            "categories": {c: s.as_dict(k) for c, s in sorted(cats.items())}}


# --------------------------------------------------------------------------
# complete codings
# --------------------------------------------------------------------------

SPLIT = ";"


def run_batch_split(binary, extra, cells, topn, timeout):
    """Codes cells with `batch --split ';'` (CSV out) and returns, per cell,
    (first codes of the parts, the cell's `coding` column or None)."""
    cmd = [binary, "batch", "-", "--column", "dx", "-d", "tab",
           "--split", SPLIT, "-n", str(topn - 1)] + extra
    data = "dx\n" + "".join(c.replace("\t", " ").replace('"', "") + "\n" for c in cells)
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, input=data.encode("utf-8"), stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, timeout=timeout)
    elapsed = time.perf_counter() - t0
    if proc.returncode not in (0, 1):
        sys.stderr.write("command failed (exit %d): %s\n%s\n"
                         % (proc.returncode, " ".join(cmd), proc.stderr.decode()[-2000:]))
        raise SystemExit(2)
    import csv
    import io
    rows = csv.DictReader(io.StringIO(proc.stdout.decode("utf-8")), delimiter="\t")
    out = []
    for row in rows:
        first = [c.strip() for c in row["code"].split("|") if c.strip()]
        coding = row["coding"].split() if "coding" in row else None
        out.append((first, coding))
    return out, elapsed, cmd


def coding_of(result):
    """The result's complete coding: its `coding` list, or for a binary that
    has none, the first code alone (what a one-code suggester offers)."""
    if isinstance(result, dict) and isinstance(result.get("coding"), list):
        return [str(c.get("code")) for c in result["coding"] if isinstance(c, dict)]
    got = codes_of(result)
    return got[:1]


class CodingScore:
    def __init__(self):
        self.n = self.first = self.top = self.exact = self.ordered = 0
        self.misses = []

    def add(self, query, gold, got, coding):
        g = [norm(x) for x in gold]
        c = [norm(x) for x in coding]
        self.n += 1
        self.first += bool(got) and norm(got[0]) == g[0]
        self.top += g[0] in [norm(x) for x in got]
        exact = sorted(set(c)) == sorted(set(g)) and len(c) == len(set(c))
        self.exact += exact
        self.ordered += exact and c[0] == g[0]
        if not exact:
            self.misses.append((query, gold, coding))

    def as_dict(self, k=5):
        n = self.n or 1
        return {"n": self.n, "top1": self.first / n, "top%d" % k: self.top / n,
                "exact_set": self.exact / n, "exact_set_first": self.ordered / n}


def evaluate_codings(ds, args):
    """A codings set: top-1/top-5 of the first-listed code, and the share of
    phrases whose complete coding is exactly the gold set (and with the
    first-listed code first). Rows whose query holds ';' are cells of a
    problem list, coded with `batch --split ';'`."""
    extra = list(args.extra_arg or [])
    phrases = [(q, g, c) for q, g, c in ds.rows if SPLIT not in q]
    cells = [(q, g, c) for q, g, c in ds.rows if SPLIT in q]
    results, elapsed, cmd = run_binary(args.bin, extra, [q for q, _, _ in phrases], args.n,
                                       args.timeout)
    results = align([q for q, _, _ in phrases], results)
    total, cats = CodingScore(), {}
    for (q, gold, cat), res in zip(phrases, results):
        got = codes_of(res)
        for s in (total, cats.setdefault(cat, CodingScore())):
            s.add(q, gold, got, coding_of(res))
    if cells:
        coded, el2, _ = run_batch_split(args.bin, extra, [q for q, _, _ in cells], args.n,
                                        args.timeout)
        elapsed += el2
        for (q, gold, cat), (first, coding) in zip(cells, coded):
            for s in (total, cats.setdefault(cat, CodingScore())):
                s.add(q, gold, first, coding if coding is not None else first)
    print("\n== %s  (%d phrases, %.2fs; codings set: exact = the complete coding is the gold"
          " set)" % (ds.name, len(ds.rows), elapsed))
    print("   cmd: %s  (cells with '%s': batch --split)" % (" ".join(cmd), SPLIT))
    print("   %-14s %6s %7s %7s %7s %7s" % ("category", "n", "top-1", "top-5", "exact",
                                            "exact+1st"))
    for name, s in sorted(cats.items()) + [("ALL", total)]:
        d = s.as_dict(args.n)
        print("   %-14s %6d %7s %7s %7s %7s" % (name, s.n, pct(d["top1"]), pct(d["top%d" % args.n]),
                                              pct(d["exact_set"]), pct(d["exact_set_first"])))
    if args.misses:
        for name, s in sorted(cats.items()):
            for q, gold, coding in s.misses[:args.misses]:
                print("      [%s] %-50s gold=%s got=%s" % (name, q[:50], " ".join(gold),
                                                          " ".join(coding) or "-"))
    qps = len(ds.rows) / elapsed if elapsed > 0 else float("inf")
    return {"file": ds.path, "name": ds.name, "cmd": cmd, "seconds": elapsed,
            "queries_per_second": qps, "missing_results": 0, "all": total.as_dict(args.n),
            "categories": {c: s.as_dict(args.n) for c, s in sorted(cats.items())}}


def main():
    ap = argparse.ArgumentParser(
        description="Evaluate medcoder suggestions on dev sets (see eval/README.md).")
    ap.add_argument("files", nargs="*",
                    help="TSV files or directories (default: eval/dev/*.tsv)")
    ap.add_argument("--bin", default=os.path.join("target", "release", "medcoder"),
                    help="medcoder binary (default target/release/medcoder)")
    ap.add_argument("-n", type=int, default=5, help="suggestions per query (default 5)")
    ap.add_argument("--misses", type=int, default=0, metavar="N",
                    help="print N example misses per category")
    ap.add_argument("--json", metavar="PATH", help="write a machine-readable summary")
    ap.add_argument("--extra-arg", action="append", metavar="ARG",
                    help="extra argument passed to every run (repeatable)")
    ap.add_argument("--timeout", type=float, default=1800, help="seconds per file")
    g = ap.add_mutually_exclusive_group()
    g.add_argument("--index-wording", nargs="?", const=DEFAULT_EINDEX, metavar="XML",
                   help="also evaluate the on-the-fly index_wording set (default XML: %(const)s)")
    g.add_argument("--no-index-wording", action="store_true")
    ap.add_argument("--index-n", type=int, default=1500)
    ap.add_argument("--tabular", help="FY2026 tabular XML instead of "
                    "eval/dev/icd10cm_2026_billable.txt for the billable filter")
    args = ap.parse_args()

    paths = []
    for f in args.files or [DEV_DIR]:
        if os.path.isdir(f):
            paths += sorted(p for p in glob.glob(os.path.join(f, "*.tsv"))
                            if not p.endswith("_source.tsv"))
        else:
            paths.append(f)
    sets = []
    for p in paths:
        rows, codings = read_tsv(p)
        sets.append(DevSet(os.path.basename(p), rows, p, codings))

    xml = args.index_wording
    if xml is None and not args.files and not args.no_index_wording:
        xml = DEFAULT_EINDEX if os.path.isfile(DEFAULT_EINDEX) else None
        if xml is None:
            print("(index_wording skipped: %s not found)" % os.path.normpath(DEFAULT_EINDEX))
    if xml:
        if not os.path.isfile(xml):
            raise SystemExit("index XML not found: %s" % xml)
        rows, total = build_index_wording(xml, load_billable(tabular=args.tabular), args.index_n)
        print("index_wording: %d of %d eligible index terms (seed %d) from %s"
              % (len(rows), total, SEED, os.path.normpath(xml)))
        sets.append(DevSet("index_wording", rows, None))

    if not sets:
        raise SystemExit("no data sets found")
    args.pcs_valid = None
    if any(any(rx.search(os.path.basename(d.path or d.name)) for rx, a in FILE_RULES
               if "icd10pcs" in a) for d in sets) and os.path.isfile(DEFAULT_PCS_TABLES):
        args.pcs_valid = load_pcs_2026(DEFAULT_PCS_TABLES)
    summary = [evaluate_codings(ds, args) if ds.codings else evaluate(ds, args) for ds in sets]

    if len(summary) > 1:
        print("\n== summary (top-1 / top-%d)" % args.n)
        for s in summary:
            a = s["all"]
            print("   %-24s n=%5d  %s / %s  %7.0f q/s" % (s["name"], a["n"], pct(a["top1"]),
                                                      pct(a["top%d" % args.n]),
                                                      s["queries_per_second"]))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump({"bin": args.bin, "n": args.n, "sets": summary}, f, indent=2,
                      ensure_ascii=False)
        print("\nwrote %s" % args.json)


if __name__ == "__main__":
    main()
