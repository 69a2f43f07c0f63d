//! Integration tests: the real binary on the real bundled manuals.
//! One test binary, one module per area (as ripgrep does).

mod pty;
mod util;

mod batch;
mod books;
mod check;
mod coding;
mod core;
mod faults;
mod iface;
mod language;
mod procedures;
mod releases;
mod safety;
mod semantics;
mod shell;
