//! `icd10pcs-tables`: the CMS ICD-10-PCS tables XML → manual entries.
//!
//! A `pcsTable` fixes the first three characters (section, body system,
//! root operation); each `pcsRow` lists the valid values of characters 4–7
//! (body part, approach, device, qualifier). Every row expands into the
//! cartesian product of its four axes. CMS does not publish the titles in
//! this file, so they are composed the way the CMS code list words them
//! ("Resection of Appendix, Percutaneous Endoscopic Approach"), per
//! section; see [`title`] (`super::pcs_title`). Each table also becomes a non-billable `block` row ("0DT",
//! "Resection, Gastrointestinal System") that its codes point to, so
//! `lookup` shows where a code sits. Not for: the PCS index or definitions.

use super::xml::{Element, parse_root};
use crate::error::Error;
use crate::manual::{Entry, Kind, Notes};
use std::io::BufRead;

/// The seven axis labels of one code, in character order.
#[derive(Debug, Clone, Copy)]
pub struct Axes<'a> {
    /// Character 1 ("Medical and Surgical").
    pub section: &'a str,
    /// Character 2 ("Gastrointestinal System").
    pub body_system: &'a str,
    /// Character 3, the root operation ("Resection").
    pub operation: &'a str,
    /// Character 4 ("Appendix"); in other sections, its equivalent.
    pub body_part: &'a str,
    /// Character 5 ("Percutaneous Endoscopic").
    pub approach: &'a str,
    /// Character 6 ("No Device").
    pub device: &'a str,
    /// Character 7 ("No Qualifier").
    pub qualifier: &'a str,
}

/// Converts the tables XML into entries: per table a block row, then its
/// codes in table order. `version` overrides the file's `<version>`.
pub fn import<R: BufRead>(
    input: R,
    source: &str,
    version: Option<&str>,
) -> Result<Vec<Entry>, Error> {
    let root = parse_root(
        input,
        source,
        "ICD10PCS.tabular",
        "the PCS tables XML, e.g. icd10pcs_tables_2026.xml",
    )?;
    let version = version
        .map(str::to_string)
        .or_else(|| Some(root.child_text("version").trim().to_string()).filter(|v| !v.is_empty()))
        .or_else(|| year_in(source))
        .unwrap_or_else(|| "unknown".into());
    let mut out = Vec::new();
    for (t, table) in root.all("pcsTable").enumerate() {
        let bad = |message: String| Error::Import {
            file: source.into(),
            message: format!("table {}: {message}", t + 1),
        };
        let mut head: Vec<(&str, &str)> = Vec::new();
        for pos in ["1", "2", "3"] {
            let label = axis(table, pos)
                .and_then(|a| a.first("label"))
                .ok_or_else(|| bad(format!("no axis pos=\"{pos}\" with a label")))?;
            head.push((label.attr("code").unwrap_or(""), label.text.as_str()));
        }
        let prefix: String = head.iter().map(|(c, _)| *c).collect();
        if prefix.len() != 3 {
            return Err(bad(format!("table code '{prefix}' is not 3 characters")));
        }
        out.push(entry(
            &version,
            &prefix,
            format!("{}, {}", head[2].1, head[1].1),
            false,
            Kind::Block,
            None,
        ));
        for row in table.all("pcsRow") {
            let mut axes: Vec<Vec<(&str, &str)>> = Vec::new();
            for pos in ["4", "5", "6", "7"] {
                let labels: Vec<(&str, &str)> = axis(row, pos)
                    .map(|a| {
                        a.all("label")
                            .map(|l| (l.attr("code").unwrap_or(""), l.text.as_str()))
                            .collect()
                    })
                    .unwrap_or_default();
                if labels.is_empty() {
                    return Err(bad(format!(
                        "a row of {prefix} has no labels at axis {pos}"
                    )));
                }
                axes.push(labels);
            }
            for a4 in &axes[0] {
                for a5 in &axes[1] {
                    for a6 in &axes[2] {
                        for a7 in &axes[3] {
                            let code = format!("{prefix}{}{}{}{}", a4.0, a5.0, a6.0, a7.0);
                            let t = title(&Axes {
                                section: head[0].1,
                                body_system: head[1].1,
                                operation: head[2].1,
                                body_part: a4.1,
                                approach: a5.1,
                                device: a6.1,
                                qualifier: a7.1,
                            });
                            out.push(entry(&version, &code, t, true, Kind::Code, Some(&prefix)));
                        }
                    }
                }
            }
        }
    }
    Ok(out)
}

