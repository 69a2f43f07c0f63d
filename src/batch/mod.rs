//! Batch coding of encounter CSVs (`medcoder batch`): every input row comes
//! back byte for byte (quotes included), in order, with suggestion columns
//! appended.
//!
//! The input is streamed in chunks of [`CHUNK_ROWS`] raw records
//! ([`reader`]); the distinct diagnoses of a chunk are searched in parallel
//! with the same [`Matcher::search`] and options as `medcoder suggest`, and
//! remembered across chunks ([`coder`]); rows are written in input order
//! ([`write`]). Memory is bounded by the chunk size, whatever the file size.
//!
//! # CSV layout
//!
//! The input row's bytes as read, then `code`, `title`, `score` (0..1,
//! three decimals), `billable` (`true`/`false`), `alternatives` (the next
//! `-n` codes, space-separated), `needs_review` (`true`/`false`) and
//! `error` (empty, or what was wrong with the row). An appended name the
//! input header already has gets `--prefix` (default `medcoder_`) in
//! front. The delimiter, a BOM and CRLF line ends are kept as in the
//! input; a header row is written only when the input has one.
//! `needs_review` is true when the best score is below `--min-score`, when
//! nothing matched, when the diagnosis cell is empty (no diagnosis yet: not
//! an error, counted apart in the [`Summary`]), or when the row has an
//! error.
//!
//! With `--split`, a cell holds several diagnoses; each of `code`, `title`,
//! `score`, `billable` and `alternatives` then holds one entry per
//! diagnosis, in the order written, separated by [`write::PART_SEPARATOR`]
//! (`" | "`); a diagnosis with no match leaves its entry empty, so entries
//! line up across the columns. `needs_review` is true if any diagnosis
//! needs review.
//!
//! # JSONL layout
//!
//! One object per row: `{"schema_version": 1, "line": 2, "input": {"id":
//! "1", "diagnosis": "HTN"}, "code": "I10", "title": "...", "score": 0.931,
//! "billable": true, "system": "icd10cm", "version": "2026", "alternatives": [{"code", "title", "score",
//! "billable"}, ...], "needs_review": false, "error": null}`. `line` is the
//! input line where the row starts; `input` holds the cells keyed by header
//! name (a repeated name gets `#2`, `#3`; without a header the keys are the
//! 1-based column numbers); JSON cannot carry invalid UTF-8, so such cells
//! are written with U+FFFD (and the row's `error` says so). With `--split`
//! there is one object per diagnosis, in the order written, each with
//! `"part"` (1-based), `"parts"` and `"diagnosis"` (the text searched); a
//! row that could not be coded still gives one object, with `code: null`.
//!
//! # Bad rows
//!
//! A row with the wrong number of fields (padded with empty cells, or its
//! surplus fields joined into the last column with the delimiter, so no
//! byte is lost; such a row is the one written re-quoted), invalid UTF-8,
//! or an enormous (over `--max-cell` bytes) diagnosis cell is written with `error` filled and
//! reported through [`Event::RowError`] with its line; the run goes on.
//! Messages give positions, never cell contents.
//!
//! # Exit codes (see `cli::batch`)
//!
//! 0: rows were coded and no row had an error; 1: no row got a code (or the
//! input had no rows); 2: at least one row had an error, or the run failed.
//!
//! Not for printing or progress bars: the CLI does that from [`Event`]s.

pub mod coder;
pub mod lines;
pub mod reader;
pub mod workers;
pub mod write;

use crate::search::Matcher;
use coder::Coder;
use reader::{Input, Row};
use std::io::{Read, Write};
use write::{Coded, Layout, Output, Part};

/// Rows read, coded and written together.
pub const CHUNK_ROWS: usize = 4096;

/// Default largest diagnosis cell, in bytes.
pub const DEFAULT_MAX_CELL: usize = crate::lines::DEFAULT_MAX_CELL;

