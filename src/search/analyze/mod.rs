//! Query analysis: a phrase becomes a [`Query`] of slots with their
//! readings. Nothing here looks at codes.
//!
//! The stages, in order:
//!
//! 1. [`correct`]: a misspelled structure word ("withoyt") is restored and
//!    a misspelled word inside a vocabulary phrase ("hart attack") is
//!    replaced, before anything is read.
//! 2. [`segment`]: index wording is put in natural order, then the tokens
//!    become slots: the longest vocabulary phrase at each position, else
//!    two words the titles write as one, else one word.
//! 3. [`readings`]: the alternatives of each slot (as written, vocabulary,
//!    spelling rules, word parts, split words; [`correct`]'s fuzzy and
//!    prefix corrections last). Every reading is made here, by
//!    `QueryAnalyzer::alt`, weighed by the idf of its terms.
//!
//! Files call down this list only (segment → readings → correct), never
//! back up.
//! 4. [`weigh`]: each slot's weight (head clause, eponym, markers,
//!    encounter words) and each reading's full idf.
//!
//! A stage that reads clinical meaning into the analysed query belongs
//! after this module and before candidates and scoring: it takes a
//! [`Query`] and gives one back (see ARCHITECTURE.md).

mod correct;
mod parts;
mod readings;
mod segment;
mod weigh;

pub use segment::index_order;
pub use weigh::ENCOUNTER_WORDS;

use super::query::{Alt, Query, Via};
use super::weights::MARKER_DAMPING;
use crate::index::Index;
use crate::text::{Analyzer, negate, tokenize};
use crate::vocab::Vocabulary;

/// Turns text into a [`Query`] against one index.
pub struct QueryAnalyzer<'a, D: AsRef<[u8]>> {
    /// The index whose terms are known.
    pub index: &'a Index<D>,
    /// Word normalization.
    pub analyzer: &'a Analyzer,
    /// Phrase rewrites.
    pub vocab: &'a Vocabulary,
    /// Terms of [`crate::text::GENERIC_WORDS`].
    pub generic: &'a [u32],
    /// Terms of [`crate::text::DEFAULT_MARKERS`].
    pub markers: &'a [u32],
    /// Terms of [`ENCOUNTER_WORDS`].
    pub encounter: &'a [u32],
}

impl<D: AsRef<[u8]>> QueryAnalyzer<'_, D> {
    /// Analyzes `text`.
    pub fn analyze(&self, text: &str) -> Query {
        let mut tokens = tokenize(text);
        self.fix_structure_words(&mut tokens);
        let (mut raw, head) = index_order(tokens);
        let mut norm: Vec<String> = raw
            .iter()
            .map(|t| self.analyzer.phrase_key(&t.text))
            .collect();
        let corrected = self.correct_into_phrases(&mut raw, &mut norm);
        let mut slots = self.segment(&raw, &norm, &corrected);
        self.weigh(&mut slots, &raw, &head);
        Query::new(slots.into_iter().map(|(slot, _)| slot).collect())
    }

    /// The term ids of the words of `text` that the index knows, and how
    /// many (non-stop) words it has in all.
    pub(super) fn known_terms(&self, text: &str, negated: bool) -> (Vec<u32>, usize) {
        let terms = self.analyzer.terms(text);
        let known = terms
            .iter()
            .filter_map(|t| {
                if negated {
                    self.index.term_id(&negate(&t.text))
                } else {
                    self.index.term_id(&t.text)
                }
            })
            .collect();
        (known, terms.len())
    }

    /// A reading of `terms`, each weighed by its idf (a tenth for a generic
    /// word of an expansion).
    pub(super) fn alt(&self, mut terms: Vec<u32>, quality: f32, via: Via) -> Alt {
        terms.dedup();
        let weights: Vec<f32> = terms
            .iter()
            .map(|t| {
                let expansion = matches!(via, Via::Vocabulary { .. });
                let damp = if expansion && self.generic.contains(t) {
                    MARKER_DAMPING
                } else {
                    1.0
                };
                self.index.idf(*t) * damp
            })
            .collect();
        let total_idf = weights.iter().sum();
        Alt {
            terms,
            weights,
            total_idf,
            full_idf: total_idf,
            quality,
            via,
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::index::testkit;
    use crate::search::Matcher;
    use crate::search::query::{Query, Via};
    use crate::vocab::ExpansionKind;

    fn analyze(text: &str) -> Query {
        Matcher::new(testkit::index()).unwrap().analyze(text)
    }

    fn surfaces(q: &Query) -> Vec<&str> {
        q.slots.iter().map(|s| s.surface.as_str()).collect()
    }

    #[test]
    fn the_longest_vocabulary_phrase_is_one_slot() {
        let q = analyze("sugar diabetes with neuropathy");
        assert_eq!(surfaces(&q), ["sugar diabetes", "with", "neuropathy"]);
        let via = &q.slots[0].alts.last().unwrap().via;
        assert!(
            matches!(
                via,
                Via::Vocabulary {
                    kind: ExpansionKind::LayTerm,
                    ..
                }
            ),
            "{via:?}"
        );
    }

    #[test]
    fn a_misspelled_word_inside_a_phrase_is_replaced_and_marked() {
        let q = analyze("sugr diabetes");
        assert_eq!(surfaces(&q), ["sugr diabetes"]);
        let via = &q.slots[0].alts[0].via;
        assert!(
            matches!(via, Via::Vocabulary { from, .. } if from.starts_with("sugr diabetes ≈")),
            "{via:?}"
        );
    }

    #[test]
    fn index_wording_weighs_its_head_more() {
        let q = analyze("failure, heart");
        assert_eq!(surfaces(&q), ["heart", "failure"]);
        let plain = analyze("heart failure");
        assert!(q.slots[1].weight > plain.slots[1].weight);
        assert_eq!(q.slots[0].weight, plain.slots[0].weight);
    }

    #[test]
    fn encounter_words_and_markers_weigh_less() {
        let q = analyze("sprain subsequent encounter unspecified");
        let w: Vec<f32> = q.slots.iter().map(|s| s.weight).collect();
        assert!(w[1] < w[0] && w[2] < w[0] && w[3] < w[0], "{w:?}");
    }

    #[test]
    fn an_unknown_word_gets_a_fuzzy_or_prefix_reading_or_none() {
        let fuzzy = analyze("anklle");
        assert!(matches!(
            fuzzy.slots[0].alts[0].via,
            Via::Fuzzy { distance: 1, .. }
        ));
        let prefix = analyze("polyneuro");
        assert!(matches!(prefix.slots[0].alts[0].via, Via::Prefix { .. }));
        let none = analyze("xqzzy");
        assert!(none.slots[0].alts.is_empty());
        assert_eq!(none.slots[0].weight, crate::search::weights::UNKNOWN_WEIGHT);
    }

    #[test]
    fn procedure_vocabulary_marks_procedure_language() {
        assert!(analyze("appendectomy").uses_procedure_language());
        assert!(!analyze("appendix").uses_procedure_language());
    }
}
