//! The `wasi:filesystem` calls (imports declared in `host.rs`) and the decoding of their results.
//!
//! Each wrapper takes the `descriptor` handle and plain arguments and returns
//! `Result<T, Errno>`, the error code mapped the one way native maps it.

use super::host::{self, descriptor, load_u32, load_u64, load_u8, ret_area};
use super::scratch;
use crate::canonical::{filesystem::*, LIST_LEN};
use crate::abi::FilestatFields;
use crate::errno::{self, Errno, Result};



/// `descriptor-type` discriminants.
pub mod descriptor_type {
    #[cfg(not(feature = "proxy"))]
    pub const DIRECTORY: u8 = 3;
    pub const SOCKET: u8 = 7;
}

/// `descriptor-flags` bits.
pub mod descriptor_flags {
    pub const READ: u32 = 1 << 0;
    pub const WRITE: u32 = 1 << 1;
    pub const FILE_INTEGRITY_SYNC: u32 = 1 << 2;
    pub const DATA_INTEGRITY_SYNC: u32 = 1 << 3;
    pub const REQUESTED_WRITE_SYNC: u32 = 1 << 4;
}

/// The sync flags among `descriptor-flags`, which both hosts refuse as
/// `unsupported` before anything else about an open.
pub const SYNC_DESCRIPTOR_FLAGS: u32 =
    descriptor_flags::FILE_INTEGRITY_SYNC | descriptor_flags::DATA_INTEGRITY_SYNC | descriptor_flags::REQUESTED_WRITE_SYNC;

/// The preview1 filetype of a `descriptor-type`, as native converts it: a
/// FIFO is "unknown" and a socket cannot be represented (native traps).
pub fn filetype(t: u8) -> u8 {
    if t == descriptor_type::SOCKET || t > descriptor_type::SOCKET {
        // Native cannot represent a socket here and traps.
        super::trap::abort();
    }
    // preview1 filetype per descriptor-type (unknown, block, char, directory,
    // fifo → unknown, symlink, regular file), one byte each: packed into a
    // constant because a `match` becomes a lookup table in a data segment.
    const PACKED: u64 = 0x00_04_07_00_03_02_01_00;
    ((PACKED >> (t as u32 * 8)) & 0xff) as u8
}

/// `result<_, error-code>` at `at`.
fn unit(at: u32) -> Result<()> {
    if load_u8(at) == 0 {
        Ok(())
    } else {
        Err(error_at(at + UNIT_RESULT_ERROR))
    }
}

/// The error of a failed `result<T, error-code>` whose payload sits at `payload`.
fn error_at(payload: u32) -> Errno {
    errno::from_fs_error_code(load_u8(payload))
}

/// `stat` of `fd` into a fresh return area (read with the `STAT_*` offsets).
#[inline(always)]
fn stat_area(fd: u32) -> Result<u32> {
    let ret = ret_area(STAT_AREA);
    descriptor::stat(fd, ret);
    if load_u8(ret) != 0 {
        return Err(error_at(ret + STAT_ERROR));
    }
    Ok(ret)
}

/// The size of file `fd`, from `stat`.
pub fn size(fd: u32) -> Result<u64> {
    Ok(load_u64(stat_area(fd)? + STAT_SIZE))
}

/// The `descriptor-type` of `fd`, from `stat` too: `get-type` would be one
/// more import, and wit-component keeps every import that the exports a
/// program uses can reach. The lookup almost every call makes reaches this
/// (to type what `path_open` left untyped), so `get-type` would be in nearly
/// every component, and each import costs its instantiation a few thousand
/// instructions; `stat` is there already (`fd_write` with append needs it).
#[inline(always)]
pub fn file_type(fd: u32) -> Result<u8> {
    Ok(load_u8(stat_area(fd)? + STAT_TYPE))
}

/// The lower half of the metadata hash: native's inode number.
fn hash(ret: u32) -> Result<u64> {
    if load_u8(ret) != 0 {
        return Err(error_at(ret + METADATA_HASH_ERROR));
    }
    Ok(load_u64(ret + METADATA_HASH_LOWER))
}

pub fn metadata_hash(fd: u32) -> Result<u64> {
    let ret = ret_area(METADATA_HASH_AREA);
    descriptor::metadata_hash(fd, ret);
    hash(ret)
}

/// [`metadata_hash`] of `path` in directory `fd`; `ret`: [`METADATA_HASH_AREA`]
/// bytes of return area (a loop over entries reuses its own).
pub fn metadata_hash_at(fd: u32, flags: u32, path: &[u8], ret: u32) -> Result<u64> {
    descriptor::metadata_hash_at(fd, flags, path.as_ptr() as u32, path.len() as u32, ret);
    hash(ret)
}

