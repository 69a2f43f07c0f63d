//! Compiling manuals and vocabulary into an index file.

use super::format::*;
use super::meta::{ManualInfo, Meta};
use crate::error::Error;
use crate::manual::{Entry, Kind, code_key};
use crate::vocab::{VocabFile, Vocabulary};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// A manual to put in the index.
#[derive(Debug, Clone)]
pub struct ManualSource {
    /// Where it came from, for `--explain` and staleness checks.
    pub info: ManualInfo,
    /// Its rows.
    pub entries: Vec<Entry>,
}

struct Name {
    doc: u32,
    kind: u8,
    terms: Vec<(u32, bool)>,
}

/// Builds the bytes of an index.
pub fn build(manuals: &[ManualSource], vocab_files: &[VocabFile]) -> Result<Vec<u8>, Error> {
    let (vocab, analyzer) = Vocabulary::load(vocab_files)?;
    let entries: Vec<(u16, &Entry)> = manuals
        .iter()
        .enumerate()
        .flat_map(|(i, m)| m.entries.iter().map(move |e| (i as u16, e)))
        .collect();

    // Docs and hierarchy.
    let mut by_code: HashMap<(u16, String), u32> = HashMap::new();
    for (id, (sys, e)) in entries.iter().enumerate() {
        by_code
            .entry((*sys, code_key(&e.code)))
            .or_insert(id as u32);
    }
    let parent: Vec<u32> = entries
        .iter()
        .map(|(sys, e)| {
            e.parent
                .as_ref()
                .and_then(|p| by_code.get(&(*sys, code_key(p))).copied())
                .unwrap_or(NO_DOC)
        })
        .collect();
    let mut children: Vec<Vec<u32>> = vec![Vec::new(); entries.len()];
    for (id, p) in parent.iter().enumerate() {
        if *p != NO_DOC {
            children[*p as usize].push(id as u32);
        }
    }
    let seventh_suffix = |id: usize| -> Option<(String, bool)> {
        let p = parent[id];
        if p == NO_DOC {
            return None;
        }
        let (pe, e) = (entries[p as usize].1, entries[id].1);
        let rest = e
            .title
            .strip_prefix(pe.title.as_str())?
            .strip_prefix(", ")?;
        if pe.billable || !is_seventh_of(&pe.code, &e.code) {
            return None;
        }
        let first = children[p as usize].first().copied() == Some(id as u32);
        Some((rest.to_string(), first))
    };
    let mut flags = vec![0u16; entries.len()];
    let mut names: Vec<Name> = Vec::new();
    let mut term_ids: BTreeMap<String, u32> = BTreeMap::new();
    let mut raw_terms: Vec<Vec<(String, bool)>> = Vec::new();
    let mut name_meta: Vec<(u32, u8)> = Vec::new();
    let mut words = crate::text::WordCache::default();
    for (id, (_, e)) in entries.iter().enumerate() {
        let mut f = 0;
        if e.billable {
            f |= FLAG_BILLABLE;
        }
        match e.kind {
            Kind::Chapter => f |= FLAG_CHAPTER,
            Kind::Block => f |= FLAG_BLOCK,
            Kind::Code => {}
        }
        let suffix = seventh_suffix(id);
        if let Some((_, is_default)) = &suffix {
            f |= FLAG_SEVENTH;
            if !is_default {
                f |= FLAG_NONDEFAULT_SEVENTH;
            }
        }
        flags[id] = f;
        let analyzed = analyzer.terms_cached(&e.title, &mut words);
        let mut title_terms: Vec<(String, bool)> =
            analyzed.into_iter().map(|t| (t.text, t.optional)).collect();
        if let Some((suffix, _)) = &suffix {
            let n = analyzer.terms_cached(suffix, &mut words).len();
            let len = title_terms.len();
            for t in &mut title_terms[len.saturating_sub(n)..] {
                t.1 = true;
            }
        }
        raw_terms.push(title_terms);
        name_meta.push((id as u32, NAME_TITLE));
        for s in e.synonyms.iter().chain(&e.notes.includes) {
            let analyzed = analyzer.terms_cached(s, &mut words);
            let t: Vec<(String, bool)> =
                analyzed.into_iter().map(|t| (t.text, t.optional)).collect();
            if !t.is_empty() {
                raw_terms.push(t);
                let nos = s
                    .split(|c: char| !c.is_ascii_alphanumeric())
                    .any(|w| w == "NOS");
                name_meta.push((id as u32, if nos { NAME_NOS } else { NAME_SYNONYM }));
            }
        }
    }
    for terms in &raw_terms {
        for (t, _) in terms {
            if !term_ids.contains_key(t) {
                term_ids.insert(t.clone(), 0);
            }
        }
    }
    // Term ids in sorted order, as the fst wants.
    for (i, v) in term_ids.values_mut().enumerate() {
        *v = i as u32;
    }
    let lookup: HashMap<&str, u32> = term_ids.iter().map(|(t, id)| (t.as_str(), *id)).collect();
    for (terms, (doc, kind)) in raw_terms.iter().zip(&name_meta) {
        let mut seen: Vec<(u32, bool)> = Vec::with_capacity(terms.len());
        for (t, opt) in terms {
            let id = lookup[t.as_str()];
            match seen.iter_mut().find(|(x, _)| *x == id) {
                Some(s) => s.1 &= *opt,
                None => seen.push((id, *opt)),
            }
        }
        names.push(Name {
            doc: *doc,
            kind: *kind,
            terms: seen,
        });
    }

    // Postings and idf.
    let nterms = term_ids.len();
    let mut postings: Vec<Vec<u32>> = vec![Vec::new(); nterms];
    for (nid, n) in names.iter().enumerate() {
        // Chapters and blocks are never suggested: their titles serve as
        // context only (read through NAME_TERMS), not as candidates.
        if flags[n.doc as usize] & (FLAG_CHAPTER | FLAG_BLOCK) != 0 {
            continue;
        }
        for (t, _) in &n.terms {
            postings[*t as usize].push(nid as u32);
        }
    }
    let total = names.len() as f32;
    let idf: Vec<f32> = postings
        .iter()
        .map(|p| {
            let df = p.len() as f32;
            (1.0 + (total - df + 0.5) / (df + 0.5)).ln()
        })
        .collect();
    let title_weights = super::TitleWeights::new(
        &analyzer,
        |w| term_ids.get(w).copied(),
        term_ids
            .iter()
            .filter(|(t, _)| t.starts_with(crate::text::NEGATED))
            .map(|(_, id)| *id)
            .collect(),
    );

    // Default billable descendant of each non-billable code.
    let default_child: Vec<u32> = (0..entries.len())
        .map(|id| {
            let mut cur = id;
            for _ in 0..8 {
                let e = entries[cur].1;
                if e.billable {
                    return if cur == id { NO_DOC } else { cur as u32 };
                }
                if e.kind != Kind::Code {
                    return NO_DOC;
                }
                match pick_default(&entries[cur].1.title, &children[cur], &entries) {
                    Some(c) => cur = c as usize,
                    None => return NO_DOC,
                }
            }
            NO_DOC
        })
        .collect();

    // Where each doc's names start, and which docs hold an "NOS" note.
    let mut first_name = vec![NO_DOC; entries.len()];
    for (nid, n) in names.iter().enumerate().rev() {
        first_name[n.doc as usize] = nid as u32;
        if n.kind == NAME_NOS {
            flags[n.doc as usize] |= FLAG_HAS_NOS;
        }
    }
    // Serialize.
    let mut strings: Vec<u8> = Vec::new();
    let mut push_str = |s: &str| {
        let off = strings.len() as u32;
        strings.extend_from_slice(s.as_bytes());
        (off, s.len() as u32)
    };
    let mut docs = Vec::with_capacity(entries.len() * DOC_LEN);
    for (id, (sys, e)) in entries.iter().enumerate() {
        let code = push_str(&e.code);
        let title = push_str(&e.title);
        let detail = super::detail::Detail::of(e);
        let detail = if detail.is_empty() {
            (0, 0)
        } else {
            push_str(&serde_json::to_string(&detail).unwrap_or_default())
        };
        for v in [
            code.0,
            code.1,
            title.0,
            title.1,
            detail.0,
            detail.1,
            parent[id],
            default_child[id],
        ] {
            docs.extend_from_slice(&v.to_le_bytes());
        }
        docs.extend_from_slice(&sys.to_le_bytes());
        docs.extend_from_slice(&flags[id].to_le_bytes());
        docs.extend_from_slice(&first_name[id].to_le_bytes());
    }
    let mut name_bytes = Vec::with_capacity(names.len() * NAME_LEN);
    let mut name_terms = Vec::new();
    for n in &names {
        let weight: f32 = n
            .terms
            .iter()
            .filter(|(_, opt)| !opt)
            .map(|(t, _)| title_weights.of(*t, idf[*t as usize]))
            .sum();
        name_bytes.extend_from_slice(&n.doc.to_le_bytes());
        name_bytes.extend_from_slice(&weight.to_le_bytes());
        name_bytes.extend_from_slice(&((name_terms.len() / 4) as u32).to_le_bytes());
        name_bytes.extend_from_slice(&(n.terms.len().min(u16::MAX as usize) as u16).to_le_bytes());
        name_bytes.push(n.kind);
        name_bytes.push(0);
        for (t, opt) in n.terms.iter().take(u16::MAX as usize) {
            let v = if *opt { t | OPTIONAL_BIT } else { *t };
            name_terms.extend_from_slice(&v.to_le_bytes());
        }
    }
    let mut offsets = Vec::with_capacity((nterms + 1) * 4);
    let mut post_bytes = Vec::new();
    for p in &postings {
        offsets.extend_from_slice(&((post_bytes.len() / 4) as u32).to_le_bytes());
        for n in p {
            post_bytes.extend_from_slice(&n.to_le_bytes());
        }
    }
    offsets.extend_from_slice(&((post_bytes.len() / 4) as u32).to_le_bytes());
    let idf_bytes: Vec<u8> = idf.iter().flat_map(|f| f.to_le_bytes()).collect();
    let terms_fst = {
        let mut b = fst::MapBuilder::memory();
        for (t, id) in &term_ids {
            b.insert(t.as_bytes(), u64::from(*id))?;
        }
        b.into_inner()?
    };
    let words_fst = {
        let mut b = fst::MapBuilder::memory();
        for (surface, term) in words.sorted() {
            // A word seen only negated ("without X") has no plain term.
            let Some(id) = term_ids.get(term) else {
                continue;
            };
            if surface.len() >= 3 && surface.bytes().all(|c| c.is_ascii_lowercase()) {
                b.insert(surface.as_bytes(), u64::from(*id))?;
            }
        }
        b.into_inner()?
    };
    let codes_fst = {
        let mut keys: Vec<(Vec<u8>, u32)> = entries
            .iter()
            .enumerate()
            .map(|(id, (sys, e))| {
                let mut k = code_key(&e.code).into_bytes();
                k.push(0);
                k.push(*sys as u8);
                (k, id as u32)
            })
            .collect();
        keys.sort();
        keys.dedup_by(|a, b| a.0 == b.0);
        let mut b = fst::MapBuilder::memory();
        for (k, id) in keys {
            b.insert(k, u64::from(id))?;
        }
        b.into_inner()?
    };
    let (phrases_fst, phrase_data) = {
        let mut keys: Vec<&String> = vocab.phrases.keys().collect();
        keys.sort();
        let mut data = Vec::new();
        let mut b = fst::MapBuilder::memory();
        for k in keys {
            b.insert(k.as_bytes(), data.len() as u64)?;
            for e in &vocab.phrases[k] {
                let kind = crate::vocab::ExpansionKind::ALL
                    .iter()
                    .position(|x| *x == e.kind)
                    .unwrap_or(0);
                let clean = |s: &str| s.replace(['\t', '\n'], " ");
                data.extend_from_slice(
                    format!("{kind}\t{}\t{}\n", clean(&e.from), clean(&e.to)).as_bytes(),
                );
            }
            data.push(b'\n');
        }
        (b.into_inner()?, data)
    };
    let meta = Meta {
        format: FORMAT_VERSION,
        built_by: env!("CARGO_PKG_VERSION").to_string(),
        manuals: manuals.iter().map(|m| m.info.clone()).collect(),
        vocabulary: vocab_files.iter().map(|f| f.name.clone()).collect(),
        phrase_words: vocab.max_phrase_words,
    };
    let meta_bytes = serde_json::to_vec(&meta).map_err(|e| Error::Import {
        file: "index meta".into(),
        message: e.to_string(),
    })?;
    let vocab_bytes = serde_json::to_vec(
        &vocab_files
            .iter()
            .map(|f| (&f.name, &f.text))
            .collect::<Vec<_>>(),
    )
    .map_err(|e| Error::Import {
        file: "index vocabulary".into(),
        message: e.to_string(),
    })?;

    let sections: Vec<(Section, &[u8])> = vec![
        (Section::Meta, &meta_bytes),
        (Section::Vocab, &vocab_bytes),
        (Section::Terms, &terms_fst),
        (Section::PostingOffsets, &offsets),
        (Section::Postings, &post_bytes),
        (Section::TermIdf, &idf_bytes),
        (Section::Names, &name_bytes),
        (Section::NameTerms, &name_terms),
        (Section::Docs, &docs),
        (Section::Strings, &strings),
        (Section::Codes, &codes_fst),
        (Section::Phrases, &phrases_fst),
        (Section::PhraseData, &phrase_data),
        (Section::Words, &words_fst),
    ];
    Ok(assemble(&sections))
}

