//! Differential scenarios with a Go program (`tests/go/cases`, built by the
//! official Go compiler for `GOOS=wasip1 GOARCH=wasm`). Go's runtime treats
//! linear memory as its own heap and exports no `cabi_realloc`: its `sbrk`
//! (`runtime/mem_wasm.go`) takes the memory size at start as its break,
//! grows memory with `memory.grow`, ignores the old size it returns, and
//! uses `[break, break + grown)` as its own, so pages anyone else grew past
//! its break become part of the Go heap. These tests check that the adapter
//! and the Go heap never disturb each other, and preview1 behaviour as Go's
//! `os`, `time` and `runtime` packages use it. Each test runs one case
//! (argv[1]) of the program and also checks the native output, so that no
//! test passes with both sides broken.
//!
//! That last point is a known difference (README, "Known differences"): the
//! adapter's descriptor table lives in pages it grows, and Go takes them
//! over as soon as its heap grows past them (`grow_after_open` asserts what
//! happens then). Tests named `*_heap_reserved` set `GO_HEAP_RESERVE_MB`:
//! the program grows its heap once and frees it again before it opens
//! anything, so the runtime never grows memory after the adapter has, and
//! the case's preview1 behaviour is compared with native.

use std::sync::Mutex;

use adapter_tests::{check, program_wasm, run, stderr_of, stdout_of, Outcome, Runner, Scenario, Status, Stdin};

fn go(case: &'static str) -> Scenario {
    Scenario::go("cases").args([case])
}

/// The scenario with `GO_HEAP_RESERVE_MB` set (see the module comment).
fn heap_reserved(scenario: Scenario, mb: u32) -> Scenario {
    let mut env = scenario.env.clone();
    env.push(("GO_HEAP_RESERVE_MB".into(), mb.to_string()));
    scenario.env(env)
}

/// Runs the scenario natively and through the adapter (`check`).
/// `GO_PROGRAMS_SHOW=1` prints the native output of every test.
fn outcome(scenario: &Scenario) -> Outcome {
    // Build the program once, before the tests of this process use it in
    // parallel (the build takes seconds; the harness keeps the result).
    static BUILDING: Mutex<()> = Mutex::new(());
    {
        let _guard = BUILDING.lock().unwrap_or_else(|e| e.into_inner());
        program_wasm(&scenario.program);
    }
    let out = check(scenario);
    if std::env::var_os("GO_PROGRAMS_SHOW").is_some_and(|v| v != "0") {
        eprintln!("---- {:?}\n{}---- stderr\n{}---- {:?}", scenario.args, stdout_of(&out), stderr_of(&out), out.status);
    }
    out
}

/// Runs one case, checks that it ran to the end natively and printed every
/// line of `expected` (each a whole line of stdout); returns stdout.
fn case(scenario: Scenario, expected: &[&str]) -> String {
    let out = outcome(&scenario);
    let text = stdout_of(&out);
    assert_eq!(out.status, Status::Exit(0), "native run did not exit cleanly:\n{text}\nstderr: {}", stderr_of(&out));
    assert!(text.ends_with("done\n"), "native run did not finish its case:\n{text}");
    assert!(!text.contains("unexpected error"), "{text}");
    for line in expected {
        assert!(text.lines().any(|l| l == *line), "native output lacks the line {line:?}:\n{text}");
    }
    text
}

// ---------------------------------------------------------------------------
// Arguments, environment, stdio, exit.

#[test]
fn hello_args_env() {
    let out = case(
        go("hello").args(["hello", "two words", "ünïcödé ✓"]).env([("HOME", "/home/gopher"), ("EMPTY", ""), ("KEY", "a=b=c")]),
        &[
            "argc=4",
            "arg[0] len=10 <cases.wasm>",
            "arg[2] len=9 <two words>",
            "arg[3] len=15 <ünïcödé ✓>",
            "envc=3",
            "env[0] <HOME=/home/gopher>",
            "env[1] <EMPTY=>",
            "env[2] <KEY=a=b=c>",
            "lookup EMPTY: true <>",
            "lookup MISSING: false <>",
            "expand=</home/gopher/x:>",
            "getwd: /sandbox <nil>",
            "joined=<hello|two words|ünïcödé ✓>",
        ],
    );
    assert!(out.starts_with("argc=4\n"), "{out}");
}

