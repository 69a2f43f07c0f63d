//! Encoder edits: whether the codes of one encounter, in claim order
//! (first-listed first), are valid together — the checks a commercial
//! encoder runs before a claim goes out.
//!
//! - [`validity`]: the code exists, is billable, has an allowed 7th
//!   character and its placeholder X, is not listed twice.
//! - [`notes`] + [`target`]: the tabular's Excludes1, Code first, Use
//!   additional and Code also notes, parsed once per code per process.
//! - [`sequence`]: what the notes and the guidelines ([`guidelines`]) say
//!   about order: manifestations, external causes, Z codes, sequelae.
//! - [`combination`]: conditions the classification combines.
//!
//! Every [`Edit`] names the note or guideline section it comes from; its
//! words ([`message::Text`]) borrow what the checker has parsed and are
//! put together only when written. Not for: choosing codes for text (see
//! [`crate::search`]).

pub mod combination;
pub mod guidelines;
pub mod message;
pub mod notes;
mod render;
pub mod sequence;
pub mod target;
pub mod validity;

use crate::index::Index;
pub use message::Text;
use notes::{DocRules, doc_rules};
use serde::Serialize;
use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};
use target::pack;

/// What an edit is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EditKind {
    /// Not a code of the release.
    InvalidCode,
    /// A header, not valid on a claim.
    NotBillable,
    /// 7th character missing or not allowed.
    SeventhCharacter,
    /// Placeholder X missing.
    Placeholder,
    /// Deleted in the release in effect.
    Deleted,
    /// Listed twice.
    Duplicate,
    /// Two codes an Excludes1 note says are never coded together.
    Excludes1,
    /// A "code first" note: its target missing or listed after.
    CodeFirst,
    /// A "use additional code" note's target missing.
    UseAdditional,
    /// A "code also" note's target missing.
    CodeAlso,
    /// A manifestation code first-listed.
    ManifestationFirst,
    /// A Z code that may only be first-listed, listed after another.
    FirstListedOnly,
    /// A code that may only be additional, first-listed.
    AdditionalOnly,
    /// An external-cause code first-listed.
    ExternalCauseFirst,
    /// A sequela code listed before its residual condition.
    SequelaOrder,
    /// Codes the classification combines, coded apart.
    Combination,
    /// An unspecified code where a more specific sibling exists.
    Unspecified,
}

impl EditKind {
    /// The name in the JSON output (`not_billable`).
    pub fn as_str(self) -> &'static str {
        match self {
            EditKind::InvalidCode => "invalid_code",
            EditKind::NotBillable => "not_billable",
            EditKind::SeventhCharacter => "seventh_character",
            EditKind::Placeholder => "placeholder",
            EditKind::Deleted => "deleted",
            EditKind::Duplicate => "duplicate",
            EditKind::Excludes1 => "excludes1",
            EditKind::CodeFirst => "code_first",
            EditKind::UseAdditional => "use_additional",
            EditKind::CodeAlso => "code_also",
            EditKind::ManifestationFirst => "manifestation_first",
            EditKind::FirstListedOnly => "first_listed_only",
            EditKind::AdditionalOnly => "additional_only",
            EditKind::ExternalCauseFirst => "external_cause_first",
            EditKind::SequelaOrder => "sequela_order",
            EditKind::Combination => "combination",
            EditKind::Unspecified => "unspecified",
        }
    }
}

/// How serious an edit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The claim is wrong as it stands.
    Error,
    /// Very likely wrong; a coder should look.
    Warning,
    /// Worth knowing; often fine.
    Note,
}

impl Severity {
    /// `error`, `warning`, `note`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        }
    }
}

/// One finding about the encounter.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Edit<'a> {
    /// What it is about.
    pub kind: EditKind,
    /// How serious.
    pub severity: Severity,
    /// The encounter codes it concerns.
    pub codes: Vec<Cow<'a, str>>,
    /// What is wrong and what to do.
    pub message: Text<'a>,
    /// The note or guideline it comes from.
    pub source: Text<'a>,
}

