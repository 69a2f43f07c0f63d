//! Releases by date of service: which release of each code system is in
//! effect on a date, and one code table per system whose rows carry the
//! releases they are valid in.
//!
//! ICD-10-CM and ICD-10-PCS releases are fiscal years: release `2027` is
//! in effect from October 1, 2026 to September 30, 2027 (a bundled April
//! update stands for its whole fiscal year). A release labelled `YYYY-MM`
//! (HCPCS quarters) is in effect from the first of that month. A manual
//! with one release is valid on every date. Several releases of a system
//! are merged into one table ([`merge`]) so the index holds each code once
//! with a bit per release; a code whose row changed between releases (a
//! revised title, a billable code become a header) is a row per version.
//! Not for: applying a change file (see [`crate::import::addenda`]).

mod merge;

pub use merge::merge;

use crate::error::Error;
use crate::index::{Index, Meta};
pub use jiff::civil::Date;

/// Validity of a row of a one-release manual: every release.
pub const ALL_RELEASES: u8 = u8::MAX;

/// At most this many releases of one system fit in the per-row bits.
pub const MAX_RELEASES: usize = 8;

/// The first day release `label` of `system` is in effect, when its label
/// says: a fiscal year of ICD-10-CM/PCS, or a `YYYY-MM` quarter.
pub fn effective_from(system: &str, label: &str) -> Option<Date> {
    let year = |s: &str| s.parse::<i16>().ok().filter(|y| (1900..=2200).contains(y));
    if let Some(y) = year(label)
        && matches!(system, "icd10cm" | "icd10pcs")
    {
        return Date::new(y - 1, 10, 1).ok();
    }
    let (y, m) = label.split_once('-')?;
    Date::new(year(y)?, m.parse().ok()?, 1).ok()
}

/// The fiscal year of a date (October 1 starts the next one), as coders
/// name a release: 2026-12-01 → "FY2027".
pub fn fiscal_year(date: Date) -> i16 {
    if date.month() >= 10 {
        date.year() + 1
    } else {
        date.year()
    }
}

/// Reads a date of service written `YYYY-MM-DD`; `what` names where it
/// came from in the error (never the value: it may sit beside patient data).
pub fn parse_date(text: &str, what: &str) -> Result<Date, Error> {
    text.trim()
        .parse::<Date>()
        .ok()
        .filter(|_| text.trim().len() == 10)
        .ok_or_else(|| Error::Date { what: what.into() })
}

/// Today's date where medcoder runs: the date of service when none is given.
pub fn today() -> Date {
    // Without `TZ` the zone is /etc/localtime's: read as TZif it gives the
    // same date; jiff's system zone would first list the whole zoneinfo
    // directory to find its name (a tenth of a cold call), and a date
    // needs no name.
    if std::env::var_os("TZ").is_none()
        && let Ok(data) = std::fs::read("/etc/localtime")
        && let Ok(tz) = jiff::tz::TimeZone::tzif("localtime", &data)
    {
        return jiff::Timestamp::now().to_zoned_datetime(tz).date();
    }
    jiff::ZonedDateTime::now().date()
}

/// Which release of each manual of an index is in effect on one date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InEffect {
    /// Per manual: the release's bit, or `None` when the manual has one release.
    bits: Vec<Option<u8>>,
    /// Per manual: the label of the release in effect.
    labels: Vec<String>,
}

impl InEffect {
    /// The releases in effect on `date`; `None` means the newest of each
    /// manual. A date before a manual's first release takes its first.
    pub fn on(meta: &Meta, date: Option<Date>) -> InEffect {
        let mut bits = Vec::with_capacity(meta.manuals.len());
        let mut labels = Vec::with_capacity(meta.manuals.len());
        for m in &meta.manuals {
            if m.releases.len() <= 1 {
                bits.push(None);
                labels.push(m.version.clone());
                continue;
            }
            let newest = m.releases.len() - 1;
            let i = match date {
                None => newest,
                Some(d) => m
                    .releases
                    .iter()
                    .rposition(|r| effective_from(&m.system, r).is_some_and(|from| from <= d))
                    .unwrap_or(0),
            };
            bits.push(Some(i as u8));
            labels.push(m.releases[i].clone());
        }
        InEffect { bits, labels }
    }

    /// Whether doc `doc` is a code of the release in effect.
    pub fn allows<D: AsRef<[u8]>>(&self, idx: &Index<D>, doc: u32) -> bool {
        let system = idx.doc_system_flags(doc).0;
        match self.bits.get(usize::from(system)).copied().flatten() {
            None => true,
            Some(b) => idx.validity(doc) & (1 << b) != 0,
        }
    }

    /// The label of the release in effect of manual `system` ("2027").
    pub fn version(&self, system: u16) -> &str {
        self.labels
            .get(usize::from(system))
            .map_or("", String::as_str)
    }
}

/// The labels of the releases a row is valid in (all of a one-release
/// manual's), oldest first.
pub fn valid_in(releases: &[String], version: &str, mask: u8) -> Vec<String> {
    if releases.len() <= 1 {
        return vec![version.to_string()];
    }
    releases
        .iter()
        .enumerate()
        .filter(|(i, _)| mask & (1 << i) != 0)
        .map(|(_, r)| r.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn today_is_the_system_zone_date() {
        let before = jiff::ZonedDateTime::now().date();
        let t = today();
        let after = jiff::ZonedDateTime::now().date();
        assert!(t == before || t == after, "{t} not {before} or {after}");
    }

    fn d(s: &str) -> Date {
        parse_date(s, "--date").unwrap()
    }

    #[test]
    fn a_fiscal_year_starts_on_october_first() {
        assert_eq!(effective_from("icd10cm", "2027"), Some(d("2026-10-01")));
        assert_eq!(effective_from("hcpcs", "2025-10"), Some(d("2025-10-01")));
        assert_eq!(effective_from("cpt", "2026"), None);
        assert_eq!(fiscal_year(d("2026-09-30")), 2026);
        assert_eq!(fiscal_year(d("2026-10-01")), 2027);
    }

    #[test]
    fn a_bad_date_names_where_it_came_from_not_its_value() {
        for bad in ["2026-13-01", "2026-02-30", "12/01/2026", "2026-1-1", ""] {
            let err = parse_date(bad, "--date").unwrap_err().to_string();
            assert!(
                err.contains("--date") && err.contains("YYYY-MM-DD"),
                "{err}"
            );
            assert!(bad.is_empty() || !err.contains(bad), "{err}");
        }
    }
}
