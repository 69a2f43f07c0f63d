//! Reading the input CSV in chunks of raw records: the BOM, the line ends,
//! the header, the chosen column, and the structural checks (field count,
//! UTF-8) that make a row bad. Each row keeps its bytes exactly as they
//! were in the file (quotes included) so it is written back unchanged, and
//! its parsed cells for coding.
//!
//! Not for deciding what a cell means: coding is in [`super::coder`].

use super::Error;
use crate::csv_quotes::QuoteCheck;
use csv::ByteRecord;
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read};

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The longest record accepted, in bytes. A longer one is almost always an
/// unclosed quote swallowing the rest of the file; stopping keeps memory
/// bounded and points at the line where the quote opened.
pub const MAX_RECORD_BYTES: u64 = 16 * 1024 * 1024;

/// One input record, as read.
#[derive(Debug, Default)]
pub struct Row {
    /// 1-based line where the record starts.
    pub line: u64,
    /// The cells, padded or merged to the header's width (see `problems`).
    pub record: ByteRecord,
    /// The record's bytes as in the input, without its line end.
    pub raw: Vec<u8>,
    /// Fields in `raw` (differs from `record.len()` for a bad row).
    pub raw_fields: usize,
    /// What is wrong with the row, for the `error` column; empty if nothing.
    pub problems: Vec<String>,
    /// False when the coded cell cannot be trusted (missing, shifted, not
    /// UTF-8): the row is written without a code.
    pub codable: bool,
}

/// The input: a CSV reader that has read the header and found the column.
pub struct Input<R: Read> {
    csv: csv::Reader<Guard<QuoteCheck<BufReader<R>>>>,
    source_name: String,
    delimiter: u8,
    header: Option<ByteRecord>,
    header_raw: Vec<u8>,
    first: Option<(ByteRecord, Vec<u8>, u64)>,
    width: usize,
    column: usize,
    bom: bool,
    crlf: bool,
    done: bool,
}

impl<R: Read> Input<R> {
    /// Opens `input`, reads the header (or the first row with
    /// `has_header == false`) and resolves `column` (a name or a 1-based
    /// number). A quoted field may span `max_quoted_lines` lines.
    pub fn open(
        input: R,
        source_name: &str,
        delimiter: u8,
        has_header: bool,
        column: &str,
        max_quoted_lines: u64,
    ) -> Result<Self, Error> {
        let mut buf = BufReader::with_capacity(256 * 1024, input);
        let peek = buf.fill_buf().map_err(|e| Error::read(source_name, e))?;
        let bom = peek.starts_with(BOM);
        let crlf = peek
            .iter()
            .position(|&b| b == b'\n')
            .is_some_and(|i| i > 0 && peek[i - 1] == b'\r');
        if bom {
            buf.consume(BOM.len());
        }
        let csv = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(Guard::new(QuoteCheck::new(
                buf,
                delimiter,
                max_quoted_lines,
            )));
        let mut input = Input {
            csv,
            source_name: source_name.to_string(),
            delimiter,
            header: None,
            header_raw: Vec::new(),
            first: None,
            width: 0,
            column: 0,
            bom,
            crlf,
            done: false,
        };
        let mut first = ByteRecord::new();
        let mut raw = Vec::new();
        let Some(line) = input.read_record(&mut first, &mut raw)? else {
            input.done = true;
            return Ok(input);
        };
        input.width = first.len();
        input.column = resolve_column(
            source_name,
            has_header.then_some(&first),
            input.width,
            column,
        )?;
        if has_header {
            input.header = Some(first);
            input.header_raw = raw;
        } else {
            input.first = Some((first, raw, line));
        }
        Ok(input)
    }

    /// The header row, if the file has one.
    pub fn header(&self) -> Option<&ByteRecord> {
        self.header.as_ref()
    }

    /// The header row's bytes as in the input, without its line end.
    pub fn header_raw(&self) -> &[u8] {
        &self.header_raw
    }

    /// Fields per row (from the header, or the first row without one).
    pub fn width(&self) -> usize {
        self.width
    }

    /// 0-based index of the coded column.
    pub fn column(&self) -> usize {
        self.column
    }

    /// The input started with a UTF-8 byte order mark.
    pub fn bom(&self) -> bool {
        self.bom
    }

    /// The input's first line ended with CRLF.
    pub fn crlf(&self) -> bool {
        self.crlf
    }

    /// The field delimiter.
    pub fn delimiter(&self) -> u8 {
        self.delimiter
    }

    /// Bytes of input consumed so far.
    pub fn bytes_read(&self) -> u64 {
        self.csv.position().byte() + if self.bom { BOM.len() as u64 } else { 0 }
    }