/// Output formats.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Format {
    /// The input CSV with suggestion columns appended.
    #[default]
    Csv,
    /// One JSON object per row (per diagnosis with `--split`).
    Jsonl,
}

/// What to code and how.
#[derive(Debug, Clone)]
pub struct Options {
    /// The diagnosis column: a header name or a 1-based number.
    pub column: String,
    /// Field delimiter.
    pub delimiter: u8,
    /// The first row is a header.
    pub has_header: bool,
    /// Output format.
    pub format: Format,
    /// Codes listed after the best one.
    pub alternatives: usize,
    /// Below this best score a row needs review.
    pub min_score: f32,
    /// Splits a cell into several diagnoses (e.g. `;`).
    pub split: Option<String>,
    /// Longest diagnosis cell accepted, in bytes.
    pub max_cell: usize,
    /// Lines a quoted field may span (see [`crate::csv_quotes`]).
    pub max_quoted_lines: u64,
    /// Search only these systems; empty: as `suggest` routes.
    pub systems: Vec<String>,
    /// The date of service of rows without their own.
    pub date: crate::release::Date,
    /// The column holding each row's date of service (YYYY-MM-DD): a
    /// header name or a 1-based number.
    pub date_column: Option<String>,
    /// Append an `edits` column: encoder edits of the codes assigned (a
    /// `--split` row is one encounter).
    pub check: bool,
    /// Append an `edits` column for the codes already in this column (a
    /// header name or a 1-based number) instead.
    pub check_column: Option<String>,
    /// Put before an appended CSV column name the input already has.
    pub prefix: String,
}

/// What happened, for the caller to show.
#[derive(Debug)]
pub enum Event<'a> {
    /// A row had a problem; it is written with `error` filled.
    RowError {
        /// 1-based line where the row starts.
        line: u64,
        /// What is wrong (never the cell contents).
        message: &'a str,
    },
    /// A chunk was written.
    Progress {
        /// Rows so far.
        rows: u64,
        /// Input bytes read so far.
        bytes: u64,
    },
}

/// Counts of a finished run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    /// Rows read (not counting the header).
    pub rows: u64,
    /// Rows with at least one code.
    pub coded: u64,
    /// Rows with `needs_review` true (errors included, empty cells not).
    pub needs_review: u64,
    /// Rows whose diagnosis cell is empty (no code, `needs_review` true,
    /// not an error).
    pub empty: u64,
    /// Rows with `error` filled.
    pub errors: u64,
}

