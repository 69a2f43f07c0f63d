//! The batch row reader and coder: any bytes as an encounter CSV give
//! output rows or an error, never a panic; output keeps every input row.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use medcoder::batch::{Format, Options, run};
use medcoder::search::Matcher;

// The small index is built in libFuzzer's init, so its build does not
// count against the first unit's time limit.
fuzz_target!(init: {
    common::small_index();
}, |data: &[u8]| {
    let Some((&flags, csv)) = data.split_first() else {
        return;
    };
    let matcher = Matcher::new(common::small_index()).expect("matcher");
    let opts = Options {
        column: if flags & 1 == 1 { "2".into() } else { "dx".into() },
        delimiter: if flags & 2 == 2 { b'\t' } else { b',' },
        has_header: flags & 4 == 0,
        format: if flags & 8 == 8 { Format::Jsonl } else { Format::Csv },
        alternatives: 2,
        min_score: 0.5,
        split: (flags & 16 == 16).then(|| ";".to_string()),
        max_cell: 200,
        max_quoted_lines: 20,
        systems: Vec::new(),
        date: medcoder::release::parse_date("2026-12-01", "fuzz").expect("a date"),
        date_column: (flags & 32 == 32).then(|| "3".to_string()),
        check: flags & 64 == 64,
        check_column: (flags & 128 == 128).then(|| "1".to_string()),
        prefix: "medcoder_".into(),
    };
    let mut out = Vec::new();
    let _ = run(&matcher, csv, "fuzz.csv", &mut out, "<out>", &opts, &mut |_| {});
});
