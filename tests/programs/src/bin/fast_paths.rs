//! The calls the adapter answers on a fast path (`fd_write`, `fd_seek`,
//! `fd_tell`, `clock_time_get`, `random_get`; see the adapter's
//! `preview1.rs`), in the cases that path must leave to the full
//! implementation. Cases (first argument):
//!
//! * `claimed`: the program takes the page the adapter grew at the first
//!   call (where its stack window and the fast paths' return area are), fills
//!   it with a pattern, then makes every fast call: the results must be
//!   native's and the pattern intact.
//! * `edges`: descriptors and arguments at the edges of each fast path.
//! * `opens`: `path_open` where its fast path applies and where it does not.
//! * `reads`: `fd_read` of files, short reads and ends included.
//! * `first_use`: descriptors `path_open` opened without `O_DIRECTORY`
//!   (which the adapter types only when first used), each first used by a
//!   different call, files and directories alike.
#[path = "fs_common.rs"]
mod fs;

use core::arch::wasm32;
use fs::*;

const REALTIME: u32 = 0;
const MONOTONIC: u32 = 1;
const SET: u32 = 0;
const CUR: u32 = 1;
const END: u32 = 2;

fn pattern(i: usize) -> u8 {
    (i * 7 + 3) as u8
}

/// `fd_write` of `data` as one iovec, printed.
fn write_to(label: &str, fd: u32, data: &[u8]) {
    let (e, n) = write(fd, data);
    eprintln!("{label}: write -> {} n={n}", en(e));
}

fn clock(id: u32) -> (i32, u64) {
    let mut t = 0u64;
    let e = unsafe { p1::clock_time_get(id, 1, out(&mut t)) };
    (e, t)
}

fn random(len: usize) -> (i32, usize) {
    let mut buf = vec![0u8; len];
    let e = unsafe { p1::random_get(out(&mut buf[..]), len as u32) };
    (e, buf.iter().filter(|&&b| b != 0).count())
}

fn every_fast_call(round: u32) {
    let (e, t) = clock(REALTIME);
    eprintln!("round {round}: realtime {} after 2020: {}", en(e), t > 1_577_836_800_000_000_000);
    let (e1, t1) = clock(MONOTONIC);
    let (e2, t2) = clock(MONOTONIC);
    eprintln!("round {round}: monotonic {} {} non-decreasing: {}", en(e1), en(e2), t2 >= t1);
    let (e, nonzero) = random(64);
    eprintln!("round {round}: random {} mostly non-zero: {}", en(e), nonzero > 40);
    write_to(&format!("round {round}: stdout"), 1, format!("stdout line {round}\n").as_bytes());
    let fd = must_open(PRE, &format!("round{round}.txt"), CREAT | TRUNC, 0);
    write_to(&format!("round {round}: file"), fd, b"0123456789");
    eprintln!("round {round}: seek set 2 {:?}, cur 3 {:?}, tell {:?}", seek(fd, 2, SET), seek(fd, 3, CUR), tell(fd));
    write_to(&format!("round {round}: file at 5"), fd, b"ab");
    eprintln!("round {round}: seek end -1 {:?}, tell {:?}, close {}", seek(fd, -1, END), tell(fd), en(close(fd)));
}

extern "C" {
    /// End of the memory the module starts with (wasm-ld).
    static __heap_end: u8;
}

fn claimed() {
    // Pages that exist beyond the module's initial memory before the program
    // allocates anything: natively none; through an adapter, the page it grew
    // at its first call (start-up code already made calls).
    let initial_pages = core::ptr::addr_of!(__heap_end) as usize / 65536;
    let mut pages = initial_pages..wasm32::memory_size(0);
    if pages.is_empty() {
        // Native grew nothing: grow a page, so both runs are alike.
        let at = wasm32::memory_grow(0, 1);
        pages = at..at + 1;
    }
    // The program claims those pages, as runtimes that own every page do.
    let claimed = unsafe {
        core::slice::from_raw_parts_mut((pages.start * 65536) as *mut u8, pages.len() * 65536)
    };
    for (i, b) in claimed.iter_mut().enumerate() {
        *b = pattern(i);
    }
    for round in 0..3 {
        every_fast_call(round);
    }
    let intact = claimed.iter().enumerate().all(|(i, &b)| b == pattern(i));
    eprintln!("claimed pages intact: {intact}");
}

