//! `poll_oneoff`. Its full implementation (clocks, stdio and file readiness)
//! is the poll/stdio work; for now it answers as native does for an empty
//! subscription list and NOTSUP otherwise.

use super::call;
use crate::errno::Errno;

#[inline(never)]
pub unsafe fn poll_oneoff(_subscriptions: u32, _events: u32, nsubscriptions: u32, _nevents: u32) -> u32 {
    call(|| Err(if nsubscriptions == 0 { Errno::INVAL } else { Errno::NOTSUP }))
}
