//! The descriptors of the command and reactor: stdio, preopens and
//! everything opened, in the descriptor table (`crate::table`).
//!
//! Until the program changes the set of descriptors (opens, closes or
//! renumbers one, or lists a directory), no table exists and the adapter owns
//! no persistent memory: stdio streams are fetched once and kept in wasm
//! globals, and a preopen is looked up afresh on each call (`get-directories`,
//! keeping only the handle asked for until the call ends). Runtimes whose
//! allocator claims all of memory when it starts (old wasi-libc, AssemblyScript,
//! TinyGo) look at their preopens and allocate before they open anything, so
//! the table's pages are grown after their heap exists and stay the adapter's.
//! The table, once built, numbers as native preview1 does: 0, 1, 2 for stdio,
//! then the preopens in host order.

use super::Desc;
use crate::wasm::globals::*;
use crate::wasm::host::{self, load_u32, load_u8};
use crate::wasm::scratch::{self, GrowPages};
use crate::errno::{Errno, Result};
use crate::table::{flag, kind, Entry, Table};

/// The stream handle of stdout or stderr, fetched from the host on first use.
fn stdio_stream(kind_: u8, cached: u32) -> u32 {
    if cached != 0 {
        return cached;
    }
    unsafe {
        match kind_ {
            kind::STDOUT => host::cli::get_stdout(),
            _ => host::cli::get_stderr(),
        }
    }
}

/// Stdio `fd` before the table exists, its output stream fetched on first
/// use and kept in a global; stdin's only when it is read ([`stdin_stream`]).
fn pristine_stdio_desc(fd: u32) -> Option<Desc> {
    Some(match fd {
        0 => Desc::Stdin(get_stdin_stream()),
        1 => {
            let stream = stdio_stream(kind::STDOUT, get_stdout_stream());
            set_stdout_stream(stream);
            Desc::Stdout(stream)
        }
        2 => {
            let stream = stdio_stream(kind::STDERR, get_stderr_stream());
            set_stderr_stream(stream);
            Desc::Stderr(stream)
        }
        _ => return None,
    })
}

/// Looks `fd` up; `BADF` when it is not open.
pub fn get(fd: u32) -> Result<Desc> {
    lookup(fd)
}

/// The lookups of the fast paths (`preview1.rs`): they need no stack (the
/// answers come back in registers), never build the table and ask the host
/// nothing; whatever they do not find, the full implementation handles.
pub mod fast {
    use super::*;

    /// The table, if it exists.
    #[inline(always)]
    fn table() -> Option<Table> {
        let root = get_table_root();
        (root != 0).then(|| unsafe { Table::open(root as *mut u8) })
    }

    /// The table entry of `fd`, if the table exists and `fd` is open.
    #[inline(always)]
    fn entry(fd: u32) -> Option<&'static mut Entry> {
        let root = get_table_root();
        if root == 0 {
            return None;
        }
        // Table pages never move (see `Desc::File`).
        unsafe { Table::open_entry(root as *mut u8, fd).map(|mut entry| entry.as_mut()) }
    }

    /// The entry of `fd` if it is an open regular file.
    #[inline(always)]
    pub fn file(fd: u32) -> Option<&'static mut Entry> {
        entry(fd).filter(|entry| entry.kind == kind::FILE)
    }

    /// Closes `fd` if it is a regular file; returns its handle, to drop.
    #[inline(always)]
    pub fn close_file(fd: u32) -> Option<u32> {
        table()?.remove_file(fd)
    }

    /// The handle of `fd` if it is a directory: the first preopen before the
    /// table exists, any directory after; else 0.
    #[inline(always)]
    pub fn directory(fd: u32) -> u32 {
        if get_table_root() == 0 {
            return if fd == 3 { get_first_preopen() } else { 0 };
        }
        match entry(fd) {
            Some(entry) if entry.kind == kind::DIRECTORY => entry.handle,
            _ => 0,
        }
    }

    /// Where `fd_write` to `fd` goes: the stream of stdout or stderr if the
    /// host has handed it out already (else 0), or the entry of a file.
    #[inline(always)]
    pub fn output(fd: u32) -> (u32, Option<&'static mut Entry>) {
        if get_table_root() == 0 {
            return match fd {
                1 => (get_stdout_stream(), None),
                2 => (get_stderr_stream(), None),
                _ => (0, None),
            };
        }
        match entry(fd) {
            Some(entry) if entry.kind == kind::STDOUT || entry.kind == kind::STDERR => (entry.handle, None),
            Some(entry) if entry.kind == kind::FILE => (0, Some(entry)),
            _ => (0, None),
        }
    }
}

