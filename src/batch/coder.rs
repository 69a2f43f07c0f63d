//! Coding cells: splitting a multi-diagnosis cell, searching each distinct
//! diagnosis once (in parallel, with the same [`Matcher::search`] and
//! options as `medcoder suggest`), and remembering the answers across
//! chunks, since encounter files repeat the same diagnoses a lot. Answers
//! are remembered per release in effect (`--date`, `--date-column`).
//!
//! Not for reading or writing rows: see [`super::reader`], [`super::write`].

use super::workers::Workers;
use crate::coding::CodedLine;
use crate::release::{Date, InEffect};
use crate::search::{Matcher, SearchOptions};
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};

/// Distinct diagnosis texts remembered; past this the memory is cleared
/// before the next chunk (a few MB at most).
pub const CACHE_ENTRIES: usize = 50_000;

/// One suggested code, kept small: the title and code are read from the
/// index when the row is written.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit {
    /// Doc id in the index.
    pub doc: u32,
    /// The suggestion's score, as `suggest` prints it.
    pub score: f32,
    /// Its confidence, as `suggest` prints it.
    pub confidence: f32,
}

/// What one searched text gave: its codes and its complete coding.
#[derive(Debug, Clone, Default)]
pub struct Found {
    /// Codes, best first.
    pub hits: Box<[Hit]>,
    /// The complete coding, first-listed first.
    pub coding: Box<[CodedLine]>,
}

/// Which releases a row is coded with: an index into the coder's list of
/// distinct [`InEffect`]s (dates of one release share one).
pub type ReleaseKey = u16;

/// What one diagnosis text gave as of one release key.
type Answer = (ReleaseKey, Found);

/// Codes cells, remembering what it has searched.
pub struct Coder<'m, 'a, D: AsRef<[u8]>> {
    matcher: &'m Matcher<'a, D>,
    search: SearchOptions,
    split: Option<String>,
    /// Per diagnosis text, what it gave per release key (most files: one).
    cache: HashMap<Box<str>, Vec<Answer>>,
    workers: Workers,
    /// Distinct releases in effect, each with a date that selects it.
    releases: Vec<(InEffect, Date)>,
    /// Dates already seen.
    dates: HashMap<Date, ReleaseKey>,
}

impl<'m, 'a, D: AsRef<[u8]> + Sync> Coder<'m, 'a, D> {
    /// A coder returning the best code and `alternatives` more, searching
    /// only `systems` when not empty, splitting cells on `split`; `date` is
    /// the date of service of rows without their own.
    pub fn new(
        matcher: &'m Matcher<'a, D>,
        alternatives: usize,
        systems: Vec<String>,
        split: Option<String>,
        date: Date,
    ) -> Self {
        Coder {
            matcher,
            search: SearchOptions {
                limit: alternatives + 1,
                systems,
                explain: false,
                date: Some(date),
            },
            split: split.filter(|s| !s.is_empty()),
            cache: HashMap::new(),
            workers: Workers::new(),
            releases: Vec::new(),
            dates: HashMap::new(),
        }
    }

    /// The key of the releases in effect on `date` (`None`: the default
    /// date of service).
    pub fn release_key(&mut self, date: Option<Date>) -> ReleaseKey {
        let date = date
            .or(self.search.date)
            .unwrap_or_else(crate::release::today);
        if let Some(k) = self.dates.get(&date) {
            return *k;
        }
        let effect = InEffect::on(self.matcher.index().meta(), Some(date));
        let key = match self.releases.iter().position(|(e, _)| *e == effect) {
            Some(k) => k as ReleaseKey,
            None => {
                self.releases.push((effect, date));
                (self.releases.len() - 1) as ReleaseKey
            }
        };
        self.dates.insert(date, key);
        key
    }

    /// The diagnoses of a cell, trimmed, empty ones dropped, in the order
    /// written. Without `--split` the whole cell is one diagnosis.
    pub fn parts<'t>(&self, cell: &'t str) -> impl Iterator<Item = &'t str> {
        let split = self.split.as_deref();
        let mut rest = Some(cell);
        std::iter::from_fn(move || {
            let r = rest?;
            match split.and_then(|s| r.split_once(s)) {
                Some((part, tail)) => {
                    rest = Some(tail);
                    Some(part)
                }
                None => {
                    rest = None;
                    Some(r)
                }
            }
        })
        .map(str::trim)
        .filter(|p| !p.is_empty())
    }

    /// The releases in effect for `key` (see [`Coder::release_key`]).
    pub fn releases(&self, key: ReleaseKey) -> &InEffect {
        &self.releases[usize::from(key)].0
    }

    /// Searches, in parallel, every diagnosis of `cells` (each with the
    /// key of its releases) not yet known.
    pub fn prepare<'t>(&mut self, cells: impl Iterator<Item = (&'t str, ReleaseKey)>) {
        if self.cache.len() > CACHE_ENTRIES {
            self.cache.clear();
        }
        let mut seen: HashSet<(ReleaseKey, String)> = HashSet::new();
        let mut todo: Vec<(ReleaseKey, String)> = Vec::new();
        for (cell, key) in cells {
            let whole = self.whole(cell);
            for part in self.parts(cell).map(str::to_string).chain(whole) {
                if self.found(&part, key).is_none() && seen.insert((key, part.clone())) {
                    todo.push((key, part));
                }
            }
        }
        let found: Vec<Found> = todo.par_iter().map(|(k, t)| self.search(t, *k)).collect();
        for ((key, text), f) in todo.into_iter().zip(found) {
            self.cache
                .entry(text.into_boxed_str())
                .or_default()
                .push((key, f));
        }
    }

    /// What `text` gave with releases `key`, once searched.
    fn found(&self, text: &str, key: ReleaseKey) -> Option<&Found> {
        self.cache
            .get(text)
            .and_then(|v| v.iter().find(|(k, _)| *k == key))
            .map(|(_, f)| f)
    }

    /// A split cell of several diagnoses as one problem list ("HTN; CKD
    /// stage 3"), searched once more for its complete coding; `None` when
    /// the cell is one diagnosis (its own search gives the coding).
    fn whole(&self, cell: &str) -> Option<String> {
        let parts: Vec<&str> = self.parts(cell).collect();
        (parts.len() > 1).then(|| parts.join("; "))
    }

    /// The complete coding of a cell coded with releases `key`,
    /// first-listed first. Call [`Coder::prepare`] with the cell first.
    pub fn coding(&self, cell: &str, key: ReleaseKey) -> &[CodedLine] {
        let found = match self.whole(cell) {
            Some(w) => self.found(&w, key),
            None => self.parts(cell).next().and_then(|p| self.found(p, key)),
        };
        found.map_or(&[], |f| &f.coding)
    }

    /// The codes of one diagnosis coded with releases `key`, best first
    /// (empty: no match). Call [`Coder::prepare`] with its cell first.
    pub fn hits(&self, part: &str, key: ReleaseKey) -> &[Hit] {
        self.found(part, key).map_or(&[], |f| &f.hits)
    }

    fn search(&self, text: &str, key: ReleaseKey) -> Found {
        let mut opts = self.search.clone();
        opts.date = self
            .releases
            .get(usize::from(key))
            .map(|(_, d)| *d)
            .or(opts.date);
        let r = self.workers.search(self.matcher, text, &opts);
        Found {
            hits: r
                .suggestions
                .iter()
                .map(|s| Hit {
                    doc: s.doc,
                    score: s.score,
                    confidence: s.confidence,
                })
                .collect(),
            coding: r.coding.into_boxed_slice(),
        }
    }
}
