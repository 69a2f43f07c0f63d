//! `medcoder cache`: where the index cache is and what it holds;
//! `medcoder cache clean` empties it (the next command rebuilds the
//! bundled index in a few seconds; a user index needs `medcoder build`
//! again). The location rule is [`crate::store::cache_dir`]'s.

use std::path::Path;

/// The options of `medcoder cache`.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(subcommand)]
    action: Option<Action>,
}

#[derive(clap::Subcommand, Debug)]
enum Action {
    /// Remove the cached index files (and any left-over temporary files).
    Clean,
}

/// Prints the cache's path, files and size, or empties it.
pub fn run(args: Args) -> anyhow::Result<i32> {
    let dir = crate::store::cache_dir();
    let files = cache_files(&dir)?;
    match args.action {
        None => {
            let total: u64 = files.iter().map(|(_, n)| n).sum();
            println!("{}", dir.display());
            for (name, size) in &files {
                println!("  {name}  {}", human(*size));
            }
            println!(
                "{} file{}, {} in all",
                files.len(),
                if files.len() == 1 { "" } else { "s" },
                human(total)
            );
        }
        Some(Action::Clean) => {
            let mut freed = 0;
            for (name, size) in &files {
                let path = dir.join(name);
                std::fs::remove_file(&path).map_err(|e| {
                    anyhow::anyhow!(
                        "{}: {e}; remove it by hand or fix its permissions",
                        path.display()
                    )
                })?;
                freed += size;
            }
            println!(
                "removed {} file{} ({}) from {}",
                files.len(),
                if files.len() == 1 { "" } else { "s" },
                human(freed),
                dir.display()
            );
            if files.iter().any(|(n, _)| n == "user.mcx") {
                println!(
                    "the user index is gone too: run `medcoder build --manual ...` again for your manuals"
                );
            }
        }
    }
    Ok(super::EXIT_FOUND)
}

/// The files of ours in the cache directory: index files (`*.mcx`) and
/// temporary files of interrupted writes (dot-named, with `tmp`), by name.
/// Anything else there is left alone. A missing directory holds nothing.
fn cache_files(dir: &Path) -> anyhow::Result<Vec<(String, u64)>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => anyhow::bail!("{}: {e}; check the folder's permissions", dir.display()),
    };
    let mut files = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| anyhow::anyhow!("{}: {e}", dir.display()))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let ours = name.ends_with(".mcx") || (name.starts_with('.') && name.contains("tmp"));
        let meta = entry
            .metadata()
            .map_err(|e| anyhow::anyhow!("{}: {e}", entry.path().display()))?;
        if ours && meta.is_file() {
            files.push((name, meta.len()));
        }
    }
    files.sort();
    Ok(files)
}

/// Bytes as people read them: `512 B`, `41.3 MB`.
fn human(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["B", "KB", "MB", "GB"];
    let mut v = bytes as f64;
    let mut unit = 0;
    while v >= 1000.0 && unit + 1 < UNITS.len() {
        v /= 1000.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{v:.1} {}", UNITS[unit])
    }
}