/// Lays out header, section table, aligned sections and footer.
fn assemble(sections: &[(Section, &[u8])]) -> Vec<u8> {
    let table_end = HEADER_LEN + sections.len() * SECTION_ROW_LEN;
    let mut out = Vec::new();
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    out.extend_from_slice(&(sections.len() as u32).to_le_bytes());
    let mut offset = align8(table_end);
    let mut placed = Vec::new();
    for (s, bytes) in sections {
        out.extend_from_slice(&(*s as u32).to_le_bytes());
        out.extend_from_slice(&(offset as u64).to_le_bytes());
        out.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
        placed.push((offset, *bytes));
        offset = align8(offset + bytes.len());
    }
    for (off, bytes) in placed {
        out.resize(off, 0);
        out.extend_from_slice(bytes);
    }
    out.resize(align8(out.len()), 0);
    let crc = crc32fast::hash(&out);
    out.extend_from_slice(&crc.to_le_bytes());
    out.extend_from_slice(END_MAGIC);
    out
}

fn align8(n: usize) -> usize {
    n.div_ceil(8) * 8
}

/// Whether `child` is `parent` plus one 7th character (after X padding).
fn is_seventh_of(parent: &str, child: &str) -> bool {
    let p: String = parent.chars().filter(|c| *c != '.').collect();
    let c: String = child.chars().filter(|c| *c != '.').collect();
    c.len() == 7 && p.len() < 7 && c.starts_with(&p) && c[p.len()..6].chars().all(|x| x == 'X')
}

