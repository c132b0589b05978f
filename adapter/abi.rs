//! The preview1 ABI as numbers: flag sets, enum ranges, record sizes. What
//! `wasi_snapshot_preview1`'s witx defines, written once; every module that
//! decodes an argument or writes a record takes its numbers from here. A
//! leaf: it uses nothing of the crate, and is compiled for the host too.

/// `rights`: one bit per preview1 operation.
pub mod rights {
    pub const FD_DATASYNC: u64 = 1 << 0;
    pub const FD_READ: u64 = 1 << 1;
    pub const FD_SEEK: u64 = 1 << 2;
    pub const FD_FDSTAT_SET_FLAGS: u64 = 1 << 3;
    pub const FD_SYNC: u64 = 1 << 4;
    pub const FD_TELL: u64 = 1 << 5;
    pub const FD_WRITE: u64 = 1 << 6;
    const _: () = assert!(FD_WRITE == FD_READ << 5);
    pub const FD_ADVISE: u64 = 1 << 7;
    pub const FD_ALLOCATE: u64 = 1 << 8;
    pub const PATH_CREATE_DIRECTORY: u64 = 1 << 9;
    pub const PATH_CREATE_FILE: u64 = 1 << 10;
    pub const PATH_LINK_SOURCE: u64 = 1 << 11;
    pub const PATH_LINK_TARGET: u64 = 1 << 12;
    pub const PATH_OPEN: u64 = 1 << 13;
    pub const FD_READDIR: u64 = 1 << 14;
    pub const PATH_READLINK: u64 = 1 << 15;
    pub const PATH_RENAME_SOURCE: u64 = 1 << 16;
    pub const PATH_RENAME_TARGET: u64 = 1 << 17;
    pub const PATH_FILESTAT_GET: u64 = 1 << 18;
    pub const PATH_FILESTAT_SET_TIMES: u64 = 1 << 20;
    pub const FD_FILESTAT_GET: u64 = 1 << 21;
    pub const FD_FILESTAT_SET_SIZE: u64 = 1 << 22;
    pub const FD_FILESTAT_SET_TIMES: u64 = 1 << 23;
    pub const PATH_FILESTAT_SET_SIZE: u64 = 1 << 19;
    pub const PATH_SYMLINK: u64 = 1 << 24;
    pub const PATH_REMOVE_DIRECTORY: u64 = 1 << 25;
    pub const PATH_UNLINK_FILE: u64 = 1 << 26;
    pub const POLL_FD_READWRITE: u64 = 1 << 27;
    /// Every right preview1 defines.
    pub const ALL: u64 = (1 << 30) - 1;

    /// What native reports for a preopened directory.
    pub const PREOPEN_BASE: u64 = PATH_CREATE_DIRECTORY
        | PATH_CREATE_FILE
        | PATH_LINK_SOURCE
        | PATH_LINK_TARGET
        | PATH_OPEN
        | FD_READDIR
        | PATH_READLINK
        | PATH_RENAME_SOURCE
        | PATH_RENAME_TARGET
        | PATH_SYMLINK
        | PATH_REMOVE_DIRECTORY
        | PATH_UNLINK_FILE
        | PATH_FILESTAT_GET
        | PATH_FILESTAT_SET_TIMES
        | FD_FILESTAT_GET
        | FD_FILESTAT_SET_TIMES;
    pub const PREOPEN_INHERITING: u64 = PREOPEN_BASE
        | FD_DATASYNC
        | FD_READ
        | FD_SEEK
        | FD_FDSTAT_SET_FLAGS
        | FD_SYNC
        | FD_TELL
        | FD_WRITE
        | FD_ADVISE
        | FD_ALLOCATE
        | FD_FILESTAT_GET
        | FD_FILESTAT_SET_SIZE
        | FD_FILESTAT_SET_TIMES
        | POLL_FD_READWRITE;
}

/// `filetype` values the adapter reports itself (the others come from
/// WASI 0.2's `descriptor-type`, mapped in `fs_host`).
pub mod filetype {
    pub const UNKNOWN: u8 = 0;
    pub const CHARACTER_DEVICE: u8 = 2;
    pub const DIRECTORY: u8 = 3;
}

/// `fdflags`.
pub mod fdflags {
    pub const APPEND: u16 = 1 << 0;
    pub const DSYNC: u16 = 1 << 1;
    pub const NONBLOCK: u16 = 1 << 2;
    pub const RSYNC: u16 = 1 << 3;
    pub const SYNC: u16 = 1 << 4;
}

/// Bits that make a valid preview1 `fdflags`.
pub const FDFLAGS_ALL: u32 = 0x1f;

/// `fstflags`: which times `*_filestat_set_times` sets.
pub mod fstflags {
    pub const ATIM: u32 = 1;
    pub const ATIM_NOW: u32 = 2;
    pub const MTIM: u32 = 4;
    pub const MTIM_NOW: u32 = 8;
    pub const ALL: u32 = 0xf;
}

