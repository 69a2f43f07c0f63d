//! An edit's message and source as [`Text`]: words the checker already
//! holds (a code's spelling, a note's text, a guideline's section) put
//! together only when the edit is written, so checking an encounter copies
//! no note text. Not for: which edits an encounter gets (the edit modules).

use super::notes::NoteGroup;
use std::fmt;

/// The words of an edit's message or source.
#[derive(Debug, Clone)]
pub enum Text<'a> {
    /// Composed when the edit was made.
    Owned(String),
    /// Fixed words (a guideline's section).
    Static(&'static str),
    /// A code, then fixed words ("W19.XXXA is an external-cause code: …").
    Lead(&'a str, &'static str),
    /// Fixed words, " at ", a code: "Use additional code at E11".
    At(&'static str, &'a str),
    /// A note of `code` (or of an ancestor) whose targets are missing from
    /// the encounter: "E11.9: use additional code … — none of Z79.4 is on
    /// the encounter" (`what`: "use additional"); a note that cites no
    /// code asks for its condition to be listed first.
    Missing {
        /// The encounter's code.
        code: &'a str,
        /// The instruction, lower case.
        what: &'static str,
        /// The note.
        group: &'a NoteGroup,
    },
}

impl fmt::Display for Text<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Text::Owned(s) => f.write_str(s),
            Text::Static(s) => f.write_str(s),
            Text::Lead(code, rest) => write!(f, "{code}{rest}"),
            Text::At(what, code) => write!(f, "{what} at {code}"),
            Text::Missing { code, what, group } if group.targets.is_empty() => {
                write!(f, "{code}: {what} {} — list it before {code}", group.text)
            }
            Text::Missing { code, what, group } => write!(
                f,
                "{code}: {what} {} — none of {} is on the encounter",
                group.text, group.cited
            ),
        }
    }
}

impl Text<'_> {
    /// Appends the words as the contents of a JSON string (escaped as
    /// `serde_json` escapes them, no quotes), piece by piece: what
    /// [`fmt::Display`] writes, without a copy first.
    pub fn write_json(&self, out: &mut Vec<u8>) {
        match self {
            Text::Owned(s) => escape_into(out, s),
            Text::Static(s) => escape_into(out, s),
            Text::Lead(code, rest) => {
                escape_into(out, code);
                escape_into(out, rest);
            }
            Text::At(what, code) => {
                escape_into(out, what);
                out.extend_from_slice(b" at ");
                escape_into(out, code);
            }
            Text::Missing { code, what, group } => {
                // The note's words, the longest part, checked once per note.
                let note = |out: &mut Vec<u8>, s: &str| match group.plain {
                    true => out.extend_from_slice(s.as_bytes()),
                    false => escape_into(out, s),
                };
                escape_into(out, code);
                out.extend_from_slice(b": ");
                escape_into(out, what);
                out.push(b' ');
                note(out, &group.text);
                if group.targets.is_empty() {
                    out.extend_from_slice(" — list it before ".as_bytes());
                    escape_into(out, code);
                } else {
                    out.extend_from_slice(" — none of ".as_bytes());
                    note(out, &group.cited);
                    out.extend_from_slice(b" is on the encounter");
                }
            }
        }
    }
}

/// Appends `s` as the contents of a JSON string. JSON escaping maps each
/// character on its own, so pieces escaped one by one read as the whole
/// escaped at once; a piece with nothing to escape (the usual case: no
/// quote, backslash or control character, checked without branching per
/// byte) is copied as it is, any other is escaped by `serde_json`.
pub fn escape_into(out: &mut Vec<u8>, s: &str) {
    if !needs_escape(s.as_bytes()) {
        out.extend_from_slice(s.as_bytes());
        return;
    }
    let quoted = serde_json::to_string(s).unwrap_or_default();
    out.extend_from_slice(&quoted.as_bytes()[1..quoted.len().saturating_sub(1).max(1)]);
}

/// Whether JSON escapes a byte of `b`: a control character (below 0x20),
/// a quote or a backslash. Eight bytes at a time, with the word tests of
/// "Bit Twiddling Hacks" (`hasless`, `haszero`): exact about whether any
/// byte of the word is one (not about which).
pub(super) fn needs_escape(b: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let less = |v: u64, n: u8| v.wrapping_sub(ONES * u64::from(n)) & !v & HIGH != 0;
    let has = |v: u64, c: u8| less(v ^ (ONES * u64::from(c)), 1);
    let mut words = b.chunks_exact(8);
    for w in &mut words {
        let Ok(w) = <[u8; 8]>::try_from(w) else {
            return true;
        };
        let v = u64::from_le_bytes(w);
        if less(v, 0x20) || has(v, b'"') || has(v, b'\\') {
            return true;
        }
    }
    words
        .remainder()
        .iter()
        .any(|&c| c < 0x20 || c == b'"' || c == b'\\')
}

impl PartialEq for Text<'_> {
    /// Equal when they read the same.
    fn eq(&self, other: &Self) -> bool {
        self.to_string() == other.to_string()
    }
}

impl serde::Serialize for Text<'_> {
    /// A JSON string, escaped as it is written (no copy first).
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl From<String> for Text<'_> {
    fn from(s: String) -> Self {
        Text::Owned(s)
    }
}

impl From<&'static str> for Text<'_> {
    fn from(s: &'static str) -> Self {
        Text::Static(s)
    }
}

#[cfg(test)]
mod tests {
    use super::needs_escape;

    #[test]
    fn what_json_escapes_is_found_in_any_byte() {
        let plain: Vec<u8> = (0x20..=0xff)
            .filter(|b| *b != b'"' && *b != b'\\')
            .collect();
        assert!(!needs_escape(&plain));
        for len in 1..20 {
            for at in 0..len {
                for c in [0u8, 0x1f, b'"', b'\\', b'\n'] {
                    let mut s = vec![b'a'; len];
                    s[at] = c;
                    assert!(needs_escape(&s), "{len} {at} {c}");
                }
                let mut s = vec![b'a'; len];
                s[at] = 0x7f;
                assert!(!needs_escape(&s));
            }
        }
    }
}
