//! The second host: jco on Node ([`Runner::Jco`](crate::Runner::Jco)).
//!
//! A program fused with our command adapter is transpiled to JavaScript by
//! `jco transpile` (once per component, cached under `target/jco/transpiled`
//! by a hash of the component's bytes and of the pinned npm lock file), then
//! run by Node with `@bytecodealliance/preview2-shim` as its WASI 0.2 host,
//! through `tests/jco/run.mjs`: the scenario's arguments, environment and
//! preopen are handed to the shim, stdin is a file of the scenario's bytes,
//! stdout and stderr go to files. Nothing of the test process leaks in: the
//! Node process gets no environment but `PATH`, and the guest sees only what
//! the runner sets. `./test.sh` installs the pinned packages
//! (`tests/jco/package.json` and its lock file) into `target/jco`.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};

use wasmtime::{bail, Result};

use crate::{command_adapter, fuse, guest_argv_and_stdin, program_wasm, root, Program, Ran, Scenario, Status, Stdin, Stdout};

/// Why a scenario cannot be run on jco as it is described, if it cannot:
/// the host has no way to express it. [`crate::check`] runs such scenarios
/// on wasmtime only.
pub fn inexpressible(scenario: &Scenario) -> Option<&'static str> {
    if scenario.read_only {
        // The shim's preopens have no permissions: every one is writable.
        return Some("preview2-shim has no read-only preopen");
    }
    if scenario.stdout == Stdout::Closed {
        // Its stdout is the process's, always open.
        return Some("preview2-shim's stdout cannot be a closed stream");
    }
    let mut keys: Vec<&str> = scenario.env.iter().map(|(k, _)| k.as_str()).collect();
    let integer_like = keys.iter().any(|k| k.parse::<u32>().is_ok());
    keys.sort_unstable();
    keys.dedup();
    if integer_like || keys.len() != scenario.env.len() {
        // `_setEnv` takes an object: its entries come back with
        // integer-like keys first and duplicates merged.
        return Some("preview2-shim's environment is an object (no duplicate or integer-like keys)");
    }
    None
}

/// `target/jco`, where `./test.sh` installs the pinned packages.
fn jco_dir() -> PathBuf {
    root().join("target/jco")
}

/// The Node executable, found on the test process's `PATH`.
fn node() -> &'static Path {
    static NODE: OnceLock<PathBuf> = OnceLock::new();
    NODE.get_or_init(|| {
        let path = std::env::var_os("PATH").unwrap_or_default();
        std::env::split_paths(&path)
            .map(|dir| dir.join("node"))
            .find(|candidate| candidate.is_file())
            .expect("node is not on the PATH (install Node.js with npm)")
    })
}

/// A Node command with nothing inherited but `PATH`, its warnings (which
/// would go to the stderr we compare) off.
fn node_command() -> Command {
    let mut command = Command::new(node());
    command.env_clear().env("PATH", std::env::var_os("PATH").unwrap_or_default()).arg("--no-warnings");
    command
}

/// Checks the pinned packages are installed and puts the runner script
/// beside them; returns `target/jco`.
fn prepared() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = jco_dir();
        let lock = std::fs::read(root().join("tests/jco/package-lock.json")).unwrap();
        let installed = std::fs::read(dir.join("package-lock.json")).unwrap_or_default();
        assert!(
            installed == lock && dir.join("node_modules/@bytecodealliance/jco").is_dir(),
            "{}: jco is not installed at the pinned versions; run ./test.sh (it runs `npm ci` there with tests/jco/package*.json)",
            dir.display()
        );
        // Next to node_modules, so the runner's bare imports resolve to the
        // very preview2-shim the transpiled component imports. Written
        // under a private name and renamed: test processes run in parallel.
        let partial = dir.join(format!("run.mjs.{}.partial", std::process::id()));
        std::fs::write(&partial, include_str!("../jco/run.mjs")).unwrap();
        std::fs::rename(&partial, dir.join("run.mjs")).unwrap();
        dir
    })
}

