//! Writing a manual CSV.

use super::{COLUMNS, Entry, LIST_SEPARATOR};
use std::io::Write;

/// Streams entries to a manual CSV.
pub struct ManualWriter<W: Write> {
    csv: csv::Writer<W>,
}

impl<W: Write> ManualWriter<W> {
    /// Writes the header and returns the writer.
    pub fn new(out: W) -> csv::Result<Self> {
        let mut csv = csv::Writer::from_writer(out);
        csv.write_record(COLUMNS)?;
        Ok(ManualWriter { csv })
    }

    /// Writes one entry.
    pub fn write(&mut self, e: &Entry) -> csv::Result<()> {
        let j = |v: &[String]| v.join(LIST_SEPARATOR);
        let n = &e.notes;
        self.csv.write_record([
            e.system.as_str(),
            e.version.as_str(),
            e.code.as_str(),
            e.title.as_str(),
            if e.billable { "Y" } else { "N" },
            e.kind.as_str(),
            e.parent.as_deref().unwrap_or(""),
            &j(&e.synonyms),
            &j(&n.includes),
            &j(&n.excludes1),
            &j(&n.excludes2),
            &j(&n.code_first),
            &j(&n.use_additional),
            &j(&n.code_also),
            &j(&n.seventh),
            &j(&n.other),
        ])
    }

    /// Flushes and returns the inner writer.
    pub fn finish(self) -> std::io::Result<W> {
        self.csv.into_inner().map_err(|e| e.into_error())
    }
}
