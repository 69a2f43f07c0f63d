//! The suggestion table of `medcoder suggest`, and the explanation drawn
//! under a row (also used by the shell).

use super::{Style, fit};
use crate::search::{Explanation, SearchResult};
use std::io::{self, Write};

/// Columns before the title: `  #  code      score bill release       `.
const FIXED: usize = 3 + 2 + 10 + 6 + 5 + 14;

/// Titles keep at least this many columns, however narrow the screen.
const MIN_TITLE: usize = 12;

/// Writes one query's suggestions as a table. With `width` (the
/// terminal's), titles are cut after a whole word with `…` so no row wraps;
/// without it they are written whole.
pub fn write_table<W: Write + ?Sized>(
    out: &mut W,
    style: Style,
    width: Option<usize>,
    query: &str,
    r: &SearchResult,
    explain: bool,
) -> io::Result<()> {
    if r.suggestions.is_empty() {
        return writeln!(
            out,
            "no suggestions for \"{query}\" (searched {})",
            r.route.systems.join(", ")
        );
    }
    let searched = format!(
        "searched {} ({})",
        r.route.systems.join(", "),
        r.route.reason
    );
    writeln!(out, "{}", style.dim(&searched))?;
    writeln!(
        out,
        "{}",
        style.heading(&format!(
            "  #  {:<9} {:<5} {:<5} {:<4} {:<13} title",
            "code", "score", "conf", "bill", "release"
        ))
    )?;
    let title_cols = width.map(|w| w.saturating_sub(FIXED + 7).max(MIN_TITLE));
    let review = crate::confidence::review_below();
    for (i, s) in r.suggestions.iter().enumerate() {
        let mark = if s.confidence < review { "?" } else { "" };
        let conf = format!("{:<5}", format!("{:.2}{mark}", s.confidence));
        let title = match title_cols {
            Some(cols) => fit(&s.title, cols),
            None => s.title.clone(),
        };
        let bill = if s.billable {
            style.good(&format!("{:<4}", "Y"))
        } else {
            style.warn(&format!("{:<4}", "N"))
        };
        writeln!(
            out,
            "{:>3}  {} {:<5.2} {conf} {bill} {:<13} {title}",
            i + 1,
            style.code(&format!("{:<9}", s.code)),
            s.score,
            format!("{} {}", s.system, s.version),
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
pub fn write_explanation<W: Write + ?Sized>(out: &mut W, e: &Explanation) -> io::Result<()> {
    if let Some(h) = &e.default_of {
        writeln!(
            out,
            "       billable code of {h} (its default, or the one covering more of the query), which matched:"
        )?;
    }
    if !e.picked_by.is_empty() {
        writeln!(
            out,
            "       picked among the codes of {} by: {}",
            e.default_of.as_deref().unwrap_or("its header"),
            e.picked_by.join(", ")
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
