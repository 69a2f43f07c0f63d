//! The walk reading by reading (see [`super`]).

use super::{Acc, Buffers, cut};
use crate::index::Index;
use crate::search::query::{Alt, Query};
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
