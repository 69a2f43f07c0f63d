//! `medcoder build`: compile manuals into an index.

use crate::index::{self, ManualSource};
use crate::store;
use crate::vocab::{self, VocabFile};
use std::path::PathBuf;
use std::time::Instant;

/// How many unused vocabulary entries `build` lists by name.
const UNUSED_SHOWN: usize = 20;

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
    /// Lines a quoted field of a manual may span; more is taken for a quote
    /// left open.
    #[arg(long, default_value_t = crate::csv_quotes::DEFAULT_MAX_QUOTED_LINES, value_parser = clap::value_parser!(u64).range(1..))]
    max_quoted_lines: u64,
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
        manuals.push(store::user_source(
            std::path::Path::new(path),
            system,
            !args.no_bundled,
            args.max_quoted_lines,
        )?);
    }
    if manuals.is_empty() {
        anyhow::bail!("nothing to build: give --manual or drop --no-bundled");
    }
    let mut vocab_files = if args.no_bundled_vocab {
        Vec::new()
    } else {
        vocab::bundled()
    };
    let bundled_vocab = vocab_files.len();
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
    // Entries of the user's own files whose meaning names words no manual
    // has are never used: say so, so that the file can be fixed.
    let own: Vec<(String, &str)> = vocab_files[bundled_vocab..]
        .iter()
        .flat_map(|f| {
            f.text
                .lines()
                .filter(|l| !l.trim_start().starts_with('#'))
                .filter_map(|l| l.split('\t').next())
                .map(|from| (from.trim().to_lowercase(), f.name.as_str()))
                .collect::<Vec<_>>()
        })
        .collect();
    let unused: Vec<(crate::vocab::Expansion, &str)> = if own.is_empty() {
        Vec::new()
    } else {
        crate::search::Matcher::new(&idx)?
            .unused_expansions()
            .into_iter()
            .filter_map(|e| {
                let file = own.iter().find(|(f, _)| *f == e.from.to_lowercase())?.1;
                Some((e, file))
            })
            .collect()
    };
    if !unused.is_empty() {
        eprintln!(
            "medcoder: note: {} entries of your vocabulary files name a word no manual here has, so they are never used; write their meaning in the manuals' words:",
            unused.len()
        );
        for (e, file) in unused.iter().take(UNUSED_SHOWN) {
            eprintln!("  {file}: {}\t{}", e.from, e.to);
        }
        if unused.len() > UNUSED_SHOWN {
            eprintln!("  ... and {} more", unused.len() - UNUSED_SHOWN);
        }
    }
    if idx.meta().manuals.iter().any(|m| m.system == "cpt") {
        eprintln!("{}", super::output::AMA_NOTICE);
    }
    Ok(super::EXIT_FOUND)
}
