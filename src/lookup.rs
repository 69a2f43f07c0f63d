//! The detail of one code, as `lookup` and the shell show it: title,
//! billable status, parents up to the chapter, inclusion terms, notes, and
//! for a header its billable codes (or the 7th characters it needs).

use crate::index::Index;
use crate::manual::Notes;
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
    /// Doc id.
    #[serde(skip)]
    pub doc: u32,
}

/// At most this many billable codes are listed.
pub const MAX_BILLABLE_LISTED: usize = 200;

/// The detail of doc `id`.
pub fn detail<D: AsRef<[u8]>>(idx: &Index<D>, id: u32) -> CodeDetail {
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
            (!keep.is_empty()).then(|| (idx.doc(p).code.to_string(), keep))
        })
        .collect();
    let children = idx
        .children(id)
        .into_iter()
        .map(|c| {
            let cd = idx.doc(c);
            (cd.code.to_string(), cd.title.to_string(), cd.billable())
        })
        .collect();
    let (billable_codes, billable_count) = if doc.billable() {
        (Vec::new(), 0)
    } else {
        let all = idx.billable_descendants(id);
        let n = all.len();
        let listed = all
            .into_iter()
            .take(MAX_BILLABLE_LISTED)
            .map(|c| {
                let cd = idx.doc(c);
                (cd.code.to_string(), cd.title.to_string())
            })
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