/// The edits of one encounter; borrows what the checker has cached (the
/// codes' spelling, the notes, the edits that depend on one code only).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Report<'a> {
    /// The codes as checked (the release's spelling when found).
    pub codes: Vec<Cow<'a, str>>,
    /// Errors first, then warnings, then notes; in encounter order within.
    pub edits: Vec<Cow<'a, Edit<'a>>>,
}

impl Report<'_> {
    /// Any error-level edit.
    pub fn has_error(&self) -> bool {
        self.edits.iter().any(|e| e.severity == Severity::Error)
    }
}

/// A token of an encounter that is not a code at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "token {position} is not a code: a code is 3 to 8 letters and digits with an optional dot (E11.9, s72001a)"
)]
pub struct BadToken {
    /// 1-based position among the encounter's tokens.
    pub position: usize,
}

/// Splits one encounter into codes: separated by spaces, commas or `|`.
pub fn parse_encounter(line: &str) -> Result<Vec<String>, BadToken> {
    Ok(encounter_codes(line)?
        .into_iter()
        .map(Cow::into_owned)
        .collect())
}

/// [`parse_encounter`], each code borrowed from the line when it is
/// upper case already.
pub fn encounter_codes(line: &str) -> Result<Vec<Cow<'_, str>>, BadToken> {
    if !line.is_ascii() {
        return line
            .split(|c: char| c.is_whitespace() || c == ',' || c == '|')
            .filter(|t| !t.is_empty())
            .enumerate()
            .map(|(i, t)| encounter_code(t, i + 1))
            .collect();
    }
    // ASCII: split byte-wise on what `char::is_whitespace` calls white
    // space in ASCII (tab, line feed, vertical tab, form feed, carriage
    // return, space), commas and bars.
    let mut codes = Vec::with_capacity(16);
    let mut start = 0;
    for (i, b) in line.bytes().chain([b' ']).enumerate() {
        if matches!(b, b'\t'..=b'\r' | b' ' | b',' | b'|') {
            if i > start {
                codes.push(encounter_code(&line[start..i], codes.len() + 1)?);
            }
            start = i + 1;
        }
    }
    Ok(codes)
}

/// One token of an encounter as a code, upper case; `position` (1-based)
/// names a token that is not one.
fn encounter_code(t: &str, position: usize) -> Result<Cow<'_, str>, BadToken> {
    let alnum = t.bytes().filter(u8::is_ascii_alphanumeric).count();
    let ok = (3..=8).contains(&alnum)
        && t.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'.')
        && t.bytes().next().is_some_and(|c| c.is_ascii_alphanumeric());
    if !ok {
        Err(BadToken { position })
    } else if t.bytes().any(|b| b.is_ascii_lowercase()) {
        Ok(Cow::Owned(t.to_ascii_uppercase()))
    } else {
        Ok(Cow::Borrowed(t))
    }
}

/// One code of the encounter, resolved against the index; borrows the
/// code as given and the checker's cached resolution of its key.
#[derive(Debug, Clone)]
pub struct Code<'a> {
    /// The code as given, upper case.
    pub given: &'a str,
    /// Its key (no dot).
    pub key: Key<'a>,
    /// The key packed ([`target::pack`]), when it has at most 8 bytes.
    pub packed: Option<u64>,
    /// The doc of an ICD-10-CM code, when it is one.
    pub doc: Option<u32>,
    /// What its key resolves to.
    res: Cow<'a, Resolved>,
    /// Found in another system (PCS, HCPCS, CPT): no diagnosis edits.
    pub other_system: bool,
    /// The same code is listed earlier.
    pub repeat: bool,
}

impl<'a> Code<'a> {
    /// The code as printed in the release, else as given.
    pub fn label(&self) -> &str {
        match self.doc {
            Some(_) => &self.res.label,
            None => self.given,
        }
    }

