//! Numbers against ranges: the tabular writes quantities as ranges and
//! thresholds ("Body mass index [BMI] 40.0-44.9, adult", "Burns involving
//! 20-29% of body surface", "Blood alcohol level of less than 20 mg/100
//! ml", "5th percentile to less than 85th percentile", "stage 1 through
//! stage 4", "70 or greater"); a query states one value ("BMI 41"). This
//! module reads both: [`scan`] finds the numbers of a text, [`title_ranges`]
//! the ranges of a title, and [`Range::contains`] matches one against the
//! other. Pure functions of the text; the term ids are the caller's.

/// What a number counts: a plain value, a percentage or an ordinal
/// ("95th" percentile).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// A plain number.
    Plain,
    /// Written with `%`.
    Percent,
    /// Written as an ordinal (`5th`, `3rd`).
    Ordinal,
}

/// A number as written in a text.
#[derive(Debug, Clone, PartialEq)]
pub struct Number {
    /// Its value ("1,100" is 1100, "45.2" is 45.2).
    pub value: f64,
    /// `%`, ordinal or plain.
    pub unit: Unit,
    /// Byte span in the text.
    pub span: (usize, usize),
    /// Written after a slash ("mg/100 ml"): a denominator, not a quantity.
    pub after_slash: bool,
}

/// One token of a scanned text.
#[derive(Debug, Clone, PartialEq)]
enum Token {
    Num(Number),
    Word(String, (usize, usize)),
    Dash,
    Slash,
    /// Any other punctuation: ends a pattern.
    Break,
}

/// A range or threshold read from a title.
#[derive(Debug, Clone, PartialEq)]
pub struct Range {
    /// Lower bound (`f64::NEG_INFINITY` when open).
    pub lo: f64,
    /// Whether the lower bound belongs to the range.
    pub lo_incl: bool,
    /// Upper bound (`f64::INFINITY` when open).
    pub hi: f64,
    /// Whether the upper bound belongs to the range.
    pub hi_incl: bool,
    /// The unit of its first bound.
    pub unit: Unit,
    /// Byte span of the whole expression in the title.
    pub span: (usize, usize),
}

impl Range {
    /// Whether the query's number `n` falls in this range: by value, and a
    /// percentage or an ordinal only against a range written the same way.
    pub fn contains(&self, n: &Number) -> bool {
        if n.unit != Unit::Plain && n.unit != self.unit {
            return false;
        }
        let above = if self.lo_incl {
            n.value >= self.lo
        } else {
            n.value > self.lo
        };
        let below = if self.hi_incl {
            n.value <= self.hi
        } else {
            n.value < self.hi
        };
        above && below
    }

    /// Width of the range (narrower ranges are read first).
    pub fn width(&self) -> f64 {
        self.hi - self.lo
    }
}

/// The numbers of `text` (a quantity: not part of a word like "3b" or
/// "T12", not a denominator).
pub fn scan(text: &str) -> Vec<Number> {
    tokens(text)
        .into_iter()
        .filter_map(|t| match t {
            Token::Num(n) if !n.after_slash => Some(n),
            _ => None,
        })
        .collect()
}

fn tokens(text: &str) -> Vec<Token> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_digit() {
            let start = i;
            let mut digits = String::new();
            while i < b.len() {
                if b[i].is_ascii_digit() {
                    digits.push(b[i] as char);
                    i += 1;
                } else if b[i] == b','
                    && i + 3 < b.len() + 1
                    && b.get(i + 1..i + 4)
                        .is_some_and(|d| d.iter().all(u8::is_ascii_digit))
                    && !b.get(i + 4).is_some_and(u8::is_ascii_digit)
                {
                    i += 1;
                } else if b[i] == b'.' && b.get(i + 1).is_some_and(u8::is_ascii_digit) {
                    digits.push('.');
                    i += 1;
                } else {
                    break;
                }
            }
            let rest = &text[i..];
            let letters = rest.bytes().take_while(u8::is_ascii_alphabetic).count();
            let mut unit = Unit::Plain;
            if letters > 0 {
                let suffix = rest[..letters].to_ascii_lowercase();
                if matches!(suffix.as_str(), "st" | "nd" | "rd" | "th") {
                    unit = Unit::Ordinal;
                    i += letters;
                } else {
                    // "3b", "12mg": part of a word, not a number.
                    i += letters;
                    out.push(Token::Break);
                    continue;
                }
            } else if b.get(i) == Some(&b'%') {
                unit = Unit::Percent;
                i += 1;
            }
            let after_slash = matches!(out.last(), Some(Token::Slash));
            if let Ok(value) = digits.parse::<f64>() {
                out.push(Token::Num(Number {
                    value,
                    unit,
                    span: (start, i),
                    after_slash,
                }));
            }
        } else if c.is_ascii_alphabetic() {
            let start = i;
            while i < b.len() && b[i].is_ascii_alphanumeric() {
                i += 1;
            }
            let word = text[start..i].to_ascii_lowercase();
            // A letter run glued to digits ("T12") is a word, not a number.
            out.push(Token::Word(word, (start, i)));
        } else {
            match c {
                b'-' => out.push(Token::Dash),
                b'/' => out.push(Token::Slash),
                b' ' | b'\t' | b'[' | b']' | b'(' | b')' => {}
                _ => {
                    if !c.is_ascii() {
                        // Skip the rest of a multi-byte character.
                        while i + 1 < b.len() && (b[i + 1] & 0xC0) == 0x80 {
                            i += 1;
                        }
                    }
                    out.push(Token::Break);
                }
            }
            i += 1;
        }
    }
    out
}

