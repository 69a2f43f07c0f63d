//! Where indexes live, and the manuals bundled with medcoder.
//!
//! The bundled manuals are compiled into the binary. The first search
//! builds their index into the cache directory (`$MEDCODER_CACHE_DIR`, else
//! `$XDG_CACHE_HOME/medcoder`, else `$HOME/.cache/medcoder`; with none of
//! them set, an error says how to set one — never a shared directory such
//! as /tmp) under a name that carries a fingerprint of the bundled data, so
//! a new release never reads an old index (older ones are removed).
//! `medcoder build --manual …` writes a user index (`user.mcx` in the same
//! directory, and `user.sources.json`: what it was built from) holding the
//! bundled manuals plus the user's; it is used when present, and rebuilt
//! from its manuals when one changed or the index is damaged or unreadable;
//! when a manual is gone, the error names it and `medcoder build --reset`.
//!
//! The cache directory is created 0700; a cached index or directory owned
//! by someone else, or writable by group or others, is refused.

use crate::error::Error;
use crate::index::{self, Index, ManualInfo, ManualSource, meta::file_stamp};
use crate::manual::{Entry, read_entries};
use crate::vocab::{self, VocabFile};
use serde::{Deserialize, Serialize};
use std::os::unix::fs::{DirBuilderExt, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// A manual compiled into the binary.
#[derive(Debug, Clone, Copy)]
pub struct BundledManual {
    /// Code system id.
    pub system: &'static str,
    /// Release.
    pub version: &'static str,
    /// File name under `data/`.
    pub file: &'static str,
    /// The CSV.
    pub bytes: &'static [u8],
}

/// The manuals shipped in `data/` (see `data/PROVENANCE.md`), the
/// releases of one system oldest first: they are merged into one code
/// table per system, each code valid in the releases that have it.
pub const BUNDLED: &[BundledManual] = &[
    BundledManual {
        system: "icd10cm",
        version: "2026",
        file: "icd10cm-2026.csv",
        bytes: include_bytes!("../data/icd10cm-2026.csv"),
    },
    BundledManual {
        system: "icd10cm",
        version: "2027",
        file: "icd10cm-2027.csv",
        bytes: include_bytes!("../data/icd10cm-2027.csv"),
    },
    BundledManual {
        system: "icd10pcs",
        version: "2026",
        file: "icd10pcs-2026.csv",
        bytes: include_bytes!("../data/icd10pcs-2026.csv"),
    },
    BundledManual {
        system: "icd10pcs",
        version: "2027",
        file: "icd10pcs-2027.csv",
        bytes: include_bytes!("../data/icd10pcs-2027.csv"),
    },
    BundledManual {
        system: "hcpcs",
        version: "2025-10",
        file: "hcpcs-2025-10.csv",
        bytes: include_bytes!("../data/hcpcs-2025-10.csv"),
    },
];

/// A fingerprint of the bundled manuals, vocabulary, index format and
/// index-building code (hashed at compile time by `build.rs`).
pub fn bundled_fingerprint() -> u32 {
    let mut h = crc32fast::Hasher::new();
    h.update(&index::format::FORMAT_VERSION.to_le_bytes());
    h.update(env!("MEDCODER_INDEX_CODE_HASH").as_bytes());
    h.finalize()
}

/// The rows of the first bundled release of `system` (ICD-10-CM FY2026),
/// and its version: the release the FY2025 index books are checked
/// against. Their paths attach by code to every release that has the code,
/// so a path to a code deleted later still serves the dates before.
pub fn first_bundled(system: &str) -> Result<(Vec<Entry>, String), Error> {
    let m = BUNDLED
        .iter()
        .filter(|m| m.system == system)
        .min_by_key(|m| m.version)
        .ok_or_else(|| Error::Import {
            file: system.into(),
            message: "no bundled manual of this system; give one with --against".into(),
        })?;
    let source = format!("bundled:data/{}", m.file);
    Ok((
        read_entries(
            m.bytes,
            &source,
            m.system,
            m.version,
            crate::csv_quotes::DEFAULT_MAX_QUOTED_LINES,
        )?,
        m.version.to_string(),
    ))
}

/// The cache directory (not created; see [`prepare_cache`]).
pub fn cache_dir() -> Result<PathBuf, Error> {
    let var = |name| std::env::var_os(name).filter(|d| !d.is_empty());
    if let Some(d) = var("MEDCODER_CACHE_DIR") {
        return Ok(PathBuf::from(d));
    }
    if let Some(d) = var("XDG_CACHE_HOME") {
        return Ok(PathBuf::from(d).join("medcoder"));
    }
    if let Some(h) = var("HOME") {
        return Ok(PathBuf::from(h).join(".cache").join("medcoder"));
    }
    Err(Error::NoCache)
}

/// The cache directory, created 0700 if missing and checked to be private.
pub fn prepare_cache() -> Result<PathBuf, Error> {
    let dir = cache_dir()?;
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(&dir)
        .map_err(|e| Error::io(&dir, e))?;
    check_private(&dir)?;
    Ok(dir)
}

/// The effective user id of this process.
fn euid() -> u32 {
    // SAFETY: geteuid(2) has no preconditions and cannot fail.
    unsafe { libc::geteuid() }
}

/// Refuses a cache file or directory that another user could have
/// written: owned by someone else, or writable by group or others.
fn check_private(path: &Path) -> Result<(), Error> {
    let m = std::fs::symlink_metadata(path).map_err(|e| Error::io(path, e))?;
    let reason = if m.uid() != euid() {
        "it belongs to another user"
    } else if m.permissions().mode() & 0o022 != 0 {
        "it is writable by group or others"
    } else {
        return Ok(());
    };
    Err(Error::UnsafeCache {
        path: path.to_path_buf(),
        reason,
    })
}

/// Path of the index of the bundled manuals.
pub fn bundled_index_path() -> Result<PathBuf, Error> {
    Ok(cache_dir()?.join(bundled_index_name()))
}

fn bundled_index_name() -> String {
    format!("bundled-{:08x}.mcx", bundled_fingerprint())
}

/// Path of the user index (bundled + user manuals).
pub fn user_index_path() -> Result<PathBuf, Error> {
    Ok(cache_dir()?.join("user.mcx"))
}

/// What the user index was built from, kept beside it so that a damaged
/// index can be rebuilt.
fn user_sources_path() -> Result<PathBuf, Error> {
    Ok(cache_dir()?.join("user.sources.json"))
}

/// The manuals and vocabulary files of an index (from its META, or from
/// `user.sources.json` when the index cannot be read).
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Sources {
    /// (system, source, user manual).
    manuals: Vec<(String, String, bool)>,
    /// Vocabulary file names.
    vocabulary: Vec<String>,
}

impl From<&index::Meta> for Sources {
    fn from(meta: &index::Meta) -> Self {
        Sources {
            manuals: meta
                .manuals
                .iter()
                .map(|m| (m.system.clone(), m.source.clone(), m.user))
                .collect(),
            vocabulary: meta.vocabulary.clone(),
        }
    }
}

/// The bundled manuals as build sources: one per system, its releases
/// merged (see [`crate::release::merge`]).
pub fn bundled_sources() -> Result<Vec<ManualSource>, Error> {
    use rayon::prelude::*;
    // Parsing the CSVs is most of the cost: one file per core.
    let mut read: Vec<Option<Vec<crate::manual::Entry>>> = BUNDLED
        .par_iter()
        .map(|m| {
            let mut r = crate::manual::ManualReader::new(
                m.bytes,
                &format!("bundled:data/{}", m.file),
                m.system,
                m.version,
                crate::csv_quotes::DEFAULT_MAX_QUOTED_LINES,
            )?;
            // At most a row a line: the rows' vector is never regrown
            // (each regrowth copied tens of MB into fresh pages).
            let lines = m.bytes.iter().filter(|b| **b == b'\n').count();
            let mut rows = Vec::with_capacity(lines);
            while let Some(e) = r.next_entry() {
                rows.push(e?);
            }
            Ok(Some(rows))
        })
        .collect::<Result<_, Error>>()?;
    let mut systems: Vec<&str> = BUNDLED.iter().map(|m| m.system).collect();
    systems.dedup();
    // Each system's releases merged and its index paths attached: one
    // system per core.
    type Releases<'a> = (&'a str, Vec<usize>, Vec<Vec<crate::manual::Entry>>);
    let systems: Vec<Releases> = systems
        .into_iter()
        .map(|system| {
            let releases: Vec<usize> = (0..BUNDLED.len())
                .filter(|&i| BUNDLED[i].system == system)
                .collect();
            let rows = releases.iter().filter_map(|&i| read[i].take()).collect();
            (system, releases, rows)
        })
        .collect();
    systems
        .into_par_iter()
        .map(|(system, releases, rows)| {
            let files: Vec<String> = releases
                .iter()
                .map(|&i| format!("data/{}", BUNDLED[i].file))
                .collect();
            let source = format!("bundled:{}", files.join("+"));
            let (mut entries, validity) = if rows.len() > 1 {
                crate::release::merge(rows)
            } else {
                (rows.into_iter().flatten().collect(), Vec::new())
            };
            crate::index_paths::attach_bundled(&mut entries, system)?;
            Ok(ManualSource {
                info: ManualInfo {
                    system: system.into(),
                    version: releases.last().map_or("", |&i| BUNDLED[i].version).into(),
                    source: format!("{source}#{:08x}", bundled_fingerprint()),
                    entries: entries.len(),
                    file_stamp: None,
                    user: false,
                    releases: releases
                        .iter()
                        .map(|&i| BUNDLED[i].version.to_string())
                        .collect(),
                },
                entries,
                validity,
            })
        })
        .collect()
}

