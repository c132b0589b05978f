//! The benchmark: per-call cost of preview1 workloads natively
//! (`wasmtime_wasi::p1`), fused with our command adapter, fused with the
//! published reference adapter and fused with the floor adapter (the
//! thinnest one that runs the workloads: `tests/bench/floor.wat`),
//! interleaved in one run, on the tests' host and on one set up as the
//! wasmtime CLI sets it up; artifact and component sizes; start-up; guest
//! memory.
//!
//! ```sh
//! cargo run --release -p adapter-tests --bin bench               # CPU time
//! cargo run --release -p adapter-tests --bin bench -- --callgrind # instruction counts
//! ```
//!
//! Options: `--reps N` (timed repetitions, default 5), `--scale F`
//! (multiplies every iteration count), `--only w1,w2` (workloads by name),
//! `--hosts library,cli` (which host configurations, default both when
//! built with `--features cli-host`, else `library`: see
//! `adapter_tests::HostConfig`), `--callgrind` (re-runs itself under
//! `valgrind --tool=callgrind` and reports instructions per call instead of
//! time).
//!
//! Each measurement is the instantiate-and-run of the program `bench` of
//! `tests/programs` with an iteration count, minus the same with zero
//! iterations (same set-up, same instantiation), divided by the count.
//! Compilation and fusing happen before (the harness caches them), and the
//! preopened directory is prepared outside the measured region. Time is the
//! thread's CPU time (`CLOCK_THREAD_CPUTIME_ID`; every run uses
//! `allow_blocking_current_thread`, so all host work is on this thread):
//! the machine is shared, so wall time mostly measures the neighbours.
//! Under callgrind, likewise, only this thread's instructions count.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use adapter_tests::{command_adapter, fuse, program_wasm, root, run_in_with, scratch_dir, HostCallHook, HostConfig, Program, Ran, Runner, Scenario, Status};
use wasi_preview1_component_adapter_provider as reference;

/// Every way a workload runs, in the order of the tables' columns; the
/// floor only where it can ([`runs`]).
const RUNNERS: [Runner; 4] = [Runner::Native, Runner::Floor, Runner::Adapter, Runner::Reference];
const NATIVE: usize = 0;
const FLOOR: usize = 1;
const OURS: usize = 2;
const REFERENCE: usize = 3;

/// Whether `runner` runs workload `name` (`hello`: start-up, no floor).
fn runs(runner: Runner, name: &str) -> bool {
    runner != Runner::Floor || name != "hello"
}

fn host_name(h: HostConfig) -> &'static str {
    match h {
        HostConfig::Library => "library",
        HostConfig::Cli => "cli",
    }
}

/// Start-up is one run, not a difference of two: measured this many times
/// under callgrind, reported as the median.
const HELLO_RUNS: u32 = 3;

fn runner_name(r: Runner) -> &'static str {
    match r {
        Runner::Native => "native",
        Runner::Adapter => "ours",
        Runner::Reference => "reference",
        Runner::Floor => "floor",
        _ => "other",
    }
}

/// One workload of `tests/programs/src/bin/bench.rs`.
struct Workload {
    name: &'static str,
    /// What one iteration is.
    unit: &'static str,
    /// Iterations of a timed run (~0.3-1 s natively on the reference machine).
    iterations: u64,
    /// Iterations under callgrind (about 50x slower).
    cg_iterations: u64,
    /// The program's directory and environment.
    setup: fn(Scenario) -> Scenario,
    /// Where the directory is prepared (a large file takes a while to write,
    /// so it is written once per workload, not per run).
    files: fn() -> (Vec<String>, Vec<(String, Vec<u8>)>),
}

