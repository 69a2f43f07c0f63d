//! The index: manuals compiled into one file that is read into memory,
//! checked and read in place.
//!
//! [`build`] writes it; [`Index`] reads it. Readers are generic over
//! `D: AsRef<[u8]>` so tests and the binary hand them bytes ([`open`]).
//! Opening checks magic, version, the CRC-32 of the whole file and then
//! every offset, length, count and id ([`validate`]), so a damaged index is
//! refused, never used silently. The cache's own indexes are opened with
//! [`open_stamped`]: those checks run once per file identity (a stamp file
//! beside the index), not on every start; any write to the file changes its
//! identity and brings them back. A file a user names ([`open`]) is read,
//! not mapped: replacing or overwriting it under a running process cannot
//! crash that process. The cache's own files, which medcoder only ever
//! replaces (a new file renamed over the old) in a directory no one else
//! may write, are mapped ([`open_stamped`], [`Bytes`]): a start then reads
//! only the pages a search touches, not the whole file.
//! Not for: scoring (see [`crate::search`]).

pub mod build;
pub mod detail;
pub mod format;
pub mod meta;
mod releases;
#[cfg(test)]
pub(crate) mod testkit;
#[cfg(test)]
mod tests;
pub mod title_weights;
mod validate;

pub use build::{ManualSource, build_to};
pub use detail::Detail;
pub use meta::{ManualInfo, Meta};
pub use title_weights::TitleWeights;

use crate::error::Error;
use crate::text::Analyzer;
use crate::vocab::{Expansion, ExpansionKind, VocabFile, Vocabulary};
use format::*;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// One row of a manual as stored in the index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Doc<'a> {
    /// Doc id.
    pub id: u32,
    /// The code as printed.
    pub code: &'a str,
    /// The title.
    pub title: &'a str,
    /// Parent doc, if any.
    pub parent: Option<u32>,
    /// The billable code a coder takes when no detail is given.
    pub default_child: Option<u32>,
    /// Index into [`Meta::manuals`].
    pub system: u16,
    /// `FLAG_*` bits.
    pub flags: u16,
}

impl Doc<'_> {
    /// Valid on a claim.
    pub fn billable(&self) -> bool {
        self.flags & FLAG_BILLABLE != 0
    }

    /// A code (not a chapter or block).
    pub fn is_code(&self) -> bool {
        self.flags & (FLAG_CHAPTER | FLAG_BLOCK) == 0
    }
}

/// One searchable name of a doc (its title or an inclusion term).
#[derive(Debug, Clone, Copy)]
pub struct NameRef {
    /// The doc it names.
    pub doc: u32,
    /// Sum of the idf of its essential terms.
    pub weight: f32,
    /// Title or synonym.
    pub kind: u8,
    /// Where its terms start and end in NAME_TERMS.
    terms: (u32, u32),
}

/// A read-only index over bytes `D`.
pub struct Index<D: AsRef<[u8]>> {
    data: D,
    sections: [Range<usize>; 18],
    /// NAME_TERMS holds u16 ids (see [`NARROW_TERMS`]).
    narrow: bool,
    meta: Meta,
    vocab_files: Vec<VocabFile>,
    path: PathBuf,
    instance: u64,
}

/// Hands out [`Index::instance`] numbers.
static INSTANCES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

impl<D: AsRef<[u8]>> std::fmt::Debug for Index<D> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Index")
            .field("path", &self.path)
            .field("docs", &self.doc_count())
            .finish()
    }
}

/// Reads `path` into memory and opens it as an index; a path that is not
/// a regular file (a FIFO would block) is refused unread. Being a copy,
/// nothing done to the file later can change what this process reads.
pub fn open(path: &Path) -> Result<Index<Vec<u8>>, Error> {
    let (bytes, _) = read_regular(path)?;
    Index::from_bytes(bytes, path)
}

/// [`open`] as [`Bytes`], for code that opens either kind of file.
pub fn open_read(path: &Path) -> Result<Index<Bytes>, Error> {
    let (bytes, _) = read_regular(path)?;
    Index::from_bytes(Bytes::Read(bytes), path)
}

