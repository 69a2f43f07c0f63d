//! Segmentation: the tokens of a query become slots. Index wording is
//! first put in natural order ([`index_order`]); then, at each position,
//! the longest vocabulary phrase wins, else two words the titles write as
//! one, else the word alone.

use super::QueryAnalyzer;
use super::correct::mark_corrected;
use crate::search::query::{Alt, Slot, Via};
use crate::search::weights::{CAPITALS_LITERAL_QUALITY, EXPANSION_QUALITY, INDEX_HEAD_WORDS};
use crate::text::{Analyzer, NEGATORS, Negation, RawToken};
use crate::vocab::ExpansionKind;

/// Index wording puts the condition first and its modifiers after it
/// ("Failure, heart, congestive", "Poisoning, food, staphylococcal"); read
/// backwards it is the natural order that vocabulary phrases are written
/// in ("congestive heart failure"). When the first clause of a query has
/// at most [`INDEX_HEAD_WORDS`] words and others follow, the clauses are
/// reversed. Also returns, per token, whether it belongs to the first
/// clause as written (the head, see [`crate::search::weights::HEAD_CLAUSE_WEIGHT`]).
pub fn index_order(raw: Vec<RawToken>) -> (Vec<RawToken>, Vec<bool>) {
    let mut clauses: Vec<Vec<RawToken>> = Vec::new();
    for t in raw {
        match clauses.last_mut() {
            Some(c) if !t.clause_start => c.push(t),
            _ => clauses.push(vec![t]),
        }
    }
    if clauses.len() < 2 {
        let n = clauses.first().map_or(0, Vec::len);
        return (clauses.into_iter().flatten().collect(), vec![false; n]);
    }
    let head_len = clauses[0].len();
    let index_style = clauses[0].iter().filter(|t| !t.in_parens).count() <= INDEX_HEAD_WORDS;
    let mut flagged: Vec<(Vec<RawToken>, bool)> = clauses
        .into_iter()
        .enumerate()
        .map(|(k, c)| (c, k == 0))
        .collect();
    if index_style {
        flagged.reverse();
    }
    let mut tokens = Vec::with_capacity(head_len * 2);
    let mut head = Vec::with_capacity(head_len * 2);
    for (k, (clause, is_head)) in flagged.into_iter().enumerate() {
        for (j, mut t) in clause.into_iter().enumerate() {
            if j == 0 {
                t.clause_start = k > 0;
            }
            tokens.push(t);
            head.push(is_head);
        }
    }
    (tokens, head)
}

