//! The interactive shell: type a phrase, see numbered suggestions, open a
//! code by its number to read its notes and children, pick codes into an
//! encounter worklist, print the worklist for the billing system.
//!
//! [`Session`] is the whole behaviour, one input line at a time, writing to
//! any `io::Write`, so it is tested without a terminal. [`terminal`] drives
//! it from a line editor (history, Tab completion) or from a script on
//! stdin. Phrases, numbers and codes are handled here, the colon commands
//! in `commands`, drawing in [`render`] and `detail`.

mod commands;
pub mod complete;
mod detail;
mod edits;
pub mod pager;
pub mod terminal;
pub mod worklist;

use crate::index::Index;
use crate::render::row::{self, Row, write_row};
use crate::render::table::write_explanation;
use crate::render::{AMA_NOTICE, Style};
use crate::search::{Matcher, Scratch, SearchOptions, SearchResult};
use std::io::{self, Write};
use worklist::Worklist;

/// What the caller does after a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Read the next line.
    Continue,
    /// The user asked to leave.
    Quit,
}

/// Most suggestions `:n` accepts.
pub const MAX_LIMIT: usize = 100;

/// What is on screen: the list whose numbers the user can type.
#[derive(Debug)]
enum View {
    /// Suggestions for a phrase.
    Suggestions { query: String, result: SearchResult },
    /// One code opened; `items` are its children and billable codes.
    Detail { doc: u32, items: Vec<u32> },
    /// A typed code matched codes of several systems.
    Choices { code: String, items: Vec<u32> },
}

impl View {
    fn items(&self) -> Vec<u32> {
        match self {
            View::Suggestions { result, .. } => result.suggestions.iter().map(|s| s.doc).collect(),
            View::Detail { items, .. } | View::Choices { items, .. } => items.clone(),
        }
    }
}

/// One interactive session over an index.
pub struct Session<'a, D: AsRef<[u8]>> {
    matcher: &'a Matcher<'a, D>,
    scratch: Scratch,
    opts: SearchOptions,
    /// Screens the user came through; the last is on screen.
    views: Vec<View>,
    worklist: Worklist,
    checker: crate::check::Checker<'a, D>,
    style: Style,
    width: usize,
    notice_shown: bool,
    max_cell: usize,
}

impl<'a, D: AsRef<[u8]>> Session<'a, D> {
    /// A session showing `opts.limit` suggestions per phrase.
    pub fn new(matcher: &'a Matcher<'a, D>, opts: SearchOptions, style: Style) -> Self {
        let date = opts.date;
        Session {
            matcher,
            scratch: Scratch::default(),
            opts,
            views: Vec::new(),
            worklist: Worklist::default(),
            checker: crate::check::Checker::new(matcher.index(), date),
            style,
            width: row::DEFAULT_WIDTH,
            notice_shown: false,
            max_cell: crate::lines::DEFAULT_MAX_CELL,
        }
    }

    /// Sets the longest line searched, in bytes (`--max-cell`).
    pub fn set_max_cell(&mut self, max_cell: usize) {
        self.max_cell = max_cell;
    }

    /// The longest line searched, in bytes.
    pub fn max_cell(&self) -> usize {
        self.max_cell
    }

    /// Says that a line of `bytes` bytes is too long to search.
    pub fn too_long<W: Write + ?Sized>(&self, bytes: u64, out: &mut W) -> io::Result<()> {
        writeln!(
            out,
            "this line has {bytes} bytes, more than the {} allowed; it was not searched (shorten it, or start the shell with a larger --max-cell)",
            self.max_cell
        )
    }

    /// Sets the width rows are fitted to (the terminal's, if known).
    pub fn set_width(&mut self, width: usize) {
        self.width = width.max(row::MIN_WIDTH);
    }

    /// The worklist so far.
    pub fn worklist(&self) -> &Worklist {
        &self.worklist
    }