/// Words that add no detail to a title: a child whose title adds only
/// these to its parent's is the parent's default ("Cannabis abuse,
/// uncomplicated"; "Type 1 diabetes mellitus without complications"; and,
/// where no child is unspecified, the catch-all "Other pulmonary
/// embolism").
const NO_DETAIL_WORDS: &[&str] = &[
    "other",
    "unspecified",
    "uncomplicated",
    "without",
    "complication",
    "complications",
    "nos",
    "site",
    "unsp",
    "type",
    // Intent: when the record does not say, a coder takes "accidental".
    "accidental",
    "unintentional",
];

/// The child a coder takes when the text gives no detail: the first
/// 7th-character code (initial encounter) of a code that needs one;
/// otherwise the child whose title adds the fewest words of detail to its
/// parent's; ties go to an "unspecified"/"uncomplicated"/"without" title,
/// then an "other" title, then the code ending in 9, then 0.
fn pick_default(parent_title: &str, children: &[u32], entries: &[(u16, &Entry)]) -> Option<u32> {
    let first = entries[*children.first()? as usize].1;
    let parent_code = first.parent.clone().unwrap_or_default();
    if is_seventh_of(&parent_code, &first.code) || children.len() == 1 {
        return children.first().copied();
    }
    // Words that state detail; what follows "without", "not" or
    // "unspecified as" (up to the next comma) denies or leaves open detail
    // ("not specified as recurrent", "not intractable"), so it states none.
    let words = |t: &str| -> Vec<String> {
        t.split(',')
            .flat_map(|clause| {
                let mut out = Vec::new();
                let mut negated = false;
                let tokens: Vec<String> = crate::text::tokenize(clause)
                    .into_iter()
                    .map(|w| w.text)
                    .collect();
                for (i, w) in tokens.iter().enumerate() {
                    if w == "with" {
                        negated = false;
                    }
                    if w == "without"
                        || w == "not"
                        || (w == "unspecified" && tokens.get(i + 1).is_some_and(|n| n == "as"))
                    {
                        negated = true;
                    }
                    if !negated && !crate::text::Analyzer::is_stop(w) {
                        out.push(w.clone());
                    }
                }
                out
            })
            .collect()
    };
    let parent_title = words(parent_title);
    children
        .iter()
        .map(|c| {
            let e = entries[*c as usize].1;
            let extra = words(&e.title)
                .iter()
                .filter(|w| !parent_title.contains(w) && !NO_DETAIL_WORDS.contains(&w.as_str()))
                .count();
            let t = e.title.to_ascii_lowercase();
            let kind = if ["unspecified", "uncomplicated", "without"]
                .iter()
                .any(|w| t.contains(w))
            {
                0
            } else if t.starts_with("other") {
                1
            } else {
                2
            };
            let tail = if e.code.ends_with('9') {
                0
            } else if e.code.ends_with('0') {
                1
            } else {
                2
            };
            ((extra, kind, tail), *c)
        })
        .min()
        .map(|(_, c)| c)
}

/// Builds and writes an index atomically.
pub fn build_to(
    path: &Path,
    manuals: &[ManualSource],
    vocab_files: &[VocabFile],
) -> Result<(), Error> {
    let bytes = build(manuals, vocab_files)?;
    crate::atomic::write_bytes(path, &bytes)
}
