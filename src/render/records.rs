//! The one output model of the machine formats, shared by `suggest`,
//! `lookup` and `batch`: `json` is one array of result objects, `jsonl` the
//! same objects one per line, `tsv` one line per result (`--header` adds
//! the column names), `fhir` one line per result holding FHIR R4
//! `CodeableConcept`s. Booleans are `true`/`false` in every format, and
//! every object carries [`SCHEMA_VERSION`]. The schema is documented in
//! `docs/output.md`.

use super::fhir;
use crate::lookup::CodeDetail;
use crate::search::{Route, SearchResult, Suggestion};
use serde::Serialize;
use std::io::{self, Write};

/// The version of the output schema: raised whenever a field is renamed,
/// removed or changes meaning (adding a field does not raise it).
pub const SCHEMA_VERSION: u32 = 1;

/// Output formats of `suggest` and `lookup`.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Format {
    /// A readable table (default).
    #[default]
    Table,
    /// One JSON array of result objects.
    Json,
    /// One JSON result object per line.
    Jsonl,
    /// Tab-separated, one line per result (`--header` names the columns).
    Tsv,
    /// One JSON array of FHIR R4 CodeableConcepts per line.
    Fhir,
}

impl Format {
    /// Formats for programs (everything but the table).
    pub fn is_machine(self) -> bool {
        self != Format::Table
    }
}

/// The TSV columns of a suggestion result: the best code, then the other
/// codes space-separated.
pub const SUGGEST_TSV_HEADER: &str =
    "query\tcode\ttitle\tscore\tbillable\tsystem\tversion\talternatives";

/// The TSV columns of a looked-up code.
pub const LOOKUP_TSV_HEADER: &str = "code\ttitle\tbillable\tsystem\tversion\tparent\tdefault_code";

/// A query and its result.
#[derive(Serialize)]
pub struct SuggestRecord<'a> {
    /// [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The input text.
    pub query: &'a str,
    /// Where it searched, and why.
    pub route: &'a Route,
    /// Best first.
    pub suggestions: &'a [Suggestion],
    /// The complete coding, first-listed first.
    pub coding: &'a [crate::coding::CodedLine],
}

/// A looked-up code.
#[derive(Serialize)]
pub struct LookupRecord<'a> {
    /// [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The code's detail.
    #[serde(flatten)]
    pub detail: &'a CodeDetail,
}

/// `v` (a JSON object) with a `schema_version` field ([`SCHEMA_VERSION`]), for
/// results built as JSON values (`check`).
pub fn with_schema_version(v: serde_json::Value) -> serde_json::Value {
    match v {
        serde_json::Value::Object(fields) => {
            let mut m = serde_json::Map::new();
            m.insert("schema_version".into(), SCHEMA_VERSION.into());
            m.extend(fields);
            serde_json::Value::Object(m)
        }
        other => other,
    }
}

/// Writes results one at a time in a machine format, with what comes
/// before the first (`[`, a TSV header) and after the last (`]`).
pub struct Printer {
    format: Format,
    header: Option<&'static str>,
    written: usize,
}

impl Printer {
    /// A printer of `format`; `tsv_header` is written first in TSV.
    pub fn new(format: Format, tsv_header: Option<&'static str>) -> Self {
        Printer {
            format,
            header: tsv_header,
            written: 0,
        }
    }

    /// Writes what precedes the first result.
    pub fn start<W: Write + ?Sized>(&mut self, out: &mut W) -> io::Result<()> {
        match (self.format, self.header) {
            (Format::Json, _) => out.write_all(b"["),
            (Format::Tsv, Some(h)) => writeln!(out, "{h}"),
            _ => Ok(()),
        }
    }

    /// Writes what follows the last result.
    pub fn finish<W: Write + ?Sized>(&mut self, out: &mut W) -> io::Result<()> {
        match self.format {
            Format::Json if self.written > 0 => out.write_all(b"\n]\n"),
            Format::Json => out.write_all(b"]\n"),
            _ => Ok(()),
        }
    }

    fn object<W: Write + ?Sized, T: Serialize>(&mut self, out: &mut W, v: &T) -> io::Result<()> {
        if self.format == Format::Json {
            out.write_all(if self.written == 0 { b"\n" } else { b",\n" })?;
        }
        serde_json::to_writer(&mut *out, v)?;
        if self.format != Format::Json {
            out.write_all(b"\n")?;
        }
        self.written += 1;
        Ok(())
    }

