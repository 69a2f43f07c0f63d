//! Writing coded rows: the input cells byte for byte, then the suggestion
//! columns (CSV), or one JSON object per row or per diagnosis (JSONL). The
//! layouts are described in the [module documentation](super).
//!
//! Not for deciding codes or checking rows: the caller hands over a
//! finished [`Coded`] row.

use super::Format;
use super::coder::Hit;
use super::reader::Row;
use crate::index::Index;
use csv::ByteRecord;
use std::fmt::Write as _;
use std::io::{self, Write};

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
    /// The cell's complete coding, first-listed first.
    pub coding: &'r [crate::coding::CodedLine],
}

/// An output in one of the two formats.
pub enum Output<W: Write> {
    /// CSV with appended columns.
    Csv {
        /// The writer.
        csv: Box<csv::Writer<W>>,
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
                let mut csv = csv::WriterBuilder::new()
                    .delimiter(layout.delimiter)
                    .terminator(terminator)
                    .flexible(true)
                    .from_writer(out);
                if let Some(h) = layout.header {
                    for f in h.iter() {
                        csv.write_field(f).map_err(io_err)?;
                    }
                    for name in APPENDED {
                        csv.write_field(name).map_err(io_err)?;
                    }
                    csv.write_record(None::<&[u8]>).map_err(io_err)?;
                }
                Ok(Output::Csv {
                    csv: Box::new(csv),
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
            Output::Csv { csv, buf } => {
                for f in row.record.iter() {
                    csv.write_field(f).map_err(io_err)?;
                }
                let mut cell =
                    |csv: &mut csv::Writer<W>, f: &dyn Fn(&mut String, &Part)| -> io::Result<()> {
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
                csv.write_record(None::<&[u8]>).map_err(io_err)
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
            Output::Csv { csv, .. } => csv
                .into_inner()
                .map_err(|e| io::Error::new(e.error().kind(), e.error().to_string())),
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
    write!(out, "{{\"line\":{},\"input\":{{", row.line)?;
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
            serde_json::to_writer(&mut *out, &index.manual(doc.system).system)?;
        }
        None => out.write_all(
            b",\"code\":null,\"title\":null,\"score\":null,\"confidence\":null,\"billable\":null,\"system\":null",
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
    out.write_all(b"}\n")
}
