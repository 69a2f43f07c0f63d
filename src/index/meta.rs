//! What an index was built from.

use serde::{Deserialize, Serialize};

/// One manual inside an index.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManualInfo {
    /// Code system id (`icd10cm`).
    pub system: String,
    /// Release (`2026`).
    pub version: String,
    /// Where the CSV came from: `bundled:…` or a path.
    pub source: String,
    /// Number of rows.
    pub entries: usize,
    /// For a file on disk: its size and modification time (seconds since
    /// the epoch) when the index was built, to notice a changed manual.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_stamp: Option<(u64, u64)>,
    /// A user-supplied manual (e.g. a licensed CPT file).
    #[serde(default)]
    pub user: bool,
    /// The releases merged into this manual, oldest first (empty or one:
    /// valid on every date); see [`crate::release`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub releases: Vec<String>,
}

impl ManualInfo {
    /// "icd10cm 2026" as shown next to each suggestion.
    pub fn label(&self) -> String {
        format!("{} {}", self.system, self.version)
    }
}

/// The META section.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Meta {
    /// Format version (also in the header).
    pub format: u32,
    /// medcoder version that built it.
    pub built_by: String,
    /// The manuals, in doc order; a doc's system number indexes this list.
    pub manuals: Vec<ManualInfo>,
    /// Names of the vocabulary files.
    pub vocabulary: Vec<String>,
    /// The longest vocabulary phrase, in words.
    #[serde(default)]
    pub phrase_words: usize,
}

/// Size and modification time of a file, for staleness checks.
pub fn file_stamp(path: &std::path::Path) -> Option<(u64, u64)> {
    let m = std::fs::metadata(path).ok()?;
    let t = m
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?
        .as_secs();
    Some((m.len(), t))
}
