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
