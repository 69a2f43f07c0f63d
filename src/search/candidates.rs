//! Candidate generation: walk the postings of every term the query can
//! mean and keep the names that look best by a cheap estimate of the
//! score. Exact scoring of the survivors is [`super::score`]'s job.

use super::query::{Alt, Query};
use super::weights::{CANDIDATES, COMMON_TERM_SHARE};
use crate::index::Index;
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
    /// The names a walk by list met, in the order met (`slot_of` gives 1 +
    /// a name's place here during such a walk).
    met: Vec<u32>,
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
/// what meeting a name in its postings adds to the name's sums (as
/// [`walk_by_term`] adds it).
#[derive(Debug, Clone, Copy)]
struct Occurrence {
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

/// The most distinct posting lists and term readings a walk by list
/// tracks per name (the bits of a `u64` and a `u128`); a query with more
/// is walked term by term.
const MAX_LISTS: usize = 64;
const MAX_OCCURRENCES: usize = 128;

/// The walk by posting list: each distinct walked term's postings once,
/// recording per met name which lists hold it; then each met name's sums
/// replayed from its lists in query order, the very additions, in the
/// very order, [`walk_by_term`] makes (so every sum is bit for bit the
/// same), without walking a list again for each reading that repeats its
/// term. `false` (nothing done) when the query has more lists or readings
/// than the bits hold.
fn walk_by_list<D: AsRef<[u8]>>(
    index: &Index<D>,
    query: &Query,
    allowed: &[Range<u32>],
    walked: &dyn Fn(&u32) -> bool,
    b: &mut Buffers,
) -> bool {
    let Buffers {
        slot_of,
        met,
        seen_terms,
        lists_of,
        occurrences,
        lists,
        groups,
        group_by_set,
        group_of,
        recent,
        ..
    } = b;
    seen_terms.clear();
    occurrences.clear();
    lists.clear();
    let mut alt_no = 0u32;
    for (si, slot) in query.slots.iter().enumerate() {
        let live = |a: &Alt| a.total_idf > 0.0 && a.terms.iter().any(walked);
        let lone = slot.alts.iter().filter(|a| live(a)).count() == 1;
        for alt in &slot.alts {
            alt_no += 1;
            if alt.total_idf <= 0.0 {
                continue;
            }
            let single = alt.terms.iter().filter(|t| walked(t)).count() == 1;
            for (t, w) in alt.terms.iter().zip(&alt.weights) {
                if !walked(t) {
                    continue;
                }
                let share = w / alt.total_idf;
                let value = alt.quality * (0.0 + share);
                let gain = (if value > 0.0 { value } else { 0.0 }) * slot.weight;
                let first = !seen_terms.contains(t);
                if first {
                    seen_terms.push(*t);
                }
                if occurrences.len() == MAX_OCCURRENCES {
                    return false;
                }
                let bit = 1u128 << occurrences.len();
                match lists.iter().position(|(lt, _)| lt == t) {
                    Some(l) => lists[l].1 |= bit,
                    None if lists.len() == MAX_LISTS => return false,
                    None => lists.push((*t, bit)),
                }
                occurrences.push(Occurrence {
                    slot: si as u32,
                    alt: alt_no - 1,
                    share,
                    value,
                    gain,
                    first: first.then(|| index.idf(*t)),
                    single,
                    lone,
                    quality: alt.quality,
                    weight: slot.weight,
                });
            }
        }
    }
    lists_of.clear();
    for (li, &(t, _)) in lists.iter().enumerate() {
        let bit = 1u64 << li;
        let mut visit = |n: u32| match slot_of[n as usize] {
            0 => {
                met.push(n);
                lists_of.push(bit);
                slot_of[n as usize] = met.len() as u32;
            }
            k => lists_of[k as usize - 1] |= bit,
        };
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
                    .for_each(&mut visit)
            }
        }
    }
    // Names held by the same lists have the same sums: each set of lists
    // is replayed once, and its names are estimated as a group.
    groups.clear();
    group_by_set.clear();
    group_of.clear();
    recent.clear();
    recent.resize(RECENT, (0, 0));
    for &mask in lists_of.iter() {
        // Most names fall in a few groups: a small table by set finds a
        // set met before without the map.
        let slot = (mask.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - RECENT_BITS)) as usize;
        let g = if recent[slot].0 == mask {
            recent[slot].1
        } else {
            let g = *group_by_set.entry(mask).or_insert_with(|| {
                let mut rest = mask;
                let mut occ = 0u128;
                while rest != 0 {
                    occ |= lists[rest.trailing_zeros() as usize].1;
                    rest &= rest - 1;
                }
                let mut a = Acc {
                    alt: -1.0,
                    slot: -1.0,
                    query: 0.0,
                    name: 0.0,
                    id: 0,
                };
                replay(&mut a, occ, occurrences);
                groups.push((mask, a.query, a.name, 0));
                groups.len() as u32 - 1
            });
            recent[slot] = (mask, g);
            g
        };
        groups[g as usize].3 += 1;
        group_of.push(g);
    }
    true
}

