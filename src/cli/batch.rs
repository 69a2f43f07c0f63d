//! `medcoder batch`: code every row of an encounter CSV (see
//! [`crate::batch`] for the output layouts). Exit codes: 0 rows coded, 1
//! nothing coded, 2 a row had an error (reported on stderr by line) or the
//! run failed.

use crate::batch::{self, Event, Format, Options, Summary};
use crate::outfile::Input;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The options of `medcoder batch`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The encounter CSV; `-` reads stdin.
    input: PathBuf,
    /// The diagnosis column: a header name or a 1-based number.
    #[arg(short, long)]
    column: String,
    /// Write here (atomically: a temporary file renamed at the end) instead
    /// of stdout (`-`).
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Output format.
    #[arg(short, long, value_enum, default_value_t = Format::Csv)]
    format: Format,
    /// How many alternative codes after the best one.
    #[arg(short = 'n', long, default_value_t = 3, value_parser = super::alternative_count)]
    alternatives: usize,
    /// Rows whose best score is below this need review.
    #[arg(long, default_value_t = 0.5, value_parser = super::unit_score)]
    min_score: f32,
    /// Split cells into several diagnoses on this separator (e.g. ';').
    #[arg(long)]
    split: Option<String>,
    /// Field delimiter: one character, or `tab`.
    #[arg(short, long, default_value = ",")]
    delimiter: String,
    /// The file has no header row (give --column as a number).
    #[arg(long)]
    no_header: bool,
    /// Longest diagnosis cell accepted, in bytes; longer ones are row errors.
    #[arg(long, default_value_t = batch::DEFAULT_MAX_CELL, value_parser = super::positive)]
    max_cell: usize,
    /// Lines a quoted field may span; more is taken for a quote left open
    /// (an error naming the line where it opened).
    #[arg(long, default_value_t = crate::csv_quotes::DEFAULT_MAX_QUOTED_LINES, value_parser = clap::value_parser!(u64).range(1..))]
    max_quoted_lines: u64,
    /// Search only these systems (icd10cm, icd10pcs, hcpcs, cpt, ...).
    #[arg(short, long = "system", value_delimiter = ',')]
    systems: Vec<String>,
    #[command(flatten)]
    date: super::DateArg,
    /// The column holding each row's date of service (YYYY-MM-DD; a header
    /// name or a 1-based number): each row is coded with the release in
    /// effect then; a cell that is not a date is a row error.
    #[arg(long, value_name = "NAME")]
    date_column: Option<String>,
    /// Append an `edits` column: the kinds of the encoder edits (as
    /// `medcoder check`) of the codes assigned, `;`-separated; a `--split`
    /// row is one encounter.
    #[arg(long)]
    check: bool,
    /// Append an `edits` column for the codes a site already has in this
    /// column (a header name or 1-based number; codes separated by spaces,
    /// commas or `|`).
    #[arg(long, value_name = "NAME", conflicts_with = "check")]
    check_column: Option<String>,
    /// Put this before an appended column name (code, title, ...) that an
    /// input column already has.
    #[arg(long, default_value = batch::write::DEFAULT_PREFIX)]
    prefix: String,
}

/// Codes the input file and returns the exit code (see the module doc).
pub fn run(args: Args, index: Option<&Path>) -> anyhow::Result<i32> {
    let delimiter = match args.delimiter.as_str() {
        "tab" | "\\t" => b'\t',
        d if d.len() == 1 => d.as_bytes()[0],
        d => anyhow::bail!("--delimiter must be one ASCII character or `tab`, not '{d}'"),
    };
    let stdin = args.input.as_os_str() == "-";
    let source_name = if stdin {
        "<stdin>".to_string()
    } else {
        args.input.display().to_string()
    };
    let (input, size): (Box<dyn std::io::Read>, Option<u64>) = if stdin {
        (Box::new(std::io::stdin().lock()), None)
    } else {
        let f = std::fs::File::open(&args.input).map_err(|e| crate::Error::io(&args.input, e))?;
        let size = f.metadata().ok().map(|m| m.len());
        (Box::new(f), size)
    };
    let inputs = [if stdin {
        Input::Stdin
    } else {
        Input::Path(&args.input)
    }];
    if let Some(path) = &args.output {
        crate::outfile::check_not_input(path, &inputs)?;
    }
    let idx = crate::store::open_index(index)?;
    let matcher = super::matcher_for(&idx, &args.systems, super::UnknownSystem::ListKnown)?;
    let opts = Options {
        column: args.column,
        delimiter,
        has_header: !args.no_header,
        format: args.format,
        alternatives: args.alternatives,
        min_score: args.min_score,
        split: args.split,
        check: args.check,
        check_column: args.check_column,
        max_cell: args.max_cell,
        max_quoted_lines: args.max_quoted_lines,
        systems: args.systems,
        date: args.date.resolve()?,
        date_column: args.date_column,
        prefix: args.prefix,
    };
    let bar = progress_bar(size);
    let started = Instant::now();
    let mut on_event = |e: Event| match e {
        Event::RowError { line, message } => {
            bar.suspend(|| eprintln!("medcoder: {source_name}: line {line}: {message}"))
        }
        Event::Progress { rows, bytes } => {
            bar.set_position(if size.is_some() { bytes } else { rows });
            let secs = started.elapsed().as_secs_f64().max(1e-9);
            bar.set_message(format!("{rows} rows, {:.0} rows/s", rows as f64 / secs));
        }
    };
    let summary = match args.output.as_ref().filter(|p| p.as_os_str() != "-") {
        Some(path) => crate::outfile::write_with(path, &inputs, |w| {
            batch::run(
                &matcher,
                input,
                &source_name,
                w,
                &path.display().to_string(),
                &opts,
                &mut on_event,
            )
        })?,
        None => {
            let mut out = std::io::stdout().lock();
            batch::run(
                &matcher,
                input,
                &source_name,
                &mut out,
                "<stdout>",
                &opts,
                &mut on_event,
            )?
        }
    };
    bar.finish_and_clear();
    eprintln!("medcoder: {}", summary_line(&summary, started.elapsed()));
    Ok(if summary.errors > 0 {
        super::EXIT_ERROR
    } else if summary.coded == 0 {
        super::EXIT_NOT_FOUND
    } else {
        super::EXIT_FOUND
    })
}

/// A bar on stderr when it is a terminal; hidden otherwise. It counts input
/// bytes when the input size is known (so it has an ETA), else rows.
fn progress_bar(size: Option<u64>) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = match size {
        Some(len) => ProgressBar::new(len).with_style(
            ProgressStyle::with_template("{bar:30} {percent:>3}% {msg}, ETA {eta}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        ),
        None => ProgressBar::new_spinner().with_style(
            ProgressStyle::with_template("{spinner} {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        ),
    };
    bar.set_draw_target(ProgressDrawTarget::stderr());
    bar.set_message("0 rows");
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}

fn summary_line(s: &Summary, elapsed: Duration) -> String {
    let secs = elapsed.as_secs_f64();
    format!(
        "batch: {} rows, {} coded, {} need review, {} empty, {} errors, {:.1} s, {:.0} rows/s",
        s.rows,
        s.coded,
        s.needs_review,
        s.empty,
        s.errors,
        secs,
        s.rows as f64 / secs.max(1e-9)
    )
}
