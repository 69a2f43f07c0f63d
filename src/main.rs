//! The `medcoder` binary: all work is in the library.

/// mimalloc instead of the system allocator: the index build allocates and
/// frees millions of small strings and vectors, and glibc's malloc, free and
/// heap consolidation took a third of its CPU.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(medcoder::cli::main());
}
