//! The names phase of the build: every title, inclusion term, "includes"
//! note and index path becomes a name of analysed terms; terms get ids in
//! sorted order (as the fst wants); then each term's postings (the names
//! that hold it) and its idf.

use super::Rows;
use super::docs::{Hierarchy, doc_flags, seventh_suffix};
use crate::index::format::*;
use crate::text::{Analyzer, Negation, designated_letter, negate, tokenize};
use std::collections::{BTreeMap, HashMap};

/// One searchable name as built.
pub(super) struct Name {
    /// The doc it names.
    pub doc: u32,
    /// `NAME_*` kind.
    pub kind: u8,
    /// Term ids, each with whether it is optional (in parentheses, or a
    /// 7th character's words), in title order, without repeats.
    pub terms: Vec<(u32, bool)>,
}

/// What the names phase gives the rest of the build.
pub(super) struct Names {
    /// Every name, grouped by doc in doc order.
    pub names: Vec<Name>,
    /// Term → id, ids in sorted order.
    pub term_ids: BTreeMap<String, u32>,
    /// `FLAG_*` bits of each doc (without [`FLAG_HAS_NOS`], see
    /// [`first_names`]).
    pub flags: Vec<u16>,
    /// Every surface word seen (lower case) and its normal form, sorted by
    /// word; stop words left out.
    pub words: Vec<(String, String)>,
}

/// Analyses every row's names and flags, the rows split in chunks analysed
/// in parallel (each with term ids of its own, merged after).
pub(super) fn names(entries: &Rows, h: &Hierarchy, analyzer: &Analyzer) -> Names {
    use rayon::prelude::*;
    let chunk = entries
        .len()
        .div_ceil(2 * rayon::current_num_threads().max(1))
        .max(1);
    let chunks: Vec<Chunk> = (0..entries.len())
        .step_by(chunk)
        .collect::<Vec<_>>()
        .into_par_iter()
        .map(|start| {
            let mut c = Chunk::default();
            for id in start..(start + chunk).min(entries.len()) {
                c.row(entries, h, analyzer, id);
            }
            c
        })
        .collect();
    // Term ids in sorted order, as the fst wants.
    let mut all: Vec<String> = chunks
        .iter()
        .flat_map(|c| c.terms.texts.iter().cloned())
        .collect();
    all.sort_unstable();
    all.dedup();
    let term_ids: BTreeMap<String, u32> = all
        .iter()
        .enumerate()
        .map(|(i, t)| (t.clone(), i as u32))
        .collect();
    let mut names = Vec::with_capacity(chunks.iter().map(|c| c.names.len()).sum());
    let mut flags = Vec::with_capacity(entries.len());
    let mut words: Vec<(String, String)> = Vec::new();
    for c in chunks {
        let global: Vec<u32> = c
            .terms
            .texts
            .iter()
            .map(|t| all.binary_search(t).unwrap_or_default() as u32)
            .collect();
        names.extend(c.names.into_iter().map(|mut n| {
            for t in &mut n.terms {
                t.0 = global[t.0 as usize];
            }
            n
        }));
        flags.extend(c.flags);
        words.extend(c.terms.words.into_iter().filter_map(|(surface, form)| {
            Some((surface, c.terms.forms[form? as usize].text.clone()))
        }));
    }
    words.sort_unstable();
    words.dedup_by(|a, b| a.0 == b.0);
    Names {
        names,
        term_ids,
        flags,
        words,
    }
}

/// No id yet.
const UNSET: u32 = u32::MAX;

/// The names and flags of a run of rows, with term ids local to it.
#[derive(Default)]
struct Chunk {
    names: Vec<Name>,
    flags: Vec<u16>,
    terms: LocalTerms,
    scratch: Vec<(u32, bool)>,
}

impl Chunk {
    /// Adds row `id`'s names (title, inclusion terms, "includes" notes,
    /// index paths) and flags.
    fn row(&mut self, entries: &Rows, h: &Hierarchy, analyzer: &Analyzer, id: usize) {
        let e = entries[id].1;
        let suffix = seventh_suffix(entries, h, id);
        self.flags.push(doc_flags(e, suffix.as_ref()));
        let mut title = Vec::new();
        self.terms.analyse(analyzer, &e.title, &mut title);
        if let Some((suffix, _)) = &suffix {
            self.scratch.clear();
            self.terms.analyse(analyzer, suffix, &mut self.scratch);
            let len = title.len();
            for t in &mut title[len.saturating_sub(self.scratch.len())..] {
                t.1 = true;
            }
        }
        self.push(id, NAME_TITLE, &title, true);
        for s in e.synonyms.iter().chain(&e.notes.includes) {
            let nos = s
                .split(|c: char| !c.is_ascii_alphanumeric())
                .any(|w| w == "NOS");
            self.add(analyzer, id, if nos { NAME_NOS } else { NAME_SYNONYM }, s);
        }
        for p in &e.index_paths {
            self.add(analyzer, id, NAME_INDEX, p);
        }
    }

    /// Adds the name `text` of row `id` unless it has no terms.
    fn add(&mut self, analyzer: &Analyzer, id: usize, kind: u8, text: &str) {
        let mut terms = std::mem::take(&mut self.scratch);
        terms.clear();
        self.terms.analyse(analyzer, text, &mut terms);
        self.push(id, kind, &terms, false);
        self.scratch = terms;
    }

