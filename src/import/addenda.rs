//! `icd10cm-addenda` / `icd10pcs-addenda`: a release's manual plus the CMS
//! code addenda (the change file) → the next release's manual.
//!
//! The change file lists billable codes only, one per line in fixed
//! columns: `Add:`, `Delete:`, `Revise from:` / `Revise to:`, the code
//! without its dot, its title. It ends with a summary block (`Codes`, the
//! code counts of both releases, and the counts of additions, deletions and
//! revisions) that holds no changes; its counts are checked against the
//! lines read. Headers are not listed, so they follow from the code
//! structure: a deleted code that gains new codes below it becomes their
//! header; a new code whose parent does not exist implies that header
//! (titled with what its codes' titles share); a header left with no code
//! is removed. Every deleted code must exist and every added one must not:
//! otherwise the file belongs to another release and nothing is written.
//! A revision of a code the previous release lacks is reported, not
//! applied. Not for: reading the tabular XML (see [`super::icd10cm`]).

use super::{bad_field, text_lines};
use crate::error::Error;
use crate::manual::{Entry, Kind, ManualTree, code_key};
use std::io::BufRead;

/// What a change line does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// A new billable code.
    Add,
    /// A billable code that is no longer valid.
    Delete,
    /// A new title for an existing code (`Revise from:` then `Revise to:`).
    Revise,
}

/// One change of the change file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Line of the change file (of `Revise to:` for a revision).
    pub line: u64,
    /// What it does.
    pub action: Action,
    /// The code, without dot (`I4200`).
    pub code: String,
    /// Its title (the new one for a revision).
    pub title: String,
    /// For a revision: the title it replaces.
    pub old_title: Option<String>,
}

/// The change lines of a change file, and the counts its summary states.
#[derive(Debug, Clone, Default)]
pub struct ChangeFile {
    /// The changes, in file order.
    pub changes: Vec<Change>,
    /// The summary's code counts: (count, file name) of each release.
    pub code_counts: Vec<(usize, String)>,
}

/// Which code system's change file, and how its codes are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// ICD-10-CM: dotted codes, headers by code structure, blocks by range.
    Icd10cm,
    /// ICD-10-PCS: seven characters under their table (the first three).
    Icd10pcs,
}

impl Layout {
    /// The system id of its manuals.
    pub fn system(self) -> &'static str {
        match self {
            Layout::Icd10cm => "icd10cm",
            Layout::Icd10pcs => "icd10pcs",
        }
    }

    /// A code key as the manual prints it (`I4200` → `I42.00`).
    pub fn printed(self, key: &str) -> String {
        match self {
            Layout::Icd10cm if key.len() > 3 => format!("{}.{}", &key[..3], &key[3..]),
            _ => key.to_string(),
        }
    }
}

/// What applying a change file did, for the import summary and the tests.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Codes added.
    pub added: usize,
    /// Codes deleted.
    pub deleted: usize,
    /// Titles revised.
    pub revised: usize,
    /// Billable codes before and after.
    pub billable: (usize, usize),
    /// Deleted codes that became the header of new codes.
    pub deleted_to_headers: Vec<String>,
    /// Headers created because new codes imply them.
    pub implied_headers: Vec<String>,
    /// Headers removed because every code under them was deleted.
    pub emptied_headers: Vec<String>,
    /// Revisions of codes the previous release does not have (not applied).
    pub revisions_not_found: Vec<String>,
    /// Revisions whose `Revise from:` title differs from the previous
    /// release's (applied all the same).
    pub revisions_from_other_title: Vec<String>,
}

