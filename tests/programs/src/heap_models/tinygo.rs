//! TinyGo's heap on wasm, as a [`Placement`]: the policy of its block
//! allocator (`src/runtime/gc_blocks.go`, the conservative and precise GCs)
//! and of its wasm glue (`src/runtime/arch_tinygowasm.go`). Facts taken
//! from those sources, each mirrored below:
//!
//! * The heap starts at `__heap_base` and ends at `memory.size` as it is
//!   when the runtime starts (`heapStart`, `heapEnd`): every page below the
//!   memory size at that moment is the heap's, whoever grew it.
//! * The heap is cut into 16-byte blocks (4 pointers of 4 bytes). Each block
//!   has a 2-bit state (free, head, tail, mark) in a metadata area at the
//!   *top* of the heap, `metadataStart..heapEnd`, sized
//!   `(total + 64) / 65` bytes.
//! * `alloc` is next-fit: it scans from the block after the last allocation
//!   (`nextAlloc`), wraps around at the end, and takes the first run of free
//!   blocks that is long enough; the allocation is cleared (`memzero`).
//! * When a whole scan finds nothing it collects garbage and grows the heap
//!   if less than a third is free; when a second scan fails it grows anyway.
//! * Growing (`growHeap`) calls `memory.grow(memory.size)`, doubling memory,
//!   and makes the heap end the *new* `memory.size` (`setHeapEnd`): every
//!   page anyone grew since the heap last grew becomes heap. The metadata
//!   is copied to the new top with a `memcpy` of the old metadata only: the
//!   states of the new blocks are whatever the new memory holds, which the
//!   runtime assumes is zero (free).
//!
//! TinyGo has no `free`: objects are freed by the collector's sweep. The
//! program here frees explicitly, and the model frees the blocks at once,
//! as a sweep would; so the collection before growing has nothing left to
//! collect, and only the "less than a third free" rule remains. The mark
//! state is used only during a collection, so it never appears.
//!
//! What the model checks, beyond TinyGo's policy: that the memory a growth
//! absorbs is all zero (the assumption above; a non-zero byte is reported
//! with its address below the end of memory), that the heap it claims at
//! start-up is all zero (anything there is somebody else's, and TinyGo's
//! heap will overwrite it), and that the block states change only when the
//! allocator changes them: the allocator keeps a checksum of every 4 KiB of
//! them in static data, outside the heap (a copy would be as large as the
//! states, and static data adds to the memory size TinyGo doubles).

use crate::common::{expect_zero, memory_bytes, memory_grow, pages_grown_by_others, Global, SetAside, Placement, REDZONE_MIN, WASM_PAGE};

/// `bytesPerBlock`: `wordsPerBlock` (4) pointers of 4 bytes.
const BLOCK: usize = 16;
/// `blocksPerStateByte`: 2 state bits per block.
const BLOCKS_PER_BYTE: usize = 4;

/// The model's limit on its heap.
const MAX_HEAP: usize = 1 << 30;
/// The block states are checked in chunks of this many bytes (counted from
/// `metadata_start`).
const CHUNK: usize = 4096;
const MAX_CHUNKS: usize = (MAX_HEAP / (BLOCKS_PER_BYTE * BLOCK)).div_ceil(CHUNK);

/// The checksum each chunk of the block states must have ([`TinyGo::sum`]),
/// kept up to date with every change the allocator makes, in static data.
static SUMS: Global<[u64; MAX_CHUNKS]> = Global::new([0; MAX_CHUNKS]);

/// Weight of metadata word `j` (bytes `8j..8j + 8`) in a checksum.
const fn weight(j: usize) -> u64 {
    (2 * j as u64 + 1).wrapping_mul(WEIGHT)
}
const WEIGHT: u64 = 0x9e37_79b9_7f4a_7c15;

const FREE: u8 = 0;
const HEAD: u8 = 1;
const TAIL: u8 = 2;

extern "C" {
    /// The end of the program's static data, set by the linker: where
    /// TinyGo's heap starts (`heapStart = &__heap_base`).
    static __heap_base: u8;
}

pub struct TinyGo {
    started: bool,
    heap_start: usize,
    heap_end: usize,
    metadata_start: usize,
    /// Blocks in `heap_start..metadata_start`.
    end_block: usize,
    /// Where the next scan starts (`nextAlloc`).
    next_alloc: usize,
    free_blocks: usize,
    growths: u32,
    foreign_pages: usize,
    set_aside: SetAside,
}

