//! The docs phase of the build: each manual row's parent and children, its
//! flags (billable, chapter, block, 7th character), and the default
//! billable code a coder takes under a header when the text gives no
//! detail.

use super::Rows;
use crate::index::format::*;
use crate::manual::{Kind, code_key};
use std::collections::HashMap;

/// Parents and children of every doc (ids are row positions).
pub(super) struct Hierarchy {
    /// Parent doc of each doc, or [`NO_DOC`].
    pub parent: Vec<u32>,
    /// Children of each doc, in manual order.
    pub children: Vec<Vec<u32>>,
}

/// Links every row to its parent by code, within its own manual.
pub(super) fn hierarchy(entries: &Rows) -> Hierarchy {
    // A block named after its only category (B20, Z16) is the parent of that
    // category alone; the category's children hang under the category.
    let mut by_code: HashMap<(u16, String), u32> = HashMap::new();
    let mut blocks: HashMap<(u16, String), u32> = HashMap::new();
    for (id, (sys, e)) in entries.iter().enumerate() {
        let map = if e.kind == Kind::Block {
            &mut blocks
        } else {
            &mut by_code
        };
        map.entry((*sys, code_key(&e.code))).or_insert(id as u32);
    }
    let parent: Vec<u32> = entries
        .iter()
        .map(|(sys, e)| {
            e.parent
                .as_ref()
                .and_then(|p| {
                    let key = (*sys, code_key(p));
                    let own = e.kind != Kind::Block && key.1 == code_key(&e.code);
                    let found = if own { None } else { by_code.get(&key) };
                    found.or_else(|| blocks.get(&key)).copied()
                })
                .unwrap_or(NO_DOC)
        })
        .collect();
    let mut children: Vec<Vec<u32>> = vec![Vec::new(); entries.len()];
    for (id, p) in parent.iter().enumerate() {
        if *p != NO_DOC {
            children[*p as usize].push(id as u32);
        }
    }
    Hierarchy { parent, children }
}

/// For a 7th-character code, the words its title adds to its header's
/// ("initial encounter for closed fracture") and whether it is the first
/// (default) 7th character.
pub(super) fn seventh_suffix(entries: &Rows, h: &Hierarchy, id: usize) -> Option<(String, bool)> {
    let p = h.parent[id];
    if p == NO_DOC {
        return None;
    }
    let (pe, e) = (entries[p as usize].1, entries[id].1);
    let rest = e
        .title
        .strip_prefix(pe.title.as_str())?
        .strip_prefix(", ")?;
    if pe.billable || !is_seventh_of(&pe.code, &e.code) {
        return None;
    }
    let first = h.children[p as usize].first().copied() == Some(id as u32);
    Some((rest.to_string(), first))
}

/// The `FLAG_*` bits of a row that its own fields and its 7th character
/// (`suffix`, from [`seventh_suffix`]) give.
pub(super) fn doc_flags(e: &crate::manual::Entry, suffix: Option<&(String, bool)>) -> u16 {
    let mut f = 0;
    if e.billable {
        f |= FLAG_BILLABLE;
    }
    match e.kind {
        Kind::Chapter => f |= FLAG_CHAPTER,
        Kind::Block => f |= FLAG_BLOCK,
        Kind::Code => {}
    }
    if let Some((_, is_default)) = suffix {
        f |= FLAG_SEVENTH;
        if !is_default {
            f |= FLAG_NONDEFAULT_SEVENTH;
        }
    }
    f
}

/// The default billable descendant of each non-billable code, or
/// [`NO_DOC`] (see [`pick_default`]).
pub(super) fn default_children(entries: &Rows, h: &Hierarchy) -> Vec<u32> {
    (0..entries.len())
        .map(|id| {
            let mut cur = id;
            for _ in 0..8 {
                let e = entries[cur].1;
                if e.billable {
                    return if cur == id { NO_DOC } else { cur as u32 };
                }
                if e.kind != Kind::Code {
                    return NO_DOC;
                }
                match pick_default(&entries[cur].1.title, &h.children[cur], entries) {
                    Some(c) => cur = c as usize,
                    None => return NO_DOC,
                }
            }
            NO_DOC
        })
        .collect()
}

/// Whether `child` is `parent` plus one 7th character (after X padding).
fn is_seventh_of(parent: &str, child: &str) -> bool {
    let p: String = parent.chars().filter(|c| *c != '.').collect();
    let c: String = child.chars().filter(|c| *c != '.').collect();
    c.len() == 7 && p.len() < 7 && c.starts_with(&p) && c[p.len()..6].chars().all(|x| x == 'X')
}

/// Words that add no detail to a title: a child whose title adds only
/// these to its parent's is the parent's default ("Cannabis abuse,
/// uncomplicated"; "Type 1 diabetes mellitus without complications"; and,
/// where no child is unspecified, the catch-all "Other pulmonary
/// embolism").
const NO_DETAIL_WORDS: &[&str] = &[
    "other",
    "unspecified",
    "uncomplicated",
    "without",
    "complication",
    "complications",
    "nos",
    "site",
    "unsp",
    "type",
    // Intent: when the record does not say, a coder takes "accidental".
    "accidental",
    "unintentional",
];

/// The child a coder takes when the text gives no detail: the first
/// 7th-character code (initial encounter) of a code that needs one;
/// otherwise the child whose title adds the fewest words of detail to its
/// parent's; ties go to an "unspecified"/"uncomplicated"/"without" title,
/// then an "other" title, then the code ending in 9, then 0.
fn pick_default(parent_title: &str, children: &[u32], entries: &Rows) -> Option<u32> {
    let first = entries[*children.first()? as usize].1;
    let parent_code = first.parent.clone().unwrap_or_default();
    if is_seventh_of(&parent_code, &first.code) || children.len() == 1 {
        return children.first().copied();
    }
    // Words that state detail; what follows "without", "not" or
    // "unspecified as" (up to the next comma) denies or leaves open detail
    // ("not specified as recurrent", "not intractable"), so it states none.
    let words = |t: &str| -> Vec<String> {
        t.split(',')
            .flat_map(|clause| {
                let mut out = Vec::new();
                let mut negated = false;
                let tokens: Vec<String> = crate::text::tokenize(clause)
                    .into_iter()
                    .map(|w| w.text)
                    .collect();
                for (i, w) in tokens.iter().enumerate() {
                    if w == "with" {
                        negated = false;
                    }
                    if w == "without"
                        || w == "not"
                        || (w == "unspecified" && tokens.get(i + 1).is_some_and(|n| n == "as"))
                    {
                        negated = true;
                    }
                    if !negated && !crate::text::Analyzer::is_stop(w) {
                        out.push(w.clone());
                    }
                }
                out
            })
            .collect()
    };
    let parent_title = words(parent_title);
    children
        .iter()
        .map(|c| {
            let e = entries[*c as usize].1;
            let extra = words(&e.title)
                .iter()
                .filter(|w| !parent_title.contains(w) && !NO_DETAIL_WORDS.contains(&w.as_str()))
                .count();
            let t = e.title.to_ascii_lowercase();
            let kind = if ["unspecified", "uncomplicated", "without"]
                .iter()
                .any(|w| t.contains(w))
            {
                0
            } else if t.starts_with("other") {
                1
            } else {
                2
            };
            let tail = if e.code.ends_with('9') {
                0
            } else if e.code.ends_with('0') {
                1
            } else {
                2
            };
            ((extra, kind, tail), *c)
        })
        .min()
        .map(|(_, c)| c)
}