#[test]
fn hello_stderr_and_no_preopen() {
    let out = outcome(&go("hello").no_preopen());
    let text = stdout_of(&out);
    assert_eq!(out.status, Status::Exit(0), "{text}");
    assert_eq!(stderr_of(&out), "hello on stderr\n");
    assert!(text.contains("\nenvc=0\n") && text.contains("\ngetwd:  <nil>\n"), "{text}");
}

#[test]
fn no_case_is_a_usage_error() {
    let out = outcome(&Scenario::go("cases"));
    assert_eq!(out.status, Status::Exit(2));
    assert!(stderr_of(&out).starts_with("usage: cases.wasm CASE (one of [errors exit files gc"), "{}", stderr_of(&out));
}

#[test]
fn stdin_to_eof() {
    let mut input = b"the first line\n".to_vec();
    for i in 0..20000 {
        input.extend_from_slice(format!("word{} alpha beta {i}\n", i % 7).as_bytes());
    }
    case(
        go("stdin").stdin(Stdin::Bytes(input)),
        &[
            r#"first line: "the first line\n" <nil>"#,
            "rest: 448890 bytes, crc e40ae3b6, err <nil>",
            "lines in rest: 20000",
            "read after eof: 0 EOF",
            r#"word "0": 1"#,
        ],
    );
}

