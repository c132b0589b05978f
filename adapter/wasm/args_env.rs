//! `args_get`, `args_sizes_get`, `environ_get`, `environ_sizes_get`.
//!
//! The program's buffers get the layout native preview1 writes: a pointer
//! per item, and the items back to back, each terminated by NUL
//! (`key=value\0` for variables). The `*_sizes_get` calls read only the
//! lengths of the host's strings (each string overwrites the last in
//! scratch); the `*_get` calls have the host write its strings straight
//! into the program's buffer, a byte apart, and add the separators and
//! pointers, or, when the arrays overlap, copy from scratch in native's
//! order.

use super::guest;
use super::call;
use crate::errno::Result;
// The proxy world has neither arguments nor environment: what reads them is
// compiled out of it.
#[cfg(not(feature = "proxy"))]
use super::host::{self, load_u32};
#[cfg(not(feature = "proxy"))]
use super::scratch;
#[cfg(not(feature = "proxy"))]
use crate::canonical::{cli, LIST_LEN, STRING_SIZE};
#[cfg(not(feature = "proxy"))]
use crate::errno::Errno;

/// A list of strings (or of `key`, `value` string pairs) as the host wrote it.
#[cfg(not(feature = "proxy"))]
struct StringList {
    base: u32,
    count: u32,
    /// Strings per item: 1 for arguments, 2 for environment variables.
    parts: u32,
}

/// Where the host's strings go.
#[cfg(not(feature = "proxy"))]
#[derive(Clone, Copy)]
enum StringsTo {
    Scratch,
    /// Nowhere lasting: only their lengths are read.
    Nowhere,
    /// Laid out in the program's buffer at this address, a byte apart.
    Buffer(u32),
}

/// Arguments (1 part per item) or environment (2). The calls are generic
/// over it, not given it as a value, so that the arguments' calls cannot
/// reach `get-environment` nor the environment's `get-arguments`: every
/// import a program can reach costs its instantiation (a hello world, which
/// reads its environment, starts ~4 k instructions faster).
const ARGS: u32 = 1;
const ENV: u32 = 2;

#[cfg(not(feature = "proxy"))]
impl StringList {
    #[cfg(not(feature = "proxy"))]
    fn fetch<const PARTS: u32>(to: StringsTo) -> StringList {
        // Both lists' return areas are a list's pointer and length.
        const _: () = assert!(cli::GET_ARGUMENTS_AREA == cli::GET_ENVIRONMENT_AREA);
        match to {
            StringsTo::Scratch => scratch::results_to_scratch(),
            StringsTo::Nowhere => scratch::results_lengths_only(),
            StringsTo::Buffer(buf) => scratch::results_strings_into(buf),
        }
        // After the mode is set: the return area is allocated as the host's
        // list will be, and the scratch checked zero for it serves the list.
        let ret = scratch::result_area(cli::GET_ARGUMENTS_AREA);
        if PARTS == ARGS {
            host::cli::get_arguments(ret)
        } else {
            host::cli::get_environment(ret)
        }
        StringList { base: load_u32(ret), count: load_u32(ret + LIST_LEN), parts: PARTS }
    }

    /// `(count, buffer size)`, `OVERFLOW` if the size does not fit 32 bits.
    fn sizes(&self) -> Result<(u32, u32)> {
        // Every string takes its bytes and a terminator (`=` or NUL): one
        // pass over the list's lengths.
        let mut total: u64 = 0;
        for at in 0..self.count * self.parts {
            total += load_u32(self.base + at * STRING_SIZE + LIST_LEN) as u64 + 1;
        }
        let total = u32::try_from(total).map_err(|_| Errno::OVERFLOW)?;
        Ok((self.count, total))
    }

    /// Writes the pointer array at `ptrs` and the items at `buf` (`size`
    /// bytes with the separators) in the order native does: pointer, then
    /// the item, so that overlapping arrays end up as natively. With
    /// `in_place`, the host has already laid the strings out at `buf`
    /// (`StringsTo::Buffer`) and only pointers and separators are written;
    /// `false`, having written only inside the two arrays, if a string is
    /// not where it belongs (a host that lowers them in another order).
    /// Both arrays are checked whole first: where native traps on its first
    /// bad write, this traps before writing (a trapped program observes
    /// nothing more), and the loop needs no checks.
    #[inline(never)]
    fn write(&self, ptrs: u32, buf: u32, size: u32, in_place: bool) -> bool {
        guest::check(ptrs, self.count as u64 * 4, 4);
        guest::check(buf, size as u64, 1);
        let mut cursor = buf;
        let mut string = self.base;
        for i in 0..self.count {
            guest::store_u32(ptrs + i * 4, cursor);
            for p in 0..self.parts {
                let (at, len) = (load_u32(string), load_u32(string + LIST_LEN));
                if !in_place {
                    guest::store_bytes(cursor, at, len);
                } else if at != cursor {
                    return false;
                }
                // Within `buf + size`: `size` counts these very lengths.
                cursor = cursor.wrapping_add(len);
                guest::store_u8(cursor, separator(p, self.parts));
                cursor = cursor.wrapping_add(1);
                string += STRING_SIZE;
            }
        }
        true
    }
}

