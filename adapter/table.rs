//! The descriptor table: preview1 fd numbers to descriptors.
//!
//! Numbering follows native preview1 exactly (`wasmtime_wasi::p1`): a new
//! descriptor takes the highest freed number, or one past the highest number
//! in use when none is free. The freed numbers are the free slots below
//! `slots`; a new descriptor scans down for the highest from `free_below`, a
//! bound that freeing raises and scanning lowers. Lookup and freeing are
//! O(1); allocation is O(1) in the patterns programs have (the last freed
//! number is taken next) and at worst a scan of the entries.
//!
//! Storage is made of whole 64 KiB pages handed out by a [`Pages`] source
//! (memory the adapter grew, on wasm; boxed pages in host unit tests). The
//! root page holds the header, page directories and preopen names; entries
//! and the heap live in pages of their own, so the table never moves and has
//! no fixed capacity below 2^21 descriptors.

use core::ptr::NonNull;
use crate::errno::{Errno, Result};

pub const PAGE_SIZE: usize = 65_536;

/// A source of zero-filled, never-reclaimed 64 KiB pages.
pub trait Pages {
    /// `count` contiguous pages.
    fn new_pages(&mut self, count: usize) -> Option<*mut u8>;

    fn new_page(&mut self) -> Option<*mut u8> {
        self.new_pages(1)
    }
}

pub mod kind {
    pub const FREE: u8 = 0;
    pub const STDIN: u8 = 1;
    pub const STDOUT: u8 = 2;
    pub const STDERR: u8 = 3;
    pub const DIRECTORY: u8 = 4;
    pub const FILE: u8 = 5;
    /// A number reserved by `adapter_open_badfd`: open, but every call on it is BADF.
    pub const BAD: u8 = 6;
    /// Opened by `path_open` without `O_DIRECTORY`: a file or a directory,
    /// asked of the host on first use (the `stat` costs more than the open,
    /// and a descriptor that is only closed never needs it). Its flags are
    /// those a file would have.
    pub const UNTYPED: u8 = 7;
}

/// Flag bits of [`Entry::flags`].
pub mod flag {
    /// A directory handed to the program by the host (`fd_prestat_*` see it).
    pub const PREOPEN: u16 = 1 << 0;
    /// `isatty` of a stdio descriptor has been asked of the host.
    pub const TTY_KNOWN: u16 = 1 << 1;
    pub const TTY: u16 = 1 << 2;
    /// A file opened (or set) with `FDFLAGS_APPEND`.
    pub const APPEND: u16 = 1 << 3;
    /// A file opened (or set) with `FDFLAGS_NONBLOCK` (reported, not honoured, as natively).
    pub const NONBLOCK: u16 = 1 << 4;
    /// The host opened the file for reading / writing (what native's OS
    /// handle allows: see `path_open` in adapter/wasm/path.rs).
    pub const READABLE: u16 = 1 << 5;
    pub const WRITABLE: u16 = 1 << 6;
}

/// One descriptor. 32 bytes, so 2,048 fit in a page. All zero is a free
/// slot (`kind::FREE`, `Entry::default()`).
#[derive(Clone, Copy, Default, Debug, PartialEq, Eq)]
#[repr(C)]
pub struct Entry {
    pub kind: u8,
    pub _reserved: u8,
    pub flags: u16,
    /// The WASI 0.2 resource: stream for stdio, `descriptor` otherwise. 0 = not fetched yet.
    pub handle: u32,
    /// Cached streams of a file (later issues); 0 = none.
    pub input: u32,
    pub output: u32,
    /// Preopen name: offset of its bytes in the table's name storage, and length.
    pub name_at: usize,
    pub name_len: u32,
    pub position: u64,
}

const ENTRY_SIZE: usize = core::mem::size_of::<Entry>();
const ENTRIES_PER_PAGE: usize = PAGE_SIZE / ENTRY_SIZE;
const ENTRY_DIR_LEN: usize = 1024;
const MAGIC: u32 = 0x7031_6164; // "p1ad"

