//! `medcoder batch`: rows and cells kept, codes as `suggest` gives them,
//! bad rows flagged, atomic output.

use crate::util::*;
use std::process::Output;

fn batch(args: &[&str], input: &[u8]) -> Output {
    let mut cmd = medcoder();
    cmd.arg("batch").args(args);
    run_with_stdin(&mut cmd, input)
}

fn records(bytes: &[u8]) -> Vec<csv::ByteRecord> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    r.byte_records().map(|r| r.unwrap()).collect()
}

fn field(r: &csv::ByteRecord, i: usize) -> String {
    String::from_utf8_lossy(&r[i]).into_owned()
}

const APPENDED: [&str; 9] = [
    "code",
    "title",
    "score",
    "billable",
    "alternatives",
    "needs_review",
    "error",
    "confidence",
    "coding",
];

#[test]
fn keeps_every_row_and_cell_byte_for_byte_with_bom_crlf_quotes_and_newlines() {
    let input = "\u{feff}id,diagnosis,note,site\r\n\
                 1,HTN,\"seen, stable\",A\r\n\
                 2,\"type 2 diabetes\r\nwith neuropathy\",\"said \"\"fine\"\"\",B\r\n\
                 3,chest pain,,C\r\n";
    let o = batch(&["-", "--column", "diagnosis"], input.as_bytes());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(o.stdout.starts_with(b"\xEF\xBB\xBFid,"), "BOM kept");
    assert!(o.stdout.ends_with(b"\r\n"), "CRLF kept");
    let ins = records(input.as_bytes());
    let outs = records(&o.stdout);
    assert_eq!(outs.len(), ins.len());
    for (i, o) in ins.iter().zip(&outs) {
        assert_eq!(o.len(), i.len() + APPENDED.len());
        assert_eq!(
            o.iter().take(i.len()).collect::<Vec<_>>(),
            i.iter().collect::<Vec<_>>()
        );
    }
    let header: Vec<String> = (4..13).map(|i| field(&outs[0], i)).collect();
    assert_eq!(header, APPENDED);
    assert_eq!(field(&outs[1], 4), "I10");
    assert_eq!(field(&outs[2], 4), "E11.40");
    assert!(stderr(&o).contains("3 rows, 3 coded"), "{}", stderr(&o));
}

#[test]
fn codes_equal_the_top_code_of_suggest() {
    let texts = [
        "essential hypertension",
        "type 2 diabetes mellitus with diabetic neuropathy",
        "chronic kidney disease stage 3",
        "acute bronchitis",
        "copd exacerbation",
        "fracture of left wrist, initial encounter",
        "HTN",
    ];
    let mut cmd = medcoder();
    cmd.args(["suggest", "--format", "jsonl"]);
    let s = run_with_stdin(&mut cmd, texts.join("\n").as_bytes());
    let want: Vec<String> = jsonl_codes(&stdout(&s))
        .into_iter()
        .map(|c| c.first().cloned().unwrap_or_default())
        .collect();
    let mut input = String::from("id,dx\n");
    for (i, t) in texts.iter().enumerate() {
        input.push_str(&format!("{i},\"{t}\"\n"));
    }
    let o = batch(&["-", "-c", "dx"], input.as_bytes());
    let got: Vec<String> = records(&o.stdout)
        .iter()
        .skip(1)
        .map(|r| field(r, 2))
        .collect();
    assert_eq!(got, want);
}

#[test]
fn bad_rows_are_flagged_counted_and_exit_2_without_changing_other_rows() {
    let mut input =
        b"id,dx,note\n1,HTN,a\n2,asthma\n3,copd,b,extra\n4,\xff\xfe,c\n5,,d\n6,chest pain,e\n"
            .to_vec();
    input.extend_from_slice(format!("7,{},f\n", "x".repeat(10_001)).as_bytes());
    let o = batch(&["-", "-c", "dx"], &input);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    for line in ["line 3:", "line 4:", "line 5:", "line 8:"] {
        assert!(err.contains(line), "{line} in {err}");
    }
    assert!(!err.contains("line 6:"), "an empty cell is no error: {err}");
    assert!(
        !err.contains("asthma") && !err.contains("copd"),
        "no cell text on stderr: {err}"
    );
    assert!(
        err.contains("7 rows, 2 coded") && err.contains("1 empty, 4 errors"),
        "{err}"
    );
    let outs = records(&o.stdout);
    assert_eq!(outs.len(), 8);
    assert!(
        outs.iter().all(|r| r.len() == 3 + APPENDED.len()),
        "rectangular output"
    );
    let errors: Vec<String> = outs.iter().skip(1).map(|r| field(r, 9)).collect();
    assert_eq!(errors[0], "");
    assert!(
        errors[1].contains("2 fields where the header has 3"),
        "{}",
        errors[1]
    );
    assert!(
        errors[2].contains("4 fields where the header has 3"),
        "{}",
        errors[2]
    );
    assert!(
        errors[3].contains("invalid UTF-8 in field 2"),
        "{}",
        errors[3]
    );
    assert_eq!(errors[4], "", "an empty cell is no error");
    assert_eq!(field(&outs[5], 3), "", "and gets no code");
    assert_eq!(field(&outs[5], 8), "true", "but needs review");
    assert_eq!(errors[5], "");
    assert!(errors[6].contains("10001 bytes"), "{}", errors[6]);
    assert_eq!(&outs[2][1], b"asthma");
    assert_eq!(
        &outs[3][2], b"b,extra",
        "surplus fields joined, nothing lost"
    );
    assert_eq!(
        &outs[4][1], b"\xff\xfe",
        "invalid bytes written back as they were"
    );
    assert_eq!(field(&outs[1], 3), "I10");
    assert_eq!(field(&outs[6], 3), "R07.9");
    assert_eq!(field(&outs[2], 8), "true", "error rows need review");
}

