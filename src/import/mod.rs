//! Importers: official release files → the manual CSV format.
//!
//! Each importer turns one published layout into [`Entry`] rows; writing
//! them out is shared ([`write_manual`]). Not for: building the index.

pub mod addenda;
pub mod cdc_index;
pub mod codes_txt;
pub mod hcpcs;
pub mod icd10cm;
pub mod icd10pcs;
pub mod index_books;
pub mod mapped_csv;
pub mod pcs_index;
pub mod pcs_title;
pub mod validate;
pub mod xml;

use crate::error::Error;
use crate::manual::{Entry, ManualWriter};
use std::io::{BufRead, Write};
use std::path::Path;

/// Writes entries to `path` (see [`crate::outfile`]: a temporary file in
/// the same directory, renamed at the end), or to stdout when `path` is `-`.
/// `input` is the file they were imported from: it is never overwritten.
pub fn write_manual(entries: &[Entry], path: &Path, input: &Path) -> Result<(), Error> {
    if path == Path::new("-") {
        return write_entries(std::io::stdout().lock(), "<stdout>", path, entries);
    }
    let inputs = [crate::outfile::Input::Path(input)];
    crate::outfile::write_with(path, &inputs, |file| {
        write_entries(file, &path.display().to_string(), path, entries)
    })
}

/// Writes the header and `entries` to `out`; a CSV error names `name`, a
/// failed flush names `path`.
fn write_entries<W: Write>(
    out: W,
    name: &str,
    path: &Path,
    entries: &[Entry],
) -> Result<(), Error> {
    let mut w = ManualWriter::new(out).map_err(|e| Error::csv(name, &e))?;
    for e in entries {
        w.write(e).map_err(|e| Error::csv(name, &e))?;
    }
    w.finish().map_err(|e| Error::io(path, e))?;
    Ok(())
}

/// The non-blank lines of a text release, numbered from 1 and without their
/// line ends; a line that cannot be read is an error naming it.
fn text_lines<R: BufRead>(
    input: R,
    source: &str,
) -> impl Iterator<Item = Result<(u64, String), Error>> {
    input
        .lines()
        .enumerate()
        .map(move |(i, line)| {
            let line_no = i as u64 + 1;
            let mut line = line.map_err(|e| unreadable_line(source, line_no, &e))?;
            line.truncate(line.trim_end_matches(['\r', '\n']).len());
            Ok((line_no, line))
        })
        .filter(|l| l.as_ref().map_or(true, |(_, line)| !line.trim().is_empty()))
}

/// Line `line_no` of `source` could not be read (most often: not UTF-8).
fn unreadable_line(source: &str, line_no: u64, e: &std::io::Error) -> Error {
    Error::Import {
        file: source.into(),
        message: format!("line {line_no}: {e} (save the file as UTF-8)"),
    }
}

/// A bad `field` on line `line` of `source`.
fn bad_field(source: &str, line: u64, field: &str, message: String) -> Error {
    Error::ManualFormat {
        file: source.into(),
        line,
        field: field.into(),
        message,
    }
}

/// The header row of a CSV release, each name trimmed and without a byte
/// order mark.
fn csv_headers<R: std::io::Read>(
    rdr: &mut csv::Reader<R>,
    source: &str,
) -> Result<Vec<String>, Error> {
    Ok(rdr
        .headers()
        .map_err(|e| Error::csv(source, &e))?
        .iter()
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_string())
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_lines_skip_blank_lines_but_keep_their_numbers() {
        let lines: Vec<(u64, String)> = text_lines("a\r\n\n  \nb\n".as_bytes(), "t")
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(lines, [(1, "a".to_string()), (4, "b".to_string())]);
    }

    #[test]
    fn an_unreadable_line_is_named() {
        let err = text_lines(&b"ok\n\xff\n"[..], "t.txt")
            .find_map(Result::err)
            .unwrap()
            .to_string();
        assert!(err.starts_with("t.txt: line 2: "), "{err}");
        assert!(err.ends_with("(save the file as UTF-8)"), "{err}");
    }
}
