//! Feeding a [`Session`]: from a line editor at a terminal (prompt, Tab
//! completion, history kept in the user's data directory, answers taller
//! than the screen paged), or from a script read line by line, with no
//! prompt and no history.

use super::complete::{ShellHelper, Words};
use super::{Outcome, Session};
use crate::index::Index;
use rustyline::config::Config;
use rustyline::error::ReadlineError;
use rustyline::history::DefaultHistory;
use rustyline::{CompletionType, Editor};
use std::io::{self, BufRead, Write};
use std::path::{Path, PathBuf};

/// Lines of history kept.
pub const HISTORY_SIZE: usize = 1000;

/// What can stop a terminal session.
#[derive(Debug, thiserror::Error)]
pub enum ShellError {
    /// The line editor failed (not a usable terminal).
    #[error("line editor: {0}; `medcoder shell < FILE` reads commands without one")]
    Editor(#[from] ReadlineError),
    /// Writing to the screen failed.
    #[error("writing output: {0}")]
    Output(#[from] io::Error),
}

/// The user's data directory: `$MEDCODER_DATA_DIR`, else
/// `$XDG_DATA_HOME/medcoder`, else `~/.local/share/medcoder`.
pub fn data_dir() -> Option<PathBuf> {
    let var = |name: &str| {
        std::env::var_os(name)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    var("MEDCODER_DATA_DIR")
        .or_else(|| var("XDG_DATA_HOME").map(|d| d.join("medcoder")))
        .or_else(|| var("HOME").map(|h| h.join(".local").join("share").join("medcoder")))
}

/// Where the shell keeps its history, if there is a data directory.
pub fn history_path() -> Option<PathBuf> {
    data_dir().map(|d| d.join("history"))
}

/// Reads commands from `input` until the end or `:quit`, writing what the
/// session shows to `out` (flushed after every line, so a program driving
/// the shell through pipes sees each answer at once).
pub fn run_script<D: AsRef<[u8]>, R: BufRead, W: Write>(
    session: &mut Session<'_, D>,
    input: R,
    out: &mut W,
) -> io::Result<()> {
    for line in input.split(b'\n') {
        let line = line?;
        let line = String::from_utf8_lossy(&line);
        let outcome = session.handle(line.trim_end_matches('\r'), out)?;
        out.flush()?;
        if outcome == Outcome::Quit {
            break;
        }
    }
    Ok(())
}

/// Runs the session at a terminal with line editing and Tab completion of
/// the words of `idx`'s titles; keeps the history in `history` if given.
pub fn run_terminal<D: AsRef<[u8]>>(
    session: &mut Session<'_, D>,
    idx: &Index<D>,
    history: Option<&Path>,
) -> Result<(), ShellError> {
    let config = Config::builder()
        .max_history_size(HISTORY_SIZE)?
        .history_ignore_space(true)
        .history_ignore_dups(true)?
        .auto_add_history(false)
        .completion_type(CompletionType::List)
        .build();
    let mut rl: Editor<ShellHelper, DefaultHistory> = Editor::with_config(config)?;
    rl.set_helper(Some(ShellHelper::new(Words::from_index(idx))));
    let stdout = io::stdout();
    let mut history = history;
    if let Some(path) = history
        && let Err(e) = prepare_history(path)
            .map_err(ReadlineError::from)
            .and_then(|()| load(&mut rl, path))
    {
        writeln!(
            stdout.lock(),
            "medcoder: {}: {e}; history is not kept this session",
            path.display()
        )?;
        history = None;
    }
    let banner = "medcoder shell: type a phrase · :help lists the commands · Ctrl-D quits";
    let cols = rl.dimensions().map_or(usize::MAX, |(c, _)| c as usize);
    for line in crate::render::wrap(banner, cols.saturating_sub(1).max(20)) {
        writeln!(stdout.lock(), "{line}")?;
    }
    loop {
        let rows = match rl.dimensions() {
            Some((cols, rows)) => {
                session.set_width(cols as usize);
                rows as usize
            }
            None => 0,
        };
        let n = session.worklist().len();
        let prompt = if n == 0 {
            "medcoder> ".to_string()
        } else {
            format!("medcoder [{n}]> ")
        };
        let line = match rl.readline(&prompt) {
            Ok(line) => line,
            Err(ReadlineError::Interrupted) => continue,
            Err(ReadlineError::Eof) => break,
            Err(e) => return Err(e.into()),
        };
        if !line.trim().is_empty() {
            rl.add_history_entry(line.as_str())?;
            if let Some(path) = history
                && let Err(e) = rl.append_history(path)
            {
                writeln!(stdout.lock(), "medcoder: {}: {e}", path.display())?;
            }
        }
        let mut answer = Vec::new();
        let outcome = session.handle(&line, &mut answer)?;
        super::pager::show(&answer, rows, &mut stdout.lock())?;
        if outcome == Outcome::Quit {
            break;
        }
    }
    Ok(())
}

/// Creates the data directory, readable only by the user.
fn prepare_history(path: &Path) -> io::Result<()> {
    let Some(dir) = path.parent() else {
        return Ok(());
    };
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

fn load(rl: &mut Editor<ShellHelper, DefaultHistory>, path: &Path) -> Result<(), ReadlineError> {
    match rl.load_history(path) {
        Err(ReadlineError::Io(e)) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        r => r,
    }
}
