//! poll_oneoff, sleeping, stdio, sockets, proc_raise and sched_yield:
//! differential scenarios (native preview1 is the oracle).
//!
//! Programs: `tests/programs/src/bin/poll_subs.rs`, `poll_sleep.rs`,
//! `stdio_rw.rs`, `stdio_fd.rs`, `stdio_sock.rs`.
//!
//! One divergence is documented (README, "Known differences"): for a call
//! with exactly one relative clock subscription, native answers `nbytes` 1
//! when the host allows blocking the current thread and 0 (EINVAL for CPU-time
//! clocks) when it does not; the adapter always answers as the blocking host.
//! `poll_subs` marks those calls with a `[1rel]` label, and [`check_poll`]
//! allows exactly that difference and nothing else.
//!
//! Besides the harness, this file has its own runner ([`check_custom`]) for
//! stdio the harness cannot describe: a slow asynchronous stdout that accepts
//! part of each write, a real OS pipe drained by a slow reader thread, and a
//! real pseudo-terminal.

use std::collections::HashMap;
use std::fs::File;
use std::io::Read;
use std::pin::Pin;
use std::sync::{Arc, Mutex, OnceLock};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use adapter_tests::jco::differs;
use adapter_tests::{assert_lines, check, check_with, command_adapter, compare, component_status, engine, fuse, program_wasm, run, scratch_dir, snapshot, status_of, stderr_of, stdout_of, wasi_ctx, ComponentCtx, Outcome, Program, Runner, Scenario, Status, Stdin, Stdout};
use wasmtime::component::{Component, ResourceTable};
use wasmtime::{Error, Linker, Module, Store};
use wasmtime_wasi::cli::{IsTerminal, OutputFile, StdinStream, StdoutStream};
use wasmtime_wasi::p2::pipe::MemoryInputPipe;
use wasmtime_wasi::I32Exit;

fn poll_scenario(case: &str) -> Scenario {
    Scenario::rust("poll_subs")
        .args([case])
        .stdin(Stdin::Bytes(b"some input".to_vec()))
        .file("data.txt", "hello world")
        .file("empty.txt", "")
        .dir("sub")
}

// ---------------------------------------------------------------------------
// The documented divergence.

/// What native prints on a host that does not allow blocking, given what it
/// prints on one that does: `[1rel]` calls answer `nbytes` 0, and CPU-time
/// clocks fail with EINVAL (28) without writing anything.
fn documented_nonblocking(blocking: &str) -> String {
    let mut out = String::new();
    for line in blocking.lines() {
        if let Some(rest) = line.strip_prefix("[1rel] ") {
            let label = &rest[..rest.find(": ").expect("a labelled line")];
            if label.contains("cpu") {
                if label.ends_with(']') {
                    // The event is not written.
                    continue;
                }
                if rest[label.len()..].starts_with(": e=") {
                    out += &format!("[1rel] {label}: e=28 n=57005 rest=untouched\n");
                    continue;
                }
            }
            out += &line.replace(" nbytes=1 ", " nbytes=0 ");
        } else {
            out += line;
        }
        out += "\n";
    }
    out
}

/// [`check`] for `poll_subs` output: in the mode where native does not block
/// (recognised by its output differing from the blocking run's), native must
/// print exactly [`documented_nonblocking`] of its blocking output, and the
/// adapter must print the blocking output. Everything else must match.
fn check_poll(scenario: &Scenario) -> Outcome {
    let blocking = run(scenario, Runner::Native, true).unwrap();
    let blocking_text = stdout_of(&blocking);
    let documented = documented_nonblocking(&blocking_text);
    check_with(scenario, |native, adapter| {
        let status = component_status(&native.status);
        let native_text = stdout_of(native);
        if native_text == blocking_text {
            return compare(native, adapter, &status);
        }
        let mut diff = String::new();
        if native_text != documented {
            diff += &format!("native (non-blocking host) is not the documented divergence:\n--- expected\n{documented}--- native\n{native_text}");
        }
        let mut expected = native.clone();
        expected.stdout = blocking.stdout.clone();
        diff + &compare(&expected, adapter, &status)
    })
}

#[test]
fn single_relative_clock_divergence_is_as_documented() {
    let s = poll_scenario("single");
    let native_blocking = stdout_of(&run(&s, Runner::Native, true).unwrap());
    let native_nonblocking = stdout_of(&run(&s, Runner::Native, false).unwrap());
    let adapter_blocking = stdout_of(&run(&s, Runner::Adapter, true).unwrap());
    let adapter_nonblocking = stdout_of(&run(&s, Runner::Adapter, false).unwrap());
    // Native, blocking host: a plain sleep answered with nbytes 1, whatever the clock.
    assert_lines(&native_blocking, &[
        "[1rel] mono rel 0[0]: ud=0x2 err=0 type=0 nbytes=1 flags=0 pad=eeeeeeeeee/eeeeeeeeeeee",
        "[1rel] cpu process rel 1ms: e=0 n=1 rest=untouched",
        "[1rel] cpu process rel 1ms[0]: ud=0x6 err=0 type=0 nbytes=1 flags=0 pad=eeeeeeeeee/eeeeeeeeeeee",
        "[1rel] cpu thread rel 0: e=0 n=1 rest=untouched",
    ]);
    // Native, non-blocking host: the general path (nbytes 0, EINVAL for CPU-time clocks).
    assert_lines(&native_nonblocking, &[
        "[1rel] mono rel 0[0]: ud=0x2 err=0 type=0 nbytes=0 flags=0 pad=eeeeeeeeee/eeeeeeeeeeee",
        "[1rel] cpu process rel 1ms: e=28 n=57005 rest=untouched",
        "[1rel] cpu thread rel 0: e=28 n=57005 rest=untouched",
    ]);
    assert_ne!(native_blocking, native_nonblocking);
    assert_eq!(native_nonblocking, documented_nonblocking(&native_blocking));
    // Every other single subscription is the same in both modes.
    for line in native_blocking.lines().filter(|l| !l.starts_with("[1rel]")) {
        assert!(native_nonblocking.lines().any(|l| l == line), "{line}");
    }
    // The adapter answers as the blocking host, in both modes.
    assert_eq!(adapter_blocking, native_blocking);
    assert_eq!(adapter_nonblocking, native_blocking);
}