/// Bytes of return area [`stat_for_filestat`] needs: a `stat` result, then a
/// `metadata-hash` result (at [`STAT_AREA`], a multiple of its 8-byte alignment).
pub const FILESTAT_AREA: u32 = STAT_AREA + METADATA_HASH_AREA;
const _: () = assert!(STAT_AREA % 8 == 0);

/// `stat` and `metadata-hash` of `fd` (`at` false), or of the `path_len`
/// guest bytes at `path` in directory `fd` looked up with `flags`, as native
/// makes them for a `filestat`: `stat` (a socket traps, a time past 2^64 ns
/// is `OVERFLOW`), then the hash. `ret`: [`FILESTAT_AREA`] bytes, which the
/// answer reads until it is written.
#[inline(always)]
pub fn stat_for_filestat(fd: u32, at: bool, flags: u32, path: u32, path_len: u32, ret: u32) -> Result<StatResults> {
    if at {
        descriptor::stat_at(fd, flags, path, path_len, ret)
    } else {
        descriptor::stat(fd, ret)
    }
    if load_u8(ret) != 0 {
        return Err(error_at(ret + STAT_ERROR));
    }
    let filetype = filetype(load_u8(ret + STAT_TYPE));
    // An `option<datetime>` at `timestamp`.
    let time = |timestamp: u32| -> Option<u64> {
        let at = ret + timestamp;
        if load_u8(at) == 0 {
            return Some(0); // native reports a missing time as 0
        }
        crate::layout::datetime_ns(load_u64(at + TIMESTAMP_SECONDS), load_u32(at + TIMESTAMP_NANOSECONDS))
    };
    let (Some(atim), Some(mtim), Some(ctim)) =
        (time(STAT_DATA_ACCESS_TIMESTAMP), time(STAT_DATA_MODIFICATION_TIMESTAMP), time(STAT_STATUS_CHANGE_TIMESTAMP))
    else {
        return Err(Errno::OVERFLOW);
    };
    let hash = ret + STAT_AREA;
    if at {
        descriptor::metadata_hash_at(fd, flags, path, path_len, hash)
    } else {
        descriptor::metadata_hash(fd, hash)
    }
    if load_u8(hash) != 0 {
        return Err(error_at(hash + METADATA_HASH_ERROR));
    }
    Ok(StatResults { ret, filetype, atim, mtim, ctim })
}

/// What [`stat_for_filestat`] found: the fields it had to check, and the
/// return area holding the others (read when written).
pub struct StatResults {
    ret: u32,
    filetype: u8,
    atim: u64,
    mtim: u64,
    ctim: u64,
}

impl FilestatFields for StatResults {
    fn dev(&self) -> u64 {
        1 // native reports 1 for every file
    }
    fn ino(&self) -> u64 {
        load_u64(self.ret + STAT_AREA + METADATA_HASH_LOWER)
    }
    fn filetype(&self) -> u8 {
        self.filetype
    }
    fn nlink(&self) -> u64 {
        load_u64(self.ret + STAT_LINK_COUNT)
    }
    fn size(&self) -> u64 {
        load_u64(self.ret + STAT_SIZE)
    }
    fn atim(&self) -> u64 {
        self.atim
    }
    fn mtim(&self) -> u64 {
        self.mtim
    }
    fn ctim(&self) -> u64 {
        self.ctim
    }
}

pub fn get_flags(fd: u32) -> Result<u32> {
    let ret = ret_area(GET_FLAGS_AREA);
    descriptor::get_flags(fd, ret);
    if load_u8(ret) != 0 {
        return Err(error_at(ret + GET_FLAGS_ERROR));
    }
    Ok(load_u8(ret + GET_FLAGS_FLAGS) as u32)
}

/// Opens `path` relative to directory `fd`; returns the new handle.
pub fn open_at(fd: u32, path_flags: u32, path: &[u8], open_flags: u32, flags: u32) -> Result<u32> {
    open_at_with(fd, path_flags, path.as_ptr() as u32, path.len() as u32, open_flags, flags, ret_area(OPEN_AT_AREA))
}