fn edges() {
    // Before anything is open (no descriptor table yet), then with one.
    eprintln!("pristine: tell stdout {:?}, seek stdin {:?}, tell 3 {:?}, tell 9 {:?}", tell(1), seek(0, 0, CUR), tell(3), tell(9));
    write_to("pristine: stderr", 2, b"to stderr\n");
    write_to("pristine: fd 3 (a directory)", 3, b"x");
    write_to("pristine: fd 9", 9, b"x");
    let fd = must_open(PRE, "e.txt", CREAT | TRUNC, 0);
    eprintln!("table: tell stdout {:?}, tell dir {:?}, tell 99 {:?}, tell 1000 {:?}", tell(1), tell(3), tell(99), tell(1000));
    write_to("table: stdout", 1, b"stdout with a table\n");
    write_to("table: empty buffer", fd, b"");
    let (e, n) = writev(fd, &[b"", b"second iovec"]);
    eprintln!("table: empty then full iovec -> {} n={n}", en(e));
    // Seeks the fast path leaves to the full implementation.
    eprintln!("seek set -1 {:?}, tell {:?}", seek(fd, -1, SET), tell(fd));
    eprintln!("seek cur i64::MIN {:?}, tell {:?}", seek(fd, i64::MIN, CUR), tell(fd));
    eprintln!("seek set i64::MAX {:?}, cur 1 {:?}, cur i64::MAX {:?}", seek(fd, i64::MAX, SET), seek(fd, 1, CUR), seek(fd, i64::MAX, CUR));
    write_to("write at 2^64-1", fd, b"x");
    eprintln!("tell {:?}", tell(fd));
    eprintln!("seek set i64::MAX {:?}", seek(fd, i64::MAX, SET));
    write_to("write at i64::MAX", fd, b"x");
    eprintln!("seek end 0 {:?}", seek(fd, 0, END));
    write_to("write at the end", fd, b"!");
    // Append mode and read-only files are the full implementation's.
    let app = must_open(PRE, "e.txt", 0, APPEND);
    write_to("append", app, b"+appended");
    eprintln!("append: tell {:?}", tell(app));
    let ro = open("read-only", PRE, 0, b"a.txt", 0, R_READ | R_SEEK | R_TELL, 0);
    write_to("read-only", ro, b"x");
    eprintln!("read-only: seek 4 {:?}, tell {:?}", seek(ro, 4, SET), tell(ro));
    // Renumbered: a file as stdout, and stdout's stream under another number.
    eprintln!("renumber {} -> 1: {}", fd, en(unsafe { p1::fd_renumber(fd, 1) }));
    write_to("file as fd 1", 1, b"[via fd 1]");
    eprintln!("fd 1 is a file: tell {:?}", tell(1));
    // Bigger than one stdio chunk, and many small ones.
    write_to("stderr 10000 bytes", 2, &[b'z'; 10000]);
    eprintln!();
    for i in 0..100 {
        let (e, n) = write(app, format!("{i},").as_bytes());
        assert_eq!((e, n as usize), (0, format!("{i},").len()));
    }
    // random_get: empty, large, and right at the end of memory.
    eprintln!("random 0 {:?}, 100000 {:?}", random(0).0, random(100_000).0);
    let end = p1_programs::memory_end();
    let e = unsafe { p1::random_get(end - 16, 16) };
    eprintln!("random in the last 16 bytes: {}", en(e));
    let e = unsafe { p1::random_get(end, 0) };
    eprintln!("random of 0 bytes at the end: {}", en(e));
    // clock ids the fast path does not take.
    let mut t = 0u64;
    for id in [2, 3] {
        eprintln!("clock {id}: {}", en(unsafe { p1::clock_time_get(id, 1, out(&mut t)) }));
    }
    eprintln!("close {} {} {}", en(close(1)), en(close(app)), en(close(ro)));
    // fd_close: numbering after fast closes, double closes, directories.
    let (a, b) = (must_open(PRE, "n1", CREAT, 0), must_open(PRE, "n2", CREAT, 0));
    let (first, again) = (close(a), close(a));
    let c = must_open(PRE, "n3", CREAT, 0);
    eprintln!("close {a}: {} then {}; {b} stays; reopened as {c}; tell {:?}", en(first), en(again), tell(b));
    // Numbers that go from file to directory and back: the fd_seek and
    // fd_tell fast paths know files by a set of numbers, which every
    // open, close and renumber must keep true.
    let f = must_open(PRE, "n4", CREAT, 0);
    eprintln!("file {f}: seek {:?}, close {}, tell {:?}", seek(f, 1, SET), en(close(f)), tell(f));
    let (e, g) = open_raw(PRE, 0, b".", DIRECTORY, R_READDIR, R_READDIR, 0);
    eprintln!("directory {g} ({}): seek {:?}, tell {:?}", en(e), seek(g, 1, SET), tell(g));
    let h = must_open(PRE, "n5", CREAT, 0);
    let e = en(unsafe { p1::fd_renumber(g, h) });
    eprintln!("renumber directory {g} -> file {h}: {e}, seek {:?}, tell {:?}", seek(h, 1, SET), tell(h));
    let k = must_open(PRE, "n6", CREAT, 0);
    let (_, m) = open_raw(PRE, 0, b".", DIRECTORY, R_READDIR, R_READDIR, 0);
    let e = en(unsafe { p1::fd_renumber(k, m) });
    eprintln!("renumber file {k} -> directory {m}: {e}, seek {:?}, tell {:?}, tell {k} {:?}", seek(m, 2, SET), tell(m), tell(k));
    eprintln!("closed {} {}", en(close(h)), en(close(m)));
    let (e, d) = open_raw(PRE, 0, b".", DIRECTORY, R_READDIR, R_READDIR, 0);
    assert_eq!(e, 0);
    eprintln!("close dir {d}: {}, preopen: {}, stdin: {}, again: {}", en(close(d)), en(close(PRE)), en(close(0)), en(close(0)));
    // path_open: in a directory opened from the (now closed) preopen's
    // sibling numbers, errors the host reports, and paths it must refuse.
    let sub = open_raw(d, 0, b".", DIRECTORY, R_ALL, R_ALL, 0);
    eprintln!("open in a closed directory: {:?}", sub);
    let (e, dir) = open_raw(c, 0, b"x", 0, RW, RW, 0);
    eprintln!("open relative to a file: {} {}", en(e), dir == 0xdead_beef);
    eprintln!("open missing: {}", en(open_raw(PRE, 0, b"missing", 0, RW, RW, 0).0));
}

