//! The proxy adapter (`dist/wasi_snapshot_preview1.proxy.wasm`) against
//! native preview1, through the same scenarios and the same comparison as
//! the command adapter: [`check_proxy`] runs a scenario natively and as a
//! program fused with the proxy adapter ([`Runner::Proxy`]), both with no
//! preopen, no environment and no argv (the case comes as the first line of
//! stdin, which `p1_programs::case()` reads when argv is empty), and compares
//! stdout, stderr and status. `proc_exit` traps in the proxy world, so a
//! program that calls it is expected to trap there (said explicitly where it
//! happens).
//!
//! The proxy keeps its descriptors (stdio and `adapter_open_badfd`'s
//! numbers) in three wasm globals (adapter `descriptors/stdio_only.rs`), so
//! the descriptor calls on stdio get the most attention: `stdio_fd`'s
//! `moves` case moves the stdio streams around step by step and probes
//! every interesting number after each step. Native has no
//! `adapter_open_badfd`: the `extras` cases compare the proxy with the
//! command adapter, run the same way.

use adapter_tests::{assert_lines, check_proxy, check_proxy_with, compare, engine, export_run, fuse, program_wasm, proxy_adapter, proxy_status, run, stderr_of, stdout_of, BAD_ARG_CASES, Outcome, Program, Runner, Scenario, Status, Stdin, Stdout};

/// A scenario of `tests/programs` the proxy world can express: no preopen.
fn proxy(bin: &'static str, args: &[&str]) -> Scenario {
    Scenario::rust(bin).args(args.iter().copied()).no_preopen()
}

fn is_trap(status: &Status) -> bool {
    matches!(status, Status::Trap(_))
}

// ---------------------------------------------------------------------------
// The runner itself.

#[test]
fn a_command_program_runs_through_the_proxy_adapter() {
    let out = check_proxy(&proxy("hello", &[]));
    assert_eq!(out.status, Status::Exit(0));
    assert_eq!(stdout_of(&out), "Hello, world!\n");
    assert_eq!(stderr_of(&out), "a line on stderr\n");
    // The proxy run itself, not only its agreement with native.
    let ran = run(&proxy("hello", &[]), Runner::Proxy, true).unwrap();
    assert_eq!((ran.status.clone(), stdout_of(&ran)), (Status::Exit(0), "Hello, world!\n".to_string()));
}

/// The fused program exports `wasi:cli/run` and imports only what the
/// `wasi:http/proxy` world offers (the runner's linker has nothing else, so
/// every proxy run checks this too).
#[test]
fn the_proxy_runner_component_is_a_proxy_world_command() {
    let module = export_run(&program_wasm(&Program::Rust("stdio_fd"))).unwrap();
    let component = wasmtime::component::Component::new(engine(), fuse(&module, proxy_adapter()).unwrap()).unwrap();
    let ty = component.component_type();
    let exports: Vec<String> = ty.exports(engine()).map(|(name, _)| name.to_string()).collect();
    assert_eq!(exports, ["wasi:cli/run@0.2.0"]);
    let imports: Vec<String> = ty.imports(engine()).map(|(name, _)| name.to_string()).collect();
    assert!(imports.iter().any(|i| i.starts_with("wasi:cli/stdin@")), "{imports:?}");
    for import in &imports {
        let allowed = ["wasi:cli/stdin@", "wasi:cli/stdout@", "wasi:cli/stderr@", "wasi:clocks/", "wasi:random/random@", "wasi:io/"];
        assert!(allowed.iter().any(|a| import.starts_with(a)), "{import} is outside wasi:http/proxy; all imports: {imports:?}");
    }
    // Without the rewrite the program exports nothing runnable.
    let plain = wasmtime::component::Component::new(engine(), fuse(&program_wasm(&Program::Rust("stdio_fd")), proxy_adapter()).unwrap()).unwrap();
    assert_eq!(plain.component_type().exports(engine()).count(), 0);
}

