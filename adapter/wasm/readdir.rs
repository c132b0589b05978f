//! `fd_readdir`, in O(entries) for a whole listing whatever the buffer size.
//!
//! Entries are numbered as native numbers them: `.` is 0, `..` is 1, then the
//! host's entries from 2, and the cookie of an entry is its number + 1
//! (`d_next`). Native re-reads the directory on every call; we keep one
//! cursor: the open entry stream, the number of the next entry it yields,
//! and the entry a short buffer could not take whole (delivered again when
//! the program asks for the same cookie, as libc does after growing its
//! buffer). Another cookie restarts the stream and skips to it.

use super::descriptors;
use super::fs_host;
use super::globals::*;
use super::guest;
use super::host;
use super::scratch;
use crate::abi::{filetype, DIRENT_SIZE};
use crate::canonical::filesystem::{METADATA_HASH_AREA, READ_DIRECTORY_ENTRY_AREA};
use crate::errno::{Errno, Result};

/// The return area a loop over entries shares between `read-directory-entry`
/// and `metadata-hash-at`: the larger of theirs.
const ENTRY_AREA: u32 =
    if READ_DIRECTORY_ENTRY_AREA > METADATA_HASH_AREA { READ_DIRECTORY_ENTRY_AREA } else { METADATA_HASH_AREA };
/// The longest name the cursor keeps for a second delivery: eight bytes in
/// each of the globals `readdir_name_0` to `_7`.
const PENDING_NAME_CAPACITY: usize = 64;

// The cursor lives in wasm globals (never in memory, which the program may
// take): `readdir_owner` (the preview1 fd + 1, 0 for none) and
// `readdir_dir` (its `descriptor` handle) say whose it is, `readdir_stream`
// is the open `directory-entry-stream` (0 when none), `readdir_next` the
// number of the next entry it yields. The entry a short buffer could not
// take whole, if any: `readdir_pending` (`PENDING` | filetype << 8 | name
// length << 16), `readdir_pending_number`, `readdir_pending_ino`, and the
// name in `readdir_name_0` to `_7`. Named globals, each reached by its own
// instruction, not slots: a program that never calls fd_readdir does not
// instantiate them (wit-component drops what no export reaches), and every
// runtime pays for each global an instance has.

/// The flag bit of `readdir_pending`.
const PENDING: u32 = 1;

/// Drops the cursor if it belongs to `fd` (called when `fd` is closed or
/// replaced, before its descriptor is dropped: the stream is its child).
/// The proxy has no directories, so its cursor never has an owner.
#[cfg(not(feature = "proxy"))]
pub fn forget(fd: u32) {
    if get_readdir_owner() == fd.wrapping_add(1) {
        reset();
    }
}

/// Closes the cursor's stream and forgets it (out of line: every error
/// path of a listing ends here).
#[inline(never)]
fn reset() {
    let stream = get_readdir_stream();
    if stream != 0 {
        fs_host::drop_directory_stream(stream);
    }
    set_readdir_owner(0);
    set_readdir_stream(0);
    set_readdir_pending(0);
}

/// Forgets the cursor without dropping anything (`reset_adapter_state`: the
/// stream does not exist in the new instance).
#[cfg(not(feature = "proxy"))]
pub fn reset_state() {
    set_readdir_owner(0);
    set_readdir_dir(0);
    set_readdir_stream(0);
    set_readdir_next(0);
    set_readdir_pending(0);
    set_readdir_pending_number(0);
    set_readdir_pending_ino(0);
}

/// Fills the program's buffer; the byte count is what native returns:
/// `buf_len` as soon as the buffer is full, else what was written.
struct Out {
    at: u32,
    left: u32,
}

impl Out {
    /// Writes one entry, truncated to what is left; `false` once full.
    fn entry(&mut self, d_next: u64, ino: u64, filetype: u8, name: &[u8]) -> bool {
        let whole = DIRENT_SIZE as u64 + name.len() as u64;
        if whole < self.left as u64 {
            // It fits with room to spare (the usual case): the fields go
            // straight into the buffer, checked as natively (the dirent,
            // then the name).
            guest::write_dirent(self.at, d_next, ino, name.len() as u32, filetype);
            guest::write_bytes(self.at + DIRENT_SIZE, name);
            self.at += whole as u32;
            self.left -= whole as u32;
            return true;
        }
        let mut dirent = [0u8; DIRENT_SIZE as usize];
        dirent[0..8].copy_from_slice(&d_next.to_le_bytes());
        dirent[8..16].copy_from_slice(&ino.to_le_bytes());
        dirent[16..20].copy_from_slice(&(name.len() as u32).to_le_bytes());
        dirent[20] = filetype;
        self.put(&dirent) && self.put(name)
    }

    fn put(&mut self, bytes: &[u8]) -> bool {
        let n = (bytes.len() as u32).min(self.left);
        guest::write_bytes(self.at, &bytes[..n as usize]);
        self.at += n;
        self.left -= n;
        self.left > 0
    }
}

