//! Rendering results for people and programs, shared by the command line
//! and the shell: colours ([`Style`], [`ColorChoice`]), fitting text to a
//! width ([`fit`], [`wrap`]), the suggestion table ([`table`]), numbered
//! rows ([`row`]), code detail ([`detail`]), the machine formats with one
//! schema ([`records`]) and FHIR ([`fhir`]).
//!
//! Not for deciding what to show: callers hand over finished results
//! (`SearchResult`, `CodeDetail`) and a writer.

pub mod detail;
pub mod fhir;
pub mod records;
pub mod row;
pub mod table;

use std::io::IsTerminal;

/// The notice shown whenever CPT text is displayed.
pub const AMA_NOTICE: &str = "CPT® is a registered trademark of the American Medical Association. CPT codes and descriptions are copyright American Medical Association; all rights reserved. Displayed from the user's licensed file.";

/// When to colour output (`--color`).
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ColorChoice {
    /// Colour when stdout is a terminal and `NO_COLOR` is not set.
    #[default]
    Auto,
    /// Always colour (even into a pipe).
    Always,
    /// Never colour.
    Never,
}

impl ColorChoice {
    /// Whether to colour stdout: `always`, or `auto` with stdout a terminal
    /// and `NO_COLOR` unset or empty (<https://no-color.org>).
    pub fn for_stdout(self) -> bool {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        self.resolve(std::io::stdout().is_terminal(), no_color)
    }

    /// The decision, given whether the output is a terminal and whether
    /// `NO_COLOR` is set.
    pub fn resolve(self, terminal: bool, no_color: bool) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => terminal && !no_color,
        }
    }
}

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

/// The width to fit tables to: stdout's terminal width, else `$COLUMNS`;
/// `None` (no limit) when stdout is not a terminal and `COLUMNS` is unset.
pub fn stdout_width() -> Option<usize> {
    terminal_size::terminal_size_of(std::io::stdout())
        .map(|(w, _)| usize::from(w.0))
        .or_else(|| {
            std::env::var("COLUMNS")
                .ok()
                .and_then(|c| c.trim().parse().ok())
        })
        .filter(|&w| w > 0)
}

/// `s` in at most `max` characters: whole if it fits, else cut after the
/// last whole word that fits, with `…` (a single word longer than `max` is
/// cut inside).
pub fn fit(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let keep: String = s.chars().take(max.saturating_sub(1)).collect();
    let next_is_break = s.chars().nth(keep.chars().count()) == Some(' ');
    let cut = if next_is_break {
        keep.as_str()
    } else {
        keep.rfind(' ').map_or(keep.as_str(), |i| &keep[..i])
    };
    let cut = cut.trim_end_matches([' ', ',', ';', ':']);
    let cut = if cut.is_empty() { keep.as_str() } else { cut };
    format!("{cut}…")
}

/// `s` broken into lines of at most `max` characters at spaces (a word
/// longer than `max` gets a line of its own, uncut).
pub fn wrap(s: &str, max: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in s.split(' ').filter(|w| !w.is_empty()) {
        let len = line.chars().count();
        if len > 0 && len + 1 + word.chars().count() > max {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_cuts_between_words() {
        let t = "Type 2 diabetes mellitus with diabetic neuropathy, unspecified";
        assert_eq!(fit(t, 100), t);
        assert_eq!(fit(t, 30), "Type 2 diabetes mellitus with…");
        assert_eq!(
            fit(t, 51),
            "Type 2 diabetes mellitus with diabetic neuropathy…"
        );
        assert!(fit(t, 30).chars().count() <= 30);
        assert_eq!(fit("Ménière's disease", 8), "Ménière…");
    }

    #[test]
    fn wrap_breaks_at_spaces() {
        let lines = wrap("Type 2 diabetes mellitus with diabetic neuropathy", 20);
        assert_eq!(
            lines,
            ["Type 2 diabetes", "mellitus with", "diabetic neuropathy"]
        );
        assert!(lines.iter().all(|l| l.chars().count() <= 20));
        assert_eq!(wrap("", 10), [""]);
    }

    #[test]
    fn color_choice_honours_terminal_and_no_color() {
        assert!(ColorChoice::Auto.resolve(true, false));
        assert!(!ColorChoice::Auto.resolve(true, true));
        assert!(!ColorChoice::Auto.resolve(false, false));
        assert!(ColorChoice::Always.resolve(false, true));
        assert!(!ColorChoice::Never.resolve(true, false));
    }
}
