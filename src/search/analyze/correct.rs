//! Corrections: what a typist got wrong. A misspelled structure word
//! ("withoyt") or a misspelled word inside a vocabulary phrase ("hart
//! attack") is replaced before segmentation; an unknown word is corrected
//! by Levenshtein walks over the term, surface-word and vocabulary fsts
//! ([`crate::search::fuzzy`]), else completed as a prefix.

use super::QueryAnalyzer;
use crate::search::fuzzy;
use crate::search::query::{Alt, Via};
use crate::search::weights::{
    EXPANSION_QUALITY, FUZZY1_MIN_LEN, FUZZY1_QUALITY, FUZZY2_MIN_LEN, FUZZY2_QUALITY, MAX_FUZZY,
    PREFIX_QUALITY,
};
use crate::text::{Analyzer, RawToken};
use crate::vocab::ExpansionKind;
use fst::{IntoStreamer, Streamer};

/// Words whose misspelling would change how the rest is read (negation
/// scope); see `fix_structure_words`.
pub const STRUCTURE_WORDS: &[&str] = &["without", "mention"];

/// A slot built over words that [`QueryAnalyzer::correct_into_phrases`]
/// replaced is a guess: every reading is trusted as a fuzzy correction,
/// says so in the explanation, and the slot shows the words as typed.
pub(super) fn mark_corrected(
    alts: &mut [Alt],
    surface: String,
    corrected: &[Option<(String, u8)>],
) -> String {
    let Some(distance) = corrected.iter().flatten().map(|c| c.1).max() else {
        return surface;
    };
    let typed: Vec<String> = surface
        .split(' ')
        .zip(corrected)
        .map(|(w, c)| c.as_ref().map_or(w.to_string(), |c| c.0.clone()))
        .collect();
    let typed = typed.join(" ");
    let q = if distance == 1 {
        FUZZY1_QUALITY
    } else {
        FUZZY2_QUALITY
    };
    for a in alts.iter_mut() {
        a.quality *= q;
        a.via = match std::mem::replace(&mut a.via, Via::Exact) {
            Via::Exact | Via::Fuzzy { .. } => Via::Fuzzy {
                from: typed.clone(),
                to: surface.clone(),
                distance,
            },
            Via::Vocabulary { kind, from, to } => Via::Vocabulary {
                kind,
                from: format!("{typed} ≈ {from}"),
                to,
            },
            other => other,
        };
    }
    typed
}

