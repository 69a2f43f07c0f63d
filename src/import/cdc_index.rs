//! The CDC ICD-10-CM index family: the Alphabetic Index, the External Cause
//! Index, the Table of Drugs and Chemicals and the Table of Neoplasms share
//! one schema (`mainTerm`, nested `term level=`, `title` with `nemod`,
//! `code`, `see`, `seeAlso`, and for the tables `cell col=` under an
//! `indexHeading`). This module reads that tree and flattens it into index
//! paths ("Struck by, object, falling, tree" → W20.8), following `see` and
//! `seeAlso` references. Not for: validating the codes ([`super::validate`])
//! or the wording of the tables' columns ([`super::index_tables`]).

use super::xml::{Element, parse_root};
use crate::error::Error;
use std::collections::HashSet;
use std::io::BufRead;

/// The column of an index `code` element (the tables number theirs 2..=9).
pub const INDEX_COLUMN: u8 = 0;

/// One whole index file.
#[derive(Debug, Clone, Default)]
pub struct Book {
    /// The `<version>` (e.g. 2025), or "unknown".
    pub version: String,
    /// The tables' column headings `(col, text)`; empty for an index.
    pub headings: Vec<(u8, String)>,
    /// The main terms, in file order.
    pub terms: Vec<Term>,
}

/// A main term or subterm.
#[derive(Debug, Clone, Default)]
pub struct Term {
    /// The title's own words (without the nonessential modifiers).
    pub title: String,
    /// The nonessential modifiers, "(accidentally)", as written.
    pub nemod: String,
    /// Codes with their column: [`INDEX_COLUMN`] for `code`, else the cell's
    /// `col`. Cells without a code ("--") are left out.
    pub codes: Vec<(u8, String)>,
    /// The `see` reference.
    pub see: Option<String>,
    /// The `seeAlso` reference.
    pub see_also: Option<String>,
    /// Subterms.
    pub children: Vec<Term>,
}

impl Term {
    /// The title as a path element: its words, then its nonessential
    /// modifiers in parentheses (they stay optional words when searched).
    pub fn display(&self) -> String {
        if self.nemod.is_empty() {
            self.title.clone()
        } else {
            format!("{} {}", self.title, self.nemod)
        }
    }
}

/// One code reached through the index: the titles from the main term down,
/// joined by ", ", the column it came from and the code as printed.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct IndexPath {
    /// "Struck by (accidentally), object, falling, tree".
    pub path: Vec<String>,
    /// [`INDEX_COLUMN`] or the table's column.
    pub column: u8,
    /// The code as printed, without a trailing "-" ("C79.8").
    pub code: String,
}

/// What flattening found, for the import report and PROVENANCE.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FlattenStats {
    /// Main terms.
    pub main_terms: usize,
    /// Subterms at every level.
    pub subterms: usize,
    /// `see` / `seeAlso` references followed to a term of the same book.
    pub references_followed: usize,
    /// References to another book ("Table of Drugs and Chemicals"), to a
    /// category, or to no term found.
    pub references_unresolved: usize,
}

/// Reads an index-family XML file (root `ICD10CM.index`).
pub fn read<R: BufRead>(input: R, source: &str) -> Result<Book, Error> {
    let root = parse_root(
        input,
        source,
        "ICD10CM.index",
        "a CDC ICD-10-CM index or table XML (icd-10-cm-eindex-2025.xml, icd-10-cm-drug-2025.xml)",
    )?;
    let version = match root.child_text("version").trim() {
        "" => "unknown".to_string(),
        v => v.to_string(),
    };
    let headings = root
        .first("indexHeading")
        .map(|h| {
            h.all("head")
                .filter_map(|c| Some((c.attr("col")?.parse().ok()?, c.text.clone())))
                .collect()
        })
        .unwrap_or_default();
    let terms = root
        .all("letter")
        .flat_map(|l| l.all("mainTerm"))
        .map(term)
        .collect();
    Ok(Book {
        version,
        headings,
        terms,
    })
}

fn term(el: &Element) -> Term {
    let title = el.first("title");
    let mut codes = Vec::new();
    for c in &el.children {
        let (col, text) = match c.name.as_str() {
            "code" => (INDEX_COLUMN, c.text.as_str()),
            "cell" => match c.attr("col").and_then(|v| v.parse().ok()) {
                Some(col) => (col, c.text.as_str()),
                None => continue,
            },
            _ => continue,
        };
        let code = text.trim().trim_end_matches('-').trim_end_matches('.');
        if code.starts_with(|c: char| c.is_ascii_alphabetic()) {
            codes.push((col, code.to_string()));
        }
    }
    let reference = |name: &str| {
        el.first(name)
            .map(|r| r.text.clone())
            .filter(|t| !t.is_empty())
    };
    Term {
        title: title.map(|t| t.text.clone()).unwrap_or_default(),
        nemod: title
            .map(|t| t.child_text("nemod").to_string())
            .unwrap_or_default(),
        codes,
        see: reference("see"),
        see_also: reference("seeAlso"),
        children: el.all("term").map(term).collect(),
    }
}

impl Book {
    /// Every code of the book with its path, in book order, each
    /// `(path, column, code)` once. A `see` reference to a term of this book
    /// puts that term's codes and its subterms' own codes (one level) under
    /// the referring path ("Aleve, see Naproxen": Aleve gets naproxen's
    /// row); references are not followed from there. `seeAlso` lends its
    /// target's own codes to a term that has none.
    /// `skip_main`: main terms whose title is the table's own name
    /// ("Neoplasm, neoplastic") are left out of the paths.
    pub fn paths(&self, skip_main: impl Fn(&Term) -> bool) -> (Vec<IndexPath>, FlattenStats) {
        let mut walk = Walk {
            book: self,
            out: Vec::new(),
            seen: HashSet::new(),
            stats: FlattenStats {
                main_terms: self.terms.len(),
                subterms: self.terms.iter().map(count_subterms).sum(),
                ..Default::default()
            },
        };
        for t in &self.terms {
            let mut prefix = Vec::new();
            if skip_main(t) {
                walk.emit(t, &prefix);
                for c in &t.children {
                    walk.term(c, &mut prefix);
                }
            } else {
                walk.term(t, &mut prefix);
            }
        }
        (walk.out, walk.stats)
    }

