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
//! The globals start with stdio as 0, 1 and 2 (`crate::slots`); the
//! preopens are numbered when first needed ([`add_preopens`]).

use super::{Desc, File};
use crate::canonical::{cli, filesystem, LIST_LEN};
use crate::errno::{Errno, Result};
use crate::packed::Packed;
use crate::slots::{position_slot, word_slot, GLOBAL_FDS, LOW_OPEN_AT_START, LOW_SLOTS_AT_START, SLOTS, STDIO_WORDS};
use crate::table::{flag, kind, Descriptors, Entry, LowStore};
use crate::wasm::fs_host;
use crate::wasm::globals::*;
use crate::wasm::host::{self, load_u32, load_u8};
use crate::wasm::scratch::{self, GrowPages};

/// The globals as the low store of `crate::table`.
pub struct Globals;

impl LowStore for Globals {
    #[inline(always)]
    fn word(fd: u32) -> u64 {
        slot(word_slot(fd))
    }
    /// Every change of a low descriptor's entry comes here, which keeps
    /// `low_files` (see [`fast::is_file`]) true.
    #[inline(never)]
    fn set_word(fd: u32, word: u64) {
        set_slot(word_slot(fd), word);
        let others = get_low_files() & !(1 << fd);
        let file = (Entry::from_word(word).kind == kind::FILE) as u64;
        set_low_files(others | file << fd);
    }
    #[inline(always)]
    fn position(fd: u32) -> u64 {
        slot(position_slot(fd))
    }
    #[inline(always)]
    fn set_position(fd: u32, position: u64) {
        set_slot(position_slot(fd), position);
    }
    #[inline(always)]
    fn open() -> u64 {
        get_low_open()
    }
    #[inline(always)]
    fn set_open(open: u64) {
        set_low_open(open)
    }
    #[inline(always)]
    fn slots() -> u32 {
        get_low_slots()
    }
    #[inline(always)]
    fn set_slots(slots: u32) {
        set_low_slots(slots)
    }
    #[inline(always)]
    fn table_root() -> usize {
        get_table_root() as usize
    }
    #[inline(always)]
    fn set_table_root(root: usize) {
        set_table_root(root as u32)
    }
}

/// The descriptors: in the globals, and in pages grown for the spill table.
type Fds = Descriptors<Globals, GrowPages>;

/// Numbers the host's preopens 3, 4, ... in its order, once: natively they
/// have those numbers from the start. It waits until a number above stdio
/// is used (a hello world never asks for them: a host call and a handle per
/// preopen), and comes before anything changes the numbering (opening,
/// closing, renumbering), so that they get those numbers by [`push`]. Past
/// `GLOBAL_FDS` they need the spill table's page; a preopen that finds none
/// is dropped (a host with that many preopens and no memory left).
#[inline(never)]
fn add_preopens() {
    if get_preopens_added() != 0 {
        return;
    }
    set_preopens_added(1);
    let ret = host::ret_area(filesystem::GET_DIRECTORIES_AREA);
    scratch::results_to_scratch();
    host::filesystem::get_directories(ret);
    let (list, count) = (load_u32(ret), load_u32(ret + LIST_LEN));
    for i in 0..count {
        let handle = load_u32(list + i * filesystem::PREOPEN_SIZE);
        let word = Entry { kind: kind::DIRECTORY, flags: flag::PREOPEN, handle }.word();
        if Fds::push(word, i as u64).is_err() {
            fs_host::drop_descriptor(handle);
        }
    }
}

/// The packed entry (`Entry::word`) of `fd`, 0 when it is not open, after
/// numbering the preopens if `fd` could be one.
#[inline(never)]
fn word_of(fd: u32) -> u64 {
    number_preopens_before(fd);
    Fds::word(fd)
}

/// Looks `fd` up; `BADF` when it is not open.
#[inline(never)]
pub fn get(fd: u32) -> Result<Desc> {
    number_preopens_before(fd);
    get_io(fd)
}

/// Numbers the preopens before `fd` is looked up, if it could be one: they
/// take the first numbers after stdio, so looking up 0-2 need not wait.
#[inline(always)]
fn number_preopens_before(fd: u32) {
    if fd >= 3 {
        add_preopens();
    }
}