/// Arguments on stdin are the arguments: natively, a program sees the same
/// case whether it comes in argv or as the first line of stdin, and the
/// rest of stdin stays for the program.
#[test]
fn arguments_on_stdin_are_the_arguments() {
    let input = b"first line\nsecond line\n".to_vec();
    for scenario in [
        proxy("stdio_fd", &["stat"]),
        proxy("poll_subs", &["limit", "2097153"]),
        proxy("stdio_rw", &["read-sizes"]).stdin(Stdin::Bytes(input.clone())),
    ] {
        let argv = run(&scenario, Runner::Native, true).unwrap();
        let on_stdin = run(&scenario.clone().args_on_stdin(), Runner::Native, true).unwrap();
        assert_eq!(compare(&argv, &on_stdin, &argv.status), "", "{:?}", scenario.args);
        assert_eq!(argv.status, Status::Exit(0));
    }
    let out = check_proxy(&proxy("stdio_rw", &["read-sizes"]).stdin(Stdin::Bytes(input.clone())));
    assert_eq!(out.stdout, input);
}

/// A program that fails fails the same way in the proxy: a panic (an
/// unknown case) traps on both sides; a trap is not taken for a pass.
#[test]
fn a_failing_program_traps_in_the_proxy_too() {
    let out = check_proxy(&proxy("stdio_fd", &["no-such-case"]));
    assert!(is_trap(&out.status), "{:?}", out.status);
    assert!(stderr_of(&out).contains("unknown case \"no-such-case\""), "{}", stderr_of(&out));
    let ran = run(&proxy("stdio_fd", &["no-such-case"]), Runner::Proxy, false).unwrap();
    assert!(is_trap(&ran.status), "{:?}", ran.status);
}

/// `proc_exit` has no exit interface to call in the proxy world: any code,
/// 0 included, ends the instance with a trap, after what was written.
#[test]
fn proc_exit_traps_in_the_proxy() {
    for code in [0, 1, 3] {
        let scenario = proxy("exit", &[&code.to_string()]);
        let out = check_proxy_with(&scenario, |native, proxy| {
            let mut diff = compare(native, proxy, &Status::Trap(String::new()));
            if native.status != Status::Exit(code) {
                diff += &format!("native: {:?}, expected exit {code}\n", native.status);
            }
            if let Status::Trap(message) = &proxy.status {
                if !message.contains("unreachable") {
                    diff += &format!("the proxy trapped, but not at proc_exit's `unreachable`: {message}\n");
                }
            }
            diff
        });
        assert_eq!(out.status, Status::Exit(code));
    }
    assert!(is_trap(&proxy_status(&Status::Exit(3))));
}

// ---------------------------------------------------------------------------
// stdio descriptors (`stdio_fd`).

#[test]
fn stdio_fdstat_and_filestat() {
    // check_proxy compares every line with native; these pin what native says.
    let out = check_proxy(&proxy("stdio_fd", &["stat"]));
    assert_lines(&stderr_of(&out), &[
        "fdstat(0)=0 filetype=0 flags=0x0 base=0x2 inheriting=0x2 pad=[238, 238, 238, 238]",
        "fdstat(2)=0 filetype=0 flags=0x0 base=0x40 inheriting=0x40 pad=[238, 238, 238, 238]",
    ]);
    assert_eq!(stderr_of(&out).lines().count(), 6, "{}", stderr_of(&out));
}

/// Without a preopen fd 3 is not open: renumbering stdin onto it is EBADF,
/// and stdin stays at 0.
#[test]
fn renumbering_stdio() {
    let out = check_proxy(&proxy("stdio_fd", &["renumber-stdio"]).stdin(Stdin::Bytes(b"some input".to_vec())));
    assert_eq!(out.status, Status::Exit(0));
    assert!(out.stdout.is_empty());
    assert_lines(&stderr_of(&out), &[
        "renumber(1, 1)=0",
        "renumber(1, 7)=8",
        "renumber(7, 1)=8",
        "renumber(2, 1)=0",
        "write(2, \"gone\")=8 n=57005",
        "renumber(0, 3)=8",
        "read(3, 5)=8 n=57005 \"\"",
        "read(0, 5)=0 n=5 \"some \"",
        "fdstat(3)=8 untouched=true",
        "prestat(3)=8",
        "open after losing the preopen: 8 fd=57005",
    ]);
}

