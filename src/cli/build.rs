//! `medcoder build`: compile manuals into an index.

use crate::index::{self, ManualSource};
use crate::outfile::Input;
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
    /// An extra vocabulary file (e.g. `abbreviations-local.tsv`); its first
    /// line declares its kind (`# kind: abbreviations`). Repeatable.
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
    /// Remove the user index (and what it was built from) and go back to
    /// the bundled manuals; also the way out of a user index whose manual
    /// is gone.
    #[arg(long, conflicts_with_all = ["manuals", "vocab", "output", "no_bundled", "no_bundled_vocab"])]
    reset: bool,
    /// Where to write the index (default: the user index in the cache
    /// directory, or the bundled index when no manual is given).
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// How to report what was built: readable lines on stderr, or one JSON
    /// object on stdout (manuals, counts, unused vocabulary entries).
    #[arg(short, long, value_enum, default_value_t = Report::Text)]
    format: Report,
}

/// The report formats of `medcoder build`.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Report {
    /// Readable lines on stderr.
    Text,
    /// One JSON object on stdout.
    Json,
}

/// The JSON report of `medcoder build --format json`.
#[derive(serde::Serialize)]
struct Summary<'a> {
    output: String,
    manuals: &'a [index::ManualInfo],
    codes: usize,
    names: usize,
    terms: usize,
    bytes: u64,
    unused_vocabulary: Vec<UnusedEntry<'a>>,
    /// The tabular notes citing codes, and those whose targets the note
    /// parser of `check` could not resolve (issue 14).
    notes: crate::check::notes::NoteReport,
}

/// A vocabulary entry of the user's files that can never be used.
#[derive(serde::Serialize)]
struct UnusedEntry<'a> {
    file: &'a str,
    from: &'a str,
    to: &'a str,
}

/// Builds the index, reports it (on stderr, or as JSON on stdout) and
/// returns the exit code.
pub fn run(args: Args) -> anyhow::Result<i32> {
    if args.reset {
        let removed = store::reset_user_index()?;
        eprintln!(
            "medcoder: {}; searches use the bundled manuals",
            if removed {
                "removed the user index"
            } else {
                "there was no user index"
            }
        );
        return Ok(super::EXIT_FOUND);
    }
    let start = Instant::now();
    let mut manual_paths: Vec<PathBuf> = Vec::new();
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
        manual_paths.push(PathBuf::from(path));
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
    let cached = args.output.is_none();
    let output = match args.output {
        Some(o) => {
            let inputs: Vec<Input> = manual_paths.iter().map(|p| Input::Path(p)).collect();
            crate::outfile::check_not_input(&o, &inputs)?;
            index::build_to(&o, &manuals, &vocab_files)?;
            o
        }
        None if custom => store::write_user_index(&manuals, &vocab_files)?,
        None => {
            store::prepare_cache()?;
            let o = store::bundled_index_path()?;
            index::build_to(&o, &manuals, &vocab_files)?;
            o
        }
    };
    // The cache's own file is mapped (its pages are the page cache's, not a
    // copy); a file named with --output is read.
    let idx = if cached {
        store::open_cached(&output)?
    } else {
        index::open_read(&output)?
    };
    let bytes = std::fs::metadata(&output).map_or(0, |m| m.len());
    let notes = crate::check::notes::note_report(&idx);
    // Entries of the user's own files whose meaning names words no manual
    // has are never used: say so, so that the file can be fixed.
    let own = &vocab_files[bundled_vocab..];
    let unused = if own.is_empty() {
        Vec::new()
    } else {
        crate::search::Matcher::new(&idx)?.unused_entries_in(own)
    };
    if args.format == Report::Json {
        let summary = Summary {
            output: output.display().to_string(),
            manuals: &idx.meta().manuals,
            codes: idx.doc_count(),
            names: idx.name_count(),
            terms: idx.term_count(),
            bytes,
            unused_vocabulary: unused
                .iter()
                .map(|(e, file)| UnusedEntry {
                    file,
                    from: &e.from,
                    to: &e.to,
                })
                .collect(),
            notes,
        };
        println!("{}", serde_json::to_string(&summary)?);
    } else {
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
            bytes as f64 / 1e6,
            start.elapsed().as_secs_f64()
        );
        let citing = notes.citing();
        if citing > 0 {
            eprintln!(
                "medcoder: notes: {} of {citing} tabular notes citing codes resolve to codes ({:.1}%){}",
                citing - notes.unresolved.len(),
                100.0 * notes.share(),
                if notes.unresolved.is_empty() {
                    String::new()
                } else {
                    format!("; {} could not be parsed:", notes.unresolved.len())
                }
            );
            for u in notes.unresolved.iter().take(UNUSED_SHOWN) {
                eprintln!("  {} {}: {}  [{}]", u.code, u.note, u.text, u.reason);
            }
            if notes.unresolved.len() > UNUSED_SHOWN {
                eprintln!(
                    "  ... and {} more (medcoder check --notes-report lists them all)",
                    notes.unresolved.len() - UNUSED_SHOWN
                );
            }
        }
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
    }
    if idx.meta().manuals.iter().any(|m| m.system == "cpt") {
        eprintln!("{}", crate::render::AMA_NOTICE);
    }
    Ok(super::EXIT_FOUND)
}
