//! `path_*` functions. Each decodes its arguments in native's order (flag
//! values at the boundary, then the directory descriptor, then the path
//! strings) and makes one `wasi:filesystem` call.

use super::call;
use super::descriptors::{self, Desc};
use super::fs_host::{self, PathOp, TwoPathOp};
use super::guest::{self, require_flags, Fuel};
use crate::abi::{fdflags, oflags, rights, FDFLAGS_ALL, LOOKUP_SYMLINK_FOLLOW};
use crate::errno::{Errno, Result};
// For the fast path, which the proxy has not.
#[cfg(not(feature = "proxy"))]
use {super::fast::NOT_FAST, super::scratch::stack, crate::abi::FILESTAT_SIZE, crate::layout};
use crate::table::{flag, kind, Entry};

/// A `path_*` call needs a directory descriptor: anything else is BADF.
fn directory(fd: u32) -> Result<u32> {
    match descriptors::get(fd)? {
        Desc::Directory { handle, .. } => Ok(handle),
        _ => Err(Errno::BADF),
    }
}

#[inline(always)]
pub fn path_create_directory(fd: u32, path: u32, path_len: u32) -> u32 {
    path_op(PathOp::CreateDirectory, fd, path, path_len)
}

#[inline(always)]
pub fn path_remove_directory(fd: u32, path: u32, path_len: u32) -> u32 {
    path_op(PathOp::RemoveDirectory, fd, path, path_len)
}

#[inline(always)]
pub fn path_unlink_file(fd: u32, path: u32, path_len: u32) -> u32 {
    path_op(PathOp::UnlinkFile, fd, path, path_len)
}

/// The three calls that are one path operation in a directory.
#[inline(never)]
fn path_op(op: PathOp, fd: u32, path: u32, path_len: u32) -> u32 {
    call(|| {
        let dir = directory(fd)?;
        // Native reads the path of `path_unlink_file` without charging host-call fuel.
        let mut fuel = Fuel::new();
        let path = guest::path(path, path_len, (op != PathOp::UnlinkFile).then_some(&mut fuel))?;
        fs_host::path_op(op, dir, path)
    })
}

#[inline(never)]
pub fn path_filestat_get(fd: u32, flags: u32, path: u32, path_len: u32, out: u32) -> u32 {
    require_flags(flags as u64, LOOKUP_SYMLINK_FOLLOW as u64);
    call(|| {
        let dir = directory(fd)?;
        let path = guest::path(path, path_len, Some(&mut Fuel::new()))?;
        let ret = super::host::ret_area(fs_host::FILESTAT_AREA);
        Errno::result(super::files::filestat_into(dir, true, flags, path.as_ptr() as u32, path.len() as u32, ret, out))
    })
}

// Its return area is the top of the stack window, which `fast_area_of`
// lends in multiples of 32 bytes.
const _: () = assert!(fs_host::FILESTAT_AREA % 32 == 0 && fs_host::FILESTAT_AREA <= crate::exports::STACK_WINDOW);

/// `path_filestat_get` in a directory the adapter holds, of a valid UTF-8
/// path (see `preview1.rs`).
#[cfg(not(feature = "proxy"))]
#[inline(always)]
pub fn path_filestat_get_fast(fd: u32, flags: u32, path: u32, path_len: u32, out: u32) -> u32 {
    guest::note_memory_size();
    let memory = guest::memory_bytes();
    // Bad flags trap, and the rest has its errors, in the full implementation;
    // a path at address 0 cannot be a slice (see `guest::view_checked`).
    if flags > LOOKUP_SYMLINK_FOLLOW
        || path_len == 0
        || path == 0
        || path_len as u64 > guest::HOSTCALL_FUEL
        || !layout::region_ok(path, path_len as u64, 1, memory)
    {
        return NOT_FAST;
    }
    let dir = descriptors::fast::directory(fd);
    let ret = stack::fast_area_of(fs_host::FILESTAT_AREA);
    let path_bytes = guest::view_checked(path, path_len);
    let area = fs_host::FILESTAT_AREA as u64;
    // The path is read twice, the output written before the area is cleared:
    // neither may lie in the area (only if the program took the window's page).
    if dir == 0
        || ret == 0
        || layout::overlaps(path, path_len as u64, ret, area)
        || layout::overlaps(out, FILESTAT_SIZE as u64, ret, area)
        || !layout::is_utf8(path_bytes)
    {
        return NOT_FAST;
    }
    let errno = super::files::filestat_into(dir, true, flags, path, path_len, ret, out);
    stack::clear_fast_area_of(ret, fs_host::FILESTAT_AREA);
    errno
}