/// `close-stdio` closes all three streams and reports its last two results
/// through `proc_exit`: natively exit 0; in the proxy `proc_exit` traps, so
/// what the comparison covers is everything written up to that point, and
/// the trap. The `return` variant reports them by returning (exit 0) or
/// aborting (a trap) instead, so that they are compared too.
#[test]
fn closing_stdio() {
    let scenario = proxy("stdio_fd", &["close-stdio"]);
    let out = check_proxy_with(&scenario, |native, proxy| compare(native, proxy, &Status::Trap("proc_exit".into())));
    assert_eq!(out.status, Status::Exit(0));
    assert_lines(&stderr_of(&out), &[
        "close(1)=0",
        "write(1, \"after close\")=8 n=57005",
        "close(1)=8",
        "close(0)=0",
        "read(0, 4)=8 n=57005 \"\"",
        "renumber(2, 0)=8",
        "renumber(0, 2)=8",
        "fds: 57005 57005 57005",
        "stderr still works",
    ]);
    let out = check_proxy(&proxy("stdio_fd", &["close-stdio", "return"]));
    assert_eq!(out.status, Status::Exit(0));
}

/// `moves STEPS` sequences (see `stdio_fd.rs`): renumbering stdin, stdout
/// and stderr among 0, 1 and 2 in several orders, onto themselves, onto
/// closed numbers (EBADF), to and from numbers at and past the proxy's 64
/// (63, 64, 255 — the proxy's mark of a closed stream — 256, u32::MAX),
/// closing twice; after every step each probed number's fdstat, filestat,
/// write (its marker shows which host stream it reaches), read and polls.
const MOVES: &[&str] = &[
    "1>1,2>2,0>0",
    "2>1,1>0,0>1,0>2,c0",
    "1>2,2>0,0>1,c1",
    "0>2,2>0,0>1",
    "0>1,1>0,0>2",
    "2>0,c0,1>2,1>0",
    "c1,2>1,0>1,c0,2>0,c0,c1,1>2,2>2",
    "c2,1>2,c0,1>0,1>1",
    "1>64,64>1,1>63,63>1,2>255,255>2,2>256,c64,c255,c256,c4294967295,4294967295>0,0>4294967295,4294967295>4294967295,1>3,3>1,2>2",
    "c0,c1,c2",
];

#[test]
fn moving_stdio_around() {
    let stdin = Stdin::Bytes(b"abcdefghijklmnopqrstuvwxyz0123456789".to_vec());
    for steps in MOVES {
        let scenario = proxy("stdio_fd", &["moves", steps]).stdin(stdin.clone());
        let out = check_proxy(&scenario);
        assert_eq!(out.status, Status::Exit(0), "{steps}: {}", stderr_of(&out));
        // Nothing a move or close dropped stays alive in the host: as many
        // WASI 0.2 resources at the end as the command adapter leaves (the
        // streams still open), none once all three are closed.
        let command = run(&scenario.clone().args_on_stdin(), Runner::Adapter, true).unwrap();
        let ours = run(&scenario.clone().args_on_stdin(), Runner::Proxy, true).unwrap();
        assert_eq!(ours.host_resources, command.host_resources, "{steps}");
        if *steps == "c0,c1,c2" {
            assert_eq!(ours.host_resources, Some(0));
        }
        let all = stdout_of(&out) + &stderr_of(&out);
        assert!(all.contains("step 0 start: start\n"), "{steps}: {all}");
    }
    // What native does, which the proxy matched: markers follow the streams.
    let out = check_proxy(&proxy("stdio_fd", &["moves", "2>1,1>0"]).stdin(stdin.clone()));
    let (o, e) = (stdout_of(&out), stderr_of(&out));
    assert!(o.contains("<marker of step 0 through fd 1>") && !o.contains("<marker of step 1"), "{o}");
    // After 2>1 stderr is at 1; after 1>0 at 0.
    assert!(e.contains("<marker of step 1 through fd 1>") && e.contains("<marker of step 2 through fd 0>"), "{e}");
    assert_lines(&e, &[
        "step 1 2>1: renumber(2, 1)=0",
        "  write(2, \"<marker of step 1 through fd 2>\\n\")=8 n=57005",
        "  read(0, 2)=0 n=2 \"cd\"",
        "step 2 1>0: renumber(1, 0)=0",
        "  write(0, \"<marker of step 2 through fd 0>\\n\")=0 n=32",
        "  read(0, 2)=8 n=57005 \"\"",
        "  fdstat(255)=8 untouched=true",
        "  poll(4294967295, tag 1)=8 n=57005 untouched=true",
    ]);
    // Every number past stdio is EBADF to every call.
    // (The results go to the first of 0, 1, 2 that takes them: stdout here.)
    let out = check_proxy(&proxy("stdio_fd", &["moves", MOVES[8]]).stdin(stdin));
    let e = stdout_of(&out);
    for step in 1..=17 {
        assert!(e.contains(&format!("step {step} ")), "step {step} missing:\n{e}");
    }
    assert_eq!(e.matches("=0 n=1 ud=0x1234").count(), 18 * 3, "three pollable numbers at every step:\n{e}");
}