/// The sets of lists the group table of a walk by list remembers
/// (`1 << RECENT_BITS`).
const RECENT_BITS: u32 = 8;
const RECENT: usize = 1 << RECENT_BITS;

/// [`select`] for a walk by list: the names held by the same lists share
/// a query side, so they are taken by group, best query side first, each
/// name estimated, until a group's query side is below the lowest of the
/// best [`CANDIDATES`] estimates so far: no name of it or of a later group
/// can be among them (an estimate is never above its query side). The
/// same names as [`select`] keeps, without sorting every met name.
fn select_by_group<D: AsRef<[u8]>>(index: &Index<D>, query: &Query, b: &mut Buffers) -> Vec<u32> {
    let Buffers {
        slot_of,
        met,
        scored,
        best,
        groups,
        group_of,
        by_group,
        group_start,
        group_next,
        group_order,
        weight_of,
        ..
    } = b;
    let total = query.total_weight().max(f32::EPSILON);
    group_start.clear();
    let mut at = 0u32;
    for g in groups.iter() {
        group_start.push(at);
        at += g.3;
    }
    group_next.clear();
    group_next.extend_from_slice(group_start);
    by_group.clear();
    by_group.resize(met.len(), 0);
    for (k, g) in group_of.iter().enumerate() {
        let next = &mut group_next[*g as usize];
        by_group[*next as usize] = k as u32;
        *next += 1;
    }
    let query_side = |g: u32| groups[g as usize].1 / total;
    group_order.clear();
    group_order.extend(0..groups.len() as u32);
    group_order.sort_unstable_by(|a, b| query_side(*b).total_cmp(&query_side(*a)));
    scored.clear();
    best.clear();
    let bar = |best: &BinaryHeap<Reverse<u32>>| {
        best.peek().map_or(f32::INFINITY, |b| f32::from_bits(b.0))
    };
    for &g in group_order.iter() {
        let side = query_side(g);
        if best.len() == CANDIDATES && side < bar(best) {
            break;
        }
        let (_, _, name_side, count) = groups[g as usize];
        let from = group_start[g as usize] as usize;
        for &k in &by_group[from..from + count as usize] {
            let id = met[k as usize];
            let w = &mut weight_of[id as usize];
            if *w == 0.0 {
                *w = index.name_weight(id).max(f32::EPSILON);
            }
            let nc = (name_side / *w).min(1.0);
            let e = side * nc.sqrt();
            if best.len() < CANDIDATES {
                best.push(Reverse(e.to_bits()));
            } else if e > bar(best) {
                best.pop();
                best.push(Reverse(e.to_bits()));
            }
            scored.push((e, id));
        }
    }
    for n in met.drain(..) {
        slot_of[n as usize] = 0;
    }
    cut(scored)
}

/// A met name's sums from the readings (bits of `occ`) whose lists hold
/// it, in query order: each reading's additions as the walk by term makes
/// them, a reading closed before the next, a slot after its last.
fn replay(a: &mut Acc, mut occ: u128, occurrences: &[Occurrence]) {
    let close_alt = |a: &mut Acc, o: &Occurrence| {
        if a.alt < 0.0 {
            return;
        }
        let v = o.quality * a.alt;
        a.alt = -1.0;
        if o.lone {
            a.query += (if v > 0.0 { v } else { 0.0 }) * o.weight;
            return;
        }
        if a.slot < 0.0 {
            a.slot = 0.0;
        }
        if v > a.slot {
            a.slot = v;
        }
    };
    let close_slot = |a: &mut Acc, o: &Occurrence| {
        if a.slot >= 0.0 {
            a.query += a.slot * o.weight;
            a.slot = -1.0;
        }
    };
    let mut last: Option<&Occurrence> = None;
    while occ != 0 {
        let o = &occurrences[occ.trailing_zeros() as usize];
        occ &= occ - 1;
        if let Some(p) = last {
            if p.alt != o.alt {
                close_alt(a, p);
            }
            if p.slot != o.slot {
                close_slot(a, p);
            }
        }
        if !o.single {
            if a.alt < 0.0 {
                a.alt = 0.0;
            }
            a.alt += o.share;
        } else if !o.lone {
            if a.slot < 0.0 {
                a.slot = 0.0;
            }
            if o.value > a.slot {
                a.slot = o.value;
            }
        }
        if let Some(idf) = o.first {
            a.name += idf;
        }
        if o.single && o.lone {
            a.query += o.gain;
        }
        last = Some(o);
    }
    if let Some(p) = last {
        close_alt(a, p);
        close_slot(a, p);
    }
}

