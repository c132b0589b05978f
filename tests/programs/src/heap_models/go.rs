//! Go's heap on wasm (`GOOS=wasip1 GOARCH=wasm`), as a [`Placement`]. The
//! part that matters to an adapter sharing the memory is how Go gets memory
//! from the system, and that is mirrored exactly (facts from Go 1.27's
//! `src/runtime`):
//!
//! * `sbrk` (`mem_wasm.go`) keeps its own break, `bloc`, and the system
//!   break `blocMax`. Asked for `n` bytes (rounded to a 64 KiB page) beyond
//!   `blocMax`, it calls `memory.grow((bloc + n - blocMax) / 64 KiB)`,
//!   *ignores where the new pages are*, sets `blocMax = bloc + n` and hands
//!   out `[bloc, bloc + n)`. So every page somebody else grew since is
//!   inside what Go takes next. Go assumes all of it is zero.
//! * At start-up `bloc` is the end of the static data rounded up to a page
//!   (`initBloc`: `memRound(firstmoduledata.end)`) and `blocMax` the memory
//!   size (`os_wasm.go`).
//! * The page heap (`mheap.grow`) asks for whole multiples of 512 pages of
//!   8 KiB (4 MiB) at a time; the first reservation is aligned to a heap
//!   arena, 512 KiB on wasm (`sysReserveAlignedSbrk`: round `bloc` up, take
//!   the gap too); later ones are asked for at the end of the last one,
//!   which on an sbrk platform is `sbrk` itself when nothing else moved the
//!   break (`sysReserveOS`). The model's metadata is the only other user
//!   of `sbrk` and takes its memory at start-up, so its arenas are
//!   contiguous.
//! * Memory fresh from `sbrk` is assumed zero until first used: each arena
//!   records `zeroedBase`, below which pages have been used and must be
//!   cleared when allocated again (`allocNeedsZero`); pages above it are
//!   handed out as they are.
//! * Go's heap metadata comes from `sbrk` too (`persistentalloc`): here a
//!   page table, one word per 8 KiB page, taken at start-up.
//!
//! On top of that, a simple allocator with Go's shape: objects up to 32 KiB
//! (`maxSmallSize`) in size classes, each class carving spans of whole pages
//! into equal slots; larger objects get their own run of pages, first fit
//! from the lowest address (Go's page allocator). Freed slots go on a
//! per-class list (the link is the slot's first word) and are cleared when
//! reused; Go instead sweeps them back into their spans and finds them in a
//! bitmap, but the placement of objects within the heap is not what this
//! model is about. Small spans are never given back. The class table is
//! coarser than Go's (Go has 68 classes).
//!
//! What the model checks: that memory `sbrk` hands out is zero, that fresh
//! memory is still zero when an object first uses it, and that its
//! metadata changes only when the allocator changes it: the page table
//! (compared with a private copy the allocator keeps in static data, outside
//! the heap) and the free lists.

use crate::common::{expect_zero, memory_bytes, memory_grow, pages_grown_by_others, Global, SetAside, Placement, REDZONE_MIN};

/// `physPageSize` on wasm: the unit of `sbrk`.
const PHYS_PAGE: usize = 65536;
/// `_PageSize`: the unit of Go's page heap.
const PAGE: usize = 8192;
/// `heapArenaBytes` on wasm: the alignment of the first reservation.
const ARENA: usize = 512 << 10;
/// `mheap.grow` rounds every growth of the page heap up to 512 pages.
const GROW: usize = 512 * PAGE;
/// `maxSmallSize`.
const MAX_SMALL: usize = 32768;

/// The model's limit on its heap (the page table's size).
const MAX_HEAP: usize = 1 << 30;
const TABLE_ENTRIES: usize = MAX_HEAP / PAGE;
const TABLE_HEADER: usize = 16;
const TABLE_BYTES: usize = TABLE_HEADER + TABLE_ENTRIES * 4;
const TABLE_MAGIC: u32 = 0x676f_6d64;

/// The allocator's private copy of the page table's entries, in static data.
static SHADOW: Global<[u32; TABLE_ENTRIES]> = Global::new([0; TABLE_ENTRIES]);

