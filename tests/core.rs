//! Core: suggest, lookup, pipeline, exit codes, index integrity.

use crate::util::*;

#[test]
fn type2_diabetes_with_neuropathy_ranks_e11_40_first() {
    let codes = top_codes(&[], "type 2 diabetes mellitus with diabetic neuropathy");
    assert_eq!(codes.first().map(String::as_str), Some("E11.40"), "{codes:?}");
}
