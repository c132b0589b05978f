//! A program whose memory is full but for `FREE` pages when it first calls
//! preview1 (each `mem_full_<FREE>` binary includes this file with its own
//! `FREE`). It allocates everything it needs first, grows memory up to its
//! maximum minus `FREE` pages, and then makes its first preview1 calls:
//! stdout, args, environment, clock, random, a file's whole life, a stat and
//! a directory listing. The results go to stdout at the end, from memory
//! allocated before.

use std::fmt::Write as _;

use p1_programs::{addr, out, p1};

const MAX_PAGES: usize = 8 * 1024 * 1024 / 65536;

pub fn run(free: usize) {
    let mut log = String::with_capacity(4096);
    let mut buf = vec![0u8; 4096];
    let mut ptrs = vec![0u32; 64];
    let before = core::arch::wasm32::memory_size(0);
    let grown = core::arch::wasm32::memory_grow(0, MAX_PAGES - free - before);
    assert_ne!(grown, usize::MAX);
    // The guest's own data fills what it grew (its heap, say).
    let heap = (before * 65536) as *mut u8;
    unsafe { core::ptr::write_bytes(heap, 0x5a, (MAX_PAGES - free - before) * 65536) };
    let heap_sum = || unsafe { core::slice::from_raw_parts(heap, (MAX_PAGES - free - before) * 65536) }.iter().map(|&b| b as u64).sum::<u64>();
    let heap_before = heap_sum();

    let first = b"first call\n";
    let iov = [addr(&first[..]), first.len() as u32];
    let mut n = 0u32;
    let e = unsafe { p1::fd_write(1, addr(&iov), 1, out(&mut n)) };
    writeln!(log, "fd_write(stdout): {e} {n}").unwrap();

    let (mut count, mut size) = (0u32, 0u32);
    let e = unsafe { p1::args_sizes_get(out(&mut count), out(&mut size)) };
    let e2 = unsafe { p1::args_get(out(&mut ptrs[..]), out(&mut buf[..])) };
    writeln!(log, "args: {e} {e2} {count} {:?}", String::from_utf8_lossy(&buf[..size as usize])).unwrap();

    let e = unsafe { p1::environ_sizes_get(out(&mut count), out(&mut size)) };
    let e2 = unsafe { p1::environ_get(out(&mut ptrs[..]), out(&mut buf[..])) };
    writeln!(log, "environ: {e} {e2} {count} {:?}", String::from_utf8_lossy(&buf[..size as usize])).unwrap();

    let mut t = 0u64;
    let e = unsafe { p1::clock_time_get(1, 1, out(&mut t)) };
    let e2 = unsafe { p1::random_get(out(&mut buf[..]), 64) };
    writeln!(log, "clock {e} {}, random {e2}", t > 0).unwrap();

    let name = b"full.txt";
    let mut fd = u32::MAX;
    let e = unsafe { p1::path_open(3, 0, addr(&name[..]), name.len() as u32, 1, (1 << 30) - 1, (1 << 30) - 1, 0, out(&mut fd)) };
    writeln!(log, "path_open: {e}").unwrap();
    if e == 0 {
        let data = b"written with a full memory\n";
        let iov = [addr(&data[..]), data.len() as u32];
        let e1 = unsafe { p1::fd_write(fd, addr(&iov), 1, out(&mut n)) };
        let mut pos = 0u64;
        let e2 = unsafe { p1::fd_seek(fd, 0, 0, out(&mut pos)) };
        let iov = [out(&mut buf[..]), 100];
        let e3 = unsafe { p1::fd_read(fd, addr(&iov), 1, out(&mut n)) };
        writeln!(log, "write {e1}, seek {e2}, read {e3}: {:?}", String::from_utf8_lossy(&buf[..n as usize])).unwrap();
        writeln!(log, "close: {}", unsafe { p1::fd_close(fd) }).unwrap();
    }
    let mut stat = [0u64; 8];
    let e = unsafe { p1::fd_filestat_get(3, out(&mut stat)) };
    writeln!(log, "preopen filestat: {e} type {}", stat[2] as u8).unwrap();
    let mut used = 0u32;
    let e = unsafe { p1::fd_readdir(3, out(&mut buf[..]), 4096, 0, out(&mut used)) };
    writeln!(log, "readdir: {e} {used} bytes").unwrap();

    // Not the page count: through an adapter it includes the adapter's pages.
    writeln!(log, "program data intact: {}", heap_sum() == heap_before).unwrap();
    let iov = [addr(log.as_bytes()), log.len() as u32];
    unsafe { p1::fd_write(1, addr(&iov), 1, out(&mut n)) };
}
