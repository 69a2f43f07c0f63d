//! A small manual and vocabulary written for unit tests, built in memory
//! ([`super::build::build`] → [`Index::from_bytes`]), so ranking and the
//! index format can be tested without the bundled 98k-code manual. The
//! titles follow the ICD-10-CM and ICD-10-PCS tabular style; the
//! vocabulary lines are our own.

use super::{Index, ManualInfo, ManualSource};
use crate::manual::{Entry, Kind};
use crate::vocab::VocabFile;
use std::path::Path;
use std::sync::OnceLock;

/// Diagnosis rows: (code, title, billable, parent, inclusion terms).
#[rustfmt::skip]
const DIAGNOSES: &[(&str, &str, bool, &str, &[&str])] = &[
    ("4", "Endocrine, nutritional and metabolic diseases", false, "", &[]),
    ("E08-E13", "Diabetes mellitus", false, "4", &[]),
    ("E10", "Type 1 diabetes mellitus", false, "E08-E13", &[]),
    ("E10.9", "Type 1 diabetes mellitus without complications", true, "E10", &[]),
    ("E11", "Type 2 diabetes mellitus", false, "E08-E13", &["Diabetes NOS"]),
    ("E11.4", "Type 2 diabetes mellitus with neurological complications", false, "E11", &[]),
    ("E11.40", "Type 2 diabetes mellitus with diabetic neuropathy, unspecified", true, "E11.4", &[]),
    ("E11.42", "Type 2 diabetes mellitus with diabetic polyneuropathy", true, "E11.4", &[]),
    ("E11.62", "Type 2 diabetes mellitus with skin complications", false, "E11", &[]),
    ("E11.621", "Type 2 diabetes mellitus with foot ulcer", true, "E11.62", &[]),
    ("E11.9", "Type 2 diabetes mellitus without complications", true, "E11", &[]),
    ("9", "Diseases of the circulatory system", false, "", &[]),
    ("I10-I1A", "Hypertensive diseases", false, "9", &[]),
    ("I10", "Essential (primary) hypertension", true, "I10-I1A", &["High blood pressure"]),
    ("I30-I5A", "Other forms of heart disease", false, "9", &[]),
    ("I50", "Heart failure", false, "I30-I5A", &[]),
    ("I50.2", "Systolic (congestive) heart failure", false, "I50", &[]),
    ("I50.20", "Unspecified systolic (congestive) heart failure", true, "I50.2", &[]),
    ("I50.21", "Acute systolic (congestive) heart failure", true, "I50.2", &[]),
    ("I50.9", "Heart failure, unspecified", true, "I50", &[]),
    ("10", "Diseases of the respiratory system", false, "", &[]),
    ("J09-J18", "Influenza and pneumonia", false, "10", &[]),
    ("J18", "Pneumonia, unspecified organism", false, "J09-J18", &[]),
    ("J18.9", "Pneumonia, unspecified organism", true, "J18", &[]),
    ("J80-J84", "Other respiratory diseases principally affecting the interstitium", false, "10", &[]),
    ("J80", "Acute respiratory distress syndrome", true, "J80-J84", &[]),
    ("16", "Certain conditions originating in the perinatal period", false, "", &[]),
    ("P19-P29", "Respiratory and cardiovascular disorders specific to the perinatal period", false, "16", &[]),
    ("P22.0", "Respiratory distress syndrome of newborn", true, "P19-P29", &[]),
    ("19", "Injury, poisoning and certain other consequences of external causes", false, "", &[]),
    ("S90-S99", "Injuries to the ankle and foot", false, "19", &[]),
    ("S93.40", "Sprain of unspecified ligament of ankle", false, "S90-S99", &[]),
    ("S93.401", "Sprain of unspecified ligament of right ankle", false, "S93.40", &[]),
    ("S93.401A", "Sprain of unspecified ligament of right ankle, initial encounter", true, "S93.401", &[]),
    ("S93.401D", "Sprain of unspecified ligament of right ankle, subsequent encounter", true, "S93.401", &[]),
    ("S93.401S", "Sprain of unspecified ligament of right ankle, sequela", true, "S93.401", &[]),
    ("S93.402", "Sprain of unspecified ligament of left ankle", false, "S93.40", &[]),
    ("S93.402A", "Sprain of unspecified ligament of left ankle, initial encounter", true, "S93.402", &[]),
    ("S93.402D", "Sprain of unspecified ligament of left ankle, subsequent encounter", true, "S93.402", &[]),
    ("S93.402S", "Sprain of unspecified ligament of left ankle, sequela", true, "S93.402", &[]),
];

