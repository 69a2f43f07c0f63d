//! The codes a tabular note cites, parsed into [`Target`]s that match code
//! keys: single codes and categories (`F31.-`, `D13.7`), ranges (`T36-T50`,
//! `N39.3-N39.4-`, `I01.0 -I01.9`, `M05.00 to M05.8A`) and the character
//! rules that narrow them ("E08-E13 with .42", "T36-T50 with fifth or sixth
//! character 5", "I69. with final characters -23", "S02.- with 7th
//! character B").
//!
//! Pure text work: nothing here knows the index (see [`super::notes`] for
//! the per-code cache and the resolution report). A note whose citation is
//! only partly understood is [`ItemStatus::Unparsed`] as a whole, so a
//! misread qualifier never widens what an edit matches.

/// Where a character rule looks in a code key (dots removed, 0-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Anchor {
    /// At any of these positions (`fifth or sixth character`: 4 or 5).
    At(Vec<usize>),
    /// At the end of the key (`final characters -23`).
    End,
}

/// A character rule: the characters at `anchor` lie in `lo..=hi` (strings
/// of one length, compared byte-wise).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CharRule {
    /// Where the characters are.
    pub anchor: Anchor,
    /// Lowest allowed value.
    pub lo: String,
    /// Highest allowed value.
    pub hi: String,
}

impl CharRule {
    fn matches(&self, key: &[u8]) -> bool {
        let (lo, hi) = (self.lo.as_bytes(), self.hi.as_bytes());
        let within = |at: usize| {
            key.get(at..at + lo.len())
                .is_some_and(|s| s >= lo && s <= hi)
        };
        match &self.anchor {
            Anchor::At(ps) => ps.iter().any(|p| within(*p)),
            Anchor::End => key.len() >= lo.len() && within(key.len() - lo.len()),
        }
    }
}

/// A code key of at most 8 bytes as a number that sorts as the key does
/// (zero bytes after the key; keys are letters and digits).
pub fn pack(key: &[u8]) -> Option<u64> {
    if key.len() > 8 {
        return None;
    }
    let mut b = [0u8; 8];
    b[..key.len()].copy_from_slice(key);
    Some(u64::from_be_bytes(b))
}

/// The mask that keeps the first `n` bytes of a packed key.
pub fn prefix_mask(n: usize) -> u64 {
    match n {
        0 => 0,
        1..=7 => !(u64::MAX >> (8 * n)),
        _ => u64::MAX,
    }
}

/// The codes one citation covers: every key `k` with `lo <= k` and
/// `k[..hi.len()] <= hi` (so a category covers its subcodes), narrowed by
/// an optional character rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// First key of the range (a single code: the code).
    pub lo: String,
    /// Last key of the range, as a prefix.
    pub hi: String,
    /// Characters the code must have ("with .42").
    pub rule: Option<CharRule>,
    /// `lo` and `hi` packed, with the mask of `hi`'s length, when both
    /// have at most 8 bytes ([`Target::matches_packed`]).
    packed: Option<(u64, u64, u64)>,
}

impl Target {
    /// The range `lo..=hi` (as a prefix), no character rule.
    pub fn new(lo: String, hi: String) -> Self {
        let packed = pack(lo.as_bytes())
            .zip(pack(hi.as_bytes()))
            .map(|(l, h)| (l, h, prefix_mask(hi.len())));
        Target {
            lo,
            hi,
            rule: None,
            packed,
        }
    }

    /// [`Target::matches`] with the key also packed ([`pack`]): two
    /// integer comparisons instead of two string ones.
    pub fn matches_packed(&self, key: &[u8], packed: Option<u64>) -> bool {
        match self.packed.zip(packed) {
            Some(((lo, hi, mask), k)) => {
                k >= lo && k & mask <= hi && self.rule.as_ref().is_none_or(|r| r.matches(key))
            }
            None => self.matches_bytes(key),
        }
    }

