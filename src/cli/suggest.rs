//! `medcoder suggest`: ranked codes for a phrase, or for every stdin line.

use crate::render::records::{Format, Printer, SUGGEST_TSV_HEADER};
use crate::render::{AMA_NOTICE, Style, stdout_width, table::write_table};
use crate::search::{Scratch, SearchOptions, SearchResult};
use std::io::{IsTerminal, Write};

/// The options of `medcoder suggest`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The phrase. Without it, and with stdin not a terminal, every stdin
    /// line is a query and gets exactly one result line, in order.
    text: Vec<String>,
    /// How many suggestions (at least 1).
    #[arg(short = 'n', long = "limit", default_value_t = 5,
          value_parser = clap::value_parser!(u16).range(1..))]
    limit: u16,
    /// Output format (see docs/output.md for the machine formats).
    #[arg(short, long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// With `--format tsv`: a first line naming the columns.
    #[arg(long)]
    header: bool,
    /// Search only these systems (icd10cm, icd10pcs, hcpcs, cpt, ...).
    #[arg(short, long = "system", value_delimiter = ',')]
    systems: Vec<String>,
    /// Show why each code scored as it did.
    #[arg(long)]
    explain: bool,
    #[command(flatten)]
    date: super::DateArg,
    /// Longest phrase or stdin line searched, in bytes; a longer line is an
    /// error line (an empty result, a message, exit code 2).
    #[arg(long, default_value_t = crate::lines::DEFAULT_MAX_CELL, value_parser = super::positive)]
    max_cell: usize,
}

/// Where results go: a table for a person, or a machine format.
struct Sink {
    format: Format,
    printer: Printer,
    style: Style,
    width: Option<usize>,
    explain: bool,
    notice: bool,
}

impl Sink {
    fn write<W: Write>(
        &mut self,
        out: &mut W,
        query: &str,
        r: &SearchResult,
    ) -> std::io::Result<()> {
        if !self.notice && r.suggestions.iter().any(|s| s.system == "cpt") {
            self.notice = true;
            if self.format == Format::Table {
                writeln!(out, "{AMA_NOTICE}")?;
            }
        }
        match self.format {
            Format::Table => write_table(out, self.style, self.width, query, r, self.explain),
            _ => self.printer.suggestions(out, query, r),
        }
    }
}

/// Prints suggestions for the phrase or for every stdin line; exit 1 when
/// nothing was found, 2 when a line was not UTF-8.
pub fn run(args: Args, index: Option<&std::path::Path>, color: bool) -> anyhow::Result<i32> {
    let idx = crate::store::open_index(index)?;
    let matcher = super::matcher_for(
        &idx,
        &args.systems,
        super::UnknownSystem::ListKnownAndHowToAdd,
    )?;
    let opts = SearchOptions {
        limit: usize::from(args.limit),
        systems: args.systems,
        explain: args.explain,
        date: Some(args.date.resolve()?),
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let header = (args.header && args.format == Format::Tsv).then_some(SUGGEST_TSV_HEADER);
    let mut sink = Sink {
        format: args.format,
        printer: Printer::new(args.format, header),
        style: Style { color },
        width: stdout_width(),
        explain: args.explain,
        notice: false,
    };
    let mut any = false;
    let mut errors = 0usize;
    if args.text.is_empty() && std::io::stdin().is_terminal() {
        anyhow::bail!(
            "no phrase given: `medcoder suggest \"type 2 diabetes with neuropathy\"`, or pipe one phrase per line"
        );
    }
    sink.printer.start(&mut out)?;
    if !args.text.is_empty() {
        let text = args.text.join(" ");
        if text.len() > args.max_cell {
            anyhow::bail!(
                "the phrase has {} bytes, more than the {} allowed; shorten it or raise --max-cell",
                text.len(),
                args.max_cell
            );
        }
        let r = matcher.search(&text, &opts, &mut Scratch::default());
        any = !r.suggestions.is_empty();
        sink.write(&mut out, &text, &r)?;
    } else {
        crate::batch::lines::search_lines(
            std::io::stdin().lock(),
            args.max_cell,
            &matcher,
            &opts,
            |l| {
                if let Some(len) = l.too_long {
                    eprintln!(
                        "medcoder: <stdin> line {}: {len} bytes, more than the {} allowed; not searched (shorten the line or raise --max-cell)",
                        l.line, args.max_cell
                    );
                    errors += 1;
                } else if l.invalid_utf8 {
                    eprintln!(
                        "medcoder: <stdin> line {}: invalid UTF-8; the line was read with replacement characters",
                        l.line
                    );
                    errors += 1;
                }
                any |= !l.result.suggestions.is_empty();
                sink.write(&mut out, l.query, l.result)
            },
        )?;
    }
    sink.printer.finish(&mut out)?;
    out.flush()?;
    if sink.notice && args.format.is_machine() {
        eprintln!("{AMA_NOTICE}");
    }
    // The process ends here: freeing the matcher's vocabulary (thousands
    // of small strings and their maps) one by one is about a twentieth of
    // a one-phrase call, and the system frees it at exit (as `check` does).
    std::mem::forget(matcher);
    Ok(if errors > 0 {
        super::EXIT_ERROR
    } else if any {
        super::EXIT_FOUND
    } else {
        super::EXIT_NOT_FOUND
    })
}
