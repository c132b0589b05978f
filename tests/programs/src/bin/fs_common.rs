//! Shared helpers of the `fs_*` programs, included by each with
//! `#[path = "fs_common.rs"] mod fs;`. Built on its own it is a binary that
//! does nothing.
#![allow(dead_code, unused_imports)]

pub use p1_programs::{addr, case, out, p1};

/// The preview1 path calls `p1_programs::p1` does not declare.
pub mod px {
    #[link(wasm_import_module = "wasi_snapshot_preview1")]
    extern "C" {
        pub fn path_filestat_get(fd: u32, flags: u32, path: u32, len: u32, out: u32) -> i32;
        pub fn path_filestat_set_times(fd: u32, flags: u32, path: u32, len: u32, atim: u64, mtim: u64, fst: u32) -> i32;
        pub fn path_link(old_fd: u32, old_flags: u32, old: u32, old_len: u32, new_fd: u32, new: u32, new_len: u32) -> i32;
        pub fn path_readlink(fd: u32, path: u32, len: u32, buf: u32, buf_len: u32, used: u32) -> i32;
        pub fn path_remove_directory(fd: u32, path: u32, len: u32) -> i32;
        pub fn path_rename(fd: u32, old: u32, old_len: u32, new_fd: u32, new: u32, new_len: u32) -> i32;
        pub fn path_symlink(old: u32, old_len: u32, fd: u32, new: u32, new_len: u32) -> i32;
    }
}

pub const PRE: u32 = 3;

// oflags
pub const CREAT: u32 = 1;
pub const DIRECTORY: u32 = 2;
pub const EXCL: u32 = 4;
pub const TRUNC: u32 = 8;
// fdflags
pub const APPEND: u32 = 1;
pub const DSYNC: u32 = 2;
pub const NONBLOCK: u32 = 4;
pub const RSYNC: u32 = 8;
pub const SYNC: u32 = 16;
// lookupflags
pub const FOLLOW: u32 = 1;
// fstflags
pub const ATIM: u32 = 1;
pub const ATIM_NOW: u32 = 2;
pub const MTIM: u32 = 4;
pub const MTIM_NOW: u32 = 8;
// rights
pub const R_READ: u64 = 1 << 1;
pub const R_SEEK: u64 = 1 << 2;
pub const R_TELL: u64 = 1 << 5;
pub const R_WRITE: u64 = 1 << 6;
pub const R_READDIR: u64 = 1 << 14;
pub const R_ALL: u64 = (1 << 30) - 1;
pub const RW: u64 = R_READ | R_WRITE | R_SEEK | R_TELL;

/// An errno with its name, e.g. `44/NOENT`.
pub fn en(e: i32) -> String {
    const NAMES: [&str; 77] = [
        "OK", "2BIG", "ACCES", "ADDRINUSE", "ADDRNOTAVAIL", "AFNOSUPPORT", "AGAIN", "ALREADY", "BADF", "BADMSG",
        "BUSY", "CANCELED", "CHILD", "CONNABORTED", "CONNREFUSED", "CONNRESET", "DEADLK", "DESTADDRREQ", "DOM",
        "DQUOT", "EXIST", "FAULT", "FBIG", "HOSTUNREACH", "IDRM", "ILSEQ", "INPROGRESS", "INTR", "INVAL", "IO",
        "ISCONN", "ISDIR", "LOOP", "MFILE", "MLINK", "MSGSIZE", "MULTIHOP", "NAMETOOLONG", "NETDOWN", "NETRESET",
        "NETUNREACH", "NFILE", "NOBUFS", "NODEV", "NOENT", "NOEXEC", "NOLCK", "NOLINK", "NOMEM", "NOMSG",
        "NOPROTOOPT", "NOSPC", "NOSYS", "NOTCONN", "NOTDIR", "NOTEMPTY", "NOTRECOVERABLE", "NOTSOCK", "NOTSUP",
        "NOTTY", "NXIO", "OVERFLOW", "OWNERDEAD", "PERM", "PIPE", "PROTO", "PROTONOSUPPORT", "PROTOTYPE", "RANGE",
        "ROFS", "SPIPE", "SRCH", "STALE", "TIMEDOUT", "TXTBSY", "XDEV", "NOTCAPABLE",
    ];
    match NAMES.get(e as usize) {
        Some(n) if e > 0 => format!("{e}/{n}"),
        _ => format!("{e}"),
    }
}

