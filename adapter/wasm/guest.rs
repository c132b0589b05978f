//! Access to the program's memory, checked the way native preview1 checks it:
//! an out-of-bounds or misaligned region traps; an empty one is checked only
//! where native reads it (a path must start inside memory).

use super::scratch;
use super::trap;
use crate::abi::{FilestatFields, DIRENT_SIZE, EVENT_SIZE, FDSTAT_SIZE, FILESTAT_SIZE, IOVEC_SIZE, PRESTAT_SIZE};
use crate::errno::{Errno, Result};
use crate::packed::Packed;
use crate::layout;

pub use super::memory::memory_bytes;
// For the fast paths, which the proxy has not.
#[cfg(not(feature = "proxy"))]
pub use super::memory::note_memory_size;

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


/// Traps unless `[ptr, ptr + len)` is a valid region aligned to `align`.
#[inline]
pub fn check(ptr: u32, len: u64, align: u32) {
    if !layout::region_ok(ptr, len, align, memory_bytes()) {
        // Native preview1 traps on a bad guest pointer.
        trap::abort()
    }
}

/// Sets up the next import call, one that reads bytes for the program into
/// `[buf, buf + len)`: the host writes them straight there when the buffer
/// fits in memory (returns `true`), else into scratch, from which
/// [`finish_read`] copies only what was read (native checks only those
/// bytes, so a buffer past the end of memory is fine at the end of a file).
/// Must come before the call allocates any scratch.
pub fn start_read(buf: u32, len: u32) -> bool {
    let direct = layout::region_ok(buf, len as u64, 1, memory_bytes());
    if direct {
        scratch::avoid(buf, len);
        scratch::result_into(buf, len);
    } else {
        scratch::results_to_scratch();
    }
    direct
}

/// Completes a read set up by [`start_read`] that returned `n` bytes at `ptr`.
pub fn finish_read(direct: bool, buf: u32, ptr: u32, n: u32) {
    if !direct {
        check(buf, n as u64, 1);
        if n != 0 {
            unsafe { core::ptr::copy(ptr as *const u8, buf as *mut u8, n as usize) }
        }
    } else if n != 0 && ptr != buf {
        // The host put the data somewhere we did not offer.
        trap::abort();
    }
}

#[inline]
pub fn write_u32(ptr: u32, value: u32) {
    check(ptr, 4, 4);
    unsafe { (ptr as *mut u32).write(value) }
}

#[inline]
pub fn write_u64(ptr: u32, value: u64) {
    check(ptr, 8, 8);
    unsafe { (ptr as *mut u64).write(value) }
}

/// Loads and stores inside a region the caller has [`check`]ed whole (a
/// loop that would otherwise check every element).
pub use super::memory::raw::{load_u16, load_u32, load_u64, load_u8, store_u16, store_u32, store_u64, store_u8};

/// Copies `len` bytes from `from` to `ptr`, inside a region the caller has
/// [`check`]ed whole.
#[cfg(not(feature = "proxy"))]
#[inline(always)]
pub fn store_bytes(ptr: u32, from: u32, len: u32) {
    unsafe { core::ptr::copy(from as *const u8, ptr as *mut u8, len as usize) }
}

// The preview1 records, written field by field: native leaves the padding
// bytes untouched, so must we. Each checks its region first (a trap, as
// natively) and is inlined into its one caller, so it costs no frame.

/// An `fdstat` at `out`.
#[inline(always)]
pub fn write_fdstat(out: u32, filetype: u8, flags: u16, rights_base: u64, rights_inheriting: u64) {
    check(out, FDSTAT_SIZE as u64, 8);
    store_u8(out, filetype);
    store_u16(out + 2, flags);
    store_u64(out + 8, rights_base);
    store_u64(out + 16, rights_inheriting);
}

/// A `prestat` of a directory whose name is `name_len` bytes, at `out`.
#[inline(always)]
pub fn write_prestat(out: u32, name_len: u32) {
    check(out, PRESTAT_SIZE as u64, 4);
    store_u8(out, 0); // preopentype::dir
    store_u32(out + 4, name_len);
}

/// Where a `filestat` goes, checked (a trap, as natively) before any
/// field is read.
pub struct FilestatOut(u32);

impl FilestatOut {
    #[inline(always)]
    pub fn check(out: u32) -> FilestatOut {
        check(out, FILESTAT_SIZE as u64, 8);
        FilestatOut(out)
    }

