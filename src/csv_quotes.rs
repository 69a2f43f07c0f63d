//! Strict quotes for every CSV medcoder reads (batch input, `import csv`,
//! manuals): a quoted field still open at the end of the input, or running
//! over more than a set number of lines, is an error naming the line where
//! the quote opened. The `csv` crate alone ends such a field at the end of
//! the file, so one stray quote silently swallows every row after it.
//!
//! [`QuoteCheck`] wraps the reader the `csv` crate reads from and follows
//! the same quoting rules (RFC 4180: a quote opens a field only at its
//! start; `""` inside is a quote). Its error reaches the caller as the
//! `csv` crate's I/O error; its message has the line and the fix.
//! Not for: any other CSV check (field counts, UTF-8: the readers do those).

use std::io::Read;

/// Default for `--max-quoted-lines`: lines one quoted field may span.
pub const DEFAULT_MAX_QUOTED_LINES: u64 = 10_000;

/// What is wrong with a quote.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QuoteError {
    /// The input ended inside a quoted field.
    #[error(
        "line {line}: a quoted field opens here and is never closed; close it with a quote (\"), and write a quote inside a field as two (\"\")"
    )]
    Unclosed {
        /// 1-based line where the quote opened.
        line: u64,
    },
    /// A quoted field ran over more lines than allowed.
    #[error(
        "line {line}: a quoted field opens here and runs over more than {max} lines; is a quote left open? (if the field really is that long, raise --max-quoted-lines)"
    )]
    TooManyLines {
        /// 1-based line where the quote opened.
        line: u64,
        /// The limit.
        max: u64,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// At the start of a field.
    FieldStart,
    /// In a field that did not start with a quote.
    Unquoted,
    /// Inside quotes, opened on `line`, `lines` line breaks ago.
    Quoted,
    /// A quote inside a quoted field: its end, or the first of `""`.
    QuoteInQuoted,
}

/// A reader that follows CSV quoting and fails on a runaway quote.
pub struct QuoteCheck<R> {
    inner: R,
    delimiter: u8,
    max_lines: u64,
    state: State,
    line: u64,
    opened: u64,
    pending: Option<QuoteError>,
}

impl<R: Read> QuoteCheck<R> {
    /// Checks `inner`, a CSV with `delimiter`, allowing `max_lines` lines
    /// per quoted field.
    pub fn new(inner: R, delimiter: u8, max_lines: u64) -> Self {
        QuoteCheck {
            inner,
            delimiter,
            max_lines: max_lines.max(1),
            state: State::FieldStart,
            line: 1,
            opened: 0,
            pending: None,
        }
    }

    /// Follows `bytes`; returns how many may be delivered before an error
    /// (which is then pending).
    fn scan(&mut self, bytes: &[u8]) -> usize {
        for (i, &b) in bytes.iter().enumerate() {
            self.state = match (self.state, b) {
                (State::FieldStart, b'"') => {
                    self.opened = self.line;
                    State::Quoted
                }
                (State::Quoted, b'"') => State::QuoteInQuoted,
                (State::QuoteInQuoted, b'"') => State::Quoted,
                (State::Quoted, _) => State::Quoted,
                (_, b'\n') => State::FieldStart,
                (_, d) if d == self.delimiter => State::FieldStart,
                (State::FieldStart | State::Unquoted | State::QuoteInQuoted, _) => State::Unquoted,
            };
            if b == b'\n' {
                self.line += 1;
                if self.state == State::Quoted && self.line - self.opened >= self.max_lines {
                    self.pending = Some(QuoteError::TooManyLines {
                        line: self.opened,
                        max: self.max_lines,
                    });
                    return i + 1;
                }
            }
        }
        bytes.len()
    }
}

impl<R: Read> Read for QuoteCheck<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if let Some(e) = &self.pending {
            return Err(std::io::Error::other(e.clone()));
        }
        let n = self.inner.read(buf)?;
        if n == 0 && self.state == State::Quoted {
            let e = QuoteError::Unclosed { line: self.opened };
            self.pending = Some(e.clone());
            return Err(std::io::Error::other(e));
        }
        Ok(self.scan(&buf[..n]))
    }
}

/// The quote error behind a `csv` crate error, if that is what it is.
pub fn quote_error(e: &csv::Error) -> Option<&QuoteError> {
    match e.kind() {
        csv::ErrorKind::Io(io) => io.get_ref()?.downcast_ref::<QuoteError>(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn records(text: &str, max: u64) -> Result<usize, QuoteError> {
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(QuoteCheck::new(text.as_bytes(), b',', max));
        let mut n = 0;
        for r in rdr.byte_records() {
            match r {
                Ok(_) => n += 1,
                Err(e) => return Err(quote_error(&e).cloned().expect("a quote error")),
            }
        }
        Ok(n)
    }

    #[test]
    fn closed_quotes_escaped_quotes_and_inner_quotes_are_fine() {
        assert_eq!(records("a,\"b,\"\"c\"\"\nd\"\nx\"y,z\n", 10), Ok(2));
        assert_eq!(records("a,\"b\"c,d\n", 10), Ok(1));
    }

    #[test]
    fn an_unclosed_quote_names_its_line() {
        assert_eq!(
            records("id,dx\n1,ok\n2,\"open\n3,more\n", 10),
            Err(QuoteError::Unclosed { line: 3 })
        );
    }

    #[test]
    fn a_quote_over_too_many_lines_names_its_line() {
        let text = format!("a\n\"{}\"\n", "x\n".repeat(5));
        assert_eq!(records(&text, 6), Ok(2));
        assert_eq!(
            records(&text, 5),
            Err(QuoteError::TooManyLines { line: 2, max: 5 })
        );
    }
}
