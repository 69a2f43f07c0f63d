//! Clinical semantics (issue 12): exact titles win, words of different
//! meaning stay apart, qualifiers and numbers choose the code, status and
//! history phrasing reach the Z codes, context and intent route the query.

use crate::util::*;

fn assert_first(cases: &[(&str, &str)]) {
    let mut wrong = Vec::new();
    for (phrase, code) in cases {
        let got = top_codes(&[], phrase);
        if got.first().map(String::as_str) != Some(*code) {
            wrong.push(format!("{phrase:?}: expected {code}, got {got:?}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// "organism" and "organizing" shared the stem "organ", so J18.9's own
/// title gave the organizing-pneumonia code first.
#[test]
fn organism_is_not_organizing() {
    assert_first(&[
        ("Pneumonia, unspecified organism", "J18.9"),
        ("sepsis, unspecified organism", "A41.9"),
    ]);
}
