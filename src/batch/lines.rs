//! The pipeline mode of `medcoder suggest`: every line of a stream is a
//! query and gets exactly one result, in input order. Lines are read in
//! chunks of [`CHUNK_LINES`] and each chunk is searched in parallel, so
//! memory stays bounded whatever the input size. A line that is not UTF-8
//! is searched as read with replacement characters and reported by its
//! number, never its text; a line longer than `max_cell` bytes is not
//! searched (an empty result) and is reported by its length
//! ([`crate::lines::BoundedLines`] never holds more of it).
//!
//! A line seen before (within the last [`MEMO_ENTRIES`] distinct lines)
//! gets the remembered result instead of a second search: the search is
//! deterministic, so the output is the same. So do the parts of phrases
//! their codings search (see [`crate::coding::memo`]), for the whole run.
//!
//! Not for printing: the caller writes each result as it comes.

use super::workers::Workers;
use crate::lines::BoundedLines;
use crate::search::{Matcher, SearchOptions, SearchResult};
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::io::BufRead;

/// Lines searched together (bounded memory, parallel).
pub const CHUNK_LINES: usize = 2048;

/// Distinct lines whose results are remembered, so a repeated line is
/// searched once; past this the memory is cleared before the next chunk.
pub const MEMO_ENTRIES: usize = 8192;

/// One line's result, handed to the caller in input order.
pub struct LineResult<'a> {
    /// 1-based line number.
    pub line: usize,
    /// The query as searched (line end removed).
    pub query: &'a str,
    /// Whether the line was not UTF-8 (and was read with U+FFFD).
    pub invalid_utf8: bool,
    /// The line's length in bytes when it was longer than `max_cell` and
    /// so not searched.
    pub too_long: Option<u64>,
    /// The search result.
    pub result: &'a SearchResult,
}

/// Searches every line of `input` with `matcher` and `opts`, calling `emit`
/// for each in input order; a line over `max_cell` bytes is not searched.
/// Stops at the first error `emit` or the reader returns.
pub fn search_lines<R: BufRead, D: AsRef<[u8]> + Sync>(
    input: R,
    max_cell: usize,
    matcher: &Matcher<'_, D>,
    opts: &SearchOptions,
    mut emit: impl FnMut(LineResult<'_>) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let mut input = BoundedLines::new(input, max_cell);
    let mut line_no = 0usize;
    let mut buf = Vec::new();
    let mut memo: HashMap<String, SearchResult> = HashMap::new();
    let workers = Workers::new();
    loop {
        let mut chunk: Vec<(String, bool, Option<u64>)> = Vec::with_capacity(CHUNK_LINES);
        while chunk.len() < CHUNK_LINES {
            let Some(len) = input.next_line(&mut buf)? else {
                break;
            };
            if len > max_cell as u64 {
                chunk.push((String::new(), false, Some(len)));
                continue;
            }
            chunk.push(match String::from_utf8(std::mem::take(&mut buf)) {
                Ok(s) => (s, false, None),
                Err(e) => (
                    String::from_utf8_lossy(e.as_bytes()).into_owned(),
                    true,
                    None,
                ),
            });
        }
        let fresh: Vec<&str> = {
            let mut seen = HashSet::new();
            chunk
                .iter()
                .map(|(q, _, _)| q.as_str())
                .filter(|q| !memo.contains_key(*q) && seen.insert(*q))
                .collect()
        };
        let results: Vec<SearchResult> = fresh
            .par_iter()
            .map(|q| workers.search(matcher, q, opts))
            .collect();
        let mut found: HashMap<&str, SearchResult> = fresh.into_iter().zip(results).collect();
        for (query, invalid_utf8, too_long) in &chunk {
            line_no += 1;
            let result = match memo.get(query.as_str()) {
                Some(r) => r,
                None => &found[query.as_str()],
            };
            emit(LineResult {
                line: line_no,
                query,
                invalid_utf8: *invalid_utf8,
                too_long: *too_long,
                result,
            })?;
        }
        if memo.len() + found.len() > MEMO_ENTRIES {
            memo.clear();
        }
        memo.extend(found.drain().map(|(q, r)| (q.to_string(), r)));
        if chunk.len() < CHUNK_LINES {
            return Ok(());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::testkit;

    #[test]
    fn every_line_gets_one_result_in_order_and_bad_utf8_is_flagged() {
        let matcher = Matcher::new(testkit::index()).unwrap();
        let opts = SearchOptions {
            limit: 1,
            ..SearchOptions::default()
        };
        let mut input = Vec::new();
        for i in 0..CHUNK_LINES + 3 {
            input.extend_from_slice(if i % 2 == 0 { b"HTN\r\n" } else { b"xqzzy\n" });
        }
        input.extend_from_slice(b"sprain \xff ankle");
        let mut seen = Vec::new();
        search_lines(&input[..], 10_000, &matcher, &opts, |l| {
            let code = l.result.suggestions.first().map(|s| s.code.clone());
            seen.push((l.line, l.query.to_string(), l.invalid_utf8, code));
            Ok(())
        })
        .unwrap();
        assert_eq!(seen.len(), CHUNK_LINES + 4);
        assert!(seen.iter().enumerate().all(|(i, s)| s.0 == i + 1));
        assert_eq!(seen[0].1, "HTN");
        assert_eq!(seen[0].3.as_deref(), Some("I10"));
        assert_eq!(seen[1].3, None);
        assert_eq!(seen[CHUNK_LINES + 2].3.as_deref(), Some("I10"));
        let last = seen.last().unwrap();
        assert!(last.2 && last.1.contains('\u{fffd}'), "{last:?}");
        assert!(seen[..CHUNK_LINES + 3].iter().all(|s| !s.2));
    }
}
