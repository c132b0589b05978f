//! [`Packed`]: two `u32`s in one `u64`, the one way an adapter function that
//! is not inlined answers more than one `u32`.
//!
//! On wasm32 a function that returns a `Result<u32, Errno>`, an `Option` or a
//! pair returns it through memory: every caller needs a stack frame, and a
//! fast path (which runs without one) cannot call it at all. A `u64` comes
//! back in a register. Every such answer in the adapter is a `Packed`, in one
//! of two readings, each chosen by the function's documentation:
//! - a `Result<u32>` ([`Packed::ok`], [`Packed::err`], [`Packed::result`]):
//!   the value in the low half, the errno in the high half; an errno is never
//!   0, so a zero high half is success;
//! - a pair ([`Packed::new`], [`Packed::low`], [`Packed::high`]), where a
//!   function that can also fail names the one pair it answers for that
//!   (`guest::IOVEC_NOMEM`), or the high half says which case it is (the
//!   proxy's descriptor lookup: the stdio kind, 0 for none).
//!
//! (`scratch::grow_pages` answers an address or none in a `u32` of its own:
//! `u32::MAX` is never a page's address.)

use crate::errno::{Errno, Result};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[repr(transparent)]
pub struct Packed(u64);

impl Packed {
    #[inline(always)]
    pub const fn new(low: u32, high: u32) -> Packed {
        Packed(low as u64 | (high as u64) << 32)
    }

    #[inline(always)]
    pub const fn low(self) -> u32 {
        self.0 as u32
    }

    #[inline(always)]
    pub const fn high(self) -> u32 {
        (self.0 >> 32) as u32
    }

    /// A successful `value`.
    #[inline(always)]
    pub const fn ok(value: u32) -> Packed {
        Packed::new(value, 0)
    }

    /// A failure.
    #[inline(always)]
    pub const fn err(errno: Errno) -> Packed {
        Packed::new(0, errno.0)
    }

    #[inline(always)]
    pub fn from_result(result: Result<u32>) -> Packed {
        match result {
            Ok(value) => Packed::ok(value),
            Err(errno) => Packed::err(errno),
        }
    }

    /// The `Result<u32>` this holds.
    #[inline(always)]
    pub fn result(self) -> Result<u32> {
        match self.high() {
            0 => Ok(self.low()),
            e => Err(Errno(e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_result_comes_back_as_it_went() {
        for result in [Ok(0), Ok(7), Ok(u32::MAX), Err(Errno::BADF), Err(Errno(u16::MAX as u32))] {
            assert_eq!(Packed::from_result(result).result(), result);
        }
    }

    #[test]
    fn halves_are_independent() {
        let p = Packed::new(0xdead_beef, 3);
        assert_eq!((p.low(), p.high()), (0xdead_beef, 3));
        assert_eq!(Packed::new(u32::MAX, u32::MAX), Packed(u64::MAX));
        assert_eq!(Packed::ok(5).high(), 0);
        assert_eq!(Packed::err(Errno::NOMEM).low(), 0);
    }
}
