//! The index format on the small test manual ([`super::testkit`]): what
//! the builder writes, the reader reads back; defaults and flags are
//! derived from the hierarchy; damage is refused.

use super::format::*;
use super::testkit::{self, doc};
use super::*;
use crate::vocab::ExpansionKind;

#[test]
fn every_row_reads_back_as_written() {
    let idx = testkit::index();
    let manuals = testkit::manuals();
    let rows: usize = manuals.iter().map(|m| m.entries.len()).sum();
    assert_eq!(idx.doc_count(), rows);
    let infos: Vec<&ManualInfo> = manuals.iter().map(|m| &m.info).collect();
    assert_eq!(idx.meta().manuals.iter().collect::<Vec<_>>(), infos);
    let mut id = 0u32;
    for (system, m) in manuals.iter().enumerate() {
        for e in &m.entries {
            let d = idx.doc(id);
            assert_eq!((d.code, d.title), (e.code.as_str(), e.title.as_str()));
            // The unchecked accessors read the same strings.
            assert_eq!((idx.doc_code(id), idx.doc_title(id)), (d.code, d.title));
            assert_eq!(d.billable(), e.billable, "{}", e.code);
            assert_eq!(d.system as usize, system, "{}", e.code);
            assert_eq!(
                d.is_code(),
                e.kind == crate::manual::Kind::Code,
                "{}",
                e.code
            );
            let parent = d.parent.map(|p| idx.doc(p).code.to_string());
            assert_eq!(parent, e.parent, "{}", e.code);
            assert_eq!(idx.detail(id).synonyms, e.synonyms, "{}", e.code);
            assert_eq!(idx.find_code(&e.code), [id], "{}", e.code);
            id += 1;
        }
    }
    // Codes are found however they are typed.
    assert_eq!(idx.find_code("e1140"), [doc(idx, "E11.40")]);
}

#[test]
fn building_twice_gives_the_same_bytes() {
    assert_eq!(testkit::bytes(), testkit::bytes());
}

#[test]
fn a_damaged_or_truncated_index_is_refused_with_the_fix() {
    let mut bytes = testkit::bytes();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x40;
    let Err(err) = Index::from_bytes(bytes, Path::new("x.mcx")) else {
        panic!("a damaged index opened");
    };
    assert!(matches!(err, Error::Corrupt { .. }), "{err}");
    assert!(err.to_string().contains("medcoder build"), "{err}");
    let mut bytes = testkit::bytes();
    bytes.truncate(bytes.len() - 5);
    assert!(Index::from_bytes(bytes, Path::new("x.mcx")).is_err());
    assert!(Index::from_bytes(Vec::new(), Path::new("x.mcx")).is_err());
}

#[test]
fn a_header_defaults_to_the_code_that_adds_no_detail() {
    let idx = testkit::index();
    let default = |code: &str| {
        let d = idx.doc(doc(idx, code)).default_child;
        d.map(|d| idx.doc(d).code.to_string())
    };
    assert_eq!(
        default("E11").as_deref(),
        Some("E11.9"),
        "without complications"
    );
    assert_eq!(default("E11.4").as_deref(), Some("E11.40"), "unspecified");
    assert_eq!(default("I50").as_deref(), Some("I50.9"));
    assert_eq!(
        default("S93.401").as_deref(),
        Some("S93.401A"),
        "initial encounter"
    );
    // Through two levels of headers, to a billable code.
    assert_eq!(default("S93.40").as_deref(), Some("S93.401A"));
    assert_eq!(default("I10"), None, "a billable code has none");
    assert_eq!(default("E08-E13"), None, "a block has none");
}

#[test]
fn seventh_characters_and_nos_terms_are_flagged() {
    let idx = testkit::index();
    let flags = |code: &str| idx.doc(doc(idx, code)).flags;
    assert_eq!(
        flags("S93.401A") & (FLAG_SEVENTH | FLAG_NONDEFAULT_SEVENTH),
        FLAG_SEVENTH
    );
    assert_ne!(flags("S93.401D") & FLAG_NONDEFAULT_SEVENTH, 0);
    assert_eq!(flags("S93.401") & FLAG_SEVENTH, 0);
    assert_ne!(flags("E11") & FLAG_HAS_NOS, 0, "Diabetes NOS");
    assert_eq!(flags("E10") & FLAG_HAS_NOS, 0);
    assert_ne!(flags("4") & FLAG_CHAPTER, 0);
    assert_ne!(flags("E08-E13") & FLAG_BLOCK, 0);
}

#[test]
fn chapter_and_block_titles_are_context_not_postings() {
    let idx = testkit::index();
    let (_, analyzer) = idx.vocabulary().unwrap();
    let term = |w: &str| idx.term_id(&analyzer.normalize_word(w).unwrap()).unwrap();
    // "endocrine" is only in a chapter title: a term, but never a candidate.
    assert_eq!(idx.postings(term("endocrine")).len(), 0);
    let chapter = doc(idx, "4");
    let name = idx.name(idx.title_name(chapter).unwrap());
    assert!(idx.name_terms(&name).any(|(t, _)| t == term("endocrine")));
    // "ligament" is in the titles of nine codes (and of no chapter).
    let holders: Vec<u32> = idx.postings(term("ligament")).collect();
    assert_eq!(holders.len(), 9);
    assert!(holders.iter().all(|n| idx.doc(idx.name(*n).doc).is_code()));
    // Rarer terms weigh more.
    assert!(idx.idf(term("polyneuropathy")) > idx.idf(term("ligament")));
}

