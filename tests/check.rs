//! `medcoder check`: encoder edits on the real bundled release.

use crate::util::{medcoder, run, run_with_stdin, stderr, stdout};
use serde_json::Value;

fn check(codes: &[&str]) -> (Value, i32) {
    let mut args = vec!["check", "--format", "json"];
    args.extend_from_slice(codes);
    let o = run(&args);
    let v: Value =
        serde_json::from_str(&stdout(&o)).unwrap_or_else(|e| panic!("{e}: {}", stderr(&o)));
    // `--format json` is one array of results, here one encounter.
    let arr = v.as_array().unwrap_or_else(|| panic!("not an array: {v}"));
    assert_eq!(arr.len(), 1, "{v}");
    (arr[0].clone(), o.status.code().unwrap())
}

/// (kind, severity) of every edit.
fn kinds(v: &Value) -> Vec<(String, String)> {
    v["edits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["kind"].as_str().unwrap().into(),
                e["severity"].as_str().unwrap().into(),
            )
        })
        .collect()
}

fn has(v: &Value, kind: &str, severity: &str) -> bool {
    kinds(v).iter().any(|(k, s)| k == kind && s == severity)
}

#[test]
fn clean_encounter_has_no_edits_and_exits_0() {
    let (v, code) = check(&["e11.22", "N184", "Z79.4"]);
    assert_eq!(v["codes"], serde_json::json!(["E11.22", "N18.4", "Z79.4"]));
    assert!(kinds(&v).iter().all(|(_, s)| s == "note"), "{v}");
    assert_eq!(code, 0);
}

