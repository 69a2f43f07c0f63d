//! The coder's other books: the importers of the CDC index family against
//! the reference files (counts, and the bundled files are exactly their
//! output), validation of gone codes, and search over the Drug and
//! Neoplasm tables and the External Cause Index.

use crate::util::*;
use std::path::{Path, PathBuf};

/// A CDC reference file; the test fails when it is absent.
fn reference(file: &str) -> PathBuf {
    let p = reference_dir().join("icd10cm").join(file);
    assert!(
        p.exists(),
        "{} is absent: the CDC reference files live in ../shared/reference (or set MEDCODER_REFERENCE_DIR)",
        p.display()
    );
    p
}

/// Imports `xml` with `import KIND`, checks the counts on the file's
/// comment lines and that the bundled `data/FILE` is that output, byte for
/// byte.
fn imports_to_the_bundled_file(kind: &str, xml: &str, bundled: &str, counts: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("paths.tsv");
    ok(&import(kind, &reference(xml), &out, &[]));
    let text = std::fs::read_to_string(&out).unwrap();
    let header: String = text.lines().take_while(|l| l.starts_with('#')).collect();
    for c in counts {
        assert!(header.contains(c), "{c} not in:\n{header}");
    }
    let data = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("data")
        .join(bundled);
    assert!(
        std::fs::read_to_string(&data).unwrap() == text,
        "data/{bundled} is not what `medcoder import {kind} {xml}` gives: regenerate it (data/PROVENANCE.md)"
    );
}

#[test]
fn external_cause_index_import_counts_and_is_the_bundled_file() {
    imports_to_the_bundled_file(
        "icd10cm-index",
        "icd-10-cm-eindex-2025.xml",
        "icd10cm-eindex-2025.tsv",
        &[
            "314 main terms, 7750 subterms",
            "592 see/see-also references followed, 296 to another book",
            "10693 kept, 0 replaced by their only child, 0 dropped",
            "10693 index paths",
        ],
    );
}

#[test]
fn drug_table_import_counts_and_is_the_bundled_file() {
    imports_to_the_bundled_file(
        "icd10cm-drug",
        "icd-10-cm-drug-2025.xml",
        "icd10cm-drug-2025.tsv",
        &[
            "5177 main terms, 2251 subterms",
            "42116 kept, 0 replaced by their only child, 0 dropped",
            "42116 index paths",
        ],
    );
}

#[test]
fn neoplasm_table_import_counts_and_is_the_bundled_file() {
    imports_to_the_bundled_file(
        "icd10cm-neoplasm",
        "icd-10-cm-neoplasm-2025.xml",
        "icd10cm-neoplasm-2025.tsv",
        &[
            "1 main terms, 1938 subterms",
            "18008 kept, 0 replaced by their only child, 0 dropped",
            "18008 index paths",
        ],
    );
}

#[test]
fn a_code_the_release_lacks_takes_its_only_child_or_is_dropped() {
    let dir = tempfile::tempdir().unwrap();
    let xml = dir.path().join("drug.xml");
    std::fs::write(
        &xml,
        r#"<ICD10CM.index><version>2025</version>
<indexHeading><head col="1">Substance</head><head col="2">Poisoning Accidental (unintentional)</head>
<head col="3">Poisoning Intentional self-harm</head></indexHeading>
<letter><title>N</title>
<mainTerm><title>Newdrug</title><cell col="2">T99.01</cell><cell col="3">T99.9</cell></mainTerm>
</letter></ICD10CM.index>"#,
    )
    .unwrap();
    let manual = dir.path().join("release.csv");
    std::fs::write(
        &manual,
        "system,version,code,title,billable,parent\n\
         icd10cm,2099,T99,Poisoning by new drugs,N,\n\
         icd10cm,2099,T99.011,\"Poisoning by new drug, accidental\",Y,T99\n\
         icd10cm,2099,T99.91,\"Poisoning by other new drug\",Y,T99\n\
         icd10cm,2099,T99.92,\"Poisoning by other new drug, self-harm\",Y,T99\n",
    )
    .unwrap();
    let out = dir.path().join("paths.tsv");
    let against = ["--against", manual.to_str().unwrap()];
    ok(&import("icd10cm-drug", &xml, &out, &against));
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(
        text.contains("against icd10cm 2099: 0 kept, 1 replaced by their only child, 1 dropped"),
        "{text}"
    );
    let lines: Vec<&str> = text.lines().filter(|l| !l.starts_with('#')).collect();
    assert_eq!(
        lines,
        ["T99.011\tNewdrug, poisoning (accidental) (unintentional)"]
    );
}

