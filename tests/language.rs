//! Clinician language: abbreviations, lay terms, misspellings, British
//! spelling, specificity defaults, 7th characters and combination codes.

use crate::util::*;

fn first(phrase: &str) -> String {
    top_codes(&[], phrase)
        .into_iter()
        .next()
        .unwrap_or_default()
}

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

#[test]
fn abbreviations_expand() {
    assert_first(&[
        ("HTN", "I10"),
        ("T2DM w/ neuropathy", "E11.40"),
        ("T1DM w/ hypoglycemia", "E10.649"),
        ("h/o DVT", "Z86.718"),
        ("MI", "I21.9"),
        ("CKD stage 5", "N18.5"),
        ("CAP", "J18.9"),
    ]);
}

#[test]
fn lay_terms_and_older_terms() {
    assert_first(&[("heart attack", "I21.9"), ("hyperpotassemia", "E87.5")]);
}

#[test]
fn british_spelling_and_misspellings() {
    assert_first(&[
        ("oesophagitis", "K20.90"),
        ("diabeties", "E11.9"),
        ("hypertensoin", "I10"),
    ]);
}

#[test]
fn a_misspelling_never_beats_the_exact_word() {
    // "asthma" is known: it is not corrected, and its own codes come first.
    let codes = top_codes(&[], "asthma");
    assert!(codes[0].starts_with("J45"), "{codes:?}");
}

#[test]
fn no_detail_gives_the_default_code_detail_gives_the_specific_one() {
    assert_first(&[
        ("type 1 diabetes", "E10.9"),
        ("bronchiolitis", "J21.9"),
        ("asthma exacerbation", "J45.901"),
        ("cellulitis of right arm", "L03.113"),
    ]);
}

#[test]
fn seventh_character_follows_the_encounter() {
    assert_first(&[
        ("sprain of right ankle", "S93.401A"),
        ("sprain of right ankle subsequent encounter", "S93.401D"),
        ("sprain of right ankle sequela", "S93.401S"),
        // "follow-up" is how a chart says subsequent encounter.
        ("sprained ankle, follow-up", "S93.409D"),
        ("burn of right hand, follow-up", "T23.001D"),
        // The encounter words choose the variant, never the condition.
        ("fracture of left wrist, follow-up", "S62.102D"),
    ]);
    let codes = top_codes(&[], "sprain of right ankle");
    let variants = codes.iter().filter(|c| c.starts_with("S93.401")).count();
    assert_eq!(
        variants, 1,
        "one encounter variant per code in the list: {codes:?}"
    );
}

#[test]
fn combination_codes_rank_first() {
    assert_first(&[
        ("hypertension with heart failure", "I11.0"),
        ("type 2 diabetes with gastroparesis", "E11.43"),
        ("COPD with pneumonia", "J44.0"),
        ("hypertension with chronic kidney disease", "I12.9"),
    ]);
}

#[test]
fn header_never_outranks_its_billable_codes() {
    for phrase in [
        "type 2 diabetes mellitus",
        "essential hypertension",
        "acute bronchiolitis",
    ] {
        let o = run(&["suggest", "--format", "json", "-n", "5", phrase]);
        let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
        assert_eq!(v[0]["suggestions"][0]["billable"], true, "{phrase}: {v}");
    }
}

#[test]
fn scores_are_between_0_and_1_and_a_guess_looks_like_one() {
    let confident = run(&[
        "suggest",
        "--format",
        "json",
        "-n",
        "1",
        "essential hypertension",
    ]);
    let guess = run(&[
        "suggest",
        "--format",
        "json",
        "-n",
        "1",
        "hypertension zzqx wibble frobnicate",
    ]);
    let score = |o: &std::process::Output| {
        let v: serde_json::Value = serde_json::from_str(&stdout(o)).unwrap();
        v[0]["suggestions"][0]["score"].as_f64().unwrap()
    };
    let (c, g) = (score(&confident), score(&guess));
    assert!((0.0..=1.0).contains(&c) && (0.0..=1.0).contains(&g));
    assert!(c > 0.9 && g < 0.5, "confident {c}, guess {g}");
    assert_eq!(first("essential hypertension"), "I10");
}

#[test]
fn diabetes_without_a_type_defaults_to_type_2() {
    // The tabular puts "diabetes NOS" under E11 (the guideline's default).
    assert_first(&[
        ("diabetic foot ulcer", "E11.621"),
        ("diabetes", "E11.9"),
        ("uncontrolled diabetes", "E11.65"),
    ]);
}