fn no_files() -> (Vec<String>, Vec<(String, Vec<u8>)>) {
    (Vec::new(), Vec::new())
}
fn small_file() -> (Vec<String>, Vec<(String, Vec<u8>)>) {
    (Vec::new(), vec![("small".into(), vec![b'x'; 100])])
}
fn big_file() -> (Vec<String>, Vec<(String, Vec<u8>)>) {
    (Vec::new(), vec![("big".into(), (0..16u32 << 20).map(|i| (i * 7 + (i >> 12)) as u8).collect())])
}
fn big_dir() -> (Vec<String>, Vec<(String, Vec<u8>)>) {
    (vec!["dir".into()], (0..1000).map(|i| (format!("dir/entry-{i:05}"), Vec::new())).collect())
}
fn same(s: Scenario) -> Scenario {
    s
}
/// Eight arguments in all: the program name, the workload, the count and these.
fn five_more_args(mut s: Scenario) -> Scenario {
    s.args.extend((1..=5).map(|i| format!("--benchmark-argument-{i}")));
    s
}
fn thousand_vars(s: Scenario) -> Scenario {
    s.env((0..1000).map(|i| (format!("BENCH_VARIABLE_{i:04}"), format!("value number {i} of the benchmark"))))
}

fn workloads() -> Vec<Workload> {
    let w = |name, unit, iterations, cg_iterations, setup: fn(Scenario) -> Scenario, files: fn() -> _| Workload {
        name,
        unit,
        iterations,
        cg_iterations,
        setup,
        files,
    };
    vec![
        w("write", "fd_write of 16 bytes to a file", 400_000, 4_000, same, no_files),
        w("read4k", "fd_read of 4 KiB from a 16 MiB file", 150_000, 2_000, same, big_file),
        w("read64k", "fd_read of 64 KiB from a 16 MiB file", 20_000, 300, same, big_file),
        w("open", "path_open + fd_close", 60_000, 1_000, same, small_file),
        w("stat", "path_filestat_get", 150_000, 2_000, same, small_file),
        w("readdir_std", "std::fs::read_dir of 1,000 entries", 300, 5, same, big_dir),
        w("readdir_raw", "fd_readdir listing of 1,000 entries, 256-byte buffer", 10, 1, same, big_dir),
        w("clock", "clock_time_get", 1_000_000, 10_000, same, no_files),
        w("random", "random_get of 16 bytes", 1_000_000, 10_000, same, no_files),
        w("seek", "fd_seek + fd_tell", 500_000, 5_000, same, small_file),
        w("println", "println! line to a pipe", 300_000, 3_000, same, no_files),
        w("environ", "environ_sizes_get + environ_get, 1,000 variables", 10_000, 100, thousand_vars, no_files),
        w("args", "args_sizes_get + args_get, 8 arguments", 300_000, 5_000, five_more_args, no_files),
        w("poll", "poll_oneoff, one zero-timeout clock", 300_000, 3_000, same, no_files),
    ]
}

fn scenario(w: &Workload, iterations: u64) -> Scenario {
    (w.setup)(Scenario::rust("bench").args([w.name.to_string(), iterations.to_string()]))
}

// ---------------------------------------------------------------------------
// Measuring.

fn thread_cpu() -> Duration {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: a valid timespec to write.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0);
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

/// One run: its CPU time (instantiate + run), the guest's pages at exit.
struct Sample {
    cpu: Duration,
    pages: Option<u32>,
}

fn pages_of(stderr: &[u8]) -> Option<u32> {
    let text = String::from_utf8_lossy(stderr);
    text.lines().rev().find_map(|l| l.strip_prefix("pages=")).and_then(|p| p.trim().parse().ok())
}

fn expect_ok(what: &str, runner: Runner, status: &Status, stderr: &[u8]) {
    if *status != Status::Exit(0) {
        panic!("{what} with {}: {status:?}\nstderr: {}", runner_name(runner), String::from_utf8_lossy(stderr));
    }
}

/// Runs `scenario` in `dir`, timing (or instrumenting) instantiate + run.
fn sample(host: HostConfig, scenario: &Scenario, runner: Runner, dir: &Path, label: Option<&str>) -> Sample {
    let mut cpu = Duration::ZERO;
    let Ran { status, stderr, .. } = run_in_with(host, scenario, runner, true, dir, None, |go| {
        if label.is_some() {
            callgrind::zero_stats();
        }
        let start = thread_cpu();
        let status = go();
        cpu = thread_cpu() - start;
        if let Some(label) = label {
            callgrind::dump_stats_at(label);
        }
        status
    })
    .unwrap();
    expect_ok(&format!("{:?}", scenario.args), runner, &status, &stderr);
    Sample { cpu, pages: pages_of(&stderr) }
}

