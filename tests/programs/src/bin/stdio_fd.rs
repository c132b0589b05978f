//! Descriptor calls on stdio: fdstat, filestat, fdstat_set_flags,
//! renumbering and closing stdio, and writing afterwards. The first argument
//! names the case. Output goes to stderr (stdout may be moved or closed);
//! the preopen holds `data.txt`. `stat`, `renumber-stdio`, `close-stdio`
//! and `moves` also run without one (their opens then fail with EBADF).
use p1_programs::{addr, case, out, p1};

#[path = "fs_common.rs"]
#[allow(dead_code)]
mod fs;
use fs::px;

const UNTOUCHED: u32 = 0xdead;
const FD_READ: u64 = 1 << 1;
const FD_WRITE: u64 = 1 << 6;

fn log(text: &str) {
    let line = format!("{text}\n");
    let iov = [addr(line.as_bytes()), line.len() as u32];
    let mut n = 0u32;
    let e = unsafe { p1::fd_write(LOG.load(std::sync::atomic::Ordering::Relaxed), addr(&iov[..]), 1, out(&mut n)) };
    assert!(e == 0 && n as usize == line.len(), "log: e={e}");
}

/// Where `log` writes (stderr unless a case moved it).
static LOG: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(2);

fn fdstat(fd: u32) -> String {
    let mut st = [0xeeu8; 24];
    let e = unsafe { p1::fd_fdstat_get(fd, out(&mut st[..])) };
    if e != 0 {
        return format!("fdstat({fd})={e} untouched={}", st.iter().all(|&b| b == 0xee));
    }
    let u64_at = |at: usize| u64::from_le_bytes(st[at..at + 8].try_into().unwrap());
    format!(
        "fdstat({fd})=0 filetype={} flags={:#x} base={:#x} inheriting={:#x} pad={:?}",
        st[0],
        u16::from_le_bytes([st[2], st[3]]),
        u64_at(8),
        u64_at(16),
        &st[4..8]
    )
}

fn filestat(fd: u32) -> String {
    let mut st = [0xeeu8; 64];
    let e = unsafe { p1::fd_filestat_get(fd, out(&mut st[..])) };
    if e != 0 {
        return format!("filestat({fd})={e} untouched={}", st.iter().all(|&b| b == 0xee));
    }
    let u64_at = |at: usize| u64::from_le_bytes(st[at..at + 8].try_into().unwrap());
    // Times of files vary from run to run: only whether they are set.
    format!(
        "filestat({fd})=0 dev_set={} ino_set={} filetype={} pad={:?} nlink={} size={} atim_set={} mtim_set={} ctim_set={}",
        u64_at(0) != 0,
        u64_at(8) != 0,
        st[16],
        &st[17..24],
        u64_at(24),
        u64_at(32),
        u64_at(40) != 0,
        u64_at(48) != 0,
        u64_at(56) != 0
    )
}

fn write(fd: u32, text: &str) -> String {
    let iov = [addr(text.as_bytes()), text.len() as u32];
    let mut n = UNTOUCHED;
    let e = unsafe { p1::fd_write(fd, addr(&iov[..]), 1, out(&mut n)) };
    format!("write({fd}, {:?})={e} n={n}", text)
}

fn read(fd: u32, len: usize) -> String {
    let mut buf = vec![0u8; len];
    let iov = [out(&mut buf[..]), len as u32];
    let mut n = UNTOUCHED;
    let e = unsafe { p1::fd_read(fd, addr(&iov[..]), 1, out(&mut n)) };
    let got = if e == 0 { String::from_utf8_lossy(&buf[..n as usize]).into_owned() } else { String::new() };
    format!("read({fd}, {len})={e} n={n} {got:?}")
}

/// Numbers `moves` probes: stdio, the first after it, the edges of the
/// proxy's 64 numbers, the proxy's marker of a closed stdio number (255),
/// and the largest.
const PROBE: [u32; 9] = [0, 1, 2, 3, 63, 64, 255, 256, u32::MAX];

/// One `poll_oneoff` subscription of `tag` (1 read, 2 write) on `fd`.
fn poll_fd(fd: u32, tag: u8) -> String {
    let mut sub = [0u8; 48];
    sub[..8].copy_from_slice(&0x1234u64.to_le_bytes());
    sub[8] = tag;
    sub[16..20].copy_from_slice(&fd.to_le_bytes());
    let mut event = [0xeeu8; 32];
    let mut n = UNTOUCHED;
    let e = unsafe { p1::poll_oneoff(addr(&sub[..]), out(&mut event[..]), 1, out(&mut n)) };
    if e != 0 || n != 1 {
        return format!("poll({fd}, tag {tag})={e} n={n} untouched={}", event.iter().all(|&b| b == 0xee));
    }
    format!(
        "poll({fd}, tag {tag})=0 n=1 ud={:#x} err={} type={} nbytes={} flags={}",
        u64::from_le_bytes(event[..8].try_into().unwrap()),
        u16::from_le_bytes([event[8], event[9]]),
        event[10],
        u64::from_le_bytes(event[16..24].try_into().unwrap()),
        u16::from_le_bytes([event[24], event[25]])
    )
}

