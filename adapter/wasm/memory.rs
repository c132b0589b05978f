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

/// Loads and stores at a wasm address, written once. Each caller vouches
/// for the address under its own contract, which the modules re-exporting
/// these state: `guest.rs` (inside a region of the program's memory already
/// checked), `host.rs` (a return area the host has filled), `scratch.rs`
/// (scratch the adapter allocated for the call). In wasm a bad address
/// traps; it cannot reach anything but linear memory.
pub mod raw {
    macro_rules! accessors {
        ($($load:ident / $store:ident: $ty:ty;)*) => {$(
            #[inline(always)]
            pub fn $load(at: u32) -> $ty {
                unsafe { (at as *const $ty).read() }
            }
            #[inline(always)]
            pub fn $store(at: u32, value: $ty) {
                unsafe { (at as *mut $ty).write(value) }
            }
        )*};
    }
    accessors! {
        load_u8 / store_u8: u8;
        load_u16 / store_u16: u16;
        load_u32 / store_u32: u32;
        load_u64 / store_u64: u64;
    }
}