/// `fd_read` cases.
fn reads() {
    let fd = must_open(PRE, "a.txt", 0, 0);
    eprintln!("read 5 {:?}, 100 (short: the end) {:?}, at the end {:?}, tell {:?}", read(fd, 5), read(fd, 100), read(fd, 10), tell(fd));
    eprintln!("seek 6 {:?}, read 6 {:?}, read 1 {:?}", seek(fd, 6, SET), read(fd, 6), read(fd, 1));
    let (e, n, bufs) = readv(fd, &[0, 3]);
    eprintln!("empty then 3-byte iovec at the end: {} {n} {bufs:?}", en(e));
    eprintln!("seek 0 {:?}, readv 0+4+4 {:?}", seek(fd, 0, SET), readv(fd, &[0, 4, 4]));
    eprintln!("seek past i64::MAX {:?}, read {:?}", seek(fd, i64::MAX, SET).0 + seek(fd, 1, CUR).0, read(fd, 4));
    let big = must_open(PRE, "big", CREAT, 0);
    let data: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    assert_eq!(write(big, &data), (0, 200_000));
    assert_eq!(seek(big, 0, SET), (0, 0));
    let mut got = Vec::new();
    for len in [65536, 65537, 4096, 100_000, 1] {
        let (e, chunk) = read(big, len);
        eprintln!("read {len}: {} {} bytes", en(e), chunk.len());
        got.extend(chunk);
    }
    eprintln!("read back {} bytes, same: {}", got.len(), got[..] == data[..got.len()]);
    let wo = open_raw(PRE, 0, b"a.txt", 0, R_WRITE, 0, 0).1;
    eprintln!("write-only: {:?}, directory: {:?}, stdout: {:?}, bad fd: {:?}", read(wo, 4), read(PRE, 4), read(1, 4), read(77, 4));
    // The data lands on the iovecs themselves (a short read: the file ends).
    let mut area = [0u32; 16];
    let base = out(&mut area);
    area[0] = base + 5;
    area[1] = 40;
    area[2] = base + 40;
    area[3] = 8;
    let mut n = 0u32;
    assert_eq!(seek(fd, 0, SET), (0, 0));
    let e = unsafe { p1::fd_read(fd, base, 2, out(&mut n)) };
    eprintln!("onto its own iovecs: {} {n} {:x?}, tell {:?}", en(e), &area[..5], tell(fd));
    let end = p1_programs::memory_end();
    let iov = [end - 4, 4u32];
    let mut n = 0u32;
    assert_eq!(seek(fd, 0, SET), (0, 0));
    let e = unsafe { p1::fd_read(fd, addr(&iov), 1, out(&mut n)) };
    eprintln!("into the last 4 bytes of memory: {} {n}", en(e));
}

