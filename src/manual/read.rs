//! Reading a manual CSV, with errors that name the file, line and field
//! (never a cell's contents): quotes left open ([`crate::csv_quotes`]),
//! control bytes, empty or repeated codes.

use super::{Entry, Kind, Notes, code_key, split_list};
use crate::csv_quotes::QuoteCheck;
use crate::error::Error;
use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

/// Reads the entries of a manual CSV one by one.
pub struct ManualReader<R: Read> {
    csv: csv::Reader<QuoteCheck<R>>,
    source: String,
    headers: Vec<String>,
    cols: Columns,
    default_system: String,
    default_version: String,
    /// The line of every code read so far, by system, kind and code key (a
    /// block may carry the code of its first category: B10).
    seen: HashMap<(String, Kind, String), u64>,
}

#[derive(Default)]
struct Columns {
    system: Option<usize>,
    version: Option<usize>,
    code: usize,
    title: usize,
    billable: Option<usize>,
    kind: Option<usize>,
    parent: Option<usize>,
    synonyms: Option<usize>,
    includes: Option<usize>,
    excludes1: Option<usize>,
    excludes2: Option<usize>,
    code_first: Option<usize>,
    use_additional: Option<usize>,
    code_also: Option<usize>,
    seventh: Option<usize>,
    notes: Option<usize>,
}

impl<R: Read> ManualReader<R> {
    /// A reader over `input`; `source` names it in errors. Rows without a
    /// `system`/`version` column take the defaults given here; a quoted
    /// field may span `max_quoted_lines` lines.
    pub fn new(
        input: R,
        source: &str,
        system: &str,
        version: &str,
        max_quoted_lines: u64,
    ) -> Result<Self, Error> {
        let mut csv = csv::ReaderBuilder::new()
            .flexible(false)
            .from_reader(QuoteCheck::new(input, b',', max_quoted_lines));
        let headers = csv
            .headers()
            .map_err(|e| Error::csv(source, &e))?
            .iter()
            .map(|h| h.trim().trim_start_matches('\u{feff}').to_ascii_lowercase())
            .collect::<Vec<_>>();
        let find = |name: &str| headers.iter().position(|h| h == name);
        let required = |name: &str| {
            find(name).ok_or_else(|| Error::ManualFormat {
                file: source.to_string(),
                line: 1,
                field: name.to_string(),
                message: format!(
                    "the header has no '{name}' column (found: {}); a manual needs at least 'code' and 'title' — see ARCHITECTURE.md, or convert the file with `medcoder import csv`",
                    headers.join(", ")
                ),
            })
        };
        let cols = Columns {
            system: find("system"),
            version: find("version"),
            code: required("code")?,
            title: required("title")?,
            billable: find("billable"),
            kind: find("kind"),
            parent: find("parent"),
            synonyms: find("synonyms"),
            includes: find("includes"),
            excludes1: find("excludes1"),
            excludes2: find("excludes2"),
            code_first: find("code_first"),
            use_additional: find("use_additional"),
            code_also: find("code_also"),
            seventh: find("seventh"),
            notes: find("notes"),
        };
        Ok(ManualReader {
            csv,
            source: source.to_string(),
            headers,
            seen: HashMap::new(),
            cols,
            default_system: system.to_string(),
            default_version: version.to_string(),
        })
    }

    /// The next entry, `None` at the end.
    pub fn next_entry(&mut self) -> Option<Result<Entry, Error>> {
        let mut rec = csv::StringRecord::new();
        match self.csv.read_record(&mut rec) {
            Ok(false) => None,
            Ok(true) => Some(
                self.entry(&rec)
                    .and_then(|e| self.first_of_its_code(e, &rec)),
            ),
            Err(e) => Some(Err(Error::csv(&self.source, &e))),
        }
    }

