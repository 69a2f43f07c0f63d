//! `import icd10cm-index`, `icd10cm-drug`, `icd10cm-neoplasm`: the CDC
//! index books → index paths naming codes, checked against a release.
//!
//! An index path is searched as a name of its code. A table row becomes one
//! path per column, the column written the way the tabular titles word it:
//! "Atorvastatin, adverse effect" (T46.6X5), "kidney, secondary malignant
//! neoplasm" (C79.0). Accidental poisoning — the Drug table's default when
//! no intent is documented — is worded with optional words,
//! "poisoning (accidental) (unintentional)", so a query without an intent
//! prefers it. Not for: the file format ([`crate::index_paths`]).

use super::cdc_index::{Book, FlattenStats, IndexPath, Term};
use super::validate::{Checked, CodeSet, ValidationStats};
use crate::error::Error;
use std::collections::HashSet;

/// Which book a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BookKind {
    /// The Alphabetic Index or the External Cause Index (`code` elements).
    Index,
    /// The Table of Drugs and Chemicals (substance × intent).
    Drug,
    /// The Table of Neoplasms (site × behaviour).
    Neoplasm,
}

impl BookKind {
    /// The command that imports this kind, for messages.
    pub fn command(self) -> &'static str {
        match self {
            BookKind::Index => "import icd10cm-index",
            BookKind::Drug => "import icd10cm-drug",
            BookKind::Neoplasm => "import icd10cm-neoplasm",
        }
    }

    /// The heading of the table's first column, `None` for an index.
    fn first_heading(self) -> Option<&'static str> {
        match self {
            BookKind::Index => None,
            BookKind::Drug => Some("substance"),
            BookKind::Neoplasm => Some("neoplasm"),
        }
    }
}

/// The search wording of each table column, by its official heading.
const COLUMNS: &[(&str, &str)] = &[
    (
        "poisoning accidental (unintentional)",
        "poisoning (accidental) (unintentional)",
    ),
    (
        "poisoning intentional self-harm",
        "poisoning intentional self-harm",
    ),
    ("poisoning assault", "poisoning assault"),
    ("poisoning undetermined", "poisoning undetermined"),
    ("adverse effect", "adverse effect"),
    ("underdosing", "underdosing"),
    ("malignant primary", "malignant neoplasm (primary)"),
    ("malignant secondary", "secondary malignant neoplasm"),
    ("ca in situ", "carcinoma in situ"),
    ("benign", "benign neoplasm"),
    ("uncertain behavior", "neoplasm of uncertain behavior"),
    ("unspecified behavior", "neoplasm of unspecified behavior"),
];

/// A book turned into names of codes.
#[derive(Debug, Clone, Default)]
pub struct Imported {
    /// The book's release (`<version>`).
    pub version: String,
    /// `(code, name)` pairs, in book order, each once.
    pub names: Vec<(String, String)>,
    /// Terms and references.
    pub flatten: FlattenStats,
    /// Codes kept, replaced and dropped (one per path and column).
    pub validation: ValidationStats,
}

/// Turns `book` (read from `source`) into names of the codes `codes` has.
pub fn import(
    book: &Book,
    kind: BookKind,
    codes: &CodeSet,
    source: &str,
) -> Result<Imported, Error> {
    let wording = column_wording(book, kind, source)?;
    let first = kind.first_heading().unwrap_or_default();
    let is_table_name = |t: &Term| {
        !first.is_empty()
            && t.title.split(", ").next().map(str::to_lowercase).as_deref() == Some(first)
    };
    let (paths, flatten) = book.paths(is_table_name);
    let mut validation = ValidationStats::default();
    let mut seen = HashSet::new();
    let mut names = Vec::new();
    for IndexPath { path, column, code } in paths {
        let code = match codes.check(&code, &mut validation) {
            Checked::Kept(c) | Checked::Replaced(c) => c,
            Checked::Dropped => continue,
        };
        let mut parts = path;
        if let Some((_, w)) = wording.iter().find(|(c, _)| *c == column) {
            parts.push(w.to_string());
        }
        let name = parts.join(", ");
        if seen.insert((code.clone(), name.clone())) {
            names.push((code, name));
        }
    }
    Ok(Imported {
        version: book.version.clone(),
        names,
        flatten,
        validation,
    })
}

