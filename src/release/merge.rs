//! Several releases of one system → one code table with per-row validity.

use super::MAX_RELEASES;
use crate::manual::{Entry, ManualTree, code_key};

/// Merges releases of one system, oldest first, into one table in the
/// newest release's order. Returns the rows and, per row, a bit per
/// release it is valid in (bit i: `releases[i]`). A row equal in two
/// releases (title, status, parent, inclusion terms, notes) is kept once;
/// a row that differs is kept per version, the newer first (so codes below
/// it find the newer as their parent), the older right after the newer's
/// subtree; a row an older release alone has goes where its code sorts
/// among its siblings. At most [`MAX_RELEASES`] releases; later ones are
/// ignored.
pub fn merge(releases: Vec<Vec<Entry>>) -> (Vec<Entry>, Vec<u8>) {
    let mut releases: Vec<Vec<Entry>> = releases.into_iter().take(MAX_RELEASES).collect();
    let Some(newest) = releases.pop() else {
        return (Vec::new(), Vec::new());
    };
    let newest_bit = 1u8 << releases.len();
    let mut tree = ManualTree::new(newest);
    let mut masks: Vec<u8> = vec![newest_bit; tree.len()];
    for (r, rows) in releases.into_iter().enumerate().rev() {
        let bit = 1u8 << r;
        for e in rows {
            let key = code_key(&e.code);
            if let Some(&same) = tree
                .all(&key)
                .iter()
                .find(|&&id| same_row(tree.entry(id), &e))
            {
                masks[same] |= bit;
                continue;
            }
            let parent = e.parent.as_deref().and_then(|p| {
                let all = tree.all(&code_key(p));
                all.iter()
                    .copied()
                    .find(|&id| masks[id] & bit != 0)
                    .or_else(|| all.first().copied())
            });
            let id = match tree.all(&key).first() {
                Some(&newer) => tree.insert_after(newer, e),
                None => tree.insert_sorted(parent, e),
            };
            debug_assert_eq!(id, masks.len());
            masks.push(bit);
        }
    }
    let order = tree.order();
    let masks = order.iter().map(|&i| masks[i]).collect();
    (tree.into_entries(), masks)
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
