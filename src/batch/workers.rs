//! What the search threads of one run keep between lines: each worker
//! thread its own [`Scratch`] (sized to the index once, on its first
//! search, instead of once per rayon split), and all of them one
//! [`PartMemo`] of the phrases' parts. Dropped with the run.
//!
//! Not for remembering whole lines: [`super::lines`] and [`super::coder`]
//! do that.

use crate::coding::memo::PartMemo;
use crate::search::{Matcher, Scratch, SearchOptions, SearchResult};
use std::sync::Mutex;

/// Per-thread buffers and the shared memory of parts of one run.
pub struct Workers {
    scratch: Vec<Mutex<Scratch>>,
    parts: PartMemo,
}

impl Default for Workers {
    fn default() -> Self {
        Self::new()
    }
}

impl Workers {
    /// One scratch per thread of the current rayon pool.
    pub fn new() -> Self {
        let threads = rayon::current_num_threads().max(1);
        Workers {
            scratch: (0..threads).map(|_| Mutex::default()).collect(),
            parts: PartMemo::new(),
        }
    }

    /// [`Matcher::search`] of `text` with this thread's scratch.
    pub fn search<D: AsRef<[u8]>>(
        &self,
        matcher: &Matcher<'_, D>,
        text: &str,
        opts: &SearchOptions,
    ) -> SearchResult {
        let slot = rayon::current_thread_index().unwrap_or(0) % self.scratch.len();
        let mut scratch = self.scratch[slot].lock().unwrap_or_else(|e| e.into_inner());
        matcher.search_with(text, opts, &mut scratch, &self.parts)
    }
}
