//! Real TinyGo programs (`tests/tinygo`: binaries TinyGo built for wazero's
//! tests; TinyGo cannot be installed here). TinyGo's runtime treats linear
//! memory up to `memory.size` as its heap, so an adapter that keeps state
//! in pages it grew loses it; these run through ours as natively, compared
//! on every host (`check`), each test also checking native's key lines. The
//! published adapter is shown failing two of them.

use adapter_tests::jco::differs;
use adapter_tests::{assert_lines, check, root, run, stdout_of, Runner, Scenario, Status};

fn tinygo(program: &str) -> Scenario {
    Scenario::wasm_file(root().join("tests/tinygo").join(program))
}

/// Checks the scenario against native; native must end with `status` and
/// print every line of `expected`. Returns stdout.
fn case(scenario: Scenario, status: Status, expected: &[&str]) -> String {
    let native = check(&scenario);
    assert!(native.status.same_kind(&status), "native: {:?}\n{}", native.status, stdout_of(&native));
    let stdout = stdout_of(&native);
    assert_lines(&stdout, expected);
    stdout
}

#[test]
fn lists_a_directory() {
    let scenario = tinygo("wasi.wasm").args(["ls", "/sandbox"]).file("a", "1").file("b", "22").dir("d");
    let stdout = case(scenario, Status::Exit(0), &["./a", "./b", "./d"]);
    assert_eq!(stdout.lines().count(), 3, "{stdout}");
}

#[test]
fn lists_again_after_seeking_to_the_start() {
    // TinyGo cannot read a directory again after `Seek(0)`: EBADF, which the
    // program prints as ENOTDIR, natively too.
    case(tinygo("wasi.wasm").args(["ls", "/sandbox", "repeat"]).file("a", "1"), Status::Exit(0), &["./a", "ENOTDIR"]);
}

#[test]
fn a_file_is_not_a_directory() {
    case(tinygo("wasi.wasm").args(["ls", "/sandbox/a"]).file("a", "1"), Status::Exit(0), &["ENOTDIR"]);
}

#[test]
fn a_missing_directory_panics_as_natively() {
    case(
        tinygo("wasi.wasm").args(["ls", "/sandbox/missing"]),
        Status::Trap(String::new()),
        &["panic: open /sandbox/missing: file does not exist"],
    );
}

#[test]
fn terminals() {
    // fd 3 is the preopen, whose descriptor jco cannot stat.
    let scenario = tinygo("wasi.wasm").args(["stat"]).wasmtime_only(differs::PREOPEN_DESCRIPTOR);
    case(scenario, Status::Exit(0), &["stdin isatty: false", "stdout isatty: false", "stderr isatty: false", "/ isatty: false"]);
}

#[test]
fn cat_small_and_large_files() {
    let large: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    let scenario = tinygo("cat.wasm").args(["/sandbox/a", "/sandbox/b"]).file("a", "hello\n").file("b", large.clone());
    let native = check(&scenario);
    assert_eq!(native.status, Status::Exit(0));
    assert_eq!(native.stdout, [b"hello\n".to_vec(), large].concat());
}

#[test]
fn cat_of_a_missing_file_exits_1() {
    case(tinygo("cat.wasm").args(["/sandbox/missing"]), Status::Exit(1), &[]);
}

/// What users of the published adapter see with these programs: reading a
/// 200 KB file traps inside its `fd_read`, and asking to list a file panics
/// (errno 54 where native says ENOTDIR); ours runs both as natively (above).
#[test]
fn the_published_adapter_fails_where_ours_runs() {
    let large = vec![7u8; 200_000];
    let cat = tinygo("cat.wasm").args(["/sandbox/b"]).file("b", large);
    let reference = run(&cat, Runner::Reference, true).unwrap();
    assert!(matches!(reference.status, Status::Trap(_)), "the published adapter: {:?}", reference.status);
    assert_eq!(run(&cat, Runner::Adapter, true).unwrap().status, Status::Exit(0));

    let ls = tinygo("wasi.wasm").args(["ls", "/sandbox/a"]).file("a", "1");
    let reference = run(&ls, Runner::Reference, true).unwrap();
    assert!(matches!(reference.status, Status::Trap(_)), "the published adapter: {:?}", reference.status);
    assert_lines(&stdout_of(&reference), &["panic: fdopendir /sandbox/a: errno 54"]);
    let ours = run(&ls, Runner::Adapter, true).unwrap();
    assert_eq!((&ours.status, stdout_of(&ours).as_str()), (&Status::Exit(0), "ENOTDIR\n"));
}
