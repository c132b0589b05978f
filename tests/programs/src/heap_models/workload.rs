//! The workload both heap models run: arguments, environment, clocks,
//! random, stdio, files and directories through Rust std and through raw
//! preview1 calls, with the heap growing between and during them, and the
//! whole heap checked after every call that reaches preview1.
//!
//! The program holds a changing set of objects, each filled with a pattern
//! derived from its id and address; [`Run::verify`] checks every one of
//! them, every live allocation's redzone and the model's metadata (see
//! `common.rs`). std's own buffers come from the model too, so they lie
//! across the heap; the raw calls put their buffers at the top of the heap
//! on purpose ([`Run::high`]): in the pages the heap absorbed last, where
//! an adapter is most likely to have had something.
//!
//! Everything printed is the same natively and through an adapter (no
//! address, size of memory or count of growths is printed), and ends with
//! `done`. A violation is reported on stderr and ends the program with
//! status 2 (`common::fail`).
//!
//! The first argument chooses the run: `standard` (the default), `heavy`
//! (twice the open/close cycles, more objects, two growths during the
//! cycles), or `selftest-<case>` ([`Run::selftest`]). With
//! `HEAP_MODEL_REPORT` in the environment, the run also says on stderr how
//! many pages grown by somebody else its heap took in.

use std::cell::Cell;
use std::collections::HashMap;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::os::fd::AsRawFd;
use std::time::{SystemTime, UNIX_EPOCH};

use p1_programs::p1;

use crate::common::{Heap, Placement};

const MIB: usize = 1 << 20;
const SANDBOX: &str = "/sandbox";

/// The file read into pages set aside by the model ([`Run::probe_set_aside`]),
/// there from the start of a run to its end.
const PROBE: &str = "/sandbox/probe.bin";
const PROBE_LEN: usize = 256 << 10;

fn probe_byte(offset: usize) -> u8 {
    (offset % 251) as u8 ^ (offset >> 8) as u8 | 1
}

/// How much work a run does.
struct Scale {
    /// Open/close cycles.
    cycles: usize,
    /// Objects the program keeps, about.
    held: usize,
    /// The open/close cycles grow the heap once every so many cycles.
    grow_every: usize,
}

/// An object the program holds: `words` patterned words at `addr`.
struct Obj {
    addr: usize,
    words: usize,
    id: u64,
}

fn seed(id: u64, addr: usize) -> u64 {
    (id << 32 ^ addr as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ 0x5851_f42d_4c95_7f2d
}

const STEP: u64 = 0x2545_f491_4f6c_dd1d;

/// What stdin holds in every test: line `i` is `stdin line {i} ` and
/// `abcdefghij` repeated `i % 7` times (`stdin_bytes` in
/// `tests/tests/heap_models.rs`), cut anywhere. Generated a line at a time
/// in a buffer of its own, so checking allocates nothing (and leaves the
/// heap as it would be without the check).
#[derive(Default)]
struct StdinLines {
    /// The current line, its length and how much of it was read.
    line: Vec<u8>,
    number: u64,
    at: usize,
    /// Bytes of stdin read so far.
    read: usize,
}

impl StdinLines {
    fn next_byte(&mut self) -> u8 {
        if self.at == self.line.len() {
            use std::io::Write as _;
            self.line.clear();
            let i = self.number;
            write!(self.line, "stdin line {i} ").unwrap();
            for _ in 0..i % 7 {
                self.line.extend_from_slice(b"abcdefghij");
            }
            self.line.push(b'\n');
            self.number += 1;
            self.at = 0;
        }
        self.at += 1;
        self.line[self.at - 1]
    }

    /// Checks that `got`, read into the `len`-byte buffer at `buffer`,
    /// continues stdin as it must.
    fn check(&mut self, got: &[u8], buffer: usize, len: usize, what: &str) {
        // The first byte that differs, the last, and how many do.
        let mut wrong: Option<(usize, u8, u8, usize, usize)> = None;
        for (k, &byte) in got.iter().enumerate() {
            let want = self.next_byte();
            if byte != want {
                let (first, byte, want, _, count) = wrong.unwrap_or((k, byte, want, k, 0));
                wrong = Some((first, byte, want, k, count + 1));
            }
        }
        if let Some((first, byte, want, last, count)) = wrong {
            let at = buffer + first;
            crate::common::fail(format_args!(
                "{what}: stdin byte {} came as 0x{byte:02x}, not 0x{want:02x}, at 0x{at:x} (memory size - {}): offset {first} of the {} bytes read into the {len}-byte buffer at 0x{buffer:x}; {count} bytes differ, the last at offset {last}",
                self.read + first,
                crate::common::memory_bytes() - at,
                got.len(),
            ));
        }
        self.read += got.len();
    }
}

/// A buffer placed at the top of the heap, freed when dropped.
struct High<P: Placement + 'static> {
    heap: &'static Heap<P>,
    addr: usize,
    len: usize,
}

