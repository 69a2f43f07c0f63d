//! Confidence: the probability that a suggested code is right, from what
//! the matcher already knows about it (its score, its margin over the
//! others, how much of the query and of the title it covers, whether it
//! was reached through a header, how many words were guessed or unknown,
//! the side it was found on). A logistic model whose coefficients live in
//! `data/confidence.tsv`, fitted by `eval/fit_confidence.py` on one half of
//! the dev sets and reported on the other.
//!
//! `score` ranks; `confidence` says how far to trust the first code: among
//! first codes with confidence ≈ p, a share ≈ p were right on the dev sets.
//!
//! Not for ranking: nothing here changes the order of suggestions.

use crate::index::format::{NAME_INDEX, NAME_NOS, NAME_SYNONYM};
use crate::search::query::Via;
use crate::search::{Query, SearchResult};
use serde::Serialize;
use std::sync::OnceLock;

/// The bundled coefficients.
pub const COEFFICIENTS: &str = include_str!("../../data/confidence.tsv");

/// A suggestion's confidence below this marks it for review (batch
/// `needs_review`, the table's `?`). Chosen on the fitting half of the dev
/// sets; `eval/fit_confidence.py` prints the figures.
pub fn review_below() -> f32 {
    model().review_below
}

/// Other suggestions the `ties` and `same_category` shares count against.
const OTHERS: f32 = 4.0;
/// Scores this close to a suggestion's count as a tie.
const TIE: f32 = 0.03;

/// What the matcher knew about one suggestion, kept for its confidence.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Evidence {
    /// Share of the query's weight its best name matched (0..1).
    pub query_coverage: f32,
    /// Share of its title's weight the query covered (0..1).
    pub title_coverage: f32,
    /// Its score came from a header above it.
    pub from_header: bool,
    /// The query is its own title or inclusion term ("exact wins").
    pub exact: bool,
    /// Kind of the name that scored it (`crate::index::format::NAME_*`).
    pub name_kind: u8,
    /// Product of the score's penalties (factors below 1), 1 when none.
    pub penalty: f32,
}

impl Default for Evidence {
    fn default() -> Self {
        Evidence {
            query_coverage: 0.0,
            title_coverage: 0.0,
            from_header: false,
            exact: false,
            name_kind: crate::index::format::NAME_TITLE,
            penalty: 1.0,
        }
    }
}

/// The inputs of the model, as `--explain` shows them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Features {
    /// The score.
    pub score: f32,
    /// Score minus the best other suggestion's (negative below the first).
    pub margin: f32,
    /// Share of the query's weight matched.
    pub query_coverage: f32,
    /// Share of the title's weight covered.
    pub title_coverage: f32,
    /// 1 when reached through a header.
    pub from_header: f32,
    /// Share of the query's weight read only by a fuzzy or prefix guess.
    pub guessed: f32,
    /// Share of the query's weight no manual word matched.
    pub unknown: f32,
    /// 1 for a procedure code.
    pub procedure: f32,
    /// Number of slots (concepts) in the query, up to 10, over 10.
    pub length: f32,
    /// Share of the four other suggestions scoring within 0.03 of this one.
    pub ties: f32,
    /// Share of the four other suggestions in the same category.
    pub same_category: f32,
    /// 1 when the query is the code's own title or inclusion term.
    pub exact: f32,
    /// 1 when an index or table path (not the tabular) scored it.
    pub index_path: f32,
    /// 1 when an inclusion term (not the title) scored it.
    pub inclusion: f32,
    /// Product of the score's penalties (1 when none).
    pub penalty: f32,
    /// Share of the query's weight read only through a vocabulary rewrite
    /// (abbreviation, synonym, lay term, drug name).
    pub rewritten: f32,
    /// 1 when its title says "unspecified".
    pub unspecified: f32,
}

impl Features {
    /// The features in the order of `data/confidence.tsv`: the measured
    /// ones, then squares and products that let a linear model bend.
    pub fn values(&self) -> [(&'static str, f32); 22] {
        [
            ("score", self.score),
            ("margin", self.margin),
            ("query_coverage", self.query_coverage),
            ("title_coverage", self.title_coverage),
            ("from_header", self.from_header),
            ("guessed", self.guessed),
            ("unknown", self.unknown),
            ("procedure", self.procedure),
            ("length", self.length),
            ("ties", self.ties),
            ("same_category", self.same_category),
            ("exact", self.exact),
            ("index_path", self.index_path),
            ("inclusion", self.inclusion),
            ("penalty", self.penalty),
            ("rewritten", self.rewritten),
            ("unspecified", self.unspecified),
            ("score_squared", self.score * self.score),
            ("margin_capped", self.margin.min(0.2)),
            ("margin_squared", self.margin * self.margin),
            (
                "coverage_product",
                self.query_coverage * self.title_coverage,
            ),
            (
                "title_coverage_squared",
                self.title_coverage * self.title_coverage,
            ),
        ]
    }
}

/// The fitted model.
#[derive(Debug, Clone, Default)]
struct Model {
    intercept: f32,
    weights: Vec<(String, f32)>,
    review_below: f32,
}

fn parse(text: &str) -> Result<Model, String> {
    let mut m = Model::default();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let (name, value) = line.split_once('\t').ok_or_else(|| {
            format!(
                "data/confidence.tsv line {}: expected name<TAB>value; rerun eval/fit_confidence.py",
                i + 1
            )
        })?;
        let v: f32 = value.trim().parse().map_err(|_| {
            format!(
                "data/confidence.tsv line {}: the value is not a number; rerun eval/fit_confidence.py",
                i + 1
            )
        })?;
        match name {
            "intercept" => m.intercept = v,
            "review_below" => m.review_below = v,
            _ if Features::default().values().iter().any(|(n, _)| *n == name) => {
                m.weights.push((name.to_string(), v))
            }
            _ => {
                return Err(format!(
                    "data/confidence.tsv line {}: unknown feature '{name}'; the features are listed in src/confidence/mod.rs",
                    i + 1
                ));
            }
        }
    }
    Ok(m)
}

