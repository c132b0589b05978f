//! A Rust program whose heap behaves as Go's does on wasm
//! (`heap_models/go.rs`): it gets memory through Go's `sbrk`, which keeps
//! its own break and takes the pages after it whenever it grows memory,
//! ignoring where `memory.grow` put them (so pages grown by anyone else are
//! taken too), and assumes all of it zero. It runs the workload of
//! `heap_models/workload.rs`, checking the heap after every preview1 call.
//! Argument: `standard` (default) or `heavy`.

#[macro_use]
#[path = "../heap_models/common.rs"]
mod common;
#[path = "../heap_models/go.rs"]
mod go;
#[path = "../heap_models/workload.rs"]
mod workload;

heap_model!(go::Go);

fn main() {
    workload::run(&HEAP);
}