/// Size classes (bytes; multiples of 16, every power of two among them).
const CLASSES: [usize; 40] = [
    16, 32, 48, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384, 448, 512, 640, 768, 896, 1024, 1280, 1536, 1792, 2048,
    2560, 3072, 3584, 4096, 5120, 6144, 7168, 8192, 10240, 12288, 14336, 16384, 20480, 24576, 28672, 32768,
];

// Page table entries.
/// A page no span uses.
const FREE: u32 = 0;
/// First page of a span of small objects: `SMALL | class << 8 | pages`.
const SMALL: u32 = 1 << 30;
/// First page of a large object: `LARGE | pages`.
const LARGE: u32 = 2 << 30;
/// A later page of a span: `CONT | pages back to its first`.
const CONT: u32 = 3 << 30;
const KIND: u32 = 3 << 30;

const fn align_up(x: usize, align: usize) -> usize {
    (x + align - 1) & !(align - 1)
}

/// The offset of the first byte of memory at `addr` that differs from
/// `expected`, if any.
pub fn first_difference(addr: usize, expected: &[u8]) -> Option<usize> {
    let len = expected.len();
    let mut i = 0;
    while i + 32 <= len {
        let (a, b) = ((addr + i) as *const u64, expected[i..].as_ptr() as *const u64);
        let differ = unsafe {
            (a.read_unaligned() ^ b.read_unaligned())
                | (a.add(1).read_unaligned() ^ b.add(1).read_unaligned())
                | (a.add(2).read_unaligned() ^ b.add(2).read_unaligned())
                | (a.add(3).read_unaligned() ^ b.add(3).read_unaligned())
        };
        if differ != 0 {
            break;
        }
        i += 32;
    }
    (i..len).find(|&k| unsafe { *((addr + k) as *const u8) } != expected[k])
}

/// Pages of a span of `size`-byte slots: the fewest that waste at most an
/// eighth (Go's `class_to_allocnpages` follows the same rule).
fn span_pages(size: usize) -> usize {
    let mut pages = 1;
    while (pages * PAGE) % size > pages * PAGE / 8 {
        pages += 1;
    }
    pages
}

#[derive(Clone, Copy)]
struct Class {
    /// First freed slot (0: none); each holds the next in its first word.
    free: usize,
    free_count: usize,
    /// The span being carved: its next never-used slot and its end.
    next: usize,
    end: usize,
    /// Whether the span's memory was used before (`span.needzero`).
    needzero: bool,
}

pub struct Go {
    started: bool,
    /// Go's break and the system break, as `sbrk` keeps them.
    bloc: usize,
    bloc_max: usize,
    /// The page table (from `sbrk`, as Go's `persistentalloc` metadata).
    table: usize,
    /// The page heap: `[heap_lo, heap_hi)`, whole arenas.
    heap_lo: usize,
    heap_hi: usize,
    /// Pages at or above this address have not been used since `sbrk`
    /// handed them out (`heapArena.zeroedBase`).
    zeroed_base: usize,
    /// No free page lies below this page index (Go's `searchAddr`).
    search_from: usize,
    classes: [Class; CLASSES.len()],
    growths: u32,
    foreign_pages: usize,
    /// Pages grown by somebody else that the last `sbrk` took.
    foreign: Option<(usize, usize)>,
    set_aside: SetAside,
}

impl Go {
    pub const fn new() -> Go {
        Go {
            started: false,
            bloc: 0,
            bloc_max: 0,
            table: 0,
            heap_lo: 0,
            heap_hi: 0,
            zeroed_base: 0,
            search_from: 0,
            classes: [Class { free: 0, free_count: 0, next: 0, end: 0, needzero: false }; CLASSES.len()],
            growths: 0,
            foreign_pages: 0,
            foreign: None,
            set_aside: SetAside::new(),
        }
    }

    /// Start-up (`initBloc`, `os_wasm.go`, and the first `persistentalloc`).
    fn start(&mut self) {
        self.started = true;
        extern "C" {
            /// The end of the program's static data (`firstmoduledata.end`).
            static __heap_base: u8;
        }
        self.bloc = align_up(core::ptr::addr_of!(__heap_base) as usize, PHYS_PAGE);
        self.bloc_max = memory_bytes();
        self.foreign_pages = pages_grown_by_others(0);
        self.table = self.sbrk(TABLE_BYTES);
        // Any page grown by somebody else is in the table's memory now.
        self.foreign = None;
        self.set_header();
    }

