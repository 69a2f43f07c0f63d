//! Edits from the notes (Excludes1, Code first, Use additional, Code also,
//! read from a code and all its ancestors) and from the guidelines' order
//! rules (manifestations, external causes, Z codes, sequelae).

use super::guidelines::{
    EXTERNAL_CAUSE_SOURCE, FIRST_LISTED_ONLY_SOURCE, MANIFESTATION_SOURCE, SEQUELA_SOURCE,
};
use super::notes::NoteGroup;
use super::{Checker, Code, Edit, EditKind, Severity, Text};
use std::borrow::Cow;

/// The ICD-10-CM codes of the encounter, each once: (position, code).
fn cm_codes<'c, 's>(codes: &'c [Code<'s>]) -> impl Iterator<Item = (usize, &'c Code<'s>)> {
    codes
        .iter()
        .enumerate()
        .filter(|(_, c)| !c.repeat && c.doc.is_some())
}

/// The code as printed in the release, borrowed from the checker (the
/// codes [`cm_codes`] yields have a doc).
fn label<'s, D: AsRef<[u8]>>(ck: &'s Checker<D>, c: &Code<'s>) -> &'s str {
    c.cached_label()
        .unwrap_or_else(|| c.doc.map_or("", |d| ck.rules(d).code.as_str()))
}

/// Adds the edits of the notes.
pub fn note_edits<'s, D: AsRef<[u8]>>(
    ck: &'s Checker<D>,
    codes: &[Code<'s>],
    out: &mut Vec<Cow<'s, Edit<'s>>>,
) {
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    // The notes already reported missing for the code (an ancestor may
    // repeat a note word for word).
    let mut seen: Vec<&'s str> = Vec::new();
    for (i, c) in cm_codes(codes) {
        let code = label(ck, c);
        seen.clear();
        for owner in c.noted() {
            let rules = ck.rules(owner);
            let owner_key = &rules.key;
            let owner_prefix = rules.key_prefix;
            let general = rules.general;
            // The other codes, but for the owner's own (a note never
            // concerns the codes under it).
            let others = || {
                cm_codes(codes).filter(move |(j, o)| {
                    *j != i
                        && !match owner_prefix.zip(o.packed) {
                            Some(((p, mask), k)) => k & mask == p,
                            None => o.key.bytes().starts_with(owner_key.as_bytes()),
                        }
                })
            };
            for g in &rules.excludes1 {
                for (j, o) in others().filter(|(_, o)| g.matches_packed(o.key.bytes(), o.packed)) {
                    let pair = (i.min(j), i.max(j));
                    if !pairs.contains(&pair) {
                        pairs.push(pair);
                        let other = label(ck, o);
                        out.push(Cow::Owned(Edit {
                            kind: EditKind::Excludes1,
                            severity: Severity::Error,
                            codes: vec![Cow::Borrowed(code), Cow::Borrowed(other)],
                            message: format!(
                                "{code} and {other} are never coded together: {}",
                                g.text
                            )
                            .into(),
                            source: Text::At("Excludes1", &rules.code),
                        }));
                    }
                }
            }
            if let Some(g) = &rules.code_first {
                let before =
                    others().any(|(j, o)| j < i && g.matches_packed(o.key.bytes(), o.packed));
                let after =
                    others().find(|(j, o)| *j > i && g.matches_packed(o.key.bytes(), o.packed));
                if let Some((_, after)) = after.filter(|_| !before) {
                    let first = label(ck, after);
                    out.push(Cow::Owned(Edit {
                        kind: EditKind::CodeFirst,
                        severity: Severity::Error,
                        codes: vec![Cow::Borrowed(code), Cow::Borrowed(first)],
                        message: format!(
                            "list {first} before {code}: {} says code first {}",
                            rules.code, g.text
                        )
                        .into(),
                        source: Text::At("Code first", &rules.code),
                    }));
                } else if !before
                    && (!g.targets.is_empty() || i == 0)
                    && !seen.contains(&g.text.as_str())
                {
                    seen.push(&g.text);
                    out.push(missing(
                        EditKind::CodeFirst,
                        code,
                        g,
                        general,
                        Text::At("Code first", &rules.code),
                        "code first",
                    ));
                }
            }
            for (kind, groups, what, note) in [
                (
                    EditKind::UseAdditional,
                    &rules.use_additional,
                    "use additional",
                    "Use additional code",
                ),
                (
                    EditKind::CodeAlso,
                    &rules.code_also,
                    "code also",
                    "Code also",
                ),
            ] {
                for g in groups.iter().filter(|g| !g.targets.is_empty()) {
                    if others().any(|(_, o)| g.matches_packed(o.key.bytes(), o.packed))
                        || seen.contains(&g.text.as_str())
                    {
                        continue;
                    }
                    seen.push(&g.text);
                    let source = Text::At(note, &rules.code);
                    out.push(missing(kind, code, g, general, source, what));
                }
            }
        }
    }
}

