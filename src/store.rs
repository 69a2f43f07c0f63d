//! Where indexes live, and the manuals bundled with medcoder.
//!
//! The bundled manuals are compiled into the binary. The first search
//! builds their index into the cache directory (`$MEDCODER_CACHE_DIR`, else
//! `$XDG_CACHE_HOME/medcoder`, else `~/.cache/medcoder`) under a name that
//! carries a fingerprint of the bundled data, so a new release never reads
//! an old index. `medcoder build --manual …` writes a user index
//! (`user.mcx` in the same directory) holding the bundled manuals plus the
//! user's; it is used when present and rebuilt when a manual changed.

use crate::error::Error;
use crate::index::{self, Index, ManualInfo, ManualSource, meta::file_stamp};
use crate::manual::{Entry, read_entries};
use crate::vocab::{self, VocabFile};
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

/// The manuals shipped in `data/`.
pub const BUNDLED: &[BundledManual] = &[
    BundledManual {
        system: "icd10cm",
        version: "2026",
        file: "icd10cm-2026.csv",
        bytes: include_bytes!("../data/icd10cm-2026.csv"),
    },
    BundledManual {
        system: "icd10pcs",
        version: "2024",
        file: "icd10pcs-2024.csv",
        bytes: include_bytes!("../data/icd10pcs-2024.csv"),
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

/// The rows of the newest bundled release of `system`, and its version.
pub fn newest_bundled(system: &str) -> Result<(Vec<Entry>, String), Error> {
    let m = BUNDLED
        .iter()
        .filter(|m| m.system == system)
        .max_by_key(|m| m.version)
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

/// The cache directory.
pub fn cache_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("MEDCODER_CACHE_DIR").filter(|d| !d.is_empty()) {
        return PathBuf::from(d);
    }
    if let Some(d) = std::env::var_os("XDG_CACHE_HOME").filter(|d| !d.is_empty()) {
        return PathBuf::from(d).join("medcoder");
    }
    if let Some(h) = std::env::var_os("HOME").filter(|d| !d.is_empty()) {
        return PathBuf::from(h).join(".cache").join("medcoder");
    }
    std::env::temp_dir().join("medcoder")
}

/// Path of the index of the bundled manuals.
pub fn bundled_index_path() -> PathBuf {
    cache_dir().join(format!("bundled-{:08x}.mcx", bundled_fingerprint()))
}

/// Path of the user index (bundled + user manuals).
pub fn user_index_path() -> PathBuf {
    cache_dir().join("user.mcx")
}

/// The bundled manuals as build sources.
pub fn bundled_sources() -> Result<Vec<ManualSource>, Error> {
    BUNDLED
        .iter()
        .map(|m| {
            let source = format!("bundled:data/{}", m.file);
            let mut entries = read_entries(
                m.bytes,
                &source,
                m.system,
                m.version,
                crate::csv_quotes::DEFAULT_MAX_QUOTED_LINES,
            )?;
            crate::index_paths::attach_bundled(&mut entries, m.system)?;
            Ok(ManualSource {
                info: ManualInfo {
                    system: m.system.into(),
                    version: m.version.into(),
                    source: format!("{source}#{:08x}", bundled_fingerprint()),
                    entries: entries.len(),
                    file_stamp: None,
                    user: false,
                },
                entries,
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
    Ok(ManualSource { info, entries })
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

/// Builds the bundled index if it is missing; returns its path.
pub fn ensure_bundled() -> Result<PathBuf, Error> {
    let path = bundled_index_path();
    if !path.exists() {
        index::build_to(&path, &bundled_sources()?, &vocab::bundled())?;
    }
    Ok(path)
}

/// Opens the index to search: `explicit` if given (must be fresh), else the
/// user index if there is one (rebuilt when a manual changed), else the
/// bundled index (built on first use).
pub fn open_index(explicit: Option<&Path>) -> Result<Index<Vec<u8>>, Error> {
    if let Some(p) = explicit {
        let idx = index::open(p)?;
        if let Some(m) = stale_manuals(idx.meta()).into_iter().next() {
            return Err(Error::Stale {
                index: p.to_path_buf(),
                manual: m,
            });
        }
        return Ok(idx);
    }
    let user = user_index_path();
    if user.exists() {
        let idx = index::open(&user)?;
        if stale_manuals(idx.meta()).is_empty() {
            return Ok(idx);
        }
        let (manuals, vocab) = rebuild_sources(idx.meta())?;
        drop(idx);
        eprintln!(
            "medcoder: a manual changed since {} was built; rebuilding it",
            user.display()
        );
        index::build_to(&user, &manuals, &vocab)?;
        return index::open(&user);
    }
    let path = ensure_bundled()?;
    match index::open(&path) {
        Err(Error::Corrupt { .. }) | Err(Error::Version { .. }) | Err(Error::NotAnIndex { .. }) => {
            eprintln!(
                "medcoder: the cached index {} is damaged; rebuilding it",
                path.display()
            );
            index::build_to(&path, &bundled_sources()?, &vocab::bundled())?;
            index::open(&path)
        }
        other => other,
    }
}

/// The sources an index was built from, read afresh.
fn rebuild_sources(meta: &index::Meta) -> Result<(Vec<ManualSource>, Vec<VocabFile>), Error> {
    let mut manuals = Vec::new();
    let with_bundled = meta.manuals.iter().any(|m| !m.user);
    if with_bundled {
        manuals.extend(bundled_sources()?);
    }
    for m in meta.manuals.iter().filter(|m| m.user) {
        manuals.push(user_source(
            Path::new(&m.source),
            Some(&m.system),
            with_bundled,
            crate::csv_quotes::DEFAULT_MAX_QUOTED_LINES,
        )?);
    }
    let mut vocab = vocab::bundled();
    for name in &meta.vocabulary {
        if !vocab.iter().any(|v| &v.name == name) && Path::new(name).exists() {
            vocab.push(VocabFile::read(Path::new(name))?);
        }
    }
    Ok((manuals, vocab))
}
