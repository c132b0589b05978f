//! `path_*` functions. Until the filesystem work lands they check their
//! arguments and directory descriptors as native does and then answer NOTSUP.

use super::call;
use super::descriptors::{self, Desc};
use super::fd::require_flags;
use crate::errno::{Errno, Result};

const LOOKUP_SYMLINK_FOLLOW: u64 = 1;
const OFLAGS_ALL: u64 = 0xf;
const FSTFLAGS_ALL: u64 = 0xf;

/// A `path_*` call needs a directory descriptor: anything else is BADF.
fn directory(fd: u32) -> Result<u32> {
    match descriptors::get(fd)? {
        Desc::Directory { handle, .. } => Ok(handle),
        _ => Err(Errno::BADF),
    }
}

fn unsupported_at(fd: u32) -> Result<()> {
    directory(fd)?;
    Err(Errno::NOTSUP)
}

#[inline(never)]
pub unsafe fn path_create_directory(fd: u32, _path: u32, _path_len: u32) -> u32 {
    call(|| unsupported_at(fd))
}

#[inline(never)]
pub unsafe fn path_filestat_get(fd: u32, flags: u32, _path: u32, _path_len: u32, _out: u32) -> u32 {
    require_flags(flags as u64, LOOKUP_SYMLINK_FOLLOW);
    call(|| unsupported_at(fd))
}

#[inline(never)]
pub unsafe fn path_filestat_set_times(
    fd: u32,
    flags: u32,
    _path: u32,
    _path_len: u32,
    _atim: u64,
    _mtim: u64,
    fst_flags: u32,
) -> u32 {
    require_flags(flags as u64, LOOKUP_SYMLINK_FOLLOW);
    require_flags(fst_flags as u64, FSTFLAGS_ALL);
    call(|| unsupported_at(fd))
}

#[inline(never)]
pub unsafe fn path_link(
    old_fd: u32,
    old_flags: u32,
    _old_path: u32,
    _old_path_len: u32,
    new_fd: u32,
    _new_path: u32,
    _new_path_len: u32,
) -> u32 {
    require_flags(old_flags as u64, LOOKUP_SYMLINK_FOLLOW);
    call(|| {
        directory(old_fd)?;
        unsupported_at(new_fd)
    })
}

#[inline(never)]
pub unsafe fn path_open(
    fd: u32,
    dirflags: u32,
    _path: u32,
    _path_len: u32,
    oflags: u32,
    rights_base: u64,
    rights_inheriting: u64,
    fdflags: u32,
    _opened: u32,
) -> u32 {
    require_flags(dirflags as u64, LOOKUP_SYMLINK_FOLLOW);
    require_flags(oflags as u64, OFLAGS_ALL);
    require_flags(rights_base, (1 << 30) - 1);
    require_flags(rights_inheriting, (1 << 30) - 1);
    require_flags(fdflags as u64, super::fd::FDFLAGS_ALL as u64);
    call(|| match descriptors::get(fd)? {
        Desc::Directory { .. } => Err(Errno::NOTSUP),
        // Opening relative to a regular file: native says NOTDIR.
        Desc::File { .. } => Err(Errno::NOTDIR),
        _ => Err(Errno::BADF),
    })
}

#[inline(never)]
pub unsafe fn path_readlink(
    fd: u32,
    _path: u32,
    _path_len: u32,
    _buf: u32,
    _buf_len: u32,
    _used: u32,
) -> u32 {
    call(|| unsupported_at(fd))
}

#[inline(never)]
pub unsafe fn path_remove_directory(fd: u32, _path: u32, _path_len: u32) -> u32 {
    call(|| unsupported_at(fd))
}

#[inline(never)]
pub unsafe fn path_rename(
    fd: u32,
    _old_path: u32,
    _old_path_len: u32,
    new_fd: u32,
    _new_path: u32,
    _new_path_len: u32,
) -> u32 {
    call(|| {
        directory(fd)?;
        unsupported_at(new_fd)
    })
}

#[inline(never)]
pub unsafe fn path_symlink(_old_path: u32, _old_path_len: u32, fd: u32, _new_path: u32, _new_path_len: u32) -> u32 {
    call(|| unsupported_at(fd))
}

#[inline(never)]
pub unsafe fn path_unlink_file(fd: u32, _path: u32, _path_len: u32) -> u32 {
    call(|| unsupported_at(fd))
}
