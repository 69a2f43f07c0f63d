//! `medcoder check`: encoder edits for the codes of an encounter, given as
//! arguments (one encounter) or one encounter per stdin line.

use crate::check::{BadToken, Checker, Report, parse_encounter};
use crate::index::Index;
use crate::render::records::with_schema_version;
use rayon::prelude::*;
use std::io::{BufRead, IsTerminal, Write};

/// Encounters checked together from stdin (bounded memory, parallel).
const CHUNK: usize = 4096;

/// The options of `medcoder check`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The codes in claim order, first-listed first (with or without the
    /// dot, any case). Without them, and with stdin not a terminal, every
    /// stdin line is one encounter (codes separated by spaces, commas or
    /// `|`) and gets exactly one result.
    codes: Vec<String>,
    /// Output format.
    #[arg(short, long, value_enum, default_value_t = CheckFormat::Table)]
    format: CheckFormat,
    #[command(flatten)]
    date: super::DateArg,
    /// Instead of checking: how many Excludes1 / Code first / Use
    /// additional / Code also notes of the release cite codes the note
    /// parser resolves, and the list of those it does not.
    #[arg(long, conflicts_with = "codes")]
    notes_report: bool,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum CheckFormat {
    /// For a person: errors first, each with codes, message and source.
    Table,
    /// One JSON document (an object for arguments, an array for stdin).
    Json,
    /// One JSON object per encounter, one per line.
    Jsonl,
}

/// Runs the edits; exit 0 when no encounter has an error-level edit, 1
/// when any has, 2 on bad input (the token or line is named by position).
pub fn run(args: Args, index: Option<&std::path::Path>) -> anyhow::Result<i32> {
    let date = args.date.resolve()?;
    let idx = crate::store::open_index(index)?;
    warn_outside_release(&idx, date);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if args.notes_report {
        return notes_report(&idx, args.format, &mut out);
    }
    let checker = Checker::new(&idx, Some(date));
    if !args.codes.is_empty() {
        let codes = match parse_encounter(&args.codes.join(" ")) {
            Ok(c) => c,
            Err(BadToken { position }) => {
                eprintln!(
                    "medcoder: argument {position} is not a code: a code is 3 to 8 letters and digits with an optional dot (E11.9, s72001a)"
                );
                return Ok(super::EXIT_ERROR);
            }
        };
        let report = checker.check(&codes);
        let value = with_schema_version(serde_json::to_value(&report)?);
        match args.format {
            CheckFormat::Table => write!(out, "{}", report.render(""))?,
            // One array of results, as every command's json is.
            CheckFormat::Json => {
                serde_json::to_writer_pretty(&mut out, &[value])?;
                writeln!(out)?;
            }
            CheckFormat::Jsonl => {
                serde_json::to_writer(&mut out, &value)?;
                writeln!(out)?;
            }
        }
        out.flush()?;
        return Ok(exit(report.has_error()));
    }
    if std::io::stdin().is_terminal() {
        anyhow::bail!(
            "no codes given: `medcoder check E11.9 N18.4`, or pipe one encounter per line"
        );
    }
    let mut any_error = false;
    let mut bad = false;
    let mut buf = Vec::new();
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    let mut line_no = 0usize;
    if args.format == CheckFormat::Json {
        write!(out, "[")?;
    }
    loop {
        let mut chunk: Vec<Vec<u8>> = Vec::with_capacity(CHUNK);
        while chunk.len() < CHUNK {
            buf.clear();
            if input.read_until(b'\n', &mut buf)? == 0 {
                break;
            }
            chunk.push(buf.clone());
        }
        if chunk.is_empty() {
            break;
        }
        let first = line_no + 1;
        // Each encounter is checked and written out by the workers; this
        // thread only copies the bytes out, in order.
        let done: Vec<Result<(bool, Vec<u8>), String>> = chunk
            .par_iter()
            .enumerate()
            .map(|(i, line)| {
                let line = std::str::from_utf8(line).map_err(|_| "is not UTF-8".to_string())?;
                let codes = parse_encounter(line).map_err(|e| {
                    format!(
                        "token {} is not a code (3 to 8 letters and digits with an optional dot, e.g. E11.9)",
                        e.position
                    )
                })?;
                let report = checker.check(&codes);
                let mut bytes = Vec::with_capacity(4096);
                write_report(&mut bytes, args.format, first + i, &report)?;
                Ok((report.has_error(), bytes))
            })
            .collect();
        for result in &done {
            line_no += 1;
            match result {
                Ok((error, bytes)) => {
                    any_error |= error;
                    if args.format == CheckFormat::Json && line_no > 1 {
                        write!(out, ",")?;
                    }
                    out.write_all(bytes)?;
                }
                Err(why) => {
                    eprintln!("medcoder: line {line_no}: {why}");
                    bad = true;
                    write_bad(&mut out, args.format, line_no, why)?;
                }
            }
        }
    }
    if args.format == CheckFormat::Json {
        writeln!(out, "]")?;
    }
    out.flush()?;
    // The process ends here: freeing the resolution of every code seen
    // (tens of thousands of small allocations) would cost more CPU than
    // checking thousands of encounters, and the system frees it at exit.
    std::mem::forget(checker);
    Ok(if bad {
        super::EXIT_ERROR
    } else {
        exit(any_error)
    })
}

