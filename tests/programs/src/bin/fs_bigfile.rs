//! A 64 MiB file: written in 1 MiB chunks, read back in chunks of 1 MiB + 1,
//! overwritten in place with chunks of 1 MiB - 1 at misaligned offsets, read
//! back with pread in 1 MiB chunks and with std::fs::read; checksums printed.
#[path = "fs_common.rs"]
mod fs;
use fs::*;
use std::collections::BTreeMap;

const SIZE: u64 = 64 << 20;
const MIB: usize = 1 << 20;

fn fill(buf: &mut Vec<u8>, seed: u64, at: u64, len: usize) {
    buf.clear();
    buf.extend((0..len as u64).map(|i| pattern(seed, at + i)));
}

fn sizes(m: &BTreeMap<u32, u32>) -> String {
    m.iter().map(|(s, n)| format!("{s}x{n}")).collect::<Vec<_>>().join(",")
}

fn main() {
    let fd = must_open(PRE, "big.bin", CREAT | TRUNC, 0);
    let mut buf = Vec::with_capacity(MIB + 1);
    let (mut sum, mut at, mut calls) = (FNV0, 0u64, BTreeMap::new());
    while at < SIZE {
        let len = MIB.min((SIZE - at) as usize);
        fill(&mut buf, 1, at, len);
        let (e, n) = write(fd, &buf);
        assert_eq!(e, 0, "write at {at}: {}", en(e));
        *calls.entry(n).or_insert(0) += 1;
        sum = fnv(sum, &buf[..n as usize]);
        at += n as u64;
    }
    println!("wrote {at} bytes: writes {} checksum {sum:#x} tell={:?}", sizes(&calls), tell(fd));
    print_fstat("after writing", fd);

    seek(fd, 0, 0);
    let (mut rsum, mut total, mut calls) = (FNV0, 0u64, BTreeMap::new());
    loop {
        let (e, data) = read(fd, MIB + 1);
        assert_eq!(e, 0, "read at {total}: {}", en(e));
        *calls.entry(data.len() as u32).or_insert(0) += 1;
        if data.is_empty() {
            break;
        }
        rsum = fnv(rsum, &data);
        total += data.len() as u64;
    }
    println!("read {total} bytes in chunks of 1 MiB + 1: reads {} checksum {rsum:#x} same={}", sizes(&calls), rsum == sum);

    // Overwrite with another pattern, chunks of 1 MiB - 1 from offset 1 (byte 0 stays).
    let (mut at, mut calls) = (1u64, BTreeMap::new());
    while at < SIZE {
        let len = (MIB - 1).min((SIZE - at) as usize);
        fill(&mut buf, 2, at, len);
        let (e, n) = pwritev(fd, &[&buf], at);
        assert_eq!(e, 0, "pwrite at {at}: {}", en(e));
        *calls.entry(n).or_insert(0) += 1;
        at += n as u64;
    }
    println!("pwrote up to {at}: pwrites {} tell={:?}", sizes(&calls), tell(fd));
    let mut expect = fnv(FNV0, &[pattern(1, 0)]);
    let mut at = 1u64;
    while at < SIZE {
        let len = MIB.min((SIZE - at) as usize);
        fill(&mut buf, 2, at, len);
        expect = fnv(expect, &buf);
        at += len as u64;
    }
    let (mut psum, mut at, mut calls) = (FNV0, 0u64, BTreeMap::new());
    loop {
        let (e, data) = pread(fd, MIB, at);
        assert_eq!(e, 0, "pread at {at}: {}", en(e));
        *calls.entry(data.len() as u32).or_insert(0) += 1;
        if data.is_empty() {
            break;
        }
        psum = fnv(psum, &data);
        at += data.len() as u64;
    }
    println!("pread {at} bytes in chunks of 1 MiB: preads {} checksum {psum:#x} as expected={}", sizes(&calls), psum == expect);
    // Misaligned reads around chunk boundaries.
    for off in [MIB as u64 - 1, MIB as u64, 3 * MIB as u64 + 7, SIZE - 3, SIZE - 1, SIZE, SIZE + 1] {
        let (e, data) = pread(fd, 5, off);
        println!("pread 5 at {off}: {} {:?}", en(e), data);
    }
    close(fd);
    let all = std::fs::read("/sandbox/big.bin").unwrap();
    println!("std::fs::read: {} bytes checksum {:#x} as expected={}", all.len(), fnv(FNV0, &all), fnv(FNV0, &all) == expect);
}