/// Procedure rows, all billable: (code, title).
#[rustfmt::skip]
const PROCEDURES: &[(&str, &str)] = &[
    ("0DTJ0ZZ", "Resection of Appendix, Open Approach"),
    ("0DTJ4ZZ", "Resection of Appendix, Percutaneous Endoscopic Approach"),
    ("0FT44ZZ", "Resection of Gallbladder, Percutaneous Endoscopic Approach"),
];

/// Vocabulary files: (name, text).
const VOCABULARY: &[(&str, &str)] = &[
    (
        "abbreviations.tsv",
        "# kind: abbreviations\nHTN\thypertension\nDM2\ttype 2 diabetes mellitus\nCHF\tcongestive heart failure\n\
         ARDS\tacute respiratory distress syndrome\nlap\tpercutaneous endoscopic\n",
    ),
    ("synonyms.tsv", "# kind: synonyms\nkidney\trenal\n"),
    (
        "lay_terms.tsv",
        "# kind: lay_terms\nsugar diabetes\tdiabetes mellitus\nsprained\tsprain\n",
    ),
    (
        "procedures.tsv",
        "# kind: procedures\nappendectomy\tresection of appendix\n",
    ),
];

/// The test manuals: an ICD-10-CM-like diagnosis manual and a PCS-like
/// procedure manual.
pub fn manuals() -> Vec<ManualSource> {
    let diagnoses = DIAGNOSES
        .iter()
        .map(|(code, title, billable, parent, synonyms)| Entry {
            system: "icd10cm".into(),
            version: "test".into(),
            code: code.to_string(),
            title: title.to_string(),
            billable: *billable,
            kind: if code.contains('-') {
                Kind::Block
            } else if code.bytes().all(|b| b.is_ascii_digit()) {
                Kind::Chapter
            } else {
                Kind::Code
            },
            parent: (!parent.is_empty()).then(|| parent.to_string()),
            synonyms: synonyms.iter().map(|s| s.to_string()).collect(),
            ..Entry::default()
        })
        .collect();
    let procedures = PROCEDURES
        .iter()
        .map(|(code, title)| Entry {
            system: "icd10pcs".into(),
            version: "test".into(),
            code: code.to_string(),
            title: title.to_string(),
            billable: true,
            ..Entry::default()
        })
        .collect();
    [("icd10cm", diagnoses), ("icd10pcs", procedures)]
        .into_iter()
        .map(|(system, entries): (&str, Vec<Entry>)| ManualSource {
            info: ManualInfo {
                system: system.into(),
                version: "test".into(),
                source: format!("test:{system}"),
                entries: entries.len(),
                file_stamp: None,
                user: false,
                releases: Vec::new(),
            },
            entries,
            validity: Vec::new(),
        })
        .collect()
}

/// The test vocabulary.
pub fn vocabulary() -> Vec<VocabFile> {
    VOCABULARY
        .iter()
        .map(|(name, text)| VocabFile {
            name: name.to_string(),
            text: text.to_string(),
        })
        .collect()
}

/// The bytes of the test index.
pub fn bytes() -> Vec<u8> {
    super::build::build(&manuals(), &vocabulary()).expect("the test manual builds")
}

/// The test index, read from memory (built once per test binary).
pub fn index() -> &'static Index<Vec<u8>> {
    static INDEX: OnceLock<Index<Vec<u8>>> = OnceLock::new();
    INDEX.get_or_init(|| {
        Index::from_bytes(bytes(), Path::new("test.mcx")).expect("the test index opens")
    })
}

/// The doc id of `code` (in whichever manual has it).
pub fn doc<D: AsRef<[u8]>>(index: &Index<D>, code: &str) -> u32 {
    *index
        .find_code(code)
        .first()
        .unwrap_or_else(|| panic!("{code} is in the test manual"))
}
