//! What the two heap-model programs (`tinygo_model`, `go_model`) share: the
//! allocator front end both placement policies sit behind, the bookkeeping
//! that lets the programs check their heap after every preview1 call, and
//! the way a violation is reported.
//!
//! A model is a [`Placement`]: it decides *where* memory comes from, exactly
//! as the runtime it imitates does (TinyGo's block heap in `tinygo.rs`, Go's
//! `sbrk` in `go.rs`), including when it grows linear memory and what it
//! assumes about the memory it gets. [`Heap`] wraps a placement into
//! everything that allocates in the program:
//!
//! * Rust's `#[global_allocator]`, so std's own buffers (read buffers, path
//!   strings, argument vectors) come from the model and lie across its heap;
//! * the C allocator (`malloc` and its family, exported by
//!   [`heap_model!`]), which wasi-libc's own code calls (its preopen table,
//!   path resolution). wasi-libc's `dlmalloc` would otherwise claim memory
//!   the model considers its own. TinyGo does the same: its runtime exports
//!   `malloc`, `calloc`, `realloc` and `free` on top of its GC heap
//!   (`arch_tinygowasm.go`). Go links no C, so the program's C allocations
//!   have to live in the one heap there too.
//!
//! On top of the placement, [`Heap`] keeps a registry of live allocations
//! (address and requested size, in the program's static data, outside
//! either heap) and writes a redzone after each allocation, in the slack
//! the runtime's rounding leaves anyway plus [`REDZONE_MIN`] bytes. So a
//! call that writes past a buffer it was given, or anything that writes into
//! the heap between allocations, is caught by [`Heap::check`], which the
//! workload runs after every preview1 call together with the model's own
//! metadata check.
//!
//! Nothing here allocates while it checks or reports: a failure is written
//! from a stack buffer with a raw `fd_write` to stderr, and the program
//! ends with `proc_exit(FAIL_EXIT)`.

use core::alloc::{GlobalAlloc, Layout};
use core::arch::wasm32;
use core::cell::UnsafeCell;
use core::fmt::{self, Write as _};

use p1_programs::p1;

pub const WASM_PAGE: usize = 65536;

/// The exit status of a program that found its heap damaged.
pub const FAIL_EXIT: u32 = 2;

/// Mutable global state of a single-threaded program (wasm32-wasip1 has one
/// thread). Nothing re-enters the allocator; a `get` (to change the state)
/// never lives across another access, a `read` (to look) across no `get`.
pub struct Global<T>(UnsafeCell<T>);

unsafe impl<T> Sync for Global<T> {}

impl<T> Global<T> {
    pub const fn new(value: T) -> Self {
        Global(UnsafeCell::new(value))
    }

    #[allow(clippy::mut_from_ref)]
    pub fn get(&self) -> &mut T {
        unsafe { &mut *self.0.get() }
    }

    pub fn read(&self) -> &T {
        unsafe { &*self.0.get() }
    }
}

// ---------------------------------------------------------------------------
// Reporting.

/// Formats into a fixed buffer on the stack (a report must not allocate:
/// the heap may be what is broken).
struct StackText {
    buf: [u8; 1536],
    len: usize,
}

impl fmt::Write for StackText {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let room = self.buf.len() - self.len;
        let n = s.len().min(room);
        self.buf[self.len..self.len + n].copy_from_slice(&s.as_bytes()[..n]);
        self.len += n;
        Ok(())
    }
}

/// Writes `bytes` to stderr with raw `fd_write` calls.
fn write_stderr(mut bytes: &[u8]) {
    while !bytes.is_empty() {
        let iov = [bytes.as_ptr() as u32, bytes.len() as u32];
        let mut written = 0u32;
        let e = unsafe { p1::fd_write(2, iov.as_ptr() as u32, 1, &mut written as *mut u32 as u32) };
        if e != 0 || written == 0 {
            return;
        }
        bytes = &bytes[written as usize..];
    }
}

/// Reports a violation on stderr (one line) and ends the program.
#[cold]
pub fn fail(args: fmt::Arguments) -> ! {
    let mut text = StackText { buf: [0; 1536], len: 0 };
    let _ = text.write_fmt(args);
    let _ = text.write_str("\n");
    write_stderr(&text.buf[..text.len]);
    unsafe { p1::proc_exit(FAIL_EXIT) }
}

