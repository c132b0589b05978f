//! Differential scenarios for the foundation functions: program start-up,
//! args and env, clocks, random, exit, stdio and the descriptor calls.

use adapter_tests::jco::differs;
use adapter_tests::{check, check_with, command_adapter, compare, engine, fuse, program_wasm, run, stdout_of, BAD_ARG_CASES, Outcome, Program, Runner, Scenario, Status, Stdin, Stdout};

#[test]
fn hello_world() {
    let out = check(&Scenario::rust("hello"));
    assert_eq!(stdout_of(&out), "Hello, world!\n");
    assert_eq!(out.stderr, b"a line on stderr\n");
}

/// Every import a fused program can reach costs its instantiation (a few
/// thousand instructions each in wasmtime 48): a hello world, which writes
/// and reads its environment, must not import stdin or the arguments.
#[test]
fn hello_world_imports_only_what_it_reaches() {
    use wasmtime::component::{types::ComponentItem, Component};
    let fused = fuse(&program_wasm(&Program::Rust("hello")), command_adapter()).unwrap();
    let component = Component::new(engine(), &fused).unwrap();
    let mut functions = Vec::new();
    for (instance, item) in component.component_type().imports(engine()) {
        if let ComponentItem::ComponentInstance(ty) = item.ty {
            functions.extend(ty.exports(engine()).map(|(name, _)| format!("{instance}#{name}")));
        }
    }
    assert!(functions.iter().any(|f| f == "wasi:cli/environment@0.2.0#get-environment"), "{functions:?}");
    assert!(functions.iter().any(|f| f == "wasi:cli/stdout@0.2.0#get-stdout"), "{functions:?}");
    // Nor the preopens: writing and reading do not number them (`get_io`).
    for unreachable in ["wasi:cli/environment@0.2.0#get-arguments", "wasi:cli/stdin@0.2.0#get-stdin", "wasi:filesystem/preopens@0.2.0#get-directories"] {
        assert!(!functions.iter().any(|f| f == unreachable), "{unreachable} is imported: {functions:?}");
    }
}

#[test]
fn args_and_env() {
    let out = check(&Scenario::rust("args_env").args(["one", "two words", ""]).env([("A", "1"), ("EMPTY", "")]));
    assert!(stdout_of(&out).contains("arg \"two words\""));
    assert!(stdout_of(&out).contains("argc=4"));
    assert_overlapping_as_native_orders(&out);
}

/// `args_env` also lists into pointer arrays overlapping their buffers
/// (three layouts each for `args_get` and `environ_get`): every byte must
/// be what native's order of writes leaves.
fn assert_overlapping_as_native_orders(out: &Outcome) {
    let text = stdout_of(out);
    assert_eq!(text.matches("errno=0 as_simulated=true").count(), 6, "{text}");
}

#[test]
fn args_and_env_empty() {
    let out = check(&Scenario::rust("args_env"));
    assert!(stdout_of(&out).contains("envc=0"));
}

#[test]
fn args_and_env_unicode() {
    check(
        &Scenario::rust("args_env")
            .args(["héllo", "日本語", "🦀 crab", "tab\there"])
            .env([("ÜNÏCODE", "välue ✓"), ("key=with=equals", "v=1")]),
    );
}

#[test]
fn thousand_environment_variables() {
    let env: Vec<(String, String)> = (0..1000).map(|i| (format!("VAR_{i:04}"), "x".repeat(i % 97))).collect();
    let out = check(&Scenario::rust("args_env").env(env));
    assert!(stdout_of(&out).contains("envc=1000"));
    assert_overlapping_as_native_orders(&out);
}

#[test]
fn large_arguments() {
    // More than one page of arguments: the adapter's scratch must grow.
    let args: Vec<String> = (0..300).map(|i| format!("{i}:{}", "a".repeat(i * 3))).collect();
    let out = check(&Scenario::rust("args_env").args(args.clone()));
    let text = stdout_of(&out);
    assert!(text.contains("argc=301"), "{text}");
    assert!(text.contains(&format!("arg {:?}", args[299])), "the last argument is missing");
}