/// The walk term by term: each reading's terms' postings, the sums of
/// every met name kept as the walk goes.
fn walk_by_term<D: AsRef<[u8]>>(
    index: &Index<D>,
    query: &Query,
    allowed: &[Range<u32>],
    walked: &dyn Fn(&u32) -> bool,
    b: &mut Buffers,
) {
    // Names of one manual are contiguous and postings ascend, so each
    // allowed range is one run of a posting list (the order names are met
    // in within a list changes no sum).
    let Buffers {
        slot_of,
        acc,
        touched,
        slot_touched,
        alt_touched,
        seen_terms,
        ..
    } = b;
    seen_terms.clear();
    for slot in &query.slots {
        let live = |a: &Alt| a.total_idf > 0.0 && a.terms.iter().any(walked);
        // A slot of one reading takes that reading's value: its names get
        // their query side as the reading ends, with no pass over the slot.
        let lone = slot.alts.iter().filter(|a| live(a)).count() == 1;
        for alt in &slot.alts {
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
                let gain = (if value > 0.0 { value } else { 0.0 }) * slot.weight;
                // Each posting list is walked once: the reading's share, and
                // the name side the first time the query meets the term (the
                // sums add up in the same order as two walks would).
                let first = !seen_terms.contains(t);
                if first {
                    seen_terms.push(*t);
                }
                let idf = index.idf(*t);
                let mut visit = |n: u32| {
                    let k = match slot_of[n as usize] {
                        0 => {
                            acc.push(Acc {
                                alt: -1.0,
                                slot: -1.0,
                                query: 0.0,
                                name: 0.0,
                                id: n,
                            });
                            slot_of[n as usize] = acc.len() as u32;
                            acc.len() - 1
                        }
                        k => k as usize - 1,
                    };
                    let a = &mut acc[k];
                    let k = k as u32;
                    if !single {
                        if a.alt < 0.0 {
                            a.alt = 0.0;
                            alt_touched.push(k);
                        }
                        a.alt += share;
                    } else if !lone {
                        if a.slot < 0.0 {
                            a.slot = 0.0;
                            slot_touched.push(k);
                        }
                        if value > a.slot {
                            a.slot = value;
                        }
                    }
                    if first {
                        if a.query == 0.0 && a.name == 0.0 {
                            touched.push(k);
                        }
                        a.name += idf;
                    }
                    if single && lone {
                        a.query += gain;
                    }
                };
                match index.postings_slice(*t) {
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
                            .postings(*t)
                            .take_while(|&n| n < end)
                            .filter(|n| allowed.iter().any(|r| r.contains(n)))
                            .for_each(visit)
                    }
                }
            }
            for &k in alt_touched.iter() {
                let a = &mut acc[k as usize];
                let v = alt.quality * a.alt;
                a.alt = -1.0;
                if lone {
                    a.query += (if v > 0.0 { v } else { 0.0 }) * slot.weight;
                    continue;
                }
                if a.slot < 0.0 {
                    a.slot = 0.0;
                    slot_touched.push(k);
                }
                if v > a.slot {
                    a.slot = v;
                }
            }
            alt_touched.clear();
        }
        for &k in slot_touched.iter() {
            let a = &mut acc[k as usize];
            a.query += a.slot * slot.weight;
            a.slot = -1.0;
        }
        slot_touched.clear();
    }
}

/// The best [`CANDIDATES`] of the met names by estimate (see below).
fn select<D: AsRef<[u8]>>(index: &Index<D>, query: &Query, b: &mut Buffers) -> Vec<u32> {
    let Buffers {
        slot_of,
        acc,
        touched,
        scored,
        best,
        ..
    } = b;
    let total = query.total_weight().max(f32::EPSILON);
    // The estimate is the query side times the root of the name side, at
    // most 1: never above the query side. So the names of the best query
    // sides are estimated first, and a name whose query side is below the
    // lowest of their estimates (200 names beat it) is never estimated:
    // its weight, a read from the index, is not needed.
    let estimate = |a: &Acc| {
        let nc = (a.name / index.name_weight(a.id).max(f32::EPSILON)).min(1.0);
        (a.query / total * nc.sqrt(), a.id)
    };
    scored.clear();
    scored.extend(touched.iter().map(|&k| (acc[k as usize].query / total, k)));
    if scored.len() > CANDIDATES {
        scored.select_nth_unstable_by(CANDIDATES - 1, |a, b| b.0.total_cmp(&a.0));
        // The 200 best estimates so far, lowest on top: the bar rises as
        // better names are met (estimates are never negative, so their
        // bits order as the numbers do).
        best.clear();
        for e in &mut scored[..CANDIDATES] {
            *e = estimate(&acc[e.1 as usize]);
            best.push(Reverse(e.0.to_bits()));
        }
        let mut kept = CANDIDATES;
        for i in CANDIDATES..scored.len() {
            let (query_side, k) = scored[i];
            let bar = best.peek().map_or(f32::INFINITY, |b| f32::from_bits(b.0));
            if query_side >= bar {
                let e = estimate(&acc[k as usize]);
                if e.0 > bar {
                    best.pop();
                    best.push(Reverse(e.0.to_bits()));
                }
                scored[kept] = e;
                kept += 1;
            }
        }
        scored.truncate(kept);
    } else {
        for e in scored.iter_mut() {
            *e = estimate(&acc[e.1 as usize]);
        }
    }
    touched.clear();
    for a in acc.drain(..) {
        slot_of[a.id as usize] = 0;
    }
    cut(scored)
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
