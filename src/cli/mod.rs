//! The command line: one file per subcommand, each a private `Args` and a
//! `run()`. The work lives in the library; these files parse, call, print.
//!
//! Exit codes: 0 suggestions/codes found, 1 nothing found, 2 error.

mod batch;
mod build;
mod cache;
mod check;
mod completions;
mod import;
mod lookup;
mod man;
mod shell;
mod suggest;

use crate::index::Index;
use crate::render::ColorChoice;
use crate::search::Matcher;
use clap::{CommandFactory, Parser, Subcommand};

/// Exit code: something was found.
pub const EXIT_FOUND: i32 = 0;
/// Exit code: nothing was found.
pub const EXIT_NOT_FOUND: i32 = 1;
/// Exit code: an error (bad input, bad index, bad row).
pub const EXIT_ERROR: i32 = 2;

/// Offline code suggestions for ICD-10-CM, ICD-10-PCS, HCPCS and CPT.
#[derive(Parser, Debug)]
#[command(name = "medcoder", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// Use this index file instead of the bundled/user index.
    #[arg(long, global = true, env = "MEDCODER_INDEX")]
    index: Option<std::path::PathBuf>,
    /// When to colour the output: auto (a terminal, and NO_COLOR not set),
    /// always or never.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Convert an official release file into the manual CSV format.
    #[command(subcommand)]
    Import(import::Args),
    /// Compile manuals (bundled and your own) into an index.
    Build(build::Args),
    /// Suggest codes for a phrase, or for each line of stdin.
    Suggest(suggest::Args),
    /// Show a code's title, status, hierarchy, inclusion terms and notes.
    Lookup(lookup::Args),
    /// Code every row of an encounter CSV, keeping all rows and columns.
    Batch(batch::Args),
    /// Encoder edits for an encounter's codes (validity, Excludes1, code
    /// first / use additional, sequencing, combinations), or for every
    /// stdin line.
    Check(check::Args),
    /// Interactive coding: phrases, numbered suggestions, code detail and an
    /// encounter worklist (also plain `medcoder` at a terminal).
    Shell(shell::Args),
    /// Show where the index cache is and how big it is, or empty it.
    Cache(cache::Args),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    Completions(completions::Args),
    /// Print the man page (roff), or write one per subcommand into a folder.
    Man(man::Args),
}

/// Parses the arguments, runs the command and returns the exit code.
pub fn main() -> i32 {
    crate::outfile::handle_signals();
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() {
                EXIT_ERROR
            } else {
                EXIT_FOUND
            };
            let _ = e.print();
            return code;
        }
    };
    let index = cli.index.as_deref();
    let color = cli.color.for_stdout();
    let result = match cli.command {
        Some(Command::Import(a)) => import::run(a),
        Some(Command::Build(a)) => build::run(a),
        Some(Command::Suggest(a)) => suggest::run(a, index, color),
        Some(Command::Lookup(a)) => lookup::run(a, index, color),
        Some(Command::Batch(a)) => batch::run(a, index),
        Some(Command::Check(a)) => check::run(a, index),
        Some(Command::Shell(a)) => shell::run(a, index, color),
        Some(Command::Cache(a)) => cache::run(a),
        Some(Command::Completions(a)) => completions::run(a, &mut Cli::command()),
        Some(Command::Man(a)) => man::run(a, Cli::command()),
        None if std::io::IsTerminal::is_terminal(&std::io::stdin())
            && std::io::IsTerminal::is_terminal(&std::io::stdout()) =>
        {
            shell::run(shell::Args::default(), index, color)
        }
        None => {
            eprintln!("medcoder: no command given; try `medcoder --help`");
            Ok(EXIT_ERROR)
        }
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            if is_broken_pipe(&e) {
                return EXIT_FOUND;
            }
            eprintln!("medcoder: {}", message(&e));
            EXIT_ERROR
        }
    }
}