// ---------------------------------------------------------------------------
// poll_oneoff: clocks.

#[test]
fn poll_clock_subscriptions() {
    let out = check_poll(&poll_scenario("clocks"));
    let t = stdout_of(&out);
    assert_eq!(out.status, Status::Exit(0), "{}", stderr_of(&out));
    assert_lines(&t, &[
        "rt+mono rel 0: e=0 n=2 rest=untouched",
        "rt+mono rel 0[1]: ud=0x2 err=0 type=0 nbytes=0 flags=0 pad=eeeeeeeeee/eeeeeeeeeeee",
        "rt abs now-1s + mono abs now-1ms (past): e=0 n=2 rest=untouched",
        "mono rel 0 + mono rel 1h: e=0 n=1 rest=untouched",
        "mono rel 0 + mono rel 1h[0]: ud=0x7 err=0 type=0 nbytes=0 flags=0 pad=eeeeeeeeee/eeeeeeeeeeee",
        "huge: rt rel max + rt abs max + mono abs max + rt rel 0[0]: ud=0x10 err=0 type=0 nbytes=0 flags=0 pad=eeeeeeeeee/eeeeeeeeeeee",
        "huge: mono rel max + stdin[0]: ud=0x12 err=0 type=1 nbytes=1 flags=0 pad=eeeeeeeeee/eeeeeeeeeeee",
        "precision ignored: e=0 n=2 rest=untouched",
        "garbage padding ignored: e=0 n=2 rest=untouched",
        "userdata extremes[1]: ud=0xffffffffffffffff err=0 type=0 nbytes=0 flags=0 pad=eeeeeeeeee/eeeeeeeeeeee",
        "duplicates: e=0 n=2 rest=untouched",
        "mono abs now+30ms + mono rel 1h: waited>=25ms=true waited<60s=true",
        "rt abs now+30ms + rt rel 1h: waited>=20ms=true waited<60s=true",
        // One absolute clock is not the special case: nbytes 0, in both modes.
        "mono abs now+20ms alone[0]: ud=0x22 err=0 type=0 nbytes=0 flags=0 pad=eeeeeeeeee/eeeeeeeeeeee",
    ]);
    // Native writes the event fields only: the padding keeps the 0xee filling.
    assert!(!t.contains("pad=00"), "{t}");
}

#[test]
fn poll_single_subscription() {
    let out = check_poll(&poll_scenario("single"));
    assert_lines(&stdout_of(&out), &[
        "[1rel] mono rel 20ms: waited>=20ms=true waited<60s=true",
        "mono abs 0[0]: ud=0x9 err=0 type=0 nbytes=0 flags=0 pad=eeeeeeeeee/eeeeeeeeeeee",
        "cpu process abs 0: e=28 n=57005 rest=untouched",
        "cpu thread abs max: e=28 n=57005 rest=untouched",
        "clock id 4 rel: e=28 n=57005 rest=untouched",
        "clock flags 2: e=28 n=57005 rest=untouched",
        "tag 3: e=28 n=57005 rest=untouched",
        "stdout write[0]: ud=0x13 err=0 type=2 nbytes=1 flags=0 pad=eeeeeeeeee/eeeeeeeeeeee",
    ]);
}

#[test]
fn poll_invalid_subscriptions() {
    let out = check(&poll_scenario("errors"));
    let t = stdout_of(&out);
    assert_eq!(out.status, Status::Exit(0), "{}", stderr_of(&out));
    assert_lines(&t, &[
        "zero subscriptions: e=28 n=57005 rest=untouched",
        "zero subscriptions, pointers past the end: e=28 n=57005 rest=untouched",
        "cpu process rel: e=28 n=57005 rest=untouched",
        "cpu thread abs: e=28 n=57005 rest=untouched",
        "clock id max: e=28 n=57005 rest=untouched",
        "flags 0xffff: e=28 n=57005 rest=untouched",
        "tag 255: e=28 n=57005 rest=untouched",
        // The first bad subscription decides the errno.
        "bad fd then tag 3: e=8 n=57005 rest=untouched",
        "tag 3 then bad fd: e=28 n=57005 rest=untouched",
        "clock 1h then bad fd: e=8 n=57005 rest=untouched",
        "einval with misaligned events past the end: e=28 n=57005",
        "n=2097153 (past the end): e=48 n=57005",
        "n=4294967295 (real subscriptions): e=48 n=57005",
    ]);
}

#[test]
fn poll_many_subscriptions() {
    let out = check_poll(&poll_scenario("many").wasmtime_only(differs::STDIN_STREAM));
    let t = stdout_of(&out);
    assert_lines(&t, &[
        "100 subscriptions, every other ready: e=0 n=50 rest=untouched",
        "100 subscriptions, every other ready[49]: ud=0x44a err=0 type=0 nbytes=0 flags=0 pad=eeeeeeeeee/eeeeeeeeeeee",
        "1000 past deadlines: e=0 n=1000 rest=untouched",
        "1000 past deadlines[999]: ud=0x3e7 err=0 type=0 nbytes=0 flags=0 pad=eeeeeeeeee/eeeeeeeeeeee",
        "1000 subscriptions, one ready[0]: ud=0x309 err=0 type=0 nbytes=0 flags=0 pad=eeeeeeeeee/eeeeeeeeeeee",
        "300 waiting clocks + stdio: e=0 n=3 rest=untouched",
        "5000 subscriptions, the last ready[0]: ud=0x1387 err=0 type=0 nbytes=0 flags=0 pad=eeeeeeeeee/eeeeeeeeeeee",
        "999 clocks then a cpu clock: e=28 n=57005 rest=untouched",
        "three subscriptions, room for one event at the end of memory: e=0 n=1 rest=untouched",
    ]);
}

