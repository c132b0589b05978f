//! Descriptors: what one holds ([`Entry`]), and how numbers are given out.
//!
//! Numbering follows native preview1 exactly (`wasmtime_wasi::p1`): a new
//! descriptor takes the highest freed number, or one past the highest number
//! ever in use when none is free.
//!
//! Where they live ([`Descriptors`]): numbers below [`GLOBAL_FDS`] in a
//! [`LowStore`] (wasm globals in the adapter: no memory at all), with a bit
//! set of the open ones; numbers from [`GLOBAL_FDS`] on in the spill
//! [`Table`], in pages of memory handed out by a [`Pages`] source (grown by
//! the adapter; boxed pages in host unit tests), only ever made for a
//! program that holds that many descriptors at once. Lookup and freeing are
//! O(1); allocation is O(1) in the patterns programs have and at worst a
//! scan of the spill table's entries. No fixed capacity below 2^21.

use core::ptr::NonNull;
use crate::errno::{Errno, Result};
use crate::packed::Packed;
pub use crate::slots::GLOBAL_FDS;

pub const PAGE_SIZE: usize = 65_536;

/// A source of zero-filled, never-reclaimed 64 KiB pages. A type, not a
/// value: a value passed by reference to code that is not inlined needs an
/// address, a stack frame.
pub trait Pages {
    fn new_page() -> Option<*mut u8>;
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
    /// A directory handed to the program by the host (`fd_prestat_*` see
    /// it); its position is its index in the host's list of preopens.
    pub const PREOPEN: u8 = 1 << 0;
    /// A file opened (or set) with `FDFLAGS_APPEND`.
    pub const APPEND: u8 = 1 << 1;
    /// A file opened (or set) with `FDFLAGS_NONBLOCK` (reported, not honoured, as natively).
    pub const NONBLOCK: u8 = 1 << 2;
    /// The host opened the file for reading / writing (what native's OS
    /// handle allows: see `path_open` in adapter/wasm/path.rs).
    pub const READABLE: u8 = 1 << 3;
    pub const WRITABLE: u8 = 1 << 4;
}

/// What a descriptor is, besides its position: packed into one 64-bit word
/// ([`Entry::word`]) wherever it is kept, a global or the spill table. The
/// word 0 is a free number (`kind::FREE`).
#[derive(Clone, Copy, Default, Debug, PartialEq, Eq)]
pub struct Entry {
    pub kind: u8,
    pub flags: u8,
    /// The WASI 0.2 resource: stream for stdio, `descriptor` otherwise. 0 = not fetched yet.
    pub handle: u32,
}

impl Entry {
    /// The handle in the low half, then the kind, then the flags.
    #[inline(always)]
    pub const fn word(&self) -> u64 {
        self.handle as u64 | (self.kind as u64) << 32 | (self.flags as u64) << 40
    }

    /// The entry whose [`Entry::word`] is `word`.
    #[inline(always)]
    pub const fn from_word(word: u64) -> Entry {
        Entry { kind: (word >> 32) as u8, flags: (word >> 40) as u8, handle: word as u32 }
    }
}

/// Where the descriptors below [`GLOBAL_FDS`] and the spill table's root
/// live: wasm globals in the adapter. A type, not a value, as [`Pages`].
pub trait LowStore {
    /// The packed entry ([`Entry::word`]) of `fd` (< [`GLOBAL_FDS`]); 0 when it is free.
    fn word(fd: u32) -> u64;
    fn set_word(fd: u32, word: u64);
    /// The position of `fd` (< [`GLOBAL_FDS`]): a file's, or a preopen's
    /// index in the host's list of preopens.
    fn position(fd: u32) -> u64;
    fn set_position(fd: u32, position: u64);
    /// The open numbers below [`GLOBAL_FDS`], bit `fd` for `fd`.
    fn open() -> u64;
    fn set_open(open: u64);
    /// One past the highest number below [`GLOBAL_FDS`] ever in use.
    fn slots() -> u32;
    fn set_slots(slots: u32);
    /// The spill table's root page, 0 while there is none.
    fn table_root() -> usize;
    fn set_table_root(root: usize);
}

const _: () = assert!(GLOBAL_FDS >= 3 && GLOBAL_FDS <= 64);