#[inline(always)]
pub fn path_filestat_set_times(
    fd: u32,
    flags: u32,
    path: u32,
    path_len: u32,
    atim: u64,
    mtim: u64,
    fst_flags: u32,
) -> u32 {
    require_flags(flags as u64, LOOKUP_SYMLINK_FOLLOW as u64);
    super::fd::set_times(fd, Some(flags), path, path_len, atim, mtim, fst_flags)
}

#[inline(always)]
pub fn path_link(
    old_fd: u32,
    old_flags: u32,
    old_path: u32,
    old_path_len: u32,
    new_fd: u32,
    new_path: u32,
    new_path_len: u32,
) -> u32 {
    require_flags(old_flags as u64, LOOKUP_SYMLINK_FOLLOW as u64);
    two_path_op(TwoPathOp::Link, old_fd, old_flags, old_path, old_path_len, new_fd, new_path, new_path_len)
}

#[inline(always)]
pub fn path_rename(fd: u32, old_path: u32, old_path_len: u32, new_fd: u32, new_path: u32, new_path_len: u32) -> u32 {
    two_path_op(TwoPathOp::Rename, fd, 0, old_path, old_path_len, new_fd, new_path, new_path_len)
}

#[inline(always)]
pub fn path_symlink(old_path: u32, old_path_len: u32, fd: u32, new_path: u32, new_path_len: u32) -> u32 {
    two_path_op(TwoPathOp::Symlink, fd, 0, old_path, old_path_len, fd, new_path, new_path_len)
}

/// `path_link`, `path_rename`, `path_symlink`: native looks up the
/// directories, then reads both paths against one fuel budget.
#[inline(never)]
#[allow(clippy::too_many_arguments)]
fn two_path_op(op: TwoPathOp, fd: u32, flags: u32, old_path: u32, old_path_len: u32, new_fd: u32, new_path: u32, new_path_len: u32) -> u32 {
    call(|| {
        let old_dir = directory(fd)?;
        let new_dir = if new_fd == fd { old_dir } else { directory(new_fd)? };
        let mut fuel = Fuel::new();
        let old = guest::path(old_path, old_path_len, Some(&mut fuel))?;
        let new = guest::path(new_path, new_path_len, Some(&mut fuel))?;
        fs_host::two_path_op(op, old_dir, flags, old, new_dir, new)
    })
}

#[inline(never)]
pub fn path_readlink(fd: u32, path: u32, path_len: u32, buf: u32, buf_len: u32, used: u32) -> u32 {
    call(|| {
        let dir = directory(fd)?;
        let path = guest::path(path, path_len, Some(&mut Fuel::new()))?;
        let lease = super::scratch::for_the_call();
        let target = fs_host::readlink_at(dir, path, &lease)?;
        // Native truncates the target to the buffer.
        let n = target.len().min(buf_len as usize);
        guest::write_bytes(buf, &target[..n]);
        guest::write_u32(used, n as u32);
        Ok(())
    })
}

#[inline(never)]
pub fn path_open(
    fd: u32,
    dirflags: u32,
    path: u32,
    path_len: u32,
    oflags: u32,
    rights_base: u64,
    rights_inheriting: u64,
    fdflags: u32,
    opened: u32,
) -> u32 {
    require_flags(dirflags as u64, LOOKUP_SYMLINK_FOLLOW as u64);
    require_flags(oflags as u64, oflags::ALL as u64);
    require_flags(rights_base, rights::ALL);
    require_flags(rights_inheriting, rights::ALL);
    require_flags(fdflags as u64, FDFLAGS_ALL as u64);
    call(|| {
        let new_fd = open(fd, dirflags, path, path_len, oflags, rights_base, fdflags)?;
        guest::write_u32(opened, new_fd);
        Ok(())
    })
}

