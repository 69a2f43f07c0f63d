//! Coding cells: splitting a multi-diagnosis cell, searching each distinct
//! diagnosis once (in parallel, with the same [`Matcher::search`] and
//! options as `medcoder suggest`), and remembering the answers across
//! chunks, since encounter files repeat the same diagnoses a lot.
//!
//! Not for reading or writing rows: see [`super::reader`], [`super::write`].

use crate::coding::CodedLine;
use crate::search::{Matcher, Scratch, SearchOptions};
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

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

/// Codes cells, remembering what it has searched.
pub struct Coder<'m, 'a, D: AsRef<[u8]>> {
    matcher: &'m Matcher<'a, D>,
    search: SearchOptions,
    split: Option<String>,
    cache: HashMap<Box<str>, Found>,
    scratch: Vec<Mutex<Scratch>>,
}

impl<'m, 'a, D: AsRef<[u8]> + Sync> Coder<'m, 'a, D> {
    /// A coder returning the best code and `alternatives` more, searching
    /// only `systems` when not empty, splitting cells on `split`.
    pub fn new(
        matcher: &'m Matcher<'a, D>,
        alternatives: usize,
        systems: Vec<String>,
        split: Option<String>,
    ) -> Self {
        let threads = rayon::current_num_threads().max(1);
        Coder {
            matcher,
            search: SearchOptions {
                limit: alternatives + 1,
                systems,
                explain: false,
            },
            split: split.filter(|s| !s.is_empty()),
            cache: HashMap::new(),
            scratch: (0..threads)
                .map(|_| Mutex::new(Scratch::default()))
                .collect(),
        }
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

    /// Searches, in parallel, every diagnosis of `cells` not yet known.
    pub fn prepare<'t>(&mut self, cells: impl Iterator<Item = &'t str>) {
        if self.cache.len() > CACHE_ENTRIES {
            self.cache.clear();
        }
        let mut seen: HashSet<String> = HashSet::new();
        let mut todo: Vec<String> = Vec::new();
        for cell in cells {
            let whole = self.whole(cell);
            for part in self.parts(cell).map(str::to_string).chain(whole) {
                if !self.cache.contains_key(part.as_str()) && seen.insert(part.clone()) {
                    todo.push(part);
                }
            }
        }
        let found: Vec<Found> = todo.par_iter().map(|t| self.search(t)).collect();
        self.cache
            .extend(todo.into_iter().map(String::into_boxed_str).zip(found));
    }

    /// A split cell of several diagnoses as one problem list ("HTN; CKD
    /// stage 3"), searched once more for its complete coding; `None` when
    /// the cell is one diagnosis (its own search gives the coding).
    fn whole(&self, cell: &str) -> Option<String> {
        let parts: Vec<&str> = self.parts(cell).collect();
        (parts.len() > 1).then(|| parts.join("; "))
    }

    /// The complete coding of a cell, first-listed first. Call
    /// [`Coder::prepare`] with the cell first.
    pub fn coding(&self, cell: &str) -> &[CodedLine] {
        let key = match self.whole(cell) {
            Some(w) => self.cache.get(w.as_str()),
            None => self.parts(cell).next().and_then(|p| self.cache.get(p)),
        };
        key.map_or(&[], |f| &f.coding)
    }

    /// The codes of one diagnosis, best first (empty: no match). Call
    /// [`Coder::prepare`] with its cell first.
    pub fn hits(&self, part: &str) -> &[Hit] {
        self.cache.get(part).map_or(&[], |f| &f.hits)
    }

    fn search(&self, text: &str) -> Found {
        let slot = rayon::current_thread_index().unwrap_or(0) % self.scratch.len();
        let mut scratch = self.scratch[slot].lock().unwrap_or_else(|e| e.into_inner());
        let r = self.matcher.search(text, &self.search, &mut scratch);
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
