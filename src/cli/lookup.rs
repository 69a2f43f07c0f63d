//! `medcoder lookup`: the full detail of codes.

use crate::index::Index;
use crate::lookup::{as_typed, closest, detail, pick};
use crate::release::InEffect;
use crate::render::records::{Format, LOOKUP_TSV_HEADER, Printer};
use crate::render::{AMA_NOTICE, Style, detail::write_detail};
use std::io::Write;

/// How many near codes "no such code" offers.
const CLOSEST: usize = 3;

/// The options of `medcoder lookup`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Codes, with or without the dot, any case (E11.40, e1140).
    #[arg(required = true)]
    codes: Vec<String>,
    /// Output format (see docs/output.md for the machine formats).
    #[arg(short, long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// With `--format tsv`: a first line naming the columns.
    #[arg(long)]
    header: bool,
    /// Only in this system.
    #[arg(short, long)]
    system: Option<String>,
    #[command(flatten)]
    date: super::DateArg,
}

/// Prints the detail of every code found; exit 1 when any is missing.
pub fn run(args: Args, index: Option<&std::path::Path>, color: bool) -> anyhow::Result<i32> {
    let idx = crate::store::open_index(index)?;
    let releases = InEffect::on(idx.meta(), Some(args.date.resolve()?));
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut missing = 0;
    let mut found = Vec::new();
    for code in &args.codes {
        let docs: Vec<u32> = as_typed(&idx, code, idx.find_code(code))
            .into_iter()
            .filter(|d| {
                args.system
                    .as_ref()
                    .is_none_or(|s| idx.manual(idx.doc(*d).system).system == *s)
            })
            .collect();
        if docs.is_empty() {
            let near = closest(&idx, code, CLOSEST);
            let hint = if near.is_empty() {
                String::new()
            } else {
                format!("; closest: {}", near.join(", "))
            };
            eprintln!("medcoder: {code}: no such code in {}{hint}", systems(&idx));
            missing += 1;
        }
        for d in pick(&idx, &docs, &releases) {
            found.push(detail(&idx, d, &releases));
        }
    }
    let cpt = found.iter().any(|d| d.system == "cpt");
    if args.format == Format::Table {
        if cpt {
            writeln!(out, "{AMA_NOTICE}")?;
        }
        for (i, d) in found.iter().enumerate() {
            if i > 0 {
                writeln!(out)?;
            }
            write_detail(&mut out, Style { color }, d, true)?;
        }
    } else {
        let header = (args.header && args.format == Format::Tsv).then_some(LOOKUP_TSV_HEADER);
        let mut printer = Printer::new(args.format, header);
        printer.start(&mut out)?;
        for d in &found {
            printer.detail(&mut out, d)?;
        }
        printer.finish(&mut out)?;
    }
    out.flush()?;
    if cpt && args.format.is_machine() {
        eprintln!("{AMA_NOTICE}");
    }
    Ok(if missing > 0 {
        super::EXIT_NOT_FOUND
    } else {
        super::EXIT_FOUND
    })
}

fn systems<D: AsRef<[u8]>>(idx: &Index<D>) -> String {
    idx.meta()
        .manuals
        .iter()
        .map(|m| m.label())
        .collect::<Vec<_>>()
        .join(", ")
}
