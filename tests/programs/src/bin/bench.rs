//! The workloads of the benchmark (`tests/src/bin/bench.rs`):
//! `bench <workload> <iterations>`. Each workload does its set-up, then
//! `iterations` times the one preview1 operation it measures, with as little
//! guest work around the calls as possible (raw imports, buffers allocated
//! once). The host subtracts a zero-iteration run, which does the same
//! set-up, so only the loop is measured. At exit the program writes
//! `pages=N` (linear memory size in 64 KiB pages) to stderr: memory never
//! shrinks, so that is the peak, adapter pages included.
use p1_programs::{addr, out, p1};

#[link(wasm_import_module = "wasi_snapshot_preview1")]
extern "C" {
    fn path_filestat_get(fd: u32, flags: u32, path: u32, len: u32, out: u32) -> i32;
}

/// The preopened directory (`/sandbox`).
const PRE: u32 = 3;
const CREAT: u32 = 1;
const DIRECTORY: u32 = 2;
const TRUNC: u32 = 8;
const R_ALL: u64 = (1 << 30) - 1;
const R_READDIR: u64 = 1 << 14;
const MONOTONIC: u32 = 1;

#[repr(C)]
struct Iovec {
    buf: u32,
    len: u32,
}

fn open(path: &str, oflags: u32) -> u32 {
    let mut fd = 0u32;
    let rights = if oflags & DIRECTORY != 0 { R_READDIR } else { R_ALL };
    let e = unsafe { p1::path_open(PRE, 1, addr(path.as_bytes()), path.len() as u32, oflags, rights, rights, 0, out(&mut fd)) };
    assert_eq!(e, 0, "path_open {path}");
    fd
}

fn check(e: i32, what: &str) {
    if e != 0 {
        panic!("{what}: errno {e}");
    }
}

