//! Edits from the notes (Excludes1, Code first, Use additional, Code also,
//! read from a code and all its ancestors) and from the guidelines' order
//! rules (manifestations, external causes, Z codes, sequelae).

use super::guidelines::{
    ADDITIONAL_ONLY, EXTERNAL_CAUSE, EXTERNAL_CAUSE_SOURCE, FIRST_LISTED_ONLY,
    FIRST_LISTED_ONLY_SOURCE, MANIFESTATION_SOURCE, SEQUELA_SOURCE,
};
use super::notes::NoteGroup;
use super::{Checker, Code, Edit, EditKind, Severity};
use std::collections::HashSet;

/// The ICD-10-CM codes of the encounter, each once: (position, code).
fn cm_codes(codes: &[Code]) -> impl Iterator<Item = (usize, &Code)> {
    codes
        .iter()
        .enumerate()
        .filter(|(_, c)| !c.repeat && c.doc.is_some())
}

/// Adds the edits of the notes.
pub fn note_edits<D: AsRef<[u8]>>(ck: &Checker<D>, codes: &[Code], out: &mut Vec<Edit>) {
    let mut pairs = HashSet::new();
    for (i, c) in cm_codes(codes) {
        let mut seen = HashSet::new();
        for &owner in &c.chain {
            let rules = ck.rules(owner);
            let owner_key = &rules.key;
            let general = rules.general;
            let others = || {
                cm_codes(codes)
                    .filter(move |(j, o)| *j != i && !o.key.starts_with(owner_key.as_str()))
            };
            for g in &rules.excludes1 {
                for (j, o) in others().filter(|(_, o)| g.matches(&o.key)) {
                    if pairs.insert((i.min(j), i.max(j))) {
                        out.push(Edit {
                            kind: EditKind::Excludes1,
                            severity: Severity::Error,
                            codes: vec![c.label.clone(), o.label.clone()],
                            message: format!(
                                "{} and {} are never coded together: {}",
                                c.label.clone(),
                                o.label.clone(),
                                g.text
                            ),
                            source: format!("Excludes1 at {}", rules.code),
                        });
                    }
                }
            }
            if let Some(g) = &rules.code_first {
                let before = others().any(|(j, o)| j < i && g.matches(&o.key));
                let after: Vec<&Code> = others()
                    .filter(|(j, o)| *j > i && g.matches(&o.key))
                    .map(|(_, o)| o)
                    .collect();
                let source = format!("Code first at {}", rules.code);
                if !after.is_empty() && !before {
                    out.push(Edit {
                        kind: EditKind::CodeFirst,
                        severity: Severity::Error,
                        codes: vec![c.label.clone(), after[0].label.clone()],
                        message: format!(
                            "list {} before {}: {} says code first {}",
                            after[0].label.clone(),
                            c.label.clone(),
                            rules.code,
                            g.text
                        ),
                        source,
                    });
                } else if !before
                    && (!g.targets.is_empty() || i == 0)
                    && seen.insert(g.text.clone())
                {
                    out.push(missing(
                        EditKind::CodeFirst,
                        c,
                        g,
                        general,
                        source,
                        "code first",
                    ));
                }
            }
            for (kind, groups, what) in [
                (
                    EditKind::UseAdditional,
                    &rules.use_additional,
                    "use additional",
                ),
                (EditKind::CodeAlso, &rules.code_also, "code also"),
            ] {
                for g in groups.iter().filter(|g| !g.targets.is_empty()) {
                    if others().any(|(_, o)| g.matches(&o.key)) || !seen.insert(g.text.clone()) {
                        continue;
                    }
                    let label = if kind == EditKind::UseAdditional {
                        "Use additional code"
                    } else {
                        "Code also"
                    };
                    let source = format!("{label} at {}", rules.code);
                    out.push(missing(kind, c, g, general, source, what));
                }
            }
        }
    }
}