/// Reads a change file; CRLF or LF line ends.
pub fn read_changes<R: BufRead>(input: R, source: &str) -> Result<ChangeFile, Error> {
    let mut file = ChangeFile::default();
    let mut pending_from: Option<(u64, String, String)> = None;
    let mut summary: Vec<(u64, usize, String)> = Vec::new();
    let mut in_summary = false;
    for line in text_lines(input, source) {
        let (no, line) = line?;
        if in_summary {
            let mut words = line.split_whitespace();
            let count = words.next().and_then(|n| n.parse::<usize>().ok());
            let rest: Vec<&str> = words.collect();
            match count {
                Some(n) => summary.push((no, n, rest.join(" "))),
                None => {
                    return Err(bad_field(
                        source,
                        no,
                        "summary",
                        "a summary line must start with a count (`190 additions`); a change line after the summary means the file was joined from two files".into(),
                    ));
                }
            }
            continue;
        }
        if line.trim() == "Codes" {
            in_summary = true;
            continue;
        }
        let (action, rest) = if let Some(r) = line.strip_prefix("Add:") {
            (Some(Action::Add), r)
        } else if let Some(r) = line.strip_prefix("Delete:") {
            (Some(Action::Delete), r)
        } else if let Some(r) = line.strip_prefix("Revise from:") {
            (None, r)
        } else if let Some(r) = line.strip_prefix("Revise to:") {
            (Some(Action::Revise), r)
        } else {
            return Err(bad_field(
                source,
                no,
                "action",
                "not a change line: expected `Add:`, `Delete:`, `Revise from:` or `Revise to:`, then a code and its title (is this the CMS code addenda file?)".into(),
            ));
        };
        let rest = rest.trim();
        let (code, title) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
        let (code, title) = (code_key(code), title.trim().to_string());
        if code.is_empty() || title.is_empty() {
            return Err(bad_field(
                source,
                no,
                "code",
                "a change line needs a code and a title after its action".into(),
            ));
        }
        match action {
            None => {
                if pending_from.is_some() {
                    return Err(revise_pair(source, no));
                }
                pending_from = Some((no, code, title));
            }
            Some(Action::Revise) => match pending_from.take() {
                Some((_, from_code, from_title)) if from_code == code => {
                    file.changes.push(Change {
                        line: no,
                        action: Action::Revise,
                        code,
                        title,
                        old_title: Some(from_title),
                    })
                }
                _ => return Err(revise_pair(source, no)),
            },
            Some(action) => {
                if pending_from.is_some() {
                    return Err(revise_pair(source, no));
                }
                file.changes.push(Change {
                    line: no,
                    action,
                    code,
                    title,
                    old_title: None,
                });
            }
        }
    }
    if let Some((no, _, _)) = pending_from {
        return Err(revise_pair(source, no));
    }
    check_summary(&mut file, &summary, source)?;
    Ok(file)
}

fn revise_pair(source: &str, line: u64) -> Error {
    bad_field(
        source,
        line,
        "action",
        "`Revise from:` must be followed by `Revise to:` of the same code".into(),
    )
}

/// The summary's counts of additions, deletions and revisions must be the
/// lines read (a truncated file is refused); its code counts are kept.
fn check_summary(
    file: &mut ChangeFile,
    summary: &[(u64, usize, String)],
    source: &str,
) -> Result<(), Error> {
    for (no, n, what) in summary {
        let action = match what.as_str() {
            "additions" => Action::Add,
            "deletions" => Action::Delete,
            "revisions" => Action::Revise,
            _ => {
                if let Some(name) = what.strip_prefix("codes in ") {
                    file.code_counts.push((*n, name.to_string()));
                }
                continue;
            }
        };
        let found = file.changes.iter().filter(|c| c.action == action).count();
        if found != *n {
            return Err(bad_field(
                source,
                *no,
                "summary",
                format!(
                    "the summary counts {n} {what} but the file has {found} such lines: the file is incomplete; download it again"
                ),
            ));
        }
    }
    Ok(())
}

