//! Clinical interpretation: the stage between query analysis
//! ([`super::analyze`]) and candidates and scoring. It takes the analysed
//! [`Query`] and gives one back with readings that come from the manuals'
//! own structure rather than from the words as written:
//!
//! - [`ranges`]: a number in the query reads as every title range or
//!   threshold that holds it ("BMI 41" as "40.0-44.9", "GCS 14" as
//!   "13-15", "7 weeks" as "less than 8"), parsed from the titles the first
//!   time a query has a number.
//! - [`history`]: the codes whose inclusion term says which diseases'
//!   history they hold ("Conditions classifiable to C15-C26").
//! - [`status`]: a past removal ("s/p splenectomy") reads as the acquired
//!   absence of the part it removed.
//! - [`exact`]: a query that is a billable code's own title or inclusion
//!   term ranks that code first.
//!
//! Nothing here names a code or a phrase: the rules are the tabular's way
//! of writing quantities. Depends on [`super::query`] and the index only.

pub mod exact;
pub mod history;
pub mod ranges;
pub mod status;

use super::query::{Alt, Query, Via};
use super::weights::{MAX_RANGE_READINGS, RANGE_QUALITY};
use crate::index::Index;
use crate::text::{Analyzer, tokenize};
use fst::{IntoStreamer, Streamer};
use ranges::{Range, scan, title_ranges};
use std::sync::OnceLock;

/// A range written in some title, with the terms that write it.
#[derive(Debug, Clone)]
struct TitleRange {
    range: Range,
    /// Term ids of the range's words as the index has them.
    terms: Vec<u32>,
    /// The range as written ("40.0-44.9").
    text: String,
}

/// Reads clinical meaning into analysed queries. One per matcher; shared
/// by its threads (the range table is built once, on first need).
#[derive(Debug, Default)]
pub struct Interpreter {
    ranges: OnceLock<Vec<TitleRange>>,
    history: OnceLock<Vec<history::HistoryCode>>,
    status: OnceLock<status::StatusWords>,
}

impl Interpreter {
    /// An interpreter with nothing built yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// The codes with a "classifiable to" inclusion term (`classifiable`
    /// is that word's term), read once.
    pub fn history_codes<D: AsRef<[u8]>>(
        &self,
        index: &Index<D>,
        classifiable: u32,
    ) -> &[history::HistoryCode] {
        self.history
            .get_or_init(|| history::history_codes(index, classifiable))
    }

    /// `query` (the analysis of `text`) with the readings this stage adds.
    pub fn interpret<D: AsRef<[u8]>>(
        &self,
        index: &Index<D>,
        analyzer: &Analyzer,
        text: &str,
        query: Query,
    ) -> Query {
        let query = self.numbers(index, analyzer, text, query);
        let words = self
            .status
            .get_or_init(|| status::StatusWords::of(index, analyzer));
        status::absent_parts(index, analyzer, words, query)
    }

    /// `query` with the title ranges that hold each number it writes.
    fn numbers<D: AsRef<[u8]>>(
        &self,
        index: &Index<D>,
        analyzer: &Analyzer,
        text: &str,
        query: Query,
    ) -> Query {
        // A number the query itself writes as a range or threshold ("more
        // than 24 hours") is matched by its words, not read as a value.
        let own = title_ranges(text);
        let numbers: Vec<_> = scan(text)
            .into_iter()
            .filter(|n| {
                !own.iter()
                    .any(|r| r.span.0 <= n.span.0 && n.span.1 <= r.span.1)
            })
            .collect();
        if numbers.is_empty() {
            return query;
        }
        let table = self.ranges.get_or_init(|| range_table(index, analyzer));
        let mut slots = query.slots;
        for n in &numbers {
            let written = &text[n.span.0..n.span.1];
            let surfaces: Vec<String> = tokenize(written).into_iter().map(|t| t.text).collect();
            let mut held: Vec<&TitleRange> = table.iter().filter(|r| r.range.contains(n)).collect();
            held.sort_by(|a, b| {
                a.range
                    .width()
                    .total_cmp(&b.range.width())
                    .then_with(|| a.text.cmp(&b.text))
            });
            held.truncate(MAX_RANGE_READINGS);
            for slot in slots.iter_mut().filter(|s| surfaces.contains(&s.surface)) {
                for r in &held {
                    if slot.alts.iter().any(|a| a.terms == r.terms) {
                        continue;
                    }
                    let weights: Vec<f32> = r.terms.iter().map(|t| index.idf(*t)).collect();
                    let total: f32 = weights.iter().sum();
                    slot.alts.push(Alt {
                        terms: r.terms.clone(),
                        weights,
                        total_idf: total,
                        full_idf: total,
                        quality: RANGE_QUALITY,
                        via: Via::Range {
                            from: written.to_string(),
                            to: r.text.clone(),
                        },
                    });
                }
            }
        }
        Query::new(slots)
    }
}

/// Every distinct range written in the index's titles.
fn range_table<D: AsRef<[u8]>>(index: &Index<D>, analyzer: &Analyzer) -> Vec<TitleRange> {
    // Only titles with a number can write a range: the docs of the names
    // that hold a numeric term (a few thousand of 180,000). The values a
    // coder compares by number (BMI, weeks, CKD stage, TBSA, blood alcohol,
    // Glasgow coma scale) are diagnosis titles: the ranges of procedure and
    // supply titles (HCPCS "5.5% through 7%") are left out, so they never
    // crowd out a diagnosis range among the readings of a number.
    let mut docs: Vec<u32> = Vec::new();
    let terms = index.terms();
    let mut numeric = terms.range().ge("0").lt(":").into_stream();
    while let Some((_, id)) = numeric.next() {
        docs.extend(index.postings(id as u32).map(|n| index.name(n).doc));
    }
    docs.sort_unstable();
    docs.dedup();
    let mut out: Vec<TitleRange> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut texts = std::collections::HashSet::new();
    for d in docs {
        let system = &index.manual(index.doc_system_flags(d).0).system;
        if crate::search::is_procedure_system(system) {
            continue;
        }
        let title = index.doc(d).title;
        if !ranges::may_write_a_range(title) {
            continue;
        }
        for range in title_ranges(title) {
            let text = &title[range.span.0..range.span.1];
            if !texts.insert((text.to_string(), range.lo.to_bits(), range.hi.to_bits())) {
                continue;
            }
            let terms: Option<Vec<u32>> = analyzer
                .terms(text)
                .iter()
                .map(|t| index.term_id(&t.text))
                .collect();
            let Some(terms) = terms.filter(|t| !t.is_empty()) else {
                continue;
            };
            let key = (
                terms.clone(),
                range.lo.to_bits(),
                range.hi.to_bits(),
                range.unit as u8,
            );
            if seen.insert(key) {
                out.push(TitleRange {
                    range,
                    terms,
                    text: text.to_string(),
                });
            }
        }
    }
    out
}
