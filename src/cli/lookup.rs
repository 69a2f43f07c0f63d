//! `medcoder lookup`: the full detail of codes.

use crate::index::Index;
use crate::lookup::{as_typed, detail, pick};
use crate::release::InEffect;
use std::io::Write;

/// The options of `medcoder lookup`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Codes, with or without the dot, any case (E11.40, e1140).
    #[arg(required = true)]
    codes: Vec<String>,
    /// Output format.
    #[arg(short, long, value_enum, default_value_t = LookupFormat::Table)]
    format: LookupFormat,
    /// Only in this system.
    #[arg(short, long)]
    system: Option<String>,
    #[command(flatten)]
    date: super::DateArg,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum LookupFormat {
    Table,
    Json,
    Jsonl,
}

/// Prints the detail of every code found; exit 1 when any is missing.
pub fn run(args: Args, index: Option<&std::path::Path>) -> anyhow::Result<i32> {
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
            eprintln!("medcoder: {code}: no such code in {}", systems(&idx));
            missing += 1;
        }
        for d in pick(&idx, &docs, &releases) {
            found.push(detail(&idx, d, &releases));
        }
    }
    let cpt = found.iter().any(|d| d.system == "cpt");
    match args.format {
        LookupFormat::Table => {
            if cpt {
                writeln!(out, "{}", super::output::AMA_NOTICE)?;
            }
            for (i, d) in found.iter().enumerate() {
                if i > 0 {
                    writeln!(out)?;
                }
                write!(out, "{}", d.render())?;
            }
        }
        LookupFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &found)?;
            writeln!(out)?;
        }
        LookupFormat::Jsonl => {
            for d in &found {
                serde_json::to_writer(&mut out, d)?;
                writeln!(out)?;
            }
        }
    }
    out.flush()?;
    if cpt && args.format != LookupFormat::Table {
        eprintln!("{}", super::output::AMA_NOTICE);
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
