//! Numbered rows, as the shell lists suggestions, children and the
//! worklist: number, code, billable mark, score, the full title wrapped at
//! word boundaries to the width, and the release.

use super::{Style, wrap};
use std::io::{self, Write};

/// Rows are drawn this wide when the terminal's width is not known.
pub const DEFAULT_WIDTH: usize = 80;

/// Narrower than this and titles would be a word a line; rows are drawn
/// this wide.
pub const MIN_WIDTH: usize = 40;

/// Titles get at least this many columns before the release is left out.
const MIN_TITLE: usize = 20;

/// Width of the code column (ICD-10-CM codes with a 7th character: 8).
const CODE_WIDTH: usize = 8;

/// One numbered row of a list.
pub struct Row<'a> {
    /// 1-based number the user types to open it.
    pub n: usize,
    /// The code.
    pub code: &'a str,
    /// Valid on a claim.
    pub billable: bool,
    /// The suggestion's score (0..1), for suggestions.
    pub score: Option<f32>,
    /// The title.
    pub title: &'a str,
    /// "icd10cm 2026", or empty to leave the column out.
    pub release: &'a str,
}

/// Writes `row`: `  1  E11.40   Y  0.93  Type 2 diabetes …  icd10cm 2026`,
/// the title wrapped onto indented lines, never wider than `width - 1`
/// columns. `Y` marks a billable code, `-` a header.
pub fn write_row<W: Write + ?Sized>(
    out: &mut W,
    style: Style,
    width: usize,
    row: &Row,
) -> io::Result<()> {
    let width = width.max(MIN_WIDTH) - 1;
    let code_cols = CODE_WIDTH.max(row.code.len());
    let score_cols = if row.score.is_some() { 6 } else { 0 };
    let fixed = 3 + 2 + code_cols + 1 + 1 + 2 + score_cols;
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
    let mark = if row.billable {
        style.good("Y")
    } else {
        style.warn("-")
    };
    let code = style.code(&format!("{:<code_cols$}", row.code));
    write!(out, "{:>3}  {code} {mark}  ", row.n)?;
    if let Some(s) = row.score {
        let s = format!("{s:.2}");
        let s = if s.parse::<f32>().is_ok_and(|v| v < 0.5) {
            style.warn(&s)
        } else {
            s
        };
        write!(out, "{s}  ")?;
    }
    let lines = wrap(row.title, title_cols);
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            write!(out, "{:fixed$}", "")?;
        }
        if i == 0 && !release.is_empty() {
            let pad = title_cols.saturating_sub(line.chars().count());
            writeln!(out, "{line}{:pad$}  {}", "", style.dim(release))?;
        } else {
            writeln!(out, "{line}")?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draw(width: usize, title: &str, release: &str, score: Option<f32>) -> String {
        let mut out = Vec::new();
        let row = Row {
            n: 1,
            code: "E11.40",
            billable: true,
            score,
            title,
            release,
        };
        write_row(&mut out, Style::default(), width, &row).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn rows_fit_the_width_and_keep_the_whole_title() {
        let long = "Type 2 diabetes mellitus with diabetic neuropathy, unspecified, and a much longer tail";
        for width in [40, 60, 80, 200] {
            let text = draw(width, long, "icd10cm 2026", Some(0.93));
            for line in text.lines() {
                assert!(line.chars().count() < width, "{width}: {line}");
            }
            let words: Vec<&str> = text
                .lines()
                .flat_map(|l| l.split_whitespace())
                .filter(|w| long.contains(*w))
                .collect();
            assert!(words.join(" ").contains(long), "{width}: {text}");
            assert!(!text.contains('…'), "{text}");
            assert_eq!(text.contains("icd10cm 2026"), width > 40, "{text}");
            assert_eq!(text.lines().count() > 1, width < 200, "{text}");
        }
        assert_eq!(draw(80, "Short", "", None), "  1  E11.40   Y  Short\n");
        assert_eq!(
            draw(80, "Short", "", Some(0.5)),
            "  1  E11.40   Y  0.50  Short\n"
        );
    }
}
