//! Temporary output files and the signals that must not leave them behind.
//!
//! The first temporary file starts a thread that waits for SIGINT, SIGTERM
//! and SIGHUP (`signal-hook`: the handler itself only wakes the thread).
//! The thread removes every temporary file still registered and exits with
//! 128 + the signal number (130, 143, 129). A rename holds the registry
//! lock, so a signal during it sees either the temporary file or the
//! finished output, never both or neither.

use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, OnceLock};

/// Temporary files being written.
static ACTIVE: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
/// The umask, read once (before worker threads could create files).
static UMASK: OnceLock<u32> = OnceLock::new();
/// Whether the signal thread runs.
static WATCHING: OnceLock<bool> = OnceLock::new();

fn active() -> MutexGuard<'static, Vec<PathBuf>> {
    ACTIVE.lock().unwrap_or_else(|e| e.into_inner())
}

/// The process umask.
pub(super) fn umask() -> u32 {
    *UMASK.get_or_init(|| {
        // SAFETY: umask(2) cannot fail; it is set back at once, and this runs
        // once, when the first output is opened, before any worker thread
        // of ours creates a file.
        let old = unsafe { libc::umask(0o077) };
        // SAFETY: as above.
        unsafe { libc::umask(old) };
        old
    })
}

/// A temporary file registered for removal on a signal; dropped without
/// [`Registered::persist`], it is removed.
pub(super) struct Registered(Option<tempfile::TempPath>);

/// Creates a temporary file in `dir` (O_EXCL, unpredictable name, 0600)
/// and registers it for removal on a signal.
pub(super) fn temp_file_in(dir: &Path) -> std::io::Result<(std::fs::File, Registered)> {
    watch();
    let mut list = active();
    let (file, temp) = tempfile::Builder::new()
        .prefix(".medcoder-")
        .suffix(".tmp")
        .tempfile_in(dir)?
        .into_parts();
    list.push(temp.to_path_buf());
    Ok((file, Registered(Some(temp))))
}

impl Registered {
    /// Renames the temporary file to `target` and unregisters it.
    pub(super) fn persist(mut self, target: &Path) -> std::io::Result<()> {
        let mut list = active();
        let Some(temp) = self.0.take() else {
            return Ok(());
        };
        let path = temp.to_path_buf();
        let result = temp.persist(target).map_err(|e| e.error);
        list.retain(|p| *p != path);
        result
    }
}

impl Drop for Registered {
    fn drop(&mut self) {
        if let Some(temp) = self.0.take() {
            let mut list = active();
            let path = temp.to_path_buf();
            drop(temp);
            list.retain(|p| *p != path);
        }
    }
}

/// Starts the signal thread once.
fn watch() {
    WATCHING.get_or_init(|| {
        let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) else {
            return false;
        };
        std::thread::Builder::new()
            .name("medcoder-signals".into())
            .spawn(move || {
                if let Some(sig) = signals.forever().next() {
                    let list = active();
                    for p in list.iter() {
                        let _ = std::fs::remove_file(p);
                    }
                    std::process::exit(128 + sig);
                }
            })
            .is_ok()
    });
}
