//! The preopened directory after a run, as the harness compares it:
//! [`snapshot`] takes it, [`tree_differences`] says where two differ.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// An entry of the preopened directory after the run.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Node {
    /// A file of at most [`WHOLE_FILE_LIMIT`] bytes, whole.
    File(Vec<u8>),
    /// A larger file (the fuzzer makes sparse files of terabytes): its size
    /// and hashes of its first MiB and its last 4 KiB.
    LargeFile { size: u64, head: u64, tail: u64 },
    Dir,
    Symlink(PathBuf),
}

/// The largest file [`snapshot`] keeps whole (the largest test file is 64 MiB).
pub const WHOLE_FILE_LIMIT: u64 = 128 << 20;

/// Everything below `dir`, sorted, with contents (large files as [`Node::LargeFile`]).
pub fn snapshot(dir: &Path) -> Vec<(PathBuf, Node)> {
    fn walk(base: &Path, dir: &Path, out: &mut Vec<(PathBuf, Node)>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let entry = entry.unwrap();
            let path = entry.path();
            let rel = path.strip_prefix(base).unwrap().to_path_buf();
            let meta = std::fs::symlink_metadata(&path).unwrap();
            if meta.file_type().is_symlink() {
                out.push((rel, Node::Symlink(std::fs::read_link(&path).unwrap())));
            } else if meta.is_dir() {
                out.push((rel, Node::Dir));
                walk(base, &path, out);
            } else if meta.len() <= WHOLE_FILE_LIMIT {
                out.push((rel, Node::File(std::fs::read(&path).unwrap())));
            } else {
                out.push((rel, large_file(&path, meta.len())));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

/// [`Node::LargeFile`] of the `size` bytes at `path`.
fn large_file(path: &Path, size: u64) -> Node {
    use std::io::{Read, Seek, SeekFrom};
    let fnv = |bytes: &[u8]| bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| (h ^ b as u64).wrapping_mul(0x100_0000_01b3));
    let mut file = std::fs::File::open(path).unwrap();
    let mut head = vec![0; 1 << 20];
    file.read_exact(&mut head).unwrap();
    let mut tail = vec![0; 4096];
    file.seek(SeekFrom::Start(size - tail.len() as u64)).unwrap();
    file.read_exact(&mut tail).unwrap();
    Node::LargeFile { size, head: fnv(&head), tail: fnv(&tail) }
}

/// Every entry where two directory trees ([`snapshot`]s) differ, one line
/// each; empty when they are equal.
pub fn tree_differences<'a>(native: &'a [(PathBuf, Node)], adapter: &'a [(PathBuf, Node)]) -> String {
    let mut diff = String::new();
    if native == adapter {
        return diff;
    }
    let by_path = |tree: &'a [(PathBuf, Node)]| -> BTreeMap<&'a PathBuf, &'a Node> { tree.iter().map(|(p, n)| (p, n)).collect() };
    let (native, adapter) = (by_path(native), by_path(adapter));
    let paths: BTreeSet<&PathBuf> = native.keys().chain(adapter.keys()).copied().collect();
    for path in paths {
        let (n, a) = (native.get(path).copied(), adapter.get(path).copied());
        if n != a {
            let detail = match (n, a) {
                (Some(Node::File(n)), Some(Node::File(a))) => {
                    let at = n.iter().zip(a).position(|(x, y)| x != y).unwrap_or(n.len().min(a.len()));
                    format!(" (first difference at byte {at})")
                }
                _ => String::new(),
            };
            writeln!(diff, "  {}: native {}, adapter {}{detail}", path.display(), describe(n), describe(a)).unwrap();
        }
    }
    diff
}

/// An entry of a tree, for [`tree_differences`].
fn describe(node: Option<&Node>) -> String {
    match node {
        None => "absent".into(),
        Some(Node::File(c)) => format!("a file of {} bytes", c.len()),
        Some(Node::LargeFile { size, head, tail }) => format!("a file of {size} bytes (head {head:016x}, tail {tail:016x})"),
        Some(Node::Dir) => "a directory".into(),
        Some(Node::Symlink(t)) => format!("a symlink to {}", t.display()),
    }
}