#[test]
fn single_letters_that_name_a_type_count() {
    let codes = top_codes(&[], "hep C");
    assert!(
        codes
            .iter()
            .take(3)
            .any(|c| c.starts_with("B1") && c != "B15.9"),
        "not hepatitis A: {codes:?}"
    );
    assert_first(&[("CKD stage V", "N18.5")]);
}

#[test]
fn a_modifier_of_an_expansion_does_not_drag_in_another_condition() {
    assert_first(&[("a fib w RVR", "I48.91")]);
}

#[test]
fn without_means_without() {
    // Negated words match only negated words: "without X" never lands on
    // a code that has X, and "with X" never on one without it.
    assert_first(&[
        ("diaphragmatic hernia with obstruction", "K44.0"),
        ("type 2 diabetes w/o complications", "E11.9"),
        ("cystic fibrosis without meconium ileus", "E84.9"),
        ("migraine without aura", "G43.009"),
    ]);
    let codes = top_codes(&[], "Hodgkin lymphoma of spleen");
    assert!(
        codes[0].starts_with("C81"),
        "Hodgkin, not non-Hodgkin: {codes:?}"
    );
}

#[test]
fn laterality_in_the_query_picks_the_sided_code() {
    assert_first(&[
        ("broken right wrist", "S62.101A"),
        ("DVT left leg", "I82.402"),
        ("carpal tunnel syndrome right", "G56.01"),
    ]);
}

#[test]
fn organ_and_organism_adjectives_meet_their_nouns() {
    // The tabular writes "urethral stricture" and "viral meningitis"; people
    // write "stricture of the urethra" and "caused by a virus".
    assert_first(&[
        ("meningitis caused by a virus", "A87.9"),
        ("stricture of the urethra", "N35.919"),
    ]);
}