impl<P: Placement> High<P> {
    fn ptr(&self) -> u32 {
        self.addr as u32
    }

    fn bytes(&self) -> &[u8] {
        unsafe { std::slice::from_raw_parts(self.addr as *const u8, self.len) }
    }

    fn u32_at(&self, offset: usize) -> u32 {
        u32::from_le_bytes(self.bytes()[offset..offset + 4].try_into().unwrap())
    }

    fn u64_at(&self, offset: usize) -> u64 {
        u64::from_le_bytes(self.bytes()[offset..offset + 8].try_into().unwrap())
    }
}

impl<P: Placement> Drop for High<P> {
    fn drop(&mut self) {
        self.heap.free(self.addr as *mut u8);
    }
}

pub struct Run<P: Placement + 'static> {
    heap: &'static Heap<P>,
    held: Vec<Obj>,
    next_id: u64,
    rng: u64,
    scale: Scale,
    /// Whether [`PROBE`] exists, and how many ranges were read into.
    probe_ready: bool,
    probed: Cell<u32>,
}

fn fnv1a(hash: u64, bytes: &[u8]) -> u64 {
    bytes.iter().fold(hash, |h, &b| (h ^ b as u64).wrapping_mul(0x100_0000_01b3))
}

const FNV_START: u64 = 0xcbf2_9ce4_8422_2325;

pub fn run<P: Placement>(heap: &'static Heap<P>) {
    let mode = std::env::args().nth(1).unwrap_or_default();
    let scale = match mode.as_str() {
        "heavy" => Scale { cycles: 4000, held: 400, grow_every: 2000 },
        _ => Scale { cycles: 2000, held: 300, grow_every: 2000 },
    };
    let mut run = Run { heap, held: Vec::new(), next_id: 1, rng: 0x1234_5678_9abc_def1, scale, probe_ready: false, probed: Cell::new(0) };
    run.verify("std::env::args");
    if mode.starts_with("selftest-") {
        run.selftest(&mode);
    } else {
        run.main();
    }
}

impl<P: Placement> Run<P> {
    // --- Objects and checks --------------------------------------------

    fn random(&mut self) -> u64 {
        // xorshift64
        self.rng ^= self.rng << 13;
        self.rng ^= self.rng >> 7;
        self.rng ^= self.rng << 17;
        self.rng
    }

    fn below(&mut self, n: usize) -> usize {
        (self.random() % n as u64) as usize
    }

    /// A new patterned object of `bytes` (rounded to words).
    fn object(&mut self, bytes: usize, high: bool) -> Obj {
        let words = bytes.div_ceil(8).max(1);
        let addr = self.heap.allocate(words * 8, 8, high) as usize;
        let id = self.next_id;
        self.next_id += 1;
        let mut value = seed(id, addr);
        let p = addr as *mut u64;
        for k in 0..words {
            unsafe { *p.add(k) = value };
            value = value.wrapping_add(STEP);
        }
        Obj { addr, words, id }
    }

    fn check_object(&self, o: &Obj, after: &str) {
        let mut expected = seed(o.id, o.addr);
        let p = o.addr as *const u64;
        for k in 0..o.words {
            let word = unsafe { *p.add(k) };
            if word != expected {
                let at = o.addr + k * 8;
                crate::common::fail(format_args!(
                    "{}: after {after}: object #{} ({} bytes at 0x{:x}) was overwritten: word {k} at 0x{at:x} (memory size - {}) is 0x{word:016x}, expected 0x{expected:016x}",
                    P::NAME,
                    o.id,
                    o.words * 8,
                    o.addr,
                    crate::common::memory_bytes() - at,
                ));
            }
            expected = expected.wrapping_add(STEP);
        }
    }