/// Native refuses (NOMEM) when its host copies of the subscriptions and
/// events (32 + 32 bytes each, the in-memory size of wiggle's types, not the
/// 48 + 32 of the guest layout) would exceed the 128 MiB hostcall fuel:
/// n > 2,097,152. Nothing is read then, even past the end of memory.
#[test]
fn poll_nsubscriptions_over_the_native_limit_is_nomem() {
    for n in ["2097153", "3000000", "4294967295"] {
        let out = check(&poll_scenario("limit").args(["limit", n]));
        assert_eq!(stdout_of(&out), format!("calling with n={n}\nn={n}: e=48 n=57005\n"));
    }
}

/// Below that limit native reads the subscriptions, so starting at the end
/// of memory traps.
#[test]
fn poll_nsubscriptions_below_the_native_limit_traps() {
    for n in ["3", "1677721", "1677722", "2097152"] {
        let out = check(&poll_scenario("limit").args(["limit", n]));
        assert!(matches!(out.status, Status::Trap(_)), "n={n}: {:?}", out.status);
        assert_eq!(stdout_of(&out), format!("calling with n={n}\n"));
    }
}

#[test]
fn poll_hostile_pointers_trap() {
    for case in [
        "subs-misaligned",
        "subs-misaligned-single",
        "subs-oob",
        "subs-oob-single",
        "subs-past-end",
        "subs-wrap",
        "n-past-end",
        "events-misaligned",
        "events-oob",
        "events-past-end",
        "events-oob-single",
        "events-oob-single-rel",
        "events-misaligned-single-rel",
        "nevents-oob",
        "nevents-misaligned",
        "nevents-oob-single-rel",
    ] {
        let out = check(&poll_scenario(case));
        assert!(matches!(out.status, Status::Trap(_)), "{case}: native {:?}\n{}", out.status, stdout_of(&out));
        assert_eq!(stdout_of(&out), format!("case {case}\n"));
    }
}

/// Native reads a subscription field by field: an fd subscription needs
/// only its first 20 bytes (userdata, tag, fd) to be in memory.
#[test]
fn poll_fd_subscription_ending_past_memory() {
    let out = check(&poll_scenario("subs-straddle-fd"));
    assert_eq!(out.status, Status::Exit(0));
    assert_lines(&stdout_of(&out), &[
        "no trap: e=0 n=1",
        "subs-straddle-fd[0]: ud=0x5 err=0 type=1 nbytes=1 flags=0 pad=eeeeeeeeee/eeeeeeeeeeee",
    ]);
    let out = check(&poll_scenario("subs-straddle-fd-pair").wasmtime_only(differs::STDIN_STREAM));
    assert_eq!(out.status, Status::Exit(0));
    assert_lines(&stdout_of(&out), &["no trap: e=0 n=2"]);
}

// ---------------------------------------------------------------------------
// poll_oneoff: descriptors.

#[test]
fn poll_fd_subscriptions() {
    let out = check_poll(&poll_scenario("fds").wasmtime_only(differs::STDIN_STREAM));
    assert_eq!(out.status, Status::Exit(0), "{}", stderr_of(&out));
    let t = stdout_of(&out);
    assert_lines(&t, &[
        "stdio all: e=0 n=3 rest=untouched",
        "stdio all[1]: ud=0x5 err=0 type=1 nbytes=1 flags=0 pad=eeeeeeeeee/eeeeeeeeeeee",
        "stdin twice: e=0 n=2 rest=untouched",
        // A zero timeout yields once to the host's executor: stdin wins alone.
        "stdin + clock 0 (the clock yields once): e=0 n=1 rest=untouched",
        "stdin write: e=8 n=57005 rest=untouched",
        "stdout read: e=8 n=57005 rest=untouched",
        "preopen read: e=8 n=57005 rest=untouched",
        "bad fd after good ones: e=8 n=57005 rest=untouched",
        "directory write: e=8 n=57005 rest=untouched",
        "file read at 0[0]: ud=0x1a err=0 type=1 nbytes=1 flags=0 pad=eeeeeeeeee/eeeeeeeeeeee",
        "file read+clock[0]: ud=0x1d err=0 type=1 nbytes=1 flags=0 pad=eeeeeeeeee/eeeeeeeeeeee",
        // At or past the end: HANGUP, still nbytes 1.
        "file read at end[0]: ud=0x20 err=0 type=1 nbytes=1 flags=1 pad=eeeeeeeeee/eeeeeeeeeeee",
        "file read past end[0]: ud=0x22 err=0 type=1 nbytes=1 flags=1 pad=eeeeeeeeee/eeeeeeeeeeee",
        "empty file read[0]: ud=0x27 err=0 type=1 nbytes=1 flags=1 pad=eeeeeeeeee/eeeeeeeeeeee",
        "read-only file write[0]: ud=0x2a err=0 type=2 nbytes=1 flags=0 pad=eeeeeeeeee/eeeeeeeeeeee",
        "write-only file read[0]: ud=0x2c err=0 type=1 nbytes=1 flags=1 pad=eeeeeeeeee/eeeeeeeeeeee",
        "append file read after write[0]: ud=0x2f err=0 type=1 nbytes=1 flags=1 pad=eeeeeeeeee/eeeeeeeeeeee",
        "mixed: e=0 n=4 rest=untouched",
        "closed file: e=8 n=57005 rest=untouched",
        "closed stdin: e=8 n=57005 rest=untouched",
        // Polling does not move the position.
        "read fd 4 100: e=0 \"world\"",
    ]);
    assert_lines(&stderr_of(&out), &["closed stdout: e=8 n=57005 rest=untouched", "stderr after closing stdout: e=0 n=1 rest=untouched"]);
    assert!(out.tree.iter().any(|(p, n)| p.to_str() == Some("data.txt") && *n == adapter_tests::Node::File(b"HELLO world+appended".to_vec())), "{:?}", out.tree);
}