    fn index(&self) -> &'a Index<D> {
        self.matcher.index()
    }

    /// Handles one input line: a phrase, a number, a code or a `:command`.
    pub fn handle<W: Write + ?Sized>(&mut self, line: &str, out: &mut W) -> io::Result<Outcome> {
        if line.len() > self.max_cell {
            self.too_long(line.len() as u64, out)?;
            return Ok(Outcome::Continue);
        }
        let line = line.trim();
        if line.is_empty() || line == "b" {
            return self.back(out, line.is_empty());
        }
        if let Some(cmd) = line.strip_prefix(':') {
            return self.command(cmd.trim(), out);
        }
        if let Some(arg) = line.strip_prefix('+') {
            self.pick(arg.trim(), out)?;
            return Ok(Outcome::Continue);
        }
        if let Ok(n) = line.parse::<usize>() {
            self.open_number(n, out)?;
        } else if looks_like_code(line) && !self.index().find_code(line).is_empty() {
            self.open_code(line, out)?;
        } else {
            self.search(line, out)?;
        }
        Ok(Outcome::Continue)
    }

    fn search<W: Write + ?Sized>(&mut self, query: &str, out: &mut W) -> io::Result<()> {
        let result = self.matcher.search(query, &self.opts, &mut self.scratch);
        self.views.clear();
        self.views.push(View::Suggestions {
            query: query.to_string(),
            result,
        });
        self.draw(out)
    }

    /// Draws the view on top.
    fn draw<W: Write + ?Sized>(&mut self, out: &mut W) -> io::Result<()> {
        let Some(view) = self.views.last() else {
            return Ok(());
        };
        let cpt = view
            .items()
            .iter()
            .any(|&d| self.index().manual(self.index().doc(d).system).system == "cpt");
        if cpt && !self.notice_shown {
            self.notice_shown = true;
            writeln!(out, "{}", self.style.dim(AMA_NOTICE))?;
        }
        let style = self.style;
        let Some(view) = self.views.last() else {
            return Ok(());
        };
        match view {
            View::Suggestions { query, result } => {
                if result.suggestions.is_empty() {
                    return writeln!(
                        out,
                        "no suggestions for \"{query}\" (searched {}); try other words or :system",
                        result.route.systems.join(", ")
                    );
                }
                // One release: named once above the list, leaving the titles room.
                let releases: Vec<String> = result
                    .suggestions
                    .iter()
                    .map(|s| format!("{} {}", s.system, s.version))
                    .collect();
                let mixed = releases.iter().any(|r| *r != releases[0]);
                let searched = if mixed {
                    result.route.systems.join(", ")
                } else {
                    releases[0].clone()
                };
                writeln!(
                    out,
                    "{}",
                    style.dim(&format!("searched {searched} ({})", result.route.reason))
                )?;
                for (i, (s, release)) in result.suggestions.iter().zip(&releases).enumerate() {
                    let release = if mixed { release.as_str() } else { "" };
                    let row = Row {
                        n: i + 1,
                        code: &s.code,
                        billable: s.billable,
                        score: Some(s.score),
                        title: &s.title,
                        release,
                    };
                    write_row(out, style, self.width, &row)?;
                    if let (true, Some(e)) = (self.opts.explain, &s.explanation) {
                        write_explanation(out, e)?;
                    }
                }
                if crate::coding::says_more(&result.coding, &result.suggestions) {
                    crate::coding::write_coding(&mut &mut *out, &result.coding)?;
                }
                writeln!(out, "{}", style.dim("N opens code N · +N picks it · :help"))
            }
            View::Detail { doc, items } => {
                let releases = self.releases();
                detail::write_detail(out, self.index(), style, self.width, *doc, items, &releases)
            }
            View::Choices { code, items } => {
                writeln!(out, "{code} is a code in several systems:")?;
                self.write_docs(out, items)
            }
        }
    }

    /// Numbered rows for `docs`, each with its release.
    fn write_docs<W: Write + ?Sized>(&self, out: &mut W, docs: &[u32]) -> io::Result<()> {
        let releases = self.releases();
        for (i, &d) in docs.iter().enumerate() {
            let doc = self.index().doc(d);
            let system = &self.index().manual(doc.system).system;
            let label = format!("{system} {}", releases.version(doc.system));
            let row = Row {
                n: i + 1,
                code: doc.code,
                billable: doc.billable(),
                score: None,
                title: doc.title,
                release: &label,
            };
            write_row(out, self.style, self.width, &row)?;
        }
        Ok(())
    }

    fn back<W: Write + ?Sized>(&mut self, out: &mut W, quiet: bool) -> io::Result<Outcome> {
        if self.views.len() > 1 {
            self.views.pop();
            self.draw(out)?;
        } else if !quiet {
            writeln!(out, "nothing to go back to; type a phrase")?;
        }
        Ok(Outcome::Continue)
    }

    /// Item `n` (1-based) of the list on screen, or a message why not.
    fn item(&self, n: usize) -> Result<u32, String> {
        let Some(view) = self.views.last() else {
            return Err("no list on screen yet; type a phrase first".into());
        };
        let items = view.items();
        match n.checked_sub(1).and_then(|i| items.get(i)) {
            Some(&d) => Ok(d),
            None if items.is_empty() => {
                Err("this screen has no numbered codes; :back goes back".into())
            }
            None => Err(format!("no number {n} on screen (1-{})", items.len())),
        }
    }

    fn open_number<W: Write + ?Sized>(&mut self, n: usize, out: &mut W) -> io::Result<()> {
        match self.item(n) {
            Ok(doc) => self.open_doc(doc, out),
            Err(e) => writeln!(out, "{e}"),
        }
    }

    fn open_doc<W: Write + ?Sized>(&mut self, doc: u32, out: &mut W) -> io::Result<()> {
        let items = detail::selectable(self.index(), doc, &self.releases());
        self.views.push(View::Detail { doc, items });
        self.draw(out)
    }

    /// The releases in effect on the session's date of service.
    pub(crate) fn releases(&self) -> crate::release::InEffect {
        crate::release::InEffect::on(self.index().meta(), self.opts.date)
    }

    /// Docs of `code` (the version of the release in effect), narrowed to
    /// the chosen systems if any are.
    fn find_code(&self, code: &str) -> Vec<u32> {
        let idx = self.index();
        let found = crate::lookup::as_typed(idx, code, idx.find_code(code));
        let all = crate::lookup::pick(idx, &found, &self.releases());
        let chosen: Vec<u32> = all
            .iter()
            .copied()
            .filter(|&d| {
                self.opts
                    .systems
                    .iter()
                    .any(|s| *s == idx.manual(idx.doc(d).system).system)
            })
            .collect();
        if chosen.is_empty() { all } else { chosen }
    }

    fn open_code<W: Write + ?Sized>(&mut self, code: &str, out: &mut W) -> io::Result<()> {
        if code.is_empty() {
            return writeln!(out, "usage: :open CODE (E11, e11.40)");
        }
        match self.find_code(code).as_slice() {
            [] => {
                let near = crate::lookup::closest(self.index(), code, 3);
                if near.is_empty() {
                    writeln!(out, "{code}: no such code in {}", self.systems_list())
                } else {
                    writeln!(
                        out,
                        "{code}: no such code in {}; closest: {}",
                        self.systems_list(),
                        near.join(", ")
                    )
                }
            }
            [doc] => self.open_doc(*doc, out),
            docs => {
                let items = docs.to_vec();
                self.views.push(View::Choices {
                    code: code.to_string(),
                    items,
                });
                self.draw(out)
            }
        }
    }
}

/// A single token with a digit, as codes are (E11, e11.40, 0DTJ4ZZ, 99213).
fn looks_like_code(s: &str) -> bool {
    s.len() <= 10
        && s.chars().any(|c| c.is_ascii_digit())
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '.')
}
