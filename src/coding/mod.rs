//! Complete codings: the full set of codes a phrase needs, first-listed
//! first, the way a coder would report it: the best code for the phrase,
//! the codes its other parts need ("CHF due to HTN", "HTN; CKD stage 3"),
//! the codes the tabular's notes ask for when the phrase holds them
//! ("use additional code to identify stage of CKD": E11.22 + N18.4), the
//! guideline combinations (hypertension with heart failure or CKD,
//! diabetes "with"), and the order the notes and guidelines give.
//!
//! Not for ranking codes: the suggestions come from [`crate::search`]; a
//! coding only reads them and searches the phrase's parts.

pub mod manifest;
pub mod memo;
pub mod notes;
pub mod parts;
pub mod rules;
pub mod targets;

use crate::confidence::Evidence;
use crate::index::Index;
use crate::search::{Matcher, Query, SearchOptions, SearchResult, Suggestion, is_procedure_system};
use memo::{PartHit, PartMemo};
use notes::{CodeNotes, Link};
use parts::Reading;
use rules::Kind;
use serde::Serialize;
use std::collections::HashMap;
use std::sync::Arc;

/// One code of a complete coding.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CodedLine {
    /// The code as printed.
    pub code: String,
    /// Its title.
    pub title: String,
    /// Why it is part of the coding.
    pub why: String,
    /// Doc id in the index.
    #[serde(skip)]
    pub doc: u32,
}

/// A plain search of a part (its text and its analysis) with the part
/// options: suggestions and what each score rests on.
pub type PartSearch<'a> = dyn FnMut(&str, &Query) -> (SearchResult, Vec<Evidence>) + 'a;

/// Suggestions looked at for each part of a phrase.
pub const PART_CANDIDATES: usize = 10;

/// A part's own best code joins the coding only from this score on (a
/// weaker one is a guess about a word, not a condition).
pub const PART_MIN_SCORE: f32 = 0.6;

/// Another suggestion replaces the first as the first-listed code when it
/// covers every part of the phrase, the first does not, and it scores at
/// least this share of the first's score (a combination code, I.B.9).
pub const COMBINATION_SHARE: f32 = 0.8;

/// The first suggestion stands for the whole phrase only when the phrase
/// covers at least this share of its title's weight, or it covers every
/// part: "UTI due to E. coli" is not "Sepsis due to E. coli".
pub const WHOLE_TITLE_COVERAGE: f32 = 0.75;

/// A first suggestion whose name matched this share of the query's weight
/// stands for the whole phrase, unless its notes ask for more codes.
pub const WHOLE_QUERY_COVERAGE: f32 = 0.99;

/// The options of a part's plain search, for a phrase searched with `opts`.
pub fn part_options(opts: &SearchOptions) -> SearchOptions {
    SearchOptions {
        limit: PART_CANDIDATES,
        systems: opts.systems.clone(),
        explain: false,
        date: opts.date,
    }
}