/// Applies `changes` to the `previous` release's entries, giving release
/// `version`. Errors name the change file's line.
pub fn apply(
    previous: Vec<Entry>,
    changes: &ChangeFile,
    layout: Layout,
    version: &str,
    source: &str,
) -> Result<(Vec<Entry>, Report), Error> {
    if let Some(e) = previous.iter().find(|e| e.system != layout.system()) {
        return Err(Error::Import {
            file: source.into(),
            message: format!(
                "the previous release is a {} manual; this importer applies {} changes (use `import {}-addenda`)",
                e.system,
                layout.system(),
                e.system
            ),
        });
    }
    let mut report = Report {
        billable: (previous.iter().filter(|e| e.billable).count(), 0),
        ..Report::default()
    };
    let system = layout.system().to_string();
    let mut tree = ManualTree::new(previous);
    let mut deleted: Vec<usize> = Vec::new();
    for c in changes
        .changes
        .iter()
        .filter(|c| c.action == Action::Delete)
    {
        let id = tree
            .code(&c.code)
            .filter(|&i| tree.entry(i).billable)
            .ok_or_else(|| {
                bad_field(
                    source,
                    c.line,
                    "code",
                    format!(
                        "deleted code {} is not a billable code of the previous release: apply the change file to the release it follows",
                        layout.printed(&c.code)
                    ),
                )
            })?;
        tree.entry_mut(id).billable = false;
        deleted.push(id);
        report.deleted += 1;
    }
    let mut implied: Vec<usize> = Vec::new();
    for c in changes.changes.iter().filter(|c| c.action == Action::Add) {
        if tree.code(&c.code).is_some() {
            return Err(bad_field(
                source,
                c.line,
                "code",
                format!(
                    "added code {} is already in the previous release: apply the change file to the release it follows",
                    layout.printed(&c.code)
                ),
            ));
        }
        let parent = parent_for(&mut tree, &c.code, layout, &mut implied, source, c.line)?;
        let entry = Entry {
            system: system.clone(),
            version: version.into(),
            code: layout.printed(&c.code),
            title: c.title.clone(),
            billable: true,
            ..Entry::default()
        };
        tree.insert_sorted(Some(parent), entry);
        report.added += 1;
    }
    for &id in implied.iter().rev() {
        let titles: Vec<String> = tree
            .children(id)
            .map(|c| tree.entry(c).title.clone())
            .collect();
        let title = match layout {
            Layout::Icd10cm => shared_title(&titles),
            Layout::Icd10pcs => pcs_table_title(&tree, id, &titles),
        };
        tree.entry_mut(id).title = title;
        report.implied_headers.push(tree.entry(id).code.clone());
    }
    for id in deleted {
        if tree.children(id).next().is_some() {
            report.deleted_to_headers.push(tree.entry(id).code.clone());
            continue;
        }
        let mut cur = id;
        loop {
            let parent = tree
                .entry(cur)
                .parent
                .as_deref()
                .and_then(|p| tree.code(&code_key(p)));
            tree.remove(cur);
            if cur != id {
                report.emptied_headers.push(tree.entry(cur).code.clone());
            }
            match parent {
                Some(p)
                    if tree.entry(p).kind == Kind::Code && tree.children(p).next().is_none() =>
                {
                    cur = p
                }
                _ => break,
            }
        }
    }
    for c in changes
        .changes
        .iter()
        .filter(|c| c.action == Action::Revise)
    {
        let Some(id) = tree.code(&c.code) else {
            report.revisions_not_found.push(layout.printed(&c.code));
            continue;
        };
        if c.old_title.as_deref() != Some(tree.entry(id).title.as_str()) {
            report
                .revisions_from_other_title
                .push(layout.printed(&c.code));
        }
        tree.entry_mut(id).title = c.title.clone();
        report.revised += 1;
    }
    let mut entries = tree.into_entries();
    for e in &mut entries {
        e.version = version.into();
    }
    report.billable.1 = entries.iter().filter(|e| e.billable).count();
    Ok((entries, report))
}

