//! `medcoder shell`: the interactive session (also plain `medcoder` at a
//! terminal). At a terminal: line editing, Tab completion, history; with
//! stdin not a terminal: commands line by line, no prompt, no history.

use crate::render::Style;
use crate::search::SearchOptions;
use crate::shell::{Session, terminal};
use std::io::IsTerminal;

/// The options of `medcoder shell`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Do not read or write the history file (also MEDCODER_NO_HISTORY=1);
    /// history may hold patient details.
    #[arg(long)]
    no_history: bool,
    /// How many suggestions per phrase (`:n` changes it).
    #[arg(short = 'n', long = "limit", default_value_t = 10, value_parser = super::shell_count)]
    limit: usize,
    /// Search only these systems (`:system` changes it).
    #[arg(short, long = "system", value_delimiter = ',')]
    systems: Vec<String>,
    /// Show why each code scored as it did (`:explain` changes it).
    #[arg(long)]
    explain: bool,
    #[command(flatten)]
    date: super::DateArg,
    /// Longest line searched, in bytes; a longer one is refused with a message.
    #[arg(long, default_value_t = crate::lines::DEFAULT_MAX_CELL, value_parser = super::positive)]
    max_cell: usize,
}

impl Default for Args {
    fn default() -> Self {
        Args {
            no_history: false,
            limit: 10,
            systems: Vec::new(),
            explain: false,
            date: super::DateArg::default(),
            max_cell: crate::lines::DEFAULT_MAX_CELL,
        }
    }
}

/// Runs the session until `:quit`, Ctrl-D or the end of stdin.
pub fn run(args: Args, index: Option<&std::path::Path>, color: bool) -> anyhow::Result<i32> {
    let idx = crate::store::open_index(index)?;
    let matcher = super::matcher_for(&idx, &args.systems, super::UnknownSystem::ListKnown)?;
    let opts = SearchOptions {
        limit: args.limit.clamp(1, crate::shell::MAX_LIMIT),
        systems: args.systems,
        explain: args.explain,
        date: Some(args.date.resolve()?),
    };
    let stdout = std::io::stdout();
    let mut session = Session::new(&matcher, opts, Style { color });
    session.set_max_cell(args.max_cell);
    if std::io::stdin().is_terminal() {
        let history = if args.no_history || env_flag("MEDCODER_NO_HISTORY") {
            None
        } else {
            terminal::history_path()
        };
        terminal::run_terminal(&mut session, &idx, history.as_deref())?;
    } else {
        let mut out = std::io::BufWriter::new(stdout.lock());
        terminal::run_script(&mut session, std::io::stdin().lock(), &mut out)?;
    }
    Ok(super::EXIT_FOUND)
}

/// An environment variable set to anything but "", "0", "false", "no", "off".
fn env_flag(name: &str) -> bool {
    std::env::var(name).is_ok_and(|v| {
        !matches!(
            v.trim().to_lowercase().as_str(),
            "" | "0" | "false" | "no" | "off"
        )
    })
}