/// Builds the complete coding of `text` from its search result and what
/// each suggestion's score rests on. `search` runs a plain search
/// (suggestions and their evidence, no coding) for a part with `part_opts`
/// (see [`part_options`]); what it gives, and each part's analysis, is
/// remembered in `memo` for the rest of the run.
pub fn complete<D: AsRef<[u8]>>(
    matcher: &Matcher<'_, D>,
    text: &str,
    result: &SearchResult,
    evidence: &[Evidence],
    part_opts: &SearchOptions,
    memo: &PartMemo,
    search: &mut PartSearch<'_>,
) -> Vec<CodedLine> {
    let index = matcher.index();
    let Some(first) = result.suggestions.first() else {
        return Vec::new();
    };
    if is_procedure_system(&first.system) {
        return vec![line(first, "the best match for the phrase".into())];
    }
    let texts = parts::split(text);
    let whole = evidence
        .first()
        .is_some_and(|e| e.query_coverage >= WHOLE_QUERY_COVERAGE && !text.contains(';'));
    if texts.len() < 2 || whole && !memo.notes(index, first.doc).asks_for_more() {
        return vec![line(first, "the best match for the phrase".into())];
    }
    let mut b = Builder {
        index,
        memo,
        notes: HashMap::new(),
        lines: Vec::new(),
        origin: Vec::new(),
        whole: false,
        list: false,
    };
    let mut parts = Parts {
        matcher,
        memo,
        key: memo.options(&part_opts.systems, part_opts.date),
        analysed: Vec::new(),
        search,
    };
    let readings: Vec<Arc<Reading>> = texts.iter().map(|p| parts.reading(p)).collect();
    let queries: Vec<&Reading> = readings.iter().map(|r| &**r).collect();
    let mut covered = vec![false; texts.len()];
    let best = combination(index, &result.suggestions, &queries).unwrap_or(first);
    let terms = parts::doc_terms(index, best.doc);
    for (c, q) in covered.iter_mut().zip(&queries) {
        *c = parts::covers(q, &terms);
    }
    let loose = std::ptr::eq(best, first)
        && covered.iter().any(|c| !c)
        && evidence
            .first()
            .is_some_and(|e| !e.from_header && e.title_coverage < WHOLE_TITLE_COVERAGE);
    b.list = text.contains(';');
    if texts.len() >= 2 && (b.list || loose) {
        covered.iter_mut().for_each(|c| *c = false);
    } else {
        let why = if std::ptr::eq(best, first) {
            "the best match for the phrase".to_string()
        } else {
            "a combination code covering every part of the phrase (I.B.9)".to_string()
        };
        let origin = covered.iter().position(|c| *c);
        b.push(best.doc, why, origin);
        b.whole = true;
    }
    if texts.len() >= 2 {
        for (i, part) in texts.iter().enumerate() {
            let docs: Vec<u32> = b.lines.iter().map(|l| l.doc).collect();
            let asks = docs.into_iter().any(|d| b.notes(d).asks_for_more());
            if covered[i] && !asks {
                continue;
            }
            let hits = parts.hits(part);
            b.add_part(i, &hits, queries[i], covered[i]);
        }
        b.with_families(&texts, &queries, &mut parts);
        if b.lines.len() >= 2 {
            let releases = crate::release::InEffect::on(index.meta(), part_opts.date);
            b.manifestations(&queries, matcher.manifestations(), |d| {
                releases.allows(index, d)
            });
        }
        b.drop_redundant(&queries);
    }
    if b.lines.is_empty() {
        return vec![line(first, "the best match for the phrase".into())];
    }
    b.combine();
    b.order();
    b.lines
}

/// Whether a coding says more than the first suggestion alone (several
/// codes, or another first-listed code): then it is worth showing.
pub fn says_more(coding: &[CodedLine], suggestions: &[Suggestion]) -> bool {
    coding.len() > 1 || coding.first().map(|c| c.doc) != suggestions.first().map(|s| s.doc)
}

/// Writes a coding for a person: the codes on one line, then each with
/// its title and why.
pub fn write_coding<W: std::io::Write + ?Sized>(
    out: &mut W,
    coding: &[CodedLine],
) -> std::io::Result<()> {
    let codes: Vec<&str> = coding.iter().map(|c| c.code.as_str()).collect();
    writeln!(
        out,
        "complete coding (first-listed first): {}",
        codes.join(" ")
    )?;
    for c in coding {
        writeln!(out, "  {:<9} {} — {}", c.code, c.title, c.why)?;
    }
    Ok(())
}

/// The first suggestion that covers every part when the first does not.
fn combination<'s, D: AsRef<[u8]>>(
    index: &Index<D>,
    suggestions: &'s [Suggestion],
    queries: &[&Reading],
) -> Option<&'s Suggestion> {
    let first = suggestions.first()?;
    let all = |s: &Suggestion| {
        let terms = parts::doc_terms(index, s.doc);
        queries.iter().all(|q| parts::covers(q, &terms))
    };
    if queries.len() < 2 || all(first) {
        return None;
    }
    suggestions[1..]
        .iter()
        .take_while(|s| s.score >= first.score * COMBINATION_SHARE)
        .find(|s| !is_procedure_system(&s.system) && s.billable && all(s))
}