/// The bytes of an index file: read into memory ([`open`]), or mapped
/// ([`open_stamped`]).
pub enum Bytes {
    /// A copy in memory.
    Read(Vec<u8>),
    /// The file mapped read-only.
    Mapped(memmap2::Mmap),
}

impl AsRef<[u8]> for Bytes {
    fn as_ref(&self) -> &[u8] {
        match self {
            Bytes::Read(v) => v,
            Bytes::Mapped(m) => m,
        }
    }
}

/// As [`open`], but the file is mapped, not read (see the module
/// documentation: only for the cache's own files), and the checksum and
/// the structural checks run once per file identity: `stamp` (a file medcoder owns, in its private cache)
/// records the identity (device, inode, size, mtime, ctime, stored CRC) of
/// a file that passed every check. When the file read now has that
/// identity, unchanged while it was read, the checks are skipped; any
/// write to the file changes its ctime, so a file changed since is checked
/// again in full. A file changed within the last [`STAMP_SETTLE`] is
/// never stamped (a write in the same clock tick could go unseen), and a
/// stamp that cannot be written is only a slower next start.
pub fn open_stamped(path: &Path, stamp: &Path) -> Result<Index<Bytes>, Error> {
    let (bytes, meta) = map_regular(path)?;
    let Some(meta) = meta else {
        return Index::from_bytes(bytes, path);
    };
    let line = format!("{} {:08x}\n", identity(&meta), stored_crc(bytes.as_ref()));
    if std::fs::read(stamp).is_ok_and(|s| s == line.as_bytes()) {
        return Index::open_bytes(bytes, path, false);
    }
    let idx = Index::from_bytes(bytes, path)?;
    if settled(&meta) {
        write_stamp(stamp, &line);
    }
    Ok(idx)
}

/// How long a file must have been left alone before its identity is stamped.
pub const STAMP_SETTLE: std::time::Duration = std::time::Duration::from_secs(2);

/// The bytes of a regular file and, when it did not change while it was
/// read, its metadata.
fn read_regular(path: &Path) -> Result<(Vec<u8>, Option<std::fs::Metadata>), Error> {
    use std::io::Read;
    let mut file = crate::error::open_regular(path, "an index file (*.mcx)")?;
    let before = file.metadata().map_err(|e| Error::io(path, e))?;
    let mut bytes = Vec::with_capacity(usize::try_from(before.len()).unwrap_or(0));
    file.read_to_end(&mut bytes)
        .map_err(|e| Error::io(path, e))?;
    let after = file.metadata().map_err(|e| Error::io(path, e))?;
    let unchanged = identity(&before) == identity(&after) && after.len() == bytes.len() as u64;
    Ok((bytes, unchanged.then_some(after)))
}

/// A regular file mapped read-only and, when it did not change while it
/// was mapped, its metadata; an empty file is read (nothing to map).
fn map_regular(path: &Path) -> Result<(Bytes, Option<std::fs::Metadata>), Error> {
    let file = crate::error::open_regular(path, "an index file (*.mcx)")?;
    let before = file.metadata().map_err(|e| Error::io(path, e))?;
    if before.len() == 0 {
        return Ok((Bytes::Read(Vec::new()), None));
    }
    // SAFETY: the map is read-only and private to this process; the files
    // mapped are the cache's own, in a directory only this user may write
    // (`store::check_private`), which medcoder replaces by renaming a new
    // file over them and never writes in place, so the mapped bytes do not
    // change under the process. What they hold is checked like read bytes.
    let map = unsafe { memmap2::Mmap::map(&file) }.map_err(|e| Error::io(path, e))?;
    let after = file.metadata().map_err(|e| Error::io(path, e))?;
    let unchanged = identity(&before) == identity(&after) && after.len() == map.len() as u64;
    Ok((Bytes::Mapped(map), unchanged.then_some(after)))
}