#[test]
fn all_clocks() {
    let out = check(&Scenario::rust("clocks"));
    let text = stdout_of(&out);
    assert!(text.contains("clock 1: res_errno=0 res_positive=true time_errno=0,0 nondecreasing=true"), "{text}");
    assert!(text.contains("clock 2: res_errno=8"), "{text}");
    assert!(text.contains("realtime plausible=true"), "{text}");
}

#[test]
fn invalid_clock_ids_trap() {
    for case in ["invalid-id", "invalid-res-id"] {
        let out = check(&Scenario::rust("clocks").args([case]));
        assert!(matches!(out.status, Status::Trap(_)), "{case}: {:?}", out.status);
    }
}

#[test]
fn random_lengths() {
    for len in ["0", "16", "1048576"] {
        let out = check(&Scenario::rust("random").args([len]));
        assert_eq!(stdout_of(&out), format!("random_get({len})=0 guards_ok=true plausible=true\n"));
    }
}

#[test]
fn exit_codes() {
    for code in [0, 1, 3, 125] {
        let out = check(&Scenario::rust("exit").args([code.to_string()]));
        assert_eq!(out.status, Status::Exit(code));
    }
    // 126 and above are not valid preview1 exit codes: native traps.
    let out = check(&Scenario::rust("exit").args(["255"]));
    assert!(matches!(out.status, Status::Trap(_)));
}

/// The opt-in `exit-with-code` build keeps every valid code exactly as
/// native reports it, where the default build can only say 0 or 1 (above).
/// Codes from 126 trap in both.
#[test]
fn exit_codes_with_the_exit_with_code_build() {
    for code in [0, 1, 3, 7, 42, 125, 126, 255, 1000] {
        let scenario = Scenario::rust("exit").args([code.to_string()]);
        for blocking in [true, false] {
            let native = run(&scenario, Runner::Native, blocking).unwrap();
            let adapter = run(&scenario, Runner::AdapterExitWithCode, blocking).unwrap();
            let diff = compare(&native, &adapter, &native.status);
            assert!(diff.is_empty(), "exit {code}: {diff}");
            if code < 126 {
                assert_eq!(adapter.status, Status::Exit(code as i32));
            } else {
                assert!(matches!(adapter.status, Status::Trap(_)), "exit {code}: {:?}", adapter.status);
            }
        }
    }
}

#[test]
fn stdin_echo() {
    let ten_mib: Vec<u8> = (0..10 << 20).map(|i: u32| (i.wrapping_mul(2654435761) >> 24) as u8).collect();
    for stdin in [Stdin::Bytes(Vec::new()), Stdin::Closed, Stdin::Bytes(b"line one\nline two\n".to_vec()), Stdin::Bytes(ten_mib)] {
        let expected = match &stdin {
            Stdin::Bytes(bytes) => bytes.clone(),
            _ => Vec::new(),
        };
        let out = check(&Scenario::rust("stdin_echo").stdin(stdin));
        assert_eq!(out.status, Status::Exit(0));
        assert!(out.stdout == expected, "native echoed {} bytes of {}", out.stdout.len(), expected.len());
    }
}

#[test]
fn sixteen_mib_of_stdout() {
    let out = check(&Scenario::rust("stdout_flood"));
    assert_eq!(out.stdout.len(), 16 << 20);
}

#[test]
fn descriptor_stat_calls() {
    // With the preopen, jco differs (its preopen descriptor, jco_host.rs).
    for scenario in [Scenario::rust("fds").args(["stat"]).wasmtime_only(differs::PREOPEN_DESCRIPTOR), Scenario::rust("fds").args(["stat"]).no_preopen()] {
        let out = check(&scenario);
        // Every stdio descriptor answers fdstat and filestat natively.
        for fd in 0..3 {
            assert!(stdout_of(&out).contains(&format!("fdstat({fd})=0 ")), "{}", stdout_of(&out));
        }
    }
}