    fn drop_object(&mut self, o: Obj, after: &str) {
        self.check_object(&o, after);
        self.heap.free(o.addr as *mut u8);
    }

    /// Checks the whole heap: the model's metadata, every live
    /// allocation's redzone, every held object. Runs after every call
    /// that reaches preview1; `after` names it. First reads into what the
    /// model set aside.
    fn verify(&self, after: &str) {
        self.probe_set_aside(after);
        self.heap.check(after);
        for o in &self.held {
            self.check_object(o, after);
        }
    }

    /// Creates [`PROBE`].
    fn create_probe(&mut self) {
        let content: Vec<u8> = (0..PROBE_LEN).map(probe_byte).collect();
        fs::write(PROBE, content).unwrap();
        self.probe_ready = true;
        self.verify("fs::write");
    }

    fn remove_probe(&mut self) {
        self.probe_ready = false;
        fs::remove_file(PROBE).unwrap();
        self.verify("remove_file");
    }

    /// Reads [`PROBE`] (with raw `fd_pread` calls, the file over and over)
    /// into every range of pages grown by somebody else that the model set
    /// aside when its heap took them in (`common::SetAside`), checks every
    /// byte and frees the range. Such a range is a zeroed buffer lying
    /// exactly where an adapter had a page; nothing of the adapter's may
    /// show in it. Only through an adapter is there any.
    fn probe_set_aside(&self, after: &str) {
        while let Some((addr, len)) = self.heap.take_set_aside() {
            if self.probe_ready {
                self.probed.set(self.probed.get() + 1);
                let file = File::open(PROBE).unwrap();
                let fd = file.as_raw_fd() as u32;
                let mut done = 0;
                while done < len {
                    let at = done % PROBE_LEN;
                    let iov = [(addr + done) as u32, (len - done).min(PROBE_LEN - at) as u32];
                    let mut n = 0u32;
                    let e = unsafe { p1::fd_pread(fd, iov.as_ptr() as u32, 1, at as u64, &mut n as *mut u32 as u32) };
                    assert!(e == 0 && n > 0, "fd_pread: errno {e}, {n} bytes");
                    done += n as usize;
                }
                drop(file);
                let bytes = unsafe { std::slice::from_raw_parts(addr as *const u8, len) };
                let mut wrong: Option<(usize, usize, usize)> = None;
                for (k, &byte) in bytes.iter().enumerate() {
                    if byte != probe_byte(k % PROBE_LEN) {
                        let (first, _, count) = wrong.unwrap_or((k, k, 0));
                        wrong = Some((first, k, count + 1));
                    }
                }
                if let Some((first, last, count)) = wrong {
                    let at = addr + first;
                    crate::common::fail(format_args!(
                        "{}: after {after}: a file read into pages grown by somebody else and taken into the heap ([0x{addr:x}, 0x{:x})) came back wrong: byte 0x{:02x}, not 0x{:02x}, at 0x{at:x} (memory size - {}); {count} bytes differ, offsets {first} to {last}",
                        P::NAME,
                        addr + len,
                        bytes[first],
                        probe_byte(first % PROBE_LEN),
                        crate::common::memory_bytes() - at,
                    ));
                }
            }
            self.heap.free(addr as *mut u8);
        }
    }

    /// Allocation churn between calls: new objects of random sizes (now
    /// and then a larger one), and old ones freed, so the set stays near
    /// its size and the heap gets holes everywhere.
    fn churn(&mut self, rounds: usize) {
        for _ in 0..rounds {
            let bytes = match self.below(16) {
                0 => 4096 + self.below(28 * 1024),
                1..=4 => 512 + self.below(4096),
                _ => 16 + self.below(496),
            };
            let o = self.object(bytes, false);
            self.held.push(o);
            while self.held.len() > self.scale.held {
                let i = self.below(self.held.len());
                let o = self.held.swap_remove(i);
                self.drop_object(o, "churn");
            }
        }
    }

