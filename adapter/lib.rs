//! A WASI preview1 (`wasi_snapshot_preview1`) implementation on top of WASI 0.2,
//! packaged as a core wasm module for `wit-component`'s `--adapt`.
//!
//! Layout: every preview1 export is a thin `extern "C"` function in the module
//! of its concern; it decodes guest pointers (trapping exactly where native
//! preview1 traps) and calls plain Rust that returns `Result<T, Errno>`.
//! Memory and state rules are explained in `scratch.rs` and `table.rs`.
//!
//! Only the pure logic (`errno`, `guest` arithmetic, `table`) is compiled for
//! the host, where it has unit tests; everything touching wasm is
//! `target_arch = "wasm32"` only.

#![cfg_attr(target_arch = "wasm32", no_std)]
#![allow(clippy::missing_safety_doc)]

#[cfg(not(any(feature = "command", feature = "reactor", feature = "proxy", not(target_arch = "wasm32"))))]
compile_error!("select one variant: --features command, reactor or proxy");

pub mod errno;
pub mod layout;
pub mod slots;
pub mod table;

#[cfg(target_arch = "wasm32")]
mod wasm;

#[cfg(target_arch = "wasm32")]
pub use wasm::*;