/// Polling stdin with a timeout: a memory pipe is ready at once whether it
/// holds data, is empty (at end of file) or is closed.
#[test]
fn poll_stdin_with_timeout() {
    for (stdin, drained) in [
        (Stdin::Bytes(b"some input".to_vec()), "drained 6 bytes, last read e=0"),
        (Stdin::Bytes(Vec::new()), "drained 0 bytes, last read e=0"),
        (Stdin::Closed, "drained 0 bytes, last read e=0"),
    ] {
        let out = check_poll(&poll_scenario("stdin").stdin(stdin.clone()));
        let t = stdout_of(&out);
        assert_lines(&t, &[
            "stdin + clock 1h: e=0 n=1 rest=untouched",
            "stdin + clock 1h[0]: ud=0x1 err=0 type=1 nbytes=1 flags=0 pad=eeeeeeeeee/eeeeeeeeeeee",
            "clock 10s + stdin[0]: ud=0x4 err=0 type=1 nbytes=1 flags=0 pad=eeeeeeeeee/eeeeeeeeeeee",
            drained,
            "stdin at eof + clock 1h[0]: ud=0x7 err=0 type=1 nbytes=1 flags=0 pad=eeeeeeeeee/eeeeeeeeeeee",
            "stdin at eof alone: e=0 n=1 rest=untouched",
        ]);
        let first_read = if matches!(stdin, Stdin::Closed) { "read fd 0 4: e=0 \"\"" } else if drained.contains(" 6 ") { "read fd 0 4: e=0 \"some\"" } else { "read fd 0 4: e=0 \"\"" };
        assert!(t.contains(first_read), "{t}");
    }
}

// ---------------------------------------------------------------------------
// Sleeping.

#[test]
fn thousand_one_millisecond_sleeps() {
    let s = Scenario::rust("poll_sleep").args(["loop", "1000"]);
    let out = check(&s);
    assert_eq!(
        stdout_of(&out),
        "1000 sleeps of 1 ms, each at least 1 ms: true\nelapsed >= 1000 ms: true\nrealtime agrees: true\nelapsed < 22000 ms: true\n"
    );
    // Measured from outside too: at least a second, and reasonable.
    for blocking in [true, false] {
        let start = Instant::now();
        let o = run(&s, Runner::Adapter, blocking).unwrap();
        let wall = start.elapsed();
        assert_eq!(o.stdout, out.stdout);
        assert!(wall >= Duration::from_secs(1) && wall < Duration::from_secs(20), "blocking={blocking}: {wall:?}");
    }
}

/// User plus system CPU time of this process (`/proc/self/stat` fields 14 and 15).
fn process_cpu() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap();
    // Fields after the command name (which may hold spaces), from field 3 on.
    let fields: Vec<&str> = stat[stat.rfind(')').unwrap() + 2..].split(' ').collect();
    let ticks: u64 = fields[14 - 3].parse::<u64>().unwrap() + fields[15 - 3].parse::<u64>().unwrap();
    Duration::from_secs_f64(ticks as f64 / clock_ticks() as f64)
}

fn clock_ticks() -> u64 {
    static TICKS: OnceLock<u64> = OnceLock::new();
    *TICKS.get_or_init(|| {
        let out = std::process::Command::new("getconf").arg("CLK_TCK").output();
        out.ok().and_then(|o| String::from_utf8(o.stdout).ok()).and_then(|s| s.trim().parse().ok()).unwrap_or(100)
    })
}

/// A 2-second sleep uses (almost) no CPU. Measured in a child process
/// running only [`sleep_cpu_child`], so that no other test's CPU time counts.
#[test]
fn two_second_sleep_uses_no_cpu() {
    let output = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["sleep_cpu_child", "--exact", "--ignored", "--nocapture", "--test-threads=1"])
        .env("POLL_STDIO_CPU_CHILD", "1")
        .output()
        .unwrap();
    let t = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "{t}");
    assert_eq!(t.matches("cpu-measurement: ").count(), 4, "{t}");
}

#[test]
#[ignore = "run by two_second_sleep_uses_no_cpu in a process of its own"]
fn sleep_cpu_child() {
    if std::env::var_os("POLL_STDIO_CPU_CHILD").is_none() {
        return;
    }
    let warm_up = Scenario::rust("poll_sleep").args(["sleep", "0"]);
    let s = Scenario::rust("poll_sleep").args(["sleep", "2000"]);
    for runner in [Runner::Native, Runner::Adapter] {
        for blocking in [true, false] {
            // Compiles and caches the module or component first.
            run(&warm_up, runner, blocking).unwrap();
            let (cpu0, start) = (process_cpu(), Instant::now());
            let out = run(&s, runner, blocking).unwrap();
            let (cpu, wall) = (process_cpu() - cpu0, start.elapsed());
            println!("cpu-measurement: {runner:?} blocking={blocking} wall={wall:?} cpu={cpu:?}");
            assert_eq!(out.status, Status::Exit(0));
            assert_lines(&stdout_of(&out), &["elapsed >= 2000 ms: true"]);
            assert!(wall >= Duration::from_secs(2), "{wall:?}");
            assert!(cpu < Duration::from_millis(500), "{runner:?} blocking={blocking}: {cpu:?} of CPU for a 2 s sleep");
        }
    }
}

// ---------------------------------------------------------------------------
// stdio.

#[test]
fn stdin_reads_of_many_sizes() {
    let input: Vec<u8> = (0..150_000u32).flat_map(|i| format!("{i} line of stdin ü\n").into_bytes()).collect();
    let out = check(&Scenario::rust("stdio_rw").args(["read-sizes"]).stdin(Stdin::Bytes(input.clone())).wasmtime_only(differs::STDIN_STREAM));
    assert_eq!(out.stdout, input);
    let err = stderr_of(&out);
    assert_lines(&err, &[
        "read #0 size=1 shape=0: e=0 n=1 second_untouched=true",
        // Two buffers: only the first is filled.
        "read #2 size=3 shape=2: e=0 n=3 second_untouched=true",
        // A zero-length read with data pending is EINTR natively; at end of file it is 0.
        "read #3 size=7 shape=3: e=27 n=57005 second_untouched=true",
        "read #4 size=16 shape=4: e=27 n=57005 second_untouched=true",
        // A memory pipe gives a whole megabyte at once.
        "read #41 size=1048576 shape=0: e=0 n=1048576 second_untouched=true",
        "zero-length read at eof: (0, 0)",
        "no iovecs at eof: (0, 0)",
        &format!("echo: e=0 n={}", input.len()),
    ]);
}