    /// `lo` and `hi` packed with the mask of `hi`'s length, when both pack
    /// and there is no character rule: a packed key `k` is covered when
    /// `k >= lo && k & mask <= hi` ([`Target::matches_packed`]).
    pub fn packed_range(&self) -> Option<(u64, u64, u64)> {
        self.packed.filter(|_| self.rule.is_none())
    }

    /// Whether the code key (upper case, no dot) is covered.
    pub fn matches(&self, key: &str) -> bool {
        self.matches_bytes(key.as_bytes())
    }

    fn matches_bytes(&self, k: &[u8]) -> bool {
        let cut = &k[..k.len().min(self.hi.len())];
        k >= self.lo.as_bytes()
            && cut <= self.hi.as_bytes()
            && self.rule.as_ref().is_none_or(|r| r.matches(k))
    }

    /// The citation as a coder writes it: `E08-E13`, `N18.4`.
    pub fn label(&self) -> String {
        let lo = dotted(&self.lo);
        let base = if self.lo == self.hi {
            lo
        } else {
            format!("{lo}-{}", dotted(&self.hi))
        };
        match &self.rule {
            None => base,
            Some(r) => format!("{base} ({})", rule_label(r)),
        }
    }
}

fn rule_label(r: &CharRule) -> String {
    let value = if r.lo == r.hi {
        r.lo.clone()
    } else {
        format!("{}-{}", r.lo, r.hi)
    };
    match &r.anchor {
        Anchor::End => format!("ending {value}"),
        Anchor::At(ps) if ps == &[3] => format!("with .{value}"),
        Anchor::At(ps) => {
            let pos: Vec<String> = ps.iter().map(|p| format!("{}", p + 1)).collect();
            format!("character {} = {value}", pos.join(" or "))
        }
    }
}

/// A key with its dot: `E1142` → `E11.42`.
pub fn dotted(key: &str) -> String {
    if key.len() > 3 && key.is_ascii() {
        format!("{}.{}", &key[..3], &key[3..])
    } else {
        key.to_string()
    }
}

/// What the parser made of one note item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ItemStatus {
    /// Every citation parsed.
    Parsed,
    /// No code cited: prose only ("underlying infection").
    Prose,
    /// Codes are cited but a part could not be read (the reason).
    Unparsed(&'static str),
}

/// One note item (one ` | `-separated entry of a note cell), parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// The codes it cites (empty unless [`ItemStatus::Parsed`]).
    pub targets: Vec<Target>,
    /// Parse outcome.
    pub status: ItemStatus,
    /// Says "if applicable", "if known", "any associated" and the like.
    pub conditional: bool,
    /// Ends with ':' — the items after it are its list.
    pub header: bool,
}

const CONDITIONS: &[&str] = &[
    "if applicable",
    "if known",
    "if present",
    "if any",
    "if desired",
    "if documented",
    "if needed",
    "where applicable",
    "any associated",
];

/// Parses one note item.
pub fn parse_item(text: &str) -> Item {
    let lower = text.to_ascii_lowercase();
    // "any associated open wound", "any therapeutic drug level monitoring"
    let conditional =
        CONDITIONS.iter().any(|c| lower.contains(c)) || lower.trim_start().starts_with("any ");
    let header = text.trim_end().ends_with(':');
    let mut item = Item {
        targets: Vec::new(),
        status: ItemStatus::Prose,
        conditional,
        header,
    };
    if lower.contains("for codes ") {
        // "code, if applicable, for codes G31.0-G31.83, …, to identify:"
        // names the codes the note applies to, not its targets.
        return item;
    }
    let mut failed = None;
    for seg in segments(text) {
        match parse_segment(seg.0, seg.1) {
            Ok(ts) => item.targets.extend(ts),
            Err(why) => failed = failed.or(Some(why)),
        }
    }
    item.status = match failed {
        Some(why) => {
            item.targets.clear();
            ItemStatus::Unparsed(why)
        }
        None if item.targets.is_empty() => ItemStatus::Prose,
        None => ItemStatus::Parsed,
    };
    item
}