    /// Makes the heap grow once, by allocating: chunks of half the heap,
    /// held until the heap has grown (so the runtime cannot reuse what it
    /// just freed), then checked and freed. An object placed at the top of
    /// the grown heap stays, among the objects the program holds.
    fn grow(&mut self) {
        let before = self.heap.model().heap_bytes();
        let mut chunks = Vec::new();
        while self.heap.model().heap_bytes() == before {
            let bytes = (self.heap.model().heap_bytes() / 2).clamp(64 << 10, 16 * MIB);
            chunks.push(self.object(bytes, false));
            self.churn(4);
        }
        for o in chunks {
            self.drop_object(o, "growing the heap");
        }
        let top = self.object(20_000, true);
        self.held.push(top);
    }

    /// A zeroed buffer of `len` bytes at the top of the heap.
    fn high(&mut self, len: usize) -> High<P> {
        let addr = self.heap.allocate(len.max(1), 8, true) as usize;
        High { heap: self.heap, addr, len }
    }

    /// Prints a line to stdout and checks the heap.
    fn say(&mut self, line: String) {
        println!("{line}");
        self.verify("println");
    }

    // --- The workload -------------------------------------------------------

    fn main(&mut self) {
        self.say(format!("{}: start", P::NAME));
        self.create_probe();
        self.churn(self.scale.held);
        self.args_env();
        self.clocks();
        self.random_bytes();
        self.stdio();
        self.stdin();
        self.files();
        self.many_files();
        // Six files stay open across two growths: one right after they are
        // opened, one in the middle of a directory listing.
        let held = self.open_held_files();
        self.grow();
        self.write_held_files(&held, "after the first growth");
        self.directories();
        self.write_held_files(&held, "after the second growth");
        self.close_held_files(held);
        self.twenty_files();
        self.say(format!("the heap grew at least 4 times: {}", self.heap.model().growths() >= 4));
        while let Some(o) = self.held.pop() {
            self.drop_object(o, "the end");
        }
        self.remove_probe();
        if std::env::var_os("HEAP_MODEL_REPORT").is_some() {
            // Not the same natively and through an adapter: only on request.
            eprintln!("{}: pages grown by others and taken into the heap: {}", P::NAME, self.heap.model().foreign_pages());
            eprintln!("{}: ranges of them read into: {}", P::NAME, self.probed.get());
        }
        self.verify("std::env::var_os");
        self.say("done".to_string());
    }

    /// The checks' own test: writes where a stranger could, then checks;
    /// each case must end in the report of what was written (`common::fail`).
    fn selftest(&mut self, case: &str) {
        self.churn(self.scale.held);
        self.verify("selftest setup");
        match case {
            "selftest-object" => {
                let o = &self.held[self.held.len() / 2];
                unsafe { *((o.addr + o.words * 4) as *mut u8) ^= 0x40 };
            }
            "selftest-redzone" => {
                let buffer = vec![7u8; 100];
                // One byte past the end, as a call writing too much would.
                unsafe { *(buffer.as_ptr() as *mut u8).add(100) ^= 0x40 };
                self.verify("selftest");
                drop(buffer);
            }
            "selftest-metadata" => unsafe { *(self.heap.model().metadata_sample() as *mut u8) ^= 0x40 },
            "selftest-probe" => {
                // A page grown by somebody else and left zero: read into
                // when the heap has taken it in, and found right.
                self.create_probe();
                core::arch::wasm32::memory_grow(0, 1);
                self.grow();
                self.verify("selftest");
                println!("{case}: ranges read into: {}", self.probed.get());
                self.remove_probe();
                return;
            }
            "selftest-foreign-page" => {
                // A page grown by somebody else, who leaves a byte in it.
                let page = core::arch::wasm32::memory_grow(0, 1) * crate::common::WASM_PAGE;
                unsafe { *((page + 100) as *mut u8) = 0x5a };
                self.grow();
            }
            _ => panic!("unknown case {case}"),
        }
        self.verify("selftest");
        println!("{case}: not detected");
    }

    /// Strings a `*_sizes_get` / `*_get` pair returns, with every buffer at
    /// the top of the heap.
    fn raw_strings(&mut self, what: &str, sizes: unsafe extern "C" fn(u32, u32) -> i32, get: unsafe extern "C" fn(u32, u32) -> i32) -> Vec<String> {
        let counts = self.high(8);
        let e = unsafe { sizes(counts.ptr(), counts.ptr() + 4) };
        self.verify(what);
        assert_eq!(e, 0, "{what} sizes");
        let (count, size) = (counts.u32_at(0) as usize, counts.u32_at(4) as usize);
        let pointers = self.high(count * 4);
        let buf = self.high(size);
        let e = unsafe { get(pointers.ptr(), buf.ptr()) };
        self.verify(what);
        assert_eq!(e, 0, "{what}");
        (0..count)
            .map(|i| {
                let start = pointers.u32_at(i * 4) as usize - buf.addr;
                let len = buf.bytes()[start..].iter().position(|&b| b == 0).unwrap();
                String::from_utf8_lossy(&buf.bytes()[start..start + len]).into_owned()
            })
            .collect()
    }

