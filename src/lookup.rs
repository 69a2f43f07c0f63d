//! The detail of one code, as `lookup` and the shell show it: title,
//! billable status, parents up to the chapter, inclusion terms, notes, and
//! for a header its billable codes (or the 7th characters it needs); and
//! by date of service, the releases the code is valid in and, for a code
//! deleted by then, its replacements.

use crate::index::Index;
use crate::manual::{Notes, code_key};
use crate::release::InEffect;
use serde::Serialize;

/// A code with its hierarchy and notes.
#[derive(Debug, Clone, Serialize)]
pub struct CodeDetail {
    /// The code.
    pub code: String,
    /// Its title.
    pub title: String,
    /// Valid on a claim.
    pub billable: bool,
    /// Code system.
    pub system: String,
    /// Release.
    pub version: String,
    /// Parents, nearest first.
    pub parents: Vec<CodeRef>,
    /// Inclusion terms.
    pub inclusion_terms: Vec<String>,
    /// Notes of this code.
    pub notes: Notes,
    /// Notes inherited from parents that still apply (Excludes, Code first,
    /// 7th characters).
    pub inherited: Vec<Inherited>,
    /// Direct children.
    pub children: Vec<CodeRef>,
    /// For a header: its billable codes; at most [`MAX_BILLABLE_LISTED`].
    pub billable_codes: Vec<CodeRef>,
    /// How many billable codes there are in all.
    pub billable_count: usize,
    /// The code a coder takes when the record gives no more detail.
    pub default_code: Option<String>,
    /// What the code is in each release of its manual: (release,
    /// `billable` / `header`); a release missing from the list lacks it.
    pub releases: Vec<(String, String)>,
    /// When the code is not a billable code of the release in effect but
    /// was one before: that release, and the billable codes that replace
    /// it there (its codes now).
    pub deleted: Option<(String, Vec<CodeRef>)>,
    /// When the release in effect does not have the code yet: the release
    /// that adds it.
    pub not_yet: Option<String>,
    /// A code new in a release whose change file gives no notes: the
    /// ancestor whose notes are shown in full instead.
    pub notes_from: Option<String>,
    /// Doc id.
    #[serde(skip)]
    pub doc: u32,
}

/// Another code named in a detail: a parent, a child, a billable code.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct CodeRef {
    /// The code.
    pub code: String,
    /// Its title.
    pub title: String,
    /// Valid on a claim.
    pub billable: bool,
}

impl CodeRef {
    fn of<D: AsRef<[u8]>>(idx: &Index<D>, id: u32) -> CodeRef {
        let d = idx.doc(id);
        CodeRef {
            code: d.code.to_string(),
            title: d.title.to_string(),
            billable: d.billable(),
        }
    }
}

/// Notes of a parent that still apply to a code.
#[derive(Debug, Clone, Serialize)]
pub struct Inherited {
    /// The parent's code.
    pub from: String,
    /// Its notes that apply below it.
    pub notes: Notes,
}

/// At most this many billable codes are listed.
pub const MAX_BILLABLE_LISTED: usize = 200;

/// Of the docs found for `typed`, when it is written with a dot, those
/// whose code is printed so: `E11.40` is the ICD-10-CM code, `E1140` also
/// the HCPCS one.
pub fn as_typed<D: AsRef<[u8]>>(idx: &Index<D>, typed: &str, docs: Vec<u32>) -> Vec<u32> {
    if !typed.contains('.') {
        return docs;
    }
    let exact: Vec<u32> = docs
        .iter()
        .copied()
        .filter(|d| idx.doc(*d).code.eq_ignore_ascii_case(typed.trim()))
        .collect();
    if exact.is_empty() { docs } else { exact }
}

/// The versions of one code to show for the release in effect: per system,
/// the row valid in that release, else (a code deleted or not yet added
/// then) its newest row.
pub fn pick<D: AsRef<[u8]>>(idx: &Index<D>, docs: &[u32], releases: &InEffect) -> Vec<u32> {
    let mut out: Vec<u32> = Vec::new();
    for &d in docs {
        let system = idx.doc(d).system;
        let same = |o: &u32| idx.doc(*o).system == system;
        if out.iter().any(same) {
            continue;
        }
        let versions: Vec<u32> = docs.iter().copied().filter(same).collect();
        let newest = |v: &u32| idx.validity(*v).leading_zeros();
        let chosen = versions
            .iter()
            .copied()
            .find(|v| releases.allows(idx, *v))
            .or_else(|| versions.iter().copied().min_by_key(newest))
            .unwrap_or(d);
        out.push(chosen);
    }
    out
}

