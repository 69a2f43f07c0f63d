//! A small index for the fuzz targets, built once per process from the
//! first rows of the bundled ICD-10-CM manual and the bundled vocabulary.

use medcoder::index::{Index, ManualInfo, ManualSource, build::build};
use std::path::Path;
use std::sync::OnceLock;

/// Rows of the bundled manual used (chapters, blocks and codes of A00-B99).
const ROWS: usize = 1500;

/// The small index's bytes.
pub fn small_index_bytes() -> &'static [u8] {
    static BYTES: OnceLock<Vec<u8>> = OnceLock::new();
    BYTES.get_or_init(|| {
        let csv = medcoder::store::BUNDLED[0].bytes;
        let end = csv
            .iter()
            .enumerate()
            .filter(|(_, b)| **b == b'\n')
            .nth(ROWS)
            .map_or(csv.len(), |(i, _)| i + 1);
        let entries = medcoder::manual::read_entries(&csv[..end], "fuzz", "icd10cm", "2026", 10_000)
            .expect("the bundled manual reads");
        let source = ManualSource {
            info: ManualInfo {
                system: "icd10cm".into(),
                version: "2026".into(),
                source: "fuzz".into(),
                entries: entries.len(),
                file_stamp: None,
                user: false,
                releases: Vec::new(),
            },
            entries,
            validity: Vec::new(),
        };
        build(&[source], &medcoder::vocab::bundled()).expect("the small index builds")
    })
}

/// The small index, opened (every target but index_bytes).
#[allow(dead_code)]
pub fn small_index() -> &'static Index<Vec<u8>> {
    static INDEX: OnceLock<Index<Vec<u8>>> = OnceLock::new();
    INDEX.get_or_init(|| {
        Index::from_bytes(small_index_bytes().to_vec(), Path::new("fuzz.mcx")).expect("it opens")
    })
}
