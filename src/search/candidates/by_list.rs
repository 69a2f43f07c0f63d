//! The walk by posting list (see [`super`]).

use super::{Acc, Buffers, Occurrence, cut, for_each_posting, occurrences_of};
use crate::index::Index;
use crate::search::query::Query;
use crate::search::weights::CANDIDATES;
use std::ops::Range;

/// The most distinct posting lists and term readings a walk by list
/// tracks per name (the bits of a `u64` and a `u128`); a query with more
/// is walked term by term.
const MAX_LISTS: usize = 64;
const MAX_OCCURRENCES: usize = 128;

/// The walk by posting list: each distinct walked term's postings once,
/// recording per met name which lists hold it; then each met name's sums
/// replayed from its lists in query order, the very additions, in the
/// very order, [`super::by_term::walk_by_term`] makes (so every sum is
/// bit for bit the same), without walking a list again for each reading
/// that repeats its term. `false` (nothing done) when the query has more
/// lists or readings than the bits hold.
///
/// Lists are walked best first (by the query side of a name held by that
/// list alone). Once some [`CANDIDATES`] names are met, the lowest of
/// their best estimates so far is a floor under the final cut's (sums only
/// grow as lists are added); from the first list on which every name held
/// only by the lists left scores below that floor, those lists only add to
/// names already met: a name first met there could never be kept.
pub(super) fn walk_by_list<D: AsRef<[u8]>>(
    index: &Index<D>,
    query: &Query,
    allowed: &[Range<u32>],
    walked: &dyn Fn(&u32) -> bool,
    b: &mut Buffers,
) -> bool {
    occurrences_of(index, query, walked, &mut b.seen_terms, &mut b.occurrences);
    if b.occurrences.len() > MAX_OCCURRENCES {
        return false;
    }
    b.lists.clear();
    for (k, o) in b.occurrences.iter().enumerate() {
        let bit = 1u128 << k;
        match b.lists.iter().position(|(t, _)| *t == o.term) {
            Some(l) => b.lists[l].1 |= bit,
            None if b.lists.len() == MAX_LISTS => return false,
            None => b.lists.push((o.term, bit)),
        }
    }
    let total = query.total_weight().max(f32::EPSILON);
    let side_of = |occ: u128, occurrences: &[Occurrence]| {
        let mut a = Acc::new(0);
        replay(&mut a, occ, occurrences);
        a.query / total
    };
    // The walk's order, and per place in it the most a name held only by
    // the lists from there on can score.
    // (Out of the buffers for the walk, which lends them whole to the
    // grouping; put back at the end.)
    let mut order = std::mem::take(&mut b.order);
    order.clear();
    order.extend(
        b.lists
            .iter()
            .enumerate()
            .map(|(l, &(t, occ))| (side_of(occ, &b.occurrences), l, index.postings(t).len())),
    );
    order.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)));
    // Per place: (the most a name held only by the lists from there on can
    // score, their postings).
    let mut tail = std::mem::take(&mut b.tail);
    tail.clear();
    tail.resize(order.len() + 1, (0.0, 0));
    let mut occ = 0u128;
    for j in (0..order.len()).rev() {
        occ |= b.lists[order[j].1].1;
        tail[j] = (side_of(occ, &b.occurrences), tail[j + 1].1 + order[j].2);
    }
    b.lists_of.clear();
    let mut floor: Option<f32> = None;
    for (j, &(_, l, _)) in order.iter().enumerate() {
        if floor.is_none() && b.met.len() >= CANDIDATES && tail[j].1 > 2 * b.met.len() {
            group(b);
            floor = Some(best_estimates(index, total, b));
        }
        let Buffers {
            slot_of,
            met_bits,
            met,
            lists_of,
            lists,
            ..
        } = &mut *b;
        let bit = 1u64 << l;
        let t = lists[l].0;
        // Whether a name is met is a bit (a few KB, in cache) before it is
        // a place in `slot_of` (a MB): most postings of a list walked only
        // for names already met are of names not met.
        let is_met = |met_bits: &[u64], n: u32| met_bits[n as usize >> 6] >> (n & 63) & 1 != 0;
        if floor.is_some_and(|f| tail[j].0 < f) {
            for_each_posting(index, t, allowed, |n: u32| {
                if is_met(met_bits, n) {
                    lists_of[slot_of[n as usize] as usize - 1] |= bit;
                }
            });
        } else {
            for_each_posting(index, t, allowed, |n: u32| {
                if is_met(met_bits, n) {
                    lists_of[slot_of[n as usize] as usize - 1] |= bit;
                } else {
                    met_bits[n as usize >> 6] |= 1 << (n & 63);
                    met.push(n);
                    lists_of.push(bit);
                    slot_of[n as usize] = met.len() as u32;
                }
            });
        }
    }
    b.order = order;
    b.tail = tail;
    group(b);
    true
}

/// Names held by the same lists have the same sums: each set of lists is
/// replayed once, and its names are estimated as a group.
fn group(b: &mut Buffers) {
    let Buffers {
        lists_of,
        occurrences,
        lists,
        groups,
        group_by_set,
        group_of,
        recent,
        ..
    } = b;
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
                let mut a = Acc::new(0);
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
}