/// The parts of an item that hold citations: each parenthesised group that
/// cites a code (with a "with …" qualifier written right after its closing
/// parenthesis), else the whole text. Returned as (text, qualifier tail).
fn segments(text: &str) -> Vec<(&str, &str)> {
    let mut out = Vec::new();
    let b = text.as_bytes();
    let mut i = 0;
    while let Some(open) = text[i..].find('(').map(|o| o + i) {
        let mut depth = 0;
        let mut close = None;
        for (j, &c) in b.iter().enumerate().skip(open) {
            match c {
                b'(' => depth += 1,
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        close = Some(j);
                        break;
                    }
                }
                _ => {}
            }
        }
        let Some(close) = close else { break };
        let inner = &text[open + 1..close];
        if has_code(inner) {
            let rest = &text[close + 1..];
            let trimmed = rest.trim_start_matches([' ', ',']);
            let tail = if trimmed.starts_with("with ") {
                let end = trimmed.find(['(', ',', ';']).unwrap_or(trimmed.len());
                &trimmed[..end]
            } else {
                ""
            };
            out.push((inner, tail));
        }
        i = close + 1;
    }
    if out.is_empty() && has_code(text) {
        out.push((text, ""));
    }
    out
}

fn has_code(s: &str) -> bool {
    let b = s.as_bytes();
    (0..b.len()).any(|i| code_at(b, i).is_some())
}

/// A code citation starting at `i`: (key, end, ends with a dash).
fn code_at(b: &[u8], i: usize) -> Option<(String, usize, bool)> {
    if i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'/') {
        return None;
    }
    let (c0, c1, c2) = (*b.get(i)?, *b.get(i + 1)?, *b.get(i + 2)?);
    if !c0.is_ascii_uppercase() || !c1.is_ascii_digit() {
        return None;
    }
    if !(c2.is_ascii_digit() || c2.is_ascii_uppercase()) {
        return None;
    }
    let mut key = String::from_utf8(vec![c0, c1, c2]).ok()?;
    let mut j = i + 3;
    if b.get(j).is_some_and(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    // "E11.40", "I69." (a bare dot), "D29.2.-"
    while b.get(j) == Some(&b'.') {
        let start = j + 1;
        j = start;
        while b
            .get(j)
            .is_some_and(|c| c.is_ascii_digit() || c.is_ascii_uppercase())
        {
            key.push(b[j] as char);
            j += 1;
        }
        if j == start {
            break;
        }
    }
    let dash = b.get(j) == Some(&b'-');
    if dash {
        j += 1;
    }
    Some((key, j, dash))
}

fn skip_spaces(b: &[u8], mut i: usize) -> usize {
    while b.get(i).is_some_and(|c| c.is_ascii_whitespace()) {
        i += 1;
    }
    i
}

fn word_at(b: &[u8], i: usize) -> (&[u8], usize) {
    let mut j = i;
    while b.get(j).is_some_and(|c| c.is_ascii_alphanumeric()) {
        j += 1;
    }
    (&b[i..j], j)
}

fn parse_segment(text: &str, tail: &str) -> Result<Vec<Target>, &'static str> {
    let b = text.as_bytes();
    let mut out: Vec<Target> = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if let Some((lo, end, dash)) = code_at(b, i) {
            let mut hi = lo.clone();
            let mut j = end;
            let after = skip_spaces(b, j);
            let range_end = if dash && code_at(b, j).is_some() {
                Some(j)
            } else if b.get(after) == Some(&b'-') {
                Some(skip_spaces(b, after + 1))
            } else if b.get(after..after + 3) == Some(b"to ") {
                Some(skip_spaces(b, after + 3))
            } else {
                None
            };
            if let Some(r) = range_end
                && let Some((h, e, _)) = code_at(b, r)
            {
                hi = h;
                j = e;
            }
            out.push(Target::new(lo, hi));
            i = j;
            continue;
        }
        let (w, j) = word_at(b, i);
        if w.eq_ignore_ascii_case(b"with") && !out.is_empty() {
            let (rule, end) = parse_with(b, j)?;
            if let Some(last) = out.last_mut() {
                last.rule = Some(rule);
            }
            i = end;
            continue;
        }
        i = if w.is_empty() { i + 1 } else { j };
    }
    if !tail.is_empty() {
        let tb = tail.as_bytes();
        let (rule, _) = parse_with(tb, 4)?;
        for t in &mut out {
            t.rule = Some(rule.clone());
        }
    }
    Ok(out)
}

