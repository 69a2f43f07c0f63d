//! The instructional notes of one code, parsed once per process into the
//! tables the edits read ([`DocRules`]), and the report of how many notes
//! of a release cite codes that the parser resolves ([`note_report`]).
//!
//! A note cell is a list of items; an item ending with ':' ("code to
//! identify:", "underlying disease, such as:") heads the items after it,
//! which form one group satisfied by any of its codes. All "Code first"
//! items of a code are one group: they are alternatives.

use super::guidelines::EXTERNAL_CAUSE;
use super::message::needs_escape;
use super::target::{Item, ItemStatus, Target, parse_item};
use crate::index::Index;
use crate::index::format::{FLAG_BLOCK, FLAG_CHAPTER};
use serde::Serialize;

/// One instruction with the codes that satisfy it.
#[derive(Debug, Clone, Default)]
pub struct NoteGroup {
    /// The note's words, as printed in the tabular.
    pub text: String,
    /// The codes it cites; empty for a prose note.
    pub targets: Vec<Target>,
    /// Says "if applicable", "any associated" and the like.
    pub conditional: bool,
    /// The first targets as a coder writes them ("E08.22, I12, …").
    pub cited: String,
    /// Every target is an external cause ([`EXTERNAL_CAUSE`]; set with
    /// `cited`).
    pub external: bool,
    /// The targets as packed ranges, when each has one
    /// ([`Target::packed_range`]; set with `cited`): what
    /// [`NoteGroup::matches_packed`] reads, one small array.
    pub ranges: Option<Box<[(u64, u64, u64)]>>,
    /// `text` and `cited` have no character JSON escapes (set with
    /// `cited`: the JSON output copies them as they are).
    pub plain: bool,
}

impl NoteGroup {
    /// Whether any target covers `key`.
    pub fn matches(&self, key: &str) -> bool {
        self.targets.iter().any(|t| t.matches(key))
    }

    /// [`NoteGroup::matches`] with the key also packed
    /// ([`super::target::pack`]).
    pub fn matches_packed(&self, key: &[u8], packed: Option<u64>) -> bool {
        match (&self.ranges, packed) {
            (Some(ranges), Some(k)) => ranges
                .iter()
                .any(|&(lo, hi, mask)| k >= lo && k & mask <= hi),
            _ => self.targets.iter().any(|t| t.matches_packed(key, packed)),
        }
    }

    /// Sets [`NoteGroup::cited`] from the targets: at most `n`, then "…".
    fn cite(mut self, n: usize) -> Self {
        let mut s: Vec<String> = self.targets.iter().take(n).map(Target::label).collect();
        if self.targets.len() > n {
            s.push("…".into());
        }
        self.cited = s.join(", ");
        self.ranges = self.targets.iter().map(Target::packed_range).collect();
        self.external =
            !self.targets.is_empty() && self.targets.iter().all(|t| EXTERNAL_CAUSE.covers(&t.lo));
        self.plain = !needs_escape(self.text.as_bytes()) && !needs_escape(self.cited.as_bytes());
        self
    }
}

/// The parsed notes of one doc (its own, not its ancestors').
#[derive(Debug, Default)]
pub struct DocRules {
    /// The code as printed.
    pub code: String,
    /// Its key (upper case, no dot).
    pub key: String,
    /// The key packed and the mask of its length, when it has at most 8
    /// bytes: `k & mask == key` when `k` starts with it.
    pub key_prefix: Option<(u64, u64)>,
    /// A chapter or block: its notes are general.
    pub general: bool,
    /// Its parent doc.
    pub parent: Option<u32>,
    /// Excludes1 items: each is never coded with this code.
    pub excludes1: Vec<NoteGroup>,
    /// Code first: one group of alternatives.
    pub code_first: Option<NoteGroup>,
    /// Use additional code: one group per instruction.
    pub use_additional: Vec<NoteGroup>,
    /// Code also: one group per instruction.
    pub code_also: Vec<NoteGroup>,
    /// The 7th characters the code's definitions allow (`A`, `D`, `S`).
    pub seventh: Vec<u8>,
    /// Its 7th character `S` means sequela.
    pub sequela_seventh: bool,
    /// A tabular note says its codes are for use as additional codes.
    pub additional_only: bool,
    /// A manifestation: the title says "in diseases classified elsewhere"
    /// or the like ([`manifestation_title`]).
    pub manifestation: bool,
    /// When it is an unspecified code's node (itself, or the parent of a
    /// 7th character code): the siblings the specificity note names, or
    /// none (see `validity`); worked out on first use, once for all its
    /// 7th character codes.
    pub sided_siblings: std::sync::OnceLock<Option<String>>,
}

