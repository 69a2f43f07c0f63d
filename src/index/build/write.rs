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
use crate::vocab::{ExpansionKind, VocabFile, Vocabulary};
use std::collections::BTreeMap;

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

/// The sections [`docs`] writes.
pub(super) struct DocSections {
    /// DOCS: one [`DOC_LEN`]-byte record per row.
    pub docs: Vec<u8>,
    /// STRINGS: each row's code, then its title.
    pub strings: Vec<u8>,
    /// DETAILS: each row's detail.
    pub details: Vec<u8>,
    /// DETAIL_DICTIONARY.
    pub dictionary: Vec<u8>,
}

/// How much of one sampled detail goes into the detail dictionary.
const SAMPLE_MAX: usize = 1024;

/// The detail dictionary: the starts of details taken at even steps
/// through the manuals, up to [`DETAIL_DICTIONARY_MAX`].
fn detail_dictionary(details: &[Option<Vec<u8>>]) -> Vec<u8> {
    let with: Vec<&[u8]> = details.iter().flatten().map(|d| d.as_slice()).collect();
    let total: usize = with.iter().map(|d| d.len().min(SAMPLE_MAX)).sum();
    let step = total.div_ceil(DETAIL_DICTIONARY_MAX).max(1);
    let mut dict = Vec::with_capacity(DETAIL_DICTIONARY_MAX);
    for d in with.iter().step_by(step) {
        let take = d
            .len()
            .min(SAMPLE_MAX)
            .min(DETAIL_DICTIONARY_MAX - dict.len());
        dict.extend_from_slice(&d[..take]);
        if dict.len() == DETAIL_DICTIONARY_MAX {
            break;
        }
    }
    dict
}

/// Each row's detail as stored ([`Section::Details`]), and the
/// dictionary they are packed against.
pub(super) struct Details {
    /// Each row's stored detail (empty: none).
    pub rows: Vec<Vec<u8>>,
    /// DETAIL_DICTIONARY.
    pub dictionary: Vec<u8>,
}

/// The details of every row, packed (independent of the other phases).
pub(super) fn details(entries: &Rows) -> Result<Details, Error> {
    let json: Vec<Option<Vec<u8>>> = entries
        .iter()
        .map(|(_, e)| {
            let detail = crate::index::detail::Detail::of(e);
            if detail.is_empty() {
                return Ok(None);
            }
            serde_json::to_vec(&detail).map(Some)
        })
        .collect::<Result<_, _>>()
        .map_err(|e| Error::Import {
            file: "index detail".into(),
            message: e.to_string(),
        })?;
    let dictionary = detail_dictionary(&json);
    let rows = json
        .into_iter()
        .map(|json| {
            let Some(json) = json else {
                return Vec::new();
            };
            let packed = lz4_flex::block::compress_with_dict(&json, &dictionary);
            if packed.len() + 5 < json.len() && json.len() <= DETAIL_MAX {
                let mut row = Vec::with_capacity(packed.len() + 5);
                row.push(DETAIL_PACKED);
                row.extend_from_slice(&(json.len() as u32).to_le_bytes());
                row.extend_from_slice(&packed);
                row
            } else {
                json
            }
        })
        .collect();
    Ok(Details { rows, dictionary })
}

/// DOCS (fixed-size rows), the STRINGS and the DETAILS they point into.
pub(super) fn docs(
    entries: &Rows,
    links: &DocLinks,
    details: Details,
) -> Result<DocSections, Error> {
    let too_big = |what: &str| Error::Import {
        file: "index".into(),
        message: format!("{what}; the index cannot hold it"),
    };
    let offset = |len: usize, what: &str| u32::try_from(len).map_err(|_| too_big(what));
    let mut out = DocSections {
        docs: Vec::with_capacity(entries.len() * DOC_LEN),
        strings: Vec::new(),
        details: Vec::with_capacity(details.rows.iter().map(Vec::len).sum()),
        dictionary: details.dictionary,
    };
    for (id, (sys, e)) in entries.iter().enumerate() {
        let str_off = offset(out.strings.len(), "the codes and titles pass 4 GB")?;
        let code_len =
            u8::try_from(e.code.len()).map_err(|_| too_big("a code is longer than 255 bytes"))?;
        let system = u8::try_from(*sys).map_err(|_| too_big("more than 256 manuals"))?;
        out.strings.extend_from_slice(e.code.as_bytes());
        out.strings.extend_from_slice(e.title.as_bytes());
        let detail_off = offset(out.details.len(), "the details pass 4 GB")?;
        out.details.extend_from_slice(&details.rows[id]);
        for v in [
            str_off,
            detail_off,
            links.parent[id],
            links.default_child[id],
            links.first_name[id],
        ] {
            out.docs.extend_from_slice(&v.to_le_bytes());
        }
        out.docs.push(code_len);
        out.docs.push(system);
        out.docs.extend_from_slice(&links.flags[id].to_le_bytes());
    }
    offset(out.details.len(), "the details pass 4 GB")?;
    offset(out.strings.len(), "the codes and titles pass 4 GB")?;
    Ok(out)
}

