//! Readings: the alternatives of one slot. A known word is read as
//! written; an unknown one through a spelling rule, two title words written
//! together, word parts, or (last) a fuzzy or prefix correction from
//! [`super::correct`]. A vocabulary expansion the manuals cannot express is
//! read through the entry its meaning names, one step.

use super::QueryAnalyzer;
use crate::search::query::{Alt, Slot, Via};
use crate::search::weights::{AFFIX_QUALITY, EXPANSION_QUALITY, SPELLING_QUALITY, UNKNOWN_WEIGHT};
use crate::text::{Analyzer, Negation, RawToken, designated_letter, negate};
use crate::vocab::ExpansionKind;

impl<D: AsRef<[u8]>> QueryAnalyzer<'_, D> {
    /// The readings of an expansion's meaning that is a vocabulary entry of
    /// its own, for an expansion whose words the manuals lack.
    pub(super) fn chained(&self, e: &crate::vocab::Expansion) -> Vec<Alt> {
        let key = self.analyzer.phrase_key(&e.to);
        let mut alts = Vec::new();
        for next in self.index.phrase(&key).unwrap_or_default() {
            let (terms, n) = self.known_terms(&next.to, false);
            if terms.is_empty() || terms.len() < n {
                continue;
            }
            let via = Via::Vocabulary {
                kind: next.kind,
                from: format!("{} → {}", e.from, next.from),
                to: next.to.clone(),
            };
            alts.push(self.alt(terms, EXPANSION_QUALITY * EXPANSION_QUALITY, via));
        }
        alts
    }

    /// Two words that the titles write as one ("claw hand" → "clawhand",
    /// "ear ache" → "earache"): one slot whose readings are the joined word
    /// and the two words.
    pub(super) fn joined_slot(
        &self,
        raw: &[RawToken],
        i: usize,
        negation: &mut Negation,
    ) -> Option<Slot> {
        let (a, b) = (raw.get(i)?, raw.get(i + 1)?);
        if b.clause_start || Analyzer::is_stop(&a.text) || Analyzer::is_stop(&b.text) {
            return None;
        }
        let joined = format!("{}{}", a.text, b.text);
        let id = self.index.words().get(&joined)? as u32;
        let mut state = negation.clone();
        if state.step(a) || state.step(b) {
            return None;
        }
        *negation = state;
        let surface = format!("{} {}", a.text, b.text);
        let mut alts = vec![self.alt(vec![id], 1.0, Via::Exact)];
        let (both, n) = self.known_terms(&surface, false);
        if both.len() == n && n == 2 {
            alts.push(self.alt(both, 1.0, Via::Exact));
        }
        let weight = alts.iter().map(|a| a.total_idf).fold(0.0, f32::max);
        Some(Slot {
            surface,
            weight,
            alts,
        })
    }

    /// An unknown word that is two title words written together
    /// ("clawhand" where the title says "claw hand").
    fn split_alt(&self, word: &str) -> Option<Alt> {
        let words = self.index.words();
        (3..word.len().saturating_sub(2))
            .filter(|p| word.is_char_boundary(*p))
            .find_map(|p| {
                let (a, b) = word.split_at(p);
                let (a, b) = (words.get(a)? as u32, words.get(b)? as u32);
                let via = Via::Vocabulary {
                    kind: ExpansionKind::Parts,
                    from: word.into(),
                    to: format!("{} {}", &word[..p], &word[p..]),
                };
                Some(self.alt(vec![a, b], SPELLING_QUALITY, via))
            })
    }

    /// A slot for one word that no phrase covered.
    pub(super) fn word_slot(&self, prev: Option<&str>, word: &str, negated: bool) -> Option<Slot> {
        let term = match designated_letter(prev, word) {
            Some(t) => t.to_string(),
            None => self.analyzer.normalize_word(word)?,
        };
        let surface = word.to_string();
        if negated {
            // A negated word matches only the same word negated in a title.
            let alts: Vec<Alt> = self
                .index
                .term_id(&negate(&term))
                .map(|id| self.alt(vec![id], 1.0, Via::Exact))
                .into_iter()
                .collect();
            let weight = alts.first().map_or(UNKNOWN_WEIGHT, |a| a.total_idf);
            return Some(Slot {
                surface,
                weight,
                alts,
            });
        }
        if let Some(id) = self.index.term_id(&term) {
            let alt = self.alt(vec![id], 1.0, Via::Exact);
            let weight = alt.total_idf;
            let mut alts = vec![alt];
            alts.extend(self.unwritten_word_fuzzy(word, &term, id));
            return Some(Slot {
                surface,
                weight,
                alts,
            });
        }
        let mut alts = Vec::new();
        for (from, to) in &self.vocab.spelling_rules {
            if !word.contains(from.as_str()) {
                continue;
            }
            let fixed = word.replace(from.as_str(), to);
            if let Some(id) = self
                .analyzer
                .normalize_word(&fixed)
                .and_then(|t| self.index.term_id(&t))
            {
                alts.push(self.alt(
                    vec![id],
                    SPELLING_QUALITY,
                    Via::Spelling {
                        from: word.into(),
                        to: fixed,
                    },
                ));
                break;
            }
        }
        if alts.is_empty()
            && let Some((part, meanings)) = self.vocab.split_affixes(word)
        {
            for m in meanings {
                let text = format!("{m} {part}");
                let (terms, _) = self.known_terms(&text, false);
                if !terms.is_empty() {
                    let via = Via::Vocabulary {
                        kind: ExpansionKind::Affix,
                        from: word.into(),
                        to: text,
                    };
                    alts.push(self.alt(terms, AFFIX_QUALITY, via));
                }
            }
        }
        if alts.is_empty()
            && let Some(alt) = self.split_alt(word)
        {
            alts.push(alt);
        }
        if alts.is_empty() {
            alts = self.compound_alts(word);
            if !alts.is_empty() {
                // A slip of one letter in a known word ("choleecystitis")
                // is as likely as a compound: both readings stand.
                alts.extend(
                    self.fuzzy(word, &term)
                        .into_iter()
                        .filter(|a| matches!(a.via, Via::Fuzzy { distance: 1, .. })),
                );
            }
        }
        if alts.is_empty() {
            alts = self.fuzzy(word, &term);
        }
        if alts.is_empty() {
            alts = self.fuzzy_vocabulary(word);
        }
        if alts.is_empty() {
            alts = self.prefix(word, &term);
        }
        let guesses = alts
            .iter()
            .filter(|a| matches!(a.via, Via::Fuzzy { .. } | Via::Prefix { .. }))
            .count();
        let weight = if alts.is_empty() {
            UNKNOWN_WEIGHT
        } else if guesses > 1 {
            // Several corrections are several guesses ("ohter": other or
            // outer?): like an ambiguous abbreviation, the word weighs their
            // mean, so a rare guess does not make it the query's main word.
            alts.iter().map(|a| a.total_idf).sum::<f32>() / alts.len() as f32
        } else {
            alts.iter().map(|a| a.total_idf).fold(0.0, f32::max)
        };
        Some(Slot {
            surface,
            weight,
            alts,
        })
    }
}
