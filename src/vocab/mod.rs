//! Vocabulary data: abbreviations, synonyms, lay and older terms, spelling
//! variants, morphology and procedure language, loaded from TSV files.
//!
//! Every file is UTF-8, one mapping per line, columns separated by a tab,
//! `#` comments and blank lines ignored. Its first line declares its kind,
//! `# kind: abbreviations` ([`FileKind`]); the name plays no part:
//!
//! | kind | columns | use |
//! |---|---|---|
//! | `abbreviations` | abbreviation, expansion | query side, one sense per line |
//! | `synonyms` | term, term | query side, both directions |
//! | `lay_terms` | a query's wording, tabular wording | query side, one way |
//! | `drug_names` | brand or generic name, generic or the Drug table's substance | query side, one way (read as lay terms) |
//! | `procedures` | clinician wording, PCS wording | query side, one way |
//! | `spelling_rules` | from, to (substring) | unknown query words only |
//! | `spelling` | variant, standard word | both sides (word level) |
//! | `morphology` | surface word, base word | both sides (word level) |
//! | `stems` | word, normal form (not stemmed), words kept apart | both sides: the stemmer must not merge words of different meaning |
//! | `procedure_affixes` | `suffix`/`combining`, affix, meaning(s) `a\|b` | unknown words split into parts |
//! | `word_parts` | `condition`/`combining`, affix, meaning(s) `a\|b` | unknown diagnosis words read by their parts (one loader with `procedure_affixes`) |
//!
//! The bundled one-way rewrites are split by purpose, so each layer can be
//! measured or dropped on its own: `lay_terms.tsv` (lay and clinical
//! terms), `classification_wording.tsv` (how the classification words a
//! situation: a device that broke down is a mechanical complication),
//! `index_wording.tsv` (the alphabetic index's main terms and subterms).
//!
//! Not for: query → code answers. Nothing here names a code.

mod files;
mod kind;

pub use files::{BUNDLED, VocabFile, bundled};
pub use kind::FileKind;

use crate::error::Error;
use crate::text::Analyzer;
use std::collections::HashMap;

/// How a query phrase was rewritten.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExpansionKind {
    /// An abbreviation or acronym.
    Abbreviation,
    /// A two-way synonym.
    Synonym,
    /// A lay or older term.
    LayTerm,
    /// Procedure wording.
    Procedure,
    /// A word split into combining form + suffix.
    Affix,
    /// A diagnosis word read by its parts ("orchi|epididym|itis"), or two
    /// title words written together: not procedure language.
    Parts,
}

impl ExpansionKind {
    /// All kinds, in their stored order.
    pub const ALL: [ExpansionKind; 6] = [
        ExpansionKind::Abbreviation,
        ExpansionKind::Synonym,
        ExpansionKind::LayTerm,
        ExpansionKind::Procedure,
        ExpansionKind::Affix,
        ExpansionKind::Parts,
    ];

    /// A short word for explanations.
    pub fn label(self) -> &'static str {
        match self {
            ExpansionKind::Abbreviation => "abbreviation",
            ExpansionKind::Synonym => "synonym",
            ExpansionKind::LayTerm => "lay term",
            ExpansionKind::Procedure => "procedure term",
            ExpansionKind::Affix | ExpansionKind::Parts => "word parts",
        }
    }
}

/// One rewrite of a phrase.
#[derive(Debug, Clone)]
pub struct Expansion {
    /// The phrase as written in the data file.
    pub from: String,
    /// What it means, in tabular wording.
    pub to: String,
    /// Which table it came from.
    pub kind: ExpansionKind,
}

/// All vocabulary, ready for the query expander; the word tables
/// (spelling, morphology, stems) go to the [`Analyzer`] loaded with it.
#[derive(Debug, Default)]
pub struct Vocabulary {
    /// Substring rules for unknown words.
    pub spelling_rules: Vec<(String, String)>,
    /// Phrase rewrites by the phrase's normal form (see [`Analyzer::phrase_key`]).
    pub phrases: HashMap<String, Vec<Expansion>>,
    /// The longest phrase key, in words.
    pub max_phrase_words: usize,
    /// Suffixes ("ectomy") with their meanings.
    pub suffixes: Vec<(String, Vec<String>)>,
    /// Combining forms ("cholecyst") with their meanings.
    pub combining: Vec<(String, String)>,
    /// Condition suffixes of diagnosis words ("itis", "lithiasis") with
    /// their meanings in tabular wording ("inflammation", "calculus"): a
    /// suffix listed here distributes over a compound's parts
    /// ("orchi-epididym-itis" is orchitis and epididymitis).
    pub conditions: Vec<(String, Vec<String>)>,
}

impl Vocabulary {
    /// Loads files, in order. Word tables first, so phrase keys are
    /// normalised with them.
    pub fn load(files: &[VocabFile]) -> Result<(Vocabulary, Analyzer), Error> {
        Self::load_with(files, true)
    }

