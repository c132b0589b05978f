//! `fd_read`, `fd_write`, `fd_pread`, `fd_pwrite` on every kind of
//! descriptor: stdio streams here, regular files through `files.rs`.
//!
//! Like native preview1, each call transfers only the first non-empty iovec.

use super::descriptors::{self, Desc};
use super::guest;
use super::host::{self, Read};
use super::call;
use super::files;
use crate::errno::{Errno, Result};
// For the fast paths, which the proxy has not.
#[cfg(not(feature = "proxy"))]
use {super::descriptors::File, super::fast::NOT_FAST, super::fs_host, super::scratch::stack, crate::layout, crate::table::flag};

/// `fd_write` of one buffer, up to one chunk to stdout or stderr, or to a
/// file that is neither read-only nor in append mode (see `preview1.rs`).
#[cfg(not(feature = "proxy"))]
#[inline(always)]
pub fn fd_write_fast(fd: u32, iovs: u32, iovs_len: u32, nwritten: u32) -> u32 {
    guest::note_memory_size();
    let (buf, len) = guest::first_iovec_fast(iovs, iovs_len);
    if len == 0 {
        return NOT_FAST;
    }
    let (stream, file) = descriptors::fast::output(fd);
    let writable = |file: &File| file.flags & (flag::WRITABLE | flag::APPEND) == flag::WRITABLE && descriptors::fast::position(fd) <= i64::MAX as u64;
    if !(stream != 0 && len <= host::WRITE_CHUNK || file.as_ref().is_some_and(writable)) {
        return NOT_FAST;
    }
    let ret = stack::fast_area();
    if ret == 0 || layout::overlaps(buf, len as u64, ret, stack::FAST_AREA as u64) {
        return NOT_FAST;
    }
    let result = match file {
        Some(file) => {
            let position = descriptors::fast::position(fd);
            fs_host::write_with(file.handle, buf, len, position, ret).map(|n| {
                // At most `i64::MAX + u32::MAX`: no overflow.
                descriptors::fast::set_position(fd, position + n as u64);
                n
            })
        }
        None => host::write_chunk(stream, buf, len, ret).map(|()| len),
    };
    stack::clear_fast_area(ret);
    match result {
        Ok(n) => {
            guest::write_u32(nwritten, n);
            0
        }
        Err(Errno(e)) => e,
    }
}

#[inline(never)]
pub fn fd_write(fd: u32, iovs: u32, iovs_len: u32, nwritten: u32) -> u32 {
    write(fd, iovs, iovs_len, None, nwritten)
}

#[inline(never)]
pub fn fd_pwrite(fd: u32, iovs: u32, iovs_len: u32, offset: u64, nwritten: u32) -> u32 {
    write(fd, iovs, iovs_len, Some(offset), nwritten)
}

/// `fd_write` (`at` = `None`) and `fd_pwrite`.
#[inline(never)]
fn write(fd: u32, iovs: u32, iovs_len: u32, at: Option<u64>, nwritten: u32) -> u32 {
    call(|| {
        let (buf, len) = guest::first_non_empty_iovec(iovs, iovs_len)?;
        let n = match descriptors::get_io(fd)? {
            Desc::Stdout(stream) | Desc::Stderr(stream) => {
                if at.is_some() {
                    // Native: stdout and stderr are pipes.
                    return Err(Errno::SPIPE);
                }
                host::write_all(stream, guest::bytes(buf, len))?;
                len
            }
            Desc::File(file) => files::write(&file, guest::bytes(buf, len), at)?,
            _ => return Err(Errno::BADF),
        };
        guest::write_u32(nwritten, n);
        Ok(())
    })
}

/// `fd_read` of one buffer from a readable file (see `preview1.rs`), read
/// as [`files::read`] reads it. Once it has read, it must finish: the data
/// may have overwritten the iovecs.
#[cfg(not(feature = "proxy"))]
#[inline(always)]
pub fn fd_read_fast(fd: u32, iovs: u32, iovs_len: u32, nread: u32) -> u32 {
    guest::note_memory_size();
    let (buf, len) = guest::first_iovec_fast(iovs, iovs_len);
    if len == 0 {
        return NOT_FAST;
    }
    let Some(file) = descriptors::fast::file(fd) else { return NOT_FAST };
    let ret = stack::fast_area();
    let position = descriptors::fast::position(fd);
    if file.flags & flag::READABLE == 0
        || position > i64::MAX as u64
        || ret == 0
        || layout::overlaps(buf, len as u64, ret, stack::FAST_AREA as u64)
    {
        return NOT_FAST;
    }
    let read = files::read_until_full(file.handle, buf, len, position, ret);
    stack::clear_fast_area(ret);
    let done = match read {
        Ok(done) => done,
        Err(Errno(e)) => return e,
    };
    // At most `i64::MAX + 4 GiB`: no overflow.
    descriptors::fast::set_position(fd, position + done as u64);
    guest::write_u32(nread, done);
    0
}

#[inline(never)]
pub fn fd_read(fd: u32, iovs: u32, iovs_len: u32, nread: u32) -> u32 {
    call(|| {
        let n = read(fd, iovs, iovs_len)?;
        guest::write_u32(nread, n);
        Ok(())
    })
}

fn read(fd: u32, iovs: u32, iovs_len: u32) -> Result<u32> {
    let (buf, len) = guest::first_non_empty_iovec(iovs, iovs_len)?;
    match descriptors::get_io(fd)? {
        Desc::Stdin(stream) => {
            // Native checks only the bytes it read (`blocking_read_into`).
            match host::blocking_read_into(descriptors::stdin_stream(fd, stream), buf, len)? {
                // A blocking read that returns nothing was interrupted.
                Read::Bytes(0) => Err(Errno::INTR),
                Read::Bytes(n) => Ok(n),
                Read::Closed => Ok(0),
            }
        }
        Desc::File(file) => files::read(&file, buf, len),
        _ => Err(Errno::BADF),
    }
}

#[inline(never)]
pub fn fd_pread(fd: u32, iovs: u32, iovs_len: u32, offset: u64, nread: u32) -> u32 {
    call(|| {
        let (buf, len) = guest::first_non_empty_iovec(iovs, iovs_len)?;
        let n = match descriptors::get_io(fd)? {
            Desc::File(file) => files::pread(&file, buf, len, offset)?,
            desc => return Err(not_a_file(matches!(desc, Desc::Stdin(_)))),
        };
        guest::write_u32(nread, n);
        Ok(())
    })
}

/// Native: stdin is a pipe, everything else is not a file. A function of
/// its own because, inlined, the choice became a `switch` over the
/// descriptor kinds that LLVM turned into a lookup table in `.rodata` (a
/// data segment, which an adapter may not have) in the proxy.
#[inline(never)]
fn not_a_file(stdin: bool) -> Errno {
    if stdin {
        Errno::SPIPE
    } else {
        Errno::BADF
    }
}
