//! Compiling manuals and vocabulary into an index file, in phases:
//!
//! 1. docs ([`docs`]): parents, children, flags, 7th characters;
//! 2. names ([`names`]): every title and inclusion term analysed into
//!    terms; term ids; postings and idf;
//! 3. default children ([`docs::default_children`]) and where each doc's
//!    names start;
//! 4. one writer per section ([`write`]), laid out by [`write::assemble`].
//!
//! Not for: reading the file (see [`crate::index::Index`]).

mod docs;
mod names;
mod write;

use super::TitleWeights;
use super::format::Section;
use super::meta::ManualInfo;
use crate::error::Error;
use crate::manual::Entry;
use crate::text::NEGATED;
use crate::vocab::{VocabFile, Vocabulary};
use std::path::Path;

/// A manual to put in the index.
#[derive(Debug, Clone)]
pub struct ManualSource {
    /// Where it came from, for `--explain` and staleness checks.
    pub info: ManualInfo,
    /// Its rows.
    pub entries: Vec<Entry>,
    /// Per row, the releases of `info.releases` it is valid in (bit i:
    /// release i); empty for a manual of one release.
    pub validity: Vec<u8>,
}

/// Every row of every manual, with the index of its manual; a row's
/// position is its doc id.
type Rows<'a> = [(u16, &'a Entry)];

/// Builds the bytes of an index.
pub fn build(manuals: &[ManualSource], vocab_files: &[VocabFile]) -> Result<Vec<u8>, Error> {
    with_sections(manuals, vocab_files, |sections| {
        let mut out = Vec::new();
        write::assemble(sections, &mut out).map_err(|e| Error::Import {
            file: "index".into(),
            message: e.to_string(),
        })?;
        Ok(out)
    })
}

/// Builds the sections of an index and hands them to `out`.
fn with_sections<T>(
    manuals: &[ManualSource],
    vocab_files: &[VocabFile],
    out: impl FnOnce(&[(Section, &[u8])]) -> Result<T, Error>,
) -> Result<T, Error> {
    let (vocab, analyzer) = Vocabulary::load(vocab_files)?;
    let entries: Vec<(u16, &Entry)> = manuals
        .iter()
        .enumerate()
        .flat_map(|(i, m)| m.entries.iter().map(move |e| (i as u16, e)))
        .collect();

    let hierarchy = docs::hierarchy(&entries);
    // The phases that need only the rows and their hierarchy run beside
    // the names (which run in parallel chunks themselves).
    let (names, (default_child, (codes_fst, details))) = rayon::join(
        || names::names(&entries, &hierarchy, &analyzer),
        || {
            rayon::join(
                || docs::default_children(&entries, &hierarchy),
                || rayon::join(|| write::codes(&entries), || write::details(&entries)),
            )
        },
    );
    let names::Names {
        names,
        term_ids,
        mut flags,
        words,
    } = names;
    let postings = names::postings(&names, &flags, term_ids.len());
    let idf = names::idf(&postings, &names);
    let title_weights = TitleWeights::new(
        &analyzer,
        |w| term_ids.get(w).copied(),
        term_ids
            .iter()
            .filter(|(t, _)| t.starts_with(NEGATED))
            .map(|(_, id)| *id)
            .collect(),
    );
    let first_name = names::first_names(&names, &mut flags);

    let links = write::DocLinks {
        parent: &hierarchy.parent,
        default_child: &default_child,
        flags: &flags,
        first_name: &first_name,
    };
    let doc_sections = write::docs(&entries, &links, details?)?;
    let (name_bytes, name_terms) = write::names(&names, &title_weights, &idf)?;
    let (offsets, post_bytes) = write::postings(&postings);
    let idf_bytes = write::idf(&idf);
    let terms_fst = write::terms(&term_ids)?;
    let words_fst = write::words(&words, &term_ids)?;
    let codes_fst = codes_fst?;
    let (phrases_fst, phrase_data) = write::phrases(&vocab)?;
    let meta_bytes = write::meta(manuals, vocab_files, &vocab)?;
    let vocab_bytes = write::vocab(vocab_files)?;
    let validity = super::releases::validity_section(manuals);

    let sections: Vec<(Section, &[u8])> = vec![
        (Section::Meta, &meta_bytes),
        (Section::Vocab, &vocab_bytes),
        (Section::Terms, &terms_fst),
        (Section::PostingOffsets, &offsets),
        (Section::Postings, &post_bytes),
        (Section::TermIdf, &idf_bytes),
        (Section::Names, &name_bytes),
        (Section::NameTerms, &name_terms),
        (Section::Docs, &doc_sections.docs),
        (Section::Strings, &doc_sections.strings),
        (Section::Codes, &codes_fst),
        (Section::Phrases, &phrases_fst),
        (Section::PhraseData, &phrase_data),
        (Section::Words, &words_fst),
        (Section::Validity, &validity),
        (Section::Details, &doc_sections.details),
        (Section::DetailDictionary, &doc_sections.dictionary),
    ];
    out(&sections)
}

/// Builds and writes an index atomically.
pub fn build_to(
    path: &Path,
    manuals: &[ManualSource],
    vocab_files: &[VocabFile],
) -> Result<(), Error> {
    with_sections(manuals, vocab_files, |sections| {
        crate::outfile::write_with(path, &[], |w| {
            write::assemble(sections, w).map_err(|e| Error::io(path, e))
        })
    })
}
