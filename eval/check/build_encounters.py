#!/usr/bin/env python3
"""Builds eval/check/encounters.tsv: encounters made from the tabular notes of
the bundled ICD-10-CM releases (the newest, FY2027, which `check` uses by
default; FY2026 for deleted codes) and from the Official Guidelines, each
with the edit kinds a correct encoder reports (errors and warnings, plus the
`unspecified` note) and, for deleted codes, the date of service. Independent
of medcoder's code: it reads the manual CSVs and builds every case from one
note or one guideline rule applied to codes sampled from the release (no
hand-picked codes), choosing the other codes "quiet" (no note or rule that
would add an edit), with a clean counterpart for most cases (the order or the
code the rule asks for). Kinds: clean, validity (not_billable,
seventh_character, placeholder, invalid_code, duplicate), excludes1,
use_additional, code_also, code_first, manifestation_first,
external_cause_first, first_listed_only, additional_only, sequela_order,
combination, unspecified, deleted. Deterministic (seed).

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
# The newest bundled release: the one `check` uses by default (today).
NEWEST, OLDER = f"{ROOT}/data/icd10cm-2027.csv", f"{ROOT}/data/icd10cm-2026.csv"
for r in csv.DictReader(open(NEWEST, encoding="utf-8")):
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


CITED = re.compile(r"([A-Z]\d[0-9A-Z])(?:\.[0-9A-Z]*)?(?:\s*-\s*([A-Z]\d[0-9A-Z])(?:\.[0-9A-Z]*)?)?-?")


def excl_cats(code):
    """The categories (as ranges) the Excludes1 notes up the chain cite."""
    out = []
    for a in chain(code):
        for it in items(a, "excludes1"):
            out += [(m.group(1), m.group(2) or m.group(1)) for m in CITED.finditer(it)]
    return out


def unrelated(a, b):
    """Neither chain's Excludes1 cites the other's category (or a range of
    categories holding it)."""
    def cites(x, y):
        return any(lo <= y[:3] <= hi for lo, hi in excl_cats(x))
    return a[:3] != b[:3] and not cites(a, b) and not cites(b, a)


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


# The date of service of every case but the deleted ones: in FY2027, the
# release the cases are built from (not "today", so that they stay valid).
DATE = "2026-12-01"


def add(group, codes, expected, date=DATE):
    out.append((group, " ".join(codes), ";".join(sorted(set(expected))), date))


def pairs(group, sample, partners, flagged, kinds, clean):
    """Up to 12 encounters of `group`: each code of `sample` with a random
    unrelated partner, once in the order the edit flags and once clean."""
    n = 0
    for a in sample:
        b = rng.choice(partners)
        if n < 12 and unrelated(a, b):
            add(group, flagged(a, b), kinds)
            add(group, clean(a, b), [])
            n += 1


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

# Use additional / code first / code also notes of billable codes, with and
# without their targets.
NOTE_FIELDS = ("code_first", "use_additional", "code_also")


def own_only(c, field):
    """The quiet code that meets the one note of `c` (its own, citing one
    code or category, not conditional, no other note up the chain)."""
    r = rows[c]
    its = [i for i in items(r, field) if CODE.search(i) and not conditional(i)]
    if any(i.rstrip().endswith(":") for i in items(r, field)) or len(its) != 1 or r["billable"] != "Y" or c[0] in "VWXYZ":
        return None
    others = [a for a in chain(c)[1:] if a["kind"] == "code"]
    if any(a[f] for a in others for f in NOTE_FIELDS):
        return None
    if any(r[f] for f in NOTE_FIELDS if f != field):
        return None
    if "unspecified" in r["title"].lower():
        return None
    m = re.search(r"\(([A-Z]\d[0-9A-Z](?:\.[0-9A-Z]{1,4})?)(\.?-)?\)", its[0])
    if not m:
        return None
    hits = [q for q in quiet_under(m.group(1).replace(".", ""))[:50] if unrelated(c, q)]
    return rng.choice(hits) if hits else None


# A manifestation's title (Guidelines I.A.13): "in diseases classified
# elsewhere", "in other diseases …", "in conditions …".
MANIFESTATION = re.compile(r"\bin (?:[a-z-]+ ){1,6}classified elsewhere")


def manifestation(c):
    return any(MANIFESTATION.search(a["title"].lower()) for a in chain(c))


ua = [(c, t) for c in billable for t in [own_only(c, "use_additional")] if t]
for c, t in rng.sample(ua, min(15, len(ua))):
    add("use_additional", [c], ["use_additional"])
    add("use_additional", [c, t], [])
ca = [(c, t) for c in billable for t in [own_only(c, "code_also")] if t]
for c, t in rng.sample(ca, min(12, len(ca))):
    add("code_also", [c], ["code_also"])
    add("code_also", [c, t], [])
    add("code_also", [t, c], [])
cf = [(c, t) for c in billable for t in [own_only(c, "code_first")] if t]
for c, t in rng.sample(cf, min(12, len(cf))):
    man = ["manifestation_first"] if manifestation(c) else []
    add("code_first", [c], ["code_first"] + man)
    add("code_first", [t, c], [])
    add("code_first", [c, t], ["code_first"] + man)
# Manifestation codes (Guidelines I.A.13): never first-listed.
mf = [(c, t) for c, t in cf if manifestation(c)]
for c, t in rng.sample(mf, min(10, len(mf))):
    add("manifestation", [c, t], ["manifestation_first", "code_first"])
    add("manifestation", [t, c], [])


def noted(code):
    """Some note up the chain (of a code, not a chapter or block) asks for
    another code and is not conditional; a note citing external causes
    only does not count (not required, Guidelines I.C.20)."""
    for a in chain(code):
        if a["kind"] != "code":
            continue
        for f in NOTE_FIELDS:
            for it in items(a, f):
                cites = CODE.findall(it)
                if f == "code_first" and not conditional(it):
                    return True
                if cites and not conditional(it) and not all(x[0] in "VWXY" for x in cites):
                    return True
    return False


def plain(c):
    """A billable code with no note of its own kind to add an edit."""
    r = rows[c]
    t = r["title"].lower()
    return (r["billable"] == "Y" and not noted(c) and "unspecified" not in t
            and "classified elsewhere" not in t and not manifestation(c))


# External causes (Guidelines I.C.20): never first-listed.
ext = [c for c in billable if c[0] in "VWXY" and plain(c) and not c.endswith("S")]
injuries = [c for c in quiet if c[0] in "ST" and not c.endswith("S")]
pairs("external_cause", rng.sample(ext, 60), injuries, lambda e, q: [e, q],
      ["external_cause_first"], lambda e, q: [q, e])

# Z codes that may only be first-listed (Guidelines I.C.21.c.16, the list
# of that section: Z00 but Z00.6, Z01, Z02, Z04, Z31.81, Z31.83, Z31.84,
# Z33.2, Z34, Z38, Z39, Z40, Z42, Z51.0, Z51.1, Z52 but Z52.9, Z76.1,
# Z76.2, Z99.12).
FIRST = ("Z00", "Z01", "Z02", "Z04", "Z31.81", "Z31.83", "Z31.84", "Z33.2", "Z34", "Z38", "Z39",
         "Z40", "Z42", "Z51.0", "Z51.1", "Z52", "Z76.1", "Z76.2", "Z99.12")
first = [c for c in billable if c.startswith(FIRST) and not c.startswith(("Z00.6", "Z52.9")) and plain(c)]
others = [c for c in quiet if c[0] not in "STZ"]
pairs("first_listed", rng.sample(first, min(40, len(first))), others, lambda z, q: [q, z],
      ["first_listed_only"], lambda z, q: [z, q])

# Codes for use as additional codes only: the tabular's "provided for use
# as additional codes" notes, and Guidelines I.C.21.c.3 (Z33.1) and I.B.14
# (Z68, body mass index).
def additional_only(c):
    if c.startswith(("Z68", "Z33.1")):
        return True
    return any("for use as additional code" in " ".join(items(a, "notes")).lower()
               or "or additional codes" in " ".join(items(a, "notes")).lower() for a in chain(c))


addl = [c for c in billable if additional_only(c) and plain(c)]
pairs("additional_only", rng.sample(addl, min(40, len(addl))), others, lambda c, q: [c],
      ["additional_only"], lambda c, q: [q, c])

# Sequelae (Guidelines I.B.10, I.C.19.a): the residual condition first,
# then the sequela code (7th character S where the category defines it).
def sequela_defined(c):
    return any("S=sequela" in a["seventh"] for a in chain(c))


seq = [c for c in billable if len(c.replace(".", "")) == 7 and c.endswith("S") and c[0] not in "VWXY"
       and sequela_defined(c) and plain(c)]
residual = [c for c in quiet if c[0] not in "STVWXYZ"]
pairs("sequela", rng.sample(seq, 60), residual, lambda s_, q: [s_, q], ["sequela_order"],
      lambda s_, q: [q, s_])

def note_lists(c, field):
    """The items of `field` of each code of c's chain (chapters and blocks left out)."""
    for a in chain(c):
        if a["kind"] == "code":
            yield items(a, field)


