//! The descriptors of the command and reactor: stdio, preopens and
//! everything opened, numbered by `crate::table::Descriptors`, the numbers
//! below `GLOBAL_FDS` in wasm globals (the slots of `crate::slots`), any
//! beyond in the spill table.
//!
//! Nothing here lives in linear memory until a program holds more than
//! `GLOBAL_FDS` descriptors at once, so a runtime that takes the pages the
//! adapter grows (Go, TinyGo) cannot disturb it. Past that, the spill
//! table's pages are grown like any other, and such a runtime may overwrite
//! them (README, "Known differences").
//!
//! What the program starts with is set up on first use, in two steps (see
//! [`set_up`]): stdio when any descriptor is first looked at, the preopens
//! only when a number above stdio is (one `get-directories`, which a hello
//! world never makes).

use super::{Desc, File};
use crate::errno::{Errno, Result};
use crate::slots::{position_slot, word_slot, GLOBAL_FDS, SLOTS};
use crate::table::{flag, kind, Descriptors, Entry, LowStore};
use crate::wasm::fs_host;
use crate::wasm::globals::*;
use crate::wasm::host::{self, load_u32, load_u8};
use crate::wasm::scratch::{self, GrowPages};

/// The globals as the low store of `crate::table`.
pub struct Globals;

impl LowStore for Globals {
    #[inline(always)]
    fn entry(&self, fd: u32) -> Entry {
        Entry::from_word(slot(word_slot(fd)), slot(position_slot(fd)))
    }
    #[inline(always)]
    fn set_entry(&mut self, fd: u32, entry: Entry) {
        set_slot(word_slot(fd), entry.word());
        set_slot(position_slot(fd), entry.position);
    }
    #[inline(always)]
    fn position(&self, fd: u32) -> u64 {
        slot(position_slot(fd))
    }
    #[inline(always)]
    fn set_position(&mut self, fd: u32, position: u64) {
        set_slot(position_slot(fd), position);
    }
    #[inline(always)]
    fn open(&self) -> u64 {
        get_low_open()
    }
    #[inline(always)]
    fn set_open(&mut self, open: u64) {
        set_low_open(open)
    }
    #[inline(always)]
    fn slots(&self) -> u32 {
        get_low_slots()
    }
    #[inline(always)]
    fn set_slots(&mut self, slots: u32) {
        set_low_slots(slots)
    }
    #[inline(always)]
    fn table_root(&self) -> usize {
        get_table_root() as usize
    }
    #[inline(always)]
    fn set_table_root(&mut self, root: usize) {
        set_table_root(root as u32)
    }
}

#[inline(always)]
fn descriptors() -> Descriptors<Globals> {
    Descriptors { store: Globals }
}

/// What [`set_up`] has done (`fds_state`): nothing yet (also after
/// `reset_adapter_state`), stdio, or stdio and the preopens.
const SET_UP_NOTHING: u32 = 0;
const SET_UP_STDIO: u32 = 1;
const SET_UP_ALL: u32 = 2;

/// Makes the descriptors the program starts with: stdio as 0, 1 and 2
/// (streams fetched on first use), and with `preopens` the host's preopens
/// as 3, 4, ... in its order. The preopens wait until a number above stdio
/// is used: asking for them costs a host call and a handle per preopen.
/// Answers the errno, 0 for none (a scalar: no frame in the callers).
#[inline(never)]
fn set_up(preopens: bool) -> u32 {
    if get_fds_state() == SET_UP_NOTHING {
        set_slot(word_slot(0), Entry { kind: kind::STDIN, ..Entry::default() }.word());
        set_slot(word_slot(1), Entry { kind: kind::STDOUT, ..Entry::default() }.word());
        set_slot(word_slot(2), Entry { kind: kind::STDERR, ..Entry::default() }.word());
        set_low_open(0b111);
        set_low_slots(3);
        set_fds_state(SET_UP_STDIO);
    }
    if preopens && get_fds_state() == SET_UP_STDIO {
        // Once, even if it fails: the numbers it gave stay given.
        set_fds_state(SET_UP_ALL);
        return add_preopens();
    }
    0
}

