//! `medcoder man`: the man page, generated from the same definitions that
//! parse the arguments (clap_mangen): `medcoder.1` on stdout, or with
//! `--dir` one page per subcommand (`medcoder-suggest.1`, ...) written there.

use std::io::Write;
use std::path::PathBuf;

/// The options of `medcoder man`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Write `medcoder.1` and a page per subcommand into this folder
    /// (created if missing) instead of printing `medcoder.1`. Read one
    /// with `man -l DIR/medcoder.1`, or put the folder on MANPATH.
    #[arg(long)]
    dir: Option<PathBuf>,
}

/// Prints the page, or writes the pages into `--dir`.
pub fn run(args: Args, cmd: clap::Command) -> anyhow::Result<i32> {
    match args.dir {
        Some(dir) => {
            std::fs::create_dir_all(&dir).map_err(|e| {
                anyhow::anyhow!("{}: {e}; give a folder you can write", dir.display())
            })?;
            clap_mangen::generate_to(cmd, &dir).map_err(|e| {
                anyhow::anyhow!("{}: {e}; give a folder you can write", dir.display())
            })?;
            eprintln!("medcoder: man pages written to {}", dir.display());
        }
        None => {
            let mut out = std::io::stdout().lock();
            clap_mangen::Man::new(cmd).render(&mut out)?;
            out.flush()?;
        }
    }
    Ok(super::EXIT_FOUND)
}
