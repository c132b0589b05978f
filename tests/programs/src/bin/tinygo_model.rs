//! A Rust program whose heap behaves as TinyGo's does on wasm
//! (`heap_models/tinygo.rs`): it claims all memory from `__heap_base` to
//! `memory.size` at its first allocation, keeps its block states at the top
//! of the heap, allocates next-fit across the whole heap, and grows by
//! doubling memory, taking in every page grown by anyone since and assuming
//! them zero. It runs the workload of `heap_models/workload.rs`, checking
//! the heap after every preview1 call. Argument: `standard` (default) or
//! `heavy`.

#[macro_use]
#[path = "../heap_models/common.rs"]
mod common;
#[path = "../heap_models/tinygo.rs"]
mod tinygo;
#[path = "../heap_models/workload.rs"]
mod workload;

heap_model!(tinygo::TinyGo);

fn main() {
    workload::run(&HEAP);
}