#[test]
fn descriptor_calls_on_stdio_without_a_preopen() {
    let out = check_proxy(&proxy("fds", &["stat"]));
    assert_lines(&stdout_of(&out), &["fdstat(3)=8 [238, 238, 238, 238, 238, 238, 238, 238, 238, 238, 238, 238, 238, 238, 238, 238, 238, 238, 238, 238, 238, 238, 238, 238]"]);
    let out = check_proxy(&proxy("fds", &["renumber"]));
    assert_lines(&stdout_of(&out), &["renumber(3,3)=8 renumber(9,1)=8 renumber(1,9)=8", "renumber(3,0)=8"]);
    // stderr's stream took fd 1: what the program prints to stdout next lands on stderr.
    assert_lines(&stderr_of(&out), &["renumber(2,1)=0", "write(1)=0 write(2)=8"]);
    // `close` reports its last result through proc_exit: a trap in the proxy.
    let out = check_proxy_with(&proxy("fds", &["close"]), |native, proxy| compare(native, proxy, &Status::Trap("proc_exit".into())));
    assert_eq!(out.status, Status::Exit(0));
    let out = check_proxy(&proxy("fds", &["write-closed-stdout"]).stdout(Stdout::Closed));
    assert_eq!(out.stderr, b"write to closed stdout: 29\n");
}

// ---------------------------------------------------------------------------
// adapter_open_badfd (`extras`): the proxy against the command adapter.

/// Runs an `extras` case through the command adapter and the proxy, both
/// without preopen and with the arguments on stdin, in both blocking
/// modes; `diff` compares them (command first). Returns the command's outcome.
fn proxy_vs_command(args: &[&str], diff: impl Fn(&Outcome, &Outcome) -> String) -> Outcome {
    // (stdin for `reset-moved`, which reads it after the reset.)
    let scenario = proxy("extras", args).stdin(Stdin::Bytes(b"input".to_vec())).args_on_stdin();
    let mut first = None;
    for blocking in [true, false] {
        let command = run(&scenario, Runner::Adapter, blocking).unwrap();
        let ours = run(&scenario, Runner::Proxy, blocking).unwrap();
        let d = diff(&command, &ours);
        assert!(d.is_empty(), "extras {args:?} (allow_blocking_current_thread={blocking}): command and proxy differ:\n{d}");
        first.get_or_insert(command);
    }
    first.unwrap()
}

fn same_as_command(command: &Outcome, ours: &Outcome) -> String {
    compare(command, ours, &proxy_status(&command.status))
}

