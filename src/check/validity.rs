//! Validity edits: each code exists in the release, is billable, carries an
//! allowed 7th character and its placeholder X, and is listed once; and the
//! specificity note for an unspecified code whose siblings name the side.

use super::guidelines::{DUPLICATE_SOURCE, SPECIFICITY_SOURCE};
use super::{Checker, Code, Edit, EditKind, Severity};
use crate::index::format::{FLAG_BILLABLE, FLAG_SEVENTH};
use std::borrow::Cow;

/// How many billable codes a "not billable" message names.
const NAMED_CHILDREN: usize = 4;

/// Adds the validity edits of every code.
pub fn edits<'s, D: AsRef<[u8]>>(
    ck: &'s Checker<D>,
    codes: &[Code<'s>],
    out: &mut Vec<Cow<'s, Edit<'s>>>,
) {
    for c in codes {
        if c.repeat {
            out.push(Cow::Owned(Edit {
                kind: EditKind::Duplicate,
                severity: Severity::Error,
                codes: vec![Cow::Owned(c.label().to_string())],
                message: format!("{} is listed more than once: remove the repeat", c.label())
                    .into(),
                source: DUPLICATE_SOURCE.into(),
            }));
            continue;
        }
        if c.other_system {
            continue;
        }
        if c.doc.is_none() {
            if !c.other_releases().is_empty() {
                out.push(Cow::Owned(other_release(ck, c)));
                continue;
            }
            out.push(Cow::Owned(not_found(ck, c)));
            continue;
        }
        if let Some(e) = c.alone() {
            out.push(e);
        }
    }
}

/// The edit a code of the release gets on its own: a header's (not
/// billable, or needs a 7th character), else the unspecified note.
pub(super) fn alone<D: AsRef<[u8]>>(ck: &Checker<D>, doc: u32) -> Option<Edit<'static>> {
    if ck.index().doc_system_flags(doc).1 & FLAG_BILLABLE == 0 {
        Some(header(ck, doc))
    } else {
        unspecified(ck, doc)
    }
}

/// The 7th characters allowed for a doc: the nearest definition up its chain.
fn seventh_of<D: AsRef<[u8]>>(ck: &Checker<D>, doc: u32) -> Option<(u32, Vec<u8>)> {
    ck.chain(doc)
        .into_iter()
        .find(|d| !ck.rules(*d).seventh.is_empty())
        .map(|d| (d, ck.rules(d).seventh.clone()))
}

fn chars(list: &[u8]) -> String {
    list.iter()
        .map(|c| (*c as char).to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// A code not in the release: a missing placeholder, a 7th character not
/// allowed, or no such code.
fn not_found<'s, D: AsRef<[u8]>>(ck: &Checker<D>, c: &Code<'s>) -> Edit<'s> {
    let idx = ck.index();
    if let Some(fixed) = with_placeholder(ck, &c.key) {
        return Edit {
            kind: EditKind::Placeholder,
            severity: Severity::Error,
            codes: vec![Cow::Borrowed(c.given)],
            message: format!(
                "{} lacks its placeholder X: the code is {fixed} (X fills the empty positions before the 7th character)",
                c.given
            ).into(),
            source: "Official Guidelines I.A.5 (placeholder character)".into(),
        };
    }
    if c.key.len() >= 5 {
        let base = c.key[..c.key.len() - 1].trim_end_matches('X');
        let doc = ck.resolve(base).doc;
        if let Some(d) = doc.filter(|d| !needs_seventh(ck, *d) && !idx.doc(*d).billable()) {
            let example = idx.doc(d).default_child.map(|c| idx.doc(c).code);
            return Edit {
                kind: EditKind::InvalidCode,
                severity: Severity::Error,
                codes: vec![Cow::Borrowed(c.given)],
                message: format!(
                    "{} is not a code: {} needs more characters before the 7th{}",
                    c.given,
                    idx.doc(d).code,
                    example.map(|e| format!(" (e.g. {e})")).unwrap_or_default()
                )
                .into(),
                source: format!("{} code set", idx.manual(idx.doc(d).system).label()).into(),
            };
        }
        if let Some((from, allowed)) = doc.and_then(|d| seventh_of(ck, d)) {
            let last = c.key.as_bytes()[c.key.len() - 1];
            let what = if allowed.contains(&last) {
                format!("7th character {} does not apply to this code", last as char)
            } else {
                format!("7th character {} is not defined", last as char)
            };
            return Edit {
                kind: EditKind::SeventhCharacter,
                severity: Severity::Error,
                codes: vec![Cow::Borrowed(c.given)],
                message: format!(
                    "{}: {what} for {}; allowed: {}",
                    c.given,
                    idx.doc(from).code,
                    chars(&allowed)
                )
                .into(),
                source: format!("7th characters at {}", idx.doc(from).code).into(),
            };
        }
    }
    let release = ck.release_label();
    Edit {
        kind: EditKind::InvalidCode,
        severity: Severity::Error,
        codes: vec![Cow::Borrowed(c.given)],
        message: format!(
            "{} is not a code of {release}: check it with `medcoder lookup` or `medcoder suggest`",
            c.given
        )
        .into(),
        source: format!("{release} code set").into(),
    }
}