/// NAMES (doc, weight of the essential terms, where its terms start and
/// its kind) and NAME_TERMS (term ids, u16 when there are at most
/// [`NARROW_TERMS`] terms, top bit = optional).
pub(super) fn names(
    names: &[Name],
    weights: &TitleWeights,
    idf: &[f32],
) -> Result<(Vec<u8>, Vec<u8>), Error> {
    let narrow = idf.len() <= NARROW_TERMS;
    let mut name_bytes = Vec::with_capacity(names.len() * NAME_LEN);
    let total: usize = names.iter().map(|n| n.terms.len()).sum();
    if total >= 1 << NAME_START_BITS {
        return Err(Error::Import {
            file: "index".into(),
            message: "the names hold too many terms for the index".into(),
        });
    }
    let mut name_terms = Vec::with_capacity(total * if narrow { 2 } else { 4 });
    let mut start = 0u32;
    for n in names {
        let weight: f32 = n
            .terms
            .iter()
            .filter(|(_, opt)| !opt)
            .map(|(t, _)| weights.of(*t, idf[*t as usize]))
            .sum();
        name_bytes.extend_from_slice(&n.doc.to_le_bytes());
        name_bytes.extend_from_slice(&weight.to_le_bytes());
        name_bytes.extend_from_slice(&(start | u32::from(n.kind) << NAME_START_BITS).to_le_bytes());
        start += n.terms.len() as u32;
        for (t, opt) in &n.terms {
            if narrow {
                let v = *t as u16 | if *opt { OPTIONAL_BIT_NARROW } else { 0 };
                name_terms.extend_from_slice(&v.to_le_bytes());
            } else {
                let v = if *opt { t | OPTIONAL_BIT } else { *t };
                name_terms.extend_from_slice(&v.to_le_bytes());
            }
        }
    }
    Ok((name_bytes, name_terms))
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
pub(super) fn words(
    words: &[(String, String)],
    term_ids: &BTreeMap<String, u32>,
) -> Result<Vec<u8>, Error> {
    let mut b = fst::MapBuilder::memory();
    for (surface, term) in words {
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
    // (key, block, doc), sorted by key then doc: one code key per row.
    let mut keys: Vec<(Vec<u8>, bool, u32)> = entries
        .iter()
        .enumerate()
        .map(|(id, (sys, e))| {
            let mut k = code_key(&e.code).into_bytes();
            k.push(0);
            k.push(*sys as u8);
            (k, e.kind == Kind::Block, id as u32)
        })
        .collect();
    keys.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(a.2.cmp(&b.2)));
    let mut b = fst::MapBuilder::memory();
    for group in keys.chunk_by(|x, y| x.0 == y.0) {
        let category = group.iter().any(|(_, block, _)| !block);
        let kept = group.iter().filter(|(_, block, _)| !(category && *block));
        for (n, (k, _, id)) in kept.enumerate().take(usize::from(u8::MAX)) {
            if n == 0 {
                b.insert(k, u64::from(*id))?;
            } else {
                let mut k = k.clone();
                k.push(n as u8);
                b.insert(k, u64::from(*id))?;
            }
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

/// Writes header, section table, aligned sections and footer to `w`
/// (the CRC computed as they pass, so the file is never copied whole).
pub(super) fn assemble<W: std::io::Write>(
    sections: &[(Section, &[u8])],
    w: &mut W,
) -> std::io::Result<()> {
    let mut crc = crc32fast::Hasher::new();
    let mut put = |w: &mut W, b: &[u8]| {
        crc.update(b);
        w.write_all(b)
    };
    let table_end = HEADER_LEN + sections.len() * SECTION_ROW_LEN;
    let mut head = Vec::with_capacity(table_end);
    head.extend_from_slice(MAGIC);
    head.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    head.extend_from_slice(&(sections.len() as u32).to_le_bytes());
    let mut offset = align8(table_end);
    for (s, bytes) in sections {
        head.extend_from_slice(&(*s as u32).to_le_bytes());
        head.extend_from_slice(&(offset as u64).to_le_bytes());
        head.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
        offset = align8(offset + bytes.len());
    }
    put(w, &head)?;
    let mut at = table_end;
    for (_, bytes) in sections {
        put(w, &[0; 8][..align8(at) - at])?;
        put(w, bytes)?;
        at = align8(at) + bytes.len();
    }
    put(w, &[0; 8][..align8(at) - at])?;
    w.write_all(&crc.finalize().to_le_bytes())?;
    w.write_all(END_MAGIC)
}

fn align8(n: usize) -> usize {
    n.div_ceil(8) * 8
}