impl TinyGo {
    pub const fn new() -> TinyGo {
        TinyGo {
            started: false,
            heap_start: 0,
            heap_end: 0,
            metadata_start: 0,
            end_block: 0,
            next_alloc: 0,
            free_blocks: 0,
            growths: 0,
            foreign_pages: 0,
            set_aside: SetAside::new(),
        }
    }

    /// The runtime's start-up: `heapStart`, `heapEnd` and `initHeap`. Runs
    /// at the program's first allocation.
    fn start(&mut self) {
        self.started = true;
        self.heap_start = core::ptr::addr_of!(__heap_base) as usize;
        if !self.heap_start.is_multiple_of(BLOCK) {
            // wasm-ld aligns it to 16.
            fail!("{}: __heap_base 0x{:x} is not block-aligned", Self::NAME, self.heap_start);
        }
        self.heap_end = memory_bytes();
        self.foreign_pages = pages_grown_by_others(0);
        expect_zero(
            Self::NAME,
            "the heap claimed at start-up (from __heap_base to memory.size) is not zero, so it holds somebody's data",
            self.heap_start,
            self.heap_end,
        );
        self.calculate_heap_addresses();
        // initHeap: every block free (checksums 0).
        unsafe { core::ptr::write_bytes(self.metadata_start as *mut u8, 0, self.metadata_size()) };
        self.free_blocks = self.end_block;
    }

    /// `calculateHeapAddresses`: metadata at the top, 2 bits per block.
    fn calculate_heap_addresses(&mut self) {
        let total = self.heap_end - self.heap_start;
        if total > MAX_HEAP {
            fail!("{}: the heap outgrew the model's limit of {} MiB", Self::NAME, MAX_HEAP >> 20);
        }
        let per_byte = BLOCKS_PER_BYTE * BLOCK;
        let metadata_size = (total + per_byte) / (1 + per_byte);
        self.metadata_start = self.heap_end - metadata_size;
        self.end_block = (self.metadata_start - self.heap_start) / BLOCK;
    }

    fn address(&self, block: usize) -> usize {
        self.heap_start + block * BLOCK
    }

    fn state(&self, block: usize) -> u8 {
        let byte = unsafe { *((self.metadata_start + block / BLOCKS_PER_BYTE) as *const u8) };
        (byte >> ((block % BLOCKS_PER_BYTE) * 2)) & 3
    }

    fn metadata_size(&self) -> usize {
        self.heap_end - self.metadata_start
    }

    /// The checksum of metadata bytes `from..to` (offsets from the metadata
    /// start, `from` a multiple of 8, `to` too or the end): the sum of its
    /// words, each times its weight. The last word may be short: the
    /// metadata ends at the end of memory.
    fn sum(&self, from: usize, to: usize) -> u64 {
        let base = self.metadata_start;
        let (mut at, mut w, mut sum) = (from, weight(from / 8), 0u64);
        while at + 8 <= to {
            let word = unsafe { ((base + at) as *const u64).read_unaligned() };
            sum = sum.wrapping_add(word.wrapping_mul(w));
            w = w.wrapping_add(WEIGHT.wrapping_mul(2));
            at += 8;
        }
        if at < to {
            let word = (0..to - at).fold(0u64, |word, k| word | (unsafe { *((base + at + k) as *const u8) } as u64) << (8 * k));
            sum = sum.wrapping_add(word.wrapping_mul(w));
        }
        sum
    }

    fn chunk_sum(&self, chunk: usize) -> u64 {
        self.sum(chunk * CHUNK, ((chunk + 1) * CHUNK).min(self.metadata_size()))
    }