/// `fail!("...", args)`: [`fail`] with `format!` syntax.
macro_rules! fail {
    ($($arg:tt)*) => { $crate::common::fail(format_args!($($arg)*)) };
}

// ---------------------------------------------------------------------------
// Linear memory.

extern "C" {
    /// The end of the memory the module starts with (set by the linker).
    static __heap_end: u8;
}

/// Pages of memory grown since the program started that are not below
/// `end`: what a model that now takes memory up to the memory size, or up
/// to `end` and beyond, takes from whoever grew it (see
/// [`Placement::foreign_pages`]).
pub fn pages_grown_by_others(end: usize) -> usize {
    let start = end.max(core::ptr::addr_of!(__heap_end) as usize);
    memory_bytes().saturating_sub(start) / WASM_PAGE
}

/// Bytes of linear memory now.
pub fn memory_bytes() -> usize {
    wasm32::memory_size(0) * WASM_PAGE
}

/// `memory.grow`; the old size in pages, or `None` when memory cannot grow.
pub fn memory_grow(pages: usize) -> Option<usize> {
    match wasm32::memory_grow(0, pages) {
        usize::MAX => None,
        old => Some(old),
    }
}

/// The first non-zero byte in `[start, end)`, if any.
pub fn first_nonzero(start: usize, end: usize) -> Option<usize> {
    let mut p = start;
    while p < end && !p.is_multiple_of(8) {
        if unsafe { *(p as *const u8) } != 0 {
            return Some(p);
        }
        p += 1;
    }
    while p + 64 <= end {
        let w = p as *const u64;
        let any = unsafe { *w | *w.add(1) | *w.add(2) | *w.add(3) | *w.add(4) | *w.add(5) | *w.add(6) | *w.add(7) };
        if any != 0 {
            break;
        }
        p += 64;
    }
    while p < end {
        if unsafe { *(p as *const u8) } != 0 {
            return Some(p);
        }
        p += 1;
    }
    None
}

/// Fails unless `[start, end)` is all zero: what a runtime assumes of memory
/// it has just taken (`what` names the assumption). The report gives the
/// first non-zero byte's address also as a distance below the end of
/// memory, where pages others grew lie.
pub fn expect_zero(model: &str, what: &str, start: usize, end: usize) {
    if let Some(at) = first_nonzero(start, end) {
        let size = memory_bytes();
        let nonzero = (start..end).filter(|&a| unsafe { *(a as *const u8) } != 0).count();
        fail!(
            "{model}: {what}: byte 0x{:02x} at 0x{at:x} = memory size - {} ({} of the {} bytes of [0x{start:x}, 0x{end:x}) are not zero; memory size 0x{size:x} = {} pages)",
            unsafe { *(at as *const u8) },
            size - at,
            nonzero,
            end - start,
            size / WASM_PAGE,
        );
    }
}

// ---------------------------------------------------------------------------
// The placement policies' interface.

/// Where a runtime puts memory: the model of one runtime's allocator.
pub trait Placement {
    /// The model's name in reports: the program's name.
    const NAME: &'static str;

    /// `bytes` bytes aligned to `align`, all zero (both runtimes hand out
    /// zeroed memory: TinyGo clears each allocation, Go clears reused memory
    /// and relies on fresh memory being zero, which the model checks).
    /// `high` asks for the highest free place instead of the runtime's own
    /// choice (a test hook: it puts a buffer in the pages the heap absorbed
    /// last). Never fails: a model that cannot grow reports and exits.
    fn place(&mut self, bytes: usize, align: usize, high: bool) -> usize;

    /// Gives an allocation made by [`place`](Self::place) back.
    fn release(&mut self, addr: usize);

    /// Bytes usable at `addr` (the allocation rounded as the runtime rounds).
    fn capacity(&self, addr: usize) -> usize;

    /// Checks the model's own metadata; `after` names the last operation.
    fn check(&self, after: &str);

    /// Checks that the model's metadata agrees with a live allocation.
    fn check_live(&self, addr: usize, size: usize, after: &str);

