//! Sockets. A component host hands no sockets to a preview1 program, so, as
//! natively, every open descriptor is "not a socket" and anything else is BADF.

use super::call;
use super::descriptors;
use super::guest::require_flags;
use crate::abi::{FDFLAGS_ALL, RIFLAGS_ALL, SDFLAGS_ALL, SIFLAGS_ALL};
use crate::errno::Errno;

fn not_a_socket(fd: u32) -> u32 {
    call(|| {
        descriptors::get(fd)?;
        Err(Errno::NOTSOCK)
    })
}

#[inline(never)]
pub fn sock_accept(fd: u32, flags: u32, _opened: u32) -> u32 {
    require_flags(flags as u64, FDFLAGS_ALL as u64);
    not_a_socket(fd)
}

#[inline(never)]
pub fn sock_recv(fd: u32, _ri_data: u32, _ri_data_len: u32, ri_flags: u32, _ro_datalen: u32, _ro_flags: u32) -> u32 {
    require_flags(ri_flags as u64, RIFLAGS_ALL as u64);
    not_a_socket(fd)
}

#[inline(never)]
pub fn sock_send(fd: u32, _si_data: u32, _si_data_len: u32, si_flags: u32, _so_datalen: u32) -> u32 {
    require_flags(si_flags as u64, SIFLAGS_ALL as u64);
    not_a_socket(fd)
}

#[inline(never)]
pub fn sock_shutdown(fd: u32, how: u32) -> u32 {
    require_flags(how as u64, SDFLAGS_ALL as u64);
    not_a_socket(fd)
}
