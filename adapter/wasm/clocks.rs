//! `clock_res_get`, `clock_time_get`, `random_get`, `sched_yield`.

use super::guest;
use super::host::{self, load_u32, load_u64};
use super::scratch;
use super::{call, trap};
use crate::errno::{Errno, Result};

const REALTIME: u32 = 0;
const MONOTONIC: u32 = 1;
const PROCESS_CPUTIME_ID: u32 = 2;
const THREAD_CPUTIME_ID: u32 = 3;

/// A `wall-clock` `datetime` at `at` as nanoseconds; `OVERFLOW` past 2^64 ns.
fn datetime_ns(at: u32) -> Result<u64> {
    let (seconds, nanos) = (load_u64(at), load_u32(at + 8));
    seconds
        .checked_mul(1_000_000_000)
        .and_then(|ns| ns.checked_add(nanos as u64))
        .ok_or(Errno::OVERFLOW)
}

/// Reads clock `id` (`resolution` selects the resolution instead of the time).
fn clock(id: u32, resolution: bool) -> Result<u64> {
    match id {
        REALTIME => {
            let ret = host::ret_area(16);
            unsafe {
                if resolution {
                    host::clocks::wall_resolution(ret)
                } else {
                    host::clocks::wall_now(ret)
                }
            }
            datetime_ns(ret)
        }
        MONOTONIC => Ok(unsafe {
            if let (false, Some(paused)) = (resolution, super::extras::paused_monotonic()) {
                paused
            } else if resolution {
                host::clocks::monotonic_resolution()
            } else {
                host::clocks::monotonic_now()
            }
        }),
        // WASI 0.2 has no CPU-time clocks; native answers BADF.
        PROCESS_CPUTIME_ID | THREAD_CPUTIME_ID => Err(Errno::BADF),
        // Not a clockid at all: native rejects the argument with a trap.
        _ => trap::abort(),
    }
}

#[inline(never)]
pub unsafe fn clock_res_get(id: u32, resolution: u32) -> u32 {
    call(|| {
        let r = clock(id, true)?;
        guest::write_u64(resolution, r);
        Ok(())
    })
}

#[inline(never)]
pub unsafe fn clock_time_get(id: u32, _precision: u64, time: u32) -> u32 {
    call(|| {
        let t = clock(id, false)?;
        guest::write_u64(time, t);
        Ok(())
    })
}

/// Fills `[buf, buf + len)` with random bytes; the host writes them straight
/// into the program's buffer, in as many calls as it needs.
#[inline(never)]
pub unsafe fn random_get(buf: u32, len: u32) -> u32 {
    call(|| {
        guest::check(buf, len as u64, 1);
        let mut done = 0;
        while done < len {
            let at = buf + done;
            let want = len - done;
            scratch::avoid(at, want);
            let ret = host::ret_area(8);
            scratch::result_into(at, want);
            host::random::get_random_bytes(want as u64, ret);
            let (ptr, n) = (load_u32(ret), load_u32(ret + 4));
            if n == 0 || n > want || ptr != at {
                // The host broke `get-random-bytes`' contract.
                trap::abort();
            }
            done += n;
            scratch::end_call();
        }
        Ok(())
    })
}

#[inline(never)]
pub unsafe fn sched_yield() -> u32 {
    0
}
