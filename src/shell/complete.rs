//! Tab completion of medical words. The index's term dictionary holds
//! stemmed normal forms ("diabet"), which are no use to type; so the shell
//! builds, once at start, an fst of the surface words of the titles
//! (lower-cased, four letters or more) and completes by a prefix walk.

use crate::index::Index;
use fst::automaton::{Automaton, Str};
use fst::{IntoStreamer, Streamer};
use rustyline::completion::Completer;
use rustyline::highlight::Highlighter;
use rustyline::hint::Hinter;
use rustyline::validate::Validator;
use std::borrow::Cow;
use std::collections::HashSet;

/// Words shorter than this are not worth completing.
pub const MIN_WORD_LEN: usize = 4;

/// At most this many candidates are offered for one prefix.
pub const MAX_CANDIDATES: usize = 64;

/// The completion dictionary: surface words of titles, in an fst set.
pub struct Words {
    set: fst::Set<Vec<u8>>,
}

impl Words {
    /// The words of every doc title of `idx`.
    pub fn from_index<D: AsRef<[u8]>>(idx: &Index<D>) -> Words {
        Words::from_titles((0..idx.doc_count() as u32).map(|id| idx.doc(id).title))
    }

    /// The words of `titles`: runs of letters, lower-cased, at least
    /// [`MIN_WORD_LEN`] long, sorted and deduplicated.
    pub fn from_titles<'t>(titles: impl IntoIterator<Item = &'t str>) -> Words {
        // Most title words repeat; deduplicate borrowed words first and only
        // allocate for the few distinct ones that need lower-casing.
        let mut seen: HashSet<Cow<'t, str>> = HashSet::new();
        for title in titles {
            for w in title.split(|c: char| !c.is_alphabetic()) {
                if w.len() < MIN_WORD_LEN || w.chars().count() < MIN_WORD_LEN {
                    continue;
                }
                if w.chars().any(char::is_uppercase) {
                    let lower = w.to_lowercase();
                    if !seen.contains(lower.as_str()) {
                        seen.insert(Cow::Owned(lower));
                    }
                } else {
                    seen.insert(Cow::Borrowed(w));
                }
            }
        }
        let mut words: Vec<Cow<str>> = seen.into_iter().collect();
        words.sort_unstable();
        let set = fst::Set::from_iter(words.iter().map(|w| w.as_bytes()))
            .expect("sorted and deduplicated");
        Words { set }
    }

    /// Number of words.
    pub fn len(&self) -> usize {
        self.set.len()
    }

    /// No words.
    pub fn is_empty(&self) -> bool {
        self.set.is_empty()
    }

    /// Words starting with `prefix` (any case), in order, at most `max`.
    pub fn complete(&self, prefix: &str, max: usize) -> Vec<String> {
        let prefix = prefix.to_lowercase();
        if prefix.is_empty() {
            return Vec::new();
        }
        let mut stream = self
            .set
            .search(Str::new(&prefix).starts_with())
            .into_stream();
        let mut out = Vec::new();
        while let Some(k) = stream.next() {
            if out.len() >= max {
                break;
            }
            out.push(String::from_utf8_lossy(k).into_owned());
        }
        out
    }
}

/// Where the word under the cursor starts (after the last non-letter).
pub fn word_start(line: &str, pos: usize) -> usize {
    line[..pos]
        .char_indices()
        .rev()
        .find(|(_, c)| !c.is_alphabetic())
        .map_or(0, |(i, c)| i + c.len_utf8())
}

/// The rustyline helper of the shell: completion only.
pub struct ShellHelper {
    words: Words,
}

impl ShellHelper {
    /// A helper completing from `words`.
    pub fn new(words: Words) -> ShellHelper {
        ShellHelper { words }
    }
}

impl Completer for ShellHelper {
    type Candidate = String;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        _ctx: &rustyline::Context<'_>,
    ) -> rustyline::Result<(usize, Vec<String>)> {
        if line.starts_with(':') {
            return Ok((pos, Vec::new()));
        }
        let start = word_start(line, pos);
        Ok((
            start,
            self.words.complete(&line[start..pos], MAX_CANDIDATES),
        ))
    }
}

impl Hinter for ShellHelper {
    type Hint = String;
}

impl Highlighter for ShellHelper {}

impl Validator for ShellHelper {}

impl rustyline::Helper for ShellHelper {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn completes_surface_words_by_prefix() {
        let w = Words::from_titles([
            "Type 2 diabetes mellitus with diabetic neuropathy, unspecified",
            "Diabetes insipidus",
            "Essential (primary) hypertension",
            "Flu due to other virus",
        ]);
        assert_eq!(w.complete("diab", 10), vec!["diabetes", "diabetic"]);
        assert_eq!(w.complete("NEUR", 10), vec!["neuropathy"]);
        assert_eq!(w.complete("diab", 1), vec!["diabetes"]);
        assert!(w.complete("flu", 10).is_empty(), "short words are left out");
        assert_eq!(w.complete("type", 10), vec!["type"]);
        assert!(w.complete("", 10).is_empty());
    }

    #[test]
    fn word_start_is_after_the_last_non_letter() {
        assert_eq!(word_start("type 2 diab", 11), 7);
        assert_eq!(word_start("diab", 4), 0);
        assert_eq!(word_start("(primary) hyp", 13), 10);
    }
}
