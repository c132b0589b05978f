//! Drop-in compatibility: the exports beyond preview1 that toolchains and
//! runtimes import from `wasi_snapshot_preview1` (DESIGN.md §2.1). Native
//! preview1 has none of them, so each scenario runs through our adapter and
//! through the published reference adapter, which defines their meaning.

use adapter_tests::{run, Runner, Scenario, Status};

fn both(case: &str) -> String {
    let scenario = Scenario::rust("extras").args([case]);
    let ours = run(&scenario, Runner::Adapter, true).unwrap();
    let reference = run(&scenario, Runner::Reference, true).unwrap();
    assert_eq!(ours.status, Status::Exit(0), "ours: {}", String::from_utf8_lossy(&ours.stderr));
    assert_eq!(String::from_utf8_lossy(&ours.stdout), String::from_utf8_lossy(&reference.stdout), "ours vs reference");
    assert_eq!(String::from_utf8_lossy(&ours.stderr), String::from_utf8_lossy(&reference.stderr), "ours vs reference");
    String::from_utf8_lossy(&ours.stdout).into_owned()
}

#[test]
fn badfd_reserves_a_number_that_answers_badf() {
    let out = both("badfd");
    assert!(out.contains("open_badfd=0 fd_is_new=true"), "{out}");
    assert!(out.contains("write=8\nfdstat=8\nclose_badfd=0\nagain=8\nclose_badfd(99)=8\n"), "{out}");
    // (stderr, compared with the reference above: it closes any descriptor.)
}

#[test]
fn paused_monotonic_clock_stands_still() {
    let out = both("paused");
    assert_eq!(out, "paused: frozen=true resumed=true\n");
}

#[test]
fn reset_adapter_state_starts_over() {
    let out = both("reset");
    assert_eq!(out, "before reset\nafter reset\nprestat(3) after reset=0\n");
}