fn exit(error: bool) -> i32 {
    if error {
        super::EXIT_NOT_FOUND
    } else {
        super::EXIT_FOUND
    }
}

/// The output of one stdin encounter (for json, without the comma that
/// separates it from the one before).
fn write_report(
    out: &mut Vec<u8>,
    format: CheckFormat,
    line: usize,
    report: &Report,
) -> Result<(), String> {
    let json_err = |e: serde_json::Error| format!("cannot write the result as JSON: {e}");
    match format {
        CheckFormat::Table => {
            out.extend_from_slice(report.render(&format!("line {line}: ")).as_bytes())
        }
        CheckFormat::Json => {
            out.push(b'\n');
            report.write_json(&mut *out).map_err(json_err)?;
        }
        CheckFormat::Jsonl => {
            report.write_json(&mut *out).map_err(json_err)?;
            out.push(b'\n');
        }
    }
    Ok(())
}

/// A bad stdin line still gets its output line, with `error`.
fn write_bad<W: Write>(
    out: &mut W,
    format: CheckFormat,
    line: usize,
    why: &str,
) -> anyhow::Result<()> {
    let value = with_schema_version(
        serde_json::json!({"codes": [], "edits": [], "error": format!("line {line}: {why}")}),
    );
    match format {
        CheckFormat::Table => writeln!(out, "line {line}: error: {why}")?,
        CheckFormat::Json => {
            if line > 1 {
                write!(out, ",")?;
            }
            writeln!(out)?;
            serde_json::to_writer(&mut *out, &value)?;
        }
        CheckFormat::Jsonl => {
            serde_json::to_writer(&mut *out, &value)?;
            writeln!(out)?;
        }
    }
    Ok(())
}

/// A date after the newest bundled ICD-10-CM release's fiscal year is said
/// on stderr (the newest release is checked against).
fn warn_outside_release<D: AsRef<[u8]>>(idx: &Index<D>, date: crate::release::Date) {
    let fiscal = crate::release::fiscal_year(date);
    let newest =
        |m: &crate::index::ManualInfo| m.releases.last().unwrap_or(&m.version).parse::<i16>().ok();
    for manual in idx.meta().manuals.iter().filter(|m| m.system == "icd10cm") {
        if newest(manual).is_some_and(|n| n < fiscal) {
            eprintln!(
                "medcoder: note: the date falls in fiscal year {fiscal}, but the newest release is {}; checking against it",
                manual.label()
            );
        }
    }
}

fn notes_report<D: AsRef<[u8]>, W: Write>(
    idx: &Index<D>,
    format: CheckFormat,
    out: &mut W,
) -> anyhow::Result<i32> {
    let r = crate::check::notes::note_report(idx);
    if format != CheckFormat::Table {
        serde_json::to_writer_pretty(&mut *out, &r)?;
        writeln!(out)?;
        return Ok(super::EXIT_FOUND);
    }
    writeln!(
        out,
        "note            cite codes  resolved  share    prose only"
    )?;
    for (name, c) in [
        ("Excludes1", &r.excludes1),
        ("Code first", &r.code_first),
        ("Use additional", &r.use_additional),
        ("Code also", &r.code_also),
    ] {
        let share = if c.citing == 0 {
            100.0
        } else {
            100.0 * c.resolved as f64 / c.citing as f64
        };
        writeln!(
            out,
            "{name:<15} {:>10}  {:>8}  {share:>5.1}%  {:>10}",
            c.citing, c.resolved, c.prose
        )?;
    }
    writeln!(out, "all             {:>30.1}%", 100.0 * r.share())?;
    writeln!(out, "\nnot resolved ({}):", r.unresolved.len())?;
    for u in &r.unresolved {
        writeln!(
            out,
            "  {:<8} {:<14} {}  [{}]",
            u.code, u.note, u.text, u.reason
        )?;
    }
    Ok(super::EXIT_FOUND)
}