fn host_calls(host: HostConfig, scenario: &Scenario, runner: Runner, dir: &Path) -> u64 {
    let count = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    let c = count.clone();
    let hook: HostCallHook = std::sync::Arc::new(move || {
        c.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    });
    let Ran { status, stderr, .. } = run_in_with(host, scenario, runner, true, dir, Some(hook), |go| go()).unwrap();
    expect_ok("counting", runner, &status, &stderr);
    count.load(std::sync::atomic::Ordering::Relaxed)
}

fn median(v: &[f64]) -> f64 {
    let mut v = v.to_vec();
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// (max − min) / median, in percent.
fn spread(v: &[f64]) -> f64 {
    let max = v.iter().cloned().fold(f64::MIN, f64::max);
    let min = v.iter().cloned().fold(f64::MAX, f64::min);
    100.0 * (max - min) / median(v).abs().max(1e-12)
}

// ---------------------------------------------------------------------------
// Callgrind client requests (the documented valgrind request protocol on
// x86-64: a marker sequence of rotates that valgrind recognises, with rax
// pointing at the request words; natively it does nothing).

mod callgrind {
    const BASE: usize = ((b'C' as usize) << 24) | ((b'T' as usize) << 16);
    const DUMP_STATS_AT: usize = BASE + 3;
    const ZERO_STATS: usize = BASE + 1;

    #[cfg(target_arch = "x86_64")]
    fn request(words: [usize; 6]) {
        let mut result: usize = 0;
        // SAFETY: register-only rotates that cancel out (3+13+61+51 = 128)
        // and an exchange of rbx with itself; valgrind reads `words`.
        unsafe {
            std::arch::asm!(
                "rol rdi, 3",
                "rol rdi, 13",
                "rol rdi, 61",
                "rol rdi, 51",
                "xchg rbx, rbx",
                in("rax") words.as_ptr(),
                inout("rdx") result,
                inout("rdi") 0usize => _,
            );
        }
        std::hint::black_box(result);
    }

    #[cfg(not(target_arch = "x86_64"))]
    fn request(_: [usize; 6]) {
        panic!("callgrind mode needs x86-64");
    }

    pub fn zero_stats() {
        request([ZERO_STATS, 0, 0, 0, 0, 0]);
    }

    pub fn dump_stats_at(label: &str) {
        let c = std::ffi::CString::new(label).unwrap();
        request([DUMP_STATS_AT, c.as_ptr() as usize, 0, 0, 0, 0]);
    }
}

// ---------------------------------------------------------------------------

struct Options {
    reps: usize,
    scale: f64,
    only: Option<Vec<String>>,
    hosts: Vec<HostConfig>,
    callgrind: bool,
    child: Option<PathBuf>,
}

fn options() -> Options {
    // Both host configurations where the `cli-host` feature compiles the second in.
    let hosts = if cfg!(feature = "cli-host") { vec![HostConfig::Library, HostConfig::Cli] } else { vec![HostConfig::Library] };
    let mut o = Options { reps: 5, scale: 1.0, only: None, hosts, callgrind: false, child: None };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--reps" => o.reps = args.next().unwrap().parse().unwrap(),
            "--scale" => o.scale = args.next().unwrap().parse().unwrap(),
            "--only" => o.only = Some(args.next().unwrap().split(',').map(String::from).collect()),
            "--hosts" => {
                o.hosts = args
                    .next()
                    .unwrap()
                    .split(',')
                    .map(|h| match h {
                        "library" => HostConfig::Library,
                        "cli" => HostConfig::Cli,
                        other => panic!("unknown host configuration {other} (library, cli)"),
                    })
                    .collect()
            }
            "--callgrind" => o.callgrind = true,
            "--callgrind-child" => o.child = Some(PathBuf::from(args.next().unwrap())),
            "--bench" => {} // passed by `cargo bench`-style runners
            other => panic!("unknown option {other} (see the top of tests/src/bin/bench.rs)"),
        }
    }
    o
}

fn selected(o: &Options) -> Vec<Workload> {
    let all = workloads();
    if let Some(only) = &o.only {
        for name in only {
            if name != "hello" && !all.iter().any(|w| w.name == name) {
                panic!("no workload {name}");
            }
        }
    }
    all.into_iter().filter(|w| o.only.as_ref().map_or(true, |only| only.iter().any(|n| n == w.name))).collect()
}

