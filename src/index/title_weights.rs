//! What the index stores about title words: how much each one costs when
//! a query leaves it out. The builder sums these weights into each name's
//! weight; scoring (`search::score`) reads them per term. The
//! same rule on both sides keeps a name's stored weight and its score in
//! step.

/// Weight of the "unspecified" marker words in name coverage (and of a
/// generic word of an expansion, or a slot of marker words, in a query).
pub const MARKER_DAMPING: f32 = 0.1;
/// How much more an unmatched context word costs than its idf.
pub const CONTEXT_WEIGHT: f32 = 1.5;

/// Title words that count more or less than their idf when a query leaves
/// them out: "unspecified" marks a default and costs little; a word that
/// puts a code in another population or time ("newborn", "pregnancy",
/// "congenital", "personal history") costs more, since a coder takes such a
/// code only when the record says so.
#[derive(Debug, Clone, Default)]
pub struct TitleWeights {
    markers: Vec<u32>,
    context: Vec<u32>,
    /// [`TitleWeights::of`] of every term of one index, by term id, once
    /// [`TitleWeights::tabulate`]d (scoring reads it per name term).
    table: Vec<f32>,
}

/// Title words that put a code in a population, a time, a cause or a side
/// that the record must state (see [`TitleWeights`]): with no side given, a
/// coder takes the unspecified-side code.
pub const CONTEXT_WORDS: &[&str] = &[
    "newborn",
    "neonatal",
    "perinatal",
    "fetus",
    "fetal",
    "pregnancy",
    "childbirth",
    "puerperium",
    "puerperal",
    "maternal",
    "congenital",
    "history",
    "personal",
    "family",
    "alcoholic",
    "left",
    "right",
    "bilateral",
];

impl TitleWeights {
    /// The weights for an index whose terms `term_id` looks up.
    /// `negated` are the ids of the negated terms ("~obstruct"): what a
    /// title says a code is *without* adds no detail, so it costs little
    /// when the query leaves it out (the "without" code is the default).
    pub fn new(
        analyzer: &crate::text::Analyzer,
        term_id: impl Fn(&str) -> Option<u32>,
        negated: Vec<u32>,
    ) -> Self {
        let ids = |words: &[&str]| -> Vec<u32> {
            words
                .iter()
                .filter_map(|w| analyzer.normalize_word(w))
                .filter_map(|w| term_id(&w))
                .collect()
        };
        let mut markers = ids(crate::text::NAME_MARKERS);
        markers.extend(negated);
        markers.sort_unstable();
        TitleWeights {
            markers,
            context: ids(CONTEXT_WORDS),
            table: Vec::new(),
        }
    }

    /// Computes the weight of every term once, `idf[t]` being term `t`'s
    /// idf, so that [`TitleWeights::of_term`] is a read.
    /// One pass over the idfs and one write per marker and context term
    /// (what [`TitleWeights::of`] gives, without its searches per term).
    pub fn tabulate(&mut self, idf: impl ExactSizeIterator<Item = f32>) {
        let idf: Vec<f32> = idf.collect();
        let mut table = idf.clone();
        // Context first: a marker's damping wins, as in `of`.
        for (words, factor) in [
            (&self.context, CONTEXT_WEIGHT),
            (&self.markers, MARKER_DAMPING),
        ] {
            for &t in words {
                if let Some(w) = table.get_mut(t as usize) {
                    *w = idf[t as usize] * factor;
                }
            }
        }
        self.table = table;
    }

    /// The weight of term `t`: from the table when tabulated, else
    /// [`TitleWeights::of`] with `idf()`.
    #[inline]
    pub fn of_term(&self, t: u32, idf: impl FnOnce() -> f32) -> f32 {
        match self.table.get(t as usize) {
            Some(w) => *w,
            None => self.of(t, idf()),
        }
    }

    /// Whether `t` is a marker term ("unspecified", a negated word).
    pub fn is_marker(&self, t: u32) -> bool {
        self.markers.binary_search(&t).is_ok()
    }

    /// The weight of title term `t` whose idf is `idf`.
    pub fn of(&self, t: u32, idf: f32) -> f32 {
        if self.markers.binary_search(&t).is_ok() {
            idf * MARKER_DAMPING
        } else if self.context.contains(&t) {
            idf * CONTEXT_WEIGHT
        } else {
            idf
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::index::testkit;

    #[test]
    fn the_table_holds_what_of_gives_for_every_term() {
        let idx = testkit::index();
        let (_, analyzer) = idx.vocabulary().unwrap();
        let weights = idx.title_weights(&analyzer);
        let mut damped = 0;
        for t in 0..idx.term_count() as u32 {
            let want = weights.of(t, idx.idf(t));
            let got = weights.of_term(t, || f32::NAN);
            assert_eq!(got.to_bits(), want.to_bits(), "term {t}");
            damped += usize::from(weights.is_marker(t));
        }
        assert!(damped > 0, "the test index has marker terms");
    }
}