# Combinations the classification makes (Guidelines I.C.9.a hypertension
# with CKD or heart failure, I.C.4.a diabetes "with"): a member of the
# family coded beside a condition that a combination code's "use
# additional code" note cites. The condition must be quiet apart from
# conditional notes; the member gets what its own notes ask for.
def cited(c, field="use_additional"):
    out = []
    for its in note_lists(c, field):
        for it in its:
            if not conditional(it):
                out += CODE.findall(it)
    return out


def fills(c):
    """Codes that meet the notes of c's chain (the first code each group cites)."""
    out = []
    for its in note_lists(c, "use_additional"):
        for i, it in enumerate(its):
            head = it.rstrip().endswith(":")
            if conditional(it):
                continue
            if head and i + 1 < len(its):
                got = CODE.findall(its[i + 1])
            elif not head and i > 0 and its[i - 1].rstrip().endswith(":"):
                continue
            else:
                got = CODE.findall(it)
            if got and got[0] in rows and rows[got[0]]["billable"] == "Y":
                out.append(got[0])
                break
    return out


def condition_ok(o):
    r = rows[o]
    t = r["title"].lower()
    if r["billable"] != "Y" or o[0] in "VWXYZ" or "unspecified" in t or manifestation(o):
        return False
    for a in chain(o):
        if a["kind"] != "code":
            continue
        cfs = items(a, "code_first")
        if cfs and not any(conditional(i) for i in cfs):
            return False
        for f in ("use_additional", "code_also"):
            if any(CODE.search(i) and not conditional(i) for i in items(a, f)):
                return False
    return True


