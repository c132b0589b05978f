//! `poll_oneoff` through the raw call: clock and fd subscriptions, the event
//! layout, errors, and hostile pointers. The first argument names the case.
//!
//! Output: one header line per call, `LABEL: e=ERRNO n=NEVENTS rest=...`
//! (`n` is 57005 when the host left it untouched; `rest` says whether the
//! event slots past the written ones kept their 0xee filling), then one line
//! per written event, `LABEL[i]: ud=.. err=.. type=.. nbytes=.. flags=.. pad=..`
//! (`pad` is the event's padding bytes, as hex). Labels starting with
//! `[1rel]` are calls with exactly one relative clock subscription, where
//! native preview1 answers differently depending on the host's
//! `allow_blocking_current_thread`.
use p1_programs::{addr, case, memory_end, out, p1};

const RT: u32 = 0;
const MONO: u32 = 1;
const PCPU: u32 = 2;
const TCPU: u32 = 3;
const ABS: u16 = 1;
const HOUR: u64 = 3600 * 1_000_000_000;
const MS: u64 = 1_000_000;

const FD_READ: u64 = 1 << 1;
const FD_SEEK: u64 = 1 << 2;
const FD_WRITE: u64 = 1 << 6;
const ALL_RIGHTS: u64 = (1 << 29) - 1;

#[derive(Clone, Copy)]
#[repr(C, align(8))]
struct Sub([u8; 48]);

impl Sub {
    fn blank(ud: u64, tag: u8) -> Sub {
        let mut b = [0u8; 48];
        b[0..8].copy_from_slice(&ud.to_le_bytes());
        b[8] = tag;
        Sub(b)
    }
    fn clock(ud: u64, id: u32, timeout: u64, precision: u64, flags: u16) -> Sub {
        let mut s = Sub::blank(ud, 0);
        s.0[16..20].copy_from_slice(&id.to_le_bytes());
        s.0[24..32].copy_from_slice(&timeout.to_le_bytes());
        s.0[32..40].copy_from_slice(&precision.to_le_bytes());
        s.0[40..42].copy_from_slice(&flags.to_le_bytes());
        s
    }
    fn rel(ud: u64, id: u32, timeout: u64) -> Sub {
        Sub::clock(ud, id, timeout, 0, 0)
    }
    fn abs(ud: u64, id: u32, timeout: u64) -> Sub {
        Sub::clock(ud, id, timeout, 0, ABS)
    }
    fn read(ud: u64, fd: u32) -> Sub {
        let mut s = Sub::blank(ud, 1);
        s.0[16..20].copy_from_slice(&fd.to_le_bytes());
        s
    }
    fn write(ud: u64, fd: u32) -> Sub {
        let mut s = Sub::blank(ud, 2);
        s.0[16..20].copy_from_slice(&fd.to_le_bytes());
        s
    }
    fn tag(ud: u64, tag: u8) -> Sub {
        Sub::blank(ud, tag)
    }
    /// Fills every byte no field of this kind of subscription uses.
    fn garbage(mut self) -> Sub {
        let unused: &[std::ops::Range<usize>] = if self.0[8] == 0 { &[9..16, 20..24, 42..48] } else { &[9..16, 20..48] };
        for r in unused {
            for b in &mut self.0[r.clone()] {
                *b = 0xa5;
            }
        }
        self
    }
}

#[derive(Clone, Copy)]
#[repr(C, align(8))]
struct Ev([u8; 32]);

const UNTOUCHED: u32 = 0xdead;

/// Where the output goes: stdout, or stderr once a case closed stdout.
static OUT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(1);

macro_rules! say {
    ($($t:tt)*) => {{
        let line = format!($($t)*) + "\n";
        let iov = [addr(line.as_bytes()), line.len() as u32];
        let mut n = 0u32;
        let e = unsafe { p1::fd_write(OUT.load(std::sync::atomic::Ordering::Relaxed), addr(&iov[..]), 1, out(&mut n)) };
        assert!(e == 0 && n as usize == line.len());
    }};
}

