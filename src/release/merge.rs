//! Several releases of one system → one code table with per-row validity.

use super::MAX_RELEASES;
use crate::manual::{Entry, Kind, code_key};
use std::collections::HashMap;

/// Merges releases of one system, oldest first, into one table in the
/// newest release's order. Returns the rows and, per row, a bit per
/// release it is valid in (bit i: `releases[i]`). A row equal in two
/// releases (title, status, parent, inclusion terms, notes) is kept once;
/// a row that differs is kept per version, the newer first (so codes below
/// it find the newer as their parent) and the older right after the
/// newer's subtree; a row only an older release has follows the row it
/// follows there. At most [`MAX_RELEASES`] releases; later ones are
/// ignored. One pass per release with borrowed keys: it runs at every
/// build of the bundled index.
pub fn merge(releases: Vec<Vec<Entry>>) -> (Vec<Entry>, Vec<u8>) {
    let mut releases: Vec<Vec<Entry>> = releases.into_iter().take(MAX_RELEASES).collect();
    let Some(newest) = releases.pop() else {
        return (Vec::new(), Vec::new());
    };
    let newest_bit = 1u8 << releases.len();
    let mut rows: Vec<Entry> = newest;
    let mut masks: Vec<u8> = vec![newest_bit; rows.len()];
    // Rows to emit after row i (older versions and rows of older releases).
    let mut after: HashMap<usize, Vec<usize>> = HashMap::new();
    for (r, older) in releases.into_iter().enumerate().rev() {
        let bit = 1u8 << r;
        let mut extra: Vec<(usize, Entry)> = Vec::new();
        {
            let index: HashMap<(&str, Kind), usize> = rows
                .iter()
                .enumerate()
                .map(|(i, e)| ((e.code.as_str(), e.kind), i))
                .collect();
            let mut previous: Option<usize> = None;
            let mut pending = rows.len();
            for e in older {
                let twin = index.get(&(e.code.as_str(), e.kind)).copied();
                if let Some(i) = twin.filter(|&i| same_row(&rows[i], &e)) {
                    masks[i] |= bit;
                    previous = Some(i);
                    continue;
                }
                let anchor = match twin {
                    Some(i) => subtree_end(&rows, i),
                    None => previous.unwrap_or(0),
                };
                extra.push((anchor, e));
                previous = Some(pending);
                pending += 1;
            }
        }
        for (anchor, e) in extra {
            after.entry(anchor).or_default().push(rows.len());
            rows.push(e);
            masks.push(bit);
        }
    }
    let mut order = Vec::with_capacity(rows.len());
    let firsts = rows.len() - after.values().map(Vec::len).sum::<usize>();
    let mut stack: Vec<usize> = (0..firsts).rev().collect();
    while let Some(i) = stack.pop() {
        order.push(i);
        if let Some(next) = after.get(&i) {
            stack.extend(next.iter().rev());
        }
    }
    let masks = order.iter().map(|&i| masks[i]).collect();
    let mut slots: Vec<Option<Entry>> = rows.into_iter().map(Some).collect();
    (
        order.into_iter().filter_map(|i| slots[i].take()).collect(),
        masks,
    )
}

/// The last row of row `i`'s subtree: the rows after it whose code
/// extends its own (I42.0 → I42.00, I42.01, …).
fn subtree_end(rows: &[Entry], i: usize) -> usize {
    let key = code_key(&rows[i].code);
    let mut end = i;
    while rows
        .get(end + 1)
        .is_some_and(|n| n.kind == Kind::Code && code_key(&n.code).starts_with(&key))
    {
        end += 1;
    }
    end
}

/// Equal but for the release label.
fn same_row(a: &Entry, b: &Entry) -> bool {
    a.code == b.code
        && a.title == b.title
        && a.billable == b.billable
        && a.kind == b.kind
        && a.parent == b.parent
        && a.synonyms == b.synonyms
        && a.notes == b.notes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(code: &str, title: &str, billable: bool, parent: Option<&str>) -> Entry {
        Entry {
            code: code.into(),
            title: title.into(),
            billable,
            parent: parent.map(String::from),
            ..Entry::default()
        }
    }

    #[test]
    fn a_code_become_a_header_is_kept_per_release_and_the_rest_once() {
        let fy2026 = vec![
            row("I42", "Cardiomyopathy", false, None),
            row("I42.0", "Dilated cardiomyopathy", true, Some("I42")),
            row("I42.9", "Cardiomyopathy, unspecified", true, Some("I42")),
        ];
        let fy2027 = vec![
            row("I42", "Cardiomyopathy", false, None),
            row("I42.0", "Dilated cardiomyopathy", false, Some("I42")),
            row(
                "I42.00",
                "Dilated cardiomyopathy, unspecified",
                true,
                Some("I42.0"),
            ),
            row("I42.9", "Cardiomyopathy, unspecified", true, Some("I42")),
        ];
        let (rows, masks) = merge(vec![fy2026, fy2027]);
        let got: Vec<(&str, bool, u8)> = rows
            .iter()
            .zip(&masks)
            .map(|(e, m)| (e.code.as_str(), e.billable, *m))
            .collect();
        assert_eq!(
            got,
            [
                ("I42", false, 0b11),
                ("I42.0", false, 0b10),
                ("I42.00", true, 0b10),
                ("I42.0", true, 0b01),
                ("I42.9", true, 0b11),
            ]
        );
    }
}
