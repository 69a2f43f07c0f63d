//! What one query may cost, whatever its text: a hostile or accidental
//! input (a megabyte "word", a pasted document, random letters) is
//! answered in bounded time and memory instead of seconds and gigabytes.
//!
//! - Only the first [`MAX_QUERY_WORDS`] words of a query are read.
//! - A word longer than [`MAX_FUZZY_WORD`] bytes is never fuzzy-matched
//!   (a Levenshtein DFA grows with the word).
//! - The fuzzy walks of one query share a budget of [`FUZZY_BUDGET`] bytes
//!   of words: a query of many unknown words fuzzes the first ones only.
//!
//! Real phrases are far inside these bounds. Not for: the length of a whole
//! line (`--max-cell`, checked by the commands).

use std::cell::Cell;

/// Words of a query that are read; the rest are ignored.
pub const MAX_QUERY_WORDS: usize = 64;
/// Longest word, in bytes, that fuzzy matching considers.
pub const MAX_FUZZY_WORD: usize = 64;
/// Bytes of words one query may fuzzy-match in all.
pub const FUZZY_BUDGET: usize = 512;

thread_local! {
    static LEFT: Cell<usize> = const { Cell::new(FUZZY_BUDGET) };
}

/// The text of the first [`MAX_QUERY_WORDS`] words of `text`.
pub fn first_words(text: &str) -> &str {
    let mut words = 0;
    let mut in_word = false;
    for (i, c) in text.char_indices() {
        if c.is_whitespace() {
            in_word = false;
        } else if !in_word {
            in_word = true;
            words += 1;
            if words > MAX_QUERY_WORDS {
                return &text[..i];
            }
        }
    }
    text
}

/// Starts the fuzzy budget of a new query (on this thread).
pub fn start_query() {
    LEFT.with(|l| l.set(FUZZY_BUDGET));
}

/// Whether `word` may be fuzzy-matched; spends its length from the budget.
pub fn may_fuzz(word: &str) -> bool {
    if word.len() > MAX_FUZZY_WORD {
        return false;
    }
    LEFT.with(|l| match l.get().checked_sub(word.len()) {
        Some(rest) => {
            l.set(rest);
            true
        }
        None => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_first_words_are_read() {
        let text = "w ".repeat(MAX_QUERY_WORDS + 5);
        assert_eq!(
            first_words(&text).split_whitespace().count(),
            MAX_QUERY_WORDS
        );
        assert_eq!(first_words("chest  pain "), "chest  pain ");
    }

    #[test]
    fn long_words_and_spent_budgets_are_not_fuzzed() {
        start_query();
        assert!(!may_fuzz(&"x".repeat(MAX_FUZZY_WORD + 1)));
        let word = "y".repeat(MAX_FUZZY_WORD);
        let fits = FUZZY_BUDGET / MAX_FUZZY_WORD;
        assert!((0..fits).all(|_| may_fuzz(&word)));
        assert!(!may_fuzz(&word));
        start_query();
        assert!(may_fuzz("diabtes"));
    }
}
