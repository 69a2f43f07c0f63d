//! `medcoder completions SHELL`: a completion script for bash, zsh, fish,
//! PowerShell or elvish, generated from the same definitions that parse
//! the arguments (clap_complete).

use clap_complete::Shell;
use std::io::Write;

/// The options of `medcoder completions`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The shell. Install, e.g.: `medcoder completions bash >
    /// ~/.local/share/bash-completion/completions/medcoder`, `medcoder
    /// completions zsh > ~/.zfunc/_medcoder`, `medcoder completions fish >
    /// ~/.config/fish/completions/medcoder.fish`.
    shell: Shell,
}

/// Prints the script for `args.shell` to stdout.
pub fn run(args: Args, cmd: &mut clap::Command) -> anyhow::Result<i32> {
    let name = cmd.get_name().to_string();
    // Generated into memory first: clap_complete panics on a write error,
    // and a closed stdout (`| head`) must end quietly.
    let mut script = Vec::new();
    clap_complete::generate(args.shell, cmd, name, &mut script);
    let mut out = std::io::stdout().lock();
    out.write_all(&script)?;
    out.flush()?;
    Ok(super::EXIT_FOUND)
}
