//! What a vocabulary file holds. Every file declares it in a header line,
//! `# kind: abbreviations`, its first line that is not blank; the file's
//! name plays no part, so a site names its files as it likes.

use super::VocabFile;
use crate::error::Error;

/// The kind of a vocabulary file (see the table in [`super`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// Abbreviation → expansion, one sense per line.
    Abbreviations,
    /// Term ↔ term, both directions.
    Synonyms,
    /// A query's wording → tabular wording, one way: lay terms, the
    /// classification's own wording of a situation, index wording.
    LayTerms,
    /// Brand or generic drug name → generic name or the Drug table's
    /// substance, one way (read like lay terms).
    DrugNames,
    /// Clinician procedure wording → PCS title wording, one way.
    Procedures,
    /// `suffix`/`combining`, affix, meaning(s): word parts.
    ProcedureAffixes,
    /// `condition`/`combining`, affix, meaning(s): the word parts of
    /// diagnosis words (read by the same loader as procedure affixes).
    WordParts,
    /// Word-level spelling variant → standard word, both sides.
    Spelling,
    /// Substring rewrite for unknown query words.
    SpellingRules,
    /// Word-level surface form → base form, both sides.
    Morphology,
    /// Word → normal form kept as written (never stemmed), both sides:
    /// words the stemmer would merge with a word of another meaning.
    Stems,
}

impl FileKind {
    /// Every kind.
    pub const ALL: [FileKind; 11] = [
        FileKind::Abbreviations,
        FileKind::Synonyms,
        FileKind::LayTerms,
        FileKind::DrugNames,
        FileKind::Procedures,
        FileKind::ProcedureAffixes,
        FileKind::WordParts,
        FileKind::Spelling,
        FileKind::SpellingRules,
        FileKind::Morphology,
        FileKind::Stems,
    ];

    /// The name written in the header line.
    pub fn name(self) -> &'static str {
        match self {
            FileKind::Abbreviations => "abbreviations",
            FileKind::Synonyms => "synonyms",
            FileKind::LayTerms => "lay_terms",
            FileKind::DrugNames => "drug_names",
            FileKind::Procedures => "procedures",
            FileKind::ProcedureAffixes => "procedure_affixes",
            FileKind::WordParts => "word_parts",
            FileKind::Spelling => "spelling",
            FileKind::SpellingRules => "spelling_rules",
            FileKind::Morphology => "morphology",
            FileKind::Stems => "stems",
        }
    }

    /// Whether only the index builder reads files of this kind: phrase
    /// rewrites, which it stores normalised in the index. The query side
    /// reads the word tables and word parts.
    pub fn phrases_only(self) -> bool {
        matches!(
            self,
            FileKind::Abbreviations
                | FileKind::Synonyms
                | FileKind::LayTerms
                | FileKind::DrugNames
                | FileKind::Procedures
        )
    }

    /// The kind `file` declares in its header line.
    pub fn of(file: &VocabFile) -> Result<FileKind, Error> {
        Self::of_text(&file.name, &file.text)
    }

    /// The kind declared in the header line of `text`, the file `name`.
    pub fn of_text(name: &str, text: &str) -> Result<FileKind, Error> {
        let names = || {
            FileKind::ALL
                .iter()
                .map(|k| k.name())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let Some((i, first)) = text.lines().enumerate().find(|(_, l)| !l.trim().is_empty()) else {
            return Err(Error::Vocab {
                file: name.to_string(),
                line: 1,
                message: format!(
                    "empty file: write a first line `# kind: K` (K one of {}) and then the entries",
                    names()
                ),
            });
        };
        let declared = first
            .trim()
            .strip_prefix('#')
            .and_then(|rest| rest.trim_start().strip_prefix("kind:"))
            .map(str::trim);
        let Some(declared) = declared else {
            return Err(Error::Vocab {
                file: name.to_string(),
                line: i + 1,
                message: format!(
                    "no kind header: the first line must be `# kind: K`, K one of {}",
                    names()
                ),
            });
        };
        FileKind::ALL
            .into_iter()
            .find(|k| k.name() == declared)
            .ok_or_else(|| Error::Vocab {
                file: name.to_string(),
                line: i + 1,
                message: format!(
                    "unknown kind '{declared}' in the header line: write one of {}",
                    names()
                ),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(name: &str, text: &str) -> Result<FileKind, Error> {
        FileKind::of(&VocabFile {
            name: name.into(),
            text: text.into(),
        })
    }

    #[test]
    fn the_header_gives_the_kind_whatever_the_name() {
        let k = kind("site-words.tsv", "\n# kind: abbreviations\nDM2\tdiabetes\n");
        assert_eq!(k.unwrap(), FileKind::Abbreviations);
        let k = kind("abbreviations.tsv", "#kind:spelling_rules\n");
        assert_eq!(k.unwrap(), FileKind::SpellingRules);
    }

    #[test]
    fn a_missing_or_unknown_header_says_how_to_write_one() {
        let err = kind("abbreviations-local.tsv", "# a site's own\nDM2\tx\n").unwrap_err();
        let err = err.to_string();
        assert!(
            err.starts_with("abbreviations-local.tsv: line 1: no kind header"),
            "{err}"
        );
        assert!(
            err.contains("`# kind: K`") && err.contains("procedure_affixes"),
            "{err}"
        );
        let err = kind("x.tsv", "# kind: drugs\n").unwrap_err().to_string();
        assert!(err.contains("unknown kind 'drugs'"), "{err}");
        assert!(kind("x.tsv", "").is_err());
    }
}
