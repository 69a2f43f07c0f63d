//! Scoring: pure functions with named weights. A name's score is
//!
//! ```text
//! query coverage  QC = Σ quality·fraction·weight of each slot / Σ weight
//! name coverage   NC = idf of the name's words the query matched
//!                      / idf of the name's essential words
//! score           = QC · NC^NAME_COVERAGE_EXPONENT · adjustments
//! ```
//!
//! so scores lie in 0..1 and are comparable across queries. Adjustments:
//! a non-billable header is discounted, an inclusion term counts a little
//! less than the title, and a 7th character other than the default
//! ("initial encounter") is discounted unless the query asked for it.

use super::query::{Alt, Query, Via};
use super::weights::{
    ANCESTOR_CREDIT, HEADER_FACTOR, INDEX_PATH_FACTOR, NAME_COVERAGE_EXPONENT,
    NONDEFAULT_SEVENTH_FACTOR, NOS_DEFAULT_FACTOR, PARTIAL_MATCH_EXPONENT, SYNONYM_FACTOR,
};
use crate::index::format::{FLAG_BILLABLE, FLAG_HAS_NOS, FLAG_NONDEFAULT_SEVENTH, NAME_NOS};
use crate::index::{Index, NameRef, TitleWeights};

/// How one slot matched one name.
#[derive(Debug, Clone)]
pub struct SlotMatch {
    /// Index of the chosen alternative, if any matched.
    pub alt: Option<usize>,
    /// quality × fraction of the alternative's terms present.
    pub credit: f32,
    /// Matched in a parent's title rather than the name itself.
    pub from_parent: bool,
}