/// Each code column's wording; an error when the headings are not those of
/// `kind` (an index given to the table importer, or the other way round).
fn column_wording(
    book: &Book,
    kind: BookKind,
    source: &str,
) -> Result<Vec<(u8, &'static str)>, Error> {
    let wrong = |what: String| Error::Import {
        file: source.into(),
        message: format!("{what}; use `medcoder {}` for this file", guess(book)),
    };
    let Some(first) = kind.first_heading() else {
        return match book.headings.is_empty() {
            true => Ok(Vec::new()),
            false => Err(wrong("this is a table, not an index".into())),
        };
    };
    let mut out = Vec::new();
    for (col, text) in &book.headings {
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let lower = text.to_lowercase();
        if *col == 1 {
            if lower != first {
                return Err(wrong(format!(
                    "the first column is headed '{text}', not '{first}'"
                )));
            }
            continue;
        }
        match COLUMNS.iter().find(|(h, _)| *h == lower) {
            Some((_, w)) => out.push((*col, *w)),
            None => {
                return Err(Error::Import {
                    file: source.into(),
                    message: format!(
                        "column {col} is headed '{text}', which medcoder does not know; expected one of: {}",
                        COLUMNS
                            .iter()
                            .map(|(h, _)| *h)
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                });
            }
        }
    }
    if out.is_empty() {
        return Err(wrong("no table columns (<indexHeading>) found".into()));
    }
    Ok(out)
}

/// The importer that fits `book`, from its headings.
fn guess(book: &Book) -> &'static str {
    let first = book
        .headings
        .iter()
        .find(|(c, _)| *c == 1)
        .map(|(_, t)| t.to_lowercase());
    match first.as_deref() {
        None => BookKind::Index.command(),
        Some("substance") => BookKind::Drug.command(),
        Some(_) => BookKind::Neoplasm.command(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manual::Entry;

    const DRUG: &str = r#"<ICD10CM.index><version>2025</version>
<indexHeading><head col="1">Substance</head><head col="2">Poisoning Accidental (unintentional)</head>
<head col="6">Adverse effect</head><head col="7">Underdosing</head></indexHeading>
<letter><title>A</title>
<mainTerm><title>Aleve</title><see>Naproxen</see></mainTerm>
<mainTerm><title>Naproxen</title><cell col="2">T39.311</cell><cell col="6">T39.315</cell><cell col="7">--</cell></mainTerm>
<mainTerm><title>Gone</title><cell col="2">T99.1</cell></mainTerm>
</letter></ICD10CM.index>"#;

    fn codes(list: &[&str]) -> CodeSet {
        let entries: Vec<Entry> = list
            .iter()
            .map(|c| Entry {
                code: c.to_string(),
                ..Default::default()
            })
            .collect();
        CodeSet::new(&entries)
    }

    #[test]
    fn table_columns_become_worded_names_and_gone_codes_are_counted() {
        let book = super::super::cdc_index::read(DRUG.as_bytes(), "d.xml").unwrap();
        let got = import(
            &book,
            BookKind::Drug,
            &codes(&["T39.311", "T39.315"]),
            "d.xml",
        )
        .unwrap();
        let names: Vec<String> = got.names.iter().map(|(c, n)| format!("{c} {n}")).collect();
        assert_eq!(
            names,
            [
                "T39.311 Aleve, poisoning (accidental) (unintentional)",
                "T39.315 Aleve, adverse effect",
                "T39.311 Naproxen, poisoning (accidental) (unintentional)",
                "T39.315 Naproxen, adverse effect",
            ]
        );
        assert_eq!(got.validation.dropped, 1);
        assert_eq!(got.validation.kept, 4);
    }

    #[test]
    fn a_table_given_to_the_index_importer_names_the_right_command() {
        let book = super::super::cdc_index::read(DRUG.as_bytes(), "d.xml").unwrap();
        let err = import(&book, BookKind::Index, &codes(&[]), "d.xml")
            .unwrap_err()
            .to_string();
        assert!(err.contains("medcoder import icd10cm-drug"), "{err}");
        let err = import(&book, BookKind::Neoplasm, &codes(&[]), "d.xml")
            .unwrap_err()
            .to_string();
        assert!(err.contains("'Substance', not 'neoplasm'"), "{err}");
    }
}
