//! A code's detail as text, as `lookup` prints it and the shell shows it:
//! code and title, release and billable status, parents, inclusion terms,
//! notes (its own, then those inherited), children and billable codes.

use super::Style;
use crate::lookup::CodeDetail;
use crate::manual::Notes;
use std::io::{self, Write};

/// Writes the detail of `d`; `lists` adds its children and billable codes
/// (the shell draws those itself, numbered).
pub fn write_detail<W: Write + ?Sized>(
    out: &mut W,
    style: Style,
    d: &CodeDetail,
    lists: bool,
) -> io::Result<()> {
    let status = if d.billable {
        style.good("billable")
    } else {
        style.warn("NOT billable (a header: choose a code below)")
    };
    writeln!(out, "{}  {}", style.code(&d.code), style.heading(&d.title))?;
    writeln!(out, "  {} {} · {}", d.system, d.version, status)?;
    releases(out, style, d)?;
    if !d.parents.is_empty() {
        writeln!(out, "  in:")?;
        for p in &d.parents {
            writeln!(out, "    {}  {}", p.code, p.title)?;
        }
    }
    list(out, "inclusion terms", &d.inclusion_terms)?;
    notes(out, &d.notes, "")?;
    for i in &d.inherited {
        notes(out, &i.notes, &format!(" (from {})", i.from))?;
    }
    if lists && !d.billable && !d.children.is_empty() {
        writeln!(out, "  children:")?;
        for c in &d.children {
            let mark = if c.billable { "Y" } else { "-" };
            writeln!(out, "    {:<9} {mark} {}", c.code, c.title)?;
        }
    }
    let billable_children = d.children.iter().filter(|c| c.billable).count();
    if lists && !d.billable && d.billable_count > billable_children {
        writeln!(out, "  billable codes ({}):", d.billable_count)?;
        for c in &d.billable_codes {
            writeln!(out, "    {:<9} {}", c.code, c.title)?;
        }
        if d.billable_count > d.billable_codes.len() {
            writeln!(
                out,
                "    … {} more",
                d.billable_count - d.billable_codes.len()
            )?;
        }
    }
    if let Some(c) = &d.default_code {
        writeln!(out, "  default when no detail is documented: {c}")?;
    }
    Ok(())
}

fn list<W: Write + ?Sized>(out: &mut W, label: &str, items: &[String]) -> io::Result<()> {
    if items.is_empty() {
        return Ok(());
    }
    writeln!(out, "  {label}:")?;
    for i in items {
        writeln!(out, "    - {i}")?;
    }
    Ok(())
}

fn notes<W: Write + ?Sized>(out: &mut W, n: &Notes, suffix: &str) -> io::Result<()> {
    list(out, &format!("includes{suffix}"), &n.includes)?;
    list(out, &format!("Excludes1{suffix}"), &n.excludes1)?;
    list(out, &format!("Excludes2{suffix}"), &n.excludes2)?;
    list(out, &format!("Code first{suffix}"), &n.code_first)?;
    list(
        out,
        &format!("Use additional code{suffix}"),
        &n.use_additional,
    )?;
    list(out, &format!("Code also{suffix}"), &n.code_also)?;
    list(out, &format!("7th characters{suffix}"), &n.seventh)?;
    list(out, &format!("notes{suffix}"), &n.other)
}

/// The releases of a code, and what the date of service makes of it:
/// deleted (with its replacements), not yet valid, or new with its
/// parent's notes.
fn releases<W: Write + ?Sized>(out: &mut W, style: Style, d: &CodeDetail) -> io::Result<()> {
    if d.releases.len() > 1 || d.deleted.is_some() || d.not_yet.is_some() {
        let all: Vec<String> = d.releases.iter().map(|(r, s)| format!("{r} {s}")).collect();
        writeln!(out, "  releases: {}", all.join(" · "))?;
    }
    if let Some((release, replacements)) = &d.deleted {
        let text = if replacements.is_empty() {
            format!(
                "DELETED in {release}: not a valid code on this date of service; the release names no replacement"
            )
        } else {
            let codes: Vec<&str> = replacements.iter().map(|c| c.code.as_str()).collect();
            format!(
                "DELETED in {release} as a billable code: use {}",
                codes.join(", ")
            )
        };
        writeln!(out, "  {}", style.warn(&text))?;
    }
    if let Some(release) = &d.not_yet {
        let text = format!("NOT YET VALID on this date of service: new in {release}");
        writeln!(out, "  {}", style.warn(&text))?;
    }
    if let Some(from) = &d.notes_from {
        writeln!(
            out,
            "  new code: its release gives a title only; the notes shown are those of {from}"
        )?;
    }
    Ok(())
}
