//! Releases by date of service: the FY2027 change files applied by the
//! addenda importers to the bundled FY2026 manuals (and giving exactly the
//! bundled FY2027 ones), and `--date` choosing the release in effect.

use crate::util::{medcoder, ok, run, run_with_stdin, stderr, stdout, top_codes};
use std::path::{Path, PathBuf};

/// A reference file of `../shared/reference` (or of
/// `$MEDCODER_REFERENCE_DIR`, for a checkout elsewhere); a machine without
/// it fails the test, saying so.
fn reference(file: &str) -> PathBuf {
    let dir = std::env::var_os("MEDCODER_REFERENCE_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/reference"));
    let p = dir.join(file);
    assert!(
        p.exists(),
        "{} is absent: the CMS/CDC reference files live in ../shared/reference (or set MEDCODER_REFERENCE_DIR)",
        p.display()
    );
    p
}

fn data(file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("data")
        .join(file)
}

/// Runs an addenda import of `changes` onto `previous`; returns the
/// import's stderr and the CSV written.
fn addenda(kind: &str, changes: &Path, previous: &Path) -> (String, String) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("next.csv");
    let o = run(&[
        "import",
        kind,
        changes.to_str().unwrap(),
        "--previous",
        previous.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    ok(&o);
    (stderr(&o), std::fs::read_to_string(&out).unwrap())
}

#[test]
fn icd10cm_addenda_turn_fy2026_into_the_bundled_fy2027() {
    let (report, csv) = addenda(
        "icd10cm-addenda",
        &reference("icd10cm/icd10cm_codes_addenda_2027.txt"),
        &data("icd10cm-2026.csv"),
    );
    assert!(
        report.contains("190 added, 30 deleted, 4 revised; billable 74719 → 74879"),
        "{report}"
    );
    assert!(
        report.contains("15 deleted codes became headers"),
        "{report}"
    );
    assert!(
        report.contains("48 headers implied by new codes"),
        "{report}"
    );
    assert!(
        report.contains("6 headers left without codes were removed"),
        "{report}"
    );
    assert!(
        csv == std::fs::read_to_string(data("icd10cm-2027.csv")).unwrap(),
        "data/icd10cm-2027.csv is not what the importer makes of the reference files: regenerate it (data/PROVENANCE.md)"
    );
    // The summary block is not read as changes, and the CRLF is gone.
    assert!(!csv.contains('\r'));
    assert!(csv.contains("icd10cm,2027,I42.0,Dilated cardiomyopathy,N,code,I42,"));
    assert!(csv.contains("icd10cm,2027,J34.83,Odontogenic sinusitis,N,code,J34.8,"));
    assert!(!csv.contains(",S23.420,"), "an emptied header is removed");
}

#[test]
fn icd10pcs_addenda_apply_to_the_fy2026_tables_and_report_a_revision_they_lack() {
    let dir = tempfile::tempdir().unwrap();
    let fy2026 = dir.path().join("pcs-2026.csv");
    let o = run(&[
        "import",
        "icd10pcs-tables",
        reference("icd10pcs/icd10pcs_tables_2026.xml")
            .to_str()
            .unwrap(),
        "-o",
        fy2026.to_str().unwrap(),
    ]);
    ok(&o);
    assert!(
        std::fs::read(&fy2026).unwrap() == std::fs::read(data("icd10pcs-2026.csv")).unwrap(),
        "data/icd10pcs-2026.csv is not what the importer makes of the tables: regenerate it"
    );
    let (report, csv) = addenda(
        "icd10pcs-addenda",
        &reference("icd10pcs/icd10pcs_codes_addenda_2027.txt"),
        &fy2026,
    );
    assert!(
        report.contains("101 added, 38 deleted, 2 revised; billable 79115 → 79178"),
        "{report}"
    );
    assert!(
        report.contains("1 revised codes are not in the previous release (not applied): XW0E33B"),
        "{report}"
    );
    assert!(csv == std::fs::read_to_string(data("icd10pcs-2027.csv")).unwrap());
    assert!(csv.contains("icd10pcs,2027,B85,\"Other Imaging, Eye\",N,block,"));
}

#[test]
fn a_change_file_for_another_release_is_refused_naming_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let changes = dir.path().join("addenda_2027.txt");
    std::fs::write(
        &changes,
        "Add:         I4200   Dilated cardiomyopathy, unspecified\r\nAdd:         I10     Essential hypertension\r\n",
    )
    .unwrap();
    let out = dir.path().join("next.csv");
    let o = run(&[
        "import",
        "icd10cm-addenda",
        changes.to_str().unwrap(),
        "--previous",
        data("icd10cm-2026.csv").to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("line 2") && err.contains("I10 is already in the previous release"),
        "{err}"
    );
    assert!(!out.exists());
}

#[test]
fn hcpcs_october_2025_is_bundled_as_imported() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("hcpcs.csv");
    let o = run(&[
        "import",
        "hcpcs",
        reference("hcpcs/hcpcs_2025_oct.csv").to_str().unwrap(),
        "--version",
        "2025-10",
        "-o",
        out.to_str().unwrap(),
    ]);
    ok(&o);
    assert!(
        stderr(&o).contains("8846 codes, 8463 billable"),
        "{}",
        stderr(&o)
    );
    assert!(std::fs::read(&out).unwrap() == std::fs::read(data("hcpcs-2025-10.csv")).unwrap());
    let o = run(&["lookup", "A4253"]);
    ok(&o);
    assert!(
        stdout(&o).contains("hcpcs 2025-10 · billable"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn lookup_of_a_code_deleted_by_the_date_says_so_and_lists_its_replacements() {
    let o = run(&["lookup", "I42.0", "--date", "2026-12-01"]);
    ok(&o);
    let out = stdout(&o);
    assert!(
        out.contains("releases: 2026 billable · 2027 header"),
        "{out}"
    );
    assert!(
        out.contains("DELETED in 2027 as a billable code: use I42.00, I42.01, I42.09"),
        "{out}"
    );
    let o = run(&["lookup", "I42.0", "--date", "2026-06-01"]);
    let out = stdout(&o);
    assert!(
        out.contains("icd10cm 2026 · billable") && !out.contains("DELETED"),
        "{out}"
    );
    let o = run(&["lookup", "S23.420A", "--date", "2026-12-01"]);
    assert!(
        stdout(&o).contains("DELETED in 2027: not a valid code on this date of service"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn a_new_code_shows_the_notes_of_its_parent_and_says_so() {
    let o = run(&["lookup", "I42.01", "--date", "2026-12-01"]);
    ok(&o);
    let out = stdout(&o);
    assert!(
        out.contains("new code: its release gives a title only; the notes shown are those of I42"),
        "{out}"
    );
    assert!(out.contains("Excludes2 (from I42):"), "{out}");
    let o = run(&["lookup", "I42.01", "--date", "2026-06-01"]);
    assert!(
        stdout(&o).contains("NOT YET VALID on this date of service: new in 2027"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn the_date_of_service_chooses_the_release_suggested() {
    let before = top_codes(&["--date", "2026-06-01"], "dilated cardiomyopathy");
    assert_eq!(
        before.first().map(String::as_str),
        Some("I42.0"),
        "{before:?}"
    );
    let after = top_codes(&["--date", "2026-12-01"], "dilated cardiomyopathy");
    assert_eq!(
        after.first().map(String::as_str),
        Some("I42.00"),
        "{after:?}"
    );
    assert!(
        !after.iter().any(|c| c == "I42.0"),
        "deleted, never suggested: {after:?}"
    );
    let o = run(&[
        "suggest",
        "--date",
        "2026-12-01",
        "--format",
        "jsonl",
        "plantar fasciitis right foot",
    ]);
    let line: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    assert_eq!(line["suggestions"][0]["code"], "M67.A01", "{line}");
    assert_eq!(line["suggestions"][0]["version"], "2027", "{line}");
}

#[test]
fn a_date_that_is_not_a_date_is_an_error_that_says_the_format() {
    let o = run(&["suggest", "--date", "12/01/2026", "heart failure"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("--date: a date of service is written YYYY-MM-DD"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn batch_codes_each_row_with_the_release_of_its_date_column() {
    let input = "id,dos,dx\n1,2026-06-01,dilated cardiomyopathy\n2,2026-12-01,dilated cardiomyopathy\n3,01/12/2026,dilated cardiomyopathy\n";
    let o = run_with_stdin(
        medcoder().args([
            "batch",
            "-",
            "--column",
            "dx",
            "--date-column",
            "dos",
            "-n",
            "0",
        ]),
        input.as_bytes(),
    );
    assert_eq!(o.status.code(), Some(2), "a bad date is a row error");
    let out = stdout(&o);
    let rows: Vec<Vec<String>> = csv::Reader::from_reader(out.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    assert_eq!(rows[0][3], "I42.0", "{out}");
    assert_eq!(rows[1][3], "I42.00", "{out}");
    assert_eq!(rows[2][3], "", "{out}");
    assert!(rows[2][9].contains("date of service column"), "{out}");
    assert!(
        !stderr(&o).contains("01/12/2026"),
        "never the cell: {}",
        stderr(&o)
    );
}
