//! Differential scenarios with a Zig program (`tests/zig/cases.zig`, built
//! by Zig 0.17's own compiler and standard library for `wasm32-wasi`). Zig's
//! standard library calls preview1 itself, without wasi-libc: its own
//! preopen discovery, directory iteration over `fd_readdir`'s raw buffer,
//! `path_open` rights, positional I/O, and an allocator that grows memory
//! page by page. Each case is compared with native preview1 (`check`:
//! stdout, stderr, exit status and the directory tree, on every host), and
//! each test also checks key lines of the native output, so that no test
//! passes with both sides broken.

use adapter_tests::{assert_lines, check_showing, stderr_of, stdout_of, Outcome, Scenario, Status};

fn zig(case: &'static str) -> Scenario {
    Scenario::zig("cases").args([case])
}

/// Runs the scenario natively and through the adapter (`check`; the
/// harness builds the program once, whichever test asks first).
/// `ZIG_PROGRAMS_SHOW=1` prints the native output of every test.
fn outcome(scenario: &Scenario) -> Outcome {
    check_showing(scenario, "ZIG_PROGRAMS_SHOW")
}

/// Runs one case; checks that it ran to the end natively and printed every
/// line of `expected` (each a whole line of stdout).
fn case(scenario: Scenario, expected: &[&str]) {
    let out = outcome(&scenario);
    assert_eq!(
        out.status,
        Status::Exit(0),
        "{:?}: stderr {}",
        scenario.args,
        stderr_of(&out)
    );
    assert_lines(&stdout_of(&out), expected);
}

#[test]
fn files() {
    case(
        zig("files"),
        &[
            "read 15: hello zig file",
            "exclusive create: PathAlreadyExists",
            "open through missing dir: FileNotFound",
            "open dir as file for write: IsDir",
            "pread 9: zig file",
            "length 100000",
            "stat size 100000 kind file nlink 1",
            "write to read-only: NotOpenForWriting",
            "delete again: FileNotFound",
            "delete dir as file: IsDir",
        ],
    );
}

#[test]
fn dirs() {
    case(
        zig("dirs"),
        &[
            "create existing dir: PathAlreadyExists",
            "rename missing: FileNotFound",
            "delete nonempty dir: DirNotEmpty",
            "delete file as dir: NotDir",
            "sub: 2 entries",
            "  moved:file",
            "  x:directory",
            "open file as dir: NotDir",
            "access deleted: FileNotFound",
            "empty: 0 entries",
        ],
    );
}

#[test]
fn many_files_listed_and_held_open() {
    case(
        zig("many"),
        &[
            "count 300 name bytes 8400",
            "read 2800 bytes from 100 open files",
            "walked 300",
        ],
    );
}

#[test]
fn links() {
    case(
        zig("links"),
        &[
            "symlink: ok",
            "readlink target",
            "readlink of a file: NotLink",
            "hard size 6",
            "symlink over existing: PathAlreadyExists",
            "escape: PermissionDenied",
        ],
    );
}

#[test]
fn environment_arguments_clocks_random() {
    case(
        Scenario::zig("cases")
            .args(["env", "two words", "ünïcode"])
            .env([("A", "1"), ("EMPTY", ""), ("Z", "last=one")]),
        &[
            "env A=1",
            "env EMPTY=",
            "env Z=last=one",
            "arg cases.wasm",
            "arg two words",
            "arg ünïcode",
            "realtime after 2020: true",
            "random nonzero bytes > 16: true",
        ],
    );
}

#[test]
fn stdin_sleep_and_large_stdout() {
    let input: Vec<u8> = (0..100_000u32).map(|i| (i * 7 % 251) as u8).collect();
    // The program's hash of what it read: `sum * 31 + byte`, wrapping.
    let hash = input
        .iter()
        .fold(0u32, |sum, &b| sum.wrapping_mul(31).wrapping_add(b as u32));
    let read = format!("stdin 100000 bytes, hash {hash}");
    let scenario = zig("stdio").stdin(adapter_tests::Stdin::Bytes(input));
    case(
        scenario,
        &[&read, "slept at least 20 ms: true", "wrote 300000"],
    );
}