/// `clockid`.
pub mod clockid {
    pub const REALTIME: u32 = 0;
    pub const MONOTONIC: u32 = 1;
    pub const PROCESS_CPUTIME_ID: u32 = 2;
    pub const THREAD_CPUTIME_ID: u32 = 3;
}

/// `whence`: `SET`, `CUR`, `END`.
pub mod whence {
    pub const SET: u32 = 0;
    pub const CUR: u32 = 1;
    /// The largest value (`END`).
    pub const MAX: u32 = 2;
}

/// `advice`: `NORMAL` .. `NOREUSE`, the same cases, in the same order, as
/// WASI 0.2's `advice`.
pub const ADVICE_MAX: u32 = 5;

/// `oflags`.
pub mod oflags {
    pub const CREAT: u32 = 1;
    pub const DIRECTORY: u32 = 2;
    pub const EXCL: u32 = 4;
    pub const TRUNC: u32 = 8;
    /// `CREAT | DIRECTORY | EXCL | TRUNC`.
    pub const ALL: u32 = 0xf;
}

/// `lookupflags`: its only flag.
pub const LOOKUP_SYMLINK_FOLLOW: u32 = 1;

/// `riflags` (`RECV_PEEK | RECV_WAITALL`).
pub const RIFLAGS_ALL: u32 = 0x3;
/// `siflags` defines no flag, but is a u16: any value that fits is valid.
pub const SIFLAGS_ALL: u32 = 0xffff;
/// `sdflags` (`RD | WR`).
pub const SDFLAGS_ALL: u32 = 0x3;

/// `eventtype`.
pub mod eventtype {
    pub const CLOCK: u8 = 0;
    pub const FD_READ: u8 = 1;
    pub const FD_WRITE: u8 = 2;
}

/// `subclockflags`: its only flag.
pub const SUBCLOCK_ABSTIME: u16 = 1;
/// `eventrwflags`: its only flag.
pub const EVENT_FD_READWRITE_HANGUP: u16 = 1;

// Record sizes (bytes).
/// `iovec` / `ciovec`: `buf: u32 @0, buf_len: u32 @4`, align 4.
pub const IOVEC_SIZE: u32 = 8;
/// `fdstat`: filetype u8 @0, flags u16 @2, rights_base u64 @8, rights_inheriting u64 @16.
pub const FDSTAT_SIZE: u32 = 24;
/// `prestat`: tag u8 @0, pr_name_len u32 @4.
pub const PRESTAT_SIZE: u32 = 8;
/// `filestat`: dev @0, ino @8, filetype u8 @16, nlink @24, size @32, atim @40,
/// mtim @48, ctim @56, align 8.
pub const FILESTAT_SIZE: u32 = 64;

/// A `filestat`'s fields, each read when it is written: by
/// `guest::FilestatOut::write` from what `fs_host::stat_for_filestat` found.
/// (Asked one by one, a field read from the host's return area is stored
/// right away; a struct of values would hold them in locals, which costs
/// code.)
pub trait FilestatFields {
    fn dev(&self) -> u64;
    fn ino(&self) -> u64;
    fn filetype(&self) -> u8;
    fn nlink(&self) -> u64;
    fn size(&self) -> u64;
    fn atim(&self) -> u64;
    fn mtim(&self) -> u64;
    fn ctim(&self) -> u64;
}
/// `dirent`: d_next @0, d_ino @8, d_namlen u32 @16, d_type u8 @20; the name follows.
pub const DIRENT_SIZE: u32 = 24;
/// `subscription`: userdata @0, tag u8 @8, the union from @16, align 8.
pub const SUBSCRIPTION_SIZE: u32 = 48;
/// `event`: userdata @0, error u16 @8, type u8 @10, fd_readwrite from @16, align 8.
pub const EVENT_SIZE: u32 = 32;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_all_mask_is_the_union_of_its_flags() {
        use fdflags::*;
        assert_eq!(FDFLAGS_ALL, (APPEND | DSYNC | NONBLOCK | RSYNC | SYNC) as u32);
        assert_eq!(fstflags::ALL, fstflags::ATIM | fstflags::ATIM_NOW | fstflags::MTIM | fstflags::MTIM_NOW);
        // EXCL (4) is the one oflag the adapter never tests by name.
        assert_eq!(oflags::ALL, oflags::CREAT | oflags::DIRECTORY | 4 | oflags::TRUNC);
        // preview1 defines 30 rights, numbered densely (the last two,
        // SOCK_SHUTDOWN and SOCK_ACCEPT, are never tested by name).
        assert_eq!(rights::ALL.count_ones(), 30);
        assert_eq!(rights::PREOPEN_INHERITING & !rights::ALL, 0);
    }
}
