//! Link settings of single test programs.
fn main() {
    // The `mem_full_*` programs need a memory that cannot grow past a known
    // size: 8 MiB (Rust's 1 MiB stack and data fit well below).
    for free in 0..=2 {
        println!("cargo:rustc-link-arg-bin=mem_full_{free}=--max-memory=8388608");
    }
}