/// The analyses and plain searches of a phrase's parts, through the run's
/// memory.
struct Parts<'p, 'm, 'a, D: AsRef<[u8]>> {
    matcher: &'p Matcher<'m, D>,
    memo: &'p PartMemo,
    /// The part options' key in `memo` (`None`: not remembered).
    key: Option<u16>,
    /// Parts analysed by this call, for a search that follows.
    analysed: Vec<(String, Query)>,
    search: &'p mut PartSearch<'a>,
}

impl<D: AsRef<[u8]>> Parts<'_, '_, '_, D> {
    /// What [`parts::covers`] reads of `text`.
    fn reading(&mut self, text: &str) -> Arc<Reading> {
        if let Some(r) = self.memo.reading(text) {
            return r;
        }
        let query = self.matcher.analyze(text);
        let r = Arc::new(Reading::of(&query));
        self.memo.keep_reading(text, Arc::clone(&r));
        self.analysed.push((text.to_string(), query));
        r
    }

    /// The plain search of `text`, best first.
    fn hits(&mut self, text: &str) -> Arc<[PartHit]> {
        if let Some(h) = self.key.and_then(|k| self.memo.hits(k, text)) {
            return h;
        }
        let query = match self.analysed.iter().position(|(t, _)| t == text) {
            Some(k) => self.analysed.swap_remove(k).1,
            None => self.matcher.analyze(text),
        };
        let (r, evidence) = (self.search)(text, &query);
        let hits: Arc<[PartHit]> = r
            .suggestions
            .iter()
            .enumerate()
            .map(|(k, s)| {
                let e = evidence.get(k).copied().unwrap_or_default();
                PartHit {
                    doc: s.doc,
                    score: s.score,
                    billable: s.billable,
                    procedure: is_procedure_system(&s.system),
                    from_header: e.from_header,
                    title_coverage: e.title_coverage,
                }
            })
            .collect();
        if let Some(k) = self.key {
            self.memo.keep_hits(k, text, Arc::clone(&hits));
        }
        hits
    }
}

fn line(s: &Suggestion, why: String) -> CodedLine {
    CodedLine {
        code: s.code.clone(),
        title: s.title.clone(),
        why,
        doc: s.doc,
    }
}

/// A coding under construction.
struct Builder<'i, D: AsRef<[u8]>> {
    index: &'i Index<D>,
    /// The run's memory (its notes of codes).
    memo: &'i PartMemo,
    notes: HashMap<u32, Arc<CodeNotes>>,
    lines: Vec<CodedLine>,
    /// The part each line stands for (for the phrase's best code, the
    /// first part it covers).
    origin: Vec<Option<usize>>,
    /// The first line is the phrase's own best code.
    whole: bool,
    /// The phrase is a problem list ("HTN; CKD stage 3"): each part is a
    /// diagnosis of its own and gets its best code.
    list: bool,
}

