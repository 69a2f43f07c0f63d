//! The pipeline mode of `medcoder suggest`: every line of a stream is a
//! query and gets exactly one result, in input order. Lines are read in
//! chunks of [`CHUNK_LINES`] and each chunk is searched in parallel, so
//! memory stays bounded whatever the input size. A line that is not UTF-8
//! is searched as read with replacement characters and reported by its
//! number, never its text.
//!
//! Not for printing: the caller writes each result as it comes.

use crate::search::{Matcher, Scratch, SearchOptions, SearchResult};
use rayon::prelude::*;
use std::io::BufRead;

/// Lines searched together (bounded memory, parallel).
pub const CHUNK_LINES: usize = 2048;

/// One line's result, handed to the caller in input order.
pub struct LineResult<'a> {
    /// 1-based line number.
    pub line: usize,
    /// The query as searched (line end removed).
    pub query: &'a str,
    /// Whether the line was not UTF-8 (and was read with U+FFFD).
    pub invalid_utf8: bool,
    /// The search result.
    pub result: &'a SearchResult,
}

/// Searches every line of `input` with `matcher` and `opts`, calling `emit`
/// for each in input order; stops at the first error `emit` or the reader
/// returns.
pub fn search_lines<R: BufRead, D: AsRef<[u8]> + Sync>(
    mut input: R,
    matcher: &Matcher<'_, D>,
    opts: &SearchOptions,
    mut emit: impl FnMut(LineResult<'_>) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let mut line_no = 0usize;
    let mut buf = Vec::new();
    loop {
        let mut chunk: Vec<(String, bool)> = Vec::with_capacity(CHUNK_LINES);
        while chunk.len() < CHUNK_LINES {
            buf.clear();
            if input.read_until(b'\n', &mut buf)? == 0 {
                break;
            }
            while matches!(buf.last(), Some(b'\n' | b'\r')) {
                buf.pop();
            }
            chunk.push(match String::from_utf8(std::mem::take(&mut buf)) {
                Ok(s) => (s, false),
                Err(e) => (String::from_utf8_lossy(e.as_bytes()).into_owned(), true),
            });
        }
        let results: Vec<SearchResult> = chunk
            .par_iter()
            .map_init(Scratch::default, |scratch, (q, _)| {
                matcher.search(q, opts, scratch)
            })
            .collect();
        for ((query, invalid_utf8), result) in chunk.iter().zip(&results) {
            line_no += 1;
            emit(LineResult {
                line: line_no,
                query,
                invalid_utf8: *invalid_utf8,
                result,
            })?;
        }
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
        search_lines(&input[..], &matcher, &opts, |l| {
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