    /// Go's `sbrk`, line for line, and the model's check of what it hands out.
    fn sbrk(&mut self, n: usize) -> usize {
        let bl = self.bloc;
        let n = align_up(n, PHYS_PAGE);
        if bl + n > self.bloc_max {
            // The pages between blocMax and the memory size were grown by
            // somebody else; as many as fit in [blocMax, bl + n) become Go's.
            let foreign = pages_grown_by_others(self.bloc_max).min((bl + n - self.bloc_max) / PHYS_PAGE);
            self.foreign_pages += foreign;
            self.foreign = (foreign > 0).then_some((self.bloc_max, foreign * PHYS_PAGE));
            let grow = (bl + n - self.bloc_max) / PHYS_PAGE;
            if memory_grow(grow).is_none() {
                fail!("{}: out of memory: memory.grow({grow}) failed", Self::NAME);
            }
            self.growths += 1;
            // Where memory.grow put the pages is not looked at.
            self.bloc_max = bl + n;
        }
        self.bloc += n;
        expect_zero(Self::NAME, "sbrk handed out memory that is not zero (Go assumes it is)", bl, bl + n);
        bl
    }

    /// `sysReserveAlignedSbrk` (with an empty free list): round the break
    /// up to `align` and take the gap too. Go puts the gap on its free list
    /// for later metadata; the model leaves it unused.
    fn sbrk_aligned(&mut self, size: usize, align: usize) -> usize {
        let p = align_up(self.bloc, align);
        self.sbrk(p + size - self.bloc);
        p
    }

    // --- The page table ----------------------------------------------------

    fn header(&self) -> [u32; 4] {
        [TABLE_MAGIC, self.heap_lo as u32, self.heap_hi as u32, self.zeroed_base as u32]
    }

    fn set_header(&mut self) {
        let header = self.header();
        unsafe { core::ptr::copy_nonoverlapping(header.as_ptr(), self.table as *mut u32, 4) };
    }

    fn entry(&self, page: usize) -> u32 {
        unsafe { *((self.table + TABLE_HEADER + page * 4) as *const u32) }
    }

    fn set_entry(&mut self, page: usize, value: u32) {
        let shadow = &mut SHADOW.get()[page];
        let at = self.table + TABLE_HEADER + page * 4;
        if self.entry(page) != *shadow {
            fail!(
                "{}: page table entry {page} at 0x{at:x} (memory size - {}) is 0x{:08x}, not 0x{:08x} as the allocator left it",
                Self::NAME,
                memory_bytes() - at,
                self.entry(page),
                *shadow
            );
        }
        *shadow = value;
        unsafe { *(at as *mut u32) = value };
    }

    fn pages(&self) -> usize {
        (self.heap_hi - self.heap_lo) / PAGE
    }

    /// The page index and first-page entry of the span holding `addr`.
    fn span_of(&self, addr: usize) -> Option<(usize, u32)> {
        if addr < self.heap_lo || addr >= self.heap_hi {
            return None;
        }
        let mut page = (addr - self.heap_lo) / PAGE;
        let mut entry = self.entry(page);
        if entry & KIND == CONT {
            page -= (entry & !KIND) as usize;
            entry = self.entry(page);
        }
        matches!(entry & KIND, SMALL | LARGE).then_some((page, entry))
    }

    // --- The page heap ------------------------------------------------------

    /// `mheap.grow`: at least `pages` more pages, in steps of 512.
    fn grow_heap(&mut self, pages: usize) {
        let ask = align_up(pages * PAGE, GROW);
        if self.heap_hi == 0 {
            let p = self.sbrk_aligned(ask, ARENA);
            self.heap_lo = p;
            self.zeroed_base = p;
            self.heap_hi = p + ask;
        } else {
            let p = self.sbrk(ask);
            if p != self.heap_hi {
                fail!("{}: the heap is not contiguous (0x{p:x} after 0x{:x})", Self::NAME, self.heap_hi);
            }
            self.heap_hi += ask;
        }
        if self.heap_hi - self.heap_lo > MAX_HEAP {
            fail!("{}: the heap outgrew the model's page table", Self::NAME);
        }
        if let Some((addr, len)) = self.foreign.take() {
            // The test hook (see `SetAside`): the pages somebody else grew,
            // and one page for a redzone, as a large object. They are fresh,
            // so free, unless the first arena's alignment gap took them.
            let (first, count) = ((addr.max(self.heap_lo) - self.heap_lo) / PAGE, len / PAGE + 1);
            let end = self.heap_lo + (first + count) * PAGE;
            if addr >= self.heap_lo && end <= self.heap_hi && self.set_aside.has_room() && (first..first + count).all(|p| self.entry(p) == FREE) {
                self.set_entry(first, LARGE | count as u32);
                for k in 1..count {
                    self.set_entry(first + k, CONT | k as u32);
                }
                self.zeroed_base = self.zeroed_base.max(end);
                self.set_aside.push(addr, len);
            }
        }
        self.set_header();
    }

