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
        let mut put = |s: &str| escape_into(out, s);
        match self {
            Text::Owned(s) => put(s),
            Text::Static(s) => put(s),
            Text::Lead(code, rest) => {
                put(code);
                put(rest);
            }
            Text::At(what, code) => {
                put(what);
                put(" at ");
                put(code);
            }
            Text::Missing { code, what, group } => {
                put(code);
                put(": ");
                put(what);
                put(" ");
                put(&group.text);
                if group.targets.is_empty() {
                    put(" — list it before ");
                    put(code);
                } else {
                    put(" — none of ");
                    put(&group.cited);
                    put(" is on the encounter");
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
    // 16 bytes at a time, each block with no branch per byte (the
    // compiler vectorises it).
    let special = |b: &u8| (*b < 0x20) | (*b == b'"') | (*b == b'\\');
    let blocks = s.as_bytes().chunks(16);
    if !blocks
        .into_iter()
        .any(|c| c.iter().fold(false, |any, b| any | special(b)))
    {
        out.extend_from_slice(s.as_bytes());
        return;
    }
    let quoted = serde_json::to_string(s).unwrap_or_default();
    out.extend_from_slice(&quoted.as_bytes()[1..quoted.len().saturating_sub(1).max(1)]);
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