    fn args_env(&mut self) {
        let args: Vec<String> = std::env::args().collect();
        self.verify("std::env::args");
        self.say(format!("argc {}", args.len()));
        for (i, arg) in args.iter().enumerate() {
            self.say(format!("arg {i}: {arg:?}"));
        }
        let mut vars: Vec<(String, String)> = std::env::vars().collect();
        self.verify("std::env::vars");
        vars.sort();
        self.say(format!("environment: {} variables", vars.len()));
        for (key, value) in &vars {
            self.say(format!("env {key}={value:?}"));
        }
        self.churn(50);
        let raw = self.raw_strings("args_get", p1::args_sizes_get, p1::args_get);
        self.say(format!("args_get into the top of the heap: {} strings, as std: {}", raw.len(), raw == args));
        self.churn(50);
        let raw = self.raw_strings("environ_get", p1::environ_sizes_get, p1::environ_get);
        let mut pairs: Vec<(String, String)> =
            raw.iter().map(|s| s.split_once('=').map(|(k, v)| (k.to_string(), v.to_string())).unwrap_or_default()).collect();
        pairs.sort();
        self.say(format!("environ_get into the top of the heap: {} strings, as std: {}", raw.len(), pairs == vars));
    }

    fn clocks(&mut self) {
        let mut last = 0;
        let mut monotonic = true;
        for _ in 0..100 {
            let out = self.high(8);
            let e = unsafe { p1::clock_time_get(1, 1, out.ptr()) };
            self.verify("clock_time_get");
            monotonic &= e == 0 && out.u64_at(0) >= last;
            last = out.u64_at(0);
            self.churn(3);
        }
        self.say(format!("monotonic clock, 100 readings into the top of the heap: non-decreasing {monotonic}"));
        let out = self.high(8);
        let e = unsafe { p1::clock_res_get(1, out.ptr()) };
        self.verify("clock_res_get");
        self.say(format!("monotonic resolution positive: {}", e == 0 && out.u64_at(0) > 0));
        let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
        self.verify("SystemTime::now");
        // 2020-01-01T00:00:00Z
        self.say(format!("realtime clock after 2020: {}", now.as_secs() > 1_577_836_800));
    }

    fn random_bytes(&mut self) {
        for len in [1usize, 7, 16, 100, 4096, 65536, 300_000] {
            let buf = self.high(len);
            let e = unsafe { p1::random_get(buf.ptr(), len as u32) };
            self.verify("random_get");
            if len >= 16 {
                let nonzero = buf.bytes().iter().any(|&b| b != 0);
                self.say(format!("random_get {len} bytes into the top of the heap: errno {e}, not all zero {nonzero}"));
            } else {
                self.say(format!("random_get {len} bytes into the top of the heap: errno {e}"));
            }
            self.churn(10);
        }
        // std's hash maps are seeded from random_get.
        let mut map = HashMap::new();
        for i in 0..2000u64 {
            map.insert(i, i * i);
        }
        self.verify("HashMap::new");
        self.say(format!("hash map of {} entries, sum of values {}", map.len(), map.values().sum::<u64>()));
    }

    fn stdio(&mut self) {
        for i in 0..40 {
            self.say(format!("stdout line {i} {}", "x".repeat(i * 7)));
            eprintln!("{}: stderr line {i}", P::NAME);
            self.verify("eprintln");
            self.churn(5);
        }
        // One large write from a buffer at the top of the heap.
        let text: String = (0..8000).map(|i| format!("big write line {i:05}\n")).collect();
        let buf = self.high(text.len());
        unsafe { std::ptr::copy_nonoverlapping(text.as_ptr(), buf.addr as *mut u8, text.len()) };
        let mut stdout = io::stdout().lock();
        stdout.write_all(buf.bytes()).unwrap();
        stdout.flush().unwrap();
        drop(stdout);
        self.verify("a large write to stdout");
        drop(buf);
        self.say(format!("big write: {} bytes", text.len()));
    }

