//! Matching: from a phrase to ranked, explained code suggestions.
//!
//! 1. [`analyze`]: the phrase becomes a [`Query`] ([`query`]): slots with
//!    alternatives (vocabulary, spelling, fuzzy and prefix corrections
//!    against the term fst; the Levenshtein walks are `fuzzy`'s).
//!    [`interpret`] then adds what the manuals' structure reads into it
//!    (a number as the title ranges that hold it).
//! 2. [`candidates`]: postings of every alternative term give a short list
//!    of names by a cheap estimate.
//! 3. [`score`]: exact, explainable scores; a header's score also flows to
//!    its default billable code.
//! 4. [`explain`]: why each code scored as it did.

pub mod analyze;
pub mod bounds;
pub mod candidates;
pub mod context;
pub mod explain;
mod fuzzy;
pub mod history;
pub mod interpret;
pub mod query;
pub mod score;
#[cfg(test)]
mod tests;
pub mod weights;

pub use analyze::QueryAnalyzer;
pub use candidates::Scratch;
pub use explain::Explanation;
pub use query::Query;

use crate::error::Error;
use crate::index::format::{FLAG_BILLABLE, NAME_TITLE};
use crate::index::{Index, TitleWeights};
use crate::text::Analyzer;
use crate::vocab::Vocabulary;
use rustc_hash::FxHashMap as HashMap;
use score::{NameScore, score_name};
use serde::Serialize;
use weights::{
    CLEARLY_BETTER, DEFAULT_CHILD_FACTOR, DETAILED_HEADERS, HEADER_FACTOR, MAX_DETAILED_CODES,
    PROCEDURE_SIDE_FACTOR, QUALIFIER_GAIN, QUALIFIER_LOOKAHEAD, QUALIFIER_SHARE, SCORE_TIE,
    STATUS_PROCEDURE_FACTOR,
};

/// One suggested code.
#[derive(Debug, Clone, Serialize)]
pub struct Suggestion {
    /// The code as printed (E11.40).
    pub code: String,
    /// Its title.
    pub title: String,
    /// 0..1, comparable across queries; ranks the suggestions.
    pub score: f32,
    /// 0..1: how likely the code is right (see [`crate::confidence`]).
    pub confidence: f32,
    /// Valid on a claim.
    pub billable: bool,
    /// Code system (`icd10cm`).
    pub system: String,
    /// Release (`2026`).
    pub version: String,
    /// Why it scored so (with `--explain`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explanation: Option<Explanation>,
    /// What the confidence was computed from (with `--explain`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub features: Option<crate::confidence::Features>,
    /// Doc id in the index.
    #[serde(skip)]
    pub doc: u32,
}

/// Options of one search.
#[derive(Debug, Clone, Default)]
pub struct SearchOptions {
    /// How many suggestions.
    pub limit: usize,
    /// Only these systems (ids as in the manuals); empty = as routed.
    pub systems: Vec<String>,
    /// Build explanations.
    pub explain: bool,
    /// The date of service: only codes of the release in effect then are
    /// suggested (see [`crate::release`]); `None`: the newest release.
    pub date: Option<crate::release::Date>,
}

/// Which manuals a query was searched in, and why.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Route {
    /// Systems searched.
    pub systems: Vec<String>,
    /// Why: "--system", "procedure words", "diagnosis words".
    pub reason: String,
}

/// The result of one search.
#[derive(Debug, Clone, Serialize)]
pub struct SearchResult {
    /// Best first.
    pub suggestions: Vec<Suggestion>,
    /// Where it searched.
    pub route: Route,
    /// The complete coding, first-listed first (see [`crate::coding`]).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub coding: Vec<crate::coding::CodedLine>,
}

/// The adjustment of a procedure's score when diagnoses are searched too.
pub const PROCEDURE_SIDE_REASON: &str = "a procedure, where diagnoses are the default reading";

/// Why a code was put first: the query is its own title or inclusion term.
pub const EXACT_REASON: &str = "the query is this code's own title or inclusion term: first";

/// The adjustment [`Matcher::qualified_first`] records.
pub const QUALIFIER_REASON: &str =
    "it carries what the query states and the first code of its category did not: first";