/// The row a new code `key` goes under, creating the headers it implies
/// (recorded in `implied`, outermost first).
fn parent_for(
    tree: &mut ManualTree,
    key: &str,
    layout: Layout,
    implied: &mut Vec<usize>,
    source: &str,
    line: u64,
) -> Result<usize, Error> {
    let shorter = match layout {
        Layout::Icd10pcs => key.get(..3).unwrap_or(key).to_string(),
        Layout::Icd10cm if key.len() <= 3 => return block_for(tree, key, source, line),
        Layout::Icd10cm => {
            // A 7th character pads its code with X: the header of O3140X0 is O31.40.
            let cut = &key[..key.len() - 1];
            let unpadded = cut.trim_end_matches('X');
            if tree.code(cut).is_none() && key.len() == 7 && unpadded.len() >= 3 {
                unpadded.to_string()
            } else {
                cut.to_string()
            }
        }
    };
    if let Some(id) = tree.code(&shorter).or_else(|| {
        (layout == Layout::Icd10pcs)
            .then(|| tree.first(&shorter))
            .flatten()
    }) {
        return Ok(id);
    }
    if layout == Layout::Icd10pcs {
        let table = Entry {
            system: layout.system().into(),
            code: shorter,
            billable: false,
            kind: Kind::Block,
            ..Entry::default()
        };
        let id = tree.insert_sorted(None, table);
        implied.push(id);
        return Ok(id);
    }
    let grandparent = parent_for(tree, &shorter, layout, implied, source, line)?;
    let header = Entry {
        system: layout.system().into(),
        code: layout.printed(&shorter),
        billable: false,
        ..Entry::default()
    };
    let id = tree.insert_sorted(Some(grandparent), header);
    implied.push(id);
    Ok(id)
}

/// The block a new ICD-10-CM category belongs to: the one whose range
/// holds it, else the last block starting before it.
fn block_for(tree: &ManualTree, key: &str, source: &str, line: u64) -> Result<usize, Error> {
    let mut best: Option<(String, usize)> = None;
    for id in tree.order() {
        let e = tree.entry(id);
        if e.kind != Kind::Block {
            continue;
        }
        let (start, end) = e.code.split_once('-').unwrap_or((&e.code, &e.code));
        if start <= key && key <= end {
            return Ok(id);
        }
        if start <= key && best.as_ref().is_none_or(|(s, _)| start >= s.as_str()) {
            best = Some((start.to_string(), id));
        }
    }
    best.map(|(_, id)| id).ok_or_else(|| {
        bad_field(
            source,
            line,
            "code",
            format!("no block of the previous release can hold the new category {key}"),
        )
    })
}

/// The title of a header implied by codes titled `titles` (in code
/// order), in the tabular's way of naming a header after what its codes
/// share:
/// 1. the comma clauses they all begin with ("Odontogenic sinusitis,
///    maxillary sinus", "…, ethmoid sinus" → "Odontogenic sinusitis"; a
///    lone code: its title without its last clause);
/// 2. else the words they all begin and end with, when at least two
///    ("Right cornual ectopic pregnancy with intrauterine pregnancy",
///    "Left cornual …" → "Cornual ectopic pregnancy with intrauterine
///    pregnancy"), the end only when what differs is not "with"/"without";
/// 3. else what the catch-all code is "other" of ("Other postprocedural
///    hypoglycemia" → "Postprocedural hypoglycemia");
/// 4. else the title of the last code (the catch-all ends in 9).
pub fn shared_title(titles: &[String]) -> String {
    let Some(last) = titles.last() else {
        return String::new();
    };
    let clauses: Vec<Vec<&str>> = titles.iter().map(|t| t.split(", ").collect()).collect();
    let mut n = clauses.iter().map(Vec::len).min().unwrap_or(0);
    if titles.len() == 1 {
        n = n.saturating_sub(1);
    }
    let shared = (0..n)
        .take_while(|&i| clauses.iter().all(|c| c[i] == clauses[0][i]))
        .count();
    if shared > 0 {
        return clauses[0][..shared].join(", ");
    }
    if titles.len() > 1 {
        let words: Vec<Vec<&str>> = titles.iter().map(|t| t.split(' ').collect()).collect();
        let shortest = words.iter().map(Vec::len).min().unwrap_or(0);
        let head = (0..shortest)
            .take_while(|&i| words.iter().all(|w| w[i] == words[0][i]))
            .count();
        let from_end = |w: &Vec<&str>, i: usize| w[w.len() - 1 - i].to_string();
        let mut tail = (0..shortest - head)
            .take_while(|&i| {
                words
                    .iter()
                    .all(|w| from_end(w, i) == from_end(&words[0], i))
            })
            .count();
        // What differs decides presence or absence: the words after it
        // belong to one side only ("… with|without intrauterine pregnancy").
        if words.iter().any(|w| {
            w[head..w.len() - tail]
                .iter()
                .any(|x| *x == "with" || *x == "without")
        }) {
            tail = 0;
        }
        if head + tail >= 2 {
            let w = &words[0];
            let mut kept: Vec<&str> = w[..head].to_vec();
            kept.extend(&w[w.len() - tail..]);
            return capitalized(&kept.join(" "));
        }
        if let Some(rest) = titles.iter().find_map(|t| t.strip_prefix("Other ")) {
            return capitalized(rest);
        }
    }
    last.clone()
}

fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// The title of a PCS table that new codes imply: "operation, body
/// system", the operation being the words before " of " that the codes'
/// titles share ("Other Imaging of Right Choroid …"), the body system that
/// of a table with the same first two characters ("Plain Radiography,
/// Eye").
fn pcs_table_title(tree: &ManualTree, id: usize, titles: &[String]) -> String {
    let code = &tree.entry(id).code;
    let operation = titles
        .first()
        .and_then(|t| t.split_once(" of "))
        .map(|(op, _)| op)
        .filter(|op| titles.iter().all(|t| t.starts_with(&format!("{op} of "))));
    let body_system = tree.roots().iter().find_map(|&r| {
        let e = tree.entry(r);
        (e.kind == Kind::Block && e.code != *code && e.code.get(..2) == code.get(..2))
            .then(|| e.title.rsplit_once(", ").map(|(_, b)| b.to_string()))
            .flatten()
    });
    match (operation, body_system) {
        (Some(op), Some(b)) => format!("{op}, {b}"),
        _ => shared_title(titles),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change_file(text: &str) -> Result<ChangeFile, Error> {
        read_changes(text.as_bytes(), "addenda.txt")
    }

    #[test]
    fn change_lines_are_read_in_fixed_columns_and_the_summary_is_not_a_change() {
        let f = change_file(
            "Add:         I4200   Dilated cardiomyopathy, unspecified\r\n\
             Delete:      I420    Dilated cardiomyopathy\r\n\
             Revise from: Z2914   Encounter for prophylactic rabies immune globin\r\n\
             Revise to:   Z2914   Encounter for prophylactic rabies immune globulin\r\n\
             \r\nCodes\r\n  10 codes in a.txt\r\n  10 codes in b.txt\r\n    1 additions\r\n     1 deletions\r\n      1 revisions\r\n",
        )
        .unwrap();
        assert_eq!(f.changes.len(), 3);
        assert_eq!(f.changes[0].title, "Dilated cardiomyopathy, unspecified");
        assert_eq!(f.changes[2].action, Action::Revise);
        assert_eq!(
            f.changes[2].old_title.as_deref(),
            Some("Encounter for prophylactic rabies immune globin")
        );
        assert_eq!(f.code_counts, [(10, "a.txt".into()), (10, "b.txt".into())]);
    }

    #[test]
    fn a_summary_that_counts_other_lines_refuses_the_file() {
        let err = change_file("Add:         I4200   Dilated\n\nCodes\n    2 additions\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("line 4") && err.contains("incomplete"),
            "{err}"
        );
    }

    #[test]
    fn a_line_that_is_no_change_is_named() {
        let err = change_file("Add:         I4200   Dilated\nhello\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("line 2") && err.contains("Revise from"),
            "{err}"
        );
    }

    #[test]
    fn shared_titles_take_the_common_clauses() {
        let t = |v: &[&str]| shared_title(&v.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(
            t(&[
                "Odontogenic sinusitis, maxillary sinus",
                "Odontogenic sinusitis, unspecified"
            ]),
            "Odontogenic sinusitis"
        );
        assert_eq!(
            t(&["Toxic effect of X, undetermined, initial encounter"]),
            "Toxic effect of X, undetermined"
        );
        assert_eq!(
            t(&[
                "Right cornual ectopic pregnancy with intrauterine pregnancy",
                "Left cornual ectopic pregnancy with intrauterine pregnancy"
            ]),
            "Cornual ectopic pregnancy with intrauterine pregnancy"
        );
        assert_eq!(
            t(&[
                "Post bariatric hypoglycemia",
                "Other postprocedural hypoglycemia"
            ]),
            "Postprocedural hypoglycemia"
        );
    }
}
