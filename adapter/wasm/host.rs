//! The WASI 0.2 imports, declared by hand with their canonical-ABI core
//! signatures (results larger than one value come back through a return area
//! the caller provides), plus small wrappers that decode those areas.
//!
//! Return areas come from scratch (see `scratch.rs`), never from a stack.

use super::scratch;
use crate::canonical::{self, io::*, LIST_LEN};
use crate::errno::{Errno, Result};
// For a stream error's filesystem code, which the proxy has not.
#[cfg(not(feature = "proxy"))]
use crate::{canonical::filesystem::FILESYSTEM_ERROR_CODE_CODE, errno};

/// Declares WASI 0.2 imports, each behind a safe wrapper of the same name
/// (inlined: the call is the import's own). Calling one is safe in the
/// adapter's sense: handles are checked by the host (a bad one traps), and
/// the only memory the host touches is what the arguments name as wasm
/// addresses, a `ret` return area (from [`ret_area`] or scratch) or a guest
/// buffer the caller has checked, written as a wasm store would write it.
macro_rules! imports {
    // For a world the proxy has not: the imports in the other variants, and
    // in the proxy stand-ins of the same names that trap (never reached
    // there: the caller holds no resource they could be called on).
    (not_in_proxy $module:literal { $($name:literal => fn $rust:ident($($arg:ident: $ty:ty),* $(,)?) $(-> $ret:ty)?;)* }) => {
        #[cfg(not(feature = "proxy"))]
        imports!($module { $($name => fn $rust($($arg: $ty),*) $(-> $ret)?;)* });
        $(
            #[cfg(feature = "proxy")]
            #[inline(always)]
            pub fn $rust($(_: $ty),*) $(-> $ret)? {
                crate::wasm::trap::abort()
            }
        )*
    };
    ($module:literal { $($name:literal => fn $rust:ident($($arg:ident: $ty:ty),*) $(-> $ret:ty)?;)* }) => {
        $(
            #[inline(always)]
            pub fn $rust($($arg: $ty),*) $(-> $ret)? {
                #[link(wasm_import_module = $module)]
                extern "C" {
                    #[link_name = $name]
                    fn $rust($($arg: $ty),*) $(-> $ret)?;
                }
                // SAFETY: a canonical-ABI import of plain integers; what it
                // may read or write is the caller's contract (above).
                unsafe { $rust($($arg),*) }
            }
        )*
    };
}

pub mod cli {
    #[cfg(not(feature = "proxy"))]
    imports!("wasi:cli/environment@0.2.0" {
        "get-environment" => fn get_environment(ret: u32);
        "get-arguments" => fn get_arguments(ret: u32);
    });
    #[cfg(not(any(feature = "proxy", feature = "exit-with-code")))]
    imports!("wasi:cli/exit@0.2.0" {
        "exit" => fn exit(status: u32);
    });
    #[cfg(feature = "exit-with-code")]
    imports!("wasi:cli/exit@0.2.12" {
        "exit-with-code" => fn exit_with_code(status_code: u32);
    });
    imports!("wasi:cli/stdin@0.2.0" {
        "get-stdin" => fn get_stdin() -> u32;
    });
    imports!("wasi:cli/stdout@0.2.0" {
        "get-stdout" => fn get_stdout() -> u32;
    });
    imports!("wasi:cli/stderr@0.2.0" {
        "get-stderr" => fn get_stderr() -> u32;
    });
    #[cfg(not(feature = "proxy"))]
    imports!("wasi:cli/terminal-input@0.2.0" {
        "[resource-drop]terminal-input" => fn drop_terminal_input(handle: u32);
    });
    #[cfg(not(feature = "proxy"))]
    imports!("wasi:cli/terminal-output@0.2.0" {
        "[resource-drop]terminal-output" => fn drop_terminal_output(handle: u32);
    });
    #[cfg(not(feature = "proxy"))]
    imports!("wasi:cli/terminal-stdin@0.2.0" {
        "get-terminal-stdin" => fn get_terminal_stdin(ret: u32);
    });
    #[cfg(not(feature = "proxy"))]
    imports!("wasi:cli/terminal-stdout@0.2.0" {
        "get-terminal-stdout" => fn get_terminal_stdout(ret: u32);
    });
    #[cfg(not(feature = "proxy"))]
    imports!("wasi:cli/terminal-stderr@0.2.0" {
        "get-terminal-stderr" => fn get_terminal_stderr(ret: u32);
    });
}

