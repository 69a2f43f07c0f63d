//! Coding cells: splitting a multi-diagnosis cell, searching each distinct
//! diagnosis once (in parallel, with the same [`Matcher::search`] and
//! options as `medcoder suggest`), and remembering the answers across
//! chunks, since encounter files repeat the same diagnoses a lot.
//!
//! Not for reading or writing rows: see [`super::reader`], [`super::write`].

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
}

/// Codes cells, remembering what it has searched.
pub struct Coder<'m, 'a, D: AsRef<[u8]>> {
    matcher: &'m Matcher<'a, D>,
    search: SearchOptions,
    split: Option<String>,
    cache: HashMap<Box<str>, Box<[Hit]>>,
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
        let mut seen: HashSet<&str> = HashSet::new();
        let mut todo: Vec<&str> = Vec::new();
        for cell in cells {
            for part in self.parts(cell) {
                if !self.cache.contains_key(part) && seen.insert(part) {
                    todo.push(part);
                }
            }
        }
        let found: Vec<Box<[Hit]>> = todo.par_iter().map(|t| self.search(t)).collect();
        self.cache
            .extend(todo.into_iter().map(Box::from).zip(found));
    }

    /// The codes of one diagnosis, best first (empty: no match). Call
    /// [`Coder::prepare`] with its cell first.
    pub fn hits(&self, part: &str) -> &[Hit] {
        self.cache.get(part).map_or(&[], |h| h)
    }

    fn search(&self, text: &str) -> Box<[Hit]> {
        let slot = rayon::current_thread_index().unwrap_or(0) % self.scratch.len();
        let mut scratch = self.scratch[slot].lock().unwrap_or_else(|e| e.into_inner());
        let r = self.matcher.search(text, &self.search, &mut scratch);
        r.suggestions
            .iter()
            .map(|s| Hit {
                doc: s.doc,
                score: s.score,
            })
            .collect()
    }
}