fn open(fd: u32, dirflags: u32, path: u32, path_len: u32, oflags: u32, rights: u64, fdflags: u32) -> Result<u32> {
    // Native reads the path before it looks at the descriptor.
    let path = guest::path(path, path_len, Some(&mut Fuel::new()))?;
    let flags = descriptor_flags(rights, oflags, fdflags);
    // A descriptor that could not be numbered must not have been opened
    // (with CREAT, the file would exist after an error). The number itself
    // is given only once the open succeeded: natively a failed open takes
    // none. The proxy has no directory to open in.
    #[cfg(not(feature = "proxy"))]
    descriptors::reserve()?;
    // `reserve` numbered the preopens (the proxy has none), so the lookup
    // need not ask again.
    let dir = match descriptors::get_io(fd)? {
        Desc::Directory { handle, .. } => handle,
        // Opening relative to a regular file: native says NOTDIR.
        Desc::File(_) => return Err(Errno::NOTDIR),
        _ => return Err(Errno::BADF),
    };
    if oflags & oflags::DIRECTORY != 0
        && oflags & (oflags::CREAT | oflags::EXCL | oflags::TRUNC) != 0
        && flags & fs_host::SYNC_DESCRIPTOR_FLAGS == 0
    {
        // wasmtime's host refuses these combinations before it opens
        // anything (native's answer), after refusing sync flags (which
        // both hosts do); preview2-shim does not, and would open the
        // directory or answer ISDIR.
        return Err(Errno::INVAL);
    }
    // preview1's oflags and lookupflags have the bits of WASI 0.2's open-flags and path-flags.
    let handle = fs_host::open_at(dir, dirflags, path, oflags, flags)?;
    descriptors::insert(opened_entry(handle, flags, oflags, fdflags)).inspect_err(|_| fs_host::drop_descriptor(handle))
}

/// The WASI 0.2 `descriptor-flags` of an open with these rights, oflags and
/// fdflags: the access mode native's open gives the file, asked for in so
/// many words. wasmtime's host opens for reading when neither read nor
/// write is asked, and for writing with CREAT or TRUNC, whatever the flags
/// say; another host (preview2-shim) opens exactly as asked, and would then
/// refuse a write native allows (or report other rights).
fn descriptor_flags(rights: u64, oflags: u32, fdflags: u32) -> u32 {
    use fdflags::{DSYNC, RSYNC, SYNC};
    use super::fs_host::descriptor_flags as df;
    let mut flags = 0;
    if rights & rights::FD_READ != 0 || rights & rights::FD_WRITE == 0 {
        flags |= df::READ;
    }
    if rights & rights::FD_WRITE != 0 || oflags & (oflags::CREAT | oflags::TRUNC) != 0 {
        flags |= df::WRITE;
    }
    if fdflags & SYNC as u32 != 0 {
        flags |= df::FILE_INTEGRITY_SYNC;
    }
    if fdflags & DSYNC as u32 != 0 {
        flags |= df::DATA_INTEGRITY_SYNC;
    }
    if fdflags & RSYNC as u32 != 0 {
        flags |= df::REQUESTED_WRITE_SYNC;
    }
    flags
}

/// The table entry of a descriptor `path_open` opened with these flags: a
/// directory if `O_DIRECTORY` said so, else untyped until first used.
#[inline(always)]
fn opened_entry(handle: u32, flags: u32, oflags: u32, fdflags: u32) -> Entry {
    use fdflags::{APPEND, NONBLOCK};
    use super::fs_host::descriptor_flags as df;
    let mut entry = Entry { handle, ..Entry::default() };
    if oflags & oflags::DIRECTORY != 0 {
        entry.kind = kind::DIRECTORY;
    } else {
        entry.kind = kind::UNTYPED;
        // The access mode asked for ([`descriptor_flags`]).
        if flags & df::READ != 0 {
            entry.flags |= flag::READABLE;
        }
        if flags & df::WRITE != 0 {
            entry.flags |= flag::WRITABLE;
        }
        if fdflags & APPEND as u32 != 0 {
            entry.flags |= flag::APPEND;
        }
        if fdflags & NONBLOCK as u32 != 0 {
            entry.flags |= flag::NONBLOCK;
        }
    }
    entry
}
