//! `medcoder import`: official release files → manual CSV.

use crate::csv_quotes::QuoteCheck;
use crate::outfile::Input;
use anyhow::Context;
use clap::Subcommand;
use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

/// The release formats `medcoder import` reads, one subcommand each.
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
    /// The CMS ICD-10-PCS tables XML (e.g. icd10pcs_tables_2026.xml): every
    /// row expanded into its 7-character codes, titled the CMS way.
    Icd10pcsTables {
        /// The XML file.
        xml: PathBuf,
        /// Output CSV (`-` for stdout).
        #[arg(short, long)]
        output: PathBuf,
        /// Release label (default: the file's <version>, else the year in its name).
        #[arg(long)]
        version: Option<String>,
    },
    /// A CMS text code list: `CODE description` lines (icd10pcs-codes-2024.txt)
    /// or the fixed-width order file; the layout is detected.
    CodesTxt {
        /// The text file.
        txt: PathBuf,
        /// Output CSV (`-` for stdout).
        #[arg(short, long)]
        output: PathBuf,
        /// Code system id (icd10pcs, icd10cm, ...).
        #[arg(long)]
        system: String,
        /// Release label (e.g. 2024).
        #[arg(long)]
        version: String,
    },
    /// CMS HCPCS Level II: the Code,Description CSV or the ANWEB fixed-width text.
    Hcpcs {
        /// The CSV or text file.
        file: PathBuf,
        /// Output CSV (`-` for stdout).
        #[arg(short, long)]
        output: PathBuf,
        /// Release label (default: the year in the file name).
        #[arg(long)]
        version: Option<String>,
    },
    /// The CMS ICD-10-PCS index XML (icd10pcs_index_YYYY.xml) → a procedure
    /// vocabulary file ("Appendectomy → Resection, Appendix") for
    /// `medcoder build --vocab`. Its name must start with `procedures`.
    PcsIndex {
        /// The XML file.
        xml: PathBuf,
        /// Output vocabulary file, e.g. procedures-pcs-index-2025.tsv.
        #[arg(short, long)]
        output: PathBuf,
    },
    /// Any CSV with a column mapping, e.g. a site's licensed CPT file.
    Csv {
        /// The CSV file.
        file: PathBuf,
        /// Output CSV (`-` for stdout).
        #[arg(short, long)]
        output: PathBuf,
        /// Column holding the code (header name or 1-based number).
        #[arg(long)]
        code_column: String,
        /// Column holding the title.
        #[arg(long)]
        title_column: String,
        /// Column holding synonyms, separated by `|` or `;`.
        #[arg(long)]
        synonyms_column: Option<String>,
        /// Column saying whether the code is billable (Y/N).
        #[arg(long)]
        billable_column: Option<String>,
        /// Code system id (e.g. cpt).
        #[arg(long)]
        system: String,
        /// Release label (e.g. 2026).
        #[arg(long)]
        version: String,
        /// Lines a quoted field may span; more is taken for a quote left open.
        #[arg(long, default_value_t = crate::csv_quotes::DEFAULT_MAX_QUOTED_LINES, value_parser = clap::value_parser!(u64).range(1..))]
        max_quoted_lines: u64,
    },
}

impl Args {
    /// The release file read and the file written.
    fn files(&self) -> (&Path, &Path) {
        match self {
            Args::Icd10cmTabular { xml, output }
            | Args::Icd10pcsTables { xml, output, .. }
            | Args::PcsIndex { xml, output } => (xml, output),
            Args::CodesTxt { txt, output, .. } => (txt, output),
            Args::Hcpcs { file, output, .. } | Args::Csv { file, output, .. } => (file, output),
        }
    }
}

/// `import pcs-index`: writes a vocabulary file, not a manual.
fn pcs_index(xml: &Path, output: &Path) -> anyhow::Result<i32> {
    let file_name = output
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    if !file_name.starts_with("procedures") {
        anyhow::bail!(
            "{}: a procedure vocabulary file's name must start with `procedures` (e.g. procedures-pcs-index.tsv): the name tells `build --vocab` its kind",
            output.display()
        );
    }
    let source = xml.display().to_string();
    let (lines, version) = crate::import::pcs_index::import(open(xml)?, &source)?;
    let text = crate::import::pcs_index::render(&lines, &version, &source);
    crate::outfile::write_bytes(output, &[Input::Path(xml)], text.as_bytes())?;
    eprintln!(
        "medcoder: wrote {} ({} readings); load it with `medcoder build --vocab {}`",
        output.display(),
        lines.len(),
        output.display()
    );
    Ok(super::EXIT_FOUND)
}

fn open(path: &Path) -> anyhow::Result<BufReader<File>> {
    let file = File::open(path).with_context(|| format!("{}: cannot open", path.display()))?;
    Ok(BufReader::new(file))
}

/// Converts the release file, writes the manual CSV and returns the exit code.
pub fn run(args: Args) -> anyhow::Result<i32> {
    use crate::import::{codes_txt, hcpcs, icd10cm, icd10pcs, mapped_csv};
    let name = |p: &Path| p.display().to_string();
    let (input, output) = args.files();
    let input = input.to_path_buf();
    crate::outfile::check_not_input(output, &[Input::Path(&input)])?;
    let (entries, output) = match args {
        Args::PcsIndex { xml, output } => return pcs_index(&xml, &output),
        Args::Icd10cmTabular { xml, output } => {
            (icd10cm::import(open(&xml)?, &name(&xml))?, output)
        }
        Args::Icd10pcsTables {
            xml,
            output,
            version,
        } => (
            icd10pcs::import(open(&xml)?, &name(&xml), version.as_deref())?,
            output,
        ),
        Args::CodesTxt {
            txt,
            output,
            system,
            version,
        } => (
            codes_txt::import(open(&txt)?, &name(&txt), &system, &version)?,
            output,
        ),
        Args::Hcpcs {
            file,
            output,
            version,
        } => {
            let version = version
                .or_else(|| icd10pcs::year_in(&name(&file)))
                .unwrap_or_else(|| "unknown".into());
            (hcpcs::import(open(&file)?, &name(&file), &version)?, output)
        }
        Args::Csv {
            file,
            output,
            code_column,
            title_column,
            synonyms_column,
            billable_column,
            system,
            version,
            max_quoted_lines,
        } => {
            let map = mapped_csv::Mapping {
                code: code_column,
                title: title_column,
                synonyms: synonyms_column,
                billable: billable_column,
                system,
                version,
            };
            (
                mapped_csv::import(
                    QuoteCheck::new(open(&file)?, b',', max_quoted_lines),
                    &name(&file),
                    &map,
                )?,
                output,
            )
        }
    };
    crate::import::write_manual(&entries, &output, &input)?;
    let codes = entries
        .iter()
        .filter(|e| e.kind == crate::manual::Kind::Code)
        .count();
    let billable = entries.iter().filter(|e| e.billable).count();
    eprintln!(
        "medcoder: wrote {} ({codes} codes, {billable} billable)",
        output.display()
    );
    if entries.iter().any(|e| e.system == "cpt") {
        eprintln!("{}", super::output::AMA_NOTICE);
    }
    Ok(super::EXIT_FOUND)
}