#[test]
fn stdin_small_and_empty() {
    for input in [&b""[..], b"x", b"\n", b"abc\ndef"] {
        let out = check(&Scenario::rust("stdio_rw").args(["read-sizes"]).stdin(Stdin::Bytes(input.to_vec())).wasmtime_only(differs::STDIN_END));
        assert_eq!(out.stdout, input);
        assert!(stderr_of(&out).contains(&format!("total {} bytes", input.len())));
    }
}

#[test]
fn stdin_closed() {
    let out = check(&Scenario::rust("stdio_rw").args(["closed-stdin"]).stdin(Stdin::Closed).wasmtime_only(differs::STDIN_END));
    assert_eq!(stderr_of(&out).lines().filter(|l| l.ends_with(": (0, 0)")).count(), 15, "{}", stderr_of(&out));
}

#[test]
fn stdout_and_stderr_writes_of_many_sizes() {
    let out = check(&Scenario::rust("stdio_rw").args(["write-sizes"]));
    let err = stderr_of(&out);
    // Native writes the first non-empty buffer, whole.
    assert_lines(&err, &[
        "write fd=1 size=0 shape=0: e=0 n=0",
        "write fd=1 size=4097 shape=2: e=0 n=4097",
        "write fd=1 size=3145733 shape=0: e=0 n=3145733",
        "write fd=1 size=3145733 shape=3: e=0 n=0",
        "write fd=2 size=65537 shape=1: e=0 n=65537",
    ]);
    assert!(out.stdout.len() > 10 << 20, "{}", out.stdout.len());
}

#[test]
fn four_mib_to_stdout_in_64k_writes() {
    let out = check(&Scenario::rust("stdio_rw").args(["flood-64k"]));
    assert_eq!(out.stdout.len(), 4 << 20);
    assert!(stderr_of(&out).starts_with("calls=64 full=64 fnv="), "{}", stderr_of(&out));
}

#[test]
fn many_small_writes() {
    let out = check(&Scenario::rust("stdio_rw").args(["many-small"]));
    assert_eq!(stdout_of(&out).lines().count(), 50_000);
    assert!(stderr_of(&out).ends_with("bad=0\n"));
}

#[test]
fn writing_to_a_closed_stdout() {
    let out = check(&Scenario::rust("stdio_rw").args(["closed-stdout"]).stdout(Stdout::Closed));
    assert_lines(&stderr_of(&out), &[
        // Nothing to write: success without touching the stream.
        "closed stdout: size=0 shape=0: e=0 n=0",
        "closed stdout: size=4096 shape=3: e=0 n=0",
        // Otherwise EIO (29).
        "closed stdout: size=1 shape=0: e=29 n=57005",
        "closed stdout: size=0 shape=2: e=29 n=57005",
        "closed stdout: size=70000 shape=1: e=29 n=57005",
        "std write: Err(Some(29))",
        "close(1)=0 then write: (8, 57005)",
    ]);
}

#[test]
fn stdio_fdstat_and_filestat() {
    let out = check(&Scenario::rust("stdio_fd").args(["stat"]));
    assert_eq!(
        stderr_of(&out),
        "fdstat(0)=0 filetype=0 flags=0x0 base=0x2 inheriting=0x2 pad=[238, 238, 238, 238]\n\
         filestat(0)=0 dev_set=false ino_set=false filetype=0 pad=[238, 238, 238, 238, 238, 238, 238] nlink=0 size=0 atim_set=false mtim_set=false ctim_set=false\n\
         fdstat(1)=0 filetype=0 flags=0x0 base=0x40 inheriting=0x40 pad=[238, 238, 238, 238]\n\
         filestat(1)=0 dev_set=false ino_set=false filetype=0 pad=[238, 238, 238, 238, 238, 238, 238] nlink=0 size=0 atim_set=false mtim_set=false ctim_set=false\n\
         fdstat(2)=0 filetype=0 flags=0x0 base=0x40 inheriting=0x40 pad=[238, 238, 238, 238]\n\
         filestat(2)=0 dev_set=false ino_set=false filetype=0 pad=[238, 238, 238, 238, 238, 238, 238] nlink=0 size=0 atim_set=false mtim_set=false ctim_set=false\n"
    );
}

#[test]
fn stdio_fdstat_set_flags() {
    let out = check(&Scenario::rust("stdio_fd").args(["set-flags"]).file("data.txt", "hello world"));
    let err = stderr_of(&out);
    // EBADF for everything but a file (stdio and the preopen included), whatever the flags.
    assert_eq!(err.lines().filter(|l| l.starts_with("set_flags(") && l.contains(")=8 ->")).count(), 8 * 5, "{err}");
    assert_lines(&err, &[
        "set_flags(4, 0x5)=0 -> fdstat(4)=0 filetype=4 flags=0x5 base=0x3fffffff inheriting=0x3fffffff pad=[238, 238, 238, 238]",
        "set_flags(4, 0x2)=28 -> fdstat(4)=0 filetype=4 flags=0x1 base=0x3fffffff inheriting=0x3fffffff pad=[238, 238, 238, 238]",
    ]);
    assert_eq!(stdout_of(&out), "stdout still works\n");
}

#[test]
fn stdio_fdstat_set_flags_outside_fdflags_traps() {
    for (fd, flags) in [("1", "32"), ("0", "65535"), ("99", "65536"), ("3", "4294967295")] {
        let out = check(&Scenario::rust("stdio_fd").args(["set-flags-bad", fd, flags]));
        assert!(matches!(out.status, Status::Trap(_)), "{fd} {flags}: {:?}", out.status);
    }
}