#[test]
fn missing_column_names_the_fix_never_the_cells_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.csv");
    let o = batch(
        &["-", "-c", "diagnosis", "-o", out.to_str().unwrap()],
        b"id,dx,note\n1,HTN,a\n",
    );
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("no column named 'diagnosis'")
            && err.contains("3 columns")
            && !err.contains("note"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "no output, no temp file"
    );
}

#[test]
fn output_file_is_written_atomically_and_not_at_all_for_a_missing_input() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.csv");
    std::fs::write(&input, "id,dx\n1,HTN\n2,chest pain\n").unwrap();
    let out = dir.path().join("out.csv");
    let o = medcoder()
        .args([
            "batch",
            input.to_str().unwrap(),
            "-c",
            "dx",
            "-o",
            out.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(o.stdout.is_empty());
    assert_eq!(records(&std::fs::read(&out).unwrap()).len(), 3);
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 2, "no temp file left: {names:?}");

    let missing_out = dir.path().join("missing.csv");
    let o = medcoder()
        .args([
            "batch",
            dir.path().join("nope.csv").to_str().unwrap(),
            "-c",
            "dx",
            "-o",
            missing_out.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("nope.csv"), "{}", stderr(&o));
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        2,
        "nothing written"
    );
}

#[test]
fn split_cells_give_one_code_per_diagnosis_in_order() {
    let input = b"id,dx\n1,HTN; DM2; CKD stage 3\n2,chest pain;;qqqzzzxx\n";
    let o = batch(&["-", "-c", "dx", "--split", ";"], input);
    let outs = records(&o.stdout);
    assert_eq!(field(&outs[1], 2), "I10 | E11.9 | N18.30");
    assert_eq!(field(&outs[1], 4).split(" | ").count(), 3);
    assert_eq!(field(&outs[1], 7), "false");
    assert_eq!(
        field(&outs[2], 2),
        "R07.9 | ",
        "no match leaves an empty entry"
    );
    assert_eq!(field(&outs[2], 7), "true");

    let o = batch(&["-", "-c", "dx", "--split", ";", "-f", "jsonl"], input);
    let objs: Vec<serde_json::Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(objs.len(), 5);
    let codes: Vec<&str> = objs[..3]
        .iter()
        .map(|v| v["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["I10", "E11.9", "N18.30"]);
    assert_eq!(objs[1]["part"], 2);
    assert_eq!(objs[1]["parts"], 3);
    assert_eq!(objs[1]["diagnosis"], "DM2");
    assert_eq!(objs[1]["input"]["dx"], "HTN; DM2; CKD stage 3");
    assert!(objs[4]["code"].is_null());
}

#[test]
fn jsonl_has_one_object_per_row_with_the_input_cells_and_line() {
    let input = b"id,dx,dx\n1,HTN,x\n2,\"chest\npain\",y\n3,,z\n";
    let o = batch(&["-", "-c", "2", "-f", "jsonl"], input);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let objs: Vec<serde_json::Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(objs.len(), 3);
    assert_eq!(
        objs[0]["input"]["dx#2"], "x",
        "repeated header names get #2"
    );
    assert_eq!(objs[1]["line"], 3);
    assert_eq!(objs[1]["code"], "R07.9");
    assert!(objs[1]["alternatives"].as_array().unwrap().len() == 3);
    assert_eq!(objs[2]["line"], 5);
    assert!(objs[2]["error"].is_null() && objs[2]["code"].is_null());
    assert_eq!(objs[2]["needs_review"], true);
    assert!(objs.iter().all(|o| o["schema_version"] == 1));
    assert_eq!(objs[0]["version"], "2026");
}

#[test]
fn header_less_tab_separated_input_by_column_number() {
    let o = batch(
        &["-", "-c", "2", "--no-header", "-d", "tab"],
        b"1\tHTN\n2\tchest pain\n",
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        stdout(&o).lines().next().unwrap().split('\t').nth(2),
        Some("I10")
    );
    let o = batch(&["-", "-c", "dx", "--no-header"], b"1,HTN\n");
    assert!(stderr(&o).contains("as a number"), "{}", stderr(&o));
}

#[test]
fn thousands_of_rows_come_back_in_order() {
    let cells = [
        "HTN",
        "type 2 diabetes",
        "\"asthma, mild\"",
        "chest pain",
        "\"low\nback pain\"",
    ];
    let mut input = String::from("id,dx,extra\n");
    for i in 0..9000 {
        input.push_str(&format!("{i},{},e{i}\n", cells[i % cells.len()]));
    }
    let o = batch(&["-", "-c", "dx"], input.as_bytes());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let outs = records(&o.stdout);
    assert_eq!(outs.len(), 9001);
    for (i, r) in outs.iter().skip(1).enumerate() {
        assert_eq!(field(r, 0), i.to_string());
        assert_eq!(field(r, 2), format!("e{i}"));
    }
    assert!(
        stderr(&o).contains("9000 rows, 9000 coded"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_closed_stdout_ends_quietly_with_exit_0() {
    use std::io::{Read, Write};
    let mut input = String::from("id,dx\n");
    for i in 0..20_000 {
        input.push_str(&format!("{i},essential hypertension\n"));
    }
    let mut fed = spawn_feeding(
        medcoder().args(["batch", "-", "-c", "dx"]),
        move |mut stdin| {
            let _ = stdin.write_all(input.as_bytes());
        },
    );
    let mut first = [0u8; 64];
    fed.stdout().read_exact(&mut first).unwrap();
    let o = fed.finish();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!stderr(&o).contains("Broken pipe"), "{}", stderr(&o));
}

#[test]
fn each_row_is_written_as_its_input_bytes_quotes_included() {
    // Quotes a CSV writer would drop ("1", "HTN"), a quoted empty cell, a
    // space before a quote and a quoted line break, in a semicolon file.
    let rows = [
        "\"id\";\"dx\";note",
        "\"1\";\"HTN\";\"\"",
        "2;\"chest\npain\"; \"x\"",
        "3;asthma;",
    ];
    let input = format!("{}\n", rows.join("\n"));
    let o = batch(&["-", "-c", "dx", "-d", ";"], input.as_bytes());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    let mut rest = out.as_str();
    for row in rows {
        let expected = format!("{row};");
        assert!(
            rest.starts_with(&expected),
            "row {row:?} not kept byte for byte: {rest:?}"
        );
        rest = &rest[rest[expected.len()..].find('\n').unwrap() + expected.len() + 1..];
    }
    assert!(rest.is_empty(), "{rest:?}");
}

#[test]
fn appended_columns_that_clash_with_input_columns_get_a_prefix() {
    let input = b"id,code,Title,dx\n1,A,B,HTN\n";
    let o = batch(&["-", "-c", "dx"], input);
    let outs = records(&o.stdout);
    let header: Vec<String> = (0..outs[0].len()).map(|i| field(&outs[0], i)).collect();
    assert_eq!(
        header[4..],
        [
            "medcoder_code",
            "medcoder_title",
            "score",
            "billable",
            "alternatives",
            "needs_review",
            "error",
            "confidence",
            "coding"
        ]
    );
    assert_eq!(field(&outs[1], 1), "A");
    assert_eq!(field(&outs[1], 4), "I10");
    let o = batch(&["-", "-c", "dx", "--prefix", "mc."], input);
    let outs = records(&o.stdout);
    assert_eq!(field(&outs[0], 4), "mc.code");
    assert_eq!(field(&outs[0], 6), "score");
}

#[test]
fn an_empty_cell_is_no_error_but_needs_review_and_is_counted_apart() {
    let o = batch(&["-", "-c", "dx"], b"id,dx\n1,\n2,HTN\n3,   \n");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("3 rows, 1 coded, 0 need review, 2 empty, 0 errors"),
        "{err}"
    );
    let outs = records(&o.stdout);
    for r in [&outs[1], &outs[3]] {
        assert_eq!(field(r, 2), "", "no code");
        assert_eq!(field(r, 7), "true", "needs review");
        assert_eq!(field(r, 8), "", "no error");
    }
}
