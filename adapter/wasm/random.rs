//! `random_get`: random bytes straight from `wasi:random` into the
//! program's buffer.

use super::guest;
use super::host::{self, load_u32};
use super::scratch;
#[cfg(not(feature = "proxy"))]
use super::{fast::NOT_FAST, scratch::stack};
#[cfg(not(feature = "proxy"))]
use crate::layout;
use super::{call, trap};
use crate::canonical::{random::GET_RANDOM_BYTES_AREA, LIST_LEN};

#[inline(never)]
pub fn random_get(buf: u32, len: u32) -> u32 {
    call(|| {
        guest::check(buf, len as u64, 1);
        // The host writes into the buffer: scratch (the return area) must not lie there.
        scratch::avoid(buf, len);
        fill_random(buf, len, host::ret_area(GET_RANDOM_BYTES_AREA));
        Ok(())
    })
}

/// Up to this many random bytes are fetched 8 at a time with `get-random-u64`
/// (not in the proxy, built for size: there every size comes as a list).
const SMALL_RANDOM: u32 = if cfg!(feature = "proxy") { 0 } else { 16 };

/// Fills the program's buffer `[buf, buf + len)` with random bytes, straight
/// from the host, in as many calls as it takes; `ret` is a
/// [`GET_RANDOM_BYTES_AREA`]-byte return area. Shared with the fast `random_get`, so it needs no stack.
#[inline(always)]
fn fill_random(buf: u32, len: u32, ret: u32) {
    if len <= SMALL_RANDOM {
        random_words(buf, len)
    } else {
        random_bytes(buf, len, ret)
    }
}

/// [`fill_random`] of more than [`SMALL_RANDOM`] bytes, as lists the host
/// writes straight into the buffer. Out of line: the fast and the full
/// `random_get` share it, and the host call dwarfs the call to it.
#[inline(never)]
fn random_bytes(buf: u32, len: u32, ret: u32) {
    let mut done = 0;
    while done < len {
        let (at, want) = (buf + done, len - done);
        scratch::result_into(at, want);
        host::random::get_random_bytes(want as u64, ret);
        scratch::no_results();
        let (ptr, n) = (load_u32(ret), load_u32(ret + LIST_LEN));
        if n == 0 || n > want || ptr != at {
            // The host broke `get-random-bytes`' contract.
            trap::abort();
        }
        done += n;
    }
}

/// [`fill_random`] of a few bytes (a hash seed): they come cheaper as
/// numbers, with no list for the host to allocate through
/// `cabi_import_realloc`. Scalars only: no stack.
#[inline(never)]
fn random_words(buf: u32, len: u32) {
    let mut done = 0;
    while done < len {
        let mut word = host::random::get_random_u64();
        let end = len.min(done + 8);
        while done < end {
            guest::store_u8(buf + done, word as u8);
            word >>= 8;
            done += 1;
        }
    }
}

/// `random_get` of a buffer in memory (see `preview1.rs`).
#[cfg(not(feature = "proxy"))]
#[inline(always)]
pub fn random_fast(buf: u32, len: u32) -> u32 {
    guest::note_memory_size();
    let ret = stack::fast_area();
    if len == 0
        || ret == 0
        || !layout::region_ok(buf, len as u64, 1, guest::memory_bytes())
        || layout::overlaps(buf, len as u64, ret, stack::FAST_AREA as u64)
    {
        return NOT_FAST;
    }
    fill_random(buf, len, ret);
    stack::clear_fast_area(ret);
    0
}
