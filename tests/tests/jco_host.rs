//! Where jco's WASI 0.2 host (`@bytecodealliance/preview2-shim` on Node)
//! answers differently from wasmtime's, each difference asserted exactly:
//! native preview1 on wasmtime says one thing, our adapter on jco the other.
//! These are the host's (README, "Hosts"); a test here fails when the host
//! changes, and the scenario can then go back to running on both hosts.
//! The scenarios the other suites run on both hosts cover everything else.

use adapter_tests::jco::run_with_shim_terminals;
use adapter_tests::{check, run, stderr_of, stdout_of, Outcome, Runner, Scenario, Status};

/// Runs `scenario` natively (wasmtime) and on jco, and asserts the one
/// difference: native's output (stdout, then stderr) has the line `native`
/// where jco's has `jco`, and neither has the other's.
#[track_caller]
fn host_difference(scenario: &Scenario, native_line: &str, jco_line: &str) -> (Outcome, Outcome) {
    let native = run(scenario, Runner::Native, true).unwrap();
    let jco = run(scenario, Runner::Jco, true).unwrap();
    let lines = |o: &Outcome| format!("{}{}", stdout_of(o), stderr_of(o)).lines().map(str::to_owned).collect::<Vec<_>>();
    let (n, j) = (lines(&native), lines(&jco));
    assert!(n.iter().any(|l| l == native_line), "native lacks {native_line:?}:\n{}", n.join("\n"));
    assert!(!n.iter().any(|l| l == jco_line), "native has {jco_line:?}");
    assert!(j.iter().any(|l| l == jco_line), "jco lacks {jco_line:?} (has the host changed?):\n{}", j.join("\n"));
    assert!(!j.iter().any(|l| l == native_line), "jco has {native_line:?}: the host now answers as wasmtime does");
    (native, jco)
}

/// preview2-shim answers `get-terminal-stdin/stdout/stderr` with a terminal
/// whatever the process's stdio is (here files), so `fd_fdstat_get` calls
/// them character devices; wasmtime's pipes are none (filetype unknown).
/// The harness's jco runs tell the shim the truth (`_setTerminal*(null)`),
/// and then the adapter answers as natively.
#[test]
fn shim_calls_every_stdio_a_terminal() {
    // No preopen: its descriptor is a difference of its own (below).
    let scenario = Scenario::rust("fds").args(["stat"]).no_preopen();
    let native = check(&scenario);
    let shim = run_with_shim_terminals(&scenario).unwrap();
    for fd in 0..3 {
        let line = |filetype: u8| format!("fdstat({fd})=0 [{filetype}, 238");
        assert!(stdout_of(&native).contains(&line(0)), "{}", stdout_of(&native));
        assert!(String::from_utf8_lossy(&shim.stdout).contains(&line(2)), "{}", String::from_utf8_lossy(&shim.stdout));
    }
}

/// At the end of stdin, preview2-shim's `blocking-read` first returns an
/// empty list (its stream is ready but has not yet seen its end), which
/// WASI 0.2 does not allow a blocking read; native preview1 on wasmtime
/// calls such a read interrupted, and so does the adapter: `fd_read` answers
/// `EINTR` once. Rust's std reads again; AssemblyScript's runtime aborts.
#[test]
fn stdin_end_is_first_an_empty_blocking_read() {
    let scenario = Scenario::assemblyscript("stdin_echo");
    let native = run(&scenario, Runner::Native, true).unwrap();
    let jco = run(&scenario, Runner::Jco, true).unwrap();
    assert_eq!(native.status, Status::Exit(0));
    assert!(stderr_of(&native).contains("bytes=0 lines=0 "), "{}", stderr_of(&native));
    assert!(matches!(jco.status, Status::Trap(_)), "{:?}", jco.status);
    assert!(stderr_of(&jco).starts_with("abort: INTR in "), "{}", stderr_of(&jco));
}