impl<D: AsRef<[u8]>> QueryAnalyzer<'_, D> {
    /// A misspelled word inside a vocabulary phrase ("hart attack",
    /// "orgainc brain syndrome") hides the phrase. A word that is neither a
    /// term nor a vocabulary word, one or two edits (as for any fuzzy word)
    /// from a title word that completes a phrase with its neighbours, is
    /// replaced by that word. Returns, per token, the word as typed and the
    /// edits, where one was replaced (see [`mark_corrected`]).
    pub(super) fn correct_into_phrases(
        &self,
        raw: &mut [RawToken],
        norm: &mut [String],
    ) -> Vec<Option<(String, u8)>> {
        let mut out = vec![None; raw.len()];
        let max_words = self.index.meta().phrase_words;
        if max_words < 2 || raw.len() < 2 {
            return out;
        }
        for i in 0..raw.len() {
            let word = raw[i].text.as_str();
            let len = word.chars().count();
            if len < FUZZY1_MIN_LEN
                || word.bytes().any(|b| b.is_ascii_digit())
                || Analyzer::is_stop(word)
                || self.index.term_id(&norm[i]).is_some()
                || self.index.has_phrase(&norm[i])
            {
                continue;
            }
            let word = word.to_string();
            let max = if len >= FUZZY2_MIN_LEN { 2 } else { 1 };
            let mut found = fuzzy::within(self.index, &word, &norm[i], 1);
            if found.is_empty() && max == 2 {
                found = fuzzy::within(self.index, &word, &norm[i], 2);
            }
            let best = found.iter().map(|f| f.0).min();
            let titles: Vec<(u8, String, String)> = found
                .into_iter()
                .filter(|f| Some(f.0) == best)
                .map(|(d, key, _)| (d, self.analyzer.phrase_key(&key), key))
                .collect();
            let mut hit = titles
                .into_iter()
                .find(|(_, fixed, _)| self.completes_phrase(norm, i, fixed));
            if hit.is_none() {
                // A word only vocabulary phrases use ("edwards" in "Edwards
                // syndrome") is found, one edit away, as the first word of a
                // phrase key (one edit only: the walk covers every key).
                hit = fuzzy::phrase_first_words_within(self.index, &norm[i], 1)
                    .into_iter()
                    .map(|(d, w)| (d, w.clone(), w))
                    .find(|(_, fixed, _)| self.completes_phrase(norm, i, fixed));
            }
            if let Some((d, fixed, key)) = hit {
                raw[i].text = key;
                norm[i] = fixed;
                out[i] = Some((word, d));
            }
        }
        out
    }

    /// Whether `fixed` at position `i` completes a vocabulary phrase of two
    /// or more words with its neighbours.
    fn completes_phrase(&self, norm: &[String], i: usize, fixed: &str) -> bool {
        let max_words = self.index.meta().phrase_words.min(norm.len());
        for n in 2..=max_words {
            let lo = (i + 1).saturating_sub(n);
            let hi = i.min(norm.len() - n);
            for start in lo..=hi {
                let phrase: Vec<&str> = (start..start + n)
                    .map(|k| if k == i { fixed } else { norm[k].as_str() })
                    .collect();
                if self.index.has_phrase(&phrase.join(" ")) {
                    return true;
                }
            }
        }
        false
    }

    /// A misspelled "without" or "mention" ("withoyt", "menyion") would
    /// lose the negation it carries, which works on the words as written:
    /// a word the titles lack, one edit from one of them, is taken for it.
    pub(super) fn fix_structure_words(&self, tokens: &mut [RawToken]) {
        let words = self.index.words();
        for t in tokens.iter_mut() {
            if t.text.len() < 6 || words.get(&t.text).is_some() {
                continue;
            }
            if let Some(w) = STRUCTURE_WORDS
                .iter()
                .find(|w| strsim::damerau_levenshtein(w, &t.text) == 1)
            {
                t.text = (*w).to_string();
            }
        }
    }

    /// Terms within one edit (4+ letters) or two (8+ letters); only the
    /// closest distance found is kept.
    pub(super) fn fuzzy(&self, word: &str, term: &str) -> Vec<Alt> {
        // The length as typed: the stem of "aute" is "aut", but a coder
        // typed four letters.
        let len = word.chars().count().max(term.chars().count());
        if len < FUZZY1_MIN_LEN || word.bytes().any(|b| b.is_ascii_digit()) {
            return Vec::new();
        }
        // Most words of 8+ letters have a correction one edit away, and a
        // walk at distance 1 costs a fraction of one at distance 2. Its
        // corrections are exactly those a walk at distance 2 keeps (only the
        // closest distance survives) but in another order (a term met first
        // at distance 2 keeps that place); the order only breaks ties of
        // idf, so without ties the walk at distance 2 is not needed.
        let mut found = fuzzy::within(self.index, word, term, 1);
        if len >= FUZZY2_MIN_LEN && (found.is_empty() || self.idf_ties(&found)) {
            found = fuzzy::within(self.index, word, term, 2);
        }
        let Some(best) = found.iter().map(|(d, _, _)| *d).min() else {
            return Vec::new();
        };
        let mut found: Vec<_> = found.into_iter().filter(|(d, _, _)| *d == best).collect();
        found.sort_by(|a, b| self.index.idf(a.2).total_cmp(&self.index.idf(b.2)));
        found
            .into_iter()
            .take(MAX_FUZZY)
            .map(|(d, to, id)| {
                let q = if d == 1 {
                    FUZZY1_QUALITY
                } else {
                    FUZZY2_QUALITY
                };
                self.alt(
                    vec![id],
                    q,
                    Via::Fuzzy {
                        from: word.into(),
                        to,
                        distance: d,
                    },
                )
            })
            .collect()
    }

    /// A word the manuals never write whose stem is a known term ("anuse"
    /// stems to "anus", "staye" to "stay") is as likely a typo of a word
    /// they do write ("abuse", "state"): besides its stem, it is read as
    /// the terms one edit away, so the other query words decide. A word of
    /// the titles, the vocabulary or with digits is left as written.
    pub(super) fn unwritten_word_fuzzy(&self, word: &str, term: &str, id: u32) -> Vec<Alt> {
        if word.chars().count() <= FUZZY1_MIN_LEN
            || word.bytes().any(|b| !b.is_ascii_lowercase())
            || self.index.words().get(word).is_some()
            || self.index.has_phrase(word)
        {
            return Vec::new();
        }
        self.fuzzy(word, term)
            .into_iter()
            .filter(|a| a.terms != [id])
            .collect()
    }

    /// Lay and older words are vocabulary, not title words: a misspelled
    /// one that is near no title word ("hyoopotassemia") is corrected to
    /// the vocabulary entry it is closest to and read through that entry
    /// ("hypopotassemia" → "hypokalemia"). Abbreviations are left alone: a
    /// short word one edit from an abbreviation is more likely another word.
    pub(super) fn fuzzy_vocabulary(&self, word: &str) -> Vec<Alt> {
        let len = word.chars().count();
        if len < FUZZY1_MIN_LEN || word.bytes().any(|b| b.is_ascii_digit()) {
            return Vec::new();
        }
        let max = if len >= FUZZY2_MIN_LEN { 2 } else { 1 };
        let key = self.analyzer.phrase_key(word);
        let mut alts = Vec::new();
        for (d, k) in fuzzy::phrase_keys_within(self.index, &key, max, FUZZY1_MIN_LEN) {
            let q = if d == 1 {
                FUZZY1_QUALITY
            } else {
                FUZZY2_QUALITY
            } * EXPANSION_QUALITY;
            for e in self.index.phrase(&k).unwrap_or_default() {
                if e.kind == ExpansionKind::Abbreviation {
                    continue;
                }
                let (terms, n) = self.known_terms(&e.to, false);
                if terms.is_empty() || terms.len() < n {
                    continue;
                }
                let via = Via::Vocabulary {
                    kind: e.kind,
                    from: format!("{word} ≈ {}", e.from),
                    to: e.to.clone(),
                };
                alts.push(self.alt(terms, q, via));
            }
        }
        alts.truncate(MAX_FUZZY);
        alts
    }

    /// Whether two of these terms have the same idf.
    fn idf_ties(&self, found: &[(u8, String, u32)]) -> bool {
        let mut idf: Vec<f32> = found.iter().map(|f| self.index.idf(f.2)).collect();
        idf.sort_by(f32::total_cmp);
        idf.windows(2).any(|w| w[0].total_cmp(&w[1]).is_eq())
    }

    /// Terms the word is a prefix of (a truncated word: "hypertens").
    pub(super) fn prefix(&self, word: &str, term: &str) -> Vec<Alt> {
        if term.len() < FUZZY1_MIN_LEN {
            return Vec::new();
        }
        let map = self.index.terms();
        let mut s = map
            .search(fst::Automaton::starts_with(fst::automaton::Str::new(term)))
            .into_stream();
        let mut out: Vec<(String, u32)> = Vec::new();
        while let Some((k, v)) = s.next() {
            out.push((String::from_utf8_lossy(k).into_owned(), v as u32));
            if out.len() > 64 {
                break;
            }
        }
        out.sort_by(|a, b| self.index.idf(a.1).total_cmp(&self.index.idf(b.1)));
        out.into_iter()
            .take(MAX_FUZZY)
            .map(|(to, id)| {
                self.alt(
                    vec![id],
                    PREFIX_QUALITY,
                    Via::Prefix {
                        from: word.into(),
                        to,
                    },
                )
            })
            .collect()
    }
}
