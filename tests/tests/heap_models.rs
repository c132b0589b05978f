//! Programs whose heap behaves as a language runtime's that owns linear
//! memory: `tinygo_model` (TinyGo: the heap is all memory up to
//! `memory.size`, grows by doubling memory and takes in every page anyone
//! grew, block states at its top) and `go_model` (Go: its own break, and
//! growth that takes the pages after it whatever `memory.grow` returned).
//! Both assume the memory they take is zero, and both check their whole heap
//! after every preview1 call: each object they hold keeps its pattern, every
//! allocation's redzone is intact, the allocator's metadata changed only
//! when the allocator changed it. An adapter that keeps anything in linear
//! memory between calls is found out by one of those checks: the program
//! reports it on stderr and exits with status 2 (`common::fail` in
//! `tests/programs/src/heap_models`).
//!
//! The workload (`heap_models/workload.rs`) does arguments, environment,
//! clocks, random, stdout, stderr, stdin, files, directories and thousands of
//! opens and closes, with the heap growing between and during them (files
//! held open across growths, a directory listing resumed across one), std's
//! buffers spread over the heap and raw calls given buffers at its top.
//! Every range of pages grown by somebody else that a heap takes in is set
//! aside as a zeroed buffer and a file is read into it at the next check:
//! a call's buffer exactly where the adapter had a page, whose every byte
//! must come back as the file has it. `check` compares everything with
//! native preview1.

use adapter_tests::jco::differs;
use adapter_tests::{assert_lines, check, run, stderr_of, stdout_of, Node, Outcome, Runner, Scenario, Status, Stdin};

/// Deterministic stdin: `len` bytes of numbered lines.
fn stdin_bytes(len: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(len + 64);
    let mut i = 0u64;
    while out.len() < len {
        out.extend_from_slice(format!("stdin line {i} {}\n", "abcdefghij".repeat((i % 7) as usize)).as_bytes());
        i += 1;
    }
    out.truncate(len);
    out
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| (h ^ b as u64).wrapping_mul(0x100_0000_01b3))
}

const ENV: [(&str, &str); 3] = [("HOME", "/home/model"), ("LANG", "C.UTF-8"), ("MODEL_VAR", "välue ✓")];

fn scenario(program: &'static str, mode: &str, stdin: &[u8]) -> Scenario {
    Scenario::rust(program).args([mode]).env(ENV).stdin(Stdin::Bytes(stdin.to_vec()))
}

/// Runs `scenario` natively and through the adapter (`check`), and asserts
/// that it ran to the end natively with every line a run prints whatever
/// the model, plus `extra`.
fn run_model(program: &str, scenario: Scenario, stdin: &[u8], extra: &[&str]) -> Outcome {
    let out = check(&scenario);
    let text = stdout_of(&out);
    assert_eq!(out.status, Status::Exit(0), "{text}\n{}", stderr_of(&out));
    assert!(text.ends_with("\ndone\n"), "{}", &text[text.len().saturating_sub(2000)..]);
    let stdin_line = format!("stdin: {} bytes, fnv1a {:016x}", stdin.len(), fnv1a(stdin));
    let start = format!("{program}: start");
    let arg0 = format!("arg 0: \"{program}.wasm\"");
    let sum: u64 = (0..2000u64).map(|i| i * i).sum();
    let map = format!("hash map of 2000 entries, sum of values {sum}");
    let stdout_39 = format!("stdout line 39 {}", "x".repeat(39 * 7));
    let mut lines = vec![
        start.as_str(),
        arg0.as_str(),
        "monotonic clock, 100 readings into the top of the heap: non-decreasing true",
        "monotonic resolution positive: true",
        "realtime clock after 2020: true",
        "random_get 1 bytes into the top of the heap: errno 0",
        "random_get 16 bytes into the top of the heap: errno 0, not all zero true",
        "random_get 65536 bytes into the top of the heap: errno 0, not all zero true",
        "random_get 300000 bytes into the top of the heap: errno 0, not all zero true",
        map.as_str(),
        stdout_39.as_str(),
        "big write line 07999",
        "big write: 168000 bytes",
        stdin_line.as_str(),
        "a.txt: wrote 240000 bytes, read back equal true",
        "seek to 1000, wrote 10 bytes, at 1010; seek to end-20 = 239980: \"line 11999 of a.txt\\n\"",
        "a.txt after appending: 240048 bytes",
        "renamed a.txt to b.txt: a.txt exists false, b.txt exists true",
        "b.txt: 240048 bytes, SEEK-WRITE at 1000 true, ends \"appended line 2\\n\"",
        "c.txt removed: true",
        "held0.txt: \"held file 0, before growth\\nheld file 0, after the first growth\\nheld file 0, after the second growth\\n\"",
        "held5.txt: \"held file 5, before growth\\nheld file 5, after the first growth\\nheld file 5, after the second growth\\n\"",
        "std read_dir: 48 entries",
        "  /a/ 0",
        "  /a/b/c/f4.txt 4",
        "  /many/: 40 entries, first \"/many/entry-00-.dat 0\", last \"/many/entry-39-nnn.dat 39\"",
        "raw fd_readdir, 64-byte buffers at the top of the heap: 42 entries, as std: true",
        "  with . and ..: true",
        "tree removed: true",
        "the heap grew at least 4 times: true",
    ];
    lines.extend_from_slice(extra);
    assert_lines(&text, &lines);
    let expected_stderr: String = (0..40).map(|i| format!("{program}: stderr line {i}\n")).collect();
    assert_eq!(stderr_of(&out), expected_stderr);
    // What the run leaves in the preopened directory (the same through the
    // adapter: `check` compares the trees).
    let file = |path: &str| out.tree.iter().find(|(p, _)| p.to_str() == Some(path)).map(|(_, n)| n.clone());
    assert!(matches!(file("work/b.txt"), Some(Node::File(c)) if c.len() == 240_048));
    assert_eq!(file("work/a.txt"), None);
    assert_eq!(file("tree"), None);
    let many = out.tree.iter().filter(|(p, _)| p.starts_with("work/many")).count();
    assert_eq!(many, 1 + 50 + 20, "work/many, its 50 cycled files and 20 held at once");
    out
}