#[test]
fn badfd_as_in_the_command_adapter() {
    let out = proxy_vs_command(&["badfd"], same_as_command);
    assert_eq!(out.status, Status::Exit(0));
    // No preopen: the first free number is 3.
    assert_eq!(stdout_of(&out), "open_badfd=0 fd_is_new=false\nwrite=8\nfdstat=8\nclose_badfd=0\nagain=8\nclose_badfd(99)=8\n");
    assert_eq!(stderr_of(&out), "close_badfd(stdout)=0 then write(stdout)=8\n");
}

#[test]
fn other_extras_as_in_the_command_adapter() {
    let out = proxy_vs_command(&["paused"], same_as_command);
    assert_eq!(stdout_of(&out), "paused: frozen=true resumed=true\n");
    // No preopen: fd 3 is EBADF before and after the reset.
    let out = proxy_vs_command(&["reset"], same_as_command);
    assert_eq!(stdout_of(&out), "before reset\nafter reset\nprestat(3) after reset=8\n");
    // A reset after stdio moved and a number was reserved: stdio back at
    // 0, 1, 2, the reservation forgotten. (The streams the program had are
    // forgotten, not dropped, in both adapters: same count of host resources.)
    let out = proxy_vs_command(&["reset-moved"], |command, ours| {
        let mut diff = same_as_command(command, ours);
        if command.host_resources != ours.host_resources {
            diff += &format!("host resources: command {:?}, proxy {:?}\n", command.host_resources, ours.host_resources);
        }
        diff
    });
    assert_eq!(stderr_of(&out), "reserved e=0 fd=3; renumber(2, 1)=0; this goes to stderr\nstderr after reset\n");
    assert_eq!(
        stdout_of(&out),
        "after reset: previous write 0; fdstat(reserved)=8; reserved again e=0 fd=3\nread(0)=0 n=4 [105, 110, 112, 117]\n"
    );
}

/// 58 reservations (3 to 60) fit both: everything after them (closes in the
/// middle, reservations reusing the highest freed number first, a closed
/// stdin's 0 reserved again, stdout and stderr moved onto reserved numbers
/// and back, a reserved number onto stdout) must be the command adapter's.
#[test]
fn many_badfds_numbered_as_in_the_command_adapter() {
    let out = proxy_vs_command(&["badfd-many", "58"], same_as_command);
    assert_eq!(out.status, Status::Exit(0));
    let e = stderr_of(&out);
    assert_lines(&e, &[
        "reserve #0: e=0 fd=3",
        "reserve #57: e=0 fd=60",
        "reserve again #0: e=0 fd=40",
        "reserve again #4: e=0 fd=5",
        "reserve fresh: e=0 fd=61",
        "reserve after closing stdin: e=0 fd=0",
        "renumber(1, 8)=0",
        "write(1)=8 n=57005",
        "poll(8, tag 2)=0 n=1 err=0 type=2",
        "poll(1, tag 2)=8 n=57005 err=61166 type=238",
        "poll(9, tag 1)=8 n=57005 err=61166 type=238",
        "renumber(8, 1)=8",
        "reserve after stdout left 1: e=0 fd=1",
        "renumber(7, 1)=0",
        "write(1)=8 n=57005",
        // Freed 1, 7 and 8: the highest first.
        "reserve after closing the reserved 1: e=0 fd=8",
        "renumber(2, 9)=0",
        "write(2)=8 n=57005",
        "reserve after stderr left 2: e=0 fd=7",
        "renumber(11, 12)=0",
        "fdstat(11)=8 filetype=0 base=0x0",
        "reserve last: e=0 fd=12",
    ]);
    assert_eq!(stdout_of(&out), "<stdout through 8>\n<stdout back at 1>\n");
    assert!(e.contains("<stderr through 9>\n"), "{e}");
    assert_lines(&e, &["poll(9, tag 2)=0 n=1 err=0 type=2", "poll(2, tag 2)=8 n=57005 err=61166 type=238"]);
}

