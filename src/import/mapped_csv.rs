//! `csv`: any CSV with a column mapping → manual entries.
//!
//! This is how a site loads a code set medcoder cannot ship, such as its
//! AMA-licensed CPT file: name the code and title columns (by header name,
//! case-insensitive, or by 1-based number), optionally a synonyms column
//! (items separated by ` | ` or `;`) and a billable column. Not for: the
//! official release layouts (see the other importers).

use crate::error::Error;
use crate::manual::{Entry, Kind, Notes};
use std::io::Read;

/// Which columns hold what.
#[derive(Debug, Clone)]
pub struct Mapping {
    /// The code column.
    pub code: String,
    /// The title column.
    pub title: String,
    /// A column of synonyms, if any.
    pub synonyms: Option<String>,
    /// A column saying whether the code is billable (Y/N, 1/0, true/false).
    pub billable: Option<String>,
    /// Code system id of every row (`cpt`).
    pub system: String,
    /// Release of every row (`2026`).
    pub version: String,
}

/// Reads `input` with the column mapping.
pub fn import<R: Read>(input: R, source: &str, map: &Mapping) -> Result<Vec<Entry>, Error> {
    let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(input);
    let headers = super::csv_headers(&mut rdr, source)?;
    let find = |flag: &str, want: &str| -> Result<usize, Error> {
        let by_name = headers
            .iter()
            .position(|h| h.eq_ignore_ascii_case(want.trim()));
        let by_number = want
            .trim()
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=headers.len()).contains(n))
            .map(|n| n - 1);
        by_name.or(by_number).ok_or_else(|| {
            super::bad_field(
                source,
                1,
                want,
                format!(
                    "no column '{want}' for {flag} (the header has: {}); name one of these, or give its 1-based number",
                    headers.iter().map(|h| format!("'{h}'")).collect::<Vec<_>>().join(", ")
                ),
            )
        })
    };
    let code_col = find("--code-column", &map.code)?;
    let title_col = find("--title-column", &map.title)?;
    let syn_col = map
        .synonyms
        .as_deref()
        .map(|s| find("--synonyms-column", s))
        .transpose()?;
    let bill_col = map
        .billable
        .as_deref()
        .map(|s| find("--billable-column", s))
        .transpose()?;
    let mut out = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| Error::csv(source, &e))?;
        let line = rec.position().map(|p| p.line()).unwrap_or(0);
        let get = |i: usize| rec.get(i).unwrap_or("").trim();
        let bad =
            |col: usize, message: String| super::bad_field(source, line, &headers[col], message);
        if rec.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let code = get(code_col);
        if code.is_empty() {
            return Err(bad(code_col, "the code is empty".into()));
        }
        let title = get(title_col);
        if title.is_empty() {
            return Err(bad(title_col, format!("code {code} has an empty title")));
        }
        let synonyms = syn_col
            .map(|c| {
                get(c)
                    .split(['|', ';'])
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(String::from)
                    .collect()
            })
            .unwrap_or_default();
        let billable = match bill_col {
            None => true,
            Some(c) => match get(c).to_ascii_lowercase().as_str() {
                "" | "y" | "yes" | "1" | "true" => true,
                "n" | "no" | "0" | "false" => false,
                other => return Err(bad(c, format!("'{other}' is not Y/N, 1/0 or true/false"))),
            },
        };
        out.push(Entry {
            system: map.system.clone(),
            version: map.version.clone(),
            code: code.into(),
            title: title.into(),
            billable,
            kind: Kind::Code,
            parent: None,
            synonyms,
            notes: Notes::default(),
            index_paths: Vec::new(),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map() -> Mapping {
        Mapping {
            code: "Procedure Code".into(),
            title: "long_desc".into(),
            synonyms: Some("aka".into()),
            billable: None,
            system: "cpt".into(),
            version: "2026".into(),
        }
    }

    #[test]
    fn maps_named_columns() {
        let text = "Procedure Code,long_desc,aka\n99990,\"Office visit for a headache, made-up description\",head pain visit; cephalgia visit\n";
        let e = import(text.as_bytes(), "cpt.csv", &map()).unwrap();
        assert_eq!(e[0].code, "99990");
        assert_eq!(e[0].system, "cpt");
        assert_eq!(e[0].synonyms, vec!["head pain visit", "cephalgia visit"]);
    }

    #[test]
    fn a_missing_column_lists_the_existing_ones() {
        let err = import("code,desc\n1,x\n".as_bytes(), "cpt.csv", &map())
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("cpt.csv") && err.contains("'Procedure Code'") && err.contains("'desc'"),
            "{err}"
        );
    }

    #[test]
    fn an_empty_title_names_file_line_and_field() {
        let text = "Procedure Code,long_desc,aka\n99990,ok,\n99991,,\n";
        let err = import(text.as_bytes(), "cpt.csv", &map())
            .unwrap_err()
            .to_string();
        assert!(err.contains("cpt.csv: line 3, field 'long_desc'"), "{err}");
    }
}