/// `path_open` cases, from a fresh start (the preopen still open).
fn opens() {
    let (e, dir) = open_raw(PRE, 0, b"d", DIRECTORY, R_READDIR | 1 << 13, R_ALL, 0);
    eprintln!("open d as a directory: {} fd {dir}", en(e));
    let (e, inner) = open_raw(dir, 0, b"inner.txt", 0, R_READ | R_SEEK | R_TELL, 0, 0);
    eprintln!("open inner.txt in d: {} fd {inner}, read {:?}", en(e), read(inner, 5));
    let (e, plain_dir) = open_raw(PRE, 0, b"d", 0, R_READ, 0, 0);
    eprintln!("open d without DIRECTORY: {} fd {plain_dir}, write {:?}", en(e), write(plain_dir, b"x"));
    for (label, path, oflags) in [
        ("creat|excl existing", &b"a.txt"[..], CREAT | EXCL),
        ("directory on a file", b"a.txt", DIRECTORY),
        ("bad utf-8", b"\xff\xfe", 0),
        ("absolute", b"/a.txt", 0),
        ("escaping", b"../a.txt", 0),
        ("empty", b"", 0),
    ] {
        let (e, fd) = open_raw(PRE, 0, path, oflags, RW, RW, 0);
        eprintln!("open {label}: {} untouched {}", en(e), fd == 0xdead_beef);
    }
    let (e, ro) = open_raw(PRE, 0, b"a.txt", 0, R_READ, 0, 0);
    eprintln!("read-only a.txt: {} fd {ro}, write {:?}, read {:?}", en(e), write(ro, b"x"), read(ro, 5));
    let (e, app) = open_raw(PRE, 0, b"a.txt", 0, RW, RW, APPEND);
    eprintln!("append a.txt: {} fd {app}, write {:?}, tell {:?}", en(e), write(app, b"+"), tell(app));
    // path_filestat_get (and fd_filestat_get, which shares its output).
    for (label, dirfd, path) in [
        ("a.txt", PRE, &b"a.txt"[..]),
        ("d", PRE, b"d"),
        ("missing", PRE, b"missing"),
        ("bad utf-8", PRE, b"\xff"),
        ("in d", dir, b"inner.txt"),
        ("relative to a file", ro, b"x"),
        ("bad fd", 99, b"a.txt"),
        ("empty", PRE, b""),
        ("escaping", PRE, b"../x"),
    ] {
        print_pstat(label, dirfd, FOLLOW, path);
    }
    let same = pstat(PRE, 0, b"a.txt").1.ino == fstat(ro).1.ino;
    eprintln!("stat and fstat agree on the inode: {same}");
    for fd in [0, 1, ro, dir] {
        let mut raw = [0xeeee_eeee_eeee_eeeeu64; 8];
        let e = unsafe { p1::fd_filestat_get(fd, out(&mut raw)) };
        eprintln!("fstat({fd}) {}: dev {} type word {:x}", en(e), raw[0], raw[2]);
    }
    // Past the numbers the table's first page holds, and back.
    let fds: Vec<u32> = (0..700).map(|i| must_open(PRE, &format!("many{i}"), CREAT, 0)).collect();
    let numbered = fds.iter().enumerate().all(|(i, &fd)| fd == fds[0] + i as u32);
    eprintln!("700 opens from {} to {}, consecutive: {numbered}", fds[0], fds[699]);
    for &fd in fds.iter().step_by(2) {
        assert_eq!(close(fd), 0);
    }
    let again: Vec<u32> = (0..5).map(|i| must_open(PRE, &format!("again{i}"), CREAT, 0)).collect();
    eprintln!("reopened as {again:?}");
}