    /// Writes one query's suggestions.
    pub fn suggestions<W: Write + ?Sized>(
        &mut self,
        out: &mut W,
        query: &str,
        r: &SearchResult,
    ) -> io::Result<()> {
        match self.format {
            Format::Json | Format::Jsonl => self.object(
                out,
                &SuggestRecord {
                    schema_version: SCHEMA_VERSION,
                    query,
                    route: &r.route,
                    suggestions: &r.suggestions,
                    coding: &r.coding,
                },
            ),
            Format::Fhir => {
                let concepts: Vec<_> = r
                    .suggestions
                    .iter()
                    .map(|s| fhir::concept(&s.system, &s.version, &s.code, &s.title))
                    .collect();
                self.object(out, &concepts)
            }
            Format::Tsv => write_suggest_tsv(out, query, &r.suggestions),
            Format::Table => Ok(()),
        }
    }

    /// Writes one looked-up code.
    pub fn detail<W: Write + ?Sized>(&mut self, out: &mut W, d: &CodeDetail) -> io::Result<()> {
        match self.format {
            Format::Json | Format::Jsonl => self.object(
                out,
                &LookupRecord {
                    schema_version: SCHEMA_VERSION,
                    detail: d,
                },
            ),
            Format::Fhir => self.object(
                out,
                &fhir::concept(&d.system, &d.version, &d.code, &d.title),
            ),
            Format::Tsv => writeln!(
                out,
                "{}\t{}\t{}\t{}\t{}\t{}\t{}",
                d.code,
                clean(&d.title),
                d.billable,
                d.system,
                d.version,
                d.parents.first().map_or("", |p| p.code.as_str()),
                d.default_code.as_deref().unwrap_or("")
            ),
            Format::Table => Ok(()),
        }
    }
}

/// A TSV cell: tabs and line breaks become spaces.
fn clean(s: &str) -> String {
    s.replace(['\t', '\n', '\r'], " ")
}

fn write_suggest_tsv<W: Write + ?Sized>(
    out: &mut W,
    query: &str,
    s: &[Suggestion],
) -> io::Result<()> {
    match s.first() {
        None => writeln!(out, "{}\t\t\t\t\t\t\t", clean(query)),
        Some(top) => {
            let alts: Vec<&str> = s[1..].iter().map(|x| x.code.as_str()).collect();
            writeln!(
                out,
                "{}\t{}\t{}\t{:.3}\t{}\t{}\t{}\t{}",
                clean(query),
                top.code,
                clean(&top.title),
                top.score,
                top.billable,
                top.system,
                top.version,
                alts.join(" ")
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::{Route, SearchResult};

    fn result() -> SearchResult {
        SearchResult {
            suggestions: Vec::new(),
            route: Route {
                systems: vec!["icd10cm".into()],
                reason: "diagnosis words".into(),
            },
            coding: Vec::new(),
        }
    }

    fn print(format: Format, header: Option<&'static str>, queries: &[&str]) -> String {
        let mut out = Vec::new();
        let mut p = Printer::new(format, header);
        p.start(&mut out).unwrap();
        for q in queries {
            p.suggestions(&mut out, q, &result()).unwrap();
        }
        p.finish(&mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn json_is_one_array_of_the_jsonl_objects() {
        let jsonl = print(Format::Jsonl, None, &["a", "b"]);
        let json = print(Format::Json, None, &["a", "b"]);
        let lines: Vec<serde_json::Value> = jsonl
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        let array: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(array, serde_json::Value::Array(lines));
        assert_eq!(print(Format::Json, None, &[]), "[]\n");
        assert!(jsonl.starts_with("{\"schema_version\":1,\"query\":\"a\",\"route\":"));
    }

    #[test]
    fn tsv_header_only_when_asked() {
        assert_eq!(print(Format::Tsv, None, &["a"]), "a\t\t\t\t\t\t\t\n");
        let with = print(Format::Tsv, Some(SUGGEST_TSV_HEADER), &["a"]);
        assert_eq!(with.lines().next(), Some(SUGGEST_TSV_HEADER));
    }
}