fn wants_hello(o: &Options) -> bool {
    o.only.as_ref().map_or(true, |only| only.iter().any(|n| n == "hello"))
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("model name")).map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string()))
        .unwrap_or_else(|| "unknown".into());
    let os = std::fs::read_to_string("/etc/os-release")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("PRETTY_NAME=")).map(|l| l[12..].trim_matches('"').to_string()))
        .unwrap_or_else(|| std::env::consts::OS.into());
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default();
    let n = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    format!("{n} CPUs, {cpu}, {os}, Linux {}", kernel.trim())
}

fn pct(ours: f64, reference: f64) -> String {
    format!("{:.0}%", 100.0 * ours / reference)
}

/// Sizes of the artifacts and of a fused hello world.
fn sizes(report: &mut String) -> bool {
    let read = |v: &str| std::fs::read(root().join(format!("dist/wasi_snapshot_preview1.{v}.wasm"))).unwrap_or_else(|e| panic!("dist/{v}: {e} (run ./build.sh)"));
    let ours = [command_adapter().to_vec(), read("reactor"), read("proxy")];
    let theirs = [
        reference::WASI_SNAPSHOT_PREVIEW1_COMMAND_ADAPTER,
        reference::WASI_SNAPSHOT_PREVIEW1_REACTOR_ADAPTER,
        reference::WASI_SNAPSHOT_PREVIEW1_PROXY_ADAPTER,
    ];
    let hello = program_wasm(&Program::Rust("hello"));
    let fused_ours = fuse(&hello, command_adapter()).unwrap().len();
    let fused_ref = fuse(&hello, reference::WASI_SNAPSHOT_PREVIEW1_COMMAND_ADAPTER).unwrap().len();
    let mut all_met = true;
    writeln!(report, "| artifact | ours (bytes) | reference 48.0.8 (bytes) | ours/reference | target ≤ 60% |").unwrap();
    writeln!(report, "|---|---:|---:|---:|---|").unwrap();
    for (i, v) in ["command", "reactor", "proxy"].iter().enumerate() {
        let met = ours[i].len() as f64 <= 0.6 * theirs[i].len() as f64;
        all_met &= met;
        writeln!(report, "| {v} | {} | {} | {} | {} |", ours[i].len(), theirs[i].len(), pct(ours[i].len() as f64, theirs[i].len() as f64), if met { "met" } else { "**missed**" }).unwrap();
    }
    writeln!(
        report,
        "| hello world fused with command (program alone: {} bytes) | {fused_ours} | {fused_ref} | {} | — |",
        hello.len(),
        pct(fused_ours as f64, fused_ref as f64)
    )
    .unwrap();
    all_met
}

/// The speed target: ours/native ≤ reference/native and, where the
/// reference costs more than native, ours/native − 1 ≤ (reference/native − 1) / 2.
fn speed_target(ours: f64, reference: f64) -> bool {
    ours <= reference && (reference <= 1.0 || ours - 1.0 <= (reference - 1.0) / 2.0)
}

fn verdict(ours: f64, reference: f64) -> &'static str {
    if speed_target(ours, reference) {
        "met"
    } else if ours <= reference {
        "**missed** (not half)"
    } else {
        "**missed**"
    }
}

/// Prepares every workload's directory once and compiles every program and
/// component (the harness caches them), so nothing measured compiles.
fn prepare(list: &[Workload], hosts: &[HostConfig]) -> Vec<PathBuf> {
    let dirs: Vec<PathBuf> = list
        .iter()
        .map(|w| {
            let (d, f) = (w.files)();
            scratch_dir(&d, &f)
        })
        .collect();
    for &host in hosts {
        for (w, dir) in list.iter().zip(&dirs) {
            for r in RUNNERS.into_iter().filter(|&r| runs(r, w.name)) {
                sample(host, &scenario(w, 0), r, dir, None);
            }
        }
    }
    dirs
}

/// A table cell of a way that may not run (the floor): "—" then.
fn cell_or_dash(v: Option<f64>, show: impl Fn(f64) -> String) -> String {
    v.map_or_else(|| "—".to_string(), show)
}

