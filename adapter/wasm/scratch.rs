//! Memory the adapter uses, and why it is safe to use it.
//!
//! The adapter shares the program's linear memory and has no data segment.
//! Two kinds of memory are needed:
//!
//! * **Scratch**, for the duration of one preview1 call: return areas of WASI
//!   0.2 imports and the lists and strings the host writes (arguments,
//!   environment, preopen names). Scratch follows the *zero protocol*: before
//!   a byte is used it is checked to be zero, and when the call ends every
//!   byte used is zeroed again. A program can therefore never observe the
//!   adapter's scratch use, even if the program's allocator has claimed the
//!   page as its own (AssemblyScript and TinyGo claim every page below
//!   `memory.size` when they start), as long as the program has not written
//!   there; and if it has (a non-zero byte, or a buffer of the current call
//!   inside the region), the adapter leaves that page to the program and grows
//!   a fresh one. Scratch pages are grown with `memory.grow` on first need.
//!
//! * **Persistent pages** for the descriptor table (see `descriptors.rs`),
//!   grown only when the program first uses a descriptor other than the
//!   untouched stdio streams, which live in wasm globals.
//!
//! * The **stack window**: the shadow stack Rust code needs, `STACK_WINDOW`
//!   bytes that follow the same zero protocol. Every export enters through a
//!   frameless wrapper that checks the window is still all zero (else moves
//!   it to a fresh page) and points `__stack_pointer` at its top, and zeroes
//!   it again on the way out. `wit-component` allocates no stack for us: the
//!   artifacts carry no `name` section in which it could find the global.

use core::arch::wasm32;

use super::globals::*;
use super::trap;
use crate::layout::{align_up, overlaps, WASM_PAGE};

/// Grows memory by `pages` fresh (zero) pages; returns their address.
#[inline(always)]
pub fn grow_pages(pages: u32) -> Option<u32> {
    match grow_pages_at(pages) {
        NO_PAGES => None,
        addr => Some(addr),
    }
}

/// What [`grow_pages_at`] answers when memory cannot grow (never the
/// address of a page).
const NO_PAGES: u32 = u32::MAX;

/// [`grow_pages`] in a register: an `Option` returned by a function that is
/// not inlined goes through memory, a frame in every caller. (The proxy,
/// built for size, has few callers: there it is inlined.)
#[cfg_attr(not(feature = "proxy"), inline(never))]
#[cfg_attr(feature = "proxy", inline(always))]
fn grow_pages_at(pages: u32) -> u32 {
    let old = wasm32::memory_grow(0, pages as usize);
    if old == usize::MAX {
        return NO_PAGES;
    }
    // Until the program grows memory, the pages grown so far are not its.
    set_known_pages((old + pages as usize) as u32);
    // A 4 GiB memory has no address for its end; treat the last page as unusable.
    let addr = (old as u64) * WASM_PAGE;
    if addr + pages as u64 * WASM_PAGE > u32::MAX as u64 {
        return NO_PAGES;
    }
    addr as u32
}

/// Pages for the spill table of descriptors past `GLOBAL_FDS`.
#[cfg(not(feature = "proxy"))]
pub struct GrowPages;

#[cfg(not(feature = "proxy"))]
impl crate::table::Pages for GrowPages {
    fn new_page() -> Option<*mut u8> {
        grow_pages(1).map(|a| a as *mut u8)
    }
}

#[inline(never)]
fn is_zero(start: u32, end: u32) -> bool {
    let mut p = start;
    while p < end && p % 8 != 0 {
        if unsafe { *(p as *const u8) } != 0 {
            return false;
        }
        p += 1;
    }
    // Whole words, four at a time with one branch: this runs on every
    // export (the stack window) and on every scratch allocation.
    let mut any = 0u64;
    while p + 32 <= end {
        unsafe {
            let w = p as *const u64;
            any |= *w | *w.add(1) | *w.add(2) | *w.add(3);
        }
        if any != 0 {
            return false;
        }
        p += 32;
    }
    while p + 8 <= end {
        any |= unsafe { *(p as *const u64) };
        p += 8;
    }
    while p < end {
        any |= unsafe { *(p as *const u8) } as u64;
        p += 1;
    }
    any == 0
}