/// Systems that hold procedures rather than diagnoses.
pub const PROCEDURE_SYSTEMS: &[&str] = &["icd10pcs", "cpt", "hcpcs"];

/// Words that make a procedure mentioned in a query a past one.
pub const STATUS_WORDS: &[&str] = &["status", "history", "post"];

/// Words that join conditions rather than qualify one: no qualifier picks a
/// code by them ([`Matcher::more_detailed_code`]).
pub const CONNECTOR_WORDS: &[&str] = &["with", "without", "due", "and", "w"];

/// The words of the qualifiers the tabular divides a category by (side,
/// encounter, trimester, acuity, fracture type, displacement, stage, type):
/// a code of the first code's category that carries one the query states
/// and the first code lacks comes first ([`Matcher::qualified_first`]).
pub const QUALIFIER_WORDS: &[&str] = &[
    "right",
    "left",
    "bilateral",
    "unilateral",
    "initial",
    "subsequent",
    "sequela",
    "trimester",
    "first",
    "second",
    "third",
    "acute",
    "chronic",
    "subacute",
    "open",
    "closed",
    "displaced",
    "nondisplaced",
    "stage",
    "type",
];

/// Whether a system holds procedures.
pub fn is_procedure_system(system: &str) -> bool {
    PROCEDURE_SYSTEMS.contains(&system)
}

/// A ranked suggestion while ranking: doc, score, the scoring of the name
/// it matched, and the header it came through.
pub(crate) type Ranked = (u32, f32, Option<NameScore>, Option<u32>);

/// How much of the query a ranked code covers: its own name's coverage, or
/// for a code reached through a header, what the header covered for it.
pub(crate) fn ranked_coverage(r: &Ranked, covered: &HashMap<u32, f32>) -> Option<f32> {
    match (r.3, &r.2) {
        (Some(_), _) => covered.get(&r.0).copied(),
        (None, Some(n)) => Some(n.qc),
        _ => None,
    }
}

/// Of the next [`QUALIFIER_LOOKAHEAD`] codes scoring at least
/// [`QUALIFIER_SHARE`] of the first, the first that `fits` goes first
/// ([`promote`]).
pub(crate) fn promote_first_fit(
    ranked: &mut Vec<Ranked>,
    reason: &'static str,
    fits: impl Fn(&Ranked) -> bool,
) {
    let Some(top) = ranked.first().map(|r| r.1) else {
        return;
    };
    let pick = ranked
        .iter()
        .enumerate()
        .skip(1)
        .take(QUALIFIER_LOOKAHEAD)
        .find(|(_, r)| r.1 >= top * QUALIFIER_SHARE && fits(r))
        .map(|(i, _)| i);
    if let Some(i) = pick {
        promote(ranked, i, reason);
    }
}

/// Puts `ranked[i]` first with the first code's score, recording why.
pub(crate) fn promote(ranked: &mut Vec<Ranked>, i: usize, reason: &'static str) {
    let top = ranked[0].1;
    let mut r = ranked.remove(i);
    if let Some(n) = &mut r.2 {
        n.adjustments.push((reason, top / r.1.max(f32::EPSILON)));
    }
    r.1 = top;
    ranked.insert(0, r);
}

/// Suggests codes from one index. Cheap to share across threads; each
/// thread brings its own [`Scratch`].
pub struct Matcher<'a, D: AsRef<[u8]>> {
    index: &'a Index<D>,
    vocab: Vocabulary,
    analyzer: Analyzer,
    weights: TitleWeights,
    generic: Vec<u32>,
    markers: Vec<u32>,
    encounter: Vec<u32>,
    status: Vec<u32>,
    qualifiers: Vec<u32>,
    connectors: Vec<u32>,
    /// Terms of [`context::CONTEXT_RULE_WORDS`].
    context: Vec<u32>,
    /// The name ids of each manual (contiguous, in manual order).
    manual_names: Vec<std::ops::Range<u32>>,
    interpreter: interpret::Interpreter,
    history_words: history::HistoryWords,
    /// The tabular's "code first" notes for complete codings, read when a
    /// coding first needs them (once per matcher: a shell session or a run).
    manifest: std::sync::OnceLock<crate::coding::manifest::Manifestations>,
}

