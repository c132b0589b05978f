//! Guest-memory arithmetic: which guest ranges native preview1 accepts, and
//! the byte layouts of preview1 records. Pure functions, unit-tested on the host.

pub const WASM_PAGE: u64 = 65_536;

/// How native preview1 (wiggle) judges a guest region before touching it:
/// the pointer must be aligned for the element type and the whole region must
/// lie inside memory. An empty region is never checked (native accepts any
/// pointer with length 0).
pub fn region_ok(ptr: u32, len: u64, align: u32, memory_bytes: u64) -> bool {
    if len == 0 {
        return true;
    }
    ptr % align == 0 && (ptr as u64) + len <= memory_bytes
}

/// Byte size of `count` records of `size` bytes, or `None` when it does not fit
/// in a 32-bit address space (native traps with a pointer overflow then).
pub fn array_bytes(count: u32, size: u32) -> Option<u32> {
    count.checked_mul(size)
}

/// Whether two half-open guest ranges share at least one byte.
pub fn overlaps(a: u32, a_len: u64, b: u32, b_len: u64) -> bool {
    if a_len == 0 || b_len == 0 {
        return false;
    }
    (a as u64) < (b as u64) + b_len && (b as u64) < (a as u64) + a_len
}

pub fn align_up(value: u64, align: u64) -> u64 {
    (value + align - 1) & !(align - 1)
}

/// `iovec` / `ciovec`: `buf: u32 @0, buf_len: u32 @4`, 8 bytes, align 4.
pub const IOVEC_SIZE: u32 = 8;
/// `fdstat`: filetype u8 @0, flags u16 @2, rights_base u64 @8, rights_inheriting u64 @16.
pub const FDSTAT_SIZE: u32 = 24;
/// `prestat`: tag u8 @0, pr_name_len u32 @4.
pub const PRESTAT_SIZE: u32 = 8;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_regions_are_always_accepted() {
        assert!(region_ok(u32::MAX, 0, 8, 0));
        assert!(region_ok(3, 0, 4, 65536));
    }

    #[test]
    fn bounds_and_alignment() {
        assert!(region_ok(65532, 4, 4, 65536));
        assert!(!region_ok(65533, 4, 1, 65536));
        assert!(!region_ok(65534, 4, 4, 65536));
        assert!(!region_ok(2, 4, 4, 65536));
        assert!(region_ok(u32::MAX, 1, 1, 1 << 32));
        assert!(!region_ok(u32::MAX, 2, 1, 1 << 32));
    }

    #[test]
    fn array_sizes_overflow_like_native() {
        assert_eq!(array_bytes(3, 8), Some(24));
        assert_eq!(array_bytes(1 << 29, 8), None);
        assert_eq!(array_bytes(u32::MAX, 1), Some(u32::MAX));
    }

    #[test]
    fn overlap() {
        assert!(overlaps(10, 10, 19, 1));
        assert!(!overlaps(10, 10, 20, 5));
        assert!(!overlaps(10, 0, 10, 5));
        assert!(overlaps(u32::MAX, 1, u32::MAX - 3, 4));
    }

    #[test]
    fn alignment() {
        assert_eq!(align_up(0, 8), 0);
        assert_eq!(align_up(9, 8), 16);
        assert_eq!(align_up(65536, 4), 65536);
    }
}
