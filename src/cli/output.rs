//! Printing suggestions for people (table) and programs (json, jsonl, tsv).

use crate::search::{SearchResult, Suggestion};
use serde::Serialize;
use std::io::Write;

/// The notice shown whenever CPT text is displayed.
pub const AMA_NOTICE: &str = "CPT® is a registered trademark of the American Medical Association. CPT codes and descriptions are copyright American Medical Association; all rights reserved. Displayed from the user's licensed file.";

/// Output formats.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Format {
    /// A readable table (default).
    #[default]
    Table,
    /// One JSON document.
    Json,
    /// One JSON object per query, one per line.
    Jsonl,
    /// Tab-separated, one line per query.
    Tsv,
}

/// A query and its result, as printed in machine formats.
#[derive(Serialize)]
pub struct Record<'a> {
    /// The input text.
    pub query: &'a str,
    /// Best first.
    pub suggestions: &'a [Suggestion],
    /// The complete coding, first-listed first.
    pub coding: &'a [crate::coding::CodedLine],
    /// Where it searched.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub route: Option<&'a crate::search::Route>,
}

/// Writes one query's result in `format`.
pub fn write_result<W: Write>(
    out: &mut W,
    format: Format,
    query: &str,
    r: &SearchResult,
    explain: bool,
) -> std::io::Result<()> {
    match format {
        Format::Table => write_table(out, query, r, explain),
        Format::Json => {
            serde_json::to_writer_pretty(
                &mut *out,
                &Record {
                    query,
                    suggestions: &r.suggestions,
                    coding: &r.coding,
                    route: Some(&r.route),
                },
            )?;
            writeln!(out)
        }
        Format::Jsonl => {
            serde_json::to_writer(
                &mut *out,
                &Record {
                    query,
                    suggestions: &r.suggestions,
                    coding: &r.coding,
                    route: None,
                },
            )?;
            writeln!(out)
        }
        Format::Tsv => write_tsv(out, query, &r.suggestions),
    }
}

/// The TSV header: one line per query, best code first, the rest as a list.
pub const TSV_HEADER: &str = "query\tcode\ttitle\tscore\tbillable\tsystem\tversion\talternatives";

fn clean(s: &str) -> String {
    s.replace(['\t', '\n', '\r'], " ")
}

fn write_tsv<W: Write>(out: &mut W, query: &str, s: &[Suggestion]) -> std::io::Result<()> {
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
                if top.billable { "Y" } else { "N" },
                top.system,
                top.version,
                alts.join(" ")
            )
        }
    }
}

fn write_table<W: Write>(
    out: &mut W,
    query: &str,
    r: &SearchResult,
    explain: bool,
) -> std::io::Result<()> {
    if r.suggestions.is_empty() {
        return writeln!(
            out,
            "no suggestions for \"{query}\" (searched {})",
            r.route.systems.join(", ")
        );
    }
    writeln!(
        out,
        "searched {} ({})",
        r.route.systems.join(", "),
        r.route.reason
    )?;
    writeln!(
        out,
        "  #  {:<9} {:<5} {:<5} {:<4} {:<13} title",
        "code", "score", "conf", "bill", "release"
    )?;
    let review = crate::confidence::review_below();
    for (i, s) in r.suggestions.iter().enumerate() {
        let conf = format!(
            "{:.2}{}",
            s.confidence,
            if s.confidence < review { "?" } else { "" }
        );
        writeln!(
            out,
            "{:>3}  {:<9} {:<5.2} {:<5} {:<4} {:<13} {}",
            i + 1,
            s.code,
            s.score,
            conf,
            if s.billable { "Y" } else { "N" },
            format!("{} {}", s.system, s.version),
            s.title
        )?;
        if let (true, Some(e)) = (explain, &s.explanation) {
            write_explanation(out, e)?;
        }
    }
    if r.suggestions.first().is_some_and(|s| s.confidence < review) {
        writeln!(
            out,
            "? confidence below {review:.2}: check the first code before using it"
        )?;
    }
    if crate::coding::says_more(&r.coding, &r.suggestions) {
        crate::coding::write_coding(out, &r.coding)?;
    }
    Ok(())
}

/// Writes an explanation under a table row.
pub fn write_explanation<W: Write>(
    out: &mut W,
    e: &crate::search::Explanation,
) -> std::io::Result<()> {
    if let Some(h) = &e.default_of {
        writeln!(
            out,
            "       billable code of {h} (its default, or the one covering more of the query), which matched:"
        )?;
    }
    writeln!(
        out,
        "       matched {}: \"{}\"",
        e.matched_field, e.matched_text
    )?;
    for w in &e.words {
        let detail = if w.detail.is_empty() {
            String::new()
        } else {
            format!(" ({})", w.detail)
        };
        writeln!(
            out,
            "       - {:<18} {}{} credit {:.2} (weight {:.2})",
            w.query, w.how, detail, w.credit, w.weight
        )?;
    }
    if !e.unmatched_title_words.is_empty() {
        writeln!(
            out,
            "       title words not in query: {}",
            e.unmatched_title_words.join(", ")
        )?;
    }
    let adj: Vec<String> = e
        .adjustments
        .iter()
        .map(|(r, f)| format!("{r} ×{f}"))
        .collect();
    writeln!(
        out,
        "       query coverage {:.2} × sqrt(title coverage {:.2}){}{} = {:.3}",
        e.query_coverage,
        e.title_coverage,
        if adj.is_empty() { "" } else { " × " },
        adj.join(" × "),
        e.score
    )
}
