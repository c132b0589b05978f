//! Edge cases, one per first argument: `deep` (50 nested directories),
//! `loops` (symlink loops and chains), `unicode` (names), `rename` (over
//! files and directories), `append` (append mode interleaved with seeks),
//! `readonly` (every write attempt in a read-only preopen).
#[path = "fs_common.rs"]
mod fs;
use fs::*;

fn main() {
    match case().as_str() {
        "deep" => deep(),
        "loops" => loops(),
        "unicode" => unicode(),
        "rename" => renames(),
        "append" => append(),
        "readonly" => readonly(),
        other => panic!("unknown case {other:?}"),
    }
}

fn names(list: &[Dirent]) -> Vec<String> {
    list.iter().map(|d| String::from_utf8_lossy(&d.name).into_owned()).collect()
}

fn deep() {
    const DEPTH: usize = 50;
    let mut path = String::new();
    for i in 0..DEPTH {
        if i > 0 {
            path.push('/');
        }
        path.push_str(&format!("level-{i:02}"));
        let e = mkdir(PRE, path.as_bytes());
        if e != 0 {
            println!("mkdir {path}: {}", en(e));
        }
    }
    println!("path length {}", path.len());
    let file = format!("{path}/bottom.txt");
    let fd = open("bottom", PRE, 0, file.as_bytes(), CREAT, RW, 0);
    println!("write {:?}", write(fd, b"at the bottom\n"));
    close(fd);
    print_pstat("bottom", PRE, 0, file.as_bytes());
    // Walk down one directory fd at a time, keeping every fd open.
    let mut fds = vec![PRE];
    for i in 0..DEPTH {
        let (e, fd) = open_raw(*fds.last().unwrap(), 0, format!("level-{i:02}").as_bytes(), DIRECTORY, R_READ, 0, 0);
        assert_eq!(e, 0, "level {i}: {}", en(e));
        fds.push(fd);
    }
    println!("walked down: fds {}..{}", fds[1], fds[DEPTH]);
    let bottom = fds[DEPTH];
    let fd = open("relative to the deepest fd", bottom, 0, b"bottom.txt", 0, R_READ, 0);
    println!("  read {:?}", String::from_utf8_lossy(&read(fd, 100).1));
    close(fd);
    // Back up with .. from the deepest fd: fine up to the preopen, not beyond.
    let up: String = "../".repeat(DEPTH - 1);
    print_pstat("49 up from the bottom", bottom, 0, format!("{up}level-00").as_bytes());
    print_pstat("50 up from the bottom", bottom, 0, "../".repeat(DEPTH).as_bytes());
    print_pstat("51 up from the bottom", bottom, 0, "../".repeat(DEPTH + 1).as_bytes());
    let down_up = format!("{path}/{}a.txt", "../".repeat(DEPTH));
    print_pstat("down and back up", PRE, 0, down_up.as_bytes());
    // Symlinks at depth: to the top through .., and from the top to the bottom.
    println!("symlink up {}", en(symlink(format!("{}a.txt", "../".repeat(DEPTH)).as_bytes(), bottom, b"to-top")));
    println!("symlink down {}", en(symlink(path.as_bytes(), PRE, b"to-bottom")));
    print_pstat("via to-top", bottom, FOLLOW, b"to-top");
    print_pstat("via to-bottom", PRE, FOLLOW, b"to-bottom/bottom.txt");
    let (_, used, link) = readlink(bottom, b"to-top", 1000);
    println!("readlink to-top: {used} bytes {:?}", String::from_utf8_lossy(&link[..used as usize]));
    // A path built from the deep prefix 20 times: beyond PATH_MAX.
    let long = format!("{}/bottom.txt", std::iter::repeat(format!("{path}/{}", "../".repeat(DEPTH))).take(20).collect::<String>() + &path);
    println!("long path {} bytes", long.len());
    print_pstat("long path", PRE, 0, long.as_bytes());
    // Rename the top directory with every fd below it open.
    println!("rename level-00 {}", en(rename(PRE, b"level-00", PRE, b"top")));
    let fd = open("through the old deep fd", bottom, 0, b"bottom.txt", 0, R_READ, 0);
    close(fd);
    let (e, list, _) = {
        let (e, _, buf) = readdir_raw(fds[25], 4096, 0);
        let (l, p) = parse_dirents(&buf);
        (e, l, p)
    };
    println!("readdir at depth 25: {} {:?}", en(e), names(&list));
    for &fd in fds[1..].iter().rev() {
        close(fd);
    }
    // Remove the tree bottom-up, except the top level.
    let mut p = format!("top{}", &path["level-00".len()..]);
    println!("unlink bottom {}", en(unlink(PRE, format!("{p}/bottom.txt").as_bytes())));
    println!("unlink to-top {}", en(unlink(PRE, format!("{p}/to-top").as_bytes())));
    println!("rmdir top (not empty) {}", en(rmdir(PRE, b"top")));
    let mut removed = 0;
    while p.contains('/') {
        if rmdir(PRE, p.as_bytes()) == 0 {
            removed += 1;
        }
        p.truncate(p.rfind('/').unwrap());
    }
    println!("removed {removed}");
}

