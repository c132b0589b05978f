//! Raw fd_read on stdin and fd_write on stdout/stderr: many sizes and iovec
//! shapes, end of file, large output, a closed stdout. The first argument
//! names the case. The log of every call goes to stderr; data read from stdin
//! is echoed to stdout.
use p1_programs::{addr, case, out, p1};

const UNTOUCHED: u32 = 0xdead;

fn log(text: &str) {
    let line = format!("{text}\n");
    let iov = [addr(line.as_bytes()), line.len() as u32];
    let mut n = 0u32;
    let e = unsafe { p1::fd_write(2, addr(&iov[..]), 1, out(&mut n)) };
    assert!(e == 0 && n as usize == line.len());
}

/// Writes `iovs` ([ptr, len] pairs) to `fd`; returns (errno, nwritten).
fn writev(fd: u32, iovs: &[[u32; 2]]) -> (i32, u32) {
    let mut n = UNTOUCHED;
    let e = unsafe { p1::fd_write(fd, addr(iovs), iovs.len() as u32, out(&mut n)) };
    (e, n)
}

fn readv(fd: u32, iovs: &[[u32; 2]]) -> (i32, u32) {
    let mut n = UNTOUCHED;
    let e = unsafe { p1::fd_read(fd, addr(iovs), iovs.len() as u32, out(&mut n)) };
    (e, n)
}

fn fnv(data: &[u8]) -> u32 {
    data.iter().fold(0x811c9dc5u32, |h, &b| (h ^ b as u32).wrapping_mul(0x01000193))
}

/// Iovec shapes: 0 one buffer; 1 an empty iovec first; 2 two buffers (native
/// fills only the first); 3 a zero-length buffer alone; 4 no iovecs at all.
fn shape(k: usize, buf: u32, len: u32, second: u32) -> Vec<[u32; 2]> {
    match k % 5 {
        0 => vec![[buf, len]],
        1 => vec![[buf, 0], [0, 0], [buf, len]],
        2 => vec![[buf, len], [second, 16]],
        3 => vec![[buf, 0]],
        _ => vec![],
    }
}

fn main() {
    let c = case();
    match c.as_str() {
        "read-sizes" => {
            let sizes = [1usize, 2, 3, 7, 16, 100, 4095, 4096, 4097, 65535, 65536, 65537, 100_000, 1 << 20];
            let mut buf = vec![0u8; 1 << 20];
            let mut second = [0x55u8; 16];
            let mut all = Vec::new();
            let mut calls = 0;
            let mut eofs = 0;
            while eofs < 3 {
                let size = sizes[calls % sizes.len()];
                let k = calls / sizes.len() * 2 + calls;
                let iovs = shape(k, out(&mut buf[..]), size as u32, out(&mut second[..]));
                let (e, n) = readv(0, &iovs);
                log(&format!("read #{calls} size={size} shape={}: e={e} n={n} second_untouched={}", k % 5, second.iter().all(|&b| b == 0x55)));
                if e == 0 {
                    let len = iovs.iter().map(|v| v[1]).find(|&l| l > 0).unwrap_or(0);
                    assert!(n <= len);
                    all.extend_from_slice(&buf[..n as usize]);
                    if n == 0 && len > 0 {
                        eofs += 1;
                    }
                }
                calls += 1;
                assert!(calls < 10_000);
            }
            let iovs = [[out(&mut buf[..]), 0u32]];
            log(&format!("zero-length read at eof: {:?}", readv(0, &iovs)));
            log(&format!("no iovecs at eof: {:?}", readv(0, &[])));
            log(&format!("total {} bytes, fnv {:08x}", all.len(), fnv(&all)));
            let (e, n) = writev(1, &[[addr(&all[..]), all.len() as u32]]);
            log(&format!("echo: e={e} n={n}"));
        }
        "write-sizes" => {
            let sizes = [0usize, 1, 2, 4095, 4096, 4097, 8191, 8192, 65535, 65536, 65537, 1 << 20, (3 << 20) + 5];
            let data: Vec<u8> = (0..(5usize << 20)).map(|i| b'a' + (i % 23) as u8 + if i % 97 == 0 { 100 } else { 0 }).collect();
            let second = b"SECOND-IOVEC-XYZ";
            let mut at = 0;
            for round in 0..2 {
                for (i, &size) in sizes.iter().enumerate() {
                    for k in 0..5 {
                        let fd = if (i + k + round) % 4 == 3 { 2 } else { 1 };
                        let start = at % (1 << 20);
                        let iovs = shape(k, addr(&data[start..]), size as u32, addr(&second[..]));
                        let (e, n) = writev(fd, &iovs);
                        // Lines to stderr stay short: the data itself is what stdout/stderr compare.
                        log(&format!("\nwrite fd={fd} size={size} shape={k}: e={e} n={n}"));
                        at += 7919;
                    }
                }
            }
        }
        "flood-64k" => {
            let data: Vec<u8> = (0..(4u32 << 20)).map(|i| (i.wrapping_mul(2654435761) >> 24) as u8).collect();
            let (mut full, mut calls) = (0, 0);
            for chunk in data.chunks(64 << 10) {
                let (e, n) = writev(1, &[[addr(chunk), chunk.len() as u32]]);
                calls += 1;
                if e == 0 && n as usize == chunk.len() {
                    full += 1;
                } else {
                    log(&format!("short write #{calls}: e={e} n={n}"));
                }
            }
            log(&format!("calls={calls} full={full} fnv={:08x}", fnv(&data)));
        }
        "many-small" => {
            // 100,000 tiny writes, alternating stdout and stderr.
            let mut bad = 0;
            for i in 0..100_000u32 {
                let text = format!("{i}\n");
                let (e, n) = writev(1 + i % 2, &[[addr(text.as_bytes()), text.len() as u32]]);
                if e != 0 || n as usize != text.len() {
                    bad += 1;
                }
            }
            log(&format!("bad={bad}"));
        }
        "closed-stdout" => {
            let data = vec![b'x'; 70_000];
            for size in [0u32, 1, 4096, 4097, 65536, 70_000] {
                for k in 0..5 {
                    let iovs = shape(k, addr(&data[..]), size, addr(&data[..]));
                    let (e, n) = writev(1, &iovs);
                    log(&format!("closed stdout: size={size} shape={k}: e={e} n={n}"));
                }
            }
            let mut st = [0xeeu8; 24];
            log(&format!("fdstat(1)={} {:?}", unsafe { p1::fd_fdstat_get(1, out(&mut st[..])) }, st));
            // std's stdout reports the error of the write.
            use std::io::Write;
            let r = std::io::stdout().write(b"via std\n");
            log(&format!("std write: {:?}", r.map_err(|e| e.raw_os_error())));
            let r = std::io::stdout().flush();
            log(&format!("std flush: {:?}", r.map_err(|e| e.raw_os_error())));
            log(&format!("close(1)={} then write: {:?}", unsafe { p1::fd_close(1) }, writev(1, &[[addr(&data[..]), 3]])));
        }
        "closed-stdin" => {
            let mut buf = [0u8; 64];
            for size in [0u32, 1, 64] {
                for k in 0..5 {
                    let iovs = shape(k, out(&mut buf[..]), size, out(&mut buf[32..]));
                    log(&format!("closed stdin: size={size} shape={k}: {:?}", readv(0, &iovs)));
                }
            }
        }
        other => panic!("unknown case {other:?}"),
    }
}
