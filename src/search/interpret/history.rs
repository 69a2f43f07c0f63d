//! History and family history: "FHx colon cancer", "h/o colon cancer"
//! name a disease and say it is past or a relative's. The tabular says
//! where such a record goes with its own inclusion terms: Z80.0 "Family
//! history of malignant neoplasm of digestive organs" holds "Conditions
//! classifiable to C15-C26", Z85.038 holds "Conditions classifiable to
//! C18". So the disease is coded first (C18.9), and the history code is the
//! one whose "classifiable to" ranges hold it, on the family or the
//! personal side as the query says. No phrase list: the ranges are the
//! tabular's.

use crate::index::Index;

/// One history code and the code ranges its inclusion term names.
#[derive(Debug, Clone)]
pub struct HistoryCode {
    /// Its doc.
    pub doc: u32,
    /// Code ranges, dots removed, inclusive ("C15", "C26"); a single
    /// category is its own range.
    pub ranges: Vec<(String, String)>,
}

impl HistoryCode {
    /// The narrowest of its ranges that holds `code` (dots removed), as its
    /// width in characters of agreement (longer = narrower).
    pub fn holds(&self, code: &str) -> Option<usize> {
        self.ranges
            .iter()
            .filter(|(lo, hi)| {
                let at = |b: &str| &code[..b.len().min(code.len())];
                at(lo) >= lo.as_str() && at(hi) <= hi.as_str()
            })
            .map(|(lo, hi)| if lo == hi { lo.len() + 1 } else { lo.len() })
            .max()
    }
}

/// The codes ranges of "Conditions classifiable to C15-C26, C37.-" (dots
/// and the trailing ".-" dropped).
pub fn classifiable_ranges(text: &str) -> Vec<(String, String)> {
    let lower = text.to_ascii_lowercase();
    let Some(at) = lower.find("classifiable to ") else {
        return Vec::new();
    };
    let list = &text[at + "classifiable to ".len()..];
    let mut out = Vec::new();
    for item in list.split([',', ';']) {
        let item = item.trim();
        let code = |s: &str| -> Option<String> {
            let c: String = s
                .trim()
                .trim_end_matches('-')
                .chars()
                .filter(|c| *c != '.')
                .collect();
            let ok = c.len() >= 3
                && c.chars().next().is_some_and(|f| f.is_ascii_uppercase())
                && c.chars().all(|ch| ch.is_ascii_alphanumeric());
            ok.then_some(c)
        };
        // "C7A.022-C7A.025" or "C15-C26"; "C50.-" and "O24.4-" are one code.
        let parts: Vec<&str> = item
            .split_whitespace()
            .next()
            .unwrap_or("")
            .splitn(2, '-')
            .collect();
        match parts.as_slice() {
            [lo, hi] if hi.chars().next().is_some_and(|c| c.is_ascii_uppercase()) => {
                if let (Some(lo), Some(hi)) = (code(lo), code(hi)) {
                    out.push((lo, hi));
                }
            }
            [one, ..] => {
                if let Some(c) = code(one) {
                    out.push((c.clone(), c));
                }
            }
            [] => {}
        }
    }
    out
}

/// Every code with a "classifiable to" inclusion term: the docs of the
/// names holding the term `classifiable` (`term`).
pub fn history_codes<D: AsRef<[u8]>>(index: &Index<D>, term: u32) -> Vec<HistoryCode> {
    let mut docs: Vec<u32> = index.postings(term).map(|n| index.name(n).doc).collect();
    docs.sort_unstable();
    docs.dedup();
    docs.into_iter()
        .filter_map(|doc| {
            let detail = index.detail(doc);
            let ranges: Vec<(String, String)> = detail
                .synonyms
                .iter()
                .flat_map(|s| classifiable_ranges(s))
                .collect();
            (!ranges.is_empty()).then_some(HistoryCode { doc, ranges })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_ranges_of_classifiable_to() {
        let r = classifiable_ranges("Conditions classifiable to C30-C32, C37-C39");
        assert_eq!(
            r,
            [("C30".into(), "C32".into()), ("C37".into(), "C39".into())]
        );
        assert_eq!(
            classifiable_ranges("Conditions classifiable to C50.-"),
            [("C50".to_string(), "C50".to_string())]
        );
        assert_eq!(
            classifiable_ranges("Conditions classifiable to C7A.022-C7A.025, C7A.029")[0],
            ("C7A022".to_string(), "C7A025".to_string())
        );
        let h = HistoryCode {
            doc: 0,
            ranges: classifiable_ranges("Conditions classifiable to C15-C26"),
        };
        assert!(h.holds("C189").is_some());
        assert!(h.holds("C509").is_none());
        let single = HistoryCode {
            doc: 0,
            ranges: classifiable_ranges("Conditions classifiable to C18"),
        };
        assert!(single.holds("C189") > h.holds("C189"));
    }
}