/// A user manual file as a build source. `system` overrides the CSV's.
/// `with_bundled`: the bundled manuals are in the same index, so a user
/// manual may not carry one of their system/version pairs (with
/// `--no-bundled` it may: a site rebuilding from its own copy). A quoted
/// field may span `max_quoted_lines` lines.
pub fn user_source(
    path: &Path,
    system: Option<&str>,
    with_bundled: bool,
    max_quoted_lines: u64,
) -> Result<ManualSource, Error> {
    let default_system = system.unwrap_or("custom");
    let mut entries =
        crate::manual::read_manual(path, default_system, "unknown", max_quoted_lines)?;
    if let Some(s) = system {
        for e in &mut entries {
            e.system = s.to_string();
        }
    }
    let first = entries.first().ok_or_else(|| Error::ManualFormat {
        file: path.display().to_string(),
        line: 1,
        field: "code".into(),
        message: "the manual has no rows after its header; add a row per code".into(),
    })?;
    let info = ManualInfo {
        system: first.system.clone(),
        version: first.version.clone(),
        source: std::fs::canonicalize(path)
            .unwrap_or(path.to_path_buf())
            .display()
            .to_string(),
        entries: entries.len(),
        file_stamp: file_stamp(path),
        user: true,
        releases: Vec::new(),
    };
    if with_bundled
        && BUNDLED
            .iter()
            .any(|b| b.system == info.system && b.version == info.version)
    {
        return Err(Error::ManualFormat {
            file: path.display().to_string(),
            line: 2,
            field: "system".into(),
            message: format!(
                "{} {} is a bundled manual; a user manual may not replace it (give it another version, or build with --no-bundled)",
                info.system, info.version
            ),
        });
    }
    Ok(ManualSource {
        info,
        entries,
        validity: Vec::new(),
    })
}