/// Opens `path` (in the preopen) without `O_DIRECTORY`, with every right
/// but writing for `d` (a directory cannot be opened for writing).
fn open_plain(path: &[u8]) -> u32 {
    let rights = if path == b"d" { R_ALL & !R_WRITE } else { R_ALL };
    let (e, fd) = open_raw(PRE, 0, path, 0, rights, rights, 0);
    assert_eq!(e, 0, "open {}: {}", show(path), en(e));
    fd
}

fn first_use() {
    for (label, path) in [("file", &b"a.txt"[..]), ("directory", b"d")] {
        let fd = open_plain(path);
        eprintln!("{label}: close first: {}", en(close(fd)));
        let fd = open_plain(path);
        let (e, ft, fl, base, inh) = fdstat(fd);
        eprintln!("{label}: fdstat first: {} type={ft} flags={fl:#x} base={base:#x} inheriting={inh:#x}", en(e));
        close(fd);
        let fd = open_plain(path);
        let (e, st) = fstat(fd);
        eprintln!("{label}: filestat first: {} type={} size_known={}", en(e), st.filetype, e == 0);
        close(fd);
        let fd = open_plain(path);
        eprintln!("{label}: read first: {:?}", read(fd, 5));
        eprintln!("{label}: then write {:?}, seek {:?}, tell {:?}", write(fd, b"x"), seek(fd, 0, SET), tell(fd));
        close(fd);
        let fd = open_plain(path);
        eprintln!("{label}: write first: {:?}", write(fd, b"x"));
        close(fd);
        let fd = open_plain(path);
        eprintln!("{label}: seek first: {:?}, tell {:?}", seek(fd, 1, SET), tell(fd));
        close(fd);
        let fd = open_plain(path);
        let (e, used, buf) = readdir_raw(fd, 256, 0);
        let names: Vec<String> = parse_dirents(&buf[..if e == 0 { used as usize } else { 0 }]).0.iter().map(|d| show(&d.name)).collect();
        eprintln!("{label}: readdir first: {} [{}]", en(e), names.join(" "));
        close(fd);
        let fd = open_plain(path);
        let (e, inner) = open_raw(fd, 0, b"inner.txt", 0, R_READ, 0, 0);
        eprintln!("{label}: open inside first: {} then read {:?}", en(e), if e == 0 { read(inner, 5) } else { (0, vec![]) });
        if e == 0 {
            close(inner);
        }
        close(fd);
        let fd = open_plain(path);
        print_pstat(&format!("{label}: stat inside first"), fd, FOLLOW, b"inner.txt");
        close(fd);
        let fd = open_plain(path);
        let mut prestat = [0u32; 2];
        eprintln!("{label}: prestat first: {}", en(unsafe { p1::fd_prestat_get(fd, out(&mut prestat)) }));
        close(fd);
        // Renumbered before any use: the number moves, the type is learnt later.
        let fd = open_plain(path);
        let other = open_plain(b"a.txt");
        eprintln!("{label}: renumber first: {}", en(unsafe { p1::fd_renumber(fd, other) }));
        let (e, ft, ..) = fdstat(other);
        eprintln!("{label}: then fdstat of the new number: {} type={ft}, old number {:?}", en(e), fdstat(fd).0);
        close(other);
    }
}

fn main() {
    match case().as_str() {
        "claimed" => claimed(),
        "edges" => edges(),
        "opens" => opens(),
        "reads" => reads(),
        "first_use" => first_use(),
        other => panic!("unknown case {other:?}"),
    }
}
