//! The real artifacts in `dist/` pass, and the `verify` command line fails
//! (non-zero exit, violations on stderr) on a broken module.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{dist, Adapter, VARIANTS};
use verify::{check, Variant};

fn verify(variant: &str, module: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_verify")).args(["--variant", variant]).arg(module).output().expect("run verify")
}

fn temp(name: &str, bytes: &[u8]) -> PathBuf {
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("verify-{}-{name}", std::process::id()));
    std::fs::write(&path, bytes).unwrap();
    path
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn dist_artifacts_are_accepted() {
    for variant in VARIANTS {
        let path = dist(variant);
        let report = check(&std::fs::read(&path).unwrap(), variant);
        let list: Vec<String> = report.violations.iter().map(|v| v.to_string()).collect();
        assert!(list.is_empty(), "{}:\n{}", path.display(), list.join("\n"));
    }
}

#[test]
fn dist_artifacts_pass_the_command_line() {
    for variant in VARIANTS {
        let name = format!("{variant:?}").to_lowercase();
        let out = verify(&name, &dist(variant));
        assert!(out.status.success(), "{name}: {}", text(&out.stderr));
        assert!(text(&out.stdout).contains(": ok ("), "{}", text(&out.stdout));
    }
}

/// The command artifact exports `run` and imports `_start`, so it is not a reactor.
#[test]
fn dist_command_is_not_a_reactor() {
    let report = check(&std::fs::read(dist(Variant::Command)).unwrap(), Variant::Reactor);
    assert!(report.violations.iter().any(|v| v.to_string().contains("wasi:cli/run")));
}

#[test]
fn broken_module_fails_the_command_line() {
    let mut a = Adapter::valid(Variant::Command);
    a.data = Some(b"static".to_vec());
    let path = temp("data.wasm", &a.encode());
    let out = verify("command", &path);
    let stderr = text(&out.stderr);
    assert!(!out.status.success());
    assert!(stderr.contains("data segment"), "{stderr}");
    assert!(stderr.contains(&path.display().to_string()), "{stderr}");
    assert!(stderr.contains("1 violation(s)"), "{stderr}");
}

#[test]
fn non_wasm_fails_the_command_line_without_panicking() {
    for (name, bytes, needle) in [
        ("text.wasm", &b"hello"[..], "not a WebAssembly binary"),
        ("component.wasm", &common::encoded_world()[..], "is a component"),
    ] {
        let out = verify("reactor", &temp(name, bytes));
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        assert!(stderr.contains(needle), "{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}

#[test]
fn missing_file_fails_the_command_line() {
    let out = verify("proxy", Path::new("/nonexistent/adapter.wasm"));
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("cannot read"), "{}", text(&out.stderr));
}
