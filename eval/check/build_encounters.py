#!/usr/bin/env python3
"""Builds eval/check/encounters.tsv: encounters made from the tabular notes of
the bundled ICD-10-CM release and from the Official Guidelines, each with the
edit kinds a correct encoder reports (errors and warnings, plus the
`unspecified` note). Independent of medcoder's code: it reads the manual CSV
and builds each case from one note or one guideline rule, choosing the other
codes "quiet" (no note or rule that would add an edit). Deterministic (seed).

Usage: python3 eval/check/build_encounters.py > eval/check/encounters.tsv
"""
import bisect
import csv
import random
import re
import sys

ROOT = __file__.rsplit("/eval/", 1)[0]
rows = {}
order = []
for r in csv.DictReader(open(f"{ROOT}/data/icd10cm-2026.csv", encoding="utf-8")):
    if r["kind"] == "code":
        rows[r["code"]] = r
        order.append(r["code"])
    else:
        rows.setdefault(r["code"], r)
keys = {c.replace(".", ""): c for c in order}
rng = random.Random(14)
COND = ("where applicable", "if applicable", "if known", "if present", "if any", "if desired", "if documented", "any associated")
CODE = re.compile(r"\b[A-Z]\d[0-9A-Z](?:\.[0-9A-Z]{1,4})?")


def conditional(item):
    low = item.lower()
    return any(c in low for c in COND) or low.strip().startswith("any ")


def chain(code):
    out = []
    while code and code in rows and len(out) < 10:
        out.append(rows[code])
        # a block may share its code with its one category (Z16): stop there
        code = rows[code]["parent"] if rows[code]["parent"] != code else ""
    return out


def items(r, field):
    return [i for i in r[field].split(" | ") if i] if r[field] else []


def loud(code):
    """A code whose own notes or guideline rules would add an edit alone."""
    r = rows[code]
    if r["billable"] != "Y" or code[0] in "VWXYZ" or code.startswith(("B95", "B96", "B97")):
        return True
    if "unspecified" in r["title"].lower() or "classified elsewhere" in r["title"].lower():
        return True
    if len(code.replace(".", "")) == 7 and code.endswith("S"):
        return True
    for a in chain(code):
        if a["kind"] != "code":
            continue
        if "classified elsewhere" in a["title"].lower():
            return True
        if a["code_first"]:
            return True
        for f in ("use_additional", "code_also"):
            for it in items(a, f):
                if CODE.search(it) and not conditional(it):
                    return True
    return False


def excl_text(code):
    return " ".join(" ".join(items(a, "excludes1")) for a in chain(code))


def unrelated(a, b):
    """Neither chain's Excludes1 cites the other's category."""
    return a[:3] not in excl_text(b) and b[:3] not in excl_text(a) and a[:3] != b[:3]


billable = [c for c in order if rows[c]["billable"] == "Y"]
quiet = [c for c in billable if not loud(c)]
quiet_keys = sorted(c.replace(".", "") for c in quiet)
children = {}
for c in order:
    children.setdefault(rows[c]["parent"], []).append(c)


def quiet_under(prefix):
    """Quiet codes whose key starts with `prefix` (a key)."""
    i = bisect.bisect_left(quiet_keys, prefix)
    out = []
    while i < len(quiet_keys) and quiet_keys[i].startswith(prefix):
        out.append(keys[quiet_keys[i]])
        i += 1
    return out
out = []


def add(group, codes, expected):
    out.append((group, " ".join(codes), ";".join(sorted(set(expected)))))


for c in rng.sample(quiet, 30):
    add("clean", [c], [])
n = 0
while n < 30:
    a, b = rng.sample(quiet, 2)
    if unrelated(a, b):
        add("clean", [a, b], [])
        n += 1

# Excludes1: a code under the note and a quiet code the note cites.
cases = []
for owner in order:
    for it in items(rows[owner], "excludes1"):
        m = re.search(r"\(([A-Z]\d[0-9A-Z](?:\.[0-9A-Z]{1,4})?)(\.?-)?\)$", it)
        if not m:
            continue
        target = m.group(1)
        under = [c for c in quiet_under(owner.replace(".", "")) if c != owner]
        hits = quiet_under(target.replace(".", ""))
        if under and hits:
            cases.append((rng.choice(under), rng.choice(hits)))
for a, b in rng.sample(cases, 30):
    add("excludes1", [a, b], ["excludes1"])

headers = [c for c in order if rows[c]["billable"] == "N"]


def header_ok(c):
    kids = children.get(c, [])[:3]
    if not kids or any(len(k.replace(".", "")) == 7 and rows[k]["billable"] == "Y" for k in kids):
        return False
    for a in chain(c):
        if a["kind"] == "code" and (a["code_first"] or a["use_additional"] or a["code_also"]):
            return False
    return c[0] not in "VWXY"
for c in rng.sample([h for h in rng.sample(headers, 400) if header_ok(h)], 15):
    add("validity", [c], ["not_billable"])

sev = [c for c in billable if len(c.replace(".", "")) == 7 and c[0] == "S" and c.endswith("A") and not loud(c)]
for c in rng.sample(sev, 10):
    add("validity", [rows[c]["parent"]], ["seventh_character"])
for c in rng.sample(sev, 5):
    add("validity", [c[:-1] + "Z"], ["seventh_character"])
ph = [c for c in sev if "X" in c[4:]]
for c in rng.sample(ph, 10):
    bare = c[:4] + c[4:].replace("X", "")
    if bare.replace(".", "") not in keys:
        add("validity", [bare], ["placeholder"])
