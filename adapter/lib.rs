//! A WASI preview1 (`wasi_snapshot_preview1`) implementation on top of WASI 0.2,
//! packaged as a core wasm module for `wit-component`'s `--adapt`.
//!
//! Layout: `wasm/preview1.rs` declares every preview1 export, a thin
//! `extern "C"` wrapper that calls the implementation in the module of its
//! concern, which decodes guest pointers (trapping exactly where native
//! preview1 traps) and calls plain Rust that returns `Result<T, Errno>`.
//! `abi.rs` holds the preview1 ABI's numbers (flags, enums, record sizes),
//! `canonical.rs` the layout of the WASI 0.2 results the adapter reads.
//! Memory and state rules are explained in `scratch.rs` and `table.rs`.
//! `unsafe` lives at the edges only: the raw loads and stores once in
//! `wasm/memory.rs` (re-exported with their contracts), guest memory in `wasm/guest.rs`, the
//! adapter's own memory in `wasm/scratch.rs` and `wasm/globals.rs`, the
//! imports in `wasm/host.rs` (each behind a safe
//! wrapper), the exports in `wasm/preview1.rs`; the implementation
//! functions are safe (`module_graph.rs` checks it).
//!
//! Only the pure logic (`errno`, `guest` arithmetic, `table`) is compiled for
//! the host, where it has unit tests; everything touching wasm is
//! `target_arch = "wasm32"` only.

#![cfg_attr(target_arch = "wasm32", no_std)]
#![allow(clippy::missing_safety_doc)]
// An `unsafe fn` says what its caller must uphold; the operations inside it
// still each name the reason they are sound, in their own `unsafe` block.
#![deny(unsafe_op_in_unsafe_fn)]

#[cfg(not(any(feature = "command", feature = "reactor", feature = "proxy", not(target_arch = "wasm32"))))]
compile_error!("select one variant: --features command, reactor or proxy");

// The variants' worlds and exports differ (`wasm/mod.rs` picks one world by
// these features): two at once would build an adapter that is neither.
// `exit-with-code` is a kind of command and goes with `command` alone.
#[cfg(any(
    all(feature = "command", feature = "reactor"),
    all(feature = "command", feature = "proxy"),
    all(feature = "reactor", feature = "proxy")
))]
compile_error!("the variant features exclude each other: select one of command, reactor or proxy");

// The raw globals' list, for `wasm/globals.rs` (build.rs reads it too).
#[cfg(target_arch = "wasm32")]
#[macro_use]
mod raw_globals;

// The preview1 exports and the stack window they may use, listed once
// (`wasm/preview1.rs` generates the exports; verify includes the file too).
#[cfg(target_arch = "wasm32")]
#[macro_use]
mod exports;

pub mod abi;
pub mod canonical;
pub mod errno;
pub mod layout;
pub mod packed;
pub mod slots;
pub mod table;

#[cfg(target_arch = "wasm32")]
mod wasm;

#[cfg(test)]
mod canonical_from_wit;
#[cfg(test)]
mod module_graph;

#[cfg(target_arch = "wasm32")]
pub use wasm::*;
