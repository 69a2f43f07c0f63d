//! `medcoder build`: compile manuals into an index.

use crate::index::{self, ManualSource};
use crate::store;
use crate::vocab::{self, VocabFile};
use std::path::PathBuf;
use std::time::Instant;

/// The options of `medcoder build`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// A manual CSV to add, as `[SYSTEM=]PATH` (e.g. `cpt=/secure/cpt-2026.csv`).
    /// Repeatable. User manuals live beside the bundled ones.
    #[arg(long = "manual", value_name = "[SYSTEM=]CSV")]
    manuals: Vec<String>,
    /// An extra vocabulary file (e.g. `abbreviations-local.tsv`); its name
    /// says its kind (see ARCHITECTURE.md). Repeatable.
    #[arg(long = "vocab", value_name = "TSV")]
    vocab: Vec<PathBuf>,
    /// Leave the bundled manuals out.
    #[arg(long)]
    no_bundled: bool,
    /// Leave the bundled vocabulary out (only `--vocab` files are used):
    /// for a site that wants its own, or to measure what the vocabulary adds.
    #[arg(long)]
    no_bundled_vocab: bool,
    /// Where to write the index (default: the user index in the cache
    /// directory, or the bundled index when no manual is given).
    #[arg(short, long)]
    output: Option<PathBuf>,
}

/// Builds the index, lists its manuals on stderr and returns the exit code.
pub fn run(args: Args) -> anyhow::Result<i32> {
    let start = Instant::now();
    let mut manuals: Vec<ManualSource> = if args.no_bundled {
        Vec::new()
    } else {
        store::bundled_sources()?
    };
    for m in &args.manuals {
        let (system, path) = match m.split_once('=') {
            Some((s, p)) if !s.contains(['/', '\\']) => (Some(s), p),
            _ => (None, m.as_str()),
        };
        manuals.push(store::user_source(std::path::Path::new(path), system)?);
    }
    if manuals.is_empty() {
        anyhow::bail!("nothing to build: give --manual or drop --no-bundled");
    }
    let mut vocab_files = if args.no_bundled_vocab {
        Vec::new()
    } else {
        vocab::bundled()
    };
    for v in &args.vocab {
        vocab_files.push(VocabFile::read(v)?);
    }
    let custom = !args.manuals.is_empty()
        || !args.vocab.is_empty()
        || args.no_bundled
        || args.no_bundled_vocab;
    let output = args.output.unwrap_or_else(|| {
        if custom {
            store::user_index_path()
        } else {
            store::bundled_index_path()
        }
    });
    index::build_to(&output, &manuals, &vocab_files)?;
    let idx = index::open(&output)?;
    for m in &idx.meta().manuals {
        eprintln!(
            "  {:<10} {:<8} {:>7} rows  {}",
            m.system, m.version, m.entries, m.source
        );
    }
    eprintln!(
        "medcoder: wrote {} ({} codes, {} names, {} terms, {:.1} MB) in {:.2}s",
        output.display(),
        idx.doc_count(),
        idx.name_count(),
        idx.term_count(),
        std::fs::metadata(&output)
            .map(|m| m.len() as f64 / 1e6)
            .unwrap_or(0.0),
        start.elapsed().as_secs_f64()
    );
    if idx.meta().manuals.iter().any(|m| m.system == "cpt") {
        eprintln!("{}", super::output::AMA_NOTICE);
    }
    Ok(super::EXIT_FOUND)
}
