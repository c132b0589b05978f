//! `poll_oneoff` on `wasi:io/poll`, the way native preview1 does it:
//!
//! * one relative clock subscription is a plain sleep (`pollable.block`),
//!   answered with `nbytes` 1, as native answers it when it may block the
//!   thread (the host's choice, which a component cannot see);
//! * otherwise every subscription becomes a pollable (clocks through
//!   `monotonic-clock`, stdio through its streams, files through a stream
//!   opened at the descriptor's position, ready at once), one `poll` waits
//!   for the first ready ones, and an event is written for each ready
//!   subscription, in subscription order. A bad subscription fails the whole
//!   call (`INVAL` for bad values, `BADF` for a descriptor that cannot be
//!   polled), as natively.
//!
//! Waiting is always a host `poll`/`block`: no busy loop.

use super::call;
use super::descriptors::{self, Desc};
use super::guest::{self, HOSTCALL_FUEL};
use super::host::{self, load_u32};
use super::scratch;
use crate::abi::{clockid, eventtype, EVENT_FD_READWRITE_HANGUP, EVENT_SIZE, SUBCLOCK_ABSTIME, SUBSCRIPTION_SIZE};
use crate::canonical::{clocks, io, LIST_LEN};
use crate::errno::{Errno, Result};

/// A subscription as read from the program's memory (layout: userdata @0,
/// tag u8 @8, then clock {id u32 @16, timeout u64 @24, precision @32,
/// flags u16 @40} or fd u32 @16).
struct Subscription {
    userdata: u64,
    tag: u8,
    /// The clock id or the fd.
    id: u32,
    timeout: u64,
    flags: u16,
}

/// Reads subscription `i` as native's decoder does: field by field, in
/// order, trapping only when a field it reaches is out of bounds, and
/// answering `INVAL` for a value outside its type as soon as it meets it
/// (so an fd subscription needs only its first 20 bytes in memory).
fn read_subscription(base: u32, i: u32) -> Result<Subscription> {
    let at = base.wrapping_add(i.wrapping_mul(SUBSCRIPTION_SIZE));
    // Fields end at: userdata/tag 9, fd or clock id 20, clock flags 42.
    let field = |end: u64| guest::check(at, end, 8);
    field(9);
    let (userdata, tag) = (guest::load_u64(at), guest::load_u8(at + 8));
    if !matches!(tag, eventtype::CLOCK | eventtype::FD_READ | eventtype::FD_WRITE) {
        return Err(Errno::INVAL);
    }
    field(20);
    let id = guest::load_u32(at + 16);
    let mut s = Subscription { userdata, tag, id, timeout: 0, flags: 0 };
    if tag == eventtype::CLOCK {
        if id > 3 {
            return Err(Errno::INVAL);
        }
        field(42);
        s.timeout = guest::load_u64(at + 24);
        s.flags = guest::load_u16(at + 40);
        if s.flags & !SUBCLOCK_ABSTIME != 0 {
            return Err(Errno::INVAL);
        }
    }
    Ok(s)
}

/// Writes event `i` of the array at `events`.
fn write_event(events: u32, i: u32, userdata: u64, tag: u8, flags: u16, nbytes: u64) {
    guest::write_event(events.wrapping_add(i.wrapping_mul(EVENT_SIZE)), userdata, tag, flags, nbytes);
}

#[inline(never)]
pub fn poll_oneoff(subscriptions: u32, events: u32, n: u32, nevents: u32) -> u32 {
    call(|| {
        let count = poll(subscriptions, events, n)?;
        guest::write_u32(nevents, count);
        Ok(())
    })
}

fn poll(subs: u32, events: u32, n: u32) -> Result<u32> {
    if n == 0 {
        // Native: waiting for nothing forever is not supported.
        return Err(Errno::INVAL);
    }
    if n == 1 {
        let s = read_subscription(subs, 0)?;
        if s.tag == eventtype::CLOCK && s.flags & SUBCLOCK_ABSTIME == 0 {
            // A sleep of zero is over before it starts: no host calls.
            if s.timeout != 0 {
                let p = host::poll::subscribe_duration(s.timeout);
                host::poll::block(p);
                host::poll::drop_pollable(p);
            }
            write_event(events, 0, s.userdata, eventtype::CLOCK, 0, 1);
            return Ok(1);
        }
    }
    // Native's limit counts its own host copies: 32 bytes per subscription
    // and 32 per event, not the guest layout's 48 + 32.
    if n as u64 * 64 > HOSTCALL_FUEL {
        return Err(Errno::NOMEM);
    }
    // Per subscription: its pollable, and the stream opened for it, if any.
    let pollables = scratch::alloc_or_trap(n * 4, 4);
    let streams = if FILE_STREAMS { scratch::alloc_or_trap(n * 4, 4) } else { 0 };
    let mut made = 0;
    let result = subscribe_all(subs, n, pollables, streams, &mut made);
    let ready = result.map(|()| {
        let ret = host::ret_area(io::POLL_AREA);
        scratch::results_to_scratch();
        host::poll::poll(pollables, n, ret);
        (load_u32(ret), load_u32(ret + LIST_LEN))
    });
    release(pollables, streams, made);
    let (ready, ready_len) = ready?;

    // `poll` lists ready indices in no promised order; events follow
    // subscription order, as natively. Scratch starts zeroed.
    let is_ready = scratch::alloc_or_trap(n, 1);
    for k in 0..ready_len {
        let i = load_u32(ready + k * io::POLL_INDEX_SIZE);
        if i < n {
            scratch::store_u8(is_ready + i, 1);
        }
    }
    let mut count = 0;
    for i in 0..n {
        if scratch::load_u8(is_ready + i) == 0 {
            continue;
        }
        // Read and looked up again, as natively: the events written so far
        // may lie over later subscriptions, which then say something else
        // (a read of a closed stdin, say: BADF) than `subscribe_all` saw.
        let s = read_subscription(subs, i)?;
        let (flags, nbytes) = match s.tag {
            eventtype::CLOCK => (0, 0),
            eventtype::FD_READ => match descriptors::get(s.id)? {
                Desc::Stdin(_) => (0, 1),
                Desc::File(file) => {
                    let size = super::fs_host::size(file.handle)?;
                    (if size <= file.position() { EVENT_FD_READWRITE_HANGUP } else { 0 }, 1)
                }
                _ => return Err(Errno::BADF),
            },
            _ => match descriptors::get(s.id)? {
                Desc::Stdout(_) | Desc::Stderr(_) | Desc::File(_) => (0, 1),
                _ => return Err(Errno::BADF),
            },
        };
        write_event(events, count, s.userdata, s.tag, flags, nbytes);
        count += 1;
    }
    Ok(count)
}