/// Every descriptor, numbered as native numbers them (see the module
/// comment): a packed entry ([`Entry::word`]) and a position each, kept in
/// `S` and, past [`GLOBAL_FDS`], in the spill table, whose pages come from
/// `P`.
///
/// Functions of types, not methods of values: none needs an address, so
/// none needs a stack frame. Those that answer a `Result` are inlined into
/// the adapter's one caller each (a `Result` returned from a call goes
/// through memory); the others are shared calls.
pub struct Descriptors<S: LowStore, P: Pages>(core::marker::PhantomData<(S, P)>);

impl<S: LowStore, P: Pages> Descriptors<S, P> {
    /// The packed entry of `fd`; 0 when it is not open.
    #[inline(never)]
    pub fn word(fd: u32) -> u64 {
        if fd < GLOBAL_FDS {
            return S::word(fd);
        }
        spill_slot(S::table_root(), fd).map_or(0, |slot| slot.word)
    }

    /// Replaces the packed entry of the open descriptor `fd`.
    #[inline(never)]
    pub fn set_word(fd: u32, word: u64) {
        debug_assert!(word != 0 && Self::word(fd) != 0);
        if fd < GLOBAL_FDS {
            S::set_word(fd, word);
        } else if let Some(slot) = spill_slot(S::table_root(), fd) {
            slot.word = word;
        }
    }

    /// The position of the open descriptor `fd` (0 if it is not open).
    #[inline(never)]
    pub fn position(fd: u32) -> u64 {
        if fd < GLOBAL_FDS {
            return S::position(fd);
        }
        spill_slot(S::table_root(), fd).map_or(0, |slot| slot.position)
    }

    /// Moves the open descriptor `fd` to `position`.
    #[inline(never)]
    pub fn set_position(fd: u32, position: u64) {
        if fd < GLOBAL_FDS {
            S::set_position(fd, position);
        } else if let Some(slot) = spill_slot(S::table_root(), fd) {
            slot.position = position;
        }
    }

    /// The number below [`GLOBAL_FDS`] a new descriptor gets, unless the
    /// spill table has a freed number (which is higher): the highest free
    /// one below `slots`, else `slots`; `None` when all are in use.
    #[inline(always)]
    fn next_low() -> Option<u32> {
        if Table::open(S::table_root()).is_some_and(Table::has_free) {
            return None;
        }
        next_in_set(S::open(), S::slots(), GLOBAL_FDS)
    }

    /// Adds a descriptor under the number native preview1 would give it.
    #[inline(always)]
    pub fn push(word: u64, position: u64) -> Result<u32> {
        Self::push_packed(word, position).result()
    }

    /// [`Descriptors::push`], answered in one register.
    #[inline(never)]
    fn push_packed(word: u64, position: u64) -> Packed {
        debug_assert!(word != 0);
        if let Some(fd) = Self::next_low() {
            S::set_word(fd, word);
            S::set_position(fd, position);
            S::set_open(S::open() | 1 << fd);
            if fd >= S::slots() {
                S::set_slots(fd + 1);
            }
            return Packed::ok(fd);
        }
        let packed = match Self::spill_root() {
            Ok(root) => Table::push::<P>(root, word, position),
            Err(e) => return Packed::err(e),
        };
        match packed.result() {
            Ok(i) => Packed::ok(i + GLOBAL_FDS),
            Err(_) => packed,
        }
    }

    /// The spill table's root page, made on first use.
    #[inline(always)]
    fn spill_root() -> Result<usize> {
        let mut root = S::table_root();
        if root == 0 {
            root = Table::create::<P>();
            if root == 0 {
                return Err(Errno::NOMEM);
            }
            S::set_table_root(root);
        }
        Ok(root)
    }

    /// Makes sure the next [`Descriptors::push`] cannot fail, so that a
    /// caller can check before it creates what the descriptor will hold (a
    /// file the host would create, say). Only a number in the spill table
    /// can fail, for want of a page.
    #[inline(always)]
    pub fn reserve() -> Result<()> {
        if Self::next_low().is_some() {
            return Ok(());
        }
        let root = Self::spill_root()?;
        Table::open(root).map_or(Packed::ok(0), |table| table.next_slot::<P>()).result().map(drop)
    }

    /// Closes `fd`, returning its packed entry.
    #[inline(always)]
    pub fn remove(fd: u32) -> Result<u64> {
        let word = Self::word(fd);
        if word == 0 {
            return Err(Errno::BADF);
        }
        Self::free(fd);
        Ok(word)
    }