/// [`open_at`] of the `len` guest bytes at `ptr`, with an [`OPEN_AT_AREA`]-byte return area.
#[inline(always)]
pub fn open_at_with(fd: u32, path_flags: u32, ptr: u32, len: u32, open_flags: u32, flags: u32, ret: u32) -> Result<u32> {
    descriptor::open_at(fd, path_flags, ptr, len, open_flags, flags, ret);
    if load_u8(ret) != 0 {
        return Err(error_at(ret + OPEN_AT_ERROR));
    }
    Ok(load_u32(ret + OPEN_AT_DESCRIPTOR))
}

/// Reads up to `len` bytes at `offset` straight into guest memory at `buf`
/// (through scratch if the buffer does not fit in memory: then only what was
/// read must fit, as natively).
pub fn read_into(fd: u32, buf: u32, len: u32, offset: u64) -> Result<u32> {
    let direct = super::guest::start_read(buf, len);
    let (ptr, n) = read_with(fd, len, offset, ret_area(READ_AREA))?;
    super::guest::finish_read(direct, buf, ptr, n);
    Ok(n)
}

/// One `read` of at most `len` bytes at `offset`, with a [`READ_AREA`]-byte
/// return area; the caller has said where the bytes go (`scratch::result_into` or
/// `results_to_scratch`). Returns where they went, and how many.
#[inline(always)]
pub fn read_with(fd: u32, len: u32, offset: u64, ret: u32) -> Result<(u32, u32)> {
    descriptor::read(fd, len as u64, offset, ret);
    if load_u8(ret) != 0 {
        return Err(error_at(ret + READ_ERROR));
    }
    let bytes = ret + READ_BYTES;
    Ok((load_u32(bytes), load_u32(bytes + LIST_LEN)))
}

/// Writes guest bytes at `offset`; returns how many were written.
pub fn write(fd: u32, bytes: &[u8], offset: u64) -> Result<u32> {
    write_with(fd, bytes.as_ptr() as u32, bytes.len() as u32, offset, ret_area(WRITE_AREA))
}

/// [`write`] of `len` guest bytes at `ptr`, with a [`WRITE_AREA`]-byte return area `ret`.
#[inline(always)]
pub fn write_with(fd: u32, ptr: u32, len: u32, offset: u64, ret: u32) -> Result<u32> {
    descriptor::write(fd, ptr, len, offset, ret);
    if load_u8(ret) != 0 {
        return Err(error_at(ret + WRITE_ERROR));
    }
    Ok(load_u64(ret + WRITE_WRITTEN) as u32)
}

pub fn advise(fd: u32, offset: u64, len: u64, advice: u32) -> Result<()> {
    let ret = ret_area(UNIT_RESULT_AREA);
    descriptor::advise(fd, offset, len, advice, ret);
    unit(ret)
}

/// `sync-data` (`data_only`) or `sync` of `fd`.
pub fn sync(fd: u32, data_only: bool) -> Result<()> {
    let ret = ret_area(UNIT_RESULT_AREA);
    if data_only {
        descriptor::sync_data(fd, ret)
    } else {
        descriptor::sync(fd, ret)
    }
    unit(ret)
}

pub fn set_size(fd: u32, size: u64) -> Result<()> {
    let ret = ret_area(UNIT_RESULT_AREA);
    descriptor::set_size(fd, size, ret);
    unit(ret)
}

/// A `new-timestamp` flattened: (tag, seconds, nanoseconds).
pub type NewTimestamp = (u32, u64, u32);

pub fn drop_descriptor(handle: u32) {
    descriptor::drop_descriptor(handle)
}

pub fn set_times(fd: u32, a: NewTimestamp, m: NewTimestamp) -> Result<()> {
    let ret = ret_area(UNIT_RESULT_AREA);
    descriptor::set_times(fd, a.0, a.1, a.2, m.0, m.1, m.2, ret);
    unit(ret)
}

pub fn set_times_at(fd: u32, flags: u32, path: &[u8], a: NewTimestamp, m: NewTimestamp) -> Result<()> {
    let ret = ret_area(UNIT_RESULT_AREA);
    descriptor::set_times_at(fd, flags, path.as_ptr() as u32, path.len() as u32, a.0, a.1, a.2, m.0, m.1, m.2, ret);
    unit(ret)
}

/// The `descriptor` methods that take two paths and return nothing.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum TwoPathOp {
    /// `link-at`: `old` in `fd` (looked up with the path flags), `new` in `new_fd`.
    Link,
    /// `rename-at`: `old` in `fd`, `new` in `new_fd`.
    Rename,
    /// `symlink-at`: a link in `fd` named `new` whose target is `old`.
    Symlink,
}

