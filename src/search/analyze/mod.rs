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
//!    prefix corrections last).
//! 4. [`weigh`]: each slot's weight (head clause, eponym, markers,
//!    encounter words) and each reading's full idf.
//!
//! A stage that reads clinical meaning into the analysed query belongs
//! after this module and before candidates and scoring: it takes a
//! [`Query`] and gives one back (see ARCHITECTURE.md).

mod correct;
mod readings;
mod segment;
mod weigh;

pub use segment::index_order;
pub use weigh::ENCOUNTER_WORDS;

use super::query::Query;
use crate::index::Index;
use crate::text::{Analyzer, tokenize};
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
}
