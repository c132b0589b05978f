//! preview1 `errno` values and the single place where WASI 0.2 errors become errnos.

/// A preview1 errno (`typenames.witx`). `Result<T, Errno>` is what every
/// adapter function returns; the export wrappers return the raw value.
/// preview1's errno is a `u16`, but held as a `u32` the value needs no
/// masking where it is returned, passed or merged: 0.4 KB less code.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[repr(transparent)]
pub struct Errno(pub u32);

pub type Result<T> = core::result::Result<T, Errno>;

impl Errno {
    /// A raw errno as returned by a function that answers in a register
    /// (0 for success, as the preview1 exports do) back into a `Result`.
    pub fn result(raw: u32) -> Result<()> {
        match raw {
            0 => Ok(()),
            e => Err(Errno(e)),
        }
    }

    pub const TOOBIG: Errno = Errno(1);
    pub const ACCES: Errno = Errno(2);
    pub const AGAIN: Errno = Errno(6);
    pub const ALREADY: Errno = Errno(7);
    pub const BADF: Errno = Errno(8);
    pub const BUSY: Errno = Errno(10);
    pub const DEADLK: Errno = Errno(16);
    pub const DQUOT: Errno = Errno(19);
    pub const EXIST: Errno = Errno(20);
    pub const FBIG: Errno = Errno(22);
    pub const ILSEQ: Errno = Errno(25);
    pub const INPROGRESS: Errno = Errno(26);
    pub const INTR: Errno = Errno(27);
    pub const INVAL: Errno = Errno(28);
    pub const IO: Errno = Errno(29);
    pub const ISDIR: Errno = Errno(31);
    pub const LOOP: Errno = Errno(32);
    pub const MLINK: Errno = Errno(34);
    pub const MSGSIZE: Errno = Errno(35);
    pub const NAMETOOLONG: Errno = Errno(37);
    pub const NODEV: Errno = Errno(43);
    pub const NOENT: Errno = Errno(44);
    pub const NOLCK: Errno = Errno(46);
    pub const NOMEM: Errno = Errno(48);
    pub const NOSPC: Errno = Errno(51);
    pub const NOTDIR: Errno = Errno(54);
    pub const NOTEMPTY: Errno = Errno(55);
    pub const NOTRECOVERABLE: Errno = Errno(56);
    pub const NOTSOCK: Errno = Errno(57);
    pub const NOTSUP: Errno = Errno(58);
    pub const NOTTY: Errno = Errno(59);
    pub const NXIO: Errno = Errno(60);
    pub const OVERFLOW: Errno = Errno(61);
    pub const PERM: Errno = Errno(63);
    pub const PIPE: Errno = Errno(64);
    pub const RANGE: Errno = Errno(68);
    pub const ROFS: Errno = Errno(69);
    pub const SPIPE: Errno = Errno(70);
    pub const TXTBSY: Errno = Errno(74);
    pub const XDEV: Errno = Errno(75);
}

/// errno for each `wasi:filesystem/types.error-code` case, indexed by the
/// case's discriminant, seven bits each. Packed into integer constants rather
/// than a `match` because LLVM turns a dense `match` into a lookup table in
/// `.rodata`, i.e. a data segment, which an adapter may not have.
const FS_ERRNO_PACKED: [u64; 5] = pack_fs_errnos();

const FS_ERRNO_ORDER: [(&str, Errno); 37] = [
    ("access", Errno::ACCES),
    ("would-block", Errno::AGAIN),
    ("already", Errno::ALREADY),
    ("bad-descriptor", Errno::BADF),
    ("busy", Errno::BUSY),
    ("deadlock", Errno::DEADLK),
    ("quota", Errno::DQUOT),
    ("exist", Errno::EXIST),
    ("file-too-large", Errno::FBIG),
    ("illegal-byte-sequence", Errno::ILSEQ),
    ("in-progress", Errno::INPROGRESS),
    ("interrupted", Errno::INTR),
    ("invalid", Errno::INVAL),
    ("io", Errno::IO),
    ("is-directory", Errno::ISDIR),
    ("loop", Errno::LOOP),
    ("too-many-links", Errno::MLINK),
    ("message-size", Errno::MSGSIZE),
    ("name-too-long", Errno::NAMETOOLONG),
    ("no-device", Errno::NODEV),
    ("no-entry", Errno::NOENT),
    ("no-lock", Errno::NOLCK),
    ("insufficient-memory", Errno::NOMEM),
    ("insufficient-space", Errno::NOSPC),
    ("not-directory", Errno::NOTDIR),
    ("not-empty", Errno::NOTEMPTY),
    ("not-recoverable", Errno::NOTRECOVERABLE),
    ("unsupported", Errno::NOTSUP),
    ("no-tty", Errno::NOTTY),
    ("no-such-device", Errno::NXIO),
    ("overflow", Errno::OVERFLOW),
    ("not-permitted", Errno::PERM),
    ("pipe", Errno::PIPE),
    ("read-only", Errno::ROFS),
    ("invalid-seek", Errno::SPIPE),
    ("text-file-busy", Errno::TXTBSY),
    ("cross-device", Errno::XDEV),
];

const fn pack_fs_errnos() -> [u64; 5] {
    let mut out = [0u64; 5];
    let mut i = 0;
    while i < FS_ERRNO_ORDER.len() {
        out[i / 8] |= (FS_ERRNO_ORDER[i].1 .0 as u64) << ((i % 8) * 7);
        i += 1;
    }
    out
}

/// Maps a `wasi:filesystem` `error-code` discriminant to its errno, as native
/// preview1 does; an unknown discriminant (a newer host) becomes `IO`.
/// Never inlined: its constants are 40 bytes of code at every copy.
#[inline(never)]
pub fn from_fs_error_code(code: u8) -> Errno {
    let i = code as usize;
    if i >= FS_ERRNO_ORDER.len() {
        return Errno::IO;
    }
    // Selecting the word with comparisons, not indexing, keeps the constant
    // array out of linear memory.
    let word = if i < 8 {
        FS_ERRNO_PACKED[0]
    } else if i < 16 {
        FS_ERRNO_PACKED[1]
    } else if i < 24 {
        FS_ERRNO_PACKED[2]
    } else if i < 32 {
        FS_ERRNO_PACKED[3]
    } else {
        FS_ERRNO_PACKED[4]
    };
    Errno(((word >> ((i % 8) * 7)) & 0x7f) as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The table is in the order of `error-code` in the vendored WIT, which
    /// is what the host's discriminants count.
    #[test]
    fn the_table_follows_the_wit_error_code_order() {
        let wit = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/wit/deps/filesystem/types.wit")).unwrap();
        let body = wit.split("enum error-code {").nth(1).expect("no error-code enum").split('}').next().unwrap();
        let cases: Vec<&str> = body
            .lines()
            .map(|line| line.split("//").next().unwrap().trim().trim_end_matches(','))
            .filter(|case| !case.is_empty())
            .collect();
        let ours: Vec<&str> = FS_ERRNO_ORDER.iter().map(|(name, _)| *name).collect();
        assert_eq!(ours, cases);
    }

    #[test]
    fn every_error_code_maps_like_native() {
        for (i, (_, errno)) in FS_ERRNO_ORDER.iter().enumerate() {
            assert_eq!(from_fs_error_code(i as u8), *errno, "error-code {i}");
        }
        assert_eq!(from_fs_error_code(3), Errno::BADF);
        assert_eq!(from_fs_error_code(36), Errno::XDEV);
        assert_eq!(from_fs_error_code(37), Errno::IO);
        assert_eq!(from_fs_error_code(255), Errno::IO);
    }
}
