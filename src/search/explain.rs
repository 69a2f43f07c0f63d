//! Why a code scored as it did: which words matched and how, which did
//! not, and every factor applied.

use super::query::{Query, Via};
use super::score::NameScore;
use crate::index::Index;
use crate::index::format::NAME_TITLE;
use serde::Serialize;

/// How one query word (or phrase) matched.
#[derive(Debug, Clone, Serialize)]
pub struct WordMatch {
    /// As typed.
    pub query: String,
    /// "exact", "abbreviation", "synonym", "lay term", "spelling",
    /// "fuzzy", "prefix", "word parts" or "unmatched".
    pub how: String,
    /// Detail: "HTN → hypertension", "diabeties → diabet (1 edit)".
    #[serde(skip_serializing_if = "String::is_empty")]
    pub detail: String,
    /// Credit 0..1 this word got.
    pub credit: f32,
    /// Its share of the query's weight (rare words and the words before
    /// the first comma weigh more).
    pub weight: f32,
}

/// The explanation of one suggestion's score.
#[derive(Debug, Clone, Serialize)]
pub struct Explanation {
    /// The text that matched: the title or an inclusion term.
    pub matched_text: String,
    /// "title" or "inclusion term".
    pub matched_field: String,
    /// Per query word or phrase.
    pub words: Vec<WordMatch>,
    /// Title words the query did not mention.
    pub unmatched_title_words: Vec<String>,
    /// Share of the query's weight that matched.
    pub query_coverage: f32,
    /// Share of the title's weight that the query covered.
    pub title_coverage: f32,
    /// Factors applied, e.g. ("not billable (a header)", 0.9).
    pub adjustments: Vec<(String, f32)>,
    /// When the score was inherited from a header: its code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_of: Option<String>,
    /// When inherited from a header: the query words this code's own title
    /// matched and the header did not (the qualifiers that picked it among
    /// the header's codes: "left", "initial encounter").
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub picked_by: Vec<String>,
    /// The final score.
    pub score: f32,
}

/// The text of a name: its doc's title, the k-th inclusion term or an
/// index path.
pub fn name_text<D: AsRef<[u8]>>(index: &Index<D>, name: u32) -> (String, String) {
    let n = index.name(name);
    let doc = index.doc(n.doc);
    if n.kind == NAME_TITLE {
        return (doc.title.to_string(), "title".into());
    }
    let first = index.title_name(n.doc).unwrap_or(name);
    let k = (name - first) as usize;
    let detail = index.detail(n.doc);
    let terms = detail.synonyms.len() + detail.notes.includes.len();
    let texts: Vec<&String> = detail
        .synonyms
        .iter()
        .chain(&detail.notes.includes)
        .chain(&detail.index_paths)
        .collect();
    let text = texts
        .get(k.saturating_sub(1))
        .map(|s| s.to_string())
        .unwrap_or_default();
    let kind = if k > terms {
        "index path"
    } else {
        "inclusion term"
    };
    (text, kind.into())
}

