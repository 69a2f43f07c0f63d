//! Candidate generation: walk the postings of every term the query can
//! mean and keep the names that look best by a cheap estimate of the
//! score. Exact scoring of the survivors is [`super::score`]'s job.
//!
//! Two walks give the same sums: `by_list` (each distinct term's postings
//! once, sums replayed per set of lists; most queries) and `by_term`
//! (the reading-by-reading walk: queries of more lists than its bits hold,
//! and the other's oracle in the tests).

mod by_list;
mod by_term;

use super::query::{Alt, Query};
use super::weights::{CANDIDATES, COMMON_TERM_SHARE};
use crate::index::Index;
use by_list::{select_by_group, walk_by_list};
use by_term::{select, walk_by_term};
use rustc_hash::FxHashMap;
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::ops::Range;

/// One met name's running sums during a walk, kept together so a
/// posting touches one small record rather than four arrays.
#[derive(Debug, Clone, Copy)]
struct Acc {
    /// Share of the current reading found in the name (-1: not met yet).
    alt: f32,
    /// Best reading of the current slot (-1: not met yet).
    slot: f32,
    /// Query side of the estimate so far.
    query: f32,
    /// Idf of the query's terms the name holds.
    name: f32,
    /// The name.
    id: u32,
}

/// What meeting a name in a reading's postings opened (see [`Acc::meet`]):
/// the walk by term keeps lists of those.
struct Opened {
    /// The reading's share (it was not met in this reading before).
    reading: bool,
    /// The slot's value (not met in this slot before).
    slot: bool,
    /// The name itself (first met by this walk).
    name: bool,
}

impl Acc {
    /// A name not met yet.
    fn new(id: u32) -> Acc {
        Acc {
            alt: -1.0,
            slot: -1.0,
            query: 0.0,
            name: 0.0,
            id,
        }
    }

    /// Adds what meeting the name in occurrence `o`'s postings adds. Both
    /// walks make every addition through this and the two closings below,
    /// in query order, so their sums are the same bit for bit.
    #[inline]
    fn meet(&mut self, o: &Occurrence) -> Opened {
        let mut opened = Opened {
            reading: false,
            slot: false,
            name: false,
        };
        if !o.single {
            if self.alt < 0.0 {
                self.alt = 0.0;
                opened.reading = true;
            }
            self.alt += o.share;
        } else if !o.lone {
            if self.slot < 0.0 {
                self.slot = 0.0;
                opened.slot = true;
            }
            if o.value > self.slot {
                self.slot = o.value;
            }
        }
        if let Some(idf) = o.first {
            opened.name = self.query == 0.0 && self.name == 0.0;
            self.name += idf;
        }
        if o.single && o.lone {
            self.query += o.gain;
        }
        opened
    }

    /// Ends occurrence `o`'s reading for a name met in it: the reading's
    /// share becomes the slot's value (or, for a slot of one reading, joins
    /// the query side). `true` when that opened the slot's value.
    #[inline]
    fn close_reading(&mut self, o: &Occurrence) -> bool {
        let v = o.quality * self.alt;
        self.alt = -1.0;
        if o.lone {
            self.query += (if v > 0.0 { v } else { 0.0 }) * o.weight;
            return false;
        }
        let opened = self.slot < 0.0;
        if opened {
            self.slot = 0.0;
        }
        if v > self.slot {
            self.slot = v;
        }
        opened
    }

    /// Ends occurrence `o`'s slot for a name met in it: its best reading's
    /// value joins the query side.
    #[inline]
    fn close_slot(&mut self, o: &Occurrence) {
        self.query += self.slot * o.weight;
        self.slot = -1.0;
    }
}