/// A run that could not go on.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Reading the input failed.
    #[error("{source_name}: {source}")]
    Read {
        /// The input's name.
        source_name: String,
        /// The cause.
        source: std::io::Error,
    },
    /// The CSV could not be parsed.
    #[error("{source_name}: {message}")]
    Csv {
        /// The input's name.
        source_name: String,
        /// What the csv crate said, with its position.
        message: String,
    },
    /// One record is longer than [`reader::MAX_RECORD_BYTES`].
    #[error(
        "{source_name}: line {line}: a record longer than {} MiB starts here; is a quote left open?",
        reader::MAX_RECORD_BYTES >> 20
    )]
    RecordTooLarge {
        /// The input's name.
        source_name: String,
        /// Line where the record starts.
        line: u64,
    },
    /// `--column NAME` is not in the header. The header's names are not
    /// printed: without a header row they would be a patient's data.
    #[error(
        "{source_name}: no column named '{name}' in the first row ({width} columns); give --column as a header name exactly as written there, or as a number from 1 to {width}; if the file has no header row, add --no-header"
    )]
    MissingColumn {
        /// The input's name.
        source_name: String,
        /// The name asked for.
        name: String,
        /// Columns in the first row.
        width: usize,
    },
    /// `--column N` is past the last column.
    #[error("{source_name}: there is no column {number}; rows have {width} columns (1 to {width})")]
    ColumnOutOfRange {
        /// The input's name.
        source_name: String,
        /// The number asked for.
        number: usize,
        /// Columns in a row.
        width: usize,
    },
    /// A column name given for a header-less file.
    #[error(
        "{source_name}: with --no-header give the column as a number (1 is the first), not '{name}'"
    )]
    NameWithoutHeader {
        /// The input's name.
        source_name: String,
        /// The name given.
        name: String,
    },
    /// The output file could not be opened or finished (see
    /// [`crate::outfile`]).
    #[error(transparent)]
    Output(#[from] crate::Error),
    /// Writing the output failed.
    #[error("{path}: {source}")]
    Write {
        /// The output's name.
        path: String,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
}

impl Error {
    fn read(source_name: &str, source: std::io::Error) -> Error {
        Error::Read {
            source_name: source_name.to_string(),
            source,
        }
    }

    fn csv(source_name: &str, e: &csv::Error) -> Error {
        match crate::Error::csv(source_name, e) {
            crate::Error::Csv {
                source_name,
                message,
            } => Error::Csv {
                source_name,
                message,
            },
            other => Error::Csv {
                source_name: source_name.to_string(),
                message: other.to_string(),
            },
        }
    }
}

/// Codes every row of `input` (named `source_name` in messages) and writes
/// them to `output` (named `output_name`), in input order.
pub fn run<R: Read, W: Write, D: AsRef<[u8]> + Sync>(
    matcher: &Matcher<D>,
    input: R,
    source_name: &str,
    output: W,
    output_name: &str,
    opts: &Options,
    on_event: &mut dyn FnMut(Event),
) -> Result<Summary, Error> {
    let write_err = |source| Error::Write {
        path: output_name.to_string(),
        source,
    };
    let mut input = Input::open(
        input,
        source_name,
        opts.delimiter,
        opts.has_header,
        &opts.column,
        opts.max_quoted_lines,
    )?;
    let layout = Layout {
        header: input.header(),
        header_raw: input.header_raw(),
        prefix: &opts.prefix,
        width: input.width(),
        delimiter: input.delimiter(),
        bom: input.bom(),
        crlf: input.crlf(),
        split: opts.split.is_some(),
        edits: opts.check || opts.check_column.is_some(),
    };
    let check_column = match &opts.check_column {
        Some(c) => Some(reader::resolve_column(
            source_name,
            input.header(),
            input.width(),
            c,
        )?),
        None => None,
    };
    let edits = layout.edits;
    // One checker per releases in effect (the rows' dates select them).
    let mut checkers: Vec<Option<crate::check::Checker<D>>> = Vec::new();
    let mut out = Output::start(opts.format, output, &layout).map_err(write_err)?;
    let mut coder = Coder::new(
        matcher,
        opts.alternatives,
        opts.systems.clone(),
        opts.split.clone(),
        opts.date,
    );
    let column = input.column();
    let date_column = opts
        .date_column
        .as_deref()
        .map(|c| reader::resolve_column(source_name, input.header(), input.width(), c))
        .transpose()?;
    let mut keys: Vec<coder::ReleaseKey> = Vec::with_capacity(CHUNK_ROWS);
    let mut summary = Summary::default();
    let mut rows: Vec<Row> = Vec::with_capacity(CHUNK_ROWS);
    loop {
        input.read_chunk(&mut rows, CHUNK_ROWS)?;
        if rows.is_empty() {
            break;
        }
        for row in rows.iter_mut().filter(|r| r.codable) {
            check_cell(row, column, opts.max_cell);
        }
        keys.clear();
        for row in rows.iter_mut() {
            let date = date_column.and_then(|c| row_date(row, c));
            keys.push(coder.release_key(date));
        }
        coder.prepare(
            rows.iter()
                .zip(&keys)
                .filter(|(r, _)| r.codable)
                .map(|(r, k)| (cell(r, column), *k)),
        );
        for (row, key) in rows.iter().zip(&keys) {
            let mut coded = code_row(&coder, row, column, opts.min_score, *key);
            if edits {
                let k = usize::from(*key);
                if checkers.len() <= k {
                    checkers.resize_with(k + 1, || None);
                }
                let ck = checkers[k].get_or_insert_with(|| {
                    crate::check::Checker::in_releases(
                        matcher.index(),
                        coder.releases(*key).clone(),
                    )
                });
                let codes = match check_column {
                    Some(c) => crate::check::parse_encounter(cell(row, c))
                        .map_err(|e| format!("check column: token {} is not a code", e.position)),
                    None => Ok(coded
                        .parts
                        .iter()
                        .filter_map(|p| p.hits.first())
                        .map(|h| matcher.index().doc(h.doc).code.to_string())
                        .collect()),
                };
                coded.edits = Some(match codes {
                    Ok(codes) => ck.check(&codes).kinds(),
                    Err(message) => {
                        summary.errors += 1;
                        on_event(Event::RowError {
                            line: row.line,
                            message: &message,
                        });
                        String::new()
                    }
                });
            }
            summary.rows += 1;
            summary.coded += u64::from(coded.parts.iter().any(|p| !p.hits.is_empty()));
            let empty = row.codable && coded.parts.is_empty();
            summary.empty += u64::from(empty);
            summary.needs_review += u64::from(coded.needs_review && !empty);
            if !row.problems.is_empty() {
                summary.errors += 1;
                on_event(Event::RowError {
                    line: row.line,
                    message: &row.problems.join("; "),
                });
            }
            out.row(matcher.index(), row, &coded).map_err(write_err)?;
        }
        on_event(Event::Progress {
            rows: summary.rows,
            bytes: input.bytes_read(),
        });
    }
    out.finish()
        .map_err(write_err)?
        .flush()
        .map_err(write_err)?;
    Ok(summary)
}

/// The coded cell of a codable row (checked to be UTF-8 by the reader).
fn cell(row: &Row, column: usize) -> &str {
    row.record
        .get(column)
        .and_then(|f| std::str::from_utf8(f).ok())
        .unwrap_or("")
}

/// The date of service in column `column` of a codable row; a cell that
/// is not a date is a row error (the row is then not coded: a code of the
/// wrong release is rejected).
fn row_date(row: &mut Row, column: usize) -> Option<crate::release::Date> {
    if !row.codable {
        return None;
    }
    let text = row
        .record
        .get(column)
        .and_then(|f| std::str::from_utf8(f).ok())
        .unwrap_or("");
    match crate::release::parse_date(text, "date of service column") {
        Ok(d) => Some(d),
        Err(e) => {
            row.problems.push(e.to_string());
            row.codable = false;
            None
        }
    }
}

/// An enormous cell is an error; the row is then not coded. (An empty
/// cell is not: it gets no code and needs review.)
fn check_cell(row: &mut Row, column: usize, max_cell: usize) {
    let len = cell(row, column).len();
    if len > max_cell {
        row.problems.push(format!(
            "diagnosis cell has {len} bytes, more than the {max_cell} allowed"
        ));
        row.codable = false;
    }
}

fn code_row<'r, D: AsRef<[u8]> + Sync>(
    coder: &'r Coder<D>,
    row: &'r Row,
    column: usize,
    min_score: f32,
    key: coder::ReleaseKey,
) -> Coded<'r> {
    let error = !row.problems.is_empty();
    let parts: Vec<Part> = if row.codable {
        coder
            .parts(cell(row, column))
            .map(|text| {
                let hits = coder.hits(text, key);
                let low = hits.first().is_none_or(|h| {
                    h.score < min_score || h.confidence < crate::confidence::review_below()
                });
                Part {
                    text,
                    hits,
                    releases: coder.releases(key),
                    needs_review: low || error,
                }
            })
            .collect()
    } else {
        Vec::new()
    };
    let needs_review = error || parts.is_empty() || parts.iter().any(|p| p.needs_review);
    let coding = if row.codable {
        coder.coding(cell(row, column), key)
    } else {
        &[]
    };
    Coded {
        parts,
        needs_review,
        edits: None,
        coding,
    }
}
