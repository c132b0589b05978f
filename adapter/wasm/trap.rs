//! Ending the instance. The adapter has no data segment to hold messages, so
//! a trap carries no text; each call site says why in a comment.

#[cold]
pub fn abort() -> ! {
    core::arch::wasm32::unreachable()
}
