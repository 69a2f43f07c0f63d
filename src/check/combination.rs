//! Combination hints: a member of a family the guidelines combine
//! (hypertension, diabetes — see [`super::guidelines::FAMILIES`]) coded
//! beside a condition that one of the family's combination codes covers.
//! A code covers the conditions its "use additional code" note asks for
//! (I12.9: "code to identify the stage of chronic kidney disease
//! (N18.1-N18.4, N18.9)"; E11.22: "(N18.1-N18.6)"), so the hints come from
//! the tabular, not from a list of pairs.

use super::guidelines::{FAMILIES, Family, Scope};
use super::notes::NoteGroup;
use super::{Checker, Code, Edit, EditKind, Severity};
use std::borrow::Cow;

/// A combination code of a family and the conditions it covers.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// Its doc.
    pub doc: u32,
    /// Its key.
    pub key: String,
    /// Its "use additional code" groups citing codes outside the family.
    pub groups: Vec<NoteGroup>,
}

fn candidates<D: AsRef<[u8]>>(ck: &Checker<D>, fam: &Family) -> Vec<Candidate> {
    let idx = ck.index();
    let mut out = Vec::new();
    idx.for_codes_from(fam.range.lo, |key, doc| {
        let Ok(key) = std::str::from_utf8(key) else {
            return true;
        };
        if !fam.range.covers(key) {
            return key < fam.range.lo || key[..key.len().min(fam.range.hi.len())] <= *fam.range.hi;
        }
        let d = idx.doc(doc);
        if d.is_code() && ck.cm.contains(&d.system) {
            let groups: Vec<NoteGroup> = ck
                .rules(doc)
                .use_additional
                .iter()
                .filter(|g| g.targets.iter().any(|t| !fam.range.covers(&t.lo)))
                .cloned()
                .collect();
            if !groups.is_empty() {
                out.push(Candidate {
                    doc,
                    key: key.to_string(),
                    groups,
                });
            }
        }
        true
    });
    out
}

/// Adds one combination hint per family member that has one.
pub fn edits<'s, D: AsRef<[u8]>>(
    ck: &'s Checker<D>,
    codes: &[Code<'s>],
    out: &mut Vec<Cow<'s, Edit<'s>>>,
) {
    let idx = ck.index();
    for (f, fam) in FAMILIES.iter().enumerate() {
        let members: Vec<&Code> = codes
            .iter()
            .filter(|c| c.doc.is_some() && c.res.families & 1 << f != 0)
            .collect();
        if members.is_empty() {
            continue;
        }
        // A condition a member's own notes already ask for is combined.
        let combined = |o: &Code| {
            members.iter().any(|m| {
                m.chain().iter().any(|d| {
                    ck.rules(*d)
                        .use_additional
                        .iter()
                        .any(|g| g.matches_packed(o.key.bytes(), o.packed))
                })
            })
        };
        let others: Vec<&Code> = codes
            .iter()
            .filter(|c| c.doc.is_some() && c.res.families & 1 << f == 0 && !combined(c))
            .collect();
        if others.is_empty() {
            continue;
        }
        let cands = ck.families[f].get_or_init(|| candidates(ck, fam));
        for x in &members {
            let best = cands
                .iter()
                .filter(|k| {
                    fam.scope == Scope::Family || k.key.as_bytes()[..3] == x.key.bytes()[..3]
                })
                .filter(|k| {
                    !codes
                        .iter()
                        .any(|c| c.key.bytes().starts_with(k.key.as_bytes()))
                })
                .filter_map(|k| {
                    let covered: Vec<&Code> = others
                        .iter()
                        .copied()
                        .filter(|o| {
                            k.groups
                                .iter()
                                .any(|g| g.matches_packed(o.key.bytes(), o.packed))
                        })
                        .collect();
                    let unmet = k
                        .groups
                        .iter()
                        .filter(|g| {
                            !others
                                .iter()
                                .any(|o| g.matches_packed(o.key.bytes(), o.packed))
                        })
                        .count();
                    (!covered.is_empty()).then_some((covered, unmet, k))
                })
                .min_by_key(|(covered, unmet, k)| {
                    (std::cmp::Reverse(covered.len()), *unmet, k.doc)
                });
            let Some((covered, _, k)) = best else {
                continue;
            };
            let kd = idx.doc(k.doc);
            let combo = if kd.billable() {
                kd.code.to_string()
            } else {
                format!("a code of {}", kd.code)
            };
            let with: Vec<String> = covered.iter().map(|c| c.label().to_string()).collect();
            let mut edit_codes = vec![Cow::Owned(x.label().to_string())];
            edit_codes.extend(with.iter().cloned().map(Cow::Owned));
            out.push(Cow::Owned(Edit {
                kind: EditKind::Combination,
                severity: Severity::Warning,
                codes: edit_codes,
                message: format!(
                    "{} + {}: {} with these is one combination code — {combo} + {} ({})",
                    x.label(),
                    with.join(" + "),
                    fam.what,
                    with.join(" + "),
                    kd.title
                )
                .into(),
                source: fam.source.into(),
            }));
        }
    }
}
