//! Query analysis: a phrase becomes *slots*, one per concept the user
//! wrote, each with the alternative term sets that may express it (the words
//! themselves, an abbreviation's expansion, a synonym, a spelling fix, a
//! fuzzy correction). Nothing here looks at codes.

use super::fuzzy;
use super::score::MARKER_DAMPING;
use crate::index::Index;
use crate::text::{Analyzer, NEGATORS, Negation, RawToken, designated_letter, negate, tokenize};
use crate::vocab::{ExpansionKind, Vocabulary};
use fst::{IntoStreamer, Streamer};

/// Quality of a match through the vocabulary.
pub const EXPANSION_QUALITY: f32 = 0.95;
/// Quality of a word as written when it was typed in capitals and is a
/// known abbreviation ("CAP"): the abbreviation's sense comes first.
pub const CAPITALS_LITERAL_QUALITY: f32 = 0.9;
/// Quality of a substring spelling rule.
pub const SPELLING_QUALITY: f32 = 0.97;
/// Quality of a word split into combining form + suffix.
pub const AFFIX_QUALITY: f32 = 0.9;
/// Quality of a fuzzy correction by one edit.
pub const FUZZY1_QUALITY: f32 = 0.85;
/// Quality of a fuzzy correction by two edits.
pub const FUZZY2_QUALITY: f32 = 0.72;
/// Quality of a prefix completion.
pub const PREFIX_QUALITY: f32 = 0.7;
/// Weight of a word that matched nothing at all.
pub const UNKNOWN_WEIGHT: f32 = 4.0;
/// Weight factor of the query words before the first comma, when there is one.
pub const HEAD_CLAUSE_WEIGHT: f32 = 1.3;
/// A slot built over words that [`QueryAnalyzer::correct_into_phrases`]
/// replaced is a guess: every reading is trusted as a fuzzy correction,
/// says so in the explanation, and the slot shows the words as typed.
fn mark_corrected(alts: &mut [Alt], surface: String, corrected: &[Option<(String, u8)>]) -> String {
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

/// Words whose misspelling would change how the rest is read (negation
/// scope); see `fix_structure_words`.
pub const STRUCTURE_WORDS: &[&str] = &["without", "mention"];
/// Weight factor of a word written as a possessive (an eponym).
pub const EPONYM_WEIGHT: f32 = 1.5;
/// Words that only choose the encounter (7th character).
pub const ENCOUNTER_WORDS: &[&str] = &["initial", "subsequent", "encounter"];
/// Weight factor of a slot that names the encounter.
pub const ENCOUNTER_WEIGHT: f32 = 0.5;
/// A first clause this short, followed by others, is index wording (see
/// [`index_order`]).
pub const INDEX_HEAD_WORDS: usize = 2;
/// Shortest word that tolerates one edit.
pub const FUZZY1_MIN_LEN: usize = 4;
/// Shortest word that tolerates two edits.
pub const FUZZY2_MIN_LEN: usize = 8;
/// At most this many corrections are kept per word.
pub const MAX_FUZZY: usize = 6;

/// How an alternative came about.
#[derive(Debug, Clone, PartialEq)]
pub enum Via {
    /// The words as written (after normalization).
    Exact,
    /// A spelling rule rewrote the word.
    Spelling {
        /// Word as typed.
        from: String,
        /// Word as known.
        to: String,
    },
    /// A fuzzy correction.
    Fuzzy {
        /// Word as typed.
        from: String,
        /// Term it was corrected to.
        to: String,
        /// Edits.
        distance: u8,
    },
    /// A prefix completion.
    Prefix {
        /// Word as typed.
        from: String,
        /// Term completed to.
        to: String,
    },
    /// A vocabulary rewrite.
    Vocabulary {
        /// Which table.
        kind: ExpansionKind,
        /// The phrase as in the table.
        from: String,
        /// What it means.
        to: String,
    },
}

/// One way of expressing a slot: all its terms should be in a name.
#[derive(Debug, Clone)]
pub struct Alt {
    /// Term ids.
    pub terms: Vec<u32>,
    /// Weight of each term: its idf, a tenth for a generic word of an
    /// expansion ("disease" in "PUD → peptic ulcer disease" says little).
    pub weights: Vec<f32>,
    /// Sum of `weights`.
    pub total_idf: f32,
    /// For word-part readings: the idf of the richest word-part reading of
    /// the same slot whose terms include all of these ("inspection
    /// endoscopic urethra" for "inspection urethra"), so a full match of a
    /// poorer reading earns only its share. Otherwise `total_idf`: a reading
    /// written on its own vocabulary line ("cystoscopy" → "bladder via
    /// natural or artificial opening endoscopic", for "cystoscopy with
    /// biopsy") is a reading of its own.
    pub full_idf: f32,
    /// How much to trust it (1 = as written).
    pub quality: f32,
    /// How it came about.
    pub via: Via,
}

/// One concept of the query.
#[derive(Debug, Clone)]
pub struct Slot {
    /// The words as typed.
    pub surface: String,
    /// Importance (idf of the words, or of the best expansion).
    pub weight: f32,
    /// Ways it may appear in a name; empty when nothing matched.
    pub alts: Vec<Alt>,
}

/// An analyzed query.
#[derive(Debug, Clone, Default)]
pub struct Query {
    /// The concepts.
    pub slots: Vec<Slot>,
    /// Every term any alternative of any slot may match, sorted.
    terms: Vec<u32>,
    /// The terms of the words as typed (exact readings), sorted.
    typed: Vec<u32>,
    /// The terms of every reading but two-way synonyms, sorted.
    named: Vec<u32>,
}

impl Query {
    /// Sum of slot weights.
    pub fn total_weight(&self) -> f32 {
        self.slots.iter().map(|s| s.weight).sum()
    }

    /// A query of these slots.
    pub fn new(slots: Vec<Slot>) -> Query {
        let sorted = |keep: &dyn Fn(&Alt) -> bool| {
            let mut t: Vec<u32> = slots
                .iter()
                .flat_map(|s| &s.alts)
                .filter(|a| keep(a))
                .flat_map(|a| a.terms.iter().copied())
                .collect();
            t.sort_unstable();
            t.dedup();
            t
        };
        let terms = sorted(&|_| true);
        let typed = sorted(&|a| a.via == Via::Exact);
        let named = sorted(&|a| {
            !matches!(
                a.via,
                Via::Vocabulary {
                    kind: ExpansionKind::Synonym,
                    ..
                }
            )
        });
        Query {
            slots,
            terms,
            typed,
            named,
        }
    }

    /// The terms of every reading but the two-way synonyms, sorted: what
    /// the query names, as opposed to what it may loosely mean ("pain" is
    /// not "sore").
    pub fn named_terms(&self) -> &[u32] {
        &self.named
    }

    /// The terms of the words as typed (exact readings), sorted.
    pub fn typed_terms(&self) -> &[u32] {
        &self.typed
    }

    /// Every term any alternative of any slot may match, sorted.
    pub fn terms(&self) -> &[u32] {
        &self.terms
    }

    /// Whether any slot was expressed through the procedure vocabulary.
    pub fn uses_procedure_language(&self) -> bool {
        self.slots.iter().flat_map(|s| &s.alts).any(|a| {
            matches!(
                a.via,
                Via::Vocabulary {
                    kind: ExpansionKind::Procedure | ExpansionKind::Affix,
                    ..
                }
            )
        })
    }
}

/// A reading from word parts ("urethroscopy" → urethra + a meaning of
/// "-scopy").
fn is_affix_reading(a: &Alt) -> bool {
    matches!(
        a.via,
        Via::Vocabulary {
            kind: ExpansionKind::Affix,
            ..
        }
    )
}

/// Sets each reading's `full_idf`. A suffix lists its meanings best first
/// ("-scopy": "inspection endoscopic | inspection"), so among word-part
/// readings one whose terms another's include earns only its share of the
/// richer one. Vocabulary lines are readings in their own right: a scope
/// word written as "inspection bladder via …" and as "bladder via …" must
/// read fully as the second when another word names the operation
/// ("cystoscopy with biopsy").
fn set_full_idf(alts: &mut [Alt]) {
    let richer: Vec<f32> = alts
        .iter()
        .map(|a| {
            alts.iter()
                .filter(|b| {
                    is_affix_reading(a)
                        && is_affix_reading(b)
                        && a.terms.iter().all(|t| b.terms.contains(t))
                })
                .map(|b| b.total_idf)
                .fold(a.total_idf, f32::max)
        })
        .collect();
    for (a, full) in alts.iter_mut().zip(richer) {
        a.full_idf = full;
    }
}

/// Index wording puts the condition first and its modifiers after it
/// ("Failure, heart, congestive", "Poisoning, food, staphylococcal"); read
/// backwards it is the natural order that vocabulary phrases are written
/// in ("congestive heart failure"). When the first clause of a query has
/// at most [`INDEX_HEAD_WORDS`] words and others follow, the clauses are
/// reversed. Also returns, per token, whether it belongs to the first
/// clause as written (the head, see [`HEAD_CLAUSE_WEIGHT`]).
pub fn index_order(raw: Vec<RawToken>) -> (Vec<RawToken>, Vec<bool>) {
    let mut clauses: Vec<Vec<RawToken>> = Vec::new();
    for t in raw {
        match clauses.last_mut() {
            Some(c) if !t.clause_start => c.push(t),
            _ => clauses.push(vec![t]),
        }
    }
    if clauses.len() < 2 {
        let n = clauses.first().map_or(0, Vec::len);
        return (clauses.into_iter().flatten().collect(), vec![false; n]);
    }
    let head_len = clauses[0].len();
    let index_style = clauses[0].iter().filter(|t| !t.in_parens).count() <= INDEX_HEAD_WORDS;
    let mut flagged: Vec<(Vec<RawToken>, bool)> = clauses
        .into_iter()
        .enumerate()
        .map(|(k, c)| (c, k == 0))
        .collect();
    if index_style {
        flagged.reverse();
    }
    let mut tokens = Vec::with_capacity(head_len * 2);
    let mut head = Vec::with_capacity(head_len * 2);
    for (k, (clause, is_head)) in flagged.into_iter().enumerate() {
        for (j, mut t) in clause.into_iter().enumerate() {
            if j == 0 {
                t.clause_start = k > 0;
            }
            tokens.push(t);
            head.push(is_head);
        }
    }
    (tokens, head)
}

/// Turns text into a [`Query`] against one index.
pub struct QueryAnalyzer<'a, D: AsRef<[u8]>> {
    /// The index whose terms are known.
    pub index: &'a Index<D>,
    /// Word normalization.
    pub analyzer: &'a Analyzer,
    /// Phrase rewrites.
    pub vocab: &'a Vocabulary,
    /// Terms of [`crate::text::GENERIC_WORDS`].
    pub generic: &'a [u32],
    /// Terms of [`crate::text::DEFAULT_MARKERS`].
    pub markers: &'a [u32],
    /// Terms of [`ENCOUNTER_WORDS`].
    pub encounter: &'a [u32],
}

