//! Fingerprints what shapes the bundled index — the bundled manuals and
//! vocabulary under `data/`, and the code of analysis, vocabulary, manual
//! reading and index building — so a cached index built by a different
//! medcoder is never reused: `MEDCODER_INDEX_CODE_HASH`. Computed here once,
//! not at every start.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::Path;

fn walk(dir: &Path, files: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(&p, files);
        } else if p
            .extension()
            .is_some_and(|x| x == "rs" || x == "csv" || x == "tsv")
        {
            files.push(p);
        }
    }
}

fn main() {
    let mut files = Vec::new();
    for d in ["src/index", "src/text", "src/vocab", "src/manual", "data"] {
        println!("cargo:rerun-if-changed={d}");
        walk(Path::new(d), &mut files);
    }
    files.sort();
    let mut h = DefaultHasher::new();
    for f in &files {
        f.hash(&mut h);
        std::fs::read(f).unwrap_or_default().hash(&mut h);
    }
    println!(
        "cargo:rustc-env=MEDCODER_INDEX_CODE_HASH={:016x}",
        h.finish()
    );
}
