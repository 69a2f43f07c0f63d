//! The `medcoder` binary: all work is in the library.

fn main() {
    std::process::exit(medcoder::cli::main());
}
