//! Host tests of the numbering (against a transcription of native's) and of
//! where descriptors live.

use super::*;
use std::collections::{BTreeMap, BTreeSet};

use std::cell::{Cell, RefCell};

/// Pages from the host heap, aligned like wasm pages need not be.
struct HostPages;
impl Pages for HostPages {
    fn new_page() -> Option<*mut u8> {
        let page = vec![0u8; PAGE_SIZE].into_boxed_slice();
        Some(Box::leak(page).as_mut_ptr())
    }
}

thread_local! {
    /// How many pages `CountingPages` has handed out, and may still.
    static GIVEN: Cell<usize> = const { Cell::new(0) };
    static LEFT: Cell<usize> = const { Cell::new(0) };
}

/// Host pages, counted, that run out (see [`pages_left`]).
struct CountingPages;
impl Pages for CountingPages {
    fn new_page() -> Option<*mut u8> {
        LEFT.set(LEFT.get().checked_sub(1)?);
        GIVEN.set(GIVEN.get() + 1);
        HostPages::new_page()
    }
}

/// From now on `CountingPages` gives `left` more pages; counts from 0.
fn pages_left(left: usize) {
    LEFT.set(left);
    GIVEN.set(0);
}

fn pages_given() -> usize {
    GIVEN.get()
}

/// The low store as plain fields: what the adapter keeps in wasm globals.
#[derive(Default)]
struct Fields {
    words: [u64; GLOBAL_FDS as usize],
    positions: [u64; GLOBAL_FDS as usize],
    open: u64,
    slots: u32,
    root: usize,
}

thread_local! {
    /// Each test's stores (tests run on threads of their own): two, for
    /// the tests that compare two sets of descriptors.
    static FIELDS: RefCell<[Fields; 2]> = RefCell::new(Default::default());
}

/// The thread's `Fields` number `I`, as a store.
struct Store<const I: usize>;
impl<const I: usize> LowStore for Store<I> {
    fn word(fd: u32) -> u64 {
        FIELDS.with_borrow(|f| f[I].words[fd as usize])
    }
    fn set_word(fd: u32, word: u64) {
        FIELDS.with_borrow_mut(|f| f[I].words[fd as usize] = word)
    }
    fn position(fd: u32) -> u64 {
        FIELDS.with_borrow(|f| f[I].positions[fd as usize])
    }
    fn set_position(fd: u32, position: u64) {
        FIELDS.with_borrow_mut(|f| f[I].positions[fd as usize] = position)
    }
    fn open() -> u64 {
        FIELDS.with_borrow(|f| f[I].open)
    }
    fn set_open(open: u64) {
        FIELDS.with_borrow_mut(|f| f[I].open = open)
    }
    fn slots() -> u32 {
        FIELDS.with_borrow(|f| f[I].slots)
    }
    fn set_slots(slots: u32) {
        FIELDS.with_borrow_mut(|f| f[I].slots = slots)
    }
    fn table_root() -> usize {
        FIELDS.with_borrow(|f| f[I].root)
    }
    fn set_table_root(root: usize) {
        FIELDS.with_borrow_mut(|f| f[I].root = root)
    }
}

/// A set of descriptors in store `I`, with pages of `P`.
struct D<P: Pages, const I: usize>(core::marker::PhantomData<P>);
impl<P: Pages, const I: usize> D<P, I> {
    fn push(&mut self, word: u64, position: u64) -> Result<u32> {
        Descriptors::<Store<I>, P>::push(word, position)
    }
    fn reserve(&mut self) -> Result<()> {
        Descriptors::<Store<I>, P>::reserve()
    }
    fn remove(&mut self, fd: u32) -> Result<u64> {
        Descriptors::<Store<I>, P>::remove(fd)
    }
    fn renumber(&mut self, from: u32, to: u32) -> Result<u64> {
        Descriptors::<Store<I>, P>::renumber(from, to)
    }
    fn word(&self, fd: u32) -> u64 {
        Descriptors::<Store<I>, P>::word(fd)
    }
    fn position(&self, fd: u32) -> u64 {
        Descriptors::<Store<I>, P>::position(fd)
    }
    fn set_position(&mut self, fd: u32, position: u64) {
        Descriptors::<Store<I>, P>::set_position(fd, position)
    }
    fn root(&self) -> usize {
        Store::<I>::table_root()
    }
}

/// A fresh set of descriptors in store `I`.
fn new_descriptors<P: Pages, const I: usize>() -> D<P, I> {
    FIELDS.with_borrow_mut(|f| f[I] = Fields::default());
    D(core::marker::PhantomData)
}

