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

/// A number in the query is read against the ranges and thresholds the
/// titles write ("BMI 41" was Z68.45 "70 or greater", through the header
/// "40 or greater" and its default code).
#[test]
fn numbers_are_matched_against_title_ranges() {
    assert_first(&[
        ("BMI 41", "Z68.41"),
        ("BMI of 45.2", "Z68.42"),
        ("BMI 18", "Z68.1"),
        ("pediatric BMI 90th percentile", "Z68.53"),
        ("7 weeks gestation", "Z3A.01"),
        (
            "burns of 35% of body surface with 15% third degree",
            "T31.31",
        ),
        ("blood alcohol level 150 mg/100 ml", "Y90.6"),
        ("newborn birth weight 1100 grams", "P07.14"),
        ("GCS 14", "R40.2410"),
    ]);
}

/// A number the query itself writes as a range is matched by its words:
/// "[1-24 hours]" is not the value 24 (which is "6 hours to 24 hours" or
/// "greater than 24 hours" by value).
#[test]
fn a_range_in_the_query_is_not_read_as_a_value() {
    let got = top_codes(
        &[],
        "Subarachnoid hemorrhage following injury without mention of open intracranial wound, with moderate [1-24 hours] loss of consciousness",
    );
    assert!(
        matches!(
            got.first().map(String::as_str),
            Some("S06.6X3A" | "S06.6X4A")
        ),
        "{got:?}"
    );
}

#[test]
fn explanation_names_the_range_that_held_the_number() {
    let out = stdout(&run(&["suggest", "-n", "1", "--explain", "BMI 41"]));
    assert!(out.contains("41 within 40.0-44.9"), "{out}");
}

/// A query that is a billable code's own title or inclusion term ranks it
/// first, whatever factor lifted another code (I48.19 over I48.11 before).
#[test]
fn exact_title_or_inclusion_term_wins() {
    assert_first(&[
        ("longstanding persistent atrial fibrillation", "I48.11"),
        ("organism unspecified, pneumonia", "J18.9"),
    ]);
}

/// History and family history reach the code whose "Conditions
/// classifiable to" ranges hold the disease the rest of the query names
/// ("FHx colon cancer" was Z80.9, "PMH DVT" the active I82.409).
#[test]
fn history_goes_where_the_tabular_classifies_the_disease() {
    assert_first(&[
        ("FHx colon cancer", "Z80.0"),
        ("h/o colon cancer", "Z85.038"),
        ("family hx of diabetes", "Z83.3"),
        ("PMH DVT", "Z86.718"),
        ("history of breast cancer", "Z85.3"),
        // A code whose own wording reads the history words stands.
        ("Personal history of allergy to sulfonamides", "Z88.2"),
    ]);
}

/// A qualifier the query states picks the code under the matched header
/// that carries it, even when the header matched through an inclusion term
/// that lacks it ("ankle" from S82.89's "Fracture of ankle NOS", "left" from
/// S82.892A's own title; it was the header's default S82.899A), and the
/// explanation names the words that picked it. When the query is silent on
/// a qualifier the tabular's default stays ("unspecified stage", not the
/// first code under the header, "unstageable").
#[test]
fn a_stated_qualifier_picks_the_code_under_the_header() {
    assert_first(&[
        ("left ankle fx", "S82.892A"),
        ("right ankle fx", "S82.891A"),
        ("ankle fx", "S82.899A"),
        ("bed sore on sacrum", "L89.159"),
        // a code of the first code's category carries the stated side
        ("right knee osteoarthritis", "M17.11"),
        // an ordinal written with digits is the tabular's word
        ("elderly primigravida, 1st trimester", "O09.511"),
    ]);
    let out = stdout(&run(&["suggest", "-n", "1", "--explain", "left ankle fx"]));
    assert!(
        out.contains("picked among the codes of S82.89 by: left"),
        "{out}"
    );
    let json = stdout(&run(&[
        "suggest",
        "-n",
        "1",
        "--explain",
        "--format",
        "jsonl",
        "left ankle fx",
    ]));
    assert!(json.contains(r#""picked_by":["left"]"#), "{json}");
}

#[test]
fn an_unknown_diagnosis_word_is_read_by_its_parts() {
    // Neither word is written in any manual; their parts are.
    assert_first(&[
        ("orchiepididymitis", "N45.3"),
        ("ureterolithiasis", "N20.1"),
    ]);
    // A one-letter slip of a known word is still read as that word, not as
    // a compound of "chole" and "cystitis".
    assert_first(&[("choleecystitis, unspecified", "K81.9")]);
    // Diagnosis word parts are not procedure language: only the diagnosis
    // manuals are searched.
    let o = run(&["suggest", "--format", "jsonl", "orchiepididymitis"]);
    let v: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    assert_eq!(v["route"]["systems"], serde_json::json!(["icd10cm"]), "{v}");
}

#[test]
fn explanation_names_the_word_parts() {
    let o = run(&["suggest", "--explain", "-n", "1", "orchiepididymitis"]);
    let out = stdout(&o);
    assert!(
        out.contains("word parts (orchiepididymitis → orchitis epididymo)"),
        "{out}"
    );
}

#[test]
fn a_context_the_query_does_not_state_is_not_first() {
    // "Traumatic anuria" and "Traumatic subdural hemorrhage" read the
    // query whole, but state a cause it does not: the plain code first.
    assert_first(&[
        ("anuria", "R34"),
        ("subdural hemorrhage", "I62.00"),
        // Stated, the context picks its code.
        ("traumatic anuria", "T79.5XXA"),
        ("neonatal jaundice", "P59.9"),
    ]);
    let o = run(&["suggest", "--explain", "-n", "1", "anuria"]);
    assert!(
        stdout(&o).contains("states a context the query does not"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn a_past_removal_is_the_acquired_absence_of_the_part() {
    assert_first(&[
        ("status post splenectomy", "Z90.81"),
        ("s/p left BKA", "Z89.512"),
        ("status post nephrectomy", "Z90.5"),
        // Without a status word it is the procedure.
        ("splenectomy", "07TP0ZZ"),
    ]);
}