/// The program's own entry point, which `wasi:cli/run` runs.
#[cfg(feature = "command")]
pub mod main_module {
    imports!("__main_module__" {
        "_start" => fn main_start();
    });
}

pub mod clocks {
    imports!("wasi:clocks/monotonic-clock@0.2.0" {
        "now" => fn monotonic_now() -> u64;
        "resolution" => fn monotonic_resolution() -> u64;
    });
    imports!("wasi:clocks/wall-clock@0.2.0" {
        "now" => fn wall_now(ret: u32);
        "resolution" => fn wall_resolution(ret: u32);
    });
}

pub mod random {
    imports!("wasi:random/random@0.2.0" {
        "get-random-bytes" => fn get_random_bytes(len: u64, ret: u32);
        "get-random-u64" => fn get_random_u64() -> u64;
    });
}

pub mod io {
    imports!("wasi:io/streams@0.2.0" {
        "[method]input-stream.blocking-read" => fn blocking_read(stream: u32, len: u64, ret: u32);
        "[method]output-stream.blocking-write-and-flush" => fn blocking_write_and_flush(stream: u32, ptr: u32, len: u32, ret: u32);
        "[resource-drop]input-stream" => fn drop_input_stream(handle: u32);
        "[resource-drop]output-stream" => fn drop_output_stream(handle: u32);
    });
    imports!("wasi:io/error@0.2.0" {
        "[resource-drop]error" => fn drop_error(handle: u32);
    });
}

pub mod poll {
    imports!("wasi:io/poll@0.2.0" {
        "poll" => fn poll(list: u32, len: u32, ret: u32);
        "[method]pollable.block" => fn block(pollable: u32);
        "[resource-drop]pollable" => fn drop_pollable(pollable: u32);
    });
    imports!("wasi:clocks/monotonic-clock@0.2.0" {
        "subscribe-instant" => fn subscribe_instant(when: u64) -> u32;
        "subscribe-duration" => fn subscribe_duration(when: u64) -> u32;
    });
    imports!("wasi:io/streams@0.2.0" {
        "[method]input-stream.subscribe" => fn subscribe_input(stream: u32) -> u32;
        "[method]output-stream.subscribe" => fn subscribe_output(stream: u32) -> u32;
    });
}

