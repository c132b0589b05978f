//! Everything that runs inside wasm: the preview1 exports and their plumbing.

pub mod trap;
mod fast;
mod globals;
mod guest;
mod memory;
mod host;
mod scratch;
mod descriptors;

mod args_env;
mod files;
mod fs_host;
mod readdir;
mod clocks;
mod random;
mod fd;
mod path;
mod poll;
mod process;
mod sock;
mod preview1;
mod extras;
mod read_write;

use crate::errno::{Errno, Result};

// The encoded WIT world (the `component-type` custom section) that tells
// `wit-component` which WASI 0.2 interfaces this adapter imports and exports.
// The generated bindings themselves are unused: imports are declared by hand
// in `host.rs`, so that every result lands exactly where we decide.
#[allow(dead_code, clippy::all)]
mod world {
    //! Every interface is mapped to `unused` with `with`, so the macro
    //! generates no bindings (and links no runtime), only the world.
    pub mod unused {
        /// Referenced by the (unused) export glue the macro always emits.
        pub fn run_ctors_once() {}
    }
    #[cfg(all(feature = "command", not(feature = "exit-with-code")))]
    wit_bindgen_rust_macro::generate!({ path: "wit", world: "wasi-p1-adapter:worlds/command", runtime_path: "crate::wasm::world::unused", disable_custom_section_link_helpers: true, with: { "wasi:cli/environment@0.2.0": crate::wasm::world::unused, "wasi:cli/exit@0.2.0": crate::wasm::world::unused, "wasi:cli/stdin@0.2.0": crate::wasm::world::unused, "wasi:cli/stdout@0.2.0": crate::wasm::world::unused, "wasi:cli/stderr@0.2.0": crate::wasm::world::unused, "wasi:cli/terminal-input@0.2.0": crate::wasm::world::unused, "wasi:cli/terminal-output@0.2.0": crate::wasm::world::unused, "wasi:cli/terminal-stdin@0.2.0": crate::wasm::world::unused, "wasi:cli/terminal-stdout@0.2.0": crate::wasm::world::unused, "wasi:cli/terminal-stderr@0.2.0": crate::wasm::world::unused, "wasi:clocks/monotonic-clock@0.2.0": crate::wasm::world::unused, "wasi:clocks/wall-clock@0.2.0": crate::wasm::world::unused, "wasi:filesystem/types@0.2.0": crate::wasm::world::unused, "wasi:filesystem/preopens@0.2.0": crate::wasm::world::unused, "wasi:io/error@0.2.0": crate::wasm::world::unused, "wasi:io/poll@0.2.0": crate::wasm::world::unused, "wasi:io/streams@0.2.0": crate::wasm::world::unused, "wasi:random/random@0.2.0": crate::wasm::world::unused, "wasi:cli/run@0.2.0": crate::wasm::world::unused } });
    #[cfg(feature = "exit-with-code")]
    wit_bindgen_rust_macro::generate!({ path: "wit", world: "wasi-p1-adapter:worlds/command-exit-with-code", runtime_path: "crate::wasm::world::unused", disable_custom_section_link_helpers: true, with: { "wasi:cli/environment@0.2.0": crate::wasm::world::unused, "wasi:cli/exit@0.2.0": crate::wasm::world::unused, "wasi:cli/stdin@0.2.0": crate::wasm::world::unused, "wasi:cli/stdout@0.2.0": crate::wasm::world::unused, "wasi:cli/stderr@0.2.0": crate::wasm::world::unused, "wasi:cli/terminal-input@0.2.0": crate::wasm::world::unused, "wasi:cli/terminal-output@0.2.0": crate::wasm::world::unused, "wasi:cli/terminal-stdin@0.2.0": crate::wasm::world::unused, "wasi:cli/terminal-stdout@0.2.0": crate::wasm::world::unused, "wasi:cli/terminal-stderr@0.2.0": crate::wasm::world::unused, "wasi:clocks/monotonic-clock@0.2.0": crate::wasm::world::unused, "wasi:clocks/wall-clock@0.2.0": crate::wasm::world::unused, "wasi:filesystem/types@0.2.0": crate::wasm::world::unused, "wasi:filesystem/preopens@0.2.0": crate::wasm::world::unused, "wasi:io/error@0.2.0": crate::wasm::world::unused, "wasi:io/poll@0.2.0": crate::wasm::world::unused, "wasi:io/streams@0.2.0": crate::wasm::world::unused, "wasi:random/random@0.2.0": crate::wasm::world::unused, "wasi:cli/run@0.2.0": crate::wasm::world::unused, "wasi:cli/exit@0.2.12": crate::wasm::world::unused } });
    #[cfg(all(feature = "reactor", not(feature = "command")))]
    wit_bindgen_rust_macro::generate!({ path: "wit", world: "wasi-p1-adapter:worlds/reactor", runtime_path: "crate::wasm::world::unused", disable_custom_section_link_helpers: true, with: { "wasi:cli/environment@0.2.0": crate::wasm::world::unused, "wasi:cli/exit@0.2.0": crate::wasm::world::unused, "wasi:cli/stdin@0.2.0": crate::wasm::world::unused, "wasi:cli/stdout@0.2.0": crate::wasm::world::unused, "wasi:cli/stderr@0.2.0": crate::wasm::world::unused, "wasi:cli/terminal-input@0.2.0": crate::wasm::world::unused, "wasi:cli/terminal-output@0.2.0": crate::wasm::world::unused, "wasi:cli/terminal-stdin@0.2.0": crate::wasm::world::unused, "wasi:cli/terminal-stdout@0.2.0": crate::wasm::world::unused, "wasi:cli/terminal-stderr@0.2.0": crate::wasm::world::unused, "wasi:clocks/monotonic-clock@0.2.0": crate::wasm::world::unused, "wasi:clocks/wall-clock@0.2.0": crate::wasm::world::unused, "wasi:filesystem/types@0.2.0": crate::wasm::world::unused, "wasi:filesystem/preopens@0.2.0": crate::wasm::world::unused, "wasi:io/error@0.2.0": crate::wasm::world::unused, "wasi:io/poll@0.2.0": crate::wasm::world::unused, "wasi:io/streams@0.2.0": crate::wasm::world::unused, "wasi:random/random@0.2.0": crate::wasm::world::unused } });
    #[cfg(all(feature = "proxy", not(any(feature = "command", feature = "reactor"))))]
    wit_bindgen_rust_macro::generate!({ path: "wit", world: "wasi-p1-adapter:worlds/proxy", runtime_path: "crate::wasm::world::unused", disable_custom_section_link_helpers: true, with: { "wasi:cli/stdin@0.2.0": crate::wasm::world::unused, "wasi:cli/stdout@0.2.0": crate::wasm::world::unused, "wasi:cli/stderr@0.2.0": crate::wasm::world::unused, "wasi:clocks/monotonic-clock@0.2.0": crate::wasm::world::unused, "wasi:clocks/wall-clock@0.2.0": crate::wasm::world::unused, "wasi:io/error@0.2.0": crate::wasm::world::unused, "wasi:io/poll@0.2.0": crate::wasm::world::unused, "wasi:io/streams@0.2.0": crate::wasm::world::unused, "wasi:random/random@0.2.0": crate::wasm::world::unused } });
}

/// Runs one preview1 call: its result becomes the raw errno, and the scratch
/// memory it used is handed back clean (see `scratch.rs`).
#[inline(always)]
fn call(f: impl FnOnce() -> Result<()>) -> u32 {
    let result = f();
    scratch::end_call();
    match result {
        Ok(()) => 0,
        Err(Errno(e)) => e,
    }
}

#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    trap::abort()
}