    /// Loads only the word tables and affixes: the query side reads phrase
    /// rewrites from the index, where the builder stored them normalised
    /// (so their files, checked when it built the index, are not read).
    pub fn load_words(files: &[VocabFile]) -> Result<(Vocabulary, Analyzer), Error> {
        Self::load_with(files, false)
    }

    fn load_with(files: &[VocabFile], with_phrases: bool) -> Result<(Vocabulary, Analyzer), Error> {
        let mut v = Vocabulary::default();
        let mut spelling: HashMap<String, String> = HashMap::new();
        let mut morphology: HashMap<String, String> = HashMap::new();
        let mut stems: HashMap<String, String> = HashMap::new();
        let kinds: Vec<FileKind> = files.iter().map(FileKind::of).collect::<Result<_, _>>()?;
        for (f, kind) in files.iter().zip(&kinds) {
            match kind {
                FileKind::Spelling => spelling.extend(word_pairs(f)?),
                FileKind::Morphology => morphology.extend(word_pairs(f)?),
                FileKind::SpellingRules => v.spelling_rules.extend(word_pairs(f)?),
                // The third column (the words kept apart) is for the test.
                FileKind::Stems => stems.extend(parse_rows(f)?.into_iter().map(|(_, a, b)| {
                    let form = b.split('\t').next().unwrap_or("").trim();
                    (lower(a), lower(form))
                })),
                _ => {}
            }
        }
        let analyzer = Analyzer::new(spelling, morphology, stems);
        for (f, kind) in files.iter().zip(&kinds) {
            let kind = match kind {
                FileKind::Abbreviations => ExpansionKind::Abbreviation,
                FileKind::Synonyms => ExpansionKind::Synonym,
                FileKind::LayTerms | FileKind::DrugNames => ExpansionKind::LayTerm,
                FileKind::Procedures => ExpansionKind::Procedure,
                FileKind::ProcedureAffixes | FileKind::WordParts => {
                    v.add_affixes(f)?;
                    continue;
                }
                FileKind::Spelling
                | FileKind::SpellingRules
                | FileKind::Morphology
                | FileKind::Stems => continue,
            };
            if !with_phrases {
                continue;
            }
            for (_, a, b) in parse_rows(f)? {
                v.add_phrase(&analyzer, a, b, kind);
                if kind == ExpansionKind::Synonym {
                    v.add_phrase(&analyzer, b, a, kind);
                }
            }
        }
        v.suffixes.sort_by_key(|(s, _)| std::cmp::Reverse(s.len()));
        v.combining.sort_by_key(|(s, _)| std::cmp::Reverse(s.len()));
        v.conditions
            .sort_by_key(|(s, _)| std::cmp::Reverse(s.len()));
        Ok((v, analyzer))
    }

    /// Reads a word-parts file (`suffix`/`combining`, affix, meaning).
    fn add_affixes(&mut self, f: &VocabFile) -> Result<(), Error> {
        for (line, a, b) in parse_rows_n(f, 3)? {
            let mut cols = b.splitn(2, '\t');
            let affix = lower(cols.next().unwrap_or("").trim());
            let meaning = lower(cols.next().unwrap_or("").trim());
            if affix.is_empty() || meaning.is_empty() {
                return Err(Error::Vocab {
                    file: f.name.clone(),
                    line,
                    message: "expected 3 columns: suffix|condition|combining, affix, meaning"
                        .into(),
                });
            }
            match a.to_lowercase().as_str() {
                "suffix" => self.suffixes.push((
                    affix,
                    meaning.split('|').map(|m| m.trim().to_string()).collect(),
                )),
                "combining" => self.combining.push((affix, meaning)),
                "condition" => self.conditions.push((
                    affix,
                    meaning.split('|').map(|m| m.trim().to_string()).collect(),
                )),
                other => {
                    return Err(Error::Vocab {
                        file: f.name.clone(),
                        line,
                        message: format!(
                            "first column is '{other}', expected 'suffix', 'condition' or 'combining'"
                        ),
                    });
                }
            }
        }
        Ok(())
    }

    fn add_phrase(&mut self, analyzer: &Analyzer, from: &str, to: &str, kind: ExpansionKind) {
        let key = analyzer.phrase_key(from);
        if key.is_empty() || analyzer.phrase_key(to) == key {
            return;
        }
        self.max_phrase_words = self.max_phrase_words.max(key.split(' ').count());
        let list = self.phrases.entry(key).or_default();
        if !list.iter().any(|e| e.to.eq_ignore_ascii_case(to)) {
            list.push(Expansion {
                from: from.to_string(),
                to: to.to_string(),
                kind,
            });
        }
    }

    /// Splits an unknown word into combining form + suffix
    /// ("cholecystectomy" → "gallbladder" + ["excision", "resection"]).
    pub fn split_affixes(&self, word: &str) -> Option<(&str, &[String])> {
        for (suffix, meanings) in &self.suffixes {
            let Some(stem) = word.strip_suffix(suffix.as_str()) else {
                continue;
            };
            let stem = stem.trim_end_matches('o');
            for (form, meaning) in &self.combining {
                if stem == form || (stem.starts_with(form.as_str()) && stem.len() <= form.len() + 2)
                {
                    return Some((meaning.as_str(), meanings.as_slice()));
                }
            }
        }
        None
    }
}