pub fn fd_readdir(fd: u32, buf: u32, buf_len: u32, cookie: u64) -> Result<u32> {
    let dir = match descriptors::get(fd)? {
        descriptors::Desc::Directory { handle, .. } => handle,
        _ => return Err(Errno::BADF),
    };
    let mut out = Out { at: buf, left: buf_len };
    let full = |out: &Out| if out.left == 0 { buf_len } else { buf_len - out.left };

    // Like native, open the listing first: an unreadable directory fails
    // even when only `.` would be returned.
    let number = cookie.max(2);
    seek(fd, dir, number)?;

    if cookie < 2 {
        let ino = fs_host::metadata_hash(dir)?;
        // Built on the stack: a byte-string literal would be static data.
        let dots = [b'.'; 2];
        for n in cookie..2 {
            let name = if n == 0 { &dots[..1] } else { &dots[..] };
            if !out.entry(n + 1, ino, filetype::DIRECTORY, name) {
                return Ok(buf_len);
            }
        }
    }

    // One return area for every host call of the loop: each entry's results
    // are used up before the next call.
    let ret = host::ret_area(ENTRY_AREA);
    loop {
        let mark = scratch::mark();
        let pending = get_readdir_pending();
        let (n, ino, filetype, name): (u64, u64, u8, &[u8]) = if pending & PENDING != 0 {
            set_readdir_pending(0);
            let name = pending_name(pending >> 16, mark.lease());
            (get_readdir_pending_number(), get_readdir_pending_ino(), (pending >> 8) as u8, name)
        } else {
            let entry = match fs_host::read_directory_entry(get_readdir_stream(), ret, mark.lease()) {
                Ok(e) => e,
                Err(e) => {
                    reset();
                    return Err(e);
                }
            };
            let Some((t, name)) = entry else { break };
            let ino = match fs_host::metadata_hash_at(dir, 0, name, ret) {
                Ok(ino) => ino,
                Err(e) => {
                    reset();
                    return Err(e);
                }
            };
            let n = get_readdir_next();
            set_readdir_next(n + 1);
            (n, ino, fs_host::filetype(t), name)
        };
        let before = out.left;
        if !out.entry(n + 1, ino, filetype, name) {
            let whole = DIRENT_SIZE as u64 + name.len() as u64;
            if (before as u64) < whole {
                // Cut short: keep it for the call that asks for it again.
                keep_pending(n, ino, filetype, name);
            }
            return Ok(buf_len);
        }
        scratch::rewind(mark);
    }
    Ok(full(&out))
}

/// Makes the cursor yield entry `number` next (`number` ≥ 2).
fn seek(fd: u32, dir: u32, number: u64) -> Result<()> {
    let same_dir = get_readdir_owner() == fd.wrapping_add(1) && get_readdir_dir() == dir && get_readdir_stream() != 0;
    // A listing from its start costs nothing to reopen, and a reopened one
    // sees the directory as it is now, as native's does: only a listing
    // that has delivered host entries is resumed.
    if same_dir && number > 2 {
        let at = if get_readdir_pending() != 0 { get_readdir_pending_number() } else { get_readdir_next() };
        if at == number {
            return Ok(());
        }
    }
    reset();
    let stream = fs_host::read_directory(dir)?;
    set_readdir_stream(stream);
    set_readdir_owner(fd.wrapping_add(1));
    set_readdir_dir(dir);
    let mut next = 2;
    let ret = host::ret_area(ENTRY_AREA);
    while next < number {
        let mark = scratch::mark();
        match fs_host::read_directory_entry(stream, ret, mark.lease()) {
            Ok(Some(_)) => next += 1,
            // Past the end: the listing simply has nothing more.
            Ok(None) => break,
            Err(e) => {
                reset();
                return Err(e);
            }
        }
        scratch::rewind(mark);
    }
    set_readdir_next(next);
    Ok(())
}

/// Keeps the entry a short buffer could not take whole; a name too long
/// for the slots is not kept, and the next call restarts the listing and
/// skips to the entry instead.
fn keep_pending(number: u64, ino: u64, filetype: u8, name: &[u8]) {
    if name.len() > PENDING_NAME_CAPACITY {
        reset();
        return;
    }
    // Word by word through scratch, which starts zeroed.
    let at = scratch::alloc_or_trap(PENDING_NAME_CAPACITY as u32, 8);
    scratch::copy_in(at, name);
    let word = |i: u32| scratch::load_u64(at + 8 * i);
    set_readdir_name_0(word(0));
    set_readdir_name_1(word(1));
    set_readdir_name_2(word(2));
    set_readdir_name_3(word(3));
    set_readdir_name_4(word(4));
    set_readdir_name_5(word(5));
    set_readdir_name_6(word(6));
    set_readdir_name_7(word(7));
    set_readdir_pending(PENDING | (filetype as u32) << 8 | (name.len() as u32) << 16);
    set_readdir_pending_number(number);
    set_readdir_pending_ino(ino);
}

/// The pending name, `len` bytes, copied out of its globals into scratch.
fn pending_name(len: u32, lease: &scratch::Lease) -> &[u8] {
    let at = scratch::alloc_or_trap(PENDING_NAME_CAPACITY as u32, 8);
    let put = |i: u32, word: u64| scratch::store_u64(at + 8 * i, word);
    put(0, get_readdir_name_0());
    put(1, get_readdir_name_1());
    put(2, get_readdir_name_2());
    put(3, get_readdir_name_3());
    put(4, get_readdir_name_4());
    put(5, get_readdir_name_5());
    put(6, get_readdir_name_6());
    put(7, get_readdir_name_7());
    scratch::bytes(at, len, lease)
}