fn open(path: &str, oflags: u32, rights: u64, fdflags: u32) -> u32 {
    let mut fd = UNTOUCHED;
    let e = unsafe { p1::path_open(3, 0, addr(path.as_bytes()), path.len() as u32, oflags, rights, rights, fdflags, out(&mut fd)) };
    log(&format!("open({path:?})={e} fd={fd}"));
    fd
}

fn close(fd: u32) -> String {
    format!("close({fd})={}", unsafe { p1::fd_close(fd) })
}

fn renumber(from: u32, to: u32) -> String {
    format!("renumber({from}, {to})={}", unsafe { p1::fd_renumber(from, to) })
}

fn main() {
    let c = case();
    match c.as_str() {
        "stat" => {
            for fd in [0, 1, 2] {
                log(&fdstat(fd));
                log(&filestat(fd));
            }
        }
        "set-flags" => {
            let file = open("data.txt", 0, FD_READ | FD_WRITE, 0);
            for fd in [0, 1, 2, 3, file, 99] {
                // Bits outside fdflags make native trap (see the `set-flags-bad` case).
                for flags in [0u32, 1, 2, 4, 5, 8, 16, 0x1f] {
                    let e = unsafe { p1::fd_fdstat_set_flags(fd, flags) };
                    log(&format!("set_flags({fd}, {flags:#x})={e} -> {}", fdstat(fd)));
                }
            }
            // The flag a file keeps decides where writes go.
            log(&format!("set_flags(file, APPEND)={}", unsafe { p1::fd_fdstat_set_flags(file, 1) }));
            log(&write(file, "[appended]"));
            log(&format!("set_flags(file, 0)={}", unsafe { p1::fd_fdstat_set_flags(file, 0) }));
            log(&write(file, "<at position>"));
            log(&write(1, "stdout still works\n"));
            log(&write(2, "stderr still works\n"));
        }
        "renumber-stdio" => {
            log(&renumber(1, 1));
            log(&renumber(1, 7));
            log(&renumber(7, 1));
            // stderr's stream moves to fd 1; fd 2 is no more.
            let r = renumber(2, 1);
            LOG.store(1, std::sync::atomic::Ordering::Relaxed);
            log(&r);
            log(&write(2, "gone"));
            log(&fdstat(1));
            log(&fdstat(2));
            // stdin onto fd 5? Only open targets: fd 3 (the preopen) is replaced.
            log(&renumber(0, 3));
            log(&read(3, 5));
            log(&read(0, 5));
            log(&fdstat(3));
            let mut pre = [0u8; 8];
            log(&format!("prestat(3)={}", unsafe { p1::fd_prestat_get(3, out(&mut pre[..])) }));
            // Freed numbers come back from opens (no preopen left: ENOTDIR/BADF natively).
            log(&format!("open after losing the preopen: {}", {
                let p = "data.txt";
                let mut fd = UNTOUCHED;
                let e = unsafe { p1::path_open(3, 0, addr(p.as_bytes()), p.len() as u32, 0, FD_READ, FD_READ, 0, out(&mut fd)) };
                format!("{e} fd={fd}")
            }));
        }
        "renumber-file-onto-stdout" => {
            let file = open("data.txt", 0, FD_READ | FD_WRITE, 0);
            log(&renumber(file, 1));
            log(&fdstat(1));
            log(&fdstat(file));
            log(&write(1, "INTO-THE-FILE"));
            let mut pos = 0u64;
            log(&format!("seek(1)={} pos={pos}", unsafe { p1::fd_seek(1, 0, 0, out(&mut pos)) }));
            log(&read(1, 100));
            // The freed number is reused by the next open.
            let again = open("data.txt", 0, FD_READ, 0);
            log(&format!("reused={}", again == file));
            log(&read(again, 100));
            // Move stderr over the file descriptor: the file is closed.
            let r = renumber(2, 1);
            LOG.store(1, std::sync::atomic::Ordering::Relaxed);
            log(&r);
            log(&write(1, "stderr text via fd 1\n"));
            log(&fdstat(2));
        }
        "close-stdio" => {
            log(&close(1));
            log(&write(1, "after close"));
            log(&fdstat(1));
            log(&filestat(1));
            log(&close(1));
            log(&close(0));
            log(&read(0, 4));
            log(&renumber(2, 0));
            log(&renumber(0, 2));
            // Opens take freed numbers (native reuses the highest freed one first).
            let a = open("data.txt", 0, FD_READ | FD_WRITE, 0);
            let b = open("data.txt", 0, FD_READ, 0);
            let c = open("data.txt", 0, FD_READ, 0);
            log(&format!("fds: {a} {b} {c}"));
            log(&write(a, "A"));
            log(&read(b, 100));
            log(&fdstat(0));
            log(&fdstat(1));
            log(&close(a));
            log(&close(b));
            log(&close(c));
            log(&write(2, "stderr still works\n"));
            let closed = close(2);
            // Nothing left to log to: report through the exit code, or
            // (`close-stdio return`, for a world without proc_exit) through
            // returning or aborting.
            let e = unsafe { p1::fd_write(2, 0, 0, out(&mut [0u32][..])) };
            let ok = closed == "close(2)=0" && e == 8;
            if p1_programs::arg(2) == Some("return") {
                if !ok {
                    std::process::abort();
                }
                return;
            }
            unsafe { p1::proc_exit(if ok { 0 } else { 1 }) };
        }
        // `moves STEPS`: stdio moved around, step by step. STEPS is a
        // comma-separated list of `A>B` (renumber A onto B) and `cA` (close A).
        // After the start and after each step, every number of PROBE gets an
        // fdstat, a filestat, a write of a marker naming step and number (so
        // where each marker lands shows which host stream the number holds),
        // a two-byte read, and a poll for reading and one for writing. The
        // results go to the first of 0, 1, 2 that takes them whole, else wait
        // for the next step.
        "moves" => {
            let steps = p1_programs::arg(2).expect("moves STEPS");
            let number = |s: &str| s.parse::<u32>().unwrap_or_else(|_| panic!("bad number {s:?}"));
            let mut pending = String::new();
            for (i, step) in std::iter::once("start").chain(steps.split(',')).enumerate() {
                let result = if step == "start" {
                    "start".to_string()
                } else if let Some(fd) = step.strip_prefix('c') {
                    close(number(fd))
                } else {
                    let (from, to) = step.split_once('>').unwrap_or_else(|| panic!("bad step {step:?}"));
                    renumber(number(from), number(to))
                };
                pending += &format!("step {i} {step}: {result}\n");
                for fd in PROBE {
                    pending += &format!("  {}\n  {}\n", fdstat(fd), filestat(fd));
                    pending += &format!("  {}\n", write(fd, &format!("<marker of step {i} through fd {fd}>\n")));
                    pending += &format!("  {}\n", read(fd, 2));
                    pending += &format!("  {}\n  {}\n", poll_fd(fd, 1), poll_fd(fd, 2));
                }
                for fd in [0, 1, 2] {
                    let iov = [addr(pending.as_bytes()), pending.len() as u32];
                    let mut n = UNTOUCHED;
                    let e = unsafe { p1::fd_write(fd, addr(&iov[..]), 1, out(&mut n)) };
                    if e == 0 && n as usize == pending.len() {
                        pending.clear();
                        break;
                    }
                }
            }
        }
        // Every path call, and fd_readdir, on stdio and on numbers that are
        // not open (fd 3 without a preopen, the edges of the proxy's
        // numbers), with a plain, an empty and an absolute path; then once
        // more after stdout and stderr changed places.
        "path-calls" => {
            let probe = |label: &str| {
                for fd in PROBE {
                    for path in ["x", "", "/abs", "../up"] {
                        let (p, n) = (addr(path.as_bytes()), path.len() as u32);
                        let (q, m) = (addr(b"y".as_slice()), 1);
                        let mut buf = [0xeeu8; 64];
                        let o = out(&mut buf[..]);
                        let mut fd_out = UNTOUCHED;
                        let e = unsafe {
                            [
                                p1::path_open(fd, 0, p, n, 0, FD_READ, FD_READ, 0, out(&mut fd_out)),
                                p1::path_open(fd, 1, p, n, 1 | 2, 0, 0, 0, out(&mut fd_out)),
                                p1::path_create_directory(fd, p, n),
                                p1::path_unlink_file(fd, p, n),
                                px::path_filestat_get(fd, 1, p, n, o),
                                px::path_filestat_set_times(fd, 0, p, n, 1, 2, 0),
                                px::path_link(fd, 0, p, n, fd, q, m),
                                px::path_link(fd, 0, p, n, 1, q, m),
                                px::path_readlink(fd, p, n, o, 16, o + 32),
                                px::path_remove_directory(fd, p, n),
                                px::path_rename(fd, p, n, fd, q, m),
                                px::path_rename(fd, p, n, 2, q, m),
                                px::path_symlink(q, m, fd, p, n),
                            ]
                        };
                        let r = unsafe { p1::fd_readdir(fd, o, 64, 0, o + 60) };
                        let untouched = buf.iter().all(|&b| b == 0xee) && fd_out == UNTOUCHED;
                        log(&format!("{label}: fd {fd} path {path:?}: {e:?} readdir={r} untouched={untouched}"));
                    }
                }
            };
            probe("stdio");
            let r = renumber(1, 2);
            LOG.store(2, std::sync::atomic::Ordering::Relaxed);
            log(&r);
            probe("stdout at 2");
        }
        // `set-flags-bad FD FLAGS`: bits outside fdflags.
        "set-flags-bad" => {
            let arg = |i: usize| p1_programs::arg(i).unwrap().parse::<u32>().unwrap();
            let (fd, flags) = (arg(2), arg(3));
            log(&format!("set_flags({fd}, {flags:#x})..."));
            log(&format!("= {}", unsafe { p1::fd_fdstat_set_flags(fd, flags) }));
        }
        other => panic!("unknown case {other:?}"),
    }
}
