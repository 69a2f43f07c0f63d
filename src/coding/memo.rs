//! What the coding stage has worked out of a part, remembered for the rest
//! of one run: a pipeline or a batch file repeats the same parts ("HTN",
//! "CKD stage 3") across many lines, and a phrase's coding needs each
//! part's readings and its plain search. Both are deterministic for a
//! part's text (and, for the search, the options of the run), so a
//! remembered answer is the answer a new search would give.
//!
//! Bounded ([`MEMO_PARTS`] texts, then cleared), shared by the threads of
//! the run, dropped with it: no text outlives the run that read it.
//!
//! The run also remembers each code's sequencing notes as a coding reads
//! them (index data, no text of the run): a note is decoded once a run.
//!
//! Not for whole lines: the pipeline and batch remember those themselves.

use super::notes::CodeNotes;
use super::parts::Reading;
use crate::index::Index;
use crate::release::Date;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Part texts remembered (readings and searches together); past this the
/// memory is cleared before the next one is stored (a few MB at most).
pub const MEMO_PARTS: usize = 32_768;

/// One suggestion of a part's plain search, as much as a coding reads.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PartHit {
    /// Doc id in the index.
    pub doc: u32,
    /// The suggestion's score.
    pub score: f32,
    /// Valid on a claim.
    pub billable: bool,
    /// A code of a procedure system.
    pub procedure: bool,
    /// Its score came from a header above it.
    pub from_header: bool,
    /// Share of its title's weight the part covered.
    pub title_coverage: f32,
}

/// The options a part's search depends on besides its text.
type Options = (Vec<String>, Option<Date>);

/// A part's searches, each with the key of its options.
type Searches = Vec<(u16, Arc<[PartHit]>)>;

#[derive(Default)]
struct Inner {
    readings: HashMap<Box<str>, Arc<Reading>>,
    /// Per part text, per index into `options` (most runs: one).
    hits: HashMap<Box<str>, Searches>,
    options: Vec<Options>,
}

/// Codes whose notes are remembered; past this the notes are cleared
/// before the next are stored.
pub const MEMO_NOTES: usize = 65_536;

/// The parts of one run already read or searched, and the notes of the
/// codes its codings read.
#[derive(Default)]
pub struct PartMemo {
    inner: Mutex<Inner>,
    notes: Mutex<HashMap<u32, Arc<CodeNotes>>>,
}

impl PartMemo {
    /// An empty memory.
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The key of searches with `systems` and `date` (`None` when too many
    /// distinct options were seen to remember more).
    pub fn options(&self, systems: &[String], date: Option<Date>) -> Option<u16> {
        let mut m = self.lock();
        if let Some(k) = m
            .options
            .iter()
            .position(|(s, d)| s == systems && *d == date)
        {
            return Some(k as u16);
        }
        let k = u16::try_from(m.options.len()).ok()?;
        m.options.push((systems.to_vec(), date));
        Some(k)
    }

    /// The notes of `doc` ([`CodeNotes::of`]), read once a run.
    pub fn notes<D: AsRef<[u8]>>(&self, index: &Index<D>, doc: u32) -> Arc<CodeNotes> {
        let lock = || self.notes.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(n) = lock().get(&doc) {
            return Arc::clone(n);
        }
        let n = Arc::new(CodeNotes::of(index, doc));
        let mut m = lock();
        if m.len() >= MEMO_NOTES {
            m.clear();
        }
        m.insert(doc, Arc::clone(&n));
        n
    }

    /// The remembered readings of `text`.
    pub fn reading(&self, text: &str) -> Option<Arc<Reading>> {
        self.lock().readings.get(text).cloned()
    }

    /// Remembers the readings of `text`.
    pub fn keep_reading(&self, text: &str, reading: Arc<Reading>) {
        let mut m = self.lock();
        m.make_room();
        m.readings.insert(text.into(), reading);
    }

    /// The remembered search of `text` with options `key`.
    pub fn hits(&self, key: u16, text: &str) -> Option<Arc<[PartHit]>> {
        let m = self.lock();
        let found = m.hits.get(text)?.iter().find(|(k, _)| *k == key);
        found.map(|(_, h)| Arc::clone(h))
    }

    /// Remembers the search of `text` with options `key`.
    pub fn keep_hits(&self, key: u16, text: &str, hits: Arc<[PartHit]>) {
        let mut m = self.lock();
        m.make_room();
        m.hits.entry(text.into()).or_default().push((key, hits));
    }
}

impl Inner {
    fn make_room(&mut self) {
        if self.readings.len() + self.hits.len() >= MEMO_PARTS {
            self.readings.clear();
            self.hits.clear();
        }
    }
}
