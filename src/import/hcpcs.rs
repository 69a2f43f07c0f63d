//! `hcpcs`: CMS HCPCS Level II releases → manual entries.
//!
//! Two forms, told apart by the first line:
//!
//! - **CSV** with a header naming `Code` and `Description` columns (e.g.
//!   `Code,Description,last_updated`); codes may be padded with spaces;
//! - **ANWEB fixed width** (`HCPC2025_OCT_ANWEB.txt`): HCPC code in
//!   columns 1–5, sequence number 6–10, record id 11 (`3` first line of a
//!   code's long description, `4` its continuation, `7`/`8` the same for a
//!   modifier), long description 12–91, short description 92–119.
//!   Continuation lines are joined to the long description; the short
//!   description becomes a synonym.
//!
//! Two-character codes are modifiers: kept (so `lookup` can explain them)
//! but not billable on their own. Not for: CPT (see `import csv`).

use crate::error::Error;
use crate::manual::{Entry, Kind, Notes};
use std::io::{BufRead, Read};

/// Reads an HCPCS CSV or ANWEB file; `version` labels the rows.
pub fn import<R: BufRead>(mut input: R, source: &str, version: &str) -> Result<Vec<Entry>, Error> {
    let mut first = String::new();
    input
        .read_line(&mut first)
        .map_err(|e| super::unreadable_line(source, 1, &e))?;
    let header = first.trim_start_matches('\u{feff}').to_ascii_lowercase();
    let rest = std::io::Cursor::new(first.clone().into_bytes()).chain(input);
    let entries = if header.contains(',') && header.contains("code") && header.contains("desc") {
        from_csv(rest, source, version)?
    } else {
        from_anweb(rest, source, version)?
    };
    if entries.is_empty() {
        return Err(Error::Import {
            file: source.into(),
            message: "no HCPCS codes found (expected a Code,Description CSV or the ANWEB fixed-width text)".into(),
        });
    }
    Ok(entries)
}

fn entry(code: &str, title: String, short: Option<String>, version: &str) -> Entry {
    Entry {
        system: "hcpcs".into(),
        version: version.into(),
        code: code.into(),
        title,
        billable: code.len() == 5,
        kind: Kind::Code,
        parent: None,
        synonyms: short.into_iter().collect(),
        notes: Notes::default(),
        index_paths: Vec::new(),
    }
}

fn from_csv<R: std::io::Read>(input: R, source: &str, version: &str) -> Result<Vec<Entry>, Error> {
    let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(input);
    let headers: Vec<String> = super::csv_headers(&mut rdr, source)?
        .iter()
        .map(|h| h.to_ascii_lowercase())
        .collect();
    let col = |want: &[&str]| headers.iter().position(|h| want.contains(&h.as_str()));
    let missing = |name: &str| {
        super::bad_field(
            source,
            1,
            name,
            format!("no '{name}' column (found: {})", headers.join(", ")),
        )
    };
    let code_col = col(&["code", "hcpc", "hcpcs", "hcpcs code"]).ok_or_else(|| missing("code"))?;
    let desc_col = col(&[
        "description",
        "long description",
        "long_description",
        "long desc",
    ])
    .ok_or_else(|| missing("description"))?;
    let short_col = col(&["short description", "short_description", "short desc"]);
    let mut out = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| Error::csv(source, &e))?;
        let line = rec.position().map(|p| p.line()).unwrap_or(0);
        let code = rec.get(code_col).unwrap_or("").trim();
        let title = rec.get(desc_col).unwrap_or("").trim();
        if code.is_empty() {
            continue;
        }
        if title.is_empty() {
            return Err(super::bad_field(
                source,
                line,
                &headers[desc_col],
                format!("code {code} has an empty description"),
            ));
        }
        let short = short_col
            .and_then(|c| rec.get(c))
            .map(str::trim)
            .filter(|s| !s.is_empty() && *s != title)
            .map(String::from);
        out.push(entry(code, title.to_string(), short, version));
    }
    Ok(out)
}