/// The full scoring of one name.
#[derive(Debug, Clone)]
pub struct NameScore {
    /// Name id.
    pub name: u32,
    /// Per slot.
    pub slots: Vec<SlotMatch>,
    /// Query coverage.
    pub qc: f32,
    /// Name coverage.
    pub nc: f32,
    /// Name terms matched / not matched (term ids; optional ones left out
    /// of `unmatched`).
    pub matched_terms: Vec<u32>,
    /// Essential name terms no slot matched.
    pub unmatched_terms: Vec<u32>,
    /// Adjustments applied, as (reason, factor).
    pub adjustments: Vec<(&'static str, f32)>,
    /// Final score.
    pub score: f32,
}

/// `doc` or the ancestor of it that is the tabular's default home of the
/// query's words: it has an "X NOS" inclusion term whose words the query
/// all uses, and the query says nothing more of its title ("diabetes NOS"
/// under "Type 2 diabetes mellitus" for "diabetic foot ulcer"; but not
/// "Lymphoma NOS" under "Non-Hodgkin lymphoma" for "Hodgkin lymphoma").
fn nos_default<D: AsRef<[u8]>>(
    index: &Index<D>,
    query: &Query,
    weights: &TitleWeights,
    doc: u32,
) -> Option<u32> {
    // An "X NOS" home is earned by naming X, not by a loose synonym of it
    // ("throat pain" is not "sore throat NOS").
    let in_query = |t: u32| query.named_terms().binary_search(&t).is_ok();
    let typed = |t: u32| query.typed_terms().binary_search(&t).is_ok() && !weights.is_marker(t);
    std::iter::once(doc)
        .chain(index.ancestor_iter(doc))
        .find(|&d| {
            if index.doc_system_flags(d).1 & FLAG_HAS_NOS == 0 {
                return false;
            }
            let Some(first) = index.title_name(d) else {
                return false;
            };
            let title = index.name(first);
            (first..index.name_count() as u32)
                .map(|n| index.name(n))
                .take_while(|n| n.doc == d)
                .filter(|n| n.kind == NAME_NOS)
                .any(|n| {
                    index.name_terms(&n).all(|(t, opt)| opt || in_query(t))
                        && index
                            .name_terms(&title)
                            .all(|(t, _)| !typed(t) || index.name_terms(&n).any(|(x, _)| x == t))
                })
        })
}

/// Fills `out` with the terms of the titles of a doc's ancestors (parent
/// up to chapter).
fn ancestor_terms<D: AsRef<[u8]>>(index: &Index<D>, doc: u32, out: &mut Vec<u32>) {
    out.clear();
    for a in index.ancestor_iter(doc) {
        if let Some(n) = index.title_name(a) {
            out.extend(index.name_terms(&index.name(n)).map(|(t, _)| t));
        }
    }
}

/// The working lists of one [`score_name`] call, kept per thread so that
/// scoring a candidate allocates only what its [`NameScore`] keeps.
#[derive(Debug, Default)]
struct Buffers {
    terms: Vec<(u32, bool)>,
    context: Vec<u32>,
    used: Vec<u32>,
    /// The ancestors' title terms of the codes under a parent, by (index
    /// instance, parent): siblings share them (index data, bounded).
    ancestors: rustc_hash::FxHashMap<(u64, u32), Box<[u32]>>,
}

/// Parents whose ancestors' title terms a thread remembers; past this they
/// are cleared before the next are stored.
const ANCESTOR_MEMO: usize = 16_384;

thread_local! {
    static BUFFERS: std::cell::RefCell<Buffers> = std::cell::RefCell::default();
}

/// A number read as a range counts only in a name that writes that range:
/// "8-24" must not match "score 3-8, 24 hours" by its two numbers.
fn writes_range<D: AsRef<[u8]>>(index: &Index<D>, name: &NameRef, alt: &Alt) -> bool {
    let Via::Range { to, .. } = &alt.via else {
        return true;
    };
    let to = to.to_ascii_lowercase();
    let doc = index.doc(name.doc);
    if name.kind == crate::index::format::NAME_TITLE {
        return doc.title.to_ascii_lowercase().contains(&to);
    }
    let detail = index.detail(name.doc);
    detail
        .synonyms
        .iter()
        .chain(&detail.notes.includes)
        .any(|s| s.to_ascii_lowercase().contains(&to))
}

fn alt_credit(alt: &Alt, has: &dyn Fn(u32) -> bool) -> f32 {
    if alt.full_idf <= 0.0 {
        return 0.0;
    }
    let present: f32 = alt
        .terms
        .iter()
        .zip(&alt.weights)
        .filter(|(t, _)| has(**t))
        .map(|(_, w)| w)
        .sum();
    if present == 0.0 {
        // What the formula gives, without its division.
        return 0.0;
    }
    alt.quality * (present / alt.full_idf).powi(PARTIAL_MATCH_EXPONENT)
}

/// A term's bit in a [`signature`].
#[inline]
fn bit(t: u32) -> u64 {
    1 << (t.wrapping_mul(0x9E37_79B9) >> 26)
}

/// The bits of a set of terms: a term whose bit is missing is not in it.
fn signature(terms: impl Iterator<Item = u32>) -> u64 {
    terms.fold(0, |s, t| s | bit(t))
}

/// Scores one name against a query.
pub fn score_name<D: AsRef<[u8]>>(
    index: &Index<D>,
    query: &Query,
    name_id: u32,
    weights: &TitleWeights,
) -> NameScore {
    BUFFERS.with(|b| score_name_in::<D, true>(index, query, name_id, weights, &mut b.borrow_mut()))
}

/// The score of one name against a query as [`score_name`] gives it (the
/// same `score`, `qc` and `nc`, bit for bit), without what explains it:
/// `slots`, the term lists and `adjustments` are left empty. For ranking
/// many names of which few are shown: [`score_name`] fills in a kept one.
pub fn score_value<D: AsRef<[u8]>>(
    index: &Index<D>,
    query: &Query,
    name_id: u32,
    weights: &TitleWeights,
) -> NameScore {
    BUFFERS.with(|b| score_name_in::<D, false>(index, query, name_id, weights, &mut b.borrow_mut()))
}

/// Whether a score has what explains it (see [`score_value`]).
pub fn is_detailed(s: &NameScore, query: &Query) -> bool {
    s.slots.len() == query.slots.len()
}

fn score_name_in<D: AsRef<[u8]>, const FULL: bool>(
    index: &Index<D>,
    query: &Query,
    name_id: u32,
    weights: &TitleWeights,
    buffers: &mut Buffers,
) -> NameScore {
    let Buffers {
        terms,
        context,
        used,
        ancestors,
    } = buffers;
    let name: NameRef = index.name(name_id);
    terms.clear();
    terms.extend(index.name_terms(&name));
    let terms = &*terms;
    // A term whose bit is not in the name's signature is not in the name:
    // most of the query's terms are not, and need no search.
    let name_sig = signature(terms.iter().map(|(t, _)| *t));
    let has = |t: u32| name_sig & bit(t) != 0 && terms.iter().any(|(x, _)| *x == t);
    let idf = |t: u32| index.idf(t);
    let mut context_read = false;
    let mut context_sig = 0u64;
    let mut slots = Vec::with_capacity(if FULL { query.slots.len() } else { 0 });
    let mut got = 0.0;
    used.clear();
    for slot in &query.slots {
        let mut best = SlotMatch {
            alt: None,
            credit: 0.0,
            from_parent: false,
        };
        for (i, alt) in slot.alts.iter().enumerate() {
            let c = alt_credit(alt, &has);
            if c > best.credit && writes_range(index, &name, alt) {
                best = SlotMatch {
                    alt: Some(i),
                    credit: c,
                    from_parent: false,
                };
            }
        }
        if best.credit < 0.999 * ANCESTOR_CREDIT && !slot.alts.is_empty() {
            if !context_read {
                match index.parent(name.doc) {
                    Some(p) => match ancestors.get(&(index.instance(), p)) {
                        Some(t) => {
                            context.clear();
                            context.extend_from_slice(t);
                        }
                        None => {
                            ancestor_terms(index, name.doc, context);
                            if ancestors.len() >= ANCESTOR_MEMO {
                                ancestors.clear();
                            }
                            ancestors.insert((index.instance(), p), context.as_slice().into());
                        }
                    },
                    None => context.clear(),
                }
                context_sig = signature(context.iter().copied());
                context_read = true;
            }
            let in_ctx = |t: u32| context_sig & bit(t) != 0 && context.contains(&t);
            for (i, alt) in slot.alts.iter().enumerate() {
                let c = ANCESTOR_CREDIT * alt_credit(alt, &in_ctx);
                if c > best.credit {
                    best = SlotMatch {
                        alt: Some(i),
                        credit: c,
                        from_parent: true,
                    };
                }
            }
        }
        if let (Some(i), false) = (best.alt, best.from_parent) {
            used.extend(slot.alts[i].terms.iter().copied().filter(|t| has(*t)));
            // The words of every other reading found whole in the name are
            // explained by the query too ("endoscopic" and "via natural or
            // artificial opening endoscopic").
            for (j, alt) in slot.alts.iter().enumerate() {
                if j != i && alt.terms.iter().all(|t| has(*t)) && writes_range(index, &name, alt) {
                    used.extend(alt.terms.iter().copied());
                }
            }
        }
        got += best.credit * slot.weight;
        if FULL {
            slots.push(best);
        }
    }
    let total = query.total_weight();
    let qc = if total > 0.0 { got / total } else { 0.0 };
    // Under the tabular's default for the query's words, the default's own
    // title words are implied ("diabetes NOS" is type 2 diabetes mellitus).
    let nos = if qc > 0.0 {
        nos_default(index, query, weights, name.doc)
    } else {
        None
    };
    if let Some(d) = nos
        .filter(|d| *d != name.doc)
        .and_then(|d| index.title_name(d))
    {
        used.extend(index.name_terms(&index.name(d)).map(|(t, _)| t));
    }
    let weight_of = |t: u32| weights.of_term(t, || idf(t));

    let (mut num, mut den) = (0.0, 0.0);
    let (mut matched_terms, mut unmatched_terms) = if FULL {
        let matched = terms.iter().filter(|(t, _)| used.contains(t)).count();
        let unmatched = terms
            .iter()
            .filter(|(t, opt)| !opt && !used.contains(t))
            .count();
        (Vec::with_capacity(matched), Vec::with_capacity(unmatched))
    } else {
        (Vec::new(), Vec::new())
    };
    for (t, optional) in terms {
        let w = weight_of(*t);
        if used.contains(t) {
            num += w;
            den += w;
            if FULL {
                matched_terms.push(*t);
            }
        } else if !optional {
            den += w;
            if FULL {
                unmatched_terms.push(*t);
            }
        }
    }
    let nc = if den > 0.0 { num / den } else { 0.0 };
    let (_, flags) = index.doc_system_flags(name.doc);
    // At most four adjustments, kept in order (the score multiplies them
    // in that order whether or not they are kept).
    let mut factors: [(&'static str, f32); 4] = [("", 1.0); 4];
    let mut kept = 0;
    let mut adjust = |reason: &'static str, f: f32| {
        factors[kept] = (reason, f);
        kept += 1;
    };
    if flags & FLAG_BILLABLE == 0 {
        adjust("not billable (a header)", HEADER_FACTOR);
    }
    match name.kind {
        crate::index::format::NAME_TITLE => {}
        crate::index::format::NAME_INDEX => {
            adjust("matched an index or table path", INDEX_PATH_FACTOR)
        }
        _ => adjust("matched an inclusion term", SYNONYM_FACTOR),
    }
    if flags & FLAG_NONDEFAULT_SEVENTH != 0 {
        let asked = terms.iter().any(|(t, opt)| *opt && used.contains(t));
        if !asked {
            adjust(
                "7th character not asked for (default is the first)",
                NONDEFAULT_SEVENTH_FACTOR,
            );
        }
    }
    if nos.is_some() {
        adjust(
            "where the tabular puts these words when nothing more is said (NOS)",
            NOS_DEFAULT_FACTOR,
        );
    }
    let factors = &factors[..kept];
    let mut score = qc * nc.powf(NAME_COVERAGE_EXPONENT);
    for (_, f) in factors {
        score *= f;
    }
    let adjustments = if FULL { factors.to_vec() } else { Vec::new() };
    NameScore {
        name: name_id,
        slots,
        qc,
        nc,
        matched_terms,
        unmatched_terms,
        adjustments,
        score,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::testkit::{self, doc};
    use crate::search::Matcher;
    use crate::search::query::Via;

    /// The score of `code`'s name `k` (0 = title) for `text`.
    fn score(text: &str, code: &str, k: u32) -> NameScore {
        let idx = testkit::index();
        let matcher = Matcher::new(idx).unwrap();
        let query = matcher.analyze(text);
        let name = idx.title_name(doc(idx, code)).unwrap() + k;
        score_name(idx, &query, name, &matcher.weights)
    }

    fn factors(s: &NameScore) -> Vec<f32> {
        s.adjustments.iter().map(|(_, f)| *f).collect()
    }

    #[test]
    fn the_title_as_written_scores_one() {
        let s = score("Essential hypertension", "I10", 0);
        assert_eq!((s.qc, s.nc, s.score), (1.0, 1.0, 1.0));
        assert!(s.adjustments.is_empty());
        // "(primary)" is optional: leaving it out costs nothing.
        assert!(s.unmatched_terms.is_empty());
    }

    #[test]
    fn a_header_and_an_inclusion_term_are_discounted() {
        let s = score("heart failure", "I50", 0);
        assert_eq!(factors(&s), [HEADER_FACTOR]);
        assert!((s.score - HEADER_FACTOR).abs() < 1e-6, "{}", s.score);
        let s = score("high blood pressure", "I10", 1);
        assert_eq!(factors(&s), [SYNONYM_FACTOR]);
    }

    #[test]
    fn unmatched_title_words_cost_their_weight() {
        let full = score("acute systolic heart failure", "I50.21", 0);
        let part = score("systolic heart failure", "I50.21", 0);
        assert_eq!(full.nc, 1.0);
        assert!(part.nc < 1.0 && part.qc == 1.0, "{} {}", part.nc, part.qc);
        assert_eq!(part.unmatched_terms.len(), 1);
        assert!((part.score - part.nc.powf(NAME_COVERAGE_EXPONENT)).abs() < 1e-6);
        // "unspecified" marks a default: leaving it out costs a tenth.
        let unspecified = score("systolic heart failure", "I50.20", 0);
        assert!(unspecified.nc > part.nc, "{} {}", unspecified.nc, part.nc);
    }

    #[test]
    fn a_word_found_only_in_a_parent_title_earns_ancestor_credit() {
        // "injuries" is only in the block title "Injuries to the ankle and foot".
        let s = score("ankle sprain injury", "S93.40", 0);
        let from_parent: Vec<f32> = s
            .slots
            .iter()
            .filter(|m| m.from_parent)
            .map(|m| m.credit)
            .collect();
        assert_eq!(from_parent, [ANCESTOR_CREDIT]);
        assert!(s.qc < 1.0 && s.qc > 0.0);
    }

    #[test]
    fn a_seventh_character_not_asked_for_is_discounted() {
        let s = score("sprain of right ankle", "S93.401D", 0);
        assert_eq!(factors(&s), [NONDEFAULT_SEVENTH_FACTOR]);
        let s = score("sprain of right ankle subsequent encounter", "S93.401D", 0);
        assert!(factors(&s).is_empty(), "{:?}", s.adjustments);
        // The first 7th character is the default.
        let s = score("sprain of right ankle", "S93.401A", 0);
        assert!(factors(&s).is_empty(), "{:?}", s.adjustments);
    }

    #[test]
    fn the_nos_home_of_the_query_words_gets_its_factor_and_implies_its_title() {
        let s = score("diabetes", "E11.9", 0);
        assert_eq!(factors(&s), [NOS_DEFAULT_FACTOR]);
        let other = score("diabetes", "E10.9", 0);
        assert!(factors(&other).is_empty());
        assert!(s.nc > other.nc, "{} {}", s.nc, other.nc);
    }

    #[test]
    fn a_reading_found_in_part_earns_its_share_squared() {
        let alt = Alt {
            terms: vec![1, 2],
            weights: vec![1.0, 3.0],
            total_idf: 4.0,
            full_idf: 4.0,
            quality: 0.5,
            via: Via::Exact,
        };
        assert_eq!(alt_credit(&alt, &|t| t == 2), 0.5 * 0.75 * 0.75);
        assert_eq!(alt_credit(&alt, &|_| true), 0.5);
        assert_eq!(alt_credit(&alt, &|_| false), 0.0);
    }
}
