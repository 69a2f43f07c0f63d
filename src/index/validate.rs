//! Structural checks of an index at open: every offset, length, count and
//! id is checked against the file before any reader uses it, so that a
//! file whose checksum is valid but whose structure is not (a bug, a
//! hand-edited file, a hostile one) is refused with a message instead of
//! causing a panic, a hang or a wrong answer.
//!
//! Not for: the checksum, magic and version (see [`super::Index::from_bytes`]).

use super::format::*;
use super::{Index, Section};
use crate::release::MAX_RELEASES;

/// The longest vocabulary phrase an index may declare, in words.
const MAX_PHRASE_WORDS: usize = 64;

/// Checks the structure of `idx`; the error says which part is wrong.
pub(super) fn check<D: AsRef<[u8]>>(idx: &Index<D>) -> Result<(), String> {
    let terms = idx.sec(Section::TermIdf).len() / 4;
    let postings = idx.sec(Section::Postings).len() / 4;
    let name_terms = idx.name_term_slots();
    let (names, docs) = (idx.name_count(), idx.doc_count());
    for (s, unit) in [
        (Section::TermIdf, 4),
        (Section::Postings, 4),
        (Section::NameTerms, if idx.narrow { 2 } else { 4 }),
        (Section::Names, NAME_LEN),
        (Section::Docs, DOC_LEN),
    ] {
        if !idx.sec(s).len().is_multiple_of(unit) {
            return Err(format!("section {s:?} is not a whole number of records"));
        }
    }
    if idx.sec(Section::PostingOffsets).len() != (terms + 1) * 4 {
        return Err("posting offsets do not match the number of terms".into());
    }
    if idx.sec(Section::DetailDictionary).len() > DETAIL_DICTIONARY_MAX {
        return Err("the detail dictionary is too long".into());
    }
    if idx.sec(Section::Validity).len() != docs {
        return Err("the release validity does not match the number of docs".into());
    }
    check_layout(idx)?;
    if u32_at(idx.sec(Section::PostingOffsets), terms * 4) as usize != postings {
        return Err("postings do not match their offsets".into());
    }
    if idx.meta.manuals.is_empty() {
        return Err("no manuals in the metadata".into());
    }
    if idx.meta.phrase_words > MAX_PHRASE_WORDS {
        return Err("vocabulary phrase length out of range".into());
    }
    check_terms(idx, terms, postings, names)?;
    check_names(idx, names, docs, name_terms, terms)?;
    check_docs(idx, docs, names)?;
    check_validity(idx, docs)?;
    let phrase_data = idx.sec(Section::PhraseData).len() as u64;
    for (s, limit) in [
        (Section::Terms, terms as u64),
        (Section::Words, terms as u64),
        (Section::Codes, docs as u64),
        (Section::Phrases, phrase_data),
    ] {
        check_fst(idx.sec(s), limit).map_err(|e| format!("section {s:?}: {e}"))?;
    }
    Ok(())
}

/// The sections are those of [`Section::ALL`], each once, laid out as the
/// builder lays them out: in that order, each at the first 8-byte boundary
/// after the one before, the last ending where the footer's padding
/// starts. So no section overlaps another, and one moved or resized, even
/// an empty one, is refused.
fn check_layout<D: AsRef<[u8]>>(idx: &Index<D>) -> Result<(), String> {
    let b = idx.data.as_ref();
    if u32_at(b, 12) as usize != Section::ALL.len() {
        return Err("the section table does not list every section once".into());
    }
    let align8 = |n: usize| n.div_ceil(8) * 8;
    let mut next = align8(HEADER_LEN + Section::ALL.len() * SECTION_ROW_LEN);
    for s in Section::ALL {
        let r = &idx.sections[s as usize];
        if r.start != next {
            return Err(format!("section {s:?} is not where the layout puts it"));
        }
        next = align8(r.end);
    }
    if next != b.len() - FOOTER_LEN {
        return Err("the sections do not end where the footer starts".into());
    }
    Ok(())
}

