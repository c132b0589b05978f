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
use super::guest;
use super::host;
use super::scratch;
use crate::errno::{Errno, Result};
use crate::table::SPARE_BYTES;

const DIRENT_SIZE: u32 = 24;
/// Return area of `read-directory-entry` (20 bytes) and `metadata-hash-at` (24).
const ENTRY_AREA: u32 = 24;
const FILETYPE_DIRECTORY: u8 = 3;

/// The cursor, in the descriptor table's spare area (zeroed when the table
/// is made); the pending name follows it.
#[repr(C)]
struct Cursor {
    /// The preview1 fd + 1 and `descriptor` handle it belongs to (0: none).
    owner: u32,
    dir: u32,
    /// The `directory-entry-stream`, 0 when none is open.
    stream: u32,
    /// Whether `pending_*` holds an entry not yet delivered whole.
    pending: u32,
    /// Number of the next entry the stream yields.
    next: u64,
    pending_number: u64,
    pending_ino: u64,
    pending_type: u8,
    pending_len: u32,
}

const NAME_CAPACITY: usize = SPARE_BYTES - core::mem::size_of::<Cursor>();

fn cursor() -> Result<&'static mut Cursor> {
    let table = descriptors::table()?;
    Ok(unsafe { &mut *(table.spare() as *mut Cursor) })
}

fn pending_name(c: &mut Cursor) -> &'static mut [u8] {
    let at = c as *mut Cursor as usize + core::mem::size_of::<Cursor>();
    unsafe { core::slice::from_raw_parts_mut(at as *mut u8, NAME_CAPACITY) }
}

/// Drops the cursor if it belongs to `fd` (called when `fd` is closed or
/// replaced, before its descriptor is dropped: the stream is its child).
pub fn forget(fd: u32) {
    // The proxy has no directories, so its cursor never has an owner.
    if cfg!(feature = "proxy") {
        return;
    }
    if let Ok(c) = cursor() {
        if c.owner == fd.wrapping_add(1) {
            reset(c);
        }
    }
}

/// Closes the cursor's stream and forgets it (out of line: every error
/// path of a listing ends here).
#[inline(never)]
fn reset(c: &mut Cursor) {
    if c.stream != 0 {
        fs_host::drop_directory_stream(c.stream);
    }
    c.owner = 0;
    c.stream = 0;
    c.pending = 0;
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
            guest::check(self.at, DIRENT_SIZE as u64, 1);
            let at = self.at as *mut u8;
            unsafe {
                at.cast::<u64>().write_unaligned(d_next);
                at.add(8).cast::<u64>().write_unaligned(ino);
                at.add(16).cast::<u32>().write_unaligned(name.len() as u32);
                at.add(20).cast::<u32>().write_unaligned(filetype as u32);
            }
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
    // The cursor outlives the call, and so must the directory handle it
    // reads: it lives in the table, which `cursor` builds if need be.
    let c = cursor()?;
    let dir = match descriptors::get(fd)? {
        descriptors::Desc::Directory { handle, .. } => handle,
        _ => return Err(Errno::BADF),
    };
    let mut out = Out { at: buf, left: buf_len };
    let full = |out: &Out| if out.left == 0 { buf_len } else { buf_len - out.left };

    // Like native, open the listing first: an unreadable directory fails
    // even when only `.` would be returned.
    let number = cookie.max(2);
    seek(c, fd, dir, number)?;

    if cookie < 2 {
        let ino = fs_host::metadata_hash(dir)?;
        // Built on the stack: a byte-string literal would be static data.
        let dots = [b'.'; 2];
        for n in cookie..2 {
            let name = if n == 0 { &dots[..1] } else { &dots[..] };
            if !out.entry(n + 1, ino, FILETYPE_DIRECTORY, name) {
                return Ok(buf_len);
            }
        }
    }

    // One return area for every host call of the loop: each entry's results
    // are used up before the next call.
    let ret = host::ret_area(ENTRY_AREA);
    loop {
        let mark = scratch::mark();
        let (n, ino, filetype, name): (u64, u64, u8, &[u8]) = if c.pending != 0 {
            c.pending = 0;
            let name = unsafe { core::slice::from_raw_parts(pending_name(c).as_ptr(), c.pending_len as usize) };
            (c.pending_number, c.pending_ino, c.pending_type, name)
        } else {
            let entry = match fs_host::read_directory_entry(c.stream, ret) {
                Ok(e) => e,
                Err(e) => {
                    reset(c);
                    return Err(e);
                }
            };
            let Some((t, name)) = entry else { break };
            let ino = match fs_host::metadata_hash_at(dir, 0, name, ret) {
                Ok(ino) => ino,
                Err(e) => {
                    reset(c);
                    return Err(e);
                }
            };
            let n = c.next;
            c.next += 1;
            (n, ino, fs_host::filetype(t), name)
        };
        let before = out.left;
        if !out.entry(n + 1, ino, filetype, name) {
            let whole = DIRENT_SIZE as u64 + name.len() as u64;
            if (before as u64) < whole {
                // Cut short: keep it for the call that asks for it again.
                keep_pending(c, n, ino, filetype, name);
            }
            return Ok(buf_len);
        }
        scratch::rewind(mark);
    }
    Ok(full(&out))
}

/// Makes the cursor yield entry `number` next (`number` ≥ 2).
fn seek(c: &mut Cursor, fd: u32, dir: u32, number: u64) -> Result<()> {
    let same_dir = c.owner == fd.wrapping_add(1) && c.dir == dir && c.stream != 0;
    // A listing from its start costs nothing to reopen, and a reopened one
    // sees the directory as it is now, as native's does: only a listing
    // that has delivered host entries is resumed.
    if same_dir && number > 2 {
        let at = if c.pending != 0 { c.pending_number } else { c.next };
        if at == number {
            return Ok(());
        }
    }
    reset(c);
    c.stream = fs_host::read_directory(dir)?;
    c.owner = fd.wrapping_add(1);
    c.dir = dir;
    c.next = 2;
    let ret = host::ret_area(ENTRY_AREA);
    while c.next < number {
        let mark = scratch::mark();
        match fs_host::read_directory_entry(c.stream, ret) {
            Ok(Some(_)) => c.next += 1,
            // Past the end: the listing simply has nothing more.
            Ok(None) => break,
            Err(e) => {
                reset(c);
                return Err(e);
            }
        }
        scratch::rewind(mark);
    }
    Ok(())
}

fn keep_pending(c: &mut Cursor, number: u64, ino: u64, filetype: u8, name: &[u8]) {
    if name.len() > NAME_CAPACITY {
        // Too long to keep: the next call restarts the listing instead.
        reset(c);
        return;
    }
    pending_name(c)[..name.len()].copy_from_slice(name);
    c.pending = 1;
    c.pending_number = number;
    c.pending_ino = ino;
    c.pending_type = filetype;
    c.pending_len = name.len() as u32;
}