impl<D: AsRef<[u8]>> QueryAnalyzer<'_, D> {
    /// Analyzes `text`.
    pub fn analyze(&self, text: &str) -> Query {
        let mut tokens = tokenize(text);
        self.fix_structure_words(&mut tokens);
        let (mut raw, head) = index_order(tokens);
        let mut norm: Vec<String> = raw
            .iter()
            .map(|t| self.analyzer.phrase_key(&t.text))
            .collect();
        let corrected = self.correct_into_phrases(&mut raw, &mut norm);
        let mut slots = Vec::new();
        let mut negation = Negation::default();
        // The first token of each slot, filled in one iteration late.
        let mut starts: Vec<usize> = Vec::new();
        let mut prev = 0;
        let mut i = 0;
        while i < raw.len() {
            starts.resize(slots.len(), prev);
            prev = i;
            let max = self.index.meta().phrase_words.min(raw.len() - i);
            let mut matched = false;
            for len in (1..=max).rev() {
                if len == 1 && Analyzer::is_stop(&raw[i].text) {
                    break;
                }
                let key = norm[i..i + len].join(" ");
                let Some(exps) = self.index.phrase(&key) else {
                    continue;
                };
                let surface = raw[i..i + len]
                    .iter()
                    .map(|t| t.text.as_str())
                    .collect::<Vec<_>>()
                    .join(" ");
                let mut alts = Vec::new();
                // Every word of the phrase steps the negation state.
                let mut state = negation.clone();
                let mut negated = false;
                for t in &raw[i..i + len] {
                    negated |= state.step(t);
                }
                let (own, own_len) = self.known_terms(&surface, negated);
                let capitals = raw[i..i + len].iter().all(|t| t.upper);
                if !own.is_empty() && own.len() == own_len {
                    let q = if capitals {
                        CAPITALS_LITERAL_QUALITY
                    } else {
                        1.0
                    };
                    alts.push(self.alt(own, q, Via::Exact));
                }
                for e in &exps {
                    // An expansion is written in the manuals' words; one
                    // whose words the manuals lack ("head lice") is not
                    // reduced to the words they have ("head").
                    let (terms, n) = self.known_terms(&e.to, negated);
                    if terms.is_empty() || (!negated && terms.len() < n) {
                        // Unusable as written: when its meaning is itself
                        // a vocabulary entry ("CEA" → "carotid
                        // endarterectomy" → the PCS wording), read it
                        // through that entry, one step, trusted less.
                        if !negated {
                            alts.extend(self.chained(e));
                        }
                        continue;
                    }
                    let via = Via::Vocabulary {
                        kind: e.kind,
                        from: e.from.clone(),
                        to: e.to.clone(),
                    };
                    alts.push(self.alt(terms, EXPANSION_QUALITY, via));
                }
                if alts.is_empty() {
                    continue;
                }
                let surface = mark_corrected(&mut alts, surface, &corrected[i..i + len]);
                // The words as typed set the weight when they are known;
                // otherwise the best expansion does ("HTN" → "hypertension").
                // An abbreviation with several senses is weaker evidence:
                // it weighs the mean of its senses, not the best one.
                let senses = alts
                    .iter()
                    .filter(|a| {
                        matches!(
                            a.via,
                            Via::Vocabulary {
                                kind: ExpansionKind::Abbreviation,
                                ..
                            }
                        )
                    })
                    .count();
                let weight = match alts.first() {
                    Some(a) if a.via == Via::Exact => a.total_idf,
                    _ if senses > 1 => {
                        alts.iter().map(|a| a.total_idf).sum::<f32>() / alts.len() as f32
                    }
                    _ => alts.iter().map(|a| a.total_idf).fold(0.0, f32::max),
                };
                slots.push(Slot {
                    surface,
                    weight,
                    alts,
                });
                negation = state;
                if exps
                    .iter()
                    .any(|e| NEGATORS.contains(&e.to.trim().to_lowercase().as_str()))
                {
                    negation.negate_clause();
                }
                i += len;
                matched = true;
                break;
            }
            if !matched && let Some(slot) = self.joined_slot(&raw, i, &mut negation) {
                slots.push(slot);
                i += 2;
                continue;
            }
            if !matched {
                let prev = i.checked_sub(1).map(|p| raw[p].text.as_str());
                let negated = negation.step(&raw[i]);
                if let Some(mut slot) = self.word_slot(prev, &raw[i].text, negated) {
                    slot.surface = mark_corrected(&mut slot.alts, slot.surface, &corrected[i..=i]);
                    slots.push(slot);
                }
                i += 1;
            }
        }
        starts.resize(slots.len(), prev);
        // The words before the first comma name the condition; what follows
        // qualifies it ("Tuberculosis of esophagus, tubercle bacilli found
        // by microscopy", "Fracture, femur, neck").
        for (slot, &start) in slots.iter_mut().zip(&starts) {
            if head[start] {
                slot.weight *= HEAD_CLAUSE_WEIGHT;
            }
            // An eponym ("Vincent's", "Crohn's") names one disease.
            if raw[start].possessive {
                slot.weight *= EPONYM_WEIGHT;
            }
        }
        // "unspecified" asks for no detail: it must not outweigh the words that do.
        let markers = self.markers;
        for slot in &mut slots {
            let own = self.analyzer.terms(&slot.surface);
            if !own.is_empty()
                && own.iter().all(|t| {
                    self.index
                        .term_id(&t.text)
                        .is_some_and(|id| markers.contains(&id))
                })
            {
                slot.weight *= MARKER_DAMPING;
            }
        }
        // Words that choose the encounter (the 7th character: "subsequent
        // encounter", "sequela", a chart's "follow-up") say which variant of
        // the condition, not which condition: they must not outweigh it.
        let encounter = self.encounter;
        for slot in &mut slots {
            let names_encounter = slot
                .alts
                .iter()
                .any(|a| !a.terms.is_empty() && a.terms.iter().all(|t| encounter.contains(t)));
            if names_encounter {
                slot.weight *= ENCOUNTER_WEIGHT;
            }
        }
        for slot in &mut slots {
            set_full_idf(&mut slot.alts);
        }
        Query::new(slots)
    }

    /// The readings of an expansion's meaning that is a vocabulary entry of
    /// its own, for an expansion whose words the manuals lack.
    fn chained(&self, e: &crate::vocab::Expansion) -> Vec<Alt> {
        let key = self.analyzer.phrase_key(&e.to);
        let mut alts = Vec::new();
        for next in self.index.phrase(&key).unwrap_or_default() {
            let (terms, n) = self.known_terms(&next.to, false);
            if terms.is_empty() || terms.len() < n {
                continue;
            }
            let via = Via::Vocabulary {
                kind: next.kind,
                from: format!("{} → {}", e.from, next.from),
                to: next.to.clone(),
            };
            alts.push(self.alt(terms, EXPANSION_QUALITY * EXPANSION_QUALITY, via));
        }
        alts
    }

    /// A misspelled word inside a vocabulary phrase ("hart attack",
    /// "orgainc brain syndrome") hides the phrase. A word that is neither a
    /// term nor a vocabulary word, one or two edits (as for any fuzzy word)
    /// from a title word that completes a phrase with its neighbours, is
    /// replaced by that word. Returns, per token, the word as typed and the
    /// edits, where one was replaced (see [`mark_corrected`]).
    fn correct_into_phrases(
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
    fn fix_structure_words(&self, tokens: &mut [RawToken]) {
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

    /// The term ids of the words of `text` that the index knows, and how
    /// many (non-stop) words it has in all.
    fn known_terms(&self, text: &str, negated: bool) -> (Vec<u32>, usize) {
        let terms = self.analyzer.terms(text);
        let known = terms
            .iter()
            .filter_map(|t| {
                if negated {
                    self.index.term_id(&negate(&t.text))
                } else {
                    self.index.term_id(&t.text)
                }
            })
            .collect();
        (known, terms.len())
    }

    fn alt(&self, mut terms: Vec<u32>, quality: f32, via: Via) -> Alt {
        terms.dedup();
        let weights: Vec<f32> = terms
            .iter()
            .map(|t| {
                let expansion = matches!(via, Via::Vocabulary { .. });
                let damp = if expansion && self.generic.contains(t) {
                    MARKER_DAMPING
                } else {
                    1.0
                };
                self.index.idf(*t) * damp
            })
            .collect();
        let total_idf = weights.iter().sum();
        Alt {
            terms,
            weights,
            total_idf,
            full_idf: total_idf,
            quality,
            via,
        }
    }

    /// Two words that the titles write as one ("claw hand" → "clawhand",
    /// "ear ache" → "earache"): one slot whose readings are the joined word
    /// and the two words.
    fn joined_slot(&self, raw: &[RawToken], i: usize, negation: &mut Negation) -> Option<Slot> {
        let (a, b) = (raw.get(i)?, raw.get(i + 1)?);
        if b.clause_start || Analyzer::is_stop(&a.text) || Analyzer::is_stop(&b.text) {
            return None;
        }
        let joined = format!("{}{}", a.text, b.text);
        let id = self.index.words().get(&joined)? as u32;
        let mut state = negation.clone();
        if state.step(a) || state.step(b) {
            return None;
        }
        *negation = state;
        let surface = format!("{} {}", a.text, b.text);
        let mut alts = vec![self.alt(vec![id], 1.0, Via::Exact)];
        let (both, n) = self.known_terms(&surface, false);
        if both.len() == n && n == 2 {
            alts.push(self.alt(both, 1.0, Via::Exact));
        }
        let weight = alts.iter().map(|a| a.total_idf).fold(0.0, f32::max);
        Some(Slot {
            surface,
            weight,
            alts,
        })
    }

    /// An unknown word that is two title words written together
    /// ("clawhand" where the title says "claw hand").
    fn split_alt(&self, word: &str) -> Option<Alt> {
        let words = self.index.words();
        (3..word.len().saturating_sub(2))
            .filter(|p| word.is_char_boundary(*p))
            .find_map(|p| {
                let (a, b) = word.split_at(p);
                let (a, b) = (words.get(a)? as u32, words.get(b)? as u32);
                let via = Via::Vocabulary {
                    kind: ExpansionKind::Affix,
                    from: word.into(),
                    to: format!("{} {}", &word[..p], &word[p..]),
                };
                Some(self.alt(vec![a, b], SPELLING_QUALITY, via))
            })
    }

    /// A slot for one word that no phrase covered.
    fn word_slot(&self, prev: Option<&str>, word: &str, negated: bool) -> Option<Slot> {
        let term = match designated_letter(prev, word) {
            Some(t) => t.to_string(),
            None => self.analyzer.normalize_word(word)?,
        };
        let surface = word.to_string();
        if negated {
            // A negated word matches only the same word negated in a title.
            let alts: Vec<Alt> = self
                .index
                .term_id(&negate(&term))
                .map(|id| self.alt(vec![id], 1.0, Via::Exact))
                .into_iter()
                .collect();
            let weight = alts.first().map_or(UNKNOWN_WEIGHT, |a| a.total_idf);
            return Some(Slot {
                surface,
                weight,
                alts,
            });
        }
        if let Some(id) = self.index.term_id(&term) {
            let alt = self.alt(vec![id], 1.0, Via::Exact);
            return Some(Slot {
                surface,
                weight: alt.total_idf,
                alts: vec![alt],
            });
        }
        let mut alts = Vec::new();
        for (from, to) in &self.vocab.spelling_rules {
            if !word.contains(from.as_str()) {
                continue;
            }
            let fixed = word.replace(from.as_str(), to);
            if let Some(id) = self
                .analyzer
                .normalize_word(&fixed)
                .and_then(|t| self.index.term_id(&t))
            {
                alts.push(self.alt(
                    vec![id],
                    SPELLING_QUALITY,
                    Via::Spelling {
                        from: word.into(),
                        to: fixed,
                    },
                ));
                break;
            }
        }
        if alts.is_empty()
            && let Some((part, meanings)) = self.vocab.split_affixes(word)
        {
            for m in meanings {
                let text = format!("{m} {part}");
                let (terms, _) = self.known_terms(&text, false);
                if !terms.is_empty() {
                    let via = Via::Vocabulary {
                        kind: ExpansionKind::Affix,
                        from: word.into(),
                        to: text,
                    };
                    alts.push(self.alt(terms, AFFIX_QUALITY, via));
                }
            }
        }
        if alts.is_empty()
            && let Some(alt) = self.split_alt(word)
        {
            alts.push(alt);
        }
        if alts.is_empty() {
            alts = self.fuzzy(word, &term);
        }
        if alts.is_empty() {
            alts = self.fuzzy_vocabulary(word);
        }
        if alts.is_empty() {
            alts = self.prefix(word, &term);
        }
        let guesses = alts
            .iter()
            .filter(|a| matches!(a.via, Via::Fuzzy { .. } | Via::Prefix { .. }))
            .count();
        let weight = if alts.is_empty() {
            UNKNOWN_WEIGHT
        } else if guesses > 1 {
            // Several corrections are several guesses ("ohter": other or
            // outer?): like an ambiguous abbreviation, the word weighs their
            // mean, so a rare guess does not make it the query's main word.
            alts.iter().map(|a| a.total_idf).sum::<f32>() / alts.len() as f32
        } else {
            alts.iter().map(|a| a.total_idf).fold(0.0, f32::max)
        };
        Some(Slot {
            surface,
            weight,
            alts,
        })
    }

    /// Terms within one edit (4+ letters) or two (8+ letters); only the
    /// closest distance found is kept.
    fn fuzzy(&self, word: &str, term: &str) -> Vec<Alt> {
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

    /// Lay and older words are vocabulary, not title words: a misspelled
    /// one that is near no title word ("hyoopotassemia") is corrected to
    /// the vocabulary entry it is closest to and read through that entry
    /// ("hypopotassemia" → "hypokalemia"). Abbreviations are left alone: a
    /// short word one edit from an abbreviation is more likely another word.
    fn fuzzy_vocabulary(&self, word: &str) -> Vec<Alt> {
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
    fn prefix(&self, word: &str, term: &str) -> Vec<Alt> {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn words(tokens: &[RawToken]) -> Vec<&str> {
        tokens.iter().map(|t| t.text.as_str()).collect()
    }

    fn reading(kind: ExpansionKind, terms: &[u32]) -> Alt {
        Alt {
            terms: terms.to_vec(),
            weights: vec![1.0; terms.len()],
            total_idf: terms.len() as f32,
            full_idf: terms.len() as f32,
            quality: EXPANSION_QUALITY,
            via: Via::Vocabulary {
                kind,
                from: String::new(),
                to: String::new(),
            },
        }
    }

    #[test]
    fn only_a_poorer_word_part_reading_earns_a_share_of_the_richer() {
        // "-scopy": "inspection endoscopic" | "inspection" — the second earns 2/3.
        let mut alts = vec![
            reading(ExpansionKind::Affix, &[1, 2, 3]),
            reading(ExpansionKind::Affix, &[1, 3]),
        ];
        set_full_idf(&mut alts);
        assert_eq!(alts[0].full_idf, 3.0);
        assert_eq!(alts[1].full_idf, 3.0);
        // Two vocabulary lines ("inspection bladder via …", "bladder via …")
        // are two readings, each complete.
        let mut alts = vec![
            reading(ExpansionKind::Procedure, &[1, 2, 3]),
            reading(ExpansionKind::Procedure, &[2, 3]),
        ];
        set_full_idf(&mut alts);
        assert_eq!(alts[1].full_idf, 2.0);
    }

    #[test]
    fn index_wording_is_read_backwards_and_keeps_its_head() {
        let (t, head) = index_order(tokenize("Failure, heart, congestive"));
        assert_eq!(words(&t), ["congestive", "heart", "failure"]);
        assert_eq!(head, [false, false, true]);
        // Each clause still starts a clause (negation ends there), the first does not.
        let starts: Vec<bool> = t.iter().map(|t| t.clause_start).collect();
        assert_eq!(starts, [false, true, true]);
    }

    #[test]
    fn a_long_first_clause_keeps_its_order() {
        let (t, head) = index_order(tokenize("Tuberculosis of kidney, confirmed by culture"));
        assert_eq!(words(&t)[0], "tuberculosis");
        assert_eq!(head, [true, true, true, false, false, false]);
        let (t, head) = index_order(tokenize("type 2 diabetes with neuropathy"));
        assert_eq!(t.len(), 5);
        assert!(head.iter().all(|h| !h));
    }
}