    /// Sets the states of blocks `first..first + count`: a head and tails
    /// (`allocate`), or free; keeps the checksums and the free count.
    fn set_states(&mut self, first: usize, count: usize, allocate: bool) {
        let end = first + count;
        let mut block = first;
        while block < end {
            // The blocks whose states lie in this chunk: the checksum
            // changes by the difference their words make.
            let chunk = block / BLOCKS_PER_BYTE / CHUNK;
            let until = ((chunk + 1) * CHUNK * BLOCKS_PER_BYTE).min(end);
            let from = block / BLOCKS_PER_BYTE / 8 * 8;
            let to = ((until - 1) / BLOCKS_PER_BYTE + 1).next_multiple_of(8).min(self.metadata_size());
            let before = self.sum(from, to);
            for b in block..until {
                let byte = unsafe { &mut *((self.metadata_start + b / BLOCKS_PER_BYTE) as *mut u8) };
                let shift = (b % BLOCKS_PER_BYTE) * 2;
                let state = match (allocate, b == first) {
                    (false, _) => FREE,
                    (true, true) => HEAD,
                    (true, false) => TAIL,
                };
                *byte = (*byte & !(3 << shift)) | state << shift;
            }
            let after = self.sum(from, to);
            let sums = SUMS.get();
            sums[chunk] = sums[chunk].wrapping_sub(before).wrapping_add(after);
            block = until;
        }
        if allocate {
            self.free_blocks -= count;
        } else {
            self.free_blocks += count;
        }
    }

    /// Marks `count` blocks from `first` allocated and clears them (`alloc`
    /// ends with `memzero`).
    fn claim(&mut self, first: usize, count: usize) -> usize {
        self.set_states(first, count, true);
        let addr = self.address(first);
        unsafe { core::ptr::write_bytes(addr as *mut u8, 0, count * BLOCK) };
        addr
    }

    /// `growHeap` and `setHeapEnd`.
    fn grow_heap(&mut self) {
        // Grow by the current size: the heap (roughly) doubles.
        let foreign = pages_grown_by_others(self.heap_end);
        self.foreign_pages += foreign;
        let pages = memory_bytes() / WASM_PAGE;
        if memory_grow(pages).is_none() {
            fail!("{}: out of memory: memory.grow({pages}) failed", Self::NAME);
        }
        self.growths += 1;
        // The heap now ends at the new memory size, taking in any pages
        // others grew since it last grew. TinyGo copies only the old
        // metadata and counts on all of that memory being zero.
        let new_end = memory_bytes();
        expect_zero(
            Self::NAME,
            "growing the heap absorbed memory that is not zero (TinyGo assumes grown memory is zero)",
            self.heap_end,
            new_end,
        );
        let (old_start, old_size, old_blocks, old_end) = (self.metadata_start, self.heap_end - self.metadata_start, self.end_block, self.heap_end);
        self.heap_end = new_end;
        self.calculate_heap_addresses();
        if self.metadata_start < old_start + old_size {
            // TinyGo asserts this too ("heap did not grow enough at once").
            fail!("{}: the new metadata overlaps the old", Self::NAME);
        }
        unsafe { core::ptr::copy_nonoverlapping(old_start as *const u8, self.metadata_start as *mut u8, old_size) };
        // The old metadata area is now free blocks holding old states:
        // garbage, cleared when allocated. The checksums are unchanged: the
        // same bytes at the same offsets from the metadata start, then zeros.
        self.free_blocks += self.end_block - old_blocks;
        if foreign > 0 && self.set_aside.has_room() {
            // The test hook (see `SetAside`): the pages from the old heap
            // end that somebody else grew, and one block for a redzone.
            let first = (old_end - self.heap_start) / BLOCK;
            let len = foreign * WASM_PAGE;
            self.set_states(first, len / BLOCK + 1, true);
            self.set_aside.push(old_end, len);
        }
    }

    /// TinyGo's `alloc` loop for `needed` blocks. The alignment condition
    /// never applies to TinyGo's own allocations (16 bytes, one block); it
    /// serves the rare Rust type aligned to more.
    fn alloc_next_fit(&mut self, needed: usize, align: usize) -> usize {
        let mut index = self.next_alloc;
        let mut run = 0;
        let mut scans = 0;
        loop {
            if index == self.next_alloc {
                match scans {
                    0 => scans = 1,
                    1 => {
                        // The whole heap was scanned. TinyGo collects
                        // garbage here (the model has none: frees are
                        // immediate) and grows if less than a third of the
                        // heap is free.
                        scans = 2;
                        if self.free_blocks * BLOCK < (self.metadata_start - self.heap_start) / 3 {
                            self.grow_heap();
                        }
                    }
                    _ => self.grow_heap(),
                }
            }
            if index == self.end_block {
                // Wrap around; a run cannot span the end.
                index = 0;
                run = 0;
                continue;
            }
            if self.state(index) != FREE || (run == 0 && !self.address(index).is_multiple_of(align)) {
                run = 0;
                index += 1;
                continue;
            }
            run += 1;
            index += 1;
            if run == needed {
                self.next_alloc = index;
                return self.claim(index - needed, needed);
            }
        }
    }

