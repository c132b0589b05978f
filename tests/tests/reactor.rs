//! The reactor variant: a library of ours (`tests/reactor`, a wasm32-wasip1
//! cdylib exporting the WIT function `probe`) fused with
//! `dist/wasi_snapshot_preview1.reactor.wasm`, instantiated by the test host,
//! its export called several times; the answers are compared with the same
//! logic run natively as a command (`adapter_tests::reactor_probe`).


use adapter_tests::{engine, fuse, reactor_probe, root};
use wasmtime::component::Component;

#[test]
fn a_library_fused_with_the_reactor_adapter_answers_like_native() {
    let (library, _) = reactor_probe::build();
    let adapter = std::fs::read(root().join("dist/wasi_snapshot_preview1.reactor.wasm")).expect("run ./build.sh first");
    reactor_probe::check_library_component(&fuse(&std::fs::read(&library).unwrap(), &adapter).unwrap());
}

#[test]
fn the_reactor_adapter_does_not_run_start() {
    // A reactor has no `wasi:cli/run` export; fusing a command with it works
    // but the component exports nothing to run.
    let adapter = std::fs::read(root().join("dist/wasi_snapshot_preview1.reactor.wasm")).expect("run ./build.sh first");
    let (library, _) = reactor_probe::build();
    let bytes = fuse(&std::fs::read(&library).unwrap(), &adapter).unwrap();
    let component = Component::new(engine(), bytes).unwrap();
    let exports: Vec<String> = component.component_type().exports(engine()).map(|(name, _)| name.to_string()).collect();
    assert_eq!(exports, ["probe"]);
}
