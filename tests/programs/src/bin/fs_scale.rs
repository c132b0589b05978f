//! Lists one directory (the first argument) with 64-byte fd_readdir buffers,
//! resuming from the last complete entry's cookie, and prints only a summary:
//! for the scaling tests, which count host calls per entry.
#[path = "fs_common.rs"]
mod fs;
use fs::*;

fn main() {
    let dir = case();
    let len: usize = std::env::args().nth(2).map(|s| s.parse().unwrap()).unwrap_or(64);
    let (e, fd) = open_raw(PRE, 0, dir.as_bytes(), DIRECTORY, R_READ | R_READDIR, 0, 0);
    assert_eq!(e, 0, "open {dir}: {}", en(e));
    let mut buf = vec![0u8; len];
    let (mut cookie, mut calls, mut entries, mut files, mut dirs, mut namesum) = (0u64, 0u64, 0u64, 0u64, 0u64, 0u64);
    let mut seen_nonzero_ino = 0u64;
    loop {
        let mut used = 0u32;
        let e = unsafe { p1::fd_readdir(fd, out(&mut buf[..]), len as u32, cookie, out(&mut used)) };
        assert_eq!(e, 0, "fd_readdir: {}", en(e));
        calls += 1;
        let (list, _) = parse_dirents(&buf[..used as usize]);
        for d in &list {
            entries += 1;
            match d.kind {
                3 => dirs += 1,
                4 => files += 1,
                _ => {}
            }
            if d.ino != 0 {
                seen_nonzero_ino += 1;
            }
            namesum = namesum.wrapping_add(fnv(FNV0, &d.name));
        }
        if let Some(last) = list.last() {
            cookie = last.next;
        }
        if (used as usize) < len {
            break;
        }
        assert!(!list.is_empty(), "an entry does not fit in {len} bytes");
    }
    println!("entries={entries} files={files} dirs={dirs} nonzero_ino={seen_nonzero_ino} namesum={namesum:#x} last_cookie={cookie} calls={calls}");
}
