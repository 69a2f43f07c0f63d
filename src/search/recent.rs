//! The last few analyses made on a thread, so a text analyzed again soon
//! (each part of a compound phrase is analyzed for the coding and again
//! for its own search) is not analyzed twice. In memory only, a handful
//! of entries, never written anywhere. Not for: remembering answers
//! across a run (the batch and pipeline memos do that).

use super::query::Query;
use std::cell::RefCell;
use std::collections::VecDeque;

/// Analyses remembered per thread.
pub const RECENT_ANALYSES: usize = 8;

thread_local! {
    static RECENT: RefCell<VecDeque<(u64, String, Query)>> =
        const { RefCell::new(VecDeque::new()) };
}

/// The analysis of `text` for the index numbered `index` (its
/// [`crate::index::Index::instance`]): remembered, or `analyze()`d and
/// remembered. `analyze` must depend on nothing but the index and `text`.
pub fn analysis(index: u64, text: &str, analyze: impl FnOnce() -> Query) -> Query {
    let hit = RECENT.with(|r| {
        r.borrow()
            .iter()
            .find(|(i, t, _)| *i == index && t == text)
            .map(|(_, _, q)| q.clone())
    });
    if let Some(q) = hit {
        return q;
    }
    let q = analyze();
    RECENT.with(|r| {
        let mut r = r.borrow_mut();
        if r.len() >= RECENT_ANALYSES {
            r.pop_front();
        }
        r.push_back((index, text.to_string(), q.clone()));
    });
    q
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_is_analyzed_once_while_it_is_recent() {
        let runs = std::cell::Cell::new(0);
        let analyze = |text: &str| {
            analysis(u64::MAX, text, || {
                runs.set(runs.get() + 1);
                Query::default()
            })
        };
        analyze("chest pain");
        analyze("chest pain");
        assert_eq!(runs.get(), 1);
        for i in 0..RECENT_ANALYSES {
            analyze(&format!("other {i}"));
        }
        analyze("chest pain");
        assert_eq!(runs.get(), 2 + RECENT_ANALYSES);
    }
}