impl<'a, D: AsRef<[u8]>> Matcher<'a, D> {
    /// A matcher over `index` with the vocabulary stored in it.
    pub fn new(index: &'a Index<D>) -> Result<Self, Error> {
        let (vocab, analyzer) = index.vocabulary()?;
        let weights = index.title_weights(&analyzer);
        let ids = |words: &[&str]| index.term_ids(&analyzer, words);
        let one = |w: &str| ids(&[w]).first().copied();
        let history_words = history::HistoryWords {
            history: one("history"),
            family: one("family"),
            personal: one("personal"),
            past: one("past"),
            classifiable: one("classifiable"),
        };
        let generic = ids(crate::text::GENERIC_WORDS);
        let status = ids(STATUS_WORDS);
        let mut qualifiers = ids(QUALIFIER_WORDS);
        qualifiers.sort_unstable();
        let connectors = ids(CONNECTOR_WORDS);
        let context = ids(context::CONTEXT_RULE_WORDS);
        let markers = ids(crate::text::DEFAULT_MARKERS);
        let encounter = ids(analyze::ENCOUNTER_WORDS);
        let manual_names = index.manual_name_ranges();
        Ok(Matcher {
            index,
            vocab,
            analyzer,
            weights,
            generic,
            markers,
            encounter,
            status,
            qualifiers,
            connectors,
            context,
            manual_names,
            interpreter: interpret::Interpreter::new(),
            history_words,
            manifest: std::sync::OnceLock::new(),
        })
    }

    /// The index searched.
    pub fn index(&self) -> &Index<D> {
        self.index
    }

    /// The "code first" notes of the index's diagnosis manuals (see
    /// [`crate::coding::manifest`]), read on first use.
    pub fn manifestations(&self) -> &crate::coding::manifest::Manifestations {
        self.manifest
            .get_or_init(|| crate::coding::manifest::Manifestations::of(self.index))
    }

    /// The word normalizer.
    pub fn analyzer(&self) -> &Analyzer {
        &self.analyzer
    }

    /// Vocabulary entries that can never be used with this index: their
    /// meaning names a word no manual has, and an expansion is never cut
    /// down to the words the manuals have. Sorted as (kind, from, to).
    pub fn unused_expansions(&self) -> Vec<crate::vocab::Expansion> {
        let Some(keys) = self.index.phrase_keys() else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let mut stream = keys.stream();
        while let Some((key, _)) = fst::Streamer::next(&mut stream) {
            let key = String::from_utf8_lossy(key);
            for e in self.index.phrase(&key).unwrap_or_default() {
                let known = |text: &str| {
                    let terms = self.analyzer.terms(text);
                    !terms.is_empty() && terms.iter().all(|t| self.index.term_id(&t.text).is_some())
                };
                // Read through another entry when its meaning is one (one step).
                let chains = || {
                    self.index
                        .phrase(&self.analyzer.phrase_key(&e.to))
                        .unwrap_or_default()
                        .iter()
                        .any(|n| known(&n.to))
                };
                if !known(&e.to) && !chains() {
                    out.push(e);
                }
            }
        }
        out.sort_by(|a, b| (a.kind.label(), &a.from, &a.to).cmp(&(b.kind.label(), &b.from, &b.to)));
        out.dedup_by(|a, b| a.kind == b.kind && a.from == b.from && a.to == b.to);
        out
    }

    /// The entries of `files` that can never be used with this index (see
    /// [`Matcher::unused_expansions`]), each with the name of the file that
    /// holds it: what `build` reports of a site's own files.
    pub fn unused_entries_in(
        &self,
        files: &[crate::vocab::VocabFile],
    ) -> Vec<(crate::vocab::Expansion, String)> {
        let own: Vec<(String, &str)> = files
            .iter()
            .flat_map(|f| {
                f.text
                    .lines()
                    .filter(|l| !l.trim_start().starts_with('#'))
                    .filter_map(|l| l.split('\t').next())
                    .map(|from| (from.trim().to_lowercase(), f.name.as_str()))
                    .collect::<Vec<_>>()
            })
            .collect();
        if own.is_empty() {
            return Vec::new();
        }
        self.unused_expansions()
            .into_iter()
            .filter_map(|e| {
                let file = own.iter().find(|(f, _)| *f == e.from.to_lowercase())?.1;
                Some((e, file.to_string()))
            })
            .collect()
    }

