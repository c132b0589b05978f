//! Differential fuzzing: random sequences of raw preview1 calls with hostile
//! arguments, run natively (`wasmtime_wasi::p1`, the oracle) and through our
//! command adapter, compared call by call.
//!
//! A seeded generator ([`Gen`]) writes a sequence of calls covering all 46
//! preview1 functions: descriptors -1, 0..12, 2^31, freed and renumbered
//! ones; pointers 0, misaligned, overlapping, at the end of memory and far
//! past it; lengths 0, 1, 2^31, 2^32-1; every flag bit and invalid flag,
//! enum and clock values; paths with `..`, absolute, empty, NUL, invalid
//! UTF-8, very long. The guest program `tests/programs/src/bin/fuzz_calls.rs`
//! reads the sequence from stdin and prints, after each call, its errno and a
//! hash of the memory the calls may write (and, at the end, a hash of every
//! page of its memory). Each sequence runs in a fresh instance with a fresh
//! copy of a small directory tree; the per-call lines, stdout and stderr, the
//! exit status or trap (a trap must come at the same call) and the final tree
//! must be the same in both runs. A divergence is shrunk to a minimal sequence
//! (calls dropped greedily while it still diverges) and reported one call per
//! line, with the memory ranges that differ.
//!
//! [`fuzz_regressions`] replays, as fixed sequences, every divergence the
//! fuzzer has found (all fixed in the adapter).
//!
//! [`fuzz_proxy_calls`] fuzzes the proxy adapter the same way: seeds from
//! [`PROXY_SEEDS`] on run in the `wasi:http/proxy` world (the program given a
//! `wasi:cli/run` export, fused with the proxy adapter, linked with only that
//! world's interfaces), against native with no preopen, no arguments and no
//! environment, and never call `proc_exit` (which traps in the proxy world).
//!
//! `FUZZ_ADAPTER=FILE` fuzzes another build of the command adapter.
//! `FUZZ_SEEDS=N` runs N seeds (default 4,000, about 30 s on two cores;
//! `FUZZ_PROXY_SEEDS=N` for the proxy, default 1,000),
//! `FUZZ_SEED_START=S` starts at seed S, `FUZZ_SEED=S` runs only seed S and
//! prints its sequence and output, `FUZZ_REPEAT=K` runs every seed K times
//! (to catch flaky outcomes), `FUZZ_STATS=1` adds the errnos seen per
//! function to the summary.
//!
//! Each seed's sequence starts with a few ordinary `path_open`s, and the
//! generator keeps a rough model of the open descriptors and existing names,
//! so that most calls reach real files and directories rather than `EBADF`.
//! One seed in four is hostile (traps likely), one in five runs with a
//! read-only preopen, and seeds alternate the host's
//! `allow_blocking_current_thread`.
//!
//! Not generated, because the outcome differs for reasons that are not bugs:
//! * the documented differences (README "Known differences"): `proc_exit`
//!   with a code 1..=125; `fd_readdir` continuing a listing after the tree
//!   changed (see [`readdir_rule_ok`]); `poll_oneoff` with a single relative
//!   clock;
//! * values that differ between any two runs: clock readings, random bytes,
//!   inode numbers and timestamps are zeroed by the guest before hashing;
//! * `poll_oneoff` whose result depends on timing: a file's read readiness
//!   racing a subscription that is ready at once, timeouts other than 0 or
//!   an hour;
//! * guest regions that straddle the end of the program's memory: natively
//!   they trap, but the adapter's own pages follow the program's memory, so
//!   for the adapter they are in bounds (see the end of this file).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::Instant;

use adapter_tests::{
    command_adapter, component_status, engine, export_run, fuse, program_wasm, proxy_adapter, proxy_status, scratch_dir, snapshot, status_of,
    tree_differences, wasi_ctx, ComponentCtx, Node, Program, Scenario, Status, Stdin,
};
use wasmtime::component::{Component, ResourceTable};
use wasmtime::{Error, InstancePre, Linker, Module, Store};
use wasmtime_wasi::p1::WasiP1Ctx;
use wasmtime_wasi::p2::bindings::sync::CommandPre;
use wasmtime_wasi::p2::pipe::{MemoryInputPipe, MemoryOutputPipe};
use wasmtime_wasi::{I32Exit, WasiCtxBuilder};

// ---------------------------------------------------------------------------
// The guest's memory layout (see fuzz_calls.rs).

/// Bytes of arena: the last pages of the guest's memory.
const ARENA: u64 = 2 * 65536;
/// The low bytes of memory that are hashed with the arena (pointer 0).
const LOW: u64 = 4096;

/// What stdin holds after the encoded sequence, for the calls to read.
const STDIN_TAIL: &[u8] = b"fixed stdin: 0123456789\nabcdefghijklmnopqrstuvwxyz\n\xff\x00end\n";

const ARGS: [&str; 3] = ["\u{3b1}rg", "", "two words"];
const ENV: [(&str, &str); 3] = [("A", "1"), ("EMPTY", ""), ("K", "v=w")];

fn base_scenario() -> Scenario {
    Scenario::rust("fuzz_calls")
        .args(ARGS)
        .env(ENV)
        .file("a", "hello world\n")
        .file("b", "")
        .file("c", (0..5000u32).map(|i| (i * 7 % 251) as u8).collect::<Vec<u8>>())
        .file("d/f", "fff")
        .dir("d/e")
}