/// `wasi:filesystem/types`' `descriptor` and `directory-entry-stream`
/// methods (decoded in `fs_host.rs`). The proxy's world has no filesystem,
/// and no descriptor there is a file or directory.
pub mod descriptor {
    imports!(not_in_proxy "wasi:filesystem/types@0.2.0" {
        "[method]descriptor.read-via-stream" => fn read_via_stream(fd: u32, offset: u64, ret: u32);
        "[method]descriptor.write-via-stream" => fn write_via_stream(fd: u32, offset: u64, ret: u32);
        "[method]descriptor.append-via-stream" => fn append_via_stream(fd: u32, ret: u32);
        "[resource-drop]descriptor" => fn drop_descriptor(handle: u32);
        "[method]descriptor.set-times" => fn set_times(fd: u32, atim_tag: u32, atim_seconds: u64, atim_nanos: u32, mtim_tag: u32, mtim_seconds: u64, mtim_nanos: u32, ret: u32);
        "[method]descriptor.read" => fn read(fd: u32, len: u64, offset: u64, ret: u32);
        "[method]descriptor.write" => fn write(fd: u32, ptr: u32, len: u32, offset: u64, ret: u32);
        "[method]descriptor.advise" => fn advise(fd: u32, offset: u64, len: u64, advice: u32, ret: u32);
        "[method]descriptor.sync-data" => fn sync_data(fd: u32, ret: u32);
        "[method]descriptor.sync" => fn sync(fd: u32, ret: u32);
        "[method]descriptor.get-flags" => fn get_flags(fd: u32, ret: u32);
        "[method]descriptor.set-size" => fn set_size(fd: u32, size: u64, ret: u32);
        "[method]descriptor.stat" => fn stat(fd: u32, ret: u32);
        "[method]descriptor.stat-at" => fn stat_at(fd: u32, flags: u32, ptr: u32, len: u32, ret: u32);
        "[method]descriptor.set-times-at" => fn set_times_at(fd: u32, flags: u32, ptr: u32, len: u32, atim_tag: u32, atim_seconds: u64, atim_nanos: u32, mtim_tag: u32, mtim_seconds: u64, mtim_nanos: u32, ret: u32,);
        "[method]descriptor.link-at" => fn link_at(fd: u32, flags: u32, old_ptr: u32, old_len: u32, new_fd: u32, new_ptr: u32, new_len: u32, ret: u32);
        "[method]descriptor.open-at" => fn open_at(fd: u32, path_flags: u32, ptr: u32, len: u32, open_flags: u32, flags: u32, ret: u32);
        "[method]descriptor.readlink-at" => fn readlink_at(fd: u32, ptr: u32, len: u32, ret: u32);
        "[method]descriptor.create-directory-at" => fn create_directory_at(fd: u32, ptr: u32, len: u32, ret: u32);
        "[method]descriptor.remove-directory-at" => fn remove_directory_at(fd: u32, ptr: u32, len: u32, ret: u32);
        "[method]descriptor.unlink-file-at" => fn unlink_file_at(fd: u32, ptr: u32, len: u32, ret: u32);
        "[method]descriptor.rename-at" => fn rename_at(fd: u32, old_ptr: u32, old_len: u32, new_fd: u32, new_ptr: u32, new_len: u32, ret: u32);
        "[method]descriptor.symlink-at" => fn symlink_at(fd: u32, old_ptr: u32, old_len: u32, new_ptr: u32, new_len: u32, ret: u32);
        "[method]descriptor.metadata-hash" => fn metadata_hash(fd: u32, ret: u32);
        "[method]descriptor.metadata-hash-at" => fn metadata_hash_at(fd: u32, flags: u32, ptr: u32, len: u32, ret: u32);
        "[method]descriptor.read-directory" => fn read_directory(fd: u32, ret: u32);
        "[method]directory-entry-stream.read-directory-entry" => fn read_directory_entry(stream: u32, ret: u32);
        "[resource-drop]directory-entry-stream" => fn drop_directory_entry_stream(stream: u32);
    });
}

#[cfg(not(feature = "proxy"))]
pub mod filesystem {
    imports!("wasi:filesystem/types@0.2.0" {
        "filesystem-error-code" => fn filesystem_error_code(error: u32, ret: u32);
    });
    imports!("wasi:filesystem/preopens@0.2.0" {
        "get-directories" => fn get_directories(ret: u32);
    });
}

// ---------------------------------------------------------------------------
// Reading return areas.

/// Loads from a return area or list the host has filled in this call.
pub use super::memory::raw::{load_u32, load_u64, load_u8};

/// The bytes of a string or `list<u8>` lowered as `(pointer, length)` at
/// `at`, by a host call with its results in scratch under `_lease`.
#[inline]
pub fn load_bytes(at: u32, _lease: &scratch::Lease) -> &[u8] {
    unsafe { core::slice::from_raw_parts(load_u32(at) as *const u8, load_u32(at + LIST_LEN) as usize) }
}

/// A scratch return area of `size` bytes, 8-aligned.
#[inline]
pub fn ret_area(size: u32) -> u32 {
    scratch::alloc_or_trap(size, 8)
}