pub fn open_raw(dir: u32, lookup: u32, path: &[u8], oflags: u32, base: u64, inh: u64, fdflags: u32) -> (i32, u32) {
    let mut fd = 0xdead_beefu32;
    let e = unsafe { p1::path_open(dir, lookup, addr(path), path.len() as u32, oflags, base, inh, fdflags, out(&mut fd)) };
    (e, fd)
}

/// `path_open`, printing the call and its result; returns the fd or u32::MAX.
pub fn open(label: &str, dir: u32, lookup: u32, path: &[u8], oflags: u32, base: u64, fdflags: u32) -> u32 {
    let (e, fd) = open_raw(dir, lookup, path, oflags, base, base, fdflags);
    if e == 0 {
        println!("{label}: open {} -> fd {fd}", show(path));
        fd
    } else {
        println!("{label}: open {} -> {}", show(path), en(e));
        u32::MAX
    }
}

/// Opens for reading and writing (creating it) without printing.
pub fn must_open(dir: u32, path: &str, oflags: u32, fdflags: u32) -> u32 {
    let (e, fd) = open_raw(dir, 0, path.as_bytes(), oflags, RW, RW, fdflags);
    assert_eq!(e, 0, "open {path}: {}", en(e));
    fd
}

pub fn show(path: &[u8]) -> String {
    format!("{:?}", String::from_utf8_lossy(path))
}

pub fn close(fd: u32) -> i32 {
    unsafe { p1::fd_close(fd) }
}

/// `fd_write` with one iovec per slice.
pub fn writev(fd: u32, bufs: &[&[u8]]) -> (i32, u32) {
    let iovs: Vec<[u32; 2]> = bufs.iter().map(|b| [addr(*b), b.len() as u32]).collect();
    let mut n = 0xdead_beefu32;
    let e = unsafe { p1::fd_write(fd, addr(&iovs[..]), iovs.len() as u32, out(&mut n)) };
    (e, if e == 0 { n } else { 0 })
}

pub fn write(fd: u32, data: &[u8]) -> (i32, u32) {
    writev(fd, &[data])
}

pub fn pwritev(fd: u32, bufs: &[&[u8]], offset: u64) -> (i32, u32) {
    let iovs: Vec<[u32; 2]> = bufs.iter().map(|b| [addr(*b), b.len() as u32]).collect();
    let mut n = 0xdead_beefu32;
    let e = unsafe { p1::fd_pwrite(fd, addr(&iovs[..]), iovs.len() as u32, offset, out(&mut n)) };
    (e, if e == 0 { n } else { 0 })
}

/// `fd_read` into buffers of the given lengths (pre-filled with b'.');
/// returns the errno, the count and every buffer's contents.
pub fn readv(fd: u32, lens: &[usize]) -> (i32, u32, Vec<Vec<u8>>) {
    let mut bufs: Vec<Vec<u8>> = lens.iter().map(|&l| vec![b'.'; l]).collect();
    let iovs: Vec<[u32; 2]> = bufs.iter_mut().map(|b| [out(&mut b[..]), b.len() as u32]).collect();
    let mut n = 0xdead_beefu32;
    let e = unsafe { p1::fd_read(fd, addr(&iovs[..]), iovs.len() as u32, out(&mut n)) };
    (e, n, bufs)
}

pub fn preadv(fd: u32, lens: &[usize], offset: u64) -> (i32, u32, Vec<Vec<u8>>) {
    let mut bufs: Vec<Vec<u8>> = lens.iter().map(|&l| vec![b'.'; l]).collect();
    let iovs: Vec<[u32; 2]> = bufs.iter_mut().map(|b| [out(&mut b[..]), b.len() as u32]).collect();
    let mut n = 0xdead_beefu32;
    let e = unsafe { p1::fd_pread(fd, addr(&iovs[..]), iovs.len() as u32, offset, out(&mut n)) };
    (e, n, bufs)
}

/// Reads up to `len` bytes at the current position; (errno, bytes).
pub fn read(fd: u32, len: usize) -> (i32, Vec<u8>) {
    let (e, n, mut b) = readv(fd, &[len]);
    let mut b = b.remove(0);
    b.truncate(if e == 0 { n as usize } else { 0 });
    (e, b)
}