/// [`get`] for the calls that answer BADF for a directory as for a number
/// that is not open (`fd_read`, `fd_write`, `fd_pread`, `fd_pwrite`): it
/// does not number the preopens. Until they are numbered nothing else can
/// have been opened (opening, closing and renumbering number them first),
/// so every number above stdio is a preopen or nothing, BADF either way.
/// A program whose descriptor calls are only these (a hello world) so does
/// not import `wasi:filesystem/preopens` at all, and instantiates faster
/// (each import costs wasmtime thousands of instructions). `path_open` uses
/// it too, once `reserve` has numbered the preopens.
#[inline(never)]
pub fn get_io(fd: u32) -> Result<Desc> {
    let word = Fds::word(fd);
    let mut entry = Entry::from_word(word);
    match entry.kind {
        kind::UNTYPED => {
            entry.kind = learn_type(entry.handle).result()? as u8;
            if entry.kind == kind::DIRECTORY {
                // A directory has none of a file's flags.
                entry.flags = 0;
            }
        }
        kind::STDOUT | kind::STDERR if entry.handle == 0 => {
            entry.handle = match entry.kind {
                kind::STDOUT => host::cli::get_stdout(),
                _ => host::cli::get_stderr(),
            };
        }
        _ => {}
    }
    if entry.word() != word {
        set_word(fd, entry.word());
    }
    Ok(match entry.kind {
        kind::STDIN => Desc::Stdin(entry.handle),
        kind::STDOUT => Desc::Stdout(entry.handle),
        kind::STDERR => Desc::Stderr(entry.handle),
        kind::DIRECTORY => Desc::Directory { handle: entry.handle, preopen: entry.flags & flag::PREOPEN != 0 },
        kind::FILE => Desc::File(File { fd, handle: entry.handle, flags: entry.flags }),
        // Free, or reserved by `adapter_open_badfd`.
        _ => return Err(Errno::BADF),
    })
}

/// What an untyped descriptor (see `kind::UNTYPED`) is: `kind::FILE` or
/// `kind::DIRECTORY`, asked of the host (in a register: [`Packed`]).
#[inline(never)]
fn learn_type(handle: u32) -> Packed {
    Packed::from_result(fs_host::file_type(handle).map(|t| match t {
        fs_host::descriptor_type::DIRECTORY => kind::DIRECTORY as u32,
        _ => kind::FILE as u32,
    }))
}

/// The position of the open file `fd`.
#[inline(always)]
pub fn position(fd: u32) -> u64 {
    Fds::position(fd)
}

/// Moves the open file `fd` to `position`.
#[inline(always)]
pub fn set_position(fd: u32, position: u64) {
    Fds::set_position(fd, position)
}

/// Replaces the packed entry of the open descriptor `fd`.
#[inline(always)]
fn set_word(fd: u32, word: u64) {
    Fds::set_word(fd, word)
}

/// Changes the flags of the open file `fd`.
pub fn set_flags(fd: u32, flags: u8) {
    let entry = Entry::from_word(Fds::word(fd));
    set_word(fd, Entry { flags, ..entry }.word());
}

/// The lookups of the fast paths (`preview1.rs`): they need no stack (the
/// answers come back in registers), set nothing up and ask the host
/// nothing; numbers past the globals and whatever else they do not find,
/// the full implementation handles.
pub mod fast {
    use super::*;

    /// The entry of `fd`; free past the globals.
    #[inline(always)]
    fn entry(fd: u32) -> Entry {
        Entry::from_word(if fd < GLOBAL_FDS { slot(word_slot(fd)) } else { 0 })
    }

    /// The position of `fd`, a file [`file`] found.
    #[inline(always)]
    pub fn position(fd: u32) -> u64 {
        slot(position_slot(fd))
    }

    #[inline(always)]
    pub fn set_position(fd: u32, position: u64) {
        set_slot(position_slot(fd), position)
    }

    /// Whether `fd` is an open regular file: one bit of a global, where
    /// [`file`] needs a slot as well.
    #[inline(always)]
    pub fn is_file(fd: u32) -> bool {
        fd < GLOBAL_FDS && get_low_files() >> fd & 1 != 0
    }

    /// `fd` if it is an open regular file.
    #[inline(always)]
    pub fn file(fd: u32) -> Option<File> {
        let entry = entry(fd);
        (entry.kind == kind::FILE).then_some(File { fd, handle: entry.handle, flags: entry.flags })
    }

    /// Closes `fd` if it is a regular file (or one not yet typed, so never
    /// listed); returns its handle, to drop.
    #[inline(always)]
    pub fn close_file(fd: u32) -> Option<u32> {
        let entry = entry(fd);
        if !matches!(entry.kind, kind::FILE | kind::UNTYPED) {
            return None;
        }
        Globals::set_word(fd, 0);
        set_low_open(get_low_open() & !(1 << fd));
        Some(entry.handle)
    }

    /// The handle of `fd` if it is a directory, else 0.
    #[inline(always)]
    pub fn directory(fd: u32) -> u32 {
        let entry = entry(fd);
        if entry.kind == kind::DIRECTORY {
            entry.handle
        } else {
            0
        }
    }