/// Idf values, posting ranges and the name ids in them.
fn check_terms<D: AsRef<[u8]>>(
    idx: &Index<D>,
    terms: usize,
    postings: usize,
    names: usize,
) -> Result<(), String> {
    let idf = idx.sec(Section::TermIdf);
    if (0..terms).any(|t| !f32_at(idf, t * 4).is_finite() || f32_at(idf, t * 4) < 0.0) {
        return Err("a term's idf is not a finite positive number".into());
    }
    let offs = idx.sec(Section::PostingOffsets);
    let p = idx.sec(Section::Postings);
    let mut prev = 0usize;
    for t in 0..=terms {
        let o = u32_at(offs, t * 4) as usize;
        if o < prev || o > postings || (t == 0 && o != 0) {
            return Err("posting offsets out of order or out of bounds".into());
        }
        let mut last: i64 = -1;
        for n in p[prev * 4..o * 4].chunks_exact(4).map(le_u32) {
            if i64::from(n) <= last {
                return Err("postings of a term are not ascending".into());
            }
            last = i64::from(n);
        }
        if last >= names as i64 {
            return Err("a posting names no name".into());
        }
        prev = o;
    }
    Ok(())
}

/// A little-endian u32 from a 4-byte chunk.
#[inline]
fn le_u32(c: &[u8]) -> u32 {
    u32::from_le_bytes([c[0], c[1], c[2], c[3]])
}

/// Name records: their doc, weight, kind and term slice (from its start
/// to the next name's, which is never before it, to the end for the last).
fn check_names<D: AsRef<[u8]>>(
    idx: &Index<D>,
    names: usize,
    docs: usize,
    name_terms: usize,
    terms: usize,
) -> Result<(), String> {
    let n = idx.sec(Section::Names);
    let mut prev = 0usize;
    for i in 0..names {
        let r = &n[i * NAME_LEN..(i + 1) * NAME_LEN];
        let (doc, weight) = (u32_at(r, 0) as usize, f32_at(r, 4));
        let packed = u32_at(r, 8);
        let start = (packed & ((1 << NAME_START_BITS) - 1)) as usize;
        if doc >= docs
            || !weight.is_finite()
            || weight < 0.0
            || packed >> NAME_START_BITS > u32::from(NAME_INDEX)
            || start < prev
            || start > name_terms
        {
            return Err(format!("name record {i} is out of bounds"));
        }
        prev = start;
    }
    let t = idx.sec(Section::NameTerms);
    let bad = if idx.narrow {
        t.chunks_exact(2)
            .any(|c| usize::from(u16::from_le_bytes([c[0], c[1]]) & !OPTIONAL_BIT_NARROW) >= terms)
    } else {
        t.chunks_exact(4)
            .any(|c| (le_u32(c) & !OPTIONAL_BIT) as usize >= terms)
    };
    if bad {
        return Err("a name's term id names no term".into());
    }
    Ok(())
}

/// Doc records: code and title (whole UTF-8 strings; the title ends where
/// the next doc's code starts), detail (from its offset to the next doc's,
/// never before it; JSON or packed, see [`Section::Details`]), parent,
/// default child, system, title name.
fn check_docs<D: AsRef<[u8]>>(idx: &Index<D>, docs: usize, names: usize) -> Result<(), String> {
    let d = idx.sec(Section::Docs);
    let strings =
        std::str::from_utf8(idx.sec(Section::Strings)).map_err(|_| "strings are not UTF-8")?;
    let details = idx.sec(Section::Details);
    let manuals = idx.meta.manuals.len();
    let name = idx.sec(Section::Names);
    let field = |i: usize, at: usize, end: usize| {
        if i + 1 < docs {
            u32_at(d, (i + 1) * DOC_LEN + at) as usize
        } else {
            end
        }
    };
    for i in 0..docs {
        let r = &d[i * DOC_LEN..(i + 1) * DOC_LEN];
        let bad = || format!("doc record {i} is out of bounds");
        let (off, code) = (u32_at(r, 0) as usize, usize::from(r[20]));
        let mid = off.checked_add(code).ok_or_else(bad)?;
        let end = field(i, 0, strings.len());
        strings.get(off..mid).ok_or_else(bad)?;
        strings.get(mid..end).ok_or_else(bad)?;
        let detail = details
            .get(u32_at(r, 4) as usize..field(i, 4, details.len()))
            .ok_or_else(bad)?;
        if detail
            .first()
            .is_some_and(|b| *b != b'{' && *b != DETAIL_PACKED)
        {
            return Err(format!(
                "doc record {i}: its detail is neither JSON nor packed"
            ));
        }
        let doc_ok = |v: u32| v == NO_DOC || (v as usize) < docs;
        let first = u32_at(r, 16);
        if !doc_ok(u32_at(r, 8))
            || !doc_ok(u32_at(r, 12))
            || usize::from(r[21]) >= manuals
            || (first != NO_DOC
                && (first as usize >= names
                    || u32_at(name, first as usize * NAME_LEN) as usize != i))
        {
            return Err(bad());
        }
    }
    Ok(())
}

