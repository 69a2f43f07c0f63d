//! Text analysis shared by the index builder and the query side.
//!
//! Both a manual's titles and a user's query go through the same [`Analyzer`]
//! so that the words meet in one normal form: lower case, ASCII-folded,
//! possessives dropped, roman numerals as digits, spelling variants and
//! morphological variants folded (data files under `data/vocab/`), and
//! finally a Snowball English stem. Not for: synonyms and abbreviations,
//! which change *which* words are meant and live in [`crate::vocab`].

mod tokenize;

pub use tokenize::{RawToken, tokenize};

use rust_stemmers::{Algorithm, Stemmer};
use std::collections::HashMap;

/// Words dropped from both sides: they carry no coding meaning.
///
/// "with", "without", "due", "not" and "no" are deliberately absent: in
/// ICD-10-CM they separate a combination code from its neighbours.
pub const STOP_WORDS: &[&str] = &[
    "a", "an", "the", "of", "and", "or", "in", "on", "at", "for", "by", "as", "is", "are", "was",
    "be", "to", "from", "nos", "its", "his", "her", "this", "that", "which", "any", "pt",
    "patient", "has", "had", "have", "mention",
];

/// Words after which a single letter names a type or stage rather than
/// being an article or a stray letter ("hepatitis A", "stage V").
const DESIGNATED: &[&str] = &["stage", "grade", "type", "class", "phase", "ckd"];

/// Words that mark the default ("unspecified") code
/// of a group. They count for little when a title word is left unmatched,
/// so that a query without detail lands on the unspecified code rather than
/// a specific sibling.
pub const DEFAULT_MARKERS: &[&str] = &["unspecified", "unsp"];

/// Words that name no condition by themselves: in a reading like "peptic
/// ulcer disease" they weigh a tenth, so "Peptic ulcer" is a full match.
pub const GENERIC_WORDS: &[&str] = &["disease", "disorder", "condition", "problem"];

/// On the title side, the words of "site not specified" and "other
/// specified" cost little too when the query leaves them out; on the query
/// side "specified" still counts ("other specified" codes are real).
pub const NAME_MARKERS: &[&str] = &["unspecified", "unsp", "specified", "site", "organism"];

/// One analyzed word: its normal form and whether the source marked it as
/// non-essential (inside parentheses in a tabular title).
#[derive(Debug, Clone, PartialEq)]
pub struct Term {
    /// The normal form that is looked up in the term dictionary.
    pub text: String,
    /// The word as written (lower-cased), for explanations.
    pub surface: String,
    /// A nonessential modifier: "(acute)" in "Bronchitis (acute)".
    pub optional: bool,
}

/// The mark of a negated term: "without obstruction" gives "~obstruct",
/// which matches only another negated "obstruction", never a title that
/// has the obstruction.
pub const NEGATED: char = '~';

/// Words that negate the rest of their clause (up to a comma, semicolon,
/// colon, full stop, "with", or a preposition that ends the noun phrase).
pub const NEGATORS: &[&str] = &["without", "no", "not"];

/// Words that negate only the next word ("non-Hodgkin").
pub const PREFIX_NEGATORS: &[&str] = &["non"];

/// Tracks negation through a sequence of words (see [`NEGATED`]).
#[derive(Debug, Default, Clone)]
pub struct Negation {
    clause: bool,
    next: bool,
    after_mention: bool,
    /// A word has been negated since the negator: only then can a
    /// preposition end the scope ("not of newborn" negates "newborn").
    negated_any: bool,
}

/// Words that end a negated noun phrase.
const SCOPE_ENDS: &[&str] = &[
    "of",
    "in",
    "on",
    "at",
    "to",
    "due",
    "for",
    "following",
    "from",
    "by",
    "after",
    "during",
];

impl Negation {
    /// Whether `token` is negated; updates the state with it.
    pub fn step(&mut self, token: &RawToken) -> bool {
        if token.clause_start {
            *self = Negation::default();
        }
        let negated = self.clause || self.next;
        self.next = false;
        let after_mention = std::mem::replace(&mut self.after_mention, token.text == "mention");
        match token.text.as_str() {
            "with" | "but" => {
                self.clause = false;
                false
            }
            // "without foreign body of left index finger": the negation
            // ends with its noun phrase ("without mention of X" goes on).
            w if SCOPE_ENDS.contains(&w)
                && !after_mention
                && (!self.clause || self.negated_any) =>
            {
                self.clause = false;
                false
            }
            w if SCOPE_ENDS.contains(&w) => false,
            w if NEGATORS.contains(&w) => {
                self.clause = true;
                self.negated_any = false;
                false
            }
            w if PREFIX_NEGATORS.contains(&w) => {
                self.next = true;
                false
            }
            _ => {
                self.negated_any |= negated;
                negated
            }
        }
    }