fn loops() {
    let p = |what: &str, e: i32| println!("{what}: {}", en(e));
    p("self -> self", symlink(b"self", PRE, b"self"));
    p("loop1 -> loop2", symlink(b"loop2", PRE, b"loop1"));
    p("loop2 -> loop1", symlink(b"loop1", PRE, b"loop2"));
    p("viadir -> viadir/x", symlink(b"viadir/x", PRE, b"viadir"));
    p("dotloop -> ./dotloop", symlink(b"./dotloop", PRE, b"dotloop"));
    p("dloop -> d/../dloop", symlink(b"d/../dloop", PRE, b"dloop"));
    for name in [&b"self"[..], b"loop1", b"loop2", b"viadir", b"dotloop", b"dloop", b"loop1/x", b"d/../loop1"] {
        let (e1, fd) = open_raw(PRE, FOLLOW, name, 0, R_READ, 0, 0);
        close(fd);
        let (e2, fd) = open_raw(PRE, 0, name, 0, R_READ, 0, 0);
        close(fd);
        let (e3, _) = pstat(PRE, FOLLOW, name);
        let (e4, st) = pstat(PRE, 0, name);
        let (e5, fd) = open_raw(PRE, FOLLOW, name, CREAT, RW, 0, 0);
        close(fd);
        let (e6, fd) = open_raw(PRE, FOLLOW, name, DIRECTORY, R_READ, 0, 0);
        close(fd);
        let e7 = mkdir(PRE, &[name, b"/sub"].concat());
        let e8 = set_times_path(PRE, FOLLOW, name, 1, 1, ATIM);
        println!(
            "{}: open follow={} nofollow={} stat follow={} nofollow={} (type {}) creat={} directory={} mkdir under={} set_times follow={}",
            show(name), en(e1), en(e2), en(e3), en(e4), if e4 == 0 { st.filetype } else { 0 }, en(e5), en(e6), en(e7), en(e8)
        );
    }
    // Chains of symlinks: c0 -> c1 -> ... -> cN -> a.txt.
    for len in [8usize, 30, 39, 40, 41, 60] {
        for i in 0..len {
            let target = if i + 1 == len { "a.txt".to_string() } else { format!("chain{len}-{}", i + 1) };
            symlink(target.as_bytes(), PRE, format!("chain{len}-{i}").as_bytes());
        }
        let start = format!("chain{len}-0");
        let (e, fd) = open_raw(PRE, FOLLOW, start.as_bytes(), 0, R_READ, 0, 0);
        let data = if e == 0 { read(fd, 100).1 } else { Vec::new() };
        close(fd);
        let (e2, _) = pstat(PRE, FOLLOW, start.as_bytes());
        println!("chain of {len}: open {} {:?} stat {}", en(e), String::from_utf8_lossy(&data), en(e2));
    }
    // A chain through directories: dchain0 -> d, then dchain0/../dchain0/inner.txt.
    symlink(b"d", PRE, b"dchain0");
    print_pstat("dchain0/../dchain0/inner.txt", PRE, FOLLOW, b"dchain0/../dchain0/inner.txt");
    // Removing loops works on the links themselves.
    p("unlink self", unlink(PRE, b"self"));
    p("rename loop1 -> loop3", rename(PRE, b"loop1", PRE, b"loop3"));
    print_pstat("loop2 now dangling", PRE, FOLLOW, b"loop2");
    let (e, used, buf) = readlink(PRE, b"loop3", 64);
    println!("readlink loop3: {} {:?}", en(e), String::from_utf8_lossy(&buf[..if e == 0 { used as usize } else { 0 }]));
}