/// The JSON of a packed detail (after its [`DETAIL_PACKED`] byte): its
/// length u32 (at most [`DETAIL_MAX`]) and the LZ4 block against
/// `dictionary`; `None` when it does not decode to that length.
fn unpack_detail(packed: &[u8], dictionary: &[u8]) -> Option<Vec<u8>> {
    let len = u32_at(packed.get(..4)?, 0) as usize;
    if len > DETAIL_MAX {
        return None;
    }
    let json = lz4_flex::block::decompress_with_dict(&packed[4..], len, dictionary).ok()?;
    (json.len() == len).then_some(json)
}

/// Device, inode, size, mtime and ctime of a file, as one line.
fn identity(m: &std::fs::Metadata) -> String {
    use std::os::unix::fs::MetadataExt;
    format!(
        "{} {} {} {}.{:09} {}.{:09}",
        m.dev(),
        m.ino(),
        m.size(),
        m.mtime(),
        m.mtime_nsec(),
        m.ctime(),
        m.ctime_nsec()
    )
}

/// The CRC the footer claims (0 when there is no footer).
fn stored_crc(b: &[u8]) -> u32 {
    if b.len() < HEADER_LEN + FOOTER_LEN {
        return 0;
    }
    u32_at(b, b.len() - FOOTER_LEN)
}

/// Whether a file was last changed (ctime) more than [`STAMP_SETTLE`] ago.
fn settled(m: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    let Ok(secs) = u64::try_from(m.ctime()) else {
        return false;
    };
    let nanos = u32::try_from(m.ctime_nsec()).unwrap_or(0);
    let changed = std::time::UNIX_EPOCH + std::time::Duration::new(secs, nanos);
    std::time::SystemTime::now()
        .duration_since(changed)
        .is_ok_and(|age| age > STAMP_SETTLE)
}

/// Writes a stamp atomically beside where it belongs (0600); errors are
/// ignored: without a stamp the next open checks in full.
fn write_stamp(stamp: &Path, line: &str) {
    use std::io::Write;
    let Some(dir) = stamp.parent() else {
        return;
    };
    let Ok(mut tmp) = tempfile::Builder::new()
        .prefix(".stamp")
        .suffix(".tmp")
        .tempfile_in(dir)
    else {
        return;
    };
    if tmp.write_all(line.as_bytes()).is_ok() {
        let _ = tmp.persist(stamp);
    }
}

/// The text of a vocabulary file of the index as the query side needs it:
/// `None` for a phrase file ([`crate::vocab::FileKind::phrases_only`]),
/// whose rewrites the builder stored in the phrase fst, so that a start
/// does not copy them (a file whose kind does not read is kept, for the
/// error it gives).
struct QuerySideText(Option<String>);

impl<'de> serde::Deserialize<'de> for QuerySideText {
    fn deserialize<T: serde::Deserializer<'de>>(d: T) -> Result<Self, T::Error> {
        struct Text;
        impl serde::de::Visitor<'_> for Text {
            type Value = QuerySideText;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a vocabulary file's text")
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<QuerySideText, E> {
                let phrases =
                    crate::vocab::FileKind::of_text("", text).is_ok_and(|k| k.phrases_only());
                Ok(QuerySideText((!phrases).then(|| text.to_string())))
            }
        }
        d.deserialize_str(Text)
    }
}

impl<D: AsRef<[u8]>> Index<D> {
    /// Checks and opens index bytes; `path` names them in errors.
    pub fn from_bytes(data: D, path: &Path) -> Result<Self, Error> {
        Self::open_bytes(data, path, true)
    }

