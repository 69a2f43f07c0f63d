//! `medcoder suggest`: ranked codes for a phrase, or for every stdin line.

use super::output::{AMA_NOTICE, Format, write_result};
use crate::search::{Scratch, SearchOptions};
use std::io::{IsTerminal, Write};

/// The options of `medcoder suggest`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The phrase. Without it, and with stdin not a terminal, every stdin
    /// line is a query and gets exactly one result line, in order.
    text: Vec<String>,
    /// How many suggestions.
    #[arg(short = 'n', long = "limit", default_value_t = 5)]
    limit: usize,
    /// Output format.
    #[arg(short, long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Search only these systems (icd10cm, icd10pcs, hcpcs, cpt, ...).
    #[arg(short, long = "system", value_delimiter = ',')]
    systems: Vec<String>,
    /// Show why each code scored as it did.
    #[arg(long)]
    explain: bool,
}

/// Prints suggestions for the phrase or for every stdin line; exit 1 when
/// nothing was found, 2 when a line was not UTF-8.
pub fn run(args: Args, index: Option<&std::path::Path>) -> anyhow::Result<i32> {
    let idx = crate::store::open_index(index)?;
    let matcher = super::matcher_for(
        &idx,
        &args.systems,
        super::UnknownSystem::ListKnownAndHowToAdd,
    )?;
    let opts = SearchOptions {
        limit: args.limit.max(1),
        systems: args.systems,
        explain: args.explain,
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut notice = false;
    let mut any = false;
    let mut errors = 0usize;
    if !args.text.is_empty() {
        let text = args.text.join(" ");
        let r = matcher.search(&text, &opts, &mut Scratch::default());
        any = !r.suggestions.is_empty();
        notice |= r.suggestions.iter().any(|s| s.system == "cpt");
        if notice && args.format == Format::Table {
            writeln!(out, "{AMA_NOTICE}")?;
        }
        write_result(&mut out, args.format, &text, &r, args.explain)?;
    } else if std::io::stdin().is_terminal() {
        anyhow::bail!(
            "no phrase given: `medcoder suggest \"type 2 diabetes with neuropathy\"`, or pipe one phrase per line"
        );
    } else {
        if args.format == Format::Json {
            write!(out, "[")?;
        }
        crate::batch::lines::search_lines(std::io::stdin().lock(), &matcher, &opts, |l| {
            if l.invalid_utf8 {
                eprintln!(
                    "medcoder: <stdin> line {}: invalid UTF-8; the line was read with replacement characters",
                    l.line
                );
                errors += 1;
            }
            let r = l.result;
            any |= !r.suggestions.is_empty();
            if !notice && r.suggestions.iter().any(|s| s.system == "cpt") {
                notice = true;
                if args.format == Format::Table {
                    writeln!(out, "{AMA_NOTICE}")?;
                }
            }
            if args.format == Format::Json {
                if l.line > 1 {
                    write!(out, ",")?;
                }
                serde_json::to_writer(
                    &mut out,
                    &super::output::Record {
                        query: l.query,
                        suggestions: &r.suggestions,
                        route: Some(&r.route),
                    },
                )?;
                Ok(())
            } else {
                write_result(&mut out, args.format, l.query, r, args.explain)
            }
        })?;
        if args.format == Format::Json {
            writeln!(out, "]")?;
        }
    }
    out.flush()?;
    if notice && args.format != Format::Table {
        eprintln!("{AMA_NOTICE}");
    }
    Ok(if errors > 0 {
        super::EXIT_ERROR
    } else if any {
        super::EXIT_FOUND
    } else {
        super::EXIT_NOT_FOUND
    })
}