// The root page holds, after the header, everything a typical program
// needs, so that it costs one page: a spare area for the adapter (the
// `fd_readdir` cursor), the first descriptors and the preopen names. Only
// programs with more descriptors get more pages.
const INLINE_ENTRIES: usize = 512;
/// Bytes of the root page lent to the adapter (see [`Table::spare`]).
pub const SPARE_BYTES: usize = 4608;
const SPARE_AT: usize = core::mem::size_of::<Header>().next_multiple_of(8);
const ENTRIES_AT: usize = SPARE_AT + SPARE_BYTES;
const NAMES_AT: usize = ENTRIES_AT + INLINE_ENTRIES * ENTRY_SIZE;
const _: () = assert!(NAMES_AT + 4096 <= PAGE_SIZE);

#[repr(C)]
struct Header {
    magic: u32,
    /// One past the highest fd ever in use; every `FREE` slot below it is a freed number.
    slots: u32,
    /// No slot at or above this is free: the highest freed number is below it.
    free_below: u32,
    /// How many slots below `slots` are free (so a scan that would find none is skipped).
    free_count: u32,
    /// Name storage: a bump region `[names_next, names_end)`.
    names_next: usize,
    names_end: usize,
    entry_pages: [usize; ENTRY_DIR_LEN],
}

#[cfg(target_arch = "wasm32")]
const _: () = assert!(core::mem::size_of::<Entry>() == 32);

/// A handle on a table whose root page lives at a fixed address. What the
/// fast paths call is inlined: a `Table` behind a reference passed to a
/// call must live in memory, a stack frame the fast paths cannot have.
pub struct Table {
    header: *mut Header,
}

impl Table {
    /// Formats a fresh zeroed page as an empty table.
    ///
    /// # Safety
    /// `root` must be a zero-filled page owned by the table from now on.
    pub unsafe fn create(root: *mut u8) -> Table {
        let header = root.cast::<Header>();
        (*header).magic = MAGIC;
        (*header).names_next = root as usize + NAMES_AT;
        (*header).names_end = root as usize + PAGE_SIZE;
        Table { header }
    }

    /// Adds stdio to a fresh table as 0, 1 and 2, what three pushes would
    /// give, with the streams' handles (0 = not fetched yet). Written in
    /// place: the slots are in the root page, which needs no checks.
    pub fn add_stdio(&mut self, stdin: u32, stdout: u32, stderr: u32) {
        debug_assert!(self.header().slots == 0);
        let entries = (self.root() + ENTRIES_AT) as *mut Entry;
        // Field by field: the rest of a fresh slot is zero already.
        unsafe {
            (*entries).kind = kind::STDIN;
            (*entries).handle = stdin;
            (*entries.add(1)).kind = kind::STDOUT;
            (*entries.add(1)).handle = stdout;
            (*entries.add(2)).kind = kind::STDERR;
            (*entries.add(2)).handle = stderr;
        }
        let h = self.header();
        h.slots = 3;
        h.free_below = 2;
    }

    /// # Safety
    /// `root` must come from [`Table::create`].
    pub unsafe fn open(root: *mut u8) -> Table {
        let header = root.cast::<Header>();
        // The page is ours; a wrong magic means something overwrote it.
        if (*header).magic != MAGIC {
            crate::table::corrupted();
        }
        Table { header }
    }

    /// A table that [`Table::open`] or [`Table::create`] has given already.
    ///
    /// # Safety
    /// As for [`Table::open`]; the magic is not checked again.
    #[inline(always)]
    pub unsafe fn checked(root: *mut u8) -> Table {
        Table { header: root.cast() }
    }

    fn header(&self) -> &mut Header {
        unsafe { &mut *self.header }
    }

    fn root(&self) -> usize {
        self.header as usize
    }

    #[inline(always)]
    fn slot(&self, fd: u32) -> Option<*mut Entry> {
        Self::slot_of(self.header, fd).map(NonNull::as_ptr)
    }

    /// Slot `fd` of the table at `header`, if it is below `slots`. By value
    /// (see [`Table`]): whether or not it is inlined, it needs no stack
    /// (`NonNull`, not a raw pointer: an `Option` of a raw pointer has no
    /// niche and would come back through memory).
    fn slot_of(header: *mut Header, fd: u32) -> Option<NonNull<Entry>> {
        let h = unsafe { &*header };
        if fd >= h.slots {
            return None;
        }
        let fd = fd as usize;
        if fd < INLINE_ENTRIES {
            return NonNull::new((header as usize + ENTRIES_AT + fd * ENTRY_SIZE) as *mut Entry);
        }
        // `fd < slots` ≤ capacity, so its page exists. Unchecked indexing
        // keeps panic machinery (and its data segment) out of the adapter.
        let i = fd - INLINE_ENTRIES;
        let page = unsafe { *h.entry_pages.get_unchecked(i / ENTRIES_PER_PAGE) };
        NonNull::new((page + (i % ENTRIES_PER_PAGE) * ENTRY_SIZE) as *mut Entry)
    }

