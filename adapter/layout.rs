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

/// Whether two half-open guest ranges share at least one byte.
pub fn overlaps(a: u32, a_len: u64, b: u32, b_len: u64) -> bool {
    if a_len == 0 || b_len == 0 {
        return false;
    }
    (a as u64) < (b as u64) + b_len && (b as u64) < (a as u64) + a_len
}

/// A WASI 0.2 `datetime` (seconds and nanoseconds) as preview1's u64
/// nanoseconds; `None` past 2^64 - 1 (native: `OVERFLOW`).
///
/// Not `checked_mul`: on wasm32 that is a 128-bit multiply, a library call
/// with a stack frame, which the fast paths cannot have and which costs more
/// than this compare.
#[inline(always)]
pub fn datetime_ns(seconds: u64, nanos: u32) -> Option<u64> {
    const NANOS: u64 = 1_000_000_000;
    if seconds > u64::MAX / NANOS {
        return None;
    }
    (seconds * NANOS).checked_add(nanos as u64)
}

pub fn align_up(value: u64, align: u64) -> u64 {
    (value + align - 1) & !(align - 1)
}

/// Whether `bytes` is valid UTF-8 (what native requires of every path).
/// Written out rather than `core::str::from_utf8`, whose lookup table would
/// be a data segment in the adapter.
pub fn is_utf8(bytes: &[u8]) -> bool {
    // One pass, byte by byte: the code point being decoded, how many
    // continuation bytes it still needs, and the least value its length may
    // encode (shorter would be an overlong form).
    let (mut c, mut need, mut min) = (0u32, 0u32, 0u32);
    for &b in bytes {
        let b = b as u32;
        if need > 0 {
            if b & 0xc0 != 0x80 {
                return false;
            }
            c = c << 6 | (b & 0x3f);
            need -= 1;
            // Complete: reject overlong forms, UTF-16 surrogates, and
            // anything past U+10FFFF.
            if need == 0 && (c < min || (0xd800..0xe000).contains(&c) || c > 0x10_ffff) {
                return false;
            }
        } else if b >= 0x80 {
            // (Two-byte overlongs are the leads 0xc0 and 0xc1.)
            need = match b {
                0xc2..=0xdf => 1,
                0xe0..=0xef => 2,
                0xf0..=0xf4 => 3,
                _ => return false,
            };
            c = b & (0x3f >> need);
            // 0x800 for three bytes, 0x1_0000 for four (two are >= 0x80 by their lead).
            min = 1 << (5 * need + 1);
        }
    }
    // A sequence cut short by the end is not UTF-8 either.
    need == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datetimes_convert_to_nanoseconds_until_they_overflow() {
        assert_eq!(datetime_ns(0, 0), Some(0));
        assert_eq!(datetime_ns(1, 5), Some(1_000_000_005));
        let max_s = u64::MAX / 1_000_000_000;
        let max_n = (u64::MAX % 1_000_000_000) as u32;
        assert_eq!(datetime_ns(max_s, max_n), Some(u64::MAX));
        assert_eq!(datetime_ns(max_s, max_n + 1), None);
        assert_eq!(datetime_ns(max_s + 1, 0), None);
        assert_eq!(datetime_ns(u64::MAX, 999_999_999), None);
    }

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
    fn overlap() {
        assert!(overlaps(10, 10, 19, 1));
        assert!(!overlaps(10, 10, 20, 5));
        assert!(!overlaps(10, 0, 10, 5));
        assert!(overlaps(u32::MAX, 1, u32::MAX - 3, 4));
    }

    #[test]
    fn utf8_matches_std() {
        let mut cases: Vec<Vec<u8>> = vec![
            b"plain".to_vec(),
            "héllo 日本語 🦀".as_bytes().to_vec(),
            vec![0xff],
            vec![0xc0, 0x80],
            vec![0xed, 0xa0, 0x80],
            vec![0xf4, 0x90, 0x80, 0x80],
            vec![0xe2, 0x82],
            vec![0xf0, 0x9f, 0xa6],
            vec![],
            vec![0],
        ];
        // Every one- and two-byte sequence, and a sample of longer ones.
        for a in 0..=255u8 {
            cases.push(vec![a]);
            for b in 0..=255u8 {
                cases.push(vec![a, b]);
                cases.push(vec![0xe0 | (a & 0x0f), b, 0x80 | (a >> 2)]);
                cases.push(vec![0xf0 | (a & 0x07), b, 0x80 | (a >> 2), 0xbf]);
            }
        }
        for c in cases {
            assert_eq!(is_utf8(&c), std::str::from_utf8(&c).is_ok(), "{c:x?}");
        }
    }

    #[test]
    fn alignment() {
        assert_eq!(align_up(0, 8), 0);
        assert_eq!(align_up(9, 8), 16);
        assert_eq!(align_up(65536, 4), 65536);
    }
}
