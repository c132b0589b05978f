//! `clock_res_get`, `clock_time_get`, `sched_yield`.

use super::guest;
use super::host::{self, load_u32, load_u64};
#[cfg(not(feature = "proxy"))]
use super::{fast::NOT_FAST, scratch::stack};
use crate::layout;
use super::{call, trap};
use crate::abi::clockid::{MONOTONIC, PROCESS_CPUTIME_ID, REALTIME, THREAD_CPUTIME_ID};
use crate::canonical::clocks::*;
use crate::errno::{Errno, Result};

/// A `wall-clock` `datetime` at `at` as nanoseconds; `OVERFLOW` past 2^64 ns.
fn datetime_ns(at: u32) -> Result<u64> {
    layout::datetime_ns(load_u64(at + DATETIME_SECONDS), load_u32(at + DATETIME_NANOSECONDS)).ok_or(Errno::OVERFLOW)
}

/// Reads clock `id` (`resolution` selects the resolution instead of the time).
fn clock(id: u32, resolution: bool) -> Result<u64> {
    match id {
        REALTIME => {
            let ret = host::ret_area(DATETIME_AREA);
            if resolution {
                host::clocks::wall_resolution(ret)
            } else {
                host::clocks::wall_now(ret)
            }
            datetime_ns(ret)
        }
        MONOTONIC => Ok(if let (false, Some(paused)) = (resolution, super::extras::paused_monotonic()) {
            paused
        } else if resolution {
            host::clocks::monotonic_resolution()
        } else {
            host::clocks::monotonic_now()
        }),
        // WASI 0.2 has no CPU-time clocks; native answers BADF.
        PROCESS_CPUTIME_ID | THREAD_CPUTIME_ID => Err(Errno::BADF),
        // Not a clockid at all: native rejects the argument with a trap.
        _ => trap::abort(),
    }
}

/// `clock_res_get` and `clock_time_get` share this body, `call` included:
/// the exports only pick `resolution`.
#[inline(never)]
fn clock_get(id: u32, resolution: bool, out: u32) -> u32 {
    call(|| {
        let value = clock(id, resolution)?;
        guest::write_u64(out, value);
        Ok(())
    })
}

#[inline(always)]
pub fn clock_res_get(id: u32, resolution: u32) -> u32 {
    clock_get(id, true, resolution)
}

/// `clock_time_get` of the wall clock, or of the monotonic clock unless
/// `extras` paused it (see `preview1.rs`).
#[cfg(not(feature = "proxy"))]
#[inline(always)]
pub fn clock_time_fast(id: u32, _precision: u64, time: u32) -> u32 {
    let now = match id {
        MONOTONIC if super::globals::get_monotonic_paused() == 0 => host::clocks::monotonic_now(),
        REALTIME => {
            let ret = stack::fast_area();
            if ret == 0 {
                return NOT_FAST;
            }
            host::clocks::wall_now(ret);
            let ns = datetime_ns(ret);
            stack::clear_fast_area(ret);
            match ns {
                Ok(ns) => ns,
                Err(Errno(e)) => return e,
            }
        }
        _ => return NOT_FAST,
    };
    guest::note_memory_size();
    guest::write_u64(time, now);
    0
}

#[inline(always)]
pub fn clock_time_get(id: u32, _precision: u64, time: u32) -> u32 {
    clock_get(id, false, time)
}

/// Fills `[buf, buf + len)` with random bytes; the host writes them straight
/// into the program's buffer, in as many calls as it needs.
#[inline(never)]
pub fn sched_yield() -> u32 {
    0
}
