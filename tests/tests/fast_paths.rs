//! The fast paths of `fd_write`, `fd_read`, `fd_seek`, `fd_tell`, `fd_close`,
//! `path_filestat_get`, `clock_time_get` and `random_get` (adapter
//! `preview1.rs`), with `path_open` alongside, against native preview1: the cases
//! they take, the cases they must leave to the full implementation, and a
//! program that claims the page holding their return area.

use adapter_tests::jco::differs;
use adapter_tests::{check, Outcome, Scenario, Status};

fn run_case(case: &str) -> Outcome {
    let mut scenario = Scenario::rust("fast_paths").args([case]).file("a.txt", "hello world\n");
    if case == "edges" {
        // Its writes at i64::MAX (tests/tests/jco_host.rs).
        scenario = scenario.wasmtime_only(differs::OFFSETS);
    }
    let out = check(&scenario);
    assert_eq!(out.status, Status::Exit(0), "{case}: {}", String::from_utf8_lossy(&out.stderr));
    out
}

fn stderr(out: &Outcome) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn a_program_that_claims_the_adapters_page_keeps_it_intact() {
    let out = run_case("claimed");
    let text = stderr(&out);
    for round in 0..3 {
        for line in [
            format!("round {round}: realtime 0 after 2020: true"),
            format!("round {round}: monotonic 0 0 non-decreasing: true"),
            format!("round {round}: random 0 mostly non-zero: true"),
            format!("round {round}: stdout: write -> 0 n=14"),
            format!("round {round}: file: write -> 0 n=10"),
            format!("round {round}: seek set 2 (0, 2), cur 3 (0, 5), tell (0, 5)"),
            format!("round {round}: file at 5: write -> 0 n=2"),
            format!("round {round}: seek end -1 (0, 9), tell (0, 9), close 0"),
        ] {
            assert!(text.contains(&line), "missing {line:?} in:\n{text}");
        }
    }
    assert!(text.ends_with("claimed pages intact: true\n"), "{text}");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "stdout line 0\nstdout line 1\nstdout line 2\n");
}

#[test]
fn edge_cases_go_the_full_way_and_match_native() {
    let out = run_case("edges");
    let text = stderr(&out);
    for line in [
        "pristine: tell stdout (70, 3735928559), seek stdin (70, 3735928559), tell 3 (8, 3735928559), tell 9 (8, 3735928559)",
        "pristine: fd 3 (a directory): write -> 8/BADF n=0",
        "table: tell stdout (70, 3735928559), tell dir (8, 3735928559), tell 99 (8, 3735928559), tell 1000 (8, 3735928559)",
        "table: empty then full iovec -> 0 n=12",
        "seek set -1 (28, 3735928559), tell (0, 12)",
        "seek set i64::MAX (0, 9223372036854775807), cur 1 (0, 9223372036854775808), cur i64::MAX (0, 18446744073709551615)",
        "write at 2^64-1: write -> 28/INVAL n=0",
        "write at i64::MAX: write -> 28/INVAL n=0",
        "append: tell (0, 22)",
        "read-only: write -> 8/BADF n=0",
        "file as fd 1: write -> 0 n=10",
        "random in the last 16 bytes: 0",
        "clock 2: 8/BADF",
        "close 6: 0 then 8/BADF; 5 stays; reopened as 6; tell (0, 0)",
        "file 4: seek (0, 1), close 0, tell (8, 3735928559)",
        "directory 4 (0): seek (8, 3735928559), tell (8, 3735928559)",
        "renumber directory 4 -> file 1: 0, seek (8, 3735928559), tell (8, 3735928559)",
        "renumber file 4 -> directory 7: 0, seek (0, 2), tell (0, 2), tell 4 (8, 3735928559)",
        "close dir 7: 0, preopen: 0, stdin: 0, again: 8/BADF",
    ] {
        let shown = text.replace(&"z".repeat(10000), "(10000 z)");
        assert!(text.contains(line), "missing {line:?} in:\n{shown}");
    }
}

/// `path_open` (which has no fast path: it cost 0.8 KB for 11 % of an
/// open-and-close) and the `fd_close` fast path it feeds.
#[test]
fn path_open_matches_native() {
    let scenario = Scenario::rust("fast_paths").args(["opens"]).file("a.txt", "hello world\n").file("d/inner.txt", "inner\n").wasmtime_only(differs::PATHS);
    let out = check(&scenario);
    assert_eq!(out.status, Status::Exit(0), "{}", String::from_utf8_lossy(&out.stderr));
    let text = stderr(&out);
    for line in [
        "open d as a directory: 0 fd 4",
        "open inner.txt in d: 0 fd 5, read (0, [105, 110, 110, 101, 114])",
        "open creat|excl existing: 20/EXIST untouched true",
        "open bad utf-8: 25/ILSEQ untouched true",
        "open escaping: 63/PERM untouched true",
        "stat and fstat agree on the inode: true",
        "fstat(1) 0: dev 0 type word eeeeeeeeeeeeee00",
        "fstat(4) 0: dev 1 type word eeeeeeeeeeeeee03",
        "700 opens from",
        "consecutive: true",
    ] {
        assert!(text.contains(line), "missing {line:?} in:\n{text}");
    }
}

#[test]
fn fd_read_matches_native_in_and_out_of_its_fast_path() {
    let out = run_case("reads");
    let text = stderr(&out);
    for line in [
        "read 5 (0, [104, 101, 108, 108, 111]), 100 (short: the end) (0, [32, 119, 111, 114, 108, 100, 10]), at the end (0, []), tell (0, 12)",
        "read 65537: 0 65537 bytes",
        "read 100000: 0 64831 bytes",
        "seek past i64::MAX 0, read (28, [])",
        "read back 200000 bytes, same: true",
        "write-only: (8, []), directory: (8, []), stdout: (8, []), bad fd: (8, [])",
        "into the last 4 bytes of memory: 0 4",
        "onto its own iovecs: 0 12",
    ] {
        assert!(text.contains(line), "missing {line:?} in:\n{text}");
    }
}

/// `path_open` without `O_DIRECTORY` leaves the descriptor untyped until its
/// first use (adapter `kind::UNTYPED`): every call that can come first must
/// answer as native does, for files and directories.
#[test]
fn descriptors_opened_without_a_type_answer_native_on_first_use() {
    let scenario = Scenario::rust("fast_paths").args(["first_use"]).file("a.txt", "hello world\n").file("d/inner.txt", "inner");
    let out = check(&scenario);
    assert_eq!(out.status, Status::Exit(0), "{}", stderr(&out));
    let text = stderr(&out);
    for line in [
        "file: close first: 0",
        "directory: close first: 0",
        "file: read first: (0, [104, 101, 108, 108, 111])",
        "directory: open inside first: 0 then read (0, [105, 110, 110, 101, 114])",
        "file: open inside first: 54/NOTDIR then read (0, [])",
    ] {
        assert!(text.contains(line), "missing {line:?} in:\n{text}");
    }
    assert!(text.contains(r#"directory: readdir first: 0 ["." ".." "inner.txt"]"#), "{text}");
}