    /// Marks the open descriptor `fd` free.
    #[inline(never)]
    fn free(fd: u32) {
        if fd < GLOBAL_FDS {
            S::set_word(fd, 0);
            S::set_open(S::open() & !(1 << fd));
        } else {
            Table::remove(S::table_root(), fd - GLOBAL_FDS);
        }
    }

    /// Moves `from` onto the open descriptor `to`, as native `fd_renumber`
    /// does after closing `to`: `from`'s number becomes free. Returns the
    /// packed entry that `to` held, for the caller to release (0 when
    /// `from` is `to`, which changes nothing).
    #[inline(always)]
    pub fn renumber(from: u32, to: u32) -> Result<u64> {
        let moved = Self::word(from);
        let old = Self::word(to);
        if moved == 0 || old == 0 {
            return Err(Errno::BADF);
        }
        if from == to {
            return Ok(0);
        }
        Self::set_word(to, moved);
        Self::set_position(to, Self::position(from));
        Self::free(from);
        Ok(old)
    }
}

/// Spill table entry `fd - GLOBAL_FDS` of the table at `root`, if it is open.
#[inline(never)]
fn spill_slot<'a>(root: usize, fd: u32) -> Option<&'a mut Slot> {
    Table::open(root)?.get(fd.checked_sub(GLOBAL_FDS)?)
}

/// Native's numbering over the numbers below `capacity` (at most 64): with
/// `open` the open ones and `slots` one past the highest ever used, the
/// number a new descriptor gets: the highest free one below `slots`, else
/// `slots`; `None` when that would be `capacity`.
pub fn next_in_set(open: u64, slots: u32, capacity: u32) -> Option<u32> {
    debug_assert!(slots <= capacity && capacity <= 64);
    let free = if slots == 0 { 0 } else { !open & u64::MAX >> (64 - slots) };
    match free {
        0 if slots >= capacity => None,
        0 => Some(slots),
        _ => Some(63 - free.leading_zeros()),
    }
}

// ---------------------------------------------------------------------------
// The spill table: descriptors from GLOBAL_FDS on, indexed from 0.
//
// Storage is made of whole pages: the root page holds the header, the page
// directory and the first entries; further entries live in pages of their
// own, so the table never moves.

/// A spill table entry: a free one is all zero.
#[derive(Clone, Copy, Default)]
#[repr(C)]
struct Slot {
    word: u64,
    position: u64,
}

const SLOT_SIZE: usize = core::mem::size_of::<Slot>();
const SLOTS_PER_PAGE: usize = PAGE_SIZE / SLOT_SIZE;
const PAGE_DIR_LEN: usize = 1024;
const MAGIC: u32 = 0x7031_6164; // "p1ad"
const SLOTS_AT: usize = core::mem::size_of::<Header>().next_multiple_of(16);
const INLINE_SLOTS: usize = (PAGE_SIZE - SLOTS_AT) / SLOT_SIZE;

#[repr(C)]
struct Header {
    magic: u32,
    /// One past the highest index ever in use; every free slot below it is a freed number.
    slots: u32,
    /// No slot at or above this is free: the highest freed number is below it.
    free_below: u32,
    /// How many slots below `slots` are free (so a scan that would find none is skipped).
    free_count: u32,
    pages: [usize; PAGE_DIR_LEN],
}

/// A handle on a spill table whose root page lives at a fixed address. By
/// value, and its operations answer in scalars: they are called from
/// inlined code that must not need a frame.
#[derive(Clone, Copy)]
struct Table {
    header: NonNull<Header>,
}

impl Table {
    /// The table whose root page is at `root` (0: none). The page is ours;
    /// a wrong magic means something overwrote it.
    #[inline(always)]
    fn open(root: usize) -> Option<Table> {
        let header = NonNull::new(root as *mut Header)?;
        if unsafe { header.as_ref().magic } != MAGIC {
            crate::table::corrupted();
        }
        Some(Table { header })
    }

    /// A fresh page formatted as an empty table: its root, 0 when there is
    /// no page for it.
    #[inline(never)]
    fn create<P: Pages>() -> usize {
        let Some(page) = P::new_page() else { return 0 };
        // A page from `P` is zero-filled and ours from now on.
        unsafe { (*page.cast::<Header>()).magic = MAGIC };
        page as usize
    }

