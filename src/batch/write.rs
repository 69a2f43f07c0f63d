//! Writing coded rows: the input row byte for byte (quotes included), then
//! the suggestion columns (CSV), or one JSON object per row or per
//! diagnosis (JSONL). The layouts are described in the
//! [module documentation](super).
//!
//! Not for deciding codes or checking rows: the caller hands over a
//! finished [`Coded`] row.

use super::Format;
use super::coder::Hit;
use super::reader::Row;
use crate::index::Index;
use crate::render::records::SCHEMA_VERSION;
use csv::ByteRecord;
use std::cell::RefCell;
use std::fmt::Write as _;
use std::io::{self, Write};
use std::rc::Rc;

/// The columns appended to every CSV row, in order.
pub const APPENDED: [&str; 9] = [
    "code",
    "title",
    "score",
    "billable",
    "alternatives",
    "needs_review",
    "error",
    "confidence",
    "coding",
];

/// Separates the diagnoses of a split cell inside one CSV cell.
pub const PART_SEPARATOR: &str = " | ";

/// One diagnosis of a row and its codes, best first.
#[derive(Debug, Clone, Copy)]
pub struct Part<'r> {
    /// The diagnosis text as searched.
    pub text: &'r str,
    /// Codes, best first; empty when nothing matched.
    pub hits: &'r [Hit],
    /// The releases the codes are of (the row's date of service).
    pub releases: &'r crate::release::InEffect,
    /// Low score or no match.
    pub needs_review: bool,
}

/// What is appended to one row.
#[derive(Debug)]
pub struct Coded<'r> {
    /// The diagnoses, in the order written; empty when the row was not coded.
    pub parts: Vec<Part<'r>>,
    /// A person should look at this row (low confidence, no match or an error).
    pub needs_review: bool,
    /// The kinds of the encoder edits of the row's codes, `;`-separated.
    pub edits: Option<String>,
    /// The cell's complete coding, first-listed first.
    pub coding: &'r [crate::coding::CodedLine],
}

/// The prefix given to an appended column whose name an input column has.
pub const DEFAULT_PREFIX: &str = "medcoder_";

/// The appended column names: [`APPENDED`], each with `prefix` in front
/// when the input header already has that name (compared trimmed, ASCII
/// case ignored).
pub fn appended_names(header: Option<&ByteRecord>, prefix: &str) -> Vec<String> {
    let taken = |name: &str| {
        header.is_some_and(|h| {
            h.iter()
                .any(|f| String::from_utf8_lossy(f).trim().eq_ignore_ascii_case(name))
        })
    };
    APPENDED
        .iter()
        .map(|&n| {
            let mut name = n.to_string();
            while taken(&name) {
                name = format!("{prefix}{name}");
            }
            name
        })
        .collect()
}

/// A `Write` into a buffer shared with its owner, so the csv writer can
/// quote the appended cells while the row's own bytes are copied as read.
#[derive(Clone, Default)]
pub struct Shared(Rc<RefCell<Vec<u8>>>);

impl Shared {
    /// Moves what was written so far into `out`, keeping the buffer.
    fn drain_into<W: Write + ?Sized>(&self, out: &mut W) -> io::Result<()> {
        let mut buf = self.0.borrow_mut();
        out.write_all(&buf)?;
        buf.clear();
        Ok(())
    }
}

impl Write for Shared {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// An output in one of the two formats.
pub enum Output<W: Write> {
    /// CSV: the input row's bytes, then the appended columns.
    Csv {
        /// The output.
        out: W,
        /// Quotes the appended cells (and a bad row's re-joined cells).
        csv: Box<csv::Writer<Shared>>,
        /// What `csv` wrote.
        encoded: Shared,
        /// Field delimiter.
        delimiter: u8,
        /// Fields per input row.
        width: usize,
        /// Reused cell buffer.
        buf: String,
    },
    /// JSON lines.
    Jsonl {
        /// The writer.
        out: W,
        /// `"name":` of every input column, JSON-escaped.
        keys: Vec<String>,
        /// Emit `part`, `parts` and `diagnosis`.
        split: bool,
    },
}

/// How the input looked, so the output can look the same.
pub struct Layout<'a> {
    /// Header cells, if the input had a header.
    pub header: Option<&'a ByteRecord>,
    /// The header row's bytes as in the input.
    pub header_raw: &'a [u8],
    /// Put before an appended column name that the input already has.
    pub prefix: &'a str,
    /// Fields per row.
    pub width: usize,
    /// Field delimiter.
    pub delimiter: u8,
    /// Input started with a BOM (kept in CSV output).
    pub bom: bool,
    /// Input used CRLF line ends (kept in CSV output).
    pub crlf: bool,
    /// Cells were split into several diagnoses.
    pub split: bool,
    /// An `edits` column is appended (`--check`, `--check-column`).
    pub edits: bool,
}