/// The date of service of the searching commands.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct DateArg {
    /// Date of service (YYYY-MM-DD): only codes of the release in effect
    /// then (October 1 starts a fiscal year); default: today.
    #[arg(long, value_name = "YYYY-MM-DD", env = "MEDCODER_DATE")]
    date: Option<String>,
}

impl DateArg {
    /// The date given, else today.
    pub fn resolve(&self) -> anyhow::Result<crate::release::Date> {
        Ok(match &self.date {
            Some(d) => crate::release::parse_date(d, "--date")?,
            None => crate::release::today(),
        })
    }
}

/// The largest `--max-cell` accepted (a record longer than this is taken
/// for an unclosed quote anyway, see [`crate::batch::reader`]).
const MAX_CELL_LIMIT: usize = 16 * 1024 * 1024;
/// The most alternatives `batch -n` lists.
const MAX_ALTERNATIVES: usize = 100;

/// Parses a whole number within `range`, for clap.
fn number_in(s: &str, range: std::ops::RangeInclusive<usize>) -> Result<usize, String> {
    match s.trim().parse::<usize>() {
        Ok(n) if range.contains(&n) => Ok(n),
        _ => Err(format!(
            "give a whole number from {} to {}",
            range.start(),
            range.end()
        )),
    }
}

/// `--max-cell`: 1 byte to 16 MiB.
fn positive(s: &str) -> Result<usize, String> {
    number_in(s, 1..=MAX_CELL_LIMIT)
}

/// `batch -n`: 0 to 100 alternatives.
fn alternative_count(s: &str) -> Result<usize, String> {
    number_in(s, 0..=MAX_ALTERNATIVES)
}

/// `shell -n`: 1 to the shell's limit.
fn shell_count(s: &str) -> Result<usize, String> {
    number_in(s, 1..=crate::shell::MAX_LIMIT)
}

/// `--min-score`: a number from 0 to 1 (NaN is refused: it would turn
/// review flagging off).
fn unit_score(s: &str) -> Result<f32, String> {
    match s.trim().parse::<f32>() {
        Ok(v) if (0.0..=1.0).contains(&v) => Ok(v),
        _ => Err("give a number from 0 to 1 (e.g. 0.5)".into()),
    }
}

/// How an unknown `--system` is reported.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum UnknownSystem {
    /// Name the systems the index has.
    ListKnown,
    /// Name them, and say how to add the missing one with `medcoder build`.
    ListKnownAndHowToAdd,
}

/// Builds the matcher over `idx` and checks that every `--system` name is a
/// system of the index, as `suggest`, `batch` and `shell` do before they
/// search.
fn matcher_for<'a, D: AsRef<[u8]>>(
    idx: &'a Index<D>,
    systems: &[String],
    report: UnknownSystem,
) -> anyhow::Result<Matcher<'a, D>> {
    let matcher = Matcher::new(idx)?;
    let known: Vec<&str> = idx
        .meta()
        .manuals
        .iter()
        .map(|m| m.system.as_str())
        .collect();
    if let Some(s) = systems.iter().find(|s| !known.contains(&s.as_str())) {
        match report {
            UnknownSystem::ListKnown => {
                anyhow::bail!("unknown system '{s}'; this index has: {}", known.join(", "))
            }
            UnknownSystem::ListKnownAndHowToAdd => anyhow::bail!(
                "unknown system '{s}'; this index has: {} (add a manual with `medcoder build --manual {s}=FILE.csv`)",
                known.join(", ")
            ),
        }
    }
    Ok(matcher)
}

/// The error and its causes, each printed once: a library error's message
/// already holds the OS error it wraps.
fn message(e: &anyhow::Error) -> String {
    let mut out = e.to_string();
    for cause in e.chain().skip(1) {
        let text = cause.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
    }
    out
}

/// A closed stdout (`| head`) is not an error.
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            || c.downcast_ref::<crate::Error>().is_some_and(|m| {
                matches!(m, crate::Error::Io { source, .. } if source.kind() == std::io::ErrorKind::BrokenPipe)
            })
    })
}
