//! A manual as a tree that rows can be added to and removed from while its
//! written order stays the tabular's: every row directly after its parent's
//! earlier children and their subtrees, siblings in code order.
//!
//! The release changes (`import icd10cm-addenda`) edit a manual this way.
//! Not for: reading or writing CSV.

use super::{Entry, Kind, code_key};
use std::collections::HashMap;

/// The rows of a manual with their parent/child links.
#[derive(Debug, Default)]
pub struct ManualTree {
    entries: Vec<Entry>,
    children: Vec<Vec<usize>>,
    roots: Vec<usize>,
    removed: Vec<bool>,
    by_key: HashMap<String, Vec<usize>>,
}

impl ManualTree {
    /// The tree of `entries` (in manual order): a row's parent is the first
    /// earlier row whose code is its `parent` (so a category's parent is its
    /// block when both are spelled `QA0`); a row whose parent is unknown is
    /// a root.
    pub fn new(entries: Vec<Entry>) -> ManualTree {
        let mut tree = ManualTree::default();
        for e in entries {
            let parent = e.parent.as_deref().and_then(|p| tree.first(&code_key(p)));
            tree.push(parent, e);
        }
        tree
    }

    /// The first row (in order added) with code key `key`.
    pub fn first(&self, key: &str) -> Option<usize> {
        self.all(key).first().copied()
    }

    /// Every live row with code key `key`, in the order they were added.
    pub fn all(&self, key: &str) -> &[usize] {
        self.by_key.get(key).map_or(&[], Vec::as_slice)
    }

    /// The first live code row (not a chapter or block) with `key`.
    pub fn code(&self, key: &str) -> Option<usize> {
        self.all(key)
            .iter()
            .copied()
            .find(|&i| self.entries[i].kind == Kind::Code)
    }

    /// Row `id`.
    pub fn entry(&self, id: usize) -> &Entry {
        &self.entries[id]
    }

    /// Row `id`, to change in place (its code and parent must stay).
    pub fn entry_mut(&mut self, id: usize) -> &mut Entry {
        &mut self.entries[id]
    }

    /// The live children of `id`, in order.
    pub fn children(&self, id: usize) -> impl Iterator<Item = usize> + '_ {
        self.children[id]
            .iter()
            .copied()
            .filter(|c| !self.removed[*c])
    }

    /// The rows at the top (chapters), in order.
    pub fn roots(&self) -> &[usize] {
        &self.roots
    }

    /// Appends `entry` as the last child of `parent` (a root without one).
    pub fn push(&mut self, parent: Option<usize>, entry: Entry) -> usize {
        let id = self.add(entry);
        match parent {
            Some(p) => self.children[p].push(id),
            None => self.roots.push(id),
        }
        id
    }

    /// Adds `entry` under `parent` (at the top without one) among its
    /// siblings in code order (before the first sibling whose code sorts
    /// after it); its `parent` field is set to the parent's code.
    pub fn insert_sorted(&mut self, parent: Option<usize>, mut entry: Entry) -> usize {
        entry.parent = parent.map(|p| self.entries[p].code.clone());
        let key = code_key(&entry.code);
        let siblings = parent.map_or(&self.roots, |p| &self.children[p]);
        let pos = siblings
            .iter()
            .position(|&c| code_key(&self.entries[c].code) > key)
            .unwrap_or(siblings.len());
        let id = self.add(entry);
        match parent {
            Some(p) => self.children[p].insert(pos, id),
            None => self.roots.insert(pos, id),
        }
        id
    }

    /// Removes row `id` (and so its subtree) from the output.
    pub fn remove(&mut self, id: usize) {
        self.removed[id] = true;
        let key = code_key(&self.entries[id].code);
        if let Some(ids) = self.by_key.get_mut(&key) {
            ids.retain(|&i| i != id);
        }
    }

    /// The live rows in tabular order: each row, then its children's
    /// subtrees in order.
    pub fn order(&self) -> Vec<usize> {
        let mut out = Vec::with_capacity(self.entries.len());
        let mut stack: Vec<usize> = self.roots.iter().rev().copied().collect();
        while let Some(id) = stack.pop() {
            if self.removed[id] {
                continue;
            }
            out.push(id);
            stack.extend(self.children[id].iter().rev().copied());
        }
        out
    }

    /// The live rows in tabular order.
    pub fn into_entries(self) -> Vec<Entry> {
        let order = self.order();
        let mut slots: Vec<Option<Entry>> = self.entries.into_iter().map(Some).collect();
        order.into_iter().filter_map(|i| slots[i].take()).collect()
    }

    fn add(&mut self, entry: Entry) -> usize {
        let id = self.entries.len();
        self.by_key
            .entry(code_key(&entry.code))
            .or_default()
            .push(id);
        self.entries.push(entry);
        self.children.push(Vec::new());
        self.removed.push(false);
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(code: &str, parent: Option<&str>) -> Entry {
        Entry {
            code: code.into(),
            title: code.into(),
            parent: parent.map(String::from),
            ..Entry::default()
        }
    }

    fn codes(t: ManualTree) -> Vec<String> {
        t.into_entries().into_iter().map(|e| e.code).collect()
    }

    #[test]
    fn inserted_rows_take_their_place_in_code_order_after_earlier_subtrees() {
        let mut t = ManualTree::new(vec![
            row("I42", None),
            row("I42.0", Some("I42")),
            row("I42.1", Some("I42")),
            row("I42.10", Some("I42.1")),
            row("I42.9", Some("I42")),
        ]);
        let i421 = t.code("I421").unwrap();
        t.insert_sorted(Some(i421), row("I42.11", None));
        let i42 = t.code("I42").unwrap();
        t.insert_sorted(Some(i42), row("I42.2", None));
        assert_eq!(
            codes(t),
            [
                "I42", "I42.0", "I42.1", "I42.10", "I42.11", "I42.2", "I42.9"
            ]
        );
    }

    #[test]
    fn a_removed_row_takes_its_subtree_with_it() {
        let mut t = ManualTree::new(vec![
            row("T52.8", None),
            row("T52.8X", Some("T52.8")),
            row("T52.8X1", Some("T52.8X")),
            row("T52.9", None),
        ]);
        let x = t.code("T528X").unwrap();
        t.remove(x);
        assert!(t.code("T528X").is_none());
        assert_eq!(codes(t), ["T52.8", "T52.9"]);
    }
}
