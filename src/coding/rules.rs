//! The guideline rules a complete coding needs beyond the tabular's own
//! notes, read from `data/guidelines.tsv` (one readable line per rule,
//! each citing its section of the Official Guidelines).
//!
//! Not for the tabular's notes ("code first", "use additional code"): see
//! [`super::notes`].

use super::targets::{Target, pattern};
use std::sync::OnceLock;

/// The bundled rules file.
pub const GUIDELINES: &str = include_str!("../../data/guidelines.tsv");

/// What a rule does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// All groups coded: add a combination code, remove what it replaces.
    Combine {
        /// The combination code (dotted).
        code: String,
        /// Codes it replaces.
        drop: Vec<Target>,
    },
    /// A "with" family: another condition is read together with it.
    With,
    /// Listed before the others.
    First,
    /// Never first-listed.
    After,
}

/// One guideline rule.
#[derive(Debug, Clone)]
pub struct Rule {
    /// What it does.
    pub kind: Kind,
    /// Guideline section (I.C.9.a.2).
    pub section: String,
    /// Groups that must each be matched by a code of the coding.
    pub when: Vec<Vec<Target>>,
    /// Why, in words, for the coding's explanation.
    pub why: String,
}

impl Rule {
    /// Whether `code` matches one pattern of group `g`.
    pub fn matches(&self, g: usize, code: &str) -> bool {
        self.when
            .get(g)
            .is_some_and(|ts| ts.iter().any(|t| t.covers(code)))
    }

    /// Whether `code` matches a pattern of any group.
    pub fn matches_any(&self, code: &str) -> bool {
        (0..self.when.len()).any(|g| self.matches(g, code))
    }
}

fn patterns(field: &str, line: usize) -> Result<Vec<Target>, String> {
    field
        .split_whitespace()
        .map(|p| {
            pattern(p).ok_or_else(|| {
                format!("data/guidelines.tsv line {line}: '{p}' is not a code pattern; write a code (N18.5), a range (B95-B97) or a range with a character (T36-T50:5)")
            })
        })
        .collect()
}

/// Reads rules from the text of a rules file.
pub fn parse(text: &str) -> Result<Vec<Rule>, String> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        let [kind, section, when, code, drop, why] = f[..] else {
            return Err(format!(
                "data/guidelines.tsv line {n}: expected 6 tab-separated fields (kind, section, when, code, drop, why), found {}",
                f.len()
            ));
        };
        let when = when
            .split(" + ")
            .map(|g| patterns(g, n))
            .collect::<Result<Vec<_>, _>>()?;
        let kind = match kind {
            "combine" if pattern(code).is_some() => Kind::Combine {
                code: code.to_string(),
                drop: patterns(drop, n)?,
            },
            "with" => Kind::With,
            "first" => Kind::First,
            "after" => Kind::After,
            other => {
                return Err(format!(
                    "data/guidelines.tsv line {n}: unknown kind '{other}' (or a combine rule without a code); use combine (with a code), with, first or after"
                ));
            }
        };
        out.push(Rule {
            kind,
            section: section.to_string(),
            when,
            why: why.to_string(),
        });
    }
    Ok(out)
}

/// The bundled rules, read once.
pub fn bundled() -> &'static [Rule] {
    static RULES: OnceLock<Vec<Rule>> = OnceLock::new();
    RULES.get_or_init(|| parse(GUIDELINES).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bundled_rule_reads() {
        let rules = parse(GUIDELINES).expect("data/guidelines.tsv reads");
        assert_eq!(rules.len(), bundled().len());
        assert!(rules.iter().all(|r| r.section.starts_with("I.")));
        let htn = rules
            .iter()
            .find(|r| matches!(&r.kind, Kind::Combine { code, .. } if code == "I12.9"))
            .expect("the I12.9 rule");
        assert!(htn.matches(0, "I10") && htn.matches(1, "N18.30") && !htn.matches(1, "N18.6"));
    }

    #[test]
    fn a_bad_line_names_its_line_and_the_fix() {
        let e = parse("combine\tI.C.9\tI10 + stage\tI12.9\tI10\twhy").unwrap_err();
        assert!(e.contains("line 1") && e.contains("'stage'"), "{e}");
    }
}
