//! The on-disk layout of an index file.
//!
//! ```text
//! header   "MEDCODER" | format version u32 | section count u32
//!          section table: (id u32, offset u64, length u64) × count
//! sections each 8-byte aligned, see [`Section`]
//! footer   CRC-32 of every byte before the footer u32 | "MCXEND\0\0"
//! ```
//! All integers are little-endian. Fixed-size records are read in place
//! from the mapped file; nothing is deserialized at open but META/VOCAB.

/// First bytes of every index file.
pub const MAGIC: &[u8; 8] = b"MEDCODER";
/// Last bytes of every index file.
pub const END_MAGIC: &[u8; 8] = b"MCXEND\0\0";
/// The format this build writes and reads. Bump on any layout change.
pub const FORMAT_VERSION: u32 = 5;
/// Size of the fixed header before the section table.
pub const HEADER_LEN: usize = 16;
/// Size of one section table row.
pub const SECTION_ROW_LEN: usize = 20;
/// Size of the footer.
pub const FOOTER_LEN: usize = 12;

/// The sections of an index file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u32)]
pub enum Section {
    /// JSON: manuals (system, version, source), vocabulary file names.
    Meta = 1,
    /// JSON: the vocabulary files, so the query side analyzes as the builder did.
    Vocab = 2,
    /// fst map: term → term id.
    Terms = 3,
    /// u32 × (terms + 1): start of each term's postings.
    PostingOffsets = 4,
    /// u32 name ids, sorted per term.
    Postings = 5,
    /// f32 × terms: inverse document frequency.
    TermIdf = 6,
    /// [`NAME_LEN`]-byte records, one per searchable name.
    Names = 7,
    /// Term ids of each name: u16 when the index has at most
    /// [`NARROW_TERMS`] terms, else u32; the top bit marks an optional term.
    NameTerms = 8,
    /// [`DOC_LEN`]-byte records, one per manual row.
    Docs = 9,
    /// UTF-8 strings referenced by docs: each doc's code, then its title,
    /// which ends where the next doc's code starts.
    Strings = 10,
    /// fst map: code key + 0x00 + system number → doc id.
    Codes = 11,
    /// fst map: normalised vocabulary phrase → offset into [`Section::PhraseData`].
    Phrases = 12,
    /// Expansions of each phrase: `kind\tfrom\tto\n` lines, a blank line ending each.
    PhraseData = 13,
    /// fst map: surface word of the titles ("hypertension") → its term id,
    /// for fuzzy matching of what people actually type and for completion.
    Words = 14,
    /// u8 per doc: bit i set when the doc is a code of release i of its
    /// manual ([`crate::index::ManualInfo::releases`]); all bits for a
    /// manual of one release.
    Validity = 15,
    /// Each doc's detail ([`crate::index::Detail`]), from its doc's offset
    /// to the next doc's (empty: none): JSON (it starts with `{`), or
    /// [`DETAIL_PACKED`], the JSON's length u32 and the JSON as an LZ4 block
    /// compressed against [`Section::DetailDictionary`].
    Details = 16,
    /// At most [`DETAIL_DICTIONARY_MAX`] bytes of details sampled across the
    /// manuals: what each packed detail may refer back to, so that a short
    /// one packs well.
    DetailDictionary = 17,
}

impl Section {
    /// All sections, in file order.
    pub const ALL: [Section; 17] = [
        Section::Meta,
        Section::Vocab,
        Section::Terms,
        Section::PostingOffsets,
        Section::Postings,
        Section::TermIdf,
        Section::Names,
        Section::NameTerms,
        Section::Docs,
        Section::Strings,
        Section::Codes,
        Section::Phrases,
        Section::PhraseData,
        Section::Words,
        Section::Validity,
        Section::Details,
        Section::DetailDictionary,
    ];
}

/// Bytes per name record: doc u32, weight f32, and a u32 holding where
/// its terms start in NAME_TERMS (low [`NAME_START_BITS`] bits) and its
/// kind (the bits above); its terms end where the next name's start.
pub const NAME_LEN: usize = 12;
/// Bits of a name record's third word that hold where its terms start.
pub const NAME_START_BITS: u32 = 29;
/// Bytes per doc record: strings offset u32 (its code, then its title, up
/// to the next doc's offset), detail offset u32 (into [`Section::Details`];
/// the detail ends where the next doc's starts), parent u32, default child
/// u32, first name u32 (its title; the doc's names follow it), code length
/// u8, system u8, flags u16.
pub const DOC_LEN: usize = 24;
/// First byte of a packed detail (a detail stored as JSON starts with `{`).
pub const DETAIL_PACKED: u8 = 1;
/// Largest detail dictionary: the LZ4 window.
pub const DETAIL_DICTIONARY_MAX: usize = 64 << 10;
/// Largest detail a reader unpacks (the largest bundled one is 129 KB).
pub const DETAIL_MAX: usize = 16 << 20;
/// Most terms an index may have for NAME_TERMS to hold u16 ids (the top
/// bit of each is the optional bit); more, and they are u32.
pub const NARROW_TERMS: usize = 1 << 15;
/// Top bit of a narrow (u16) name term: the term is a nonessential modifier.
pub const OPTIONAL_BIT_NARROW: u16 = 1 << 15;

/// No doc (parent of a root, default child of a leaf).
pub const NO_DOC: u32 = u32::MAX;
/// Top bit of a wide (u32) name term: the term is a nonessential modifier.
pub const OPTIONAL_BIT: u32 = 1 << 31;

/// Doc flag: valid on a claim.
pub const FLAG_BILLABLE: u16 = 1;
/// Doc flag: a chapter row.
pub const FLAG_CHAPTER: u16 = 1 << 1;
/// Doc flag: a block row.
pub const FLAG_BLOCK: u16 = 1 << 2;
/// Doc flag: a 7th-character code whose character is not the default
/// (first listed, e.g. "initial encounter").
pub const FLAG_NONDEFAULT_SEVENTH: u16 = 1 << 3;
/// Doc flag: a 7th-character code (its suffix words are optional terms).
pub const FLAG_SEVENTH: u16 = 1 << 4;
/// Doc flag: has an inclusion term ending in "NOS" ([`NAME_NOS`]).
pub const FLAG_HAS_NOS: u16 = 1 << 5;

/// Name kind: the official title.
pub const NAME_TITLE: u8 = 0;
/// Name kind: an inclusion term or "includes" note.
pub const NAME_SYNONYM: u8 = 1;
/// Name kind: an inclusion term or note ending in "NOS" ("diabetes NOS"):
/// the tabular's default home for those words.
pub const NAME_NOS: u8 = 2;
/// Name kind: a path of an index or table leading to the code
/// ("Struck by, object, falling"; [`crate::index_paths`]).
pub const NAME_INDEX: u8 = 3;

/// Reads a little-endian u32 at `off`.
#[inline]
pub fn u32_at(b: &[u8], off: usize) -> u32 {
    u32::from_le_bytes([b[off], b[off + 1], b[off + 2], b[off + 3]])
}

/// Reads a little-endian u16 at `off`.
#[inline]
pub fn u16_at(b: &[u8], off: usize) -> u16 {
    u16::from_le_bytes([b[off], b[off + 1]])
}

/// Reads a little-endian f32 at `off`.
#[inline]
pub fn f32_at(b: &[u8], off: usize) -> f32 {
    f32::from_bits(u32_at(b, off))
}