#[test]
fn the_words_before_the_first_comma_weigh_more() {
    // "Tuberculosis of kidney, confirmed by culture": the head names the
    // condition, the rest qualifies it. The same word on both sides of the
    // comma shows the factor alone.
    let o = run(&[
        "suggest",
        "--format",
        "json",
        "--explain",
        "-n",
        "1",
        "asthma in a child, asthma",
    ]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let words = v[0]["suggestions"][0]["explanation"]["words"]
        .as_array()
        .unwrap()
        .clone();
    let weight = |w: &serde_json::Value| w["weight"].as_f64().unwrap();
    let (head, tail) = (&words[0], &words[words.len() - 1]);
    assert_eq!(
        (head["query"].as_str(), tail["query"].as_str()),
        (Some("asthma"), Some("asthma"))
    );
    assert!(weight(head) > weight(tail), "{words:?}");
}

#[test]
fn histology_words_name_the_behavior() {
    assert_first(&[
        ("adenocarcinoma of sigmoid colon", "C18.7"),
        ("glioblastoma", "C71.9"),
        ("tubular adenoma of colon", "D12.6"),
    ]);
}

#[test]
fn an_expansion_is_never_cut_down_to_the_words_the_manual_has() {
    // "pediculosis capitis" ↔ "head lice": "lice" is no tabular word, so the
    // expansion must not become "head" and pull in head injuries.
    assert_first(&[("pediculosis capitis", "B85.0")]);
}

#[test]
fn without_and_not_are_the_same_negation() {
    // The tabular writes "not having achieved remission"; older records
    // write "without mention of having achieved remission".
    assert_first(&[(
        "acute myeloblastic leukemia, without mention of having achieved remission",
        "C92.00",
    )]);
}

#[test]
fn index_wording_reads_in_natural_order() {
    // "Attack, heart" is the index's way of writing "heart attack".
    assert_first(&[
        ("Attack, heart", "I21.9"),
        ("Eye, pink", "H10.9"),
        ("Pox, chicken", "B01.9"),
    ]);
}

#[test]
fn defaults_deny_detail_the_way_a_coder_reads_them() {
    // "not specified as recurrent", "not intractable", "not having achieved
    // remission" and accidental intent are what a coder takes when the
    // record says nothing more.
    assert_first(&[
        ("bilateral inguinal hernia with obstruction", "K40.00"),
        ("carbon monoxide poisoning", "T58.91XA"),
        ("absence epilepsy", "G40.A09"),
        ("AML", "C92.00"),
    ]);
}

#[test]
fn a_misspelled_without_still_negates() {
    assert_first(&[
        ("calculus of gallbladder withuot cholecystitis", "K80.20"),
        ("acute appendicitis withotu peritonitis", "K35.80"),
    ]);
}

#[test]
fn bowel_and_intestine_are_one_word() {
    assert_first(&[("small bowel obstruction", "K56.609")]);
}

#[test]
fn a_misspelled_lay_word_is_corrected_to_its_vocabulary_entry() {
    // "hypopotassemia" is no title word, only a lay/older-term entry; one
    // edit away from it, the typo still reads as hypokalemia.
    let got = top_codes(&[], "hyoopotassemia");
    assert_eq!(got.first().map(String::as_str), Some("E87.6"), "{got:?}");
}

#[test]
fn a_misspelled_word_inside_a_vocabulary_phrase_still_finds_the_phrase() {
    assert_first(&[
        ("hart attack", "I21.9"),
        ("high blod pressure", "I10"),
        // "edwards" is no title word, only the first word of an entry.
        ("Edwarsd' syndrome", "Q91.3"),
    ]);
    // The correction is a guess and scores below the phrase as written.
    let score = |q: &str| {
        let o = run(&["suggest", "--format", "json", "-n", "1", q]);
        let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
        v[0]["suggestions"][0]["score"].as_f64().unwrap()
    };
    assert!(score("hart attack") < score("heart attack"));
}

#[test]
fn a_typo_whose_stem_is_another_term_is_also_read_as_a_correction() {
    // "anuse" is no title word, but it stems to "anus": it is read both
    // ways, and "alcohol" makes "abuse" the better reading. A real
    // inflection ("fissures") is unaffected.
    assert_first(&[
        ("alcohol anuse", "F10.10"),
        ("cannabis anuse", "F12.10"),
        ("anal fissures", "K60.2"),
    ]);
}

#[test]
fn a_short_misspelling_is_measured_as_typed() {
    // "aute" stems to three letters, but four were typed: it is one edit
    // from "acute", and the acute code wins.
    assert_first(&[("aute cystitis without hematuria", "N30.00")]);
}

#[test]
fn a_loose_synonym_does_not_earn_the_nos_default() {
    // "pain" ↔ "sore" is a synonym; "Sore throat NOS" must not outrank the
    // code that says "Pain in throat".
    assert_first(&[("throat pain", "R07.0")]);
}

#[test]
fn build_names_the_local_entries_that_can_never_be_used() {
    let dir = tempfile::tempdir().unwrap();
    let local = dir.path().join("abbreviations-local.tsv");
    std::fs::write(
        &local,
        "# kind: abbreviations\n# a site's own abbreviations\nXQZ\tflibbertigibbet syndrome\nHTNX\thypertension\n",
    )
    .unwrap();
    let index = dir.path().join("local.mcx");
    let o = run(&[
        "build",
        "--vocab",
        local.to_str().unwrap(),
        "-o",
        index.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("XQZ\tflibbertigibbet syndrome"), "{err}");
    assert!(!err.contains("HTNX"), "{err}");
    let o = run(&[
        "build",
        "--vocab",
        local.to_str().unwrap(),
        "-o",
        index.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let summary: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let unused: Vec<&str> = summary["unused_vocabulary"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["from"].as_str().unwrap())
        .collect();
    assert_eq!(unused, ["XQZ"]);
}

/// Every bundled entry can be used: its meaning is written in words some
/// bundled manual has, or names another entry that is.
#[test]
fn every_bundled_vocabulary_entry_can_be_used() {
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("vocab.mcx");
    let mut args = vec!["build".to_string(), "--no-bundled-vocab".to_string()];
    let root = env!("CARGO_MANIFEST_DIR");
    for f in std::fs::read_dir(format!("{root}/data/vocab")).unwrap() {
        let p = f.unwrap().path();
        if p.extension().is_some_and(|e| e == "tsv") {
            args.extend(["--vocab".to_string(), p.display().to_string()]);
        }
    }
    args.extend(["-o".to_string(), index.display().to_string()]);
    args.extend(["--format".to_string(), "json".to_string()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let o = run(&args);
    assert!(o.status.success(), "{}", stderr(&o));
    let summary: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let unused = summary["unused_vocabulary"]
        .as_array()
        .expect("the build summary lists unused entries");
    assert!(summary["codes"].as_u64().unwrap() > 90_000, "{summary}");
    assert!(
        unused.is_empty(),
        "bundled vocabulary entries that are never used:\n{unused:#?}"
    );
}

#[test]
fn an_eponym_names_the_disease() {
    // "Gingivitis, Vincent's": the possessive marks the eponym, which
    // outweighs the generic main term.
    assert_first(&[("Gingivitis, Vincent's", "A69.1")]);
}
