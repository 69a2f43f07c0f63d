//! The edits of an encounter as text for a person: the codes, then one
//! line per edit (errors first) with its codes and message, and its source
//! on the line below.

use super::Report;
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

impl Report<'_> {
    /// Appends the report as one line of compact JSON (no newline), with
    /// `schema_version`: the bytes `serde_json` writes for the report's
    /// `serde_json::Value` (fields in name order), each string escaped
    /// straight into `out` ([`super::Text::write_json`]), no value built first.
    pub fn write_json(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(b"{\"codes\":");
        json_strings(out, &self.codes);
        out.extend_from_slice(b",\"edits\":[");
        for (i, e) in self.edits.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            out.extend_from_slice(b"{\"codes\":");
            json_strings(out, &e.codes);
            out.extend_from_slice(b",\"kind\":\"");
            out.extend_from_slice(e.kind.as_str().as_bytes());
            out.extend_from_slice(b"\",\"message\":\"");
            e.message.write_json(out);
            out.extend_from_slice(b"\",\"severity\":\"");
            out.extend_from_slice(e.severity.as_str().as_bytes());
            out.extend_from_slice(b"\",\"source\":\"");
            e.source.write_json(out);
            out.extend_from_slice(b"\"}");
        }
        out.extend_from_slice(b"],\"schema_version\":");
        out.extend_from_slice(
            crate::render::records::SCHEMA_VERSION
                .to_string()
                .as_bytes(),
        );
        out.push(b'}');
    }
}

/// A JSON array of strings.
fn json_strings(out: &mut Vec<u8>, list: &[Cow<'_, str>]) {
    out.push(b'[');
    for (i, s) in list.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.push(b'"');
        super::message::escape_into(out, s);
        out.push(b'"');
    }
    out.push(b']');
}

#[cfg(test)]
mod tests {
    use super::super::notes::NoteGroup;
    use super::super::{Edit, EditKind, Report, Severity, Text};
    use std::borrow::Cow;

    /// The bytes `medcoder check` wrote before: the report's JSON value,
    /// with `schema_version`, written by `serde_json`.
    fn by_value(r: &Report) -> Vec<u8> {
        let v = crate::render::records::with_schema_version(serde_json::to_value(r).unwrap());
        serde_json::to_vec(&v).unwrap()
    }

    #[test]
    fn json_is_what_serde_json_writes_for_the_value() {
        let group = NoteGroup {
            text: "to identify \"x\"\\ y\u{1}\ttab — é".into(),
            cited: "Z79.4, \"Q\"".into(),
            ..NoteGroup::default()
        };
        let prose = NoteGroup::default();
        let plain = NoteGroup {
            text: "to identify — é".into(),
            targets: vec![super::super::target::Target::new(
                "Z794".into(),
                "Z794".into(),
            )],
            cited: "Z79.4".into(),
            plain: true,
            ..NoteGroup::default()
        };
        let kinds = [
            EditKind::InvalidCode,
            EditKind::UseAdditional,
            EditKind::FirstListedOnly,
        ];
        let mut r = Report {
            codes: vec![Cow::Borrowed("E11.9"), Cow::Owned("N\"18\\".into())],
            edits: Vec::new(),
        };
        assert_eq!(r.write_json_vec(), by_value(&r));
        for (i, kind) in kinds.into_iter().enumerate() {
            r.edits.push(Cow::Owned(Edit {
                kind,
                severity: [Severity::Error, Severity::Warning, Severity::Note][i],
                codes: vec![Cow::Borrowed("E11.9"), Cow::Borrowed("\u{7f}\n")],
                message: [
                    Text::Owned("a \"b\" \\ \r\u{1f}".into()),
                    Text::Missing {
                        code: "E11.9",
                        what: "use additional",
                        group: &group,
                    },
                    Text::Lead("E11\"9", " is \\ fixed"),
                ][i]
                    .clone(),
                source: [
                    Text::At("Code first", "E11"),
                    Text::Static("Official \"Guidelines\""),
                    Text::Missing {
                        code: "E11.9",
                        what: "code first",
                        group: &prose,
                    },
                ][i]
                    .clone(),
            }));
        }
        r.edits.push(Cow::Owned(Edit {
            message: Text::Missing {
                code: "E11.9",
                what: "code also",
                group: &plain,
            },
            ..r.edits[0].clone().into_owned()
        }));
        for e in [
            EditKind::Excludes1,
            EditKind::ManifestationFirst,
            EditKind::SequelaOrder,
        ] {
            r.edits.push(Cow::Owned(Edit {
                kind: e,
                ..r.edits[0].clone().into_owned()
            }));
        }
        assert_eq!(
            String::from_utf8(r.write_json_vec()).unwrap(),
            String::from_utf8(by_value(&r)).unwrap()
        );
    }

    impl Report<'_> {
        fn write_json_vec(&self) -> Vec<u8> {
            let mut v = Vec::new();
            self.write_json(&mut v);
            v
        }
    }
}
