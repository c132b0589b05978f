//! fd_readdir through raw calls and through std. Cases:
//! `raw <dir> <bufsize>`: every entry of `<dir>`, listed with buffers of
//! `<bufsize>` bytes; `cookies <dir>`: resuming from saved cookies, going
//! back, cookies past the end, tiny buffers; `modify <dir>`: entries removed
//! and added between calls; `std <dir>`: `std::fs::read_dir`; `errors`.
#[path = "fs_common.rs"]
mod fs;
use fs::*;

fn arg(n: usize) -> String {
    std::env::args().nth(n).unwrap_or_default()
}

fn open_dir(path: &str) -> u32 {
    let (e, fd) = open_raw(PRE, 0, path.as_bytes(), DIRECTORY, R_READ | R_READDIR, 0, 0);
    assert_eq!(e, 0, "open {path}: {}", en(e));
    fd
}

/// One line per entry; the inode only as a property.
fn describe(dir: u32, e: &Dirent, dot_ino: u64) -> String {
    let name = String::from_utf8_lossy(&e.name);
    let ino = if e.name == b"." || e.name == b".." {
        format!("same as fstat(dir): {}", e.ino == dot_ino)
    } else {
        let (se, st) = pstat(dir, 0, &e.name);
        if se == 0 {
            format!("same as stat: {}", e.ino == st.ino)
        } else {
            format!("stat {}", en(se))
        }
    };
    format!("next={} type={} name={name:?} ino nonzero={} {ino}", e.next, e.kind, e.ino != 0)
}

/// Symlinks cannot come from the scenario: every listing case adds three.
fn add_links(dir: &str) {
    for (target, name) in [(&b"f0001x"[..], &b"link-to-file"[..]), (b"dir00", b"link-to-dir"), (b"nowhere", b"link-dangling")] {
        let path: Vec<u8> = [dir.as_bytes(), b"/", name].concat();
        symlink(target, PRE, &path);
    }
}