fn time_mode(o: &Options) {
    let list = selected(o);
    let mut report = String::new();
    writeln!(report, "Machine: {}\n", machine()).unwrap();
    let size_met = sizes(&mut report);
    eprintln!("{report}");
    eprintln!("compiling and warming up…");
    let dirs = prepare(&list, &o.hosts);
    let hello_dir = scratch_dir(&[], &[]);
    let hello = Scenario::rust("hello");
    let mut missed = Vec::new();
    let mut memory = Vec::new();

    for &host in &o.hosts {
        writeln!(report, "\nHost configuration `{}`: CPU time per iteration, median of {} interleaved runs (spread = (max − min)/median over the runs):\n", host_name(host), o.reps).unwrap();
        writeln!(report, "| workload (one iteration) | n | native | floor | ours | reference | ours/native | reference/native | ours/reference | ours − floor | host calls per iteration native / floor / ours / reference | target |").unwrap();
        writeln!(report, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|").unwrap();
        for (w, dir) in list.iter().zip(&dirs) {
            let n = ((w.iterations as f64 * o.scale) as u64).max(1);
            let (zero, full) = (scenario(w, 0), scenario(w, n));
            let ways: Vec<usize> = (0..RUNNERS.len()).filter(|&i| runs(RUNNERS[i], w.name)).collect();
            let mut per: [Vec<f64>; 4] = Default::default();
            let mut pages = [0u32; 4];
            for rep in 0..o.reps {
                for k in 0..ways.len() {
                    let i = ways[(k + rep) % ways.len()];
                    let r = RUNNERS[i];
                    let base = sample(host, &zero, r, dir, None);
                    let s = sample(host, &full, r, dir, None);
                    per[i].push((s.cpu.as_secs_f64() - base.cpu.as_secs_f64()) / n as f64);
                    pages[i] = s.pages.unwrap_or(0);
                }
            }
            // Host calls per iteration, counted on separate (unmeasured) runs.
            let cn = (n / 20).max(1);
            let calls: Vec<Option<f64>> = (0..RUNNERS.len())
                .map(|i| {
                    let r = RUNNERS[i];
                    ways.contains(&i).then(|| (host_calls(host, &scenario(w, cn), r, dir) as f64 - host_calls(host, &zero, r, dir) as f64) / cn as f64)
                })
                .collect();
            let m: Vec<Option<f64>> = per.iter().map(|v| (!v.is_empty()).then(|| median(v))).collect();
            let (native, ours, refr) = (m[NATIVE].unwrap(), m[OURS].unwrap(), m[REFERENCE].unwrap());
            let (on, rn) = (ours / native, refr / native);
            let v = verdict(on, rn);
            if v != "met" {
                missed.push(format!("{} ({})", w.name, host_name(host)));
            }
            let cell = |i: usize| cell_or_dash(m[i], |t| format!("{} ±{:.0}%", fmt_time(t), spread(&per[i]) / 2.0));
            let calls = calls.iter().map(|c| cell_or_dash(*c, fmt_calls)).collect::<Vec<_>>().join(" / ");
            writeln!(
                report,
                "| {} ({}) | {n} | {} | {} | {} | {} | {on:.2} | {rn:.2} | {:.2} | {} | {calls} | {v} |",
                w.name,
                w.unit,
                cell(NATIVE),
                cell(FLOOR),
                cell(OURS),
                cell(REFERENCE),
                ours / refr,
                cell_or_dash(m[FLOOR], |f| fmt_signed_time(ours - f)),
            )
            .unwrap();
            if host == HostConfig::Library {
                memory.push((w.name, pages));
            }
            eprintln!("{}", report.lines().last().unwrap());
        }

        if wants_hello(o) {
            // Start-up: instantiate + run of hello world, no subtraction; no floor.
            let ways = [NATIVE, OURS, REFERENCE];
            let mut t: [Vec<f64>; 4] = Default::default();
            for rep in 0..(o.reps * 10) {
                for k in 0..ways.len() {
                    let i = ways[(k + rep) % ways.len()];
                    t[i].push(sample(host, &hello, RUNNERS[i], &hello_dir, None).cpu.as_secs_f64());
                }
            }
            let m: Vec<f64> = t.iter().map(|v| if v.is_empty() { 0.0 } else { median(v) }).collect();
            let calls: Vec<u64> = ways.iter().map(|&i| host_calls(host, &hello, RUNNERS[i], &hello_dir)).collect();
            let met = m[OURS] <= m[REFERENCE];
            if !met {
                missed.push(format!("startup ({})", host_name(host)));
            }
            writeln!(
                report,
                "| startup (instantiate + run of hello world, {} runs) | 1 | {} ±{:.0}% | — | {} ±{:.0}% | {} ±{:.0}% | {:.2} | {:.2} | {:.2} | — | {} / — / {} / {} | {} |",
                o.reps * 10,
                fmt_time(m[NATIVE]),
                spread(&t[NATIVE]) / 2.0,
                fmt_time(m[OURS]),
                spread(&t[OURS]) / 2.0,
                fmt_time(m[REFERENCE]),
                spread(&t[REFERENCE]) / 2.0,
                m[OURS] / m[NATIVE],
                m[REFERENCE] / m[NATIVE],
                m[OURS] / m[REFERENCE],
                calls[0],
                calls[1],
                calls[2],
                if met { "met (no slower than reference)" } else { "**missed** (slower than reference)" }
            )
            .unwrap();
            if host == HostConfig::Library {
                let bench_hello = Scenario::rust("bench").args(["hello", "0"]);
                let mut p = [0u32; 4];
                for i in [NATIVE, FLOOR, OURS, REFERENCE] {
                    p[i] = sample(host, &bench_hello, RUNNERS[i], &hello_dir, None).pages.unwrap_or(0);
                }
                memory.insert(0, ("hello", p));
            }
        }
    }

    writeln!(report, "\nGuest linear memory at exit (= peak), 64 KiB pages; adapter pages = pages − native pages:\n").unwrap();
    writeln!(report, "| workload | native | ours | reference | adapter pages ours / reference | target ≤ reference's 2 |").unwrap();
    writeln!(report, "|---|---:|---:|---:|---|---|").unwrap();
    let mut mem_met = true;
    for (name, p) in &memory {
        let (a, b) = (p[OURS] as i64 - p[NATIVE] as i64, p[REFERENCE] as i64 - p[NATIVE] as i64);
        let met = a <= 2;
        mem_met &= met;
        writeln!(report, "| {name} | {} | {} | {} | {a} / {b} | {} |", p[NATIVE], p[OURS], p[REFERENCE], if met { "met" } else { "**missed**" }).unwrap();
    }
    writeln!(report, "\nTargets: sizes {}; memory {}; speed and start-up: {}", met_str(size_met), met_str(mem_met), if missed.is_empty() { "all met".to_string() } else { format!("missed on {}", missed.join(", ")) }).unwrap();
    for d in dirs.iter().chain([&hello_dir]) {
        std::fs::remove_dir_all(d).ok();
    }
    println!("{report}");
}

fn met_str(b: bool) -> &'static str {
    if b {
        "met"
    } else {
        "**missed**"
    }
}

