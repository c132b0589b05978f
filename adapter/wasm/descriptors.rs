//! The live descriptors and the stdio streams, behind one interface with two
//! backends: the command and reactor keep descriptors in wasm globals, and
//! any past `GLOBAL_FDS` in a spill table (`globals_backed.rs`); the proxy,
//! whose world has no filesystem, can only ever have stdio and the numbers
//! `adapter_open_badfd` reserves, and keeps them in a few wasm globals
//! (`stdio_only.rs`).

use crate::table::kind;

#[cfg(not(feature = "proxy"))]
mod globals_backed;
#[cfg(not(feature = "proxy"))]
pub use globals_backed::*;

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
    /// (The proxy has neither directories nor files, yet matches on them
    /// with the other variants.)
    #[cfg_attr(feature = "proxy", allow(dead_code))]
    Directory { handle: u32, preopen: bool },
    /// A regular file (or anything else that is not a directory).
    #[cfg_attr(feature = "proxy", allow(dead_code))]
    File(File),
}

/// An open regular file: its number, its `descriptor` handle and its flags
/// (`crate::table::flag`); the position is read and moved in the
/// descriptor itself. Small, because `Result<Desc>` comes back through memory.
#[derive(Clone, Copy)]
pub struct File {
    pub fd: u32,
    pub handle: u32,
    pub flags: u8,
}

impl File {
    #[inline(always)]
    pub fn position(&self) -> u64 {
        position(self.fd)
    }

    #[inline(always)]
    pub fn set_position(&self, position: u64) {
        set_position(self.fd, position);
    }

    pub fn set_flags(&mut self, flags: u8) {
        self.flags = flags;
        set_flags(self.fd, flags);
    }
}
