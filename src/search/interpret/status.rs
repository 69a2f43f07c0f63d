//! A procedure the record says is past ("status post splenectomy", "s/p
//! left BKA", "history of cholecystectomy"): the patient's condition now is
//! the absence of what it removed, which the tabular codes as "Acquired
//! absence of …" (Z89–Z90). A reading of a removal — an excision,
//! resection, amputation or detachment of a body part, from the procedure
//! word parts or vocabulary — gets a second reading: that body part's
//! acquired absence.
//!
//! Nothing here names a code or a phrase: the words are the tabular's.

use crate::index::Index;
use crate::search::query::{Alt, Query, Via};
use crate::search::weights::EXPANSION_QUALITY;
use crate::text::Analyzer;

/// Words that make a procedure in the query a past one.
const PAST_WORDS: &[&str] = &["status", "post", "history"];
/// Root operations that take a body part away.
const REMOVALS: &[&str] = &[
    "excision",
    "resection",
    "amputation",
    "detachment",
    "removal",
];
/// What remains of it, as the tabular words it.
const ABSENCE: &[&str] = &["acquired", "absence"];

/// The term ids of the words this reading looks for, found once per
/// interpreter.
#[derive(Debug)]
pub struct StatusWords {
    past: Vec<u32>,
    removals: Vec<u32>,
    /// Empty when the index lacks one of the words.
    absence: Vec<u32>,
}

impl StatusWords {
    /// The words' terms in `index`.
    pub fn of<D: AsRef<[u8]>>(index: &Index<D>, analyzer: &Analyzer) -> Self {
        let ids = |words: &[&str]| index.term_ids(analyzer, words);
        let absence = ids(ABSENCE);
        StatusWords {
            past: ids(PAST_WORDS),
            removals: ids(REMOVALS),
            absence: if absence.len() == ABSENCE.len() {
                absence
            } else {
                Vec::new()
            },
        }
    }
}

/// `query` with an "acquired absence" reading beside each reading of a
/// removal, when the query speaks of a past procedure.
pub fn absent_parts<D: AsRef<[u8]>>(
    index: &Index<D>,
    analyzer: &Analyzer,
    words: &StatusWords,
    query: Query,
) -> Query {
    let (past, removals, absence) = (&words.past, &words.removals, &words.absence);
    if absence.is_empty() || !query.terms().iter().any(|t| past.contains(t)) {
        return query;
    }
    let mut slots = query.slots;
    for slot in &mut slots {
        let mut added: Vec<Alt> = Vec::new();
        for a in &slot.alts {
            if !a.terms.iter().any(|t| removals.contains(t)) {
                continue;
            }
            let part: Vec<u32> = a
                .terms
                .iter()
                .copied()
                .filter(|t| !removals.contains(t))
                .collect();
            if part.is_empty() {
                continue;
            }
            let mut terms = absence.clone();
            terms.extend(&part);
            if slot.alts.iter().chain(&added).any(|x| x.terms == terms) {
                continue;
            }
            let weights: Vec<f32> = terms.iter().map(|t| index.idf(*t)).collect();
            let total: f32 = weights.iter().sum();
            let written = match &a.via {
                Via::Vocabulary { to, .. } => to.as_str(),
                _ => slot.surface.as_str(),
            };
            let kept: Vec<&str> = written
                .split_whitespace()
                .filter(|w| {
                    analyzer
                        .normalize_word(w)
                        .and_then(|n| index.term_id(&n))
                        .is_none_or(|t| !removals.contains(&t))
                })
                .collect();
            let to = format!("{} {}", ABSENCE.join(" "), kept.join(" "));
            added.push(Alt {
                terms,
                weights,
                total_idf: total,
                full_idf: total,
                quality: a.quality * EXPANSION_QUALITY,
                via: Via::Vocabulary {
                    kind: crate::vocab::ExpansionKind::LayTerm,
                    from: slot.surface.clone(),
                    to,
                },
            });
        }
        slot.alts.extend(added);
    }
    Query::new(slots)
}
