//! The detail of one code, as `lookup` and the shell show it: title,
//! billable status, parents up to the chapter, inclusion terms, notes, and
//! for a header its billable codes (or the 7th characters it needs).

use crate::index::Index;
use crate::manual::{Notes, code_key};
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

/// The detail of doc `id`.
pub fn detail<D: AsRef<[u8]>>(idx: &Index<D>, id: u32) -> CodeDetail {
    let doc = idx.doc(id);
    let manual = idx.manual(doc.system);
    let d = idx.detail(id);
    let parents: Vec<CodeRef> = idx
        .ancestors(id)
        .into_iter()
        .map(|p| CodeRef::of(idx, p))
        .collect();
    let inherited = idx
        .ancestors(id)
        .into_iter()
        .filter_map(|p| {
            let n = idx.detail(p).notes;
            let keep = Notes {
                excludes1: n.excludes1,
                excludes2: n.excludes2,
                code_first: n.code_first,
                use_additional: n.use_additional,
                code_also: n.code_also,
                seventh: n.seventh,
                ..Notes::default()
            };
            (!keep.is_empty()).then(|| Inherited {
                from: idx.doc(p).code.to_string(),
                notes: keep,
            })
        })
        .collect();
    let children = idx
        .children(id)
        .into_iter()
        .map(|c| CodeRef::of(idx, c))
        .collect();
    let (billable_codes, billable_count) = if doc.billable() {
        (Vec::new(), 0)
    } else {
        let all = idx.billable_descendants(id);
        let n = all.len();
        let listed = all
            .into_iter()
            .take(MAX_BILLABLE_LISTED)
            .map(|c| CodeRef::of(idx, c))
            .collect();
        (listed, n)
    };
    CodeDetail {
        code: doc.code.to_string(),
        title: doc.title.to_string(),
        billable: doc.billable(),
        system: manual.system.clone(),
        version: manual.version.clone(),
        parents,
        inclusion_terms: d.synonyms,
        notes: d.notes,
        inherited,
        children,
        billable_codes,
        billable_count,
        default_code: doc.default_child.map(|c| idx.doc(c).code.to_string()),
        doc: id,
    }
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