    /// The test hook behind `high` (not TinyGo's policy): the highest run
    /// of free blocks that fits, so just below the metadata, in the pages
    /// the heap absorbed last. Grows when nothing fits.
    fn alloc_highest(&mut self, needed: usize, align: usize) -> usize {
        loop {
            let mut run = 0;
            let mut block = self.end_block;
            while block > 0 {
                block -= 1;
                if self.state(block) != FREE {
                    run = 0;
                    continue;
                }
                run += 1;
                if run >= needed && self.address(block).is_multiple_of(align) {
                    return self.claim(block, needed);
                }
            }
            self.grow_heap();
        }
    }

    /// Blocks of the object whose head is `block`.
    fn object_blocks(&self, block: usize) -> usize {
        let mut end = block + 1;
        while end < self.end_block && self.state(end) == TAIL {
            end += 1;
        }
        end - block
    }

    fn block_of(&self, addr: usize, what: &str) -> usize {
        if addr < self.heap_start || addr >= self.metadata_start || !(addr - self.heap_start).is_multiple_of(BLOCK) {
            fail!("{}: {what}: 0x{addr:x} is not a block of the heap", Self::NAME);
        }
        (addr - self.heap_start) / BLOCK
    }

    fn state_name(state: u8) -> &'static str {
        ["free", "head", "tail", "mark"][state as usize]
    }
}

impl Placement for TinyGo {
    const NAME: &'static str = "tinygo_model";

    fn place(&mut self, bytes: usize, align: usize, high: bool) -> usize {
        if !self.started {
            self.start();
        }
        let needed = bytes.div_ceil(BLOCK).max(1);
        let align = align.max(BLOCK);
        if high {
            self.alloc_highest(needed, align)
        } else {
            self.alloc_next_fit(needed, align)
        }
    }

    fn release(&mut self, addr: usize) {
        let block = self.block_of(addr, "free");
        if self.state(block) != HEAD {
            fail!("{}: free of 0x{addr:x}, a {} block", Self::NAME, Self::state_name(self.state(block)));
        }
        let count = self.object_blocks(block);
        self.set_states(block, count, false);
    }

    fn capacity(&self, addr: usize) -> usize {
        self.object_blocks(self.block_of(addr, "capacity")) * BLOCK
    }

    fn check(&self, after: &str) {
        if !self.started {
            return;
        }
        let chunks = self.metadata_size().div_ceil(CHUNK);
        for (chunk, &sum) in SUMS.read()[..chunks].iter().enumerate() {
            if self.chunk_sum(chunk) != sum {
                let (from, to) = (self.metadata_start + chunk * CHUNK, (self.metadata_start + (chunk + 1) * CHUNK).min(self.heap_end));
                fail!(
                    "{}: after {after}: the heap's block states (the metadata at the top of the heap) were changed behind the allocator's back in [0x{from:x}, 0x{to:x}) = memory size - {}",
                    Self::NAME,
                    memory_bytes() - from,
                );
            }
        }
    }

    fn check_live(&self, addr: usize, size: usize, after: &str) {
        let block = self.block_of(addr, "a live allocation");
        let last = block + (size + REDZONE_MIN - 1) / BLOCK;
        let (head, tail) = (self.state(block), self.state(last));
        if head != HEAD || (last > block && tail != TAIL) {
            fail!(
                "{}: after {after}: the {size}-byte allocation at 0x{addr:x} starts with a {} block and ends with a {} block",
                Self::NAME,
                Self::state_name(head),
                Self::state_name(tail),
            );
        }
    }

    fn heap_bytes(&self) -> usize {
        self.heap_end - self.heap_start
    }

    fn growths(&self) -> u32 {
        self.growths
    }

    fn foreign_pages(&self) -> usize {
        self.foreign_pages
    }

    fn metadata_sample(&self) -> usize {
        self.metadata_start + self.metadata_size() / 2
    }

    fn take_set_aside(&mut self) -> Option<(usize, usize)> {
        self.set_aside.pop()
    }
}