/// Adds the host's preopens as 3, 4, ...: natively they have those numbers
/// from the start, so they do even if the program closed stdio before.
/// Answers the errno, 0 for none.
fn add_preopens() -> u32 {
    let ret = host::ret_area(8);
    scratch::results_to_scratch();
    unsafe { host::filesystem::get_directories(ret) };
    let (list, count) = (load_u32(ret), load_u32(ret + 4));
    let mut errno = 0;
    for i in 0..count {
        let handle = load_u32(list + i * 12);
        let entry = Entry { kind: kind::DIRECTORY, flags: flag::PREOPEN, handle, position: i as u64 };
        if errno == 0 {
            // Past GLOBAL_FDS the spill table needs a page: NOMEM without one.
            if let Err(Errno(e)) = descriptors().push_at::<GrowPages>(3 + i, entry) {
                errno = e;
            }
        }
        if errno != 0 {
            fs_host::drop_descriptor(handle);
        }
    }
    errno
}

/// 0 when `fd` is open, after setting up what it needs; else the errno.
#[inline(never)]
fn check_open(fd: u32) -> u32 {
    if descriptors().get(fd).is_some() {
        return 0;
    }
    let needed = if fd < 3 { SET_UP_STDIO } else { SET_UP_ALL };
    if get_fds_state() < needed {
        let errno = set_up(fd >= 3);
        if errno != 0 {
            return errno;
        }
        if descriptors().get(fd).is_some() {
            return 0;
        }
    }
    Errno::BADF.0
}

/// The open descriptor `fd`, after setting up what it needs.
#[inline(always)]
fn entry_of(fd: u32) -> Result<Entry> {
    Errno::result(check_open(fd))?;
    descriptors().get(fd).ok_or(Errno::BADF)
}

/// Looks `fd` up; `BADF` when it is not open.
pub fn get(fd: u32) -> Result<Desc> {
    lookup(fd)
}

#[inline(never)]
fn lookup(fd: u32) -> Result<Desc> {
    let mut entry = entry_of(fd)?;
    match entry.kind {
        kind::UNTYPED => {
            entry.kind = Errno::unpack(learn_type(entry.handle))? as u8;
            if entry.kind == kind::DIRECTORY {
                // A directory has none of a file's flags.
                entry.flags = 0;
            }
            descriptors().put(fd, entry);
        }
        kind::STDOUT | kind::STDERR if entry.handle == 0 => {
            entry.handle = unsafe {
                match entry.kind {
                    kind::STDOUT => host::cli::get_stdout(),
                    _ => host::cli::get_stderr(),
                }
            };
            descriptors().put(fd, entry);
        }
        _ => {}
    }
    Ok(match entry.kind {
        kind::STDIN => Desc::Stdin(entry.handle),
        kind::STDOUT => Desc::Stdout(entry.handle),
        kind::STDERR => Desc::Stderr(entry.handle),
        kind::DIRECTORY => Desc::Directory { handle: entry.handle, preopen: entry.flags & flag::PREOPEN != 0 },
        kind::BAD => return Err(Errno::BADF),
        _ => Desc::File(File { fd, handle: entry.handle, flags: entry.flags }),
    })
}

/// What an untyped descriptor (see `kind::UNTYPED`) is: `kind::FILE` or
/// `kind::DIRECTORY`, asked of the host (`Errno::pack`: in a register).
#[inline(never)]
fn learn_type(handle: u32) -> u64 {
    Errno::pack(fs_host::file_type(handle).map(|t| match t {
        fs_host::descriptor_type::DIRECTORY => kind::DIRECTORY as u32,
        _ => kind::FILE as u32,
    }))
}

/// The position of the open file `fd`.
#[inline(always)]
pub fn position(fd: u32) -> u64 {
    descriptors().position(fd)
}

/// Moves the open file `fd` to `position`.
#[inline(always)]
pub fn set_position(fd: u32, position: u64) {
    descriptors().set_position(fd, position)
}