/// `op` from `old` (in `fd`) to `new` (in `new_fd`; `fd` for `Symlink`).
pub fn two_path_op(op: TwoPathOp, fd: u32, flags: u32, old: &[u8], new_fd: u32, new: &[u8]) -> Result<()> {
    let ret = ret_area(UNIT_RESULT_AREA);
    let (o, ol, n, nl) = (old.as_ptr() as u32, old.len() as u32, new.as_ptr() as u32, new.len() as u32);
    match op {
        TwoPathOp::Link => descriptor::link_at(fd, flags, o, ol, new_fd, n, nl, ret),
        TwoPathOp::Rename => descriptor::rename_at(fd, o, ol, new_fd, n, nl, ret),
        TwoPathOp::Symlink => descriptor::symlink_at(fd, o, ol, n, nl, ret),
    }
    unit(ret)
}

/// The `descriptor` methods that take one path and return nothing.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum PathOp {
    CreateDirectory,
    RemoveDirectory,
    UnlinkFile,
}

/// `op` on `path` relative to directory `fd`.
pub fn path_op(op: PathOp, fd: u32, path: &[u8]) -> Result<()> {
    let ret = ret_area(UNIT_RESULT_AREA);
    let (ptr, len) = (path.as_ptr() as u32, path.len() as u32);
    match op {
        PathOp::CreateDirectory => descriptor::create_directory_at(fd, ptr, len, ret),
        PathOp::RemoveDirectory => descriptor::remove_directory_at(fd, ptr, len, ret),
        PathOp::UnlinkFile => descriptor::unlink_file_at(fd, ptr, len, ret),
    }
    unit(ret)
}

/// The target of the symlink `path`, as bytes in scratch under `lease`.
pub fn readlink_at<'l>(fd: u32, path: &[u8], lease: &'l scratch::Lease) -> Result<&'l [u8]> {
    let ret = ret_area(READLINK_AT_AREA);
    scratch::results_to_scratch();
    descriptor::readlink_at(fd, path.as_ptr() as u32, path.len() as u32, ret);
    if load_u8(ret) != 0 {
        return Err(error_at(ret + READLINK_AT_ERROR));
    }
    Ok(host::load_bytes(ret + READLINK_AT_TARGET, lease))
}

pub fn read_directory(fd: u32) -> Result<u32> {
    let ret = ret_area(READ_DIRECTORY_AREA);
    descriptor::read_directory(fd, ret);
    if load_u8(ret) != 0 {
        return Err(error_at(ret + READ_DIRECTORY_ERROR));
    }
    Ok(load_u32(ret + READ_DIRECTORY_STREAM))
}

/// The next entry of directory stream `stream`: `(descriptor-type, name in
/// scratch under `lease`)`. `ret`: a return area of at least
/// [`READ_DIRECTORY_ENTRY_AREA`] bytes, which a loop over entries reuses.
pub fn read_directory_entry(stream: u32, ret: u32, lease: &scratch::Lease) -> Result<Option<(u8, &[u8])>> {
    scratch::results_to_scratch();
    descriptor::read_directory_entry(stream, ret);
    if load_u8(ret) != 0 {
        return Err(error_at(ret + READ_DIRECTORY_ENTRY_ERROR));
    }
    if load_u8(ret + READ_DIRECTORY_ENTRY_OPTION) == 0 {
        return Ok(None);
    }
    Ok(Some((load_u8(ret + READ_DIRECTORY_ENTRY_TYPE), host::load_bytes(ret + READ_DIRECTORY_ENTRY_NAME, lease))))
}

pub fn drop_directory_stream(stream: u32) {
    descriptor::drop_directory_entry_stream(stream)
}

/// `result<own<stream>, error-code>` at `ret`.
fn stream(ret: u32) -> Result<u32> {
    if load_u8(ret) != 0 {
        return Err(error_at(ret + VIA_STREAM_ERROR));
    }
    Ok(load_u32(ret + VIA_STREAM_STREAM))
}

pub fn read_via_stream(fd: u32, offset: u64) -> Result<u32> {
    let ret = ret_area(VIA_STREAM_AREA);
    descriptor::read_via_stream(fd, offset, ret);
    stream(ret)
}

pub fn write_via_stream(fd: u32, offset: u64) -> Result<u32> {
    let ret = ret_area(VIA_STREAM_AREA);
    descriptor::write_via_stream(fd, offset, ret);
    stream(ret)
}

pub fn append_via_stream(fd: u32) -> Result<u32> {
    let ret = ret_area(VIA_STREAM_AREA);
    descriptor::append_via_stream(fd, ret);
    stream(ret)
}