/// 70 reservations: the proxy has 64 numbers, so reservation 62 onwards
/// (numbers 64 and up in the command adapter) is MFILE (33) there, and so is
/// every reservation that would need a new number; everything else is the
/// command adapter's.
#[test]
fn badfds_past_the_proxys_64_numbers_are_mfile() {
    let proxy_expected = |command: &str| -> String {
        command
            .lines()
            .map(|line| match line.strip_prefix("reserve ").and_then(|l| l.split_once(": e=0 fd=")) {
                Some((what, fd)) if fd.parse::<u32>().unwrap() >= 64 => format!("reserve {what}: e=33 fd=57005\n"),
                _ => format!("{line}\n"),
            })
            .collect()
    };
    let out = proxy_vs_command(&["badfd-many", "70"], |command, ours| {
        let mut expected = command.clone();
        expected.stderr = proxy_expected(&stderr_of(command)).into_bytes();
        compare(&expected, ours, &Status::Exit(0))
    });
    // The command adapter kept going; the proxy, checked against the rewrite above, stopped at 63.
    let e = stderr_of(&out);
    assert_lines(&e, &["reserve #60: e=0 fd=63", "reserve #61: e=0 fd=64", "reserve #69: e=0 fd=72", "reserve fresh: e=0 fd=73"]);
    let p = proxy_expected(&e);
    assert_lines(&p, &["reserve #60: e=0 fd=63", "reserve #61: e=33 fd=57005", "reserve #69: e=33 fd=57005", "reserve fresh: e=33 fd=57005"]);
    assert_eq!(p.matches("e=33").count(), 10, "{p}");
    // Freed numbers below 64 are reused in the proxy as in the command adapter.
    assert_lines(&p, &["reserve again #0: e=0 fd=40", "reserve after closing stdin: e=0 fd=0"]);
}

// ---------------------------------------------------------------------------
// Other scenarios that need no files, arguments or environment.

#[test]
fn all_clocks() {
    let out = check_proxy(&proxy("clocks", &[]));
    let t = stdout_of(&out);
    assert_lines(&t, &["realtime plausible=true", "std: elapsed_ok=true after_epoch=true"]);
    assert!(t.contains("clock 1: res_errno=0 res_positive=true time_errno=0,0 nondecreasing=true"), "{t}");
    assert!(t.contains("clock 2: res_errno=8"), "{t}");
    for case in ["invalid-id", "invalid-res-id"] {
        let out = check_proxy(&proxy("clocks", &[case]));
        assert!(is_trap(&out.status), "{case}: {:?}", out.status);
    }
}

#[test]
fn random_lengths() {
    for len in ["0", "16", "1048576"] {
        let out = check_proxy(&proxy("random", &[len]));
        assert_eq!(stdout_of(&out), format!("random_get({len})=0 guards_ok=true plausible=true\n"));
    }
}

#[test]
fn args_and_env_are_empty() {
    let out = check_proxy(&proxy("args_env", &[]));
    let t = stdout_of(&out);
    assert!(t.contains("argc=0") && t.contains("envc=0"), "{t}");
}

#[test]
fn bad_arguments_get_the_native_answer() {
    let mut failures = Vec::new();
    let (mut traps, mut errnos) = (0, 0);
    for case in BAD_ARG_CASES {
        let scenario = proxy("badargs", &[case]).stdin(Stdin::Bytes(b"some input".to_vec()));
        match std::panic::catch_unwind(|| check_proxy(&scenario)) {
            // badargs.rs panics on a name it does not know, natively as
            // through the adapter: a typo here would otherwise pass.
            Ok(out) if String::from_utf8_lossy(&out.stderr).contains("unknown case") => {
                failures.push(format!("{case}: not a case of badargs.rs"))
            }
            Ok(out) if is_trap(&out.status) => traps += 1,
            Ok(out) => {
                assert!(stdout_of(&out).starts_with(&format!("{case} -> ")), "{case}: {}", stdout_of(&out));
                errnos += 1;
            }
            Err(e) => failures.push(format!("{case}: {}", e.downcast_ref::<String>().cloned().unwrap_or_default())),
        }
    }
    assert!(failures.is_empty(), "{} of {} cases differ:\n{}", failures.len(), BAD_ARG_CASES.len(), failures.join("\n"));
    // Both kinds of ending are exercised.
    assert!(traps > 10 && errnos > 10, "traps={traps} errnos={errnos}");
}

