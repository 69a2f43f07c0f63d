//! The query as analysis leaves it and scoring reads it: *slots*, one per
//! concept the user wrote, each with the alternative term sets (readings)
//! that may express it. Only types and their accessors live here, below
//! both [`super::analyze`] (which builds a [`Query`]) and
//! [`super::score`] (which reads one), so neither depends on the other.

use crate::vocab::ExpansionKind;

/// How an alternative came about.
#[derive(Debug, Clone, PartialEq)]
pub enum Via {
    /// The words as written (after normalization).
    Exact,
    /// A spelling rule rewrote the word.
    Spelling {
        /// Word as typed.
        from: String,
        /// Word as known.
        to: String,
    },
    /// A fuzzy correction.
    Fuzzy {
        /// Word as typed.
        from: String,
        /// Term it was corrected to.
        to: String,
        /// Edits.
        distance: u8,
    },
    /// A prefix completion.
    Prefix {
        /// Word as typed.
        from: String,
        /// Term completed to.
        to: String,
    },
    /// A number read against a range written in titles ("41" within
    /// "40.0-44.9").
    Range {
        /// The number as typed.
        from: String,
        /// The range as the titles write it.
        to: String,
    },
    /// A vocabulary rewrite.
    Vocabulary {
        /// Which table.
        kind: ExpansionKind,
        /// The phrase as in the table.
        from: String,
        /// What it means.
        to: String,
    },
}

/// One way of expressing a slot: all its terms should be in a name.
#[derive(Debug, Clone)]
pub struct Alt {
    /// Term ids.
    pub terms: Vec<u32>,
    /// Weight of each term: its idf, a tenth for a generic word of an
    /// expansion ("disease" in "PUD → peptic ulcer disease" says little).
    pub weights: Vec<f32>,
    /// Sum of `weights`.
    pub total_idf: f32,
    /// For word-part readings: the idf of the richest word-part reading of
    /// the same slot whose terms include all of these ("inspection
    /// endoscopic urethra" for "inspection urethra"), so a full match of a
    /// poorer reading earns only its share. Otherwise `total_idf`: a reading
    /// written on its own vocabulary line ("cystoscopy" → "bladder via
    /// natural or artificial opening endoscopic", for "cystoscopy with
    /// biopsy") is a reading of its own.
    pub full_idf: f32,
    /// How much to trust it (1 = as written).
    pub quality: f32,
    /// How it came about.
    pub via: Via,
}

/// One concept of the query.
#[derive(Debug, Clone)]
pub struct Slot {
    /// The words as typed.
    pub surface: String,
    /// Importance (idf of the words, or of the best expansion).
    pub weight: f32,
    /// Ways it may appear in a name; empty when nothing matched.
    pub alts: Vec<Alt>,
}

/// An analyzed query.
#[derive(Debug, Clone, Default)]
pub struct Query {
    /// The concepts.
    pub slots: Vec<Slot>,
    /// Every term any alternative of any slot may match, sorted.
    terms: Vec<u32>,
    /// The terms of the words as typed (exact readings), sorted.
    typed: Vec<u32>,
    /// The terms of every reading but two-way synonyms, sorted.
    named: Vec<u32>,
}

impl Query {
    /// Sum of slot weights.
    pub fn total_weight(&self) -> f32 {
        self.slots.iter().map(|s| s.weight).sum()
    }

    /// A query of these slots.
    pub fn new(slots: Vec<Slot>) -> Query {
        let sorted = |keep: &dyn Fn(&Alt) -> bool| {
            let mut t: Vec<u32> = slots
                .iter()
                .flat_map(|s| &s.alts)
                .filter(|a| keep(a))
                .flat_map(|a| a.terms.iter().copied())
                .collect();
            t.sort_unstable();
            t.dedup();
            t
        };
        let terms = sorted(&|_| true);
        let typed = sorted(&|a| a.via == Via::Exact);
        let named = sorted(&|a| {
            !matches!(
                a.via,
                Via::Vocabulary {
                    kind: ExpansionKind::Synonym,
                    ..
                }
            )
        });
        Query {
            slots,
            terms,
            typed,
            named,
        }
    }

    /// The terms of every reading but the two-way synonyms, sorted: what
    /// the query names, as opposed to what it may loosely mean ("pain" is
    /// not "sore").
    pub fn named_terms(&self) -> &[u32] {
        &self.named
    }

    /// The terms of the words as typed (exact readings), sorted.
    pub fn typed_terms(&self) -> &[u32] {
        &self.typed
    }

    /// Every term any alternative of any slot may match, sorted.
    pub fn terms(&self) -> &[u32] {
        &self.terms
    }

    /// Whether any slot was expressed through the procedure vocabulary.
    pub fn uses_procedure_language(&self) -> bool {
        self.slots.iter().flat_map(|s| &s.alts).any(|a| {
            matches!(
                a.via,
                Via::Vocabulary {
                    kind: ExpansionKind::Procedure | ExpansionKind::Affix,
                    ..
                }
            )
        })
    }
}
