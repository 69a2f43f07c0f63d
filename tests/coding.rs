//! Complete codings and confidence, through the real binary on the
//! bundled manuals.

use crate::util::{medcoder, run, run_with_stdin};

fn jsonl(query: &str) -> serde_json::Value {
    let o = run(&["suggest", "--format", "jsonl", query]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).expect("one JSON object")
}

fn coding(v: &serde_json::Value) -> Vec<String> {
    v["coding"]
        .as_array()
        .expect("a coding")
        .iter()
        .map(|c| c["code"].as_str().expect("a code").to_string())
        .collect()
}

fn why(v: &serde_json::Value, code: &str) -> String {
    v["coding"]
        .as_array()
        .and_then(|a| a.iter().find(|c| c["code"] == code))
        .and_then(|c| c["why"].as_str())
        .unwrap_or_default()
        .to_string()
}

#[test]
fn heart_failure_due_to_hypertension_is_the_guideline_combination_first() {
    let v = jsonl("CHF due to HTN");
    assert_eq!(coding(&v), ["I11.0", "I50.9"]);
    assert!(why(&v, "I11.0").contains("I.C.9.a.1"), "{v}");
}

#[test]
fn diabetes_with_ckd_gets_the_stage_its_note_asks_for() {
    let v = jsonl("type 2 diabetes with CKD stage 4");
    assert_eq!(coding(&v), ["E11.22", "N18.4"]);
    assert!(why(&v, "N18.4").contains("use additional code"), "{v}");
}

#[test]
fn an_infection_due_to_an_organism_lists_the_agent_after_it() {
    let v = jsonl("UTI due to E. coli");
    assert_eq!(coding(&v), ["N39.0", "B96.20"], "not sepsis: {v}");
}

#[test]
fn a_part_that_a_code_first_note_names_is_coded_as_its_manifestation() {
    // F02 "Dementia in other diseases classified elsewhere": code first
    // Alzheimer's (G30.-); of F02's codes the one that says what F03.90
    // says (unspecified severity, without behavioral disturbance …).
    let v = jsonl("dementia in Alzheimer's disease");
    assert_eq!(coding(&v), ["G30.9", "F02.80"]);
    assert!(why(&v, "F02.80").contains("I.A.13"), "{v}");
    // D63.1 "Anemia in chronic kidney disease": code first N18.-.
    assert_eq!(
        coding(&jsonl("anemia in chronic kidney disease stage 4")),
        ["N18.4", "D63.1"]
    );
    // A code that already is the manifestation stays (N18.30's notes name
    // the hypertensive CKD code).
    assert_eq!(coding(&jsonl("HTN w/CKD stage 3")), ["I12.9", "N18.30"]);
}

#[test]
fn one_condition_is_coded_alone() {
    assert_eq!(coding(&jsonl("essential hypertension")), ["I10"]);
    assert_eq!(coding(&jsonl("acute kidney injury")), ["N17.9"]);
}

#[test]
fn a_split_cell_is_coded_as_one_problem_list() {
    let mut cmd = medcoder();
    cmd.args(["batch", "-", "--column", "dx", "-d", "tab", "--split", ";"]);
    let o = run_with_stdin(&mut cmd, b"id\tdx\n1\tHTN; CKD stage 3\n2\tHTN\n");
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let text = String::from_utf8_lossy(&o.stdout);
    let rows: Vec<Vec<&str>> = text.lines().map(|l| l.split('\t').collect()).collect();
    let col = |name: &str| rows[0].iter().position(|h| *h == name).expect(name);
    assert_eq!(rows[1][col("code")], "I10 | N18.30", "each part alone");
    assert_eq!(
        rows[1][col("coding")],
        "I12.9 N18.30",
        "together: I.C.9.a.2"
    );
    assert_eq!(rows[2][col("coding")], "I10");
}

#[test]
fn every_suggestion_has_a_confidence_and_a_weak_guess_is_flagged_for_review() {
    let v = jsonl("essential hypertension");
    for s in v["suggestions"].as_array().expect("suggestions") {
        let c = s["confidence"].as_f64().expect("a confidence");
        assert!((0.0..=1.0).contains(&c), "{s}");
    }
    let strong = v["suggestions"][0]["confidence"].as_f64().unwrap_or(0.0);
    let weak = jsonl("bilateral thing of the wrist area")["suggestions"][0]["confidence"]
        .as_f64()
        .unwrap_or(1.0);
    assert!(strong > weak, "{strong} vs {weak}");
    let mut cmd = medcoder();
    cmd.args(["batch", "-", "--column", "dx"]);
    let o = run_with_stdin(
        &mut cmd,
        b"dx\nessential hypertension\nbilateral thing of the wrist area\n",
    );
    let mut r = csv::Reader::from_reader(&o.stdout[..]);
    let at = r
        .headers()
        .expect("a header")
        .iter()
        .position(|h| h == "needs_review")
        .expect("needs_review");
    let review: Vec<String> = r
        .records()
        .map(|row| row.expect("a row")[at].to_string())
        .collect();
    assert_eq!(review, ["false", "true"]);
}

#[test]
fn the_table_shows_confidence_and_the_complete_coding() {
    let o = run(&["suggest", "CHF due to HTN"]);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains(" conf "), "{text}");
    assert!(
        text.contains("complete coding (first-listed first): I11.0 I50.9"),
        "{text}"
    );
}

#[test]
fn a_pipeline_codes_repeated_parts_as_single_calls_do() {
    // The pipeline remembers the parts its codings searched ("HTN",
    // "CKD stage 4") for later lines: every line must still get the coding
    // a call of its own gives.
    let lines = [
        "HTN; CKD stage 4",
        "type 2 diabetes with CKD stage 4",
        "CKD stage 4; HTN",
        "CHF due to HTN",
        "HTN; CKD stage 4",
        "HTN; CHF",
    ];
    let o = run_with_stdin(
        medcoder().args(["suggest", "--format", "jsonl"]),
        lines.join("\n").as_bytes(),
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let piped: Vec<serde_json::Value> = String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object a line"))
        .collect();
    assert_eq!(piped.len(), lines.len());
    for (line, v) in lines.iter().zip(&piped) {
        let single = jsonl(line);
        assert_eq!(v["coding"], single["coding"], "{line}");
        assert!(
            coding(v).len() >= 2,
            "a coding of several codes: {line}: {v}"
        );
    }
}
