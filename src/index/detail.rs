//! The per-code detail a lookup shows: inclusion terms, notes and the
//! index paths that lead to the code.

use crate::manual::{Entry, Notes};
use serde::{Deserialize, Serialize};

/// Stored as JSON in the index, read only when a code is looked up.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Detail {
    /// Inclusion terms.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub synonyms: Vec<String>,
    /// Instructional notes.
    #[serde(default, skip_serializing_if = "Notes::is_empty")]
    pub notes: Notes,
    /// Index and table paths that lead to the code.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub index_paths: Vec<String>,
}

impl Detail {
    /// The detail of a manual row.
    pub fn of(e: &Entry) -> Detail {
        Detail {
            synonyms: e.synonyms.clone(),
            notes: e.notes.clone(),
            index_paths: e.index_paths.clone(),
        }
    }

    /// True when there is nothing to show.
    pub fn is_empty(&self) -> bool {
        self.synonyms.is_empty() && self.notes.is_empty() && self.index_paths.is_empty()
    }
}
