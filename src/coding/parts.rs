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

/// Whether every known word of `part` is covered by `terms` (sorted). A
/// part with no known word is covered: there is nothing to code.
pub fn covers(part: &Query, terms: &[u32]) -> bool {
    part.slots.iter().filter(|s| !s.alts.is_empty()).all(|s| {
        s.alts
            .iter()
            .any(|a| a.terms.iter().all(|t| terms.binary_search(t).is_ok()))
    })
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