fn zero(start: u32, end: u32) {
    if end > start {
        unsafe { core::ptr::write_bytes(start as *mut u8, 0, (end - start) as usize) }
    }
}

/// Zeroes a range of whole words with plain stores: for the small ranges
/// zeroed on every export, `memory.fill` is a call out of the sandbox in
/// common runtimes, and costs more than the stores.
fn zero_words(start: u32, end: u32) {
    let mut p = start;
    while p + 32 <= end {
        unsafe {
            let w = p as *mut u64;
            *w = 0;
            *w.add(1) = 0;
            *w.add(2) = 0;
            *w.add(3) = 0;
        }
        p += 32;
    }
}

/// Starts a scratch region at `base` for allocations.
fn set_region(base: u32, end: u32) {
    set_scratch_checked_end(0);
    set_scratch_base(base);
    set_scratch_cursor(base);
    set_scratch_dirty_end(base);
    set_scratch_end(end);
}

/// Moves the current call's scratch to a fresh region of at least `bytes`,
/// at the end of memory so it can grow in place. What the old region already
/// holds for this call stays valid and is zeroed when the call ends.
fn switch_region(bytes: u64) -> bool {
    if get_scratch_old_base() != 0 {
        // Already switched once in this call; the current region is fresh
        // memory at the end, which only fails to grow when memory is full.
        return false;
    }
    let pages = bytes.div_ceil(WASM_PAGE).max(1) as u32;
    let Some(base) = grow_pages(pages) else { return false };
    let old = get_scratch_base();
    if old != 0 && get_scratch_dirty_end() > old {
        set_scratch_old_base(old);
        set_scratch_old_dirty_end(get_scratch_dirty_end());
    }
    set_region(base, base + pages * WASM_PAGE as u32);
    true
}

/// Allocates `size` bytes aligned to `align` for the rest of the current call.
/// Returns `None` only when memory cannot grow.
#[inline]
pub fn alloc(size: u32, align: u32) -> Option<u32> {
    // The adapter allocates (return areas) between import calls, when it may
    // also have written memory: what was checked ahead is stale from here.
    set_scratch_checked_end(0);
    match alloc_within(size, align, 0) {
        0 => None,
        p => Some(p),
    }
}

/// [`alloc`], trusting that `[dirty end, checked_end)` was found zero by
/// the caller since anything last wrote memory. Returns 0 when memory cannot
/// grow (scratch never starts at address 0): a plain `u32` comes back in a
/// register, so `cabi_import_realloc`, which runs on the stack of whatever
/// export made the import call, needs no frame of its own.
#[inline(never)]
fn alloc_within(size: u32, align: u32, checked_end: u32) -> u32 {
    loop {
        let base = get_scratch_base();
        if base != 0 {
            let start = align_up(get_scratch_cursor() as u64, align.max(1) as u64);
            let end = start + size as u64;
            let mut limit = get_scratch_end() as u64;
            if end > limit && limit == wasm32::memory_size(0) as u64 * WASM_PAGE {
                // The region ends where memory ends: extend it in place.
                let more = (end - limit).div_ceil(WASM_PAGE) as u32;
                if grow_pages(more).is_some() {
                    limit += more as u64 * WASM_PAGE;
                    set_scratch_end(limit as u32);
                }
            }
            if end <= limit {
                let dirty = get_scratch_dirty_end();
                let (start, end) = (start as u32, end as u32);
                if end <= dirty {
                    set_scratch_cursor(end);
                    return start;
                }
                // Bytes from `dirty` on (the alignment gap included: it is
                // zeroed with the rest when the call ends) must be zero.
                if end <= checked_end || is_zero(dirty, end) {
                    set_scratch_dirty_end(end);
                    set_scratch_cursor(end);
                    return start;
                }
                // The program wrote here: the page is the program's now.
            }
        }
        if !switch_region(size as u64 + align as u64) {
            return 0;
        }
    }
}