/// Reads `fd` from its position in `chunk`-byte reads, `n` reads in all,
/// going back to the start at end of file (one `fd_seek` per file length).
fn read_chunks(n: u64, chunk: usize) {
    let fd = open("big", 0);
    let mut buf = vec![0u8; chunk];
    let iov = Iovec { buf: addr(&buf[..]), len: chunk as u32 };
    let mut got = 0u32;
    let mut total = 0u64;
    for _ in 0..n {
        check(unsafe { p1::fd_read(fd, addr(&iov), 1, out(&mut got)) }, "fd_read");
        if got == 0 {
            let mut pos = 0u64;
            check(unsafe { p1::fd_seek(fd, 0, 0, out(&mut pos)) }, "fd_seek");
        }
        total += got as u64;
    }
    buf[0] = total as u8;
    std::hint::black_box(&buf);
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let workload = args.get(1).map(String::as_str).unwrap_or("hello");
    let n: u64 = args.get(2).map(|s| s.parse().unwrap()).unwrap_or(0);
    match workload {
        "hello" => println!("Hello, world!"),
        "write" => {
            // Small unbuffered writes to a file: one fd_write of 16 bytes each.
            let fd = open("out", CREAT | TRUNC);
            let data = *b"0123456789abcdef";
            let iov = Iovec { buf: addr(&data[..]), len: 16 };
            let mut done = 0u32;
            for _ in 0..n {
                check(unsafe { p1::fd_write(fd, addr(&iov), 1, out(&mut done)) }, "fd_write");
            }
        }
        "read4k" => read_chunks(n, 4096),
        "read64k" => read_chunks(n, 65536),
        "open" => {
            // path_open of an existing file, then fd_close.
            let path = b"small";
            for _ in 0..n {
                let mut fd = 0u32;
                check(unsafe { p1::path_open(PRE, 1, addr(&path[..]), 5, 0, R_ALL, R_ALL, 0, out(&mut fd)) }, "path_open");
                check(unsafe { p1::fd_close(fd) }, "fd_close");
            }
        }
        "stat" => {
            let path = b"small";
            let mut st = [0u64; 8];
            for _ in 0..n {
                check(unsafe { path_filestat_get(PRE, 1, addr(&path[..]), 5, out(&mut st)) }, "path_filestat_get");
            }
        }
        "readdir_std" => {
            // One iteration: list the 1,000-entry directory with std.
            for _ in 0..n {
                let count = std::fs::read_dir("/sandbox/dir").unwrap().count();
                assert_eq!(count, 1000);
            }
        }
        "readdir_raw" => {
            // One iteration: list the 1,000-entry directory (plus . and ..)
            // with fd_readdir into a 256-byte buffer, resuming at the cookie
            // of the last whole entry.
            let fd = open("dir", DIRECTORY);
            let mut buf = [0u8; 256];
            for _ in 0..n {
                let mut cookie = 0u64;
                let mut entries = 0;
                loop {
                    let mut used = 0u32;
                    check(unsafe { p1::fd_readdir(fd, out(&mut buf), 256, cookie, out(&mut used)) }, "fd_readdir");
                    let used = used as usize;
                    let mut at = 0;
                    while at + 24 <= used {
                        let namlen = u32::from_le_bytes(buf[at + 16..at + 20].try_into().unwrap()) as usize;
                        if at + 24 + namlen > used {
                            break;
                        }
                        cookie = u64::from_le_bytes(buf[at..at + 8].try_into().unwrap());
                        entries += 1;
                        at += 24 + namlen;
                    }
                    if used < 256 {
                        break;
                    }
                }
                assert_eq!(entries, 1002);
            }
        }
        "clock" => {
            let mut t = 0u64;
            for _ in 0..n {
                check(unsafe { p1::clock_time_get(MONOTONIC, 1, out(&mut t)) }, "clock_time_get");
            }
            std::hint::black_box(t);
        }
        "random" => {
            let mut buf = [0u8; 16];
            for _ in 0..n {
                check(unsafe { p1::random_get(out(&mut buf), 16) }, "random_get");
            }
            std::hint::black_box(buf);
        }
        "seek" => {
            // One iteration: fd_seek to an absolute offset, then fd_tell.
            let fd = open("small", 0);
            let mut pos = 0u64;
            for i in 0..n {
                check(unsafe { p1::fd_seek(fd, (i & 63) as i64, 0, out(&mut pos)) }, "fd_seek");
                check(unsafe { p1::fd_tell(fd, out(&mut pos)) }, "fd_tell");
            }
        }
        "println" => {
            // Lines to stdout, a pipe: std's line buffering makes one fd_write a line.
            for i in 0..n {
                println!("line {i}");
            }
        }
        "environ" => {
            // One iteration: environ_sizes_get + environ_get (1,000 variables).
            let (mut count, mut size) = (0u32, 0u32);
            check(unsafe { p1::environ_sizes_get(out(&mut count), out(&mut size)) }, "environ_sizes_get");
            let mut ptrs = vec![0u32; count as usize];
            let mut bytes = vec![0u8; size as usize];
            for _ in 0..n {
                check(unsafe { p1::environ_sizes_get(out(&mut count), out(&mut size)) }, "environ_sizes_get");
                check(unsafe { p1::environ_get(out(&mut ptrs[..]), out(&mut bytes[..])) }, "environ_get");
            }
            std::hint::black_box((&ptrs, &bytes));
        }
        "args" => {
            // One iteration: args_sizes_get + args_get (the program name, the
            // workload, the count and the benchmark's extra arguments).
            let (mut count, mut size) = (0u32, 0u32);
            check(unsafe { p1::args_sizes_get(out(&mut count), out(&mut size)) }, "args_sizes_get");
            let mut ptrs = vec![0u32; count as usize];
            let mut bytes = vec![0u8; size as usize];
            for _ in 0..n {
                check(unsafe { p1::args_sizes_get(out(&mut count), out(&mut size)) }, "args_sizes_get");
                check(unsafe { p1::args_get(out(&mut ptrs[..]), out(&mut bytes[..])) }, "args_get");
            }
            std::hint::black_box((&ptrs, &bytes));
        }
        "poll" => {
            // poll_oneoff with one relative monotonic-clock subscription, timeout 0.
            let mut sub = [0u8; 48];
            sub[0..8].copy_from_slice(&7u64.to_le_bytes()); // userdata
            sub[8] = 0; // eventtype clock
            sub[16..20].copy_from_slice(&MONOTONIC.to_le_bytes());
            // timeout 0 (bytes 24..32), precision 0, flags 0 (relative)
            let mut event = [0u8; 32];
            let mut nevents = 0u32;
            for _ in 0..n {
                check(unsafe { p1::poll_oneoff(addr(&sub[..]), out(&mut event[..]), 1, out(&mut nevents)) }, "poll_oneoff");
            }
            assert!(n == 0 || nevents == 1);
        }
        other => panic!("unknown workload {other}"),
    }
    eprintln!("pages={}", core::arch::wasm32::memory_size(0));
}