/// The buffers of a walk. Only `slot_of` is sized to the index; the sums
/// live in `acc`, one record per name the walk meets, so a walk's working
/// set is the few thousand names it touches, not every name, and a first
/// query touches only the pages of `slot_of` its postings fall on (the
/// zeroed buffer comes from the allocator untouched).
#[derive(Debug, Default)]
struct Buffers {
    /// Per name: 1 + its record in `acc` (or place in `met`) during a
    /// walk, 0 when not met.
    slot_of: Vec<u32>,
    acc: Vec<Acc>,
    touched: Vec<u32>,
    slot_touched: Vec<u32>,
    alt_touched: Vec<u32>,
    seen_terms: Vec<u32>,
    scored: Vec<(f32, u32)>,
    best: BinaryHeap<Reverse<u32>>,
    /// Per name, a bit: met by the walk by list under way (as `slot_of`,
    /// but a few KB).
    met_bits: Vec<u64>,
    /// The names a walk by list met, in the order met (`slot_of` gives 1 +
    /// a name's place here during such a walk).
    met: Vec<u32>,
    /// A walk by list's order of lists: (a lone list's query side, the
    /// list, its postings), and per place in it what the lists from there
    /// on can give (see `by_list`).
    order: Vec<(f32, usize, usize)>,
    tail: Vec<(f32, usize)>,
    /// Per met name (as `met`): the distinct posting lists that hold it.
    lists_of: Vec<u64>,
    /// The walk's readings of terms (see [`Occurrence`]).
    occurrences: Vec<Occurrence>,
    /// Per distinct posting list: its term and its occurrences (bits).
    lists: Vec<(u32, u128)>,
    /// The sets of lists met names are held by: (the set, its query side,
    /// its name side, how many names), and each set's entry by the set.
    groups: Vec<(u64, f32, f32, u32)>,
    group_by_set: FxHashMap<u64, u32>,
    /// Per met name (as `met`): its entry in `groups`.
    group_of: Vec<u32>,
    /// Met names (places in `met`) by group, groups one after another.
    by_group: Vec<u32>,
    /// Where each group's names start in `by_group`, where the next goes,
    /// and the group ids best query side first.
    group_start: Vec<u32>,
    group_next: Vec<u32>,
    group_order: Vec<u32>,
    /// Recently met sets of lists and their groups (the empty set, which
    /// no met name has, marks a free entry).
    recent: Vec<(u64, u32)>,
    /// Per name: its weight as [`Index::name_weight`] gives it (at least
    /// `f32::EPSILON`), 0 until read: the estimates read a compact array
    /// rather than the names' records.
    weight_of: Vec<f32>,
    /// The [`Index::instance`] `slot_of` was made for.
    index: u64,
}

thread_local! {
    /// The buffers of the last [`Scratch`] dropped on this thread, so a
    /// new one (one per batch split, per query in some callers) does not
    /// allocate and fill megabytes again.
    static SPARE: std::cell::RefCell<Option<Buffers>> = const { std::cell::RefCell::new(None) };
}

/// Per-thread buffers, sized to the index once and reused for every query
/// (and by the next `Scratch` made on the same thread).
#[derive(Debug, Default)]
pub struct Scratch {
    buffers: Option<Buffers>,
}

impl Scratch {
    fn ensure<D: AsRef<[u8]>>(&mut self, index: &Index<D>) -> &mut Buffers {
        let fits =
            |b: &Buffers| b.index == index.instance() && b.slot_of.len() == index.name_count();
        if self.buffers.as_ref().is_none_or(|b| !fits(b)) {
            let spare = SPARE.with(|s| s.borrow_mut().take());
            self.buffers = Some(match spare {
                Some(b) if fits(&b) => b,
                _ => Buffers {
                    slot_of: vec![0; index.name_count()],
                    weight_of: vec![0.0; index.name_count()],
                    met_bits: vec![0; index.name_count().div_ceil(64)],
                    index: index.instance(),
                    ..Buffers::default()
                },
            });
        }
        self.buffers.get_or_insert_with(Buffers::default)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if let Some(b) = self.buffers.take() {
            // A thread being torn down has no slot left: the buffers just go.
            let _ = SPARE.try_with(|s| *s.borrow_mut() = Some(b));
        }
    }
}