/// A lease on scratch. Bytes in scratch are lent out ([`bytes`],
/// `host::load_bytes`) only as borrows of one: a lease for the rest of the
/// call ([`for_the_call`]), or the lease of a [`Mark`] taken before they were
/// allocated, which [`rewind`] consumes, so no such bytes are used after a
/// rewind. (A call ends after every lease it made is gone: they are locals
/// of the functions it runs.)
pub struct Lease(());

/// A lease on scratch bytes kept until the call ends.
#[inline(always)]
pub fn for_the_call() -> Lease {
    Lease(())
}

/// Where the next allocation would start: with [`rewind`], lets a loop in
/// one call reuse the scratch its previous iteration used.
pub struct Mark {
    at: u32,
    lease: Lease,
}

impl Mark {
    /// The lease of bytes allocated after this mark.
    #[inline(always)]
    pub fn lease(&self) -> &Lease {
        &self.lease
    }
}

#[inline]
pub fn mark() -> Mark {
    Mark { at: get_scratch_cursor(), lease: Lease(()) }
}

/// Forgets the allocations made since `mark` (they stay dirty and are zeroed
/// when the call ends).
#[inline]
pub fn rewind(mark: Mark) {
    let mark = mark.at;
    if mark >= get_scratch_base() && mark <= get_scratch_cursor() {
        set_scratch_cursor(mark);
    }
}

/// Like [`alloc`], trapping when memory is exhausted: the host could not
/// complete the import call without this memory.
#[inline(never)]
pub fn alloc_or_trap(size: u32, align: u32) -> u32 {
    match alloc(size, align) {
        Some(p) => p,
        None => trap::abort(),
    }
}

/// Declares a guest buffer the current call will write through the host
/// (by `cabi_import_realloc`). If the program placed it inside the scratch
/// region, the program owns that region: leave it and use fresh memory.
/// Must be called before any scratch is allocated in this call.
pub fn avoid(ptr: u32, len: u32) {
    let base = get_scratch_base();
    if base != 0 && overlaps(ptr, len as u64, base, (get_scratch_end() - base) as u64) {
        set_region(0, 0);
    }
}

/// Ends a call: every scratch byte used is zero again.
#[inline]
pub fn end_call() {
    let base = get_scratch_base();
    let dirty = get_scratch_dirty_end();
    if dirty > base {
        zero(base, dirty);
        set_scratch_dirty_end(base);
    }
    set_scratch_cursor(base);
    set_scratch_checked_end(0);
    let old = get_scratch_old_base();
    if old != 0 {
        zero(old, get_scratch_old_dirty_end());
        set_scratch_old_base(0);
        set_scratch_old_dirty_end(0);
    }
    set_realloc_mode(MODE_NONE);
}

// ---------------------------------------------------------------------------
// Where the host's allocations for import results go.

/// No import call is expecting an allocation: any request is a bug.
pub const MODE_NONE: u32 = 0;
/// Every allocation comes from scratch.
pub const MODE_SCRATCH: u32 = 1;
/// The one allocation goes straight into a guest buffer `realloc_ptr` of
/// `realloc_len` bytes (data read from a stream or random bytes).
pub const MODE_INTO_BUFFER: u32 = 2;
/// A list of strings of which only the lengths will be read: the list goes
/// to scratch, and every string to the same scratch bytes.
#[cfg(not(feature = "proxy"))]
pub const MODE_LENGTHS: u32 = 3;
/// A list of strings to be laid out in a guest buffer as NUL-terminated
/// items (`args_get`, `environ_get`): the list goes to scratch; the strings
/// go one after another from `realloc_ptr`, a byte apart for the separator
/// that follows each. A string that would touch scratch goes to scratch
/// instead, and `realloc_len` becomes 1 to say so.
#[cfg(not(feature = "proxy"))]
pub const MODE_STRINGS_INTO: u32 = 4;