#[test]
fn stdio_reads_and_writes() {
    let input: Vec<u8> = (0..20_000u32).flat_map(|i| format!("{i} line of stdin ü\n").into_bytes()).collect();
    let out = check_proxy(&proxy("stdio_rw", &["read-sizes"]).stdin(Stdin::Bytes(input.clone())));
    assert_eq!(out.stdout, input);
    assert_lines(&stderr_of(&out), &[
        "read #0 size=1 shape=0: e=0 n=1 second_untouched=true",
        "read #3 size=7 shape=3: e=27 n=57005 second_untouched=true",
        "zero-length read at eof: (0, 0)",
    ]);
    for input in [&b""[..], b"x", b"\n", b"abc\ndef"] {
        let out = check_proxy(&proxy("stdio_rw", &["read-sizes"]).stdin(Stdin::Bytes(input.to_vec())));
        assert_eq!(out.stdout, input);
    }
    let out = check_proxy(&proxy("stdio_rw", &["write-sizes"]));
    assert_lines(&stderr_of(&out), &["write fd=1 size=3145733 shape=0: e=0 n=3145733", "write fd=2 size=65537 shape=1: e=0 n=65537"]);
    let out = check_proxy(&proxy("stdio_rw", &["flood-64k"]));
    assert_eq!(out.stdout.len(), 4 << 20);
    let out = check_proxy(&proxy("stdio_rw", &["many-small"]));
    assert_eq!(stdout_of(&out).lines().count(), 50_000);
    let out = check_proxy(&proxy("stdio_rw", &["closed-stdout"]).stdout(Stdout::Closed));
    assert_lines(&stderr_of(&out), &["closed stdout: size=1 shape=0: e=29 n=57005", "close(1)=0 then write: (8, 57005)"]);
}

#[test]
fn stdin_echo() {
    let two_mib: Vec<u8> = (0..2 << 20).map(|i: u32| (i.wrapping_mul(2654435761) >> 24) as u8).collect();
    for input in [Vec::new(), b"line one\nline two\n".to_vec(), two_mib] {
        let out = check_proxy(&proxy("stdin_echo", &[]).stdin(Stdin::Bytes(input.clone())));
        assert_eq!(out.stdout, input);
    }
}