/// Names worth scoring exactly, best estimate first.
pub fn candidates<D: AsRef<[u8]>>(
    index: &Index<D>,
    query: &Query,
    allowed: &[Range<u32>],
    scratch: &mut Scratch,
) -> Vec<u32> {
    let b = scratch.ensure(index);
    let limit = (index.name_count() as f32 * COMMON_TERM_SHARE) as usize;
    let common = |t: u32| index.postings(t).len() > limit;
    let any_rare = query
        .slots
        .iter()
        .flat_map(|s| &s.alts)
        .flat_map(|a| &a.terms)
        .any(|t| !common(*t));
    let walked = |t: &u32| !(any_rare && common(*t));
    if walk_by_list(index, query, allowed, &walked, b) {
        return select_by_group(index, query, b);
    }
    walk_by_term(index, query, allowed, &walked, b);
    select(index, query, b)
}

/// One reading of a walked term in a slot's reading, in query order, and
/// what meeting a name in its postings adds to the name's sums: both walks
/// make these additions (see [`occurrences_of`]).
#[derive(Debug, Clone, Copy)]
struct Occurrence {
    /// The term.
    term: u32,
    /// The slot (index in the query).
    slot: u32,
    /// The reading (index over all readings of the query).
    alt: u32,
    /// The term's share of its reading.
    share: f32,
    /// The reading's value when this term is all of it.
    value: f32,
    /// `value` times the slot's weight (never negative).
    gain: f32,
    /// The term's idf, added to the name side the first time the query
    /// meets the term (`None`: met before).
    first: Option<f32>,
    /// The reading has one walked term.
    single: bool,
    /// The slot has one live reading.
    lone: bool,
    /// The reading's quality.
    quality: f32,
    /// The slot's weight.
    weight: f32,
}

/// The readings of walked terms of `query`, slot by slot, reading by
/// reading, term by term (a reading of no value has none), each with what
/// meeting a name in its postings adds.
fn occurrences_of<D: AsRef<[u8]>>(
    index: &Index<D>,
    query: &Query,
    walked: &dyn Fn(&u32) -> bool,
    seen_terms: &mut Vec<u32>,
    out: &mut Vec<Occurrence>,
) {
    seen_terms.clear();
    out.clear();
    let mut alt_no = 0u32;
    for (si, slot) in query.slots.iter().enumerate() {
        let live = |a: &Alt| a.total_idf > 0.0 && a.terms.iter().any(walked);
        // A slot of one reading takes that reading's value: its names get
        // their query side as the reading ends, with no pass over the slot.
        let lone = slot.alts.iter().filter(|a| live(a)).count() == 1;
        for alt in &slot.alts {
            alt_no += 1;
            if alt.total_idf <= 0.0 {
                continue;
            }
            // A reading of one walked term has the same value in every name
            // that holds it: no sum per name, no pass over the reading.
            let single = alt.terms.iter().filter(|t| walked(t)).count() == 1;
            for (t, w) in alt.terms.iter().zip(&alt.weights) {
                if !walked(t) {
                    continue;
                }
                let share = w / alt.total_idf;
                let value = alt.quality * (0.0 + share);
                // The name side counts a term the first time the query
                // meets it.
                let first = !seen_terms.contains(t);
                if first {
                    seen_terms.push(*t);
                }
                out.push(Occurrence {
                    term: *t,
                    slot: si as u32,
                    alt: alt_no - 1,
                    share,
                    value,
                    gain: (if value > 0.0 { value } else { 0.0 }) * slot.weight,
                    first: first.then(|| index.idf(*t)),
                    single,
                    lone,
                    quality: alt.quality,
                    weight: slot.weight,
                });
            }
        }
    }
}

/// Calls `visit` with each name of term `t`'s postings within `allowed`,
/// ascending. Names of one manual are contiguous and postings ascend, so
/// each allowed range is one run of a posting list.
fn for_each_posting<D: AsRef<[u8]>>(
    index: &Index<D>,
    t: u32,
    allowed: &[Range<u32>],
    mut visit: impl FnMut(u32),
) {
    match index.postings_slice(t) {
        Some(p) => {
            for r in allowed {
                let from = p.partition_point(|&n| n < r.start);
                let to = from + p[from..].partition_point(|&n| n < r.end);
                p[from..to].iter().for_each(|&n| visit(n));
            }
        }
        None => {
            let end = allowed.iter().map(|r| r.end).max().unwrap_or(0);
            index
                .postings(t)
                .take_while(|&n| n < end)
                .filter(|n| allowed.iter().any(|r| r.contains(n)))
                .for_each(visit)
        }
    }
}

