//! The interactive shell: type a phrase, see numbered suggestions, open a
//! code by its number to read its notes and children, pick codes into an
//! encounter worklist, print the worklist for the billing system.
//!
//! [`Session`] is the whole behaviour, one input line at a time, writing to
//! any `io::Write`, so it is tested without a terminal. [`terminal`] drives
//! it from a line editor (history, Tab completion) or from a script on
//! stdin. Parsing of commands is here; drawing is in [`render`].

pub mod complete;
mod detail;
pub mod render;
pub mod terminal;
pub mod worklist;

use crate::cli::output::{AMA_NOTICE, write_explanation};
use crate::index::Index;
use crate::search::{Matcher, Scratch, SearchOptions, SearchResult};
use render::{Row, Style, write_row};
use std::io::{self, Write};
use worklist::{Added, Entry, Worklist};

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
    style: Style,
    width: usize,
    notice_shown: bool,
}

impl<'a, D: AsRef<[u8]>> Session<'a, D> {
    /// A session showing `opts.limit` suggestions per phrase.
    pub fn new(matcher: &'a Matcher<'a, D>, opts: SearchOptions, style: Style) -> Self {
        Session {
            matcher,
            scratch: Scratch::default(),
            opts,
            views: Vec::new(),
            worklist: Worklist::default(),
            style,
            width: render::DEFAULT_WIDTH,
            notice_shown: false,
        }
    }

