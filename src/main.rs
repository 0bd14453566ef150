//! The `buttress` binary: everything happens in `cli`.

/// mimalloc rather than the system allocator: a run allocates and frees many small values
/// from several threads, where it measured faster (`docs/performance.md`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(buttress::cli::main());
}