def expand(code):
    """Billable codes under a cited code or category."""
    return [k for k in quiet_under(code.replace(".", "")) + [keys[x] for x in [code.replace(".", "")] if x in keys]
            if rows[k]["billable"] == "Y"] or [c for c in billable if c.replace(".", "").startswith(code.replace(".", ""))]


combos = []
for fam, members, scope in (("I1", ["I10"], "family"), ("E", ["E08.9", "E09.9", "E10.9", "E11.9", "E13.9"], "category")):
    for x in members:
        if any(a["code_first"] for a in chain(x) if a["kind"] == "code"):
            continue  # its own code-first note would add an edit
        pool = [k for k in billable if (k[:3] in ("I11", "I12", "I13") if scope == "family" else k[:3] == x[:3]) and k != x]
        for k in pool:
            for t in cited(k):
                if t[:3] == k[:3] or t.startswith(("Z79", "Z99", "E08", "E09", "E10", "E11", "E13", "I1")):
                    continue
                for o in expand(t)[:20]:
                    if condition_ok(o) and o not in cited(x):
                        combos.append((x, k, o))
for x, k, o in rng.sample(sorted(set(combos)), min(14, len(set(combos)))):
    add("combination", [x] + fills(x) + [o], ["combination"])

# More use-additional notes: a code whose chain has exactly one
# instruction (one item, or a list under a heading ending ':') that cites
# codes and is not conditional; alone, and with the first code it cites.
def ua_groups(c):
    n = 0
    for its in note_lists(c, "use_additional"):
        for i, it in enumerate(its):
            head = it.rstrip().endswith(":")
            under = i > 0 and its[i - 1].rstrip().endswith(":") or any(x.rstrip().endswith(":") for x in its[:i])
            if conditional(it) or (under and not head):
                continue
            if head and i + 1 < len(its) or CODE.search(it):
                n += 1
    return n


def ua_only(c):
    r = rows[c]
    t = r["title"].lower()
    if r["billable"] != "Y" or c[0] in "VWXYZ" or "unspecified" in t or manifestation(c) or c.endswith("S"):
        return False
    if any(a[f] for a in chain(c) if a["kind"] == "code" for f in ("code_first", "code_also")):
        return False
    return ua_groups(c) == 1


uas = [c for c in billable if ua_only(c)]
n = 0
for c in rng.sample(uas, min(80, len(uas))):
    f = fills(c)
    if n < 12 and f and plain(f[0]) and not f[0].startswith(FIRST) and not additional_only(f[0]) and unrelated(c, f[0]):
        add("use_additional", [c], ["use_additional"])
        add("use_additional", [c] + f, [])
        n += 1

# Manifestations whose code-first note is a list ("underlying disease,
# such as: …"): alone (manifestation first, code first missing), and after
# the first code the list cites.
def first_target(c, field):
    for its in note_lists(c, field):
        for it in its:
            for t in CODE.findall(it):
                hits = [k for k in expand(t)[:30] if plain(k) and not k.startswith(FIRST) and not additional_only(k)
                        and unrelated(c, k)]
                if hits:
                    return hits[0]
    return None


