//! Importers: official release files → the manual CSV format.
//!
//! Each importer turns one published layout into [`Entry`] rows; writing
//! them out is shared ([`write_manual`]). Not for: building the index.

pub mod codes_txt;
pub mod hcpcs;
pub mod icd10cm;
pub mod icd10pcs;
pub mod mapped_csv;
pub mod xml;

use crate::error::Error;
use crate::manual::{Entry, ManualWriter};
use std::path::Path;

/// Writes entries to `path` atomically (a temporary file in the same
/// directory, renamed at the end), or to stdout when `path` is `-`.
pub fn write_manual(entries: &[Entry], path: &Path) -> Result<(), Error> {
    if path == Path::new("-") {
        let stdout = std::io::stdout();
        let mut w = ManualWriter::new(stdout.lock()).map_err(|e| Error::csv("<stdout>", &e))?;
        for e in entries {
            w.write(e).map_err(|e| Error::csv("<stdout>", &e))?;
        }
        let _ = w.finish().map_err(|e| Error::io(path, e))?;
        return Ok(());
    }
    crate::atomic::write_with(path, |file| {
        let mut w =
            ManualWriter::new(file).map_err(|e| Error::csv(&path.display().to_string(), &e))?;
        for e in entries {
            w.write(e)
                .map_err(|e| Error::csv(&path.display().to_string(), &e))?;
        }
        w.finish().map_err(|e| Error::io(path, e))?;
        Ok(())
    })
}