// ---------------------------------------------------------------------------
// Random numbers: splitmix64.

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n` (n > 0).
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn range(&mut self, lo: u64, hi_inclusive: u64) -> u64 {
        lo + self.below(hi_inclusive - lo + 1)
    }
    /// True with probability `percent`/100.
    fn chance(&mut self, percent: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 * 100.0 < percent
    }
    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize]
    }
}

// ---------------------------------------------------------------------------
// Sequences.

/// A guest address or plain value, resolved by the guest.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Operand {
    Imm(u64),
    /// Arena base + offset.
    Arena(u64),
    /// End of the guest's memory - k.
    End(u64),
    /// End of the guest's memory + k (wrapping at 4 GiB).
    Past(u64),
}

impl Operand {
    fn add(self, d: u64) -> Operand {
        match self {
            Operand::Imm(v) => Operand::Imm(v.wrapping_add(d)),
            Operand::Arena(o) => Operand::Arena(o + d),
            Operand::End(k) if k >= d => Operand::End(k - d),
            Operand::End(k) => Operand::Past(d - k),
            Operand::Past(k) => Operand::Past(k + d),
        }
    }
    fn encode(self, out: &mut Vec<u8>) {
        let (kind, v) = match self {
            Operand::Imm(v) => (0u8, v),
            Operand::Arena(o) => (1, o),
            Operand::End(k) => (2, k),
            Operand::Past(k) => (3, k),
        };
        out.push(kind);
        out.extend_from_slice(&v.to_le_bytes());
    }
    fn show(self) -> String {
        match self {
            Operand::Imm(0) => "0".into(),
            Operand::Imm(v) if v < 4096 => format!("{v}"),
            Operand::Imm(v) => format!("{v:#x}"),
            Operand::Arena(o) => format!("arena+{o:#x}"),
            Operand::End(k) => format!("end-{k}"),
            Operand::Past(k) => format!("end+{k:#x}"),
        }
    }
}

/// Memory the guest writes before a call.
#[derive(Clone, Debug)]
enum Setup {
    Bytes(Operand, Vec<u8>),
    U32(Operand, Operand),
    Fill(Operand, u32, u8),
}

#[derive(Clone, Debug)]
struct Call {
    /// Position in the generated sequence (kept when shrinking).
    index: u32,
    func: u8,
    args: Vec<Operand>,
    shown: Vec<String>,
    setup: Vec<Setup>,
}

impl Call {
    fn show(&self) -> String {
        format!("{}({})", name_of(self.func), self.shown.join(", "))
    }
}

/// The name of preview1 function `func`: the guest numbers them in the
/// order of verify's list.
fn name_of(func: u8) -> &'static str {
    verify::PREVIEW1[func as usize].name
}

/// The guest's stdin for a sequence: header, body, then [`STDIN_TAIL`].
fn encode(calls: &[Call], seed: u64, dump: bool) -> Vec<u8> {
    let mut body = Vec::new();
    for call in calls {
        for s in &call.setup {
            match s {
                Setup::Bytes(at, bytes) => {
                    body.push(1);
                    at.encode(&mut body);
                    body.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
                    body.extend_from_slice(bytes);
                }
                Setup::U32(at, v) => {
                    body.push(2);
                    at.encode(&mut body);
                    v.encode(&mut body);
                }
                Setup::Fill(at, n, b) => {
                    body.push(4);
                    at.encode(&mut body);
                    body.extend_from_slice(&n.to_le_bytes());
                    body.push(*b);
                }
            }
        }
        body.push(5);
        body.extend_from_slice(&call.index.to_le_bytes());
        body.push(call.func);
        body.push(call.args.len() as u8);
        for a in &call.args {
            a.encode(&mut body);
        }
    }
    assert!(body.len() <= 512 << 10, "sequence too long for the guest");
    let mut out = Vec::new();
    out.extend_from_slice(b"FZ01");
    out.extend_from_slice(&(dump as u32).to_le_bytes());
    out.extend_from_slice(&(seed as u32).to_le_bytes());
    out.extend_from_slice(&(body.len() as u32).to_le_bytes());
    out.extend(body);
    out.extend_from_slice(STDIN_TAIL);
    out
}

// ---------------------------------------------------------------------------
// The generator.

const RIGHTS_ALL: u64 = (1 << 30) - 1;
const RIGHT_READ: u64 = 1 << 1;
const RIGHT_WRITE: u64 = 1 << 6;

/// Flag names for display, bit by bit.
const OFLAGS: &[&str] = &["CREAT", "DIRECTORY", "EXCL", "TRUNC"];
const FDFLAGS: &[&str] = &["APPEND", "DSYNC", "NONBLOCK", "RSYNC", "SYNC"];
const FSTFLAGS: &[&str] = &["ATIM", "ATIM_NOW", "MTIM", "MTIM_NOW"];
const LOOKUP: &[&str] = &["SYMLINK_FOLLOW"];
const RIFLAGS: &[&str] = &["RECV_PEEK", "RECV_WAITALL"];
const SDFLAGS: &[&str] = &["RD", "WR"];

fn show_flags(v: u64, names: &[&str]) -> String {
    if v == 0 {
        return "0".into();
    }
    let mut parts = Vec::new();
    let mut rest = v;
    for (i, n) in names.iter().enumerate() {
        if v & (1 << i) != 0 {
            parts.push(n.to_string());
            rest &= !(1 << i);
        }
    }
    if rest != 0 {
        parts.push(format!("{rest:#x}"));
    }
    parts.join("|")
}

fn show_fd(fd: u32) -> String {
    if fd >= 0x8000_0000 {
        format!("{}", fd as i32)
    } else {
        format!("{fd}")
    }
}

fn show_bytes(b: &[u8]) -> String {
    let mut s = String::from("\"");
    for &c in b {
        match c {
            b'"' => s += "\\\"",
            b'\\' => s += "\\\\",
            0x20..=0x7e => s.push(c as char),
            _ => write!(s, "\\x{c:02x}").unwrap(),
        }
    }
    s + "\""
}

/// Builds one call.
struct CallB {
    func: u8,
    args: Vec<Operand>,
    shown: Vec<String>,
    setup: Vec<Setup>,
    /// Arena ranges this call already placed something in.
    used: Vec<(u64, u64)>,
}

/// Seeds from here on run in the proxy world (see the module documentation).
const PROXY_SEEDS: u64 = 1 << 48;

fn is_proxy(seed: u64) -> bool {
    seed >= PROXY_SEEDS
}

struct Gen {
    r: Rng,
    /// A proxy seed: no `proc_exit`.
    proxy: bool,
    /// Percent chance of a value meant to trap (bad pointer, invalid flag).
    hostile: f64,
    /// Descriptors whose listing started over (cookie 0..=2) since the last
    /// call that may have changed a directory: only those may continue a
    /// listing (see [`readdir_rule_ok`]).
    listed: std::collections::BTreeSet<u64>,
    /// A guess at the open descriptors (every open assumed to succeed,
    /// numbered as native numbers them), to pick live ones often.
    open: std::collections::BTreeSet<u32>,
    freed: std::collections::BTreeSet<u32>,
    /// Names that probably exist (created ones are added).
    names: Vec<Vec<u8>>,
}

impl Gen {
    fn new(seed: u64) -> Gen {
        let mut r = Rng(seed ^ 0x5eed_f00d_dead_beef);
        r.next();
        // One sequence in four is hostile: traps come early there.
        let hostile = if seed % 4 == 0 { 4.0 } else { 0.4 };
        let names = ["a", "b", "c", "d", "d/f", "d/e"].iter().map(|n| n.as_bytes().to_vec()).collect();
        // The proxy has stdio only: no preopen at 3, and no open succeeds.
        let proxy = is_proxy(seed);
        let open = if proxy { 0..=2 } else { 0..=3 }.collect();
        Gen { r, proxy, hostile, listed: Default::default(), open, freed: Default::default(), names }
    }

    fn sequence(&mut self) -> Vec<Call> {
        let n = self.r.range(20, 60) as u32;
        // A few opens that should succeed, so that later calls find files.
        let opens = if self.proxy { 0 } else { self.r.range(1, 4) as u32 };
        let mut calls: Vec<Call> = (0..opens).map(|i| self.plain_open(i)).collect();
        calls.extend((opens..n).map(|i| self.call(i)));
        calls
    }

    /// A `path_open` of an existing (or new) file or directory under the
    /// preopen, with ordinary flags.
    fn plain_open(&mut self, index: u32) -> Call {
        let mut b = CallB { func: 31, args: Vec::new(), shown: Vec::new(), setup: Vec::new(), used: Vec::new() };
        b.arg("fd", Operand::Imm(3), "3".into());
        b.arg("dirflags", Operand::Imm(0), "0".into());
        let (path, oflags) = self.r.pick(&[("a", 0u64), ("c", 0), ("b", 0), ("d", 0), ("d/f", 0), ("new", 1), ("d", 2), ("c", 8), ("d/e", 2)]);
        if oflags & 1 != 0 {
            self.changes_tree();
        }
        self.path_with(&mut b, "path", path.as_bytes().to_vec());
        b.arg("oflags", Operand::Imm(oflags), show_flags(oflags, OFLAGS));
        let base = self.r.pick(&[RIGHTS_ALL, RIGHTS_ALL, RIGHT_READ, RIGHT_READ | RIGHT_WRITE, RIGHT_WRITE]);
        self.value(&mut b, "base", base);
        self.value(&mut b, "inheriting", RIGHTS_ALL);
        let f = self.r.pick(&[0u64, 0, 0, 1, 4]);
        b.arg("fdflags", Operand::Imm(f), show_flags(f, FDFLAGS));
        self.out(&mut b, "opened", 4, 4);
        self.model_open();
        Call { index, func: 31, args: b.args, shown: b.shown, setup: b.setup }
    }

    // -- values ------------------------------------------------------------

    fn fd(&mut self) -> u32 {
        if self.r.chance(65.0) {
            let live: Vec<u32> = self.open.iter().copied().filter(|&fd| fd >= 3 || self.proxy || self.r.chance(30.0)).collect();
            if !live.is_empty() {
                return self.r.pick(&live);
            }
        }
        let r = self.r.below(100);
        match r {
            0..=29 => self.r.range(3, 5) as u32,
            30..=59 => self.r.range(3, 8) as u32,
            60..=74 => self.r.range(0, 2) as u32,
            75..=89 => self.r.range(6, 12) as u32,
            _ => self.r.pick(&[u32::MAX, 1 << 31, (1 << 31) - 1, 100, 65535, 65536, 1 << 20]),
        }
    }

    /// The model's guess at what `path_open` returns.
    fn model_open(&mut self) -> u32 {
        if self.proxy {
            return u32::MAX;
        }
        let fd = match self.freed.iter().next_back().copied() {
            Some(fd) => {
                self.freed.remove(&fd);
                fd
            }
            None => self.open.iter().next_back().map_or(0, |m| m + 1),
        };
        self.open.insert(fd);
        fd
    }

    fn model_close(&mut self, fd: u32) {
        if self.open.remove(&fd) {
            self.freed.insert(fd);
        }
    }

    fn model_renumber(&mut self, from: u32, to: u32) {
        if from != to && self.open.contains(&from) && self.open.contains(&to) {
            self.open.remove(&from);
            self.freed.insert(from);
        }
    }

    /// A descriptor to close or renumber: never 1 (stdout carries the
    /// guest's report), and the preopen seldom (it ends most path calls).
    fn fd_not_stdout(&mut self) -> u32 {
        loop {
            let fd = self.fd();
            if fd != 1 && (fd != 3 || self.r.chance(10.0)) {
                return fd;
            }
        }
    }

    fn u64_value(&mut self) -> u64 {
        match self.r.below(100) {
            0..=19 => 0,
            20..=29 => 1,
            30..=54 => self.r.range(2, 64),
            55..=69 => self.r.range(65, 5000),
            70..=79 => self.r.pick(&[4096, 65536, 65535, 1 << 20]),
            _ => self.r.pick(&[u64::MAX, i64::MAX as u64, 1 << 63, (1 << 63) + 1, 1 << 32, (1 << 32) - 1, 1 << 31, 1 << 40, 1 << 44]),
        }
    }

    fn timestamp(&mut self) -> u64 {
        match self.r.below(10) {
            0..=2 => 0,
            3 => 1,
            4 => 1_600_000_000_000_000_000,
            5 => 999_999_999,
            6 => u64::MAX,
            7 => i64::MAX as u64,
            _ => self.r.next() >> self.r.below(64),
        }
    }

    /// Flags: mostly valid combinations of `bits` defined bits, sometimes
    /// (hostile) undefined bits, which native rejects with a trap.
    fn flags(&mut self, bits: u32, width: u32) -> u64 {
        let valid = (1u64 << bits) - 1;
        if self.r.chance(self.hostile * 0.5) {
            let bad = match self.r.below(3) {
                0 if bits < width => 1u64 << self.r.range(bits as u64, width as u64 - 1),
                1 => 1u64 << width.min(31),
                _ => u32::MAX as u64,
            };
            return bad | (self.r.next() & valid);
        }
        match self.r.below(10) {
            0..=2 => 0,
            3 => valid,
            _ => self.r.next() & valid,
        }
    }

    /// An enum value below `count`, sometimes (hostile) an invalid one.
    fn enum_value(&mut self, count: u64) -> u64 {
        if self.r.chance(self.hostile * 0.5) {
            return self.r.pick(&[count, count + 1, 255, 256, u32::MAX as u64]);
        }
        self.r.below(count)
    }

    fn rights(&mut self) -> u64 {
        if self.r.chance(self.hostile * 0.3) {
            return self.r.pick(&[1 << 30, 1 << 63, u64::MAX]);
        }
        match self.r.below(10) {
            0 => 0,
            1..=2 => RIGHTS_ALL,
            3 => RIGHT_READ,
            4 => RIGHT_WRITE,
            5 => RIGHT_READ | RIGHT_WRITE,
            _ => self.r.next() & RIGHTS_ALL,
        }
    }

    // -- memory ------------------------------------------------------------

    /// An arena offset for `size` bytes aligned to `align`, mostly clear of
    /// what this call placed already.
    fn arena_spot(&mut self, b: &mut CallB, size: u64, align: u64) -> u64 {
        let size = size.max(1);
        let mut off = 0;
        for _ in 0..8 {
            off = self.r.below(ARENA - size + 1) / align * align;
            if !b.used.iter().any(|&(s, e)| off < e && s < off + size) {
                break;
            }
        }
        b.used.push((off, off + size));
        off
    }

    /// Where a call accesses `size` bytes aligned to `align`. Always either
    /// inside the guest's memory or far past it: never straddling its end.
    fn place(&mut self, b: &mut CallB, size: u64, align: u64) -> Operand {
        if self.r.chance(self.hostile * 0.5) {
            // Misaligned, or out of bounds whatever the adapter has grown.
            return match self.r.below(5) {
                0 if align > 1 && size <= ARENA - 8 => Operand::Arena(self.arena_spot(b, size + 8, 1) / align * align + self.r.range(1, align - 1)),
                1 => Operand::Imm(u32::MAX as u64 - self.r.below(16)),
                2 => Operand::Imm(1 << 31),
                3 => Operand::Past((1 << 28) + self.r.below(4096) * align),
                _ => Operand::Imm((u32::MAX as u64 - 7) & !(align - 1)),
            };
        }
        if size > ARENA {
            // Only a huge length (the caller knows it traps or is refused).
            // Far enough from the end that what a read returns (at most
            // 64 KiB for the reads that check only that) fits.
            return Operand::Arena(self.r.below(ARENA - 65536) / align * align);
        }
        match self.r.below(100) {
            0..=83 => Operand::Arena(self.arena_spot(b, size, align)),
            84..=89 => Operand::End(size.div_ceil(align) * align),
            90..=92 if size <= LOW => Operand::Imm(0),
            _ => {
                // Overlapping something placed already.
                match b.used.last().copied() {
                    Some((s, e)) => {
                        let off = (s + self.r.below(e - s + 1)).min(ARENA - size) / align * align;
                        Operand::Arena(off)
                    }
                    None => Operand::Arena(self.arena_spot(b, size, align)),
                }
            }
        }
    }

    /// A byte length for a buffer.
    fn length(&mut self) -> u64 {
        if self.r.chance(self.hostile * 0.5) {
            // Past the end of memory; the last two within native's 128 MiB
            // copy limit (reads check only the bytes they return).
            return self.r.pick(&[1 << 31, u32::MAX as u64, (1 << 31) - 1, (128 << 20) + 1, 1 << 28, 64 << 20, (8 << 20) + 3]);
        }
        match self.r.below(100) {
            0..=9 => 0,
            10..=16 => 1,
            17..=34 => self.r.range(2, 16),
            35..=59 => self.r.range(17, 256),
            60..=89 => self.r.range(257, 4096),
            _ => self.r.range(4097, ARENA),
        }
    }

    /// A `(ptr, len)` buffer.
    fn buffer(&mut self, b: &mut CallB) -> (Operand, u64) {
        let len = self.length();
        let ptr = if len == 0 && self.r.chance(30.0) {
            // Never checked natively: any pointer.
            self.r.pick(&[Operand::Imm(0), Operand::Past(1 << 20), Operand::Imm(u32::MAX as u64), Operand::End(0)])
        } else {
            self.place(b, len, 1)
        };
        (ptr, len)
    }

    fn out(&mut self, b: &mut CallB, name: &str, size: u64, align: u64) {
        let p = self.place(b, size, align);
        b.arg(name, p, p.show());
    }

    fn buf_arg(&mut self, b: &mut CallB, name: &str) {
        let (p, len) = self.buffer(b);
        b.arg(name, p, p.show());
        b.arg(&format!("{name}_len"), Operand::Imm(len), len.to_string());
    }

    /// An iovec array (`iovs`, `iovs_len`), its entries written by setup.
    fn iovecs(&mut self, b: &mut CallB) {
        let count = if self.r.chance(self.hostile * 0.4) {
            self.r.pick(&[1 << 29, (1 << 24) + 1, 1 << 28, u32::MAX as u64])
        } else {
            match self.r.below(100) {
                0..=7 => 0,
                8..=59 => 1,
                60..=79 => 2,
                80..=94 => self.r.range(3, 5),
                _ => self.r.range(6, 16),
            }
        };
        let at = self.place(b, (count * 8).min(ARENA + 1), 4);
        let mut entries = Vec::new();
        for k in 0..count.min(16) {
            let (p, len) = self.buffer(b);
            let e = at.add(k * 8);
            b.setup.push(Setup::U32(e, p));
            b.setup.push(Setup::U32(e.add(4), Operand::Imm(len)));
            entries.push(format!("({}, {len})", p.show()));
        }
        let shown = if count <= 16 { format!("{}[{}]", at.show(), entries.join(", ")) } else { at.show() };
        b.arg("iovs", at, shown);
        b.arg("iovs_len", Operand::Imm(count), count.to_string());
    }

    fn path_bytes(&mut self) -> Vec<u8> {
        const POOL: &[&str] = &[
            "a", "b", "c", "d", "d/f", "d/e", "d/e/", "new", "n2", "d/n3", "d/e/n4", "x/y", ".", "..", "", "/", "/sandbox", "/sandbox/a", "/a",
            "a/", "a/.", "d/..", "d/../a", "d/../../sandbox/a", "../sandbox", "../x", "d/./f", "./a", "d//f", "d/e/../f", "sl", "sl2", "d/sl",
            "lnk", "\u{e9}t\u{e9}", "a b", "-", "d/f/", "b/..", ".a", "...",
        ];
        if self.r.chance(45.0) {
            return self.names[self.r.below(self.names.len() as u64) as usize].clone();
        }
        match self.r.below(100) {
            0..=79 => POOL[self.r.below(POOL.len() as u64) as usize].as_bytes().to_vec(),
            80..=83 => b"a\0b".to_vec(),
            84 => b"\0".to_vec(),
            85..=86 => vec![0xff],
            87 => vec![b'a', 0xc3],
            88 => vec![0xed, 0xa0, 0x80],
            89 => b"d/\xc0\xaf".to_vec(),
            90..=92 => vec![b'x'; self.r.pick(&[255, 256, 1000, 4097])],
            93..=94 => b"d/".repeat(self.r.pick(&[100, 1025, 2100])),
            95..=96 => b"../".repeat(self.r.range(2, 40) as usize),
            _ => {
                let n = self.r.range(1, 6);
                let parts = ["a", "d", "e", "f", "..", ".", "sl", "new"];
                (0..n).map(|_| parts[self.r.below(parts.len() as u64) as usize]).collect::<Vec<_>>().join("/").into_bytes()
            }
        }
    }

    /// A path argument (`path`, `path_len`) with its bytes written by setup.
    /// A path argument that names something to create.
    fn new_path(&mut self, b: &mut CallB, name: &str) {
        let bytes = if self.r.chance(40.0) {
            self.r.pick(&["new", "n2", "d/n3", "d/e/n4", "sl", "sl2", "d/sl", "lnk", "-"]).as_bytes().to_vec()
        } else {
            self.path_bytes()
        };
        if !self.names.contains(&bytes) && bytes.len() < 64 && !bytes.is_empty() {
            self.names.push(bytes.clone());
        }
        self.path_with(b, name, bytes);
    }

    fn path(&mut self, b: &mut CallB, name: &str) {
        let bytes = if self.r.chance(15.0) && name == "old_path" {
            // Symlink targets.
            self.r.pick(&["a", "d", "d/f", "/etc/passwd", "/", "..", "../x", "sl", "nowhere", "d/e", "a/"]).as_bytes().to_vec()
        } else {
            self.path_bytes()
        };
        self.path_with(b, name, bytes);
    }

    fn path_with(&mut self, b: &mut CallB, name: &str, bytes: Vec<u8>) {
        let mut len = bytes.len() as u64;
        let mut note = String::new();
        if self.r.chance(self.hostile * 0.5) {
            len = self.r.pick(&[1 << 31, u32::MAX as u64, (128 << 20) + 1]);
            note = format!("[len={len}]");
        } else if self.r.chance(4.0) && len > 0 {
            len -= 1;
            note = format!("[len={len}]");
        } else if self.r.chance(3.0) {
            len += 1;
            note = format!("[len={len}]");
        }
        let at = self.place(b, bytes.len() as u64, 1);
        if straddles_end(at, len) {
            // Past the end of the program's memory is the adapter's (see
            // the notes at the end of this file).
            len = bytes.len() as u64;
            note.clear();
        }
        if bytes.len() > 64 && bytes.iter().all(|&c| c == bytes[0]) {
            b.setup.push(Setup::Fill(at, bytes.len() as u32, bytes[0]));
        } else {
            b.setup.push(Setup::Bytes(at, bytes.clone()));
        }
        let text = if bytes.len() > 48 { format!("{}...({} bytes)", show_bytes(&bytes[..24]), bytes.len()) } else { show_bytes(&bytes) };
        let place = if matches!(at, Operand::Arena(_)) { String::new() } else { format!("@{}", at.show()) };
        b.arg(name, at, format!("{text}{place}{note}"));
        b.arg(&format!("{name}_len"), Operand::Imm(len), String::new());
    }

    fn subscriptions(&mut self, b: &mut CallB) {
        // Kinds: ready clocks, never-ready clocks, fd write, fd read, errors.
        let n = if self.r.chance(self.hostile * 0.5) {
            self.r.pick(&[1u64 << 31, u32::MAX as u64, 2_097_153, 1 << 26])
        } else {
            match self.r.below(100) {
                0..=4 => 0,
                5..=24 => 1,
                25..=94 => self.r.range(2, 6),
                _ => self.r.range(7, 40),
            }
        };
        let mut subs: Vec<[u8; 48]> = Vec::new();
        let mut shown = Vec::new();
        let count = n.min(40);
        let with_read = count >= 1 && self.r.chance(25.0);
        let read_at = if with_read { self.r.below(count) } else { u64::MAX };
        // Without a read subscription, one that is ready at once (or fails
        // the call) keeps the call from waiting for an hour.
        let prompt_at = if with_read { u64::MAX } else { self.r.below(count.max(1)) };
        for k in 0..count {
            let mut s = [0u8; 48];
            if self.r.chance(10.0) {
                for x in s.iter_mut() {
                    *x = 0xa5;
                }
            }
            let ud = self.r.next() >> self.r.below(64);
            s[0..8].copy_from_slice(&ud.to_le_bytes());
            let clock = |s: &mut [u8; 48], id: u32, timeout: u64, precision: u64, flags: u16| {
                s[8] = 0;
                s[16..20].copy_from_slice(&id.to_le_bytes());
                s[24..32].copy_from_slice(&timeout.to_le_bytes());
                s[32..40].copy_from_slice(&precision.to_le_bytes());
                s[40..42].copy_from_slice(&flags.to_le_bytes());
            };
            let fdsub = |s: &mut [u8; 48], tag: u8, fd: u32| {
                s[8] = tag;
                s[16..20].copy_from_slice(&fd.to_le_bytes());
            };
            let precision = self.r.pick(&[0, 1, 1000, u64::MAX]);
            let desc;
            if k == read_at {
                let fd = self.fd();
                fdsub(&mut s, 1, fd);
                desc = format!("read(fd={})", show_fd(fd));
            } else if count == 1 {
                // Never one relative clock (documented difference), and a
                // lone subscription must become ready.
                match self.r.below(4) {
                    0 => {
                        let id = self.r.below(4) as u32;
                        let t = self.r.pick(&[0, 1]);
                        clock(&mut s, id, t, precision, 1);
                        desc = format!("clock(id={id}, abs {t})");
                    }
                    1 => {
                        let fd = self.fd();
                        fdsub(&mut s, 2, fd);
                        desc = format!("write(fd={})", show_fd(fd));
                    }
                    2 => {
                        let tag = self.r.pick(&[3u8, 4, 255]);
                        s[8] = tag;
                        desc = format!("tag {tag}");
                    }
                    _ => {
                        let flags = self.r.pick(&[3u16, 0x8001, 0xffff]);
                        clock(&mut s, 1, 0, precision, flags);
                        desc = format!("clock(id=1, 0, flags={flags:#x})");
                    }
                }
            } else {
                let kinds: &[u8] = if with_read {
                    &[1, 1, 1, 4]
                } else if k == prompt_at {
                    &[0, 0, 2, 4]
                } else {
                    &[0, 0, 1, 2, 2, 4]
                };
                match self.r.pick(kinds) {
                    0 => {
                        // Ready at once.
                        let (id, t, f) = self.r.pick(&[(1u32, 0u64, 0u16), (0, 0, 0), (1, 0, 1), (0, 0, 1), (0, 1, 1), (1, 1, 1)]);
                        clock(&mut s, id, t, precision, f);
                        desc = format!("clock(id={id}, {}{t})", if f == 1 { "abs " } else { "" });
                    }
                    1 => {
                        // Never ready (an hour, or the end of time).
                        let (id, t, f) = self.r.pick(&[(1u32, 3_600_000_000_000u64, 0u16), (0, 3_600_000_000_000, 0), (1, u64::MAX, 1), (0, u64::MAX, 1), (1, u64::MAX, 0)]);
                        clock(&mut s, id, t, precision, f);
                        desc = format!("clock(id={id}, {}{t:#x})", if f == 1 { "abs " } else { "" });
                    }
                    2 => {
                        let fd = self.fd();
                        fdsub(&mut s, 2, fd);
                        desc = format!("write(fd={})", show_fd(fd));
                    }
                    _ => match self.r.below(4) {
                        0 => {
                            let tag = self.r.pick(&[3u8, 4, 255]);
                            s[8] = tag;
                            desc = format!("tag {tag}");
                        }
                        1 => {
                            let id = self.r.pick(&[2u32, 3, 4, u32::MAX]);
                            clock(&mut s, id, 0, precision, self.r.pick(&[0, 1]));
                            desc = format!("clock(id={id})");
                        }
                        _ => {
                            let flags = self.r.pick(&[2u16, 3, 0x8000, 0xffff]);
                            clock(&mut s, 1, 0, precision, flags);
                            desc = format!("clock(flags={flags:#x})");
                        }
                    },
                }
            }
            subs.push(s);
            shown.push(desc);
        }
        let bytes: Vec<u8> = subs.concat();
        let at = self.place(b, (n * 48).min(ARENA + 1), 8);
        if !bytes.is_empty() {
            b.setup.push(Setup::Bytes(at, bytes));
        }
        b.arg("subs", at, format!("{}[{}]", at.show(), shown.join(", ")));
        // Room for every event (fewer would straddle the end of memory if
        // placed there).
        let ev = self.place(b, (n * 32).min(ARENA + 1), 8);
        b.arg("events", ev, ev.show());
        b.arg("nsubscriptions", Operand::Imm(n), n.to_string());
        self.out(b, "nevents", 4, 4);
    }

    // -- calls -------------------------------------------------------------

    fn call(&mut self, index: u32) -> Call {
        // Weights by function (witx order).
        const WEIGHTS: [u32; 46] = [
            2, 2, 2, 2, 2, 2, 2, 2, // args.. fd_allocate
            5, 2, 3, 3, 2, 3, 3, 3, // fd_close.. fd_filestat_set_times
            4, 3, 3, 4, 5, 4, 4, 4, // fd_pread.. fd_seek
            2, 3, 5, 3, 3, 3, 3, 12, // fd_sync.. path_open
            3, 3, 3, 3, 3, 4, 1, 2, // path_readlink.. proc_raise
            1, 2, 2, 2, 2, 2, // sched_yield.. sock_shutdown
        ];
        let total: u32 = WEIGHTS.iter().sum();
        let mut pick = self.r.below(total as u64) as u32;
        let mut func = 0u8;
        for (i, w) in WEIGHTS.iter().enumerate() {
            if pick < *w {
                func = i as u8;
                break;
            }
            pick -= w;
        }
        // proc_exit ends the run: rare; never in the proxy, where it traps.
        if func == 38 && (self.proxy || !self.r.chance(25.0)) {
            func = 40;
        }
        let mut b = CallB { func, args: Vec::new(), shown: Vec::new(), setup: Vec::new(), used: Vec::new() };
        self.fill(&mut b);
        Call { index, func: b.func, args: b.args, shown: b.shown, setup: b.setup }
    }

    /// A descriptor for a `path_*` call: the preopen half the time.
    fn dir_arg(&mut self, b: &mut CallB, name: &str) {
        let fd = if self.r.chance(50.0) { 3 } else { self.fd() };
        b.arg(name, Operand::Imm(fd as u64), show_fd(fd));
    }

    fn fd_arg(&mut self, b: &mut CallB, name: &str) {
        let fd = self.fd();
        b.arg(name, Operand::Imm(fd as u64), show_fd(fd));
    }

    fn value(&mut self, b: &mut CallB, name: &str, v: u64) {
        let shown = if v < 1 << 20 { v.to_string() } else { format!("{v:#x}") };
        b.arg(name, Operand::Imm(v), shown);
    }

    fn flag_arg(&mut self, b: &mut CallB, name: &str, names: &[&str], width: u32) {
        let v = self.flags(names.len() as u32, width);
        b.arg(name, Operand::Imm(v), show_flags(v, names));
    }

    fn changes_tree(&mut self) {
        self.listed.clear();
    }

    fn fill(&mut self, b: &mut CallB) {
        let args_size: u64 = ARGS.iter().map(|a| a.len() as u64 + 1).sum::<u64>() + "fuzz_calls.wasm".len() as u64 + 1;
        let env_size: u64 = ENV.iter().map(|(k, v)| (k.len() + v.len() + 2) as u64).sum();
        match b.func {
            0 => {
                self.out(b, "argv", 4 * (ARGS.len() as u64 + 1), 4);
                self.out(b, "argv_buf", args_size, 1);
            }
            2 => {
                self.out(b, "environ", 4 * ENV.len() as u64, 4);
                self.out(b, "environ_buf", env_size, 1);
            }
            1 | 3 => {
                self.out(b, "count", 4, 4);
                self.out(b, "size", 4, 4);
            }
            4 => {
                let id = self.enum_value(4);
                self.value(b, "id", id);
                self.out(b, "resolution", 8, 8);
            }
            5 => {
                let id = self.enum_value(4);
                self.value(b, "id", id);
                let p = self.u64_value();
                self.value(b, "precision", p);
                self.out(b, "time", 8, 8);
            }
            6 => {
                self.fd_arg(b, "fd");
                let (o, l) = (self.u64_value(), self.u64_value());
                self.value(b, "offset", o);
                self.value(b, "len", l);
                let a = self.enum_value(6);
                self.value(b, "advice", a);
            }
            7 => {
                self.fd_arg(b, "fd");
                let (o, l) = (self.u64_value(), self.u64_value());
                self.value(b, "offset", o);
                self.value(b, "len", l);
            }
            8 => {
                let fd = self.fd_not_stdout();
                self.model_close(fd);
                b.arg("fd", Operand::Imm(fd as u64), show_fd(fd));
            }
            9 | 24 => self.fd_arg(b, "fd"),
            10 => {
                self.fd_arg(b, "fd");
                self.out(b, "stat", 24, 8);
            }
            11 => {
                self.fd_arg(b, "fd");
                self.flag_arg(b, "flags", FDFLAGS, 16);
            }
            12 => {
                self.fd_arg(b, "fd");
                let (x, y) = (self.rights(), self.rights());
                self.value(b, "base", x);
                self.value(b, "inheriting", y);
            }
            13 => {
                self.fd_arg(b, "fd");
                self.out(b, "filestat", 64, 8);
            }
            14 => {
                self.fd_arg(b, "fd");
                let s = self.u64_value();
                self.value(b, "size", s);
            }
            15 => {
                self.fd_arg(b, "fd");
                let (x, y) = (self.timestamp(), self.timestamp());
                self.value(b, "atim", x);
                self.value(b, "mtim", y);
                self.flag_arg(b, "fst_flags", FSTFLAGS, 16);
            }
            16 | 19 => {
                self.fd_arg(b, "fd");
                self.iovecs(b);
                let o = self.u64_value();
                self.value(b, "offset", o);
                self.out(b, "nbytes", 4, 4);
            }
            17 => {
                self.fd_arg(b, "fd");
                self.out(b, "prestat", 8, 4);
            }
            18 => {
                self.fd_arg(b, "fd");
                if self.r.chance(50.0) {
                    let len = self.r.pick(&[0u64, 1, 7, 8, 9, 100]);
                    let p = self.place(b, len, 1);
                    b.arg("path", p, p.show());
                    b.arg("path_len", Operand::Imm(len), len.to_string());
                } else {
                    self.buf_arg(b, "path");
                }
            }
            20 | 26 => {
                self.fd_arg(b, "fd");
                self.iovecs(b);
                self.out(b, "nbytes", 4, 4);
            }
            21 => {
                self.fd_arg(b, "fd");
                if self.r.chance(50.0) {
                    let len = self.r.pick(&[0u64, 1, 23, 24, 25, 30, 50, 100, 300]);
                    let p = self.place(b, len, 1);
                    b.arg("buf", p, p.show());
                    b.arg("buf_len", Operand::Imm(len), len.to_string());
                } else {
                    self.buf_arg(b, "buf");
                }
                let fd = match b.args[0] {
                    Operand::Imm(fd) => fd,
                    _ => unreachable!(),
                };
                let mut cookie = match self.r.below(10) {
                    0..=3 => 0,
                    4..=8 => self.r.range(1, 8),
                    _ => self.r.pick(&[u64::MAX, 1 << 63, i64::MAX as u64, 1 << 32]),
                };
                if !self.listed.contains(&fd) {
                    cookie = cookie.min(self.r.below(3));
                }
                if cookie <= 2 {
                    self.listed.insert(fd);
                }
                self.value(b, "cookie", cookie);
                // Not over the entries: the guest finds the inode numbers it
                // zeroes by walking them.
                let (buf, len) = (b.args[1], b.args[2]);
                let mut used = self.place(b, 4, 4);
                while overlap(used, 4, buf, match len { Operand::Imm(l) => l, _ => 0 }) {
                    used = self.place(b, 4, 4);
                }
                b.arg("bufused", used, used.show());
            }
            22 => {
                let (from, to) = (self.fd_not_stdout(), self.fd_not_stdout());
                self.model_renumber(from, to);
                b.arg("from", Operand::Imm(from as u64), show_fd(from));
                b.arg("to", Operand::Imm(to as u64), show_fd(to));
            }
            23 => {
                self.fd_arg(b, "fd");
                let off = match self.r.below(10) {
                    0..=5 => self.u64_value(),
                    6..=8 => (-(self.r.range(1, 6000) as i64)) as u64,
                    _ => i64::MIN as u64,
                };
                b.arg("offset", Operand::Imm(off), (off as i64).to_string());
                let w = self.enum_value(3);
                self.value(b, "whence", w);
                self.out(b, "newoffset", 8, 8);
            }
            25 => {
                self.fd_arg(b, "fd");
                self.out(b, "offset", 8, 8);
            }
            27 => {
                self.changes_tree();
                self.dir_arg(b, "fd");
                self.new_path(b, "path");
            }
            33 | 36 => {
                self.changes_tree();
                self.dir_arg(b, "fd");
                self.path(b, "path");
            }
            28 => {
                self.dir_arg(b, "fd");
                self.flag_arg(b, "flags", LOOKUP, 32);
                self.path(b, "path");
                self.out(b, "filestat", 64, 8);
            }
            29 => {
                self.dir_arg(b, "fd");
                self.flag_arg(b, "flags", LOOKUP, 32);
                self.path(b, "path");
                let (x, y) = (self.timestamp(), self.timestamp());
                self.value(b, "atim", x);
                self.value(b, "mtim", y);
                self.flag_arg(b, "fst_flags", FSTFLAGS, 16);
            }
            30 => {
                self.changes_tree();
                self.dir_arg(b, "old_fd");
                self.flag_arg(b, "old_flags", LOOKUP, 32);
                self.path(b, "old_path");
                self.dir_arg(b, "new_fd");
                self.new_path(b, "new_path");
            }
            31 => {
                let nice = self.r.chance(60.0);
                self.dir_arg(b, "fd");
                self.flag_arg(b, "dirflags", LOOKUP, 32);
                let oflags = if nice && !self.r.chance(self.hostile * 0.5) { self.r.pick(&[0u64, 0, 0, 1, 2, 1 | 8, 1 | 4, 8]) } else { self.flags(4, 16) };
                if oflags & 1 != 0 {
                    self.changes_tree();
                    self.new_path(b, "path");
                } else {
                    self.path(b, "path");
                }
                b.arg("oflags", Operand::Imm(oflags), show_flags(oflags, OFLAGS));
                let base = if nice { self.r.pick(&[RIGHTS_ALL, RIGHT_READ, RIGHT_WRITE, RIGHT_READ | RIGHT_WRITE, 0]) } else { self.rights() };
                let inh = self.rights();
                self.value(b, "base", base);
                self.value(b, "inheriting", inh);
                if nice && !self.r.chance(self.hostile * 0.5) {
                    // The sync flags make the host refuse (NOTSUP): mostly not.
                    let f = self.r.pick(&[0u64, 0, 0, 1, 4, 5, 2]);
                    b.arg("fdflags", Operand::Imm(f), show_flags(f, FDFLAGS));
                    self.model_open();
                } else {
                    self.flag_arg(b, "fdflags", FDFLAGS, 16);
                }
                self.out(b, "opened", 4, 4);
            }
            32 => {
                self.dir_arg(b, "fd");
                if self.r.chance(40.0) {
                    let link = self.r.pick(&["sl", "sl2", "d/sl", "lnk", "-"]).as_bytes().to_vec();
                    self.path_with(b, "path", link);
                } else {
                    self.path(b, "path");
                }
                self.buf_arg(b, "buf");
                self.out(b, "bufused", 4, 4);
            }
            34 => {
                self.changes_tree();
                self.dir_arg(b, "fd");
                self.path(b, "old_path");
                self.dir_arg(b, "new_fd");
                self.new_path(b, "new_path");
            }
            35 => {
                self.changes_tree();
                self.path(b, "old_path");
                self.dir_arg(b, "fd");
                self.new_path(b, "new_path");
            }
            37 => self.subscriptions(b),
            38 => {
                // 1..=125 is a documented difference (the status is 1).
                let code = self.r.pick(&[0u64, 0, 126, 127, 255, 256, 1000, u32::MAX as u64]);
                self.value(b, "code", code);
            }
            39 => {
                let s = self.enum_value(31);
                self.value(b, "signal", s);
            }
            40 => {}
            41 => self.buf_arg(b, "buf"),
            42 => {
                self.fd_arg(b, "fd");
                self.flag_arg(b, "flags", FDFLAGS, 16);
                self.out(b, "opened", 4, 4);
            }
            43 => {
                self.fd_arg(b, "fd");
                self.iovecs(b);
                self.flag_arg(b, "ri_flags", RIFLAGS, 16);
                self.out(b, "ro_datalen", 4, 4);
                self.out(b, "ro_flags", 2, 2);
            }
            44 => {
                self.fd_arg(b, "fd");
                self.iovecs(b);
                self.flag_arg(b, "si_flags", &[], 16);
                self.out(b, "so_datalen", 4, 4);
            }
            45 => {
                self.fd_arg(b, "fd");
                self.flag_arg(b, "how", SDFLAGS, 8);
            }
            _ => unreachable!(),
        }
    }
}

/// Where an operand points, as an offset from the start of the arena
/// (`None` for what is not in the arena).
fn arena_offset(at: Operand) -> Option<u64> {
    match at {
        Operand::Arena(o) => Some(o),
        Operand::End(k) if k <= ARENA => Some(ARENA - k),
        _ => None,
    }
}

/// Whether two regions may share a byte.
fn overlap(a: Operand, a_len: u64, b: Operand, b_len: u64) -> bool {
    match (arena_offset(a), arena_offset(b)) {
        (Some(x), Some(y)) => x < y + b_len && y < x + a_len,
        _ => a == b || (a == Operand::Imm(0) && b == Operand::Imm(0)),
    }
}

/// Whether `[at, at + len)` starts inside the program's memory and ends past it.
fn straddles_end(at: Operand, len: u64) -> bool {
    match at {
        Operand::Arena(o) => o < ARENA && o + len > ARENA,
        Operand::End(k) => len > k,
        Operand::Imm(0) => len > LOW,
        _ => false,
    }
}

impl CallB {
    fn arg(&mut self, name: &str, v: Operand, shown: String) {
        self.args.push(v);
        if !shown.is_empty() {
            self.shown.push(format!("{name}={shown}"));
        }
    }
}

// ---------------------------------------------------------------------------
// Running.

struct Runners {
    native: InstancePre<WasiP1Ctx>,
    adapter: CommandPre<ComponentCtx>,
    proxy: CommandPre<ComponentCtx>,
}

fn runners() -> &'static Runners {
    static R: OnceLock<Runners> = OnceLock::new();
    R.get_or_init(|| {
        let wasm = program_wasm(&Program::Rust("fuzz_calls"));
        let module = Module::new(engine(), &*wasm).unwrap();
        let mut linker = Linker::new(engine());
        wasmtime_wasi::p1::add_to_linker_sync(&mut linker, |cx| cx).unwrap();
        let native = linker.instantiate_pre(&module).unwrap();
        // `FUZZ_ADAPTER=FILE` fuzzes another build of the command adapter.
        let other = std::env::var("FUZZ_ADAPTER").ok().map(|f| std::fs::read(&f).unwrap_or_else(|e| panic!("{f}: {e}")));
        let adapter = other.as_deref().unwrap_or(command_adapter());
        let component = Component::new(engine(), fuse(&wasm, adapter).unwrap()).unwrap();
        let mut linker = wasmtime::component::Linker::new(engine());
        wasmtime_wasi::p2::add_to_linker_sync(&mut linker).unwrap();
        let adapter = CommandPre::new(linker.instantiate_pre(&component).unwrap()).unwrap();
        let component = Component::new(engine(), fuse(&export_run(&wasm).unwrap(), proxy_adapter()).unwrap()).unwrap();
        let mut linker = wasmtime::component::Linker::new(engine());
        wasmtime_wasi::p2::add_to_linker_proxy_interfaces_sync(&mut linker).unwrap();
        let proxy = CommandPre::new(linker.instantiate_pre(&component).unwrap()).unwrap();
        Runners { native, adapter, proxy }
    })
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Who {
    Native,
    Adapter,
}

struct Run {
    stdout: Vec<u8>,
    stderr: Vec<u8>,
    status: Status,
    /// The final directory tree ([`snapshot`]).
    tree: Vec<(PathBuf, Node)>,
    /// A run of a proxy seed.
    proxy: bool,
}

/// The scenario's directory is preopened read-only for one seed in five.
fn scenario_for(seed: u64, stdin: Vec<u8>) -> Scenario {
    let mut s = base_scenario().stdin(Stdin::Bytes(stdin));
    if seed % 5 == 4 {
        s = s.read_only();
    }
    s
}

/// What each thread is running, for the watchdog: seed and start time.
fn running() -> &'static Mutex<std::collections::HashMap<std::thread::ThreadId, (u64, Instant)>> {
    static R: OnceLock<Mutex<std::collections::HashMap<std::thread::ThreadId, (u64, Instant)>>> = OnceLock::new();
    R.get_or_init(Default::default)
}

/// Ends the process if a run takes more than `limit` (a call that blocks:
/// a bug in the generator or the adapter), naming the seed.
fn watchdog(limit: std::time::Duration) {
    static STARTED: OnceLock<()> = OnceLock::new();
    STARTED.get_or_init(|| {
        std::thread::spawn(move || loop {
            std::thread::sleep(std::time::Duration::from_secs(1));
            for (seed, since) in running().lock().unwrap().values() {
                if since.elapsed() > limit {
                    eprintln!("fuzz: seed {seed} has been running for {:?}; its sequence:", since.elapsed());
                    for c in Gen::new(*seed).sequence() {
                        eprintln!("  #{} {}", c.index, c.show());
                    }
                    std::process::exit(101);
                }
            }
        });
    });
}

fn run_one(seed: u64, input: Vec<u8>, who: Who) -> Run {
    running().lock().unwrap().insert(std::thread::current().id(), (seed, Instant::now()));
    let run = run_one_inner(seed, input, who);
    running().lock().unwrap().remove(&std::thread::current().id());
    run
}

fn run_one_inner(seed: u64, input: Vec<u8>, who: Who) -> Run {
    let proxy = is_proxy(seed);
    let scenario = scenario_for(seed, input);
    let blocking = seed % 2 == 0;
    let dir = scratch_dir(&scenario.dirs, &scenario.files);
    let (mut builder, stdout, stderr) = if proxy {
        // What the proxy world has: stdio. Natively the same: no argv at all.
        let mut builder = WasiCtxBuilder::new();
        let (stdout, stderr) = (MemoryOutputPipe::new(256 << 20), MemoryOutputPipe::new(256 << 20));
        let Stdin::Bytes(input) = &scenario.stdin else { unreachable!() };
        builder.stdin(MemoryInputPipe::new(input.clone())).stdout(stdout.clone()).stderr(stderr.clone());
        builder.allow_blocking_current_thread(blocking);
        (builder, stdout, stderr)
    } else {
        wasi_ctx(&scenario, &dir, blocking).unwrap()
    };
    let r = runners();
    let status = match who {
        Who::Native => {
            let mut store = Store::new(engine(), builder.build_p1());
            let result = r.native.instantiate(&mut store).and_then(|instance| {
                let start = instance.get_typed_func::<(), ()>(&mut store, "_start")?;
                start.call(&mut store, ())
            });
            status_of(result)
        }
        Who::Adapter => {
            let mut store = Store::new(engine(), ComponentCtx { wasi: builder.build(), table: ResourceTable::new() });
            let result = if proxy { &r.proxy } else { &r.adapter }
                .instantiate(&mut store)
                .and_then(|command| command.wasi_cli_run().call_run(&mut store))
                .and_then(|r| r.map_err(|()| Error::new(I32Exit(1))));
            status_of(result)
        }
    };
    let tree = snapshot(&dir);
    std::fs::remove_dir_all(&dir).ok();
    Run { stdout: stdout.contents().to_vec(), stderr: stderr.contents().to_vec(), status, tree, proxy }
}

/// The guest's report lines (without their `\x01FZ ` marker).
fn reports(stdout: &[u8]) -> Vec<String> {
    let mut out = Vec::new();
    let marker = b"\x01FZ ";
    let mut i = 0;
    while i + marker.len() <= stdout.len() {
        if &stdout[i..i + marker.len()] == marker {
            let start = i + marker.len();
            let stop = stdout[start..].iter().position(|&b| b == b'\n').map_or(stdout.len(), |p| start + p);
            out.push(String::from_utf8_lossy(&stdout[start..stop]).into_owned());
            i = stop;
        } else {
            i += 1;
        }
    }
    out
}

/// Per-call results: index -> (errno, hash).
fn call_lines(lines: &[String]) -> Vec<(u32, u32, String)> {
    lines
        .iter()
        .filter_map(|l| {
            let mut it = l.strip_prefix("c ")?.split(' ');
            Some((it.next()?.parse().ok()?, it.next()?.parse().ok()?, it.next()?.to_string()))
        })
        .collect()
}

/// Every difference between a native and an adapter run; empty when equal.
fn differences(native: &Run, adapter: &Run) -> String {
    let mut diff = String::new();
    let (nl, al) = (reports(&native.stdout), reports(&adapter.stdout));
    let (nc, ac) = (call_lines(&nl), call_lines(&al));
    for (n, a) in nc.iter().zip(&ac) {
        if n != a {
            writeln!(diff, "call #{}: native errno {} hash {}, adapter #{} errno {} hash {}", n.0, n.1, n.2, a.0, a.1, a.2).unwrap();
            break;
        }
    }
    if nc.len() != ac.len() {
        writeln!(diff, "native made {} calls, adapter {}", nc.len(), ac.len()).unwrap();
    }
    let ends = |l: &[String]| l.iter().filter(|l| l.starts_with("end")).cloned().collect::<Vec<_>>().join(" ");
    let (ne, ae) = (ends(&nl), ends(&al));
    if ne != ae {
        let hashes = |e: &str| e.split(' ').filter(|w| w.len() == 8).map(str::to_string).collect::<Vec<_>>();
        let (nh, ah) = (hashes(&ne), hashes(&ae));
        let pages: Vec<usize> = (0..nh.len().max(ah.len())).filter(|&i| nh.get(i) != ah.get(i)).collect();
        writeln!(diff, "memory differs at the end in 64 KiB pages {pages:?} (the arena is the last {})", ARENA / 65536).unwrap();
    }
    if diff.is_empty() && native.stdout != adapter.stdout {
        writeln!(diff, "stdout differs ({} vs {} bytes)", native.stdout.len(), adapter.stdout.len()).unwrap();
    }
    if native.stderr != adapter.stderr {
        writeln!(diff, "stderr: native {:?}, adapter {:?}", String::from_utf8_lossy(&native.stderr), String::from_utf8_lossy(&adapter.stderr)).unwrap();
    }
    let expected = if adapter.proxy { proxy_status(&native.status) } else { component_status(&native.status) };
    if !expected.same_kind(&adapter.status) {
        writeln!(diff, "status: native {:?}, adapter {:?}", short(&native.status), short(&adapter.status)).unwrap();
    }
    let trees = tree_differences(&native.tree, &adapter.tree);
    if !trees.is_empty() {
        writeln!(diff, "directory tree:\n{trees}").unwrap();
    }
    diff
}

fn short(s: &Status) -> String {
    match s {
        Status::Exit(c) => format!("exit {c}"),
        Status::Trap(m) => format!("trap ({})", m.lines().next().unwrap_or("")),
    }
}

/// Runs a sequence both ways: the native run and the differences.
fn run_both(seed: u64, calls: &[Call]) -> (Run, String) {
    let input = encode(calls, seed, false);
    let native = run_one(seed, input.clone(), Who::Native);
    let adapter = run_one(seed, input, Who::Adapter);
    let d = differences(&native, &adapter);
    (native, d)
}

fn diverges(seed: u64, calls: &[Call]) -> bool {
    !run_both(seed, calls).1.is_empty()
}

/// The documented `fd_readdir` difference (README, "Known differences"):
/// native re-reads the directory on every call, the adapter continues an open
/// listing, which does not show what changed since it started. Cookies 0..=2
/// start a listing over in both. So a sequence may continue a listing (cookie
/// above 2) only on a descriptor whose listing started over after the last
/// call that may have changed a directory.
fn readdir_rule_ok(calls: &[Call]) -> bool {
    let imm = |o: Operand| match o {
        Operand::Imm(v) => v,
        _ => u64::MAX,
    };
    let mut listed = std::collections::BTreeSet::new();
    for c in calls {
        match c.func {
            27 | 30 | 33 | 34 | 35 | 36 => listed.clear(),
            31 if imm(c.args[4]) & 1 != 0 => listed.clear(),
            21 => {
                let (fd, cookie) = (imm(c.args[0]), imm(c.args[3]));
                if cookie <= 2 {
                    listed.insert(fd);
                } else if !listed.contains(&fd) {
                    return false;
                }
            }
            _ => {}
        }
    }
    true
}

/// Drops calls while the sequence still diverges: chunks first, then one by one.
fn shrink(seed: u64, mut calls: Vec<Call>) -> Vec<Call> {
    let mut chunk = calls.len().div_ceil(2).max(1);
    loop {
        let mut i = 0;
        while i < calls.len() {
            let mut candidate = calls.clone();
            candidate.drain(i..(i + chunk).min(calls.len()));
            if !candidate.is_empty() && readdir_rule_ok(&candidate) && diverges(seed, &candidate) {
                calls = candidate;
            } else {
                i += chunk;
            }
        }
        if chunk == 1 {
            return calls;
        }
        chunk = chunk.div_ceil(2);
    }
}

/// Where a guest address is, in the generator's terms.
fn describe_addr(addr: u64, end: u64) -> String {
    if end >= ARENA && addr >= end - ARENA && addr < end {
        format!("arena+{:#x} (end-{})", addr - (end - ARENA), end - addr)
    } else {
        format!("{addr:#x}")
    }
}

/// The memory rows (64 bytes, by address) of a dump-mode run.
fn dump_rows(stdout: &[u8]) -> (BTreeMap<u64, String>, u64) {
    let mut rows = BTreeMap::new();
    let mut pages = 0;
    for l in reports(stdout) {
        if let Some(rest) = l.strip_prefix("d ") {
            let (a, hex) = rest.split_once(' ').unwrap();
            rows.insert(u64::from_str_radix(a, 16).unwrap(), hex.to_string());
        } else if let Some(rest) = l.strip_prefix("end") {
            pages += rest.split(' ').filter(|w| w.len() == 8).count() as u64;
        }
    }
    (rows, pages * 65536)
}

/// The byte ranges where the two runs' memory differs at the end.
fn memory_diff(seed: u64, calls: &[Call]) -> String {
    let input = encode(calls, seed, true);
    let native = run_one(seed, input.clone(), Who::Native);
    let adapter = run_one(seed, input, Who::Adapter);
    let (n, end) = dump_rows(&native.stdout);
    let (a, adapter_end) = dump_rows(&adapter.stdout);
    if end == 0 || adapter_end == 0 {
        // A run that did not get to the end has no dump.
        return String::new();
    }
    let zero = "0".repeat(128);
    let mut out = String::new();
    let mut shown = 0;
    let rows: std::collections::BTreeSet<u64> = n.keys().chain(a.keys()).copied().collect();
    for row in rows {
        let (x, y) = (n.get(&row).unwrap_or(&zero), a.get(&row).unwrap_or(&zero));
        if x == y {
            continue;
        }
        // First and last differing byte of the row.
        let bytes = |h: &str| (0..64).map(|i| u8::from_str_radix(&h[2 * i..2 * i + 2], 16).unwrap()).collect::<Vec<u8>>();
        let (xb, yb) = (bytes(x), bytes(y));
        let first = (0..64).find(|&i| xb[i] != yb[i]).unwrap();
        let last = (0..64).rfind(|&i| xb[i] != yb[i]).unwrap().min(first + 15);
        if shown < 12 {
            writeln!(
                out,
                "  memory {}..+{}: native {:02x?}, adapter {:02x?}",
                describe_addr(row + first as u64, end),
                last - first + 1,
                &xb[first..=last],
                &yb[first..=last]
            )
            .unwrap();
        }
        shown += 1;
    }
    if shown > 12 {
        writeln!(out, "  ... {} rows differ in all", shown).unwrap();
    }
    out
}

/// A readable report of a (shrunk) divergent sequence.
fn reproducer(seed: u64, calls: &[Call]) -> String {
    let input = encode(calls, seed, false);
    let native = run_one(seed, input.clone(), Who::Native);
    let adapter = run_one(seed, input, Who::Adapter);
    let (nc, ac) = (call_lines(&reports(&native.stdout)), call_lines(&reports(&adapter.stdout)));
    let result = |lines: &[(u32, u32, String)], index: u32| lines.iter().find(|l| l.0 == index).cloned();
    let mut out = format!("seed {seed} (FUZZ_SEED={seed}), {} calls after shrinking:\n", calls.len());
    for call in calls {
        let (n, a) = (result(&nc, call.index), result(&ac, call.index));
        let show = |r: &Option<(u32, u32, String)>| r.as_ref().map_or("-".to_string(), |r| r.1.to_string());
        let mut line = format!("  #{} {} -> native {}, adapter {}", call.index, call.show(), show(&n), show(&a));
        if let (Some(n), Some(a)) = (&n, &a) {
            if n.2 != a.2 {
                line += "  [memory differs]";
            }
        }
        out += &line;
        out += "\n";
    }
    writeln!(out, "status: native {}, adapter {}", short(&native.status), short(&adapter.status)).unwrap();
    out += &differences(&native, &adapter);
    out += &memory_diff(seed, calls);
    out
}

fn env_u64(name: &str) -> Option<u64> {
    std::env::var(name).ok().map(|v| v.replace('_', "").parse().unwrap_or_else(|_| panic!("{name}={v}: not a number")))
}

#[test]
fn fuzz_preview1_calls() {
    let (start, count) = match env_u64("FUZZ_SEED") {
        Some(s) => (s, 1),
        None => (env_u64("FUZZ_SEED_START").unwrap_or(0), env_u64("FUZZ_SEEDS").unwrap_or(4000)),
    };
    fuzz(start, count);
}

/// The proxy adapter's fuzzing: `FUZZ_PROXY_SEEDS` seeds from
/// [`PROXY_SEEDS`] (`FUZZ_SEED` runs one seed, proxy or not, in
/// [`fuzz_preview1_calls`]).
#[test]
fn fuzz_proxy_calls() {
    if env_u64("FUZZ_SEED").is_some() {
        return;
    }
    fuzz(PROXY_SEEDS, env_u64("FUZZ_PROXY_SEEDS").unwrap_or(1000));
}

/// Runs `count` seeds from `start` on all cores; panics with a shrunk
/// reproducer of each divergence.
fn fuzz(start: u64, count: u64) {
    // Runs every seed this many times (looking for flaky outcomes).
    let repeat = env_u64("FUZZ_REPEAT").unwrap_or(1);
    let verbose = count == 1 && repeat == 1;
    runners();
    watchdog(std::time::Duration::from_secs(60));
    let began = Instant::now();
    let next = AtomicU64::new(start);
    let calls_run = AtomicU64::new(0);
    let traps = AtomicU64::new(0);
    let failed = AtomicBool::new(false);
    let failures = Mutex::new(Vec::new());
    // Calls made and calls that succeeded, by function.
    let per_function = Mutex::new([(0u64, 0u64); 46]);
    let errnos = Mutex::new(BTreeMap::new());
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get()).min(16);
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| loop {
                let k = next.fetch_add(1, Ordering::Relaxed);
                if k >= start + count * repeat || failed.load(Ordering::Relaxed) {
                    break;
                }
                let seed = start + (k - start) % count;
                let calls = Gen::new(seed).sequence();
                assert!(readdir_rule_ok(&calls), "seed {seed}: the generator broke the readdir rule");
                if verbose {
                    for c in &calls {
                        println!("#{} {}", c.index, c.show());
                    }
                }
                let (n, diff) = run_both(seed, &calls);
                match diff.is_empty() {
                    true => {
                        let lines = call_lines(&reports(&n.stdout));
                        calls_run.fetch_add(lines.len() as u64, Ordering::Relaxed);
                        let mut stats = per_function.lock().unwrap();
                        for (index, errno, _) in &lines {
                            let func = calls[*index as usize].func as usize;
                            stats[func].0 += 1;
                            stats[func].1 += (*errno == 0) as u64;
                            *errnos.lock().unwrap().entry((func, *errno)).or_insert(0u64) += 1;
                        }
                        drop(stats);
                        if matches!(n.status, Status::Trap(_)) {
                            traps.fetch_add(1, Ordering::Relaxed);
                        }
                        if verbose {
                            println!("{}", String::from_utf8_lossy(&n.stdout));
                            println!("status {:?}", short(&n.status));
                        }
                    }
                    false => {
                        failed.store(true, Ordering::Relaxed);
                        eprintln!("seed {seed} diverges:\n{diff}{}shrinking...", memory_diff(seed, &calls));
                        let small = shrink(seed, calls);
                        failures.lock().unwrap().push(reproducer(seed, &small));
                    }
                }
            });
        }
    });
    let failures = failures.into_inner().unwrap();
    if !failures.is_empty() {
        panic!("native preview1 and the adapter differ:\n{}", failures.join("\n"));
    }
    println!(
        "fuzz: seeds {start}..{} clean, {} calls made, {} sequences ended in a trap, {:.1?}",
        start + count,
        calls_run.load(Ordering::Relaxed),
        traps.load(Ordering::Relaxed),
        began.elapsed()
    );
    let stats = per_function.into_inner().unwrap();
    let table: Vec<String> = stats.iter().enumerate().map(|(f, (n, ok))| format!("{} {n}/{ok}", name_of(f as u8))).collect();
    println!("calls/successes by function: {}", table.join(", "));
    if std::env::var("FUZZ_STATS").is_ok() {
        let mut by: BTreeMap<usize, Vec<String>> = BTreeMap::new();
        for ((f, e), n) in errnos.into_inner().unwrap() {
            by.entry(f).or_default().push(format!("{e}:{n}"));
        }
        for (f, v) in by {
            println!("  {}: {}", name_of(f as u8), v.join(" "));
        }
    }
}

// ---------------------------------------------------------------------------
// The divergences the fuzzer found, as fixed sequences.

fn fixed_call(index: u32, func: u8, args: &[Operand], setup: Vec<Setup>) -> Call {
    Call { index, func, args: args.to_vec(), shown: args.iter().map(|a| a.show()).collect(), setup }
}

/// `iovs` at arena+0x100 with the given entries.
fn iovs(entries: &[(Operand, u64)]) -> Vec<Setup> {
    let mut setup = Vec::new();
    for (k, (p, len)) in entries.iter().enumerate() {
        setup.push(Setup::U32(Operand::Arena(0x100 + 8 * k as u64), *p));
        setup.push(Setup::U32(Operand::Arena(0x104 + 8 * k as u64), Operand::Imm(*len)));
    }
    setup
}

fn open_call(index: u32, path: &str, oflags: u64, rights: u64, fdflags: u64) -> Call {
    use Operand::*;
    let setup = vec![Setup::Bytes(Arena(0x40), path.as_bytes().to_vec())];
    fixed_call(index, 31, &[Imm(3), Imm(0), Arena(0x40), Imm(path.len() as u64), Imm(oflags), Imm(rights), Imm(0), Imm(fdflags), Arena(0x80)], setup)
}

#[test]
fn fuzz_regressions() {
    use Operand::*;
    let cases: Vec<(&str, Vec<Call>)> = vec![
        // A path at address 0 came back as an error whose errno was its length.
        ("path at address 0", vec![fixed_call(0, 31, &[Imm(3), Imm(0), Imm(0), Imm(2), Imm(5), Imm(0), Imm(0), Imm(0), Arena(0x80)], vec![Setup::Bytes(Imm(0), b"n2".to_vec())])]),
        // Both results at one address: native stores the size, then the count.
        ("args_sizes_get overlapping", vec![fixed_call(0, 1, &[Arena(0x80), Arena(0x80)], vec![])]),
        ("environ_sizes_get overlapping", vec![fixed_call(0, 3, &[Arena(0x80), Arena(0x80)], vec![])]),
        // A listing that delivered nothing whole, then a new file, then cookie 0.
        ("readdir restarts at cookie 0", vec![
            fixed_call(0, 21, &[Imm(3), Arena(0x1000), Imm(1), Imm(0), Arena(0x80)], vec![]),
            open_call(1, "-", 5, 0, 0),
            fixed_call(2, 21, &[Imm(3), Arena(0x1000), Imm(4096), Imm(0), Arena(0x80)], vec![]),
        ]),
        // An empty path must still start inside memory.
        ("empty path past the end", vec![fixed_call(0, 31, &[Imm(3), Imm(1), Imm(0xffff_fff5), Imm(0), Imm(9), Imm(64), Imm(0), Imm(0), Arena(0x80)], vec![])]),
        // A negative offset is refused before the handle's mode.
        ("pwrite negative offset, read-only", vec![
            open_call(0, "d/./f", 0, RIGHT_READ, 0),
            fixed_call(1, 19, &[Imm(4), Arena(0x100), Imm(1), Imm((1 << 63) + 1), Arena(0x80)], iovs(&[(Arena(0x2000), 16)])),
        ]),
        ("pwrite negative offset, empty", vec![
            open_call(0, "a", 0, RIGHTS_ALL, 0),
            fixed_call(1, 19, &[Imm(4), Arena(0x100), Imm(0), Imm(u64::MAX), Arena(0x80)], vec![]),
        ]),
        // Only the bytes read must fit in memory (64 MiB is more than the
        // memory, less than native's 128 MiB copy limit).
        ("pread at the end of the file into a buffer past the end", vec![
            open_call(0, "d/f", 8, RIGHTS_ALL, 0),
            fixed_call(1, 16, &[Imm(4), Arena(0x100), Imm(1), Imm(43), Arena(0x80)], iovs(&[(Imm(0xffff_fff1), 3198)])),
        ]),
        ("pread into a buffer longer than memory", vec![
            open_call(0, "a", 0, RIGHTS_ALL, 0),
            fixed_call(1, 16, &[Imm(4), Arena(0x100), Imm(1), Imm(0), Arena(0x80)], iovs(&[(Arena(0x2000), 64 << 20)])),
        ]),
        ("stdin read into a buffer longer than memory", vec![fixed_call(0, 20, &[Imm(0), Arena(0x100), Imm(1), Arena(0x80)], iovs(&[(Arena(0x2000), 64 << 20)]))]),
        // A position past i64::MAX: reads and writes there are INVAL.
        ("read and write past i64::MAX", vec![
            open_call(0, "b", 0, RIGHTS_ALL, 4),
            fixed_call(1, 14, &[Imm(4), Imm(0x8000_0000)], vec![]),
            fixed_call(2, 23, &[Imm(4), Imm(i64::MAX as u64), Imm(2), Arena(0x80)], vec![]),
            fixed_call(3, 20, &[Imm(4), Arena(0x100), Imm(0), Arena(0x88)], vec![]),
            fixed_call(4, 20, &[Imm(4), Arena(0x100), Imm(1), Arena(0x88)], iovs(&[(Arena(0x2000), 10)])),
            fixed_call(5, 26, &[Imm(4), Arena(0x100), Imm(1), Arena(0x88)], iovs(&[(Arena(0x2000), 10)])),
        ]),
    ];
    let mut failures = String::new();
    for (name, calls) in &cases {
        // Seeds 0 and 1: both blocking modes, a writable preopen.
        for seed in [0, 1] {
            let (native, diff) = run_both(seed, calls);
            let made = call_lines(&reports(&native.stdout)).len();
            if !diff.is_empty() {
                failures += &format!("{name} (seed {seed}):\n{}", reproducer(seed, calls));
            } else if made != calls.len() && !matches!(native.status, Status::Trap(_)) {
                failures += &format!("{name}: only {made} calls ran\n");
            }
        }
    }
    assert!(failures.is_empty(), "{failures}");
}

// ---------------------------------------------------------------------------
// Notes.
//
// Regions straddling the end of the program's memory are not generated.
// Natively such a region traps. The adapter judges a region against the
// memory size at the call, and that memory includes the pages the adapter
// grew for itself (its stack window and scratch page from the first call,
// the descriptor table's pages), which follow the program's own memory. So
// a buffer that runs past the program's end lands in the adapter's pages
// instead of trapping (a host read into such a buffer overwrites them). Any
// adapter that shares the program's memory has this property; matching
// native would take a check of every region against the pages the adapter
// owns. The generator therefore keeps every region either inside the
// program's memory or at least 256 MiB past its end (or past 2^31, or
// wrapping at 4 GiB), which traps in both. Zero-length regions are exempt
// where native never checks them.

// ---------------------------------------------------------------------------
// The comparison itself.

/// A difference in the final directory tree alone makes a divergence: in a
/// file's contents, and in a large sparse file (which the harness's
/// [`snapshot`] keeps as its size and hashes of its head and tail).
#[test]
fn fuzz_sees_a_difference_in_the_tree() {
    let calls = vec![open_call(0, "new", 1, RIGHTS_ALL, 0)];
    let input = encode(&calls, 0, false);
    let native = run_one(0, input.clone(), Who::Native);
    let mut adapter = run_one(0, input, Who::Adapter);
    assert_eq!(differences(&native, &adapter), "");
    assert!(native.tree.iter().any(|(p, n)| p == &PathBuf::from("new") && *n == Node::File(Vec::new())), "{:?}", native.tree);
    for (path, node) in &mut adapter.tree {
        if path == &PathBuf::from("a") {
            *node = Node::File(b"hello world!".to_vec());
        }
    }
    let diff = differences(&native, &adapter);
    assert_eq!(diff, "directory tree:\n  a: native a file of 12 bytes, adapter a file of 12 bytes (first difference at byte 11)\n\n");

    // A terabyte, sparse: a byte changed in its first MiB or its last 4 KiB shows.
    let dir = scratch_dir(&[], &[]);
    let big = dir.join("big");
    let file = std::fs::File::create(&big).unwrap();
    file.set_len(1 << 40).unwrap();
    let before = snapshot(&dir);
    assert!(matches!(before[..], [(_, Node::LargeFile { size: 1_099_511_627_776, .. })]), "{before:?}");
    for at in [1000, (1 << 40) - 1] {
        use std::os::unix::fs::FileExt;
        file.write_all_at(b"x", at).unwrap();
        let after = snapshot(&dir);
        assert!(!tree_differences(&before, &after).is_empty(), "a byte written at {at} does not show");
        file.write_all_at(b"\0", at).unwrap();
        assert_eq!(tree_differences(&before, &snapshot(&dir)), "");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