/// The rows of a word table, lower case, as (left, right).
fn word_pairs(f: &VocabFile) -> Result<Vec<(String, String)>, Error> {
    Ok(parse_rows(f)?
        .into_iter()
        .map(|(_, a, b)| (lower(a), lower(b)))
        .collect())
}

/// The rows of a two-column file as (line, left, right).
fn parse_rows(f: &VocabFile) -> Result<Vec<(usize, &str, &str)>, Error> {
    parse_rows_n(f, 2)
}

/// Rows with at least `n` columns; everything after the first is returned
/// joined by tabs in the second element.
fn parse_rows_n(f: &VocabFile, n: usize) -> Result<Vec<(usize, &str, &str)>, Error> {
    let mut out = Vec::new();
    for (i, raw) in split_byte(&f.text, b'\n').enumerate() {
        let line = raw.trim_end_matches('\r');
        let lead = line.trim_start();
        if lead.is_empty() || lead.starts_with('#') {
            continue;
        }
        if split_byte(line, b'\t')
            .take(n)
            .filter(|c| !c.trim().is_empty())
            .count()
            < n
        {
            return Err(Error::Vocab {
                file: f.name.clone(),
                line: i + 1,
                message: format!(
                    "expected {n} tab-separated columns, found {}",
                    line.split('\t').count()
                ),
            });
        }
        let (first, rest) = line.split_once('\t').unwrap_or((line, ""));
        out.push((i + 1, first.trim(), rest.trim()));
    }
    Ok(out)
}

/// The pieces of `text` between the ASCII byte `sep`s (`str::split` for
/// the vocabulary's short lines and cells, without a searcher set up per
/// piece). A final `sep` ends the last piece: no empty piece after it, as
/// `str::lines` gives.
fn split_byte(text: &str, sep: u8) -> impl Iterator<Item = &str> {
    debug_assert!(sep.is_ascii());
    let mut rest = Some(text);
    std::iter::from_fn(move || {
        let t = rest?;
        match t.bytes().position(|b| b == sep) {
            Some(p) => {
                // An ASCII byte is a char boundary on both sides.
                rest = Some(&t[p + 1..]).filter(|r| !r.is_empty() || sep != b'\n');
                Some(&t[..p])
            }
            None => {
                rest = None;
                (!t.is_empty() || sep != b'\n').then_some(t)
            }
        }
    })
}

/// `s` in lower case (`str::to_lowercase`), copied as is when it has no
/// upper-case letter, as nearly every vocabulary cell.
fn lower(s: &str) -> String {
    if s.is_ascii() {
        if s.bytes().any(|b| b.is_ascii_uppercase()) {
            s.to_ascii_lowercase()
        } else {
            s.to_owned()
        }
    } else {
        s.to_lowercase()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synonyms_go_both_ways_and_keys_are_normalised() {
        let files = [VocabFile {
            name: "synonyms.tsv".into(),
            text: "# kind: synonyms\nkidney\trenal\n".into(),
        }];
        let (v, a) = Vocabulary::load(&files).unwrap();
        assert!(v.phrases.contains_key(&a.phrase_key("kidneys")));
        assert!(v.phrases.contains_key(&a.phrase_key("renal")));
    }

    /// Every pair split in `stems.tsv` stays split: the word's normal form
    /// differs from that of each word it is kept apart from.
    #[test]
    fn stem_table_keeps_every_listed_pair_apart() {
        let (_, a) = Vocabulary::load_words(&bundled()).unwrap();
        let text = BUNDLED
            .iter()
            .find(|(n, _)| *n == "stems.tsv")
            .map(|(_, t)| *t)
            .unwrap();
        let mut pairs = 0;
        for line in text
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
        {
            let cols: Vec<&str> = line.split('\t').collect();
            assert_eq!(cols.len(), 3, "{line}");
            let word = a.normalize_word(cols[0]);
            for other in cols[2].split(' ') {
                assert_ne!(word, a.normalize_word(other), "{} / {other}", cols[0]);
                pairs += 1;
            }
        }
        assert!(pairs >= 100, "{pairs} pairs");
        assert_ne!(a.normalize_word("organism"), a.normalize_word("organizing"));
        assert_ne!(a.normalize_word("organism"), a.normalize_word("organ"));
        // Plain inflections still meet.
        assert_eq!(a.normalize_word("organisms"), a.normalize_word("organism"));
        assert_eq!(a.normalize_word("severity"), a.normalize_word("severe"));
    }

    #[test]
    fn bad_line_names_file_and_line() {
        let files = [VocabFile {
            name: "abbreviations-local.tsv".into(),
            text: "# kind: abbreviations\nHTN\n".into(),
        }];
        let err = Vocabulary::load(&files).unwrap_err().to_string();
        assert!(err.contains("abbreviations-local.tsv: line 2"), "{err}");
    }
}
