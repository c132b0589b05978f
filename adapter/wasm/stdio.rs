//! `fd_read`, `fd_write`, `fd_pread`, `fd_pwrite`.
//!
//! Like native preview1, each call transfers only the first non-empty iovec.
//! Files come with the filesystem work; today every open fd is stdio or a
//! directory.

use super::descriptors::{self, Desc};
use super::guest;
use super::host::{self, Read};
use super::call;
use super::files;
use crate::errno::{Errno, Result};

#[inline(never)]
pub unsafe fn fd_write(fd: u32, iovs: u32, iovs_len: u32, nwritten: u32) -> u32 {
    write(fd, iovs, iovs_len, None, nwritten)
}

#[inline(never)]
pub unsafe fn fd_pwrite(fd: u32, iovs: u32, iovs_len: u32, offset: u64, nwritten: u32) -> u32 {
    write(fd, iovs, iovs_len, Some(offset), nwritten)
}

/// `fd_write` (`at` = `None`) and `fd_pwrite`.
#[inline(never)]
fn write(fd: u32, iovs: u32, iovs_len: u32, at: Option<u64>, nwritten: u32) -> u32 {
    call(|| {
        let (buf, len) = guest::first_non_empty_iovec(iovs, iovs_len)?;
        let n = match descriptors::get(fd)? {
            Desc::Stdout(stream) | Desc::Stderr(stream) => {
                if at.is_some() {
                    // Native: stdout and stderr are pipes.
                    return Err(Errno::SPIPE);
                }
                host::write_all(stream, guest::bytes(buf, len))?;
                len
            }
            Desc::File(entry) => files::write(entry, guest::bytes(buf, len), at)?,
            _ => return Err(Errno::BADF),
        };
        guest::write_u32(nwritten, n);
        Ok(())
    })
}

#[inline(never)]
pub unsafe fn fd_read(fd: u32, iovs: u32, iovs_len: u32, nread: u32) -> u32 {
    call(|| {
        let n = read(fd, iovs, iovs_len)?;
        guest::write_u32(nread, n);
        Ok(())
    })
}

fn read(fd: u32, iovs: u32, iovs_len: u32) -> Result<u32> {
    let (buf, len) = guest::first_non_empty_iovec(iovs, iovs_len)?;
    match descriptors::get(fd)? {
        Desc::Stdin(stream) => {
            // Native checks only the bytes it read (`blocking_read_into`).
            match host::blocking_read_into(stream, buf, len)? {
                // A blocking read that returns nothing was interrupted.
                Read::Bytes(0) => Err(Errno::INTR),
                Read::Bytes(n) => Ok(n),
                Read::Closed => Ok(0),
            }
        }
        Desc::File(entry) => files::read(entry, buf, len),
        _ => Err(Errno::BADF),
    }
}

#[inline(never)]
pub unsafe fn fd_pread(fd: u32, iovs: u32, iovs_len: u32, offset: u64, nread: u32) -> u32 {
    call(|| {
        let (buf, len) = guest::first_non_empty_iovec(iovs, iovs_len)?;
        let n = match descriptors::get(fd)? {
            Desc::File(entry) => files::pread(entry, buf, len, offset)?,
            // Native: stdin is a pipe, everything else is not a file.
            Desc::Stdin(_) => return Err(Errno::SPIPE),
            _ => return Err(Errno::BADF),
        };
        guest::write_u32(nread, n);
        Ok(())
    })
}