fn fmt_time(s: f64) -> String {
    if s >= 1e-3 {
        format!("{:.2} ms", s * 1e3)
    } else if s >= 1e-6 {
        format!("{:.2} µs", s * 1e6)
    } else {
        format!("{:.0} ns", s * 1e9)
    }
}

fn fmt_calls(c: f64) -> String {
    if (c - c.round()).abs() < 0.01 {
        format!("{}", c.round())
    } else {
        format!("{c:.2}")
    }
}

/// A time difference, signed.
fn fmt_signed_time(d: f64) -> String {
    if d < 0.0 {
        format!("−{}", fmt_time(-d))
    } else {
        format!("+{}", fmt_time(d))
    }
}

// ---------------------------------------------------------------------------
// Instruction counts.

/// Under valgrind: every (host, workload, runner) once warm, then a
/// zero-iteration and an n-iteration run, each region dumped to its own
/// file, labelled.
fn callgrind_child(o: &Options, out: &Path) {
    let list = selected(o);
    let dirs = prepare(&list, &o.hosts);
    let mut labels = String::new();
    for &host in &o.hosts {
        let h = host_name(host);
        for (w, dir) in list.iter().zip(&dirs) {
            let n = ((w.cg_iterations as f64 * o.scale) as u64).max(1);
            for r in RUNNERS.into_iter().filter(|&r| runs(r, w.name)) {
                // The zero-iteration run twice: how far two identical runs
                // differ is the measurement's noise.
                for (iters, tag) in [(0, "0"), (n, "n"), (0, "0again")] {
                    let label = format!("{h}/{}/{}/{tag}", w.name, runner_name(r));
                    sample(host, &scenario(w, iters), r, dir, Some(&label));
                    writeln!(labels, "{label}").unwrap();
                }
            }
        }
        if wants_hello(o) {
            let hello_dir = scratch_dir(&[], &[]);
            let hello = Scenario::rust("hello");
            for r in RUNNERS.into_iter().filter(|&r| runs(r, "hello")) {
                sample(host, &hello, r, &hello_dir, None);
                for run in 1..=HELLO_RUNS {
                    let label = format!("{h}/hello/{}/{run}", runner_name(r));
                    sample(host, &hello, r, &hello_dir, Some(&label));
                    writeln!(labels, "{label}").unwrap();
                }
            }
            std::fs::remove_dir_all(hello_dir).ok();
        }
    }
    for d in dirs {
        std::fs::remove_dir_all(d).ok();
    }
    std::fs::write(out.join("labels"), labels).unwrap();
}