/// Next import call's lists and strings go to scratch.
#[inline(never)]
pub fn results_to_scratch() {
    set_scratch_checked_end(0);
    set_realloc_mode(MODE_SCRATCH);
}

/// No import call may allocate from here on (`end_call` does this too).
#[inline(always)]
pub fn no_results() {
    set_realloc_mode(MODE_NONE);
}

/// Next import call returns a list of strings of which the caller reads
/// only the lengths ([`MODE_LENGTHS`]).
#[cfg(not(feature = "proxy"))]
pub fn results_lengths_only() {
    results_to_scratch();
    set_realloc_mode(MODE_LENGTHS);
}

/// Next import call's strings go one after another from `buf`, a byte apart
/// ([`MODE_STRINGS_INTO`]); [`strings_went_into`] says afterwards whether
/// every one did.
#[cfg(not(feature = "proxy"))]
pub fn results_strings_into(buf: u32) {
    results_to_scratch();
    set_realloc_ptr(buf);
    set_realloc_len(0);
    set_realloc_mode(MODE_STRINGS_INTO);
}

/// Whether every string of the last call went into the buffer (and none
/// can lie over scratch).
#[cfg(not(feature = "proxy"))]
pub fn strings_went_into() -> bool {
    // A switch of region could have left the buffer over the old one.
    get_realloc_len() == 0 && get_scratch_old_base() == 0
}

/// Next import call's single list goes into `[ptr, ptr + len)`.
#[inline]
pub fn result_into(ptr: u32, len: u32) {
    set_realloc_ptr(ptr);
    set_realloc_len(len);
    set_realloc_mode(MODE_INTO_BUFFER);
}

/// The realloc the host uses for every list or string an import returns.
/// Canonical ABI rule: it may not call imports, and here it does not.
#[no_mangle]
pub unsafe extern "C" fn cabi_import_realloc(old_ptr: u32, old_size: u32, align: u32, new_size: u32) -> u32 {
    if old_ptr != 0 || old_size != 0 {
        // The host never resizes a result allocation.
        trap::abort();
    }
    match get_realloc_mode() {
        MODE_SCRATCH => scratch_realloc(new_size, align),
        // Arguments and environment: the proxy has neither.
        #[cfg(not(feature = "proxy"))]
        MODE_LENGTHS => {
            if align != 1 {
                return scratch_realloc(new_size, align);
            }
            // Every string takes the same bytes, from the cursor: within
            // what is known zero, without a call (the host asks once per
            // string, thousands of times for an environment).
            let at = get_scratch_cursor();
            if claim_known_zero(at as u64 + new_size as u64) {
                return at;
            }
            let p = scratch_realloc(new_size, 1);
            // The next string may take the same bytes (in the region the
            // allocation may have moved to).
            set_scratch_cursor(p);
            p
        }
        #[cfg(not(feature = "proxy"))]
        MODE_STRINGS_INTO => {
            let at = get_realloc_ptr();
            let next = at as u64 + new_size as u64 + 1;
            if align == 1 && get_realloc_len() == 0 {
                // The string and its separator must not touch scratch
                // (`overlaps_scratch`, spelled out: once per string).
                let base = get_scratch_base();
                let clear = base == 0 || next <= base as u64 || at >= get_scratch_end();
                if next <= u32::MAX as u64 && clear {
                    set_realloc_ptr(next as u32);
                    return at;
                }
                set_realloc_len(1);
            }
            scratch_realloc(new_size, align)
        }
        MODE_INTO_BUFFER => {
            if new_size > get_realloc_len() {
                // The host returned more than was asked for.
                trap::abort();
            }
            set_realloc_mode(MODE_NONE);
            get_realloc_ptr()
        }
        // An allocation nobody asked for.
        _ => trap::abort(),
    }
}

/// A return area of `size` bytes (8-aligned) for an import call already set
/// up by one of the `results_*` functions: allocated as the host's lists
/// will be, so that one check ahead serves the area and the lists (nothing
/// but the host writes memory until the import returns).
#[cfg(not(feature = "proxy"))]
pub fn result_area(size: u32) -> u32 {
    scratch_realloc(size, 8)
}