    /// Bytes the heap spans now (grows as the runtime's would).
    fn heap_bytes(&self) -> usize;

    /// How many times the model has grown linear memory.
    fn growths(&self) -> u32;

    /// Pages somebody else grew (an adapter sharing the memory) that the
    /// heap took in, as the runtime's heap would.
    fn foreign_pages(&self) -> usize;

    /// An address in the middle of the model's metadata in the heap (for
    /// the self-tests, which write there as a stranger would).
    fn metadata_sample(&self) -> usize;

    /// A range of pages somebody else grew that the heap took in, set aside
    /// when it took them (see [`SetAside`]): `(address, length)`; the model
    /// has marked `[address, address + length)` and a little more (room for
    /// a redzone, outside those pages) as allocated. Each range once.
    fn take_set_aside(&mut self) -> Option<(usize, usize)>;
}

/// Pages grown by somebody else that a model has just taken into its heap,
/// kept free of the program's objects until the workload has read a file
/// into them (`Run::probe_set_aside`): a test hook, not the runtimes'
/// policy (they would put the next object there). It makes sure that a
/// zeroed buffer of a call lies exactly where an adapter had a page, the
/// case where an adapter that judges a page its own by its being zero
/// would write into the call's buffer.
pub struct SetAside {
    ranges: [(usize, usize); 8],
    len: usize,
}

impl SetAside {
    pub const fn new() -> SetAside {
        SetAside { ranges: [(0, 0); 8], len: 0 }
    }

    /// Whether there is room for one more range (else the model leaves it).
    pub fn has_room(&self) -> bool {
        self.len < self.ranges.len()
    }

    pub fn push(&mut self, addr: usize, len: usize) {
        self.ranges[self.len] = (addr, len);
        self.len += 1;
    }

    pub fn pop(&mut self) -> Option<(usize, usize)> {
        self.len = self.len.checked_sub(1)?;
        Some(self.ranges[self.len])
    }
}

// ---------------------------------------------------------------------------
// Live allocations and their redzones.

/// Bytes reserved past every allocation for its redzone.
pub const REDZONE_MIN: usize = 8;
/// The redzone covers at most this many bytes past an allocation (the rest
/// of a large rounding stays as the runtime leaves it: zero).
const REDZONE_MAX: usize = 32;

/// A redzone byte: non-zero, derived from its address.
fn redzone_byte(addr: usize) -> u8 {
    ((addr as u32).wrapping_mul(0x9e37_79b1) >> 24) as u8 | 1
}

const REGISTRY_BITS: u32 = 14;
const REGISTRY_SLOTS: usize = 1 << REGISTRY_BITS;

/// Live allocations: an open-addressing table (linear probing, backward-shift
/// deletion) from address to requested size, in static data.
struct Registry {
    addrs: [u32; REGISTRY_SLOTS],
    sizes: [u32; REGISTRY_SLOTS],
    live: usize,
}

impl Registry {
    fn home(addr: usize) -> usize {
        ((addr as u32 >> 3).wrapping_mul(0x9e37_79b1) >> (32 - REGISTRY_BITS)) as usize
    }

    fn insert(&mut self, addr: usize, size: usize) {
        if self.live >= REGISTRY_SLOTS * 3 / 4 {
            fail!("heap model: more than {} live allocations", REGISTRY_SLOTS * 3 / 4);
        }
        let mut i = Self::home(addr);
        while self.addrs[i] != 0 {
            if self.addrs[i] as usize == addr {
                fail!("heap model: 0x{addr:x} handed out twice");
            }
            i = (i + 1) % REGISTRY_SLOTS;
        }
        self.addrs[i] = addr as u32;
        self.sizes[i] = size as u32;
        self.live += 1;
    }

    fn find(&self, addr: usize) -> Option<usize> {
        let mut i = Self::home(addr);
        while self.addrs[i] != 0 {
            if self.addrs[i] as usize == addr {
                return Some(i);
            }
            i = (i + 1) % REGISTRY_SLOTS;
        }
        None
    }

