//! How many 64-bit wasm globals hold the adapter's per-descriptor state, and
//! what each is for. `build.rs` includes this file to generate the globals
//! and the two functions that reach them by index (`slot_get`/`slot_set`,
//! a `br_table` over the globals: wasm has no indexed globals); the adapter
//! reads it as `crate::slots`. One place, so the two cannot disagree.
//!
//! Why globals: the adapter must keep no state in linear memory between
//! calls, because runtimes that own their heap (Go, TinyGo) take the pages
//! it grows (README, "How the adapter places its state").

/// Descriptor numbers below this live in globals: two slots each, the
/// packed entry (`table::Entry::word`) and the position. Numbers from here
/// on live in the spill table in memory (`table.rs`). Each number costs
/// about 42 bytes of adapter (two globals and their `br_table` arms).
pub const GLOBAL_FDS: u32 = 32;

/// The packed entry of descriptor `fd` (< [`GLOBAL_FDS`]).
pub const fn word_slot(fd: u32) -> u32 {
    2 * fd
}

/// The position of descriptor `fd` (< [`GLOBAL_FDS`]); a preopen's index in
/// the host's list of preopens.
pub const fn position_slot(fd: u32) -> u32 {
    2 * fd + 1
}

/// How many slots there are.
pub const SLOTS: u32 = 2 * GLOBAL_FDS;

/// The packed entries (`table::Entry::word`) of stdin, stdout and stderr
/// when the program starts: their kinds (1, 2, 3), streams not fetched yet.
/// The globals start so (and `reset_adapter_state` sets them so again):
/// stdio needs no setting up.
pub const STDIO_WORDS: [u64; 3] = [1 << 32, 2 << 32, 3 << 32];

/// The open numbers (a bit set) and one past the highest when the program
/// starts: stdio.
pub const LOW_OPEN_AT_START: u64 = 0b111;
pub const LOW_SLOTS_AT_START: u32 = 3;
