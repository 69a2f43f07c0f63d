//! One writer per section of the index file (the layout is
//! [`crate::index::format`]'s), and [`assemble`], which lays them out
//! behind the header and section table and closes the file with its CRC.

use super::Rows;
use super::names::Name;
use crate::error::Error;
use crate::index::format::*;
use crate::index::meta::Meta;
use crate::index::{ManualSource, TitleWeights};
use crate::manual::{Kind, code_key};
use crate::text::WordCache;
use crate::vocab::{ExpansionKind, VocabFile, Vocabulary};
use std::collections::{BTreeMap, HashSet};

/// The per-doc fields that [`docs`] writes besides the row itself.
pub(super) struct DocLinks<'a> {
    /// Parent doc of each doc.
    pub parent: &'a [u32],
    /// Default billable code of each doc.
    pub default_child: &'a [u32],
    /// `FLAG_*` bits of each doc.
    pub flags: &'a [u16],
    /// First name of each doc.
    pub first_name: &'a [u32],
}

/// DOCS (fixed-size rows) and the STRINGS they point into.
pub(super) fn docs(entries: &Rows, links: &DocLinks) -> (Vec<u8>, Vec<u8>) {
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
        let detail = crate::index::detail::Detail::of(e);
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
            links.parent[id],
            links.default_child[id],
        ] {
            docs.extend_from_slice(&v.to_le_bytes());
        }
        docs.extend_from_slice(&sys.to_le_bytes());
        docs.extend_from_slice(&links.flags[id].to_le_bytes());
        docs.extend_from_slice(&links.first_name[id].to_le_bytes());
    }
    (docs, strings)
}

/// NAMES (doc, weight of the essential terms, where its terms start, how
/// many, kind) and NAME_TERMS (term ids, top bit = optional).
pub(super) fn names(names: &[Name], weights: &TitleWeights, idf: &[f32]) -> (Vec<u8>, Vec<u8>) {
    let mut name_bytes = Vec::with_capacity(names.len() * NAME_LEN);
    let mut name_terms = Vec::new();
    for n in names {
        let weight: f32 = n
            .terms
            .iter()
            .filter(|(_, opt)| !opt)
            .map(|(t, _)| weights.of(*t, idf[*t as usize]))
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
    (name_bytes, name_terms)
}

/// POSTING_OFFSETS (one per term, plus the end) and POSTINGS (name ids).
pub(super) fn postings(postings: &[Vec<u32>]) -> (Vec<u8>, Vec<u8>) {
    let mut offsets = Vec::with_capacity((postings.len() + 1) * 4);
    let mut post_bytes = Vec::new();
    for p in postings {
        offsets.extend_from_slice(&((post_bytes.len() / 4) as u32).to_le_bytes());
        for n in p {
            post_bytes.extend_from_slice(&n.to_le_bytes());
        }
    }
    offsets.extend_from_slice(&((post_bytes.len() / 4) as u32).to_le_bytes());
    (offsets, post_bytes)
}

/// TERM_IDF: one f32 per term id.
pub(super) fn idf(idf: &[f32]) -> Vec<u8> {
    idf.iter().flat_map(|f| f.to_le_bytes()).collect()
}

/// TERMS: the fst of term → id.
pub(super) fn terms(term_ids: &BTreeMap<String, u32>) -> Result<Vec<u8>, Error> {
    let mut b = fst::MapBuilder::memory();
    for (t, id) in term_ids {
        b.insert(t.as_bytes(), u64::from(*id))?;
    }
    Ok(b.into_inner()?)
}

/// WORDS: the fst of the titles' surface words (3+ plain letters) → term.
pub(super) fn words(words: &WordCache, term_ids: &BTreeMap<String, u32>) -> Result<Vec<u8>, Error> {
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
    Ok(b.into_inner()?)
}

/// CODES: the fst of `code\0<system>` → doc. A code with several rows
/// (kept per release, see `crate::release`) has its later rows under the
/// key plus a suffix byte, so a prefix walk finds them all, first row first.
/// A block named after its only category (B20, Z16, F99) is left out, so the
/// code finds the category, not the header over it.
pub(super) fn codes(entries: &Rows) -> Result<Vec<u8>, Error> {
    let categories: HashSet<(u16, String)> = entries
        .iter()
        .filter(|(_, e)| e.kind != Kind::Block)
        .map(|(sys, e)| (*sys, code_key(&e.code)))
        .collect();
    let mut keys: Vec<(Vec<u8>, u32)> = entries
        .iter()
        .enumerate()
        .filter(|(_, (sys, e))| {
            e.kind != Kind::Block || !categories.contains(&(*sys, code_key(&e.code)))
        })
        .map(|(id, (sys, e))| {
            let mut k = code_key(&e.code).into_bytes();
            k.push(0);
            k.push(*sys as u8);
            (k, id as u32)
        })
        .collect();
    keys.sort();
    let mut b = fst::MapBuilder::memory();
    let mut last: (Vec<u8>, u8) = (Vec::new(), 0);
    for (mut k, id) in keys {
        if k == last.0 {
            last.1 = last.1.saturating_add(1);
            k.push(last.1);
        } else {
            last = (k.clone(), 0);
        }
        if last.1 < u8::MAX {
            b.insert(k, u64::from(id))?;
        }
    }
    Ok(b.into_inner()?)
}

/// PHRASES (fst of normalised vocabulary keys → offset) and PHRASE_DATA
/// (per key, one `kind\tfrom\tto` line per expansion, then an empty line).
pub(super) fn phrases(vocab: &Vocabulary) -> Result<(Vec<u8>, Vec<u8>), Error> {
    let mut keys: Vec<&String> = vocab.phrases.keys().collect();
    keys.sort();
    let mut data = Vec::new();
    let mut b = fst::MapBuilder::memory();
    for k in keys {
        b.insert(k.as_bytes(), data.len() as u64)?;
        for e in &vocab.phrases[k] {
            let kind = ExpansionKind::ALL
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
    Ok((b.into_inner()?, data))
}

/// META: the manuals with their sources, the vocabulary file names and the
/// longest phrase, as JSON.
pub(super) fn meta(
    manuals: &[ManualSource],
    vocab_files: &[VocabFile],
    vocab: &Vocabulary,
) -> Result<Vec<u8>, Error> {
    let meta = Meta {
        format: FORMAT_VERSION,
        built_by: env!("CARGO_PKG_VERSION").to_string(),
        manuals: manuals.iter().map(|m| m.info.clone()).collect(),
        vocabulary: vocab_files.iter().map(|f| f.name.clone()).collect(),
        phrase_words: vocab.max_phrase_words,
    };
    serde_json::to_vec(&meta).map_err(|e| Error::Import {
        file: "index meta".into(),
        message: e.to_string(),
    })
}

/// VOCAB: the vocabulary files' names and text, as JSON, so the query side
/// analyses exactly like the builder.
pub(super) fn vocab(vocab_files: &[VocabFile]) -> Result<Vec<u8>, Error> {
    serde_json::to_vec(
        &vocab_files
            .iter()
            .map(|f| (&f.name, &f.text))
            .collect::<Vec<_>>(),
    )
    .map_err(|e| Error::Import {
        file: "index vocabulary".into(),
        message: e.to_string(),
    })
}

/// Lays out header, section table, aligned sections and footer.
pub(super) fn assemble(sections: &[(Section, &[u8])]) -> Vec<u8> {
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