    #[inline(always)]
    pub fn write(self, stat: &impl FilestatFields) {
        let out = self.0;
        store_u64(out, stat.dev());
        store_u64(out + 8, stat.ino());
        store_u8(out + 16, stat.filetype());
        store_u64(out + 24, stat.nlink());
        store_u64(out + 32, stat.size());
        store_u64(out + 40, stat.atim());
        store_u64(out + 48, stat.mtim());
        store_u64(out + 56, stat.ctim());
    }
}

/// The `filestat` of a stdio stream at `out`: all zero but the filetype.
#[inline(always)]
pub fn write_stdio_filestat(out: u32, filetype: u8) {
    check(out, FILESTAT_SIZE as u64, 8);
    store_u8(out + 16, filetype);
    // Store by store: a loop over an array of the offsets needs a frame
    // for the array. Offsets from one pointer (not `out + 8` on `u32`s,
    // which may wrap) let the compiler merge the stores.
    let words = out as *mut u64;
    unsafe {
        words.write(0);
        words.add(1).write(0);
        words.add(3).write(0);
        words.add(4).write(0);
        words.add(5).write(0);
        words.add(6).write(0);
        words.add(7).write(0);
    }
}

/// An `event` at `at` of a subscription that succeeded.
#[inline(always)]
pub fn write_event(at: u32, userdata: u64, tag: u8, flags: u16, nbytes: u64) {
    check(at, EVENT_SIZE as u64, 8);
    store_u64(at, userdata);
    store_u16(at + 8, 0); // error: success
    store_u8(at + 10, tag);
    store_u64(at + 16, nbytes);
    store_u16(at + 24, flags);
}

/// A `dirent` header at `at` (any alignment: entries are packed).
#[inline(always)]
pub fn write_dirent(at: u32, d_next: u64, ino: u64, namlen: u32, filetype: u8) {
    check(at, DIRENT_SIZE as u64, 1);
    let at = at as *mut u8;
    unsafe {
        at.cast::<u64>().write_unaligned(d_next);
        at.add(8).cast::<u64>().write_unaligned(ino);
        at.add(16).cast::<u32>().write_unaligned(namlen);
        at.add(20).cast::<u32>().write_unaligned(filetype as u32);
    }
}

#[inline]
pub fn write_bytes(ptr: u32, bytes: &[u8]) {
    check(ptr, bytes.len() as u64, 1);
    unsafe { core::ptr::copy(bytes.as_ptr(), ptr as *mut u8, bytes.len()) }
}

/// Reads a `(buf, buf_len)` pair from an iovec array the caller has checked.
#[inline]
pub fn read_iovec(at: u32) -> (u32, u32) {
    unsafe { ((at as *const u32).read(), ((at + 4) as *const u32).read()) }
}

/// Native preview1 refuses (with `NOMEM`) a call that would copy more than
/// this many bytes of guest memory: wasmtime's default per-call host fuel.
pub const HOSTCALL_FUEL: u64 = 128 << 20;

/// The first iovec with a non-zero length, or `(0, 0)`: native preview1
/// transfers only that one buffer per call. The array is checked element by
/// element (and may trap) before the descriptor is looked at, as natively.
#[inline(always)]
pub fn first_non_empty_iovec(iovs: u32, count: u32) -> Result<(u32, u32)> {
    let packed = first_non_empty_iovec_packed(iovs, count);
    if packed == IOVEC_NOMEM {
        return Err(Errno::NOMEM);
    }
    Ok((packed.low(), packed.high()))
}

/// [`first_non_empty_iovec`]'s answer as the pair `(buf, len)` (a
/// register, where a `Result` of a pair needs a frame in every caller), or
/// this for `NOMEM`: a length of `u32::MAX` is always past the fuel.
const IOVEC_NOMEM: Packed = Packed::new(u32::MAX, u32::MAX);
const _: () = assert!(u32::MAX as u64 > HOSTCALL_FUEL);

#[inline(never)]
fn first_non_empty_iovec_packed(iovs: u32, count: u32) -> Packed {
    let array = count as u64 * IOVEC_SIZE as u64;
    if array > HOSTCALL_FUEL {
        return IOVEC_NOMEM;
    }
    for i in 0..count {
        // `iovs + i * 8` wrapping past 4 GiB is a pointer overflow natively: a trap.
        let at = match iovs.checked_add(i * IOVEC_SIZE) {
            Some(at) => at,
            None => trap::abort(),
        };
        check(at, IOVEC_SIZE as u64, 4);
        let (buf, len) = read_iovec(at);
        if len != 0 {
            if len as u64 > HOSTCALL_FUEL - array {
                return IOVEC_NOMEM;
            }
            return Packed::new(buf, len);
        }
    }
    Packed::new(0, 0)
}