    /// Refills `rows` with up to `max` records; an empty `rows` means the
    /// input is finished. Allocations of earlier chunks are reused.
    pub fn read_chunk(&mut self, rows: &mut Vec<Row>, max: usize) -> Result<(), Error> {
        let mut n = 0;
        while n < max && !self.done {
            if n == rows.len() {
                rows.push(Row::default());
            }
            let row = &mut rows[n];
            if let Some((first, raw, line)) = self.first.take() {
                row.record = first;
                row.raw = raw;
                row.line = line;
            } else if let Some(line) = self.read_record(&mut row.record, &mut row.raw)? {
                row.line = line;
            } else {
                self.done = true;
                break;
            }
            self.check(row);
            n += 1;
        }
        rows.truncate(n);
        Ok(())
    }

    /// Reads one record and its bytes as in the input; returns the line
    /// where it starts, or `None` at the end of the input.
    fn read_record(
        &mut self,
        record: &mut ByteRecord,
        raw: &mut Vec<u8>,
    ) -> Result<Option<u64>, Error> {
        let start = self.csv.position().clone();
        let guard = self.csv.get_ref();
        guard.stop_after.set(start.byte() + MAX_RECORD_BYTES);
        match self.csv.read_byte_record(record) {
            Ok(false) => Ok(None),
            Ok(true) => {
                let end = self.csv.position().byte();
                self.csv.get_ref().take_raw(start.byte(), end, raw);
                Ok(Some(self.start_line(record)))
            }
            Err(_) if self.csv.get_ref().tripped.get() => Err(Error::RecordTooLarge {
                source_name: self.source_name.clone(),
                line: start.line() + u64::from(self.crlf && start.byte() > 0),
            }),
            Err(e) => Err(Error::csv(&self.source_name, &e)),
        }
    }

    /// The line where the record just read starts. The csv reader's own
    /// record position is taken before skipped blank lines and, with CRLF
    /// line ends, before the previous record's `\n`; so count back from the
    /// record's end instead: the lines before its end, minus the line breaks
    /// inside its cells, minus its own terminating `\n` if it was consumed.
    fn start_line(&self, record: &ByteRecord) -> u64 {
        let end = self.csv.position().byte();
        let (before, ends_with_newline) = self.csv.get_ref().newlines_before(end);
        let inside = record.as_slice().iter().filter(|&&b| b == b'\n').count() as u64;
        (1 + before).saturating_sub(inside + u64::from(ends_with_newline))
    }

    /// Field count and UTF-8: fills `problems` and `codable`, and makes the
    /// record exactly `width` fields wide so the appended columns line up.
    fn check(&self, row: &mut Row) {
        row.problems.clear();
        row.codable = true;
        let len = row.record.len();
        row.raw_fields = len;
        if len != self.width {
            row.codable = false;
            row.problems.push(if len < self.width {
                format!("{len} fields where the header has {}; padded with empty cells", self.width)
            } else {
                format!(
                    "{len} fields where the header has {}; fields {}-{len} were joined into the last column (check quoting of the delimiter)",
                    self.width, self.width
                )
            });
            row.record = fit(&row.record, self.width, self.delimiter);
        }
        if let Some(bad) = row
            .record
            .iter()
            .position(|f| std::str::from_utf8(f).is_err())
        {
            if bad == self.column {
                row.codable = false;
            }
            row.problems.push(format!(
                "invalid UTF-8 in field {} (save the file as UTF-8)",
                bad + 1
            ));
        }
    }
}

/// Counts line breaks as the bytes go by (for the line of each record)
/// and stops reading when one record grows past [`MAX_RECORD_BYTES`], so
/// an unclosed quote cannot pull a whole file into memory.
struct Guard<R> {
    inner: R,
    delivered: u64,
    newlines: u64,
    /// Offsets of the line breaks not yet behind the last record's end.
    recent: RefCell<VecDeque<u64>>,
    /// The bytes delivered from offset `raw_base` on (the record being
    /// read and what the csv reader has buffered past it).
    raw: RefCell<Vec<u8>>,
    raw_base: Cell<u64>,
    stop_after: Cell<u64>,
    tripped: Cell<bool>,
}

impl<R> Guard<R> {
    fn new(inner: R) -> Self {
        Guard {
            inner,
            delivered: 0,
            newlines: 0,
            recent: RefCell::new(VecDeque::new()),
            raw: RefCell::new(Vec::new()),
            raw_base: Cell::new(0),
            stop_after: Cell::new(MAX_RECORD_BYTES),
            tripped: Cell::new(false),
        }
    }

    /// Copies the input bytes `start..end` (one record, as the csv reader's
    /// positions bound it) into `out` without the line ends around it (a
    /// record's own bytes never start or end with one: a quoted cell ends
    /// in its quote), and forgets the bytes before `end`.
    fn take_raw(&self, start: u64, end: u64, out: &mut Vec<u8>) {
        let mut raw = self.raw.borrow_mut();
        let base = self.raw_base.get();
        let from = usize::try_from(start.saturating_sub(base)).unwrap_or(usize::MAX);
        let to = usize::try_from(end.saturating_sub(base)).unwrap_or(usize::MAX);
        let bytes = raw
            .get(from.min(raw.len())..to.min(raw.len()))
            .unwrap_or(&[]);
        let first = bytes.iter().position(|b| !matches!(b, b'\r' | b'\n'));
        let last = bytes.iter().rposition(|b| !matches!(b, b'\r' | b'\n'));
        out.clear();
        if let (Some(a), Some(z)) = (first, last) {
            out.extend_from_slice(&bytes[a..=z]);
        }
        let done = to.min(raw.len());
        raw.drain(..done);
        self.raw_base.set(base.max(end));
    }

