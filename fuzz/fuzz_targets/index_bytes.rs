//! The index reader on damaged bytes whose checksum is valid: the input is
//! a list of patches (offset, value) applied to a real small index, the
//! CRC is recomputed, and the result must be refused or answer queries,
//! lookups and hierarchy walks without a panic or a hang.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use medcoder::index::Index;
use medcoder::search::{Matcher, Scratch, SearchOptions};

// The small index is built in libFuzzer's init, so its build does not
// count against the first unit's time limit.
fuzz_target!(init: {
    common::small_index_bytes();
}, |data: &[u8]| {
    let mut bytes = common::small_index_bytes().to_vec();
    let body = bytes.len() - 12;
    for p in data.chunks_exact(5) {
        let at = u32::from_le_bytes([p[0], p[1], p[2], p[3]]) as usize;
        // Most patches land in the header and section table, where one
        // changed byte moves a whole section.
        let at = if p[0] & 0x80 == 0 { at % 512 } else { at % body };
        bytes[at.min(body - 1)] = p[4];
    }
    let crc = crc32(&bytes[..body]);
    bytes[body..body + 4].copy_from_slice(&crc.to_le_bytes());
    let Ok(idx) = Index::from_bytes(bytes, std::path::Path::new("fuzz.mcx")) else {
        return;
    };
    for code in ["A00", "A00.0", "B99.9", "A01.0", "x"] {
        for doc in idx.find_code(code) {
            let _ = idx.doc(doc);
            let _ = idx.detail(doc);
            let _ = idx.ancestors(doc);
            let _ = idx.billable_descendants(doc);
        }
    }
    let Ok(matcher) = Matcher::new(&idx) else {
        return;
    };
    let opts = SearchOptions {
        limit: 5,
        systems: Vec::new(),
        explain: true,
        date: None,
    };
    for q in ["cholera", "typhoid fever", "intestinal infecton", "TB of lung"] {
        let _ = matcher.search(q, &opts, &mut Scratch::default());
    }
});

/// CRC-32 (IEEE), as the index footer has it.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}
