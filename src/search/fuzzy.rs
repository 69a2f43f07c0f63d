//! Levenshtein walks over the index's fsts: which terms lie within one or
//! two edits of a word. Which corrections a query keeps, and how much they
//! are trusted, is [`super::analyze`]'s business.

use super::bounds::{MAX_FUZZY_WORD, may_fuzz};
use crate::index::Index;
use fst::raw::{Fst, Node, Output};
use levenshtein_automata::{DFA, Distance, LevenshteinAutomatonBuilder, SINK_STATE};
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::OnceLock;

/// Walks remembered per thread, per kind; the memo starts over when it
/// holds this many (a pipeline or batch meets the same words again and
/// again, and the parts of a compound query are analyzed twice).
pub const MEMO_WALKS: usize = 4096;

/// The results of walks made on this thread over one index, keyed by the
/// walk's arguments. In memory only, never written anywhere.
#[derive(Default)]
struct Memo {
    index: u64,
    within: HashMap<String, Vec<(u8, String, u32)>>,
    phrase_keys: HashMap<String, Vec<(u8, String)>>,
    first_words: HashMap<String, Vec<(u8, String)>>,
}

thread_local! {
    static MEMO: RefCell<Memo> = RefCell::default();
}

/// The result of the walk `key` names over `index`, from this thread's
/// memo (`table` of it) or else `compute()`d and remembered.
fn memo<D: AsRef<[u8]>, T: Clone>(
    index: &Index<D>,
    key: String,
    table: fn(&mut Memo) -> &mut HashMap<String, T>,
    compute: impl FnOnce() -> T,
) -> T {
    let hit = MEMO.with(|m| {
        let mut m = m.borrow_mut();
        if m.index != index.instance() {
            *m = Memo {
                index: index.instance(),
                ..Memo::default()
            };
        }
        table(&mut m).get(&key).cloned()
    });
    if let Some(v) = hit {
        return v;
    }
    let v = compute();
    MEMO.with(|m| {
        let mut m = m.borrow_mut();
        let t = table(&mut m);
        if t.len() >= MEMO_WALKS {
            t.clear();
        }
        t.insert(key, v.clone());
    });
    v
}

/// Builds DFAs for one distance, transpositions counting as one edit;
/// made once per process.
fn builder(distance: u8) -> &'static LevenshteinAutomatonBuilder {
    static L1: OnceLock<LevenshteinAutomatonBuilder> = OnceLock::new();
    static L2: OnceLock<LevenshteinAutomatonBuilder> = OnceLock::new();
    if distance == 1 {
        L1.get_or_init(|| LevenshteinAutomatonBuilder::new(1, true))
    } else {
        L2.get_or_init(|| LevenshteinAutomatonBuilder::new(2, true))
    }
}

/// Terms within `max` edits, but not none, of the stem in the term
/// dictionary or of the word as typed among the titles' own words
/// ("hypertensoin" → "hypertension"), as (edits, key, term): each term
/// once, at its closest distance, where it was first met (term dictionary
/// first, each fst in key order).
pub fn within<D: AsRef<[u8]>>(
    index: &Index<D>,
    word: &str,
    term: &str,
    max: u8,
) -> Vec<(u8, String, u32)> {
    if term.len() > MAX_FUZZY_WORD || !may_fuzz(word) {
        return Vec::new();
    }
    let key = format!("{max}\0{word}\0{term}");
    memo(
        index,
        key,
        |m| &mut m.within,
        || walk_within(index, word, term, max),
    )
}

fn walk_within<D: AsRef<[u8]>>(
    index: &Index<D>,
    word: &str,
    term: &str,
    max: u8,
) -> Vec<(u8, String, u32)> {
    let mut found: Vec<(u8, String, u32)> = Vec::new();
    let term_dfa = builder(max).build_dfa(term);
    let word_dfa = (word != term).then(|| builder(max).build_dfa(word));
    let walks = [
        (&term_dfa, index.terms()),
        (word_dfa.as_ref().unwrap_or(&term_dfa), index.words()),
    ];
    for (dfa, map) in walks {
        walk(map.as_fst(), dfa, |k, v, d| {
            if d == 0 {
                return;
            }
            match found.iter_mut().find(|(_, _, id)| *id == v) {
                Some(f) if f.0 > d => *f = (d, String::from_utf8_lossy(k).into_owned(), v),
                Some(_) => {}
                None => found.push((d, String::from_utf8_lossy(k).into_owned(), v)),
            }
        });
    }
    found
}

/// One-word vocabulary phrase keys of at least `min_len` bytes within
/// exactly the closest distance (1, then 2 if `max` allows and 1 finds
/// nothing) of `key`, in key order: a misspelled lay word
/// ("hyoopotassemia") finds its entry ("hypopotassemia").
pub fn phrase_keys_within<D: AsRef<[u8]>>(
    index: &Index<D>,
    key: &str,
    max: u8,
    min_len: usize,
) -> Vec<(u8, String)> {
    let Some(map) = index.phrase_keys().filter(|_| may_fuzz(key)) else {
        return Vec::new();
    };
    let memo_key = format!("{max}\0{min_len}\0{key}");
    memo(
        index,
        memo_key,
        |m| &mut m.phrase_keys,
        || walk_phrase_keys(map.as_fst(), key, max, min_len),
    )
}

fn walk_phrase_keys(fst: &Fst<&[u8]>, key: &str, max: u8, min_len: usize) -> Vec<(u8, String)> {
    for d in 1..=max {
        let dfa = builder(d).build_dfa(key);
        let mut found = Vec::new();
        walk(fst, &dfa, |k, _, e| {
            if e == d && k.len() >= min_len && !k.contains(&b' ') {
                found.push((e, String::from_utf8_lossy(k).into_owned()));
            }
        });
        if !found.is_empty() {
            return found;
        }
    }
    Vec::new()
}

