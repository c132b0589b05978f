//! The three WASI preview1 → WASI 0.2 adapter modules of
//! `wasi-preview1-adapter`, as byte constants: the API of crates.io's
//! `wasi-preview1-component-adapter-provider`, so that a tool built against
//! that crate takes these adapters when this crate is patched in.
//!
//! Give a constant to `wit_component::ComponentEncoder::adapter` under
//! [`WASI_SNAPSHOT_PREVIEW1_ADAPTER_NAME`] to turn a `wasm32-wasip1` core
//! module into a component. Each module carries its release version in a
//! `version` custom section (`wasm-tools metadata show`).
#![no_std]

/// The import module name preview1 programs use, which is the name the
/// adapter must be given to the encoder.
pub const WASI_SNAPSHOT_PREVIEW1_ADAPTER_NAME: &str = "wasi_snapshot_preview1";

/// For libraries (`_initialize` and exports of their own): the 46 preview1
/// functions on the `wasi:cli/imports` world; the component exports only
/// what the library exports.
pub const WASI_SNAPSHOT_PREVIEW1_REACTOR_ADAPTER: &[u8] = include_bytes!("../artifacts/wasi_snapshot_preview1.reactor.wasm");

/// For programs with `_start`: the reactor's functions plus a
/// `wasi:cli/run` export that calls `_start` (the `wasi:cli/command` world).
pub const WASI_SNAPSHOT_PREVIEW1_COMMAND_ADAPTER: &[u8] = include_bytes!("../artifacts/wasi_snapshot_preview1.command.wasm");

/// For HTTP handlers (`wasi:http/proxy` world): imports only stdio, clocks,
/// random and `wasi:io`; what the world lacks looks absent to the program
/// (no arguments, environment or preopens).
pub const WASI_SNAPSHOT_PREVIEW1_PROXY_ADAPTER: &[u8] = include_bytes!("../artifacts/wasi_snapshot_preview1.proxy.wasm");
