//! The reactor variant: a library of ours (`tests/reactor`, a wasm32-wasip1
//! cdylib exporting the WIT function `probe`) fused with
//! `dist/wasi_snapshot_preview1.reactor.wasm`, instantiated by the test host,
//! its export called several times; the answers are compared with the same
//! logic run natively as a command.


use adapter_tests::{build_wasip1_package, engine, fuse, root, run, scratch_dir, wasi_ctx, ComponentCtx, Runner, Scenario, Status};
use wasmtime::component::{Component, Linker, ResourceTable};
use wasmtime::Store;

/// Builds `tests/reactor` for wasm32-wasip1; returns (library, command).
fn build() -> (std::path::PathBuf, std::path::PathBuf) {
    let out = build_wasip1_package("reactor");
    (out.join("reactor_probe.wasm"), out.join("probe.wasm"))
}

#[test]
fn a_library_fused_with_the_reactor_adapter_answers_like_native() {
    let (library, command) = build();
    let scenario = Scenario::wasm_file(command.clone())
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

    // The component: the reactor adapter, the export called three times.
    let adapter = std::fs::read(root().join("dist/wasi_snapshot_preview1.reactor.wasm")).expect("run ./build.sh first");
    let component = Component::new(engine(), fuse(&std::fs::read(&library).unwrap(), &adapter).unwrap()).unwrap();
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

#[test]
fn the_reactor_adapter_does_not_run_start() {
    // A reactor has no `wasi:cli/run` export; fusing a command with it works
    // but the component exports nothing to run.
    let adapter = std::fs::read(root().join("dist/wasi_snapshot_preview1.reactor.wasm")).expect("run ./build.sh first");
    let (library, _) = build();
    let bytes = fuse(&std::fs::read(&library).unwrap(), &adapter).unwrap();
    let component = Component::new(engine(), bytes).unwrap();
    let exports: Vec<String> = component.component_type().exports(engine()).map(|(name, _)| name.to_string()).collect();
    assert_eq!(exports, ["probe"]);
}