/// Builds the explanation of one suggestion.
pub fn explain<D: AsRef<[u8]>>(
    index: &Index<D>,
    query: &Query,
    own: Option<&NameScore>,
    default_of: Option<u32>,
    header: Option<&NameScore>,
    score: f32,
) -> Explanation {
    let basis = match (default_of, header) {
        (Some(_), Some(h)) => Some(h),
        _ => own,
    };
    let Some(ns) = basis else {
        return Explanation {
            matched_text: String::new(),
            matched_field: String::new(),
            words: Vec::new(),
            unmatched_title_words: Vec::new(),
            query_coverage: 0.0,
            title_coverage: 0.0,
            adjustments: Vec::new(),
            default_of: None,
            picked_by: Vec::new(),
            score,
        };
    };
    let (matched_text, matched_field) = name_text(index, ns.name);
    let total: f32 = query.slots.iter().map(|s| s.weight).sum();
    let words = query
        .slots
        .iter()
        .zip(&ns.slots)
        .map(|(slot, m)| {
            let weight = if total > 0.0 {
                (slot.weight / total * 1000.0).round() / 1000.0
            } else {
                0.0
            };
            let Some(i) = m.alt else {
                return WordMatch {
                    query: slot.surface.clone(),
                    how: "unmatched".into(),
                    detail: String::new(),
                    credit: 0.0,
                    weight,
                };
            };
            let (how, detail) = match &slot.alts[i].via {
                Via::Exact => ("exact".to_string(), String::new()),
                Via::Spelling { from, to } => ("spelling".into(), format!("{from} → {to}")),
                Via::Fuzzy { from, to, distance } => (
                    "fuzzy".into(),
                    format!(
                        "{from} → {to} ({distance} edit{})",
                        if *distance > 1 { "s" } else { "" }
                    ),
                ),
                Via::Prefix { from, to } => ("prefix".into(), format!("{from}… → {to}")),
                Via::Range { from, to } => {
                    ("number in range".into(), format!("{from} within {to}"))
                }
                Via::Vocabulary { kind, from, to } => {
                    (kind.label().to_string(), format!("{from} → {to}"))
                }
            };
            let credit = (m.credit * 1000.0).round() / 1000.0;
            let how = if m.from_parent {
                format!("{how}, in a parent's title")
            } else {
                how
            };
            WordMatch {
                query: slot.surface.clone(),
                how,
                detail,
                credit,
                weight,
            }
        })
        .collect();
    let mut adjustments: Vec<(String, f32)> = ns
        .adjustments
        .iter()
        .map(|(r, f)| (r.to_string(), *f))
        .collect();
    let default_code = default_of.map(|h| {
        let header_factor = adjustments
            .iter()
            .find(|(r, _)| r.starts_with("not billable"))
            .map_or(1.0, |(_, f)| *f);
        adjustments.retain(|(r, _)| !r.starts_with("not billable"));
        adjustments.push((
            "a billable code of the matched header (its default, or the one covering more of the query)".into(),
            super::weights::DEFAULT_CHILD_FACTOR,
        ));
        let inherited = ns.score / header_factor * super::weights::DEFAULT_CHILD_FACTOR;
        let gain = score / inherited.max(f32::EPSILON);
        if gain > 1.001 {
            adjustments.push((
                "it covers more of the query than the header (square root of the gain)".into(),
                (gain * 1000.0).round() / 1000.0,
            ));
        }
        index.doc(h).code.to_string()
    });
    let picked_by = match (default_of, header, own) {
        (Some(_), Some(h), Some(o)) => query
            .slots
            .iter()
            .zip(h.slots.iter().zip(&o.slots))
            .filter(|(_, (hm, om))| !om.from_parent && om.credit > hm.credit + 1e-3)
            .map(|(slot, _)| slot.surface.clone())
            .collect(),
        _ => Vec::new(),
    };
    Explanation {
        matched_text,
        matched_field,
        words,
        picked_by,
        unmatched_title_words: ns
            .unmatched_terms
            .iter()
            .map(|t| index.term_text(*t))
            .collect(),
        query_coverage: (ns.qc * 1000.0).round() / 1000.0,
        title_coverage: (ns.nc * 1000.0).round() / 1000.0,
        adjustments,
        default_of: default_code,
        score: (score * 1000.0).round() / 1000.0,
    }
}

#[cfg(test)]
mod tests {
    use crate::index::testkit;
    use crate::search::{Explanation, Matcher, Scratch, SearchOptions};

    fn explain(text: &str) -> (String, Explanation) {
        let matcher = Matcher::new(testkit::index()).unwrap();
        let opts = SearchOptions {
            limit: 1,
            systems: Vec::new(),
            explain: true,
            date: None,
        };
        let mut r = matcher.search(text, &opts, &mut Scratch::default());
        let s = r.suggestions.remove(0);
        (s.code, s.explanation.expect("asked for"))
    }

    #[test]
    fn an_abbreviation_is_named_with_its_meaning() {
        let (code, e) = explain("HTN");
        assert_eq!(code, "I10");
        assert_eq!(e.words.len(), 1);
        assert_eq!(e.words[0].how, "abbreviation");
        assert_eq!(e.words[0].detail, "HTN → hypertension");
        assert_eq!(
            (e.matched_field.as_str(), e.matched_text.as_str()),
            ("title", "Essential (primary) hypertension")
        );
    }

    #[test]
    fn a_fuzzy_correction_names_its_edits() {
        let (_, e) = explain("pneumonai");
        assert_eq!(e.words[0].how, "fuzzy");
        assert!(
            e.words[0].detail.ends_with("(1 edit)") || e.words[0].detail.ends_with("(2 edits)"),
            "{}",
            e.words[0].detail
        );
    }

    #[test]
    fn an_inherited_score_names_its_header_and_its_factor() {
        let (code, e) = explain("type 2 diabetes mellitus");
        assert_eq!(code, "E11.9");
        assert_eq!(e.default_of.as_deref(), Some("E11"));
        assert!(
            e.adjustments
                .iter()
                .any(|(_, f)| *f == crate::search::weights::DEFAULT_CHILD_FACTOR)
        );
        assert!(
            e.adjustments
                .iter()
                .all(|(r, _)| !r.starts_with("not billable"))
        );
    }

    #[test]
    fn word_weights_are_shares_and_unmatched_title_words_are_listed() {
        let (code, e) = explain("systolic heart failure");
        assert_eq!(code, "I50.20");
        let total: f32 = e.words.iter().map(|w| w.weight).sum();
        assert!((total - 1.0).abs() < 0.01, "{total}");
        assert!(e.words.iter().all(|w| w.how == "exact"), "{:?}", e.words);
        assert_eq!(e.unmatched_title_words, ["unspecifi"]);
        assert!(
            e.title_coverage < 1.0 && e.title_coverage > 0.9,
            "{}",
            e.title_coverage
        );
    }
}