#[test]
fn stdin_closed() {
    case(go("stdin").stdin(Stdin::Closed), &[r#"first line: "" EOF"#, "rest: 0 bytes, crc 00000000, err <nil>", "read after eof: 0 EOF"]);
}

#[test]
fn exit_code_from_goroutine() {
    let out = outcome(&go("exit"));
    assert_eq!(out.status, Status::Exit(3));
    assert_eq!(stdout_of(&out), "exiting with 3\n");
    assert_eq!(stderr_of(&out), "to stderr before exit\n");
}

#[test]
fn panic_exits_with_2_and_a_traceback() {
    let out = outcome(&go("panic"));
    assert_eq!(out.status, Status::Exit(2));
    assert_eq!(stdout_of(&out), "about to panic\n");
    let err = stderr_of(&out);
    assert!(err.starts_with("panic: assignment to entry in nil map\n\ngoroutine 1 [running]:\nmain.panicCase()\n"), "{err}");
    assert!(err.contains("\nmain.main()\n"), "{err}");
}

// ---------------------------------------------------------------------------
// Files and directories.

fn files() -> Scenario {
    go("files")
}

const FILES: &[&str] = &[
    r#"a.txt="hello\nworld\nagain\n""#,
    "pos after append: 23 <nil>",
    r#"a.txt="hello\nworld\nagain\ntail\n""#,
    "wrote 100000, crc 5cfe67b3",
    "seek end-10: 99990",
    "read at eof: 0 EOF",
    "read 16 at 5000: 16 <nil> true",
    "readat 99990: 10 EOF true",
    "pos unchanged by readat: 5016",
    "seek -1: seek b.bin: Invalid argument",
    "size after writeat: 200003",
    "hole reads zeros: 8 <nil> 0000000000000000",
    "size after truncate: 50000",
    "b.bin: 50000 bytes, prefix intact true",
    r#"a.txt="hel\x00\x00\x00""#,
    r#"c.txt="012abc6789""#,
    "after O_TRUNC: 0",
    "O_EXCL on existing: open c.txt: File exists",
    "write to O_RDONLY: write c.txt: Bad file number",
    "read from O_WRONLY: read c.txt: Bad file number",
    "copied 3145851, crc 13588a09, equal true",
    "lines.txt: 4390 bytes, crc ec27c5ff",
];

#[test]
fn files_heap_reserved() {
    case(heap_reserved(files(), 48), FILES);
}

fn readdir() -> Scenario {
    let mut s = go("readdir").dir("many");
    for i in 0..300 {
        s = s.file(&format!("many/file-{i:03}"), vec![b'x'; i % 17]);
    }
    s
}

const READDIR: &[&str] = &[
    "many: 300 entries, first file-000, last file-299",
    "many: total size 2367, names crc 9d99f087",
    "batched: 300 names in 43 batches, same as ReadDir true",
    "reread: first batch 5, then 300",
    "mixed/dangling: dir=false type=L---------",
    "mixed/sub: dir=true type=d---------",
    "readdir mixed/file: ---------- size 1",
    "empty: 0 entries",
    "ReadDir of a file: open mixed/file: Not a directory",
    "ReadDir of missing: open missing: No such file or directory",
    "walk: mixed(d---------) mixed/dangling(L---------) mixed/file(----------) mixed/link(L---------) mixed/sub(d---------)",
];

#[test]
fn readdir_heap_reserved() {
    case(heap_reserved(readdir(), 48), READDIR);
}

fn rename() -> Scenario {
    go("rename")
}

const RENAME: &[&str] = &[
    r#"b="A""#,
    "rename missing: rename a z: No such file or directory",
    "rename dir over file: rename d4 b: Not a directory",
    "rename dir into itself: rename d3 d3/sub: Invalid argument",
    "remove non-empty dir: remove d3: Directory not empty",
    "syscall.Rmdir file: Not a directory",
    "syscall.Unlink dir: Is a directory",
    "mkdirall again: ok",
    "mkdirall through a file: mkdir p/q/file: Not a directory",
    "removeall p: ok",
    "lstat p after removeall: lstat p: No such file or directory",
    "removeall big: ok",
    "left: [d2 d3 d4]",
];

#[test]
fn rename_remove_mkdirall_heap_reserved() {
    case(heap_reserved(rename(), 48), RENAME);
}

#[test]
fn stat_lstat_chtimes() {
    case(
        go("stat"),
        &[
            "stat f.txt: name=f.txt dir=false regular=true size=12 | lstat type=----------",
            "stat l: name=l dir=false regular=true size=12 | lstat type=L---------",
            "stat .: name=. dir=true regular=false size=-1 | lstat type=d---------",
            "nlink=1 filetype=4",
            "hard link: same file true, nlink 2",
            "chtimes: mtime 2010-11-12T13:14:15.000016Z atime 981173106000007000",
            "chtimes mtime only: mtime 2020-01-01T00:00:00Z atime 981173106000007000",
            "chtimes via link: mtime 2010-11-12T13:14:15.000016Z",
            "chtimes dir: mtime 2010-11-12T13:14:15.000016Z",
            "chtimes missing: chtimes missing: No such file or directory",
            "fstat dir: dir=true mtime 2010-11-12T13:14:15.000016Z",
            "fstat file: size 12 regular true",
            "chown: chown f.txt: Not implemented on wasip1",
            "stat through a file: stat f.txt/x: Not a directory",
        ],
    );
}

#[test]
fn symlink_readlink() {
    case(
        go("symlink"),
        &[
            "symlink over existing: symlink target.txt link: File exists",
            "symlink absolute target: symlink /sandbox/target.txt abs: Operation not permitted",
            "readlink dir/up: ../target.txt",
            "readlink escape: ../../etc/passwd",
            "readlink target.txt: readlink target.txt: Invalid argument",
            r#"read dir/up: "through the link\n""#,
            "read escape: open escape: Operation not permitted",
            "read loop-a: open loop-a: Too many symbolic links",
            "stat dangling: stat dangling: No such file or directory",
            "lstat dangling: L---------",
            r#"target.txt="rewritten\n""#,
            "open link O_NOFOLLOW: open link: Too many symbolic links",
            "readlink link2: target.txt",
        ],
    );
}

#[test]
fn errors_of_failing_calls() {
    case(
        go("errors"),
        &[
            "open missing: open missing: No such file or directory",
            "open under a file: open file/x: Not a directory",
            "open dir for writing: open dir: Is a directory",
            "read a dir: read dir: Bad file number",
            "O_DIRECTORY on a file: open file: Not a directory",
            "write to dir handle: write dir: Bad file number",
            "mkdir existing file: mkdir file: File exists",
            "syscall.Rmdir non-empty: Directory not empty",
            "truncate a dir: truncate dir: Is a directory",
            "truncate negative: truncate file: Invalid argument",
            "link a dir: link dir dir2: Operation not permitted",
            "readlink a file: readlink file: Invalid argument",
            "chdir to a file: chdir file: Not a directory",
            "openat ../escape: Operation not permitted",
            "openat absolute: Operation not permitted",
            "openat dir/../../escape: Operation not permitted",
            "openat bad fd: Bad file number",
            "open outside the preopens: open /elsewhere/file: Bad file number",
            "close bad fd: Bad file number",
            "seek stdout: Illegal seek",
            "write stdin: Bad file number",
            "open empty: open : Invalid argument",
        ],
    );
}

#[test]
fn read_only_preopen() {
    case(
        go("read_only").file("file", "contents").dir("dir").file("dir/x", "x").read_only(),
        &[
            r#"file="contents""#,
            "create: open new: Operation not permitted",
            "open for writing: open file: Operation not permitted",
            "mkdir: mkdir newdir: Operation not permitted",
            "remove: remove file: Operation not permitted",
            "rename: rename file other: Operation not permitted",
            "symlink: symlink file link: Operation not permitted",
            "chtimes: chtimes file: Operation not permitted",
            "removeall: unlinkat ./dir/x: Operation not permitted",
            "write read-only handle: write file: Bad file number",
        ],
    );
}

// ---------------------------------------------------------------------------
// Time, goroutines, the Go heap.

#[test]
fn time_sleep_timers() {
    let out = case(go("time"), &[]);
    assert_eq!(
        out,
        "slept >= 20ms: true\n\
         zero and negative sleeps return\n\
         monotonic: true\n\
         wall clock after 2020: true\n\
         unix nanos positive: true\n\
         timer fired after >= 15ms: true\n\
         stop pending timer: true\n\
         stop stopped timer: false\n\
         reset timer fired\n\
         afterfunc: true\n\
         ticker: 5 ticks, >= 15ms: true\n\
         context: context deadline exceeded\n\
         20 sleepers woke, early: 0\n\
         done\n"
    );
}

fn goroutines() -> Scenario {
    go("goroutines")
}

const GOROUTINES: &[&str] = &[
    "200 goroutines: total 1333300",
    "pipeline: 4804349266",
    "mutex counter: 10000",
    "select: timeout",
    "select: received value",
    "select: default",
    "ping-pong: 1000",
    "concurrent files: [291e6fa1 b8ec0fec 907d17d4 dc40fc97 62cf0715 3f59cfb1 cdec9ace 45b460b4 70a1b6ad 11f8d7c7 7adfebda c9d87a73 1c3fb299 224d215d 1de1061a c7a20460]",
];

#[test]
fn goroutines_channels_select_heap_reserved() {
    case(heap_reserved(goroutines(), 48), GOROUTINES);
}

const GC: &[&str] = &["allocated >= 200 MB: true", "slices crc xor a5d9d6d1, corrupt 0", "files 20, crc xor 28434db6"];

/// 200 MB of 1 MB slices allocated and dropped, with files written, read
/// back and opened 150 at a time in between: the Go heap grows while the
/// adapter holds descriptors.
/// The same churn in a heap grown once up front: the Go heap reuses (and
/// writes all over) pages it took while the adapter's scratch pages were
/// among them.
#[test]
fn gc_churn_with_file_io_heap_reserved() {
    case(heap_reserved(go("gc"), 64), GC);
}

/// The documented difference, in the smallest Go program that shows it:
/// open a file (the adapter grows a page for its descriptor table), allocate
/// 16 MB (Go's `sbrk` grows memory but takes the pages right after its old
/// break, which include the adapter's), fill it, write the file again. The
/// adapter finds its table overwritten and traps rather than act on garbage.
#[test]
fn grow_after_open_is_a_documented_trap() {
    let scenario = go("grow_after_open");
    let native = run(&scenario, Runner::Native, true).unwrap();
    assert_eq!(
        stdout_of(&native),
        "fresh 16 MB allocation: 0 non-zero bytes, crc after fill 2a223dad\nf.txt=\"before\\nafter\\n\"\ndone\n"
    );
    for blocking in [true, false] {
        let ours = run(&scenario, Runner::Adapter, blocking).unwrap();
        assert!(matches!(ours.status, Status::Trap(_)), "{:?}\n{}", ours.status, stdout_of(&ours));
    }
}