/// A code of other releases only: deleted before the date of service, or
/// added after it.
fn other_release<'s, D: AsRef<[u8]>>(ck: &Checker<D>, c: &Code<'s>) -> Edit<'s> {
    let release = ck.release_label();
    Edit {
        kind: EditKind::Deleted,
        severity: Severity::Error,
        codes: vec![Cow::Borrowed(c.given)],
        message: format!(
            "{} is not a code of {release} (the release in effect on the date of service), only of {}: code it with the release of the date (`--date`), or find its replacement with `medcoder suggest`",
            c.given,
            c.other_releases().join(", ")
        ).into(),
        source: format!("{release} code set").into(),
    }
}

/// The billable code spelled `key` with placeholder X inserted (S729A →
/// S72.9XXA, T3911A → T39.1X1A), if there is exactly such a code.
fn with_placeholder<D: AsRef<[u8]>>(ck: &Checker<D>, key: &str) -> Option<String> {
    if !(4..7).contains(&key.len()) || !key.is_ascii() {
        return None;
    }
    let missing = 7 - key.len();
    let mut found = None;
    // Every way to insert `missing` X's after the category (position 3..).
    let mut stack = vec![(key.to_string(), 3usize, missing)];
    while let Some((k, from, left)) = stack.pop() {
        if left == 0 {
            let c = ck.resolve(&k);
            if let Some(d) = c.doc.filter(|d| ck.index().doc(*d).billable()) {
                found = Some(ck.index().doc(d).code.to_string());
            }
            continue;
        }
        for at in from..k.len() {
            let mut n = k.clone();
            n.insert(at, 'X');
            stack.push((n, at + 1, left - 1));
        }
    }
    found
}

/// A header whose codes are its 7th characters (S72.90 → S72.90XA).
fn needs_seventh<D: AsRef<[u8]>>(ck: &Checker<D>, doc: u32) -> bool {
    let idx = ck.index();
    let kids = idx.children(doc);
    !kids.is_empty()
        && kids
            .iter()
            .all(|k| idx.doc_system_flags(*k).1 & FLAG_SEVENTH != 0)
}

