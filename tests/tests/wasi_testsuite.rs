//! The official WASI test suite's preview1 programs
//! (`tests/wasi-testsuite`: WebAssembly/wasi-testsuite, built by its own
//! Rust, C (wasi-libc) and AssemblyScript toolchains; see the README there),
//! each run as its runner runs it (its JSON: arguments, environment, and a
//! `root` directory preopened as `/`) and compared with native preview1 on
//! every host (`check`). The suite's own expectation (exit code 0 unless it
//! says otherwise, and its `stdout` where given) is checked against native,
//! so that no program passes with both sides broken.

use std::path::{Path, PathBuf};

use adapter_tests::jco::differs;
use adapter_tests::{check, root, snapshot, stderr_of, stdout_of, Node, Scenario, Status};

/// Programs whose native output is not reproducible: compared with
/// nothing, and said here why.
const NOT_REPRODUCIBLE: &[(&str, &str)] = &[(
    "poll_oneoff_stdio",
    "prints a std HashMap, whose iteration order follows the random seed it draws with random_get",
)];

/// Programs that meet a documented difference of jco's host (`jco::differs`)
/// and so run on wasmtime only.
const ON_JCO_DIFFERS: &[(&str, &str)] = &[
    ("fd_filestat_set", differs::TIMES),
    ("path_filestat", differs::TIMES),
    ("symlink_filestat", differs::TIMES),
    // Asks for a path with a NUL byte, which Node refuses with an exception.
    ("interesting_paths", differs::PATHS),
];

/// Adds the files and directories below `dir` to the scenario's tree.
fn with_tree(mut scenario: Scenario, dir: &Path) -> Scenario {
    for (path, node) in snapshot(dir) {
        let rel = path.to_str().unwrap().to_string();
        match node {
            Node::Dir => scenario.dirs.push(rel),
            Node::File(contents) => scenario = scenario.file(&rel, contents),
            other => panic!("{}: {rel}: not a file or directory: {other:?}", dir.display()),
        }
    }
    scenario
}

/// The scenario a program's JSON describes, and what the suite expects of
/// it: `(scenario, exit code, stdout if given)`.
fn scenario_of(wasm: &Path) -> (Scenario, i32, Option<String>) {
    let config: serde_json::Value = match std::fs::read_to_string(wasm.with_extension("json")) {
        Ok(text) => serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", wasm.display())),
        Err(_) => serde_json::json!({}),
    };
    let strings = |key: &str| -> Vec<String> {
        config[key].as_array().map_or(Vec::new(), |a| a.iter().map(|s| s.as_str().unwrap().to_string()).collect())
    };
    let mut scenario = Scenario::wasm_file(wasm.to_path_buf()).args(strings("args"));
    if let Some(env) = config["env"].as_object() {
        scenario = scenario.env(env.iter().map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string())).collect::<Vec<_>>());
    }
    scenario = match config["root"].as_str() {
        Some(dir) => {
            let dir = wasm.parent().unwrap().join(dir);
            with_tree(scenario.preopen_at("/"), &dir)
        }
        None => scenario.no_preopen(),
    };
    let exit_code = config["exit_code"].as_i64().unwrap_or(0) as i32;
    (scenario, exit_code, config["stdout"].as_str().map(String::from))
}

/// Runs every program of one toolchain's suite; fails with the list of
/// those that differ (each with its report), after running them all.
fn suite(toolchain: &str, programs: usize) {
    let dir = root().join("tests/wasi-testsuite").join(toolchain);
    let mut wasms: Vec<PathBuf> =
        std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|e| e == "wasm")).collect();
    wasms.sort();
    assert_eq!(wasms.len(), programs, "{}: programs in the suite", dir.display());
    let mut failures = Vec::new();
    for wasm in &wasms {
        let name = wasm.file_stem().unwrap().to_str().unwrap();
        if NOT_REPRODUCIBLE.iter().any(|(n, _)| *n == name) {
            continue;
        }
        let (mut scenario, exit_code, stdout) = scenario_of(wasm);
        if let Some((_, reason)) = ON_JCO_DIFFERS.iter().find(|(n, _)| *n == name) {
            scenario = scenario.wasmtime_only(reason);
        }
        let result = std::panic::catch_unwind(|| {
            let native = check(&scenario);
            assert_eq!(native.status, Status::Exit(exit_code), "native run: stderr {}", stderr_of(&native));
            if let Some(stdout) = &stdout {
                assert_eq!(&stdout_of(&native), stdout, "native stdout");
            }
        });
        if let Err(panic) = result {
            let message = panic.downcast_ref::<String>().cloned().or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()));
            failures.push(format!("{name}: {}", message.unwrap_or_default()));
        }
    }
    assert!(failures.is_empty(), "{} of {} programs failed:\n{}", failures.len(), wasms.len(), failures.join("\n"));
}

#[test]
fn rust_programs() {
    suite("rust", 46);
}

#[test]
fn c_programs() {
    suite("c", 14);
}

#[test]
fn assemblyscript_programs() {
    suite("assemblyscript", 12);
}
