//! The edits of an encounter as text for a person: the codes, then one
//! line per edit (errors first) with its codes and message, and its source
//! on the line below.

use super::{Report, Text};
use std::borrow::Cow;
use std::fmt::Write;

impl Report<'_> {
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

    /// The kinds of the errors and warnings, `;`-separated, errors first
    /// (for a CSV column; notes are left out).
    pub fn kinds(&self) -> String {
        let mut kinds: Vec<&str> = Vec::new();
        for e in self
            .edits
            .iter()
            .filter(|e| e.severity != super::Severity::Note)
        {
            if !kinds.contains(&e.kind.as_str()) {
                kinds.push(e.kind.as_str());
            }
        }
        kinds.join(";")
    }
}

/// An edit as the JSON output writes it: fields in name order, as the
/// `serde_json::Value` the output was once built from sorted them.
#[derive(serde::Serialize)]
struct JsonEdit<'a> {
    codes: &'a [Cow<'a, str>],
    kind: super::EditKind,
    message: &'a Text<'a>,
    severity: super::Severity,
    source: &'a Text<'a>,
}

/// A report as the JSON output writes it (see [`JsonEdit`]).
#[derive(serde::Serialize)]
struct JsonReport<'a> {
    codes: &'a [Cow<'a, str>],
    edits: Vec<JsonEdit<'a>>,
    schema_version: u32,
}

impl Report<'_> {
    /// Writes the report as one line of compact JSON (no newline), with
    /// `schema_version`, written straight from the report.
    pub fn write_json<W: std::io::Write>(&self, out: W) -> serde_json::Result<()> {
        let edits = self
            .edits
            .iter()
            .map(|e| JsonEdit {
                codes: &e.codes,
                kind: e.kind,
                message: &e.message,
                severity: e.severity,
                source: &e.source,
            })
            .collect();
        serde_json::to_writer(
            out,
            &JsonReport {
                codes: &self.codes,
                edits,
                schema_version: crate::render::records::SCHEMA_VERSION,
            },
        )
    }
}
