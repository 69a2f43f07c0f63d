//! `medcoder check`: encoder edits for the codes of an encounter, given as
//! arguments (one encounter) or one encounter per stdin line.

use crate::check::{BadToken, Checker, Report, encounter_codes, parse_encounter};
use crate::index::Index;
use crate::render::records::with_schema_version;
use rayon::prelude::*;
use std::io::{BufRead, IsTerminal, Write};

/// Encounters read from stdin and checked together (bounded memory).
const CHUNK: usize = 1024;

/// Encounters of a chunk one worker checks into one buffer.
const BATCH: usize = 64;

/// The output bytes reserved per encounter of a batch (about what an
/// encounter of 5 codes takes as JSON: the buffer seldom grows).
const LINE_BYTES: usize = 2560;

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
    // Not locked for the run: stdin's output is written by a thread of
    // its own (`check_stdin`).
    let mut out = std::io::BufWriter::new(std::io::stdout());
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
    if args.format == CheckFormat::Json {
        write!(out, "[")?;
    }
    let (any_error, bad) = check_stdin(&checker, args.format, &mut out)?;
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

/// The output of a run of stdin lines, in order, and the stderr line of
/// each bad one.
#[derive(Default)]
struct Checked {
    out: Vec<u8>,
    bad: Vec<String>,
    any_error: bool,
}

/// Checks every stdin line: chunks of [`CHUNK`] lines are read by this
/// thread, checked in [`BATCH`]es by the workers, and written, in order,
/// by a writer thread while the next chunk is checked. Returns (an
/// encounter has an error, a line was bad).
fn check_stdin<D: AsRef<[u8]> + Sync>(
    checker: &Checker<D>,
    format: CheckFormat,
    out: &mut (impl Write + Send),
) -> anyhow::Result<(bool, bool)> {
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    std::thread::scope(|s| {
        // No queue: a chunk is handed over when the writer is done with
        // the one before (two chunks of output in memory at most).
        let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<Checked>>(0);
        let writer = s.spawn(move || -> std::io::Result<(bool, bool)> {
            let (mut any_error, mut bad) = (false, false);
            for checked in rx.iter().flatten() {
                for why in &checked.bad {
                    eprintln!("{why}");
                }
                any_error |= checked.any_error;
                bad |= !checked.bad.is_empty();
                out.write_all(&checked.out)?;
            }
            Ok((any_error, bad))
        });
        let mut first = 1;
        let (mut buf, mut ends) = (Vec::new(), Vec::with_capacity(CHUNK));
        loop {
            buf.clear();
            ends.clear();
            while ends.len() < CHUNK && input.read_until(b'\n', &mut buf)? > 0 {
                ends.push(buf.len());
            }
            if ends.is_empty() {
                break;
            }
            let lines: Vec<&[u8]> = ends
                .iter()
                .scan(0, |start, &end| {
                    let line = &buf[*start..end];
                    *start = end;
                    Some(line)
                })
                .collect();
            let done = lines
                .par_chunks(BATCH)
                .enumerate()
                .map(|(b, part)| {
                    let mut c = Checked {
                        out: Vec::with_capacity(part.len() * LINE_BYTES),
                        ..Checked::default()
                    };
                    for (i, line) in part.iter().enumerate() {
                        check_line(checker, format, first + b * BATCH + i, line, &mut c)?;
                    }
                    Ok(c)
                })
                .collect::<anyhow::Result<Vec<Checked>>>()?;
            first += lines.len();
            // A send fails only when the writer stopped on an error: it
            // is returned below.
            if tx.send(done).is_err() {
                break;
            }
        }
        drop(tx);
        Ok(writer.join().expect("the writer thread does not panic")?)
    })
}

/// Checks stdin line `n` and appends its output (for json, with the comma
/// that separates it from the one before).
fn check_line<D: AsRef<[u8]>>(
    checker: &Checker<D>,
    format: CheckFormat,
    n: usize,
    line: &[u8],
    c: &mut Checked,
) -> anyhow::Result<()> {
    let codes = std::str::from_utf8(line)
        .map_err(|_| "is not UTF-8".to_string())
        .and_then(|line| {
            encounter_codes(line).map_err(|e| {
                format!(
                    "token {} is not a code (3 to 8 letters and digits with an optional dot, e.g. E11.9)",
                    e.position
                )
            })
        });
    match codes {
        Ok(codes) => {
            let report = checker.check(&codes);
            c.any_error |= report.has_error();
            if format == CheckFormat::Json && n > 1 {
                c.out.push(b',');
            }
            write_report(&mut c.out, format, n, &report);
        }
        Err(why) => {
            c.bad.push(format!("medcoder: line {n}: {why}"));
            write_bad(&mut c.out, format, n, &why)?;
        }
    }
    Ok(())
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
fn write_report(out: &mut Vec<u8>, format: CheckFormat, line: usize, report: &Report) {
    match format {
        CheckFormat::Table => {
            out.extend_from_slice(report.render(&format!("line {line}: ")).as_bytes())
        }
        CheckFormat::Json => {
            out.push(b'\n');
            report.write_json(out);
        }
        CheckFormat::Jsonl => {
            report.write_json(out);
            out.push(b'\n');
        }
    }
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
