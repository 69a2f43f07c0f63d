//! Splitting text into lower-case ASCII words.

/// A word as it appears in the text, lower-cased and ASCII-folded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawToken {
    /// The word.
    pub text: String,
    /// Inside parentheses (a nonessential modifier in tabular titles).
    pub in_parens: bool,
    /// Written in capitals ("CAP", "MS"): likely an abbreviation.
    pub upper: bool,
    /// A comma, semicolon, colon or full stop stands before it: a new clause.
    pub clause_start: bool,
    /// Written with a possessive "'s" or "'" ("Vincent's", "Edwards'"): an
    /// eponym.
    pub possessive: bool,
}

/// Bytes reserved for a word when it starts: most words fit.
const TOKEN_CAPACITY: usize = 16;

/// Splits on anything that is not a letter or digit, folds accents
/// ("Ménière" → "meniere") and drops possessive "'s" ("Crohn's" → "crohn").
pub fn tokenize(text: &str) -> Vec<RawToken> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut letters = 0usize;
    let mut upper_letters = 0usize;
    let mut depth: u32 = 0;
    let mut brk = false;
    let mut start_break = false;
    let mut start_depth = 0;
    let mut possessive = false;
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\'' || c == '\u{2019}' {
            // Possessive: drop "'s" at the end of a word, keep "o'clock" style joins.
            let next = chars.get(i + 1).copied();
            let after = chars.get(i + 2).copied();
            if !cur.is_empty()
                && matches!(next, Some('s') | Some('S'))
                && !after.is_some_and(|a| a.is_alphanumeric())
            {
                possessive = true;
                i += 2;
                continue;
            }
            // "Edwards' syndrome": an apostrophe ending a word.
            if !cur.is_empty() && !next.is_some_and(|n| n.is_alphanumeric()) {
                possessive = true;
            }
            i += 1;
            continue;
        }
        // Thousands separators: "1,000-1,249 grams" reads as "1000-1249".
        if c == ','
            && !cur.is_empty()
            && cur.bytes().all(|b| b.is_ascii_digit())
            && chars
                .get(i + 1..i + 4)
                .is_some_and(|d| d.iter().all(char::is_ascii_digit))
            && !chars.get(i + 4).is_some_and(char::is_ascii_digit)
        {
            i += 1;
            continue;
        }
        if let Some(f) = fold(c) {
            if cur.is_empty() {
                // One allocation for most words (a taken String has none).
                cur.reserve(TOKEN_CAPACITY);
                start_depth = depth;
                start_break = std::mem::take(&mut brk);
                letters = 0;
                upper_letters = 0;
            }
            if c.is_alphabetic() {
                letters += 1;
                upper_letters += usize::from(c.is_uppercase());
            }
            cur.push_str(f);
        } else {
            if !cur.is_empty() {
                out.push(RawToken {
                    text: std::mem::take(&mut cur),
                    in_parens: start_depth > 0,
                    upper: letters >= 2 && upper_letters == letters,
                    clause_start: start_break,
                    possessive: std::mem::take(&mut possessive),
                });
            }
            match c {
                '(' | '[' => depth += 1,
                ')' | ']' => depth = depth.saturating_sub(1),
                ',' | ';' | ':' | '.' => brk = true,
                _ => {}
            }
        }
        i += 1;
    }
    if !cur.is_empty() {
        out.push(RawToken {
            text: cur,
            in_parens: start_depth > 0,
            upper: letters >= 2 && upper_letters == letters,
            clause_start: start_break,
            possessive,
        });
    }
    out
}

/// Lower-case ASCII form of a word character, or `None` for a separator.
fn fold(c: char) -> Option<&'static str> {
    const LOWER: &str = "abcdefghijklmnopqrstuvwxyz0123456789";
    if c.is_ascii_alphanumeric() {
        let l = c.to_ascii_lowercase() as u8;
        let i = if l.is_ascii_digit() {
            26 + usize::from(l - b'0')
        } else {
            usize::from(l - b'a')
        };
        return Some(&LOWER[i..i + 1]);
    }
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => "a",
        'æ' | 'Æ' => "ae",
        'ç' | 'Ç' => "c",
        'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' => "e",
        'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => "i",
        'ñ' | 'Ñ' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' => "o",
        'œ' | 'Œ' => "oe",
        'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' => "u",
        'ý' | 'ÿ' | 'Ý' => "y",
        'ß' => "ss",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_letters_and_digits_fold_to_their_lower_case() {
        for c in (0u8..128)
            .map(char::from)
            .filter(char::is_ascii_alphanumeric)
        {
            assert_eq!(
                fold(c),
                Some(c.to_ascii_lowercase().to_string().as_str()),
                "{c}"
            );
        }
    }

    fn words(s: &str) -> Vec<String> {
        tokenize(s).into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn splits_slashes_and_hyphens() {
        assert_eq!(
            words("s/p CABG, a-fib w/ RVR"),
            ["s", "p", "cabg", "a", "fib", "w", "rvr"]
        );
    }

    #[test]
    fn thousands_separators_join_numbers() {
        assert_eq!(words("1,000- 1,249 grams"), ["1000", "1249", "grams"]);
        assert_eq!(words("types 1,2"), ["types", "1", "2"]);
    }

    #[test]
    fn marks_clause_starts() {
        let t = tokenize("hernia without obstruction, with gangrene");
        let starts: Vec<bool> = t.iter().map(|t| t.clause_start).collect();
        assert_eq!(starts, [false, false, false, true, false]);
    }

    #[test]
    fn marks_words_in_capitals() {
        let t = tokenize("CAP in a Cap, T2DM");
        assert!(t[0].upper && !t[1].upper && !t[3].upper && t[4].upper);
    }

    #[test]
    fn folds_accents_and_possessives() {
        assert_eq!(words("Ménière's disease"), ["meniere", "disease"]);
        assert_eq!(words("Sjögren syndrome"), ["sjogren", "syndrome"]);
    }
}
