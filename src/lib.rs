//! medcoder: suggest ICD-10-CM, ICD-10-PCS, HCPCS and CPT codes for
//! free-text clinical phrases, offline.
//!
//! Text flows: manual CSV ([`manual`]) → [`index::build`] (terms through
//! [`text::Analyzer`], vocabulary from [`vocab`]) → an index file read by
//! [`index::Index`] → [`search::Matcher`] (candidates, then scoring, then an
//! explanation) → [`search::Suggestion`]s drawn by [`render`] for the CLI
//! ([`cli`]) and the shell ([`shell`]).
//! See ARCHITECTURE.md.

pub mod batch;
pub mod check;
pub mod cli;
pub mod coding;
pub mod confidence;
pub mod csv_quotes;
pub mod error;
pub mod import;
pub mod index;
pub mod index_paths;
pub mod lines;
pub mod lookup;
pub mod manual;
pub mod outfile;
pub mod release;
pub mod render;
pub mod search;
pub mod shell;
pub mod store;
pub mod text;
pub mod vocab;

pub use error::Error;
