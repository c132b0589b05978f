//! The proxy's descriptors: stdio, and the numbers `adapter_open_badfd`
//! reserves. Nothing else can exist (no preopens, no `path_open` that could
//! succeed), so three wasm globals hold them all and the proxy owns no
//! persistent memory:
//!
//! * `stdio_fds`: byte `k` is the number of stdio stream `k` (0 stdin,
//!   1 stdout, 2 stderr), or [`CLOSED`]; byte 3 is `slots`, one past the
//!   highest number ever in use. Stored XOR [`INITIAL`], so that the globals'
//!   all-zero start means stdio at 0, 1 and 2 and three slots.
//! * `bad_fds_low` / `bad_fds_high`: the reserved numbers, a 64-bit set.
//!
//! Numbering is native's (as in `crate::table`): a new number is the highest
//! free one below `slots`, else `slots`. Numbers stop at [`CAPACITY`].
//! The streams themselves are fetched on first use and kept in the
//! `std*_stream` globals.

use super::Desc;
use crate::errno::{Errno, Result};
use crate::packed::Packed;
use crate::table::{kind, Entry};
use crate::wasm::globals::*;
use crate::wasm::{host, scratch, trap};

/// Descriptor numbers are below this (the width of the reserved set).
const CAPACITY: u32 = 64;
/// The number of a closed stdio stream (not below [`CAPACITY`]).
const CLOSED: u32 = 0xff;
/// The layout when nothing has changed: stdio at 0, 1, 2; three slots.
const INITIAL: u32 = 0x0302_0100;

fn layout() -> u32 {
    get_stdio_fds() ^ INITIAL
}

fn set_layout(layout: u32) {
    set_stdio_fds(layout ^ INITIAL)
}

/// The number of stdio stream `k` in `layout`, or [`CLOSED`].
fn fd_of(layout: u32, k: u32) -> u32 {
    (layout >> (8 * k)) & 0xff
}

/// Which stdio stream `fd` is (0, 1 or 2), or 3 if it is none.
fn stdio_at(fd: u32) -> u32 {
    let layout = layout();
    let mut k = 0;
    // `fd` may be anything, CLOSED included: only a number below CAPACITY is a stream's.
    while k < 3 && (fd >= CAPACITY || fd_of(layout, k) != fd) {
        k += 1;
    }
    k
}

fn reserved() -> u64 {
    (get_bad_fds_high() as u64) << 32 | get_bad_fds_low() as u64
}

fn set_reserved(set: u64) {
    set_bad_fds_low(set as u32);
    set_bad_fds_high((set >> 32) as u32);
}

/// Whether `fd` is a number reserved by `adapter_open_badfd`.
fn is_reserved(fd: u32) -> bool {
    fd < CAPACITY && reserved() >> fd & 1 != 0
}

/// The stream handle of stdio stream `k` (0 stdin, 1 stdout, 2 stderr): 0
/// until it is fetched, and again once it is closed.
#[inline(always)]
fn stream_of(k: u32) -> u32 {
    match k {
        0 => get_stdin_stream(),
        1 => get_stdout_stream(),
        _ => get_stderr_stream(),
    }
}

fn set_stream(k: u32, stream: u32) {
    match k {
        0 => set_stdin_stream(stream),
        1 => set_stdout_stream(stream),
        _ => set_stderr_stream(stream),
    }
}

/// The output stream of stdout (`k` = 1) or stderr (2), fetched on first use.
fn output_stream(k: u32) -> u32 {
    let mut stream = stream_of(k);
    if stream == 0 {
        stream = if k == 1 { host::cli::get_stdout() } else { host::cli::get_stderr() };
        set_stream(k, stream);
    }
    stream
}

/// Looks `fd` up; `BADF` when it is not open or is a reserved number.
///
/// The answer comes back as a pair (a [`Packed`] register; a `Result<Desc>`
/// goes through memory): the stream, and the stdio kind (0 for `BADF`).
#[inline(always)]
pub fn get(fd: u32) -> Result<Desc> {
    let packed = lookup(fd);
    let stream = packed.low();
    match packed.high() as u8 {
        kind::STDIN => Ok(Desc::Stdin(stream)),
        kind::STDOUT => Ok(Desc::Stdout(stream)),
        kind::STDERR => Ok(Desc::Stderr(stream)),
        _ => Err(Errno::BADF),
    }
}