    /// Analyzes a phrase without searching (its first words only, within
    /// the bounds of [`bounds`]).
    pub fn analyze(&self, text: &str) -> Query {
        bounds::start_query();
        let text = bounds::first_words(text);
        let query = QueryAnalyzer {
            index: self.index,
            analyzer: &self.analyzer,
            vocab: &self.vocab,
            generic: &self.generic,
            markers: &self.markers,
            encounter: &self.encounter,
        }
        .analyze(text);
        self.interpreter
            .interpret(self.index, &self.analyzer, text, query)
    }

    /// Chooses the manuals to search: `--system` when given; else the
    /// diagnosis manuals, and the procedure manuals as well when the query
    /// uses procedure language (the better match then decides, see
    /// [`Matcher::search`]).
    pub fn route(&self, query: &Query, opts: &SearchOptions) -> Route {
        let all: Vec<String> = self
            .index
            .meta()
            .manuals
            .iter()
            .map(|m| m.system.clone())
            .collect();
        if !opts.systems.is_empty() {
            return Route {
                systems: opts.systems.clone(),
                reason: "--system".into(),
            };
        }
        let diagnosis: Vec<String> = all
            .iter()
            .filter(|s| !is_procedure_system(s))
            .cloned()
            .collect();
        if query.uses_procedure_language() || diagnosis.is_empty() {
            return Route {
                systems: all,
                reason: "procedure words".into(),
            };
        }
        Route {
            systems: diagnosis,
            reason: "diagnosis words".into(),
        }
    }

    /// Suggests codes for `text`, each with its confidence, and the
    /// phrase's complete coding.
    pub fn search(&self, text: &str, opts: &SearchOptions, scratch: &mut Scratch) -> SearchResult {
        self.search_with(text, opts, scratch, &crate::coding::memo::PartMemo::new())
    }

    /// [`Matcher::search`], remembering in `parts` what the coding stage
    /// works out of each part of a phrase, for the later lines of a run
    /// (the same answer, once).
    pub fn search_with(
        &self,
        text: &str,
        opts: &SearchOptions,
        scratch: &mut Scratch,
        parts: &crate::coding::memo::PartMemo,
    ) -> SearchResult {
        let query = self.analyze(text);
        let (mut r, evidence) = self.rank(text, &query, opts, scratch);
        crate::confidence::assess(&query, &evidence, &mut r, opts.explain);
        let part_opts = crate::coding::part_options(opts);
        r.coding = crate::coding::complete(
            self,
            text,
            &r,
            &evidence,
            &part_opts,
            parts,
            &mut |part, q| self.rank(part, q, &part_opts, scratch),
        );
        r
    }