    /// Negates the rest of the clause (after a "w/o" written as an
    /// abbreviation).
    pub fn negate_clause(&mut self) {
        self.clause = true;
    }
}

/// The negated form of a normal form.
pub fn negate(term: &str) -> String {
    if term.starts_with(NEGATED) {
        term.to_string()
    } else {
        format!("{NEGATED}{term}")
    }
}

/// Normal forms already computed, by word (see [`Analyzer::terms_cached`]).
#[derive(Debug, Default)]
pub struct WordCache(HashMap<String, Option<String>>);

impl WordCache {
    /// Every word seen (as written, lower case) with its normal form, sorted
    /// by word; stop words left out.
    pub fn sorted(&self) -> Vec<(&str, &str)> {
        let mut v: Vec<(&str, &str)> = self
            .0
            .iter()
            .filter_map(|(w, n)| Some((w.as_str(), n.as_deref()?)))
            .collect();
        v.sort_unstable();
        v
    }
}

/// Turns text into terms. Built once per process from vocabulary data.
pub struct Analyzer {
    stemmer: Stemmer,
    spelling: HashMap<String, String>,
    morphology: HashMap<String, String>,
    stems: HashMap<String, String>,
}

impl std::fmt::Debug for Analyzer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Analyzer")
            .field("spelling", &self.spelling.len())
            .field("morphology", &self.morphology.len())
            .field("stems", &self.stems.len())
            .finish()
    }
}

impl Default for Analyzer {
    fn default() -> Self {
        Analyzer::new(HashMap::new(), HashMap::new(), HashMap::new())
    }
}

impl Analyzer {
    /// An analyzer with word-level spelling (variant → standard),
    /// morphology (surface → base) and stem (word → normal form, kept as
    /// written: words the stemmer would merge with a word of another
    /// meaning) tables; keys are lower-case words.
    pub fn new(
        spelling: HashMap<String, String>,
        morphology: HashMap<String, String>,
        stems: HashMap<String, String>,
    ) -> Self {
        Analyzer {
            stemmer: Stemmer::create(Algorithm::English),
            spelling,
            morphology,
            stems,
        }
    }

    /// Whether `word` (lower case) is a stop word.
    pub fn is_stop(word: &str) -> bool {
        STOP_WORDS.contains(&word)
    }

    /// Normal form of one lower-case word, or `None` for a stop word.
    pub fn normalize_word(&self, word: &str) -> Option<String> {
        if Self::is_stop(word) {
            return None;
        }
        let word = roman_to_digit(word).unwrap_or(word);
        let word = self.spelling.get(word).map(String::as_str).unwrap_or(word);
        let word = self
            .morphology
            .get(word)
            .map(String::as_str)
            .unwrap_or(word);
        Some(self.stem_kept(word))
    }

    /// The stem of a word, unless the stem table keeps it apart.
    fn stem_kept(&self, word: &str) -> String {
        match self.stems.get(word) {
            Some(kept) => kept.clone(),
            None => self.stem(word),
        }
    }

    /// The stem of a word without table look-ups (used for fuzzy variants).
    pub fn stem(&self, word: &str) -> String {
        // Inflammations stay whole: the stemmer would fold "hepatitis" into
        // "hepat", the stem of "hepatic".
        if word.len() <= 3 || word.bytes().any(|b| b.is_ascii_digit()) || word.ends_with("itis") {
            return word.to_string();
        }
        self.stemmer.stem(word).into_owned()
    }

    /// Whether a spelling rule or table knows this word.
    pub fn spelling_of(&self, word: &str) -> Option<&str> {
        self.spelling.get(word).map(String::as_str)
    }

    /// All terms of `text`, in order, stop words removed.
    pub fn terms(&self, text: &str) -> Vec<Term> {
        self.terms_cached(text, &mut WordCache::default())
    }

    /// [`Analyzer::terms`] with a cache of normal forms, for the builder,
    /// which meets the same few thousand words millions of times.
    pub fn terms_cached(&self, text: &str, cache: &mut WordCache) -> Vec<Term> {
        let tokens = tokenize(text);
        let mut out = Vec::with_capacity(tokens.len());
        let mut negation = Negation::default();
        for (i, t) in tokens.iter().enumerate() {
            let negated = negation.step(t);
            let prev = i.checked_sub(1).map(|p| tokens[p].text.as_str());
            let n = match designated_letter(prev, &t.text) {
                Some(n) => Some(n.to_string()),
                None => match cache.0.get(&t.text) {
                    Some(n) => n.clone(),
                    None => {
                        let n = self.normalize_word(&t.text);
                        cache.0.insert(t.text.clone(), n.clone());
                        n
                    }
                },
            };
            if let Some(n) = n {
                let text = if negated { negate(&n) } else { n };
                out.push(Term {
                    text,
                    surface: t.text.clone(),
                    optional: t.in_parens,
                });
            }
        }
        out
    }

