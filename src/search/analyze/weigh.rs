//! Weighing: how much each slot counts in a name's query coverage, and
//! each reading's full idf. The words as written give a slot the idf of its
//! terms (see [`super::readings`]); these passes then adjust it for where
//! and how the words were written.

use super::QueryAnalyzer;
use crate::search::query::{Alt, Slot, Via};
use crate::search::weights::{ENCOUNTER_WEIGHT, EPONYM_WEIGHT, HEAD_CLAUSE_WEIGHT, MARKER_DAMPING};
use crate::text::RawToken;
use crate::vocab::ExpansionKind;

/// Words that only choose the encounter (7th character).
pub const ENCOUNTER_WORDS: &[&str] = &["initial", "subsequent", "encounter"];

impl<D: AsRef<[u8]>> QueryAnalyzer<'_, D> {
    /// Adjusts the weight of each slot (given with the position of its
    /// first token in `raw`; `head`: per token, in the first clause as
    /// written) and sets each reading's full idf.
    pub(super) fn weigh(&self, slots: &mut [(Slot, usize)], raw: &[RawToken], head: &[bool]) {
        // The words before the first comma name the condition; what follows
        // qualifies it ("Tuberculosis of esophagus, tubercle bacilli found
        // by microscopy", "Fracture, femur, neck").
        for (slot, start) in slots.iter_mut() {
            if head[*start] {
                slot.weight *= HEAD_CLAUSE_WEIGHT;
            }
            // An eponym ("Vincent's", "Crohn's") names one disease.
            if raw[*start].possessive {
                slot.weight *= EPONYM_WEIGHT;
            }
        }
        // "unspecified" asks for no detail: it must not outweigh the words that do.
        let markers = self.markers;
        for (slot, _) in slots.iter_mut() {
            let own = self.analyzer.terms(&slot.surface);
            if !own.is_empty()
                && own.iter().all(|t| {
                    self.index
                        .term_id(&t.text)
                        .is_some_and(|id| markers.contains(&id))
                })
            {
                slot.weight *= MARKER_DAMPING;
            }
        }
        // Words that choose the encounter (the 7th character: "subsequent
        // encounter", "sequela", a chart's "follow-up") say which variant of
        // the condition, not which condition: they must not outweigh it.
        let encounter = self.encounter;
        for (slot, _) in slots.iter_mut() {
            let names_encounter = slot
                .alts
                .iter()
                .any(|a| !a.terms.is_empty() && a.terms.iter().all(|t| encounter.contains(t)));
            if names_encounter {
                slot.weight *= ENCOUNTER_WEIGHT;
            }
        }
        for (slot, _) in slots.iter_mut() {
            set_full_idf(&mut slot.alts);
        }
    }
}

/// A reading from word parts ("urethroscopy" → urethra + a meaning of
/// "-scopy").
fn is_affix_reading(a: &Alt) -> bool {
    matches!(
        a.via,
        Via::Vocabulary {
            kind: ExpansionKind::Affix,
            ..
        }
    )
}

/// Sets each reading's `full_idf`. A suffix lists its meanings best first
/// ("-scopy": "inspection endoscopic | inspection"), so among word-part
/// readings one whose terms another's include earns only its share of the
/// richer one. Vocabulary lines are readings in their own right: a scope
/// word written as "inspection bladder via …" and as "bladder via …" must
/// read fully as the second when another word names the operation
/// ("cystoscopy with biopsy").
fn set_full_idf(alts: &mut [Alt]) {
    let richer: Vec<f32> = alts
        .iter()
        .map(|a| {
            alts.iter()
                .filter(|b| {
                    is_affix_reading(a)
                        && is_affix_reading(b)
                        && a.terms.iter().all(|t| b.terms.contains(t))
                })
                .map(|b| b.total_idf)
                .fold(a.total_idf, f32::max)
        })
        .collect();
    for (a, full) in alts.iter_mut().zip(richer) {
        a.full_idf = full;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::weights::EXPANSION_QUALITY;

    fn reading(kind: ExpansionKind, terms: &[u32]) -> Alt {
        Alt {
            terms: terms.to_vec(),
            weights: vec![1.0; terms.len()],
            total_idf: terms.len() as f32,
            full_idf: terms.len() as f32,
            quality: EXPANSION_QUALITY,
            via: Via::Vocabulary {
                kind,
                from: String::new(),
                to: String::new(),
            },
        }
    }

    #[test]
    fn only_a_poorer_word_part_reading_earns_a_share_of_the_richer() {
        // "-scopy": "inspection endoscopic" | "inspection" — the second earns 2/3.
        let mut alts = vec![
            reading(ExpansionKind::Affix, &[1, 2, 3]),
            reading(ExpansionKind::Affix, &[1, 3]),
        ];
        set_full_idf(&mut alts);
        assert_eq!(alts[0].full_idf, 3.0);
        assert_eq!(alts[1].full_idf, 3.0);
        // Two vocabulary lines ("inspection bladder via …", "bladder via …")
        // are two readings, each complete.
        let mut alts = vec![
            reading(ExpansionKind::Procedure, &[1, 2, 3]),
            reading(ExpansionKind::Procedure, &[2, 3]),
        ];
        set_full_idf(&mut alts);
        assert_eq!(alts[1].full_idf, 2.0);
    }
}
