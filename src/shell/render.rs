//! How the shell draws its lists: one numbered row per code, fitted to the
//! terminal width, coloured with plain ANSI codes when asked to.

use std::io::{self, Write};

/// Rows are never drawn wider than this, whatever the terminal.
pub const DEFAULT_WIDTH: usize = 80;

/// Narrower than this and titles would vanish; rows are drawn this wide.
pub const MIN_WIDTH: usize = 40;

/// Titles get at least this many columns.
const MIN_TITLE: usize = 20;

/// Width of the code column (ICD-10-CM codes with a 7th character: 8).
const CODE_WIDTH: usize = 8;

/// Colours on or off.
#[derive(Debug, Clone, Copy, Default)]
pub struct Style {
    /// Use ANSI colours.
    pub color: bool,
}

impl Style {
    fn paint(&self, code: &str, s: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }

    /// A code.
    pub fn code(&self, s: &str) -> String {
        self.paint("1;36", s)
    }

    /// Secondary text (releases, hints).
    pub fn dim(&self, s: &str) -> String {
        self.paint("2", s)
    }

    /// A warning or a header that is not billable.
    pub fn warn(&self, s: &str) -> String {
        self.paint("33", s)
    }

    /// A billable mark or a success.
    pub fn good(&self, s: &str) -> String {
        self.paint("32", s)
    }

    /// A heading.
    pub fn heading(&self, s: &str) -> String {
        self.paint("1", s)
    }
}

/// One numbered row of a list.
pub struct Row<'a> {
    /// 1-based number the user types to open it.
    pub n: usize,
    /// The code.
    pub code: &'a str,
    /// Valid on a claim.
    pub billable: bool,
    /// The title.
    pub title: &'a str,
    /// "icd10cm 2026", or empty to leave the column out.
    pub release: &'a str,
}

/// `s` cut to at most `max` characters, ending in `…` when cut.
pub fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut t: String = s.chars().take(max.saturating_sub(1)).collect();
    t.push('…');
    t
}

/// Writes `row`: `  1  E11.40   Y  Type 2 diabetes …  icd10cm 2026`,
/// never wider than `width - 1` columns. `Y` marks a billable code, `-` a
/// header.
pub fn write_row<W: Write + ?Sized>(
    out: &mut W,
    style: Style,
    width: usize,
    row: &Row,
) -> io::Result<()> {
    let width = width.max(MIN_WIDTH) - 1;
    let fixed = 3 + 2 + CODE_WIDTH.max(row.code.len()) + 1 + 1 + 2;
    let room = width.saturating_sub(fixed);
    // On a narrow screen the title matters more than the release.
    let release_cols = row.release.chars().count() + 2;
    let release = if room >= MIN_TITLE + release_cols {
        row.release
    } else {
        ""
    };
    let title_cols = if release.is_empty() {
        room
    } else {
        room - release_cols
    };
    let title = truncate(row.title, title_cols.max(MIN_TITLE));
    let mark = if row.billable {
        style.good("Y")
    } else {
        style.warn("-")
    };
    let code = style.code(&format!("{:<CODE_WIDTH$}", row.code));
    write!(out, "{:>3}  {code} {mark}  ", row.n)?;
    if release.is_empty() {
        writeln!(out, "{title}")
    } else {
        let pad = title_cols - title.chars().count();
        writeln!(out, "{title}{:pad$}  {}", "", style.dim(release))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draw(width: usize, title: &str, release: &str) -> String {
        let mut out = Vec::new();
        let row = Row {
            n: 1,
            code: "E11.40",
            billable: true,
            title,
            release,
        };
        write_row(&mut out, Style::default(), width, &row).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn rows_fit_the_width() {
        let long = "Type 2 diabetes mellitus with diabetic neuropathy, unspecified, and a much longer tail";
        for width in [40, 80, 120] {
            let line = draw(width, long, "icd10cm 2026");
            assert!(line.trim_end().chars().count() < width, "{width}: {line}");
            assert_eq!(line.contains('…'), width <= 80, "{line}");
            assert_eq!(
                line.trim_end().ends_with("icd10cm 2026"),
                width > 40,
                "{line}"
            );
        }
        assert_eq!(draw(80, "Short", ""), "  1  E11.40   Y  Short\n");
    }

    #[test]
    fn truncate_counts_characters() {
        assert_eq!(truncate("Ménière's disease", 8), "Ménière…");
        assert_eq!(truncate("abc", 3), "abc");
    }
}