    /// Ranked suggestions for an analyzed query, with what each score
    /// rests on (for its confidence).
    fn rank(
        &self,
        text: &str,
        query: &Query,
        opts: &SearchOptions,
        scratch: &mut Scratch,
    ) -> (SearchResult, Vec<crate::confidence::Evidence>) {
        let mut route = self.route(query, opts);
        let releases = crate::release::InEffect::on(self.index.meta(), opts.date);
        let valid = |doc: u32| releases.allows(self.index, doc);
        let mixed = opts.systems.is_empty()
            && route.systems.iter().any(|s| is_procedure_system(s))
            && route.systems.iter().any(|s| !is_procedure_system(s));
        let past = query.terms().iter().any(|t| self.status.contains(t));
        let side_factor = |doc: u32| {
            let system = &self.index.manual(self.index.doc_system_flags(doc).0).system;
            if mixed && is_procedure_system(system) {
                if past {
                    STATUS_PROCEDURE_FACTOR
                } else {
                    PROCEDURE_SIDE_FACTOR
                }
            } else {
                1.0
            }
        };
        // A score from `score_value` made whole: the same score, with the
        // slots, terms and adjustments that explain it.
        let detail = |n: &mut Option<NameScore>| {
            if let Some(s) = n
                && !score::is_detailed(s, query)
            {
                let mut full = score_name(self.index, query, s.name, &self.weights);
                let f = side_factor(self.index.name(s.name).doc);
                if f < 1.0 {
                    full.score *= f;
                    full.adjustments.push((PROCEDURE_SIDE_REASON, f));
                }
                debug_assert_eq!(full.score.to_bits(), s.score.to_bits());
                *s = full;
            }
        };
        let allowed: Vec<std::ops::Range<u32>> = self
            .manual_names
            .iter()
            .zip(&self.index.meta().manuals)
            .filter(|(_, m)| route.systems.contains(&m.system))
            .map(|(r, _)| r.clone())
            .collect();
        let names = candidates::candidates(self.index, query, &allowed, scratch);
        let written = interpret::exact::written_terms(self.index, &self.analyzer, text);
        let mut exact: Vec<u32> = Vec::new();
        let mut best: HashMap<u32, (f32, Option<NameScore>, Option<u32>)> =
            HashMap::with_capacity_and_hasher(names.len(), Default::default());
        for n in names {
            let doc = self.index.name(n).doc;
            if !valid(doc) {
                continue;
            }
            // The score alone: what explains it is filled in for the codes
            // that are kept or weighed further (`detail`).
            let mut s = score::score_value(self.index, query, n, &self.weights);
            if let Some(w) = &written
                && self.index.doc_system_flags(doc).1 & FLAG_BILLABLE != 0
                && interpret::exact::is_exact(self.index, n, w)
            {
                exact.push(doc);
            }
            let f = side_factor(doc);
            if f < 1.0 {
                s.score *= f;
                s.adjustments.push((PROCEDURE_SIDE_REASON, f));
            }
            if s.score <= 0.0 {
                continue;
            }
            let e = best.entry(doc).or_insert((0.0, None, None));
            if s.score > e.0 {
                *e = (s.score, Some(s), None);
            }
        }
        // A header's score flows to the code a coder takes: its default
        // billable code, or, when the query says more than the header
        // matched ("broken right wrist" against "Fracture of wrist NOS"),
        // the header's code that covers the most of the rest.
        let mut headers: Vec<(u32, f32, f32)> = best
            .iter()
            .filter_map(|(d, (s, n, _))| {
                let billable = self.index.doc_system_flags(*d).1 & FLAG_BILLABLE != 0;
                let qc = n.as_ref().map_or(1.0, |n| n.qc);
                (!billable).then_some((*d, *s / HEADER_FACTOR, qc))
            })
            .collect();
        // Ties broken by doc id: a HashMap's order must never reach the output.
        headers.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        // Share of the query each header's code covers (with the header's words).
        let mut covered: HashMap<u32, f32> = HashMap::default();
        for (rank, (h, raw, qc)) in headers.into_iter().enumerate() {
            let Some(default) = self.index.doc(h).default_child.filter(|d| valid(*d)) else {
                continue;
            };
            let (child, gain) = if rank < DETAILED_HEADERS && qc < 0.999 {
                if let Some(e) = best.get_mut(&h) {
                    detail(&mut e.1);
                }
                let matched: Vec<f32> = best
                    .get(&h)
                    .and_then(|e| e.1.as_ref())
                    .map(|n| n.slots.iter().map(|m| m.credit).collect())
                    .unwrap_or_default();
                self.more_detailed_code(query, h, default, qc, &matched, &valid)
                    .unwrap_or((default, 1.0))
            } else {
                (default, 1.0)
            };
            let inherited = (raw * DEFAULT_CHILD_FACTOR * gain.sqrt()).min(1.0);
            let e = best.entry(child).or_insert((0.0, None, None));
            if inherited > e.0 {
                *e = (inherited, e.1.take(), Some(h));
                covered.insert(child, qc * gain);
            }
        }
        let mut ranked: Vec<(u32, f32, Option<NameScore>, Option<u32>)> = best
            .into_iter()
            .map(|(d, (s, n, via))| (d, s, n, via))
            .collect();
        let billable = |d: u32| self.index.doc_system_flags(d).1 & FLAG_BILLABLE != 0;
        ranked.sort_by(|a, b| {
            b.1.total_cmp(&a.1)
                .then_with(|| billable(b.0).cmp(&billable(a.0)))
                .then(a.0.cmp(&b.0))
        });
        // What the steps below weigh or change: the first codes (a
        // promotion looks QUALIFIER_LOOKAHEAD codes down) and the exact ones.
        for r in ranked.iter_mut().take(QUALIFIER_LOOKAHEAD + 1) {
            detail(&mut r.2);
        }
        for r in ranked.iter_mut().filter(|r| exact.contains(&r.0)) {
            detail(&mut r.2);
        }
        self.qualified_first(query, &mut ranked, &covered);
        self.plain_reading_first(query, &mut ranked, &covered);
        // Exact wins: the codes whose own wording the query is come first,
        // with at least the best score (no factor lifts another over them).
        if !exact.is_empty() {
            let top = ranked.first().map_or(0.0, |r| r.1);
            let (mut first, rest): (Vec<_>, Vec<_>) =
                ranked.into_iter().partition(|r| exact.contains(&r.0));
            for r in &mut first {
                if r.1 < top {
                    if let Some(n) = &mut r.2 {
                        n.adjustments
                            .push((EXACT_REASON, top / r.1.max(f32::EPSILON)));
                    }
                    r.1 = top;
                }
            }
            first.extend(rest);
            ranked = first;
        } else if let Some(doc) = self
            .history_code(query, ranked.first().map(|r| (r.0, r.2.as_ref())), scratch)
            .filter(|d| valid(*d))
        {
            let top = ranked.first().map_or(0.0, |r| r.1);
            let mut own = best_name_score(self.index, query, doc, &self.weights);
            if let Some(n) = &mut own {
                n.adjustments.push((history::HISTORY_REASON, 1.0));
            }
            ranked.retain(|r| r.0 != doc);
            ranked.insert(0, (doc, top, own, None));
        }
        if mixed && let Some(top) = ranked.first() {
            let side = is_procedure_system(
                &self
                    .index
                    .manual(self.index.doc_system_flags(top.0).0)
                    .system,
            );
            ranked.retain(|r| {
                is_procedure_system(&self.index.manual(self.index.doc_system_flags(r.0).0).system)
                    == side
            });
            route.systems.retain(|s| is_procedure_system(s) == side);
            route.reason = if side {
                "procedure words".into()
            } else {
                "diagnosis words (best match)".into()
            };
        }
        let mut ranked = self.collapse(ranked, opts.limit);
        for r in &mut ranked {
            detail(&mut r.2);
        }
        let evidence = ranked
            .iter()
            .map(|(d, _, name, via)| crate::confidence::Evidence {
                query_coverage: name.as_ref().map_or(0.0, |n| n.qc),
                title_coverage: name.as_ref().map_or(0.0, |n| n.nc),
                from_header: via.is_some(),
                exact: exact.contains(d),
                name_kind: name
                    .as_ref()
                    .map_or(NAME_TITLE, |n| self.index.name(n.name).kind),
                penalty: name.as_ref().map_or(1.0, |n| {
                    n.adjustments
                        .iter()
                        .map(|(_, f)| *f)
                        .filter(|f| *f < 1.0)
                        .product()
                }),
            })
            .collect();
        let suggestions = ranked
            .into_iter()
            .map(|(d, s, name, via)| {
                let doc = self.index.doc(d);
                let manual = self.index.manual(doc.system);
                let explanation = opts.explain.then(|| {
                    let header_score =
                        via.and_then(|h| best_name_score(self.index, query, h, &self.weights));
                    // A header's code: its own score says which words picked it.
                    let own = match (&name, via) {
                        (None, Some(_)) => best_name_score(self.index, query, d, &self.weights),
                        _ => None,
                    };
                    explain::explain(
                        self.index,
                        query,
                        name.as_ref().or(own.as_ref()),
                        via,
                        header_score.as_ref(),
                        s,
                    )
                });
                Suggestion {
                    code: doc.code.to_string(),
                    title: doc.title.to_string(),
                    score: (s.clamp(0.0, 1.0) * 1000.0).round() / 1000.0,
                    confidence: 0.0,
                    features: None,
                    billable: doc.billable(),
                    system: manual.system.clone(),
                    version: releases.version(doc.system).to_string(),
                    explanation,
                    doc: d,
                }
            })
            .collect();
        (
            SearchResult {
                suggestions,
                route,
                coding: Vec::new(),
            },
            evidence,
        )
    }
}