fn model() -> &'static Model {
    static MODEL: OnceLock<Model> = OnceLock::new();
    MODEL.get_or_init(|| parse(COEFFICIENTS).unwrap_or_default())
}

/// The confidence for `f`: the logistic of the fitted linear score, 0..1.
pub fn confidence(f: &Features) -> f32 {
    let m = model();
    let vals = f.values();
    let z = m.intercept
        + m.weights
            .iter()
            .filter_map(|(n, w)| vals.iter().find(|(k, _)| k == n).map(|(_, v)| w * v))
            .sum::<f32>();
    let p = 1.0 / (1.0 + (-z).exp());
    (p * 1000.0).round() / 1000.0
}

/// Shares of the query's weight read only by guesses, by nothing, and
/// only through a vocabulary rewrite.
fn guessed_unknown(q: &Query) -> (f32, f32, f32) {
    let total = q.total_weight().max(f32::EPSILON);
    let mut guessed = 0.0;
    let mut unknown = 0.0;
    let mut rewritten = 0.0;
    for s in &q.slots {
        if s.alts.is_empty() {
            unknown += s.weight;
        } else if s
            .alts
            .iter()
            .all(|a| matches!(a.via, Via::Fuzzy { .. } | Via::Prefix { .. }))
        {
            guessed += s.weight;
        } else if s
            .alts
            .iter()
            .all(|a| matches!(a.via, Via::Vocabulary { .. }))
        {
            rewritten += s.weight;
        }
    }
    (guessed / total, unknown / total, rewritten / total)
}

/// Fills every suggestion's confidence (and, with `explain`, its features).
pub fn assess(query: &Query, evidence: &[Evidence], r: &mut SearchResult, explain: bool) {
    let (guessed, unknown, rewritten) = guessed_unknown(query);
    let scores: Vec<f32> = r.suggestions.iter().map(|s| s.score).collect();
    let categories: Vec<String> = r
        .suggestions
        .iter()
        .map(|s| s.code.chars().take(3).collect())
        .collect();
    for (i, s) in r.suggestions.iter_mut().enumerate() {
        let others = |keep: &dyn Fn(usize) -> bool| {
            (0..scores.len()).filter(|&j| j != i && keep(j)).count() as f32 / OTHERS
        };
        let ties = others(&|j| scores[j] >= s.score - TIE);
        let same_category = others(&|j| categories[j] == categories[i]);
        let other = scores
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != i)
            .map(|(_, v)| *v)
            .fold(0.0f32, f32::max);
        let e = evidence.get(i).copied().unwrap_or_default();
        let f = Features {
            score: s.score,
            margin: s.score - other,
            query_coverage: e.query_coverage,
            title_coverage: e.title_coverage,
            from_header: f32::from(u8::from(e.from_header)),
            guessed,
            unknown,
            procedure: f32::from(u8::from(crate::search::is_procedure_system(&s.system))),
            length: query.slots.len().min(10) as f32 / 10.0,
            ties,
            same_category,
            exact: f32::from(u8::from(e.exact)),
            index_path: f32::from(u8::from(e.name_kind == NAME_INDEX)),
            inclusion: f32::from(u8::from(matches!(e.name_kind, NAME_SYNONYM | NAME_NOS))),
            penalty: e.penalty,
            rewritten,
            unspecified: f32::from(u8::from(s.title.to_lowercase().contains("unspecified"))),
        };
        s.confidence = confidence(&f);
        if explain {
            s.features = Some(f);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_coefficients_read_and_give_probabilities() {
        let m = parse(COEFFICIENTS).expect("data/confidence.tsv reads");
        assert!(m.review_below > 0.0 && m.review_below < 1.0);
        let strong = Features {
            score: 1.0,
            margin: 0.3,
            query_coverage: 1.0,
            title_coverage: 1.0,
            length: 0.2,
            ..Features::default()
        };
        let weak = Features {
            score: 0.4,
            query_coverage: 0.5,
            title_coverage: 0.4,
            guessed: 0.5,
            length: 0.5,
            ..Features::default()
        };
        let (cs, cw) = (confidence(&strong), confidence(&weak));
        assert!((0.0..=1.0).contains(&cs) && (0.0..=1.0).contains(&cw));
        assert!(cs > cw, "{cs} vs {cw}");
    }

    #[test]
    fn a_bad_line_names_its_line_and_the_fix() {
        let e = parse("intercept\t0.1\nspeed\t2\n").unwrap_err();
        assert!(e.contains("line 2") && e.contains("speed"), "{e}");
    }
}
