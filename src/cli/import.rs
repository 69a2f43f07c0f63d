//! `medcoder import`: official release files → manual CSV.

use crate::csv_quotes::QuoteCheck;
use crate::import::index_books::BookKind;
use crate::import::validate::CodeSet;
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
    /// The CMS ICD-10-CM code addenda (icd10cm_codes_addenda_2027.txt)
    /// applied to the previous release's manual CSV → the next release.
    Icd10cmAddenda(AddendaArgs),
    /// The CMS ICD-10-PCS code addenda (icd10pcs_codes_addenda_2027.txt)
    /// applied to the previous release's manual CSV → the next release.
    Icd10pcsAddenda(AddendaArgs),
    /// The CMS ICD-10-PCS index XML (icd10pcs_index_YYYY.xml) → a procedure
    /// vocabulary file ("Appendectomy → Resection, Appendix") for
    /// `medcoder build --vocab` (its first line declares it a procedures file).
    PcsIndex {
        /// The XML file.
        xml: PathBuf,
        /// Output vocabulary file, e.g. procedures-pcs-index-2025.tsv.
        #[arg(short, long)]
        output: PathBuf,
    },
    /// The CDC ICD-10-CM Alphabetic Index or External Cause Index XML
    /// (icd-10-cm-eindex-2025.xml) → index paths naming codes ("Struck by,
    /// object, falling" → W20.8), `see` references followed, for `medcoder
    /// build --index-paths`.
    Icd10cmIndex(BookArgs),
    /// The CDC Table of Drugs and Chemicals XML (icd-10-cm-drug-2025.xml) →
    /// one index path per substance and intent ("Naproxen, adverse effect").
    Icd10cmDrug(BookArgs),
    /// The CDC Table of Neoplasms XML (icd-10-cm-neoplasm-2025.xml) → one
    /// index path per site and behaviour ("kidney, carcinoma in situ").
    Icd10cmNeoplasm(BookArgs),
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

/// The files of an addenda import.
#[derive(clap::Args, Debug)]
pub struct AddendaArgs {
    /// The change file (CMS `*_codes_addenda_YYYY.txt`).
    changes: PathBuf,
    /// The previous release as a manual CSV (e.g. data/icd10cm-2026.csv).
    #[arg(long)]
    previous: PathBuf,
    /// Output CSV (`-` for stdout).
    #[arg(short, long)]
    output: PathBuf,
    /// Release label of the result (default: the year in the change file's name).
    #[arg(long)]
    version: Option<String>,
}

/// `import icd10cm-addenda` / `icd10pcs-addenda`: writes the next release
/// and says what the structure implied.
fn addenda(args: &AddendaArgs, layout: crate::import::addenda::Layout) -> anyhow::Result<i32> {
    use crate::import::addenda;
    let changes_name = args.changes.display().to_string();
    let version = args
        .version
        .clone()
        .or_else(|| crate::import::icd10pcs::year_in(&changes_name))
        .ok_or_else(|| {
            anyhow::anyhow!(
                "{changes_name}: no year in the file name; give the release with --version"
            )
        })?;
    crate::outfile::check_not_input(
        &args.output,
        &[Input::Path(&args.changes), Input::Path(&args.previous)],
    )?;
    let changes = addenda::read_changes(open(&args.changes)?, &changes_name)?;
    let previous = crate::manual::read_manual(
        &args.previous,
        layout.system(),
        "unknown",
        crate::csv_quotes::DEFAULT_MAX_QUOTED_LINES,
    )?;
    let from = previous
        .first()
        .map(|e| e.version.clone())
        .unwrap_or_default();
    let (entries, report) = addenda::apply(previous, &changes, layout, &version, &changes_name)?;
    crate::import::write_manual(&entries, &args.output, &args.changes)?;
    let list = |v: &[String]| v.join(" ");
    eprintln!(
        "medcoder: wrote {} ({} {from} → {version}: {} added, {} deleted, {} revised; billable {} → {})",
        args.output.display(),
        layout.system(),
        report.added,
        report.deleted,
        report.revised,
        report.billable.0,
        report.billable.1
    );
    eprintln!(
        "  {} deleted codes became headers of new codes: {}",
        report.deleted_to_headers.len(),
        list(&report.deleted_to_headers)
    );
    eprintln!(
        "  {} headers implied by new codes were created: {}",
        report.implied_headers.len(),
        list(&report.implied_headers)
    );
    eprintln!(
        "  {} headers left without codes were removed: {}",
        report.emptied_headers.len(),
        list(&report.emptied_headers)
    );
    if !report.revisions_not_found.is_empty() {
        eprintln!(
            "  {} revised codes are not in the previous release (not applied): {}",
            report.revisions_not_found.len(),
            list(&report.revisions_not_found)
        );
    }
    if !report.revisions_from_other_title.is_empty() {
        eprintln!(
            "  {} revisions replace a title other than the file's `Revise from:` (applied): {}",
            report.revisions_from_other_title.len(),
            list(&report.revisions_from_other_title)
        );
    }
    for (n, name) in &changes.code_counts {
        eprintln!("  the change file counts {n} codes in {name}");
    }
    Ok(super::EXIT_FOUND)
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
            Args::Icd10cmAddenda(a) | Args::Icd10pcsAddenda(a) => (&a.changes, &a.output),
            Args::Icd10cmIndex(b) | Args::Icd10cmDrug(b) | Args::Icd10cmNeoplasm(b) => {
                (&b.xml, &b.output)
            }
        }
    }
}