/// `poll_subs` cases that need no files. A single relative clock
/// subscription is answered natively as the host's blocking mode has it
/// (`poll_stdio.rs`, "the documented divergence"); the adapters answer as
/// the blocking host in both modes, so the proxy is compared with native on
/// a blocking host throughout.
#[test]
fn poll_subscriptions() {
    let poll = |case: &[&str]| {
        let scenario = proxy("poll_subs", case).stdin(Stdin::Bytes(b"some input".to_vec()));
        let blocking = run(&scenario.clone().args_on_stdin(), Runner::Native, true).unwrap();
        check_proxy_with(&scenario, |_native, proxy| compare(&blocking, proxy, &proxy_status(&blocking.status)))
    };
    let out = poll(&["clocks"]);
    assert_eq!(out.status, Status::Exit(0), "{}", stderr_of(&out));
    assert_lines(&stdout_of(&out), &[
        "rt+mono rel 0: e=0 n=2 rest=untouched",
        "huge: mono rel max + stdin[0]: ud=0x12 err=0 type=1 nbytes=1 flags=0 pad=eeeeeeeeee/eeeeeeeeeeee",
        "mono abs now+30ms + mono rel 1h: waited>=25ms=true waited<60s=true",
    ]);
    let out = poll(&["single"]);
    assert_lines(&stdout_of(&out), &[
        "[1rel] mono rel 0[0]: ud=0x2 err=0 type=0 nbytes=1 flags=0 pad=eeeeeeeeee/eeeeeeeeeeee",
        "stdout write[0]: ud=0x13 err=0 type=2 nbytes=1 flags=0 pad=eeeeeeeeee/eeeeeeeeeeee",
    ]);
    let out = poll(&["errors"]);
    assert_lines(&stdout_of(&out), &["bad fd then tag 3: e=8 n=57005 rest=untouched", "n=4294967295 (real subscriptions): e=48 n=57005"]);
    let out = poll(&["many"]);
    assert_lines(&stdout_of(&out), &["300 waiting clocks + stdio: e=0 n=3 rest=untouched", "999 clocks then a cpu clock: e=28 n=57005 rest=untouched"]);
    let out = poll(&["stdin"]);
    assert_lines(&stdout_of(&out), &["drained 6 bytes, last read e=0", "stdin at eof alone: e=0 n=1 rest=untouched"]);
    let out = poll(&["closed-stdin"]);
    assert_lines(&stdout_of(&out), &["close(0)=0", "stderr twice after: e=0 n=2 rest=untouched", "stdin after: e=8 n=57005 rest=untouched"]);
    // Events over the subscriptions they answer (fuzz seed 2^48 + 4374).
    let out = poll(&["overlap"]);
    assert!(stdout_of(&out).contains("overlap round 0: e=0 n=2 "), "{}", stdout_of(&out));
    assert!(stdout_of(&out).contains("overlap round 1: e=8 n=57005 "), "{}", stdout_of(&out));
    for n in ["2097153", "3"] {
        let out = poll(&["limit", n]);
        assert_eq!(is_trap(&out.status), n == "3", "{n}: {:?}", out.status);
    }
    for case in ["subs-misaligned", "subs-oob", "subs-wrap", "events-oob", "events-oob-single-rel", "nevents-misaligned", "subs-straddle-fd", "subs-straddle-fd-pair"] {
        let out = poll(&[case]);
        assert_eq!(is_trap(&out.status), !case.starts_with("subs-straddle"), "{case}: {:?}", out.status);
    }
}

#[test]
fn sleeping() {
    let out = check_proxy(&proxy("poll_sleep", &["loop", "200"]));
    assert_eq!(
        stdout_of(&out),
        "200 sleeps of 1 ms, each at least 1 ms: true\nelapsed >= 200 ms: true\nrealtime agrees: true\nelapsed < 6000 ms: true\n"
    );
}

/// Flag and signal values outside their types trap, as natively.
#[test]
fn socket_and_signal_values_outside_their_types_trap() {
    for args in [["accept", "1", "32"], ["recv", "99", "4"], ["send", "1", "65536"], ["shutdown", "99", "4"], ["raise", "0", "31"]] {
        let case: Vec<&str> = ["bad"].into_iter().chain(args).collect();
        let out = check_proxy(&proxy("stdio_sock", &case));
        assert!(is_trap(&out.status), "{args:?}: {:?}", out.status);
        assert!(stdout_of(&out).ends_with("...\n"), "{args:?}: {}", stdout_of(&out));
    }
}

#[test]
fn fdstat_set_flags_outside_fdflags_traps() {
    for (fd, flags) in [("1", "32"), ("0", "65535"), ("99", "65536"), ("3", "4294967295")] {
        let out = check_proxy(&proxy("stdio_fd", &["set-flags-bad", fd, flags]));
        assert!(is_trap(&out.status), "{fd} {flags}: {:?}", out.status);
    }
}

/// Path calls and `fd_readdir` on stdio and on numbers that are not open,
/// before and after stdout moved: EBADF from every one, nothing written.
#[test]
fn path_calls_on_stdio() {
    let out = check_proxy(&proxy("stdio_fd", &["path-calls"]));
    let all = stderr_of(&out) + &stdout_of(&out);
    let badf = format!("{:?} readdir=8 untouched=true", [8; 13]);
    let lines: Vec<&str> = all.lines().filter(|l| l.contains(": fd ")).collect();
    assert_eq!(lines.len(), 2 * 9 * 4, "{all}");
    for line in lines {
        assert!(line.ends_with(&badf), "{line}");
    }
    assert_lines(&stdout_of(&out), &["renumber(1, 2)=0"]);
}
