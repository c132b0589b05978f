//! N calls of one fast-path case, for `tests/tests/fast_path_cost.rs` to
//! count the wasm instructions each costs. Arguments: `CALL WAY N`, where
//! `CALL` is one of the cases in `main`, `WAY` is `fast` (arguments the
//! adapter's fast path takes) or `declined` (the same work, with arguments
//! its fast path leaves to the full implementation), and `N` the number of
//! calls. Every call must succeed: the program panics otherwise.
//!
//! The set-up is the same for both ways, so that only the calls differ:
//! `a.txt` is open twice, as a low number ([`LOW`], which the adapter keeps
//! in globals where its fast paths look) and as a number past those
//! globals (32 and up: the fast paths decline, the full implementation finds
//! it in the table). The same for the preopen directory.
#[path = "fs_common.rs"]
mod fs;

use fs::*;

/// The first descriptor a fast path does not look up (the adapter's
/// `GLOBAL_FDS`).
const FIRST_BEYOND_GLOBALS: u32 = 32;

const REALTIME: u32 = 0;
const MONOTONIC: u32 = 1;
const SET: u32 = 0;

/// Descriptors of the same file and directory, below and past the globals.
struct Descriptors {
    low_file: u32,
    high_file: u32,
    high_dir: u32,
}

fn set_up() -> Descriptors {
    let low_file = must_open(PRE, "a.txt", 0, 0);
    // Fill the numbers up to the globals' end (closed in no case).
    let mut fd = low_file;
    while fd + 1 < FIRST_BEYOND_GLOBALS {
        fd = must_open(PRE, "filler", CREAT, 0);
    }
    let high_file = must_open(PRE, "a.txt", 0, 0);
    let (e, high_dir) = open_raw(PRE, 0, b".", DIRECTORY, R_ALL & !R_WRITE, R_ALL, 0);
    assert_eq!(e, 0, "open . as a directory: {}", en(e));
    assert!(low_file < FIRST_BEYOND_GLOBALS && high_file >= FIRST_BEYOND_GLOBALS && high_dir >= FIRST_BEYOND_GLOBALS);
    Descriptors { low_file, high_file, high_dir }
}

/// Asserts that call `i` succeeded.
#[track_caller]
fn ok(what: &str, i: u32, errno: i32) {
    assert_eq!(errno, 0, "{what} #{i}: {}", en(errno));
}

fn main() {
    let call = case();
    let fast = match p1_programs::arg(2) {
        Some("fast") => true,
        Some("declined") => false,
        other => panic!("the way must be fast or declined, not {other:?}"),
    };
    let n: u32 = p1_programs::arg(3).and_then(|n| n.parse().ok()).expect("the number of calls");
    let fds = set_up();
    // One byte per call, from and to buffers set up once.
    let byte = [b'x'; 1];
    let mut landing = [0u8; 1];
    let empty: [u8; 0] = [];
    // Declined `fd_write` and `fd_read`: an empty iovec first (the fast
    // paths take only a first one that is not empty; the full
    // implementation transfers the first non-empty one, as native does).
    let iovs_of = |buf: u32| -> Vec<[u32; 2]> { if fast { vec![[buf, 1]] } else { vec![[addr(&empty[..]), 0], [buf, 1]] } };
    let mut count = 0u32;
    let mut time = 0u64;
    let mut position = 0u64;
    let mut random = [0u8; 16];
    match call.as_str() {
        "fd_write_stdout" | "fd_write_file" => {
            let fd = if call == "fd_write_stdout" { 1 } else { fds.low_file };
            let iovs = iovs_of(addr(&byte[..]));
            for i in 0..n {
                ok(&call, i, unsafe { p1::fd_write(fd, addr(&iovs[..]), iovs.len() as u32, out(&mut count)) });
            }
        }
        "fd_read" => {
            let iovs = iovs_of(out(&mut landing[..]));
            for i in 0..n {
                ok(&call, i, unsafe { p1::fd_read(fds.low_file, addr(&iovs[..]), iovs.len() as u32, out(&mut count)) });
            }
        }
        "fd_seek" => {
            let fd = if fast { fds.low_file } else { fds.high_file };
            for i in 0..n {
                ok(&call, i, unsafe { p1::fd_seek(fd, i as i64, SET, out(&mut position)) });
            }
        }
        "fd_tell" => {
            let fd = if fast { fds.low_file } else { fds.high_file };
            for i in 0..n {
                ok(&call, i, unsafe { p1::fd_tell(fd, out(&mut position)) });
            }
        }
        "fd_close" => {
            // Each call closes a file just opened: with the file at
            // `high_file` closed first, the open takes its number
            // (declined); else the open takes the lowest free one.
            if fast {
                ok("close low", 0, close(fds.low_file));
            } else {
                ok("close high", 0, close(fds.high_file));
            }
            for i in 0..n {
                let fd = must_open(PRE, "a.txt", 0, 0);
                assert_eq!(fd >= FIRST_BEYOND_GLOBALS, !fast, "opened as {fd}");
                ok(&call, i, close(fd));
            }
        }
        "path_filestat_get" => {
            let dir = if fast { PRE } else { fds.high_dir };
            let mut stat = [0u64; 8];
            let path = b"a.txt";
            for i in 0..n {
                ok(&call, i, unsafe { px::path_filestat_get(dir, FOLLOW, addr(&path[..]), path.len() as u32, out(&mut stat)) });
            }
        }
        "clock_time_get_realtime" | "clock_time_get_monotonic" => {
            assert!(fast, "{call} has no declined case");
            let id = if call.ends_with("realtime") { REALTIME } else { MONOTONIC };
            for i in 0..n {
                ok(&call, i, unsafe { p1::clock_time_get(id, 1, out(&mut time)) });
            }
        }
        "random_get" => {
            assert!(fast, "{call} has no declined case");
            for i in 0..n {
                ok(&call, i, unsafe { p1::random_get(out(&mut random[..]), random.len() as u32) });
            }
        }
        other => panic!("unknown call {other:?}"),
    }
}