#[test]
fn renumbering_stdio() {
    let out = check(&Scenario::rust("stdio_fd").args(["renumber-stdio"]).stdin(Stdin::Bytes(b"some input".to_vec())));
    // After renumber(2, 1), fd 1 is the stderr stream: everything lands on stderr.
    assert!(out.stdout.is_empty());
    assert_lines(&stderr_of(&out), &[
        "renumber(1, 1)=0",
        "renumber(1, 7)=8",
        "renumber(7, 1)=8",
        "renumber(2, 1)=0",
        "write(2, \"gone\")=8 n=57005",
        "read(3, 5)=0 n=5 \"some \"",
        "fdstat(3)=0 filetype=0 flags=0x0 base=0x2 inheriting=0x2 pad=[238, 238, 238, 238]",
        "open after losing the preopen: 8 fd=57005",
    ]);
    let out = check(&Scenario::rust("stdio_fd").args(["renumber-file-onto-stdout"]).file("data.txt", "hello world"));
    assert!(out.stdout.is_empty());
    assert_lines(&stderr_of(&out), &[
        "fdstat(1)=0 filetype=4 flags=0x0 base=0x3fffffff inheriting=0x3fffffff pad=[238, 238, 238, 238]",
        "read(1, 100)=0 n=13 \"INTO-THE-FILE\"",
        "reused=true",
        "write(1, \"stderr text via fd 1\\n\")=0 n=21",
        "fdstat(2)=8 untouched=true",
    ]);
    assert!(out.tree.iter().any(|(p, n)| p.to_str() == Some("data.txt") && *n == adapter_tests::Node::File(b"INTO-THE-FILE".to_vec())));
}

#[test]
fn closing_stdio_then_writing() {
    let out = check(&Scenario::rust("stdio_fd").args(["close-stdio"]).file("data.txt", "hello world"));
    assert_eq!(out.status, Status::Exit(0));
    assert_lines(&stderr_of(&out), &[
        "write(1, \"after close\")=8 n=57005",
        "close(1)=8",
        "read(0, 4)=8 n=57005 \"\"",
        // Native hands out the highest freed number first.
        "fds: 1 0 4",
        "read(0, 100)=0 n=11 \"Aello world\"",
    ]);
}

// ---------------------------------------------------------------------------
// Sockets, signals, yield.

#[test]
fn sockets_on_non_sockets() {
    let out = check(&Scenario::rust("stdio_sock").file("data.txt", "hello world").dir("sub"));
    let t = stdout_of(&out);
    let notsock = "accept=[57, 57, 57, 57] recv=[57, 57, 57, 57] send=[57, 57, 57] shutdown=[57, 57, 57, 57] hostile=[57, 57, 57]";
    let badf = "accept=[8, 8, 8, 8] recv=[8, 8, 8, 8] send=[8, 8, 8] shutdown=[8, 8, 8, 8] hostile=[8, 8, 8]";
    let mut expected: Vec<String> = ["stdin", "stdout", "stderr", "preopen", "dir", "file"].iter().map(|n| format!("{n}: {notsock}")).collect();
    expected.extend(["closed", "bad", "max"].iter().map(|n| format!("{n}: {badf}")));
    expected.push("untouched: buf=true outs=true".into());
    expected.push("seek(file)=0 pos=11".into());
    expected.push(format!("proc_raise: {:?}", (0..=30u32).map(|s| (s, 58)).collect::<Vec<_>>()));
    expected.push("sched_yield x1000: all zero=true".into());
    let expected: Vec<&str> = expected.iter().map(String::as_str).collect();
    assert_lines(&t, &expected);
}

#[test]
fn socket_and_signal_values_outside_their_types_trap() {
    for args in [
        ["accept", "1", "32"],
        ["accept", "99", "65536"],
        ["recv", "1", "4"],
        ["recv", "99", "4"],
        ["send", "1", "65536"],
        ["shutdown", "99", "4"],
        ["raise", "0", "31"],
        ["raise", "0", "256"],
        ["raise", "0", "4294967295"],
    ] {
        let out = check(&Scenario::rust("stdio_sock").args(["bad"].into_iter().chain(args)));
        assert!(matches!(out.status, Status::Trap(_)), "{args:?}: {:?}", out.status);
        assert!(stdout_of(&out).ends_with("...\n"), "{args:?}: {}", stdout_of(&out));
    }
}

// ---------------------------------------------------------------------------
// Stdio the harness cannot describe: a custom runner.

/// A stdout that is slow to take data: every other write attempt is
/// "pending" (and wakes itself), and a write takes at most `chunk` bytes.
#[derive(Clone)]
struct SlowAsyncStdout {
    data: Arc<Mutex<Vec<u8>>>,
    chunk: usize,
}

struct SlowWriter {
    pipe: SlowAsyncStdout,
    stall: bool,
}

impl IsTerminal for SlowAsyncStdout {
    fn is_terminal(&self) -> bool {
        false
    }
}

impl StdoutStream for SlowAsyncStdout {
    fn async_stream(&self) -> Box<dyn tokio::io::AsyncWrite + Send + Sync> {
        Box::new(SlowWriter { pipe: self.clone(), stall: false })
    }
}

impl tokio::io::AsyncWrite for SlowWriter {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<std::io::Result<usize>> {
        self.stall = !self.stall;
        if self.stall {
            cx.waker().wake_by_ref();
            return Poll::Pending;
        }
        let n = buf.len().min(self.pipe.chunk);
        self.pipe.data.lock().unwrap().extend_from_slice(&buf[..n]);
        Poll::Ready(Ok(n))
    }
    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }
    fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

/// An output file (a pipe or a terminal) that says what it is.
struct FileOut {
    file: OutputFile,
    terminal: bool,
}

impl IsTerminal for FileOut {
    fn is_terminal(&self) -> bool {
        self.terminal
    }
}

impl StdoutStream for FileOut {
    fn p2_stream(&self) -> Box<dyn wasmtime_wasi::p2::OutputStream> {
        self.file.p2_stream()
    }
    fn async_stream(&self) -> Box<dyn tokio::io::AsyncWrite + Send + Sync> {
        self.file.async_stream()
    }
}

/// A memory stdin the host declares a terminal.
struct TerminalStdin(MemoryInputPipe);

impl IsTerminal for TerminalStdin {
    fn is_terminal(&self) -> bool {
        true
    }
}