fn unicode() {
    let names: [&str; 10] = [
        "héllo.txt",
        "日本語のファイル",
        "🦀🦀🦀",
        "e\u{301}", // e + combining acute
        "\u{e9}",   // precomposed é: a different name
        "Ωmega",
        "with space .txt",
        "tab\tname",
        "new\nline",
        "ascii",
    ];
    for (i, name) in names.iter().enumerate() {
        let fd = open_raw(PRE, 0, name.as_bytes(), CREAT | EXCL, RW, 0, 0);
        if fd.0 != 0 {
            println!("create {name:?}: {}", en(fd.0));
            continue;
        }
        write(fd.1, format!("{i}:{name}").as_bytes());
        close(fd.1);
    }
    println!("mkdir 目录 {}", en(mkdir(PRE, "目录".as_bytes())));
    println!("symlink {}", en(symlink("../日本語のファイル".as_bytes(), PRE, "目录/リンク".as_bytes())));
    let (e, fd) = open_raw(PRE, FOLLOW, "目录/リンク".as_bytes(), 0, R_READ, 0, 0);
    println!("open through unicode link: {} {:?}", en(e), String::from_utf8_lossy(&read(fd, 100).1));
    close(fd);
    let (e, used, buf) = readlink(PRE, "目录/リンク".as_bytes(), 100);
    println!("readlink {} {:?}", en(e), String::from_utf8_lossy(&buf[..used as usize]));
    // A 3-byte character cut by a short readlink buffer.
    let (e, used, buf) = readlink(PRE, "目录/リンク".as_bytes(), 4);
    println!("readlink cut to 4: {} used={used} {:?}", en(e), &buf[..used as usize]);
    for name in names {
        print_pstat("stat", PRE, 0, name.as_bytes());
    }
    println!("rename {}", en(rename(PRE, "🦀🦀🦀".as_bytes(), PRE, "目录/🦀".as_bytes())));
    println!("rename {}", en(rename(PRE, "héllo.txt".as_bytes(), PRE, "HÉLLO.txt".as_bytes())));
    let (e, fd) = open_raw(PRE, 0, "目录".as_bytes(), DIRECTORY, R_READ, 0, 0);
    assert_eq!(e, 0);
    let (entries, _) = list(fd, 64, 0);
    println!("目录 lists {:?}", names_sorted(&entries));
    close(fd);
    let (entries, _) = list(PRE, 128, 0);
    println!("root lists {:?}", names_sorted(&entries));
    let mut std_names: Vec<String> = std::fs::read_dir("/sandbox").unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    std_names.sort();
    println!("std lists {std_names:?}");
    println!("std read {:?}", std::fs::read_to_string("/sandbox/日本語のファイル"));
    println!("std exists é: {} e+◌́: {}", std::path::Path::new("/sandbox/\u{e9}").exists(), std::path::Path::new("/sandbox/e\u{301}").exists());
    // A name of 255 bytes of 3-byte characters (85 chars) and one of 256 bytes.
    let n255: String = "あ".repeat(85);
    let n258: String = "あ".repeat(86);
    for n in [&n255, &n258] {
        let (e, fd) = open_raw(PRE, 0, n.as_bytes(), CREAT, RW, 0, 0);
        close(fd);
        println!("create name of {} bytes: {}", n.len(), en(e));
    }
}

fn names_sorted(list: &[Dirent]) -> Vec<String> {
    let mut v = names(list);
    v.sort();
    v
}

