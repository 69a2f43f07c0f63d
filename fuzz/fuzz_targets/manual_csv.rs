//! The manual CSV reader: any bytes give entries or an error, never a
//! panic, and an error never quotes a cell.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = medcoder::manual::read_entries(data, "fuzz.csv", "cpt", "2026", 50);
});
