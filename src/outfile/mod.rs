//! The one way medcoder writes an output file (batch, import, build): the
//! file a user names is never destroyed, half-written or left readable by
//! others while it holds patient rows.
//!
//! - An absent or regular `PATH` is written to a temporary file created
//!   with `O_EXCL` under an unpredictable name in the same directory
//!   (`tempfile`), mode 0600 while it is written, synced, given the old
//!   file's mode (a new file: 0666 minus the umask) and renamed over `PATH`.
//! - A symlink is followed: its target is replaced that way, the link stays.
//! - Anything else that exists (a FIFO, a character device such as
//!   `/dev/null` or `/dev/stdout`, a socket) is a stream: written directly.
//! - `PATH` naming an input of the command (same device and inode) is
//!   refused before anything is read.
//! - SIGINT, SIGTERM and SIGHUP remove the temporary file and exit with
//!   130, 143 and 129 ([`signals`]).
//!
//! Not for: choosing formats or what is written (the commands do that).

mod signals;

use crate::error::Error;
use std::fs::{File, OpenOptions, Permissions};
use std::io::{BufWriter, Write};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// Symlinks followed before giving up (as the kernel's `ELOOP`).
const MAX_LINKS: usize = 40;
/// Buffer of the writer handed to the commands.
const BUFFER: usize = 256 * 1024;

/// An input of the command, to refuse writing over it.
#[derive(Debug, Clone, Copy)]
pub enum Input<'a> {
    /// A file named on the command line.
    Path(&'a Path),
    /// Standard input (a redirected file is an input like any other).
    Stdin,
}

/// An output being written; [`OutputFile::commit`] makes it visible.
/// Dropped without a commit, the temporary file is removed and `PATH` is
/// left as it was.
pub struct OutputFile {
    path: PathBuf,
    writer: BufWriter<File>,
    replace: Option<Replace>,
}

/// How a regular file is replaced at commit.
struct Replace {
    temp: signals::Registered,
    target: PathBuf,
    mode: u32,
}

impl OutputFile {
    /// Opens `path` for writing as the module doc says, after checking it
    /// is none of `inputs`.
    pub fn create(path: &Path, inputs: &[Input]) -> Result<OutputFile, Error> {
        let target = follow_links(path)?;
        let existing = match std::fs::metadata(&target) {
            Ok(m) => Some(m),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(Error::io(path, e)),
        };
        if let Some(m) = &existing {
            refuse_inputs(path, m, inputs)?;
            if m.is_dir() {
                return Err(Error::OutputIsDirectory {
                    path: path.to_path_buf(),
                });
            }
            if !m.is_file() {
                let file = OpenOptions::new()
                    .write(true)
                    .open(&target)
                    .map_err(|e| Error::io(path, e))?;
                return Ok(OutputFile {
                    path: path.to_path_buf(),
                    writer: BufWriter::with_capacity(BUFFER, file),
                    replace: None,
                });
            }
        }
        let dir = match target.parent().filter(|d| !d.as_os_str().is_empty()) {
            Some(d) => {
                std::fs::create_dir_all(d).map_err(|e| Error::io(d, e))?;
                d.to_path_buf()
            }
            None => PathBuf::from("."),
        };
        let mode = existing
            .map(|m| m.permissions().mode() & 0o7777)
            .unwrap_or(0o666 & !signals::umask());
        let (file, temp) = signals::temp_file_in(&dir).map_err(|e| Error::io(&dir, e))?;
        Ok(OutputFile {
            path: path.to_path_buf(),
            writer: BufWriter::with_capacity(BUFFER, file),
            replace: Some(Replace { temp, target, mode }),
        })
    }

    /// The path as the user gave it (for messages).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The buffered writer.
    pub fn writer(&mut self) -> &mut BufWriter<File> {
        &mut self.writer
    }

    /// Flushes; a replaced file is synced, given its final mode and renamed
    /// over the target.
    pub fn commit(self) -> Result<(), Error> {
        let path = self.path;
        let file = self
            .writer
            .into_inner()
            .map_err(|e| Error::io(&path, e.into_error()))?;
        let Some(r) = self.replace else {
            return Ok(());
        };
        file.sync_all().map_err(|e| Error::io(&path, e))?;
        file.set_permissions(Permissions::from_mode(r.mode))
            .map_err(|e| Error::io(&path, e))?;
        r.temp.persist(&r.target).map_err(|e| Error::io(&path, e))
    }
}

/// Refuses an output `path` that names one of `inputs` (same device and
/// inode, symlinks followed): commands call it before reading anything.
pub fn check_not_input(path: &Path, inputs: &[Input]) -> Result<(), Error> {
    if path == Path::new("-") {
        return Ok(());
    }
    match std::fs::metadata(follow_links(path)?) {
        Ok(m) => refuse_inputs(path, &m, inputs),
        Err(_) => Ok(()),
    }
}

/// Runs `write` on `path` opened as [`OutputFile::create`] does, and commits
/// when it succeeds; on failure nothing is left behind.
pub fn write_with<T, E: From<Error>>(
    path: &Path,
    inputs: &[Input],
    write: impl FnOnce(&mut BufWriter<File>) -> Result<T, E>,
) -> Result<T, E> {
    let mut out = OutputFile::create(path, inputs)?;
    let t = write(out.writer())?;
    out.commit()?;
    Ok(t)
}

/// Writes `bytes` to `path` as [`write_with`] does.
pub fn write_bytes(path: &Path, inputs: &[Input], bytes: &[u8]) -> Result<(), Error> {
    write_with(path, inputs, |w| {
        w.write_all(bytes).map_err(|e| Error::io(path, e))
    })
}

/// The file `path` finally names: symlinks are followed (a dangling one to
/// the file it would create).
fn follow_links(path: &Path) -> Result<PathBuf, Error> {
    let mut p = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        match std::fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                let link = std::fs::read_link(&p).map_err(|e| Error::io(path, e))?;
                p = match p.parent() {
                    Some(dir) if link.is_relative() => dir.join(link),
                    _ => link,
                };
            }
            _ => return Ok(p),
        }
    }
    Err(Error::io(
        path,
        std::io::Error::other("too many levels of symbolic links"),
    ))
}

/// Refuses an existing output that is one of the inputs.
fn refuse_inputs(path: &Path, out: &std::fs::Metadata, inputs: &[Input]) -> Result<(), Error> {
    for input in inputs {
        let meta = match input {
            Input::Path(p) => std::fs::metadata(p).ok(),
            Input::Stdin => stdin_metadata(),
        };
        let same =
            |m: std::fs::Metadata| m.is_file() && m.dev() == out.dev() && m.ino() == out.ino();
        if meta.is_some_and(same) {
            return Err(Error::OutputIsInput {
                path: path.to_path_buf(),
                input: match input {
                    Input::Path(p) => p.display().to_string(),
                    Input::Stdin => "<stdin>".into(),
                },
            });
        }
    }
    Ok(())
}

/// What standard input is (a redirected file, a pipe, a terminal).
fn stdin_metadata() -> Option<std::fs::Metadata> {
    use std::os::fd::AsFd;
    let fd = std::io::stdin().as_fd().try_clone_to_owned().ok()?;
    File::from(fd).metadata().ok()
}