fn raw_poll(subs: u32, events: u32, n: u32) -> (i32, u32) {
    let mut nevents = UNTOUCHED;
    let e = unsafe { p1::poll_oneoff(subs, events, n, out(&mut nevents)) };
    (e, nevents)
}

fn u64_at(b: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(b[at..at + 8].try_into().unwrap())
}

fn u16_at(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes(b[at..at + 2].try_into().unwrap())
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// Prints the outcome of a call whose events went to `events`.
fn report(label: &str, e: i32, n: u32, events: &[Ev]) {
    let written = if e == 0 { (n as usize).min(events.len()) } else { 0 };
    let rest = events[written..].iter().all(|ev| ev.0.iter().all(|&b| b == 0xee));
    say!("{label}: e={e} n={n} rest={}", if rest { "untouched" } else { "touched" });
    for (i, ev) in events[..written].iter().enumerate() {
        let b = &ev.0;
        say!(
            "{label}[{i}]: ud={:#x} err={} type={} nbytes={} flags={} pad={}/{}",
            u64_at(b, 0),
            u16_at(b, 8),
            b[10],
            u64_at(b, 16),
            u16_at(b, 24),
            hex(&b[11..16]),
            hex(&b[26..32])
        );
    }
}

fn events_for(n: usize) -> Vec<Ev> {
    vec![Ev([0xee; 32]); n.max(1)]
}

/// Polls `subs` with room for one event per subscription and prints the result.
fn poll(label: &str, subs: &[Sub]) -> (i32, u32) {
    let mut events = events_for(subs.len());
    let (e, n) = raw_poll(addr(subs), out(&mut events[..]), subs.len() as u32);
    report(label, e, n, &events);
    (e, n)
}

fn now(id: u32) -> u64 {
    let mut t = 0u64;
    let e = unsafe { p1::clock_time_get(id, 1, out(&mut t)) };
    assert_eq!(e, 0);
    t
}

/// Polls, then prints whether at least `min_ms` passed (by the monotonic clock).
fn poll_timed(label: &str, subs: &[Sub], min_ms: u64) {
    let start = now(MONO);
    poll(label, subs);
    let waited = now(MONO) - start;
    say!("{label}: waited>={min_ms}ms={} waited<60s={}", waited >= min_ms * MS, waited < 60_000 * MS);
}

fn open(path: &str, oflags: u32, rights: u64, fdflags: u32) -> u32 {
    let mut fd = UNTOUCHED;
    let e = unsafe { p1::path_open(3, 0, addr(path.as_bytes()), path.len() as u32, oflags, rights, rights, fdflags, out(&mut fd)) };
    say!("open {path:?} oflags={oflags} rights={rights:#x} fdflags={fdflags}: e={e}");
    assert_eq!(e, 0, "path_open {path}");
    fd
}

fn seek(fd: u32, offset: i64, whence: u32) {
    let mut pos = 0u64;
    let e = unsafe { p1::fd_seek(fd, offset, whence, out(&mut pos)) };
    say!("seek fd {fd} {offset} {whence}: e={e} pos={pos}");
}

fn read(fd: u32, len: usize) -> (i32, Vec<u8>) {
    let mut buf = vec![0u8; len];
    let iov = [out(&mut buf[..]), len as u32];
    let mut n = UNTOUCHED;
    let e = unsafe { p1::fd_read(fd, addr(&iov[..]), 1, out(&mut n)) };
    if e == 0 {
        buf.truncate(n as usize);
    } else {
        buf.clear();
    }
    (e, buf)
}

fn show_read(fd: u32, len: usize) {
    let (e, data) = read(fd, len);
    say!("read fd {fd} {len}: e={e} {:?}", String::from_utf8_lossy(&data));
}

fn write(fd: u32, text: &str) {
    let iov = [addr(text.as_bytes()), text.len() as u32];
    let mut n = UNTOUCHED;
    let e = unsafe { p1::fd_write(fd, addr(&iov[..]), 1, out(&mut n)) };
    say!("write fd {fd} {:?}: e={e} n={n}", text);
}

fn close(fd: u32) {
    say!("close {fd}: e={}", unsafe { p1::fd_close(fd) });
}

/// One page of memory of our own at the end of linear memory (nobody else
/// allocates from it); returns the new end.
fn own_last_page() -> u32 {
    let old = core::arch::wasm32::memory_grow(0, 1);
    assert_ne!(old, usize::MAX);
    memory_end()
}

fn main() {
    let c = case();
    match c.as_str() {
        // Multi-subscription clock calls: the same in both blocking modes.
        "clocks" => {
            // First of all, so that the monotonic clock (0 when the host
            // context was made) is past 5 ms for the "now - 1 ms" cases.
            poll_timed("mono rel 5ms + mono rel 1h", &[Sub::rel(26, MONO, 5 * MS), Sub::rel(27, MONO, HOUR)], 5);
            poll("rt+mono rel 0", &[Sub::rel(1, RT, 0), Sub::rel(2, MONO, 0)]);
            poll("mono abs 0 + rt abs 1 (past)", &[Sub::abs(3, MONO, 0), Sub::abs(4, RT, 1)]);
            let (rt, mono) = (now(RT), now(MONO));
            poll("rt abs now-1s + mono abs now-1ms (past)", &[Sub::abs(5, RT, rt - 1_000_000_000), Sub::abs(6, MONO, mono - MS)]);
            poll("mono rel 0 + mono rel 1h", &[Sub::rel(7, MONO, 0), Sub::rel(8, MONO, HOUR)]);
            poll("mono rel 1h + rt rel 0", &[Sub::rel(9, MONO, HOUR), Sub::rel(10, RT, 0)]);
            poll("huge: mono rel max + mono rel 0", &[Sub::rel(11, MONO, u64::MAX), Sub::rel(12, MONO, 0)]);
            poll("huge: rt rel max + rt abs max + mono abs max + rt rel 0", &[
                Sub::rel(13, RT, u64::MAX),
                Sub::abs(14, RT, u64::MAX),
                Sub::abs(15, MONO, u64::MAX),
                Sub::rel(16, RT, 0),
            ]);
            poll("huge: mono rel max + stdin", &[Sub::rel(17, MONO, u64::MAX), Sub::read(18, 0)]);
            poll("precision ignored", &[Sub::clock(19, MONO, 0, u64::MAX, 0), Sub::clock(20, MONO, HOUR, 1, 0), Sub::clock(21, RT, 0, u64::MAX, ABS)]);
            poll("garbage padding ignored", &[Sub::rel(22, MONO, 0).garbage(), Sub::abs(23, RT, 0).garbage(), Sub::rel(24, MONO, HOUR).garbage()]);
            poll("userdata extremes", &[Sub::rel(0, MONO, 0), Sub::rel(u64::MAX, MONO, 0), Sub::rel(1 << 63, MONO, HOUR)]);
            poll("duplicates", &[Sub::rel(25, MONO, 0), Sub::rel(25, MONO, 0), Sub::rel(25, MONO, HOUR), Sub::rel(25, MONO, HOUR)]);
            poll_timed("rt rel 5ms + mono rel 1h", &[Sub::rel(28, RT, 5 * MS), Sub::rel(29, MONO, HOUR)], 5);
            poll_timed("mono abs now+30ms + mono rel 1h", &[Sub::abs(30, MONO, now(MONO) + 30 * MS), Sub::rel(31, MONO, HOUR)], 25);
            poll_timed("rt abs now+30ms + rt rel 1h", &[Sub::abs(32, RT, now(RT) + 30 * MS), Sub::rel(33, RT, HOUR)], 20);
            poll_timed("mono abs now+20ms alone", &[Sub::abs(34, MONO, now(MONO) + 20 * MS)], 15);
            poll_timed("rt abs now+20ms alone", &[Sub::abs(35, RT, now(RT) + 20 * MS)], 10);
        }
        // Exactly one subscription. `[1rel]` calls depend on the host's blocking mode natively.
        "single" => {
            poll("[1rel] rt rel 0", &[Sub::rel(1, RT, 0)]);
            poll("[1rel] mono rel 0", &[Sub::rel(2, MONO, 0)]);
            poll("[1rel] mono rel 1ms", &[Sub::rel(3, MONO, MS)]);
            poll("[1rel] rt rel 1ms precision max", &[Sub::clock(4, RT, MS, u64::MAX, 0)]);
            poll("[1rel] mono rel 0 garbage padding", &[Sub::rel(5, MONO, 0).garbage()]);
            poll("[1rel] cpu process rel 1ms", &[Sub::rel(6, PCPU, MS)]);
            poll("[1rel] cpu thread rel 0", &[Sub::rel(7, TCPU, 0)]);
            poll_timed("[1rel] mono rel 20ms", &[Sub::rel(8, MONO, 20 * MS)], 20);
            poll("mono abs 0", &[Sub::abs(9, MONO, 0)]);
            poll("rt abs 1", &[Sub::abs(10, RT, 1)]);
            poll("cpu process abs 0", &[Sub::abs(11, PCPU, 0)]);
            poll("cpu thread abs max", &[Sub::abs(12, TCPU, u64::MAX)]);
            poll("clock id 4 rel", &[Sub::rel(13, 4, 0)]);
            poll("clock id max rel", &[Sub::rel(14, u32::MAX, 0)]);
            poll("clock flags 2", &[Sub::clock(15, MONO, 0, 0, 2)]);
            poll("clock flags 3", &[Sub::clock(16, MONO, 0, 0, 3)]);
            poll("tag 3", &[Sub::tag(17, 3)]);
            poll("stdin read", &[Sub::read(18, 0)]);
            poll("stdout write", &[Sub::write(19, 1)]);
        }
        // Bad subscriptions fail the whole call.
        "errors" => {
            let mut events = events_for(2);
            let (e, n) = raw_poll(addr(&[Sub::rel(0, MONO, 0)][..]), out(&mut events[..]), 0);
            report("zero subscriptions", e, n, &events);
            let (e, n) = raw_poll(0, 0, 0);
            report("zero subscriptions, null pointers", e, n, &events[..0]);
            let (e, n) = raw_poll(memory_end() + 64, memory_end() + 64, 0);
            report("zero subscriptions, pointers past the end", e, n, &events[..0]);
            poll("cpu process rel", &[Sub::rel(1, PCPU, 0), Sub::rel(2, MONO, 0)]);
            poll("cpu thread rel", &[Sub::rel(3, MONO, 0), Sub::rel(4, TCPU, 0)]);
            poll("cpu process abs", &[Sub::abs(5, PCPU, 0), Sub::rel(6, MONO, 0)]);
            poll("cpu thread abs", &[Sub::rel(7, MONO, 0), Sub::abs(8, TCPU, 0)]);
            poll("clock id 4", &[Sub::rel(9, MONO, 0), Sub::rel(10, 4, 0)]);
            poll("clock id max", &[Sub::rel(11, u32::MAX, 0), Sub::rel(12, MONO, 0)]);
            poll("flags 2", &[Sub::rel(13, MONO, 0), Sub::clock(14, MONO, 0, 0, 2)]);
            poll("flags 0x8000", &[Sub::clock(15, RT, 0, 0, 0x8000), Sub::rel(16, MONO, 0)]);
            poll("flags 0xffff", &[Sub::clock(17, RT, 0, 0, 0xffff), Sub::rel(18, MONO, 0)]);
            poll("tag 3", &[Sub::rel(19, MONO, 0), Sub::tag(20, 3)]);
            poll("tag 255", &[Sub::tag(21, 255), Sub::rel(22, MONO, 0)]);
            poll("stdin then tag 4", &[Sub::read(23, 0), Sub::tag(24, 4)]);
            poll("bad fd then tag 3", &[Sub::read(25, 99), Sub::tag(26, 3)]);
            poll("tag 3 then bad fd", &[Sub::tag(27, 3), Sub::read(28, 99)]);
            poll("bad fd then cpu clock", &[Sub::write(29, 99), Sub::rel(30, PCPU, 0)]);
            poll("cpu clock then bad fd", &[Sub::rel(31, PCPU, 0), Sub::write(32, 99)]);
            poll("clock 1h then bad fd", &[Sub::rel(33, MONO, HOUR), Sub::read(34, 1234)]);
            // The event array is only written for ready subscriptions: a bad one is never touched.
            let subs = [Sub::rel(35, MONO, 0), Sub::tag(36, 9)];
            let (e, n) = raw_poll(addr(&subs[..]), memory_end() + 1, 2);
            say!("einval with misaligned events past the end: e={e} n={n}");
            let (e, n) = raw_poll(addr(&subs[..]), 0, 2);
            say!("einval with null events: e={e} n={n}");
            // Too many subscriptions for the host's copy limit (native: 128 MiB
            // of host copies, 32 + 32 bytes a subscription): NOMEM before
            // anything is read.
            let end = memory_end();
            for n in [2_097_153u32, 3_000_000, u32::MAX / 64 + 1, u32::MAX] {
                let (e, nev) = raw_poll(end, end, n);
                say!("n={n} (past the end): e={e} n={nev}");
                let (e, nev) = raw_poll(addr(&subs[..]), out(&mut events[..]), n);
                say!("n={n} (real subscriptions): e={e} n={nev}");
            }
        }
        // Many subscriptions in one call; the event slots after the written ones stay untouched.
        "many" => {
            let subs: Vec<Sub> = (0..100u64).map(|i| Sub::rel(1000 + i, if i % 3 == 0 { RT } else { MONO }, if i % 2 == 0 { 0 } else { HOUR })).collect();
            poll("100 subscriptions, every other ready", &subs);
            let subs: Vec<Sub> = (0..1000u64).map(|i| Sub::abs(i, MONO, 0)).collect();
            poll("1000 past deadlines", &subs);
            let subs: Vec<Sub> = (0..1000u64).map(|i| if i == 777 { Sub::rel(i, MONO, 0) } else { Sub::rel(i, MONO, HOUR) }).collect();
            poll("1000 subscriptions, one ready", &subs);
            let mut subs: Vec<Sub> = (0..300u64).map(|i| Sub::rel(i, MONO, HOUR + i)).collect();
            subs.push(Sub::read(300, 0));
            subs.push(Sub::write(301, 1));
            subs.push(Sub::write(302, 2));
            poll("300 waiting clocks + stdio", &subs);
            let subs: Vec<Sub> = (0..5000u64).map(|i| Sub::rel(i, MONO, if i == 4999 { 0 } else { HOUR })).collect();
            poll("5000 subscriptions, the last ready", &subs);
            let mut subs: Vec<Sub> = (0..999u64).map(|i| Sub::rel(i, MONO, 0)).collect();
            subs.push(Sub::rel(999, TCPU, 0));
            poll("999 clocks then a cpu clock", &subs);
            // The event array only needs room for the events written.
            let page_end = own_last_page();
            let subs = [Sub::rel(1, MONO, HOUR), Sub::rel(2, MONO, 0), Sub::rel(3, MONO, HOUR)];
            let at = page_end - 32;
            unsafe { core::ptr::write_bytes(at as *mut u8, 0xee, 32) };
            let (e, n) = raw_poll(addr(&subs[..]), at, 3);
            let ev = unsafe { &*(at as *const Ev) };
            report("three subscriptions, room for one event at the end of memory", e, n, core::slice::from_ref(ev));
        }
        // fd subscriptions. Files: data.txt ("hello world"), empty.txt, dir sub/.
        "fds" => {
            poll("stdin read", &[Sub::read(1, 0)]);
            poll("stdout write", &[Sub::write(2, 1)]);
            poll("stderr write", &[Sub::write(3, 2)]);
            poll("stdio all", &[Sub::write(4, 2), Sub::read(5, 0), Sub::write(6, 1)]);
            poll("stdin twice", &[Sub::read(7, 0), Sub::read(8, 0)]);
            poll("stdin + clock 0 (the clock yields once)", &[Sub::read(9, 0), Sub::rel(10, MONO, 0)]);
            poll("stdio garbage padding", &[Sub::read(11, 0).garbage(), Sub::write(12, 1).garbage()]);
            poll("stdin write", &[Sub::write(13, 0)]);
            poll("stdout read", &[Sub::read(14, 1)]);
            poll("stderr read", &[Sub::read(15, 2)]);
            poll("preopen read", &[Sub::read(16, 3)]);
            poll("preopen write", &[Sub::write(17, 3)]);
            poll("bad fd 4 read", &[Sub::read(18, 4)]);
            poll("bad fd 99 write", &[Sub::write(19, 99)]);
            poll("bad fd max read", &[Sub::read(20, u32::MAX)]);
            poll("bad fd after good ones", &[Sub::read(21, 0), Sub::write(22, 1), Sub::read(23, 99)]);

            let dir = open("sub", 2, FD_READ, 0);
            poll("directory read", &[Sub::read(24, dir)]);
            poll("directory write", &[Sub::write(25, dir)]);
            close(dir);

            let rw = open("data.txt", 0, ALL_RIGHTS, 0);
            poll("file read at 0", &[Sub::read(26, rw)]);
            poll("file write at 0", &[Sub::write(27, rw)]);
            // A file's read subscription becomes ready once the host's
            // background read finishes: never together with one that is ready
            // at once (which one wins would be a race), so alone or with clocks
            // far away.
            poll("file read+clock", &[Sub::rel(28, MONO, HOUR), Sub::read(29, rw)]);
            poll("file write+clock", &[Sub::rel(30, MONO, HOUR), Sub::write(30, rw)]);
            show_read(rw, 5);
            poll("file read at 5", &[Sub::read(31, rw)]);
            show_read(rw, 100);
            poll("file read at end", &[Sub::read(32, rw)]);
            poll("file write at end", &[Sub::write(33, rw)]);
            seek(rw, 100, 0);
            poll("file read past end", &[Sub::read(34, rw)]);
            poll("file write past end", &[Sub::write(35, rw)]);
            seek(rw, 6, 0);
            poll("file read at 6", &[Sub::read(36, rw), Sub::rel(37, RT, HOUR)]);
            show_read(rw, 100);
            seek(rw, 0, 0);
            write(rw, "HELLO");
            poll("file read after write", &[Sub::read(38, rw)]);
            show_read(rw, 100);

            let empty = open("empty.txt", 0, ALL_RIGHTS, 0);
            poll("empty file read", &[Sub::read(39, empty)]);
            poll("empty file write", &[Sub::write(40, empty)]);
            close(empty);

            let ro = open("data.txt", 0, FD_READ | FD_SEEK, 0);
            poll("read-only file read", &[Sub::read(41, ro)]);
            poll("read-only file write", &[Sub::write(42, ro)]);
            close(ro);

            let wo = open("new.txt", 1, FD_WRITE | FD_SEEK, 0);
            poll("write-only file write", &[Sub::write(43, wo)]);
            poll("write-only file read", &[Sub::read(44, wo)]);
            write(wo, "written");
            close(wo);

            let ap = open("data.txt", 0, FD_READ | FD_WRITE, 1);
            poll("append file write", &[Sub::write(45, ap)]);
            poll("append file read", &[Sub::read(46, ap)]);
            write(ap, "+appended");
            poll("append file read after write", &[Sub::read(47, ap)]);
            close(ap);

            let mix = open("empty.txt", 0, ALL_RIGHTS, 0);
            poll("mixed", &[Sub::rel(48, MONO, HOUR), Sub::write(49, mix), Sub::write(50, 1), Sub::read(51, 0), Sub::write(52, mix), Sub::rel(53, RT, HOUR)]);
            poll("file write twice", &[Sub::write(54, mix), Sub::write(54, mix)]);
            close(mix);
            poll("closed file", &[Sub::read(54, mix)]);
            close(rw);
            poll("closed file 2", &[Sub::write(55, rw)]);
            close(0);
            poll("closed stdin", &[Sub::read(56, 0)]);
            // stdout goes away: the rest goes to stderr.
            OUT.store(2, std::sync::atomic::Ordering::Relaxed);
            close(1);
            poll("closed stdout", &[Sub::write(57, 1), Sub::write(58, 2)]);
            poll("stderr after closing stdout", &[Sub::write(59, 2)]);
        }
        // Item: poll on stdin with a timeout, whatever stdin holds.
        // Polls on stdout and stderr before and after stdin is closed.
        "closed-stdin" => {
            poll("stderr", &[Sub::write(1, 2)]);
            poll("stderr twice", &[Sub::write(2, 2), Sub::write(3, 2)]);
            let e = unsafe { p1::fd_close(0) };
            say!("close(0)={e}");
            poll("stderr after", &[Sub::write(4, 2)]);
            poll("stderr twice after", &[Sub::write(5, 2), Sub::write(6, 2)]);
            poll("stdout and stderr after", &[Sub::write(7, 1), Sub::write(8, 2)]);
            poll("stdin after", &[Sub::read(9, 0)]);
        }
        // Events written over the subscriptions: native writes event 0
        // before it reads subscription 1 again, which event 0's `nbytes`
        // (1) and `flags` (0) turn into a read of fd 0. With stdin open that
        // is a read event; once stdin is closed, BADF.
        "overlap" => {
            for round in 0..2 {
                let mut mem = vec![Sub([0u8; 48]); 4];
                mem[0] = Sub::write(0x10 + round, 2);
                mem[1] = Sub::write(0x20 + round, 2);
                let base = out(&mut mem[..]);
                let (e, n) = raw_poll(base, base + 40, 2);
                let bytes: Vec<u8> = mem.iter().flat_map(|s| s.0).collect();
                say!("overlap round {round}: e={e} n={n} memory={}", hex(&bytes[..128]));
                if round == 0 {
                    say!("close(0)={}", unsafe { p1::fd_close(0) });
                }
            }
        }
        "stdin" => {
            poll_timed("stdin + clock 1h", &[Sub::read(1, 0), Sub::rel(2, MONO, HOUR)], 0);
            poll("clock 10s + stdin", &[Sub::rel(3, MONO, 10_000 * MS), Sub::read(4, 0)]);
            show_read(0, 4);
            poll("stdin + clock 1h after a read", &[Sub::read(5, 0), Sub::rel(6, MONO, HOUR)]);
            let mut total = 0;
            loop {
                let (e, data) = read(0, 1000);
                if e != 0 || data.is_empty() {
                    say!("drained {total} bytes, last read e={e}");
                    break;
                }
                total += data.len();
            }
            poll("stdin at eof + clock 1h", &[Sub::read(7, 0), Sub::rel(8, MONO, HOUR)]);
            poll("stdin at eof alone", &[Sub::read(9, 0)]);
            show_read(0, 4);
        }
        // `limit N`: N subscriptions starting at the end of memory: NOMEM when
        // the host refuses to copy that many, else a trap reading the first.
        "limit" => {
            let n: u32 = p1_programs::arg(2).unwrap().parse().unwrap();
            let end = memory_end();
            say!("calling with n={n}");
            let (e, nev) = raw_poll(end, end, n);
            say!("n={n}: e={e} n={nev}");
        }
        // Hostile pointers: native traps; each case prints before the call.
        trap => {
            let subs = [Sub::rel(1, MONO, 0), Sub::rel(2, MONO, HOUR)];
            let mut events = events_for(2);
            let ev = out(&mut events[..]);
            let mut cell = [0u32; 2];
            let mut buf = [Sub::rel(0, MONO, 0); 3];
            buf[0] = subs[0];
            buf[1] = subs[1];
            let misaligned_subs = addr(&buf[..]) + 4;
            unsafe { core::ptr::copy(buf.as_ptr() as *const u8, misaligned_subs as *mut u8, 96) };
            say!("case {trap}");
            // Grown last, after everything that allocates or calls preview1
            // (the line above too): its end is the end of the program's
            // memory at the call, natively and through an adapter (which
            // grows its pages past the program's, not judged in bounds).
            let page_end = own_last_page();
            // Two good subscriptions in the last 96 bytes of memory.
            unsafe { core::ptr::copy_nonoverlapping(subs.as_ptr(), (page_end - 96) as *mut Sub, 2) };
            let (e, n) = match trap {
                "subs-misaligned" => raw_poll(misaligned_subs, ev, 2),
                "subs-misaligned-single" => raw_poll(misaligned_subs, ev, 1),
                "subs-oob" => raw_poll(page_end - 48, ev, 2),
                "subs-oob-single" => {
                    // A clock subscription whose flags (bytes 40..42) lie past the end.
                    let clock = Sub::rel(4, MONO, 0);
                    unsafe { core::ptr::copy_nonoverlapping(clock.0.as_ptr(), (page_end - 40) as *mut u8, 40) };
                    raw_poll(page_end - 40, ev, 1)
                }
                // An fd subscription needs bytes 0..20 only (userdata, tag,
                // fd): native reads field by field, so one that ends past
                // the end of memory still works there.
                "subs-straddle-fd" => {
                    let sub = Sub::read(5, 0);
                    unsafe { core::ptr::copy_nonoverlapping(sub.0.as_ptr(), (page_end - 24) as *mut u8, 24) };
                    raw_poll(page_end - 24, ev, 1)
                }
                "subs-straddle-fd-pair" => {
                    let (a, b) = (Sub::write(6, 1), Sub::read(7, 0));
                    unsafe {
                        core::ptr::copy_nonoverlapping(a.0.as_ptr(), (page_end - 72) as *mut u8, 48);
                        core::ptr::copy_nonoverlapping(b.0.as_ptr(), (page_end - 24) as *mut u8, 24);
                    }
                    raw_poll(page_end - 72, ev, 2)
                }
                "subs-past-end" => raw_poll(page_end, ev, 2),
                "subs-wrap" => raw_poll(u32::MAX - 40, ev, 2),
                "n-past-end" => raw_poll(page_end - 96, ev, 3),
                "events-misaligned" => raw_poll(addr(&subs[..]), ev + 4, 2),
                "events-oob" => raw_poll(addr(&subs[..]), page_end - 16, 2),
                "events-past-end" => raw_poll(addr(&subs[..]), page_end, 2),
                "events-oob-single" => raw_poll(addr(&[Sub::abs(3, MONO, 0)][..]), page_end - 8, 1),
                "events-oob-single-rel" => raw_poll(addr(&[Sub::rel(3, MONO, 0)][..]), page_end - 8, 1),
                "events-misaligned-single-rel" => raw_poll(addr(&[Sub::rel(3, MONO, 0)][..]), ev + 1, 1),
                "nevents-oob" => unsafe { (p1::poll_oneoff(addr(&subs[..]), ev, 2, page_end - 2), 0) },
                "nevents-misaligned" => unsafe { (p1::poll_oneoff(addr(&subs[..]), ev, 2, out(&mut cell[..]) + 1), 0) },
                "nevents-oob-single-rel" => unsafe { (p1::poll_oneoff(addr(&[Sub::rel(3, MONO, 0)][..]), ev, 1, page_end), 0) },
                other => panic!("unknown case {other:?}"),
            };
            say!("no trap: e={e} n={n}");
            report(trap, e, n, &events);
            std::hint::black_box((&events, &cell, &buf));
        }
    }
}
