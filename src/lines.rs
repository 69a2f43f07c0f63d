//! Reading one query per line with a bound on what a line may cost: the
//! `suggest` pipeline and a scripted `shell` keep at most `max + 1` bytes
//! of any line in memory, however long it is, and say how long it was, so
//! a line over `--max-cell` becomes an error line instead of gigabytes.
//!
//! Not for: CSV input (see [`crate::batch::reader`]).

use std::io::{self, BufRead};

/// Default for `--max-cell`: bytes of one query or diagnosis cell.
pub const DEFAULT_MAX_CELL: usize = 10_000;

/// Lines of a reader, each cut to a maximum length.
pub struct BoundedLines<R> {
    input: R,
    max: usize,
    number: u64,
}

impl<R: BufRead> BoundedLines<R> {
    /// Lines of `input`, keeping at most `max` bytes of each.
    pub fn new(input: R, max: usize) -> Self {
        BoundedLines {
            input,
            max,
            number: 0,
        }
    }

    /// 1-based number of the line last read.
    pub fn number(&self) -> u64 {
        self.number
    }

    /// Reads the next line into `buf` (without its `\n` or `\r\n`; only the
    /// first `max` bytes when it is longer) and returns its full length, or
    /// `None` at the end of the input.
    pub fn next_line(&mut self, buf: &mut Vec<u8>) -> io::Result<Option<u64>> {
        buf.clear();
        let mut total: u64 = 0;
        let mut any = false;
        loop {
            let chunk = match self.input.fill_buf() {
                Ok(c) => c,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if chunk.is_empty() {
                break;
            }
            any = true;
            let (part, done) = match chunk.iter().position(|&b| b == b'\n') {
                Some(i) => (&chunk[..i], Some(i + 1)),
                None => (chunk, None),
            };
            let room = (self.max + 1).saturating_sub(buf.len());
            buf.extend_from_slice(&part[..part.len().min(room)]);
            total += part.len() as u64;
            let used = done.unwrap_or(part.len());
            self.input.consume(used);
            if done.is_some() {
                break;
            }
        }
        if !any {
            return Ok(None);
        }
        self.number += 1;
        if buf.last() == Some(&b'\r') && total as usize == buf.len() {
            buf.pop();
            total -= 1;
        }
        buf.truncate(self.max);
        Ok(Some(total))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &[u8], max: usize) -> Vec<(Vec<u8>, u64)> {
        let mut r = BoundedLines::new(io::BufReader::with_capacity(4, text), max);
        let mut buf = Vec::new();
        let mut out = Vec::new();
        while let Some(n) = r.next_line(&mut buf).unwrap() {
            out.push((buf.clone(), n));
        }
        out
    }

    #[test]
    fn lines_are_cut_but_their_length_is_known() {
        let got = lines(b"ab\r\n\nabcdefghij\nxyz", 5);
        assert_eq!(
            got,
            [
                (b"ab".to_vec(), 2),
                (Vec::new(), 0),
                (b"abcde".to_vec(), 10),
                (b"xyz".to_vec(), 3)
            ]
        );
    }
}
