//! The colon commands of the shell: worklist (`:pick`, `:list`, `:rm`,
//! `:clear`, `:print`, `:csv`), settings (`:system`, `:n`, `:explain`),
//! `:help` and `:quit`. Phrases, numbers and codes are handled in the
//! parent module.

use super::worklist::{Added, Entry};
use super::{MAX_LIMIT, Outcome, Session, View};
use crate::render::row::{Row, write_row};
use std::io::{self, Write};

impl<D: AsRef<[u8]>> Session<'_, D> {
    /// Runs `:cmd` (the colon already stripped).
    pub(super) fn command<W: Write + ?Sized>(
        &mut self,
        cmd: &str,
        out: &mut W,
    ) -> io::Result<Outcome> {
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
            _ => match closest_command(name) {
                Some(near) => writeln!(
                    out,
                    "unknown command ':{name}'; did you mean :{near}? (:help lists the commands)"
                )?,
                None => writeln!(
                    out,
                    "unknown command ':{name}'; type :help for the list of commands"
                )?,
            },
        }
        Ok(Outcome::Continue)
    }

    /// `:pick` (also `+N`): adds a code to the worklist: code N on screen,
    /// the code open (no argument) or a typed code; a wrong choice is said
    /// on `out`, not returned as an error.
    pub(super) fn pick<W: Write + ?Sized>(&mut self, arg: &str, out: &mut W) -> io::Result<()> {
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
            version: self.releases().version(d.system).to_string(),
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
        self.write_edits(out, false)
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
                score: None,
                title: &e.title,
                release: &release,
            };
            write_row(out, self.style, self.width, &row)?;
        }
        self.write_edits(out, true)
    }

    fn remove<W: Write + ?Sized>(&mut self, arg: &str, out: &mut W) -> io::Result<()> {
        match arg
            .parse::<usize>()
            .ok()
            .and_then(|n| self.worklist.remove(n))
        {
            Some(e) => {
                writeln!(
                    out,
                    "removed {} ({} in worklist)",
                    e.code,
                    self.worklist.len()
                )?;
                self.write_edits(out, false)
            }
            None => writeln!(
                out,
                "usage: :rm N, N a worklist number (1-{}); :list shows them",
                self.worklist.len()
            ),
        }
    }

    /// The systems of the index, comma-separated, for messages.
    pub(super) fn systems_list(&self) -> String {
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

/// The commands `:help` lists, for "did you mean".
const COMMANDS: [&str; 13] = [
    "quit", "help", "back", "open", "pick", "list", "rm", "clear", "print", "csv", "system", "n",
    "explain",
];

/// The command nearest a mistyped one: within two edits (one for short
/// names), or the only command starting with it.
fn closest_command(name: &str) -> Option<&'static str> {
    let name = name.to_lowercase();
    let mut near: Vec<(usize, &str)> = COMMANDS
        .iter()
        .map(|c| (strsim::levenshtein(&name, c), *c))
        .filter(|(d, c)| *d <= if c.len() <= 3 { 1 } else { 2 } && *d < name.len().max(2))
        .collect();
    near.sort();
    let starting: Vec<&str> = COMMANDS
        .iter()
        .copied()
        .filter(|c| c.starts_with(&name))
        .collect();
    match (near.first(), starting.as_slice()) {
        (Some((_, c)), _) => Some(c),
        (None, [only]) => Some(only),
        _ => None,
    }
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
