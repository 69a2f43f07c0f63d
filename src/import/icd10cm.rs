//! `icd10cm-tabular`: the CDC ICD-10-CM tabular list XML → manual entries.
//!
//! Walks chapters, sections (blocks) and nested `diag` elements, keeps the
//! instructional notes, and expands the 7th characters that the XML only
//! defines by rule: a `sevenChrDef` applies to every leaf below it; the leaf
//! becomes a non-billable header and each 7th character a billable code,
//! padded with the placeholder X to six characters first (S93.401 → S93.401A,
//! S72.9 → S72.9XXA).

use super::xml::{Element, parse_root};
use crate::error::Error;
use crate::manual::{Entry, Kind, Notes};
use std::io::BufRead;

/// Converts the tabular XML into entries, in tabular order.
pub fn import<R: BufRead>(input: R, source: &str) -> Result<Vec<Entry>, Error> {
    let root = parse_root(
        input,
        source,
        "ICD10CM.tabular",
        "the tabular list XML, e.g. icd10cm-tabular-April-1-2026.xml",
    )?;
    let version = root.child_text("version").trim().to_string();
    let version = if version.is_empty() {
        "unknown".to_string()
    } else {
        version
    };
    let mut out = Vec::new();
    for chapter in root.all("chapter") {
        let num = chapter.child_text("name");
        let code = format!("Chapter {num}");
        out.push(Entry {
            system: "icd10cm".into(),
            version: version.clone(),
            code: code.clone(),
            title: chapter.child_text("desc").to_string(),
            billable: false,
            kind: Kind::Chapter,
            parent: None,
            synonyms: Vec::new(),
            notes: notes_of(chapter),
            index_paths: Vec::new(),
        });
        for section in chapter.all("section") {
            let id = section.attr("id").unwrap_or("").to_string();
            out.push(Entry {
                system: "icd10cm".into(),
                version: version.clone(),
                code: id.clone(),
                title: section.child_text("desc").to_string(),
                billable: false,
                kind: Kind::Block,
                parent: Some(code.clone()),
                synonyms: Vec::new(),
                notes: notes_of(section),
                index_paths: Vec::new(),
            });
            for diag in section.all("diag") {
                walk(diag, &id, None, &version, &mut out);
            }
        }
    }
    Ok(out)
}

/// The instructional notes directly under an element.
fn notes_of(el: &Element) -> Notes {
    let texts = |name: &str| -> Vec<String> {
        el.all(name)
            .flat_map(|n| n.all("note").map(|x| x.text.clone()))
            .collect()
    };
    let seventh = el
        .all("sevenChrDef")
        .flat_map(|d| d.all("extension"))
        .map(|x| format!("{}={}", x.attr("char").unwrap_or("?"), x.text))
        .collect();
    let mut other = texts("notes");
    other.extend(texts("sevenChrNote"));
    Notes {
        includes: texts("includes"),
        excludes1: texts("excludes1"),
        excludes2: texts("excludes2"),
        code_first: texts("codeFirst"),
        use_additional: texts("useAdditionalCode"),
        code_also: texts("codeAlso"),
        seventh,
        other,
    }
}

/// A 7th-character rule in force: the definitions, and the exceptions
/// stated in prose ("7th characters D and S do not apply to codes in
/// category S06 with 6th character 7 ... or 8 ...").
#[derive(Clone, Default)]
struct Seventh {
    defs: Vec<(String, String)>,
    /// (7th character, 6th character) pairs that are not valid.
    exceptions: Vec<(String, char)>,
}

/// Reads the exception sentences of the tabular notes.
fn seventh_exceptions(notes: &Notes) -> Vec<(String, char)> {
    let mut out = Vec::new();
    for note in &notes.other {
        let Some(rest) = note.strip_prefix("7th character") else {
            continue;
        };
        let Some((chars, tail)) = rest.split_once("not apply") else {
            continue;
        };
        let sevenths: Vec<String> = chars
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| w.len() == 1 && w.chars().all(|c| c.is_ascii_uppercase()))
            .map(String::from)
            .collect();
        let sixths: Vec<char> = tail
            .split("6th character")
            .skip(1)
            .filter_map(|part| part.trim_start().chars().next())
            .chain(tail.split(" or ").skip(1).filter_map(|p| {
                let p = p.trim_start();
                let c = p.chars().next()?;
                (c.is_ascii_digit() && p[1..].trim_start().starts_with('-')).then_some(c)
            }))
            .filter(char::is_ascii_alphanumeric)
            .collect();
        for s in &sevenths {
            for six in &sixths {
                out.push((s.clone(), *six));
            }
        }
    }
    out
}

/// Adds `diag` and its descendants. `seventh` is the nearest 7th-character
/// rule above (or at) this code.
fn walk(
    diag: &Element,
    parent: &str,
    seventh: Option<&Seventh>,
    version: &str,
    out: &mut Vec<Entry>,
) {
    let code = diag.child_text("name").to_string();
    let title = diag.child_text("desc").to_string();
    let notes = notes_of(diag);
    let defs: Vec<(String, String)> = diag
        .all("sevenChrDef")
        .flat_map(|d| d.all("extension"))
        .map(|x| (x.attr("char").unwrap_or("").to_string(), x.text.clone()))
        .collect();
    let own = Seventh {
        exceptions: seventh_exceptions(&notes),
        defs,
    };
    let seventh = if own.defs.is_empty() {
        seventh
    } else {
        Some(&own)
    };
    let children: Vec<&Element> = diag.all("diag").collect();
    let leaf = children.is_empty();
    let expands = leaf && seventh.is_some();
    out.push(Entry {
        system: "icd10cm".into(),
        version: version.into(),
        code: code.clone(),
        title: title.clone(),
        billable: leaf && !expands,
        kind: Kind::Code,
        parent: Some(parent.to_string()),
        synonyms: diag
            .all("inclusionTerm")
            .flat_map(|n| n.all("note").map(|x| x.text.clone()))
            .collect(),
        notes,
        index_paths: Vec::new(),
    });
    for child in children {
        walk(child, &code, seventh, version, out);
    }
    if let (true, Some(rule)) = (expands, seventh) {
        let sixth = code.chars().filter(|c| *c != '.').nth(5);
        for (ch, meaning) in &rule.defs {
            if rule
                .exceptions
                .iter()
                .any(|(s, six)| s == ch && Some(*six) == sixth)
            {
                continue;
            }
            out.push(Entry {
                system: "icd10cm".into(),
                version: version.into(),
                code: with_seventh(&code, ch),
                title: format!("{title}, {meaning}"),
                billable: true,
                kind: Kind::Code,
                parent: Some(code.clone()),
                synonyms: Vec::new(),
                notes: Notes::default(),
                index_paths: Vec::new(),
            });
        }
    }
}

/// The full code for a 7th character: pad with X to six characters, then
/// append ("S72.9" + "A" → "S72.9XXA").
pub fn with_seventh(code: &str, ch: &str) -> String {
    let mut plain: String = code.chars().filter(|c| *c != '.').collect();
    while plain.len() < 6 {
        plain.push('X');
    }
    plain.push_str(ch);
    format!("{}.{}", &plain[..3], &plain[3..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholder_x_padding() {
        assert_eq!(with_seventh("S93.401", "A"), "S93.401A");
        assert_eq!(with_seventh("S72.9", "A"), "S72.9XXA");
        assert_eq!(with_seventh("T50.90", "D"), "T50.90XD");
        assert_eq!(with_seventh("S02", "S"), "S02.XXXS");
    }
}
