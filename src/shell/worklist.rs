//! The encounter worklist: the codes a coder has picked for one encounter,
//! first-listed first, printed as one line of codes or as CSV for pasting
//! into a billing system. It knows nothing of the index or the terminal.

/// One picked code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The code as printed (E11.40).
    pub code: String,
    /// Its title.
    pub title: String,
    /// Code system (`icd10cm`).
    pub system: String,
    /// Release (`2026`).
    pub version: String,
    /// Valid on a claim.
    pub billable: bool,
}

/// The codes of one encounter, in the order they were picked.
#[derive(Debug, Default, Clone)]
pub struct Worklist {
    entries: Vec<Entry>,
}

/// What [`Worklist::add`] did.
#[derive(Debug, PartialEq, Eq)]
pub enum Added {
    /// Appended at this 1-based position.
    At(usize),
    /// Already listed at this 1-based position; nothing changed.
    Already(usize),
}

impl Worklist {
    /// Appends `entry` unless the same code of the same system is listed.
    pub fn add(&mut self, entry: Entry) -> Added {
        if let Some(i) = self
            .entries
            .iter()
            .position(|e| e.code == entry.code && e.system == entry.system)
        {
            return Added::Already(i + 1);
        }
        self.entries.push(entry);
        Added::At(self.entries.len())
    }

    /// Removes the entry at 1-based position `n`.
    pub fn remove(&mut self, n: usize) -> Option<Entry> {
        (1..=self.entries.len())
            .contains(&n)
            .then(|| self.entries.remove(n - 1))
    }

    /// Empties the list and says how many codes it held.
    pub fn clear(&mut self) -> usize {
        std::mem::take(&mut self.entries).len()
    }

    /// The entries, first-listed first.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// Number of codes.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// No codes yet.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// One line of codes: `E11.40, I10`.
    pub fn codes_line(&self) -> String {
        self.entries
            .iter()
            .map(|e| e.code.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// CSV with the header `code,title,system,version`.
    pub fn to_csv(&self) -> String {
        let mut w = csv::Writer::from_writer(Vec::new());
        // Writing to a Vec cannot fail.
        let _ = w.write_record(["code", "title", "system", "version"]);
        for e in &self.entries {
            let _ = w.write_record([&e.code, &e.title, &e.system, &e.version]);
        }
        let bytes = w.into_inner().unwrap_or_default();
        String::from_utf8_lossy(&bytes).into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(code: &str, title: &str) -> Entry {
        Entry {
            code: code.into(),
            title: title.into(),
            system: "icd10cm".into(),
            version: "2026".into(),
            billable: true,
        }
    }

    #[test]
    fn keeps_pick_order_and_refuses_duplicates() {
        let mut w = Worklist::default();
        assert_eq!(w.add(entry("E11.40", "Type 2")), Added::At(1));
        assert_eq!(w.add(entry("I10", "Hypertension")), Added::At(2));
        assert_eq!(w.add(entry("E11.40", "Type 2")), Added::Already(1));
        assert_eq!(w.codes_line(), "E11.40, I10");
        assert_eq!(w.remove(1).map(|e| e.code), Some("E11.40".into()));
        assert_eq!(w.remove(5), None);
        assert_eq!(w.codes_line(), "I10");
        assert_eq!(w.clear(), 1);
        assert!(w.is_empty());
    }

    #[test]
    fn csv_quotes_titles_with_commas() {
        let mut w = Worklist::default();
        w.add(entry(
            "E11.40",
            "Type 2 diabetes mellitus with diabetic neuropathy, unspecified",
        ));
        assert_eq!(
            w.to_csv(),
            "code,title,system,version\nE11.40,\"Type 2 diabetes mellitus with diabetic neuropathy, unspecified\",icd10cm,2026\n"
        );
    }
}