impl<D: AsRef<[u8]>> Builder<'_, D> {
    fn notes(&mut self, doc: u32) -> &CodeNotes {
        let (index, memo) = (self.index, self.memo);
        self.notes
            .entry(doc)
            .or_insert_with(|| memo.notes(index, doc))
    }

    fn push(&mut self, doc: u32, why: String, origin: Option<usize>) {
        let d = self.index.doc(doc);
        self.lines.push(CodedLine {
            code: d.code.to_string(),
            title: d.title.to_string(),
            why,
            doc,
        });
        self.origin.push(origin);
    }

    /// Whether `doc` is already coded, or is the same condition as a coded
    /// code (an ancestor, a descendant, or a code of the same category).
    fn has(&self, doc: u32) -> bool {
        let code = self.index.doc(doc).code;
        self.lines
            .iter()
            .any(|l| l.doc == doc || category(&l.code) == category(code) && !code.is_empty())
    }

    /// How a note ties `doc` to a coded code: (the coded code, the link
    /// seen from the coded code).
    fn link_to_coded(&mut self, doc: u32) -> Option<(String, Link)> {
        let code = self.index.doc(doc).code.to_string();
        let coded: Vec<(u32, String)> =
            self.lines.iter().map(|l| (l.doc, l.code.clone())).collect();
        for (d, c) in &coded {
            if let Some(link) = self.notes(*d).link(&code) {
                return Some((c.clone(), link));
            }
        }
        let own = self.notes(doc).clone();
        coded.iter().find_map(|(_, c)| {
            own.link(c).map(|l| {
                let seen = match l {
                    Link::Follows => Link::Precedes,
                    Link::Precedes => Link::Follows,
                    Link::Also => Link::Also,
                };
                (c.clone(), seen)
            })
        })
    }

    /// Adds the code a part needs: the first of its suggestions a note
    /// ties to a coded code (a code asking for "additional code" takes the
    /// part's detail; any other tie needs the part's own best code: an
    /// underlying condition a note only lists as possible is not coded);
    /// for a part the coding does not cover yet, its best suggestion
    /// otherwise.
    fn add_part(&mut self, i: usize, hits: &[PartHit], part: &Reading, covered: bool) {
        let usable = |s: &&PartHit| s.billable && !s.procedure;
        for h in hits.iter().take(PART_CANDIDATES).filter(usable) {
            if self.has(h.doc) {
                continue;
            }
            let Some((coded, link)) = self.link_to_coded(h.doc) else {
                continue;
            };
            let asked = link == Link::Follows;
            let own = std::ptr::eq(h, &hits[0]);
            if asked || own && parts::covers(part, &parts::doc_terms(self.index, h.doc)) {
                let why = match link {
                    Link::Follows => format!("{coded}: \"use additional code\" for this part"),
                    Link::Precedes => format!("its \"code first\" note names {coded}"),
                    Link::Also => format!("{coded}: \"code also\""),
                };
                self.push(h.doc, why, Some(i));
                return;
            }
        }
        if covered {
            return;
        }
        let plain = |k: usize| {
            let h = &hits[k];
            usable(&h)
                && (self.list
                    || h.score >= PART_MIN_SCORE
                        && (h.from_header || h.title_coverage >= WHOLE_TITLE_COVERAGE))
        };
        if let Some(h) = (0..hits.len())
            .find(|&k| usable(&&hits[k]))
            .filter(|&k| plain(k))
            .map(|k| &hits[k])
            .filter(|h| !self.has(h.doc))
        {
            self.push(
                h.doc,
                format!("the best match for part {} of the phrase", i + 1),
                Some(i),
            );
        }
    }

    /// The "with" presumption: a coded code of a `with` family (diabetes)
    /// read together with another part ("DM2" + "CKD stage 4" as "DM2 with
    /// CKD stage 4") becomes the family's combination code when that covers
    /// the other part; the other part's own code stays only when the
    /// combination's notes ask for it or it says more.
    fn with_families<M: AsRef<[u8]>>(
        &mut self,
        texts: &[String],
        queries: &[&Reading],
        parts: &mut Parts<'_, '_, '_, M>,
    ) {
        for rule in rules::bundled().iter().filter(|r| r.kind == Kind::With) {
            let from_part = |k: usize| k > 0 || !self.whole;
            let Some(k) = (0..self.lines.len()).find(|&k| {
                from_part(k) && self.origin[k].is_some() && rule.matches_any(&self.lines[k].code)
            }) else {
                continue;
            };
            let Some(pk) = self.origin[k] else { continue };
            for j in 0..self.lines.len() {
                let Some(pj) = self.origin[j] else { continue };
                if j == k || rule.matches_any(&self.lines[j].code) {
                    continue;
                }
                let joined = format!("{} with {}", texts[pk], texts[pj]);
                let hits = parts.hits(&joined);
                let other = self.lines[j].code.clone();
                let mut found = None;
                for c in hits
                    .iter()
                    .filter(|c| c.billable && rule.matches_any(self.index.doc(c.doc).code))
                {
                    if c.doc == self.lines[k].doc {
                        break;
                    }
                    let asks = self.notes(c.doc).link(&other) == Some(Link::Follows);
                    if asks || parts::covers(queries[pj], &parts::doc_terms(self.index, c.doc)) {
                        found = Some((c.doc, asks));
                        break;
                    }
                }
                let Some((doc, keep)) = found else { continue };
                let d = self.index.doc(doc);
                self.lines[k] = CodedLine {
                    code: d.code.to_string(),
                    title: d.title.to_string(),
                    why: format!("guideline {}: {}", rule.section, rule.why),
                    doc,
                };
                if !keep {
                    self.lines.remove(j);
                    self.origin.remove(j);
                }
                return;
            }
        }
    }

    /// A part coded on its own ("dementia": F03.90) that a manifestation
    /// code of another coded condition covers (F02.80, whose "code first"
    /// note names G30.9) becomes that code (see [`manifest`]).
    fn manifestations(
        &mut self,
        queries: &[&Reading],
        manifest: &manifest::Manifestations,
        allows: impl Fn(u32) -> bool,
    ) {
        for k in 0..self.lines.len() {
            let Some(i) = self.origin[k] else { continue };
            if k == 0 && self.whole {
                continue;
            }
            let own = self.lines[k].doc;
            let coded: Vec<String> = self.lines.iter().map(|l| l.code.clone()).collect();
            // A code whose own notes already name a coded condition is
            // already its manifestation (N18.4 for I12.9).
            if coded
                .iter()
                .any(|c| self.notes(own).link(c) == Some(Link::Precedes))
            {
                continue;
            }
            let found = (0..self.lines.len()).filter(|&j| j != k).find_map(|j| {
                let condition = self.lines[j].code.as_str();
                manifest
                    .of_condition(self.index, condition, own)
                    .find(|&m| {
                        m != own
                            && allows(m)
                            && !self.lines.iter().any(|l| l.doc == m)
                            && parts::covers(queries[i], &parts::doc_terms(self.index, m))
                    })
                    .map(|m| (m, condition.to_string()))
            });
            if let Some((doc, condition)) = found {
                let d = self.index.doc(doc);
                self.lines[k] = CodedLine {
                    code: d.code.to_string(),
                    title: d.title.to_string(),
                    why: format!(
                        "its \"code first\" note names {condition}: the code for this part as a manifestation of it (I.A.13)"
                    ),
                    doc,
                };
            }
        }
    }

    /// Drops a code every part of which another code covers ("Sepsis due to
    /// E. coli" once "UTI" and the agent "E. coli" are coded), unless a
    /// note ties it to another code of the coding.
    fn drop_redundant(&mut self, queries: &[&Reading]) {
        let terms: Vec<Vec<u32>> = self
            .lines
            .iter()
            .map(|l| parts::doc_terms(self.index, l.doc))
            .collect();
        let covers: Vec<Vec<usize>> = terms
            .iter()
            .map(|t| {
                (0..queries.len())
                    .filter(|&i| parts::covers(queries[i], t))
                    .collect()
            })
            .collect();
        let n = self.lines.len();
        let mut keep: Vec<bool> = vec![true; n];
        for k in 0..n {
            let others = |i: usize, keep: &[bool]| {
                (0..n).any(|j| j != k && keep[j] && covers[j].contains(&i))
            };
            let tied = {
                let code = self.lines[k].code.clone();
                let doc = self.lines[k].doc;
                let coded: Vec<(u32, String)> = self
                    .lines
                    .iter()
                    .enumerate()
                    .filter(|(j, _)| *j != k)
                    .map(|(_, l)| (l.doc, l.code.clone()))
                    .collect();
                coded.iter().any(|(d, c)| {
                    self.notes(*d).link(&code).is_some() || self.notes(doc).link(c).is_some()
                })
            };
            if !covers[k].is_empty() && !tied && covers[k].iter().all(|&i| others(i, &keep)) {
                keep[k] = false;
            }
        }
        let mut it = keep.iter();
        self.lines.retain(|_| *it.next().unwrap_or(&true));
        let mut it = keep.iter();
        self.origin.retain(|_| *it.next().unwrap_or(&true));
    }

    /// The first guideline combination whose conditions are all coded.
    fn combine(&mut self) {
        for rule in rules::bundled() {
            let Kind::Combine { code, drop } = &rule.kind else {
                continue;
            };
            let met =
                (0..rule.when.len()).all(|g| self.lines.iter().any(|l| rule.matches(g, &l.code)));
            if !met {
                continue;
            }
            let Some(doc) = self
                .index
                .find_code(code)
                .into_iter()
                .find(|d| self.index.doc(*d).code == code.as_str())
            else {
                continue;
            };
            let at = self
                .lines
                .iter()
                .position(|l| drop.iter().any(|t| t.covers(&l.code)))
                .unwrap_or(0);
            let mut k = 0;
            while k < self.lines.len() {
                if drop.iter().any(|t| t.covers(&self.lines[k].code)) {
                    self.lines.remove(k);
                    self.origin.remove(k);
                } else {
                    k += 1;
                }
            }
            let d = self.index.doc(doc);
            self.lines.insert(
                at.min(self.lines.len()),
                CodedLine {
                    code: d.code.to_string(),
                    title: d.title.to_string(),
                    why: format!("guideline {}: {}", rule.section, rule.why),
                    doc,
                },
            );
            self.origin.insert(at.min(self.origin.len()), None);
            return;
        }
    }

    /// Sequencing: a code a note or rule puts before another comes first;
    /// otherwise the order found (the phrase's best code first).
    fn order(&mut self) {
        let n = self.lines.len();
        let mut before = vec![vec![false; n]; n];
        let codes: Vec<(u32, String)> =
            self.lines.iter().map(|l| (l.doc, l.code.clone())).collect();
        let rules = rules::bundled();
        let rank = |code: &str| {
            if rules
                .iter()
                .any(|r| r.kind == Kind::First && r.matches_any(code))
            {
                0
            } else if rules
                .iter()
                .any(|r| r.kind == Kind::After && r.matches_any(code))
            {
                2
            } else {
                1
            }
        };
        for a in 0..n {
            for b in 0..n {
                if a == b {
                    continue;
                }
                let (ra, rb) = (rank(&codes[a].1), rank(&codes[b].1));
                before[a][b] = ra < rb
                    || ra == rb
                        && (self.notes(codes[a].0).link(&codes[b].1) == Some(Link::Follows)
                            || self.notes(codes[b].0).link(&codes[a].1) == Some(Link::Precedes));
            }
        }
        let mut left: Vec<usize> = (0..n).collect();
        let mut order = Vec::with_capacity(n);
        while !left.is_empty() {
            let pick = left
                .iter()
                .position(|&a| {
                    !left
                        .iter()
                        .any(|&b| b != a && before[b][a] && !before[a][b])
                })
                .unwrap_or(0);
            order.push(left.remove(pick));
        }
        let lines = std::mem::take(&mut self.lines);
        let mut slots: Vec<Option<CodedLine>> = lines.into_iter().map(Some).collect();
        self.lines = order.iter().filter_map(|&i| slots[i].take()).collect();
    }
}

/// The category of a code (its first three characters).
fn category(code: &str) -> &str {
    code.get(..3).unwrap_or(code)
}
