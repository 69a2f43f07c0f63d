//! The tabular's own sequencing notes of a code, read as targets: "use
//! additional code" (the target follows), "code first" (the target comes
//! first) and "code also" (either order). A code inherits the notes of
//! the codes above it.
//!
//! Not for parsing the code lists themselves: see [`super::targets`].

use super::targets::{Target, parse};
use crate::index::Index;

/// The notes of one code and everything above it, as targets.
#[derive(Debug, Clone, Default)]
pub struct CodeNotes {
    /// "Use additional code": these follow the code.
    pub use_additional: Vec<Target>,
    /// "Code first": these come before the code.
    pub code_first: Vec<Target>,
    /// "Code also": coded too, in either order.
    pub code_also: Vec<Target>,
}

/// How a note ties one code to another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Link {
    /// The other code follows ("use additional code").
    Follows,
    /// The other code comes first ("code first").
    Precedes,
    /// Both are coded ("code also").
    Also,
}

impl Link {
    /// The note's name, for explanations.
    pub fn note(self) -> &'static str {
        match self {
            Link::Follows => "use additional code",
            Link::Precedes => "code first",
            Link::Also => "code also",
        }
    }
}

impl CodeNotes {
    /// The notes of `doc` and the codes above it (its category; the
    /// chapters' and blocks' notes speak of whole ranges and are not read).
    pub fn of<D: AsRef<[u8]>>(index: &Index<D>, doc: u32) -> CodeNotes {
        let mut out = CodeNotes::default();
        let codes = index
            .ancestors(doc)
            .into_iter()
            .filter(|a| index.doc(*a).is_code());
        for d in std::iter::once(doc).chain(codes) {
            let n = index.detail(d).notes;
            let read = |lines: &[String]| lines.iter().flat_map(|l| parse(l)).collect::<Vec<_>>();
            out.use_additional.extend(read(&n.use_additional));
            out.code_first.extend(read(&n.code_first));
            out.code_also.extend(read(&n.code_also));
        }
        out
    }

    /// How these notes tie their code to `other`, if they do.
    pub fn link(&self, other: &str) -> Option<Link> {
        let any = |ts: &[Target]| ts.iter().any(|t| t.covers(other));
        if any(&self.use_additional) {
            Some(Link::Follows)
        } else if any(&self.code_first) {
            Some(Link::Precedes)
        } else if any(&self.code_also) {
            Some(Link::Also)
        } else {
            None
        }
    }

    /// Whether the code asks for an additional code ("use additional code").
    pub fn asks_for_more(&self) -> bool {
        !self.use_additional.is_empty()
    }
}