impl DocRules {
    /// Has an Excludes1, Code first, Use additional or Code also note.
    pub fn has_notes(&self) -> bool {
        !self.excludes1.is_empty()
            || self.code_first.is_some()
            || !self.use_additional.is_empty()
            || !self.code_also.is_empty()
    }
}

/// Groups the items of one note cell. A heading's group is conditional
/// when the heading is, or when every item under it is ("Use additional
/// code: | for screening …, if applicable (Z11.51) | to identify …, if
/// applicable (Z90.71-)").
fn groups(cell: &[String]) -> Vec<NoteGroup> {
    let mut out: Vec<NoteGroup> = Vec::new();
    // The open heading's group: (index, items under it, all conditional).
    let mut heading: Option<(usize, usize, bool)> = None;
    let close = |out: &mut Vec<NoteGroup>, h: Option<(usize, usize, bool)>| {
        if let Some((i, n, all)) = h {
            out[i].conditional |= n > 0 && all;
        }
    };
    for text in cell {
        let item = parse_item(text);
        if item.header {
            close(&mut out, heading.take());
            heading = Some((out.len(), 0, true));
            out.push(group_of(text, item));
        } else if let Some((i, n, all)) = heading.as_mut() {
            let g = &mut out[*i];
            g.text
                .push_str(if g.text.ends_with(':') { " " } else { "; " });
            g.text.push_str(text.trim());
            g.targets.extend(item.targets);
            *n += 1;
            *all &= item.conditional;
        } else {
            out.push(group_of(text, item));
        }
    }
    close(&mut out, heading);
    out.into_iter().map(|g| g.cite(NAMED_TARGETS)).collect()
}

/// How many targets a message names.
const NAMED_TARGETS: usize = 6;

fn group_of(text: &str, item: Item) -> NoteGroup {
    NoteGroup {
        text: text.trim().trim_start_matches([',', ' ']).to_string(),
        targets: item.targets,
        conditional: item.conditional,
        cited: String::new(),
        plain: false,
        external: false,
        ranges: None,
    }
}

/// Parses the notes of doc `id`.
pub fn doc_rules<D: AsRef<[u8]>>(idx: &Index<D>, id: u32) -> DocRules {
    let doc = idx.doc(id);
    let notes = idx.detail(id).notes;
    let code_first = (!notes.code_first.is_empty()).then(|| {
        let mut all = NoteGroup::default();
        for g in groups(&notes.code_first) {
            all.conditional |= g.conditional;
            if !all.text.is_empty() {
                all.text.push_str("; ");
            }
            all.text.push_str(&g.text);
            all.targets.extend(g.targets);
        }
        all.cite(NAMED_TARGETS)
    });
    let seventh: Vec<u8> = notes
        .seventh
        .iter()
        .filter_map(|s| s.split_once('=').map(|(c, _)| c.trim().as_bytes().to_vec()))
        .filter(|c| c.len() == 1)
        .map(|c| c[0].to_ascii_uppercase())
        .collect();
    let sequela_seventh = notes
        .seventh
        .iter()
        .any(|s| s.to_ascii_lowercase().starts_with("s=sequela"));
    let additional_only = notes.other.iter().any(|n| {
        let n = n.to_ascii_lowercase();
        n.contains("for use as additional code") || n.contains("or additional codes")
    });
    let key = crate::manual::code_key(doc.code);
    DocRules {
        code: doc.code.to_string(),
        key_prefix: super::target::pack(key.as_bytes())
            .map(|k| (k, super::target::prefix_mask(key.len()))),
        key,
        general: !doc.is_code(),
        parent: doc.parent,
        excludes1: groups(&notes.excludes1),
        code_first,
        use_additional: groups(&notes.use_additional),
        code_also: groups(&notes.code_also),
        seventh,
        sequela_seventh,
        additional_only,
        manifestation: manifestation_title(doc.title),
        sided_siblings: std::sync::OnceLock::new(),
    }
}

