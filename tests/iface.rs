//! The interface: completions, man page, cache, colour, table width, the
//! one output model (json, jsonl, tsv, fhir), did-you-mean and line
//! numbers.

use crate::util::{medcoder, run, run_with_cache, run_with_stdin, stderr, stdout};
use serde_json::Value;
use std::process::{Command, Stdio};

fn json(s: &str) -> Value {
    serde_json::from_str(s).unwrap_or_else(|e| panic!("{e}: {s}"))
}

#[test]
fn completions_are_generated_for_every_shell() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let o = run(&["completions", shell]);
        assert!(o.status.success(), "{shell}: {}", stderr(&o));
        let script = stdout(&o);
        for word in ["medcoder", "suggest", "lookup", "batch", "--format"] {
            assert!(script.contains(word), "{shell}: no {word}");
        }
    }
    let o = run(&["completions", "bash"]);
    let check = run_with_stdin(Command::new("bash").arg("-n"), &o.stdout);
    assert!(check.status.success(), "bash -n: {}", stderr(&check));
    let o = run(&["completions", "tcsh"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn man_page_is_generated_and_one_per_subcommand_into_a_folder() {
    let o = run(&["man"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let page = stdout(&o);
    assert!(page.contains(".TH medcoder 1"), "{page}");
    assert!(page.contains("suggest") && page.contains("completions"));
    let dir = tempfile::tempdir().unwrap();
    let o = run(&["man", "--dir", dir.path().to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    for name in [
        "medcoder.1",
        "medcoder-suggest.1",
        "medcoder-batch.1",
        "medcoder-cache.1",
    ] {
        let text = std::fs::read_to_string(dir.path().join(name)).unwrap();
        assert!(text.contains(".TH"), "{name}");
    }
}

#[test]
fn cache_prints_its_path_and_size_and_clean_empties_it() {
    let cache = tempfile::tempdir().unwrap();
    let o = run_with_cache(cache.path(), &["cache"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).starts_with(&cache.path().display().to_string()));
    assert!(stdout(&o).contains("0 files"), "{}", stdout(&o));
    let o = run_with_cache(cache.path(), &["suggest", "HTN"]);
    assert!(o.status.success(), "{}", stderr(&o));
    std::fs::write(cache.path().join("keep-me.txt"), "not ours").unwrap();
    let o = run_with_cache(cache.path(), &["cache"]);
    let listing = stdout(&o);
    assert!(
        listing.contains("bundled-") && listing.contains(" MB"),
        "{listing}"
    );
    assert!(listing.contains("1 file,"), "{listing}");
    let o = run_with_cache(cache.path(), &["cache", "clean"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("removed 1 file"), "{}", stdout(&o));
    let left: Vec<String> = std::fs::read_dir(cache.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left, ["keep-me.txt"], "only our files are removed");
}

/// `suggest` at a real terminal (util-linux `script`), with `env` set.
fn at_terminal(env: &[(&str, &str)], args: &str) -> String {
    let mut c = Command::new("script");
    c.args([
        "-qec",
        &format!("{} {args}", env!("CARGO_BIN_EXE_medcoder")),
        "/dev/null",
    ])
    .env("MEDCODER_CACHE_DIR", crate::util::cache_dir())
    .env_remove("NO_COLOR")
    .env("TERM", "xterm")
    .stdin(Stdio::null());
    for (k, v) in env {
        c.env(k, v);
    }
    let o = c
        .output()
        .expect("`script` (util-linux) is needed for the terminal tests; .ci/run installs it");
    assert!(o.status.success(), "{}", stderr(&o));
    stdout(&o)
}

#[test]
fn colour_only_at_a_terminal_without_no_color_or_when_forced() {
    let tty = at_terminal(&[], "suggest HTN");
    assert!(
        tty.contains("\x1b[1;36mI10"),
        "colour at a terminal: {tty:?}"
    );
    let tty = at_terminal(&[("NO_COLOR", "1")], "suggest HTN");
    assert!(
        !tty.contains('\x1b') && tty.contains("I10"),
        "NO_COLOR: {tty:?}"
    );
    let tty = at_terminal(&[], "--color never lookup E11.9");
    assert!(!tty.contains('\x1b') && tty.contains("E11.9"), "{tty:?}");
    let piped = medcoder()
        .env_remove("NO_COLOR")
        .args(["suggest", "HTN"])
        .output()
        .unwrap();
    assert!(!stdout(&piped).contains('\x1b'), "a pipe gets no colour");
    let forced = run(&["--color", "always", "suggest", "HTN"]);
    assert!(
        stdout(&forced).contains("\x1b[1;36mI10"),
        "{}",
        stdout(&forced)
    );
}

#[test]
fn tables_fit_the_width_cutting_titles_after_a_whole_word() {
    let q = "type 2 diabetes with neuropathy";
    let titles: Vec<String> = json(&stdout(&run(&["suggest", "-f", "jsonl", q])))["suggestions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["title"].as_str().unwrap().to_string())
        .collect();
    let narrow = stdout(
        &medcoder()
            .env("COLUMNS", "70")
            .args(["suggest", q])
            .output()
            .unwrap(),
    );
    let rows: Vec<&str> = narrow.lines().skip(2).collect();
    assert_eq!(rows.len(), titles.len(), "{narrow}");
    for (row, title) in rows.iter().zip(&titles) {
        assert!(row.chars().count() < 70, "{row}");
        let shown = row.split("icd10cm 2026  ").nth(1).unwrap();
        let cut = shown
            .strip_suffix('…')
            .unwrap_or_else(|| panic!("cut: {row}"));
        assert!(title.starts_with(cut), "{cut} / {title}");
        let next = title[cut.len()..].chars().next();
        assert!(
            matches!(next, Some(' ' | ',')),
            "cut mid-word: {row} / {title}"
        );
    }
    let wide = stdout(&run(&["suggest", q]));
    for title in &titles {
        assert!(
            wide.contains(title.as_str()),
            "a pipe gets whole titles: {wide}"
        );
    }
}

#[test]
fn json_is_always_an_array_and_jsonl_has_the_same_objects() {
    let one = json(&stdout(&run(&["suggest", "-f", "json", "-n", "2", "HTN"])));
    let arr = one.as_array().expect("one phrase: still an array");
    assert_eq!(arr.len(), 1);
    let many = run_with_stdin(
        medcoder().args(["suggest", "-f", "json", "-n", "2"]),
        b"HTN\nasthma\n",
    );
    let many = json(&stdout(&many));
    let lines = run_with_stdin(
        medcoder().args(["suggest", "-f", "jsonl", "-n", "2"]),
        b"HTN\nasthma\n",
    );
    let lines: Vec<Value> = stdout(&lines).lines().map(json).collect();
    assert_eq!(
        many.as_array().unwrap(),
        &lines,
        "json = jsonl, as one array"
    );
    assert_eq!(arr[0], lines[0]);
    for v in &lines {
        assert_eq!(v["schema_version"], 1);
        assert!(v["route"]["systems"].is_array() && v["route"]["reason"].is_string());
        for s in v["suggestions"].as_array().unwrap() {
            let mut keys: Vec<&str> = s.as_object().unwrap().keys().map(|k| k.as_str()).collect();
            keys.sort_unstable();
            assert_eq!(
                keys,
                [
                    "billable",
                    "code",
                    "confidence",
                    "score",
                    "system",
                    "title",
                    "version"
                ]
            );
            assert!(s["billable"].is_boolean());
        }
    }
    let none = json(&stdout(&run_with_stdin(
        medcoder().args(["suggest", "-f", "json"]),
        b"",
    )));
    assert_eq!(none, Value::Array(Vec::new()));
}

#[test]
fn tsv_has_a_header_on_request_and_true_false() {
    let o = run_with_stdin(
        medcoder().args(["suggest", "-f", "tsv", "--header", "-n", "3"]),
        b"HTN\n\nE11\n",
    );
    let out = stdout(&o);
    let rows: Vec<Vec<&str>> = out.lines().map(|l| l.split('\t').collect()).collect();
    assert_eq!(
        rows[0],
        [
            "query",
            "code",
            "title",
            "score",
            "billable",
            "system",
            "version",
            "alternatives"
        ]
    );
    assert_eq!(rows.len(), 4);
    assert!(rows.iter().all(|r| r.len() == 8), "{out}");
    assert_eq!(rows[1][..2], ["HTN", "I10"]);
    assert_eq!(rows[1][4], "true");
    assert_eq!(rows[2][1], "", "an empty line keeps its line");
    let o = run(&["suggest", "-f", "tsv", "HTN"]);
    assert!(
        stdout(&o).starts_with("HTN\tI10\t"),
        "no header unless asked"
    );
    let o = run(&["lookup", "-f", "tsv", "--header", "E11", "E11.9"]);
    let out = stdout(&o);
    let rows: Vec<Vec<&str>> = out.lines().map(|l| l.split('\t').collect()).collect();
    assert_eq!(
        rows[0],
        [
            "code",
            "title",
            "billable",
            "system",
            "version",
            "parent",
            "default_code"
        ]
    );
    assert_eq!(rows[1][0], "E11");
    assert_eq!(rows[1][2], "false");
    assert_eq!(rows[1][6], "E11.9");
    assert_eq!(rows[2][2], "true");
}

#[test]
fn lookup_json_uses_the_same_field_names() {
    let o = run(&["lookup", "-f", "json", "E11.40"]);
    let v = json(&stdout(&o));
    let d = &v.as_array().expect("an array")[0];
    assert_eq!(d["schema_version"], 1);
    assert_eq!(d["code"], "E11.40");
    assert_eq!(d["billable"], true);
    assert_eq!(d["system"], "icd10cm");
    assert_eq!(d["version"], "2026");
    assert_eq!(d["parents"][0]["code"], "E11.4");
    assert_eq!(d["parents"][0]["billable"], false);
    let o = run(&["lookup", "-f", "jsonl", "E11.40", "I10"]);
    let lines: Vec<Value> = stdout(&o).lines().map(json).collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0], *d);
}

/// A FHIR R4 `Coding` or `CodeableConcept`, checked against the rules of
/// the R4 specification (datatypes.html, json.html): only the elements the
/// datatype defines, no empty or null values, no padded strings, `system` an
/// absolute URI, `code` a FHIR `code` (no whitespace but single spaces).
fn check_codeable_concept(v: &Value) {
    let cc = v.as_object().expect("a JSON object");
    for key in cc.keys() {
        assert!(
            ["id", "extension", "coding", "text"].contains(&key.as_str()),
            "{key}"
        );
    }
    let codings = cc["coding"].as_array().expect("coding is an array");
    assert!(!codings.is_empty(), "no empty arrays in FHIR JSON");
    for c in codings {
        let c = c.as_object().unwrap();
        for (key, value) in c {
            assert!(
                [
                    "id",
                    "extension",
                    "system",
                    "version",
                    "code",
                    "display",
                    "userSelected"
                ]
                .contains(&key.as_str()),
                "{key}"
            );
            let s = value
                .as_str()
                .unwrap_or_else(|| panic!("{key} is a string"));
            assert!(!s.is_empty() && s.trim() == s, "{key}: {s:?}");
        }
        let system = c["system"].as_str().unwrap();
        assert!(
            system.starts_with("http://")
                || system.starts_with("https://")
                || system.starts_with("urn:"),
            "{system}"
        );
        let code = c["code"].as_str().unwrap();
        assert!(
            code.split(' ')
                .all(|w| !w.is_empty() && !w.chars().any(char::is_whitespace)),
            "{code:?}"
        );
        assert!(c.contains_key("version") && c.contains_key("display"));
    }
}

#[test]
fn fhir_gives_valid_codeable_concepts_with_the_system_uris() {
    let o = run(&[
        "suggest",
        "-f",
        "fhir",
        "-n",
        "3",
        "type 2 diabetes with neuropathy",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let lines: Vec<Value> = stdout(&o).lines().map(json).collect();
    assert_eq!(lines.len(), 1);
    let concepts = lines[0].as_array().unwrap();
    assert_eq!(concepts.len(), 3);
    concepts.iter().for_each(check_codeable_concept);
    let c = &concepts[0]["coding"][0];
    assert_eq!(c["system"], "http://hl7.org/fhir/sid/icd-10-cm");
    assert_eq!(c["code"], "E11.40", "ICD-10-CM code with its dot");
    assert_eq!(c["version"], "2026");
    assert_eq!(
        c["display"],
        "Type 2 diabetes mellitus with diabetic neuropathy, unspecified"
    );

    let o = run(&[
        "suggest",
        "-f",
        "fhir",
        "-n",
        "1",
        "--system",
        "icd10pcs",
        "laparoscopic appendectomy",
    ]);
    let v = json(stdout(&o).trim());
    check_codeable_concept(&v[0]);
    assert_eq!(
        v[0]["coding"][0]["system"],
        "http://www.cms.gov/Medicare/Coding/ICD10"
    );

    let o = run_with_stdin(medcoder().args(["suggest", "-f", "fhir"]), b"HTN\nqqqxzv\n");
    let lines: Vec<Value> = stdout(&o).lines().map(json).collect();
    assert_eq!(lines.len(), 2, "one line per query");
    assert_eq!(lines[1], Value::Array(Vec::new()));

    // Dotted: the ICD-10-CM code, not also HCPCS E1140.
    let o = run(&["lookup", "-f", "fhir", "e11.40"]);
    let v = json(stdout(&o).trim());
    check_codeable_concept(&v);
    assert_eq!(v["coding"][0]["code"], "E11.40");
}

#[test]
fn did_you_mean_for_subcommands_options_and_codes() {
    let o = run(&["sugest", "HTN"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("similar subcommand exists: 'suggest'"),
        "{}",
        stderr(&o)
    );
    let o = run(&["suggest", "--limt", "3", "HTN"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("similar argument exists: '--limit'"),
        "{}",
        stderr(&o)
    );
    let o = run(&["lookup", "E11.99"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains(
            "E11.99: no such code in icd10cm 2027, icd10pcs 2027, hcpcs 2025-10; closest: E11.9,"
        ),
        "{}",
        stderr(&o)
    );
    let o = run(&["lookup", "0DTJ4ZX"]);
    assert!(stderr(&o).contains("closest: 0DTJ4ZZ"), "{}", stderr(&o));
}

#[test]
fn limit_zero_is_an_error_not_one_result() {
    let o = run(&["suggest", "-n", "0", "HTN"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--limit"), "{}", stderr(&o));
    assert!(o.stdout.is_empty());
}

#[test]
fn pipeline_line_numbers_start_at_1() {
    let o = run_with_stdin(
        medcoder().args(["suggest", "-f", "jsonl"]),
        b"\xff\nHTN\n\xfe\n",
    );
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("<stdin> line 1: invalid UTF-8"), "{err}");
    assert!(err.contains("<stdin> line 3: invalid UTF-8"), "{err}");
    assert!(!err.contains("line 0"), "{err}");
}

#[test]
fn errors_name_lines_that_exist_from_1() {
    let dir = tempfile::tempdir().unwrap();
    let vocab = dir.path().join("words.tsv");
    std::fs::write(&vocab, "a\tb\n").unwrap();
    let out = dir.path().join("x.mcx");
    let o = run(&[
        "build",
        "--vocab",
        vocab.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("words.tsv: line 1: no kind header"), "{err}");
    assert!(!err.contains("line 0"), "{err}");
    let manual = dir.path().join("empty.csv");
    std::fs::write(&manual, "code,title\n").unwrap();
    let o = run(&[
        "build",
        "--manual",
        &format!("custom={}", manual.display()),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("empty.csv: line 1, field 'code': the manual has no rows"),
        "the last line there is, not one past it: {}",
        stderr(&o)
    );
}

#[test]
fn check_follows_the_same_model() {
    let o = run(&["check", "-f", "json", "E11.9", "I10"]);
    let v = json(&stdout(&o));
    let arr = v
        .as_array()
        .expect("json is one array, for one encounter too");
    assert_eq!(arr.len(), 1);
    assert_eq!(arr[0]["schema_version"], 1);
    assert_eq!(arr[0]["codes"][0], "E11.9");
    let o = run_with_stdin(medcoder().args(["check", "-f", "json"]), b"E11.9\nI10\n");
    let many = json(&stdout(&o));
    let o = run_with_stdin(medcoder().args(["check", "-f", "jsonl"]), b"E11.9\nI10\n");
    let lines: Vec<Value> = stdout(&o).lines().map(json).collect();
    assert_eq!(
        many,
        Value::Array(lines.clone()),
        "json = the jsonl objects"
    );
    assert!(lines.iter().all(|l| l["schema_version"] == 1));
}