impl StdinStream for TerminalStdin {
    fn p2_stream(&self) -> Box<dyn wasmtime_wasi::p2::InputStream> {
        self.0.p2_stream()
    }
    fn async_stream(&self) -> Box<dyn tokio::io::AsyncRead + Send + Sync> {
        self.0.async_stream()
    }
}

/// A pseudo-terminal: (master, slave), through libc (which std links).
#[cfg(target_os = "linux")]
fn open_pty() -> std::io::Result<(File, File)> {
    use std::os::fd::FromRawFd;
    use std::os::unix::fs::OpenOptionsExt;
    extern "C" {
        fn posix_openpt(flags: i32) -> i32;
        fn grantpt(fd: i32) -> i32;
        fn unlockpt(fd: i32) -> i32;
        fn ptsname_r(fd: i32, buf: *mut std::ffi::c_char, len: usize) -> i32;
    }
    const O_RDWR: i32 = 2;
    const O_NOCTTY: i32 = 0o400;
    let fd = unsafe { posix_openpt(O_RDWR | O_NOCTTY) };
    if fd < 0 {
        return Err(std::io::Error::last_os_error());
    }
    let master = unsafe { File::from_raw_fd(fd) };
    let mut name = [0u8; 128];
    if unsafe { grantpt(fd) } != 0 || unsafe { unlockpt(fd) } != 0 {
        return Err(std::io::Error::last_os_error());
    }
    let e = unsafe { ptsname_r(fd, name.as_mut_ptr().cast(), name.len()) };
    if e != 0 {
        return Err(std::io::Error::from_raw_os_error(e));
    }
    let name = std::ffi::CStr::from_bytes_until_nul(&name).unwrap().to_str().unwrap().to_owned();
    let slave = std::fs::OpenOptions::new().read(true).write(true).custom_flags(O_NOCTTY).open(name)?;
    Ok((master, slave))
}

#[derive(Clone, Copy, Debug)]
enum CustomIo {
    /// stdout is a [`SlowAsyncStdout`] taking at most this many bytes a write.
    SlowAsync(usize),
    /// stdout is a real OS pipe; a thread reads it in small pieces, sleeping between reads.
    SlowPipe,
    /// stdout and stderr are one real pseudo-terminal (its output is the
    /// outcome's stdout); stdin is a memory pipe declared a terminal.
    Terminal,
}

/// Everything from `reader` until end of file (or EIO: a pty whose other end is closed).
fn drain(mut reader: impl Read, slow: bool) -> Vec<u8> {
    let mut all = Vec::new();
    let mut buf = vec![0u8; 8192];
    loop {
        match reader.read(&mut buf) {
            Ok(0) | Err(_) => return all,
            Ok(n) => all.extend_from_slice(&buf[..n]),
        }
        if slow {
            std::thread::sleep(Duration::from_micros(500));
        }
    }
}

fn cached_module(program: &Program) -> Module {
    static CACHE: OnceLock<Mutex<HashMap<String, Module>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let key = format!("{program:?}");
    if let Some(m) = cache.lock().unwrap().get(&key) {
        return m.clone();
    }
    let m = Module::new(engine(), &*program_wasm(program)).unwrap();
    cache.lock().unwrap().insert(key, m.clone());
    m
}

fn cached_component(program: &Program) -> Component {
    static CACHE: OnceLock<Mutex<HashMap<String, Component>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let key = format!("{program:?}");
    if let Some(c) = cache.lock().unwrap().get(&key) {
        return c.clone();
    }
    let c = Component::new(engine(), fuse(&program_wasm(program), command_adapter()).unwrap()).unwrap();
    cache.lock().unwrap().insert(key, c.clone());
    c
}

/// Like the harness's `run`, with the stdio of `io`.
fn run_custom(scenario: &Scenario, runner: Runner, blocking: bool, io: CustomIo) -> Outcome {
    let dir = scratch_dir(&scenario.dirs, &scenario.files);
    let (mut builder, _, stderr) = wasi_ctx(scenario, &dir, blocking).unwrap();
    let mut pty_stderr = false;
    let collect: Box<dyn FnOnce() -> Vec<u8>> = match io {
        CustomIo::SlowAsync(chunk) => {
            let out = SlowAsyncStdout { data: Default::default(), chunk };
            builder.stdout(out.clone());
            Box::new(move || std::mem::take(&mut *out.data.lock().unwrap()))
        }
        CustomIo::SlowPipe => {
            let (reader, writer) = std::io::pipe().unwrap();
            let file = File::from(std::os::fd::OwnedFd::from(writer));
            builder.stdout(FileOut { file: OutputFile::new(file), terminal: false });
            let thread = std::thread::spawn(move || drain(reader, true));
            Box::new(move || thread.join().unwrap())
        }
        CustomIo::Terminal => {
            let (master, slave) = open_pty().expect("a pseudo-terminal");
            let terminal = std::io::IsTerminal::is_terminal(&slave);
            assert!(terminal);
            builder.stdout(FileOut { file: OutputFile::new(slave.try_clone().unwrap()), terminal });
            builder.stderr(FileOut { file: OutputFile::new(slave), terminal });
            pty_stderr = true;
            let input = match &scenario.stdin {
                Stdin::Bytes(b) => b.clone(),
                Stdin::Closed => Vec::new(),
            };
            builder.stdin(TerminalStdin(MemoryInputPipe::new(input)));
            let thread = std::thread::spawn(move || drain(master, false));
            Box::new(move || thread.join().unwrap())
        }
    };
    // The store (and with it every handle on the host's streams) is dropped at the end of the block.
    let status = match runner {
        Runner::Native => {
            let mut linker = Linker::new(engine());
            wasmtime_wasi::p1::add_to_linker_sync(&mut linker, |cx| cx).unwrap();
            let mut store = Store::new(engine(), builder.build_p1());
            let module = cached_module(&scenario.program);
            status_of(linker.instantiate(&mut store, &module).and_then(|instance| {
                let start = instance.get_typed_func::<(), ()>(&mut store, "_start")?;
                start.call(&mut store, ())
            }))
        }
        _ => {
            let mut linker = wasmtime::component::Linker::new(engine());
            wasmtime_wasi::p2::add_to_linker_sync(&mut linker).unwrap();
            let mut store = Store::new(engine(), ComponentCtx { wasi: builder.build(), table: ResourceTable::new() });
            let component = cached_component(&scenario.program);
            status_of(
                wasmtime_wasi::p2::bindings::sync::Command::instantiate(&mut store, &component, &linker)
                    .and_then(|command| command.wasi_cli_run().call_run(&mut store))
                    .and_then(|r| r.map_err(|()| Error::new(I32Exit(1)))),
            )
        }
    };
    drop(builder);
    let stdout = collect();
    let tree = snapshot(&dir);
    std::fs::remove_dir_all(&dir).ok();
    let stderr = if pty_stderr { Vec::new() } else { stderr.contents().to_vec() };
    Outcome { stdout, stderr, status, tree, host_resources: None }
}