/// Release validity: at most [`MAX_RELEASES`] releases per manual, and
/// each doc of a manual of several releases is a code of at least one of
/// them and of no other.
fn check_validity<D: AsRef<[u8]>>(idx: &Index<D>, docs: usize) -> Result<(), String> {
    if idx
        .meta
        .manuals
        .iter()
        .any(|m| m.releases.len() > MAX_RELEASES)
    {
        return Err("a manual has more releases than the validity bits hold".into());
    }
    let v = idx.sec(Section::Validity);
    for (i, &bits) in v.iter().enumerate().take(docs) {
        let d = &idx.sec(Section::Docs)[i * DOC_LEN..(i + 1) * DOC_LEN];
        let releases = idx.meta.manuals[usize::from(d[21])].releases.len();
        if releases > 1 && (bits == 0 || u32::from(bits) >> releases != 0) {
            return Err(format!(
                "doc record {i}: its release validity names no release of its manual"
            ));
        }
    }
    Ok(())
}

/// An fst map: every node decodes, every transition points to an earlier
/// node (so no walk can loop), and every value is below `limit`.
fn check_fst(bytes: &[u8], limit: u64) -> Result<(), String> {
    let fst = fst::raw::Fst::new(bytes).map_err(|e| e.to_string())?;
    let walk = std::panic::AssertUnwindSafe(|| max_value(&fst));
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let max = std::panic::catch_unwind(walk);
    std::panic::set_hook(hook);
    match max {
        Ok(Ok(Some(v))) if v >= limit => Err("a value is out of range".into()),
        Ok(Ok(_)) => Ok(()),
        Ok(Err(e)) => Err(e),
        Err(_) => Err("a node cannot be decoded".into()),
    }
}

/// The largest value of the map, visiting each node once (children before
/// their parent, on an explicit stack).
fn max_value(fst: &fst::raw::Fst<&[u8]>) -> Result<Option<u64>, String> {
    const UNSEEN: u64 = u64::MAX;
    const NONE: u64 = u64::MAX - 1;
    let len = fst.as_bytes().len();
    let mut best = vec![UNSEEN; len + 1];
    let root = fst.root().addr();
    let mut stack = vec![(root, false)];
    while let Some((addr, expanded)) = stack.pop() {
        if addr > len {
            return Err("a node address is out of bounds".into());
        }
        if best[addr] != UNSEEN {
            continue;
        }
        let node = fst.node(addr);
        if !expanded {
            stack.push((addr, true));
            for t in node.transitions() {
                if t.addr >= addr {
                    return Err("a transition points forward (a loop)".into());
                }
                if t.addr > len {
                    return Err("a node address is out of bounds".into());
                }
                if best[t.addr] == UNSEEN {
                    stack.push((t.addr, false));
                }
            }
            continue;
        }
        let mut m = node.is_final().then(|| node.final_output().value());
        for t in node.transitions() {
            let child = best[t.addr];
            if child == UNSEEN {
                return Err("a transition points forward (a loop)".into());
            }
            if child != NONE {
                let v = child
                    .checked_add(t.out.value())
                    .filter(|v| *v < NONE)
                    .ok_or("a value overflows")?;
                m = Some(m.map_or(v, |x: u64| x.max(v)));
            }
        }
        best[addr] = m.unwrap_or(NONE);
    }
    let r = best[root];
    Ok((r != NONE && r != UNSEEN).then_some(r))
}
