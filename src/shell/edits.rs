//! The worklist's live encoder edits: after every change to the worklist
//! the shell runs `check` over its ICD-10-CM codes (claim order) and shows
//! the errors and warnings, and how many notes `:list` would show.

use super::Session;
use crate::check::Severity;
use std::io::{self, Write};

impl<D: AsRef<[u8]>> Session<'_, D> {
    /// Writes the edits of the worklist; `notes` also lists the notes.
    pub(super) fn write_edits<W: Write + ?Sized>(
        &self,
        out: &mut W,
        notes: bool,
    ) -> io::Result<()> {
        let codes: Vec<String> = self
            .worklist
            .entries()
            .iter()
            .filter(|e| e.system == "icd10cm")
            .map(|e| e.code.clone())
            .collect();
        if codes.is_empty() {
            return Ok(());
        }
        let report = self.checker.check(&codes);
        let mut hidden = 0;
        for e in &report.edits {
            if e.severity == Severity::Note && !notes {
                hidden += 1;
                continue;
            }
            let line = format!(
                "  {} {}: {}",
                e.severity.as_str(),
                e.kind.as_str(),
                e.message
            );
            let line = if e.severity == Severity::Note {
                self.style.dim(&line)
            } else {
                self.style.warn(&line)
            };
            writeln!(out, "{line}")?;
        }
        if hidden > 0 {
            writeln!(
                out,
                "{}",
                self.style
                    .dim(&format!("  ({hidden} note(s): :list shows them)"))
            )?;
        }
        Ok(())
    }
}