    /// Adds a name of `terms` (in text order, with repeats: a repeated term
    /// is kept once, optional only if it is optional everywhere); a name
    /// without terms only when `always`.
    fn push(&mut self, id: usize, kind: u8, terms: &[(u32, bool)], always: bool) {
        if terms.is_empty() && !always {
            return;
        }
        let mut seen: Vec<(u32, bool)> = Vec::with_capacity(terms.len());
        for &(t, opt) in terms {
            match seen.iter_mut().find(|(x, _)| *x == t) {
                Some(s) => s.1 &= opt,
                None => seen.push((t, opt)),
            }
        }
        self.names.push(Name {
            doc: id as u32,
            kind,
            terms: seen,
        });
    }
}

/// A normal form of a word, and its term ids once used.
struct Form {
    text: String,
    plain: u32,
    negated: u32,
}

/// Terms and normal forms met in a chunk, with local ids.
#[derive(Default)]
struct LocalTerms {
    /// Term text → local id.
    ids: HashMap<String, u32>,
    /// Local id → term text.
    texts: Vec<String>,
    /// Surface word → its normal form (`None`: a stop word).
    words: HashMap<String, Option<u32>>,
    /// The normal forms.
    forms: Vec<Form>,
}

impl LocalTerms {
    fn intern(&mut self, text: &str) -> u32 {
        if let Some(id) = self.ids.get(text) {
            return *id;
        }
        let id = self.texts.len() as u32;
        self.ids.insert(text.to_string(), id);
        self.texts.push(text.to_string());
        id
    }

    /// The term of normal form `f`, negated or not.
    fn form_term(&mut self, f: usize, negated: bool) -> u32 {
        let have = if negated {
            self.forms[f].negated
        } else {
            self.forms[f].plain
        };
        if have != UNSET {
            return have;
        }
        let text = &self.forms[f].text;
        let id = if negated {
            self.intern(&negate(&text.clone()))
        } else {
            self.intern(&text.clone())
        };
        if negated {
            self.forms[f].negated = id;
        } else {
            self.forms[f].plain = id;
        }
        id
    }

    /// Pushes the terms of `text` (with whether each is optional) as
    /// [`Analyzer::terms_cached`] gives them.
    fn analyse(&mut self, analyzer: &Analyzer, text: &str, out: &mut Vec<(u32, bool)>) {
        let tokens = tokenize(text);
        let mut negation = Negation::default();
        for (i, t) in tokens.iter().enumerate() {
            let negated = negation.step(t);
            let prev = i.checked_sub(1).map(|p| tokens[p].text.as_str());
            let term = match designated_letter(prev, &t.text) {
                Some(n) if negated => Some(self.intern(&negate(n))),
                Some(n) => Some(self.intern(n)),
                None => {
                    let form = match self.words.get(t.text.as_str()) {
                        Some(f) => *f,
                        None => {
                            let f = analyzer.normalize_word(&t.text).map(|text| {
                                self.forms.push(Form {
                                    text,
                                    plain: UNSET,
                                    negated: UNSET,
                                });
                                (self.forms.len() - 1) as u32
                            });
                            self.words.insert(t.text.clone(), f);
                            f
                        }
                    };
                    form.map(|f| self.form_term(f as usize, negated))
                }
            };
            if let Some(term) = term {
                out.push((term, t.in_parens));
            }
        }
    }
}

/// The names holding each term. Chapters and blocks are never suggested:
/// their titles serve as context only (read through NAME_TERMS), not as
/// candidates.
pub(super) fn postings(names: &[Name], flags: &[u16], nterms: usize) -> Vec<Vec<u32>> {
    let mut postings: Vec<Vec<u32>> = vec![Vec::new(); nterms];
    for (nid, n) in names.iter().enumerate() {
        if flags[n.doc as usize] & (FLAG_CHAPTER | FLAG_BLOCK) != 0 {
            continue;
        }
        for (t, _) in &n.terms {
            postings[*t as usize].push(nid as u32);
        }
    }
    postings
}

/// The BM25 idf of each term over the names. Index paths repeat their
/// codes' words many times over ("Accident, transport, …"): a word's rarity
/// is counted over the titles and inclusion terms only, so adding a book
/// does not reweigh the manuals.
pub(super) fn idf(postings: &[Vec<u32>], names: &[Name]) -> Vec<f32> {
    let counted = |nid: &u32| names[*nid as usize].kind != NAME_INDEX;
    let total = names.iter().filter(|n| n.kind != NAME_INDEX).count() as f32;
    postings
        .iter()
        .map(|p| {
            let df = p.iter().filter(|n| counted(n)).count() as f32;
            (1.0 + (total - df + 0.5) / (df + 0.5)).ln()
        })
        .collect()
}

/// Where each doc's names start ([`NO_DOC`] for none); sets
/// [`FLAG_HAS_NOS`] on docs that hold an "NOS" inclusion term.
pub(super) fn first_names(names: &[Name], flags: &mut [u16]) -> Vec<u32> {
    let mut first_name = vec![NO_DOC; flags.len()];
    for (nid, n) in names.iter().enumerate().rev() {
        first_name[n.doc as usize] = nid as u32;
        if n.kind == NAME_NOS {
            flags[n.doc as usize] |= FLAG_HAS_NOS;
        }
    }
    first_name
}
