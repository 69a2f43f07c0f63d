//! Exact wins: a query that is a billable code's own title or inclusion
//! term (ignoring case, punctuation and word order) ranks that code first,
//! whatever factor lifts another ("Pneumonia, unspecified organism" is
//! J18.9). Equality is on the analysed terms, so the stem table
//! (`data/vocab/stems.tsv`) decides which words are the same.

use crate::index::Index;
use crate::index::format::{NAME_NOS, NAME_SYNONYM, NAME_TITLE};
use crate::text::Analyzer;

/// The query's terms as written, sorted and deduplicated; `None` when a
/// word is not in the index (no name can then equal the query).
pub fn written_terms<D: AsRef<[u8]>>(
    index: &Index<D>,
    analyzer: &Analyzer,
    text: &str,
) -> Option<Vec<u32>> {
    let mut ids = analyzer
        .terms(text)
        .iter()
        .map(|t| index.term_id(&t.text))
        .collect::<Option<Vec<u32>>>()?;
    ids.sort_unstable();
    ids.dedup();
    (!ids.is_empty()).then_some(ids)
}

/// Whether name `name` (a title or an inclusion term) has exactly the
/// terms `written` (sorted, deduplicated), words in parentheses included.
pub fn is_exact<D: AsRef<[u8]>>(index: &Index<D>, name: u32, written: &[u32]) -> bool {
    let n = index.name(name);
    if !matches!(n.kind, NAME_TITLE | NAME_SYNONYM | NAME_NOS) {
        return false;
    }
    let mut terms: Vec<u32> = index.name_terms(&n).map(|(t, _)| t).collect();
    if terms.len() < written.len() {
        return false;
    }
    terms.sort_unstable();
    terms.dedup();
    terms == written
}