/// The arguments of the index-book importers.
#[derive(clap::Args, Debug)]
pub struct BookArgs {
    /// The XML file.
    xml: PathBuf,
    /// Output index-path file (`-` for stdout), e.g. icd10cm-index-2026.tsv.
    #[arg(short, long)]
    output: PathBuf,
    /// The ICD-10-CM manual CSV the codes are checked against (default: the
    /// newest bundled ICD-10-CM release). A code it lacks is replaced by its
    /// only child, else dropped.
    #[arg(long, value_name = "MANUAL_CSV")]
    against: Option<PathBuf>,
}

/// `import icd10cm-index|drug|neoplasm`: writes an index-path file.
fn index_book(kind: BookKind, args: BookArgs) -> anyhow::Result<i32> {
    let (entries, release) = match &args.against {
        Some(path) => {
            let entries = crate::manual::read_manual(
                path,
                "icd10cm",
                "unknown",
                crate::csv_quotes::DEFAULT_MAX_QUOTED_LINES,
            )?;
            let release = entries
                .first()
                .map(|e| e.version.clone())
                .unwrap_or_default();
            (entries, release)
        }
        None => crate::store::first_bundled("icd10cm")?,
    };
    let source = args.xml.display().to_string();
    let book = crate::import::cdc_index::read(open(&args.xml)?, &source)?;
    let got = crate::import::index_books::import(&book, kind, &CodeSet::new(&entries), &source)?;
    let file = args
        .xml
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or(source);
    let (f, v) = (&got.flatten, &got.validation);
    let header = [
        format!(
            "medcoder index paths, from {file} (release {}) by `medcoder {}`",
            got.version,
            kind.command()
        ),
        format!(
            "{} main terms, {} subterms; {} see/see-also references followed, {} to another book or not found",
            f.main_terms, f.subterms, f.references_followed, f.references_unresolved
        ),
        format!(
            "codes checked against icd10cm {release}: {} kept, {} replaced by their only child, {} dropped",
            v.kept, v.replaced, v.dropped
        ),
        format!("{} index paths", got.names.len()),
    ];
    let text = crate::index_paths::render(&header, &got.names);
    if args.output == Path::new("-") {
        print!("{text}");
    } else {
        crate::outfile::write_bytes(&args.output, &[Input::Path(&args.xml)], text.as_bytes())?;
    }
    for h in &header[1..] {
        eprintln!("medcoder: {h}");
    }
    eprintln!(
        "medcoder: wrote {}; load it with `medcoder build --index-paths {}`",
        args.output.display(),
        args.output.display()
    );
    Ok(super::EXIT_FOUND)
}

/// `import pcs-index`: writes a vocabulary file, not a manual.
fn pcs_index(xml: &Path, output: &Path) -> anyhow::Result<i32> {
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
        Args::Icd10cmAddenda(a) => return addenda(&a, crate::import::addenda::Layout::Icd10cm),
        Args::Icd10pcsAddenda(a) => return addenda(&a, crate::import::addenda::Layout::Icd10pcs),
        Args::Icd10cmIndex(a) => return index_book(BookKind::Index, a),
        Args::Icd10cmDrug(a) => return index_book(BookKind::Drug, a),
        Args::Icd10cmNeoplasm(a) => return index_book(BookKind::Neoplasm, a),
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
        eprintln!("{}", crate::render::AMA_NOTICE);
    }
    Ok(super::EXIT_FOUND)
}
