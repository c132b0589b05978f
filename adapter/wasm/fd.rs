//! Descriptor-level functions: close, renumber, fdstat, prestat, and the
//! file-only calls (advise, allocate, sync, filestat, seek, tell), which
//! answer for stdio and directories as native does.

use super::descriptors::{self, Desc, File};
use super::fs_host;
use super::scratch;
use super::guest;
#[cfg(not(feature = "proxy"))]
use super::fast::NOT_FAST;
use super::guest::{require_enum, require_flags};
use super::call;
use crate::abi::{filetype, fstflags, rights, whence, ADVICE_MAX, FDFLAGS_ALL};
use crate::errno::{Errno, Result};
use crate::table::kind;

/// A stdio descriptor's filetype: a character device when it is a terminal.
fn stdio_filetype(desc: &Desc) -> u8 {
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

/// `fd_close` of a regular file (see `preview1.rs`). Only a directory can
/// own the `fd_readdir` cursor, so there is nothing else to forget.
#[cfg(not(feature = "proxy"))]
#[inline(always)]
pub fn fd_close_fast(fd: u32) -> u32 {
    let Some(handle) = descriptors::fast::close_file(fd) else { return NOT_FAST };
    fs_host::drop_descriptor(handle);
    0
}

#[inline(never)]
pub fn fd_close(fd: u32) -> u32 {
    call(|| descriptors::close(fd))
}

#[inline(never)]
pub fn fd_renumber(from: u32, to: u32) -> u32 {
    call(|| descriptors::renumber(from, to))
}

#[inline(never)]
pub fn fd_fdstat_get(fd: u32, out: u32) -> u32 {
    call(|| {
        let desc = descriptors::get(fd)?;
        let (filetype, flags, rights_base, rights_inheriting) = match &desc {
            Desc::Stdin(_) | Desc::Stdout(_) | Desc::Stderr(_) => {
                // FD_READ for stdin, FD_WRITE (FD_READ << 5) for the others,
                // computed: a `match` or `if` here becomes a table of rights
                // in a data segment.
                let r = rights::FD_READ << (5 * !matches!(desc, Desc::Stdin(_)) as u32);
                (stdio_filetype(&desc), 0, r, r)
            }
            Desc::Directory { preopen: true, .. } => {
                (filetype::DIRECTORY, 0, rights::PREOPEN_BASE, rights::PREOPEN_INHERITING)
            }
            Desc::Directory { handle, .. } => {
                let (t, f, r) = super::files::fdstat(*handle, 0)?;
                (t, f, r, r)
            }
            Desc::File(file) => {
                let (t, f, r) = super::files::fdstat(file.handle, file.flags)?;
                (t, f, r, r)
            }
        };
        guest::write_fdstat(out, filetype, flags, rights_base, rights_inheriting);
        Ok(())
    })
}

#[inline(never)]
pub fn fd_prestat_get(fd: u32, out: u32) -> u32 {
    call(|| {
        let lease = scratch::for_the_call();
        let name = descriptors::preopen_name(fd, &lease)?.ok_or(Errno::BADF)?;
        guest::write_prestat(out, name.len() as u32);
        Ok(())
    })
}

#[inline(never)]
pub fn fd_prestat_dir_name(fd: u32, path: u32, path_len: u32) -> u32 {
    call(|| {
        let lease = scratch::for_the_call();
        let name = descriptors::preopen_name(fd, &lease)?.ok_or(Errno::NOTDIR)?;
        if name.len() > path_len as usize {
            return Err(Errno::NAMETOOLONG);
        }
        guest::write_bytes(path, name);
        Ok(())
    })
}

/// The file behind `fd`, for calls that only work on regular files. Native
/// answers BADF for stdio and directories.
fn file(fd: u32) -> Result<File> {
    match descriptors::get(fd)? {
        Desc::File(file) => Ok(file),
        _ => Err(Errno::BADF),
    }
}

/// A seekable descriptor: stdio is a pipe (`SPIPE`), directories are `BADF`.
fn seekable(fd: u32) -> Result<File> {
    match descriptors::get(fd)? {
        Desc::File(file) => Ok(file),
        Desc::Stdin(_) | Desc::Stdout(_) | Desc::Stderr(_) => Err(Errno::SPIPE),
        Desc::Directory { .. } => Err(Errno::BADF),
    }
}

#[inline(never)]
pub fn fd_advise(fd: u32, offset: u64, len: u64, advice: u32) -> u32 {
    require_enum(advice, ADVICE_MAX);
    // preview1's advice values are WASI 0.2's `advice` cases, in order.
    call(|| fs_host::advise(file(fd)?.handle, offset, len, advice))
}

#[inline(never)]
pub fn fd_allocate(fd: u32, _offset: u64, _len: u64) -> u32 {
    // WASI 0.2 cannot allocate; native checks the fd, then answers NOTSUP.
    call(|| {
        file(fd)?;
        Err(Errno::NOTSUP)
    })
}

#[inline(always)]
pub fn fd_datasync(fd: u32) -> u32 {
    sync(fd, true)
}

#[inline(always)]
pub fn fd_sync(fd: u32) -> u32 {
    sync(fd, false)
}

#[inline(never)]
fn sync(fd: u32, data_only: bool) -> u32 {
    call(|| fs_host::sync(file(fd)?.handle, data_only))
}

#[inline(never)]
pub fn fd_fdstat_set_flags(fd: u32, flags: u32) -> u32 {
    require_flags(flags as u64, FDFLAGS_ALL as u64);
    call(|| super::files::set_flags(&mut file(fd)?, flags))
}

#[inline(never)]
pub fn fd_fdstat_set_rights(fd: u32, base: u64, inheriting: u64) -> u32 {
    require_flags(base, rights::ALL);
    require_flags(inheriting, rights::ALL);
    call(|| match descriptors::get(fd)? {
        Desc::File(_) | Desc::Directory { .. } => Err(Errno::NOTSUP),
        _ => Err(Errno::BADF),
    })
}

#[inline(never)]
pub fn fd_filestat_get(fd: u32, out: u32) -> u32 {
    call(|| {
        let desc = descriptors::get(fd)?;
        let handle = match &desc {
            Desc::Directory { handle, .. } => *handle,
            Desc::File(file) => file.handle,
            _ => {
                // stdio: all zero but the filetype (the padding after it untouched).
                let filetype = stdio_filetype(&desc);
                guest::write_stdio_filestat(out, filetype);
                return Ok(());
            }
        };
        let ret = super::host::ret_area(fs_host::FILESTAT_AREA);
        Errno::result(super::files::filestat_into(handle, false, 0, 0, 0, ret, out))
    })
}

#[inline(never)]
pub fn fd_filestat_set_size(fd: u32, size: u64) -> u32 {
    call(|| fs_host::set_size(file(fd)?.handle, size))
}

/// A `wasi:filesystem` `new-timestamp`, flattened: (tag, seconds, nanoseconds).
/// Setting a time and "now" at once is `INVAL`, as natively.
pub fn new_timestamp(ns: u64, set: bool, now: bool) -> Result<fs_host::NewTimestamp> {
    match (set, now) {
        (true, true) => Err(Errno::INVAL),
        (true, false) => Ok((2, ns / 1_000_000_000, (ns % 1_000_000_000) as u32)),
        (false, true) => Ok((1, 0, 0)),
        (false, false) => Ok((0, 0, 0)),
    }
}

#[inline(always)]
pub fn fd_filestat_set_times(fd: u32, atim: u64, mtim: u64, flags: u32) -> u32 {
    set_times(fd, None, 0, 0, atim, mtim, flags)
}

/// `fd_filestat_set_times` (`lookup` is `None`) and
/// `path_filestat_set_times` (the path's lookup flags, and the path).
#[inline(never)]
pub fn set_times(fd: u32, lookup: Option<u32>, path: u32, path_len: u32, atim: u64, mtim: u64, fst: u32) -> u32 {
    require_flags(fst as u64, fstflags::ALL as u64);
    call(|| {
        // Native rejects contradictory flags before it looks at the fd.
        let a = new_timestamp(atim, fst & fstflags::ATIM != 0, fst & fstflags::ATIM_NOW != 0)?;
        let m = new_timestamp(mtim, fst & fstflags::MTIM != 0, fst & fstflags::MTIM_NOW != 0)?;
        let handle = match (descriptors::get(fd)?, lookup) {
            (Desc::Directory { handle, .. }, _) => handle,
            (Desc::File(file), None) => file.handle,
            _ => return Err(Errno::BADF),
        };
        match lookup {
            None => fs_host::set_times(handle, a, m),
            Some(flags) => {
                let path = guest::path(path, path_len, Some(&mut guest::Fuel::new()))?;
                fs_host::set_times_at(handle, flags, path, a, m)
            }
        }
    })
}

#[inline(never)]
pub fn fd_readdir(fd: u32, buf: u32, buf_len: u32, cookie: u64, used: u32) -> u32 {
    call(|| {
        let n = super::readdir::fd_readdir(fd, buf, buf_len, cookie)?;
        guest::write_u32(used, n);
        Ok(())
    })
}

/// `fd_seek` of an open file from its start or current position, when the
/// result is in range (see `preview1.rs`).
#[cfg(not(feature = "proxy"))]
#[inline(always)]
pub fn fd_seek_fast(fd: u32, offset: i64, whence: u32, newoffset: u32) -> u32 {
    if !descriptors::fast::is_file(fd) {
        return NOT_FAST;
    }
    let base = match whence {
        whence::SET => 0,
        whence::CUR => descriptors::fast::position(fd),
        _ => return NOT_FAST,
    };
    let Some(position) = base.checked_add_signed(offset) else { return NOT_FAST };
    descriptors::fast::set_position(fd, position);
    guest::note_memory_size();
    guest::write_u64(newoffset, position);
    0
}

/// `fd_tell` of an open file (see `preview1.rs`).
#[cfg(not(feature = "proxy"))]
#[inline(always)]
pub fn fd_tell_fast(fd: u32, offset: u32) -> u32 {
    if !descriptors::fast::is_file(fd) {
        return NOT_FAST;
    }
    guest::note_memory_size();
    guest::write_u64(offset, descriptors::fast::position(fd));
    0
}

#[inline(never)]
pub fn fd_seek(fd: u32, offset: i64, whence: u32, newoffset: u32) -> u32 {
    require_enum(whence, whence::MAX);
    call(|| {
        let position = super::files::seek(&seekable(fd)?, offset, whence)?;
        guest::write_u64(newoffset, position);
        Ok(())
    })
}

#[inline(never)]
pub fn fd_tell(fd: u32, offset: u32) -> u32 {
    call(|| {
        let position = seekable(fd)?.position();
        guest::write_u64(offset, position);
        Ok(())
    })
}