#[test]
fn a_table_given_to_the_index_importer_names_the_right_command() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("paths.tsv");
    let o = import(
        "icd10cm-index",
        &reference("icd-10-cm-neoplasm-2025.xml"),
        &out,
        &[],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("use `medcoder import icd10cm-neoplasm`"),
        "{}",
        stderr(&o)
    );
    assert!(!out.exists());
}

/// The top code of each phrase, run as one jsonl pipeline.
fn tops(phrases: &[&str]) -> Vec<Vec<String>> {
    let input = phrases.join("\n") + "\n";
    let o = run_with_stdin(
        medcoder().args(["suggest", "--format", "jsonl", "-n", "5"]),
        input.as_bytes(),
    );
    ok(&o);
    jsonl_codes(&stdout(&o))
}

#[test]
fn drug_table_gives_the_intent_asked_for_and_accidental_by_default() {
    let cases = [
        ("advil overdose", "T39.311A"),
        ("gabapentin toxicity", "T42.6X1A"),
        ("neurontin overdose, suicide attempt", "T42.6X2A"),
        ("lorazepam poisoning, assault", "T42.4X3A"),
        ("tylenol overdose, intent unknown", "T39.1X4A"),
        ("adverse effect of atorvastatin", "T46.6X5A"),
        (
            "allergic reaction to amoxicillin properly taken",
            "T36.0X5A",
        ),
        ("missed doses of keppra", "T42.6X6A"),
    ];
    let got = tops(&cases.map(|c| c.0));
    for ((q, want), codes) in cases.iter().zip(&got) {
        assert_eq!(
            codes.first().map(String::as_str),
            Some(*want),
            "{q}: {codes:?}"
        );
    }
}

#[test]
fn neoplasm_table_site_wording_and_behaviour() {
    let cases = [
        ("cancer of the ampulla of vater", "C24.1"),
        ("carcinoma in situ of the vocal cord", "D02.0"),
        ("benign tumor of the spinal cord", "D33.4"),
        ("mets to the vertebra", "C79.51"),
    ];
    let got = tops(&cases.map(|c| c.0));
    for ((q, want), codes) in cases.iter().zip(&got) {
        assert_eq!(
            codes.first().map(String::as_str),
            Some(*want),
            "{q}: {codes:?}"
        );
    }
}

#[test]
fn external_cause_index_hit_by_a_falling_tree_is_w20_8_not_a_fall_from_a_tree() {
    let got = tops(&["hit by a falling tree"]);
    assert_eq!(
        got[0].first().map(String::as_str),
        Some("W20.8XXA"),
        "{got:?}"
    );
}

#[test]
fn explain_names_the_index_path_that_matched() {
    let o = run(&["suggest", "--explain", "-n", "1", "lipitor overdose"]);
    ok(&o);
    let out = stdout(&o);
    assert!(out.contains("T46.6X1A"), "{out}");
    assert!(
        out.contains("matched index path: \"Antihyperlipidemic drug, poisoning (accidental) (unintentional)\""),
        "{out}"
    );
    assert!(
        out.contains("Lipitor → atorvastatin → antihyperlipidemic drug"),
        "{out}"
    );
}

#[test]
fn drug_names_hold_at_least_300_brands_and_no_codes() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("data/vocab/drug_names.tsv"),
    )
    .unwrap();
    let brands: std::collections::HashSet<&str> = text
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_once('\t'))
        .map(|(from, _)| from)
        .filter(|from| from.starts_with(|c: char| c.is_ascii_uppercase()))
        .collect();
    assert!(brands.len() >= 300, "{} brands", brands.len());
    let code = first_code_shaped_word(&text);
    assert!(code.is_none(), "a code in drug_names.tsv: {code:?}");
}

/// The first word shaped like an ICD-10 code (letter, two digits, a dot).
fn first_code_shaped_word(text: &str) -> Option<String> {
    text.split(|c: char| c.is_whitespace())
        .find(|w| {
            let b = w.as_bytes();
            b.len() >= 4
                && b[0].is_ascii_uppercase()
                && b[1].is_ascii_digit()
                && b[2].is_ascii_alphanumeric()
                && b[3] == b'.'
        })
        .map(String::from)
}