fn renames() {
    let p = |what: &str, e: i32| println!("{what}: {}", en(e));
    let mk = |path: &str, text: &str| {
        let fd = must_open(PRE, path, CREAT | TRUNC, 0);
        write(fd, text.as_bytes());
        close(fd);
    };
    let cat = |path: &str| {
        let (e, fd) = open_raw(PRE, 0, path.as_bytes(), 0, R_READ, 0, 0);
        let s = if e == 0 { format!("{:?}", String::from_utf8_lossy(&read(fd, 100).1)) } else { en(e) };
        close(fd);
        println!("  {path}: {s}");
    };
    mk("one", "first");
    mk("two", "second");
    p("rename one over two", rename(PRE, b"one", PRE, b"two"));
    cat("one");
    cat("two");
    // An open fd follows the file through renames and replacement.
    mk("three", "third");
    let fd = must_open(PRE, "three", 0, 0);
    mk("four", "fourth");
    p("rename four over three (three open)", rename(PRE, b"four", PRE, b"three"));
    println!("  old fd reads {:?} nlink={}", String::from_utf8_lossy(&pread(fd, 100, 0).1), fstat(fd).1.nlink);
    println!("  write through old fd {:?}", write(fd, b"X"));
    close(fd);
    cat("three");
    // Directories.
    mkdir(PRE, b"da");
    mk("da/inside", "in da");
    mkdir(PRE, b"db");
    mkdir(PRE, b"dc");
    mk("dc/x", "in dc");
    p("rename da over empty db", rename(PRE, b"da", PRE, b"db"));
    cat("db/inside");
    p("rename db over non-empty dc", rename(PRE, b"db", PRE, b"dc"));
    p("rename file over dir", rename(PRE, b"two", PRE, b"dc"));
    p("rename dir over file", rename(PRE, b"dc", PRE, b"two"));
    p("rename dir into itself", rename(PRE, b"dc", PRE, b"dc/sub"));
    p("rename dir into its own subdir", rename(PRE, b"db", PRE, b"db/inside/x"));
    mkdir(PRE, b"db/sub");
    p("rename dir under its own child", rename(PRE, b"db", PRE, b"db/sub/db"));
    p("rename parent over child", rename(PRE, b"db/sub", PRE, b"db/sub2"));
    p("rename dir to itself", rename(PRE, b"dc", PRE, b"dc"));
    p("rename dir with trailing slash", rename(PRE, b"dc/", PRE, b"dd/"));
    p("rename file to trailing slash", rename(PRE, b"two", PRE, b"five/"));
    p("rename a.txt over d/inner.txt", rename(PRE, b"a.txt", PRE, b"d/inner.txt"));
    cat("d/inner.txt");
    // Symlinks are renamed, not followed.
    symlink(b"two", PRE, b"lnk");
    p("rename lnk -> lnk2", rename(PRE, b"lnk", PRE, b"lnk2"));
    mk("six", "sixth");
    p("rename six over lnk2", rename(PRE, b"six", PRE, b"lnk2"));
    cat("lnk2");
    cat("two");
    symlink(b"dd", PRE, b"dlnk");
    p("rename file over symlink to dir", rename(PRE, b"two", PRE, b"dlnk"));
    cat("dlnk");
    // Renaming through directory fds.
    let d = must_open_dir(b"dd");
    let e = must_open_dir(b"e");
    p("rename dd/x -> e/y via fds", rename(d, b"x", e, b"y"));
    p("rename e dir onto its own fd's child", rename(PRE, b"e", e, b"z"));
    p("rename across with .. escape", rename(d, b"../three", e, b"../../esc"));
    close(d);
    close(e);
    // Case differences are different names.
    mk("Case", "upper");
    mk("case", "lower");
    p("rename Case over case", rename(PRE, b"Case", PRE, b"case"));
    cat("case");
}

fn must_open_dir(path: &[u8]) -> u32 {
    let (e, fd) = open_raw(PRE, 0, path, DIRECTORY, R_READ, 0, 0);
    assert_eq!(e, 0, "{}: {}", show(path), en(e));
    fd
}

