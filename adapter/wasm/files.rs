//! Operations on open regular files and directories, as native preview1
//! performs them: reads and writes are positional host calls at the
//! descriptor's own position (no streams kept around), `APPEND` writes go to
//! the end of the file, and the position moves only for `fd_read`/`fd_write`.

use super::descriptors::File;
use super::fs_host::{self, descriptor_flags};
use super::guest;
use crate::abi::{fdflags, filetype, rights, whence};
use crate::canonical::filesystem::READ_AREA;
use crate::errno::{Errno, Result};
use crate::packed::Packed;
use crate::table::flag;

/// `fd_read` on a file. Native reads straight into the buffer with one OS
/// read, which fills it unless the file ends first; WASI 0.2 `read` returns
/// at most 64 KiB at a time, so read until the buffer is full or a read
/// comes back short.
pub fn read(file: &File, buf: u32, len: u32) -> Result<u32> {
    let position = file.position();
    guest::check(buf, len as u64, 1);
    if position > i64::MAX as u64 {
        // Native's OS read at the position refuses a negative offset first,
        // even for an empty buffer.
        return Err(Errno::INVAL);
    }
    if file.flags & flag::READABLE == 0 {
        // The OS refuses to read a write-only handle.
        return Err(Errno::BADF);
    }
    // The host writes into the buffer: scratch (the return area) must not lie there.
    super::scratch::avoid(buf, len);
    let done = read_until_full(file.handle, buf, len, position, super::host::ret_area(READ_AREA))?;
    file.set_position(position.checked_add(done as u64).ok_or(Errno::OVERFLOW)?);
    Ok(done)
}

/// Reads file `handle` from `offset` into the program's buffer `[buf, buf +
/// len)`, which lies in memory, until it is full or the file ends; returns
/// how many bytes were read. `ret`: a [`READ_AREA`]-byte return area, for every read.
/// Shared with the fast `fd_read`, so it needs no stack of its own.
#[inline(always)]
pub fn read_until_full(handle: u32, buf: u32, len: u32, offset: u64, ret: u32) -> Result<u32> {
    read_until_full_packed(handle, buf, len, offset, ret).result()
}

/// [`read_until_full`] in one register ([`Packed`]: a `Result` would come
/// back through memory, which the fast path has none of). One copy for both
/// callers.
#[inline(never)]
fn read_until_full_packed(handle: u32, buf: u32, len: u32, offset: u64, ret: u32) -> Packed {
    let mut done = 0;
    while done < len {
        super::scratch::result_into(buf + done, len - done);
        let read = fs_host::read_with(handle, len - done, offset + done as u64, ret);
        super::scratch::no_results();
        match read {
            Err(e) => return Packed::err(e),
            Ok((_, 0)) => break,
            Ok((ptr, n)) if ptr == buf + done && n <= len - done => done += n,
            // The host put the data somewhere we did not offer.
            _ => super::trap::abort(),
        }
    }
    Packed::ok(done)
}

/// `fd_write` (`at` = `None`: at the position, which moves) and
/// `fd_pwrite` (`at` = the offset; the position does not move) on a file. In
/// append mode the data goes to the end (Linux `pwrite` semantics too, as
/// natively), and `fd_write` leaves the position at the new end.
pub fn write(file: &File, bytes: &[u8], at: Option<u64>) -> Result<u32> {
    let append = file.flags & flag::APPEND != 0;
    let offset = at.unwrap_or_else(|| file.position());
    if !append && offset > i64::MAX as u64 {
        // The OS refuses a negative offset before it looks at the handle's
        // mode or the length.
        return Err(Errno::INVAL);
    }
    if file.flags & flag::WRITABLE == 0 {
        // The OS refuses to write a read-only handle (native: EBADF; the
        // host would say EPERM in a read-only preopen).
        return Err(Errno::BADF);
    }
    let offset = if append { fs_host::size(file.handle)? } else { offset };
    let n = if bytes.is_empty() {
        // The host is not asked to write nothing; natively a 0-byte write does nothing either.
        0
    } else {
        fs_host::write(file.handle, bytes, offset)?
    };
    if at.is_none() {
        file.set_position(offset.checked_add(n as u64).ok_or(Errno::OVERFLOW)?);
    }
    Ok(n)
}