    /// Refuses a code already read (the index has one row per code).
    fn first_of_its_code(&mut self, e: Entry, rec: &csv::StringRecord) -> Result<Entry, Error> {
        let line = rec.position().map(|p| p.line()).unwrap_or(0);
        let key = (e.system.clone(), e.kind, code_key(&e.code));
        if let Some(first) = self.seen.insert(key, line) {
            return Err(Error::ManualFormat {
                file: self.source.clone(),
                line,
                field: "code".into(),
                message: format!(
                    "{} {} is already the code of line {first}; a manual has one row per code: remove or renumber one of them",
                    e.system, e.code
                ),
            });
        }
        Ok(e)
    }

    fn entry(&self, rec: &csv::StringRecord) -> Result<Entry, Error> {
        let line = rec.position().map(|p| p.line()).unwrap_or(0);
        if let Some((i, _)) = rec
            .iter()
            .enumerate()
            .find(|(_, f)| f.chars().any(is_forbidden_control))
        {
            return Err(Error::ManualFormat {
                file: self.source.clone(),
                line,
                field: self.headers.get(i).cloned().unwrap_or_else(|| (i + 1).to_string()),
                message: "holds a NUL or control character; remove it (only tab and line breaks may appear in a cell)".into(),
            });
        }
        let get = |i: Option<usize>| i.and_then(|i| rec.get(i)).unwrap_or("").trim();
        let list = |i: Option<usize>| split_list(get(i));
        let bad = |field: &str, message: String| Error::ManualFormat {
            file: self.source.clone(),
            line,
            field: field.to_string(),
            message,
        };
        let code = get(Some(self.cols.code)).to_string();
        if code.is_empty() {
            return Err(bad("code", "the code is empty".into()));
        }
        let title = get(Some(self.cols.title)).to_string();
        if title.is_empty() {
            return Err(bad("title", format!("code {code} has an empty title")));
        }
        let billable = match get(self.cols.billable).to_ascii_lowercase().as_str() {
            "" | "y" | "yes" | "1" | "true" => true,
            "n" | "no" | "0" | "false" => false,
            other => return Err(bad("billable", format!("'{other}' is not Y or N"))),
        };
        let kind = Kind::parse(get(self.cols.kind)).ok_or_else(|| {
            bad(
                "kind",
                format!("'{}' is not chapter, block or code", get(self.cols.kind)),
            )
        })?;
        let or = |i: Option<usize>, d: &str| {
            let v = get(i);
            if v.is_empty() {
                d.to_string()
            } else {
                v.to_string()
            }
        };
        let parent = Some(get(self.cols.parent).to_string()).filter(|p| !p.is_empty());
        Ok(Entry {
            system: or(self.cols.system, &self.default_system),
            version: or(self.cols.version, &self.default_version),
            code,
            title,
            billable,
            kind,
            parent,
            synonyms: list(self.cols.synonyms),
            notes: Notes {
                includes: list(self.cols.includes),
                excludes1: list(self.cols.excludes1),
                excludes2: list(self.cols.excludes2),
                code_first: list(self.cols.code_first),
                use_additional: list(self.cols.use_additional),
                code_also: list(self.cols.code_also),
                seventh: list(self.cols.seventh),
                other: list(self.cols.notes),
            },
            index_paths: Vec::new(),
        })
    }
}

/// A control character that has no place in a manual cell.
fn is_forbidden_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

/// Reads a whole manual file into memory (manuals are at most a few
/// hundred thousand rows). Fails on the first bad row; a path that is not
/// a regular file (a FIFO, a device, a directory) is refused unread.
pub fn read_manual(
    path: &Path,
    system: &str,
    version: &str,
    max_quoted_lines: u64,
) -> Result<Vec<Entry>, Error> {
    let file = crate::error::open_regular(path, "a manual CSV")?;
    read_entries(
        file,
        &path.display().to_string(),
        system,
        version,
        max_quoted_lines,
    )
}

/// Reads all entries from any reader (e.g. bundled bytes).
pub fn read_entries<R: Read>(
    input: R,
    source: &str,
    system: &str,
    version: &str,
    max_quoted_lines: u64,
) -> Result<Vec<Entry>, Error> {
    let mut r = ManualReader::new(input, source, system, version, max_quoted_lines)?;
    let mut out = Vec::new();
    while let Some(e) = r.next_entry() {
        out.push(e?);
    }
    Ok(out)
}
