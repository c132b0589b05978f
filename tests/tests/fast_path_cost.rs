//! Each fast path of the command adapter (`fast` in `adapter/exports.rs`) is
//! taken: `tests/tests/fast_paths.rs` shows the answers are native's either
//! way, which would stay true if every fast path declined. Here the wasm
//! instructions per call ([`adapter_tests::fuel`]) of a case the fast path
//! takes must be well below those of the same work it declines
//! (`tests/programs/src/bin/fast_path_cost.rs` says how each case declines),
//! or, for the calls that have no such case, below a budget.
//!
//! A call's cost is the difference between runs of `MANY` and `FEW` calls,
//! divided by `MANY - FEW`: start-up and the first call's set-up cancel out,
//! the program's loop (a few instructions) stays in.

use adapter_tests::fuel::adapter_fuel;
use adapter_tests::{Scenario, Status};

const FEW: u64 = 100;
const MANY: u64 = 1100;

/// Fuel per call of `call` made the `way` way (`fast` or `declined`).
fn per_call(call: &'static str, way: &'static str) -> u64 {
    let fuel = |n: u64| {
        // Enough bytes for `fd_read` to read one per call, MANY times.
        let scenario = Scenario::rust("fast_path_cost").args([call, way, &n.to_string()]).file("a.txt", vec![b'a'; 4096]);
        let run = adapter_fuel(&scenario).unwrap();
        assert_eq!(run.status, Status::Exit(0), "{call} {way} {n}: {}", String::from_utf8_lossy(&run.stderr));
        run.fuel
    };
    let (few, many) = (fuel(FEW), fuel(MANY));
    assert!(many > few, "{call} {way}: {MANY} calls used {many} fuel, {FEW} used {few}");
    (many - few) / (MANY - FEW)
}

/// Instructions a fast path saves at least. Measured per call (fast,
/// declined): `fd_write` to stdout 208, 775; to a file 253, 814; `fd_read`
/// 318, 898; `fd_seek` 100, 509; `fd_tell` 79, 483; `fd_close` (after a
/// `path_open`) 1225, 1628; `path_filestat_get` 776, 1477: ~400 or more
/// saved, the stack window's entry and exit among them. With every fast
/// path turned off (a scratch build of the adapter), the two ways differ
/// by what the declined cases' own lookups cost: 39 to 102, and 188 for
/// `fd_close`, whose `path_open` then numbers the file past the globals.
const SAVED_AT_LEAST: u64 = 300;

/// The fast case of `call` costs [`SAVED_AT_LEAST`] fewer instructions than
/// its declined case.
#[track_caller]
fn assert_fast_path_taken(call: &'static str) {
    let (fast, declined) = (per_call(call, "fast"), per_call(call, "declined"));
    println!("{call}: {fast} instructions per call on the fast path, {declined} declined");
    assert!(fast + SAVED_AT_LEAST <= declined, "{call}: the fast path is not taken: {fast} instructions per call, {declined} when declined");
}

/// The fast case of `call` costs at most `budget` instructions.
#[track_caller]
fn assert_within_budget(call: &'static str, budget: u64) {
    let fast = per_call(call, "fast");
    println!("{call}: {fast} instructions per call on the fast path (budget {budget})");
    assert!(fast <= budget, "{call}: the fast path is not taken: {fast} instructions per call, more than {budget}");
}

#[test]
fn fd_write_to_stdout_takes_its_fast_path() {
    assert_fast_path_taken("fd_write_stdout");
}

#[test]
fn fd_write_to_a_file_takes_its_fast_path() {
    assert_fast_path_taken("fd_write_file");
}

#[test]
fn fd_read_takes_its_fast_path() {
    assert_fast_path_taken("fd_read");
}

#[test]
fn fd_seek_takes_its_fast_path() {
    assert_fast_path_taken("fd_seek");
}

#[test]
fn fd_tell_takes_its_fast_path() {
    assert_fast_path_taken("fd_tell");
}

#[test]
fn fd_close_takes_its_fast_path() {
    assert_fast_path_taken("fd_close");
}

#[test]
fn path_filestat_get_takes_its_fast_path() {
    assert_fast_path_taken("path_filestat_get");
}

// The clocks and `random_get` have no case that declines and does the same
// work. Their budgets lie between the costs measured per call with the fast
// path and with every fast path turned off (a scratch build of the adapter):
// the wall clock 114 and 372, the monotonic clock 65 and 158, `random_get`
// of 16 bytes 405 and 651.

#[test]
fn clock_time_get_of_the_wall_clock_takes_its_fast_path() {
    assert_within_budget("clock_time_get_realtime", 240);
}

#[test]
fn clock_time_get_of_the_monotonic_clock_takes_its_fast_path() {
    assert_within_budget("clock_time_get_monotonic", 110);
}

#[test]
fn random_get_takes_its_fast_path() {
    assert_within_budget("random_get", 530);
}