/// A preopened directory is only a path to preview2-shim: `set-times` on it
/// answers `invalid` (wasmtime sets the directory's times).
#[test]
fn preopen_descriptor_set_times_is_invalid() {
    host_difference(
        &Scenario::rust("fds").args(["stat"]),
        "fd 3: seek=8 tell=8 sync=8 datasync=8 advise=8 allocate=8 set_flags=8 set_rights=58 set_size=8 set_times=0 pread=8 pwrite=8 accept=57 recv=57 send=57 shutdown=57",
        "fd 3: seek=8 tell=8 sync=8 datasync=8 advise=8 allocate=8 set_flags=8 set_rights=58 set_size=8 set_times=28 pread=8 pwrite=8 accept=57 recv=57 send=57 shutdown=57",
    );
}

/// Timestamps are set through Node's `utimes`, in seconds as a double:
/// nanoseconds below the microsecond are lost.
#[test]
fn set_times_keeps_microseconds() {
    host_difference(
        &Scenario::c("fs_stat").args(["times"]),
        "explicit: atime=1000000000.123456789 mtime=1500000000.500000000",
        "explicit: atime=1000000000.123456000 mtime=1500000000.500000000",
    );
}

/// Paths are joined to the preopen's host path and handed to Node's path
/// calls (Node has no `openat`): `stat-at` of the empty path is the
/// directory itself, where wasmtime answers `no-entry`.
#[test]
fn empty_path_is_the_directory_itself() {
    host_difference(
        &Scenario::rust("fast_paths").args(["opens"]).file("a.txt", "hello world\n").file("d/inner.txt", "inner\n"),
        "empty: stat \"\" follow=1 -> 44/NOENT",
        "empty: stat \"\" follow=1 dev=1 type=3 nlink=3 size=- ino_nonzero=true",
    );
}

/// The same joined paths: `.` components are resolved by the path join, so
/// removing `d/.` removes `d` and renaming into oneself's `.` succeeds,
/// where wasmtime (openat, as the OS sees the path) refuses both.
#[test]
fn dot_components_are_joined_away() {
    host_difference(&Scenario::c("fs_names").args(["unlink_rmdir"]), "rmdir(\"d/.\") = -1 EINVAL", "rmdir(\"d/.\") = 0");
    host_difference(&Scenario::c("fs_names").args(["rename"]), "rename(\"full2\", \"full2/.\") = -1 EBUSY", "rename(\"full2\", \"full2/.\") = 0");
}

/// Trailing slashes, through the path join again: wasmtime's `lstat` of
/// `"file/"` finds the file, jco's answers `ENOTDIR`.
#[test]
fn trailing_slash_follows_the_join() {
    host_difference(&Scenario::c("fs_stat").args(["errors"]), "lstat(\"file/\", &st): type=file mode=100000 size=8 nlink=1", "lstat(\"file/\", &st): -1 ENOTDIR");
}

/// Offsets are JavaScript numbers: a write at `i64::MAX` is not refused
/// (wasmtime's `pwrite` answers `EINVAL`).
#[test]
fn write_at_the_largest_offset_is_not_refused() {
    host_difference(
        &Scenario::rust("fast_paths").args(["edges"]).file("a.txt", "hello world\n"),
        "write at i64::MAX: write -> 28/INVAL n=0",
        "write at i64::MAX: write -> 0 n=1",
    );
}

/// A preopened directory is only a path to preview2-shim, not an open
/// directory: listing it is `bad-descriptor`, and so is (as `invalid`)
/// `stat` of it; wasmtime lists and stats it.
#[test]
fn preopen_descriptor_cannot_be_listed_or_stated() {
    let scenario = Scenario::rust("fs_readdir").args(["errors"]).file("a.txt", "hello world\n").dir("empty").file("big/x", "x");
    let native = run(&scenario, Runner::Native, true).unwrap();
    let jco = run(&scenario, Runner::Jco, true).unwrap();
    assert_eq!(native.status, Status::Exit(0));
    assert!(stdout_of(&native).contains("readdir on preopen: 0 used<4096: true names=[\".\", \"..\", "), "{}", stdout_of(&native));
    assert!(stdout_of(&jco).contains("readdir on preopen: 8/BADF used<4096: false names=[]\n"), "{}", stdout_of(&jco));
    let stat = run(&Scenario::rust("fs_tour").args(["stat"]).file("a.txt", "hello world\n").file("d/inner.txt", "inner\n").dir("e"), Runner::Jco, true).unwrap();
    assert!(stdout_of(&stat).contains("fstat(preopen) e=28/INVAL "), "{}", stdout_of(&stat));
}