#[test]
fn validity_edits_name_the_fix() {
    let (v, code) = check(&[
        "E11", "S72.90", "T3911A", "S72.90XZ", "Q99.99", "I10", "I10",
    ]);
    assert_eq!(code, 1);
    for k in [
        "not_billable",
        "seventh_character",
        "placeholder",
        "invalid_code",
        "duplicate",
    ] {
        assert!(has(&v, k, "error"), "{k}: {v}");
    }
    let msg = |k: &str| {
        v["edits"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["kind"] == k)
            .map(|e| e["message"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
            .join(" / ")
    };
    assert!(
        msg("placeholder").contains("T39.1X1A"),
        "{}",
        msg("placeholder")
    );
    assert!(
        msg("not_billable").contains("E11.00"),
        "{}",
        msg("not_billable")
    );
}

#[test]
fn excludes1_from_a_with_character_rule() {
    // G63 Excludes1: diabetes mellitus (E08-E13 with .42)
    let (v, code) = check(&["E11.42", "G63"]);
    assert!(has(&v, "excludes1", "error"), "{v}");
    assert_eq!(code, 1);
    let e = v["edits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "excludes1")
        .unwrap();
    assert_eq!(e["source"], "Excludes1 at G63");
    // E11.40 is not .42: no Excludes1, and G63 after its cause is in order.
    let (v, _) = check(&["E85.1", "G63"]);
    assert!(
        !has(&v, "excludes1", "error") && !has(&v, "manifestation_first", "error"),
        "{v}"
    );
}

#[test]
fn sequencing_rules_of_the_guidelines() {
    let (v, _) = check(&["G63", "E85.1"]);
    assert!(
        has(&v, "manifestation_first", "error") && has(&v, "code_first", "error"),
        "{v}"
    );
    let (v, _) = check(&["W19.XXXA", "S72.001A"]);
    assert!(has(&v, "external_cause_first", "error"), "{v}");
    let (v, _) = check(&["I10", "Z00.00"]);
    assert!(has(&v, "first_listed_only", "error"), "{v}");
    let (v, _) = check(&["Z68.41"]);
    assert!(has(&v, "additional_only", "error"), "{v}");
    let (v, _) = check(&["T22.10XS", "L90.5"]);
    assert!(has(&v, "sequela_order", "warning"), "{v}");
    let (v, _) = check(&["L90.5", "T22.10XS"]);
    assert!(!has(&v, "sequela_order", "warning"), "{v}");
}

#[test]
fn manifestation_titled_in_other_diseases_is_never_first_listed() {
    // "Dementia in other diseases classified elsewhere": a manifestation
    // as much as "in diseases classified elsewhere" (Guidelines I.A.13).
    let (v, code) = check(&["F02.A4"]);
    assert!(has(&v, "manifestation_first", "error"), "{v}");
    assert_eq!(code, 1);
    let (v, _) = check(&["G30.9", "F02.A4"]);
    assert!(!has(&v, "manifestation_first", "error"), "{v}");
    // "as the cause of diseases classified elsewhere" is not one.
    let (v, _) = check(&["N39.0", "B95.0"]);
    assert!(!has(&v, "manifestation_first", "error"), "{v}");
}

#[test]
fn a_use_additional_list_of_if_applicable_items_is_only_a_note() {
    // Z01.41: "Use additional code: | for screening for human
    // papillomavirus, if applicable, (Z11.51) | … if applicable (Z90.71-)".
    let (v, _) = check(&["Z01.411"]);
    assert!(has(&v, "use_additional", "note"), "{v}");
    assert!(!has(&v, "use_additional", "warning"), "{v}");
    // A list under an unconditional heading stays a warning (E11).
    let (v, _) = check(&["E11.9"]);
    assert!(has(&v, "use_additional", "warning"), "{v}");
}

#[test]
fn combination_hints_come_from_use_additional_notes() {
    let (v, code) = check(&["E11.9", "N18.4", "Z79.4"]);
    assert_eq!(code, 0, "warnings only: {v}");
    let e = v["edits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "combination")
        .unwrap_or_else(|| panic!("{v}"));
    assert!(e["message"].as_str().unwrap().contains("E11.22"), "{e}");
    let (v, _) = check(&["I10", "N18.4"]);
    assert!(v.to_string().contains("I12.9"), "{v}");
    let (v, _) = check(&["I12.9", "N18.4"]);
    assert!(!has(&v, "combination", "warning"), "{v}");
}

#[test]
fn missing_use_additional_target_is_a_warning_and_unspecified_a_note() {
    let (v, code) = check(&["E11.9"]);
    assert!(has(&v, "use_additional", "warning"), "{v}");
    assert_eq!(code, 0);
    let (v, _) = check(&["H65.90"]);
    assert!(has(&v, "unspecified", "note"), "{v}");
}

#[test]
fn stdin_one_encounter_per_line_and_bad_token_exit_2() {
    let o = run_with_stdin(
        medcoder().args(["check", "--format", "jsonl"]),
        b"E11.22 N18.4 Z79.4\nE11,  G63\n\nI10 | not-a-code!\n",
    );
    let lines: Vec<Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 4);
    assert!(kinds(&lines[0]).iter().all(|(_, s)| s == "note"));
    assert!(has(&lines[1], "not_billable", "error"));
    assert!(lines[2]["edits"].as_array().unwrap().is_empty());
    assert!(lines[3]["error"].as_str().unwrap().contains("token 2"));
    assert!(stderr(&o).contains("line 4: token 2"), "{}", stderr(&o));
    assert!(!stderr(&o).contains("not-a-code"), "input is never echoed");
    assert_eq!(o.status.code(), Some(2));
    let o = run(&["check", "E11.9", "diabetes!"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("argument 2"), "{}", stderr(&o));
}

#[test]
fn date_is_validated() {
    let o = run(&["check", "--date", "2026-02-30", "I10"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("YYYY-MM-DD"));
    let o = run(&["check", "--date", "2026-05-14", "I10"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // FY2027 is bundled: no note; FY2028 is not: checked against FY2027.
    let o = run(&["check", "--date", "2027-01-05", "I10"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!stderr(&o).contains("fiscal year"), "{}", stderr(&o));
    let o = run(&["check", "--date", "2028-01-05", "I10"]);
    assert!(stderr(&o).contains("fiscal year 2028"), "{}", stderr(&o));
}

#[test]
fn notes_resolve_to_codes() {
    let o = run(&["check", "--notes-report", "--format", "json"]);
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let mut citing = 0;
    let mut resolved = 0;
    for k in ["excludes1", "code_first", "use_additional", "code_also"] {
        citing += v[k]["citing"].as_u64().unwrap();
        resolved += v[k]["resolved"].as_u64().unwrap();
    }
    assert!(citing > 7000, "{citing}");
    assert!(
        resolved as f64 / citing as f64 >= 0.98,
        "{resolved}/{citing}"
    );
}

#[test]
fn test_set_has_no_false_errors_on_clean_encounters() {
    let set = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/eval/check/encounters.tsv"
    ))
    .unwrap();
    let rows: Vec<Vec<&str>> = set
        .lines()
        .skip(1)
        .map(|l| l.split('\t').collect())
        .collect();
    assert!(rows.len() >= 150, "{}", rows.len());
    // One run per date of service (column 5; empty: the default, today).
    let mut got: Vec<Value> = vec![Value::Null; rows.len()];
    let mut dates: Vec<&str> = rows
        .iter()
        .map(|r| r.get(4).copied().unwrap_or(""))
        .collect();
    dates.sort();
    dates.dedup();
    for date in dates {
        let of_date: Vec<usize> = (0..rows.len())
            .filter(|i| rows[*i].get(4).copied().unwrap_or("") == date)
            .collect();
        let input: String = of_date
            .iter()
            .map(|i| format!("{}\n", rows[*i][2]))
            .collect();
        let mut cmd = medcoder();
        cmd.args(["check", "--format", "jsonl"]);
        if !date.is_empty() {
            cmd.args(["--date", date]);
        }
        let o = run_with_stdin(&mut cmd, input.as_bytes());
        let lines: Vec<Value> = stdout(&o)
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), of_date.len(), "date {date}");
        for (i, v) in of_date.into_iter().zip(lines) {
            got[i] = v;
        }
    }
    for (r, g) in rows.iter().zip(&got) {
        let expected = r.get(3).copied().unwrap_or("");
        if expected.is_empty() {
            assert!(
                !g.to_string().contains("\"severity\":\"error\""),
                "clean encounter {}: {g}",
                r[0]
            );
        } else {
            for k in expected.split(';') {
                assert!(
                    g.to_string().contains(&format!("\"kind\":\"{k}\"")),
                    "encounter {} misses {k}: {g}",
                    r[0]
                );
            }
        }
    }
}

#[test]
fn batch_adds_an_edits_column() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("enc.csv");
    std::fs::write(
        &input,
        "id,dx,codes\n1,hypertension,E11.9 N18.4 Z79.4\n2,fall from ladder,W11.XXXA S72.001A\n",
    )
    .unwrap();
    let o = run(&[
        "batch",
        input.to_str().unwrap(),
        "--column",
        "dx",
        "--check-column",
        "codes",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let mut r = csv::Reader::from_reader(o.stdout.as_slice());
    assert_eq!(r.headers().unwrap().iter().next_back(), Some("edits"));
    let edits: Vec<String> = r
        .records()
        .map(|x| x.unwrap().iter().next_back().unwrap().to_string())
        .collect();
    assert_eq!(edits, ["combination", "external_cause_first"]);
    let o = run(&[
        "batch",
        input.to_str().unwrap(),
        "--column",
        "dx",
        "--check",
        "--format",
        "jsonl",
    ]);
    let first: Value = serde_json::from_str(stdout(&o).lines().next().unwrap()).unwrap();
    assert!(first["edits"].is_string(), "{first}");
}

#[test]
fn shell_worklist_shows_edits_live() {
    let o = run_with_stdin(
        medcoder().args(["shell", "--no-history"]),
        b"+W19.XXXA\n+S72.001A\n:rm 1\n:quit\n",
    );
    let out = stdout(&o);
    let after_pick = out
        .split("picked S72.001A")
        .nth(1)
        .unwrap_or_else(|| panic!("{out}"));
    assert!(after_pick.contains("error external_cause_first"), "{out}");
    let after_rm = out.split("removed W19.XXXA").nth(1).unwrap();
    assert!(!after_rm.contains("external_cause_first"), "{out}");
}

#[test]
fn a_code_of_another_release_is_a_deleted_edit() {
    // S23.420A was deleted in FY2027; D69.11 was added in FY2027.
    for (date, code, other) in [
        ("2027-01-05", "S23.420A", "2026"),
        ("2026-05-01", "D69.11", "2027"),
    ] {
        let o = run(&["check", "--date", date, "--format", "json", code]);
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
        let edit = &v[0]["edits"][0];
        assert_eq!(edit["kind"], "deleted", "{v}");
        assert!(edit["message"].as_str().unwrap().contains(other), "{v}");
    }
    let o = run(&["check", "--date", "2026-05-01", "S23.420A"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn batch_checks_each_row_in_the_release_of_its_date() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("enc.csv");
    // S23.420A is a code of FY2026 only.
    std::fs::write(
        &input,
        "dx,dos,codes\nrib fracture,2027-01-05,S23.420A\nrib fracture,2026-05-01,S23.420A\n",
    )
    .unwrap();
    let o = run(&[
        "batch",
        input.to_str().unwrap(),
        "--column",
        "dx",
        "--date-column",
        "dos",
        "--check-column",
        "codes",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let mut r = csv::Reader::from_reader(o.stdout.as_slice());
    let edits: Vec<String> = r
        .records()
        .map(|x| x.unwrap().iter().next_back().unwrap().to_string())
        .collect();
    assert_eq!(edits, ["deleted", ""]);
}

/// A category named like the block over it (B20, Z16): the code is the
/// category, for lookup and check alike, and its children hang under it.
#[test]
fn category_named_like_its_block_is_the_category() {
    let (v, code) = check(&["B20"]);
    assert!(!has(&v, "not_billable", "error"), "{v}");
    assert_eq!(code, 0, "{v}");
    let (v, _) = check(&["Z16"]);
    let msg = v["edits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "not_billable")
        .unwrap_or_else(|| panic!("no not_billable: {v}"))["message"]
        .to_string();
    assert!(msg.contains("Z16.10"), "{msg}");
    let o = run(&["lookup", "B20"]);
    let out = stdout(&o);
    let status = out.lines().nth(1).unwrap_or_default();
    assert!(status.ends_with("· billable"), "{out}");
}

/// Building the index reports the notes whose targets the parser could not
/// resolve (issue 14: "report the notes you could not parse when building
/// the index"), on stderr and in the JSON summary, each with its code.
#[test]
fn building_the_index_reports_the_notes_it_could_not_parse() {
    let cache = tempfile::tempdir().unwrap();
    let out = cache.path().join("bundled.mcx");
    let o = crate::util::run_with_cache(
        cache.path(),
        &["build", "-o", out.to_str().unwrap(), "--format", "json"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    let unresolved = v["notes"]["unresolved"].as_array().unwrap();
    assert!(v["notes"]["excludes1"]["citing"].as_u64().unwrap() > 5000);
    assert!(
        !unresolved.is_empty() && unresolved.len() < 20,
        "{unresolved:?}"
    );
    assert!(
        unresolved
            .iter()
            .all(|u| u["code"].is_string() && u["reason"].is_string())
    );
    let o = crate::util::run_with_cache(cache.path(), &["build", "-o", out.to_str().unwrap()]);
    let err = stderr(&o);
    assert!(
        err.contains("tabular notes citing codes resolve to codes"),
        "{err}"
    );
    assert!(err.contains("could not be parsed"), "{err}");
}