    /// The label as the release prints it, borrowed for as long as the
    /// checker (`None`: not found, or resolved before the code table).
    fn cached_label(&self) -> Option<&'a str> {
        match (self.doc, &self.res) {
            (Some(_), Cow::Borrowed(r)) => Some(&r.label[..]),
            _ => None,
        }
    }

    /// The validity edit of the code on its own (see [`Resolved::alone`]).
    fn alone(&self) -> Option<Cow<'a, Edit<'a>>> {
        match &self.res {
            Cow::Borrowed(r) => r.alone.as_deref().map(Cow::Borrowed),
            Cow::Owned(r) => r.alone.as_deref().cloned().map(Cow::Owned),
        }
    }

    /// The docs of the chain with notes, nearest first.
    fn noted(&self) -> impl Iterator<Item = u32> + '_ {
        let r: &Resolved = &self.res;
        let mask = r.noted;
        let n = mask.count_ones() as usize;
        let (near, chain): (&[u32], &[u32]) = if n <= NEAR {
            (&r.near[..n], &[])
        } else {
            (&[], &r.chain)
        };
        near.iter().copied().chain(
            chain
                .iter()
                .enumerate()
                .filter(move |(i, _)| mask & 1 << i != 0)
                .map(|(_, d)| *d),
        )
    }

    /// The label, borrowed for as long as the checker when it can be.
    fn into_label(self) -> Cow<'a, str> {
        match (self.doc, self.res) {
            (None, _) => Cow::Borrowed(self.given),
            (Some(_), Cow::Borrowed(r)) => Cow::Borrowed(&r.label[..]),
            (Some(_), Cow::Owned(r)) => Cow::Owned(r.label.into()),
        }
    }

    /// The doc and its ancestors, nearest first (empty when not found).
    pub fn chain(&self) -> &[u32] {
        &self.res.chain
    }

    /// An ICD-10-CM code of other releases only (deleted, or not yet in
    /// effect): the labels of the releases it is a code of.
    pub fn other_releases(&self) -> &[String] {
        &self.res.other_releases
    }
}

/// A code key (upper case, no dot, see [`crate::manual::code_key`]): the
/// code as given when it is spelled so already, else its letters and
/// digits, kept inline up to 16 (no allocation per code).
#[derive(Debug, Clone)]
pub enum Key<'a> {
    /// The code as given.
    Given(&'a str),
    /// Its letters and digits, upper case: the first `.1` bytes.
    Inline([u8; 16], u8),
    /// Longer than 16.
    Long(String),
}

impl<'a> Key<'a> {
    /// The key of a code as given.
    pub fn of(given: &'a str) -> Self {
        if given
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        {
            return Key::Given(given);
        }
        let mut b = [0u8; 16];
        let mut n = 0;
        for c in given.bytes().filter(u8::is_ascii_alphanumeric) {
            if n == b.len() {
                return Key::Long(crate::manual::code_key(given));
            }
            b[n] = c.to_ascii_uppercase();
            n += 1;
        }
        Key::Inline(b, n as u8)
    }
}

impl Key<'_> {
    /// The key's bytes (what the note targets compare), without the UTF-8
    /// check [`std::ops::Deref`] makes for an inline key.
    pub fn bytes(&self) -> &[u8] {
        match self {
            Key::Given(s) => s.as_bytes(),
            Key::Inline(b, n) => &b[..usize::from(*n)],
            Key::Long(s) => s.as_bytes(),
        }
    }
}

impl std::ops::Deref for Key<'_> {
    type Target = str;

    fn deref(&self) -> &str {
        match self {
            Key::Given(s) => s,
            // ASCII letters and digits only: always UTF-8.
            Key::Inline(b, n) => std::str::from_utf8(&b[..usize::from(*n)]).unwrap_or_default(),
            Key::Long(s) => s,
        }
    }
}

/// Runs the edits over an index; the parsed notes of each code are cached
/// for the life of the checker (safe to share between threads).
pub struct Checker<'a, D: AsRef<[u8]>> {
    idx: &'a Index<D>,
    cm: Vec<u16>,
    in_effect: crate::release::InEffect,
    rules: Vec<OnceLock<Box<DocRules>>>,
    families: Vec<OnceLock<Vec<combination::Candidate>>>,
    /// Codes resolved so far through the index's code dictionary.
    lookups: AtomicUsize,
    /// Every code key of the index, built once [`TABLE_AFTER`] codes were
    /// resolved the slow way (a single encounter never pays for it).
    table: OnceLock<CodeTable>,
}