/// Whether scratch up to `end` (from the cursor) may be handed to the host
/// without a zero check: it lies within the bytes this call already made
/// dirty, or within what was checked zero ahead since anything last wrote
/// memory. If so, those bytes become dirty (zeroed when the call ends).
#[inline(always)]
fn claim_known_zero(end: u64) -> bool {
    let dirty = get_scratch_dirty_end();
    if end <= dirty as u64 {
        return true;
    }
    if end <= get_scratch_checked_end() as u64 {
        set_scratch_dirty_end(end as u32);
        return true;
    }
    false
}

/// An allocation of the host's from scratch, trapping when memory is full
/// (the host could not complete the import call).
#[inline(never)]
fn scratch_realloc(new_size: u32, align: u32) -> u32 {
    if cfg!(feature = "proxy") {
        // The proxy's hosts return single lists (poll's ready list, a read
        // into scratch), never the environment's thousands of strings that
        // what follows is for: the plain allocation does.
        return alloc_or_trap(new_size, align);
    }
    // Bump-allocate without a check inside the dirty bytes (ours
    // already: a loop that rewinds scratch, as readdir does per
    // entry, lands there every time) or inside what was checked
    // ahead. The host lowers a list of strings (the environment) as
    // many small allocations and writes nothing else until the
    // import returns: check ahead once per 256 bytes, not per string.
    let cursor = get_scratch_cursor();
    let start = align_up(cursor as u64, align.max(1) as u64);
    let end = start + new_size as u64;
    if claim_known_zero(end) {
        set_scratch_cursor(end as u32);
        return start as u32;
    }
    let dirty = get_scratch_dirty_end();
    let checked_end = get_scratch_checked_end();
    let want = cursor as u64 + new_size as u64 + align as u64;
    let ahead = align_up(want, 256).min(get_scratch_end() as u64) as u32;
    if get_scratch_base() != 0 && ahead > checked_end && ahead > dirty && is_zero(dirty, ahead) {
        set_scratch_checked_end(ahead);
    }
    match alloc_within(new_size, align, get_scratch_checked_end()) {
        0 => trap::abort(),
        p => p,
    }
}

/// Reading and writing scratch the adapter allocated (`alloc_or_trap`): it
/// lies inside memory and stays the call's own until the call ends.
pub use super::memory::raw::{load_u32, load_u64, load_u8, store_u32, store_u64, store_u8};

/// Copies `bytes` (which must fit) to scratch at `at`.
#[inline(always)]
pub fn copy_in(at: u32, bytes: &[u8]) {
    unsafe { core::ptr::copy_nonoverlapping(bytes.as_ptr(), at as *mut u8, bytes.len()) }
}

/// The `len` bytes of scratch at `at`, allocated under `_lease`.
#[inline(always)]
pub fn bytes(at: u32, len: u32, _lease: &Lease) -> &[u8] {
    unsafe { core::slice::from_raw_parts(at as *const u8, len as usize) }
}

/// Whether a guest range shares a byte with the current scratch region.
#[cfg(not(feature = "proxy"))]
pub fn overlaps_scratch(ptr: u32, len: u64) -> bool {
    let base = get_scratch_base();
    base != 0 && overlaps(ptr, len, base, (get_scratch_end() - base) as u64)
}

/// The shadow stack of the adapter's Rust code.
pub mod stack {
    use super::*;

    // Bytes of stack an export may use: part of the export contract that
    // `verify` checks, so it lives beside the list of exports.
    use crate::exports::STACK_WINDOW;