/// The first four-digit year (19xx/20xx) in a file name
/// ("icd10pcs_tables_2026.xml" → "2026", "HCPC2025_OCT_ANWEB.txt" → "2025").
pub fn year_in(source: &str) -> Option<String> {
    let name = std::path::Path::new(source)
        .file_name()?
        .to_string_lossy()
        .into_owned();
    let b = name.as_bytes();
    (0..b.len().saturating_sub(3)).find_map(|i| {
        let w = &b[i..i + 4];
        let digits = w.iter().all(u8::is_ascii_digit);
        let edge = (i == 0 || !b[i - 1].is_ascii_digit())
            && b.get(i + 4).is_none_or(|c| !c.is_ascii_digit());
        (digits && edge && (w.starts_with(b"19") || w.starts_with(b"20")))
            .then(|| name[i..i + 4].to_string())
    })
}

fn axis<'a>(el: &'a Element, pos: &str) -> Option<&'a Element> {
    el.all("axis").find(|a| a.attr("pos") == Some(pos))
}

fn entry(
    version: &str,
    code: &str,
    title: String,
    billable: bool,
    kind: Kind,
    parent: Option<&str>,
) -> Entry {
    Entry {
        system: "icd10pcs".into(),
        version: version.into(),
        code: code.into(),
        title,
        billable,
        kind,
        parent: parent.map(String::from),
        synonyms: Vec::new(),
        notes: Notes::default(),
        index_paths: Vec::new(),
    }
}

pub use super::pcs_title::title;

#[cfg(test)]
mod tests {
    use super::*;

    fn ms<'a>(
        system: &'a str,
        op: &'a str,
        part: &'a str,
        appr: &'a str,
        dev: &'a str,
        q: &'a str,
    ) -> String {
        title(&Axes {
            section: "Medical and Surgical",
            body_system: system,
            operation: op,
            body_part: part,
            approach: appr,
            device: dev,
            qualifier: q,
        })
    }

    #[test]
    fn titles_follow_the_cms_wording() {
        let gi = "Gastrointestinal System";
        assert_eq!(
            ms(
                gi,
                "Resection",
                "Appendix",
                "Percutaneous Endoscopic",
                "No Device",
                "No Qualifier"
            ),
            "Resection of Appendix, Percutaneous Endoscopic Approach"
        );
        assert_eq!(
            ms(
                gi,
                "Excision",
                "Large Intestine",
                "Percutaneous Endoscopic",
                "No Device",
                "Diagnostic"
            ),
            "Excision of Large Intestine, Percutaneous Endoscopic Approach, Diagnostic"
        );
        assert_eq!(
            ms(
                gi,
                "Insertion",
                "Jejunum",
                "Percutaneous",
                "Monitoring Device",
                "No Qualifier"
            ),
            "Insertion of Monitoring Device into Jejunum, Percutaneous Approach"
        );
        assert_eq!(
            ms(
                gi,
                "Bypass",
                "Small Intestine",
                "Open",
                "Autologous Tissue Substitute",
                "Ascending Colon"
            ),
            "Bypass Small Intestine to Ascending Colon with Autologous Tissue Substitute, Open Approach"
        );
        assert_eq!(
            ms(
                "Heart and Great Vessels",
                "Excision",
                "Atrium, Right",
                "Open",
                "No Device",
                "No Qualifier"
            ),
            "Excision of Right Atrium, Open Approach"
        );
        assert_eq!(
            ms(
                "Upper Arteries",
                "Dilation",
                "Internal Carotid Artery, Left",
                "Percutaneous",
                "Intraluminal Device, Drug-eluting, Two",
                "No Qualifier"
            ),
            "Dilation of Left Internal Carotid Artery with Two Drug-eluting Intraluminal Devices, Percutaneous Approach"
        );
    }
}