impl<D: AsRef<[u8]>> Matcher<'_, D> {
    /// The billable code under header `h` that a coder would take instead
    /// of the header's `default` because the query says more: one whose
    /// title covers more of the query than the header did (`header_qc`) and
    /// scores better on its own than the default. Returns it with the ratio
    /// of the coverages; `None` when the default stands.
    fn more_detailed_code(
        &self,
        query: &Query,
        h: u32,
        default: u32,
        header_qc: f32,
        header_credit: &[f32],
        valid: &dyn Fn(u32) -> bool,
    ) -> Option<(u32, f32)> {
        let own = |d: u32| best_name_score(self.index, query, d, &self.weights);
        let floor = own(default).map_or(0.0, |s| s.score);
        let total = query.total_weight().max(f32::EPSILON);
        let mut best: Option<(u32, f32, (f32, bool, f32))> = None;
        // Only a code whose title, or the title of a header between it and
        // `h`, has a word of what the header left unmatched can cover more
        // of the query ("sacrum" under "Pressure ulcer" is its 57th code).
        let wanted: Vec<u32> = query
            .slots
            .iter()
            .enumerate()
            .filter(|(i, slot)| {
                header_credit.get(*i).copied().unwrap_or(0.0) < 0.999 && !self.is_connector(slot)
            })
            .flat_map(|(_, slot)| slot.alts.iter().flat_map(|a| a.terms.iter().copied()))
            .collect();
        let says_more = |d: u32| {
            std::iter::once(d)
                .chain(self.index.ancestor_iter(d).take_while(|a| *a != h))
                .any(|a| self.title_has_any(a, &wanted))
        };
        for d in self
            .index
            .billable_descendants(h)
            .into_iter()
            .filter(|d| valid(*d) && says_more(*d))
            .take(MAX_DETAILED_CODES)
        {
            let Some(s) = own(d) else { continue };
            // A code under the header is the header made more precise: what
            // the header matched holds for it too, so it covers the query's
            // words of either ("left ankle fx": "ankle" from the header's
            // "Fracture of ankle NOS", "left" from "Other fracture of left
            // lower leg"): a qualifier the query states picks the child.
            let union: f32 = query
                .slots
                .iter()
                .zip(&s.slots)
                .enumerate()
                .map(|(i, (slot, m))| {
                    let header = header_credit.get(i).copied().unwrap_or(0.0);
                    // a connector ("with") is no qualifier: it counts as the header had it
                    let own = if self.is_connector(slot) {
                        header
                    } else {
                        m.credit
                    };
                    slot.weight * own.max(header)
                })
                .sum::<f32>()
                / total;
            let gain = union.max(s.qc) / header_qc.max(f32::EPSILON);
            // Covering more of the query, or as much, through a number
            // its title's range holds, and clearly better than the default
            // on its own ("BMI 41": the header "40 or greater" holds 41,
            // and so does "40.0-44.9", not the default "70 or greater").
            let by_number = s.slots.iter().zip(&query.slots).any(|(m, slot)| {
                !m.from_parent
                    && m.alt
                        .is_some_and(|i| matches!(slot.alts[i].via, query::Via::Range { .. }))
            });
            let better = (gain > 1.001 && s.score > floor)
                || (by_number && gain > 0.999 && s.score > floor * CLEARLY_BETTER);
            // The code covering the most of the query wins; of codes that
            // cover as much, the one the tabular takes when nothing more is
            // said (its parent's default: "unspecified stage", not
            // "unstageable", when the query names no stage), then the one
            // scoring best on its own.
            let is_default = self
                .index
                .parent(d)
                .is_some_and(|p| self.index.doc(p).default_child == Some(d));
            let key = (union.max(s.qc), is_default, s.score);
            let wins = |b: &(u32, f32, (f32, bool, f32))| {
                let (bu, bd, bs) = b.2;
                key.0 > bu + SCORE_TIE
                    || (key.0 >= bu - SCORE_TIE
                        && (key.1 && !bd || key.1 == bd && key.2 > bs + SCORE_TIE))
            };
            if better && best.as_ref().is_none_or(wins) {
                best = Some((d, gain, key));
            }
        }
        best.map(|(d, gain, _)| (d, gain))
    }

    /// Whether a doc's title has one of `terms`.
    fn title_has_any(&self, doc: u32, terms: &[u32]) -> bool {
        self.index.title_name(doc).is_some_and(|n| {
            self.index
                .name_terms(&self.index.name(n))
                .any(|(t, _)| terms.contains(&t))
        })
    }

    /// A slot that only joins conditions ("with", "without", "due to").
    fn is_connector(&self, slot: &query::Slot) -> bool {
        !slot.alts.is_empty()
            && slot
                .alts
                .iter()
                .all(|a| a.terms.iter().all(|t| self.connectors.contains(t)))
    }

    /// Qualifiers carry through to the category: when the first code leaves
    /// some of the query unmatched ("right" against M17.9 "Osteoarthritis of
    /// knee, unspecified") and a code of the same diagnosis category a little
    /// lower covers everything it did and more (M17.11 "Unilateral primary
    /// osteoarthritis, right knee"), that code comes first: "unspecified"
    /// only when the query is silent.
    fn qualified_first(
        &self,
        query: &Query,
        ranked: &mut Vec<Ranked>,
        covered: &HashMap<u32, f32>,
    ) {
        let coverage = |r: &Ranked| ranked_coverage(r, covered);
        let Some(first) = ranked.first() else { return };
        let Some(fq) = coverage(first).filter(|q| *q < 0.999) else {
            return;
        };
        let (system, flags) = self.index.doc_system_flags(first.0);
        if flags & FLAG_BILLABLE == 0 || is_procedure_system(&self.index.manual(system).system) {
            return;
        }
        let category = |d: u32| self.index.doc(d).code.get(..3);
        let Some(cat) = category(first.0) else { return };
        // The qualifier words the query states and the first code's name
        // did not match.
        let own;
        let first_slots = match (&first.2, first.3) {
            (Some(n), None) => &n.slots,
            _ => {
                own = best_name_score(self.index, query, first.0, &self.weights);
                match &own {
                    Some(n) => &n.slots,
                    None => return,
                }
            }
        };
        let is_qualifier = |t: &u32| self.qualifiers.binary_search(t).is_ok();
        let missing: Vec<u32> = query
            .slots
            .iter()
            .zip(first_slots)
            .filter(|(_, m)| m.alt.is_none())
            .flat_map(|(slot, _)| slot.alts.iter().flat_map(|a| a.terms.iter().copied()))
            .filter(is_qualifier)
            .collect();
        if missing.is_empty() {
            return;
        }
        promote_first_fit(ranked, QUALIFIER_REASON, |r| {
            self.index.doc_system_flags(r.0).1 & FLAG_BILLABLE != 0
                && coverage(r).is_some_and(|q| q > fq + QUALIFIER_GAIN)
                && category(r.0) == Some(cat)
                && self.title_has_any(r.0, &missing)
        });
    }

    /// Keeps the list useful: a header is dropped when one of its codes
    /// ranks above it, and of the 7th-character variants of one code only
    /// the best-ranked is kept (the others differ only by encounter).
    fn collapse<T>(
        &self,
        ranked: Vec<(u32, f32, T, Option<u32>)>,
        limit: usize,
    ) -> Vec<(u32, f32, T, Option<u32>)> {
        let mut out: Vec<(u32, f32, T, Option<u32>)> = Vec::with_capacity(limit);
        let mut seventh_parents: Vec<u32> = Vec::new();
        for item in ranked {
            if out.len() >= limit {
                break;
            }
            let doc = self.index.doc(item.0);
            if doc.flags & crate::index::format::FLAG_SEVENTH != 0
                && let Some(p) = doc.parent
            {
                if seventh_parents.contains(&p) {
                    continue;
                }
                seventh_parents.push(p);
            }
            if !doc.billable()
                && out
                    .iter()
                    .any(|o| self.index.ancestors(o.0).contains(&item.0))
            {
                continue;
            }
            out.push(item);
        }
        out
    }
}

/// The best score among a doc's names (to explain a score it passed on).
fn best_name_score<D: AsRef<[u8]>>(
    index: &Index<D>,
    q: &Query,
    doc: u32,
    weights: &TitleWeights,
) -> Option<NameScore> {
    let first = index.title_name(doc)?;
    (first..index.name_count() as u32)
        .take_while(|n| index.name(*n).doc == doc)
        .map(|n| score_name(index, q, n, weights))
        .max_by(|a, b| a.score.total_cmp(&b.score))
}