    /// The term a reference names ("Accident, transport, car occupant"):
    /// titles from the main term down, separated by ", " (a title may
    /// itself hold commas), compared without case; a trailing "NEC" of a
    /// title may be left out.
    pub fn resolve(&self, reference: &str) -> Option<&Term> {
        find(&self.terms, &reference.trim().to_lowercase())
    }
}

fn count_subterms(t: &Term) -> usize {
    t.children.len() + t.children.iter().map(count_subterms).sum::<usize>()
}

fn find<'a>(terms: &'a [Term], rest: &str) -> Option<&'a Term> {
    for t in terms {
        let title = t.title.to_lowercase();
        let short = title.strip_suffix(" nec").unwrap_or(&title);
        let alternatives = title.split(", ").filter(|a| *a != title);
        for key in [title.as_str(), short].into_iter().chain(alternatives) {
            if key.is_empty() {
                continue;
            }
            if rest == key {
                return Some(t);
            }
            if let Some(r) = rest.strip_prefix(key).and_then(|r| r.strip_prefix(", "))
                && let Some(found) = find(&t.children, r)
            {
                return Some(found);
            }
        }
    }
    None
}

struct Walk<'a> {
    book: &'a Book,
    out: Vec<IndexPath>,
    seen: HashSet<IndexPath>,
    stats: FlattenStats,
}

impl<'a> Walk<'a> {
    fn term(&mut self, t: &'a Term, prefix: &mut Vec<String>) {
        prefix.push(t.display());
        self.emit(t, prefix);
        // "see also" adds a place to look, not this term's meaning: its
        // target's own codes stand in only for a term with none.
        let bare = t.codes.is_empty() && t.children.is_empty();
        let refs = t.see.iter().map(|r| (r, true));
        for (r, whole) in refs.chain(t.see_also.iter().map(|r| (r, false))) {
            match self.book.resolve(r) {
                Some(target) if !std::ptr::eq(target, t) => {
                    self.stats.references_followed += 1;
                    if whole || bare {
                        self.emit(target, prefix);
                    }
                    if whole {
                        for c in &target.children {
                            prefix.push(c.display());
                            self.emit(c, prefix);
                            prefix.pop();
                        }
                    }
                }
                _ => self.stats.references_unresolved += 1,
            }
        }
        for c in &t.children {
            self.term(c, prefix);
        }
        prefix.pop();
    }

    fn emit(&mut self, t: &Term, prefix: &[String]) {
        for (column, code) in &t.codes {
            let p = IndexPath {
                path: prefix.to_vec(),
                column: *column,
                code: code.clone(),
            };
            if self.seen.insert(p.clone()) {
                self.out.push(p);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = r#"<?xml version="1.0"?>
<ICD10CM.index><version>2025</version>
<letter><title>A</title>
<mainTerm><title>Accident<nemod>(to)</nemod></title><code>X58</code>
  <term level="1"><title>car</title><see>Accident, transport, car occupant</see></term>
  <term level="1"><title>transport</title>
    <term level="2"><title>car occupant</title><code>V47.9</code>
      <term level="3"><title>driver</title><code>V47.5-</code></term>
    </term>
  </term>
  <term level="1"><title>poison</title><see>Table of Drugs and Chemicals</see></term>
</mainTerm>
</letter>
<letter><title>S</title>
<mainTerm><title>Struck<nemod>(accidentally)</nemod> by</title>
  <term level="1"><title>object, falling</title><code>W20.8</code></term>
</mainTerm>
</letter>
</ICD10CM.index>"#;

    fn joined(paths: &[IndexPath]) -> Vec<String> {
        paths
            .iter()
            .map(|p| format!("{} = {}", p.path.join(", "), p.code))
            .collect()
    }

    #[test]
    fn paths_follow_see_references_and_keep_nonessential_modifiers() {
        let book = read(DOC.as_bytes(), "t.xml").unwrap();
        assert_eq!(book.version, "2025");
        let (paths, stats) = book.paths(|_| false);
        assert_eq!(
            joined(&paths),
            [
                "Accident (to) = X58",
                "Accident (to), car = V47.9",
                "Accident (to), car, driver = V47.5",
                "Accident (to), transport, car occupant = V47.9",
                "Accident (to), transport, car occupant, driver = V47.5",
                "Struck by (accidentally), object, falling = W20.8",
            ]
        );
        assert_eq!(stats.main_terms, 2);
        assert_eq!(stats.subterms, 6);
        assert_eq!(stats.references_followed, 1);
        assert_eq!(stats.references_unresolved, 1);
    }

    #[test]
    fn a_reference_may_name_a_title_that_holds_commas() {
        let book = read(DOC.as_bytes(), "t.xml").unwrap();
        let t = book.resolve("struck by, object, falling").unwrap();
        assert_eq!(t.codes, [(INDEX_COLUMN, "W20.8".to_string())]);
        assert!(book.resolve("Struck by, object, rising").is_none());
    }

    #[test]
    fn another_root_is_refused_with_the_files_wanted() {
        let err = read("<ICD10CM.tabular/>".as_bytes(), "x.xml")
            .unwrap_err()
            .to_string();
        assert!(err.contains("icd-10-cm-eindex-2025.xml"), "{err}");
    }
}