/// Changes the flags of the open file `fd`.
#[inline(never)]
pub fn set_flags(fd: u32, flags: u8) {
    if let Some(entry) = descriptors().get(fd) {
        descriptors().put(fd, Entry { flags, ..entry });
    }
}

/// The lookups of the fast paths (`preview1.rs`): they need no stack (the
/// answers come back in registers), set nothing up and ask the host
/// nothing; numbers past the globals and whatever else they do not find,
/// the full implementation handles.
pub mod fast {
    use super::*;

    /// The packed entry of `fd` (`Entry::word`); 0 (free) past the globals.
    #[inline(always)]
    fn word(fd: u32) -> u64 {
        if fd < GLOBAL_FDS {
            slot(word_slot(fd))
        } else {
            0
        }
    }

    #[inline(always)]
    fn kind_of(word: u64) -> u8 {
        Entry::from_word(word, 0).kind
    }

    /// `fd` as a file, decoded from its packed entry.
    #[inline(always)]
    fn file_of(fd: u32, word: u64) -> File {
        let entry = Entry::from_word(word, 0);
        File { fd, handle: entry.handle, flags: entry.flags }
    }

    /// `fd` if it is an open regular file.
    #[inline(always)]
    pub fn file(fd: u32) -> Option<File> {
        let word = word(fd);
        (kind_of(word) == kind::FILE).then(|| file_of(fd, word))
    }

    /// Closes `fd` if it is a regular file (or one not yet typed, so never
    /// listed); returns its handle, to drop.
    #[inline(always)]
    pub fn close_file(fd: u32) -> Option<u32> {
        let word = word(fd);
        if !matches!(kind_of(word), kind::FILE | kind::UNTYPED) {
            return None;
        }
        set_slot(word_slot(fd), 0);
        set_low_open(get_low_open() & !(1 << fd));
        Some(Entry::from_word(word, 0).handle)
    }

    /// The handle of `fd` if it is a directory, else 0.
    #[inline(always)]
    pub fn directory(fd: u32) -> u32 {
        let word = word(fd);
        if kind_of(word) == kind::DIRECTORY {
            Entry::from_word(word, 0).handle
        } else {
            0
        }
    }

    /// Where `fd_write` to `fd` goes: the stream of stdout or stderr if the
    /// host has handed it out already (else 0), or the file.
    #[inline(always)]
    pub fn output(fd: u32) -> (u32, Option<File>) {
        let word = word(fd);
        match kind_of(word) {
            kind::STDOUT | kind::STDERR => (word as u32, None),
            kind::FILE => (0, Some(file_of(fd, word))),
            _ => (0, None),
        }
    }
}

/// The stream of stdin, open as `fd` with [`Desc::Stdin`]`(stream)`:
/// `stream`, or fetched from the host and kept if it is 0. Only the calls
/// that read stdin fetch it: a call that can reach `get-stdin` makes every
/// program that imports it instantiate the `wasi:cli/stdin` interface, and
/// `fd_write`, in every program, looks descriptors up (a hello world starts
/// ~4 k instructions faster without it).
pub fn stdin_stream(fd: u32, stream: u32) -> u32 {
    if stream != 0 {
        return stream;
    }
    let stream = unsafe { host::cli::get_stdin() };
    if let Some(mut entry) = descriptors().get(fd) {
        entry.handle = stream;
        descriptors().put(fd, entry);
    }
    stream
}

/// Whether the stdio descriptor `fd` (of kind `k`) is a terminal, as native
/// asks `wasi:cli/terminal-*`.
pub fn is_terminal(k: u8) -> bool {
    let ret = host::ret_area(8);
    unsafe {
        match k {
            kind::STDIN => host::cli::get_terminal_stdin(ret),
            kind::STDOUT => host::cli::get_terminal_stdout(ret),
            _ => host::cli::get_terminal_stderr(ret),
        }
    }
    if load_u8(ret) == 0 {
        return false;
    }
    let terminal = load_u32(ret + 4);
    unsafe {
        if k == kind::STDIN {
            host::cli::drop_terminal_input(terminal)
        } else {
            host::cli::drop_terminal_output(terminal)
        }
    }
    true
}

