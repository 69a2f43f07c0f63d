//! Procedures and more manuals: the importers (PCS tables, CMS code lists,
//! HCPCS, mapped CSV), the bundled ICD-10-PCS manual, and a user's CPT file
//! kept apart from the bundled manuals with the AMA notice.

use crate::util::*;
use std::path::{Path, PathBuf};

/// The start of the AMA notice (it names the AMA twice, so count this).
const AMA: &str = "CPT® is a registered trademark";

/// A CMS reference file; the test fails when it is absent.
fn reference(file: &str) -> PathBuf {
    let p = reference_dir().join(file);
    assert!(
        p.exists(),
        "{} is absent: the CMS reference files live in ../shared/reference (or set MEDCODER_REFERENCE_DIR)",
        p.display()
    );
    p
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

/// `lookup 0DTJ4ZZ` succeeded and shows its CMS title and `release`.
fn assert_shows_0dtj4zz_of(o: &std::process::Output, release: &str) {
    ok(o);
    assert!(
        stdout(o).contains("Resection of Appendix, Percutaneous Endoscopic Approach"),
        "{}",
        stdout(o)
    );
    assert!(stdout(o).contains(release), "{}", stdout(o));
}

/// Rows of a manual CSV as (code, title, billable).
/// A manual row as the tests read it: code, title, billable.
type Row = (String, String, String);

/// Imports a reference file (if this machine has it) with importer `kind`
/// into a temporary manual; returns the directory, the manual and its rows.
fn import_reference(file: &str, kind: &str) -> (tempfile::TempDir, PathBuf, Vec<Row>) {
    let input = reference(file);
    let dir = tempfile::tempdir().unwrap();
    let manual = dir.path().join("manual.csv");
    ok(&import(kind, &input, &manual, &[]));
    let r = rows(&manual);
    (dir, manual, r)
}

fn rows(csv_path: &Path) -> Vec<Row> {
    let mut r = csv::Reader::from_path(csv_path).unwrap();
    r.records()
        .map(|x| {
            let x = x.unwrap();
            (x[2].to_string(), x[3].to_string(), x[4].to_string())
        })
        .collect()
}

/// The flags that label a `codes-txt` import as ICD-10-PCS release 2099.
const PCS_2099: &[&str] = &["--system", "icd10pcs", "--version", "2099"];

const PCS_FIXTURE: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<ICD10PCS.tabular>
  <version>2099</version>
  <pcsTable>
    <axis pos="1" values="1"><title>Section</title><label code="0">Medical and Surgical</label></axis>
    <axis pos="2" values="1"><title>Body System</title><label code="D">Gastrointestinal System</label></axis>
    <axis pos="3" values="1"><title>Operation</title><label code="T">Resection</label><definition>Cutting out all of a body part</definition></axis>
    <pcsRow codes="4">
      <axis pos="4" values="2"><title>Body Part</title><label code="J">Appendix</label><label code="K">Ascending Colon</label></axis>
      <axis pos="5" values="2"><title>Approach</title><label code="0">Open</label><label code="4">Percutaneous Endoscopic</label></axis>
      <axis pos="6" values="1"><title>Device</title><label code="Z">No Device</label></axis>
      <axis pos="7" values="1"><title>Qualifier</title><label code="Z">No Qualifier</label></axis>
    </pcsRow>
  </pcsTable>
</ICD10PCS.tabular>
"#;

#[test]
fn pcs_tables_fixture_expands_rows_into_titled_codes() {
    let dir = tempfile::tempdir().unwrap();
    let xml = write(dir.path(), "pcs_tables_2099.xml", PCS_FIXTURE);
    let out = dir.path().join("pcs.csv");
    ok(&import("icd10pcs-tables", &xml, &out, &[]));
    let r = rows(&out);
    assert_eq!(r.len(), 5, "{r:?}");
    assert_eq!(
        r[0],
        (
            "0DT".into(),
            "Resection, Gastrointestinal System".into(),
            "N".into()
        )
    );
    assert!(r.contains(&(
        "0DTJ4ZZ".into(),
        "Resection of Appendix, Percutaneous Endoscopic Approach".into(),
        "Y".into()
    )));
    assert!(r.contains(&(
        "0DTK0ZZ".into(),
        "Resection of Ascending Colon, Open Approach".into(),
        "Y".into()
    )));
}

#[test]
fn pcs_tables_fy2026_yields_79115_codes_and_titles_0dtj4zz() {
    let (dir, csv_path, r) =
        import_reference("icd10pcs/icd10pcs_tables_2026.xml", "icd10pcs-tables");
    assert_eq!(r.iter().filter(|x| x.0.len() == 7).count(), 79_115);
    let index = dir.path().join("pcs.mcx");
    let manual = format!("icd10pcs={}", csv_path.display());
    ok(&build(&["--no-bundled"], &manual, &index));
    let o = run(&["--index", index.to_str().unwrap(), "lookup", "0DTJ4ZZ"]);
    assert_shows_0dtj4zz_of(&o, "2026");
}

#[test]
fn hcpcs_reference_csv_keeps_codes_and_modifiers() {
    let (_dir, _manual, r) = import_reference("hcpcs/hcpcs_2025_oct.csv", "hcpcs");
    assert_eq!(r.iter().filter(|x| x.0.len() == 5).count(), 8_463);
    assert_eq!(
        r.iter().filter(|x| x.0.len() == 2 && x.2 == "N").count(),
        383
    );
}

#[test]
fn codes_txt_and_order_file_layouts_are_detected() {
    let dir = tempfile::tempdir().unwrap();
    let list = write(
        dir.path(),
        "codes.txt",
        "0DTJ4ZZ Resection of Appendix, Percutaneous Endoscopic Approach\n0FT40ZZ Resection of Gallbladder, Open Approach\n",
    );
    let out = dir.path().join("list.csv");
    ok(&import("codes-txt", &list, &out, PCS_2099));
    assert_eq!(
        rows(&out)[1],
        (
            "0FT40ZZ".into(),
            "Resection of Gallbladder, Open Approach".into(),
            "Y".into()
        )
    );
    let order = format!(
        "{:05} {:<7} 0 {:<60} {}\n{:05} {:<7} 1 {:<60} {}\n",
        1,
        "0DT",
        "Resection, GI",
        "Resection, Gastrointestinal System",
        2,
        "0DTJ4ZZ",
        "Resect appendix, perc endo",
        "Resection of Appendix, Percutaneous Endoscopic Approach"
    );
    let order = write(dir.path(), "order.txt", &order);
    let out = dir.path().join("order.csv");
    ok(&import("codes-txt", &order, &out, PCS_2099));
    let r = rows(&out);
    assert_eq!(r[0].2, "N");
    assert_eq!(
        r[1],
        (
            "0DTJ4ZZ".into(),
            "Resection of Appendix, Percutaneous Endoscopic Approach".into(),
            "Y".into()
        )
    );
}

#[test]
fn mapped_csv_missing_column_lists_the_existing_ones() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "site.csv", "Code,Text\n99990,Made-up visit\n");
    let o = import(
        "csv",
        &f,
        Path::new("-"),
        &[
            "--code-column",
            "Code",
            "--title-column",
            "Descriptor",
            "--system",
            "cpt",
            "--version",
            "2099",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(
        e.contains("site.csv") && e.contains("Descriptor") && e.contains("'Text'"),
        "{e}"
    );
}

/// A made-up CPT-like file: the descriptions are written for this test, not
/// taken from the AMA's CPT.
const CPT_FIXTURE: &str = "Proc Code,Descriptor,Also Known As\n\
99990,\"Office visit for a headache, made-up description\",head pain consult\n\
99991,\"Removal of a splinter from a finger, made-up description\",sliver removal\n\
99992,\"Knee joint scope with cartilage trim, made-up description\",\n";

#[test]
fn user_cpt_file_is_importable_searchable_kept_apart_with_ama_notice() {
    let dir = tempfile::tempdir().unwrap();
    let src = write(dir.path(), "site-cpt.csv", CPT_FIXTURE);
    let manual = dir.path().join("cpt.csv");
    let o = import(
        "csv",
        &src,
        &manual,
        &[
            "--code-column",
            "Proc Code",
            "--title-column",
            "Descriptor",
            "--synonyms-column",
            "Also Known As",
            "--system",
            "cpt",
            "--version",
            "2099",
        ],
    );
    ok(&o);
    let index = dir.path().join("user.mcx");
    let spec = format!("cpt={}", manual.display());
    ok(&build(&[], &spec, &index));
    let idx = index.to_str().unwrap();

    let o = run(&[
        "--index",
        idx,
        "suggest",
        "--system",
        "cpt",
        "splinter removal from finger",
    ]);
    ok(&o);
    let text = stdout(&o);
    assert!(text.contains("99991"), "{text}");
    assert_eq!(text.matches(AMA).count(), 1, "{text}");

    let o = run(&[
        "--index",
        idx,
        "suggest",
        "--system",
        "cpt",
        "--format",
        "jsonl",
        "head pain consult",
    ]);
    assert_eq!(
        jsonl_codes(&stdout(&o))[0].first().map(String::as_str),
        Some("99990")
    );
    assert!(!stdout(&o).contains(AMA));
    assert_eq!(stderr(&o).matches(AMA).count(), 1, "{}", stderr(&o));

    let o = run(&["--index", idx, "lookup", "99992"]);
    assert_eq!(stdout(&o).matches(AMA).count(), 1, "{}", stdout(&o));

    // The bundled manuals are still there, untouched, and unaware of CPT.
    let o = run(&[
        "--index",
        idx,
        "suggest",
        "--system",
        "icd10cm",
        "--format",
        "jsonl",
        "type 2 diabetes mellitus with diabetic neuropathy",
    ]);
    assert_eq!(
        jsonl_codes(&stdout(&o))[0].first().map(String::as_str),
        Some("E11.40")
    );
    assert!(!stderr(&o).contains(AMA));
    let o = run(&["lookup", "99990"]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "the bundled index must not know the user's CPT codes"
    );
}

#[test]
fn bundled_pcs_is_labelled_with_the_release_of_the_date_of_service() {
    let o = run(&["lookup", "0DTJ4ZZ", "--date", "2026-06-01"]);
    assert_shows_0dtj4zz_of(&o, "icd10pcs 2026");
    let o = run(&["lookup", "0DTJ4ZZ", "--date", "2026-12-01"]);
    assert_shows_0dtj4zz_of(&o, "icd10pcs 2027");
}

#[test]
fn laparoscopic_appendectomy_suggests_0dtj4zz_in_top_3() {
    let codes = top_codes(&["--system", "icd10pcs"], "laparoscopic appendectomy");
    assert!(codes.iter().take(3).any(|c| c == "0DTJ4ZZ"), "{codes:?}");
}

/// A scope word with another operation gives only approach and body part:
/// its reading without "inspection" counts in full.
#[test]
fn a_scope_with_another_operation_reads_as_that_operation() {
    let codes = top_codes(
        &["--system", "icd10pcs"],
        "cystoscopy with removal of ureteral stent",
    );
    assert_eq!(
        codes.first().map(String::as_str),
        Some("0TP98DZ"),
        "{codes:?}"
    );
    let codes = top_codes(&["--system", "icd10pcs"], "cystoscopy");
    assert_eq!(
        codes.first().map(String::as_str),
        Some("0TJB8ZZ"),
        "{codes:?}"
    );
}

#[test]
fn open_cholecystectomy_suggests_0ft40zz_in_top_3() {
    let codes = top_codes(&["--system", "icd10pcs"], "open cholecystectomy");
    assert!(codes.iter().take(3).any(|c| c == "0FT40ZZ"), "{codes:?}");
}

#[test]
fn pcs_index_becomes_a_vocabulary_that_teaches_new_procedure_words() {
    let xml = reference("icd10pcs/icd10pcs_index_2025.xml");
    let dir = tempfile::tempdir().unwrap();
    // Any name: the file's first line declares its kind.
    let vocab = dir.path().join("pcs-index-words.tsv");
    let o = import("pcs-index", &xml, &vocab, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(&vocab).unwrap();
    assert!(text.starts_with("# kind: procedures\n"));
    assert!(
        text.contains("Appendectomy\tResection, Appendix"),
        "see references kept"
    );
    assert!(!text.contains("0DTJ"), "no codes in a vocabulary file");

    let index = dir.path().join("with-index-words.mcx");
    let o = run(&[
        "build",
        "--vocab",
        vocab.to_str().unwrap(),
        "-o",
        index.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    // A word neither the manuals nor their word parts read (word parts
    // read "abdomino|hysterectomy" since they cover diagnosis compounds).
    let word = "arytenoidectomy";
    assert!(
        top_codes(&["--system", "icd10pcs"], word).is_empty(),
        "unknown without the index words"
    );
    let codes = top_codes(
        &["--index", index.to_str().unwrap(), "--system", "icd10pcs"],
        word,
    );
    assert!(
        codes.iter().take(3).any(|c| c.starts_with("0CBS")),
        "{codes:?}"
    );
}
