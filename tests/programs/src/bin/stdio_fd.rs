//! Descriptor calls on stdio: fdstat, filestat, fdstat_set_flags,
//! renumbering and closing stdio, and writing afterwards. The first argument
//! names the case. Output goes to stderr (stdout may be moved or closed);
//! the preopen holds `data.txt`.
use p1_programs::{addr, case, out, p1};

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
            // Nothing left to log to: report through the exit code.
            let e = unsafe { p1::fd_write(2, 0, 0, out(&mut [0u32][..])) };
            unsafe { p1::proc_exit(if closed == "close(2)=0" && e == 8 { 0 } else { 1 }) };
        }
        // `set-flags-bad FD FLAGS`: bits outside fdflags.
        "set-flags-bad" => {
            let arg = |i: usize| std::env::args().nth(i).unwrap().parse::<u32>().unwrap();
            let (fd, flags) = (arg(2), arg(3));
            log(&format!("set_flags({fd}, {flags:#x})..."));
            log(&format!("= {}", unsafe { p1::fd_fdstat_set_flags(fd, flags) }));
        }
        other => panic!("unknown case {other:?}"),
    }
}