/// A header: it needs a 7th character, or one of its billable codes.
fn header<D: AsRef<[u8]>>(ck: &Checker<D>, doc: u32) -> Edit<'static> {
    let idx = ck.index();
    let d = idx.doc(doc);
    let kids = idx.billable_descendants(doc);
    if needs_seventh(ck, doc)
        && let Some((from, allowed)) = seventh_of(ck, doc)
    {
        let example = d.default_child.map(|c| idx.doc(c).code.to_string());
        return Edit {
            kind: EditKind::SeventhCharacter,
            severity: Severity::Error,
            codes: vec![Cow::Owned(d.code.to_string())],
            message: format!(
                "{} needs a 7th character ({}){}",
                d.code,
                chars(&allowed),
                example.map(|e| format!(", e.g. {e}")).unwrap_or_default()
            )
            .into(),
            source: format!("7th characters at {}", idx.doc(from).code).into(),
        };
    }
    let named: Vec<&str> = kids
        .iter()
        .take(NAMED_CHILDREN)
        .map(|k| idx.doc(*k).code)
        .collect();
    let more = if kids.len() > NAMED_CHILDREN {
        format!(", … ({} in all)", kids.len())
    } else {
        String::new()
    };
    Edit {
        kind: EditKind::NotBillable,
        severity: Severity::Error,
        codes: vec![Cow::Owned(d.code.to_string())],
        message: format!(
            "{} is a header, not valid on a claim: choose one of its billable codes ({}{more})",
            d.code,
            named.join(", ")
        )
        .into(),
        source: format!("{} billable code list", idx.manual(d.system).label()).into(),
    }
}

/// Calls `f` with each word of a title (a run of alphanumeric characters)
/// until it returns true; says whether it did. An ASCII title (nearly all)
/// is split byte by byte.
fn any_word(title: &str, mut f: impl FnMut(&[u8]) -> bool) -> bool {
    if title.is_ascii() {
        title
            .as_bytes()
            .split(|b| !b.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
            .any(f)
    } else {
        title
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .any(|w| f(w.as_bytes()))
    }
}

/// The side a title names: 1 right, 2 left, 4 bilateral.
fn side(title: &str) -> u8 {
    let mut sides = 0;
    any_word(title, |w| {
        sides |= [("right", 1), ("left", 2), ("bilateral", 4)]
            .iter()
            .find(|(s, _)| w.eq_ignore_ascii_case(s.as_bytes()))
            .map_or(0, |(_, b)| *b);
        false
    });
    sides
}

/// An unspecified code whose siblings name the side (or, for a 7th
/// character code, whose parent's siblings do): a note.
fn unspecified<D: AsRef<[u8]>>(ck: &Checker<D>, doc: u32) -> Option<Edit<'static>> {
    let idx = ck.index();
    let flags = idx.doc_system_flags(doc).1;
    let node = if flags & FLAG_SEVENTH != 0 {
        idx.parent(doc)?
    } else {
        doc
    };
    // The same for every 7th character code of the node: worked out once.
    let sided = ck
        .rules(node)
        .sided_siblings
        .get_or_init(|| sided_siblings(ck, node))
        .as_deref()?;
    Some(Edit {
        kind: EditKind::Unspecified,
        severity: Severity::Note,
        codes: vec![Cow::Owned(idx.doc_code(doc).to_string())],
        message: format!(
            "{} does not say the side; when the record does, a sibling names it ({sided}, …)",
            idx.doc_code(doc),
        )
        .into(),
        source: SPECIFICITY_SOURCE.into(),
    })
}

/// For a node whose title says "unspecified" and no side: its first three
/// siblings that name a side, when they name both ("S72.001, S72.002").
fn sided_siblings<D: AsRef<[u8]>>(ck: &Checker<D>, node: u32) -> Option<String> {
    let idx = ck.index();
    let title = idx.doc_title(node);
    if !any_word(title, |w| w.eq_ignore_ascii_case(b"unspecified")) || side(title) != 0 {
        return None;
    }
    // Laterality: siblings name both sides (not "left ventricular" alone).
    let mut sides = 0;
    let siblings: Vec<u32> = idx
        .children(idx.parent(node)?)
        .into_iter()
        .filter(|s| {
            let side = if *s == node {
                0
            } else {
                side(idx.doc_title(*s))
            };
            sides |= side;
            side != 0
        })
        .collect();
    let sided: Vec<&str> = siblings.iter().take(3).map(|s| idx.doc_code(*s)).collect();
    (sides & 3 == 3).then(|| sided.join(", "))
}