fn word_is(t: Option<&Token>, w: &str) -> bool {
    matches!(t, Some(Token::Word(x, _)) if x == w)
}

fn start_of(t: &Token) -> Option<usize> {
    match t {
        Token::Num(n) => Some(n.span.0),
        Token::Word(_, s) => Some(s.0),
        _ => None,
    }
}

fn end_of(t: &Token) -> Option<usize> {
    match t {
        Token::Num(n) => Some(n.span.1),
        Token::Word(_, s) => Some(s.1),
        _ => None,
    }
}

/// Words a bound may carry between it and the rest of its range ("5th
/// percentile for age to less than …", "240 mg/100 ml or more").
const MAX_UNIT_TOKENS: usize = 5;

/// A cheap test before [`title_ranges`]: a range needs a number joined to
/// another by a dash, "to" or "through", a `%`, or a comparison word.
pub fn may_write_a_range(title: &str) -> bool {
    let b = title.as_bytes();
    let joined = b
        .windows(2)
        .any(|w| w[0].is_ascii_digit() && (w[1] == b'-' || w[1] == b'%'));
    joined
        || [" to ", "through", "than", " or "]
            .iter()
            .any(|w| title.contains(w))
}

/// The ranges and thresholds written in a title.
pub fn title_ranges(title: &str) -> Vec<Range> {
    let t = tokens(title);
    let mut out = Vec::new();
    let num = |i: usize| match t.get(i) {
        Some(Token::Num(n)) if !n.after_slash => Some(n.clone()),
        _ => None,
    };
    let span = |a: usize, b: usize| -> (usize, usize) {
        (
            start_of(&t[a]).unwrap_or(0),
            end_of(&t[b]).unwrap_or(title.len()),
        )
    };
    let mut i = 0;
    while i < t.len() {
        let Some(a) = num(i) else {
            // Thresholds led by words: "less than N", "greater than (or
            // equal to) N", "more than N".
            let (lo_open, words) = if word_is(t.get(i), "less") && word_is(t.get(i + 1), "than") {
                (false, 2)
            } else if (word_is(t.get(i), "greater") || word_is(t.get(i), "more"))
                && word_is(t.get(i + 1), "than")
            {
                if word_is(t.get(i + 2), "or")
                    && word_is(t.get(i + 3), "equal")
                    && word_is(t.get(i + 4), "to")
                {
                    (true, 5)
                } else {
                    (true, 2)
                }
            } else {
                i += 1;
                continue;
            };
            if let Some(b) = num(i + words) {
                let inclusive = words == 5;
                out.push(if lo_open {
                    Range {
                        lo: b.value,
                        lo_incl: inclusive,
                        hi: f64::INFINITY,
                        hi_incl: false,
                        unit: b.unit,
                        span: span(i, i + words),
                    }
                } else {
                    Range {
                        lo: f64::NEG_INFINITY,
                        lo_incl: false,
                        hi: b.value,
                        hi_incl: false,
                        unit: b.unit,
                        span: span(i, i + words),
                    }
                });
                i += words + 1;
            } else {
                i += words;
            }
            continue;
        };
        // "N-M", "N% to M%", "stage N through stage M".
        let joined = match (t.get(i + 1), t.get(i + 2)) {
            (Some(Token::Dash), _) => num(i + 2).map(|b| (b, i + 2)),
            (Some(Token::Word(w, _)), _) if w == "to" || w == "through" => {
                num(i + 2).map(|b| (b, i + 2)).or_else(|| {
                    matches!(t.get(i + 2), Some(Token::Word(..)))
                        .then(|| num(i + 3).map(|b| (b, i + 3)))
                        .flatten()
                })
            }
            _ => None,
        };
        if let Some((b, j)) = joined
            && b.value >= a.value
        {
            out.push(Range {
                lo: a.value,
                lo_incl: true,
                hi: b.value,
                hi_incl: true,
                // "20-29%": the unit is written once, on either bound.
                unit: if a.unit == Unit::Plain {
                    b.unit
                } else {
                    a.unit
                },
                span: span(i, j),
            });
            i = j + 1;
            continue;
        }
        // After the bound and its unit words: "to less than M", "or
        // greater", "or more", "or less".
        let mut k = i + 1;
        let mut found = false;
        while k < t.len() && k <= i + MAX_UNIT_TOKENS {
            match &t[k] {
                Token::Word(w, _) if w == "to" => {
                    if word_is(t.get(k + 1), "less")
                        && word_is(t.get(k + 2), "than")
                        && let Some(b) = num(k + 3)
                    {
                        out.push(Range {
                            lo: a.value,
                            lo_incl: true,
                            hi: b.value,
                            hi_incl: false,
                            unit: a.unit,
                            span: span(i, k + 3),
                        });
                        i = k + 4;
                        found = true;
                    }
                    break;
                }
                Token::Word(w, _) if w == "or" => {
                    let next = match t.get(k + 1) {
                        Some(Token::Word(x, _)) => x.as_str(),
                        _ => "",
                    };
                    let (lo, lo_incl, hi, hi_incl) = match next {
                        "greater" | "more" | "over" => (a.value, true, f64::INFINITY, false),
                        "less" => (f64::NEG_INFINITY, false, a.value, true),
                        _ => break,
                    };
                    out.push(Range {
                        lo,
                        lo_incl,
                        hi,
                        hi_incl,
                        unit: a.unit,
                        span: span(i, k + 1),
                    });
                    i = k + 2;
                    found = true;
                    break;
                }
                Token::Word(..) | Token::Slash => k += 1,
                Token::Num(n) if n.after_slash => k += 1,
                _ => break,
            }
        }
        if !found {
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ranges(title: &str) -> Vec<(f64, bool, f64, bool, String)> {
        title_ranges(title)
            .into_iter()
            .map(|r| {
                (
                    r.lo,
                    r.lo_incl,
                    r.hi,
                    r.hi_incl,
                    title[r.span.0..r.span.1].to_string(),
                )
            })
            .collect()
    }

    const INF: f64 = f64::INFINITY;

    #[test]
    fn reads_the_tabulars_ranges_and_thresholds() {
        assert_eq!(
            ranges("Body mass index [BMI] 40.0-44.9, adult"),
            [(40.0, true, 44.9, true, "40.0-44.9".into())]
        );
        assert_eq!(
            ranges("Body mass index [BMI] 70 or greater, adult"),
            [(70.0, true, INF, false, "70 or greater".into())]
        );
        assert_eq!(
            ranges("Blood alcohol level of less than 20 mg/100 ml"),
            [(-INF, false, 20.0, false, "less than 20".into())]
        );
        assert_eq!(
            ranges("Blood alcohol level of 240 mg/100 ml or more"),
            [(240.0, true, INF, false, "240 mg/100 ml or more".into())]
        );
        assert_eq!(
            ranges("Burns involving 20-29% of body surface with 0% to 9% third degree burns"),
            [
                (20.0, true, 29.0, true, "20-29%".into()),
                (0.0, true, 9.0, true, "0% to 9%".into())
            ]
        );
        assert_eq!(
            ranges(
                "Body mass index [BMI] pediatric, 5th percentile to less than 85th percentile for age"
            )[0],
            (
                5.0,
                true,
                85.0,
                false,
                "5th percentile to less than 85th".into()
            )
        );
        assert_eq!(
            ranges(
                "Hypertensive chronic kidney disease with stage 1 through stage 4 chronic kidney disease"
            )[0],
            (1.0, true, 4.0, true, "1 through stage 4".into())
        );
        assert_eq!(
            ranges("Greater than 42 weeks gestation of pregnancy"),
            [(42.0, false, INF, false, "Greater than 42".into())]
        );
        assert_eq!(
            ranges("Other low birth weight newborn, 1,000-1,249 grams")[0].2,
            1249.0
        );
        assert!(ranges("Type 2 diabetes mellitus with stage 3b chronic kidney disease").is_empty());
        assert!(ranges("32 weeks gestation of pregnancy").is_empty());
    }

    #[test]
    fn a_percentage_or_ordinal_matches_only_its_kind() {
        let r = &title_ranges("5th percentile to less than 85th percentile")[0];
        let n = |s: &str| scan(s)[0].clone();
        assert!(r.contains(&n("50th")));
        assert!(r.contains(&n("50")));
        assert!(!r.contains(&n("50%")));
        assert!(!r.contains(&n("85th")));
        assert_eq!(n("BMI of 45.2").value, 45.2);
        assert_eq!(n("1,100 grams").value, 1100.0);
        assert!(scan("CKD 3b, T12").is_empty());
        assert_eq!(scan("10 mg/100 ml").len(), 1);
    }
}