n = 0
for cat in rng.sample(sorted({c[:3] for c in order}), 60):
    k = cat + ".Q9"
    if k.replace(".", "") not in keys and n < 10:
        add("validity", [k], ["invalid_code"])
        n += 1
for c in rng.sample(quiet, 10):
    add("validity", [c, c], ["duplicate"])

# Use additional / code first notes of billable codes, with and without targets.
def own_only(c, field):
    r = rows[c]
    its = [i for i in items(r, field) if CODE.search(i) and not conditional(i)]
    if any(i.rstrip().endswith(":") for i in items(r, field)) or len(its) != 1 or r["billable"] != "Y" or c[0] in "VWXYZ":
        return None
    others = [a for a in chain(c)[1:] if a["kind"] == "code"]
    if any(a["code_first"] or a["use_additional"] or a["code_also"] for a in others):
        return None
    if field == "use_additional" and (r["code_first"] or r["code_also"]):
        return None
    if field == "code_first" and (r["use_additional"] or r["code_also"]):
        return None
    if "unspecified" in r["title"].lower():
        return None
    m = re.search(r"\(([A-Z]\d[0-9A-Z](?:\.[0-9A-Z]{1,4})?)(\.?-)?\)", its[0])
    if not m:
        return None
    hits = [q for q in quiet_under(m.group(1).replace(".", ""))[:50] if unrelated(c, q)]
    return rng.choice(hits) if hits else None


ua = [(c, t) for c in billable for t in [own_only(c, "use_additional")] if t]
for c, t in rng.sample(ua, min(15, len(ua))):
    add("use_additional", [c], ["use_additional"])
    add("use_additional", [c, t], [])
cf = [(c, t) for c in billable for t in [own_only(c, "code_first")] if t]
for c, t in rng.sample(cf, min(12, len(cf))):
    man = ["manifestation_first"] if any("classified elsewhere" in a["title"].lower() for a in chain(c)) else []
    add("code_first", [c], ["code_first"] + man)
    add("code_first", [t, c], [])
    add("code_first", [c, t], ["code_first"] + man)

# Guideline rules (Official Guidelines sections in eval/check/README.md).
hand = [
    ("manifestation", "G63 E85.1", "manifestation_first;code_first"),
    ("manifestation", "E85.1 G63", ""),
    ("external_cause", "W19.XXXA S72.001A", "external_cause_first"),
    ("external_cause", "S72.001A W19.XXXA", ""),
    ("external_cause", "V43.52XA S32.001A", "external_cause_first"),
    ("first_listed", "I10 Z00.00", "first_listed_only"),
    ("first_listed", "Z00.00 I10", ""),
    ("first_listed", "E66.01 Z51.11", "first_listed_only"),
    ("first_listed", "Z51.11 C50.911", ""),
    ("first_listed", "Z00.129", ""),
    ("first_listed", "E66.01 Z02.89", "first_listed_only"),
    ("additional_only", "Z68.41", "additional_only"),
    ("additional_only", "E66.01 Z68.41", ""),
    ("additional_only", "Z33.1", "additional_only"),
    ("additional_only", "J06.9 Z33.1", ""),
    ("additional_only", "B96.20", "additional_only"),
    ("additional_only", "N39.0 B96.20", ""),
    ("sequela", "T22.10XS L90.5", "sequela_order"),
    ("sequela", "L90.5 T22.10XS", ""),
    ("sequela", "S52.501S M12.531", "sequela_order"),
    ("sequela", "M12.531 S52.501S", ""),
    ("combination", "I10 N18.4", "combination"),
    ("combination", "I12.9 N18.4", ""),
    ("combination", "I10 N18.6 Z99.2", "combination"),
    ("combination", "I12.0 N18.6 Z99.2", ""),
    ("combination", "I10 I50.9", "combination;code_first"),
    ("combination", "I11.0 I50.9", ""),
    ("combination", "I13.0 I50.9 N18.4", ""),
    ("combination", "E11.9 N18.4 Z79.4", "combination"),
    ("combination", "E11.22 N18.4 Z79.4", ""),
    ("combination", "E11.9 L97.419 Z79.84", "combination"),
    ("combination", "E11.621 L97.419 Z79.84", ""),
    ("use_additional", "E11.9", "use_additional"),
    ("use_additional", "E11.9 Z79.84", ""),
    ("use_additional", "E11.22 Z79.4", "use_additional"),
    ("use_additional", "N18.6", "use_additional"),
    ("use_additional", "N18.6 Z99.2", ""),
    ("use_additional", "I11.0", "use_additional"),
    ("use_additional", "I11.0 I50.22", ""),
    ("unspecified", "H65.90", "unspecified"),
    ("unspecified", "H65.91", ""),
    ("unspecified", "M25.569", "unspecified"),
    ("unspecified", "M25.561", ""),
    ("unspecified", "S93.409A", "unspecified"),
    ("unspecified", "S93.401A", ""),
    ("excludes1", "E11.42 G63 Z79.4", "excludes1;code_first"),
    ("excludes1", "E11.9 E11.A Z79.4", "excludes1"),
]
for g, codes, exp in hand:
    add(g, codes.split(), exp.split(";") if exp else [])

w = csv.writer(sys.stdout, delimiter="\t", lineterminator="\n")
w.writerow(["id", "group", "codes", "expected"])
for i, (g, codes, exp) in enumerate(out, 1):
    w.writerow([i, g, codes, exp])