/// [`check`] with the stdio of `io`.
fn check_custom(scenario: &Scenario, io: CustomIo) -> Outcome {
    let mut first = None;
    for blocking in [true, false] {
        let native = run_custom(scenario, Runner::Native, blocking, io);
        let adapter = run_custom(scenario, Runner::Adapter, blocking, io);
        let diff = compare(&native, &adapter, &component_status(&native.status));
        assert!(diff.is_empty(), "{io:?} {:?} (allow_blocking_current_thread={blocking}): native and adapter differ:\n{diff}", scenario.args);
        first.get_or_insert(native);
    }
    first.unwrap()
}

#[test]
fn four_mib_to_a_slow_async_stdout() {
    for chunk in [1000, 65536] {
        let out = check_custom(&Scenario::rust("stdio_rw").args(["flood-64k"]), CustomIo::SlowAsync(chunk));
        assert_eq!(out.stdout.len(), 4 << 20);
        assert!(stderr_of(&out).starts_with("calls=64 full=64 fnv="), "{}", stderr_of(&out));
    }
}

#[test]
fn writes_of_many_sizes_to_a_slow_async_stdout() {
    let out = check_custom(&Scenario::rust("stdio_rw").args(["write-sizes"]), CustomIo::SlowAsync(3000));
    assert_lines(&stderr_of(&out), &["write fd=1 size=3145733 shape=0: e=0 n=3145733"]);
}

#[test]
fn four_mib_to_a_slowly_read_pipe() {
    let out = check_custom(&Scenario::rust("stdio_rw").args(["flood-64k"]), CustomIo::SlowPipe);
    assert_eq!(out.stdout.len(), 4 << 20);
    assert!(stderr_of(&out).starts_with("calls=64 full=64 fnv="), "{}", stderr_of(&out));
    let out = check_custom(&Scenario::rust("stdio_rw").args(["many-small"]), CustomIo::SlowPipe);
    assert_eq!(stdout_of(&out).lines().count(), 50_000);
}

#[test]
fn poll_on_a_slow_async_stdout() {
    let out = check_custom(&poll_scenario("fds"), CustomIo::SlowAsync(7));
    assert_lines(&stdout_of(&out), &["stdout write[0]: ud=0x2 err=0 type=2 nbytes=1 flags=0 pad=eeeeeeeeee/eeeeeeeeeeee"]);
}

#[cfg(target_os = "linux")]
#[test]
fn stdio_on_a_terminal() {
    let out = check_custom(&Scenario::rust("stdio_fd").args(["stat"]), CustomIo::Terminal);
    // A terminal is a character device (2); the pty turns "\n" into "\r\n".
    assert_eq!(
        stdout_of(&out),
        "fdstat(0)=0 filetype=2 flags=0x0 base=0x2 inheriting=0x2 pad=[238, 238, 238, 238]\r\n\
         filestat(0)=0 dev_set=false ino_set=false filetype=2 pad=[238, 238, 238, 238, 238, 238, 238] nlink=0 size=0 atim_set=false mtim_set=false ctim_set=false\r\n\
         fdstat(1)=0 filetype=2 flags=0x0 base=0x40 inheriting=0x40 pad=[238, 238, 238, 238]\r\n\
         filestat(1)=0 dev_set=false ino_set=false filetype=2 pad=[238, 238, 238, 238, 238, 238, 238] nlink=0 size=0 atim_set=false mtim_set=false ctim_set=false\r\n\
         fdstat(2)=0 filetype=2 flags=0x0 base=0x40 inheriting=0x40 pad=[238, 238, 238, 238]\r\n\
         filestat(2)=0 dev_set=false ino_set=false filetype=2 pad=[238, 238, 238, 238, 238, 238, 238] nlink=0 size=0 atim_set=false mtim_set=false ctim_set=false\r\n"
    );
    let out = check_custom(&poll_scenario("stdin"), CustomIo::Terminal);
    assert!(stdout_of(&out).contains("stdin + clock 1h[0]: ud=0x1 err=0 type=1 nbytes=1 flags=0"), "{}", stdout_of(&out));
    let out = check_custom(&Scenario::rust("stdio_rw").args(["flood-64k"]), CustomIo::Terminal);
    assert!(out.stdout.len() >= 4 << 20);
}

/// Write subscriptions on stdout and stderr before and after stdin is
/// closed, and events written over the subscriptions they answer (native
/// reads each subscription again after writing the events before it: fuzz
/// seed 2^48 + 4374 found the proxy answering from its first reading).
#[test]
fn poll_events_over_subscriptions_and_closed_stdin() {
    let out = check_poll(&poll_scenario("closed-stdin"));
    assert_lines(&stdout_of(&out), &["close(0)=0", "stderr twice after: e=0 n=2 rest=untouched", "stdin after: e=8 n=57005 rest=untouched"]);
    let out = check_poll(&poll_scenario("overlap"));
    let text = stdout_of(&out);
    assert!(text.contains("overlap round 0: e=0 n=2 "), "{text}");
    assert!(text.contains("overlap round 1: e=8 n=57005 "), "{text}");
}