    /// The lowest run of `count` free pages (or the highest, for `high`).
    fn find_pages(&self, count: usize, high: bool) -> Option<usize> {
        let mut run = 0;
        if high {
            for page in (0..self.pages()).rev() {
                run = if self.entry(page) == FREE { run + 1 } else { 0 };
                if run == count {
                    return Some(page);
                }
            }
        } else {
            for page in self.search_from..self.pages() {
                run = if self.entry(page) == FREE { run + 1 } else { 0 };
                if run == count {
                    return Some(page + 1 - count);
                }
            }
        }
        None
    }

    /// A span of `count` pages whose first entry is `first`; its address and
    /// whether its memory needs clearing.
    fn alloc_span(&mut self, count: usize, first: u32, high: bool) -> (usize, bool) {
        let page = loop {
            match self.find_pages(count, high) {
                Some(page) => break page,
                None => self.grow_heap(count),
            }
        };
        self.set_entry(page, first);
        for k in 1..count {
            self.set_entry(page + k, CONT | k as u32);
        }
        if page == self.search_from {
            self.search_from = page + count;
        }
        let addr = self.heap_lo + page * PAGE;
        let end = addr + count * PAGE;
        // allocNeedsZero: memory starting below zeroedBase has been used.
        let needzero = addr < self.zeroed_base;
        self.zeroed_base = self.zeroed_base.max(end);
        self.set_header();
        (addr, needzero)
    }

    /// Readies `[addr, addr + len)` for a new object: cleared if used
    /// before, else checked to be the zero Go takes it for.
    fn fresh(&self, addr: usize, len: usize, needzero: bool) {
        if needzero {
            unsafe { core::ptr::write_bytes(addr as *mut u8, 0, len) };
        } else {
            expect_zero(Self::NAME, "heap memory never used since sbrk is not zero when first used (Go does not clear it)", addr, addr + len);
        }
    }

    fn place_small(&mut self, class: usize) -> usize {
        let size = CLASSES[class];
        let c = self.classes[class];
        if c.free != 0 {
            let slot = c.free;
            self.classes[class].free = unsafe { *(slot as *const u32) } as usize;
            self.classes[class].free_count -= 1;
            self.fresh(slot, size, true);
            return slot;
        }
        if c.next + size > c.end {
            let pages = span_pages(size);
            let (addr, needzero) = self.alloc_span(pages, SMALL | (class as u32) << 8 | pages as u32, false);
            let slots = pages * PAGE / size;
            self.classes[class] = Class { next: addr, end: addr + slots * size, needzero, ..c };
        }
        let c = &mut self.classes[class];
        let slot = c.next;
        c.next += size;
        let needzero = c.needzero;
        self.fresh(slot, size, needzero);
        slot
    }
}

impl Placement for Go {
    const NAME: &'static str = "go_model";

    fn place(&mut self, bytes: usize, align: usize, high: bool) -> usize {
        if !self.started {
            self.start();
        }
        if align > PAGE {
            fail!("{}: alignment {align} is not supported", Self::NAME);
        }
        if !high && bytes <= MAX_SMALL {
            // A slot of a class that is a multiple of the alignment (spans
            // are page-aligned, so such slots are aligned).
            if let Some(class) = CLASSES.iter().position(|&size| size >= bytes && size % align == 0) {
                return self.place_small(class);
            }
        }
        let pages = bytes.div_ceil(PAGE);
        let (addr, needzero) = self.alloc_span(pages, LARGE | pages as u32, high);
        self.fresh(addr, pages * PAGE, needzero);
        addr
    }

