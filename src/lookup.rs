//! The detail of one code, as `lookup` and the shell show it: title,
//! billable status, parents up to the chapter, inclusion terms, notes, and
//! for a header its billable codes (or the 7th characters it needs); and
//! by date of service, the releases the code is valid in and, for a code
//! deleted by then, its replacements.

use crate::index::Index;
use crate::manual::{Notes, code_key};
use crate::release::InEffect;
use serde::Serialize;
use std::fmt::Write;

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
    /// Parents, nearest first: (code, title).
    pub parents: Vec<(String, String)>,
    /// Inclusion terms.
    pub inclusion_terms: Vec<String>,
    /// Notes of this code.
    pub notes: Notes,
    /// Notes inherited from parents that still apply (Excludes, Code first,
    /// 7th characters), as (from code, notes).
    pub inherited: Vec<(String, Notes)>,
    /// Direct children: (code, title, billable).
    pub children: Vec<(String, String, bool)>,
    /// For a header: its billable codes (code, title); at most 200.
    pub billable_codes: Vec<(String, String)>,
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
    pub deleted: Option<(String, Vec<(String, String)>)>,
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
    let parents: Vec<(String, String)> = idx
        .ancestors(id)
        .into_iter()
        .map(|p| {
            let pd = idx.doc(p);
            (pd.code.to_string(), pd.title.to_string())
        })
        .collect();
    let history = release_history(idx, id);
    let is_new = history
        .first()
        .is_some_and(|(r, _)| manual.releases.first() != Some(r))
        && manual.releases.len() > 1;
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
            (!keep.is_empty()).then(|| (idx.doc(p).code.to_string(), keep))
        })
        .collect();
    let valid = |c: &u32| releases.allows(idx, *c);
    let children = idx
        .children(id)
        .into_iter()
        .filter(valid)
        .map(|c| {
            let cd = idx.doc(c);
            (cd.code.to_string(), cd.title.to_string(), cd.billable())
        })
        .collect();
    let codes_below = || -> Vec<(String, String)> {
        idx.billable_descendants(id)
            .into_iter()
            .filter(valid)
            .map(|c| {
                let cd = idx.doc(c);
                (cd.code.to_string(), cd.title.to_string())
            })
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
    let billable_now = allowed && doc.billable();
    let position = |r: &str| manual.releases.iter().position(|x| x == r);
    let was_billable_before = history
        .iter()
        .any(|(r, s)| s == "billable" && position(r) < position(&in_effect));
    let deleted = (!billable_now && was_billable_before && manual.releases.len() > 1).then(|| {
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

impl CodeDetail {
    /// A readable block of text.
    pub fn render(&self) -> String {
        let mut s = String::new();
        let status = if self.billable {
            "billable"
        } else {
            "NOT billable (a header: choose a code below)"
        };
        let _ = writeln!(s, "{}  {}", self.code, self.title);
        let _ = writeln!(s, "  {} {} · {}", self.system, self.version, status);
        if self.releases.len() > 1 || self.deleted.is_some() || self.not_yet.is_some() {
            let all: Vec<String> = self
                .releases
                .iter()
                .map(|(r, st)| format!("{r} {st}"))
                .collect();
            let _ = writeln!(s, "  releases: {}", all.join(" · "));
        }
        if let Some((release, replacements)) = &self.deleted {
            if replacements.is_empty() {
                let _ = writeln!(
                    s,
                    "  DELETED in {release}: not a valid code on this date of service; the release names no replacement"
                );
            } else {
                let codes: Vec<&str> = replacements.iter().map(|(c, _)| c.as_str()).collect();
                let _ = writeln!(
                    s,
                    "  DELETED in {release} as a billable code: use {}",
                    codes.join(", ")
                );
            }
        }
        if let Some(release) = &self.not_yet {
            let _ = writeln!(
                s,
                "  NOT YET VALID on this date of service: new in {release}"
            );
        }
        if let Some(from) = &self.notes_from {
            let _ = writeln!(
                s,
                "  new code: its release gives a title only; the notes shown are those of {from}"
            );
        }
        if !self.parents.is_empty() {
            let _ = writeln!(s, "  in:");
            for (c, t) in &self.parents {
                let _ = writeln!(s, "    {c}  {t}");
            }
        }
        list(&mut s, "inclusion terms", &self.inclusion_terms);
        notes(&mut s, &self.notes, "");
        for (from, n) in &self.inherited {
            notes(&mut s, n, &format!(" (from {from})"));
        }
        if !self.billable && !self.children.is_empty() {
            let _ = writeln!(s, "  children:");
            for (c, t, b) in &self.children {
                let _ = writeln!(s, "    {c:<9} {} {t}", if *b { "Y" } else { "-" });
            }
        }
        if !self.billable && self.billable_count > self.children.iter().filter(|c| c.2).count() {
            let _ = writeln!(s, "  billable codes ({}):", self.billable_count);
            for (c, t) in &self.billable_codes {
                let _ = writeln!(s, "    {c:<9} {t}");
            }
            if self.billable_count > self.billable_codes.len() {
                let _ = writeln!(
                    s,
                    "    … {} more",
                    self.billable_count - self.billable_codes.len()
                );
            }
        }
        if let Some(d) = &self.default_code {
            let _ = writeln!(s, "  default when no detail is documented: {d}");
        }
        s
    }
}

fn list(s: &mut String, label: &str, items: &[String]) {
    if items.is_empty() {
        return;
    }
    let _ = writeln!(s, "  {label}:");
    for i in items {
        let _ = writeln!(s, "    - {i}");
    }
}

fn notes(s: &mut String, n: &Notes, suffix: &str) {
    list(s, &format!("includes{suffix}"), &n.includes);
    list(s, &format!("Excludes1{suffix}"), &n.excludes1);
    list(s, &format!("Excludes2{suffix}"), &n.excludes2);
    list(s, &format!("Code first{suffix}"), &n.code_first);
    list(
        s,
        &format!("Use additional code{suffix}"),
        &n.use_additional,
    );
    list(s, &format!("Code also{suffix}"), &n.code_also);
    list(s, &format!("7th characters{suffix}"), &n.seventh);
    list(s, &format!("notes{suffix}"), &n.other);
}
