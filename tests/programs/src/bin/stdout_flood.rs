//! Writes 16 MiB to stdout through the raw fd_write in writes of many sizes
//! and iovec shapes; every call's result goes to stderr as a checksum.
use p1_programs::{addr, out, p1};

fn main() {
    let total: usize = 16 << 20;
    let data: Vec<u8> = (0..total).map(|i| (i * 7 + i / 4096) as u8).collect();
    let sizes = [1usize, 7, 4095, 4096, 4097, 65536, 100_000, 1 << 20, 3];
    let (mut at, mut i, mut calls, mut check) = (0usize, 0usize, 0u64, 0u64);
    while at < total {
        let len = sizes[i % sizes.len()].min(total - at);
        // Alternate shapes: one iovec; an empty iovec first; two iovecs (native writes the first non-empty only).
        let iovs: Vec<[u32; 2]> = match i % 3 {
            0 => vec![[addr(&data[at..]), len as u32]],
            1 => vec![[0, 0], [addr(&data[at..]), len as u32]],
            _ => vec![[addr(&data[at..]), len as u32], [addr(&data[at..]), len.min(10) as u32]],
        };
        let mut n = 0u32;
        let e = unsafe { p1::fd_write(1, addr(&iovs[..]), iovs.len() as u32, out(&mut n)) };
        assert_eq!(e, 0);
        at += n as usize;
        calls += 1;
        check = check.wrapping_mul(31).wrapping_add(n as u64);
        i += 1;
    }
    eprintln!("calls={calls} check={check}");
}