/// The user manuals of an index whose file changed since the build.
pub fn stale_manuals(meta: &index::Meta) -> Vec<PathBuf> {
    let current = format!("#{:08x}", bundled_fingerprint());
    meta.manuals
        .iter()
        .filter(|m| {
            if m.user {
                file_stamp(Path::new(&m.source)) != m.file_stamp
            } else {
                !m.source.ends_with(&current) && m.source.starts_with("bundled:")
            }
        })
        .map(|m| PathBuf::from(&m.source))
        .collect()
}

/// Builds the bundled index if it is missing, removing indexes of earlier
/// releases; returns its path.
pub fn ensure_bundled() -> Result<PathBuf, Error> {
    let dir = prepare_cache()?;
    let path = dir.join(bundled_index_name());
    if !path.exists() {
        write_bundled(&path)?;
    }
    Ok(path)
}

/// Builds the bundled index at `path` and removes other `bundled-*.mcx`.
fn write_bundled(path: &Path) -> Result<(), Error> {
    index::build_to(path, &bundled_sources()?, &vocab::bundled())?;
    let Some(dir) = path.parent() else {
        return Ok(());
    };
    let current = bundled_index_name();
    for e in std::fs::read_dir(dir)
        .map_err(|e| Error::io(dir, e))?
        .flatten()
    {
        let name = e.file_name().to_string_lossy().into_owned();
        let ours = name.ends_with(".mcx") || name.ends_with(".mcx.checked");
        let keep = name == current || name == format!("{current}.checked");
        if name.starts_with("bundled-") && ours && !keep {
            let _ = std::fs::remove_file(e.path());
        }
    }
    Ok(())
}

/// Builds the user index into the cache and records what it was built
/// from (`user.sources.json`).
pub fn write_user_index(manuals: &[ManualSource], vocab: &[VocabFile]) -> Result<PathBuf, Error> {
    prepare_cache()?;
    let path = user_index_path()?;
    index::build_to(&path, manuals, vocab)?;
    let idx = index::open(&path)?;
    let json = serde_json::to_vec_pretty(&Sources::from(idx.meta()))
        .map_err(|e| Error::io(&path, std::io::Error::other(e)))?;
    crate::outfile::write_bytes(&user_sources_path()?, &[], &json)?;
    Ok(path)
}

