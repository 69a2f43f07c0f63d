//! A phrase's parts and what a code covers of them: "CHF due to HTN" is
//! two conditions, "HTN; CKD stage 3" two diagnoses of a problem list. A
//! part is covered by a code when every word of it that the manuals know
//! is in one of the code's names or its ancestors' titles (through any
//! reading the query analysis gives it: "CKD" as "chronic kidney disease").
//!
//! Not for choosing codes: see [`super`].

use crate::index::Index;
use crate::search::Query;

/// Words that join two conditions in a phrase.
pub const CONNECTORS: &[&str] = &[
    "with",
    "w/",
    "and",
    "&",
    "+",
    "due",
    "secondary",
    "caused",
    "induced",
    "in",
    "on",
];

/// Words a connector takes with it ("due to", "secondary to", "caused by").
const CONNECTOR_TAILS: &[&str] = &["to", "by"];

/// The parts of a phrase, in order: split at connectors and semicolons
/// (a comma qualifies what precedes it: "fracture of femur, closed");
/// parts without a letter or digit are dropped. A phrase with no
/// connector is one part.
pub fn split(text: &str) -> Vec<String> {
    let mut parts: Vec<String> = Vec::new();
    let mut cur: Vec<&str> = Vec::new();
    let mut after_connector = false;
    let spaced = text.replace("-induced", " induced ").replace("w/", " w/ ");
    let flush = |cur: &mut Vec<&str>, parts: &mut Vec<String>| {
        let p = cur.join(" ");
        if p.chars().any(char::is_alphanumeric) {
            parts.push(p);
        }
        cur.clear();
    };
    for raw in spaced.split_whitespace() {
        let (word, ends) = match raw.strip_suffix(';') {
            Some(w) => (w, true),
            None => (raw, false),
        };
        let lower = word.to_lowercase();
        if CONNECTORS.contains(&lower.as_str()) {
            flush(&mut cur, &mut parts);
            after_connector = true;
        } else if !(after_connector && CONNECTOR_TAILS.contains(&lower.as_str())) {
            after_connector = false;
            if !word.is_empty() {
                cur.push(word);
            }
        }
        if ends {
            flush(&mut cur, &mut parts);
        }
    }
    flush(&mut cur, &mut parts);
    parts
}

/// The sorted term ids of a code's names and its ancestors' titles.
pub fn doc_terms<D: AsRef<[u8]>>(index: &Index<D>, doc: u32) -> Vec<u32> {
    let mut out = Vec::new();
    if let Some(first) = index.title_name(doc) {
        let mut n = first;
        while (n as usize) < index.name_count() && index.name(n).doc == doc {
            out.extend(index.name_terms(&index.name(n)).map(|(t, _)| t));
            n += 1;
        }
    }
    for a in index.ancestors(doc) {
        if let Some(n) = index.title_name(a) {
            out.extend(index.name_terms(&index.name(n)).map(|(t, _)| t));
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// What [`covers`] reads of an analysed part: the term ids of each
/// reading of each slot that has readings. Flat (three allocations) so
/// that a run can remember it for many parts (see [`super::memo`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Reading {
    /// The terms of every reading, one after another.
    terms: Box<[u32]>,
    /// Where each reading's terms end in `terms`.
    alt_ends: Box<[u32]>,
    /// Where each slot's readings end in `alt_ends`.
    slot_ends: Box<[u32]>,
}

impl Reading {
    /// The readings of `part` that [`covers`] looks at.
    pub fn of(part: &Query) -> Reading {
        let mut terms = Vec::new();
        let mut alt_ends = Vec::new();
        let mut slot_ends = Vec::new();
        for slot in part.slots.iter().filter(|s| !s.alts.is_empty()) {
            for alt in &slot.alts {
                terms.extend_from_slice(&alt.terms);
                alt_ends.push(terms.len() as u32);
            }
            slot_ends.push(alt_ends.len() as u32);
        }
        Reading {
            terms: terms.into(),
            alt_ends: alt_ends.into(),
            slot_ends: slot_ends.into(),
        }
    }

    /// Each slot's readings, each as its terms.
    fn slots(&self) -> impl Iterator<Item = impl Iterator<Item = &[u32]>> {
        let ends = |e: &[u32], k: usize| if k == 0 { 0 } else { e[k - 1] as usize };
        (0..self.slot_ends.len()).map(move |s| {
            let alts = ends(&self.slot_ends, s)..self.slot_ends[s] as usize;
            alts.map(move |a| &self.terms[ends(&self.alt_ends, a)..self.alt_ends[a] as usize])
        })
    }
}

/// Whether every known word of `part` is covered by `terms` (sorted). A
/// part with no known word is covered: there is nothing to code.
pub fn covers(part: &Reading, terms: &[u32]) -> bool {
    part.slots()
        .all(|mut alts| alts.any(|a| a.iter().all(|t| terms.binary_search(t).is_ok())))
}

#[cfg(test)]
mod tests {
    use super::split;

    #[test]
    fn parts_at_connectors_commas_and_semicolons() {
        assert_eq!(split("CHF due to HTN"), ["CHF", "HTN"]);
        assert_eq!(split("HTN w/CKD stage 3"), ["HTN", "CKD stage 3"]);
        assert_eq!(split("HTN; CKD stage 3"), ["HTN", "CKD stage 3"]);
        assert_eq!(split("steroid-induced diabetes"), ["steroid", "diabetes"]);
        assert_eq!(
            split("foot ulcer of right heel, type 2"),
            ["foot ulcer of right heel, type 2"]
        );
        assert_eq!(split("essential hypertension"), ["essential hypertension"]);
        assert_eq!(split("with and ;"), Vec::<String>::new());
    }
}