/// The best [`CANDIDATES`] of the estimated names, best first. Equal
/// estimates are ordered by name id, in the cut as in the sort: which
/// names are kept never depends on the order they were met in.
fn cut(scored: &mut [(f32, u32)]) -> Vec<u32> {
    let best_first = |a: &(f32, u32), b: &(f32, u32)| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1));
    let scored = if scored.len() > CANDIDATES {
        scored.select_nth_unstable_by(CANDIDATES, best_first);
        &mut scored[..CANDIDATES]
    } else {
        scored
    };
    scored.sort_unstable_by(best_first);
    scored.iter().map(|&(_, n)| n).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::testkit::{self, doc};
    use crate::search::Matcher;

    fn candidate_docs(text: &str, allowed: Range<u32>) -> Vec<u32> {
        let idx = testkit::index();
        let query = Matcher::new(idx).unwrap().analyze(text);
        let mut docs: Vec<u32> = candidates(idx, &query, &[allowed], &mut Scratch::default())
            .into_iter()
            .map(|n| idx.name(n).doc)
            .collect();
        docs.sort_unstable();
        docs.dedup();
        docs
    }

    fn all() -> Range<u32> {
        0..testkit::index().name_count() as u32
    }

    #[test]
    fn every_name_holding_a_query_term_is_a_candidate() {
        let idx = testkit::index();
        let got = candidate_docs("appendix", all());
        assert_eq!(got, [doc(idx, "0DTJ0ZZ"), doc(idx, "0DTJ4ZZ")]);
    }

    #[test]
    fn only_the_allowed_manuals_are_walked() {
        let idx = testkit::index();
        let first_pcs = idx.title_name(doc(idx, "0DTJ0ZZ")).unwrap();
        assert!(candidate_docs("appendix", 0..first_pcs).is_empty());
        assert!(!candidate_docs("hypertension", 0..first_pcs).is_empty());
    }

    #[test]
    fn chapter_and_block_titles_are_never_candidates() {
        let idx = testkit::index();
        let got = candidate_docs("diseases of the circulatory system", all());
        assert!(got.iter().all(|d| idx.doc(*d).is_code()), "{got:?}");
    }

    /// Both walks, then the same cut: the lists each gives.
    fn both_walks(text: &str) -> (Vec<u32>, Vec<u32>) {
        let idx = testkit::index();
        let query = Matcher::new(idx).unwrap().analyze(text);
        let walked = |_: &u32| true;
        let mut scratch = Scratch::default();
        let b = scratch.ensure(idx);
        assert!(walk_by_list(idx, &query, &[all()], &walked, b));
        let by_list = select_by_group(idx, &query, b);
        walk_by_term(idx, &query, &[all()], &walked, b);
        (by_list, select(idx, &query, b))
    }

    #[test]
    fn the_walk_by_list_sums_as_the_walk_by_term() {
        for text in [
            "appendix",
            "essential hypertension",
            "HTN w/ CKD stage 3",
            "left ankle fx initial encounter",
            "type 2 diabetes with foot ulcer of right heel",
            "laparoscopic appendectomy",
        ] {
            let (by_list, by_term) = both_walks(text);
            assert!(!by_list.is_empty(), "{text}");
            assert_eq!(by_list, by_term, "{text}");
        }
    }

    #[test]
    fn a_scratch_is_reused_without_carrying_over() {
        let idx = testkit::index();
        let matcher = Matcher::new(idx).unwrap();
        let mut scratch = Scratch::default();
        let a = candidates(idx, &matcher.analyze("appendix"), &[all()], &mut scratch);
        let b = candidates(idx, &matcher.analyze("ankle"), &[all()], &mut scratch);
        let again = candidates(idx, &matcher.analyze("appendix"), &[all()], &mut scratch);
        assert_eq!(a, again);
        assert!(b.iter().all(|n| !a.contains(n)));
    }
}
