//! Differential scenarios with AssemblyScript programs (`tests/assemblyscript`,
//! built with `@assemblyscript/wasi-shim`). Their TLSF allocator claims every
//! page below the memory size at its first allocation and marks the end of
//! memory, and they export no `cabi_realloc`: the adapter must keep working
//! (and must not disturb the program's heap) when the program owns all of
//! linear memory.

use adapter_tests::jco::differs;
use adapter_tests::{check, stderr_of, stdout_of, Outcome, Scenario, Stdin};

/// Checks the lines every args/env program prints, and that the program's
/// own heap data survived.
fn assert_args_env(out: &Outcome, program: &str, args: &[&str], env: &[(&str, &str)]) {
    let text = stdout_of(out);
    assert_eq!(out.status, adapter_tests::Status::Exit(0), "{text}\n{}", stderr_of(out));
    assert!(text.contains(&format!("argc={}\n", args.len() + 1)), "{text}");
    assert!(text.contains(&format!("<{program}.wasm>\n")), "{text}");
    for (i, a) in args.iter().enumerate() {
        let line = format!("arg[{}] len={} <{a}>\n", i + 1, a.encode_utf16().count());
        assert!(text.contains(&line), "missing {line:?} in\n{text}");
    }
    assert!(text.contains(&format!("envc={}\n", env.len())), "{text}");
    for (k, v) in env {
        let line = format!("env <{k}>=<{v}>\n");
        assert!(text.contains(&line), "missing {line:?} in\n{text}");
    }
    assert!(text.contains(" corrupted=0\n"), "{text}");
}

#[test]
fn args_env_ascii() {
    let args = ["one", "two words", "--flag=value"];
    let env = [("HOME", "/home/user"), ("A", "1"), ("PATH", "/usr/bin:/bin")];
    let out = check(&Scenario::assemblyscript("args_env").args(args).env(env));
    assert_args_env(&out, "args_env", &args, &env);
    let text = stdout_of(&out);
    assert!(text.contains("args/env unchanged by allocation: yes\n"), "{text}");
    // Sorted by key.
    let (a, h, p) = (text.find("env <A>").unwrap(), text.find("env <HOME>").unwrap(), text.find("env <PATH>").unwrap());
    assert!(a < h && h < p, "{text}");
    assert_eq!(stderr_of(&out), "args_env: heap grew past 16 MiB: yes\n");
}

#[test]
fn args_env_unicode() {
    let args = ["héllo", "日本語", "🦀 crab", "tab\there", "ünïcödé ✓"];
    let env = [("ÜNÏCODE", "välue ✓"), ("key=with=equals", "v=1"), ("EMOJI", "🦀🦀🦀"), ("漢字", "かな")];
    let out = check(&Scenario::assemblyscript("args_env").args(args).env(env));
    // The shim splits each variable at its first '='.
    let expected_env = [("ÜNÏCODE", "välue ✓"), ("key", "with=equals=v=1"), ("EMOJI", "🦀🦀🦀"), ("漢字", "かな")];
    assert_args_env(&out, "args_env", &args, &expected_env);
}

#[test]
fn args_env_empty() {
    let out = check(&Scenario::assemblyscript("args_env"));
    assert_args_env(&out, "args_env", &[], &[]);
    assert!(stdout_of(&out).contains("envc=0\n"));
}

#[test]
fn args_env_empty_strings() {
    let args = ["", "", "x", ""];
    let env = [("EMPTY", ""), ("B", "")];
    let out = check(&Scenario::assemblyscript("args_env").args(args).env(env));
    assert_args_env(&out, "args_env", &args, &env);
}

#[test]
fn args_env_many_variables() {
    let env: Vec<(String, String)> = (0..500).map(|i| (format!("VAR_{i:04}"), format!("{i}:{}", "x".repeat(i % 97)))).collect();
    let env_ref: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let args: Vec<String> = (0..200).map(|i| format!("arg{i}-{}", "y".repeat(i % 50))).collect();
    let args_ref: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = check(&Scenario::assemblyscript("args_env").args(args.clone()).env(env.clone()));
    assert_args_env(&out, "args_env", &args_ref, &env_ref);
}