impl<W: Write> Output<W> {
    /// Starts the output: the BOM and header row for CSV.
    pub fn start(format: Format, mut out: W, layout: &Layout) -> io::Result<Self> {
        match format {
            Format::Csv => {
                if layout.bom {
                    out.write_all(b"\xEF\xBB\xBF")?;
                }
                let terminator = if layout.crlf {
                    csv::Terminator::CRLF
                } else {
                    csv::Terminator::Any(b'\n')
                };
                let encoded = Shared::default();
                let mut csv = csv::WriterBuilder::new()
                    .delimiter(layout.delimiter)
                    .terminator(terminator)
                    .flexible(true)
                    .from_writer(encoded.clone());
                if layout.header.is_some() {
                    out.write_all(layout.header_raw)?;
                    out.write_all(&[layout.delimiter])?;
                    for name in appended_names(layout.header, layout.prefix) {
                        csv.write_field(name).map_err(io_err)?;
                    }
                    if layout.edits {
                        csv.write_field("edits").map_err(io_err)?;
                    }
                    csv.write_record(None::<&[u8]>).map_err(io_err)?;
                    csv.flush()?;
                    encoded.drain_into(&mut out)?;
                }
                Ok(Output::Csv {
                    out,
                    csv: Box::new(csv),
                    encoded,
                    delimiter: layout.delimiter,
                    width: layout.width,
                    buf: String::new(),
                })
            }
            Format::Jsonl => Ok(Output::Jsonl {
                out,
                keys: json_keys(layout.header, layout.width),
                split: layout.split,
            }),
        }
    }

    /// Writes one row.
    pub fn row<D: AsRef<[u8]>>(
        &mut self,
        index: &Index<D>,
        row: &Row,
        coded: &Coded,
    ) -> io::Result<()> {
        match self {
            Output::Csv {
                out,
                csv,
                encoded,
                delimiter,
                width,
                buf,
            } => {
                if row.raw_fields <= *width {
                    // As read, then the empty cells a short row lacks.
                    out.write_all(&row.raw)?;
                    for _ in row.raw_fields..=*width {
                        out.write_all(&[*delimiter])?;
                    }
                } else {
                    // A long row's surplus cells were joined into its last
                    // column, which needs quoting now.
                    for f in row.record.iter() {
                        csv.write_field(f).map_err(io_err)?;
                    }
                }
                let mut cell = |csv: &mut csv::Writer<Shared>,
                                f: &dyn Fn(&mut String, &Part)|
                 -> io::Result<()> {
                    buf.clear();
                    for (i, p) in coded.parts.iter().enumerate() {
                        if i > 0 {
                            buf.push_str(PART_SEPARATOR);
                        }
                        f(buf, p);
                    }
                    csv.write_field(buf.as_bytes()).map_err(io_err)
                };
                cell(csv, &|b, p| {
                    b.push_str(p.hits.first().map_or("", |h| index.doc(h.doc).code))
                })?;
                cell(csv, &|b, p| {
                    b.push_str(p.hits.first().map_or("", |h| index.doc(h.doc).title))
                })?;
                cell(csv, &|b, p| {
                    if let Some(h) = p.hits.first() {
                        let _ = write!(b, "{:.3}", h.score);
                    }
                })?;
                cell(csv, &|b, p| {
                    b.push_str(
                        p.hits
                            .first()
                            .map_or("", |h| yes_no(index.doc(h.doc).billable())),
                    )
                })?;
                cell(csv, &|b, p| {
                    for (i, h) in p.hits.iter().skip(1).enumerate() {
                        if i > 0 {
                            b.push(' ');
                        }
                        b.push_str(index.doc(h.doc).code);
                    }
                })?;
                csv.write_field(yes_no(coded.needs_review))
                    .map_err(io_err)?;
                csv.write_field(row.problems.join("; ")).map_err(io_err)?;
                cell(csv, &|b, p| {
                    if let Some(h) = p.hits.first() {
                        let _ = write!(b, "{:.3}", h.confidence);
                    }
                })?;
                let codes: Vec<&str> = coded.coding.iter().map(|l| l.code.as_str()).collect();
                csv.write_field(codes.join(" ")).map_err(io_err)?;
                if let Some(e) = &coded.edits {
                    csv.write_field(e).map_err(io_err)?;
                }
                csv.write_record(None::<&[u8]>).map_err(io_err)?;
                csv.flush()?;
                encoded.drain_into(out)
            }
            Output::Jsonl { out, keys, split } => {
                if coded.parts.is_empty() {
                    return write_object(out, keys, index, row, None, coded);
                }
                for (i, p) in coded.parts.iter().enumerate() {
                    let part = split.then_some((i + 1, coded.parts.len(), p.text));
                    write_object(out, keys, index, row, Some((p, part)), coded)?;
                }
                Ok(())
            }
        }
    }

