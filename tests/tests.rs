//! Integration tests: the real binary on the real bundled manuals.
//! One test binary, one module per area (as ripgrep does).

mod pty;
mod util;

mod batch;
mod coding;
mod core;
mod language;
mod procedures;
mod shell;