/// Codes resolved through the code dictionary before the checker builds
/// its [`CodeTable`].
const TABLE_AFTER: usize = 256;

/// Hashes a packed code key (see [`pack`]) for the [`CodeTable`]: the
/// splitmix64 finaliser, so that the zero bytes of short keys still spread
/// over every bit (SipHash, std's default, costs more than the lookup).
#[derive(Default)]
struct KeyHasher(u64);

impl std::hash::Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 << 8 | u64::from(*b)) ^ (self.0 >> 56);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// What resolving a code key yields, whatever its spelling (cached per key).
#[derive(Debug, Clone, Default)]
struct Resolved {
    /// The ICD-10-CM doc in effect.
    doc: Option<u32>,
    /// Its code as printed.
    label: Box<str>,
    /// It and its ancestors, nearest first.
    chain: Box<[u32]>,
    /// The releases it is a code of, when not of the one in effect.
    other_releases: Box<[String]>,
    /// Some doc of the index has the key.
    any_doc: bool,
    /// Bit i: `chain[i]` has notes (Excludes1, Code first, Use additional,
    /// Code also), what the note edits read.
    noted: u32,
    /// The docs of `noted`, when there are at most [`NEAR`] (no walk of
    /// the chain for them).
    near: [u32; NEAR],
    /// A doc of the chain is a manifestation ("in diseases classified
    /// elsewhere").
    manifestation: bool,
    /// A doc of the chain defines 7th character S as sequela.
    sequela_seventh: bool,
    /// The nearest doc of the chain whose tabular note says its codes are
    /// additional codes only.
    additional_only: Option<u32>,
    /// The validity edit of the code on its own: a header's, or the
    /// unspecified note.
    alone: Option<Box<Edit<'static>>>,
    /// The key is an external cause ([`guidelines::EXTERNAL_CAUSE`]).
    external_cause: bool,
    /// The key may only be first-listed ([`guidelines::FIRST_LISTED_ONLY`]).
    first_listed_only: bool,
    /// The guideline that makes the key an additional code only
    /// ([`guidelines::ADDITIONAL_ONLY`]).
    additional_only_rule: Option<&'static str>,
    /// Bit f: the range of [`guidelines::FAMILIES`]`[f]` covers the key.
    families: u64,
}

// `Resolved::families` has a bit per family.
const _: () = assert!(guidelines::FAMILIES.len() <= 64);

/// How many noted docs a [`Resolved`] keeps inline.
const NEAR: usize = 6;

/// The code dictionary by packed key, each with its docs (in the
/// dictionary's order) and its resolution, worked out on first use.
struct CodeTable {
    /// The position of each key (its docs and its resolution).
    positions: HashMap<u64, u32, BuildHasherDefault<KeyHasher>>,
    /// Docs of key i: `docs[starts[i]..starts[i + 1]]`.
    starts: Vec<u32>,
    docs: Vec<u32>,
    resolved: Vec<OnceLock<Resolved>>,
}

impl CodeTable {
    fn build<D: AsRef<[u8]>>(idx: &Index<D>) -> Self {
        // At most one key per doc: sized once, never rehashed.
        let n = idx.doc_count();
        let mut t = CodeTable {
            positions: HashMap::with_capacity_and_hasher(n, Default::default()),
            starts: Vec::with_capacity(n + 1),
            docs: Vec::with_capacity(n),
            resolved: Vec::new(),
        };
        let mut last = None;
        idx.for_codes_from("", |key, doc| {
            if let Some(k) = pack(key) {
                if last != Some(k) {
                    last = Some(k);
                    t.positions.insert(k, t.starts.len() as u32);
                    t.starts.push(t.docs.len() as u32);
                }
                t.docs.push(doc);
            }
            true
        });
        t.starts.push(t.docs.len() as u32);
        t.resolved = (1..t.starts.len()).map(|_| OnceLock::new()).collect();
        t
    }

    /// The position of a key, if the dictionary has it.
    fn find(&self, key: u64) -> Option<usize> {
        self.positions.get(&key).map(|i| *i as usize)
    }

    fn docs_of(&self, i: usize) -> &[u32] {
        &self.docs[self.starts[i] as usize..self.starts[i + 1] as usize]
    }
}

