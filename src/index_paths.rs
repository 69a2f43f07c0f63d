//! Index paths: the coder's other books (the External Cause Index, the
//! Table of Drugs and Chemicals, the Table of Neoplasms, a site's
//! Alphabetic Index) as extra names of ICD-10-CM codes, searched with their
//! own weight beside the tabular titles.
//!
//! The file (written by `medcoder import icd10cm-index|drug|neoplasm`) is
//! UTF-8 text: `#` comment lines (source, release, counts), then one
//! `code<TAB>index path` line per name. The bundled ones are derived from
//! the CDC FY2025 files (see `data/PROVENANCE.md`) and compiled in. Not
//! for: vocabulary (word → word; this maps paths to codes by the CDC's own
//! books, never query text to codes).

use crate::error::Error;
use crate::manual::{Entry, code_key};
use std::collections::HashMap;

/// An index-path file bundled in `data/`.
#[derive(Debug, Clone, Copy)]
pub struct BundledPaths {
    /// The code system whose codes it names.
    pub system: &'static str,
    /// File name under `data/`.
    pub file: &'static str,
    /// Its text.
    pub text: &'static str,
}

/// The bundled index-path files.
pub const BUNDLED: &[BundledPaths] = &[
    BundledPaths {
        system: "icd10cm",
        file: "icd10cm-eindex-2025.tsv",
        text: include_str!("../data/icd10cm-eindex-2025.tsv"),
    },
    BundledPaths {
        system: "icd10cm",
        file: "icd10cm-drug-2025.tsv",
        text: include_str!("../data/icd10cm-drug-2025.tsv"),
    },
    BundledPaths {
        system: "icd10cm",
        file: "icd10cm-neoplasm-2025.tsv",
        text: include_str!("../data/icd10cm-neoplasm-2025.tsv"),
    },
];

/// The text of an index-path file: `header` lines as comments, then the
/// names.
pub fn render(header: &[String], names: &[(String, String)]) -> String {
    let mut out = String::new();
    for h in header {
        out.push_str("# ");
        out.push_str(h);
        out.push('\n');
    }
    out.push_str("# format: code<TAB>index path\n");
    for (code, name) in names {
        out.push_str(code);
        out.push('\t');
        out.push_str(name);
        out.push('\n');
    }
    out
}

/// The `(code, path)` lines of an index-path file; a bad line is an error
/// naming `source` and the line.
pub fn parse(text: &str, source: &str) -> Result<Vec<(String, String)>, Error> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let bad = |message: &str| Error::ManualFormat {
            file: source.into(),
            line: i as u64 + 1,
            field: "code".into(),
            message: message.into(),
        };
        let (code, path) = line
            .split_once('\t')
            .ok_or_else(|| bad("expected code<TAB>index path (regenerate the file with `medcoder import icd10cm-index`)"))?;
        if code_key(code).is_empty() || path.trim().is_empty() {
            return Err(bad("empty code or path"));
        }
        out.push((code.trim().to_string(), path.trim().to_string()));
    }
    Ok(out)
}

/// Adds each path to the `index_paths` of the entry with its code; returns
/// how many found no entry (a code of another release).
pub fn attach(entries: &mut [Entry], paths: &[(String, String)]) -> usize {
    let by_code: HashMap<String, usize> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| (code_key(&e.code), i))
        .collect();
    let mut missing = 0;
    for (code, path) in paths {
        match by_code.get(&code_key(code)) {
            Some(&i) => entries[i].index_paths.push(path.clone()),
            None => missing += 1,
        }
    }
    missing
}

/// Adds the bundled paths of `system` to `entries` (a manual of that
/// system, bundled or a site's own).
pub fn attach_bundled(entries: &mut [Entry], system: &str) -> Result<(), Error> {
    for b in BUNDLED.iter().filter(|b| b.system == system) {
        let paths = parse(b.text, &format!("bundled:data/{}", b.file))?;
        attach(entries, &paths);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn render_and_parse_round_trip_and_attach_by_code() {
        let names = vec![
            (
                "W20.8".to_string(),
                "Struck by, object, falling".to_string(),
            ),
            ("X99.9".to_string(), "Nowhere".to_string()),
        ];
        let text = render(&["from t.xml".into()], &names);
        assert!(text.starts_with("# from t.xml\n"));
        assert_eq!(parse(&text, "t.tsv").unwrap(), names);
        let mut entries = vec![Entry {
            code: "W20.8".into(),
            ..Default::default()
        }];
        assert_eq!(attach(&mut entries, &names), 1);
        assert_eq!(entries[0].index_paths, ["Struck by, object, falling"]);
    }

    #[test]
    fn a_line_without_a_tab_names_its_line() {
        let err = parse("# c\nW20.8 Struck\n", "t.tsv")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("t.tsv: line 2, field 'code'"), "{err}");
    }
}