/// The instructions of each labelled dump in `dir`.
fn read_dumps(dir: &Path) -> std::collections::HashMap<String, u64> {
    let mut out = std::collections::HashMap::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        // `callgrind.out.PID.PART-THREAD`: thread 01 is the one that runs
        // every sample (run_in runs the component on the calling thread).
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !name.starts_with("callgrind.out") || !name.ends_with("-01") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let label = text.lines().find_map(|l| l.strip_prefix("desc: Trigger: Client Request: ")).map(str::trim);
        let total = text.lines().find_map(|l| l.strip_prefix("totals: ")).and_then(|t| t.split_whitespace().next()?.parse().ok());
        if let (Some(label), Some(total)) = (label, total) {
            out.insert(label.to_string(), total);
        }
    }
    out
}

fn callgrind_mode(o: &Options) {
    let dir = root().join("target/bench-callgrind");
    std::fs::remove_dir_all(&dir).ok();
    std::fs::create_dir_all(&dir).unwrap();
    // Build the programs first, outside valgrind.
    program_wasm(&Program::Rust("bench"));
    program_wasm(&Program::Rust("hello"));
    let me = std::env::current_exe().unwrap();
    let mut cmd = Command::new("valgrind");
    // One profile per thread: only the measuring thread's dumps count (see
    // `read_dumps`). Without it a compiler thread of wasmtime's that is
    // still finishing (freeing, reallocating) when a region starts adds its
    // instructions: up to 37,000 on a 139,000-instruction start-up, present
    // in one run and absent in the next.
    cmd.args(["--tool=callgrind", "--separate-threads=yes", "--dump-instr=no", "--dump-line=no", "--compress-strings=no"])
        .arg(format!("--callgrind-out-file={}/callgrind.out.%p", dir.display()))
        .arg(&me)
        .arg("--callgrind-child")
        .arg(&dir)
        .args(["--scale", &o.scale.to_string()])
        .args(["--hosts", &o.hosts.iter().map(|&h| host_name(h)).collect::<Vec<_>>().join(",")]);
    if let Some(only) = &o.only {
        cmd.args(["--only", &only.join(",")]);
    }
    eprintln!("running under callgrind (a few minutes)…");
    let status = cmd.status().expect("valgrind runs (apt-get install valgrind)");
    assert!(status.success(), "valgrind failed");
    let ir = read_dumps(&dir);
    let get = |l: &str| *ir.get(l).unwrap_or_else(|| panic!("no callgrind dump for {l}"));
    let mut report = String::new();
    writeln!(report, "Machine: {}\n", machine()).unwrap();
    writeln!(report, "Our command adapter: {} bytes (dist/wasi_snapshot_preview1.command.wasm at the start of the run)", command_adapter().len()).unwrap();
    let mut missed = Vec::new();
    for &host in &o.hosts {
        let h = host_name(host);
        writeln!(report, "\nHost configuration `{h}`: instructions (callgrind Ir) per iteration: (Ir of an n-iteration run − Ir of a zero-iteration run) / n, instantiate + run only; noise = how far two identical zero-iteration runs differ, per iteration:\n").unwrap();
        writeln!(report, "| workload (one iteration) | n | native | floor | ours | reference | ours/native | reference/native | ours/reference | ours − floor | noise (Ir/iteration) | target |").unwrap();
        writeln!(report, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|").unwrap();
        for w in selected(o) {
            let n = ((w.cg_iterations as f64 * o.scale) as u64).max(1);
            let mut noise = 0f64;
            let per: Vec<Option<f64>> = RUNNERS
                .iter()
                .map(|&r| {
                    if !runs(r, w.name) {
                        return None;
                    }
                    let name = runner_name(r);
                    let zero = get(&format!("{h}/{}/{name}/0", w.name)) as f64;
                    let again = get(&format!("{h}/{}/{name}/0again", w.name)) as f64;
                    noise = noise.max((zero - again).abs() / n as f64);
                    Some((get(&format!("{h}/{}/{name}/n", w.name)) as f64 - zero.min(again)) / n as f64)
                })
                .collect();
            let (native, ours, refr) = (per[NATIVE].unwrap(), per[OURS].unwrap(), per[REFERENCE].unwrap());
            let (on, rn) = (ours / native, refr / native);
            let v = verdict(on, rn);
            if v != "met" {
                missed.push(format!("{} ({h})", w.name));
            }
            writeln!(
                report,
                "| {} ({}) | {n} | {native:.0} | {} | {ours:.0} | {refr:.0} | {on:.2} | {rn:.2} | {:.2} | {} | ±{noise:.0} | {v} |",
                w.name,
                w.unit,
                cell_or_dash(per[FLOOR], |f| format!("{f:.0}")),
                ours / refr,
                cell_or_dash(per[FLOOR], |f| format!("{:+.0}", ours - f)),
            )
            .unwrap();
        }
        if wants_hello(o) {
            // The median of HELLO_RUNS runs; noise: their largest spread.
            let mut noise = 0f64;
            let hello = |i: usize| {
                let runs: Vec<f64> = (1..=HELLO_RUNS).map(|run| get(&format!("{h}/hello/{}/{run}", runner_name(RUNNERS[i]))) as f64).collect();
                let (lo, hi) = runs.iter().fold((f64::MAX, f64::MIN), |(lo, hi), &x| (lo.min(x), hi.max(x)));
                (median(&runs), hi - lo)
            };
            let mut hv = [0f64; 4];
            for i in [NATIVE, OURS, REFERENCE] {
                let (m, spread) = hello(i);
                hv[i] = m;
                noise = noise.max(spread);
            }
            let met = hv[OURS] <= hv[REFERENCE];
            if !met {
                missed.push(format!("startup ({h})"));
            }
            writeln!(
                report,
                "| startup (instantiate + run of hello world, median of {HELLO_RUNS}) | 1 | {:.0} | — | {:.0} | {:.0} | {:.2} | {:.2} | {:.2} | — | ±{noise:.0} | {} |",
                hv[NATIVE],
                hv[OURS],
                hv[REFERENCE],
                hv[OURS] / hv[NATIVE],
                hv[REFERENCE] / hv[NATIVE],
                hv[OURS] / hv[REFERENCE],
                if met { "met" } else { "**missed**" }
            )
            .unwrap();
        }
    }
    writeln!(report, "\nSpeed targets (instructions): {}", if missed.is_empty() { "all met".to_string() } else { format!("missed on {}", missed.join(", ")) }).unwrap();
    writeln!(report, "\nRaw callgrind dumps of each region (labelled `desc: Trigger: Client Request: host/workload/runner/n`): {}/callgrind.out.*; the release profile strips symbols, so build with CARGO_PROFILE_RELEASE_STRIP=none (and a separate --target-dir) to see host function names", dir.display()).unwrap();
    println!("{report}");
}

fn main() {
    let o = options();
    if let Some(out) = &o.child {
        callgrind_child(&o, out);
    } else if o.callgrind {
        callgrind_mode(&o);
    } else {
        time_mode(&o);
    }
}