    /// The normal forms of `text` joined by single spaces: the key under
    /// which vocabulary phrases are stored and matched.
    pub fn phrase_key(&self, text: &str) -> String {
        let terms: Vec<String> = tokenize(text)
            .into_iter()
            .map(|t| {
                let w = roman_to_digit(&t.text).unwrap_or(&t.text).to_string();
                let w = self.spelling.get(&w).cloned().unwrap_or(w);
                let w = self.morphology.get(&w).cloned().unwrap_or(w);
                self.stem_kept(&w)
            })
            .collect();
        terms.join(" ")
    }
}

/// A single letter that designates a type or stage: "a" after a content
/// word ("hepatitis A", "influenza A"; an article follows a stop word or
/// nothing), and roman "i"/"v"/"x" after a stage or type word ("CKD stage V").
pub fn designated_letter(prev: Option<&str>, word: &str) -> Option<&'static str> {
    let prev = prev?;
    if DESIGNATED.contains(&prev) {
        return Some(match word {
            "i" => "1",
            "v" => "5",
            "x" => "10",
            _ => return None,
        });
    }
    let content = !Analyzer::is_stop(prev) && !matches!(prev, "with" | "without" | "w");
    (word == "a" && content && prev.len() > 1).then_some("a")
}

/// Roman numerals as clinicians write stages and types ("type II").
/// Single letters (i, v, x) are left alone: they are too often something else.
fn roman_to_digit(word: &str) -> Option<&'static str> {
    Some(match word {
        "ii" => "2",
        "iii" => "3",
        "iv" => "4",
        "vi" => "6",
        "vii" => "7",
        "viii" => "8",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plural_and_tense_meet() {
        let a = Analyzer::default();
        let x: Vec<_> = a.terms("Fractures").into_iter().map(|t| t.text).collect();
        let y: Vec<_> = a.terms("fractured").into_iter().map(|t| t.text).collect();
        assert_eq!(x, y);
    }

    #[test]
    fn with_is_kept_of_is_dropped() {
        let a = Analyzer::default();
        let t: Vec<_> = a
            .terms("Diabetes with neuropathy of foot")
            .into_iter()
            .map(|t| t.text)
            .collect();
        assert!(t.contains(&"with".to_string()));
        assert!(!t.contains(&"of".to_string()));
    }

    #[test]
    fn single_letters_that_name_a_type_are_kept() {
        let a = Analyzer::default();
        let t = |s: &str| a.terms(s).into_iter().map(|t| t.text).collect::<Vec<_>>();
        assert!(t("Hepatitis A without hepatic coma").contains(&"a".to_string()));
        assert!(!t("History of a fall").contains(&"a".to_string()));
        assert!(t("CKD stage V").contains(&"5".to_string()));
        assert!(t("hep C").contains(&"c".to_string()));
    }

    #[test]
    fn negation_runs_to_the_end_of_the_clause() {
        let a = Analyzer::default();
        let t: Vec<String> = a
            .terms("Hernia without obstruction or gangrene, with bleeding; non-Hodgkin lymphoma")
            .into_iter()
            .map(|t| t.text)
            .collect();
        assert_eq!(t[0], "hernia");
        assert!(
            t.contains(&"~obstruct".to_string()) && t.contains(&"~gangren".to_string()),
            "{t:?}"
        );
        assert!(t.contains(&"bleed".to_string()), "{t:?}");
        assert!(
            t.contains(&"~hodgkin".to_string()) && t.contains(&"lymphoma".to_string()),
            "{t:?}"
        );
    }

    #[test]
    fn a_preposition_right_after_the_negator_does_not_end_it() {
        let a = Analyzer::default();
        let t: Vec<String> = a
            .terms("Jaundice, not of newborn; wound without foreign body of finger")
            .into_iter()
            .map(|t| t.text)
            .collect();
        assert!(t.contains(&"~newborn".to_string()), "{t:?}");
        assert!(t.contains(&"~foreign".to_string()), "{t:?}");
        assert!(t.contains(&"finger".to_string()), "{t:?}");
    }

    #[test]
    fn parentheses_mark_optional() {
        let a = Analyzer::default();
        let t = a.terms("Bronchitis (acute) chronic");
        assert!(!t[0].optional && t[1].optional && !t[2].optional);
    }

    #[test]
    fn keys_ignore_case_punctuation_and_spacing() {
        let a = Analyzer::default();
        for s in [
            "Crohn's disease",
            "type II diabetes",
            "ménière's disease",
            "HTN w/ CKD",
        ] {
            let key = a.phrase_key(s);
            assert_eq!(a.phrase_key(&s.to_uppercase()), key, "{s}");
            assert_eq!(
                a.phrase_key(&format!("  {},  ", s.replace(' ', " - "))),
                key,
                "{s}"
            );
        }
    }
}
