//! The filesystem through Rust's std only, as ordinary programs use it.
//! Every result is printed (errors as their raw errno).
use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::time::{Duration, SystemTime};

#[link(wasm_import_module = "wasi_snapshot_preview1")]
extern "C" {
    fn path_symlink(old: u32, old_len: u32, fd: u32, new: u32, new_len: u32) -> i32;
}

/// `std::os::wasi::fs::symlink_path` is unstable: the raw call, relative to the preopen (fd 3).
fn symlink(target: &str, path: &str) -> io::Result<()> {
    let e = unsafe { path_symlink(target.as_ptr() as u32, target.len() as u32, 3, path.as_ptr() as u32, path.len() as u32) };
    if e == 0 { Ok(()) } else { Err(io::Error::from_raw_os_error(e)) }
}

fn r<T: std::fmt::Debug>(what: &str, v: io::Result<T>) -> Option<T> {
    match v {
        Ok(v) => {
            println!("{what}: ok {v:?}");
            Some(v)
        }
        Err(e) => {
            println!("{what}: err {:?} {:?}", e.raw_os_error(), e.kind());
            None
        }
    }
}

fn sorted(path: &str) -> io::Result<Vec<String>> {
    let mut v = Vec::new();
    for e in fs::read_dir(path)? {
        let e = e?;
        let t = e.file_type()?;
        let kind = if t.is_dir() { "/" } else if t.is_symlink() { "@" } else { "" };
        v.push(format!("{}{kind}", e.file_name().to_string_lossy()));
    }
    v.sort();
    Ok(v)
}

