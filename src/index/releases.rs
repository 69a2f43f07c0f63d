//! The VALIDITY section: per doc, the releases of its manual it is a code
//! of (see [`crate::release`]). Kept apart from the builder proper.

use super::build::ManualSource;
use crate::release::ALL_RELEASES;

/// One byte per doc, in doc order: the manual's validity bits, or every
/// bit for a manual of one release.
pub fn validity_section(manuals: &[ManualSource]) -> Vec<u8> {
    let mut out = Vec::with_capacity(manuals.iter().map(|m| m.entries.len()).sum());
    for m in manuals {
        if m.validity.len() == m.entries.len() {
            out.extend_from_slice(&m.validity);
        } else {
            out.resize(out.len() + m.entries.len(), ALL_RELEASES);
        }
    }
    out
}