    /// Opens index bytes; `full` runs the checksum and the structural
    /// checks (only [`open_stamped`] passes false, for bytes whose file
    /// identity passed them before).
    fn open_bytes(data: D, path: &Path, full: bool) -> Result<Self, Error> {
        let b = data.as_ref();
        let corrupt = |what: &str| Error::Corrupt {
            path: path.to_path_buf(),
            what: what.to_string(),
        };
        if b.len() < 8 || &b[..8] != MAGIC {
            return Err(Error::NotAnIndex {
                path: path.to_path_buf(),
            });
        }
        if b.len() < HEADER_LEN + FOOTER_LEN {
            return Err(corrupt("truncated header"));
        }
        let version = u32_at(b, 8);
        if version != FORMAT_VERSION {
            return Err(Error::Version {
                path: path.to_path_buf(),
                expected: FORMAT_VERSION,
                got: version,
            });
        }
        let body = b.len() - FOOTER_LEN;
        if &b[body + 4..] != END_MAGIC {
            return Err(corrupt("truncated file: footer missing"));
        }
        if full && crc32fast::hash(&b[..body]) != u32_at(b, body) {
            return Err(corrupt("checksum mismatch"));
        }
        let count = u32_at(b, 12) as usize;
        let mut sections: [Range<usize>; 18] = Default::default();
        let mut present = [false; 18];
        for i in 0..count {
            let row = HEADER_LEN + i * SECTION_ROW_LEN;
            if row + SECTION_ROW_LEN > body {
                return Err(corrupt("section table out of bounds"));
            }
            let id = u32_at(b, row) as usize;
            let off =
                u64::from_le_bytes(b[row + 4..row + 12].try_into().unwrap_or_default()) as usize;
            let len =
                u64::from_le_bytes(b[row + 12..row + 20].try_into().unwrap_or_default()) as usize;
            if id >= sections.len() || off.checked_add(len).is_none_or(|end| end > body) {
                return Err(corrupt("section out of bounds"));
            }
            sections[id] = off..off + len;
            present[id] = true;
        }
        if let Some(s) = Section::ALL.iter().find(|s| !present[**s as usize]) {
            return Err(corrupt(&format!("section {s:?} missing")));
        }
        let meta: Meta = serde_json::from_slice(&b[sections[Section::Meta as usize].clone()])
            .map_err(|e| corrupt(&format!("meta: {e}")))?;
        let vocab: Vec<(String, QuerySideText)> =
            serde_json::from_slice(&b[sections[Section::Vocab as usize].clone()])
                .map_err(|e| corrupt(&format!("vocabulary: {e}")))?;
        let narrow = sections[Section::TermIdf as usize].len() / 4 <= NARROW_TERMS;
        let idx = Index {
            data,
            sections,
            narrow,
            meta,
            vocab_files: vocab
                .into_iter()
                .filter_map(|(name, text)| {
                    Some(VocabFile {
                        name,
                        text: text.0?,
                    })
                })
                .collect(),
            path: path.to_path_buf(),
            instance: INSTANCES.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        };
        if full {
            validate::check(&idx).map_err(|e| corrupt(&e))?;
        }
        Ok(idx)
    }

    fn sec(&self, s: Section) -> &[u8] {
        &self.data.as_ref()[self.sections[s as usize].clone()]
    }

    /// Where the index lives.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A number no other index opened by this process has: what buffers
    /// derived from one index (see [`crate::search::Scratch`]) check before
    /// they are reused.
    pub fn instance(&self) -> u64 {
        self.instance
    }

    /// What the index was built from.
    pub fn meta(&self) -> &Meta {
        &self.meta
    }

    /// The manual a doc belongs to.
    pub fn manual(&self, system: u16) -> &ManualInfo {
        &self.meta.manuals[usize::from(system).min(self.meta.manuals.len().saturating_sub(1))]
    }

    /// The word tables of the vocabulary the index was built with (phrase
    /// rewrites are read with [`Index::phrase`]).
    pub fn vocabulary(&self) -> Result<(Vocabulary, Analyzer), Error> {
        Vocabulary::load_words(&self.vocab_files)
    }

