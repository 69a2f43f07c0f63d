//! Vocabulary data: abbreviations, synonyms, lay and older terms, spelling
//! variants, morphology and procedure language, loaded from TSV files.
//!
//! Every file is UTF-8, one mapping per line, columns separated by a tab,
//! `#` comments and blank lines ignored. The kind of a file is given by its
//! name (a site's own `abbreviations-local.tsv` is an abbreviations file):
//!
//! | file name starts with | columns | use |
//! |---|---|---|
//! | `abbreviations` | abbreviation, expansion | query side, one sense per line |
//! | `synonyms` | term, term | query side, both directions |
//! | `lay_terms` | lay or older term, tabular wording | query side, one way |
//! | `procedures` | clinician wording, PCS wording | query side, one way |
//! | `spelling_rules` | from, to (substring) | unknown query words only |
//! | `spelling` | variant, standard word | both sides (word level) |
//! | `morphology` | surface word, base word | both sides (word level) |
//! | `stems` | word, normal form (not stemmed), words kept apart | both sides: the stemmer must not merge words of different meaning |
//! | `procedure_affixes` | `suffix`/`combining`, affix, meaning(s) `a\|b` | unknown words split into parts |
//!
//! Not for: query → code answers. Nothing here names a code.

mod files;

pub use files::{BUNDLED, VocabFile, bundled};

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
}

impl ExpansionKind {
    /// All kinds, in their stored order.
    pub const ALL: [ExpansionKind; 5] = [
        ExpansionKind::Abbreviation,
        ExpansionKind::Synonym,
        ExpansionKind::LayTerm,
        ExpansionKind::Procedure,
        ExpansionKind::Affix,
    ];