/// Reads and writes come before anything else names a descriptor above
/// stdio: they answer BADF without numbering the preopens (`get_io`), and
/// the preopen and the next file still get native's numbers.
#[test]
fn reads_and_writes_before_the_preopens_are_numbered() {
    let out = check(&Scenario::rust("fds").args(["io-first"]));
    let text = stdout_of(&out);
    for fd in [3, 4, 99] {
        assert!(text.contains(&format!("fd {fd}: write=8 read=8 pread=8 pwrite=8 n=0xeeeeeeee")), "{text}");
    }
    assert!(text.contains("prestat(3)=0 "), "{text}");
    assert!(text.contains("open=0 fd=4 write=0"), "{text}");
}

#[test]
fn closing_descriptors() {
    let out = check(&Scenario::rust("fds").args(["close"]));
    assert_eq!(out.status, Status::Exit(0));
}

#[test]
fn renumbering_descriptors() {
    let out = check(&Scenario::rust("fds").args(["renumber"]));
    assert!(stdout_of(&out).contains("renumber(3,3)=0"), "{}", stdout_of(&out));
}

#[test]
fn writing_to_a_closed_stdout() {
    let out = check(&Scenario::rust("fds").args(["write-closed-stdout"]).stdout(Stdout::Closed));
    assert_eq!(out.stderr, b"write to closed stdout: 29\n");
}

#[test]
fn bad_arguments_get_the_native_answer() {
    let mut failures = Vec::new();
    for case in BAD_ARG_CASES {
        let scenario = Scenario::rust("badargs").args([*case]).stdin(Stdin::Bytes(b"some input".to_vec()));
        let result = std::panic::catch_unwind(|| {
            check_with(&scenario, |native, adapter| compare(native, adapter, &adapter_tests::component_status(&native.status)))
        });
        match result {
            // badargs.rs panics on a name it does not know, natively as
            // through the adapter: a typo here would otherwise pass.
            Ok(out) if String::from_utf8_lossy(&out.stderr).contains("unknown case") => {
                failures.push(format!("{case}: not a case of badargs.rs"))
            }
            Ok(out) => eprintln!("{case}: {:?} {}", out.status, stdout_of(&out).trim()),
            Err(e) => failures.push(format!("{case}: {}", e.downcast_ref::<String>().cloned().unwrap_or_default())),
        }
    }
    assert!(failures.is_empty(), "{} of {} cases differ:\n{}", failures.len(), BAD_ARG_CASES.len(), failures.join("\n"));
}

/// Traps match only when their causes do (`trap_cause`): a program's own
/// panic natively is not the adapter refusing a call, though both are traps.
#[test]
fn a_trap_in_the_adapter_does_not_match_a_program_panic() {
    use adapter_tests::{trap_cause, TrapCause};
    let panic = run(&Scenario::rust("badargs").args(["no-such-case"]), Runner::Native, true).unwrap();
    let refused_natively = run(&Scenario::rust("clocks").args(["invalid-id"]), Runner::Native, true).unwrap();
    let refused_by_adapter = run(&Scenario::rust("clocks").args(["invalid-id"]), Runner::Adapter, true).unwrap();
    let cause = |out: &Outcome| match &out.status {
        Status::Trap(report) => trap_cause(report),
        other => panic!("not a trap: {other:?}"),
    };
    assert_eq!(cause(&panic), TrapCause::Program("wasm `unreachable` instruction executed".into()));
    assert_eq!(cause(&refused_natively), TrapCause::Call);
    assert_eq!(cause(&refused_by_adapter), TrapCause::Call);
    assert!(refused_natively.status.same_kind(&refused_by_adapter.status));
    assert!(!panic.status.same_kind(&refused_by_adapter.status));
    // What a test writes as its expectation matches any trap.
    assert!(Status::Trap("proc_exit".into()).same_kind(&panic.status));
}
