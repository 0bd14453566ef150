//! The `buttress` binary: everything happens in `cli`.

fn main() {
    std::process::exit(buttress::cli::main());
}