pub fn pread(fd: u32, len: usize, offset: u64) -> (i32, Vec<u8>) {
    let (e, n, mut b) = preadv(fd, &[len], offset);
    let mut b = b.remove(0);
    b.truncate(if e == 0 { n as usize } else { 0 });
    (e, b)
}

pub fn seek(fd: u32, offset: i64, whence: u32) -> (i32, u64) {
    let mut pos = 0xdead_beef_u64;
    let e = unsafe { p1::fd_seek(fd, offset, whence, out(&mut pos)) };
    (e, pos)
}

pub fn tell(fd: u32) -> (i32, u64) {
    let mut pos = 0xdead_beef_u64;
    let e = unsafe { p1::fd_tell(fd, out(&mut pos)) };
    (e, pos)
}

#[derive(Clone, Copy, Debug, Default)]
pub struct Filestat {
    pub dev: u64,
    pub ino: u64,
    pub filetype: u8,
    pub nlink: u64,
    pub size: u64,
    pub atim: u64,
    pub mtim: u64,
    pub ctim: u64,
}

impl Filestat {
    fn parse(b: &[u64; 8]) -> Filestat {
        Filestat { dev: b[0], ino: b[1], filetype: b[2] as u8, nlink: b[3], size: b[4], atim: b[5], mtim: b[6], ctim: b[7] }
    }

    /// Everything deterministic: dev, type, nlink; size only for non-directories.
    pub fn brief(&self) -> String {
        let size = if self.filetype == 3 { "-".to_string() } else { self.size.to_string() };
        format!("dev={} type={} nlink={} size={size} ino_nonzero={}", self.dev, self.filetype, self.nlink, self.ino != 0)
    }
}

pub fn fstat(fd: u32) -> (i32, Filestat) {
    let mut b = [0xeeee_eeee_eeee_eeeeu64; 8];
    let e = unsafe { p1::fd_filestat_get(fd, out(&mut b)) };
    (e, Filestat::parse(&b))
}

pub fn pstat(dir: u32, lookup: u32, path: &[u8]) -> (i32, Filestat) {
    let mut b = [0xeeee_eeee_eeee_eeeeu64; 8];
    let e = unsafe { px::path_filestat_get(dir, lookup, addr(path), path.len() as u32, out(&mut b)) };
    (e, Filestat::parse(&b))
}

/// Prints `fd_filestat_get` briefly.
pub fn print_fstat(label: &str, fd: u32) {
    let (e, st) = fstat(fd);
    if e == 0 {
        println!("{label}: fstat({fd}) {}", st.brief());
    } else {
        println!("{label}: fstat({fd}) -> {}", en(e));
    }
}

pub fn print_pstat(label: &str, dir: u32, lookup: u32, path: &[u8]) {
    let (e, st) = pstat(dir, lookup, path);
    if e == 0 {
        println!("{label}: stat {} follow={} {}", show(path), lookup, st.brief());
    } else {
        println!("{label}: stat {} follow={} -> {}", show(path), lookup, en(e));
    }
}

/// fd_fdstat_get: (errno, filetype, flags, base, inheriting).
pub fn fdstat(fd: u32) -> (i32, u8, u16, u64, u64) {
    let mut b = [0xeeee_eeee_eeee_eeeeu64; 3];
    let e = unsafe { p1::fd_fdstat_get(fd, out(&mut b)) };
    (e, b[0] as u8, (b[0] >> 16) as u16, b[1], b[2])
}

pub fn print_fdstat(label: &str, fd: u32) {
    let (e, ft, fl, base, inh) = fdstat(fd);
    if e == 0 {
        println!("{label}: fdstat({fd}) type={ft} flags={fl:#x} base={base:#x} inheriting={inh:#x}");
    } else {
        println!("{label}: fdstat({fd}) -> {}", en(e));
    }
}

pub fn mkdir(dir: u32, path: &[u8]) -> i32 {
    unsafe { p1::path_create_directory(dir, addr(path), path.len() as u32) }
}

pub fn rmdir(dir: u32, path: &[u8]) -> i32 {
    unsafe { px::path_remove_directory(dir, addr(path), path.len() as u32) }
}

pub fn unlink(dir: u32, path: &[u8]) -> i32 {
    unsafe { p1::path_unlink_file(dir, addr(path), path.len() as u32) }
}

pub fn rename(dir: u32, old: &[u8], new_dir: u32, new: &[u8]) -> i32 {
    unsafe { px::path_rename(dir, addr(old), old.len() as u32, new_dir, addr(new), new.len() as u32) }
}

