//! What a fast path answers when it declines (the protocol is explained in
//! `preview1.rs`). A leaf of its own so that the family modules, which
//! define fast paths, need not import `preview1`, which imports them.

/// What a fast path answers when the call needs the full implementation
/// (never an errno: those are 16-bit).
#[cfg(not(feature = "proxy"))]
pub const NOT_FAST: u32 = u32::MAX;