#[test]
fn args_env_large_arguments() {
    // Arguments and environment far bigger than one page.
    let args: Vec<String> = (0..100).map(|i| format!("{i}:{}", "a".repeat(i * 40))).collect();
    let args_ref: Vec<&str> = args.iter().map(String::as_str).collect();
    let env = [("BIG", "b".repeat(100_000))];
    let env_ref: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let out = check(&Scenario::assemblyscript("args_env").args(args.clone()).env(env.clone()).wasmtime_only(differs::SLOW));
    assert_args_env(&out, "args_env", &args_ref, &env_ref);
}

#[test]
fn alloc_first_ascii() {
    let args = ["first", "second arg"];
    let env = [("X", "y"), ("LANG", "C.UTF-8")];
    let out = check(&Scenario::assemblyscript("alloc_first").args(args).env(env));
    assert_args_env(&out, "alloc_first", &args, &env);
    assert_eq!(stderr_of(&out), "alloc_first: grew before reading args: yes\nalloc_first: done\n");
}

#[test]
fn alloc_first_unicode_and_many() {
    let mut env: Vec<(String, String)> = (0..500).map(|i| (format!("K{i}"), format!("välue {i} ✓"))).collect();
    env.push(("EMPTY".into(), String::new()));
    let env_ref: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let args = ["", "日本語", "🦀"];
    let out = check(&Scenario::assemblyscript("alloc_first").args(args).env(env.clone()));
    assert_args_env(&out, "alloc_first", &args, &env_ref);
}

#[test]
fn alloc_first_empty() {
    let out = check(&Scenario::assemblyscript("alloc_first"));
    assert_args_env(&out, "alloc_first", &[], &[]);
}

#[test]
fn stdin_echo() {
    let input: Vec<u8> = (0..200_000u32).flat_map(|i| format!("{i} stdin line ü\n").into_bytes()).collect();
    let out = check(&Scenario::assemblyscript("stdin_echo").stdin(Stdin::Bytes(input.clone())));
    assert_eq!(out.stdout, input);
    let err = stderr_of(&out);
    assert!(err.contains(&format!("bytes={} lines=200000 ", input.len())), "{err}");
    assert!(err.contains(" corrupted=0\n"), "{err}");
}

#[test]
fn stdin_echo_empty() {
    let out = check(&Scenario::assemblyscript("stdin_echo").wasmtime_only(differs::STDIN_END));
    assert!(out.stdout.is_empty());
    assert!(stderr_of(&out).contains("bytes=0 lines=0 "), "{}", stderr_of(&out));
}

#[test]
fn stdin_echo_closed() {
    check(&Scenario::assemblyscript("stdin_echo").stdin(Stdin::Closed).wasmtime_only(differs::STDIN_END));
}

#[test]
fn many_lines() {
    let out = check(&Scenario::assemblyscript("many_lines").args(["30000"]));
    let text = stdout_of(&out);
    assert_eq!(text.lines().count(), 30001);
    assert!(text.starts_with("line 0 abcdefghijklmnopqrstuvwxyz 811c9dc5\n"), "{}", &text[..200]);
    assert!(text.contains("\nline 29999 "));
    assert!(text.contains("lines=30000 fnv="));
    assert!(text.ends_with(" corrupted=0\n"));
    assert_eq!(stderr_of(&out).lines().count(), 6);
}

/// These scenarios have teeth: the published reference adapter keeps its
/// state in a page that AssemblyScript's allocator claims, and the program's
/// own objects get corrupted (or the run traps) under it.
#[test]
fn the_reference_adapter_fails_these_programs() {
    use adapter_tests::{compare, component_status, run, Runner, Scenario};
    for name in ["args_env", "alloc_first"] {
        let scenario = Scenario::assemblyscript(name).args(["a", "b"]).env([("K", "V")]);
        let native = run(&scenario, Runner::Native, true).unwrap();
        let reference = run(&scenario, Runner::Reference, true).unwrap();
        let ours = run(&scenario, Runner::Adapter, true).unwrap();
        let expected = component_status(&native.status);
        assert!(!compare(&native, &reference, &expected).is_empty(), "{name}: the reference adapter now matches native");
        assert_eq!(compare(&native, &ours, &expected), "", "{name}: ours differs");
    }
}
