//! Paging a long answer at a terminal: an answer taller than the screen
//! goes through `$PAGER` (default `less -FRX`: quits at once if it fits,
//! keeps colours, leaves the text on screen), else straight to the screen.

use std::io::{self, Write};
use std::process::{Command, Stdio};

/// The pager used when `$PAGER` is not set.
pub const DEFAULT_PAGER: &str = "less -FRX";

/// The pager command: `$PAGER`, else [`DEFAULT_PAGER`]; `None` when
/// `$PAGER` is set empty or to `cat` (paging turned off).
pub fn pager_command() -> Option<String> {
    match std::env::var("PAGER") {
        Ok(p) if p.trim().is_empty() || p.trim() == "cat" => None,
        Ok(p) => Some(p),
        Err(_) => Some(DEFAULT_PAGER.to_string()),
    }
}

/// Shows `text` on a screen of `rows` lines: through the pager when it has
/// more lines than the screen can show below a prompt, else on `out`. A
/// pager that cannot start is skipped (the text goes to `out`).
pub fn show<W: Write + ?Sized>(text: &[u8], rows: usize, out: &mut W) -> io::Result<()> {
    let lines = text.iter().filter(|&&b| b == b'\n').count();
    let pager = pager_command().filter(|_| rows > 0 && lines >= rows);
    if let Some(cmd) = pager
        && run_pager(&cmd, text).is_ok()
    {
        return Ok(());
    }
    out.write_all(text)?;
    out.flush()
}

/// Runs `cmd` through the shell (as git runs its pager), feeding `text`.
fn run_pager(cmd: &str, text: &[u8]) -> io::Result<()> {
    let mut child = Command::new("sh")
        .args(["-c", cmd])
        .stdin(Stdio::piped())
        .spawn()?;
    if let Some(mut stdin) = child.stdin.take() {
        // The user may quit the pager before reading everything.
        match stdin.write_all(text) {
            Err(e) if e.kind() != io::ErrorKind::BrokenPipe => return Err(e),
            _ => {}
        }
    }
    child.wait()?;
    Ok(())
}