/// The detail of doc `id`, as of the releases in effect.
pub fn detail<D: AsRef<[u8]>>(idx: &Index<D>, id: u32, releases: &InEffect) -> CodeDetail {
    let doc = idx.doc(id);
    let manual = idx.manual(doc.system);
    let d = idx.detail(id);
    let parents: Vec<CodeRef> = idx
        .ancestors(id)
        .into_iter()
        .map(|p| CodeRef::of(idx, p))
        .collect();
    let history = release_history(idx, id);
    let is_new = manual.releases.len() > 1
        && history
            .first()
            .is_some_and(|(r, _)| manual.releases.first() != Some(r));
    let notes_from = (is_new && d.notes.is_empty() && d.synonyms.is_empty())
        .then(|| {
            idx.ancestors(id)
                .into_iter()
                .find(|p| !idx.detail(*p).notes.is_empty())
        })
        .flatten();
    let inherited = idx
        .ancestors(id)
        .into_iter()
        .filter_map(|p| {
            let n = idx.detail(p).notes;
            let keep = if Some(p) == notes_from {
                n
            } else {
                Notes {
                    excludes1: n.excludes1,
                    excludes2: n.excludes2,
                    code_first: n.code_first,
                    use_additional: n.use_additional,
                    code_also: n.code_also,
                    seventh: n.seventh,
                    ..Notes::default()
                }
            };
            (!keep.is_empty()).then(|| Inherited {
                from: idx.doc(p).code.to_string(),
                notes: keep,
            })
        })
        .collect();
    let valid = |c: &u32| releases.allows(idx, *c);
    let children = idx
        .children(id)
        .into_iter()
        .filter(valid)
        .map(|c| CodeRef::of(idx, c))
        .collect();
    let codes_below = || -> Vec<CodeRef> {
        idx.billable_descendants(id)
            .into_iter()
            .filter(valid)
            .map(|c| CodeRef::of(idx, c))
            .collect()
    };
    let (billable_codes, billable_count) = if doc.billable() {
        (Vec::new(), 0)
    } else {
        let all = codes_below();
        let n = all.len();
        (all.into_iter().take(MAX_BILLABLE_LISTED).collect(), n)
    };
    let in_effect = releases.version(doc.system).to_string();
    let allowed = releases.allows(idx, id);
    let position = |r: &str| manual.releases.iter().position(|x| x == r);
    let was_billable_before = history
        .iter()
        .any(|(r, s)| s == "billable" && position(r) < position(&in_effect));
    let deleted = (!(allowed && doc.billable())
        && was_billable_before
        && manual.releases.len() > 1)
        .then(|| {
            let replacements = if allowed { codes_below() } else { Vec::new() };
            (in_effect.clone(), replacements)
        });
    let not_yet = (!allowed && !was_billable_before)
        .then(|| history.first().map(|(r, _)| r.clone()))
        .flatten();
    CodeDetail {
        code: doc.code.to_string(),
        title: doc.title.to_string(),
        billable: doc.billable(),
        system: manual.system.clone(),
        version: if allowed {
            in_effect
        } else {
            history
                .last()
                .map_or_else(|| manual.version.clone(), |(r, _)| r.clone())
        },
        parents,
        inclusion_terms: d.synonyms,
        notes: d.notes,
        inherited,
        children,
        billable_codes,
        billable_count,
        default_code: doc
            .default_child
            .filter(valid)
            .map(|c| idx.doc(c).code.to_string()),
        releases: history,
        deleted,
        not_yet,
        notes_from: notes_from.map(|p| idx.doc(p).code.to_string()),
        doc: id,
    }
}

/// What the code of doc `id` is in each release of its manual, oldest
/// first: every version of the code (same system) is looked at.
fn release_history<D: AsRef<[u8]>>(idx: &Index<D>, id: u32) -> Vec<(String, String)> {
    let doc = idx.doc(id);
    let manual = idx.manual(doc.system);
    let key = code_key(doc.code);
    let versions: Vec<u32> = idx
        .find_code(doc.code)
        .into_iter()
        .filter(|v| idx.doc(*v).system == doc.system && code_key(idx.doc(*v).code) == key)
        .collect();
    let labels = if manual.releases.is_empty() {
        std::slice::from_ref(&manual.version)
    } else {
        manual.releases.as_slice()
    };
    labels
        .iter()
        .enumerate()
        .filter_map(|(i, label)| {
            let v = versions
                .iter()
                .find(|v| labels.len() == 1 || idx.validity(**v) & (1 << i) != 0)?;
            let status = if idx.doc(*v).billable() {
                "billable"
            } else {
                "header"
            };
            Some((label.clone(), status.to_string()))
        })
        .collect()
}

/// Codes in this many edits of a typed code are offered as "closest".
const MAX_EDITS: usize = 2;

/// The codes closest to a code that is not in the index, for "did you
/// mean": at most `max`, nearest first (fewest edits, then the longest
/// common start, then the nearest digit where they part: `E11.99` →
/// `E11.9`, `E11.69`). Empty when nothing is within two edits.
pub fn closest<D: AsRef<[u8]>>(idx: &Index<D>, code: &str, max: usize) -> Vec<String> {
    let key = code_key(code);
    if key.is_empty() {
        return Vec::new();
    }
    for len in (1..=key.len().min(3)).rev() {
        let mut near: Vec<(usize, usize, u32, String)> = idx
            .codes_with_prefix(&key[..len])
            .into_iter()
            .filter_map(|d| {
                let c = idx.doc(d).code;
                let k = code_key(c);
                let edits = strsim::levenshtein(&key, &k);
                (edits <= MAX_EDITS).then(|| {
                    let common = key
                        .bytes()
                        .zip(k.bytes())
                        .take_while(|(a, b)| a == b)
                        .count();
                    let gap = match (key.as_bytes().get(common), k.as_bytes().get(common)) {
                        (Some(a), Some(b)) => u32::from(a.abs_diff(*b)),
                        _ => 0,
                    };
                    (edits, usize::MAX - common, gap, c.to_string())
                })
            })
            .collect();
        if near.is_empty() {
            continue;
        }
        near.sort();
        near.dedup_by(|a, b| a.3 == b.3);
        return near.into_iter().take(max).map(|n| n.3).collect();
    }
    Vec::new()
}
