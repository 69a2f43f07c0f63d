//! The query pipeline: any text, analysed and searched, with and without
//! an explanation and a system filter.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use medcoder::search::{Matcher, Scratch, SearchOptions};

// The small index is built in libFuzzer's init, so its build does not
// count against the first unit's time limit.
fuzz_target!(init: {
    common::small_index();
}, |data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let matcher = Matcher::new(common::small_index()).expect("matcher");
    let opts = SearchOptions {
        limit: 5,
        systems: Vec::new(),
        explain: data.first().is_some_and(|b| b & 1 == 1),
        date: None,
    };
    let r = matcher.search(&text, &opts, &mut Scratch::default());
    assert!(r.suggestions.len() <= 5);
    for s in &r.suggestions {
        assert!(s.score.is_finite() && (0.0..=1.5).contains(&s.score));
    }
});