    fn release(&mut self, addr: usize) {
        let Some((page, entry)) = self.span_of(addr) else { fail!("{}: free of 0x{addr:x}, outside every span", Self::NAME) };
        if entry & KIND == LARGE {
            if addr != self.heap_lo + page * PAGE {
                fail!("{}: free of 0x{addr:x}, inside a large object", Self::NAME);
            }
            for k in 0..(entry & !KIND) as usize {
                self.set_entry(page + k, FREE);
            }
            self.search_from = self.search_from.min(page);
        } else {
            let class = (entry >> 8 & 0xff) as usize;
            let c = &mut self.classes[class];
            unsafe { *(addr as *mut u32) = c.free as u32 };
            c.free = addr;
            c.free_count += 1;
        }
    }

    fn capacity(&self, addr: usize) -> usize {
        match self.span_of(addr) {
            Some((_, entry)) if entry & KIND == LARGE => (entry & !KIND) as usize * PAGE,
            Some((_, entry)) => CLASSES[(entry >> 8 & 0xff) as usize],
            None => fail!("{}: capacity of 0x{addr:x}, outside every span", Self::NAME),
        }
    }

    fn check(&self, after: &str) {
        if !self.started {
            return;
        }
        let size = memory_bytes();
        let mut header = [0u32; 4];
        unsafe { core::ptr::copy_nonoverlapping(self.table as *const u32, header.as_mut_ptr(), 4) };
        if header != self.header() {
            fail!(
                "{}: after {after}: the page table's header at 0x{:x} (memory size - {}) was overwritten: {header:x?}, expected {:x?}",
                Self::NAME,
                self.table,
                size - self.table,
                self.header()
            );
        }
        let entries = &SHADOW.read()[..self.pages()];
        let expected = unsafe { core::slice::from_raw_parts(entries.as_ptr() as *const u8, entries.len() * 4) };
        if let Some(i) = first_difference(self.table + TABLE_HEADER, expected) {
            let page = i / 4;
            let at = self.table + TABLE_HEADER + page * 4;
            fail!(
                "{}: after {after}: the page table was changed behind the allocator's back: entry {page} at 0x{at:x} (memory size - {}) is 0x{:08x}, expected 0x{:08x}",
                Self::NAME,
                size - at,
                self.entry(page),
                entries[page],
            );
        }
        for (class, c) in self.classes.iter().enumerate() {
            let mut slot = c.free;
            for n in 0..c.free_count {
                let ok = match self.span_of(slot) {
                    Some((page, entry)) => {
                        entry & KIND == SMALL && (entry >> 8 & 0xff) as usize == class && (slot - self.heap_lo - page * PAGE).is_multiple_of(CLASSES[class])
                    }
                    None => false,
                };
                if !ok {
                    fail!(
                        "{}: after {after}: link {n} of the free list of {}-byte slots is 0x{slot:x}, not a free slot of that class",
                        Self::NAME,
                        CLASSES[class]
                    );
                }
                slot = unsafe { *(slot as *const u32) } as usize;
            }
            if slot != 0 {
                fail!("{}: after {after}: the free list of {}-byte slots does not end after {} links", Self::NAME, CLASSES[class], c.free_count);
            }
        }
    }

    fn check_live(&self, addr: usize, size: usize, after: &str) {
        let ok = match self.span_of(addr) {
            Some((page, entry)) if entry & KIND == LARGE => addr == self.heap_lo + page * PAGE && size + REDZONE_MIN <= (entry & !KIND) as usize * PAGE,
            Some((page, entry)) => {
                let class = CLASSES[(entry >> 8 & 0xff) as usize];
                (addr - self.heap_lo - page * PAGE).is_multiple_of(class) && size + REDZONE_MIN <= class
            }
            None => false,
        };
        if !ok {
            fail!("{}: after {after}: the page table does not hold the live {size}-byte allocation at 0x{addr:x}", Self::NAME);
        }
    }

    fn heap_bytes(&self) -> usize {
        self.heap_hi - self.heap_lo
    }

    fn growths(&self) -> u32 {
        self.growths
    }

    fn foreign_pages(&self) -> usize {
        self.foreign_pages
    }

    fn metadata_sample(&self) -> usize {
        self.table + TABLE_HEADER + self.pages() / 2 * 4
    }

    fn take_set_aside(&mut self) -> Option<(usize, usize)> {
        self.set_aside.pop()
    }
}