fn standard(program: &'static str) {
    let stdin = stdin_bytes(1 << 20);
    run_model(
        program,
        scenario(program, "standard", &stdin),
        &stdin,
        &[
            "argc 2",
            "arg 1: \"standard\"",
            "environment: 3 variables",
            "env MODEL_VAR=\"välue ✓\"",
            "args_get into the top of the heap: 2 strings, as std: true",
            "environ_get into the top of the heap: 3 strings, as std: true",
            "2000 open/close cycles",
            "work/many: 50 files, 220 bytes",
        ],
    );
}

#[test]
fn tinygo_model() {
    standard("tinygo_model");
}

#[test]
fn go_model() {
    standard("go_model");
}

/// Twice the open/close cycles, more objects held, the heap growing twice
/// during the cycles.
fn heavy(program: &'static str) {
    let stdin = stdin_bytes(1 << 20);
    run_model(
        program,
        scenario(program, "heavy", &stdin).wasmtime_only(differs::SLOW),
        &stdin,
        &["arg 1: \"heavy\"", "4000 open/close cycles", "work/many: 50 files, 231 bytes"],
    );
}

#[test]
fn tinygo_model_heavy() {
    heavy("tinygo_model");
}

#[test]
fn go_model_heavy() {
    heavy("go_model");
}

/// Arguments and environment of hundreds of kilobytes (the adapter's
/// scratch for their lists spans many pages) and 4 MiB of stdin.
fn large_inputs(program: &'static str) {
    let stdin = stdin_bytes(4 << 20);
    let args: Vec<String> = std::iter::once("standard".to_string()).chain((0..300).map(|i| format!("argument-{i}-{}", "a".repeat(i % 700)))).collect();
    let env: Vec<(String, String)> = (0..400).map(|i| (format!("VAR_{i:03}"), format!("{i}:{}", "v".repeat((i * 37) % 900)))).collect();
    let scenario = Scenario::rust(program).args(args.clone()).env(env.clone()).stdin(Stdin::Bytes(stdin.clone()));
    let argc = format!("argc {}", args.len() + 1);
    let last_arg = format!("arg 300: {:?}", args[299]);
    let first_env = format!("env VAR_000={:?}", env[0].1);
    let last_env = format!("env VAR_399={:?}", env[399].1);
    let raw_args = format!("args_get into the top of the heap: {} strings, as std: true", args.len() + 1);
    run_model(
        program,
        scenario,
        &stdin,
        &[
            argc.as_str(),
            last_arg.as_str(),
            "environment: 400 variables",
            first_env.as_str(),
            last_env.as_str(),
            raw_args.as_str(),
            "environ_get into the top of the heap: 400 strings, as std: true",
            "2000 open/close cycles",
        ],
    );
}