/// `get`, for the calls that read and write (the command's and reactor's
/// lookup that does not number the preopens; the proxy has none).
#[inline(always)]
pub fn get_io(fd: u32) -> Result<Desc> {
    get(fd)
}

#[inline(never)]
fn lookup(fd: u32) -> Packed {
    let k = stdio_at(fd);
    let stream = match k {
        0 => stream_of(0),
        1 | 2 => output_stream(k),
        _ => return Packed::new(0, 0),
    };
    // The stdio kinds are 1, 2, 3 in stream order.
    Packed::new(stream, k + 1)
}

/// The stream of stdin, open as `fd` with [`Desc::Stdin`]`(stream)`:
/// `stream`, or fetched from the host and kept if it is 0 (only the calls
/// that read stdin fetch it; see the command's `stdin_stream`).
pub fn stdin_stream(_fd: u32, stream: u32) -> u32 {
    if stream != 0 {
        return stream;
    }
    let stream = host::cli::get_stdin();
    set_stream(0, stream);
    stream
}

/// The proxy world has no terminal interfaces.
pub fn is_terminal(_k: u8) -> bool {
    false
}

/// The proxy has no files, whose positions and flags these would keep.
pub fn position(_fd: u32) -> u64 {
    0
}
pub fn set_position(_fd: u32, _position: u64) {}
pub fn set_flags(_fd: u32, _flags: u8) {}

/// Only `path_open` adds a descriptor of another kind, and in the proxy it
/// has no directory to open in: never reached.
pub fn insert(_entry: Entry) -> Result<u32> {
    trap::abort()
}

/// Reserves a number that answers BADF to everything (`adapter_open_badfd`).
pub fn insert_bad() -> Result<u32> {
    let layout = layout();
    let slots = layout >> 24;
    let mut open = reserved();
    for k in 0..3 {
        let fd = fd_of(layout, k);
        if fd < CAPACITY {
            open |= 1 << fd;
        }
    }
    let fd = crate::table::next_in_set(open, slots, CAPACITY).ok_or(Errno::NFILE_OR_MFILE)?;
    if fd == slots {
        set_layout(layout + (1 << 24));
    }
    set_reserved(reserved() | 1 << fd);
    Ok(fd)
}

/// Closes `fd`.
pub fn close(fd: u32) -> Result<()> {
    let k = stdio_at(fd);
    if k < 3 {
        release(k);
        set_layout(layout() | CLOSED << (8 * k));
    } else if is_reserved(fd) {
        set_reserved(reserved() & !(1 << fd));
    } else {
        return Err(Errno::BADF);
    }
    Ok(())
}

/// Moves `from` onto `to`, closing what `to` held.
pub fn renumber(from: u32, to: u32) -> Result<()> {
    let is_open = |fd| stdio_at(fd) < 3 || is_reserved(fd);
    if !is_open(from) || !is_open(to) {
        return Err(Errno::BADF);
    }
    if from != to {
        close(to)?;
        let k = stdio_at(from);
        if k < 3 {
            set_layout(layout() & !(CLOSED << (8 * k)) | to << (8 * k));
        } else {
            set_reserved(reserved() & !(1 << from) | 1 << to);
        }
    }
    Ok(())
}

/// Drops stdio stream `k`'s handle, if it was fetched.
fn release(k: u32) {
    let stream = stream_of(k);
    if stream != 0 {
        if k == 0 {
            host::io::drop_input_stream(stream)
        } else {
            host::io::drop_output_stream(stream)
        }
        set_stream(k, 0);
    }
}

/// The proxy has no preopens: every open descriptor is stdio.
pub fn preopen_name(fd: u32, _lease: &scratch::Lease) -> Result<Option<&[u8]>> {
    get(fd).map(|_| None)
}

/// Forgets every piece of state (see the command's `reset`).
pub fn reset() {
    set_stdio_fds(0);
    set_reserved(0);
    set_stdin_stream(0);
    set_stdout_stream(0);
    set_stderr_stream(0);
}