fn ordinal(w: &[u8]) -> Option<usize> {
    let w = w.to_ascii_lowercase();
    Some(match w.as_slice() {
        b"fourth" | b"4th" => 3,
        b"fifth" | b"5th" => 4,
        b"sixth" | b"six" | b"6th" => 5,
        b"seventh" | b"7th" => 6,
        _ => return None,
    })
}

/// Reads the qualifier after "with" at `i`: `.42`, `.51-.52`, `.62-`,
/// `fifth or sixth character 5`, `sixth character 1-4`, `fifth to sixth
/// characters 51`, `final characters -23`, `7th character B`.
fn parse_with(b: &[u8], i: usize) -> Result<(CharRule, usize), &'static str> {
    const BAD: &str = "a 'with' qualifier that is not a character rule";
    let mut i = skip_spaces(b, i);
    if b.get(i) == Some(&b'.') {
        let (lo, j) = word_at(b, i + 1);
        let mut hi = lo;
        let mut end = j;
        if b.get(j) == Some(&b'-') && b.get(j + 1) == Some(&b'.') {
            let (h, k) = word_at(b, j + 2);
            hi = h;
            end = k;
        } else if b.get(j) == Some(&b'-') {
            end = j + 1;
        }
        if lo.is_empty() || hi.len() != lo.len() {
            return Err(BAD);
        }
        return Ok((rule(Anchor::At(vec![3]), lo, hi), end));
    }
    let mut positions = Vec::new();
    let mut end_anchor = false;
    let mut run = false;
    loop {
        let (w, j) = word_at(b, i);
        if let Some(p) = ordinal(w) {
            positions.push(p);
        } else if w.eq_ignore_ascii_case(b"final") {
            end_anchor = true;
        } else if w.eq_ignore_ascii_case(b"or") {
        } else if w.eq_ignore_ascii_case(b"to") {
            run = true;
        } else if w.eq_ignore_ascii_case(b"character") || w.eq_ignore_ascii_case(b"characters") {
            i = j;
            break;
        } else {
            return Err(BAD);
        }
        i = j;
        if b.get(i) == Some(&b'-') {
            i += 1;
        }
        i = skip_spaces(b, i);
    }
    i = skip_spaces(b, i);
    if matches!(b.get(i), Some(b'-' | b'.')) {
        i += 1;
    }
    let (lo, j) = word_at(b, i);
    // Characters are written as digits and capitals ("character 5", "7th
    // character B"); a word ("to indicate intent") is not one.
    let written = |w: &[u8]| {
        w.iter()
            .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase())
    };
    if lo.is_empty() || lo.len() > 2 || !written(lo) {
        return Err(BAD);
    }
    let (mut hi, mut end) = (lo, j);
    if b.get(j) == Some(&b'-') {
        let (h, k) = word_at(b, j + 1);
        if h.len() == lo.len() {
            hi = h;
            end = k;
        }
    }
    if run {
        positions.truncate(1);
    }
    let anchor = if end_anchor {
        Anchor::End
    } else if positions.is_empty() {
        return Err(BAD);
    } else {
        Anchor::At(positions)
    };
    Ok((rule(anchor, lo, hi), end))
}