    /// Sets the width rows are fitted to (the terminal's, if known).
    pub fn set_width(&mut self, width: usize) {
        self.width = width.max(render::MIN_WIDTH);
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

    fn command<W: Write + ?Sized>(&mut self, cmd: &str, out: &mut W) -> io::Result<Outcome> {
        let (name, arg) = cmd.split_once(char::is_whitespace).unwrap_or((cmd, ""));
        let arg = arg.trim();
        match name {
            "q" | "quit" | "exit" => return Ok(Outcome::Quit),
            "h" | "help" | "?" => write!(out, "{}", help_text())?,
            "back" | "b" => return self.back(out, false),
            "open" | "o" => self.open_code(arg, out)?,
            "pick" | "p" => self.pick(arg, out)?,
            "list" | "l" => self.list(out)?,
            "rm" => self.remove(arg, out)?,
            "clear" => {
                let n = self.worklist.clear();
                writeln!(out, "worklist cleared ({n} code{} removed)", plural(n))?;
            }
            "print" => {
                if self.worklist.is_empty() {
                    writeln!(out, "(worklist is empty)")?;
                } else {
                    writeln!(out, "{}", self.worklist.codes_line())?;
                }
            }
            "csv" => write!(out, "{}", self.worklist.to_csv())?,
            "system" | "s" => self.system(arg, out)?,
            "n" => match arg.parse::<usize>() {
                Ok(n) if (1..=MAX_LIMIT).contains(&n) => {
                    self.opts.limit = n;
                    writeln!(out, "showing {n} suggestion{}", plural(n))?;
                }
                _ => writeln!(
                    out,
                    "usage: :n N (a number from 1 to {MAX_LIMIT}; now {})",
                    self.opts.limit
                )?,
            },
            "explain" => {
                self.opts.explain = match arg {
                    "on" => true,
                    "off" => false,
                    "" => !self.opts.explain,
                    _ => {
                        writeln!(out, "usage: :explain on|off")?;
                        return Ok(Outcome::Continue);
                    }
                };
                writeln!(
                    out,
                    "explain {}",
                    if self.opts.explain { "on" } else { "off" }
                )?;
            }
            _ => writeln!(
                out,
                "unknown command ':{name}'; type :help for the list of commands"
            )?,
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
                        title: &s.title,
                        release,
                    };
                    write_row(out, style, self.width, &row)?;
                    if let (true, Some(e)) = (self.opts.explain, &s.explanation) {
                        write_explanation(&mut &mut *out, e)?;
                    }
                }
                writeln!(out, "{}", style.dim("N opens code N · +N picks it · :help"))
            }
            View::Detail { doc, items } => {
                detail::write_detail(out, self.index(), style, self.width, *doc, items)
            }
            View::Choices { code, items } => {
                writeln!(out, "{code} is a code in several systems:")?;
                self.write_docs(out, items)
            }
        }
    }

    /// Numbered rows for `docs`, each with its release.
    fn write_docs<W: Write + ?Sized>(&self, out: &mut W, docs: &[u32]) -> io::Result<()> {
        for (i, &d) in docs.iter().enumerate() {
            let doc = self.index().doc(d);
            let label = self.index().manual(doc.system).label();
            let row = Row {
                n: i + 1,
                code: doc.code,
                billable: doc.billable(),
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
        let items = detail::selectable(self.index(), doc);
        self.views.push(View::Detail { doc, items });
        self.draw(out)
    }

    /// Docs of `code`, narrowed to the chosen systems if any are.
    fn find_code(&self, code: &str) -> Vec<u32> {
        let idx = self.index();
        let all = idx.find_code(code);
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
            [] => writeln!(out, "{code}: no such code in {}", self.systems_list()),
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

    fn pick<W: Write + ?Sized>(&mut self, arg: &str, out: &mut W) -> io::Result<()> {
        let doc = if arg.is_empty() {
            match self.views.last() {
                Some(View::Detail { doc, .. }) => Ok(*doc),
                _ => Err("usage: :pick N (or +N) picks code N of the list on screen".to_string()),
            }
        } else if let Ok(n) = arg.parse::<usize>() {
            self.item(n)
        } else {
            match self.find_code(arg).as_slice() {
                [doc] => Ok(*doc),
                [] => Err(format!("{arg}: no such code in {}", self.systems_list())),
                _ => Err(format!(
                    "{arg} is a code in several systems; narrow with :system first"
                )),
            }
        };
        let doc = match doc {
            Ok(d) => d,
            Err(e) => return writeln!(out, "{e}"),
        };
        let idx = self.index();
        let d = idx.doc(doc);
        let manual = idx.manual(d.system);
        let entry = Entry {
            code: d.code.to_string(),
            title: d.title.to_string(),
            system: manual.system.clone(),
            version: manual.version.clone(),
            billable: d.billable(),
        };
        match self.worklist.add(entry) {
            Added::At(n) => writeln!(out, "picked {} ({n} in worklist)", self.style.code(d.code))?,
            Added::Already(n) => writeln!(out, "{} is already number {n} in the worklist", d.code)?,
        }
        if !d.billable() {
            let hint = format!(
                "note: {} is not billable; open it to choose a billable code",
                d.code
            );
            writeln!(out, "{}", self.style.warn(&hint))?;
        }
        Ok(())
    }

    fn list<W: Write + ?Sized>(&self, out: &mut W) -> io::Result<()> {
        if self.worklist.is_empty() {
            return writeln!(out, "(worklist is empty)");
        }
        for (i, e) in self.worklist.entries().iter().enumerate() {
            let release = format!("{} {}", e.system, e.version);
            let row = Row {
                n: i + 1,
                code: &e.code,
                billable: e.billable,
                title: &e.title,
                release: &release,
            };
            write_row(out, self.style, self.width, &row)?;
        }
        Ok(())
    }

    fn remove<W: Write + ?Sized>(&mut self, arg: &str, out: &mut W) -> io::Result<()> {
        match arg
            .parse::<usize>()
            .ok()
            .and_then(|n| self.worklist.remove(n))
        {
            Some(e) => writeln!(
                out,
                "removed {} ({} in worklist)",
                e.code,
                self.worklist.len()
            ),
            None => writeln!(
                out,
                "usage: :rm N, N a worklist number (1-{}); :list shows them",
                self.worklist.len()
            ),
        }
    }

    fn systems_list(&self) -> String {
        self.index()
            .meta()
            .manuals
            .iter()
            .map(|m| m.system.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn system<W: Write + ?Sized>(&mut self, arg: &str, out: &mut W) -> io::Result<()> {
        let known: Vec<String> = self
            .index()
            .meta()
            .manuals
            .iter()
            .map(|m| m.system.clone())
            .collect();
        let wanted: Vec<String> = match arg {
            "" => {
                let now = if self.opts.systems.is_empty() {
                    "auto".to_string()
                } else {
                    self.opts.systems.join(",")
                };
                return writeln!(
                    out,
                    "system: {now} (choose from auto, all, {})",
                    known.join(", ")
                );
            }
            "auto" => Vec::new(),
            "all" => known.clone(),
            _ => arg
                .split(',')
                .map(|s| s.trim().to_lowercase())
                .filter(|s| !s.is_empty())
                .collect(),
        };
        if let Some(bad) = wanted.iter().find(|s| !known.contains(s)) {
            return writeln!(
                out,
                "unknown system '{bad}'; this index has: {}",
                known.join(", ")
            );
        }
        self.opts.systems = wanted;
        match arg {
            "auto" => writeln!(
                out,
                "system: auto (diagnosis or procedure manuals, by the words typed)"
            ),
            _ => writeln!(out, "system: {}", self.opts.systems.join(",")),
        }
    }
}

/// A single token with a digit, as codes are (E11, e11.40, 0DTJ4ZZ, 99213).
fn looks_like_code(s: &str) -> bool {
    s.len() <= 10
        && s.chars().any(|c| c.is_ascii_digit())
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '.')
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// The text of `:help`.
pub fn help_text() -> &'static str {
    "\
Type a diagnosis or procedure phrase to see numbered suggestions.
  N             open suggestion N: notes, parents, children (numbered too)
  CODE          open a code directly (E11, e11.40); also :open CODE
  b, :back      back to the previous list (an empty line too)
Worklist (the codes of this encounter, first-listed first):
  +N, :pick N   add code N of the list on screen (:pick CODE, or + on an open code)
  :list         show the worklist
  :rm N         remove worklist entry N
  :clear        empty the worklist
  :print        the worklist as one line: E11.40, I10
  :csv          the worklist as CSV (code,title,system,version)
Settings:
  :system S     search only manual S (icd10cm, icd10pcs, ...), a list S1,S2,
                all (every manual) or auto (chosen by the words typed)
  :n N          show N suggestions
  :explain on|off   show why each code scored as it did
  :help         this text
  :quit, :q     leave (Ctrl-D too); Ctrl-C clears the line
Keys: Tab completes medical words; Up/Down walk the history.
History: lines you type are kept in your data directory (file `history`,
readable only by you) and may hold patient details. Turn it off with
`medcoder shell --no-history` or MEDCODER_NO_HISTORY=1; a line starting
with a space is not kept.
"
}