    /// Reads all of stdin, which must be the numbered lines the tests feed
    /// ([`StdinLines`]), and checks every read's bytes as they arrive.
    fn stdin(&mut self) {
        // Its line buffer is allocated here, before anything else.
        let mut expected = StdinLines { line: Vec::with_capacity(128), ..Default::default() };
        // A first raw read into the top of the heap, then std's reads into
        // buffers of changing sizes, the data collected in a growing Vec.
        let buf = self.high(65536);
        let iov = self.high(8);
        unsafe {
            *(iov.addr as *mut [u32; 2]) = [buf.ptr(), 65536];
        }
        let nread = self.high(4);
        let e = unsafe { p1::fd_read(0, iov.ptr(), 1, nread.ptr()) };
        self.verify("fd_read(stdin)");
        assert_eq!(e, 0, "fd_read(stdin)");
        let n = nread.u32_at(0) as usize;
        expected.check(&buf.bytes()[..n], buf.addr, buf.len, "fd_read(stdin)");
        let mut all = buf.bytes()[..n].to_vec();
        drop((buf, iov, nread));
        let mut stdin = io::stdin().lock();
        let mut round = 0;
        loop {
            let mut chunk = vec![0u8; 1000 + (round * 7919) % 100_000];
            let n = stdin.read(&mut chunk).unwrap();
            self.verify("reading stdin");
            if n == 0 {
                break;
            }
            expected.check(&chunk[..n], chunk.as_ptr() as usize, chunk.len(), "reading stdin");
            all.extend_from_slice(&chunk[..n]);
            self.churn(2);
            round += 1;
        }
        drop(stdin);
        self.say(format!("stdin: {} bytes, fnv1a {:016x}", all.len(), fnv1a(FNV_START, &all)));
    }

    fn files(&mut self) {
        let work = format!("{SANDBOX}/work");
        fs::create_dir(&work).unwrap();
        self.verify("create_dir");
        let a = format!("{work}/a.txt");
        let content: Vec<u8> = (0..12_000).flat_map(|i| format!("line {i:05} of a.txt\n").into_bytes()).collect();
        fs::write(&a, &content).unwrap();
        self.verify("fs::write");
        self.churn(20);
        let back = fs::read(&a).unwrap();
        self.verify("fs::read");
        self.say(format!("a.txt: wrote {} bytes, read back equal {}", content.len(), back == content));
        drop(back);

        let mut f = OpenOptions::new().read(true).write(true).open(&a).unwrap();
        self.verify("open");
        let pos = f.seek(SeekFrom::Start(1000)).unwrap();
        self.verify("seek");
        f.write_all(b"SEEK-WRITE").unwrap();
        self.verify("write");
        let current = f.stream_position().unwrap();
        self.verify("tell");
        let end = f.seek(SeekFrom::End(-20)).unwrap();
        self.verify("seek");
        let mut tail = [0u8; 20];
        f.read_exact(&mut tail).unwrap();
        self.verify("read");
        self.say(format!("seek to {pos}, wrote 10 bytes, at {current}; seek to end-20 = {end}: {:?}", String::from_utf8_lossy(&tail)));
        drop(f);
        self.verify("close");

        for i in 0..3 {
            let mut f = OpenOptions::new().append(true).open(&a).unwrap();
            self.verify("open for append");
            f.write_all(format!("appended line {i}\n").as_bytes()).unwrap();
            self.verify("append");
            drop(f);
            self.verify("close");
            self.churn(10);
        }
        let size = fs::metadata(&a).unwrap().len();
        self.verify("metadata");
        self.say(format!("a.txt after appending: {size} bytes"));

        let b = format!("{work}/b.txt");
        fs::rename(&a, &b).unwrap();
        self.verify("rename");
        let (a_exists, b_exists) = (fs::metadata(&a).is_ok(), fs::metadata(&b).is_ok());
        self.verify("metadata");
        self.say(format!("renamed a.txt to b.txt: a.txt exists {a_exists}, b.txt exists {b_exists}"));
        let back = fs::read(&b).unwrap();
        self.verify("fs::read");
        self.say(format!(
            "b.txt: {} bytes, SEEK-WRITE at 1000 {}, ends {:?}",
            back.len(),
            &back[1000..1010] == b"SEEK-WRITE",
            String::from_utf8_lossy(&back[back.len() - 16..])
        ));
        drop(back);

        let c = format!("{work}/c.txt");
        fs::write(&c, b"short-lived").unwrap();
        self.verify("fs::write");
        fs::remove_file(&c).unwrap();
        self.verify("remove_file");
        let gone = fs::metadata(&c).is_err();
        self.verify("metadata");
        self.say(format!("c.txt removed: {gone}"));
    }