    /// The open entry `fd` of the table at `header` (by value, as [`Table::slot_of`]).
    fn open_slot_of(header: *mut Header, fd: u32) -> Option<NonNull<Entry>> {
        let entry = Self::slot_of(header, fd)?;
        (unsafe { entry.as_ref().kind } != kind::FREE).then_some(entry)
    }

    /// The root page's spare area: `SPARE_BYTES` zero-initialised bytes,
    /// 8-aligned, that the table never touches.
    pub fn spare(&self) -> *mut u8 {
        (self.root() + SPARE_AT) as *mut u8
    }

    /// Overwrites slot `fd`, which must be below `slots`. Inlined, so the
    /// entry is written in place rather than passed through memory.
    #[inline(always)]
    fn set(&mut self, fd: u32, entry: Entry) {
        if let Some(slot) = self.slot(fd) {
            unsafe { *slot = entry };
        }
    }

    /// The descriptor `fd`, if it is open.
    pub fn get(&self, fd: u32) -> Option<&mut Entry> {
        Self::open_slot_of(self.header, fd).map(|mut entry| unsafe { entry.as_mut() })
    }

    /// [`Table::get`] for the fast paths, by value (see [`Table`]): the open
    /// entry `fd` of the table whose root page is `root`.
    ///
    /// # Safety
    /// `root` is a live table's root page (as for [`Table::open`]).
    #[inline(always)]
    pub unsafe fn open_entry(root: *mut u8, fd: u32) -> Option<NonNull<Entry>> {
        Self::open_slot_of(Self::open(root).header, fd)
    }

    /// Whether `fd` is open.
    pub fn contains(&self, fd: u32) -> bool {
        self.get(fd).is_some()
    }

    /// Adds a descriptor under the number native preview1 would give it.
    pub fn push(&mut self, entry: Entry, pages: &mut impl Pages) -> Result<u32> {
        let fd = self.next_slot(pages)?;
        self.place(fd, entry);
        Ok(fd)
    }

    /// The number the next [`Table::push`] gives, after making sure its
    /// slot's page exists. One body for `push` and `reserve` (the proxy
    /// reserves nothing, so there it is part of `push`).
    #[cfg_attr(not(feature = "proxy"), inline(never))]
    #[cfg_attr(feature = "proxy", inline(always))]
    fn next_slot(&mut self, pages: &mut impl Pages) -> Result<u32> {
        if let Some(fd) = self.highest_free() {
            return Ok(fd);
        }
        let fd = self.header().slots;
        self.page_for_slot(fd, pages)?;
        Ok(fd)
    }

    /// Puts `entry` under `fd`, the number the next push gives, whose slot's
    /// page exists.
    #[inline(always)]
    fn place(&mut self, fd: u32, entry: Entry) {
        debug_assert!(entry.kind != kind::FREE);
        let h = self.header();
        if fd == h.slots {
            h.slots = fd + 1;
        } else {
            h.free_count -= 1;
        }
        // Everything above `fd` is in use now.
        h.free_below = fd;
        self.set(fd, entry);
    }

    /// The highest freed number, if any; tightens `free_below` on the way.
    #[inline(always)]
    fn highest_free(&mut self) -> Option<u32> {
        if self.header().free_count == 0 {
            return None;
        }
        let mut fd = self.header().free_below;
        while fd > 0 {
            fd -= 1;
            if self.get(fd).is_none() {
                return Some(fd);
            }
            self.header().free_below = fd;
        }
        None
    }

    /// Makes sure the next [`Table::push`] cannot fail, so that a caller can
    /// check before it creates what the descriptor will hold (a file the
    /// host would create, say).
    pub fn reserve(&mut self, pages: &mut impl Pages) -> Result<()> {
        self.next_slot(pages).map(drop)
    }

