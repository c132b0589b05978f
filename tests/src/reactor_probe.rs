//! Our library for the reactor variant (`tests/reactor`, a wasm32-wasip1
//! cdylib exporting the WIT function `probe`), and the check that a
//! component made of it answers as the same logic does natively, run as a
//! command (`probe.wasm`, one line per call).

use std::path::PathBuf;

use wasmtime::component::{Component, Linker, ResourceTable};
use wasmtime::Store;

use crate::{build_wasip1_package, engine, run, scratch_dir, wasi_ctx, ComponentCtx, Runner, Scenario, Status};

/// Builds `tests/reactor` for wasm32-wasip1; returns (library, command).
pub fn build() -> (PathBuf, PathBuf) {
    let out = build_wasip1_package("reactor");
    (out.join("reactor_probe.wasm"), out.join("probe.wasm"))
}

/// Instantiates `component` (the library made a component) in both blocking
/// modes, calls its `probe` export three times in each, and asserts every
/// answer is the line the command prints natively for that call.
pub fn check_library_component(component: &[u8]) {
    let (_, command) = build();
    let scenario = Scenario::wasm_file(command)
        .args(["data.txt", "GREETING"])
        .env([("GREETING", "hello from the environment")])
        .file("data.txt", "contents of the preopened file\n");

    // Native: the same logic as a command, one line per call.
    let native = run(&scenario, Runner::Native, true).unwrap();
    assert_eq!(native.status, Status::Exit(0));
    let expected: Vec<String> = String::from_utf8_lossy(&native.stdout).lines().map(str::to_string).collect();
    assert_eq!(expected.len(), 3);
    assert!(expected[0].contains("contents of the preopened file"), "{expected:?}");
    assert!(expected[0].contains("hello from the environment"), "{expected:?}");

    // The component: the export called three times.
    let component = Component::new(engine(), component).unwrap();
    let mut linker = Linker::<ComponentCtx>::new(engine());
    wasmtime_wasi::p2::add_to_linker_sync(&mut linker).unwrap();
    for blocking in [true, false] {
        let dir = scratch_dir(&scenario.dirs, &scenario.files);
        let (mut builder, _stdout, _stderr) = wasi_ctx(&scenario, &dir, blocking).unwrap();
        let mut store = Store::new(engine(), ComponentCtx { wasi: builder.build(), table: ResourceTable::new() });
        let instance = linker.instantiate(&mut store, &component).unwrap();
        let probe = instance.get_typed_func::<(u32, &str, &str), (String,)>(&mut store, "probe").unwrap();
        for (call, want) in expected.iter().enumerate() {
            let (got,) = probe.call(&mut store, (call as u32, "data.txt", "GREETING")).unwrap();
            assert_eq!(&got, want, "call {call} (allow_blocking_current_thread={blocking})");
        }
        std::fs::remove_dir_all(&dir).ok();
    }
}