pub fn link(dir: u32, lookup: u32, old: &[u8], new_dir: u32, new: &[u8]) -> i32 {
    unsafe { px::path_link(dir, lookup, addr(old), old.len() as u32, new_dir, addr(new), new.len() as u32) }
}

pub fn symlink(target: &[u8], dir: u32, path: &[u8]) -> i32 {
    unsafe { px::path_symlink(addr(target), target.len() as u32, dir, addr(path), path.len() as u32) }
}

/// `path_readlink` into a buffer of `len` bytes: (errno, used, contents).
pub fn readlink(dir: u32, path: &[u8], len: usize) -> (i32, u32, Vec<u8>) {
    let mut buf = vec![b'.'; len + 4];
    let mut used = 0xdead_beefu32;
    let e = unsafe { px::path_readlink(dir, addr(path), path.len() as u32, out(&mut buf[..]), len as u32, out(&mut used)) };
    (e, used, buf)
}

pub fn set_times_fd(fd: u32, atim: u64, mtim: u64, flags: u32) -> i32 {
    unsafe { p1::fd_filestat_set_times(fd, atim, mtim, flags) }
}

pub fn set_times_path(dir: u32, lookup: u32, path: &[u8], atim: u64, mtim: u64, flags: u32) -> i32 {
    unsafe { px::path_filestat_set_times(dir, lookup, addr(path), path.len() as u32, atim, mtim, flags) }
}

/// One parsed directory entry.
#[derive(Clone, Debug)]
pub struct Dirent {
    pub next: u64,
    pub ino: u64,
    pub kind: u8,
    pub name: Vec<u8>,
}

/// Parses the complete entries of a readdir buffer; the second value says
/// whether the buffer ended in a partial entry.
pub fn parse_dirents(buf: &[u8]) -> (Vec<Dirent>, bool) {
    let mut at = 0;
    let mut out = Vec::new();
    while at + 24 <= buf.len() {
        let u64_at = |i: usize| u64::from_le_bytes(buf[i..i + 8].try_into().unwrap());
        let namlen = u32::from_le_bytes(buf[at + 16..at + 20].try_into().unwrap()) as usize;
        if at + 24 + namlen > buf.len() {
            return (out, true);
        }
        out.push(Dirent { next: u64_at(at), ino: u64_at(at + 8), kind: buf[at + 20], name: buf[at + 24..at + 24 + namlen].to_vec() });
        at += 24 + namlen;
    }
    (out, at != buf.len())
}

/// One `fd_readdir` call: (errno, used bytes, buffer).
pub fn readdir_raw(fd: u32, len: usize, cookie: u64) -> (i32, u32, Vec<u8>) {
    let mut buf = vec![0xa5u8; len];
    let mut used = 0xdead_beefu32;
    let e = unsafe { p1::fd_readdir(fd, out(&mut buf[..]), len as u32, cookie, out(&mut used)) };
    if e == 0 {
        buf.truncate(used as usize);
    }
    (e, used, buf)
}

/// Lists a directory from `cookie` with buffers of `len` bytes, as wasi-libc
/// does (resume from the last complete entry; grow the buffer when not even
/// one entry fits). Returns the entries and the number of calls.
pub fn list(fd: u32, mut len: usize, mut cookie: u64) -> (Vec<Dirent>, u32) {
    let mut all = Vec::new();
    let mut calls = 0;
    loop {
        let (e, used, buf) = readdir_raw(fd, len, cookie);
        calls += 1;
        assert_eq!(e, 0, "fd_readdir: {}", en(e));
        let (entries, _) = parse_dirents(&buf);
        if entries.is_empty() && used as usize == len {
            len *= 2;
            continue;
        }
        if let Some(last) = entries.last() {
            cookie = last.next;
        }
        all.extend(entries);
        if (used as usize) < len {
            return (all, calls);
        }
    }
}

/// A deterministic pseudo-random byte stream.
pub fn pattern(seed: u64, at: u64) -> u8 {
    let x = (at ^ seed).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    (x >> 56) as u8 ^ (at as u8)
}

/// FNV-1a over bytes, folded into `h`.
pub fn fnv(mut h: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        h ^= b as u64;
        h = h.wrapping_mul(0x100_0000_01b3);
    }
    h
}

pub const FNV0: u64 = 0xcbf2_9ce4_8422_2325;

fn main() {}
