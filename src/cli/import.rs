//! `medcoder import`: official release files → manual CSV.

use anyhow::Context;
use clap::Subcommand;
use std::fs::File;
use std::io::BufReader;
use std::path::PathBuf;

#[derive(Subcommand, Debug)]
pub enum Args {
    /// The CDC ICD-10-CM tabular list XML (e.g. icd10cm-tabular-April-1-2026.xml).
    Icd10cmTabular {
        /// The XML file.
        xml: PathBuf,
        /// Output CSV (`-` for stdout).
        #[arg(short, long)]
        output: PathBuf,
    },
}

pub fn run(args: Args) -> anyhow::Result<i32> {
    let (entries, output) = match args {
        Args::Icd10cmTabular { xml, output } => {
            let file =
                File::open(&xml).with_context(|| format!("{}: cannot open", xml.display()))?;
            (
                crate::import::icd10cm::import(BufReader::new(file), &xml.display().to_string())?,
                output,
            )
        }
    };
    crate::import::write_manual(&entries, &output)?;
    let codes = entries
        .iter()
        .filter(|e| e.kind == crate::manual::Kind::Code)
        .count();
    let billable = entries.iter().filter(|e| e.billable).count();
    eprintln!(
        "medcoder: wrote {} ({codes} codes, {billable} billable)",
        output.display()
    );
    Ok(super::EXIT_FOUND)
}
