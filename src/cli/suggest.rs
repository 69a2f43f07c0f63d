//! `medcoder suggest`: ranked codes for a phrase, or for every stdin line.

use super::output::{AMA_NOTICE, Format, write_result};
use crate::search::{Scratch, SearchOptions};
use rayon::prelude::*;
use std::io::{BufRead, IsTerminal, Write};

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

/// Queries handled together in pipeline mode (bounded memory, parallel).
const CHUNK: usize = 2048;

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
        let stdin = std::io::stdin();
        let mut input = stdin.lock();
        let mut line_no = 0usize;
        let mut buf = Vec::new();
        if args.format == Format::Json {
            write!(out, "[")?;
        }
        loop {
            let mut chunk: Vec<String> = Vec::with_capacity(CHUNK);
            while chunk.len() < CHUNK {
                buf.clear();
                if input.read_until(b'\n', &mut buf)? == 0 {
                    break;
                }
                line_no += 1;
                while matches!(buf.last(), Some(b'\n' | b'\r')) {
                    buf.pop();
                }
                let line = match String::from_utf8(std::mem::take(&mut buf)) {
                    Ok(s) => s,
                    Err(e) => {
                        eprintln!(
                            "medcoder: <stdin> line {line_no}: invalid UTF-8; the line was read with replacement characters"
                        );
                        errors += 1;
                        String::from_utf8_lossy(e.as_bytes()).into_owned()
                    }
                };
                chunk.push(line);
            }
            if chunk.is_empty() {
                break;
            }
            let results: Vec<_> = chunk
                .par_iter()
                .map_init(Scratch::default, |scratch, q| {
                    matcher.search(q, &opts, scratch)
                })
                .collect();
            for (i, (q, r)) in chunk.iter().zip(&results).enumerate() {
                any |= !r.suggestions.is_empty();
                if !notice && r.suggestions.iter().any(|s| s.system == "cpt") {
                    notice = true;
                    if args.format == Format::Table {
                        writeln!(out, "{AMA_NOTICE}")?;
                    }
                }
                if args.format == Format::Json {
                    if line_no > chunk.len() || i > 0 {
                        write!(out, ",")?;
                    }
                    serde_json::to_writer(
                        &mut out,
                        &super::output::Record {
                            query: q,
                            suggestions: &r.suggestions,
                            coding: &r.coding,
                            route: Some(&r.route),
                        },
                    )?;
                } else {
                    write_result(&mut out, args.format, q, r, args.explain)?;
                }
            }
            if chunk.len() < CHUNK {
                break;
            }
        }
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