    /// Files held open while the heap grows under them.
    fn open_held_files(&mut self) -> Vec<File> {
        let mut files = Vec::new();
        for i in 0..6 {
            let mut f = OpenOptions::new().read(true).write(true).create(true).truncate(true).open(format!("{SANDBOX}/work/held{i}.txt")).unwrap();
            self.verify("open");
            f.write_all(format!("held file {i}, before growth\n").as_bytes()).unwrap();
            self.verify("write");
            files.push(f);
            self.churn(10);
        }
        files
    }

    fn write_held_files(&mut self, files: &[File], when: &str) {
        for (i, mut f) in files.iter().enumerate() {
            f.write_all(format!("held file {i}, {when}\n").as_bytes()).unwrap();
            self.verify("write");
        }
    }

    fn close_held_files(&mut self, files: Vec<File>) {
        for (i, mut f) in files.into_iter().enumerate() {
            f.seek(SeekFrom::Start(0)).unwrap();
            self.verify("seek");
            let mut text = String::new();
            f.read_to_string(&mut text).unwrap();
            self.verify("read");
            self.say(format!("held{i}.txt: {text:?}"));
            drop(f);
            self.verify("close");
        }
    }

    fn directories(&mut self) {
        let tree = format!("{SANDBOX}/tree");
        fs::create_dir_all(format!("{tree}/a/b/c")).unwrap();
        self.verify("create_dir_all");
        for (path, text) in [("f1.txt", "one"), ("a/f2.txt", "two"), ("a/b/f3.txt", "three"), ("a/b/c/f4.txt", "four")] {
            fs::write(format!("{tree}/{path}"), text).unwrap();
            self.verify("fs::write");
        }
        fs::create_dir(format!("{tree}/many")).unwrap();
        self.verify("create_dir");
        for i in 0..40 {
            fs::write(format!("{tree}/many/entry-{i:02}-{}.dat", "n".repeat(i % 9)), vec![b'e'; i]).unwrap();
            self.verify("fs::write");
            self.churn(2);
        }

        // std's listing, recursively, sorted.
        let mut stack = vec![tree.clone()];
        let mut seen = Vec::new();
        while let Some(dir) = stack.pop() {
            let entries = fs::read_dir(&dir).unwrap();
            self.verify("read_dir");
            for entry in entries {
                self.verify("read_dir");
                let entry = entry.unwrap();
                let kind = entry.file_type().unwrap();
                self.verify("file_type");
                let path = entry.path().to_string_lossy().into_owned();
                if kind.is_dir() {
                    stack.push(path.clone());
                }
                let size = if kind.is_file() { fs::metadata(&path).unwrap().len() } else { 0 };
                self.verify("metadata");
                seen.push(format!("{}{} {size}", &path[tree.len()..], if kind.is_dir() { "/" } else { "" }));
                self.churn(1);
            }
        }
        seen.sort();
        self.say(format!("std read_dir: {} entries", seen.len()));
        for line in seen.iter().filter(|l| !l.starts_with("/many/entry-")) {
            self.say(format!("  {line}"));
        }
        let many: Vec<&String> = seen.iter().filter(|l| l.starts_with("/many/entry-")).collect();
        self.say(format!("  /many/: {} entries, first {:?}, last {:?}", many.len(), many[0], many[many.len() - 1]));

        // Raw fd_readdir with a 64-byte buffer at the top of the heap, a
        // fresh one for every call, the heap growing in the middle.
        let dir = File::open(format!("{tree}/many")).unwrap();
        self.verify("open");
        let fd = dir.as_raw_fd() as u32;
        let mut names = Vec::new();
        let mut cookie = 0u64;
        let mut len = 64;
        let mut calls = 0;
        loop {
            let buf = self.high(len);
            let used = self.high(4);
            let e = unsafe { p1::fd_readdir(fd, buf.ptr(), len as u32, cookie, used.ptr()) };
            self.verify("fd_readdir");
            assert_eq!(e, 0, "fd_readdir");
            let used = used.u32_at(0) as usize;
            let mut at = 0;
            let mut complete = 0;
            while at + 24 <= used {
                let namelen = buf.u32_at(at + 16) as usize;
                if at + 24 + namelen > used {
                    break;
                }
                cookie = buf.u64_at(at);
                names.push(String::from_utf8_lossy(&buf.bytes()[at + 24..at + 24 + namelen]).into_owned());
                at += 24 + namelen;
                complete += 1;
            }
            if used < len {
                break;
            }
            if complete == 0 {
                // One entry is longer than the buffer.
                len *= 2;
            }
            calls += 1;
            if calls == 10 {
                self.grow();
            }
            self.churn(3);
        }
        drop(dir);
        self.verify("close");
        names.sort();
        self.say(format!(
            "raw fd_readdir, 64-byte buffers at the top of the heap: {} entries, as std: {}",
            names.len(),
            names.iter().filter(|n| *n != "." && *n != "..").count() == many.len()
                && many.iter().all(|line| names.iter().any(|n| line.starts_with(&format!("/many/{n} "))))
        ));
        self.say(format!("  with . and ..: {}", names.iter().any(|n| n == ".") && names.iter().any(|n| n == "..")));

        fs::remove_dir_all(&tree).unwrap();
        self.verify("remove_dir_all");
        let gone = fs::metadata(&tree).is_err();
        self.verify("metadata");
        self.say(format!("tree removed: {gone}"));
    }

