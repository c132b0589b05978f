//! The program's memory size as of the current call: what every guest
//! pointer is checked against. Its own leaf, because both the guest-memory
//! accessors (`guest.rs`) and the stack window (`scratch.rs`, which notes the
//! size on entering) need it, and `guest.rs` uses `scratch.rs`.

use core::arch::wasm32;

use super::globals::{get_guest_memory_pages, set_guest_memory_pages};
use crate::layout::WASM_PAGE;

/// Size of the program's memory in bytes as it was when the program made the
/// current call. Pages the adapter grows during the call are not the
/// program's memory for that call: natively memory does not grow under a
/// call, so a pointer past this end traps even if it is valid by now.
#[inline]
pub fn memory_bytes() -> u64 {
    get_guest_memory_pages() as u64 * WASM_PAGE
}

/// Records the program's memory size; the first thing every export does.
#[inline(always)]
pub fn note_memory_size() {
    set_guest_memory_pages(wasm32::memory_size(0) as u32);
}
