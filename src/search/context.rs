//! Context words (issue 12, item 6): a code whose title puts it in a
//! population, a time or a cause the query does not state ("Neonatal …",
//! "… in pregnancy", "Traumatic anuria", "Congenital …") is not first
//! while a code without such a word reads the query as well. Chapter-
//! specific codes (perinatal, pregnancy, newborn, injury) then rank first
//! only when the phrase says newborn, pregnancy, traumatic and so on.

use super::{Matcher, Ranked, promote_first_fit, ranked_coverage};
use crate::index::format::FLAG_BILLABLE;
use rustc_hash::FxHashMap as HashMap;

/// Title words that put a code in a population, a time or a cause that the
/// record must state.
pub const CONTEXT_RULE_WORDS: &[&str] = &[
    "newborn",
    "neonatal",
    "perinatal",
    "fetus",
    "fetal",
    "preterm",
    "prematurity",
    "pregnancy",
    "childbirth",
    "delivery",
    "puerperium",
    "puerperal",
    "postpartum",
    "maternal",
    "obstetric",
    "gestational",
    "abortion",
    "congenital",
    "traumatic",
];

/// The adjustment [`Matcher::plain_reading_first`] records.
pub const CONTEXT_REASON: &str = "the first code's title states a context the query does not (newborn, pregnancy, traumatic, congenital …): this code, which reads the query as well without it, first";

/// A query covered at least this much is covered whole.
const FULL_COVERAGE: f32 = 0.999;
/// A coverage at least this close to the first code's reads the query as well.
const COVERAGE_SLACK: f32 = 1e-3;

impl<D: AsRef<[u8]>> Matcher<'_, D> {
    /// Puts first the best of the next codes that covers the whole query,
    /// as the first does, and states no context the query leaves unsaid,
    /// when the first states one.
    pub(super) fn plain_reading_first(
        &self,
        query: &super::Query,
        ranked: &mut Vec<Ranked>,
        covered: &HashMap<u32, f32>,
    ) {
        let unstated: Vec<u32> = self
            .context
            .iter()
            .copied()
            .filter(|t| !query.terms().contains(t))
            .collect();
        if unstated.is_empty() {
            return;
        }
        let coverage = |r: &Ranked| ranked_coverage(r, covered);
        let Some(first) = ranked.first() else { return };
        if !self.title_has_any(first.0, &unstated) {
            return;
        }
        // Only a complete reading is weighed against a complete reading.
        let Some(fq) = coverage(first).filter(|q| *q >= FULL_COVERAGE) else {
            return;
        };
        let system = self.index.doc_system_flags(first.0).0;
        let billable = |d: u32| self.index.doc_system_flags(d).1 & FLAG_BILLABLE != 0;
        let first_billable = billable(first.0);
        promote_first_fit(ranked, CONTEXT_REASON, |r| {
            self.index.doc_system_flags(r.0).0 == system
                && (billable(r.0) || !first_billable)
                && coverage(r).is_some_and(|q| q + COVERAGE_SLACK >= fq)
                && !self.title_has_any(r.0, &unstated)
        });
    }
}