/// `fd_pread`: native reads through a fresh stream, one read of at most
/// 64 KiB, as WASI 0.2 `read` does.
pub fn pread(file: &File, buf: u32, len: u32, offset: u64) -> Result<u32> {
    if offset > i64::MAX as u64 {
        // Native refuses a negative offset first (fuzz seed 105); decided
        // here, as preview2-shim traps on an offset past 2^53 instead.
        return Err(Errno::INVAL);
    }
    if file.flags & flag::READABLE == 0 {
        // Native's host refuses a write-only handle; decided here too:
        // preview2-shim (jco) traps on such a read instead of answering.
        return Err(Errno::BADF);
    }
    // Native checks only the bytes it read (`read_into`), and reads at most
    // 64 KiB: wasmtime's host caps every `read` so, but WASI 0.2 does not
    // ask it of a host (preview2-shim returns all it is asked for).
    fs_host::read_into(file.handle, buf, len.min(NATIVE_PREAD_MAX), offset)
}

/// The most native's `fd_pread` returns at once (one stream read).
const NATIVE_PREAD_MAX: u32 = 64 * 1024;

/// `fd_seek`: a negative or overflowing result is `INVAL`.
pub fn seek(file: &File, offset: i64, whence: u32) -> Result<u64> {
    let base = match whence {
        whence::SET => 0,
        whence::CUR => file.position(),
        _ => fs_host::size(file.handle)?,
    };
    let position = base.checked_add_signed(offset).ok_or(Errno::INVAL)?;
    file.set_position(position);
    Ok(position)
}

/// `fd_fdstat_get` of a file or non-preopened directory (`handle`, with
/// the adapter's `flags`): rights are every right, less what the
/// descriptor's flags or type rule out, as natively.
pub fn fdstat(handle: u32, adapter_flags: u8) -> Result<(u8, u16, u64)> {
    let flags = fs_host::get_flags(handle)?;
    let filetype = fs_host::filetype(fs_host::file_type(handle)?);
    let mut base = rights::ALL;
    if filetype == filetype::DIRECTORY {
        base &= !(rights::FD_SEEK | rights::FD_FILESTAT_SET_SIZE | rights::PATH_FILESTAT_SET_SIZE);
    }
    if flags & descriptor_flags::READ == 0 {
        base &= !(rights::FD_READ | rights::FD_READDIR);
    }
    if flags & descriptor_flags::WRITE == 0 {
        base &= !rights::FD_WRITE;
    }
    let mut fdflags = 0u16;
    if flags & descriptor_flags::DATA_INTEGRITY_SYNC != 0 {
        fdflags |= fdflags::DSYNC;
    }
    if flags & descriptor_flags::REQUESTED_WRITE_SYNC != 0 {
        fdflags |= fdflags::RSYNC;
    }
    if flags & descriptor_flags::FILE_INTEGRITY_SYNC != 0 {
        fdflags |= fdflags::SYNC;
    }
    if adapter_flags & flag::APPEND != 0 {
        fdflags |= fdflags::APPEND;
    }
    if adapter_flags & flag::NONBLOCK != 0 {
        fdflags |= fdflags::NONBLOCK;
    }
    Ok((filetype, fdflags, base))
}

/// `fd_fdstat_set_flags` on a file: only APPEND and NONBLOCK can change;
/// asking for a sync flag is `INVAL`, as natively.
pub fn set_flags(file: &mut File, fdflags: u32) -> Result<()> {
    use fdflags::{APPEND, DSYNC, NONBLOCK, RSYNC, SYNC};
    if fdflags & (DSYNC | SYNC | RSYNC) as u32 != 0 {
        return Err(Errno::INVAL);
    }
    let mut flags = file.flags & !(flag::APPEND | flag::NONBLOCK);
    if fdflags & APPEND as u32 != 0 {
        flags |= flag::APPEND;
    }
    if fdflags & NONBLOCK as u32 != 0 {
        flags |= flag::NONBLOCK;
    }
    file.set_flags(flags);
    Ok(())
}

/// `fd_filestat_get` of a file or directory (`at` false), or
/// `path_filestat_get` of the `path_len` guest bytes at `path` in directory
/// `fd` (see [`fs_host::stat_for_filestat`]), written to the program's `out`. `ret`:
/// [`fs_host::FILESTAT_AREA`] bytes. Returns the errno, 0 when done: scalars
/// only, so the fast `path_filestat_get` can call it without a frame.
#[inline(never)]
pub fn filestat_into(fd: u32, at: bool, flags: u32, path: u32, path_len: u32, ret: u32, out: u32) -> u32 {
    match fs_host::stat_for_filestat(fd, at, flags, path, path_len, ret) {
        Err(errno) => errno.0,
        Ok(stat) => {
            // Native traps on a bad `out` only now, after the host calls.
            guest::FilestatOut::check(out).write(&stat);
            0
        }
    }
}
