//! Exports beyond preview1 that toolchains and runtimes rely on, with the
//! meaning the published adapter gives them (drop-in compatibility).

use super::call;
use super::descriptors;
use super::globals::*;
use super::guest;
use super::scratch::stack;

/// wasi-libc reserves a descriptor number that answers BADF to everything.
#[no_mangle]
pub extern "C" fn adapter_open_badfd(out: u32) -> u32 {
    stack::enter(0);
    let errno = open_badfd(out);
    stack::leave();
    errno
}

#[inline(never)]
fn open_badfd(out: u32) -> u32 {
    call(|| {
        let fd = descriptors::insert_bad()?;
        guest::write_u32(out, fd);
        Ok(())
    })
}

/// Releases a number reserved by `adapter_open_badfd`. Like the published
/// adapter, it closes whatever descriptor it is given (BADF if none is open).
#[no_mangle]
pub extern "C" fn adapter_close_badfd(fd: u32) -> u32 {
    stack::enter(32);
    let errno = close_badfd(fd);
    stack::leave();
    errno
}

#[inline(never)]
fn close_badfd(fd: u32) -> u32 {
    call(|| descriptors::close(fd))
}

/// After component pre-initialisation (e.g. Wizer) the snapshot's WASI
/// resources are gone: start over as if no call had been made. Pages the
/// adapter grew stay in memory, unused.
#[no_mangle]
pub extern "C" fn reset_adapter_state() {
    descriptors::reset();
    // The proxy has no directories to list.
    #[cfg(not(feature = "proxy"))]
    super::readdir::reset_state();
    set_monotonic_paused(0);
    // The scratch region and stack window are zero between calls and may be
    // reused; nothing else to forget.
}

/// Runtimes that read the monotonic clock inside `cabi_realloc` (Go), where
/// no import may be called, pause it around such calls: while paused,
/// `clock_time_get(MONOTONIC)` answers the time at which it was paused.
#[no_mangle]
pub extern "C" fn adapter_monotonic_clock_set_paused(paused: u32) {
    if paused != 0 {
        let now = super::host::clocks::monotonic_now();
        set_monotonic_paused_low(now as u32);
        set_monotonic_paused_high((now >> 32) as u32);
        set_monotonic_paused(1);
    } else {
        set_monotonic_paused(0);
    }
}

/// The paused monotonic time, if the clock is paused.
pub fn paused_monotonic() -> Option<u64> {
    (get_monotonic_paused() != 0)
        .then(|| (get_monotonic_paused_high() as u64) << 32 | get_monotonic_paused_low() as u64)
}