#[test]
fn tinygo_model_large_inputs() {
    large_inputs("tinygo_model");
}

#[test]
fn go_model_large_inputs() {
    large_inputs("go_model");
}

/// The pages the adapter grows do become heap: with `HEAP_MODEL_REPORT` set,
/// a model says on stderr how many pages grown by somebody else its heap
/// took in (TinyGo's growth takes every page grown since it last grew, Go's
/// `sbrk` the pages after its break). None natively; some through the
/// adapter, which had to keep nothing in them. The runs are not compared
/// with each other: only the count differs, and it must.
fn takes_in_adapter_pages(program: &'static str) {
    let stdin = stdin_bytes(64 << 10);
    let mut env = ENV.to_vec();
    env.push(("HEAP_MODEL_REPORT", "1"));
    let scenario = Scenario::rust(program).args(["standard"]).env(env).stdin(Stdin::Bytes(stdin));
    // Pages taken in, and ranges of them read into (`Run::probe_set_aside`).
    let counts = |out: &Outcome| -> (usize, usize) {
        assert_eq!(out.status, Status::Exit(0), "{}", stderr_of(out));
        assert!(stdout_of(out).ends_with("\ndone\n"));
        let err = stderr_of(out);
        let count = |prefix: String| -> usize {
            let line = err.lines().find_map(|l| l.strip_prefix(prefix.as_str())).unwrap_or_else(|| panic!("no {prefix:?} in:\n{err}"));
            line.parse().unwrap()
        };
        (count(format!("{program}: pages grown by others and taken into the heap: ")), count(format!("{program}: ranges of them read into: ")))
    };
    assert_eq!(counts(&run(&scenario, Runner::Native, true).unwrap()), (0, 0));
    for blocking in [true, false] {
        let (taken, read_into) = counts(&run(&scenario, Runner::Adapter, blocking).unwrap());
        assert!(taken > 0, "through the adapter, {program} took in no page grown by the adapter");
        assert!(read_into > 0, "through the adapter, {program} read into none of the pages it took in");
    }
}

#[test]
fn tinygo_model_takes_in_adapter_pages() {
    takes_in_adapter_pages("tinygo_model");
}

#[test]
fn go_model_takes_in_adapter_pages() {
    takes_in_adapter_pages("go_model");
}

/// The checks have teeth: each self-test case of a model writes where a
/// stranger could (into an object the program holds, one byte past a
/// buffer, into the allocator's metadata, into a page grown by someone
/// else before the heap takes it in) and must end with the report of it
/// and status 2; and a page grown by someone else and left zero is set
/// aside, read into and found right. Native runs: nothing here needs an
/// adapter.
fn checks_have_teeth(program: &'static str, cases: &[(&str, &str)]) {
    let out = run(&Scenario::rust(program).args(["selftest-probe"]), Runner::Native, true).unwrap();
    assert_eq!(out.status, Status::Exit(0), "{}", stderr_of(&out));
    assert_eq!(stdout_of(&out), "selftest-probe: ranges read into: 1\n");
    for (case, report) in cases {
        let out = run(&Scenario::rust(program).args([*case]), Runner::Native, true).unwrap();
        let err = stderr_of(&out);
        assert_eq!(out.status, Status::Exit(2), "{case}: {}\n{err}", stdout_of(&out));
        assert_eq!(err.lines().count(), 1, "{case}: {err}");
        assert!(err.starts_with(&format!("{program}: {report}")), "{case}: {err}");
    }
}

#[test]
fn tinygo_model_checks_have_teeth() {
    checks_have_teeth(
        "tinygo_model",
        &[
            ("selftest-object", "after selftest: object #"),
            ("selftest-redzone", "after selftest: the redzone of the 100-byte allocation at 0x"),
            ("selftest-metadata", "after selftest: the heap's block states (the metadata at the top of the heap) were changed behind the allocator's back in ["),
            ("selftest-foreign-page", "growing the heap absorbed memory that is not zero (TinyGo assumes grown memory is zero): byte 0x5a at 0x"),
        ],
    );
}

#[test]
fn go_model_checks_have_teeth() {
    checks_have_teeth(
        "go_model",
        &[
            ("selftest-object", "after selftest: object #"),
            ("selftest-redzone", "after selftest: the redzone of the 100-byte allocation at 0x"),
            ("selftest-metadata", "after selftest: the page table was changed behind the allocator's back: entry "),
            ("selftest-foreign-page", "sbrk handed out memory that is not zero (Go assumes it is): byte 0x5a at 0x"),
        ],
    );
}