/// Makes sure a descriptor can be added: call before creating anything on
/// the host that a failed [`insert`] would leave behind.
#[inline(never)]
pub fn reserve() -> Result<()> {
    Errno::result(set_up(true))?;
    descriptors().reserve::<GrowPages>()
}

/// Adds a descriptor under the number native would give it.
pub fn insert(entry: Entry) -> Result<u32> {
    Errno::unpack(push(entry.word(), entry.position))
}

/// [`insert`] of `(word, position)` in one register (`Errno::pack`).
#[inline(never)]
fn push(word: u64, position: u64) -> u64 {
    let errno = set_up(true);
    if errno != 0 {
        return Errno::pack(Err(Errno(errno)));
    }
    Errno::pack(descriptors().push::<GrowPages>(Entry::from_word(word, position)))
}

/// Reserves a number that answers BADF to everything (`adapter_open_badfd`).
pub fn insert_bad() -> Result<u32> {
    insert(Entry { kind: kind::BAD, ..Entry::default() })
}

/// Closes `fd`.
#[inline(never)]
pub fn close(fd: u32) -> Result<()> {
    Errno::result(check_open(fd))?;
    let entry = descriptors().remove(fd)?;
    crate::wasm::readdir::forget(fd);
    release(entry.kind, entry.handle);
    Ok(())
}

/// Moves `from` onto `to`, closing what `to` held.
#[inline(never)]
pub fn renumber(from: u32, to: u32) -> Result<()> {
    Errno::result(check_open(from))?;
    Errno::result(check_open(to))?;
    let old = descriptors().renumber(from, to)?;
    if from != to {
        crate::wasm::readdir::forget(to);
        crate::wasm::readdir::forget(from);
        release(old.kind, old.handle);
    }
    Ok(())
}

/// Releases the WASI 0.2 resources a closed descriptor (of kind `k`) held.
/// Scalars, not the `Entry`: an entry passed by reference is one more copy
/// in memory.
fn release(k: u8, handle: u32) {
    unsafe {
        match k {
            kind::STDIN if handle != 0 => host::io::drop_input_stream(handle),
            kind::STDOUT | kind::STDERR if handle != 0 => host::io::drop_output_stream(handle),
            kind::DIRECTORY | kind::FILE | kind::UNTYPED => fs_host::drop_descriptor(handle),
            _ => {}
        }
    }
}

/// The preopen name of `fd`, if `fd` is an open preopened directory. Names
/// are not kept (they would need memory): the host is asked for its list
/// again, and the name stays in scratch until the call ends.
pub fn preopen_name(fd: u32) -> Result<Option<&'static [u8]>> {
    let entry = entry_of(fd)?;
    // A reserved number (`insert_bad`) answers BADF here too.
    if entry.kind == kind::BAD {
        return Err(Errno::BADF);
    }
    if entry.kind != kind::DIRECTORY || entry.flags & flag::PREOPEN == 0 {
        return Ok(None);
    }
    let ret = host::ret_area(8);
    scratch::results_to_scratch();
    unsafe { host::filesystem::get_directories(ret) };
    let (list, count) = (load_u32(ret), load_u32(ret + 4));
    let mut name: &'static [u8] = &[];
    for i in 0..count {
        let element = list + i * 12;
        // Ours is the handle the entry holds; these are new ones.
        fs_host::drop_descriptor(load_u32(element));
        if i as u64 == entry.position {
            name = host::load_bytes(element + 4);
        }
    }
    Ok(Some(name))
}

/// Forgets every piece of state (after component pre-initialisation, the
/// resources the snapshot referred to do not exist in the new instance).
pub fn reset() {
    for i in 0..SLOTS {
        set_slot(i, 0);
    }
    set_fds_state(SET_UP_NOTHING);
    set_low_open(0);
    set_low_slots(0);
    set_table_root(0);
}