    /// Ensures the page holding never-used slot `fd` exists.
    fn page_for_slot(&mut self, fd: u32, pages: &mut impl Pages) -> Result<()> {
        if fd as usize >= INLINE_ENTRIES + ENTRY_DIR_LEN * ENTRIES_PER_PAGE {
            return Err(Errno::NFILE_OR_MFILE);
        }
        if let Some(i) = (fd as usize).checked_sub(INLINE_ENTRIES) {
            let dir = unsafe { self.header().entry_pages.get_unchecked_mut(i / ENTRIES_PER_PAGE) };
            if *dir == 0 {
                *dir = pages.new_page().ok_or(Errno::NOMEM)? as usize;
            }
        }
        Ok(())
    }

    /// Closes `fd`, returning what it held. Inlined: the adapter's one
    /// caller keeps only the fields it needs, not a copy of the entry.
    #[inline(always)]
    pub fn remove(&mut self, fd: u32) -> Result<Entry> {
        let slot = self.get(fd).ok_or(Errno::BADF)?;
        let entry = *slot;
        Self::free(self.header, fd, slot);
        Ok(entry)
    }

    /// Closes `fd` if it is an open regular file (or one not yet typed, so
    /// never listed), returning its handle for the caller to release; else
    /// changes nothing. No `Entry` moves, so it
    /// needs no stack (the adapter's fast `fd_close`).
    #[inline(always)]
    pub fn remove_file(&mut self, fd: u32) -> Option<u32> {
        let slot = self.get(fd).filter(|e| e.kind == kind::FILE || e.kind == kind::UNTYPED)?;
        let handle = slot.handle;
        Self::free(self.header, fd, slot);
        Some(handle)
    }

    /// Moves `from` onto the open descriptor `to`, as native `fd_renumber`
    /// does after closing `to`: `from`'s number becomes free. Returns the
    /// entry that `to` held, for the caller to release. Inlined, as
    /// [`Table::remove`].
    #[inline(always)]
    pub fn renumber(&mut self, from: u32, to: u32) -> Result<Entry> {
        let moved: *mut Entry = self.get(from).ok_or(Errno::BADF)?;
        let target = self.get(to).ok_or(Errno::BADF)?;
        if from == to {
            return Ok(Entry::default());
        }
        let old = *target;
        // Slot to slot, before `from` is cleared: no copy of the entry in between.
        *target = unsafe { *moved };
        Self::free(self.header, from, unsafe { &mut *moved });
        Ok(old)
    }

    /// Marks `fd`, whose open entry is `slot`, free. Takes the header by
    /// value, not `&mut self`: a `Table` behind a reference would need a
    /// stack frame in the caller, and the fast `fd_close` has none.
    #[inline(never)]
    fn free(header: *mut Header, fd: u32, slot: &mut Entry) {
        // In place: an `Entry` built on the stack and copied needs a frame.
        unsafe { (slot as *mut Entry).write_bytes(0, 1) };
        let h = unsafe { &mut *header };
        h.free_below = h.free_below.max(fd + 1);
        h.free_count += 1;
    }

    /// Copies `name` into the table's name storage; returns where it went,
    /// or `None` when there is no page for it (NOMEM). An address inside
    /// the root page or one grown after it is never 0, and an `Option` of a
    /// non-zero number comes back in a register.
    pub fn store_name(&mut self, name: &[u8], pages: &mut impl Pages) -> Option<core::num::NonZeroUsize> {
        let h = self.header();
        if h.names_next + name.len() > h.names_end {
            let count = name.len().div_ceil(PAGE_SIZE).max(1);
            let first = pages.new_pages(count)? as usize;
            h.names_next = first;
            h.names_end = first + count * PAGE_SIZE;
        }
        let at = h.names_next;
        unsafe { core::ptr::copy_nonoverlapping(name.as_ptr(), at as *mut u8, name.len()) };
        h.names_next += name.len();
        core::num::NonZeroUsize::new(at)
    }

    /// The bytes of a name stored by [`Table::store_name`].
    pub fn name(&self, entry: &Entry) -> &[u8] {
        unsafe { core::slice::from_raw_parts(entry.name_at as *const u8, entry.name_len as usize) }
    }
}