/// The errno for a `stream-error` stored at `at` (variant tag u8, then the
/// `error` handle): `closed` is `IO`; a failed operation is mapped
/// through `filesystem-error-code` when the host knows one, as native does.
/// The stream error, once read, leaves `at` free: it is the return area of
/// that call, so no scratch is needed (the fast paths rely on it).
pub fn stream_error(at: u32) -> Errno {
    if load_u8(at) != 0 {
        return Errno::IO;
    }
    let error = load_u32(at + STREAM_ERROR_LAST_OPERATION_FAILED);
    let errno = io_error_errno(error, at);
    io::drop_error(error);
    errno
}

// The stream error's place is the return area of `filesystem-error-code`:
// it must fit in what is left of either stream call's area.
const _: () = assert!(
    BLOCKING_READ_AREA - BLOCKING_READ_ERROR >= canonical::filesystem::FILESYSTEM_ERROR_CODE_AREA
        && BLOCKING_WRITE_AND_FLUSH_AREA - BLOCKING_WRITE_AND_FLUSH_ERROR >= canonical::filesystem::FILESYSTEM_ERROR_CODE_AREA
);

#[cfg(not(feature = "proxy"))]
fn io_error_errno(error: u32, ret: u32) -> Errno {
    filesystem::filesystem_error_code(error, ret);
    if load_u8(ret) == 1 {
        errno::from_fs_error_code(load_u8(ret + FILESYSTEM_ERROR_CODE_CODE))
    } else {
        Errno::IO
    }
}

#[cfg(feature = "proxy")]
fn io_error_errno(_error: u32, _ret: u32) -> Errno {
    Errno::IO
}

/// Writes `bytes` (guest memory) to `stream`, as native preview1 does for
/// stdio: 4,096-byte `blocking-write-and-flush` chunks, stopping at the first error.
pub fn write_all(stream: u32, bytes: &[u8]) -> Result<()> {
    let ret = ret_area(BLOCKING_WRITE_AND_FLUSH_AREA);
    for chunk in bytes.chunks(WRITE_CHUNK as usize) {
        write_chunk(stream, chunk.as_ptr() as u32, chunk.len() as u32, ret)?;
    }
    Ok(())
}

/// The most one `blocking-write-and-flush` may write.
pub const WRITE_CHUNK: u32 = 4096;

/// One `blocking-write-and-flush` of `len` ≤ [`WRITE_CHUNK`] guest bytes at
/// `ptr`; `ret` is a [`BLOCKING_WRITE_AND_FLUSH_AREA`]-byte return area.
#[inline(always)]
pub fn write_chunk(stream: u32, ptr: u32, len: u32, ret: u32) -> Result<()> {
    io::blocking_write_and_flush(stream, ptr, len, ret);
    if load_u8(ret) != 0 {
        return Err(stream_error(ret + BLOCKING_WRITE_AND_FLUSH_ERROR));
    }
    Ok(())
}

/// What one read from a stream gave.
pub enum Read {
    /// This many bytes (possibly 0) were written into the buffer.
    Bytes(u32),
    /// The stream has ended.
    Closed,
}

/// One `blocking-read` of at most `len` bytes, straight into guest memory at
/// `buf` (through scratch if the buffer does not fit in memory: then only
/// what was read must fit, as natively).
pub fn blocking_read_into(stream: u32, buf: u32, len: u32) -> Result<Read> {
    let direct = super::guest::start_read(buf, len);
    let ret = ret_area(BLOCKING_READ_AREA);
    io::blocking_read(stream, len as u64, ret);
    if load_u8(ret) == 0 {
        let bytes = ret + BLOCKING_READ_BYTES;
        let (ptr, n) = (load_u32(bytes), load_u32(bytes + LIST_LEN));
        super::guest::finish_read(direct, buf, ptr, n);
        return Ok(Read::Bytes(n));
    }
    if load_u8(ret + BLOCKING_READ_ERROR) == STREAM_ERROR_CLOSED {
        return Ok(Read::Closed);
    }
    Err(stream_error(ret + BLOCKING_READ_ERROR))
}