    /// Where `fd_write` to `fd` goes: the stream of stdout or stderr if the
    /// host has handed it out already (else 0), or the file.
    #[inline(always)]
    pub fn output(fd: u32) -> (u32, Option<File>) {
        let entry = entry(fd);
        match entry.kind {
            kind::STDOUT | kind::STDERR => (entry.handle, None),
            kind::FILE => (0, Some(File { fd, handle: entry.handle, flags: entry.flags })),
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
    let stream = host::cli::get_stdin();
    set_word(fd, Entry { kind: kind::STDIN, flags: 0, handle: stream }.word());
    stream
}

/// Whether the stdio descriptor `fd` (of kind `k`) is a terminal, as native
/// asks `wasi:cli/terminal-*`.
pub fn is_terminal(k: u8) -> bool {
    let ret = host::ret_area(cli::GET_TERMINAL_AREA);
    match k {
        kind::STDIN => host::cli::get_terminal_stdin(ret),
        kind::STDOUT => host::cli::get_terminal_stdout(ret),
        _ => host::cli::get_terminal_stderr(ret),
    }
    if load_u8(ret) == 0 {
        return false;
    }
    let terminal = load_u32(ret + cli::GET_TERMINAL_HANDLE);
    if k == kind::STDIN {
        host::cli::drop_terminal_input(terminal)
    } else {
        host::cli::drop_terminal_output(terminal)
    }
    true
}

/// Adds a descriptor under the number native would give it. The preopens
/// must have been numbered first (by [`reserve`], as `path_open` does).
pub fn insert(entry: Entry) -> Result<u32> {
    push(entry.word()).result()
}

/// [`insert`] of a packed entry, in one register ([`Packed`]).
#[inline(never)]
fn push(word: u64) -> Packed {
    Packed::from_result(Fds::push(word, 0))
}

/// Reserves a number that answers BADF to everything (`adapter_open_badfd`).
pub fn insert_bad() -> Result<u32> {
    add_preopens();
    insert(Entry { kind: kind::BAD, flags: 0, handle: 0 })
}

/// Makes sure a descriptor can be added: call before creating anything on
/// the host that a failed [`insert`] would leave behind.
#[inline(never)]
pub fn reserve() -> Result<()> {
    add_preopens();
    Fds::reserve()
}

/// Closes `fd`.
#[inline(never)]
pub fn close(fd: u32) -> Result<()> {
    add_preopens();
    let word = Fds::remove(fd)?;
    crate::wasm::readdir::forget(fd);
    release(word);
    Ok(())
}

/// Moves `from` onto `to`, closing what `to` held.
#[inline(never)]
pub fn renumber(from: u32, to: u32) -> Result<()> {
    add_preopens();
    let old = Fds::renumber(from, to)?;
    if from != to {
        crate::wasm::readdir::forget(to);
        crate::wasm::readdir::forget(from);
        release(old);
    }
    Ok(())
}

/// Releases the WASI 0.2 resources a closed descriptor (its packed entry)
/// held.
fn release(word: u64) {
    let Entry { kind: k, handle, .. } = Entry::from_word(word);
    match k {
        kind::STDIN if handle != 0 => host::io::drop_input_stream(handle),
        kind::STDOUT | kind::STDERR if handle != 0 => host::io::drop_output_stream(handle),
        kind::DIRECTORY | kind::FILE | kind::UNTYPED => fs_host::drop_descriptor(handle),
        _ => {}
    }
}

/// The preopen name of `fd`, if `fd` is an open preopened directory. Names
/// are not kept (they would need memory): the host is asked for its list
/// again, into scratch under `lease`.
pub fn preopen_name(fd: u32, lease: &scratch::Lease) -> Result<Option<&[u8]>> {
    let entry = Entry::from_word(word_of(fd));
    // A reserved number (`insert_bad`) answers BADF here too.
    if matches!(entry.kind, kind::FREE | kind::BAD) {
        return Err(Errno::BADF);
    }
    if entry.kind != kind::DIRECTORY || entry.flags & flag::PREOPEN == 0 {
        return Ok(None);
    }
    let index = Fds::position(fd);
    let ret = host::ret_area(filesystem::GET_DIRECTORIES_AREA);
    scratch::results_to_scratch();
    host::filesystem::get_directories(ret);
    let (list, count) = (load_u32(ret), load_u32(ret + LIST_LEN));
    let mut name: &[u8] = &[];
    for i in 0..count {
        let element = list + i * filesystem::PREOPEN_SIZE;
        // Ours is the handle the descriptor holds; these are new ones.
        fs_host::drop_descriptor(load_u32(element));
        if i as u64 == index {
            name = host::load_bytes(element + filesystem::PREOPEN_PATH, lease);
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
    // One by one: a loop over the array would make it static data.
    set_slot(word_slot(0), STDIO_WORDS[0]);
    set_slot(word_slot(1), STDIO_WORDS[1]);
    set_slot(word_slot(2), STDIO_WORDS[2]);
    set_low_open(LOW_OPEN_AT_START);
    set_low_files(0);
    set_low_slots(LOW_SLOTS_AT_START);
    set_preopens_added(0);
    set_table_root(0);
}
