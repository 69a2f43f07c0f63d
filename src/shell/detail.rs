//! An opened code: its detail as `lookup` shows it, then its children and
//! billable codes as numbered rows the user can open or pick in turn.

use crate::index::Index;
use crate::lookup::{MAX_BILLABLE_LISTED, detail};
use crate::release::InEffect;
use crate::render::Style;
use crate::render::detail::write_detail as write_code;
use crate::render::row::{Row, write_row};
use std::io::{self, Write};

/// The codes offered under an opened code: its direct children, then (for
/// a header) its billable codes further down, at most
/// [`MAX_BILLABLE_LISTED`] of those; only codes of the releases in effect.
pub fn selectable<D: AsRef<[u8]>>(idx: &Index<D>, doc: u32, releases: &InEffect) -> Vec<u32> {
    let mut items = idx.children(doc);
    items.retain(|d| releases.allows(idx, *d));
    if !idx.doc(doc).billable() {
        let deeper: Vec<u32> = idx
            .billable_descendants(doc)
            .into_iter()
            .filter(|d| !items.contains(d) && releases.allows(idx, *d))
            .take(MAX_BILLABLE_LISTED)
            .collect();
        items.extend(deeper);
    }
    items
}

/// Writes the detail of `doc` followed by `items` (from [`selectable`]),
/// numbered from 1.
pub fn write_detail<D: AsRef<[u8]>, W: Write + ?Sized>(
    out: &mut W,
    idx: &Index<D>,
    style: Style,
    width: usize,
    doc: u32,
    items: &[u32],
    releases: &InEffect,
) -> io::Result<()> {
    let d = detail(idx, doc, releases);
    let billable_count = d.billable_count;
    // The lists are drawn below, numbered; the rest as `lookup` shows it.
    write_code(out, style, &d, false)?;
    let children = d.children.len().min(items.len());
    let row = |out: &mut W, i: usize, d: u32| {
        let doc = idx.doc(d);
        write_row(
            out,
            style,
            width,
            &Row {
                n: i + 1,
                code: doc.code,
                billable: doc.billable(),
                score: None,
                title: doc.title,
                release: "",
            },
        )
    };
    if children > 0 {
        writeln!(out, "  {}", style.heading("children:"))?;
    }
    for (i, &c) in items[..children].iter().enumerate() {
        row(out, i, c)?;
    }
    if items.len() > children {
        writeln!(
            out,
            "  {}",
            style.heading(&format!(
                "billable codes further down ({billable_count} in all):"
            ))
        )?;
        for (i, &c) in items.iter().enumerate().skip(children) {
            row(out, i, c)?;
        }
    }
    let listed = items.iter().filter(|&&d| idx.doc(d).billable()).count();
    if billable_count > listed {
        writeln!(
            out,
            "    … {} more billable codes; open a child to narrow",
            billable_count - listed
        )?;
    }
    let hint = if items.is_empty() {
        "+ picks this code · b goes back"
    } else {
        "N opens · +N picks · + picks this code · b goes back"
    };
    writeln!(out, "{}", style.dim(hint))
}