/// Native's numbering over a set of at most 64 numbers (the proxy's
/// descriptors, `adapter/wasm/descriptors/stdio_only.rs`): with `open` the
/// open numbers and `slots` one past the highest number ever used (3 to 64),
/// the number a new descriptor gets: the highest free one below `slots`,
/// else `slots`; `None` when that would be 64.
pub fn next_in_set(open: u64, slots: u32) -> Option<u32> {
    debug_assert!((1..=64).contains(&slots));
    let free = !open & u64::MAX >> (64 - slots);
    match free {
        0 if slots >= 64 => None,
        0 => Some(slots),
        _ => Some(63 - free.leading_zeros()),
    }
}

impl Errno {
    /// Native preview1 has no per-process descriptor limit below 2^32; ours is
    /// 2^21. Past it we answer as a POSIX system would.
    pub const NFILE_OR_MFILE: Errno = Errno(33); // MFILE
}

/// The table's root page was overwritten by someone else: continuing would
/// act on garbage, so stop here.
#[cold]
pub fn corrupted() -> ! {
    #[cfg(target_arch = "wasm32")]
    crate::wasm::trap::abort();
    #[cfg(not(target_arch = "wasm32"))]
    panic!("descriptor table overwritten");
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeMap, BTreeSet};

    /// Pages from the host heap, aligned like wasm pages need not be.
    struct HostPages;
    impl Pages for HostPages {
        fn new_pages(&mut self, count: usize) -> Option<*mut u8> {
            let pages = vec![0u8; PAGE_SIZE * count].into_boxed_slice();
            Some(Box::leak(pages).as_mut_ptr())
        }
    }

    fn new_table() -> Table {
        let root = HostPages.new_page().unwrap();
        unsafe { Table::create(root) }
    }

    fn entry(kind: u8, handle: u32) -> Entry {
        Entry { kind, handle, ..Entry::default() }
    }

    /// Native preview1's algorithm, transcribed: BTreeMap of used, BTreeSet of free.
    #[derive(Default)]
    struct Model {
        used: BTreeMap<u32, u32>,
        free: BTreeSet<u32>,
    }
    impl Model {
        fn push(&mut self, h: u32) -> u32 {
            let fd = self.free.pop_last().unwrap_or_else(|| {
                self.used.last_key_value().map(|(fd, _)| fd + 1).unwrap_or(0)
            });
            self.used.insert(fd, h);
            fd
        }
        fn remove(&mut self, fd: u32) -> Option<u32> {
            let h = self.used.remove(&fd)?;
            self.free.insert(fd);
            Some(h)
        }
        fn renumber(&mut self, from: u32, to: u32) -> bool {
            if !self.used.contains_key(&from) || !self.used.contains_key(&to) {
                return false;
            }
            if from == to {
                return true;
            }
            self.remove(to);
            let h = self.used.remove(&from).unwrap();
            self.free.insert(from);
            self.free.remove(&to);
            self.used.insert(to, h);
            true
        }
    }

    #[test]
    fn numbering_reuses_highest_freed_first() {
        let mut t = new_table();
        for h in 0..10 {
            assert_eq!(t.push(entry(kind::FILE, h + 1), &mut HostPages), Ok(h));
        }
        t.remove(3).unwrap();
        t.remove(7).unwrap();
        t.remove(5).unwrap();
        assert_eq!(t.push(entry(kind::FILE, 1), &mut HostPages), Ok(7));
        assert_eq!(t.push(entry(kind::FILE, 1), &mut HostPages), Ok(5));
        assert_eq!(t.push(entry(kind::FILE, 1), &mut HostPages), Ok(3));
        assert_eq!(t.push(entry(kind::FILE, 1), &mut HostPages), Ok(10));
        assert_eq!(t.remove(3).map(|e| e.handle), Ok(1));
        assert_eq!(t.remove(3), Err(Errno::BADF));
        assert!(t.get(3).is_none());
        assert!(t.get(11).is_none());
    }

    /// A repeatable pseudo-random sequence (xorshift64) for the random walks.
    fn xorshift(mut seed: u64) -> impl FnMut() -> u64 {
        move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        }
    }

    #[test]
    fn matches_native_model_under_random_operations() {
        let mut t = new_table();
        let mut m = Model::default();
        let mut next = xorshift(0x1234_5678_9abc_def0u64);
        for step in 0..200_000u32 {
            let r = next();
            let live = m.used.len() as u64;
            match r % 7 {
                0..=2 => {
                    assert_eq!(t.push(entry(kind::FILE, step + 1), &mut HostPages).unwrap(), m.push(step + 1));
                }
                3..=4 if live > 0 => {
                    let fd = (next() % (live * 2 + 2)) as u32;
                    let got = t.remove(fd).ok().map(|e| e.handle);
                    assert_eq!(got, m.remove(fd), "remove {fd} at step {step}");
                }
                5 if live > 0 => {
                    let from = (next() % (live + 3)) as u32;
                    let to = (next() % (live + 3)) as u32;
                    let ok = t.renumber(from, to).is_ok();
                    assert_eq!(ok, m.renumber(from, to), "renumber {from}->{to}");
                }
                _ => {
                    let fd = (next() % (live + 5)) as u32;
                    assert_eq!(t.get(fd).map(|e| e.handle), m.used.get(&fd).copied());
                }
            }
        }
        assert!(m.used.len() > 1000, "the walk should reach thousands of descriptors");
    }

    /// The proxy's 64-number numbering against native's, over random opens,
    /// closes and renumbers that stay within 64 numbers.
    #[test]
    fn numbering_in_a_set_of_64_matches_native() {
        let mut m = Model::default();
        for fd in 0..3 {
            assert_eq!(m.push(fd), fd);
        }
        let (mut open, mut slots) = (0b111u64, 3u32);
        let mut next = xorshift(0x0bad_f00d_1234_5678u64);
        let mut full = 0;
        for step in 0..100_000u32 {
            match next() % 4 {
                0 | 1 => match next_in_set(open, slots) {
                    Some(fd) => {
                        assert_eq!(fd, m.push(step), "push at step {step}");
                        open |= 1 << fd;
                        slots = slots.max(fd + 1);
                    }
                    None => {
                        // Only when all 64 numbers are open.
                        assert_eq!(open, u64::MAX);
                        full += 1;
                    }
                },
                2 => {
                    let fd = (next() % 70) as u32;
                    let was_open = fd < 64 && open >> fd & 1 != 0;
                    assert_eq!(m.remove(fd).is_some(), was_open);
                    if was_open {
                        open &= !(1 << fd);
                    }
                }
                _ => {
                    let (from, to) = ((next() % 66) as u32, (next() % 66) as u32);
                    let both = from < 64 && to < 64 && open >> from & 1 != 0 && open >> to & 1 != 0;
                    assert_eq!(m.renumber(from, to), both);
                    if both && from != to {
                        open &= !(1 << from);
                    }
                }
            }
        }
        assert!(full > 0, "the walk should fill all 64 numbers at times");
    }

    /// Counts the pages it hands out.
    struct CountingPages(usize);
    impl Pages for CountingPages {
        fn new_pages(&mut self, count: usize) -> Option<*mut u8> {
            self.0 += count;
            HostPages.new_pages(count)
        }
    }

    #[test]
    fn a_typical_program_needs_only_the_root_page() {
        let mut t = new_table();
        let mut pages = CountingPages(0);
        for i in 0..500 {
            t.push(entry(kind::FILE, i + 1), &mut pages).unwrap();
        }
        for fd in (0..500).step_by(3) {
            t.remove(fd).unwrap();
        }
        t.store_name(b"/sandbox", &mut pages).unwrap();
        assert_eq!(pages.0, 0);
        // The spare area is the adapter's: the table never writes it.
        let spare = unsafe { std::slice::from_raw_parts(t.spare(), SPARE_BYTES) };
        assert!(spare.iter().all(|&b| b == 0));
    }

    #[test]
    fn holds_more_descriptors_than_a_page() {
        let mut t = new_table();
        for i in 0..10_000 {
            assert_eq!(t.push(entry(kind::DIRECTORY, i + 7), &mut HostPages), Ok(i));
        }
        for i in 0..10_000 {
            assert_eq!(t.get(i).unwrap().handle, i + 7);
        }
    }

    /// Pages that run out after `left` more.
    struct ScarcePages(usize);
    impl Pages for ScarcePages {
        fn new_pages(&mut self, count: usize) -> Option<*mut u8> {
            self.0 = self.0.checked_sub(count)?;
            HostPages.new_pages(count)
        }
    }

    #[test]
    fn reserve_takes_the_page_a_push_would_need() {
        let mut t = new_table();
        for i in 0..INLINE_ENTRIES as u32 {
            t.reserve(&mut ScarcePages(0)).unwrap();
            t.push(entry(kind::FILE, i + 1), &mut ScarcePages(0)).unwrap();
        }
        // The next slot needs a page: without one, reserve fails first...
        assert_eq!(t.reserve(&mut ScarcePages(0)), Err(Errno::NOMEM));
        // ...unless a freed number can be reused.
        t.remove(7).unwrap();
        assert_eq!(t.reserve(&mut ScarcePages(0)), Ok(()));
        assert_eq!(t.push(entry(kind::FILE, 99), &mut ScarcePages(0)), Ok(7));
        // With a page, reserve takes it and the push needs none.
        t.reserve(&mut ScarcePages(1)).unwrap();
        let fd = t.push(entry(kind::FILE, 100), &mut ScarcePages(0)).unwrap();
        assert_eq!(fd, INLINE_ENTRIES as u32);
        assert_eq!(t.get(fd).unwrap().handle, 100);
        // Reserving twice takes the page once.
        for _ in 0..2 {
            t.reserve(&mut ScarcePages(0)).unwrap();
        }
    }

    #[test]
    fn remove_file_closes_files_and_untyped_descriptors_only() {
        let mut t = new_table();
        for i in 0..INLINE_ENTRIES as u32 {
            assert_eq!(t.push(entry(kind::FILE, i), &mut HostPages), Ok(i));
        }
        // Freed numbers come back highest first.
        assert_eq!(t.remove_file(7), Some(7));
        assert_eq!(t.remove_file(7), None);
        t.remove(3).unwrap();
        assert_eq!(t.push(entry(kind::DIRECTORY, 70), &mut HostPages), Ok(7));
        assert_eq!(t.push(entry(kind::FILE, 30), &mut HostPages), Ok(3));
        // `remove_file` leaves anything but a regular file alone.
        assert_eq!(t.remove_file(7), None);
        assert_eq!(t.get(7).map(|e| e.handle), Some(70));
        assert_eq!(t.get(3).map(|e| e.handle), Some(30));
        // It does close one not yet typed (a file or a directory never listed).
        let fd = t.push(entry(kind::UNTYPED, 90), &mut HostPages).unwrap();
        assert_eq!(t.remove_file(fd), Some(90));
        assert!(t.get(fd).is_none());
    }


    #[test]
    fn add_stdio_numbers_as_three_pushes_would() {
        let mut t = new_table();
        t.add_stdio(11, 0, 13);
        for (fd, k, h) in [(0, kind::STDIN, 11), (1, kind::STDOUT, 0), (2, kind::STDERR, 13)] {
            assert_eq!(*t.get(fd).unwrap(), entry(k, h));
        }
        assert!(t.get(3).is_none());
        assert_eq!(t.push(entry(kind::DIRECTORY, 5), &mut HostPages), Ok(3));
        t.remove(1).unwrap();
        t.remove(0).unwrap();
        assert_eq!(t.push(entry(kind::FILE, 6), &mut HostPages), Ok(1));
        assert_eq!(t.push(entry(kind::FILE, 7), &mut HostPages), Ok(0));
        assert_eq!(t.push(entry(kind::FILE, 8), &mut HostPages), Ok(4));
    }

    #[test]
    fn names_are_kept() {
        let mut t = new_table();
        let long = vec![b'x'; 100_000];
        let names = [&b"/sandbox"[..], &long[..], b".", &long[..60_000]];
        let mut stored = Vec::new();
        for name in names {
            let at = t.store_name(name, &mut HostPages).unwrap().get();
            let fd = t
                .push(Entry { kind: kind::DIRECTORY, name_at: at, name_len: name.len() as u32, ..Entry::default() }, &mut HostPages)
                .unwrap();
            stored.push(fd);
        }
        for (fd, name) in stored.into_iter().zip(names) {
            let e = *t.get(fd).unwrap();
            assert_eq!(t.name(&e), name);
        }
        // A name that needs a page when none is left is not stored.
        assert_eq!(t.store_name(&long, &mut ScarcePages(1)), None);
        assert!(t.store_name(b"/x", &mut ScarcePages(0)).is_some());
    }
}
