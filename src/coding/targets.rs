//! The codes an instructional note points at: "(N18.1-N18.6)", "(I50.-)",
//! "(E08.22, E09.22, E10.22)", "(B95-B97)", "(T36-T50 with fifth or sixth
//! character 5)". A note line is read into [`Target`]s, each of which
//! says whether a code falls under it.
//!
//! Not for deciding what to do with a note: see [`super::notes`].

/// One pattern of a note: a code and all codes under it, or a range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// First code of the range, without its dot (`N181`, `I50`).
    from: String,
    /// Last code of the range (equal to `from` for a single code).
    to: String,
    /// "with fifth or sixth character 5": the characters allowed at
    /// positions 5 or 6 (1-based), empty when any.
    character: Vec<char>,
}

impl Target {
    /// Whether `code` (dotted or not) is this target or under it.
    pub fn covers(&self, code: &str) -> bool {
        // An ASCII code of up to 16 characters (every ICD-10 code) is
        // compared in place; anything else the long way, with the same
        // answer.
        let mut buf = [0u8; 16];
        let mut n = 0;
        if code.is_ascii() {
            for b in code.bytes().filter(|b| *b != b'.') {
                if n == buf.len() {
                    return self.covers_chars(code);
                }
                buf[n] = b;
                n += 1;
            }
        } else {
            return self.covers_chars(code);
        }
        let c = &buf[..n];
        let key = |len: usize| &c[..len.min(n)];
        let in_range = key(self.from.len()) >= self.from.as_bytes()
            && key(self.to.len()) <= self.to.as_bytes();
        in_range
            && (self.character.is_empty()
                || [4, 5].iter().any(|&i| {
                    c.get(i)
                        .is_some_and(|x| self.character.contains(&char::from(*x)))
                }))
    }

    /// [`Target::covers`] by characters.
    fn covers_chars(&self, code: &str) -> bool {
        let c: Vec<char> = code.chars().filter(|c| *c != '.').collect();
        let key = |len: usize| -> String { c.iter().take(len).collect() };
        let (lo, hi) = (key(self.from.len()), key(self.to.len()));
        let in_range = lo.as_str() >= self.from.as_str() && hi.as_str() <= self.to.as_str();
        in_range
            && (self.character.is_empty()
                || [4, 5]
                    .iter()
                    .any(|&i| c.get(i).is_some_and(|x| self.character.contains(x))))
    }

    /// The first letters of the codes it can cover (its range's ends'):
    /// a cheap test before [`Target::covers`].
    pub fn letters(&self) -> (u8, u8) {
        let first = |s: &str| s.bytes().next().unwrap_or(0);
        (first(&self.from), first(&self.to))
    }

    /// Whether the target names exactly one code (not a range or a
    /// category with "-").
    pub fn single(&self) -> Option<&str> {
        (self.from == self.to && self.character.is_empty()).then_some(self.from.as_str())
    }
}

/// A pattern as the guideline rules write it: `N18.5`, `B95-B97`, or
/// `T36-T50:5` (5th or 6th character 5). `None` when it is not one.
pub fn pattern(p: &str) -> Option<Target> {
    let (codes, character) = match p.split_once(':') {
        Some((c, ch)) => (c, ch.chars().collect()),
        None => (p, Vec::new()),
    };
    let (from, to) = codes.split_once('-').unwrap_or((codes, codes));
    (is_code(from) && is_code(to)).then(|| Target {
        from: from.replace('.', ""),
        to: to.replace('.', ""),
        character,
    })
}

/// Whether `w` looks like an ICD-10 code or category (A00, N18.1, F02.A1, T38.0X5).
fn is_code(w: &str) -> bool {
    let b = w.as_bytes();
    b.len() >= 3
        && b[0].is_ascii_uppercase()
        && b[1].is_ascii_digit()
        && b[2].is_ascii_alphanumeric()
        && w[3..]
            .trim_start_matches('.')
            .bytes()
            .all(|x| x.is_ascii_alphanumeric())
}

/// The targets of one note line (every parenthesized code list in it).
pub fn parse(line: &str) -> Vec<Target> {
    let mut out = Vec::new();
    let mut rest = line;
    while let Some(open) = rest.find('(') {
        let Some(len) = rest[open..].find(')') else {
            break;
        };
        let group = &rest[open + 1..open + len];
        rest = &rest[open + len + 1..];
        for item in group.split(',') {
            let item = item.trim();
            let (codes, character) = match item.split_once(" with fifth or sixth character ") {
                Some((c, ch)) => (c.trim(), ch.chars().filter(char::is_ascii_digit).collect()),
                None => (item, Vec::new()),
            };
            let codes = codes.trim_end_matches(".-").trim_end_matches('-');
            let (from, to) = codes.split_once('-').unwrap_or((codes, codes));
            let (from, to) = (from.trim(), to.trim().trim_end_matches(".-"));
            if is_code(from) && is_code(to) {
                out.push(Target {
                    from: from.replace('.', ""),
                    to: to.replace('.', ""),
                    character,
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_categories_lists_and_characters() {
        let t = parse("code to identify stage of chronic kidney disease (N18.1-N18.6)");
        assert!(t[0].covers("N18.4") && t[0].covers("N18.6") && !t[0].covers("N18.9"));
        let t = parse("code to identify type of heart failure (I50.-)");
        assert!(t[0].covers("I50.22") && !t[0].covers("I51.9"));
        let t = parse("diabetes mellitus (E08.43, E09.43, E10.43, E11.43, E13.43)");
        assert_eq!(t.len(), 5);
        assert_eq!(t[3].single(), Some("E1143"));
        let t = parse("code (B95-B97), to identify infectious agent.");
        assert!(t[0].covers("B96.20") && !t[0].covers("B98.0"));
        let t = parse("adverse effect (T36-T50 with fifth or sixth character 5)");
        assert!(t[0].covers("T38.0X5A") && !t[0].covers("T38.0X1A"));
        assert!(parse("to identify the infection").is_empty());
        assert!(pattern("T36-T50:5").is_some_and(|t| t.covers("T45.1X5A")));
        assert!(pattern("N18.1-N18.4").is_some_and(|t| t.covers("N18.30")));
        assert!(pattern("stage").is_none());
    }

    #[test]
    fn covers_in_place_equals_covers_by_characters() {
        let targets: Vec<Target> = [
            "(N18.1-N18.6)",
            "(I50.-)",
            "(E08.22, E09.22, E11.22)",
            "(B95-B97)",
            "(T36-T50 with fifth or sixth character 5)",
        ]
        .iter()
        .flat_map(|l| parse(l))
        .collect();
        let codes = [
            "N18.4",
            "N184",
            "N18",
            "N19",
            "I50.22",
            "I5022",
            "I51.9",
            "E11.22",
            "E1122",
            "E11.2",
            "B96.20",
            "B97",
            "B98.0",
            "T38.0X5A",
            "T38.0X1A",
            "T50.995S",
            "A",
            "",
            "Ü18.4",
            "N18.4ÿ",
            "N18.40000000000000000",
        ];
        for t in &targets {
            for c in codes {
                assert_eq!(t.covers(c), t.covers_chars(c), "{t:?} {c}");
            }
        }
    }
}