    /// The rewrites of a normalised phrase (see [`Analyzer::phrase_key`]).
    pub fn phrase(&self, key: &str) -> Option<Vec<Expansion>> {
        let map = fst::Map::new(self.sec(Section::Phrases)).ok()?;
        let off = map.get(key)? as usize;
        let data = self.sec(Section::PhraseData).get(off..)?;
        let mut out = Vec::new();
        for line in data.split(|b| *b == b'\n') {
            if line.is_empty() {
                break;
            }
            let line = std::str::from_utf8(line).ok()?;
            let mut cols = line.splitn(3, '\t');
            let kind = cols.next()?.parse::<usize>().ok()?;
            let (from, to) = (cols.next()?, cols.next()?);
            let kind = *ExpansionKind::ALL.get(kind)?;
            out.push(Expansion {
                from: from.to_string(),
                to: to.to_string(),
                kind,
            });
        }
        Some(out)
    }

    /// Number of docs (manual rows).
    pub fn doc_count(&self) -> usize {
        self.sec(Section::Docs).len() / DOC_LEN
    }

    /// Number of searchable names.
    pub fn name_count(&self) -> usize {
        self.sec(Section::Names).len() / NAME_LEN
    }

    /// Number of distinct terms.
    pub fn term_count(&self) -> usize {
        self.sec(Section::TermIdf).len() / 4
    }

    /// The term dictionary.
    pub fn terms(&self) -> fst::Map<&[u8]> {
        fst::Map::new(self.sec(Section::Terms)).expect("checked at open")
    }

    /// Whether `key` is a vocabulary phrase, without decoding its expansions.
    pub fn has_phrase(&self, key: &str) -> bool {
        self.phrase_keys().is_some_and(|m| m.contains_key(key))
    }

    /// The normalized keys of every vocabulary phrase (see [`Self::phrase`]).
    pub fn phrase_keys(&self) -> Option<fst::Map<&[u8]>> {
        fst::Map::new(self.sec(Section::Phrases)).ok()
    }

    /// The surface words of the titles (lower case), each mapped to its
    /// term id: what people type, for fuzzy matching and completion.
    pub fn words(&self) -> fst::Map<&[u8]> {
        fst::Map::new(self.sec(Section::Words)).expect("checked at open")
    }

    /// The term ids of `words` as `analyzer` normalizes them, those this
    /// index knows.
    pub fn term_ids(&self, analyzer: &crate::text::Analyzer, words: &[&str]) -> Vec<u32> {
        words
            .iter()
            .filter_map(|w| analyzer.normalize_word(w))
            .filter_map(|w| self.term_id(&w))
            .collect()
    }

    /// Term id of a normalized term.
    pub fn term_id(&self, term: &str) -> Option<u32> {
        self.terms().get(term).map(|v| v as u32)
    }

    /// Inverse document frequency of a term.
    pub fn idf(&self, term: u32) -> f32 {
        f32_at(self.sec(Section::TermIdf), term as usize * 4)
    }

