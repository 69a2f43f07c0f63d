//! The names phase of the build: every title, inclusion term, "includes"
//! note and index path becomes a name of analysed terms; terms get ids in
//! sorted order (as the fst wants); then each term's postings (the names
//! that hold it) and its idf.

use super::Rows;
use super::docs::{Hierarchy, doc_flags, seventh_suffix};
use crate::index::format::*;
use crate::text::{Analyzer, WordCache};
use std::collections::{BTreeMap, HashMap};

/// One searchable name as built.
pub(super) struct Name {
    /// The doc it names.
    pub doc: u32,
    /// `NAME_*` kind.
    pub kind: u8,
    /// Term ids, each with whether it is optional (in parentheses, or a
    /// 7th character's words), in title order, without repeats.
    pub terms: Vec<(u32, bool)>,
}

/// What the names phase gives the rest of the build.
pub(super) struct Names {
    /// Every name, grouped by doc in doc order.
    pub names: Vec<Name>,
    /// Term → id, ids in sorted order.
    pub term_ids: BTreeMap<String, u32>,
    /// `FLAG_*` bits of each doc (without [`FLAG_HAS_NOS`], see
    /// [`first_names`]).
    pub flags: Vec<u16>,
    /// Every surface word seen and its term.
    pub words: WordCache,
}

/// Analyses every row's names and flags.
pub(super) fn names(entries: &Rows, h: &Hierarchy, analyzer: &Analyzer) -> Names {
    let mut flags = vec![0u16; entries.len()];
    let mut raw_terms: Vec<Vec<(String, bool)>> = Vec::new();
    let mut name_meta: Vec<(u32, u8)> = Vec::new();
    let mut words = WordCache::default();
    for (id, (_, e)) in entries.iter().enumerate() {
        let suffix = seventh_suffix(entries, h, id);
        flags[id] = doc_flags(e, suffix.as_ref());
        let analyzed = analyzer.terms_cached(&e.title, &mut words);
        let mut title_terms: Vec<(String, bool)> =
            analyzed.into_iter().map(|t| (t.text, t.optional)).collect();
        if let Some((suffix, _)) = &suffix {
            let n = analyzer.terms_cached(suffix, &mut words).len();
            let len = title_terms.len();
            for t in &mut title_terms[len.saturating_sub(n)..] {
                t.1 = true;
            }
        }
        raw_terms.push(title_terms);
        name_meta.push((id as u32, NAME_TITLE));
        for s in e.synonyms.iter().chain(&e.notes.includes) {
            let analyzed = analyzer.terms_cached(s, &mut words);
            let t: Vec<(String, bool)> =
                analyzed.into_iter().map(|t| (t.text, t.optional)).collect();
            if !t.is_empty() {
                raw_terms.push(t);
                let nos = s
                    .split(|c: char| !c.is_ascii_alphanumeric())
                    .any(|w| w == "NOS");
                name_meta.push((id as u32, if nos { NAME_NOS } else { NAME_SYNONYM }));
            }
        }
        for p in &e.index_paths {
            let analyzed = analyzer.terms_cached(p, &mut words);
            let t: Vec<(String, bool)> =
                analyzed.into_iter().map(|t| (t.text, t.optional)).collect();
            if !t.is_empty() {
                raw_terms.push(t);
                name_meta.push((id as u32, NAME_INDEX));
            }
        }
    }
    let term_ids = term_ids(&raw_terms);
    let lookup: HashMap<&str, u32> = term_ids.iter().map(|(t, id)| (t.as_str(), *id)).collect();
    let names = raw_terms
        .iter()
        .zip(&name_meta)
        .map(|(terms, (doc, kind))| {
            let mut seen: Vec<(u32, bool)> = Vec::with_capacity(terms.len());
            for (t, opt) in terms {
                let id = lookup[t.as_str()];
                match seen.iter_mut().find(|(x, _)| *x == id) {
                    Some(s) => s.1 &= *opt,
                    None => seen.push((id, *opt)),
                }
            }
            Name {
                doc: *doc,
                kind: *kind,
                terms: seen,
            }
        })
        .collect();
    Names {
        names,
        term_ids,
        flags,
        words,
    }
}

/// Term ids in sorted order, as the fst wants.
fn term_ids(raw_terms: &[Vec<(String, bool)>]) -> BTreeMap<String, u32> {
    let mut term_ids: BTreeMap<String, u32> = BTreeMap::new();
    for terms in raw_terms {
        for (t, _) in terms {
            if !term_ids.contains_key(t) {
                term_ids.insert(t.clone(), 0);
            }
        }
    }
    for (i, v) in term_ids.values_mut().enumerate() {
        *v = i as u32;
    }
    term_ids
}

/// The names holding each term. Chapters and blocks are never suggested:
/// their titles serve as context only (read through NAME_TERMS), not as
/// candidates.
pub(super) fn postings(names: &[Name], flags: &[u16], nterms: usize) -> Vec<Vec<u32>> {
    let mut postings: Vec<Vec<u32>> = vec![Vec::new(); nterms];
    for (nid, n) in names.iter().enumerate() {
        if flags[n.doc as usize] & (FLAG_CHAPTER | FLAG_BLOCK) != 0 {
            continue;
        }
        for (t, _) in &n.terms {
            postings[*t as usize].push(nid as u32);
        }
    }
    postings
}

/// The BM25 idf of each term over the names. Index paths repeat their
/// codes' words many times over ("Accident, transport, …"): a word's rarity
/// is counted over the titles and inclusion terms only, so adding a book
/// does not reweigh the manuals.
pub(super) fn idf(postings: &[Vec<u32>], names: &[Name]) -> Vec<f32> {
    let counted = |nid: &u32| names[*nid as usize].kind != NAME_INDEX;
    let total = names.iter().filter(|n| n.kind != NAME_INDEX).count() as f32;
    postings
        .iter()
        .map(|p| {
            let df = p.iter().filter(|n| counted(n)).count() as f32;
            (1.0 + (total - df + 0.5) / (df + 0.5)).ln()
        })
        .collect()
}

/// Where each doc's names start ([`NO_DOC`] for none); sets
/// [`FLAG_HAS_NOS`] on docs that hold an "NOS" inclusion term.
pub(super) fn first_names(names: &[Name], flags: &mut [u16]) -> Vec<u32> {
    let mut first_name = vec![NO_DOC; flags.len()];
    for (nid, n) in names.iter().enumerate().rev() {
        first_name[n.doc as usize] = nid as u32;
        if n.kind == NAME_NOS {
            flags[n.doc as usize] |= FLAG_HAS_NOS;
        }
    }
    first_name
}