/// The transpiled entry module of `program` fused with our command adapter.
fn transpiled(program: &Program) -> PathBuf {
    static CACHE: OnceLock<Mutex<HashMap<String, PathBuf>>> = OnceLock::new();
    let key = format!("{program:?}");
    let cache = CACHE.get_or_init(Default::default);
    if let Some(path) = cache.lock().unwrap().get(&key) {
        return path.clone();
    }
    let dir = prepared();
    let component = fuse(&program_wasm(program), command_adapter()).expect("fusing with the adapter");
    // SipHash with fixed keys: the same bytes give the same name in every
    // run (with the pinned toolchain), so the cache outlives the process.
    let mut hasher = std::hash::DefaultHasher::new();
    component.hash(&mut hasher);
    std::fs::read(root().join("tests/jco/package-lock.json")).unwrap().hash(&mut hasher);
    let out = dir.join("transpiled").join(format!("{:016x}", hasher.finish()));
    let entry = out.join("component.js");
    if !entry.exists() {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let partial = dir.join("transpiled").join(format!("partial-{}-{}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed)));
        std::fs::create_dir_all(&partial).unwrap();
        let wasm = partial.join("component.wasm");
        std::fs::write(&wasm, &component).unwrap();
        let output = node_command()
            .arg(dir.join("node_modules/@bytecodealliance/jco/dist/jco.js"))
            .args(["transpile", "--name", "component", "--no-typescript", "--quiet", "-o"])
            .arg(&partial)
            .arg(&wasm)
            .output()
            .expect("node runs");
        assert!(output.status.success(), "jco transpile of {key}:\n{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
        std::fs::remove_file(&wasm).unwrap();
        // Another test process may have finished the same one first.
        if std::fs::rename(&partial, &out).is_err() {
            std::fs::remove_dir_all(&partial).ok();
            assert!(entry.exists(), "{}: transpiled output missing", out.display());
        }
    }
    cache.lock().unwrap().insert(key, entry.clone());
    entry
}

/// A JSON string literal of `s`.
fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn json_path(path: &Path) -> String {
    json_string(path.to_str().expect("a UTF-8 path"))
}

/// Runs `scenario` on jco with `dir` as its preopened directory.
pub(crate) fn run(scenario: &Scenario, dir: &Path) -> Result<Ran> {
    run_with(scenario, dir, false)
}

/// Runs `scenario` on jco, fresh directory and all, leaving stdio as
/// preview2-shim has it by default: three terminals, whatever the process's
/// stdin, stdout and stderr are (the harness's runs say they are none, as
/// wasmtime's pipes are none). For the test that asserts the shim's answer.
pub fn run_with_shim_terminals(scenario: &Scenario) -> Result<Ran> {
    let dir = crate::scratch_dir(&scenario.dirs, &scenario.files);
    let ran = run_with(scenario, &dir, true);
    std::fs::remove_dir_all(&dir).ok();
    ran
}

fn run_with(scenario: &Scenario, dir: &Path, shim_terminals: bool) -> Result<Ran> {
    if let Some(why) = inexpressible(scenario) {
        bail!("{}: cannot run on jco: {why}", scenario.name());
    }
    let module = transpiled(&scenario.program);
    let (argv, stdin) = guest_argv_and_stdin(scenario);
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let files = std::env::temp_dir().join(format!("p1-adapter-jco-{}-{}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed)));
    std::fs::create_dir_all(&files)?;
    let (spec, status, stdout, stderr) = (files.join("spec.json"), files.join("status.json"), files.join("stdout"), files.join("stderr"));
    let list = |items: Vec<String>| items.join(",");
    let spec_json = format!(
        "{{\"module\":{},\"args\":[{}],\"env\":[{}],\"preopen\":{},\"guest_preopen\":{},\"status\":{},\"shim_terminals\":{shim_terminals}}}",
        json_path(&module),
        list(argv.iter().map(|a| json_string(a)).collect()),
        list(scenario.env.iter().map(|(k, v)| format!("[{},{}]", json_string(k), json_string(v))).collect()),
        if scenario.preopen { json_path(dir) } else { "null".into() },
        json_string(scenario.preopen_at),
        json_path(&status),
    );
    std::fs::write(&spec, spec_json)?;
    let stdin = match stdin {
        Stdin::Bytes(bytes) => {
            let path = files.join("stdin");
            std::fs::write(&path, bytes)?;
            Stdio::from(std::fs::File::open(path)?)
        }
        Stdin::Closed => Stdio::null(),
    };
    let exit = node_command()
        .arg(prepared().join("run.mjs"))
        .arg(&spec)
        .current_dir(prepared())
        .stdin(stdin)
        .stdout(std::fs::File::create(&stdout)?)
        .stderr(std::fs::File::create(&stderr)?)
        .status()?;
    let (stdout, stderr) = (std::fs::read(&stdout)?, std::fs::read(&stderr)?);
    let reported = std::fs::read_to_string(&status).ok();
    std::fs::remove_dir_all(&files).ok();
    let status = match reported.as_deref() {
        // The guest's `exit` ended the process: preview2-shim exits 0 or 1.
        None => match exit.code() {
            Some(code @ (0 | 1)) => Status::Exit(code),
            _ => bail!("node ended with {exit} and no status; stderr:\n{}", String::from_utf8_lossy(&stderr)),
        },
        Some(r) if r.starts_with("{\"exit\":") => Status::Exit(r["{\"exit\":".len()..r.len() - 1].parse()?),
        Some(r) if r.starts_with("{\"trap\":") => Status::Trap(r.to_string()),
        Some(r) => bail!("the jco runner failed: {r}"),
    };
    Ok(Ran { status, stdout, stderr, host_resources: None })
}

/// Why a scenario runs on wasmtime only ([`Scenario::wasmtime_only`]): the
/// jco host's own differences, each asserted in `tests/tests/jco_host.rs`
/// and listed in the README's "Hosts" table.
pub mod differs {
    /// preview2-shim hands joined path strings to Node (no `openat`): `.`
    /// and `..` components, trailing slashes, empty paths and symlinks are
    /// resolved by the join, not as the OS resolves them under a directory.
    pub const PATHS: &str = "jco resolves paths by joining strings (Node has no openat)";
    /// A preopened directory is only a path to preview2-shim: `stat`,
    /// `set-times` and `sync` on its descriptor answer `invalid`.
    pub const PREOPEN_DESCRIPTOR: &str = "jco's preopen descriptor is only a path";
    /// Timestamps go through Node's `utimes` in seconds as a double.
    pub const TIMES: &str = "jco sets timestamps to the microsecond";
    /// At stdin's end, `blocking-read` first returns an empty list (`EINTR`).
    pub const STDIN_END: &str = "jco's blocking read at stdin's end returns nothing once";
    /// preview2-shim's stdin is a Node stream: a read returns what Node has
    /// buffered (a 64 KiB read may give 24 KiB), and polling it says ready
    /// only once Node has read ahead, so `poll_oneoff` and short reads
    /// differ from wasmtime's in-memory pipe.
    pub const STDIN_STREAM: &str = "jco's stdin is a Node stream (its own chunks and readiness)";
    /// File offsets are JavaScript numbers: none past 2^53 is refused.
    pub const OFFSETS: &str = "jco's offsets are JavaScript numbers";
    /// Not a difference: a stress scenario (megabytes of stdio, thousands of
    /// calls) that costs a minute or more on jco, where every host call is a
    /// message to preview2-shim's worker thread; kept off jco to keep CI's
    /// time. Smaller scenarios of the same calls run on both hosts.
    pub const SLOW: &str = "too slow on jco for CI (a stress scenario)";
}