    /// Line breaks in the bytes before `offset`, and whether the byte just
    /// before `offset` is one. Offsets must not decrease between calls.
    fn newlines_before(&self, offset: u64) -> (u64, bool) {
        let mut recent = self.recent.borrow_mut();
        while recent.front().is_some_and(|&o| o + 1 < offset) {
            recent.pop_front();
        }
        let after = recent.iter().filter(|&&o| o >= offset).count() as u64;
        let last = recent.front().is_some_and(|&o| o + 1 == offset);
        (self.newlines - after, last)
    }
}

impl<R: Read> Read for Guard<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.delivered > self.stop_after.get() {
            self.tripped.set(true);
            return Err(std::io::Error::other("record too large"));
        }
        let n = self.inner.read(buf)?;
        self.raw.get_mut().extend_from_slice(&buf[..n]);
        let recent = self.recent.get_mut();
        for (i, _) in buf[..n].iter().enumerate().filter(|(_, b)| **b == b'\n') {
            recent.push_back(self.delivered + i as u64);
            self.newlines += 1;
        }
        self.delivered += n as u64;
        Ok(n)
    }
}

/// Pads `record` with empty fields, or joins its surplus fields (with the
/// delimiter) into the last one, so that it has `width` fields and no byte
/// is lost.
fn fit(record: &ByteRecord, width: usize, delimiter: u8) -> ByteRecord {
    let mut out = ByteRecord::with_capacity(record.as_slice().len() + record.len(), width);
    if record.len() < width {
        out.extend(record.iter());
        for _ in record.len()..width {
            out.push_field(b"");
        }
        return out;
    }
    for f in record.iter().take(width.saturating_sub(1)) {
        out.push_field(f);
    }
    let mut last = Vec::new();
    for (i, f) in record.iter().enumerate().skip(width.saturating_sub(1)) {
        if i + 1 > width {
            last.push(delimiter);
        }
        last.extend_from_slice(f);
    }
    out.push_field(&last);
    out
}

/// Finds the coded column: an exact header name, else a unique
/// case-insensitive one, else a 1-based number.
pub(crate) fn resolve_column(
    source_name: &str,
    header: Option<&ByteRecord>,
    width: usize,
    column: &str,
) -> Result<usize, Error> {
    if let Some(h) = header {
        let names: Vec<String> = h
            .iter()
            .map(|f| String::from_utf8_lossy(f).trim().to_string())
            .collect();
        if let Some(i) = names.iter().position(|n| n == column) {
            return Ok(i);
        }
        let folded: Vec<usize> = (0..names.len())
            .filter(|&i| names[i].eq_ignore_ascii_case(column.trim()))
            .collect();
        if let [i] = folded[..] {
            return Ok(i);
        }
        if !column.bytes().all(|b| b.is_ascii_digit()) || column.is_empty() {
            return Err(Error::MissingColumn {
                source_name: source_name.to_string(),
                name: column.to_string(),
                width: names.len(),
            });
        }
    }
    match column.parse::<usize>() {
        Ok(n) if (1..=width).contains(&n) => Ok(n - 1),
        Ok(n) => Err(Error::ColumnOutOfRange {
            source_name: source_name.to_string(),
            number: n,
            width,
        }),
        Err(_) => Err(Error::NameWithoutHeader {
            source_name: source_name.to_string(),
            name: column.to_string(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_pads_short_rows_and_joins_long_ones_without_losing_bytes() {
        let short = ByteRecord::from(vec!["a"]);
        assert_eq!(fit(&short, 3, b','), ByteRecord::from(vec!["a", "", ""]));
        let long = ByteRecord::from(vec!["a", "b", "c", "d"]);
        assert_eq!(fit(&long, 2, b','), ByteRecord::from(vec!["a", "b,c,d"]));
    }

    #[test]
    fn column_by_name_case_or_number() {
        let h = ByteRecord::from(vec!["id", "Diagnosis"]);
        assert_eq!(resolve_column("x", Some(&h), 2, "Diagnosis").ok(), Some(1));
        assert_eq!(resolve_column("x", Some(&h), 2, "diagnosis").ok(), Some(1));
        assert_eq!(resolve_column("x", Some(&h), 2, "1").ok(), Some(0));
        assert!(matches!(
            resolve_column("x", Some(&h), 2, "dx"),
            Err(Error::MissingColumn { .. })
        ));
        assert!(matches!(
            resolve_column("x", None, 2, "3"),
            Err(Error::ColumnOutOfRange { .. })
        ));
    }
}
