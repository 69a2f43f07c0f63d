//! Word parts of an unknown diagnosis word: a compound that no manual
//! writes is read by the parts the manuals do write, before it is treated
//! as a typo (issue 12, item 6).
//!
//! - A known word at its end, and a head read through the same condition
//!   ending ("orchi|epididymitis" → orchitis and epididymitis, or orchitis
//!   and the titles' combining form "epididymo"), through a combining form
//!   of the same meaning that makes a known word with the tail
//!   ("rhino|pharyngitis" → nasopharyngitis), or through the body part the
//!   combining form names ("nephro|calcinosis" → kidney calcinosis).
//! - Else a condition ending ("ureter|olithiasis") and a combining form:
//!   the body part and the ending's tabular word ("ureter calculus").
//!
//! Condition endings and combining forms are vocabulary
//! (`data/vocab/word_parts.tsv`, `procedure_affixes.tsv`): word → word,
//! never a code.

use super::QueryAnalyzer;
use crate::search::query::{Alt, Via};
use crate::search::weights::AFFIX_QUALITY;
use crate::vocab::ExpansionKind;

/// The shortest head and tail of a compound, in bytes.
const MIN_HEAD: usize = 3;
const MIN_TAIL: usize = 5;
/// At most this many readings of one word.
const MAX_READINGS: usize = 6;

/// One reading of a part: its words as the titles write them, and their terms.
struct Part {
    text: String,
    terms: Vec<u32>,
}

impl<D: AsRef<[u8]>> QueryAnalyzer<'_, D> {
    /// The readings of `word` (lower case, unknown to the index) by its parts.
    pub(super) fn compound_alts(&self, word: &str) -> Vec<Alt> {
        if !word.is_ascii() || word.len() < MIN_HEAD + MIN_TAIL {
            return Vec::new();
        }
        for p in MIN_HEAD..=word.len() - MIN_TAIL {
            let (head, tail) = word.split_at(p);
            let Some(tail_id) = self.surface_word(tail) else {
                continue;
            };
            let ending = self.condition_ending(tail);
            let mut alts = Vec::new();
            // A combining form of the same meaning that makes one known
            // word with the tail.
            for whole in self.same_meaning_words(head, tail) {
                alts.push(self.part_alt(word, &whole.text, whole.terms));
            }
            let mut tails = vec![Part {
                text: tail.to_string(),
                terms: vec![tail_id],
            }];
            if let Some(e) = ending {
                let form = format!("{}o", &tail[..tail.len() - e.len()]);
                if let Some(id) = self.surface_word(&form) {
                    tails.push(Part {
                        text: form,
                        terms: vec![id],
                    });
                }
            }
            for h in self.head_parts(head, ending) {
                for t in &tails {
                    let mut terms = h.terms.clone();
                    terms.extend(&t.terms);
                    let text = format!("{} {}", h.text, t.text);
                    alts.push(self.part_alt(word, &text, terms));
                }
            }
            if !alts.is_empty() {
                alts.truncate(MAX_READINGS);
                return alts;
            }
        }
        self.ending_alts(word)
    }

    /// An unknown word ending in a condition ending, its head a combining
    /// form: the body part and the ending's tabular words.
    fn ending_alts(&self, word: &str) -> Vec<Alt> {
        let mut alts = Vec::new();
        for (ending, meanings) in &self.vocab.conditions {
            let Some(head) = word.strip_suffix(ending.as_str()) else {
                continue;
            };
            if head.len() < MIN_HEAD {
                continue;
            }
            for body in self.body_parts(head) {
                for m in meanings {
                    let text = format!("{} {m}", body.text);
                    let (terms, n) = self.known_terms(&text, false);
                    if n > 0 && terms.len() == n {
                        alts.push(self.part_alt(word, &text, terms));
                    }
                }
            }
            if !alts.is_empty() {
                break;
            }
        }
        alts.truncate(MAX_READINGS);
        alts
    }

    /// The head of a compound read on its own: with the tail's condition
    /// ending ("orchi" + "itis"), else as the body part it names.
    fn head_parts(&self, head: &str, ending: Option<&str>) -> Vec<Part> {
        if let Some(e) = ending {
            for stem in stems(head) {
                let w = format!("{stem}{e}");
                if let Some(id) = self.surface_word(&w) {
                    return vec![Part {
                        text: w,
                        terms: vec![id],
                    }];
                }
            }
        }
        self.body_parts(head)
    }

    /// The body parts a combining form names, as known terms.
    fn body_parts(&self, head: &str) -> Vec<Part> {
        let mut out: Vec<Part> = Vec::new();
        for (_, meaning) in self.forms_of(head) {
            let (terms, n) = self.known_terms(meaning, false);
            if n > 0 && terms.len() == n && !out.iter().any(|p| p.text == *meaning) {
                out.push(Part {
                    text: meaning.clone(),
                    terms,
                });
            }
        }
        out
    }

    /// Known words made of another combining form of the head's meaning and
    /// the tail ("rhino" is "naso": "nasopharyngitis").
    fn same_meaning_words(&self, head: &str, tail: &str) -> Vec<Part> {
        let mut out: Vec<Part> = Vec::new();
        for (form, meaning) in self.forms_of(head) {
            for (other, m) in &self.vocab.combining {
                if m != meaning || other == form {
                    continue;
                }
                for w in [format!("{other}{tail}"), format!("{other}o{tail}")] {
                    if let Some(id) = self.surface_word(&w)
                        && !out.iter().any(|p| p.text == w)
                    {
                        out.push(Part {
                            text: w,
                            terms: vec![id],
                        });
                    }
                }
            }
        }
        out
    }

    /// The combining forms the head is (as written, or without its
    /// combining vowel).
    fn forms_of<'v>(&'v self, head: &str) -> impl Iterator<Item = &'v (String, String)> {
        let heads = stems(head);
        self.vocab
            .combining
            .iter()
            .filter(move |(form, _)| heads.contains(&form.as_str()))
    }

    /// The condition ending `tail` ends with, if any (longest first).
    fn condition_ending(&self, tail: &str) -> Option<&str> {
        self.vocab
            .conditions
            .iter()
            .map(|(e, _)| e.as_str())
            .find(|e| tail.len() > e.len() && tail.ends_with(e))
    }

    /// The term of a word the manuals write as such.
    fn surface_word(&self, w: &str) -> Option<u32> {
        self.index.words().get(w).map(|id| id as u32)
    }

    fn part_alt(&self, word: &str, text: &str, terms: Vec<u32>) -> Alt {
        let via = Via::Vocabulary {
            kind: ExpansionKind::Parts,
            from: word.into(),
            to: text.into(),
        };
        self.alt(terms, AFFIX_QUALITY, via)
    }
}

/// A head as written and without its combining vowels ("orchie" →
/// "orchi" → "orch").
fn stems(head: &str) -> [&str; 3] {
    fn bare(h: &str) -> Option<&str> {
        h.strip_suffix(['o', 'i', 'e', 'a'])
            .filter(|b| b.len() >= 2)
    }
    let one = bare(head).unwrap_or(head);
    let two = bare(one).unwrap_or(one);
    [head, one, two]
}