fn main() {
    let root = "/sandbox";
    r("write", fs::write("/sandbox/w.txt", b"written by std\n"));
    r("read_to_string", fs::read_to_string("/sandbox/w.txt"));
    r("read missing", fs::read("/sandbox/missing"));
    r("read a dir", fs::read("/sandbox/d"));
    r("create_dir", fs::create_dir("/sandbox/made"));
    r("create_dir again", fs::create_dir("/sandbox/made"));
    r("create_dir_all", fs::create_dir_all("/sandbox/x/y/z"));
    r("create_dir_all existing", fs::create_dir_all("/sandbox/x/y"));
    r("create_dir_all through a file", fs::create_dir_all("/sandbox/a.txt/q"));
    r("copy", fs::copy("/sandbox/a.txt", "/sandbox/x/y/z/copy.txt"));
    r("copy onto itself", fs::copy("/sandbox/w.txt", "/sandbox/w.txt"));
    r("rename", fs::rename("/sandbox/x/y/z/copy.txt", "/sandbox/moved.txt"));
    r("hard_link", fs::hard_link("/sandbox/moved.txt", "/sandbox/hard.txt"));
    r("symlink_path", symlink("moved.txt", "sym"));
    r("read_link", fs::read_link("/sandbox/sym"));
    r("read through symlink", fs::read_to_string("/sandbox/sym"));
    let m = r("metadata", fs::metadata("/sandbox/sym").map(|m| (m.is_file(), m.is_dir(), m.is_symlink(), m.len())));
    let _ = m;
    r("symlink_metadata", fs::symlink_metadata("/sandbox/sym").map(|m| (m.is_file(), m.is_dir(), m.is_symlink(), m.len())));
    r("metadata dir", fs::metadata("/sandbox/d").map(|m| (m.is_dir(), m.file_type().is_dir())));
    r("metadata missing", fs::metadata("/sandbox/nope"));
    r("exists", Ok::<_, io::Error>((std::path::Path::new("/sandbox/a.txt").exists(), std::path::Path::new("/sandbox/nope").exists())));
    r("canonicalize", fs::canonicalize("/sandbox/a.txt"));
    let perms = fs::metadata("/sandbox/a.txt").unwrap().permissions();
    r("readonly()", Ok::<_, io::Error>(perms.readonly()));
    let mut ro = perms.clone();
    ro.set_readonly(true);
    r("set_permissions", fs::set_permissions("/sandbox/a.txt", ro));

    // File handles.
    let mut f = r("File::create", File::create("/sandbox/f.txt")).unwrap();
    r("write_all", f.write_all(b"0123456789"));
    r("seek start 3", f.seek(SeekFrom::Start(3)));
    r("write", f.write(b"abc"));
    r("stream_position", f.stream_position());
    r("seek end -2", f.seek(SeekFrom::End(-2)));
    r("seek current -100", f.seek(SeekFrom::Current(-100)));
    r("set_len 20", f.set_len(20));
    r("metadata len", f.metadata().map(|m| m.len()));
    r("sync_all", f.sync_all());
    r("sync_data", f.sync_data());
    let t = SystemTime::UNIX_EPOCH + Duration::new(1_234_567_890, 123_456_789);
    r("set_modified", f.set_modified(t));
    r("modified", f.metadata().and_then(|m| m.modified()).map(|m| m.duration_since(SystemTime::UNIX_EPOCH).unwrap()));
    r("set_times", f.set_times(fs::FileTimes::new().set_accessed(t + Duration::from_secs(1)).set_modified(t + Duration::from_secs(2))));
    r("accessed", f.metadata().and_then(|m| m.accessed()).map(|m| m.duration_since(SystemTime::UNIX_EPOCH).unwrap()));
    r("modified", f.metadata().and_then(|m| m.modified()).map(|m| m.duration_since(SystemTime::UNIX_EPOCH).unwrap()));
    let mut s = String::new();
    r("read_to_string on write-only", f.read_to_string(&mut s));
    drop(f);
    let mut f = File::open("/sandbox/f.txt").unwrap();
    let mut buf = Vec::new();
    r("read_to_end", f.read_to_end(&mut buf));
    println!("  contents {buf:?}");
    r("write on read-only", f.write(b"x"));
    r("set_len on read-only", f.set_len(0));
    r("try_clone", f.try_clone().map(|_| ()));
    drop(f);
    r("open a dir", File::open("/sandbox/d").map(|f| f.metadata().map(|m| m.is_dir())));
    r("create a dir", File::create("/sandbox/d").map(|_| ()));
    let mut f = OpenOptions::new().read(true).write(true).create_new(true).open("/sandbox/new.txt").unwrap();
    r("create_new write", f.write(b"fresh"));
    r("create_new again", OpenOptions::new().write(true).create_new(true).open("/sandbox/new.txt").map(|_| ()));
    r("truncate", OpenOptions::new().write(true).truncate(true).open("/sandbox/w.txt").map(|_| ()));
    r("truncate without write", OpenOptions::new().read(true).truncate(true).open("/sandbox/w.txt").map(|_| ()));
    r("no mode", OpenOptions::new().open("/sandbox/w.txt").map(|_| ()));
    r("read_exact past end", {
        let mut b = [0u8; 10];
        f.seek(SeekFrom::Start(0)).unwrap();
        f.read_exact(&mut b)
    });

    // Directory listings and removal.
    r("list root", sorted(root));
    r("list x", sorted("/sandbox/x"));
    r("read_dir of file", fs::read_dir("/sandbox/a.txt").map(|_| ()));
    r("remove_file", fs::remove_file("/sandbox/hard.txt"));
    r("remove_file dir", fs::remove_file("/sandbox/made"));
    r("remove_file symlink", fs::remove_file("/sandbox/sym"));
    r("remove_dir non-empty", fs::remove_dir("/sandbox/x"));
    r("remove_dir", fs::remove_dir("/sandbox/made"));
    r("remove_dir_all", fs::remove_dir_all("/sandbox/x"));
    r("remove_dir_all missing", fs::remove_dir_all("/sandbox/x"));
    // remove_dir_all of a wide and deep tree (deletes while listing).
    for i in 0..300 {
        fs::write(format!("/sandbox/tree/{}", i), b"").or_else(|_| {
            fs::create_dir_all("/sandbox/tree/sub/deeper").and_then(|_| fs::write(format!("/sandbox/tree/{}", i), b""))
        }).unwrap();
        if i % 50 == 0 {
            fs::write(format!("/sandbox/tree/sub/deeper/{}", i), b"").unwrap();
        }
    }
    symlink("sub", "tree/link").unwrap();
    r("tree entries", sorted("/sandbox/tree").map(|v| v.len()));
    r("remove_dir_all tree", fs::remove_dir_all("/sandbox/tree"));
    r("tree after", fs::metadata("/sandbox/tree").map(|_| ()));
    r("list root at the end", sorted(root));
    r("outside the preopen", fs::read("/etc/passwd"));
    r("relative path", fs::read("a.txt"));
    r("current_dir", std::env::current_dir());
}