    fn remove_at(&mut self, mut hole: usize) {
        self.live -= 1;
        let mut i = hole;
        loop {
            i = (i + 1) % REGISTRY_SLOTS;
            if self.addrs[i] == 0 {
                break;
            }
            // An entry may move back into the hole unless its home lies
            // cyclically in (hole, i].
            let home = Self::home(self.addrs[i] as usize);
            let stays = if hole <= i { hole < home && home <= i } else { hole < home || home <= i };
            if !stays {
                self.addrs[hole] = self.addrs[i];
                self.sizes[hole] = self.sizes[i];
                hole = i;
            }
        }
        self.addrs[hole] = 0;
        self.sizes[hole] = 0;
    }
}

static REGISTRY: Global<Registry> = Global::new(Registry { addrs: [0; REGISTRY_SLOTS], sizes: [0; REGISTRY_SLOTS], live: 0 });

// ---------------------------------------------------------------------------
// The allocator front end.

/// A placement policy behind the program's allocators; see the module docs.
pub struct Heap<P: Placement> {
    model: Global<P>,
}

impl<P: Placement> Heap<P> {
    pub const fn new(model: P) -> Self {
        Heap { model: Global::new(model) }
    }

    pub fn model(&self) -> &P {
        self.model.read()
    }

    /// The redzone of an allocation: `[end, redzone_end)`.
    fn redzone(&self, addr: usize, size: usize) -> (usize, usize) {
        let capacity = self.model().capacity(addr);
        (addr + size, addr + capacity.min(size + REDZONE_MAX))
    }

    /// Allocates `size` zeroed bytes aligned to `align` (`high`: see
    /// [`Placement::place`]).
    pub fn allocate(&self, size: usize, align: usize, high: bool) -> *mut u8 {
        let addr = self.model.get().place(size + REDZONE_MIN, align.max(1), high);
        REGISTRY.get().insert(addr, size);
        let (start, end) = self.redzone(addr, size);
        for a in start..end {
            unsafe { *(a as *mut u8) = redzone_byte(a) };
        }
        addr as *mut u8
    }

    /// The requested size of the live allocation at `ptr`.
    pub fn size_of(&self, ptr: *mut u8, what: &str) -> usize {
        match REGISTRY.read().find(ptr as usize) {
            Some(i) => REGISTRY.read().sizes[i] as usize,
            None => fail!("{}: {what} of 0x{:x}, which is not a live allocation", P::NAME, ptr as usize),
        }
    }

    pub fn free(&self, ptr: *mut u8) {
        let addr = ptr as usize;
        let Some(i) = REGISTRY.read().find(addr) else {
            fail!("{}: free of 0x{addr:x}, which is not a live allocation", P::NAME)
        };
        self.check_redzone(addr, REGISTRY.read().sizes[i] as usize, "free");
        REGISTRY.get().remove_at(i);
        self.model.get().release(addr);
    }

    /// Resizes in place when the rounded allocation has room (as TinyGo's
    /// `realloc` does), else moves.
    pub fn resize(&self, ptr: *mut u8, new_size: usize, align: usize) -> *mut u8 {
        let addr = ptr as usize;
        let old_size = self.size_of(ptr, "realloc");
        self.check_redzone(addr, old_size, "realloc");
        let capacity = self.model().capacity(addr);
        if new_size + REDZONE_MIN <= capacity && addr.is_multiple_of(align.max(1)) {
            let (start, end) = self.redzone(addr, old_size);
            unsafe { core::ptr::write_bytes(start as *mut u8, 0, end - start) };
            let i = REGISTRY.read().find(addr).unwrap();
            REGISTRY.get().sizes[i] = new_size as u32;
            let (start, end) = self.redzone(addr, new_size);
            for a in start..end {
                unsafe { *(a as *mut u8) = redzone_byte(a) };
            }
            return ptr;
        }
        let new = self.allocate(new_size, align, false);
        unsafe { core::ptr::copy_nonoverlapping(ptr, new, old_size.min(new_size)) };
        self.free(ptr);
        new
    }

    fn check_redzone(&self, addr: usize, size: usize, after: &str) {
        let (start, end) = self.redzone(addr, size);
        for a in start..end {
            let byte = unsafe { *(a as *const u8) };
            if byte != redzone_byte(a) {
                fail!(
                    "{}: after {after}: the redzone of the {size}-byte allocation at 0x{addr:x} was overwritten: byte 0x{byte:02x} at 0x{a:x} = memory size - {}",
                    P::NAME,
                    memory_bytes() - a
                );
            }
        }
    }

