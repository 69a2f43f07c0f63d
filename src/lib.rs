//! medcoder: suggest ICD-10-CM, ICD-10-PCS, HCPCS and CPT codes for
//! free-text clinical phrases, offline.
//!
//! Text flows: manual CSV ([`manual`]) → [`index::build`] (terms through
//! [`text::Analyzer`], vocabulary from [`vocab`]) → an index file read by
//! [`index::Index`] → [`search::Matcher`] (candidates, then scoring, then an
//! explanation) → [`search::Suggestion`]s printed by the CLI ([`cli`]).
//! See ARCHITECTURE.md.

pub mod batch;
pub mod cli;
pub mod coding;
pub mod confidence;
pub mod csv_quotes;
pub mod error;
pub mod import;
pub mod index;
pub mod lookup;
pub mod manual;
pub mod outfile;
pub mod search;
pub mod shell;
pub mod store;
pub mod text;
pub mod vocab;

pub use error::Error;