def single(c, field):
    """Billable, not external or Z, and no note up the chain but `field`."""
    r = rows[c]
    if r["billable"] != "Y" or c[0] in "VWXYZ" or "unspecified" in r["title"].lower() or c.endswith("S"):
        return False
    notes = {f for a in chain(c) if a["kind"] == "code" for f in NOTE_FIELDS if a[f]}
    return notes == {field}


mans = [c for c in billable if manifestation(c) and single(c, "code_first")]
n = 0
for c in rng.sample(mans, min(60, len(mans))):
    t = first_target(c, "code_first")
    cond = any(conditional(i) for a in chain(c) if a["kind"] == "code" for i in items(a, "code_first"))
    if n < 10 and t:
        add("manifestation", [c], ["manifestation_first"] + ([] if cond else ["code_first"]))
        add("manifestation", [t, c], [])
        n += 1

# Code also notes, lists included: alone, and with the first code cited.
cas = [c for c in billable if single(c, "code_also") and not manifestation(c)
       and any(CODE.search(i) and not conditional(i) for a in chain(c) if a["kind"] == "code" for i in items(a, "code_also"))
       and all(not conditional(i) for a in chain(c) if a["kind"] == "code" for i in items(a, "code_also"))]
n = 0
for c in rng.sample(cas, min(60, len(cas))):
    t = first_target(c, "code_also")
    groups = sum(1 for a in chain(c) if a["kind"] == "code" for i in items(a, "code_also") if CODE.search(i))
    if n < 10 and t and groups == 1:
        add("code_also", [c], ["code_also"])
        add("code_also", [c, t], [])
        n += 1

# Unspecified codes (Guidelines I.B.13, I.A.9): a code titled unspecified
# whose siblings name the right and the left side is a note; a sided
# sibling is not.
SIDES = ("right", "left", "bilateral")


def words(t):
    return set(re.findall(r"[a-z0-9]+", t.lower()))


def sided(c):
    return bool(words(rows[c]["title"]) & set(SIDES))


unsp = []
for c in billable:
    if len(c.replace(".", "")) == 7 or "unspecified" not in words(rows[c]["title"]) or sided(c) or noted(c) or manifestation(c):
        continue
    sibs = [k for k in children.get(rows[c]["parent"], []) if k != c and sided(k)]
    named = set().union(*(words(rows[k]["title"]) for k in sibs)) if sibs else set()
    if "right" in named and "left" in named:
        side = [k for k in sibs if rows[k]["billable"] == "Y" and plain(k)]
        if side:
            unsp.append((c, rng.choice(side)))
for c, k in rng.sample(unsp, min(10, len(unsp))):
    add("unspecified", [c], ["unspecified"])
    add("unspecified", [k], [])

# Deleted codes: a code of FY2026 only checked on a date of FY2027, and a
# code new in FY2027 checked on a date of FY2026 (the release in effect
# then); each also on a date of its own release, where it is valid.
old_rows = {}
for r in csv.DictReader(open(OLDER, encoding="utf-8")):
    if r["kind"] == "code" or r["code"] not in old_rows:
        old_rows[r["code"]] = r


def old_quiet(c):
    """Valid and without notes or rules of its own in FY2026."""
    out, code = [], c
    while code in old_rows and len(out) < 10:
        out.append(old_rows[code])
        code = old_rows[code]["parent"] if old_rows[code]["parent"] != code else ""
    r = old_rows[c]
    return (r["billable"] == "Y" and c[0] not in "VWXYZ" and not c.endswith("S")
            and "unspecified" not in r["title"].lower() and "classified elsewhere" not in r["title"].lower()
            and not any(a[f] for a in out if a["kind"] == "code" for f in NOTE_FIELDS))


gone = sorted(c for c, r in old_rows.items() if r["kind"] == "code" and r["billable"] == "Y" and c not in rows)
for c in rng.sample(gone, min(8, len(gone))):
    add("deleted", [c], ["deleted"], "2026-11-15")
    if old_quiet(c):
        add("deleted", [c], [], "2026-06-15")
added = sorted(c for c in billable if c not in old_rows)
for c in rng.sample(added, min(10, len(added))):
    add("deleted", [c], ["deleted"], "2026-06-15")
    if not loud(c):
        add("deleted", [c], [], DATE)

w = csv.writer(sys.stdout, delimiter="\t", lineterminator="\n")
w.writerow(["id", "group", "codes", "expected", "date"])
for i, (g, codes, exp, date) in enumerate(out, 1):
    w.writerow([i, g, codes, exp, date])
