//! The history rule of [`Matcher::search`]: a query that says a disease is
//! past or a relative's ("FHx colon cancer", "h/o DVT") and whose best code
//! is the active disease gets the history code the tabular names for it
//! (see [`super::interpret::history`]): the rest of the query is searched
//! alone for the disease, and the code whose "Conditions classifiable to"
//! ranges hold it, family or personal as the query says, comes first.

use super::interpret::history::HistoryCode;
use super::query::{Query, Via};
use super::score::{NameScore, score_name};
use super::{Matcher, Scratch, best_name_score, candidates, is_procedure_system};
use crate::index::format::FLAG_BILLABLE;

/// Why a history code was put first.
pub const HISTORY_REASON: &str =
    "history of what the rest of the query names: the code whose 'classifiable to' holds it";

/// The term ids the rule reads.
#[derive(Debug, Default)]
pub struct HistoryWords {
    /// "history".
    pub history: Option<u32>,
    /// "family".
    pub family: Option<u32>,
    /// "personal".
    pub personal: Option<u32>,
    /// "past".
    pub past: Option<u32>,
    /// "classifiable".
    pub classifiable: Option<u32>,
}

impl<D: AsRef<[u8]>> Matcher<'_, D> {
    /// The history code for `query` when the rule applies (see the module
    /// doc), else `None`. `top` is the best code found so far, with the
    /// scoring of the name it matched.
    pub(super) fn history_code(
        &self,
        query: &Query,
        top: Option<(u32, Option<&NameScore>)>,
        scratch: &mut Scratch,
    ) -> Option<u32> {
        let w = &self.history_words;
        let history = w.history?;
        if !query.terms().contains(&history) {
            return None;
        }
        let title_has = |doc: u32, t: Option<u32>| -> bool {
            t.is_some_and(|t| {
                self.index.title_name(doc).is_some_and(|n| {
                    self.index
                        .name_terms(&self.index.name(n))
                        .any(|(x, _)| x == t)
                })
            })
        };
        let side: Vec<u32> = [w.family, w.personal, w.past]
            .into_iter()
            .flatten()
            .collect();
        let rest: Vec<_> = query
            .slots
            .iter()
            .filter(|s| {
                let names_history = s.alts.iter().any(|a| a.terms.contains(&history));
                let only_side = s.alts.first().is_some_and(|a| {
                    a.via == Via::Exact && a.terms.iter().all(|t| side.contains(t))
                });
                !names_history && !only_side
            })
            .cloned()
            .collect();
        if rest.is_empty() || rest.len() == query.slots.len() {
            return None;
        }
        let disease_query = Query::new(rest);
        let allowed: Vec<std::ops::Range<u32>> = self
            .manual_names
            .iter()
            .zip(&self.index.meta().manuals)
            .filter(|(_, m)| !is_procedure_system(&m.system))
            .map(|(r, _)| r.clone())
            .collect();
        let disease = candidates::candidates(self.index, &disease_query, &allowed, scratch)
            .into_iter()
            .map(|n| score_name(self.index, &disease_query, n, &self.weights))
            .max_by(|a, b| a.score.total_cmp(&b.score).then(b.name.cmp(&a.name)))?;
        let code: String = self
            .index
            .doc(self.index.name(disease.name).doc)
            .code
            .chars()
            .filter(|c| *c != '.')
            .collect();
        let family = w.family.is_some_and(|f| query.terms().contains(&f));
        let want = if family { w.family } else { w.personal };
        let table = self.interpreter.history_codes(self.index, w.classifiable?);
        let (width, found): (usize, &HistoryCode) = table
            .iter()
            .filter(|h| title_has(h.doc, want))
            .filter_map(|h| h.holds(&code).map(|width| (width, h)))
            .max_by(|a, b| a.0.cmp(&b.0).then(b.1.doc.cmp(&a.1.doc)))?;
        if let Some((t, matched)) = top {
            // A code whose own wording reads the history words stands
            // ("Personal history of allergy to sulfonamides": the
            // vocabulary reads "history of allergy to" as "allergy status
            // to", Z88.2), unless it is a history code of this table that
            // holds the disease less narrowly ("FHx colon cancer": Z80.9).
            let in_table = table.iter().any(|h| h.doc == t);
            let names_history = matched.is_some_and(|n| {
                n.slots.iter().zip(&query.slots).any(|(m, slot)| {
                    m.credit > 0.0
                        && !m.from_parent
                        && m.alt
                            .is_some_and(|_| slot.alts.iter().any(|a| a.terms.contains(&history)))
                })
            });
            if (title_has(t, Some(history)) || names_history) && !in_table {
                return None;
            }
            let holds_as_well = table
                .iter()
                .any(|h| h.doc == t && h.holds(&code).is_some_and(|w| w >= width));
            if holds_as_well || self.index.ancestors(t).contains(&found.doc) {
                return None;
            }
        }
        let billable = |d: u32| self.index.doc_system_flags(d).1 & FLAG_BILLABLE != 0;
        if billable(found.doc) {
            return Some(found.doc);
        }
        // A header ("Personal history of diseases of the circulatory
        // system"): its code that the whole query fits best, else its default.
        self.index
            .billable_descendants(found.doc)
            .into_iter()
            .filter_map(|d| {
                best_name_score(self.index, query, d, &self.weights).map(|s| (d, s.score))
            })
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
            .map(|(d, _)| d)
            .or(self.index.doc(found.doc).default_child)
    }
}