/// Columns (0-based, end exclusive) of the ANWEB record.
const CODE: std::ops::Range<usize> = 0..5;
const RECORD_ID: usize = 10;
const LONG: std::ops::Range<usize> = 11..91;
const SHORT: std::ops::Range<usize> = 91..119;

fn field(line: &str, r: std::ops::Range<usize>) -> &str {
    let end = r.end.min(line.len());
    if r.start >= end || !line.is_char_boundary(r.start) || !line.is_char_boundary(end) {
        return "";
    }
    line[r.start..end].trim()
}

fn from_anweb<R: BufRead>(input: R, source: &str, version: &str) -> Result<Vec<Entry>, Error> {
    let mut out: Vec<Entry> = Vec::new();
    for line in super::text_lines(input, source) {
        let (line_no, line) = line?;
        let line = line.as_str();
        let bad = |field: &str, message: String| super::bad_field(source, line_no, field, message);
        let code = field(line, CODE);
        if line.len() <= RECORD_ID
            || !code.chars().all(|c| c.is_ascii_alphanumeric())
            || code.is_empty()
        {
            return Err(bad("code", "not an ANWEB record (HCPC code in columns 1-5, record id in column 11); for the CSV form the header must name Code and Description".into()));
        }
        let long = field(line, LONG);
        match line.as_bytes()[RECORD_ID] {
            b'3' | b'7' => {
                let short =
                    Some(field(line, SHORT).to_string()).filter(|s| !s.is_empty() && s != long);
                out.push(entry(code, long.to_string(), short, version));
            }
            b'4' | b'8' => match out.last_mut() {
                Some(prev) if prev.code == code => {
                    if !long.is_empty() {
                        prev.title.push(' ');
                        prev.title.push_str(long);
                    }
                }
                _ => {
                    return Err(bad(
                        "record id",
                        format!("continuation of {code} without its first line"),
                    ));
                }
            },
            other => {
                return Err(bad(
                    "record id",
                    format!("'{}' is not 3, 4, 7 or 8", char::from(other)),
                ));
            }
        }
    }
    for e in &mut out {
        if e.title.is_empty() {
            e.title = e.synonyms.first().cloned().unwrap_or_default();
        }
    }
    out.retain(|e| !e.title.is_empty());
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_csv_form_with_padded_codes_and_modifiers() {
        let text = "Code,Description,last_updated\n   A1,Dressing for one wound,09-12-2025\nA0021,\"Ambulance service, outside state per mile, transport\",01-01-2025\n";
        let e = import(text.as_bytes(), "t.csv", "2025").unwrap();
        assert_eq!(e.len(), 2);
        assert_eq!(e[0].code, "A1");
        assert!(!e[0].billable);
        assert_eq!(
            e[1].title,
            "Ambulance service, outside state per mile, transport"
        );
        assert!(e[1].billable);
    }

    #[test]
    fn reads_the_anweb_layout_joining_continuations() {
        let rec = |code: &str, seq: &str, id: char, long: &str, short: &str| {
            format!("{code:<5}{seq:<5}{id}{long:<80}{short:<28}\n")
        };
        let text = rec(
            "Z9991",
            "00100",
            '3',
            "Made-up supply item for testing the fixed-width",
            "Made-up supply item",
        ) + &rec("Z9991", "00200", '4', "importer, per unit", "")
            + &rec("ZZ", "00100", '7', "Made-up modifier", "Made-up mod");
        let e = import(text.as_bytes(), "anweb.txt", "2025").unwrap();
        assert_eq!(e.len(), 2);
        assert_eq!(
            e[0].title,
            "Made-up supply item for testing the fixed-width importer, per unit"
        );
        assert_eq!(e[0].synonyms, vec!["Made-up supply item"]);
        assert_eq!(e[1].code, "ZZ");
        assert!(!e[1].billable);
    }
}