    /// The names containing a term, ascending.
    pub fn postings(&self, term: u32) -> impl ExactSizeIterator<Item = u32> + '_ {
        let offs = self.sec(Section::PostingOffsets);
        let start = u32_at(offs, term as usize * 4) as usize;
        let end = u32_at(offs, term as usize * 4 + 4) as usize;
        let p = self.sec(Section::Postings);
        (start..end).map(move |i| u32_at(p, i * 4))
    }

    /// The names containing a term, ascending, as one slice when the
    /// postings lie 4-byte aligned in memory on a little-endian machine
    /// (always so for an index read into a `Vec`): the candidate walk reads
    /// them without a bounds check per posting. `None` otherwise; then
    /// [`Index::postings`] reads them.
    pub fn postings_slice(&self, term: u32) -> Option<&[u32]> {
        if cfg!(target_endian = "big") {
            return None;
        }
        let offs = self.sec(Section::PostingOffsets);
        let start = u32_at(offs, term as usize * 4) as usize;
        let end = u32_at(offs, term as usize * 4 + 4) as usize;
        // SAFETY: every bit pattern is a valid u32, and `align_to` puts
        // only aligned, whole u32s in the middle slice.
        let (pre, all, _) = unsafe { self.sec(Section::Postings).align_to::<u32>() };
        if !pre.is_empty() {
            return None;
        }
        all.get(start..end)
    }

    /// A name record.
    pub fn name(&self, id: u32) -> NameRef {
        const START: u32 = (1 << NAME_START_BITS) - 1;
        let n = &self.sec(Section::Names)[id as usize * NAME_LEN..];
        let packed = u32_at(n, 8);
        let end = if n.len() > NAME_LEN {
            u32_at(n, NAME_LEN + 8) & START
        } else {
            self.name_term_slots() as u32
        };
        NameRef {
            doc: u32_at(n, 0),
            weight: f32_at(n, 4),
            kind: (packed >> NAME_START_BITS) as u8,
            terms: (packed & START, end),
        }
    }

    /// Number of term ids in NAME_TERMS.
    fn name_term_slots(&self) -> usize {
        self.sec(Section::NameTerms).len() / if self.narrow { 2 } else { 4 }
    }

    /// The weight of a name (see [`NameRef::weight`]), read alone: the
    /// candidate walk needs nothing else of a name.
    pub fn name_weight(&self, id: u32) -> f32 {
        f32_at(self.sec(Section::Names), id as usize * NAME_LEN + 4)
    }

    /// The title name of a doc (its names follow it, in doc order).
    pub fn title_name(&self, doc: u32) -> Option<u32> {
        let n = u32_at(self.sec(Section::Docs), doc as usize * DOC_LEN + 16);
        (n != NO_DOC).then_some(n)
    }

    /// The title weights of this index's terms, read with `analyzer`
    /// (the terms marked negated are those from [`crate::text::NEGATED`] on).
    pub fn title_weights(&self, analyzer: &Analyzer) -> TitleWeights {
        use fst::{IntoStreamer, Streamer};
        let terms = self.terms();
        let mut s = terms.range().ge([crate::text::NEGATED as u8]).into_stream();
        let mut negated = Vec::new();
        while let Some((_, id)) = s.next() {
            negated.push(id as u32);
        }
        let mut weights = TitleWeights::new(analyzer, |w| self.term_id(w), negated);
        weights.tabulate((0..self.term_count() as u32).map(|t| self.idf(t)));
        weights
    }

    /// The name ids of each manual, in the order of `meta().manuals`
    /// (a manual's docs, and so its names, are contiguous).
    pub fn manual_name_ranges(&self) -> Vec<Range<u32>> {
        let mut out = Vec::new();
        let mut doc = 0u32;
        for m in &self.meta().manuals {
            let first = self.title_name(doc).unwrap_or(0);
            doc += m.entries as u32;
            let next = if (doc as usize) < self.doc_count() {
                self.title_name(doc).unwrap_or(first)
            } else {
                self.name_count() as u32
            };
            out.push(first..next);
        }
        out
    }

    /// The terms of a name as (term id, optional).
    pub fn name_terms(&self, name: &NameRef) -> impl Iterator<Item = (u32, bool)> + '_ {
        let t = self.sec(Section::NameTerms);
        let narrow = self.narrow;
        (name.terms.0 as usize..name.terms.1 as usize).map(move |i| {
            if narrow {
                let v = u16_at(t, i * 2);
                (
                    u32::from(v & !OPTIONAL_BIT_NARROW),
                    v & OPTIONAL_BIT_NARROW != 0,
                )
            } else {
                let v = u32_at(t, i * 4);
                (v & !OPTIONAL_BIT, v & OPTIONAL_BIT != 0)
            }
        })
    }

    /// The text of a term id (a walk of the dictionary; for explanations).
    pub fn term_text(&self, id: u32) -> String {
        use fst::Streamer;
        let map = self.terms();
        let mut s = map.stream();
        while let Some((k, v)) = s.next() {
            if v as u32 == id {
                return String::from_utf8_lossy(k).into_owned();
            }
        }
        String::new()
    }

    fn str_at(&self, off: usize, len: usize) -> &str {
        let s = self.sec(Section::Strings);
        s.get(off..off.saturating_add(len))
            .and_then(|x| std::str::from_utf8(x).ok())
            .unwrap_or("")
    }

    /// A doc record.
    pub fn doc(&self, id: u32) -> Doc<'_> {
        let d = &self.sec(Section::Docs)[id as usize * DOC_LEN..];
        let opt = |v: u32| if v == NO_DOC { None } else { Some(v) };
        let (off, code_len) = (u32_at(d, 0) as usize, usize::from(d[20]));
        let end = if d.len() > DOC_LEN {
            u32_at(d, DOC_LEN) as usize
        } else {
            self.sec(Section::Strings).len()
        };
        let title = off + code_len;
        Doc {
            id,
            code: self.str_at(off, code_len),
            title: self.str_at(title, end.saturating_sub(title)),
            parent: opt(u32_at(d, 8)),
            default_child: opt(u32_at(d, 12)),
            system: u16::from(d[21]),
            flags: u16_at(d, 22),
        }
    }

    /// The code of a doc, without decoding the rest of its record.
    pub fn doc_code(&self, id: u32) -> &str {
        let d = &self.sec(Section::Docs)[id as usize * DOC_LEN..];
        let off = u32_at(d, 0) as usize;
        self.doc_str(off, off + usize::from(d[20]))
    }

    /// The title of a doc, without decoding the rest of its record.
    pub fn doc_title(&self, id: u32) -> &str {
        let d = &self.sec(Section::Docs)[id as usize * DOC_LEN..];
        let title = u32_at(d, 0) as usize + usize::from(d[20]);
        let end = if d.len() > DOC_LEN {
            u32_at(d, DOC_LEN) as usize
        } else {
            self.sec(Section::Strings).len()
        };
        self.doc_str(title, end)
    }

    /// `strings[a..b]` of a doc record ([`Index::doc_code`],
    /// [`Index::doc_title`]), not validated again on every read: the hot
    /// paths read them often.
    fn doc_str(&self, a: usize, b: usize) -> &str {
        let bytes = &self.sec(Section::Strings)[a..b];
        // SAFETY: `validate::check_docs`, run when the index is opened
        // (for `open_stamped`, when the same file identity was opened and
        // stamped), checked that the strings section is UTF-8 and that the
        // code (offset .. offset + code length) and the title (from there
        // to the next record's offset, or the section's end) of every doc
        // record are `str::get` slices of it: in bounds and on char
        // boundaries, so UTF-8 themselves. `a..b` is one of the two.
        unsafe { std::str::from_utf8_unchecked(bytes) }
    }

    /// The system number and flags of a doc, without decoding its strings
    /// (for filters on the hot path).
    pub fn doc_system_flags(&self, id: u32) -> (u16, u16) {
        let d = &self.sec(Section::Docs)[id as usize * DOC_LEN..];
        (u16::from(d[21]), u16_at(d, 22))
    }

    /// The releases of its manual a doc is a code of: bit i for
    /// `ManualInfo::releases[i]` (see [`crate::release`]).
    pub fn validity(&self, id: u32) -> u8 {
        self.sec(Section::Validity)[id as usize]
    }

    /// The stored detail (inclusion terms, notes) of a doc.
    pub fn detail(&self, id: u32) -> Detail {
        let s = self.detail_bytes(id);
        match s.split_first() {
            None => Detail::default(),
            Some((&DETAIL_PACKED, packed)) => {
                unpack_detail(packed, self.sec(Section::DetailDictionary))
                    .and_then(|json| serde_json::from_slice(&json).ok())
                    .unwrap_or_default()
            }
            Some(_) => serde_json::from_slice(s).unwrap_or_default(),
        }
    }

    /// The stored bytes of a doc's detail: from its offset to the next
    /// doc's (the last doc's, to the end of the section).
    fn detail_bytes(&self, id: u32) -> &[u8] {
        let docs = self.sec(Section::Docs);
        let details = self.sec(Section::Details);
        let at = id as usize * DOC_LEN;
        let start = u32_at(docs, at + 4) as usize;
        let end = match docs.get(at + DOC_LEN + 4..at + DOC_LEN + 8) {
            Some(_) => u32_at(docs, at + DOC_LEN + 4) as usize,
            None => details.len(),
        };
        details.get(start..end).unwrap_or_default()
    }

    /// Docs whose code matches `code` in any system (case and dot ignored).
    pub fn find_code(&self, code: &str) -> Vec<u32> {
        let mut key = crate::manual::code_key(code).into_bytes();
        if key.is_empty() {
            return Vec::new();
        }
        key.push(0);
        self.docs_with_key_prefix(&key)
    }

    /// Docs whose code key (upper case, no dot) starts with `prefix`'s, in
    /// code order: what "did you mean" picks from.
    pub fn codes_with_prefix(&self, prefix: &str) -> Vec<u32> {
        self.docs_with_key_prefix(crate::manual::code_key(prefix).as_bytes())
    }

    /// Docs of every codes-fst key starting with `prefix`, in key order.
    fn docs_with_key_prefix(&self, prefix: &[u8]) -> Vec<u32> {
        use fst::{IntoStreamer, Streamer};
        let map = fst::Map::new(self.sec(Section::Codes)).expect("checked at open");
        let mut s = map.range().ge(prefix).into_stream();
        let mut out = Vec::new();
        while let Some((k, v)) = s.next() {
            if !k.starts_with(prefix) {
                break;
            }
            out.push(v as u32);
        }
        out
    }

    /// Walks the codes in key order from `lo` (a code key: upper case, no
    /// dot), calling `f(key, doc)` until it returns false.
    pub fn for_codes_from(&self, lo: &str, mut f: impl FnMut(&[u8], u32) -> bool) {
        use fst::{IntoStreamer, Streamer};
        let map = fst::Map::new(self.sec(Section::Codes)).expect("checked at open");
        let mut s = map.range().ge(lo.as_bytes()).into_stream();
        while let Some((k, v)) = s.next() {
            let key = k.split(|b| *b == 0).next().unwrap_or(k);
            if !f(key, v as u32) {
                break;
            }
        }
    }

    /// Children of a doc, in manual order.
    pub fn children(&self, id: u32) -> Vec<u32> {
        let d = self.sec(Section::Docs);
        let n = self.doc_count() as u32;
        // Children follow their parent in manual order; scan forward until the
        // subtree ends (a doc whose ancestry no longer reaches `id`).
        let mut out = Vec::new();
        let mut i = id + 1;
        while i < n {
            let p = u32_at(d, i as usize * DOC_LEN + 8);
            if p == id {
                out.push(i);
            } else if !self.descends_from(i, id) {
                break;
            }
            i += 1;
        }
        out
    }

    /// The parent of a doc, without decoding its strings.
    pub fn parent(&self, id: u32) -> Option<u32> {
        let p = u32_at(self.sec(Section::Docs), id as usize * DOC_LEN + 8);
        (p != NO_DOC).then_some(p)
    }

    fn descends_from(&self, mut doc: u32, ancestor: u32) -> bool {
        for _ in 0..16 {
            match self.parent(doc) {
                Some(p) if p == ancestor => return true,
                Some(p) => doc = p,
                None => return false,
            }
        }
        false
    }

    /// Ancestors of a doc, nearest first.
    pub fn ancestors(&self, id: u32) -> Vec<u32> {
        self.ancestor_iter(id).collect()
    }

    /// Ancestors of a doc, nearest first, without collecting them (at most
    /// 17: a cycle in a damaged file cannot loop).
    pub fn ancestor_iter(&self, id: u32) -> impl Iterator<Item = u32> + '_ {
        std::iter::successors(self.parent(id), move |p| self.parent(*p)).take(17)
    }

    /// Billable descendants of a doc, in manual order.
    pub fn billable_descendants(&self, id: u32) -> Vec<u32> {
        let mut out = Vec::new();
        let mut stack = vec![id];
        while let Some(d) = stack.pop() {
            let kids = self.children(d);
            for k in kids.into_iter().rev() {
                if self.doc_system_flags(k).1 & FLAG_BILLABLE != 0 {
                    out.push(k);
                }
                stack.push(k);
            }
        }
        out.sort_unstable();
        out
    }
}