    /// Flushes and returns the underlying writer.
    pub fn finish(self) -> io::Result<W> {
        match self {
            Output::Csv { mut out, .. } => {
                out.flush()?;
                Ok(out)
            }
            Output::Jsonl { mut out, .. } => {
                out.flush()?;
                Ok(out)
            }
        }
    }
}

/// The csv writer's error as the I/O error it wraps, so a closed pipe is
/// still recognised as one.
fn io_err(e: csv::Error) -> io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    }
}

fn yes_no(b: bool) -> &'static str {
    if b { "true" } else { "false" }
}

/// `"name":` for every column: header names (a repeated name gets `#2`,
/// `#3`), or 1-based column numbers without a header.
fn json_keys(header: Option<&ByteRecord>, width: usize) -> Vec<String> {
    let mut names: Vec<String> = Vec::with_capacity(width);
    for i in 0..width {
        let base = match header.and_then(|h| h.get(i)) {
            Some(f) => String::from_utf8_lossy(f).into_owned(),
            None => (i + 1).to_string(),
        };
        let mut name = base.clone();
        let mut n = 1;
        while names.contains(&name) {
            n += 1;
            name = format!("{base}#{n}");
        }
        names.push(name);
    }
    names
        .iter()
        .map(|n| format!("{}:", serde_json::Value::from(n.as_str())))
        .collect()
}

type PartInfo<'p> = (&'p Part<'p>, Option<(usize, usize, &'p str)>);

fn write_object<W: Write, D: AsRef<[u8]>>(
    out: &mut W,
    keys: &[String],
    index: &Index<D>,
    row: &Row,
    part: Option<PartInfo>,
    coded: &Coded,
) -> io::Result<()> {
    let needs_review = part.map_or(coded.needs_review, |(p, _)| p.needs_review);
    write!(
        out,
        "{{\"schema_version\":{SCHEMA_VERSION},\"line\":{},\"input\":{{",
        row.line
    )?;
    for (i, (k, f)) in keys.iter().zip(row.record.iter()).enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        out.write_all(k.as_bytes())?;
        serde_json::to_writer(&mut *out, &*String::from_utf8_lossy(f))?;
    }
    out.write_all(b"}")?;
    if let Some((_, Some((k, n, text)))) = part {
        write!(out, ",\"part\":{k},\"parts\":{n},\"diagnosis\":")?;
        serde_json::to_writer(&mut *out, text)?;
    }
    let hits = part.map_or(&[][..], |(p, _)| p.hits);
    let releases = part.map(|(p, _)| p.releases);
    match hits.first() {
        Some(top) => {
            let doc = index.doc(top.doc);
            out.write_all(b",\"code\":")?;
            serde_json::to_writer(&mut *out, doc.code)?;
            out.write_all(b",\"title\":")?;
            serde_json::to_writer(&mut *out, doc.title)?;
            write!(out, ",\"score\":")?;
            serde_json::to_writer(&mut *out, &top.score)?;
            write!(out, ",\"confidence\":")?;
            serde_json::to_writer(&mut *out, &top.confidence)?;
            write!(out, ",\"billable\":{},\"system\":", doc.billable())?;
            let manual = index.manual(doc.system);
            serde_json::to_writer(&mut *out, &manual.system)?;
            out.write_all(b",\"version\":")?;
            let version = releases.map_or(manual.version.as_str(), |r| r.version(doc.system));
            serde_json::to_writer(&mut *out, version)?;
        }
        None => out.write_all(
            b",\"code\":null,\"title\":null,\"score\":null,\"confidence\":null,\"billable\":null,\"system\":null,\"version\":null",
        )?,
    }
    out.write_all(b",\"alternatives\":[")?;
    for (i, h) in hits.iter().skip(1).enumerate() {
        let doc = index.doc(h.doc);
        if i > 0 {
            out.write_all(b",")?;
        }
        out.write_all(b"{\"code\":")?;
        serde_json::to_writer(&mut *out, doc.code)?;
        out.write_all(b",\"title\":")?;
        serde_json::to_writer(&mut *out, doc.title)?;
        out.write_all(b",\"score\":")?;
        serde_json::to_writer(&mut *out, &h.score)?;
        write!(out, ",\"billable\":{}}}", doc.billable())?;
    }
    out.write_all(b"],\"coding\":")?;
    serde_json::to_writer(&mut *out, coded.coding)?;
    write!(out, ",\"needs_review\":{needs_review},\"error\":")?;
    if row.problems.is_empty() {
        out.write_all(b"null")?;
    } else {
        serde_json::to_writer(&mut *out, &row.problems.join("; "))?;
    }
    if let Some(e) = &coded.edits {
        out.write_all(b",\"edits\":")?;
        serde_json::to_writer(&mut *out, e)?;
    }
    out.write_all(b"}\n")
}
