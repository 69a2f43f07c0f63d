//! Typed errors of the library. Every message says what happened, where
//! (file, line, field) and how to fix it.

use std::path::{Path, PathBuf};

/// Everything that can go wrong in the library.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Reading or writing a file failed.
    #[error("{path}: {source}{}", io_hint(source))]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The output path names one of the command's inputs.
    #[error(
        "{path}: the output is the input ({input}); writing it would destroy the input while it is read: write to another file, then rename it"
    )]
    OutputIsInput {
        /// The output as given.
        path: PathBuf,
        /// The input it names.
        input: String,
    },
    /// No cache directory can be chosen.
    #[error(
        "no cache directory: neither XDG_CACHE_HOME nor HOME is set; set one of them (e.g. `export HOME=/home/you`), or MEDCODER_CACHE_DIR, or give --index FILE"
    )]
    NoCache,
    /// A cache file or directory another user could have written.
    #[error(
        "{path}: refused because {reason}: another user could have planted it; remove it (or fix its owner and mode: chmod go-w) and run again"
    )]
    UnsafeCache {
        /// The file or directory.
        path: PathBuf,
        /// Why it is refused.
        reason: &'static str,
    },
    /// The user index cannot be used or rebuilt.
    #[error(
        "{index}: the user index cannot be read and cannot be rebuilt: {cause}; put the manual back and run again, or run `medcoder build --reset` to go back to the bundled manuals (then `medcoder build --manual ...` again)"
    )]
    UserIndexBroken {
        /// The user index.
        index: PathBuf,
        /// Why it cannot be rebuilt (the missing manual, ...).
        cause: String,
    },
    /// A path that must be a regular file is something else.
    #[error("{path}: is {found}, not a regular file; give the path of {wanted}")]
    NotRegular {
        /// The path.
        path: PathBuf,
        /// What it is ("a FIFO", "a directory", ...).
        found: &'static str,
        /// What was expected ("a manual CSV").
        wanted: &'static str,
    },
    /// The output path is a directory.
    #[error("{path}: is a directory; give a file name for the output (e.g. {path}/out.csv)")]
    OutputIsDirectory {
        /// The output as given.
        path: PathBuf,
    },
    /// A CSV file could not be parsed.
    #[error("{source_name}: {message}")]
    Csv {
        /// The file.
        source_name: String,
        /// What the csv crate said, with its position.
        message: String,
    },
    /// A manual row has a bad field.
    #[error("{file}: line {line}, field '{field}': {message}")]
    ManualFormat {
        /// The file.
        file: String,
        /// 1-based line.
        line: u64,
        /// The column.
        field: String,
        /// What is wrong and how to fix it.
        message: String,
    },
    /// An import source (XML, text) is malformed.
    #[error("{file}: {message}")]
    Import {
        /// The file.
        file: String,
        /// What is wrong.
        message: String,
    },
    /// The index file is not a medcoder index.
    #[error("{path}: not a medcoder index (bad magic); rebuild it with `medcoder build`")]
    NotAnIndex {
        /// The file.
        path: PathBuf,
    },
    /// The index was written by another format version.
    #[error(
        "{path}: index format version {got}, this medcoder reads version {expected}; rebuild it with `medcoder build`"
    )]
    Version {
        /// The file.
        path: PathBuf,
        /// Version this build reads.
        expected: u32,
        /// Version found.
        got: u32,
    },
    /// The index is damaged.
    #[error("{path}: index is corrupt ({what}); delete it and rebuild with `medcoder build`")]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// What check failed.
        what: String,
    },
    /// A manual the index was built from changed after the build.
    #[error("{index}: index is older than its manual {manual}; rebuild it with `medcoder build`")]
    Stale {
        /// The index.
        index: PathBuf,
        /// The manual that changed.
        manual: PathBuf,
    },
    /// A vocabulary data file has a bad line.
    #[error("{file}: line {line}: {message}")]
    Vocab {
        /// The file.
        file: String,
        /// 1-based line.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// A date of service is not a date.
    #[error("{what}: a date of service is written YYYY-MM-DD (e.g. 2026-12-01)")]
    Date {
        /// Where it came from (`--date`, a column and line).
        what: String,
    },
    /// Building the fst failed.
    #[error("building the term dictionary failed: {0}")]
    Fst(#[from] fst::Error),
}

/// What to do about an OS error, by kind (empty when there is nothing
/// general to say).
pub fn io_hint(e: &std::io::Error) -> &'static str {
    use std::io::ErrorKind::*;
    match e.kind() {
        NotFound => "; check the path (and that the directory exists)",
        PermissionDenied => "; check its permissions (`ls -l`) or choose another path",
        IsADirectory => "; give a file name, not a directory",
        NotADirectory => "; a part of the path is a file, not a directory: check the path",
        StorageFull => "; free some disk space and run again",
        ReadOnlyFilesystem => "; the file system is read-only: choose another path",
        AlreadyExists => "; remove it or choose another path",
        _ => "",
    }
}

/// Opens `path` for reading if it is a regular file (checked on the open
/// file, so it cannot change in between): a FIFO would block, a device
/// never end.
pub fn open_regular(path: &Path, wanted: &'static str) -> Result<std::fs::File, Error> {
    use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
        .map_err(|e| Error::io(path, e))?;
    let t = file.metadata().map_err(|e| Error::io(path, e))?.file_type();
    let found = if t.is_file() {
        return Ok(file);
    } else if t.is_dir() {
        "a directory"
    } else if t.is_fifo() {
        "a FIFO (named pipe)"
    } else if t.is_char_device() || t.is_block_device() {
        "a device"
    } else if t.is_socket() {
        "a socket"
    } else {
        "a special file"
    };
    Err(Error::NotRegular {
        path: path.to_path_buf(),
        found,
        wanted,
    })
}

impl Error {
    /// An I/O error on `path`.
    pub fn io(path: &Path, source: std::io::Error) -> Error {
        Error::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    /// A CSV error on `source`, keeping the csv crate's position.
    pub fn csv(source: &str, e: &csv::Error) -> Error {
        let message = match e.kind() {
            csv::ErrorKind::Utf8 { pos, err } => format!(
                "{}: invalid UTF-8 in field {} (save the file as UTF-8)",
                pos.as_ref()
                    .map(|p| format!("line {}", p.line()))
                    .unwrap_or_default(),
                err.field() + 1
            ),
            csv::ErrorKind::UnequalLengths {
                pos,
                expected_len,
                len,
            } => format!(
                "{}: {len} fields where the header has {expected_len} (check quoting of commas)",
                pos.as_ref()
                    .map(|p| format!("line {}", p.line()))
                    .unwrap_or_default()
            ),
            _ => e.to_string(),
        };
        Error::Csv {
            source_name: source.to_string(),
            message,
        }
    }
}
