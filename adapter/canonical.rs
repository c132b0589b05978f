//! The canonical ABI of the WASI 0.2 results the adapter reads through
//! memory, for wasm32: the size of each import's return area and where each
//! part of its result lies, as byte offsets from the start of the area. The
//! imports are declared by hand (`wasm/host.rs`, `wasm/fs_host.rs`), so are
//! these numbers; `canonical_from_wit.rs`, a host test, computes every one
//! again from the vendored WIT with wit-parser and compares.
//!
//! How the canonical ABI lays a result out: a `result` or `option` is a tag
//! byte (0 for `ok` or `none`) and then its payload, at the payload's
//! alignment; a record's fields follow each other, each at its own
//! alignment; a `list` or `string` is a pointer and then a length.
//! `*_AREA` is a whole return area's size (the adapter allocates each
//! 8-aligned, the most any result needs).
//!
//! A leaf: it uses nothing of the crate, and is compiled for the host too.

/// Where the length of a `list` or `string` lies after its pointer (and
/// the pointer's size).
pub const LIST_LEN: u32 = 4;
/// Bytes of a `string` in a record or a list: pointer and length.
pub const STRING_SIZE: u32 = 8;

/// `wasi:cli`.
pub mod cli {
    /// `environment.get-arguments`: `list<string>` (pointer @0, length
    /// @[`LIST_LEN`](super::LIST_LEN)); each element a
    /// [`STRING_SIZE`](super::STRING_SIZE)-byte `string`.
    pub const GET_ARGUMENTS_AREA: u32 = 8;
    /// `environment.get-environment`: `list<tuple<string, string>>`; each
    /// element the name, then the value at [`STRING_SIZE`](super::STRING_SIZE).
    pub const GET_ENVIRONMENT_AREA: u32 = 8;
    /// `terminal-stdin.get-terminal-stdin` (and the `-stdout`, `-stderr`
    /// ones): `option<terminal-input>` (`terminal-output`).
    pub const GET_TERMINAL_AREA: u32 = 8;
    /// Its `some`: the terminal's handle.
    pub const GET_TERMINAL_HANDLE: u32 = 4;
}

/// `wasi:clocks`.
pub mod clocks {
    /// `wall-clock.now` and `wall-clock.resolution`: a `datetime`.
    pub const DATETIME_AREA: u32 = 16;
    /// `datetime.seconds`, a u64.
    pub const DATETIME_SECONDS: u32 = 0;
    /// `datetime.nanoseconds`, a u32.
    pub const DATETIME_NANOSECONDS: u32 = 8;
}

/// `wasi:random`.
pub mod random {
    /// `random.get-random-bytes`: `list<u8>` (pointer @0, length
    /// @[`LIST_LEN`](super::LIST_LEN)).
    pub const GET_RANDOM_BYTES_AREA: u32 = 8;
}

/// `wasi:io`.
pub mod io {
    /// `poll.poll`: `list<u32>` (pointer @0, length @[`LIST_LEN`](super::LIST_LEN)).
    pub const POLL_AREA: u32 = 8;
    /// Bytes of each index in that list.
    pub const POLL_INDEX_SIZE: u32 = 4;

    /// `streams.[method]input-stream.blocking-read`:
    /// `result<list<u8>, stream-error>`.
    pub const BLOCKING_READ_AREA: u32 = 12;
    /// Its `ok`: the bytes' pointer, and their count [`LIST_LEN`](super::LIST_LEN) further.
    pub const BLOCKING_READ_BYTES: u32 = 4;
    /// Its `err`: a `stream-error`.
    pub const BLOCKING_READ_ERROR: u32 = 4;

    /// `streams.[method]output-stream.blocking-write-and-flush`:
    /// `result<_, stream-error>`.
    pub const BLOCKING_WRITE_AND_FLUSH_AREA: u32 = 12;
    /// Its `err`: a `stream-error`.
    pub const BLOCKING_WRITE_AND_FLUSH_ERROR: u32 = 4;

    /// The tag of `stream-error`'s case `closed` (0 is `last-operation-failed`).
    pub const STREAM_ERROR_CLOSED: u8 = 1;
    /// Where, from the `stream-error`, `last-operation-failed`'s `error` handle lies.
    pub const STREAM_ERROR_LAST_OPERATION_FAILED: u32 = 4;
}

/// `wasi:filesystem`. Every `[method]descriptor.*` below is of `types`.
pub mod filesystem {
    /// `preopens.get-directories`: `list<tuple<descriptor, string>>`
    /// (pointer @0, length @[`LIST_LEN`](super::LIST_LEN)).
    pub const GET_DIRECTORIES_AREA: u32 = 8;
    /// Bytes of each element: the descriptor @0, then its path.
    pub const PREOPEN_SIZE: u32 = 12;
    pub const PREOPEN_PATH: u32 = 4;