    /// Checks the model's metadata, and every live allocation's redzone
    /// and its agreement with that metadata.
    pub fn check(&self, after: &str) {
        let model = self.model();
        model.check(after);
        let registry = REGISTRY.read();
        for i in 0..REGISTRY_SLOTS {
            let addr = registry.addrs[i] as usize;
            if addr != 0 {
                let size = registry.sizes[i] as usize;
                model.check_live(addr, size, after);
                self.check_redzone(addr, size, after);
            }
        }
    }

    /// A range the model set aside ([`Placement::take_set_aside`]), as a
    /// live allocation of its length (its redzone lies past the range).
    pub fn take_set_aside(&self) -> Option<(usize, usize)> {
        let (addr, len) = self.model.get().take_set_aside()?;
        REGISTRY.get().insert(addr, len);
        let (start, end) = self.redzone(addr, len);
        for a in start..end {
            unsafe { *(a as *mut u8) = redzone_byte(a) };
        }
        Some((addr, len))
    }

    pub fn live_allocations(&self) -> usize {
        REGISTRY.read().live
    }
}

unsafe impl<P: Placement> GlobalAlloc for Heap<P> {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        self.allocate(layout.size(), layout.align(), false)
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // Every allocation is zero.
        self.allocate(layout.size(), layout.align(), false)
    }

    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        self.free(ptr)
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        self.resize(ptr, new_size, layout.align())
    }
}

/// Defines the program's `static HEAP: Heap<$model>` (the model built by
/// its `const fn new()`), makes it the global allocator and exports the C
/// allocator functions wasi-libc calls (all that its `dlmalloc` defines, so
/// that is not linked at all).
macro_rules! heap_model {
    ($model:ty) => {
        #[global_allocator]
        pub static HEAP: $crate::common::Heap<$model> = $crate::common::Heap::new(<$model>::new());

        /// `max_align_t` on wasm32.
        const C_ALIGN: usize = 16;

        #[no_mangle]
        pub extern "C" fn malloc(size: usize) -> *mut u8 {
            HEAP.allocate(size, C_ALIGN, false)
        }

        #[no_mangle]
        pub extern "C" fn __libc_malloc(size: usize) -> *mut u8 {
            malloc(size)
        }

        #[no_mangle]
        pub extern "C" fn calloc(count: usize, size: usize) -> *mut u8 {
            match count.checked_mul(size) {
                Some(total) => HEAP.allocate(total, C_ALIGN, false),
                None => core::ptr::null_mut(),
            }
        }

        #[no_mangle]
        pub extern "C" fn __libc_calloc(count: usize, size: usize) -> *mut u8 {
            calloc(count, size)
        }

        #[no_mangle]
        pub extern "C" fn free(ptr: *mut u8) {
            if !ptr.is_null() {
                HEAP.free(ptr)
            }
        }

        #[no_mangle]
        pub extern "C" fn __libc_free(ptr: *mut u8) {
            free(ptr)
        }

        #[no_mangle]
        pub extern "C" fn realloc(ptr: *mut u8, size: usize) -> *mut u8 {
            if ptr.is_null() {
                malloc(size)
            } else {
                HEAP.resize(ptr, size, C_ALIGN)
            }
        }

        #[no_mangle]
        pub extern "C" fn aligned_alloc(align: usize, size: usize) -> *mut u8 {
            HEAP.allocate(size, align.max(C_ALIGN), false)
        }

        /// # Safety
        /// `out` is writable (C's contract).
        #[no_mangle]
        pub unsafe extern "C" fn posix_memalign(out: *mut *mut u8, align: usize, size: usize) -> i32 {
            *out = HEAP.allocate(size, align.max(C_ALIGN), false);
            0
        }

        #[no_mangle]
        pub extern "C" fn malloc_usable_size(ptr: *mut u8) -> usize {
            if ptr.is_null() {
                0
            } else {
                HEAP.size_of(ptr, "malloc_usable_size")
            }
        }
    };
}