/// What follows part `p` of an item of `parts`: `=` between a variable's
/// name and value, NUL after the item.
#[cfg(not(feature = "proxy"))]
#[inline(always)]
fn separator(p: u32, parts: u32) -> u8 {
    if p + 1 == parts {
        0
    } else {
        b'='
    }
}

#[cfg(not(feature = "proxy"))]
fn sizes_get<const PARTS: u32>(count_out: u32, size_out: u32) -> Result<()> {
    write_sizes(&StringList::fetch::<PARTS>(StringsTo::Nowhere), count_out, size_out)
}

/// The proxy world has neither arguments nor environment.
#[cfg(feature = "proxy")]
fn sizes_get<const PARTS: u32>(count_out: u32, size_out: u32) -> Result<()> {
    guest::write_u32(size_out, 0);
    guest::write_u32(count_out, 0);
    Ok(())
}

/// The rest of `*_sizes_get`, shared by both lists.
#[cfg(not(feature = "proxy"))]
#[inline(never)]
fn write_sizes(list: &StringList, count_out: u32, size_out: u32) -> Result<()> {
    let (count, size) = list.sizes()?;
    // Native stores a tuple result last member first: with both pointers at
    // one place, the count is what remains.
    guest::write_u32(size_out, size);
    guest::write_u32(count_out, count);
    Ok(())
}

/// The proxy world has neither arguments nor environment: nothing to write.
#[cfg(feature = "proxy")]
fn get<const PARTS: u32>(_ptrs: u32, _buf: u32) -> Result<()> {
    Ok(())
}

#[cfg(not(feature = "proxy"))]
fn get<const PARTS: u32>(ptrs: u32, buf: u32) -> Result<()> {
    // The host lays the strings out in the program's buffer; we add the
    // separators and pointers, else write both arrays from scratch.
    let list = StringList::fetch::<PARTS>(StringsTo::Buffer(buf));
    if !lay_out_in_place(&list, ptrs, buf)? {
        let list = StringList::fetch::<PARTS>(StringsTo::Scratch);
        let (_, size) = list.sizes()?;
        list.write(ptrs, buf, size, false);
    }
    Ok(())
}

/// Completes a list the host wrote into the program's buffer at `buf`;
/// `false` when it cannot be, after setting up scratch for a fetch that
/// writes every byte of both arrays again. The pointers must not land on
/// the host's list (in scratch) or on the strings: native writes each
/// pointer before its item, so where the arrays overlap, so must the order.
/// Shared by both lists: only the fetches are not.
#[cfg(not(feature = "proxy"))]
#[inline(never)]
fn lay_out_in_place(list: &StringList, ptrs: u32, buf: u32) -> Result<bool> {
    let (count, size) = list.sizes()?;
    let ptrs_len = count as u64 * 4;
    if scratch::strings_went_into()
        && !scratch::overlaps_scratch(ptrs, ptrs_len)
        && !crate::layout::overlaps(ptrs, ptrs_len, buf, size as u64)
        && list.write(ptrs, buf, size, true)
    {
        return Ok(true);
    }
    // The next fetch, into scratch, must avoid both arrays.
    scratch::end_call();
    scratch::avoid(ptrs, count.saturating_mul(4));
    scratch::avoid(buf, size);
    Ok(false)
}

// One body per export, `call` included (see `ARGS`); the wrappers below
// are inlined into the exports.

/// `args_sizes_get` or `environ_sizes_get`.
#[inline(never)]
fn sizes_get_call<const PARTS: u32>(count_out: u32, size_out: u32) -> u32 {
    call(|| sizes_get::<PARTS>(count_out, size_out))
}

/// `args_get` or `environ_get`.
#[inline(never)]
fn get_call<const PARTS: u32>(ptrs: u32, buf: u32) -> u32 {
    call(|| get::<PARTS>(ptrs, buf))
}

#[inline(always)]
pub fn args_sizes_get(argc: u32, argv_buf_size: u32) -> u32 {
    sizes_get_call::<ARGS>(argc, argv_buf_size)
}

#[inline(always)]
pub fn args_get(argv: u32, argv_buf: u32) -> u32 {
    get_call::<ARGS>(argv, argv_buf)
}

#[inline(always)]
pub fn environ_sizes_get(environc: u32, environ_buf_size: u32) -> u32 {
    sizes_get_call::<ENV>(environc, environ_buf_size)
}

#[inline(always)]
pub fn environ_get(environ: u32, environ_buf: u32) -> u32 {
    get_call::<ENV>(environ, environ_buf)
}
