//! The live descriptors and the stdio streams, behind one interface with two
//! backends: the command and reactor keep every descriptor in the table
//! (`table_backed.rs`); the proxy, whose world has no filesystem, can only
//! ever have stdio and the numbers `adapter_open_badfd` reserves, and keeps
//! them in a few wasm globals (`stdio_only.rs`).

use crate::table::{kind, Entry};

#[cfg(not(feature = "proxy"))]
mod table_backed;
#[cfg(not(feature = "proxy"))]
pub use table_backed::*;

#[cfg(feature = "proxy")]
mod stdio_only;
#[cfg(feature = "proxy")]
pub use stdio_only::*;

/// A descriptor as the preview1 functions see it. The stdio variants carry
/// the table's kind numbers as discriminants, so that the proxy's packed
/// lookup decodes without a lookup table (which would be a data segment).
#[repr(u8)]
pub enum Desc {
    /// Stdin: its stream, or 0 until a read fetches it ([`stdin_stream`]).
    Stdin(u32) = kind::STDIN,
    /// Stdout and stderr: their streams.
    Stdout(u32) = kind::STDOUT,
    Stderr(u32) = kind::STDERR,
    /// A directory: its `descriptor` handle, and whether it is a preopen.
    Directory { handle: u32, preopen: bool },
    /// A regular file (or anything else that is not a directory): its
    /// table entry, which holds the position and flags. Table pages never
    /// move, so the reference stays valid for the call.
    File(&'static mut Entry),
}