/// Creates the pollable of every subscription; on error, `made` says how
/// many exist (the caller releases them).
fn subscribe_all(subs: u32, n: u32, pollables: u32, streams: u32, made: &mut u32) -> Result<()> {
    for i in 0..n {
        let s = read_subscription(subs, i)?;
        let mut stream = 0;
        let pollable = match s.tag {
            eventtype::CLOCK => clock_pollable(&s)?,
            eventtype::FD_READ => match descriptors::get(s.id)? {
                Desc::Stdin(input) => host::poll::subscribe_input(descriptors::stdin_stream(s.id, input)),
                Desc::File(file) => {
                    stream = super::fs_host::read_via_stream(file.handle, file.position())?;
                    host::poll::subscribe_input(stream)
                }
                _ => return Err(Errno::BADF),
            },
            _ => match descriptors::get(s.id)? {
                Desc::Stdout(output) | Desc::Stderr(output) => host::poll::subscribe_output(output),
                Desc::File(file) => {
                    stream = if file.flags & crate::table::flag::APPEND != 0 {
                        super::fs_host::append_via_stream(file.handle)?
                    } else {
                        super::fs_host::write_via_stream(file.handle, file.position())?
                    };
                    // Marked so `release` drops it as an output stream.
                    stream |= OUTPUT_STREAM;
                    host::poll::subscribe_output(stream & !OUTPUT_STREAM)
                }
                _ => return Err(Errno::BADF),
            },
        };
        scratch::store_u32(pollables + i * 4, pollable);
        if FILE_STREAMS {
            scratch::store_u32(streams + i * 4, stream);
        }
        *made = i + 1;
    }
    Ok(())
}

/// Whether a subscription can have a stream of its own: only a file's does,
/// and the proxy has no files (nor the code for them, then).
const FILE_STREAMS: bool = !cfg!(feature = "proxy");

/// Handles are small table indices; the top bit tells output streams apart.
const OUTPUT_STREAM: u32 = 1 << 31;

fn clock_pollable(s: &Subscription) -> Result<u32> {
    let absolute = s.flags & SUBCLOCK_ABSTIME != 0;
    Ok(match s.id {
        clockid::MONOTONIC if absolute => host::poll::subscribe_instant(s.timeout),
        clockid::MONOTONIC => host::poll::subscribe_duration(s.timeout),
        clockid::REALTIME if absolute => {
            // A realtime deadline becomes a wait from now; one in the past fires at once.
            let ret = host::ret_area(clocks::DATETIME_AREA);
            host::clocks::wall_now(ret);
            let (seconds, nanoseconds) = (host::load_u64(ret + clocks::DATETIME_SECONDS), load_u32(ret + clocks::DATETIME_NANOSECONDS));
            let now = seconds.wrapping_mul(1_000_000_000).wrapping_add(nanoseconds as u64);
            host::poll::subscribe_duration(s.timeout.saturating_sub(now))
        }
        clockid::REALTIME => host::poll::subscribe_duration(s.timeout),
        // CPU-time clocks cannot be waited on.
        _ => return Err(Errno::INVAL),
    })
}

/// Drops the pollables (children of the streams) first, then the streams.
fn release(pollables: u32, streams: u32, made: u32) {
    for i in 0..made {
        host::poll::drop_pollable(scratch::load_u32(pollables + i * 4));
    }
    if !FILE_STREAMS {
        return;
    }
    for i in 0..made {
        let stream = scratch::load_u32(streams + i * 4);
        if stream & OUTPUT_STREAM != 0 {
            host::io::drop_output_stream(stream & !OUTPUT_STREAM);
        } else if stream != 0 {
            host::io::drop_input_stream(stream);
        }
    }
}