/// A note's target missing from the encounter: a warning, or a note when
/// the note is conditional, general (a chapter's or block's) or cites only
/// external causes (not nationally required, Official Guidelines I.C.20).
fn missing(
    kind: EditKind,
    c: &Code,
    g: &NoteGroup,
    general: bool,
    source: String,
    what: &str,
) -> Edit {
    let external = !g.targets.is_empty() && g.targets.iter().all(|t| EXTERNAL_CAUSE.covers(&t.lo));
    let severity = if g.conditional || general || external {
        Severity::Note
    } else {
        Severity::Warning
    };
    let message = if g.targets.is_empty() {
        format!(
            "{}: {what} {} — list it before {}",
            c.label.clone(),
            g.text,
            c.label.clone()
        )
    } else {
        format!(
            "{}: {what} {} — none of {} is on the encounter",
            c.label.clone(),
            g.text,
            g.cited
        )
    };
    Edit {
        kind,
        severity,
        codes: vec![c.label.clone()],
        message,
        source,
    }
}

/// Adds the order edits of the guidelines.
pub fn guideline_edits<D: AsRef<[u8]>>(ck: &Checker<D>, codes: &[Code], out: &mut Vec<Edit>) {
    let idx = ck.index();
    let error = |kind, c: &Code, message: String, source: String| Edit {
        kind,
        severity: Severity::Error,
        codes: vec![c.label.clone()],
        message,
        source,
    };
    for (i, c) in cm_codes(codes) {
        let chain = &c.chain;
        let label = c.label.clone();
        if i == 0 && EXTERNAL_CAUSE.covers(&c.key) {
            out.push(error(
                EditKind::ExternalCauseFirst,
                c,
                format!("{label} is an external-cause code: list the injury or condition it explains first"),
                EXTERNAL_CAUSE_SOURCE.into(),
            ));
        }
        if i == 0 && chain.iter().any(|d| ck.rules(*d).manifestation) {
            out.push(error(
                EditKind::ManifestationFirst,
                c,
                format!("{label} is a manifestation code: list the underlying disease first"),
                MANIFESTATION_SOURCE.into(),
            ));
        }
        if i > 0 && FIRST_LISTED_ONLY.iter().any(|r| r.covers(&c.key)) {
            out.push(error(
                EditKind::FirstListedOnly,
                c,
                format!("{label} may only be the first-listed diagnosis: move it first"),
                FIRST_LISTED_ONLY_SOURCE.into(),
            ));
        }
        if i == 0 {
            let rule = ADDITIONAL_ONLY
                .iter()
                .find(|(r, _)| r.covers(&c.key))
                .map(|(_, s)| s.to_string())
                .or_else(|| {
                    chain
                        .iter()
                        .find(|d| ck.rules(**d).additional_only)
                        .map(|d| format!("tabular note at {}", idx.doc(*d).code))
                });
            if let Some(source) = rule {
                out.push(error(
                    EditKind::AdditionalOnly,
                    c,
                    format!("{label} is for use as an additional code only: list the condition it qualifies first"),
                    source,
                ));
            }
        }
        let sequela = c.key.len() == 7
            && c.key.ends_with('S')
            && !EXTERNAL_CAUSE.covers(&c.key)
            && chain.iter().any(|d| ck.rules(*d).sequela_seventh);
        if sequela {
            let residual = |o: &Code| {
                o.doc.is_some()
                    && !EXTERNAL_CAUSE.covers(&o.key)
                    && !(o.key.len() == 7 && o.key.ends_with('S'))
            };
            let before = codes[..i].iter().any(residual);
            if let Some(after) = codes[i + 1..]
                .iter()
                .find(|o| residual(o))
                .filter(|_| !before)
            {
                out.push(Edit {
                    kind: EditKind::SequelaOrder,
                    severity: Severity::Warning,
                    codes: vec![label.clone(), after.label.clone()],
                    message: format!(
                        "{label} is a sequela code: list the residual condition ({}) before it",
                        after.label.clone()
                    ),
                    source: SEQUELA_SOURCE.into(),
                });
            }
        }
    }
}