    fn many_files(&mut self) {
        let many = format!("{SANDBOX}/work/many");
        fs::create_dir(&many).unwrap();
        self.verify("create_dir");
        let cycles = self.scale.cycles;
        for i in 0..cycles {
            let path = format!("{many}/f{:02}.txt", i % 50);
            let mut f = OpenOptions::new().create(true).write(true).truncate(i % 3 == 0).open(&path).unwrap();
            self.verify("open");
            if i % 4 == 0 {
                f.write_all(format!("cycle {i}\n").as_bytes()).unwrap();
                self.verify("write");
            }
            if i % self.scale.grow_every == self.scale.grow_every / 2 {
                // Grow with this file open.
                self.grow();
            }
            drop(f);
            self.verify("close");
            self.churn(1);
        }
        self.say(format!("{cycles} open/close cycles"));

        let mut listing = Vec::new();
        for entry in fs::read_dir(&many).unwrap() {
            self.verify("read_dir");
            let entry = entry.unwrap();
            let size = entry.metadata().unwrap().len();
            self.verify("metadata");
            listing.push((entry.file_name().to_string_lossy().into_owned(), size));
        }
        listing.sort();
        let sizes: u64 = listing.iter().map(|(_, s)| s).sum();
        self.say(format!("work/many: {} files, {sizes} bytes", listing.len()));
    }

    /// Twenty files open at once while the heap grows.
    fn twenty_files(&mut self) {
        let many = format!("{SANDBOX}/work/many");
        let mut files = Vec::new();
        for i in 0..20 {
            let f = OpenOptions::new().read(true).write(true).create(true).truncate(true).open(format!("{many}/open{i:02}.txt")).unwrap();
            self.verify("open");
            files.push(f);
            self.churn(5);
        }
        for (i, f) in files.iter_mut().enumerate() {
            f.write_all(format!("file {i} of twenty, {}\n", "t".repeat(i * 13)).as_bytes()).unwrap();
            self.verify("write");
        }
        self.grow();
        let mut total = 0;
        let mut all_back = true;
        for (i, f) in files.iter_mut().enumerate() {
            f.seek(SeekFrom::Start(0)).unwrap();
            self.verify("seek");
            let mut text = String::new();
            f.read_to_string(&mut text).unwrap();
            self.verify("read");
            all_back &= text == format!("file {i} of twenty, {}\n", "t".repeat(i * 13));
            total += text.len();
        }
        for f in files {
            drop(f);
            self.verify("close");
        }
        self.say(format!("twenty files open at once across a growth: {total} bytes read back, all as written {all_back}"));
    }
}