/// Words a manifestation title may have between "in" and "classified
/// elsewhere" ("in other infectious and parasitic diseases").
const MANIFESTATION_WORDS: usize = 6;

/// A manifestation's title (Official Guidelines I.A.13): "… in diseases
/// classified elsewhere", and its kin "in other diseases", "in bacterial
/// diseases", "in conditions classified elsewhere" — "in" and a few words
/// before "classified elsewhere". Not "as the cause of diseases
/// classified elsewhere" (B95) nor "due to …" (a code of its own).
pub fn manifestation_title(title: &str) -> bool {
    // Most titles do not say it: looked for before any copy is made.
    const SAYS: &[u8] = b"classified elsewhere";
    let b = title.as_bytes();
    if !(0..(b.len() + 1).saturating_sub(SAYS.len()))
        .any(|i| b[i] | 0x20 == b'c' && b[i..i + SAYS.len()].eq_ignore_ascii_case(SAYS))
    {
        return false;
    }
    let lower = title.to_ascii_lowercase();
    let Some(at) = lower.find("classified elsewhere") else {
        return false;
    };
    lower[..at]
        .split(' ')
        .rev()
        .filter(|w| !w.is_empty())
        .take(MANIFESTATION_WORDS + 1)
        .take_while(|w| w.bytes().all(|b| b.is_ascii_alphabetic() || b == b'-'))
        .skip(1)
        .any(|w| w == "in")
}

/// Counts of one note kind in a release.
#[derive(Debug, Clone, Default, Serialize)]
pub struct KindCount {
    /// Items that cite at least one code.
    pub citing: usize,
    /// Of those, items whose every citation parsed and matches a code.
    pub resolved: usize,
    /// Items that cite no code (prose, list headers): nothing to resolve.
    pub prose: usize,
}

/// An item that cites codes the parser could not resolve.
#[derive(Debug, Clone, Serialize)]
pub struct Unresolved {
    /// The code whose note it is.
    pub code: String,
    /// `excludes1`, `code_first`, `use_additional`, `code_also`.
    pub note: &'static str,
    /// The item's text.
    pub text: String,
    /// Why it did not resolve.
    pub reason: String,
}

/// How many note items of the ICD-10-CM manuals cite codes the parser
/// resolves.
#[derive(Debug, Clone, Default, Serialize)]
pub struct NoteReport {
    /// Excludes1 items.
    pub excludes1: KindCount,
    /// Code first items.
    pub code_first: KindCount,
    /// Use additional code items.
    pub use_additional: KindCount,
    /// Code also items.
    pub code_also: KindCount,
    /// Every item that cites codes but did not resolve.
    pub unresolved: Vec<Unresolved>,
}

impl NoteReport {
    /// Note items that cite codes, of every kind.
    pub fn citing(&self) -> usize {
        [
            &self.excludes1,
            &self.code_first,
            &self.use_additional,
            &self.code_also,
        ]
        .iter()
        .map(|c| c.citing)
        .sum()
    }

    /// Resolved share of the items that cite codes, over all four kinds.
    pub fn share(&self) -> f64 {
        let k = [
            &self.excludes1,
            &self.code_first,
            &self.use_additional,
            &self.code_also,
        ];
        let citing: usize = k.iter().map(|c| c.citing).sum();
        let resolved: usize = k.iter().map(|c| c.resolved).sum();
        if citing == 0 {
            1.0
        } else {
            resolved as f64 / citing as f64
        }
    }
}

/// The code row a doc found by its key stands for: itself, or for a block
/// that shares its code with its only category ("B20 (B20)" and B20; the
/// code dictionary keeps one doc per key) that category.
pub fn code_doc<D: AsRef<[u8]>>(idx: &Index<D>, doc: u32) -> Option<u32> {
    let is_code = |d| idx.doc_system_flags(d).1 & (FLAG_CHAPTER | FLAG_BLOCK) == 0;
    if is_code(doc) {
        return Some(doc);
    }
    let code = idx.doc_code(doc);
    idx.children(doc)
        .into_iter()
        .find(|c| idx.doc_code(*c) == code && is_code(*c))
}