/// The sets of lists the group table of a walk by list remembers
/// (`1 << RECENT_BITS`).
const RECENT_BITS: u32 = 8;
const RECENT: usize = 1 << RECENT_BITS;

/// [`super::by_term::select`] for a walk by list: the names held by the
/// same lists share a query side, so they are taken by group, best query
/// side first, each name estimated, until a group's query side is below
/// the lowest of the best [`CANDIDATES`] estimates so far: no name of it
/// or of a later group can be among them (an estimate is never above its
/// query side). The same names as [`super::by_term::select`] keeps,
/// without sorting every met name.
pub(super) fn select_by_group<D: AsRef<[u8]>>(
    index: &Index<D>,
    query: &Query,
    b: &mut Buffers,
) -> Vec<u32> {
    let total = query.total_weight().max(f32::EPSILON);
    best_estimates(index, total, b);
    for n in b.met.drain(..) {
        b.slot_of[n as usize] = 0;
        b.met_bits[n as usize >> 6] = 0;
    }
    cut(&mut b.scored)
}

/// Fills `scored` with the estimates of the grouped names that may be
/// among the best [`CANDIDATES`] (and no fewer than that many when there
/// are); returns the lowest of the best [`CANDIDATES`] (0 when fewer).
fn best_estimates<D: AsRef<[u8]>>(index: &Index<D>, total: f32, b: &mut Buffers) -> f32 {
    let Buffers {
        met,
        scored,
        groups,
        group_of,
        by_group,
        group_start,
        group_next,
        group_order,
        weight_of,
        ..
    } = b;
    group_start.clear();
    let mut at = 0u32;
    for g in groups.iter() {
        group_start.push(at);
        at += g.3;
    }
    group_next.clear();
    group_next.extend_from_slice(group_start);
    // Every place below met.len() is written once: no need to clear it.
    if by_group.len() < met.len() {
        by_group.resize(met.len(), 0);
    }
    for (&g, &id) in group_of.iter().zip(met.iter()) {
        let next = &mut group_next[g as usize];
        by_group[*next as usize] = id;
        *next += 1;
    }
    let query_side = |g: u32| groups[g as usize].1 / total;
    group_order.clear();
    group_order.extend(0..groups.len() as u32);
    group_order.sort_unstable_by(|a, b| query_side(*b).total_cmp(&query_side(*a)));
    scored.clear();
    // The lowest of the best CANDIDATES estimates when last found (once
    // there are that many): a name below it can never be kept. It is found
    // again once REFRESH more names are estimated (until then it is lower
    // than it could be: a floor still, that may let a group in for nothing).
    let mut bar = 0.0f32;
    let mut bar_at = 0;
    let refresh = |scored: &mut Vec<(f32, u32)>, bar: &mut f32, bar_at: &mut usize| {
        scored.select_nth_unstable_by(CANDIDATES - 1, |a, b| b.0.total_cmp(&a.0));
        *bar = scored[CANDIDATES - 1].0;
        let mut kept = CANDIDATES;
        for i in CANDIDATES..scored.len() {
            if scored[i].0 >= *bar {
                scored.swap(kept, i);
                kept += 1;
            }
        }
        scored.truncate(kept);
        *bar_at = scored.len();
    };
    for &g in group_order.iter() {
        let side = query_side(g);
        if scored.len() >= CANDIDATES && side < bar {
            break;
        }
        let (_, _, name_side, count) = groups[g as usize];
        let from = group_start[g as usize] as usize;
        for &id in &by_group[from..from + count as usize] {
            let w = &mut weight_of[id as usize];
            if *w == 0.0 {
                *w = index.name_weight(id).max(f32::EPSILON);
            }
            let nc = (name_side / *w).min(1.0);
            scored.push((side * nc.sqrt(), id));
        }
        if scored.len() >= CANDIDATES && (bar_at == 0 || scored.len() >= bar_at + REFRESH) {
            refresh(scored, &mut bar, &mut bar_at);
        }
    }
    if scored.len() >= CANDIDATES && scored.len() != bar_at {
        refresh(scored, &mut bar, &mut bar_at);
    }
    bar
}

/// How many more names are estimated before the bar of
/// [`best_estimates`] is found again.
const REFRESH: usize = 64;

/// A met name's sums from the readings (bits of `occ`) whose lists hold
/// it, in query order: each reading's additions as the walk by term makes
/// them, a reading closed before the next, a slot after its last.
fn replay(a: &mut Acc, mut occ: u128, occurrences: &[Occurrence]) {
    let mut last: Option<&Occurrence> = None;
    while occ != 0 {
        let o = &occurrences[occ.trailing_zeros() as usize];
        occ &= occ - 1;
        if let Some(p) = last {
            if p.alt != o.alt && a.alt >= 0.0 {
                a.close_reading(p);
            }
            if p.slot != o.slot && a.slot >= 0.0 {
                a.close_slot(p);
            }
        }
        a.meet(o);
        last = Some(o);
    }
    if let Some(p) = last {
        if a.alt >= 0.0 {
            a.close_reading(p);
        }
        if a.slot >= 0.0 {
            a.close_slot(p);
        }
    }
}
