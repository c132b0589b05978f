//! Programs whose memory is full but for 0, 1 or 2 pages when they first
//! call preview1 (`tests/programs/src/mem_full/common.rs`; the memory has a
//! declared maximum of 8 MiB). Natively the host keeps all state, so every
//! call works. An adapter has only the program's memory: ours grows one page
//! at the first call (stack window and scratch) and keeps its descriptors in
//! wasm globals, so that page is all it needs.

use adapter_tests::jco::differs;
use adapter_tests::{check, run, Runner, Scenario, Status};

fn scenario(program: &'static str) -> Scenario {
    // It stats and lists the preopen itself (tests/tests/jco_host.rs).
    Scenario::rust(program).args(["x"]).env([("A", "b")]).file("f", "x").wasmtime_only(differs::PREOPEN_DESCRIPTOR)
}

/// What every call gives natively (and through our adapter with two pages).
fn everything_works(program: &str) -> String {
    format!(
        r#"first call
fd_write(stdout): 0 11
args: 0 0 2 "{program}.wasm\0x\0"
environ: 0 0 1 "A=b\0"
clock 0 true, random 0
path_open: 0
write 0, seek 0, read 0: "written with a full memory\n"
close: 0
preopen filestat: 0 type 3
readdir: 0 108 bytes
program data intact: true
"#
    )
}

#[test]
fn two_free_pages_are_enough_for_every_call() {
    let out = check(&scenario("mem_full_2"));
    assert_eq!(String::from_utf8_lossy(&out.stdout), everything_works("mem_full_2"));
    assert_eq!(out.tree.len(), 2, "f and full.txt: {:?}", out.tree);
}

/// One page is enough: the stack window and scratch share it, and
/// descriptors need no memory (before they moved to wasm globals, creating
/// one needed a second page and failed with NOMEM here).
#[test]
fn one_free_page_is_enough_for_every_call() {
    let out = check(&scenario("mem_full_1"));
    assert_eq!(String::from_utf8_lossy(&out.stdout), everything_works("mem_full_1"));
    assert_eq!(out.tree.len(), 2, "f and full.txt: {:?}", out.tree);
}

/// Documented difference: with no page to grow, the adapter has no stack
/// to run on and traps at the program's first call (as the published
/// adapter does), before writing anything.
#[test]
fn no_free_page_traps_at_the_first_call() {
    let s = scenario("mem_full_0");
    let native = run(&s, Runner::Native, true).unwrap();
    assert_eq!(String::from_utf8_lossy(&native.stdout), everything_works("mem_full_0"));
    let ours = run(&s, Runner::Adapter, true).unwrap();
    assert!(matches!(ours.status, Status::Trap(_)), "{:?}", ours.status);
    assert!(ours.stdout.is_empty());
    let reference = run(&s, Runner::Reference, true).unwrap();
    assert!(matches!(reference.status, Status::Trap(_)), "the published adapter: {:?}", reference.status);
}