#[inline(never)]
fn lookup(fd: u32) -> Result<Desc> {
    let root = get_table_root();
    if root == 0 {
        if let Some(desc) = pristine_stdio_desc(fd) {
            return Ok(desc);
        }
        let cached = get_first_preopen();
        if fd == 3 && cached != 0 {
            return Ok(Desc::Directory { handle: cached, preopen: true });
        }
        let record = pristine_preopen(fd);
        if record == 0 {
            return Err(Errno::BADF);
        }
        return Ok(Desc::Directory { handle: pristine_handle(fd, record), preopen: true });
    }
    // Not `table()`: a lookup never builds the table, and keeping that path
    // out of reach keeps every export that looks up an fd shallow in stack.
    let table = unsafe { Table::open(root as *mut u8) };
    let entry = table.get(fd).ok_or(Errno::BADF)?;
    if entry.kind == kind::UNTYPED {
        Errno::result(learn_type(entry))?;
    }
    Ok(match entry.kind {
        kind::STDIN => Desc::Stdin(entry.handle),
        kind::STDOUT | kind::STDERR => {
            entry.handle = stdio_stream(entry.kind, entry.handle);
            stdio_desc(entry.kind, entry.handle)
        }
        kind::DIRECTORY => Desc::Directory { handle: entry.handle, preopen: entry.flags & flag::PREOPEN != 0 },
        kind::BAD => return Err(Errno::BADF),
        _ => Desc::File(unsafe { &mut *(entry as *mut Entry) }),
    })
}

/// Makes an untyped entry (see `kind::UNTYPED`) a file or a directory;
/// returns the errno, 0 when done (a scalar: no stack for the lookup).
#[inline(never)]
fn learn_type(entry: &mut Entry) -> u32 {
    match crate::wasm::fs_host::file_type(entry.handle) {
        Ok(crate::wasm::fs_host::descriptor_type::DIRECTORY) => {
            entry.kind = kind::DIRECTORY;
            // A directory has none of a file's flags.
            entry.flags = 0;
        }
        Ok(_) => entry.kind = kind::FILE,
        Err(e) => return e.0,
    }
    0
}

/// Before the table exists: preopen `fd` (numbered from 3 in host order),
/// as the address of its `(handle, name)` record in scratch, or 0 if there
/// is none; fd 3's handle is [`pristine_handle`]'s. The handle of fd 3, where
/// nearly every program's files are, is kept for later calls
/// (`first_preopen`); any other lives until the call ends. (An address: a
/// handle and a name would come back through memory.)
fn pristine_preopen(fd: u32) -> u32 {
    let index = match fd.checked_sub(3) {
        Some(i) => i,
        None => return 0,
    };
    let ret = host::ret_area(8);
    scratch::results_to_scratch();
    unsafe { host::filesystem::get_directories(ret) };
    let (list, count) = (load_u32(ret), load_u32(ret + 4));
    let mut found = 0;
    for i in 0..count {
        let element = list + i * 12;
        let handle = load_u32(element);
        let mut wanted = i == index;
        if i == 0 {
            if get_first_preopen() == 0 {
                set_first_preopen(handle);
            } else {
                crate::wasm::fs_host::drop_descriptor(handle);
            }
        } else if wanted && (get_transient_handle() == 0 || get_transient_handle2() == 0) {
            // A call needs at most two directories (path_link, path_rename).
            if get_transient_handle() == 0 {
                set_transient_handle(handle);
            } else {
                set_transient_handle2(handle);
            }
        } else {
            wanted = false;
            crate::wasm::fs_host::drop_descriptor(handle);
        }
        if wanted {
            found = element;
        }
    }
    found
}

/// The handle of preopen `fd` found at `record` by [`pristine_preopen`].
fn pristine_handle(fd: u32, record: u32) -> u32 {
    if fd == 3 {
        get_first_preopen()
    } else {
        load_u32(record)
    }
}

/// Drops the preopen handles pristine lookups lent to the call that is ending.
#[inline]
pub fn end_call() {
    let handle = get_transient_handle();
    if handle != 0 {
        crate::wasm::fs_host::drop_descriptor(handle);
        set_transient_handle(0);
        let second = get_transient_handle2();
        if second != 0 {
            crate::wasm::fs_host::drop_descriptor(second);
            set_transient_handle2(0);
        }
    }
}

