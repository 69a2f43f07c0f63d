//! `codes-txt`: the CMS plain-text code lists → manual entries.
//!
//! Two layouts, told apart by the first non-empty line:
//!
//! - **code list**: `CODE<space(s)>description`, one billable code a line
//!   (`icd10pcs-codes-2024.txt`, `icd10cm-codes-2026.txt`);
//! - **order file**: fixed width — order number (5), space, code (7),
//!   space, header flag (1: `0` header, `1` billable), space, short
//!   description (60), space, long description. Header rows become
//!   non-billable parents of the codes they prefix.
//!
//! ICD-10-CM codes are written dotted (`E1140` → `E11.40`), as the rest of
//! medcoder prints them. Not for: XML releases (see the other importers).

use crate::error::Error;
use crate::manual::{Entry, Kind, Notes};
use std::io::BufRead;

/// Which layout a file uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// `CODE description`.
    CodeList,
    /// The fixed-width order file.
    OrderFile,
}

/// Guesses the layout from one line.
pub fn detect(line: &str) -> Layout {
    let b = line.as_bytes();
    let order = b.len() >= 16
        && b[..5].iter().all(|c| c.is_ascii_digit() || *c == b' ')
        && b[4].is_ascii_digit()
        && b[5] == b' '
        && b[13] == b' '
        && matches!(b[14], b'0' | b'1')
        && b[15] == b' ';
    if order {
        Layout::OrderFile
    } else {
        Layout::CodeList
    }
}

/// Reads a code list or order file of `system`/`version`.
pub fn import<R: BufRead>(
    input: R,
    source: &str,
    system: &str,
    version: &str,
) -> Result<Vec<Entry>, Error> {
    let mut out: Vec<Entry> = Vec::new();
    let mut layout = None;
    // Open header rows of an order file: (key, code) from the outermost in.
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in super::text_lines(input, source) {
        let (line_no, line) = line?;
        let line = line.as_str();
        let bad = |field: &str, message: String| super::bad_field(source, line_no, field, message);
        let layout = *layout.get_or_insert_with(|| detect(line));
        let (key, title, short, billable) = match layout {
            Layout::CodeList => {
                let line = line.trim_start_matches('\u{feff}');
                let (code, title) =
                    line.trim().split_once(char::is_whitespace).ok_or_else(|| {
                        bad("title", format!("'{line}' has a code but no description"))
                    })?;
                (code.to_string(), title.trim().to_string(), None, true)
            }
            Layout::OrderFile => {
                if line.len() < 17 || !line.is_char_boundary(16) {
                    return Err(bad("code", "line too short for the order-file layout (order 5, code 7, flag 1, short 60, long)".into()));
                }
                let code = line[6..13].trim().to_string();
                let billable = match &line[14..15] {
                    "1" => true,
                    "0" => false,
                    other => {
                        return Err(bad(
                            "billable",
                            format!("header flag '{other}' is not 0 or 1"),
                        ));
                    }
                };
                let rest = &line[16..];
                let (short, long) = match rest.char_indices().nth(60) {
                    Some((at, _)) => (rest[..at].trim(), rest[at..].trim()),
                    None => (rest.trim(), ""),
                };
                let title = if long.is_empty() { short } else { long };
                let short = (short != title && !short.is_empty()).then(|| short.to_string());
                (code, title.to_string(), short, billable)
            }
        };
        if key.is_empty() || !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '.') {
            return Err(bad("code", format!("'{key}' is not a code")));
        }
        if title.is_empty() {
            return Err(bad("title", format!("code {key} has an empty description")));
        }
        let key = crate::manual::code_key(&key);
        while headers
            .last()
            .is_some_and(|(h, _)| !key.starts_with(h.as_str()))
        {
            headers.pop();
        }
        let code = display_code(system, &key);
        let parent = headers.last().map(|(_, c)| c.clone());
        if !billable {
            headers.push((key.clone(), code.clone()));
        }
        out.push(Entry {
            system: system.into(),
            version: version.into(),
            code,
            title,
            billable,
            kind: Kind::Code,
            parent,
            synonyms: short.into_iter().collect(),
            notes: Notes::default(),
            index_paths: Vec::new(),
        });
    }
    if out.is_empty() {
        return Err(Error::Import {
            file: source.into(),
            message: "no codes found (expected lines like `0DTJ4ZZ Resection of Appendix, ...`)"
                .into(),
        });
    }
    Ok(out)
}

/// The code as medcoder prints it: ICD-10-CM gets its dot after the
/// category.
fn display_code(system: &str, key: &str) -> String {
    if system == "icd10cm" && key.len() > 3 {
        format!("{}.{}", &key[..3], &key[3..])
    } else {
        key.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_code_list() {
        let text = "0DTJ4ZZ Resection of Appendix, Percutaneous Endoscopic Approach\n0FT40ZZ  Resection of Gallbladder, Open Approach\n";
        let e = import(text.as_bytes(), "t", "icd10pcs", "2024").unwrap();
        assert_eq!(e.len(), 2);
        assert_eq!(e[1].code, "0FT40ZZ");
        assert_eq!(e[1].title, "Resection of Gallbladder, Open Approach");
        assert!(e[1].billable);
    }

    #[test]
    fn reads_an_order_file_with_headers_as_parents() {
        let line = |n: u32, code: &str, flag: char, short: &str, long: &str| {
            format!("{n:05} {code:<7} {flag} {short:<60} {long}\n")
        };
        let text = line(
            1,
            "E11",
            '0',
            "Type 2 diabetes mellitus",
            "Type 2 diabetes mellitus",
        ) + &line(
            2,
            "E114",
            '0',
            "Type 2 diabetes w neuro comp",
            "Type 2 diabetes mellitus with neurological complications",
        ) + &line(
            3,
            "E1140",
            '1',
            "Type 2 diabetes w diabetic neuropathy, unsp",
            "Type 2 diabetes mellitus with diabetic neuropathy, unspecified",
        );
        assert_eq!(detect(text.lines().next().unwrap()), Layout::OrderFile);
        let e = import(text.as_bytes(), "t", "icd10cm", "2026").unwrap();
        assert_eq!(e[2].code, "E11.40");
        assert_eq!(e[2].parent.as_deref(), Some("E11.4"));
        assert_eq!(e[1].parent.as_deref(), Some("E11"));
        assert!(!e[0].billable && e[2].billable);
        assert_eq!(
            e[2].synonyms,
            vec!["Type 2 diabetes w diabetic neuropathy, unsp"]
        );
    }

    #[test]
    fn a_line_without_description_names_its_line() {
        let err = import(
            "0DTJ4ZZ Resection\n0FT40ZZ\n".as_bytes(),
            "codes.txt",
            "icd10pcs",
            "2024",
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("codes.txt") && err.contains("line 2"), "{err}");
    }
}
