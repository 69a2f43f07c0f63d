//! Manifestations (Official Guidelines I.A.13, etiology/manifestation): a
//! code whose "code first" note names an underlying condition is how the
//! tabular codes what that condition causes — "Dementia in other diseases
//! classified elsewhere" (F02: code first Alzheimer's disease, G30.-),
//! "Anemia in chronic kidney disease" (D63.1: code first N18.-). When a
//! phrase's coding holds the condition and a part that such a code's
//! title covers ("dementia in Alzheimer's disease": G30.9 and F03.90),
//! the part is that code (F02.80), sequenced after the condition.
//!
//! The notes are read once per matcher (a run, a shell session), from the
//! tabular, when a coding first needs them.

use super::targets::{Target, parse};
use crate::index::Index;
use crate::index::format::{FLAG_BLOCK, FLAG_CHAPTER};
use crate::search::is_procedure_system;

/// Every "code first" note target of the diagnosis manuals, with the code
/// whose note it is.
#[derive(Debug, Default)]
pub struct Manifestations {
    notes: Vec<(Target, u32)>,
}

impl Manifestations {
    /// Reads the "code first" notes of every code of `index`'s diagnosis
    /// manuals.
    pub fn of<D: AsRef<[u8]>>(index: &Index<D>) -> Self {
        let mut notes = Vec::new();
        let mut first = 0u32;
        for m in &index.meta().manuals {
            let docs = first..first + m.entries as u32;
            first = docs.end;
            if is_procedure_system(&m.system) {
                continue;
            }
            for d in docs {
                // Chapters' and blocks' notes speak of whole ranges.
                if index.doc_system_flags(d).1 & (FLAG_CHAPTER | FLAG_BLOCK) != 0 {
                    continue;
                }
                for line in &index.detail(d).notes.code_first {
                    notes.extend(parse(line).into_iter().map(|t| (t, d)));
                }
            }
        }
        Manifestations { notes }
    }

    /// The billable codes that code what `condition` causes, as the part
    /// coded `own` reads it: each code whose "code first" note (its own or
    /// a header's above it) names `condition`, or of the header's billable
    /// codes the one whose title says most of what `own`'s says
    /// ("unspecified severity, without behavioral disturbance" of F03.90
    /// picks F02.80 under F02).
    pub fn of_condition<'a, D: AsRef<[u8]>>(
        &'a self,
        index: &'a Index<D>,
        condition: &'a str,
        own: u32,
    ) -> impl Iterator<Item = u32> + 'a {
        let said = title_terms(index, own);
        let letter = condition.bytes().next().unwrap_or(0).to_ascii_uppercase();
        self.notes
            .iter()
            .filter(move |(t, _)| {
                let (lo, hi) = t.letters();
                lo <= letter && letter <= hi && t.covers(condition)
            })
            .filter_map(move |&(_, d)| {
                if index.doc(d).billable() {
                    return Some(d);
                }
                let shared = |c: u32| {
                    let t = title_terms(index, c);
                    t.iter().filter(|x| said.contains(x)).count()
                };
                let mut best: Option<(usize, u32)> = None;
                for c in index.billable_descendants(d) {
                    let n = shared(c);
                    if best.is_none_or(|(b, _)| n > b) {
                        best = Some((n, c));
                    }
                }
                best.map(|(_, c)| c)
            })
    }
}

/// The terms of a code's own title.
fn title_terms<D: AsRef<[u8]>>(index: &Index<D>, doc: u32) -> Vec<u32> {
    index.title_name(doc).map_or_else(Vec::new, |n| {
        index.name_terms(&index.name(n)).map(|(t, _)| t).collect()
    })
}