/// Whether some ICD-10-CM code of the index is covered by `t`.
pub fn resolves<D: AsRef<[u8]>>(idx: &Index<D>, t: &Target, system: u16) -> bool {
    let mut found = false;
    idx.for_codes_from(&t.lo, |key, doc| {
        if key.len() >= t.hi.len() && key[..t.hi.len()] > *t.hi.as_bytes() {
            return false;
        }
        let d = idx.doc(doc);
        if d.system == system
            && code_doc(idx, doc).is_some()
            && t.matches(std::str::from_utf8(key).unwrap_or_default())
        {
            found = true;
            return false;
        }
        true
    });
    found
}

/// Parses every note of the ICD-10-CM manuals of `idx` and resolves each
/// citation against their codes.
pub fn note_report<D: AsRef<[u8]>>(idx: &Index<D>) -> NoteReport {
    let mut r = NoteReport::default();
    for id in 0..idx.doc_count() as u32 {
        let doc = idx.doc(id);
        if idx.manual(doc.system).system != "icd10cm" {
            continue;
        }
        let notes = idx.detail(id).notes;
        let kinds: [(&'static str, &[String], &mut KindCount); 4] = [
            ("excludes1", &notes.excludes1, &mut r.excludes1),
            ("code_first", &notes.code_first, &mut r.code_first),
            (
                "use_additional",
                &notes.use_additional,
                &mut r.use_additional,
            ),
            ("code_also", &notes.code_also, &mut r.code_also),
        ];
        for (name, cell, count) in kinds {
            for text in cell {
                let item = parse_item(text);
                let reason = match &item.status {
                    ItemStatus::Prose => {
                        count.prose += 1;
                        continue;
                    }
                    ItemStatus::Unparsed(why) => Some(why.to_string()),
                    ItemStatus::Parsed => item
                        .targets
                        .iter()
                        .find(|t| !resolves(idx, t, doc.system))
                        .map(|t| format!("{} matches no code of the release", t.label())),
                };
                count.citing += 1;
                match reason {
                    None => count.resolved += 1,
                    Some(reason) => r.unresolved.push(Unresolved {
                        code: doc.code.to_string(),
                        note: name,
                        text: text.clone(),
                        reason,
                    }),
                }
            }
        }
    }
    r
}

#[cfg(test)]
mod tests {
    use super::{groups, manifestation_title};

    #[test]
    fn a_heading_whose_items_are_all_conditional_is_conditional() {
        let cell = |items: &[&str]| items.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let g = groups(&cell(&[
            "code:",
            "for screening for human papillomavirus, if applicable, (Z11.51)",
            "to identify acquired absence of uterus, if applicable (Z90.71-)",
        ]));
        assert_eq!(g.len(), 1);
        assert!(g[0].conditional && g[0].targets.len() == 2);
        let g = groups(&cell(&[
            "code to identify control using:",
            "insulin (Z79.4)",
            "oral antidiabetic drugs (Z79.84)",
        ]));
        assert!(!g[0].conditional);
        let g = groups(&cell(&[
            "code to identify:",
            "x, if known (A00)",
            "y (B00)",
        ]));
        assert!(!g[0].conditional);
    }

    #[test]
    fn manifestation_titles() {
        for t in [
            "Eosinophilia in diseases classified elsewhere",
            "Dementia in other diseases classified elsewhere, mild, with anxiety",
            "Meningitis in other infectious and parasitic diseases classified elsewhere",
            "Narcolepsy in conditions classified elsewhere",
            "Lambert-Eaton syndrome in disease classified elsewhere",
        ] {
            assert!(manifestation_title(t), "{t}");
        }
        for t in [
            "Streptococcus, Staphylococcus, and Enterococcus as the cause of diseases classified elsewhere",
            "Erectile dysfunction due to diseases classified elsewhere",
            "Psychological and behavioral factors associated with disorders or diseases classified elsewhere",
            "Fever presenting with conditions classified elsewhere",
            "Type 2 diabetes mellitus without complications",
        ] {
            assert!(!manifestation_title(t), "{t}");
        }
    }
}