    /// `types.filesystem-error-code`: `option<error-code>`.
    pub const FILESYSTEM_ERROR_CODE_AREA: u32 = 2;
    /// Its `some`: the `error-code`.
    pub const FILESYSTEM_ERROR_CODE_CODE: u32 = 1;

    /// The `[method]descriptor.*` calls that return `result<_, error-code>`:
    /// `advise`, `sync`, `sync-data`, `set-size`, `set-times`,
    /// `set-times-at`, `link-at`, `rename-at`, `symlink-at`,
    /// `create-directory-at`, `remove-directory-at`, `unlink-file-at`.
    pub const UNIT_RESULT_AREA: u32 = 2;
    /// Their `err`: the `error-code`.
    pub const UNIT_RESULT_ERROR: u32 = 1;

    /// `stat` and `stat-at`: `result<descriptor-stat, error-code>`.
    pub const STAT_AREA: u32 = 104;
    pub const STAT_ERROR: u32 = 8;
    /// Its `ok`'s fields: `type` (a `descriptor-type`, u8), `link-count`,
    /// `size`, and the three `option<datetime>` timestamps.
    pub const STAT_TYPE: u32 = 8;
    pub const STAT_LINK_COUNT: u32 = 16;
    pub const STAT_SIZE: u32 = 24;
    pub const STAT_DATA_ACCESS_TIMESTAMP: u32 = 32;
    pub const STAT_DATA_MODIFICATION_TIMESTAMP: u32 = 56;
    pub const STAT_STATUS_CHANGE_TIMESTAMP: u32 = 80;
    /// From an `option<datetime>` timestamp of the stat: its `some`'s
    /// `seconds` and `nanoseconds`.
    pub const TIMESTAMP_SECONDS: u32 = 8;
    pub const TIMESTAMP_NANOSECONDS: u32 = 16;

    /// `metadata-hash` and `metadata-hash-at`:
    /// `result<metadata-hash-value, error-code>`.
    pub const METADATA_HASH_AREA: u32 = 24;
    pub const METADATA_HASH_ERROR: u32 = 8;
    /// Its `ok`'s `lower` half.
    pub const METADATA_HASH_LOWER: u32 = 8;

    /// `get-flags`: `result<descriptor-flags, error-code>`; the flags (a
    /// byte) or the error follow the tag.
    pub const GET_FLAGS_AREA: u32 = 2;
    pub const GET_FLAGS_FLAGS: u32 = 1;
    pub const GET_FLAGS_ERROR: u32 = 1;

    /// `open-at`: `result<descriptor, error-code>`.
    pub const OPEN_AT_AREA: u32 = 8;
    pub const OPEN_AT_DESCRIPTOR: u32 = 4;
    pub const OPEN_AT_ERROR: u32 = 4;

    /// `read`: `result<tuple<list<u8>, bool>, error-code>`; the bytes'
    /// pointer, and their count [`LIST_LEN`](super::LIST_LEN) further.
    pub const READ_AREA: u32 = 16;
    pub const READ_BYTES: u32 = 4;
    pub const READ_ERROR: u32 = 4;

    /// `write`: `result<filesize, error-code>`.
    pub const WRITE_AREA: u32 = 16;
    pub const WRITE_WRITTEN: u32 = 8;
    pub const WRITE_ERROR: u32 = 8;

    /// `readlink-at`: `result<string, error-code>`.
    pub const READLINK_AT_AREA: u32 = 12;
    pub const READLINK_AT_TARGET: u32 = 4;
    pub const READLINK_AT_ERROR: u32 = 4;

    /// `read-directory`: `result<directory-entry-stream, error-code>`.
    pub const READ_DIRECTORY_AREA: u32 = 8;
    pub const READ_DIRECTORY_STREAM: u32 = 4;
    pub const READ_DIRECTORY_ERROR: u32 = 4;

    /// `[method]directory-entry-stream.read-directory-entry`:
    /// `result<option<directory-entry>, error-code>`.
    pub const READ_DIRECTORY_ENTRY_AREA: u32 = 20;
    pub const READ_DIRECTORY_ENTRY_ERROR: u32 = 4;
    /// Its `ok`: the option's tag, then the entry's `type` and `name`.
    pub const READ_DIRECTORY_ENTRY_OPTION: u32 = 4;
    pub const READ_DIRECTORY_ENTRY_TYPE: u32 = 8;
    pub const READ_DIRECTORY_ENTRY_NAME: u32 = 12;

    /// `read-via-stream`, `write-via-stream` and `append-via-stream`:
    /// `result<input-stream, error-code>` (`output-stream`).
    pub const VIA_STREAM_AREA: u32 = 8;
    pub const VIA_STREAM_STREAM: u32 = 4;
    pub const VIA_STREAM_ERROR: u32 = 4;
}