fn stdio_desc(k: u8, stream: u32) -> Desc {
    match k {
        kind::STDOUT => Desc::Stdout(stream),
        _ => Desc::Stderr(stream),
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
    let root = get_table_root();
    if root == 0 {
        set_stdin_stream(stream);
    } else if let Some(entry) = unsafe { Table::open(root as *mut u8) }.get(fd) {
        entry.handle = stream;
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

/// The table, built on first use (see the module comment for when).
#[inline(always)]
pub fn table() -> Result<Table> {
    let root = table_root();
    if root % crate::table::PAGE_SIZE as u32 != 0 {
        return Err(Errno(root));
    }
    Ok(unsafe { Table::checked(root as *mut u8) })
}

/// The table's root page, built on first use, or why building it failed:
/// an errno is never a multiple of a page, as a root is, so one register
/// carries either where a `Result<Table>` would go through memory.
#[inline(never)]
fn table_root() -> u32 {
    let root = get_table_root();
    if root != 0 {
        // Checks the magic.
        unsafe { Table::open(root as *mut u8) };
        return root;
    }
    match build_table() {
        Ok(root) => root,
        Err(Errno(e)) => e,
    }
}

fn build_table() -> Result<u32> {
    let root = scratch::grow_pages(1).ok_or(Errno::NOMEM)?;
    let mut table = unsafe { Table::create(root as *mut u8) };
    table.add_stdio(get_stdin_stream(), get_stdout_stream(), get_stderr_stream());
    add_preopens(&mut table)?;
    // The table now holds its own handle for every preopen.
    let cached = get_first_preopen();
    if cached != 0 {
        crate::wasm::fs_host::drop_descriptor(cached);
        set_first_preopen(0);
    }
    set_table_root(root);
    Ok(root)
}

fn add_preopens(table: &mut Table) -> Result<()> {
    let ret = host::ret_area(8);
    scratch::results_to_scratch();
    unsafe { host::filesystem::get_directories(ret) };
    let (list, count) = (load_u32(ret), load_u32(ret + 4));
    for i in 0..count {
        let element = list + i * 12;
        let handle = load_u32(element);
        let name = host::load_bytes(element + 4);
        let name_at = table.store_name(name, &mut GrowPages).ok_or(Errno::NOMEM)?.get();
        table.push(
            Entry {
                kind: kind::DIRECTORY,
                flags: flag::PREOPEN,
                handle,
                name_at,
                name_len: name.len() as u32,
                ..Entry::default()
            },
            &mut GrowPages,
        )?;
    }
    Ok(())
}

/// Makes sure a descriptor can be added: call before creating anything on
/// the host that a failed [`insert`] would leave behind. Must come before
/// the caller looks up a preopen, whose cached handle building the table drops.
pub fn reserve() -> Result<()> {
    table()?.reserve(&mut GrowPages)
}

/// Adds a descriptor under the number native would give it.
pub fn insert(entry: Entry) -> Result<u32> {
    table()?.push(entry, &mut GrowPages)
}

/// Reserves a number that answers BADF to everything (`adapter_open_badfd`).
pub fn insert_bad() -> Result<u32> {
    insert(Entry { kind: kind::BAD, ..Entry::default() })
}

/// Closes `fd`.
pub fn close(fd: u32) -> Result<()> {
    let mut table = table()?;
    let entry = table.remove(fd)?;
    crate::wasm::readdir::forget(fd);
    release(entry.kind, entry.handle);
    Ok(())
}

/// Moves `from` onto `to`, closing what `to` held.
pub fn renumber(from: u32, to: u32) -> Result<()> {
    let mut table = table()?;
    let old = table.renumber(from, to)?;
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
            kind::DIRECTORY | kind::FILE | kind::UNTYPED => crate::wasm::fs_host::drop_descriptor(handle),
            _ => {}
        }
    }
}

/// The preopen name of `fd`, if `fd` is an open preopened directory.
pub fn preopen_name(fd: u32) -> Result<Option<&'static [u8]>> {
    let root = get_table_root();
    if root == 0 {
        if fd <= 2 {
            // Stdio: open, not a preopen.
            return Ok(None);
        }
        let record = pristine_preopen(fd);
        if record == 0 {
            return Err(Errno::BADF);
        }
        return Ok(Some(host::load_bytes(record + 4)));
    }
    let table = unsafe { Table::open(root as *mut u8) };
    // A reserved number (`insert_bad`) answers BADF here too.
    let entry = table.get(fd).filter(|entry| entry.kind != kind::BAD).ok_or(Errno::BADF)?;
    if entry.kind == kind::DIRECTORY && entry.flags & flag::PREOPEN != 0 {
        let name = table.name(entry);
        // The table's pages are never freed or moved.
        return Ok(Some(unsafe { core::slice::from_raw_parts(name.as_ptr(), name.len()) }));
    }
    Ok(None)
}

/// Forgets every piece of state (after component pre-initialisation, the
/// resources the snapshot referred to do not exist in the new instance).
pub fn reset() {
    set_table_root(0);
    set_first_preopen(0);
    set_stdin_stream(0);
    set_stdout_stream(0);
    set_stderr_stream(0);
}