    /// Points `__stack_pointer` at a clean stack window, of which the call
    /// will use only the top `bytes` (what `verify` computed it needs, at
    /// most `STACK_WINDOW`, a multiple of 32): only those are checked here
    /// and cleared by [`leave`]. Runs before any frame exists, so it must
    /// not need one itself (scalars only).
    #[inline(never)]
    pub fn enter(bytes: u32) {
        super::super::memory::note_memory_size();
        let mut top = get_stack_top();
        // The window's page is the program's now if this is the first call
        // or the program wrote into the window; and it may be when the
        // program has grown memory since the adapter last did: Go's and
        // TinyGo's heaps then take the adapter's pages, and may place a
        // zeroed buffer of this very call over the window (the heap models
        // in tests/tests/heap_models.rs do). A page grown now is past every
        // heap's end.
        let taken = top == 0 || !is_zero(top - bytes, top);
        if taken || wasm32::memory_size(0) as u32 != get_known_pages() {
            match grow_pages(1) {
                Some(page) => {
                    top = page + STACK_WINDOW;
                    set_stack_top(top);
                    // Scratch starts afresh in the rest of the page.
                    set_region(top, page + WASM_PAGE as u32);
                }
                // Memory is full: nobody can grow pages after ours any more,
                // and the zero check says the window is clean.
                None if !taken => set_known_pages(wasm32::memory_size(0) as u32),
                // No memory left to run in.
                None => trap::abort(),
            }
        }
        set_stack_window_low(top - bytes);
        set_stack_pointer(top);
    }

    /// Bytes at the top of the window that most fast paths (`preview1.rs`)
    /// use as the return area of their import calls.
    pub const FAST_AREA: u32 = 16;

    // It holds the result of every import those fast paths call: `read` and
    // `write` (`fd_read`, `fd_write` to a file), `blocking-write-and-flush`
    // (`fd_write` to stdio), `wall-clock.now` (`clock_time_get`) and
    // `get-random-bytes` (`random_get`).
    const _: () = {
        use crate::canonical::{clocks, filesystem, io, random};
        assert!(
            FAST_AREA >= filesystem::READ_AREA
                && FAST_AREA >= filesystem::WRITE_AREA
                && FAST_AREA >= io::BLOCKING_WRITE_AND_FLUSH_AREA
                && FAST_AREA >= clocks::DATETIME_AREA
                && FAST_AREA >= random::GET_RANDOM_BYTES_AREA
        );
    };

    /// The fast paths' return area, 8-aligned: the top [`FAST_AREA`] bytes of
    /// the window, under the window's zero protocol (the fast path must
    /// [`clear_fast_area`] before it returns). 0 when there is no window yet
    /// or the bytes are not zero: then the full implementation runs.
    #[cfg(not(feature = "proxy"))]
    #[inline(always)]
    pub fn fast_area() -> u32 {
        fast_area_of(FAST_AREA)
    }

    #[cfg(not(feature = "proxy"))]
    #[inline(always)]
    pub fn clear_fast_area(at: u32) {
        clear_fast_area_of(at, FAST_AREA)
    }

    /// [`fast_area`] of `bytes`: [`FAST_AREA`], or a multiple of 32 (checked
    /// and cleared as the window is) up to `STACK_WINDOW`.
    #[cfg(not(feature = "proxy"))]
    #[inline(always)]
    pub fn fast_area_of(bytes: u32) -> u32 {
        let top = get_stack_top();
        // As for `enter`: a window placed before the program last grew
        // memory is moved by the full implementation first.
        if top == 0 || wasm32::memory_size(0) as u32 != get_known_pages() {
            return 0;
        }
        let at = top - bytes;
        let zero = if bytes == FAST_AREA {
            let words = at as *const u64;
            unsafe { *words | *words.add(1) == 0 }
        } else {
            is_zero(at, top)
        };
        if zero {
            at
        } else {
            0
        }
    }

    #[cfg(not(feature = "proxy"))]
    #[inline(always)]
    pub fn clear_fast_area_of(at: u32, bytes: u32) {
        if bytes == FAST_AREA {
            let words = at as *mut u64;
            unsafe {
                *words = 0;
                *words.add(1) = 0;
            }
        } else {
            zero_words(at, at + bytes);
        }
    }

    /// Leaves the part of the window that [`enter`] lent all zero again.
    #[inline(never)]
    pub fn leave() {
        zero_words(get_stack_window_low(), get_stack_top());
    }
}