fn main() {
    if ["raw", "cookies", "std"].contains(&case().as_str()) {
        add_links(&arg(2));
    }
    match case().as_str() {
        "raw" => {
            let dir = open_dir(&arg(2));
            let len: usize = arg(3).parse().unwrap();
            let dot_ino = fstat(dir).1.ino;
            let mut cookie = 0u64;
            let mut calls = 0;
            let mut total = 0;
            loop {
                let (e, used, buf) = readdir_raw(dir, len, cookie);
                calls += 1;
                assert_eq!(e, 0);
                let (entries, partial) = parse_dirents(&buf);
                println!("call {calls}: cookie={cookie} used={used} complete={} partial={partial}", entries.len());
                for entry in &entries {
                    println!("  {}", describe(dir, entry, dot_ino));
                }
                total += entries.len();
                if (used as usize) < len {
                    break;
                }
                assert!(!entries.is_empty(), "buffer too small for one entry");
                cookie = entries.last().unwrap().next;
            }
            println!("entries={total} calls={calls}");
        }
        "cookies" => {
            let dir = open_dir(&arg(2));
            let (all, _) = list(dir, 1024, 0);
            println!("listed {} entries", all.len());
            // Resume from every 97th entry's cookie and compare with the full listing.
            // (Native re-reads the whole directory on every call: few, large calls.)
            for start in (0..all.len()).step_by(331) {
                let cookie = if start == 0 { 0 } else { all[start - 1].next };
                let (rest, calls) = list(dir, 2048, cookie);
                let same = rest.len() == all.len() - start && rest.iter().zip(&all[start..]).all(|(a, b)| a.name == b.name && a.next == b.next && a.kind == b.kind && a.ino == b.ino);
                println!("from cookie {cookie}: {} entries, same as listing: {same}, calls={calls}", rest.len());
            }
            // Go forward, then back to an earlier cookie and re-read.
            let mid = all[all.len() / 2].next;
            let (e, used, buf) = readdir_raw(dir, 200, mid);
            let (fwd, _) = parse_dirents(&buf);
            println!("forward at {mid}: {} used={used} first={:?}", en(e), fwd.first().map(|d| String::from_utf8_lossy(&d.name).into_owned()));
            for back in [all[3].next, 0, 1, 2, mid] {
                let (e, used, buf) = readdir_raw(dir, 200, back);
                let (entries, _) = parse_dirents(&buf);
                println!(
                    "back to {back}: {} used={used} names={:?}",
                    en(e),
                    entries.iter().map(|d| String::from_utf8_lossy(&d.name).into_owned()).collect::<Vec<_>>()
                );
            }
            let last = all.last().unwrap().next;
            for cookie in [last - 1, last, last + 1, last + 1000, u32::MAX as u64, u64::MAX - 1, u64::MAX] {
                let (e, used, buf) = readdir_raw(dir, 256, cookie);
                let (entries, _) = parse_dirents(&buf);
                println!("cookie {cookie}: {} used={used} entries={}", en(e), entries.len());
            }
            // Buffers smaller than one entry: native fills them with a prefix of the entry.
            for len in [0usize, 1, 8, 23, 24, 25, 26, 27, 48, 49] {
                for cookie in [0u64, 2] {
                    let (e, used, buf) = readdir_raw(dir, len, cookie);
                    let head: Vec<u8> = buf.iter().take(24.min(buf.len())).copied().collect();
                    // d_ino (bytes 8..16) is not deterministic: blank it.
                    let head: Vec<u8> = head.iter().enumerate().map(|(i, &b)| if (8..16).contains(&i) { 0xff } else { b }).collect();
                    // The name, cut where the first entry's name ends (after it come other inodes).
                    let namlen = if buf.len() >= 20 { u32::from_le_bytes(buf[16..20].try_into().unwrap()) as usize } else { 0 };
                    let name: Vec<u8> = buf.iter().skip(24).take(namlen).copied().collect();
                    let after = buf.len().saturating_sub(24 + namlen);
                    println!("len {len} cookie {cookie}: {} used={used} head={head:?} name={:?} bytes after the first entry={after}", en(e), String::from_utf8_lossy(&name));
                }
            }
            // The same directory through a second descriptor lists the same.
            let dir2 = open_dir(&arg(2));
            let (again, _) = list(dir2, 4096, 0);
            println!("second fd: same listing: {}", again.len() == all.len() && again.iter().zip(&all).all(|(a, b)| a.name == b.name && a.next == b.next));
            close(dir2);
            // Interleaved listing of two descriptors of the same directory.
            let dir3 = open_dir(&arg(2));
            let (mut c1, mut c2, mut n) = (0u64, 0u64, 0);
            loop {
                let (_, u1, b1) = readdir_raw(dir, 1000, c1);
                let (_, u2, b2) = readdir_raw(dir3, 1500, c2);
                let (e1, _) = parse_dirents(&b1);
                let (e2, _) = parse_dirents(&b2);
                n += e1.len() + e2.len();
                if let Some(l) = e1.last() {
                    c1 = l.next;
                }
                if let Some(l) = e2.last() {
                    c2 = l.next;
                }
                if u1 < 1000 && u2 < 1500 {
                    break;
                }
            }
            println!("interleaved: {n} entries, cookies {c1} {c2}");
        }
        "modify" => {
            let dir = open_dir(&arg(2));
            let (e, used, buf) = readdir_raw(dir, 512, 0);
            let (first, _) = parse_dirents(&buf);
            println!("first call: {} used={used} entries={}", en(e), first.len());
            let cookie = first.last().unwrap().next;
            // Remove the entries already seen (as an `rm -r` does) and add some.
            let mut removed = 0;
            for d in &first {
                if d.name != b"." && d.name != b".." && unlink(dir, &d.name) == 0 {
                    removed += 1;
                }
            }
            for i in 0..5 {
                let fd = must_open(dir, &format!("added-{i}"), CREAT, 0);
                close(fd);
            }
            println!("removed {removed}, added 5");
            let (rest, _) = list(dir, 512, cookie);
            println!("after cookie {cookie}: {} entries", rest.len());
            for d in &rest {
                println!("  next={} name={:?}", d.next, String::from_utf8_lossy(&d.name));
            }
            let (all, _) = list(dir, 512, 0);
            println!("from 0: {} entries", all.len());
        }
        "std" => {
            let path = format!("/sandbox/{}", arg(2));
            let mut n = 0;
            for entry in std::fs::read_dir(&path).unwrap() {
                let entry = entry.unwrap();
                let ft = entry.file_type().unwrap();
                let meta = std::fs::symlink_metadata(entry.path()).unwrap();
                let size = if ft.is_file() { meta.len().to_string() } else { "-".into() };
                println!("{:?} dir={} file={} symlink={} size={size}", entry.file_name(), ft.is_dir(), ft.is_file(), ft.is_symlink());
                n += 1;
            }
            println!("{n} entries");
            let mut names: Vec<String> = std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
            names.sort();
            println!("sorted first={:?} last={:?}", names.first(), names.last());
            println!("read_dir of a file: {:?}", std::fs::read_dir("/sandbox/a.txt").map(|_| ()).map_err(|e| e.raw_os_error()));
            println!("read_dir of missing: {:?}", std::fs::read_dir("/sandbox/missing").map(|_| ()).map_err(|e| e.raw_os_error()));
            println!("read_dir of /: {:?}", std::fs::read_dir("/").map(|_| ()).map_err(|e| e.raw_os_error()));
        }
        "errors" => {
            let file = must_open(PRE, "a.txt", 0, 0);
            for (what, fd) in [("file", file), ("stdin", 0), ("stdout", 1), ("closed", 99)] {
                println!("readdir on {what}: {}", en(readdir_raw(fd, 128, 0).0));
            }
            let (e, used, buf) = readdir_raw(PRE, 4096, 0);
            let (entries, _) = parse_dirents(&buf);
            println!("readdir on preopen: {} used<4096: {} names={:?}", en(e), used < 4096, entries.iter().map(|d| String::from_utf8_lossy(&d.name).into_owned()).collect::<Vec<_>>());
            let wo = open("write-only dir", PRE, 0, b"big", DIRECTORY, R_WRITE, 0);
            if wo != u32::MAX {
                let (e, _, buf) = readdir_raw(wo, 128, 0);
                println!("  readdir: {} entries={}", en(e), parse_dirents(&buf).0.len());
            }
            let nr = open("rightless dir", PRE, 0, b"big", DIRECTORY, 0, 0);
            let (e, _, buf) = readdir_raw(nr, 128, 0);
            println!("  readdir: {} entries={}", en(e), parse_dirents(&buf).0.len());
            // A directory removed while open.
            println!("mkdir doomed {}", en(mkdir(PRE, b"doomed")));
            let doomed = open_dir("doomed");
            println!("rmdir doomed {}", en(rmdir(PRE, b"doomed")));
            let (e, used, buf) = readdir_raw(doomed, 256, 0);
            println!("readdir of removed dir: {} used={used} names={:?}", en(e), parse_dirents(&buf).0.iter().map(|d| String::from_utf8_lossy(&d.name).into_owned()).collect::<Vec<_>>());
            // An empty directory.
            let empty = open_dir("empty");
            let (e, used, buf) = readdir_raw(empty, 256, 0);
            let (entries, _) = parse_dirents(&buf);
            let dot = fstat(empty).1.ino;
            println!("empty: {} used={used}", en(e));
            for d in &entries {
                println!("  {}", describe(empty, d, dot));
            }
        }
        other => panic!("unknown case {other:?}"),
    }
}