fn rule(anchor: Anchor, lo: &[u8], hi: &[u8]) -> CharRule {
    CharRule {
        anchor,
        lo: String::from_utf8_lossy(lo).to_ascii_uppercase(),
        hi: String::from_utf8_lossy(hi).to_ascii_uppercase(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(text: &str) -> Vec<String> {
        let it = parse_item(text);
        assert_eq!(it.status, ItemStatus::Parsed, "{text}");
        it.targets.iter().map(Target::label).collect()
    }

    #[test]
    fn codes_categories_and_ranges() {
        assert_eq!(labels("bipolar disorder (F31.-)"), ["F31"]);
        assert_eq!(
            labels("hepatitis B (B16.-, B18.0-B18.1)"),
            ["B16", "B18.0-B18.1"]
        );
        assert_eq!(labels("incontinence (N39.3-N39.4-)"), ["N39.3-N39.4"]);
        assert_eq!(labels("atherosclerosis (I70.2--I70.7-)"), ["I70.2-I70.7"]);
        assert_eq!(labels("head injury (S00 - S09)"), ["S00-S09"]);
        assert_eq!(labels("rheumatic fever (I01.0 -I01.9)"), ["I01.0-I01.9"]);
        assert_eq!(
            labels("rheumatoid arthritis (M05.00 to M05.8A)"),
            ["M05.00-M05.8A"]
        );
        assert_eq!(labels("testis (D29.2.-)"), ["D29.2"]);
        assert_eq!(
            labels("cerebral hemorrhage (I60.-. I61.-, I62.-)"),
            ["I60", "I61", "I62"]
        );
        assert_eq!(labels("injury to visual cortex S04.04-"), ["S04.04"]);
        assert_eq!(
            labels("pneumoconiosis with tuberculosis, any type in A15 (J65)"),
            ["J65"]
        );
        assert_eq!(labels("influenza A/H1N1 (J10.-)"), ["J10"]);
    }

    #[test]
    fn character_rules() {
        let t = &parse_item("diabetes mellitus (E08-E13 with .42)").targets[0];
        assert!(t.matches("E1142") && t.matches("E0842") && !t.matches("E1140"));
        assert!(!t.matches("E1442"));
        let t = &parse_item("drug (T36-T50 with fifth or sixth character 5)").targets[0];
        assert!(t.matches("T360X5A") && !t.matches("T360X1A") && !t.matches("T510X5A"));
        let t = &parse_item("mono (B27.0-B27.9 with fifth character 1)").targets[0];
        assert!(t.matches("B2701") && !t.matches("B2709"));
        let t = &parse_item("x (I69. with final characters -23)").targets[0];
        assert!(t.matches("I69323") && !t.matches("I69320"));
        let t = &parse_item("salicylates (T39.0-, with sixth character 1-4)").targets[0];
        assert!(t.matches("T39012A") && !t.matches("T39015A"));
        let t = &parse_item("underdosing (T36-T50) with fifth or sixth character 6").targets[0];
        assert!(t.matches("T366X6A"));
        let t = &parse_item("angiopathy (E08-E13 with .51-.52)").targets[0];
        assert!(t.matches("E1151") && t.matches("E1052") && !t.matches("E1159"));
        let t = &parse_item("open skull fracture (S02.- with 7th character B)").targets[0];
        assert!(t.matches("S020XXB") && !t.matches("S020XXA"));
        let t = &parse_item("psychosis (F11-F19 with fifth to sixth characters 51)").targets[0];
        assert!(t.matches("F11151") && !t.matches("F11150"));
    }

    #[test]
    fn prose_headers_and_unreadable_qualifiers() {
        let it = parse_item("underlying disease, such as:");
        assert_eq!(it.status, ItemStatus::Prose);
        assert!(it.header);
        assert!(parse_item("code, if applicable, to identify:").conditional);
        let it =
            parse_item("diabetic acidosis - see categories E08-E10, E11, E13 with ketoacidosis");
        assert!(matches!(it.status, ItemStatus::Unparsed(_)));
        assert!(it.targets.is_empty());
        assert_eq!(
            parse_item("code, if applicable, for codes G31.0-G31.83, to identify:").status,
            ItemStatus::Prose
        );
        // J84.89: "to indicate intent" names no character.
        let it = parse_item(
            "poisoning due to drug or toxin (T51-T65 with fifth or sixth character to indicate intent)",
        );
        assert!(matches!(it.status, ItemStatus::Unparsed(_)), "{it:?}");
    }
}
