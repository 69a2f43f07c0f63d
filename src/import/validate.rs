//! Checking the codes of an older index or table against the release they
//! will be searched with: a code the release still has is kept; a code it
//! no longer has is replaced by its one valid child, or dropped (and
//! counted) when it has none or several. Not for: reading the books.

use crate::manual::{Entry, code_key};
use std::collections::{BTreeMap, HashMap};

/// The codes of one release, by key ("E1140").
#[derive(Debug, Clone, Default)]
pub struct CodeSet {
    /// key → the code as printed.
    codes: BTreeMap<String, String>,
    /// key → its parent's key.
    parent: HashMap<String, String>,
}

/// What became of one code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Checked {
    /// Valid in the release, as printed there.
    Kept(String),
    /// Gone; its one valid child takes its place.
    Replaced(String),
    /// Gone, and no child (or several) to take its place.
    Dropped,
}

/// Counts of [`Checked`] outcomes, for the import report and PROVENANCE.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ValidationStats {
    /// Codes found in the release.
    pub kept: usize,
    /// Codes replaced by their only valid child.
    pub replaced: usize,
    /// Codes dropped.
    pub dropped: usize,
}

impl CodeSet {
    /// The codes of a manual's rows (chapters and blocks left out).
    pub fn new(entries: &[Entry]) -> CodeSet {
        let mut set = CodeSet::default();
        for e in entries
            .iter()
            .filter(|e| e.kind == crate::manual::Kind::Code)
        {
            let key = code_key(&e.code);
            if let Some(p) = &e.parent {
                set.parent.insert(key.clone(), code_key(p));
            }
            set.codes.insert(key, e.code.clone());
        }
        set
    }

    /// Checks one code and counts the outcome in `stats`.
    pub fn check(&self, code: &str, stats: &mut ValidationStats) -> Checked {
        let key = code_key(code);
        if let Some(c) = self.codes.get(&key) {
            stats.kept += 1;
            return Checked::Kept(c.clone());
        }
        // Codes under the gone one whose parent is not itself under it: its
        // children in the release.
        let under: Vec<&String> = self
            .codes
            .range(key.clone()..)
            .take_while(|(k, _)| k.starts_with(&key))
            .filter(|(k, _)| {
                self.parent
                    .get(*k)
                    .is_none_or(|p| !p.starts_with(&key) || p == &key)
            })
            .map(|(_, c)| c)
            .collect();
        match under.as_slice() {
            [only] => {
                stats.replaced += 1;
                Checked::Replaced((*only).clone())
            }
            _ => {
                stats.dropped += 1;
                Checked::Dropped
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(c: &str, parent: Option<&str>) -> Entry {
        Entry {
            code: c.into(),
            parent: parent.map(String::from),
            ..Default::default()
        }
    }

    #[test]
    fn a_gone_code_takes_its_only_child_or_is_dropped() {
        let set = CodeSet::new(&[
            code("T40", None),
            code("T40.41", Some("T40")),
            code("T40.411", Some("T40.41")),
            code("T40.411A", Some("T40.411")),
            code("T40.42", Some("T40")),
            code("T40.421", Some("T40.42")),
            code("T40.422", Some("T40.42")),
        ]);
        let mut stats = ValidationStats::default();
        assert_eq!(
            set.check("t4041", &mut stats),
            Checked::Kept("T40.41".into())
        );
        assert_eq!(
            set.check("T40.4", &mut stats),
            Checked::Dropped,
            "two children: ambiguous"
        );
        assert_eq!(set.check("T40.9", &mut stats), Checked::Dropped);
        assert_eq!(
            CodeSet::new(&[code("T40.411", None), code("T40.411A", Some("T40.411"))])
                .check("T40.41", &mut stats),
            Checked::Replaced("T40.411".into())
        );
        assert_eq!(
            stats,
            ValidationStats {
                kept: 1,
                replaced: 1,
                dropped: 2
            }
        );
    }
}