/// The packed entry of a descriptor of `kind` holding `handle`.
fn entry(kind: u8, handle: u32) -> u64 {
    Entry { kind, handle, flags: 0 }.word()
}

/// What `Descriptors::get` would be: the entry and position of open `fd`.
fn get<P: Pages, const I: usize>(d: &D<P, I>, fd: u32) -> Option<(Entry, u64)> {
    let word = d.word(fd);
    (word != 0).then(|| (Entry::from_word(word), d.position(fd)))
}

/// Native preview1's algorithm, transcribed: BTreeMap of used, BTreeSet of free.
#[derive(Default)]
struct Model {
    used: BTreeMap<u32, u32>,
    free: BTreeSet<u32>,
}
impl Model {
    fn push(&mut self, h: u32) -> u32 {
        let fd = self.free.pop_last().unwrap_or_else(|| self.used.last_key_value().map(|(fd, _)| fd + 1).unwrap_or(0));
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
fn entries_pack_into_a_word_and_back() {
    let e = Entry { kind: kind::UNTYPED, flags: flag::READABLE | flag::APPEND, handle: 0xdead_beef };
    assert_eq!(Entry::from_word(e.word()), e);
    assert_eq!(Entry::default().word(), 0);
    assert_eq!(Entry::from_word(0).kind, kind::FREE);
    // Every open descriptor has a kind, so its word is never 0, even with handle 0.
    assert_ne!(Entry { kind: kind::STDOUT, flags: 0, handle: 0 }.word(), 0);
}

#[test]
fn numbering_reuses_highest_freed_first() {
    let mut d = new_descriptors::<HostPages, 0>();
    for h in 0..10 {
        assert_eq!(d.push(entry(kind::FILE, h + 1), 0), Ok(h));
    }
    d.remove(3).unwrap();
    d.remove(7).unwrap();
    d.remove(5).unwrap();
    assert_eq!(d.push(entry(kind::FILE, 1), 0), Ok(7));
    assert_eq!(d.push(entry(kind::FILE, 1), 0), Ok(5));
    assert_eq!(d.push(entry(kind::FILE, 1), 0), Ok(3));
    assert_eq!(d.push(entry(kind::FILE, 1), 0), Ok(10));
    assert_eq!(d.remove(3).map(|w| Entry::from_word(w).handle), Ok(1));
    assert_eq!(d.remove(3), Err(Errno::BADF));
    assert!(get(&d, 3).is_none());
    assert!(get(&d, 11).is_none());
    assert!(get(&d, u32::MAX).is_none());
}

/// Random opens, closes, renumbers and lookups against native's numbering,
/// with at most `cap` descriptors open; returns the highest number used.
fn random_walk(seed: u64, cap: u64, steps: u32) -> u32 {
    let mut d = new_descriptors::<HostPages, 0>();
    let mut m = Model::default();
    let mut next = xorshift(seed);
    let mut highest = 0;
    for step in 0..steps {
        let live = m.used.len() as u64;
        match next() % 7 {
            0..=2 if live < cap => {
                let e = Entry { kind: kind::FILE, flags: (step % 32) as u8, handle: step + 1 };
                let fd = d.push(e.word(), step as u64 * 3).unwrap();
                assert_eq!(fd, m.push(step + 1), "push at step {step}");
                highest = highest.max(fd);
            }
            0..=4 if live > 0 => {
                let fd = (next() % (live * 2 + 2)) as u32;
                let got = d.remove(fd).ok().map(|w| Entry::from_word(w).handle);
                assert_eq!(got, m.remove(fd), "remove {fd} at step {step}");
            }
            5 if live > 0 => {
                let from = (next() % (live + 3)) as u32;
                let to = (next() % (live + 3)) as u32;
                let ok = d.renumber(from, to).is_ok();
                assert_eq!(ok, m.renumber(from, to), "renumber {from}->{to} at step {step}");
            }
            _ => {
                let fd = (next() % (live + 5)) as u32;
                let got = get(&d, fd);
                assert_eq!(got.map(|(e, _)| e.handle), m.used.get(&fd).copied(), "get {fd} at step {step}");
                if let Some((e, position)) = got {
                    // What was pushed with the handle comes back whole.
                    assert_eq!((e.flags as u32, position), ((e.handle - 1) % 32, (e.handle - 1) as u64 * 3));
                }
            }
        }
    }
    highest
}

/// Reaching thousands of descriptors, so that numbers move between the
/// globals and the spill table both ways.
#[test]
fn matches_native_model_under_random_operations() {
    assert!(random_walk(0x1234_5678_9abc_def0, u64::MAX, 200_000) > 1000);
}

/// Around `GLOBAL_FDS` open at once, where the boundary is crossed often.
#[test]
fn matches_native_model_around_the_boundary() {
    let highest = random_walk(0x0fed_cba9_8765_4321, GLOBAL_FDS as u64 + 4, 200_000);
    assert!((GLOBAL_FDS..2 * GLOBAL_FDS).contains(&highest), "{highest}");
}

#[test]
fn up_to_global_fds_descriptors_need_no_memory() {
    let mut d = new_descriptors::<CountingPages, 0>();
    pages_left(usize::MAX);
    for i in 0..GLOBAL_FDS {
        assert_eq!(d.push(entry(kind::FILE, i + 1), 0), Ok(i));
    }
    for round in 0..1000 {
        let fd = round % GLOBAL_FDS;
        d.remove(fd).unwrap();
        assert_eq!(d.push(entry(kind::DIRECTORY, round), 0), Ok(fd));
        d.renumber(fd, (fd + 1) % GLOBAL_FDS).unwrap();
        assert_eq!(d.push(entry(kind::FILE, round), 0), Ok(fd));
    }
    assert_eq!(pages_given(), 0);
    assert_eq!(d.root(), 0);
    // One more needs the spill table, and gets the next number.
    assert_eq!(d.push(entry(kind::FILE, 99), 0), Ok(GLOBAL_FDS));
    assert_eq!(pages_given(), 1);
    // A number freed below GLOBAL_FDS is taken when the spill table has
    // none free, and not while it has one, which is higher.
    d.remove(5).unwrap();
    assert_eq!(d.push(entry(kind::FILE, 100), 0), Ok(5));
    d.remove(5).unwrap();
    d.remove(GLOBAL_FDS).unwrap();
    assert_eq!(d.push(entry(kind::FILE, 101), 0), Ok(GLOBAL_FDS));
    assert_eq!(d.push(entry(kind::FILE, 102), 0), Ok(5));
    assert_eq!(d.push(entry(kind::FILE, 103), 0), Ok(GLOBAL_FDS + 1));
    assert_eq!(pages_given(), 1);
}

#[test]
fn renumbering_across_the_boundary_moves_the_whole_entry() {
    let mut d = new_descriptors::<HostPages, 0>();
    for i in 0..GLOBAL_FDS + 3 {
        d.push(Entry { kind: kind::FILE, flags: flag::APPEND, handle: i + 1 }.word(), 1000 + i as u64).unwrap();
    }
    let high = GLOBAL_FDS + 2;
    d.set_position(high, 77);
    assert_eq!(d.renumber(high, 4).map(|w| Entry::from_word(w).handle), Ok(5));
    assert_eq!(get(&d, 4), Some((Entry { kind: kind::FILE, flags: flag::APPEND, handle: high + 1 }, 77)));
    assert!(get(&d, high).is_none());
    assert_eq!(d.renumber(7, GLOBAL_FDS).map(|w| Entry::from_word(w).handle), Ok(GLOBAL_FDS + 1));
    assert_eq!(get(&d, GLOBAL_FDS).map(|(e, p)| (e.handle, p)), Some((8, 1007)));
    // Onto itself: nothing changes, nothing to release.
    assert_eq!(d.renumber(4, 4), Ok(0));
    assert_eq!(d.renumber(high, high), Err(Errno::BADF));
    // Native: the highest freed number first.
    assert_eq!(d.push(entry(kind::FILE, 1), 0), Ok(high));
    assert_eq!(d.push(entry(kind::FILE, 1), 0), Ok(7));
}

#[test]
fn holds_more_descriptors_than_a_page() {
    let mut d = new_descriptors::<HostPages, 0>();
    for i in 0..10_000 {
        assert_eq!(d.push(entry(kind::DIRECTORY, i + 7), 0), Ok(i));
    }
    for i in 0..10_000 {
        assert_eq!(get(&d, i).unwrap().0.handle, i + 7);
    }
}

#[test]
fn a_push_that_needs_a_page_fails_cleanly() {
    let mut d = new_descriptors::<CountingPages, 0>();
    // The low numbers need no page.
    pages_left(0);
    for i in 0..GLOBAL_FDS {
        d.push(entry(kind::FILE, i + 1), 0).unwrap();
    }
    // The next number needs the spill table: without a page, NOMEM...
    assert_eq!(d.reserve(), Err(Errno::NOMEM));
    assert_eq!(d.push(entry(kind::FILE, 1), 0), Err(Errno::NOMEM));
    assert_eq!(d.root(), 0);
    // ...unless a freed number can be reused.
    d.remove(7).unwrap();
    assert_eq!(d.push(entry(kind::FILE, 99), 0), Ok(7));
    pages_left(1);
    assert_eq!(d.push(entry(kind::FILE, 100), 0), Ok(GLOBAL_FDS));
    assert_eq!(get(&d, GLOBAL_FDS).unwrap().0.handle, 100);
    // Filling the root page's entries, then one more needs a page of its own.
    pages_left(0);
    let mut fd = GLOBAL_FDS;
    while let Ok(next) = d.push(entry(kind::FILE, 5), 0) {
        fd = next;
    }
    assert_eq!(fd as usize, GLOBAL_FDS as usize + INLINE_SLOTS - 1);
    assert_eq!(d.reserve(), Err(Errno::NOMEM));
    // With a page, reserve takes it and the push needs none; reserving
    // twice takes it once.
    pages_left(1);
    d.reserve().unwrap();
    d.reserve().unwrap();
    assert_eq!(pages_given(), 1);
    assert_eq!(d.push(entry(kind::FILE, 6), 0), Ok(fd + 1));
    assert_eq!(pages_given(), 1);
}

/// `path_open` reserves before it opens, and pushes only if the open
/// succeeded: a reserve that is not followed by a push changes no
/// numbering (a number taken and given back would: it would join the freed
/// ones, and natively a failed open takes none).
#[test]
fn a_reserve_changes_no_numbering() {
    let mut next = xorshift(0x5eed_0fa1_1000_0001);
    for round in 0..300 {
        let (mut with, mut without) = (new_descriptors::<HostPages, 0>(), new_descriptors::<HostPages, 1>());
        let mut open = Vec::new();
        for step in 0..(next() % 150) as u32 {
            if next() % 4 == 0 {
                with.reserve().unwrap();
            }
            if next() % 3 == 0 && !open.is_empty() {
                let fd = open.swap_remove((next() % open.len() as u64) as usize);
                with.remove(fd).unwrap();
                without.remove(fd).unwrap();
            } else if next() % 2 == 0 {
                let fd = with.push(entry(kind::FILE, step + 1), 0).unwrap();
                assert_eq!(without.push(entry(kind::FILE, step + 1), 0), Ok(fd), "round {round}");
                open.push(fd);
            }
        }
    }
}

#[test]
fn numbering_in_a_set_matches_native() {
    for capacity in [GLOBAL_FDS, 64] {
        let mut m = Model::default();
        for fd in 0..3 {
            assert_eq!(m.push(fd), fd);
        }
        let (mut open, mut slots) = (0b111u64, 3u32);
        let mut next = xorshift(0x0bad_f00d_1234_5678u64);
        let mut full = 0;
        for step in 0..100_000u32 {
            match next() % 4 {
                0 | 1 => match next_in_set(open, slots, capacity) {
                    Some(fd) => {
                        assert_eq!(fd, m.push(step), "push at step {step}");
                        open |= 1 << fd;
                        slots = slots.max(fd + 1);
                    }
                    None => {
                        // Only when all numbers are open.
                        assert_eq!(open, u64::MAX >> (64 - capacity));
                        full += 1;
                    }
                },
                2 => {
                    let fd = (next() % (capacity as u64 + 6)) as u32;
                    let was_open = fd < capacity && open >> fd & 1 != 0;
                    assert_eq!(m.remove(fd).is_some(), was_open);
                    if was_open {
                        open &= !(1 << fd);
                    }
                }
                _ => {
                    let (from, to) = ((next() % (capacity as u64 + 2)) as u32, (next() % (capacity as u64 + 2)) as u32);
                    let both = from < capacity && to < capacity && open >> from & 1 != 0 && open >> to & 1 != 0;
                    assert_eq!(m.renumber(from, to), both);
                    if both && from != to {
                        open &= !(1 << from);
                    }
                }
            }
        }
        assert!(full > 0, "the walk should fill all {capacity} numbers at times");
    }
    assert_eq!(next_in_set(0, 0, GLOBAL_FDS), Some(0));
}

/// The globals start with stdio open (`crate::slots`): the words they start
/// with are stdio's entries, and the next number is 3.
#[test]
fn the_globals_start_with_stdio() {
    use crate::slots::{LOW_OPEN_AT_START, LOW_SLOTS_AT_START, STDIO_WORDS};
    for (word, k) in STDIO_WORDS.into_iter().zip([kind::STDIN, kind::STDOUT, kind::STDERR]) {
        assert_eq!(Entry::from_word(word), Entry { kind: k, flags: 0, handle: 0 });
    }
    assert_eq!(next_in_set(LOW_OPEN_AT_START, LOW_SLOTS_AT_START, GLOBAL_FDS), Some(3));
}