impl<D: AsRef<[u8]>> QueryAnalyzer<'_, D> {
    /// The slots of the tokens `raw` (`norm`: their phrase keys;
    /// `corrected`: the words [`Self::correct_into_phrases`] replaced),
    /// each with the position of its first token.
    pub(super) fn segment(
        &self,
        raw: &[RawToken],
        norm: &[String],
        corrected: &[Option<(String, u8)>],
    ) -> Vec<(Slot, usize)> {
        let mut slots = Vec::new();
        let mut negation = Negation::default();
        let mut i = 0;
        while i < raw.len() {
            if let Some((slot, state, len)) = self.phrase_slot(raw, norm, corrected, i, &negation) {
                slots.push((slot, i));
                negation = state;
                i += len;
                continue;
            }
            if let Some(slot) = self.joined_slot(raw, i, &mut negation) {
                slots.push((slot, i));
                i += 2;
                continue;
            }
            let prev = i.checked_sub(1).map(|p| raw[p].text.as_str());
            let negated = negation.step(&raw[i]);
            if let Some(mut slot) = self.word_slot(prev, &raw[i].text, negated) {
                slot.surface = mark_corrected(&mut slot.alts, slot.surface, &corrected[i..=i]);
                slots.push((slot, i));
            }
            i += 1;
        }
        slots
    }

    /// The longest vocabulary phrase starting at token `i` that has a
    /// usable reading, as a slot, with the negation state after it and the
    /// number of tokens it covers.
    fn phrase_slot(
        &self,
        raw: &[RawToken],
        norm: &[String],
        corrected: &[Option<(String, u8)>],
        i: usize,
        negation: &Negation,
    ) -> Option<(Slot, Negation, usize)> {
        let max = self.index.meta().phrase_words.min(raw.len() - i);
        for len in (1..=max).rev() {
            if len == 1 && Analyzer::is_stop(&raw[i].text) {
                break;
            }
            let key = norm[i..i + len].join(" ");
            let Some(exps) = self.index.phrase(&key) else {
                continue;
            };
            let surface = raw[i..i + len]
                .iter()
                .map(|t| t.text.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            let mut alts = Vec::new();
            // Every word of the phrase steps the negation state.
            let mut state = negation.clone();
            let mut negated = false;
            for t in &raw[i..i + len] {
                negated |= state.step(t);
            }
            let (own, own_len) = self.known_terms(&surface, negated);
            let capitals = raw[i..i + len].iter().all(|t| t.upper);
            if !own.is_empty() && own.len() == own_len {
                let q = if capitals {
                    CAPITALS_LITERAL_QUALITY
                } else {
                    1.0
                };
                alts.push(self.alt(own, q, Via::Exact));
            }
            for e in &exps {
                // An expansion is written in the manuals' words; one
                // whose words the manuals lack ("head lice") is not
                // reduced to the words they have ("head").
                let (terms, n) = self.known_terms(&e.to, negated);
                if terms.is_empty() || (!negated && terms.len() < n) {
                    // Unusable as written: when its meaning is itself
                    // a vocabulary entry ("CEA" → "carotid
                    // endarterectomy" → the PCS wording), read it
                    // through that entry, one step, trusted less.
                    if !negated {
                        alts.extend(self.chained(e));
                    }
                    continue;
                }
                let via = Via::Vocabulary {
                    kind: e.kind,
                    from: e.from.clone(),
                    to: e.to.clone(),
                };
                alts.push(self.alt(terms, EXPANSION_QUALITY, via));
                // A meaning that is itself an entry is read through it as
                // well, whether or not some manual has its words ("Keppra"
                // → levetiracetam, an HCPCS word, → the Drug table's
                // "anticonvulsant, specified NEC").
                if !negated {
                    alts.extend(self.chained(e));
                }
            }
            if alts.is_empty() {
                continue;
            }
            let surface = mark_corrected(&mut alts, surface, &corrected[i..i + len]);
            let weight = phrase_weight(&alts);
            if exps
                .iter()
                .any(|e| NEGATORS.contains(&e.to.trim().to_lowercase().as_str()))
            {
                state.negate_clause();
            }
            let slot = Slot {
                surface,
                weight,
                alts,
            };
            return Some((slot, state, len));
        }
        None
    }
}

/// The weight of a phrase's slot: the words as typed set it when they are
/// known; otherwise the best expansion does ("HTN" → "hypertension"). An
/// abbreviation with several senses is weaker evidence: it weighs the mean
/// of its senses, not the best one.
fn phrase_weight(alts: &[Alt]) -> f32 {
    let senses = alts
        .iter()
        .filter(|a| {
            matches!(
                a.via,
                Via::Vocabulary {
                    kind: ExpansionKind::Abbreviation,
                    ..
                }
            )
        })
        .count();
    match alts.first() {
        Some(a) if a.via == Via::Exact => a.total_idf,
        _ if senses > 1 => alts.iter().map(|a| a.total_idf).sum::<f32>() / alts.len() as f32,
        _ => alts.iter().map(|a| a.total_idf).fold(0.0, f32::max),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::tokenize;

    fn words(tokens: &[RawToken]) -> Vec<&str> {
        tokens.iter().map(|t| t.text.as_str()).collect()
    }

    #[test]
    fn index_wording_is_read_backwards_and_keeps_its_head() {
        let (t, head) = index_order(tokenize("Failure, heart, congestive"));
        assert_eq!(words(&t), ["congestive", "heart", "failure"]);
        assert_eq!(head, [false, false, true]);
        // Each clause still starts a clause (negation ends there), the first does not.
        let starts: Vec<bool> = t.iter().map(|t| t.clause_start).collect();
        assert_eq!(starts, [false, true, true]);
    }

    #[test]
    fn a_long_first_clause_keeps_its_order() {
        let (t, head) = index_order(tokenize("Tuberculosis of kidney, confirmed by culture"));
        assert_eq!(words(&t)[0], "tuberculosis");
        assert_eq!(head, [true, true, true, false, false, false]);
        let (t, head) = index_order(tokenize("type 2 diabetes with neuropathy"));
        assert_eq!(t.len(), 5);
        assert!(head.iter().all(|h| !h));
    }
}
