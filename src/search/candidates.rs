//! Candidate generation: walk the postings of every term the query can
//! mean and keep the names that look best by a cheap estimate of the
//! score. Exact scoring of the survivors is [`super::score`]'s job.

use super::query::Query;
use super::weights::{CANDIDATES, COMMON_TERM_SHARE};
use crate::index::Index;
use std::ops::Range;

/// Per-thread buffers, sized to the index once and reused for every query.
#[derive(Debug, Default)]
pub struct Scratch {
    query_side: Vec<f32>,
    name_side: Vec<f32>,
    slot_best: Vec<f32>,
    alt_acc: Vec<f32>,
    touched: Vec<u32>,
    slot_touched: Vec<u32>,
    alt_touched: Vec<u32>,
}

impl Scratch {
    fn ensure(&mut self, n: usize) {
        if self.query_side.len() != n {
            self.query_side = vec![0.0; n];
            self.name_side = vec![0.0; n];
            self.slot_best = vec![-1.0; n];
            self.alt_acc = vec![-1.0; n];
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
    // Names of one manual are contiguous and postings ascend, so a walk stops
    // at the end of the last manual searched.
    let end = allowed.iter().map(|r| r.end).max().unwrap_or(0);
    let allow = |n: u32| allowed.iter().any(|r| r.contains(&n));
    scratch.ensure(index.name_count());
    let Scratch {
        query_side,
        name_side,
        slot_best,
        alt_acc,
        touched,
        slot_touched,
        alt_touched,
    } = scratch;
    let mut seen_terms: Vec<u32> = Vec::new();
    let limit = (index.name_count() as f32 * COMMON_TERM_SHARE) as usize;
    let common = |t: u32| index.postings(t).len() > limit;
    let any_rare = query
        .slots
        .iter()
        .flat_map(|s| &s.alts)
        .flat_map(|a| &a.terms)
        .any(|t| !common(*t));
    for slot in &query.slots {
        for alt in &slot.alts {
            if alt.total_idf <= 0.0 {
                continue;
            }
            for (t, w) in alt.terms.iter().zip(&alt.weights) {
                if any_rare && common(*t) {
                    continue;
                }
                let share = w / alt.total_idf;
                // Each posting list is walked once: the reading's share, and
                // the name side the first time the query meets the term (the
                // sums add up in the same order as two walks would).
                let first = !seen_terms.contains(t);
                if first {
                    seen_terms.push(*t);
                }
                let idf = index.idf(*t);
                let mut visit = |n: u32| {
                    if !allow(n) {
                        return;
                    }
                    let a = &mut alt_acc[n as usize];
                    if *a < 0.0 {
                        *a = 0.0;
                        alt_touched.push(n);
                    }
                    *a += share;
                    if first {
                        if query_side[n as usize] == 0.0 && name_side[n as usize] == 0.0 {
                            touched.push(n);
                        }
                        name_side[n as usize] += idf;
                    }
                };
                match index.postings_slice(*t) {
                    Some(p) => p[..p.partition_point(|&n| n < end)]
                        .iter()
                        .for_each(|&n| visit(n)),
                    None => index.postings(*t).take_while(|&n| n < end).for_each(visit),
                }
            }
            for n in alt_touched.drain(..) {
                let v = alt.quality * alt_acc[n as usize];
                alt_acc[n as usize] = -1.0;
                let b = &mut slot_best[n as usize];
                if *b < 0.0 {
                    *b = 0.0;
                    slot_touched.push(n);
                }
                if v > *b {
                    *b = v;
                }
            }
        }
        for n in slot_touched.drain(..) {
            query_side[n as usize] += slot_best[n as usize] * slot.weight;
            slot_best[n as usize] = -1.0;
        }
    }
    let total = query.total_weight().max(f32::EPSILON);
    let mut scored: Vec<(f32, u32)> = touched
        .iter()
        .map(|&n| {
            let name = index.name(n);
            let qc = query_side[n as usize] / total;
            let nc = (name_side[n as usize] / name.weight.max(f32::EPSILON)).min(1.0);
            (qc * nc.sqrt(), n)
        })
        .collect();
    for n in touched.drain(..) {
        query_side[n as usize] = 0.0;
        name_side[n as usize] = 0.0;
    }
    // Equal estimates are ordered by name id, in the cut as in the sort:
    // which names are kept never depends on the order they were met in.
    let best_first = |a: &(f32, u32), b: &(f32, u32)| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1));
    if scored.len() > CANDIDATES {
        scored.select_nth_unstable_by(CANDIDATES, best_first);
        scored.truncate(CANDIDATES);
    }
    scored.sort_unstable_by(best_first);
    scored.into_iter().map(|(_, n)| n).collect()
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
