//! The command line: one file per subcommand, each a private `Args` and a
//! `run()`. The work lives in the library; these files parse, call, print.
//!
//! Exit codes: 0 suggestions/codes found, 1 nothing found, 2 error.

mod import;

use clap::{Parser, Subcommand};

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
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Convert an official release file into the manual CSV format.
    #[command(subcommand)]
    Import(import::Args),
}

/// Parses the arguments, runs the command and returns the exit code.
pub fn main() -> i32 {
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
    let result = match cli.command {
        Some(Command::Import(a)) => import::run(a),
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
            eprintln!("medcoder: {e:#}");
            EXIT_ERROR
        }
    }
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
