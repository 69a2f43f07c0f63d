//! Ranking on the small test manual ([`crate::index::testkit`]): routing,
//! defaults of headers, 7th characters, and the order of suggestions.

use super::*;
use crate::index::testkit::{self, doc};

fn search(text: &str, systems: &[&str], explain: bool) -> SearchResult {
    let matcher = Matcher::new(testkit::index()).unwrap();
    let opts = SearchOptions {
        limit: 5,
        systems: systems.iter().map(|s| s.to_string()).collect(),
        explain,
        date: None,
    };
    matcher.search(text, &opts, &mut Scratch::default())
}

fn codes(text: &str) -> Vec<String> {
    search(text, &[], false)
        .suggestions
        .into_iter()
        .map(|s| s.code)
        .collect()
}

#[test]
fn an_abbreviation_finds_its_code() {
    assert_eq!(codes("HTN")[0], "I10");
    assert_eq!(codes("DM2")[0], "E11.9");
}

#[test]
fn a_header_passes_its_score_to_its_default_billable_code() {
    let r = search("type 2 diabetes mellitus", &[], false);
    assert_eq!(r.suggestions[0].code, "E11.9");
    assert!(r.suggestions[0].billable);
    // The header itself is dropped: one of its codes ranks above it.
    assert!(
        r.suggestions.iter().all(|s| s.code != "E11"),
        "{:?}",
        r.suggestions
    );
}

#[test]
fn a_header_passes_its_score_to_the_code_that_covers_more_of_the_query() {
    assert_eq!(
        codes("type 2 diabetes mellitus with polyneuropathy")[0],
        "E11.42"
    );
    assert_eq!(codes("sprain of right ankle")[0], "S93.401A");
    assert_eq!(codes("sprain of left ankle")[0], "S93.402A");
}

#[test]
fn the_encounter_chooses_the_seventh_character_and_variants_collapse() {
    let r = codes("sprained right ankle, subsequent encounter");
    assert_eq!(r[0], "S93.401D");
    // Of one code's 7th characters only the best is listed.
    assert_eq!(
        r.iter().filter(|c| c.starts_with("S93.401")).count(),
        1,
        "{r:?}"
    );
}

#[test]
fn the_nos_home_of_a_word_is_its_default() {
    // "Diabetes NOS" sits under E11: type 2 when nothing more is said.
    let r = codes("diabetes");
    assert!(r[0].starts_with("E11"), "{r:?}");
}

#[test]
fn a_word_that_puts_a_code_in_another_population_costs_more() {
    let r = codes("respiratory distress syndrome");
    assert_eq!(r[0], "J80");
    assert!(r.contains(&"P22.0".to_string()), "{r:?}");
}

#[test]
fn negation_matches_only_the_without_code() {
    assert_eq!(codes("type 1 diabetes without complications")[0], "E10.9");
}

#[test]
fn procedure_words_route_to_the_procedure_manual() {
    let r = search("lap appendectomy", &[], false);
    assert_eq!(r.suggestions[0].code, "0DTJ4ZZ");
    assert_eq!(r.route.systems, ["icd10pcs"]);
    assert_eq!(r.route.reason, "procedure words");
    assert!(r.suggestions.iter().all(|s| s.system == "icd10pcs"));
}

#[test]
fn diagnosis_words_search_only_the_diagnosis_manuals() {
    let r = search("heart failure", &[], false);
    assert_eq!(r.route.systems, ["icd10cm"]);
    assert_eq!(r.route.reason, "diagnosis words");
    assert_eq!(r.suggestions[0].code, "I50.9");
}

#[test]
fn a_system_filter_is_obeyed() {
    let r = search("resection appendix", &["icd10pcs"], false);
    assert_eq!(r.route.reason, "--system");
    assert!(!r.suggestions.is_empty());
    assert!(r.suggestions.iter().all(|s| s.system == "icd10pcs"));
    assert!(
        search("appendix", &["icd10cm"], false)
            .suggestions
            .is_empty()
    );
}

#[test]
fn a_misspelled_word_is_corrected() {
    assert_eq!(codes("pneumonai")[0], "J18.9");
    assert_eq!(codes("hypertenson")[0], "I10");
}

#[test]
fn scores_lie_in_0_1_best_first_and_ranking_is_stable() {
    for q in ["heart failure", "sprain ankle", "diabetes", "appendectomy"] {
        let r = search(q, &[], false);
        assert!(!r.suggestions.is_empty(), "{q}");
        let scores: Vec<f32> = r.suggestions.iter().map(|s| s.score).collect();
        assert!(
            scores.iter().all(|s| (0.0..=1.0).contains(s)),
            "{q}: {scores:?}"
        );
        assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{q}: {scores:?}");
        assert_eq!(codes(q), codes(q), "{q}");
    }
}

#[test]
fn title_words_alone_do_not_route_to_procedures() {
    // "resection" is a PCS title word but not procedure vocabulary: the
    // query is read as a diagnosis, and no diagnosis has the word.
    let r = search("resection", &[], false);
    assert_eq!(r.route.systems, ["icd10cm"]);
    assert!(r.suggestions.is_empty());
}

#[test]
fn a_suggestion_carries_its_doc_and_release() {
    let s = &search("HTN", &[], false).suggestions[0];
    assert_eq!(s.doc, doc(testkit::index(), "I10"));
    assert_eq!((s.system.as_str(), s.version.as_str()), ("icd10cm", "test"));
    assert!(s.explanation.is_none());
}

#[test]
fn an_entry_whose_meaning_no_manual_has_is_listed_as_unused() {
    // "kidney" ↔ "renal": no test title has either word. "CHF" →
    // "congestive heart failure" is usable: every word is a title's.
    let matcher = Matcher::new(testkit::index()).unwrap();
    let unused: Vec<String> = matcher
        .unused_expansions()
        .into_iter()
        .map(|e| e.from)
        .collect();
    assert_eq!(unused, ["kidney", "renal"]);
}