    /// A short word for explanations.
    pub fn label(self) -> &'static str {
        match self {
            ExpansionKind::Abbreviation => "abbreviation",
            ExpansionKind::Synonym => "synonym",
            ExpansionKind::LayTerm => "lay term",
            ExpansionKind::Procedure => "procedure term",
            ExpansionKind::Affix => "word parts",
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

/// All vocabulary, ready for the analyzer and the query expander.
#[derive(Debug, Default)]
pub struct Vocabulary {
    /// Word-level spelling table (variant → standard).
    pub spelling: HashMap<String, String>,
    /// Word-level morphology table (surface → base).
    pub morphology: HashMap<String, String>,
    /// Words whose normal form is given, not stemmed ("organism" stays
    /// apart from "organ" and "organizing").
    pub stems: HashMap<String, String>,
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
}

impl Vocabulary {
    /// Loads files, in order. Word tables first, so phrase keys are
    /// normalised with them.
    pub fn load(files: &[VocabFile]) -> Result<(Vocabulary, Analyzer), Error> {
        Self::load_with(files, true)
    }

    /// Loads only the word tables and affixes: the query side reads phrase
    /// rewrites from the index, where the builder stored them normalised.
    pub fn load_words(files: &[VocabFile]) -> Result<(Vocabulary, Analyzer), Error> {
        Self::load_with(files, false)
    }

    fn load_with(files: &[VocabFile], with_phrases: bool) -> Result<(Vocabulary, Analyzer), Error> {
        let mut v = Vocabulary::default();
        let kind_of = |f: &VocabFile| {
            f.name
                .rsplit('/')
                .next()
                .unwrap_or(&f.name)
                .to_ascii_lowercase()
        };
        for f in files {
            let name = kind_of(f);
            let rows = parse_rows(f)?;
            if name.starts_with("spelling_rules") {
                v.spelling_rules.extend(
                    rows.into_iter()
                        .map(|(_, a, b)| (a.to_lowercase(), b.to_lowercase())),
                );
            } else if name.starts_with("spelling") {
                v.spelling.extend(
                    rows.into_iter()
                        .map(|(_, a, b)| (a.to_lowercase(), b.to_lowercase())),
                );
            } else if name.starts_with("morphology") {
                v.morphology.extend(
                    rows.into_iter()
                        .map(|(_, a, b)| (a.to_lowercase(), b.to_lowercase())),
                );
            } else if name.starts_with("stems") {
                // The third column (the words kept apart) is for the test.
                v.stems.extend(rows.into_iter().map(|(_, a, b)| {
                    let form = b.split('\t').next().unwrap_or("").trim();
                    (a.to_lowercase(), form.to_lowercase())
                }));
            }
        }
        let analyzer = Analyzer::new(v.spelling.clone(), v.morphology.clone(), v.stems.clone());
        for f in files {
            let name = kind_of(f);
            let kind = if name.starts_with("abbreviations") {
                ExpansionKind::Abbreviation
            } else if name.starts_with("synonyms") {
                ExpansionKind::Synonym
            } else if name.starts_with("lay_terms") {
                ExpansionKind::LayTerm
            } else if name.starts_with("procedure_affixes") {
                for (line, a, b) in parse_rows_n(f, 3)? {
                    let mut cols = b.splitn(2, '\t');
                    let affix = cols.next().unwrap_or("").trim().to_lowercase();
                    let meaning = cols.next().unwrap_or("").trim().to_lowercase();
                    if affix.is_empty() || meaning.is_empty() {
                        return Err(Error::Vocab {
                            file: f.name.clone(),
                            line,
                            message: "expected 3 columns: suffix|combining, affix, meaning".into(),
                        });
                    }
                    match a.to_lowercase().as_str() {
                        "suffix" => v.suffixes.push((
                            affix,
                            meaning.split('|').map(|m| m.trim().to_string()).collect(),
                        )),
                        "combining" => v.combining.push((affix, meaning)),
                        other => {
                            return Err(Error::Vocab {
                                file: f.name.clone(),
                                line,
                                message: format!(
                                    "first column is '{other}', expected 'suffix' or 'combining'"
                                ),
                            });
                        }
                    }
                }
                continue;
            } else if name.starts_with("procedures") {
                ExpansionKind::Procedure
            } else if name.starts_with("spelling")
                || name.starts_with("morphology")
                || name.starts_with("stems")
            {
                continue;
            } else {
                return Err(Error::Vocab {
                    file: f.name.clone(),
                    line: 0,
                    message: "unknown vocabulary file kind: the name must start with abbreviations, synonyms, lay_terms, procedures, procedure_affixes, spelling, spelling_rules, morphology or stems".into(),
                });
            };
            let rows = parse_rows(f)?;
            if !with_phrases {
                continue;
            }
            for (_, a, b) in rows {
                v.add_phrase(&analyzer, &a, &b, kind);
                if kind == ExpansionKind::Synonym {
                    v.add_phrase(&analyzer, &b, &a, kind);
                }
            }
        }
        v.suffixes.sort_by_key(|(s, _)| std::cmp::Reverse(s.len()));
        v.combining.sort_by_key(|(s, _)| std::cmp::Reverse(s.len()));
        Ok((v, analyzer))
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

/// The rows of a two-column file as (line, left, right).
fn parse_rows(f: &VocabFile) -> Result<Vec<(usize, String, String)>, Error> {
    parse_rows_n(f, 2)
}

/// Rows with at least `n` columns; everything after the first is returned
/// joined by tabs in the second element.
fn parse_rows_n(f: &VocabFile, n: usize) -> Result<Vec<(usize, String, String)>, Error> {
    let mut out = Vec::new();
    for (i, raw) in f.text.lines().enumerate() {
        let line = raw.trim_end_matches('\r');
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() < n || cols[..n].iter().any(|c| c.trim().is_empty()) {
            return Err(Error::Vocab {
                file: f.name.clone(),
                line: i + 1,
                message: format!("expected {n} tab-separated columns, found {}", cols.len()),
            });
        }
        out.push((
            i + 1,
            cols[0].trim().to_string(),
            cols[1..].join("\t").trim().to_string(),
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synonyms_go_both_ways_and_keys_are_normalised() {
        let files = [VocabFile {
            name: "synonyms.tsv".into(),
            text: "kidney\trenal\n".into(),
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
            text: "# c\nHTN\n".into(),
        }];
        let err = Vocabulary::load(&files).unwrap_err().to_string();
        assert!(err.contains("abbreviations-local.tsv: line 2"), "{err}");
    }
}