    fn root(self) -> usize {
        self.header.as_ptr() as usize
    }

    fn header<'a>(self) -> &'a mut Header {
        unsafe { &mut *self.header.as_ptr() }
    }

    fn has_free(self) -> bool {
        self.header().free_count != 0
    }

    /// Slot `i`, if it is below `slots`. The table's pages never move or go.
    fn slot<'a>(self, i: u32) -> Option<&'a mut Slot> {
        let h = self.header();
        if i >= h.slots {
            return None;
        }
        let i = i as usize;
        let at = if i < INLINE_SLOTS {
            self.root() + SLOTS_AT + i * SLOT_SIZE
        } else {
            // `i < slots` ≤ capacity, so its page exists. Unchecked indexing
            // keeps panic machinery (and its data segment) out of the adapter.
            let i = i - INLINE_SLOTS;
            let page = unsafe { *h.pages.get_unchecked(i / SLOTS_PER_PAGE) };
            page + (i % SLOTS_PER_PAGE) * SLOT_SIZE
        };
        unsafe { (at as *mut Slot).as_mut() }
    }

    /// Slot `i`, if it is open.
    fn get<'a>(self, i: u32) -> Option<&'a mut Slot> {
        self.slot(i).filter(|slot| slot.word != 0)
    }

    /// Adds `(word, position)` to the table at `root` under the highest
    /// freed index, else one past the highest; answers the index.
    #[inline(never)]
    fn push<P: Pages>(root: usize, word: u64, position: u64) -> Packed {
        let Some(table) = Table::open(root) else { return Packed::err(Errno::BADF) };
        let i = match table.next_slot::<P>().result() {
            Ok(i) => i,
            Err(e) => return Packed::err(e),
        };
        let h = table.header();
        if i == h.slots {
            h.slots = i + 1;
        } else {
            h.free_count -= 1;
        }
        // Everything above `i` is in use now.
        h.free_below = i;
        if let Some(slot) = table.slot(i) {
            *slot = Slot { word, position };
        }
        Packed::ok(i)
    }

    /// The index the next push gives, after making sure its slot's page
    /// exists.
    #[inline(never)]
    fn next_slot<P: Pages>(self) -> Packed {
        if let Some(i) = self.highest_free() {
            return Packed::ok(i);
        }
        let i = self.header().slots;
        if i as usize >= INLINE_SLOTS + PAGE_DIR_LEN * SLOTS_PER_PAGE {
            return Packed::err(Errno::NFILE_OR_MFILE);
        }
        if let Some(j) = (i as usize).checked_sub(INLINE_SLOTS) {
            let dir = unsafe { self.header().pages.get_unchecked_mut(j / SLOTS_PER_PAGE) };
            if *dir == 0 {
                match P::new_page() {
                    Some(page) => *dir = page as usize,
                    None => return Packed::err(Errno::NOMEM),
                }
            }
        }
        Packed::ok(i)
    }

    /// The highest freed index, if any; tightens `free_below` on the way.
    #[inline(always)]
    fn highest_free(self) -> Option<u32> {
        if !self.has_free() {
            return None;
        }
        let mut i = self.header().free_below;
        while i > 0 {
            i -= 1;
            if self.get(i).is_none() {
                return Some(i);
            }
            self.header().free_below = i;
        }
        None
    }

    /// Frees open entry `i` of the table at `root`.
    #[inline(never)]
    fn remove(root: usize, i: u32) {
        let Some(table) = Table::open(root) else { return };
        if let Some(slot) = table.get(i) {
            *slot = Slot::default();
            let h = table.header();
            h.free_below = h.free_below.max(i + 1);
            h.free_count += 1;
        }
    }
}

impl Errno {
    /// Native preview1 has no per-process descriptor limit below 2^32; ours is
    /// about 2^22. Past it we answer as a POSIX system would.
    pub const NFILE_OR_MFILE: Errno = Errno(33); // MFILE
}

/// The spill table's root page was overwritten by someone else: continuing
/// would act on garbage, so stop here.
#[cold]
pub fn corrupted() -> ! {
    #[cfg(target_arch = "wasm32")]
    crate::wasm::trap::abort();
    #[cfg(not(target_arch = "wasm32"))]
    panic!("descriptor table overwritten");
}

#[cfg(test)]
mod tests;