/// The first iovec's buffer `(ptr, len)`, when the fast paths can take it:
/// the iovec array and the buffer are in memory, within the host's fuel,
/// and the buffer is not empty; else `(0, 0)`, for the full implementation.
/// (Inlined into each fast path: the pair needs no register packing.)
#[cfg(not(feature = "proxy"))]
#[inline(always)]
pub fn first_iovec_fast(iovs: u32, count: u32) -> (u32, u32) {
    let memory = memory_bytes();
    // Past the host's fuel, [`first_non_empty_iovec`] answers NOMEM.
    let array = count as u64 * IOVEC_SIZE as u64;
    if count == 0 || array > HOSTCALL_FUEL || !layout::region_ok(iovs, IOVEC_SIZE as u64, 4, memory) {
        return (0, 0);
    }
    let (buf, len) = read_iovec(iovs);
    if len == 0 || len as u64 > HOSTCALL_FUEL - array || !layout::region_ok(buf, len as u64, 1, memory) {
        return (0, 0);
    }
    (buf, len)
}

/// A view of `len` guest bytes at `ptr`, after checking the region.
#[inline]
pub fn bytes<'a>(ptr: u32, len: u32) -> &'a [u8] {
    check(ptr, len as u64, 1);
    if len == 0 {
        return &[];
    }
    if ptr == 0 {
        return copy_from_address_zero(len);
    }
    unsafe { core::slice::from_raw_parts(ptr as *const u8, len as usize) }
}

/// A view of `len` guest bytes at `ptr`, a region the caller has checked
/// with [`layout::region_ok`], for a fast path: unlike [`bytes`] it neither
/// traps nor copies a region at address 0 to scratch (which the fast paths
/// do not touch). At address 0 the slice's pointer would be null, which
/// Rust does not allow (see `copy_from_address_zero`): a caller must
/// decline that region.
#[cfg(not(feature = "proxy"))]
#[inline(always)]
pub fn view_checked<'a>(ptr: u32, len: u32) -> &'a [u8] {
    unsafe { core::slice::from_raw_parts(ptr as *const u8, len as usize) }
}

/// For the program, address 0 is memory like any other, but a Rust slice
/// cannot start there: a null data pointer is the niche that encodes `Err`
/// in `Result<&[u8], Errno>` (a path at address 0 came back as an error
/// whose errno was the path's length). Such a region is copied to scratch.
#[inline(never)]
fn copy_from_address_zero<'a>(len: u32) -> &'a [u8] {
    let at = scratch::alloc_or_trap(len, 1);
    unsafe {
        // Byte 0 by a volatile load, which the compiler keeps as it is.
        let first = core::ptr::read_volatile(core::ptr::null::<u8>());
        (at as *mut u8).write(first);
        core::ptr::copy_nonoverlapping(1 as *const u8, (at + 1) as *mut u8, len as usize - 1);
        core::slice::from_raw_parts(at as *const u8, len as usize)
    }
}

/// The per-call budget of guest bytes native preview1 will copy (see
/// [`HOSTCALL_FUEL`]); paths and buffers draw from it in argument order.
pub struct Fuel(u64);

impl Fuel {
    pub fn new() -> Fuel {
        Fuel(HOSTCALL_FUEL)
    }

    pub fn take(&mut self, bytes: u64) -> Result<()> {
        if bytes > self.0 {
            return Err(Errno::NOMEM);
        }
        self.0 -= bytes;
        Ok(())
    }
}

/// A path argument, decoded as native decodes it: fuel first (`NOMEM`),
/// then the region (trap), then UTF-8 (`ILSEQ`). `fuel` is `None` for the
/// one call native reads without charging it (`path_unlink_file`).
pub fn path<'a>(ptr: u32, len: u32, fuel: Option<&mut Fuel>) -> Result<&'a [u8]> {
    if let Some(fuel) = fuel {
        fuel.take(len as u64)?;
    }
    // Native reads a string even when it is empty, and reading checks that
    // the region, empty or not, lies inside memory.
    if len == 0 && ptr as u64 > memory_bytes() {
        trap::abort()
    }
    let path = bytes(ptr, len);
    if !layout::is_utf8(path) {
        return Err(Errno::ILSEQ);
    }
    Ok(path)
}