/// Removes the user index (`medcoder build --reset`): searches go back to
/// the bundled manuals. Returns whether there was one.
pub fn reset_user_index() -> Result<bool, Error> {
    let mut removed = false;
    let user = user_index_path()?;
    for p in [stamp_path(&user), user, user_sources_path()?] {
        match std::fs::remove_file(&p) {
            Ok(()) => removed = true,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(Error::io(&p, e)),
        }
    }
    Ok(removed)
}

/// Opens the index to search: `explicit` if given (must be fresh), else the
/// user index if there is one (rebuilt when a manual changed or it cannot
/// be read), else the bundled index (built on first use, rebuilt when
/// damaged).
pub fn open_index(explicit: Option<&Path>) -> Result<Index<index::Bytes>, Error> {
    if let Some(p) = explicit {
        let idx = index::open_read(p)?;
        if let Some(m) = stale_manuals(idx.meta()).into_iter().next() {
            return Err(Error::Stale {
                index: p.to_path_buf(),
                manual: m,
            });
        }
        return Ok(idx);
    }
    let dir = prepare_cache()?;
    let user = dir.join("user.mcx");
    if std::fs::symlink_metadata(&user).is_ok() {
        return open_user(&user);
    }
    let path = ensure_bundled()?;
    check_private(&path)?;
    match open_cached(&path) {
        Err(e) if is_damage(&e) => {
            eprintln!(
                "medcoder: the cached index {} is damaged; rebuilding it",
                path.display()
            );
            write_bundled(&path)?;
            open_cached(&path)
        }
        other => other,
    }
}

/// Errors that a rebuild repairs.
fn is_damage(e: &Error) -> bool {
    matches!(
        e,
        Error::Corrupt { .. } | Error::Version { .. } | Error::NotAnIndex { .. } | Error::Io { .. }
    )
}

/// Opens the user index, rebuilding it from its manuals when one changed
/// or when it is damaged or unreadable.
fn open_user(user: &Path) -> Result<Index<index::Bytes>, Error> {
    check_private(user)?;
    let sources = match open_cached(user) {
        Ok(idx) if stale_manuals(idx.meta()).is_empty() => return Ok(idx),
        Ok(idx) => {
            eprintln!(
                "medcoder: a manual changed since {} was built; rebuilding it",
                user.display()
            );
            Sources::from(idx.meta())
        }
        Err(e) if is_damage(&e) => {
            eprintln!("medcoder: {e}; rebuilding it from its manuals");
            saved_sources(user)?
        }
        Err(e) => return Err(e),
    };
    let (manuals, vocab) = rebuild_sources(&sources).map_err(|e| Error::UserIndexBroken {
        index: user.to_path_buf(),
        cause: e.to_string(),
    })?;
    write_user_index(&manuals, &vocab)?;
    open_cached(user)
}

/// Opens an index of the cache, its checks run once per file identity
/// (see [`index::open_stamped`]; the stamp is `NAME.checked` beside it).
pub fn open_cached(path: &Path) -> Result<Index<index::Bytes>, Error> {
    index::open_stamped(path, &stamp_path(path))
}

/// Where the cache records that an index passed its checks.
fn stamp_path(index: &Path) -> PathBuf {
    let mut p = index.as_os_str().to_owned();
    p.push(".checked");
    PathBuf::from(p)
}

/// What a damaged user index was built from, from `user.sources.json`.
fn saved_sources(user: &Path) -> Result<Sources, Error> {
    let path = user_sources_path()?;
    let broken = |cause: String| Error::UserIndexBroken {
        index: user.to_path_buf(),
        cause,
    };
    check_private(&path).map_err(|e| broken(e.to_string()))?;
    let bytes = std::fs::read(&path).map_err(|e| broken(Error::io(&path, e).to_string()))?;
    serde_json::from_slice(&bytes).map_err(|e| broken(format!("{}: {e}", path.display())))
}

/// The sources an index was built from, read afresh.
fn rebuild_sources(sources: &Sources) -> Result<(Vec<ManualSource>, Vec<VocabFile>), Error> {
    let mut manuals = Vec::new();
    let with_bundled = sources.manuals.iter().any(|m| !m.2);
    if with_bundled {
        manuals.extend(bundled_sources()?);
    }
    for (system, source, _) in sources.manuals.iter().filter(|m| m.2) {
        manuals.push(user_source(
            Path::new(source),
            Some(system),
            with_bundled,
            crate::csv_quotes::DEFAULT_MAX_QUOTED_LINES,
        )?);
    }
    let mut vocab = vocab::bundled();
    for name in &sources.vocabulary {
        if !vocab.iter().any(|v| &v.name == name) && Path::new(name).exists() {
            vocab.push(VocabFile::read(Path::new(name))?);
        }
    }
    Ok((manuals, vocab))
}