/// A note's target missing from the encounter: a warning, or a note when
/// the note is conditional, general (a chapter's or block's) or cites only
/// external causes (not nationally required, Official Guidelines I.C.20).
fn missing<'s>(
    kind: EditKind,
    code: &'s str,
    group: &'s NoteGroup,
    general: bool,
    source: Text<'s>,
    what: &'static str,
) -> Cow<'s, Edit<'s>> {
    let severity = if group.conditional || general || group.external {
        Severity::Note
    } else {
        Severity::Warning
    };
    Cow::Owned(Edit {
        kind,
        severity,
        codes: vec![Cow::Borrowed(code)],
        message: Text::Missing { code, what, group },
        source,
    })
}

/// Adds the order edits of the guidelines.
pub fn guideline_edits<'s, D: AsRef<[u8]>>(
    ck: &'s Checker<D>,
    codes: &[Code<'s>],
    out: &mut Vec<Cow<'s, Edit<'s>>>,
) {
    let error = |kind, code: &'s str, message: Text<'s>, source: Text<'s>| {
        Cow::Owned(Edit {
            kind,
            severity: Severity::Error,
            codes: vec![Cow::Borrowed(code)],
            message,
            source,
        })
    };
    for (i, c) in cm_codes(codes) {
        let code = label(ck, c);
        let key = c.key.bytes();
        if i == 0 && c.res.external_cause {
            out.push(error(
                EditKind::ExternalCauseFirst,
                code,
                Text::Lead(
                    code,
                    " is an external-cause code: list the injury or condition it explains first",
                ),
                EXTERNAL_CAUSE_SOURCE.into(),
            ));
        }
        if i == 0 && c.res.manifestation {
            out.push(error(
                EditKind::ManifestationFirst,
                code,
                Text::Lead(
                    code,
                    " is a manifestation code: list the underlying disease first",
                ),
                MANIFESTATION_SOURCE.into(),
            ));
        }
        if i > 0 && c.res.first_listed_only {
            out.push(error(
                EditKind::FirstListedOnly,
                code,
                Text::Lead(
                    code,
                    " may only be the first-listed diagnosis: move it first",
                ),
                FIRST_LISTED_ONLY_SOURCE.into(),
            ));
        }
        if i == 0 {
            let rule = c.res.additional_only_rule.map(Text::Static).or_else(|| {
                c.res
                    .additional_only
                    .map(|d| Text::At("tabular note", &ck.rules(d).code))
            });
            if let Some(source) = rule {
                out.push(error(
                    EditKind::AdditionalOnly,
                    code,
                    Text::Lead(
                        code,
                        " is for use as an additional code only: list the condition it qualifies first",
                    ),
                    source,
                ));
            }
        }
        let seventh_s = |k: &[u8]| k.len() == 7 && k.ends_with(b"S");
        let sequela = seventh_s(key) && !c.res.external_cause && c.res.sequela_seventh;
        if sequela {
            let residual =
                |o: &Code| o.doc.is_some() && !o.res.external_cause && !seventh_s(o.key.bytes());
            let before = codes[..i].iter().any(residual);
            if let Some(after) = codes[i + 1..]
                .iter()
                .find(|o| residual(o))
                .filter(|_| !before)
            {
                let after = label(ck, after);
                out.push(Cow::Owned(Edit {
                    kind: EditKind::SequelaOrder,
                    severity: Severity::Warning,
                    message: format!(
                        "{code} is a sequela code: list the residual condition ({after}) before it"
                    )
                    .into(),
                    codes: vec![Cow::Borrowed(code), Cow::Borrowed(after)],
                    source: SEQUELA_SOURCE.into(),
                }));
            }
        }
    }
}