impl<'a, D: AsRef<[u8]>> Checker<'a, D> {
    /// A checker over the ICD-10-CM manuals of `idx`, in the release in
    /// effect on the date of service `date` (`None`: the newest).
    pub fn new(idx: &'a Index<D>, date: Option<crate::release::Date>) -> Self {
        Self::in_releases(idx, crate::release::InEffect::on(idx.meta(), date))
    }

    /// A checker over the ICD-10-CM manuals of `idx`, in the releases
    /// `in_effect`.
    pub fn in_releases(idx: &'a Index<D>, in_effect: crate::release::InEffect) -> Self {
        let cm = idx
            .meta()
            .manuals
            .iter()
            .enumerate()
            .filter(|(_, m)| m.system == "icd10cm")
            .map(|(i, _)| i as u16)
            .collect();
        Checker {
            idx,
            cm,
            in_effect,
            rules: (0..idx.doc_count()).map(|_| OnceLock::new()).collect(),
            families: guidelines::FAMILIES
                .iter()
                .map(|_| OnceLock::new())
                .collect(),
            lookups: AtomicUsize::new(0),
            table: OnceLock::new(),
        }
    }

    /// The index checked against.
    pub fn index(&self) -> &'a Index<D> {
        self.idx
    }

    /// The parsed notes of a doc.
    pub fn rules(&self, doc: u32) -> &DocRules {
        self.rules[doc as usize].get_or_init(|| Box::new(doc_rules(self.idx, doc)))
    }

    /// The doc and its ancestors, nearest first.
    fn chain(&self, doc: u32) -> Vec<u32> {
        let mut v = vec![doc];
        while let Some(p) = self.rules(v[v.len() - 1]).parent {
            if v.len() > 16 {
                break;
            }
            v.push(p);
        }
        v
    }

    fn resolve<'s>(&'s self, given: &'s str) -> Code<'s> {
        let key = Key::of(given);
        let table = match self.table.get() {
            Some(t) => Some(t),
            None if self.lookups.fetch_add(1, Ordering::Relaxed) >= TABLE_AFTER => {
                Some(self.table.get_or_init(|| CodeTable::build(self.idx)))
            }
            None => None,
        };
        let packed = pack(key.bytes());
        let res = match table.zip(packed) {
            Some((t, k)) => match t.find(k) {
                Some(i) => Cow::Borrowed(
                    t.resolved[i].get_or_init(|| self.resolve_docs(&key, t.docs_of(i))),
                ),
                None => Cow::Owned(Resolved::default()),
            },
            None => Cow::Owned(self.resolve_docs(&key, &self.idx.find_code(&key))),
        };
        // A dotted code is ICD-10-CM's spelling: Q99.99 is not HCPCS Q9999.
        let other_system = res.doc.is_none()
            && res.other_releases.is_empty()
            && res.any_doc
            && !given.contains('.');
        Code {
            given,
            key,
            packed,
            doc: res.doc,
            res,
            other_system,
            repeat: false,
        }
    }

    /// Resolves one code key and its docs (those of the code dictionary).
    fn resolve_docs(&self, key: &str, found: &[u32]) -> Resolved {
        let docs: Vec<u32> = found
            .iter()
            .filter_map(|d| notes::code_doc(self.idx, *d))
            .collect();
        let is_cm = |d: &u32| self.cm.contains(&self.idx.doc_system_flags(*d).0);
        let doc = docs
            .iter()
            .copied()
            .find(|d| is_cm(d) && self.in_effect.allows(self.idx, *d));
        let other_releases = match doc {
            Some(_) => Vec::new(),
            None => self.releases_of(docs.iter().copied().filter(is_cm)),
        };
        let chain = doc.map(|d| self.chain(d)).unwrap_or_default();
        let rules = |d: &u32| self.rules(*d);
        let mut near = [0; NEAR];
        for (slot, d) in near
            .iter_mut()
            .zip(chain.iter().filter(|d| rules(d).has_notes()))
        {
            *slot = *d;
        }
        Resolved {
            doc,
            label: doc
                .map(|d| self.rules(d).code.clone().into_boxed_str())
                .unwrap_or_default(),
            other_releases: other_releases.into_boxed_slice(),
            near,
            any_doc: !docs.is_empty(),
            noted: chain
                .iter()
                .enumerate()
                .filter(|(_, d)| rules(d).has_notes())
                .fold(0, |m, (i, _)| m | 1 << i),
            manifestation: chain.iter().any(|d| rules(d).manifestation),
            sequela_seventh: chain.iter().any(|d| rules(d).sequela_seventh),
            additional_only: chain.iter().copied().find(|d| rules(d).additional_only),
            alone: doc.and_then(|d| validity::alone(self, d)).map(Box::new),
            chain: chain.into_boxed_slice(),
            external_cause: guidelines::EXTERNAL_CAUSE.covers(key),
            first_listed_only: guidelines::FIRST_LISTED_ONLY.iter().any(|r| r.covers(key)),
            additional_only_rule: guidelines::ADDITIONAL_ONLY
                .iter()
                .find(|(r, _)| r.covers(key))
                .map(|(_, source)| *source),
            families: guidelines::FAMILIES
                .iter()
                .enumerate()
                .filter(|(_, f)| f.range.covers(key))
                .fold(0, |m, (f, _)| m | 1 << f),
        }
    }

    /// The labels of the releases the docs are codes of, oldest first.
    fn releases_of(&self, docs: impl Iterator<Item = u32>) -> Vec<String> {
        let mut labels: Vec<String> = Vec::new();
        for d in docs {
            let m = self.idx.manual(self.idx.doc(d).system);
            for l in crate::release::valid_in(&m.releases, &m.version, self.idx.validity(d)) {
                if !labels.contains(&l) {
                    labels.push(l);
                }
            }
        }
        labels.sort();
        labels
    }

    /// "icd10cm 2027": the ICD-10-CM release checked against.
    pub fn release_label(&self) -> String {
        self.cm.first().map_or_else(
            || "the index".into(),
            |s| {
                let m = self.idx.manual(*s);
                format!("{} {}", m.system, self.in_effect.version(*s))
            },
        )
    }

    /// Checks one encounter, codes in claim order.
    pub fn check<'s, S: AsRef<str>>(&'s self, codes: &'s [S]) -> Report<'s> {
        let mut resolved: Vec<Code> = codes.iter().map(|c| self.resolve(c.as_ref())).collect();
        for i in 1..resolved.len() {
            resolved[i].repeat = resolved[..i]
                .iter()
                .any(|p| p.key.bytes() == resolved[i].key.bytes());
        }
        let mut edits = Vec::with_capacity(16);
        validity::edits(self, &resolved, &mut edits);
        sequence::note_edits(self, &resolved, &mut edits);
        sequence::guideline_edits(self, &resolved, &mut edits);
        combination::edits(self, &resolved, &mut edits);
        edits.sort_by_key(|e| e.severity);
        Report {
            codes: resolved.into_iter().map(Code::into_label).collect(),
            edits,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encounters_split_on_spaces_commas_and_bars() {
        assert_eq!(
            parse_encounter("e11.9, I10|n18.4  Z79.4").unwrap(),
            ["E11.9", "I10", "N18.4", "Z79.4"]
        );
        assert_eq!(
            parse_encounter("E11.9 diabetes!"),
            Err(BadToken { position: 2 })
        );
        assert_eq!(parse_encounter("E1").unwrap_err().position, 1);
        assert!(parse_encounter("  ").unwrap().is_empty());
        // Every white space of `char::is_whitespace`, ASCII or not.
        assert_eq!(
            parse_encounter("E11.9\x0bI10\x0cn18.4\r\n").unwrap(),
            ["E11.9", "I10", "N18.4"]
        );
        assert_eq!(
            parse_encounter("E11.9\u{a0}I10\u{2003}N18.4").unwrap(),
            ["E11.9", "I10", "N18.4"]
        );
        assert_eq!(parse_encounter("I10 E11é9").unwrap_err().position, 2);
        assert!(matches!(encounter_codes("E11.9 i10").unwrap()[..],
            [Cow::Borrowed("E11.9"), Cow::Owned(ref s)] if s == "I10"));
    }
}
