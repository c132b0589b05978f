//! The converter (`wasip1-to-component`, built by the harness) on programs
//! of every toolchain we test: Rust std, C (wasi-libc), Go and
//! AssemblyScript, each converted by the tool with no option (so the tool
//! picks the adapter) and run against native preview1 through the harness's
//! comparison ([`check_converted`]: stdout, stderr, status and the directory
//! tree, both blocking modes); our library and HTTP handler converted too;
//! and for every variant, the tool's component byte for byte what
//! `wasm-tools component new --adapt` writes with the same adapter.

use adapter_tests::tools::{convert_with_tool, fuse_with_wasm_tools};
use adapter_tests::{build_wasip1_package, check_converted, program_wasm, reactor_probe, root, stdout_of, Outcome, Program, Scenario, Status, Stdin};

/// Checks that native ran to the end and printed every line of `expected`.
fn native_printed(out: &Outcome, expected: &[&str]) {
    let text = stdout_of(out);
    assert_eq!(out.status, Status::Exit(0), "native run failed:\n{text}\n{}", String::from_utf8_lossy(&out.stderr));
    for line in expected {
        assert!(text.lines().any(|l| l == *line), "native output lacks the line {line:?}:\n{text}");
    }
}

#[test]
fn rust_programs_converted_by_the_tool_run_like_native() {
    let out = check_converted(&Scenario::rust("hello"));
    native_printed(&out, &["Hello, world!"]);
    let out = check_converted(&Scenario::rust("args_env").args(["one", "two words"]).env([("A", "1")]));
    assert!(stdout_of(&out).contains("two words"), "{}", stdout_of(&out));
    let out = check_converted(&Scenario::rust("stdin_echo").stdin(Stdin::Bytes(b"piped through\n".to_vec())));
    assert!(stdout_of(&out).contains("piped through"), "{}", stdout_of(&out));
    // proc_exit(3): the component ends with status 1 (WASI 0.2's stable exit).
    let out = check_converted(&Scenario::rust("exit").args(["3"]));
    assert_eq!(out.status, Status::Exit(3));
    let files = Scenario::rust("fs_std").file("a.txt", "hello world\n").file("d/inner.txt", "inner\n").dir("e");
    let out = check_converted(&files);
    native_printed(&out, &["copy: ok 12", "remove_dir_all tree: ok ()"]);
}

#[test]
fn c_programs_converted_by_the_tool_run_like_native() {
    let out = check_converted(&Scenario::c("fs_files").args(["stdio"]));
    native_printed(&out, &["ftell after 1000 lines = 8893", "done"]);
    let out = check_converted(&Scenario::c("fs_dirs").args(["one"]));
    native_printed(&out, &["one: count=1 dot=1 dotdot=1 duplicates=0 end_errno=0", "done"]);
}

#[test]
fn a_go_program_converted_by_the_tool_runs_like_native() {
    let out = check_converted(&Scenario::go("cases").args(["hello", "two words"]).env([("HOME", "/home/gopher")]));
    native_printed(&out, &["argc=3", "arg[2] len=9 <two words>", "env[0] <HOME=/home/gopher>"]);
    let out = check_converted(&Scenario::go("cases").args(["grow_after_open"]));
    assert_eq!(out.status, Status::Exit(0), "{}", stdout_of(&out));
}

#[test]
fn assemblyscript_programs_converted_by_the_tool_run_like_native() {
    let out = check_converted(&Scenario::assemblyscript("args_env").args(["one", "ünïcödé ✓"]).env([("HOME", "/home/user")]));
    native_printed(&out, &["argc=3", "arg[2] len=9 <ünïcödé ✓>", "env <HOME>=</home/user>"]);
    let out = check_converted(&Scenario::assemblyscript("stdin_echo").stdin(Stdin::Bytes(b"through stdin\n".to_vec())));
    assert!(stdout_of(&out).contains("through stdin"), "{}", stdout_of(&out));
}

#[test]
fn a_library_converted_by_the_tool_answers_like_native() {
    // No option: the tool sees no `_start` and takes the reactor adapter.
    let (library, _) = reactor_probe::build();
    reactor_probe::check_library_component(&convert_with_tool(&std::fs::read(library).unwrap(), &[]));
}

/// The tool's component and wasm-tools' with the same adapter are the same
/// bytes: the tool runs the same wit-component with the same settings.
#[test]
fn the_tool_writes_what_wasm_tools_writes_for_every_variant() {
    let program = program_wasm(&Program::Rust("hello"));
    let (library, _) = reactor_probe::build();
    let library = std::fs::read(library).unwrap();
    let handler = std::fs::read(build_wasip1_package("proxy").join("proxy_handler.wasm")).unwrap();
    let dist = root().join("dist");
    let cases: [(&str, &[u8], &[&str], std::path::PathBuf); 4] = [
        ("command", &program, &[], dist.join("wasi_snapshot_preview1.command.wasm")),
        ("reactor", &library, &[], dist.join("wasi_snapshot_preview1.reactor.wasm")),
        ("proxy", &handler, &[], dist.join("wasi_snapshot_preview1.proxy.wasm")),
        ("exit-with-code", &program, &["--exit-with-code"], dist.join("exit-with-code/wasi_snapshot_preview1.command.wasm")),
    ];
    for (variant, module, options, adapter) in cases {
        let ours = convert_with_tool(module, options);
        let theirs = fuse_with_wasm_tools(module, &adapter, &[]);
        assert!(ours == theirs, "{variant}: the tool wrote {} bytes, wasm-tools {} bytes, and they differ", ours.len(), theirs.len());
    }
}