#[test]
fn names_hold_titles_and_inclusion_terms_with_optional_words() {
    let idx = testkit::index();
    let i10 = doc(idx, "I10");
    let first = idx.title_name(i10).unwrap();
    let title = idx.name(first);
    let synonym = idx.name(first + 1);
    assert_eq!((title.doc, title.kind), (i10, NAME_TITLE));
    assert_eq!((synonym.doc, synonym.kind), (i10, NAME_SYNONYM));
    // "(primary)" is a nonessential modifier.
    let optional: Vec<String> = idx
        .name_terms(&title)
        .filter(|(_, opt)| *opt)
        .map(|(t, _)| idx.term_text(t))
        .collect();
    assert_eq!(optional, ["primari"]);
    let e11 = idx.name(idx.title_name(doc(idx, "E11")).unwrap() + 1);
    assert_eq!(e11.kind, NAME_NOS);
    // The 7th character's words are optional: they choose, never cost.
    let d = idx.name(idx.title_name(doc(idx, "S93.401D")).unwrap());
    let optional: Vec<String> = idx
        .name_terms(&d)
        .filter(|(_, opt)| *opt)
        .map(|(t, _)| idx.term_text(t))
        .collect();
    assert_eq!(optional, ["subsequ", "encount"]);
}

#[test]
fn vocabulary_phrases_are_stored_normalised() {
    let idx = testkit::index();
    let (_, analyzer) = idx.vocabulary().unwrap();
    let htn = idx.phrase(&analyzer.phrase_key("HTN")).unwrap();
    assert_eq!(htn.len(), 1);
    assert_eq!(
        (htn[0].kind, htn[0].to.as_str()),
        (ExpansionKind::Abbreviation, "hypertension")
    );
    // Synonyms are stored both ways; keys are normalised ("kidneys").
    assert!(idx.has_phrase(&analyzer.phrase_key("kidneys")));
    assert!(idx.has_phrase(&analyzer.phrase_key("renal")));
    assert!(idx.phrase(&analyzer.phrase_key("appendix")).is_none());
    assert_eq!(idx.meta().vocabulary.len(), 4);
}

#[test]
fn title_weights_damp_markers_and_raise_context_words() {
    let idx = testkit::index();
    let (_, analyzer) = idx.vocabulary().unwrap();
    let weights = TitleWeights::new(&analyzer, |w| idx.term_id(w), Vec::new());
    let term = |w: &str| idx.term_id(&analyzer.normalize_word(w).unwrap()).unwrap();
    let (unspecified, newborn, sprain) = (term("unspecified"), term("newborn"), term("sprain"));
    assert!(weights.is_marker(unspecified));
    assert_eq!(
        weights.of(unspecified, 2.0),
        2.0 * title_weights::MARKER_DAMPING
    );
    assert_eq!(
        weights.of(newborn, 2.0),
        2.0 * title_weights::CONTEXT_WEIGHT
    );
    assert_eq!(weights.of(sprain, 2.0), 2.0);
}

#[test]
fn an_open_index_keeps_only_the_word_tables_of_its_vocabulary() {
    use crate::vocab::FileKind;
    let kinds = |files: &[VocabFile]| -> Vec<FileKind> {
        files.iter().map(|f| FileKind::of(f).unwrap()).collect()
    };
    let mut files = testkit::vocabulary();
    files.push(VocabFile {
        name: "spelling.tsv".into(),
        text: "# kind: spelling\ncolour\tcolor\n".into(),
    });
    let built = kinds(&files);
    assert!(built.iter().any(|k| k.phrases_only()), "{built:?}");
    let bytes = build::build(&testkit::manuals(), &files).unwrap();
    let idx = Index::from_bytes(bytes, Path::new("test.mcx")).unwrap();
    let words: Vec<FileKind> = built.into_iter().filter(|k| !k.phrases_only()).collect();
    assert_eq!(kinds(&idx.vocab_files), words);
    assert_eq!(
        idx.vocabulary().unwrap().1.spelling_of("colour"),
        Some("color")
    );
}

#[test]
fn a_long_detail_is_stored_packed_and_reads_back_whole() {
    let mut manuals = testkit::manuals();
    let paths: Vec<String> = (0..200)
        .map(|i| format!("Neoplasm, site {i}, malignant primary"))
        .collect();
    let row = manuals[0]
        .entries
        .iter_mut()
        .find(|e| e.code == "I10")
        .unwrap();
    row.index_paths = paths.clone();
    let json = serde_json::to_vec(&Detail::of(row)).unwrap();
    let bytes = build::build(&manuals, &testkit::vocabulary()).unwrap();
    let idx = Index::from_bytes(bytes, Path::new("test.mcx")).unwrap();
    let i10 = doc(&idx, "I10");
    let stored = idx.detail_bytes(i10);
    assert_eq!(stored.first(), Some(&DETAIL_PACKED));
    assert!(
        stored.len() * 2 < json.len(),
        "{} of {}",
        stored.len(),
        json.len()
    );
    assert_eq!(idx.detail(i10).index_paths, paths);
    // The others read back as without it (packed or JSON).
    for code in ["E11", "E10", "S93.401A", "I50"] {
        let d = doc(&idx, code);
        assert_eq!(idx.detail(d), testkit::index().detail(d), "{code}");
    }
    assert!(!idx.detail(doc(&idx, "E11")).synonyms.is_empty());
}
