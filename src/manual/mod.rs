//! The manual: one CSV format for every code system.
//!
//! A manual is a CSV file with a header row and one row per code (chapters
//! and blocks of the tabular list are rows too, so a lookup can show the
//! whole hierarchy). Columns, in this order:
//!
//! | column | meaning |
//! |---|---|
//! | `system` | code system id: `icd10cm`, `icd10pcs`, `hcpcs`, `cpt`, ... |
//! | `version` | release, e.g. `2026` |
//! | `code` | the code as printed (dotted for ICD-10-CM: `E11.40`) |
//! | `title` | the official title |
//! | `billable` | `Y` when the code is valid on a claim, else `N` |
//! | `kind` | `chapter`, `block` or `code` |
//! | `parent` | code of the parent row, empty at the top |
//! | `synonyms` | inclusion terms, searchable like the title |
//! | `includes` | the category's "Includes" notes (searchable too) |
//! | `excludes1`, `excludes2`, `code_first`, `use_additional`, `code_also` | instructional notes |
//! | `seventh` | 7th-character definitions, `A=initial encounter` |
//! | `notes` | other notes |
//!
//! Multi-valued cells separate their items with ` | `. Only `code` and
//! `title` are required; a missing `billable` means `Y`.
//! Not for: searching (see [`crate::index`]).

mod read;
mod tree;
mod write;

pub use read::{ManualReader, read_entries, read_manual};
pub use tree::ManualTree;
pub use write::ManualWriter;

use serde::{Deserialize, Serialize};

/// The separator of items inside a multi-valued cell.
pub const LIST_SEPARATOR: &str = " | ";

/// The CSV header of a manual.
pub const COLUMNS: &[&str] = &[
    "system",
    "version",
    "code",
    "title",
    "billable",
    "kind",
    "parent",
    "synonyms",
    "includes",
    "excludes1",
    "excludes2",
    "code_first",
    "use_additional",
    "code_also",
    "seventh",
    "notes",
];

/// What a row of the manual stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A chapter of the tabular list ("Chapter 4").
    Chapter,
    /// A block of categories ("E08-E13").
    Block,
    /// A code: a category, subcategory or full code, billable or not.
    #[default]
    Code,
}

impl Kind {
    /// The CSV spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Chapter => "chapter",
            Kind::Block => "block",
            Kind::Code => "code",
        }
    }

    /// Parses the CSV spelling (empty means `code`).
    pub fn parse(s: &str) -> Option<Kind> {
        match s.trim().to_ascii_lowercase().as_str() {
            "" | "code" => Some(Kind::Code),
            "chapter" => Some(Kind::Chapter),
            "block" | "section" => Some(Kind::Block),
            _ => None,
        }
    }
}

/// The instructional notes of a code, as shown by `lookup`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Notes {
    /// The category's "Includes" notes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub includes: Vec<String>,
    /// Excludes1: never coded together.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub excludes1: Vec<String>,
    /// Excludes2: not included here, may be coded together.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub excludes2: Vec<String>,
    /// Code first the underlying condition.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub code_first: Vec<String>,
    /// Use additional code.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub use_additional: Vec<String>,
    /// Code also.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub code_also: Vec<String>,
    /// 7th-character definitions, each `X=meaning`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub seventh: Vec<String>,
    /// Any other note.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other: Vec<String>,
}

impl Notes {
    /// True when there is no note at all.
    pub fn is_empty(&self) -> bool {
        *self == Notes::default()
    }
}

/// One row of a manual.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Entry {
    /// Code system id (`icd10cm`).
    pub system: String,
    /// Release (`2026`).
    pub version: String,
    /// The code as printed.
    pub code: String,
    /// The official title.
    pub title: String,
    /// Valid on a claim.
    pub billable: bool,
    /// Chapter, block or code.
    pub kind: Kind,
    /// The parent row's code, if any.
    pub parent: Option<String>,
    /// Inclusion terms (searchable).
    pub synonyms: Vec<String>,
    /// Instructional notes.
    pub notes: Notes,
    /// Paths of the Alphabetic or External Cause Index and rows of the Drug
    /// and Neoplasm tables that lead to this code (searchable, with their
    /// own weight). Not a CSV column: attached from index-path files
    /// ([`crate::index_paths`]).
    pub index_paths: Vec<String>,
}

/// A code in its canonical key form: upper case, no dot, no spaces
/// ("e11.40" → "E1140").
pub fn code_key(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// Splits a multi-valued cell.
pub fn split_list(cell: &str) -> Vec<String> {
    cell.split(" | ")
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

/// The 7th-character definitions of a notes block as `(char, meaning)`.
pub fn seventh_chars(notes: &Notes) -> Vec<(char, String)> {
    notes
        .seventh
        .iter()
        .filter_map(|d| {
            let (c, m) = d.split_once('=')?;
            let c = c.trim().chars().next()?;
            Some((c, m.trim().to_string()))
        })
        .collect()
}
