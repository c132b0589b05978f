//! Descriptor-level functions: close, renumber, fdstat, prestat, and the
//! file-only calls, which answer for stdio and directories as native does.
//! (Regular files arrive with the filesystem work; until then no fd is one.)

use super::descriptors::{self, Desc};
use super::guest;
use super::{call, trap};
use crate::errno::{Errno, Result};
use crate::table::kind;

mod rights {
    pub const FD_DATASYNC: u64 = 1 << 0;
    pub const FD_READ: u64 = 1 << 1;
    pub const FD_SEEK: u64 = 1 << 2;
    pub const FD_FDSTAT_SET_FLAGS: u64 = 1 << 3;
    pub const FD_SYNC: u64 = 1 << 4;
    pub const FD_TELL: u64 = 1 << 5;
    pub const FD_WRITE: u64 = 1 << 6;
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

pub mod filetype {
    pub const UNKNOWN: u8 = 0;
    pub const CHARACTER_DEVICE: u8 = 2;
    pub const DIRECTORY: u8 = 3;
}

/// Bits that make a valid preview1 `fdflags`.
pub const FDFLAGS_ALL: u32 = 0x1f;

/// Native decodes flag and enum arguments before running the call and traps
/// on any value outside the type. `valid` is the set of defined bits.
#[inline]
pub fn require_flags(value: u64, valid: u64) {
    if value & !valid != 0 {
        trap::abort();
    }
}

/// Native decodes enum arguments the same way: anything above `max` traps.
#[inline]
pub fn require_enum(value: u32, max: u32) {
    if value > max {
        trap::abort();
    }
}

/// A stdio descriptor's filetype: a character device when it is a terminal.
fn stdio_filetype(desc: Desc) -> u8 {
    let k = match desc {
        Desc::Stdin(_) => kind::STDIN,
        Desc::Stdout(_) => kind::STDOUT,
        _ => kind::STDERR,
    };
    if descriptors::is_terminal(k) {
        filetype::CHARACTER_DEVICE
    } else {
        filetype::UNKNOWN
    }
}

#[inline(never)]
pub unsafe fn fd_close(fd: u32) -> u32 {
    call(|| {
        let mut table = descriptors::table()?;
        let entry = table.remove(fd, &mut super::scratch::GrowPages)?;
        descriptors::release(&entry);
        Ok(())
    })
}

#[inline(never)]
pub unsafe fn fd_renumber(from: u32, to: u32) -> u32 {
    call(|| {
        let mut table = descriptors::table()?;
        let old = table.renumber(from, to, &mut super::scratch::GrowPages)?;
        if from != to {
            descriptors::release(&old);
        }
        Ok(())
    })
}

#[inline(never)]
pub unsafe fn fd_fdstat_get(fd: u32, out: u32) -> u32 {
    call(|| {
        let desc = descriptors::get(fd)?;
        let (filetype, rights_base, rights_inheriting) = match desc {
            Desc::Stdin(_) => (stdio_filetype(desc), rights::FD_READ, rights::FD_READ),
            Desc::Stdout(_) | Desc::Stderr(_) => (stdio_filetype(desc), rights::FD_WRITE, rights::FD_WRITE),
            Desc::Directory { preopen: true, .. } => {
                (filetype::DIRECTORY, rights::PREOPEN_BASE, rights::PREOPEN_INHERITING)
            }
            Desc::Directory { .. } | Desc::File { .. } => return Err(Errno::NOTSUP),
        };
        // Fields one by one: native leaves the padding bytes untouched.
        guest::check(out, crate::layout::FDSTAT_SIZE as u64, 8);
        unsafe {
            *(out as *mut u8) = filetype;
            *((out + 2) as *mut u16) = 0;
            *((out + 8) as *mut u64) = rights_base;
            *((out + 16) as *mut u64) = rights_inheriting;
        }
        Ok(())
    })
}

#[inline(never)]
pub unsafe fn fd_prestat_get(fd: u32, out: u32) -> u32 {
    call(|| {
        let name = descriptors::preopen_name(fd)?.ok_or(Errno::BADF)?;
        guest::check(out, crate::layout::PRESTAT_SIZE as u64, 4);
        unsafe {
            *(out as *mut u8) = 0; // preopentype::dir
            *((out + 4) as *mut u32) = name.len() as u32;
        }
        Ok(())
    })
}

#[inline(never)]
pub unsafe fn fd_prestat_dir_name(fd: u32, path: u32, path_len: u32) -> u32 {
    call(|| {
        let name = descriptors::preopen_name(fd)?.ok_or(Errno::NOTDIR)?;
        if name.len() > path_len as usize {
            return Err(Errno::NAMETOOLONG);
        }
        guest::write_bytes(path, name);
        Ok(())
    })
}

/// The file behind `fd`, for calls that only work on regular files. Native
/// answers BADF for stdio and directories.
fn file_handle(fd: u32) -> Result<u32> {
    match descriptors::get(fd)? {
        Desc::File { handle } => Ok(handle),
        _ => Err(Errno::BADF),
    }
}

/// A seekable descriptor: stdio is a pipe (`SPIPE`), directories are `BADF`.
fn seekable(fd: u32) -> Result<u32> {
    match descriptors::get(fd)? {
        Desc::File { handle } => Ok(handle),
        Desc::Stdin(_) | Desc::Stdout(_) | Desc::Stderr(_) => Err(Errno::SPIPE),
        Desc::Directory { .. } => Err(Errno::BADF),
    }
}

/// Operations on regular files are not implemented yet: no fd is one.
fn file_op_unsupported(fd: u32) -> Result<()> {
    file_handle(fd)?;
    Err(Errno::NOTSUP)
}

#[inline(never)]
pub unsafe fn fd_advise(fd: u32, _offset: u64, _len: u64, advice: u32) -> u32 {
    require_enum(advice, 5);
    call(|| file_op_unsupported(fd))
}

#[inline(never)]
pub unsafe fn fd_allocate(fd: u32, _offset: u64, _len: u64) -> u32 {
    // Native checks the fd, then answers NOTSUP for every file.
    call(|| file_op_unsupported(fd))
}

#[inline(never)]
pub unsafe fn fd_datasync(fd: u32) -> u32 {
    call(|| file_op_unsupported(fd))
}

#[inline(never)]
pub unsafe fn fd_sync(fd: u32) -> u32 {
    call(|| file_op_unsupported(fd))
}

#[inline(never)]
pub unsafe fn fd_fdstat_set_flags(fd: u32, flags: u32) -> u32 {
    require_flags(flags as u64, FDFLAGS_ALL as u64);
    call(|| file_op_unsupported(fd))
}

#[inline(never)]
pub unsafe fn fd_fdstat_set_rights(fd: u32, base: u64, inheriting: u64) -> u32 {
    require_flags(base, rights::ALL);
    require_flags(inheriting, rights::ALL);
    call(|| match descriptors::get(fd)? {
        Desc::File { .. } | Desc::Directory { .. } => Err(Errno::NOTSUP),
        _ => Err(Errno::BADF),
    })
}

#[inline(never)]
pub unsafe fn fd_filestat_get(fd: u32, out: u32) -> u32 {
    call(|| {
        let desc = descriptors::get(fd)?;
        let filetype = match desc {
            Desc::Stdin(_) | Desc::Stdout(_) | Desc::Stderr(_) => stdio_filetype(desc),
            _ => return Err(Errno::NOTSUP),
        };
        // filestat: dev @0, ino @8, filetype @16, nlink @24, size @32, atim @40, mtim @48, ctim @56.
        guest::check(out, 64, 8);
        unsafe {
            for field in [0u32, 8, 24, 32, 40, 48, 56] {
                *((out + field) as *mut u64) = 0;
            }
            *((out + 16) as *mut u8) = filetype;
        }
        Ok(())
    })
}

#[inline(never)]
pub unsafe fn fd_filestat_set_size(fd: u32, _size: u64) -> u32 {
    call(|| file_op_unsupported(fd))
}

mod fstflags {
    pub const ATIM: u32 = 1;
    pub const ATIM_NOW: u32 = 2;
    pub const MTIM: u32 = 4;
    pub const MTIM_NOW: u32 = 8;
    pub const ALL: u32 = 0xf;
}

/// A `wasi:filesystem` `new-timestamp`, flattened: (tag, seconds, nanoseconds).
/// Setting a time and "now" at once is `INVAL`, as natively.
#[cfg(not(feature = "proxy"))]
pub fn new_timestamp(ns: u64, set: bool, now: bool) -> Result<(u32, u64, u32)> {
    match (set, now) {
        (true, true) => Err(Errno::INVAL),
        (true, false) => Ok((2, ns / 1_000_000_000, (ns % 1_000_000_000) as u32)),
        (false, true) => Ok((1, 0, 0)),
        (false, false) => Ok((0, 0, 0)),
    }
}

#[cfg(not(feature = "proxy"))]
#[inline(never)]
pub unsafe fn fd_filestat_set_times(fd: u32, atim: u64, mtim: u64, flags: u32) -> u32 {
    require_flags(flags as u64, fstflags::ALL as u64);
    call(|| {
        // Native rejects contradictory flags before it looks at the fd.
        let a = new_timestamp(atim, flags & fstflags::ATIM != 0, flags & fstflags::ATIM_NOW != 0)?;
        let m = new_timestamp(mtim, flags & fstflags::MTIM != 0, flags & fstflags::MTIM_NOW != 0)?;
        let handle = match descriptors::get(fd)? {
            Desc::Directory { handle, .. } | Desc::File { handle } => handle,
            _ => return Err(Errno::BADF),
        };
        let ret = super::host::ret_area(2);
        super::host::filesystem::set_times(handle, a.0, a.1, a.2, m.0, m.1, m.2, ret);
        super::host::fs_result(ret)
    })
}

#[cfg(feature = "proxy")]
#[inline(never)]
pub unsafe fn fd_filestat_set_times(fd: u32, _atim: u64, _mtim: u64, flags: u32) -> u32 {
    require_flags(flags as u64, 0xf);
    call(|| match descriptors::get(fd)? {
        _ => Err(Errno::BADF),
    })
}

#[inline(never)]
pub unsafe fn fd_readdir(fd: u32, _buf: u32, _buf_len: u32, _cookie: u64, _used: u32) -> u32 {
    call(|| match descriptors::get(fd)? {
        Desc::Directory { .. } => Err(Errno::NOTSUP),
        _ => Err(Errno::BADF),
    })
}

#[inline(never)]
pub unsafe fn fd_seek(fd: u32, _offset: i64, whence: u32, _newoffset: u32) -> u32 {
    require_enum(whence, 2);
    call(|| {
        seekable(fd)?;
        Err(Errno::NOTSUP)
    })
}

#[inline(never)]
pub unsafe fn fd_tell(fd: u32, _offset: u32) -> u32 {
    call(|| {
        seekable(fd)?;
        Err(Errno::NOTSUP)
    })
}
