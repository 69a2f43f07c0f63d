//! The walk reading by reading (see [`super`]).

use super::{Acc, Buffers, cut, for_each_posting, occurrences_of};
use crate::index::Index;
use crate::search::query::Query;
use crate::search::weights::CANDIDATES;
use std::cmp::Reverse;
use std::ops::Range;

/// The walk term by term: each reading's terms' postings, the sums of
/// every met name kept as the walk goes.
pub(super) fn walk_by_term<D: AsRef<[u8]>>(
    index: &Index<D>,
    query: &Query,
    allowed: &[Range<u32>],
    walked: &dyn Fn(&u32) -> bool,
    b: &mut Buffers,
) {
    // The order names are met in within a list changes no sum.
    let Buffers {
        slot_of,
        acc,
        touched,
        slot_touched,
        alt_touched,
        seen_terms,
        occurrences,
        ..
    } = b;
    occurrences_of(index, query, walked, seen_terms, occurrences);
    for (i, o) in occurrences.iter().enumerate() {
        let visit = |n: u32| {
            let k = match slot_of[n as usize] {
                0 => {
                    acc.push(Acc::new(n));
                    slot_of[n as usize] = acc.len() as u32;
                    acc.len() - 1
                }
                k => k as usize - 1,
            };
            let opened = acc[k].meet(o);
            let k = k as u32;
            if opened.reading {
                alt_touched.push(k);
            }
            if opened.slot {
                slot_touched.push(k);
            }
            if opened.name {
                touched.push(k);
            }
        };
        for_each_posting(index, o.term, allowed, visit);
        let next = occurrences.get(i + 1);
        if next.is_none_or(|n| n.alt != o.alt) {
            for &k in alt_touched.iter() {
                if acc[k as usize].close_reading(o) {
                    slot_touched.push(k);
                }
            }
            alt_touched.clear();
        }
        if next.is_none_or(|n| n.slot != o.slot) {
            for &k in slot_touched.iter() {
                acc[k as usize].close_slot(o);
            }
            slot_touched.clear();
        }
    }
}

/// The best [`CANDIDATES`] of the met names by estimate (see below).
pub(super) fn select<D: AsRef<[u8]>>(index: &Index<D>, query: &Query, b: &mut Buffers) -> Vec<u32> {
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