/// First words of multi-word vocabulary phrase keys within the closest
/// distance (1, then 2 if `max` allows) of `key`, but not equal to it.
pub fn phrase_first_words_within<D: AsRef<[u8]>>(
    index: &Index<D>,
    key: &str,
    max: u8,
) -> Vec<(u8, String)> {
    let Some(map) = index.phrase_keys().filter(|_| may_fuzz(key)) else {
        return Vec::new();
    };
    let memo_key = format!("{max}\0{key}");
    memo(
        index,
        memo_key,
        |m| &mut m.first_words,
        || walk_first_words(map.as_fst(), key, max),
    )
}

fn walk_first_words(fst: &Fst<&[u8]>, key: &str, max: u8) -> Vec<(u8, String)> {
    for d in 1..=max {
        let dfa = builder(d).build_dfa(key);
        let mut found: Vec<(u8, String)> = Vec::new();
        let mut word = Vec::new();
        first_words(
            fst,
            &dfa,
            fst.root(),
            dfa.initial_state(),
            &mut word,
            &mut |w, e| {
                if e == d && !found.iter().any(|(_, f)| f.as_bytes() == w) {
                    found.push((e, String::from_utf8_lossy(w).into_owned()));
                }
            },
        );
        if !found.is_empty() {
            return found;
        }
    }
    Vec::new()
}

/// Walks the keys up to their first space; calls `hit(word, edits)` where
/// the DFA accepts the word before that space.
fn first_words<F: AsRef<[u8]>>(
    fst: &Fst<F>,
    dfa: &DFA,
    node: Node<'_>,
    state: u32,
    word: &mut Vec<u8>,
    hit: &mut impl FnMut(&[u8], u8),
) {
    for t in node.transitions() {
        if t.inp == b' ' {
            if let Distance::Exact(d) = dfa.distance(state) {
                hit(word, d);
            }
            continue;
        }
        let next = dfa.transition(state, t.inp);
        if next == SINK_STATE {
            continue;
        }
        word.push(t.inp);
        first_words(fst, dfa, fst.node(t.addr), next, word, hit);
        word.pop();
    }
}

/// Calls `hit(key, value, edits)` for every key of `fst` the DFA accepts,
/// in key order. A byte that sends the DFA to its sink state is never
/// followed: `fst`'s own automaton stream decodes and stacks the node
/// behind every transition before asking, and most transitions of a
/// Levenshtein walk lead nowhere.
fn walk<F: AsRef<[u8]>>(fst: &Fst<F>, dfa: &DFA, mut hit: impl FnMut(&[u8], u32, u8)) {
    let mut key = Vec::new();
    descend(
        fst,
        dfa,
        fst.root(),
        dfa.initial_state(),
        Output::zero(),
        &mut key,
        &mut hit,
    );
}

fn descend<F: AsRef<[u8]>>(
    fst: &Fst<F>,
    dfa: &DFA,
    node: Node<'_>,
    state: u32,
    out: Output,
    key: &mut Vec<u8>,
    hit: &mut impl FnMut(&[u8], u32, u8),
) {
    if node.is_final()
        && let Distance::Exact(d) = dfa.distance(state)
    {
        hit(key, out.cat(node.final_output()).value() as u32, d);
    }
    for t in node.transitions() {
        let next = dfa.transition(state, t.inp);
        if next == SINK_STATE {
            continue;
        }
        key.push(t.inp);
        descend(fst, dfa, fst.node(t.addr), next, out.cat(t.out), key, hit);
        key.pop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::testkit;

    #[test]
    fn a_remembered_walk_answers_as_the_walk_and_still_spends_the_budget() {
        let idx = testkit::index();
        crate::search::bounds::start_query();
        let walked = walk_within(idx, "hypertensoin", "hypertenso", 2);
        assert!(
            walked.iter().any(|(_, k, _)| k == "hypertens"),
            "{walked:?}"
        );
        let first = within(idx, "hypertensoin", "hypertenso", 2);
        let again = within(idx, "hypertensoin", "hypertenso", 2);
        assert_eq!(first, walked);
        assert_eq!(again, walked);
        // A remembered answer is not free of the query's fuzzy budget.
        while may_fuzz("x") {}
        assert!(within(idx, "hypertensoin", "hypertenso", 2).is_empty());
        crate::search::bounds::start_query();
    }

    /// Every key the DFA accepts, with its distance, in key order: what a
    /// check of each key on its own gives.
    #[test]
    fn walk_finds_what_each_key_alone_gives() {
        let keys = [
            "diabetes",
            "diabetic",
            "diabet",
            "dialysis",
            "hypertens",
            "hypertension",
            "hypotension",
            "iabetes",
            "typhoid",
            "typhus",
            "x",
        ];
        let map = fst::Map::from_iter(
            keys.iter()
                .copied()
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .enumerate()
                .map(|(i, k)| (k, i as u64)),
        )
        .unwrap();
        let mut hits = 0;
        for word in ["diabetse", "hypertensoin", "typhojd", "x", ""] {
            for max in [1, 2] {
                let dfa = builder(max).build_dfa(word);
                let mut walked = Vec::new();
                walk(map.as_fst(), &dfa, |k, v, d| {
                    walked.push((k.to_vec(), v, d))
                });
                let mut expected = Vec::new();
                let mut s = map.stream();
                while let Some((k, v)) = fst::Streamer::next(&mut s) {
                    if let Distance::Exact(d) = dfa.eval(k) {
                        expected.push((k.to_vec(), v as u32, d));
                    }
                }
                assert_eq!(walked, expected, "{word} within {max}");
                hits += walked.len();
            }
        }
        assert!(hits > 5, "the words lie near some keys");
    }
}
