//! The vocabulary files bundled with medcoder, and user-supplied ones.

/// A vocabulary file: its name and its text (whose first line declares
/// its kind, see [`super::FileKind`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VocabFile {
    /// File name, e.g. `abbreviations.tsv`.
    pub name: String,
    /// The whole text.
    pub text: String,
}

impl VocabFile {
    /// Reads a user's vocabulary file from disk.
    pub fn read(path: &std::path::Path) -> Result<VocabFile, crate::Error> {
        let text = std::fs::read_to_string(path).map_err(|e| crate::Error::io(path, e))?;
        // The full path is kept so a rebuild can read the file again.
        let name = std::fs::canonicalize(path)
            .unwrap_or(path.to_path_buf())
            .display()
            .to_string();
        Ok(VocabFile { name, text })
    }
}

macro_rules! bundled {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../data/vocab/", $name)))),*]
    };
}

/// The bundled vocabulary (`data/vocab/`), compiled into the binary.
pub const BUNDLED: &[(&str, &str)] = bundled!(
    "spelling.tsv",
    "spelling_rules.tsv",
    "morphology.tsv",
    "stems.tsv",
    "abbreviations.tsv",
    "synonyms.tsv",
    "lay_terms.tsv",
    "classification_wording.tsv",
    "index_wording.tsv",
    "drug_names.tsv",
    "procedures.tsv",
    "procedure_affixes.tsv",
    "word_parts.tsv",
);

/// The bundled files as [`VocabFile`]s.
pub fn bundled() -> Vec<VocabFile> {
    BUNDLED
        .iter()
        .map(|(n, t)| VocabFile {
            name: n.to_string(),
            text: t.to_string(),
        })
        .collect()
}