fn append() {
    let fd = open("append", PRE, 0, b"log.txt", CREAT, RW, APPEND);
    let state = |what: &str, r: (i32, u32)| {
        println!("{what}: {:?} tell={:?} contents={:?}", r, tell(fd), String::from_utf8_lossy(&pread(fd, 1000, 0).1));
    };
    state("write one", write(fd, b"one\n"));
    seek(fd, 0, 0);
    state("seek 0, write two", write(fd, b"two\n"));
    let (e, data) = read(fd, 100);
    println!("read at end: {} {:?}", en(e), data);
    seek(fd, 2, 0);
    let (e, data) = read(fd, 3);
    println!("seek 2, read 3: {} {:?} tell={:?}", en(e), String::from_utf8_lossy(&data), tell(fd));
    state("write three", write(fd, b"three\n"));
    state("pwrite at 0", pwritev(fd, &[b"PW"], 0));
    state("pwrite at 1000", pwritev(fd, &[b"FAR"], 1000));
    state("two iovecs", writev(fd, &[b"", b"four\n", b"five\n"]));
    state("empty write", write(fd, b""));
    seek(fd, -3, 2);
    state("seek END-3, write six", write(fd, b"six\n"));
    // A second, non-append fd writes at its own position; the append fd still appends.
    let plain = must_open(PRE, "log.txt", 0, 0);
    println!("plain write {:?}", write(plain, b"PLAIN"));
    state("append after plain", write(fd, b"seven\n"));
    println!("plain tell {:?}", tell(plain));
    // set_size shrinks under the append fd.
    let e = unsafe { p1::fd_filestat_set_size(plain, 4) };
    println!("set_size 4 {}", en(e));
    println!("append tell after shrink {:?}", tell(fd));
    state("write after shrink", write(fd, b"eight\n"));
    // Switch append off and on.
    unsafe { p1::fd_fdstat_set_flags(fd, 0) };
    seek(fd, 0, 0);
    state("append off, write at 0", write(fd, b"NINE"));
    unsafe { p1::fd_fdstat_set_flags(fd, APPEND) };
    state("append on, write", write(fd, b"ten\n"));
    seek(fd, 100, 0);
    state("append on, seek 100, write", write(fd, b"eleven\n"));
    close(plain);
    close(fd);
    // Append on a file opened without write rights.
    let ro = open("append read-only", PRE, 0, b"log.txt", 0, R_READ, APPEND);
    println!("write {:?}", write(ro, b"x"));
    print_fdstat("append read-only", ro);
    close(ro);
    // Two append fds interleaved.
    let a = must_open(PRE, "two.txt", CREAT, APPEND);
    let b = must_open(PRE, "two.txt", CREAT, APPEND);
    for i in 0..5 {
        write(if i % 2 == 0 { a } else { b }, format!("{i}{}", if i % 2 == 0 { "a" } else { "b" }).as_bytes());
    }
    println!("interleaved: {:?} tell a={:?} b={:?}", String::from_utf8_lossy(&pread(a, 100, 0).1), tell(a), tell(b));
    close(a);
    close(b);
    // std's OpenOptions::append.
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new().append(true).create(true).open("/sandbox/std.txt").unwrap();
    f.write_all(b"std one\n").unwrap();
    f.write_all(b"std two\n").unwrap();
    drop(f);
    let mut f = std::fs::OpenOptions::new().append(true).open("/sandbox/std.txt").unwrap();
    f.write_all(b"std three\n").unwrap();
    drop(f);
    println!("std append: {:?}", std::fs::read_to_string("/sandbox/std.txt"));
}