/// `descriptor.set-times` (`fd_filestat_set_times`, Rust's
/// `File::set_modified`) hands Node's `futimes` milliseconds where it takes
/// seconds: the file's times land a thousand times too far (clamped by the
/// OS), where wasmtime sets them to the nanosecond.
#[test]
fn descriptor_set_times_is_a_thousand_times_too_far() {
    host_difference(
        &Scenario::rust("fs_tour").args(["times"]).file("a.txt", "hello world\n").file("d/inner.txt", "inner\n").dir("e"),
        "ATIM|MTIM: e=0 atim=1000000000123456789 mtim=1100000000987654321",
        "ATIM|MTIM: e=0 atim=15032385535000000000 mtim=15032385535000000000",
    );
}

/// A size past 2^53 (JavaScript's exact integers) makes Node's `ftruncate`
/// throw, and the shim lets the exception through: the component traps,
/// where wasmtime answers `EFBIG` (or, past `i64::MAX`, `EINVAL`).
#[test]
fn size_past_two_to_the_53_traps() {
    let scenario = Scenario::rust("fs_tour").args(["stat"]).file("a.txt", "hello world\n").file("d/inner.txt", "inner\n").dir("e");
    let native = run(&scenario, Runner::Native, true).unwrap();
    let jco = run(&scenario, Runner::Jco, true).unwrap();
    assert!(stdout_of(&native).contains("set_size(2^62) "), "{}", stdout_of(&native));
    assert!(stdout_of(&native).contains("set_size(u64::MAX) 28/INVAL"), "{}", stdout_of(&native));
    match &jco.status {
        Status::Trap(message) => assert!(message.contains("ERR_OUT_OF_RANGE"), "{message}"),
        other => panic!("expected a trap, got {other:?}"),
    }
}

/// preview2-shim's stdin is a Node stream: a read returns what Node has
/// buffered so far, so a 64 KiB `fd_read` of a longer stdin comes back
/// short, where wasmtime's in-memory pipe fills it (the amount depends on
/// Node's read-ahead: only "short" is asserted).
#[test]
fn stdin_reads_come_in_nodes_chunks() {
    let input: Vec<u8> = (0..150_000u32).flat_map(|i| format!("{i} line of stdin ü\n").into_bytes()).collect();
    let scenario = Scenario::rust("stdio_rw").args(["read-sizes"]).stdin(adapter_tests::Stdin::Bytes(input));
    let native = run(&scenario, Runner::Native, true).unwrap();
    let jco = run(&scenario, Runner::Jco, true).unwrap();
    let read_of_64k = |o: &Outcome| -> u32 {
        let line = stderr_of(o).lines().find(|l| l.starts_with("read #10 size=65536 shape=0: e=0 n=")).map(str::to_owned).unwrap_or_else(|| panic!("{}", stderr_of(o)));
        line["read #10 size=65536 shape=0: e=0 n=".len()..].split(' ').next().unwrap().parse().unwrap()
    };
    assert_eq!(read_of_64k(&native), 65536);
    assert!(read_of_64k(&jco) < 65536, "{}", stderr_of(&jco));
}

/// The one difference in `fs_tour open` (every other line of it, the
/// adapter's own answers for rights, `O_DIRECTORY` combinations and
/// access modes among them, is the same on both hosts): a symlink to a
/// directory opened with `O_NOFOLLOW | O_DIRECTORY` is `ENOTDIR` on jco,
/// `ELOOP` on wasmtime.
#[test]
fn nofollow_directory_symlink_is_not_a_directory() {
    let scenario = Scenario::rust("fs_tour").args(["open"]).file("a.txt", "hello world\n").file("d/inner.txt", "inner\n").dir("e");
    let (native, jco) = host_difference(&scenario, "dlink nofollow directory: open \"dlink\" -> 32/LOOP", "dlink nofollow directory: open \"dlink\" -> 54/NOTDIR");
    let expected = stdout_of(&native).replace("dlink nofollow directory: open \"dlink\" -> 32/LOOP", "dlink nofollow directory: open \"dlink\" -> 54/NOTDIR");
    assert_eq!(stdout_of(&jco), expected, "jco differs in more than that line");
    assert_eq!(native.tree, jco.tree);
}
