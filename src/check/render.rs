//! The edits of an encounter as text for a person: the codes, then one
//! line per edit (errors first) with its codes and message, and its source
//! on the line below.

use super::Report;
use std::fmt::Write;

impl Report {
    /// A readable block; `indent` prefixes every line.
    pub fn render(&self, indent: &str) -> String {
        let mut s = String::new();
        let codes = if self.codes.is_empty() {
            "(no codes)".to_string()
        } else {
            self.codes.join(", ")
        };
        if self.edits.is_empty() {
            let _ = writeln!(s, "{indent}{codes}: no edits");
            return s;
        }
        let (e, w, n) = self.counts();
        let _ = writeln!(
            s,
            "{indent}{codes}: {e} error(s), {w} warning(s), {n} note(s)"
        );
        for edit in &self.edits {
            let _ = writeln!(
                s,
                "{indent}  {:<7} {:<20} {:<17} {}",
                edit.severity.as_str(),
                edit.kind.as_str(),
                edit.codes.join(" "),
                edit.message
            );
            let _ = writeln!(s, "{indent}  {:<46} source: {}", "", edit.source);
        }
        s
    }

    /// Errors, warnings and notes.
    pub fn counts(&self) -> (usize, usize, usize) {
        use super::Severity::*;
        let n = |sev| self.edits.iter().filter(|e| e.severity == sev).count();
        (n(Error), n(Warning), n(Note))
    }

    /// The kinds of the edits, `;`-separated, in order (for a CSV column).
    pub fn kinds(&self) -> String {
        let mut kinds: Vec<&str> = Vec::new();
        for e in &self.edits {
            if !kinds.contains(&e.kind.as_str()) {
                kinds.push(e.kind.as_str());
            }
        }
        kinds.join(";")
    }
}