fn readonly() {
    // Reading works.
    let fd = open("read", PRE, 0, b"a.txt", 0, R_READ, 0);
    println!("  read {:?}", String::from_utf8_lossy(&read(fd, 100).1));
    print_fdstat("  ", fd);
    let p = |what: &str, e: i32| println!("{what}: {}", en(e));
    // Every way to write through an fd opened for reading.
    println!("write {:?}", write(fd, b"X"));
    println!("pwrite {:?}", pwritev(fd, &[b"X"], 0));
    p("set_size", unsafe { p1::fd_filestat_set_size(fd, 0) });
    p("set_times", set_times_fd(fd, 1, 1, ATIM | MTIM));
    p("set_times now", set_times_fd(fd, 0, 0, ATIM_NOW | MTIM_NOW));
    p("set_times nothing", set_times_fd(fd, 0, 0, 0));
    p("allocate", unsafe { p1::fd_allocate(fd, 0, 10) });
    p("set_flags append", unsafe { p1::fd_fdstat_set_flags(fd, APPEND) });
    println!("write after append {:?}", write(fd, b"X"));
    p("sync", unsafe { p1::fd_sync(fd) });
    p("datasync", unsafe { p1::fd_datasync(fd) });
    p("advise", unsafe { p1::fd_advise(fd, 0, 0, 1) });
    close(fd);
    // Opening for writing, creating, truncating.
    for (what, path, oflags, rights, fdflags) in [
        ("open rw", &b"a.txt"[..], 0, RW, 0),
        ("open w", b"a.txt", 0, R_WRITE, 0),
        ("open no rights", b"a.txt", 0, 0, 0),
        ("open append", b"a.txt", 0, R_READ, APPEND),
        ("open trunc", b"a.txt", TRUNC, R_READ, 0),
        ("open creat existing", b"a.txt", CREAT, R_READ, 0),
        ("open creat new", b"new.txt", CREAT, R_READ, 0),
        ("open creat|excl", b"new.txt", CREAT | EXCL, RW, 0),
        ("open missing", b"missing", 0, R_READ, 0),
        ("open dir", b"d", DIRECTORY, R_READ, 0),
        ("open dir rw", b"d", DIRECTORY, RW, 0),
        ("open dsync", b"a.txt", 0, R_READ, DSYNC),
        ("open escape", b"../a.txt", 0, R_READ, 0),
    ] {
        let fd = open(what, PRE, 0, path, oflags, rights, fdflags);
        if fd != u32::MAX {
            print_fdstat("  ", fd);
            close(fd);
        }
    }
    // Every path call that changes something.
    p("mkdir", mkdir(PRE, b"newdir"));
    p("mkdir existing", mkdir(PRE, b"d"));
    p("rmdir empty", rmdir(PRE, b"e"));
    p("rmdir missing", rmdir(PRE, b"missing"));
    p("unlink", unlink(PRE, b"a.txt"));
    p("unlink missing", unlink(PRE, b"missing"));
    p("rename", rename(PRE, b"a.txt", PRE, b"b.txt"));
    p("rename missing", rename(PRE, b"missing", PRE, b"b.txt"));
    p("rename to self", rename(PRE, b"a.txt", PRE, b"a.txt"));
    p("link", link(PRE, 0, b"a.txt", PRE, b"hard"));
    p("link follow", link(PRE, FOLLOW, b"a.txt", PRE, b"hard"));
    p("symlink", symlink(b"a.txt", PRE, b"sym"));
    p("symlink existing", symlink(b"a.txt", PRE, b"d"));
    p("path set_times", set_times_path(PRE, 0, b"a.txt", 1, 1, ATIM | MTIM));
    p("path set_times nothing", set_times_path(PRE, 0, b"a.txt", 1, 1, 0));
    p("path set_times missing", set_times_path(PRE, 0, b"missing", 1, 1, ATIM));
    p("path set_times invalid", set_times_path(PRE, 0, b"a.txt", 1, 1, ATIM | ATIM_NOW));
    p("preopen set_times", set_times_fd(PRE, 1, 1, ATIM));
    // Through a directory opened below the preopen.
    let d = open("d", PRE, 0, b"d", DIRECTORY, R_READ, 0);
    p("d: set_times", set_times_fd(d, 1, 1, ATIM));
    p("d: mkdir", mkdir(d, b"x"));
    p("d: unlink", unlink(d, b"inner.txt"));
    p("d: rename out", rename(d, b"inner.txt", PRE, b"out.txt"));
    let fd = open("d: creat", d, 0, b"made.txt", CREAT, RW, 0);
    close(fd);
    let fd = open("d: read", d, 0, b"inner.txt", 0, R_READ, 0);
    println!("  read {:?}", String::from_utf8_lossy(&read(fd, 100).1));
    close(fd);
    close(d);
    // Reading the metadata works.
    print_pstat("stat", PRE, 0, b"a.txt");
    print_fstat("preopen", PRE);
    let fd = must_open_dir(b".");
    let (l, _) = list(fd, 256, 0);
    println!("readdir {:?}", names_sorted(&l));
    close(fd);
    println!("readlink of a file {}", en(readlink(PRE, b"a.txt", 10).0));
    // std.
    println!("std write: {:?}", std::fs::write("/sandbox/a.txt", b"changed").map_err(|e| e.raw_os_error()));
    println!("std create: {:?}", std::fs::File::create("/sandbox/c.txt").map(|_| ()).map_err(|e| e.raw_os_error()));
    println!("std remove: {:?}", std::fs::remove_file("/sandbox/a.txt").map_err(|e| e.raw_os_error()));
    println!("std create_dir_all: {:?}", std::fs::create_dir_all("/sandbox/x/y").map_err(|e| e.raw_os_error()));
    println!("std read: {:?}", std::fs::read_to_string("/sandbox/a.txt"));
}
