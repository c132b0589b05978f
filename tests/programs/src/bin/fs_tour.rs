//! A tour of every preview1 filesystem call through raw imports, one area
//! per case (the first argument). Expects the preopen to hold `a.txt`
//! ("hello world\n"), `d/inner.txt` ("inner\n") and the empty dir `e`.
#[path = "fs_common.rs"]
mod fs;
use fs::*;

fn main() {
    match case().as_str() {
        "open" => open_case(),
        "rw" => rw_case(),
        "seek" => seek_case(),
        "stat" => stat_case(),
        "times" => times_case(),
        "fdstat" => fdstat_case(),
        "misc" => misc_case(),
        "renumber" => renumber_case(),
        "renumber-stdout" => renumber_stdout_case(),
        "close-preopen" => close_preopen_case(),
        "paths" => paths_case(),
        "names" => names_case(),
        "fdnum" => fdnum_case(),
        c if c.starts_with("badflags:") => badflags_case(&c["badflags:".len()..]),
        other => panic!("unknown case {other:?}"),
    }
}

fn contents(fd: u32) -> String {
    let (e, data) = pread(fd, 4096, 0);
    if e == 0 {
        format!("{:?}", String::from_utf8_lossy(&data))
    } else {
        format!("<pread {}>", en(e))
    }
}

fn open_case() {
    // Rights with and without FD_READ/FD_WRITE.
    for (what, rights) in [("rw", RW), ("r", R_READ), ("w", R_WRITE), ("none", 0), ("all", R_ALL)] {
        let fd = open(&format!("rights {what}"), PRE, 0, b"a.txt", 0, rights, 0);
        let (re, data) = read(fd, 5);
        let (we, wn) = write(fd, b"XY");
        println!("  read={} {:?} write={} n={}", en(re), String::from_utf8_lossy(&data), en(we), if we == 0 { wn } else { 0 });
        print_fdstat("  ", fd);
        println!("  close={}", en(close(fd)));
    }

    // oflags.
    let fd = open("creat new", PRE, 0, b"new.txt", CREAT, RW, 0);
    println!("  write={:?} contents={}", write(fd, b"new\n"), contents(fd));
    close(fd);
    let fd = open("creat existing", PRE, 0, b"new.txt", CREAT, RW, 0);
    println!("  contents={}", contents(fd));
    close(fd);
    open("creat|excl existing", PRE, 0, b"new.txt", CREAT | EXCL, RW, 0);
    let fd = open("creat|excl new", PRE, 0, b"excl.txt", CREAT | EXCL, RW, 0);
    close(fd);
    open("excl without creat, missing", PRE, 0, b"nothere.txt", EXCL, RW, 0);
    let fd = open("excl without creat, existing", PRE, 0, b"new.txt", EXCL, RW, 0);
    close(fd);
    let fd = open("trunc", PRE, 0, b"new.txt", TRUNC, RW, 0);
    print_fstat("  ", fd);
    close(fd);
    let fd = open("trunc read-only rights", PRE, 0, b"excl.txt", TRUNC, R_READ, 0);
    print_fdstat("  ", fd);
    close(fd);
    let fd = open("creat read-only rights", PRE, 0, b"created-ro.txt", CREAT, R_READ, 0);
    print_fdstat("  ", fd);
    println!("  write={:?}", write(fd, b"x"));
    close(fd);
    open("missing", PRE, 0, b"missing.txt", 0, RW, 0);
    open("missing dir component", PRE, 0, b"nodir/x.txt", CREAT, RW, 0);
    open("directory on file", PRE, 0, b"a.txt", DIRECTORY, R_READ, 0);
    let fd = open("directory on dir", PRE, 0, b"d", DIRECTORY, R_READ, 0);
    print_fdstat("  ", fd);
    close(fd);
    let fd = open("dir without DIRECTORY", PRE, 0, b"d", 0, R_READ, 0);
    print_fdstat("  ", fd);
    close(fd);
    let fd = open("dir with no rights", PRE, 0, b"d", 0, 0, 0);
    print_fdstat("  ", fd);
    close(fd);
    open("dir with write rights", PRE, 0, b"d", 0, RW, 0);
    open("dir with DIRECTORY and write rights", PRE, 0, b"d", DIRECTORY, RW, 0);
    open("directory|creat", PRE, 0, b"newdir", DIRECTORY | CREAT, R_READ, 0);
    open("directory|creat existing", PRE, 0, b"d", DIRECTORY | CREAT, R_READ, 0);
    open("directory|excl", PRE, 0, b"d", DIRECTORY | EXCL, R_READ, 0);
    open("directory|trunc", PRE, 0, b"d", DIRECTORY | TRUNC, R_READ, 0);
    open("creat on dir", PRE, 0, b"d", CREAT, R_READ, 0);
    open("creat|excl on dir", PRE, 0, b"d", CREAT | EXCL, R_READ, 0);
    open("trunc on dir", PRE, 0, b"d", TRUNC, R_READ, 0);

    // fdflags.
    for (what, flags) in [("append", APPEND), ("nonblock", NONBLOCK), ("append|nonblock", APPEND | NONBLOCK), ("dsync", DSYNC), ("rsync", RSYNC), ("sync", SYNC)] {
        let fd = open(&format!("fdflags {what}"), PRE, 0, b"a.txt", 0, RW, flags);
        if fd != u32::MAX {
            print_fdstat("  ", fd);
            close(fd);
        }
    }
    let fd = open("fdflags dsync read-only", PRE, 0, b"a.txt", 0, R_READ, DSYNC);
    if fd != u32::MAX {
        close(fd);
    }
    open("fdflags dsync on missing", PRE, 0, b"missing.txt", 0, RW, DSYNC);

    // lookupflags.
    println!("symlink link->a.txt {}", en(symlink(b"a.txt", PRE, b"link")));
    println!("symlink dlink->d {}", en(symlink(b"d", PRE, b"dlink")));
    println!("symlink dangling->nowhere {}", en(symlink(b"nowhere", PRE, b"dangling")));
    let fd = open("link nofollow", PRE, 0, b"link", 0, R_READ, 0);
    if fd != u32::MAX {
        close(fd);
    }
    let fd = open("link follow", PRE, FOLLOW, b"link", 0, R_READ, 0);
    println!("  contents={}", contents(fd));
    close(fd);
    open("dlink nofollow directory", PRE, 0, b"dlink", DIRECTORY, R_READ, 0);
    let fd = open("dlink follow directory", PRE, FOLLOW, b"dlink", DIRECTORY, R_READ, 0);
    print_fdstat("  ", fd);
    close(fd);
    let fd = open("dlink/inner.txt nofollow (symlink not last)", PRE, 0, b"dlink/inner.txt", 0, R_READ, 0);
    println!("  contents={}", contents(fd));
    close(fd);
    open("dangling follow", PRE, FOLLOW, b"dangling", 0, R_READ, 0);
    open("dangling nofollow", PRE, 0, b"dangling", 0, R_READ, 0);
    let fd = open("dangling follow creat", PRE, FOLLOW, b"dangling", CREAT, RW, 0);
    if fd != u32::MAX {
        close(fd);
    }
    open("dangling nofollow creat", PRE, 0, b"dangling", CREAT, RW, 0);
    open("link nofollow creat|excl", PRE, 0, b"link", CREAT | EXCL, RW, 0);

    // The directory argument.
    let file = open("file for dirfd", PRE, 0, b"a.txt", 0, R_READ, 0);
    open("dirfd is a file", file, 0, b"x", 0, R_READ, 0);
    open("dirfd is a file, creat", file, 0, b"x", CREAT, RW, 0);
    open("dirfd stdin", 0, 0, b"a.txt", 0, R_READ, 0);
    open("dirfd stdout", 1, 0, b"a.txt", 0, R_READ, 0);
    open("dirfd 99", 99, 0, b"a.txt", 0, R_READ, 0);
    close(file);
    let dfd = open("d", PRE, 0, b"d", DIRECTORY, R_READ, 0);
    let fd = open("via d: inner.txt", dfd, 0, b"inner.txt", 0, R_READ, 0);
    println!("  contents={}", contents(fd));
    close(fd);
    let fd = open("via d: create", dfd, 0, b"made-in-d.txt", CREAT, RW, 0);
    println!("  write={:?}", write(fd, b"made in d\n"));
    close(fd);
    open("via d: ../a.txt", dfd, 0, b"../a.txt", 0, R_READ, 0);
    close(dfd);
    let dfd = open("d read-less", PRE, 0, b"d", DIRECTORY, 0, 0);
    let fd = open("via read-less d: create", dfd, 0, b"made-2.txt", CREAT, RW, 0);
    close(fd);
    close(dfd);
}

fn rw_case() {
    let fd = open("rw", PRE, 0, b"rw.txt", CREAT, RW, 0);
    println!("write two iovecs {:?}", writev(fd, &[b"abc", b"def"]));
    println!("write empty then one {:?}", writev(fd, &[b"", b"xyz", b"123"]));
    println!("write all empty {:?}", writev(fd, &[b"", b""]));
    println!("write no iovecs {:?}", writev(fd, &[]));
    println!("tell {:?}", tell(fd));
    println!("contents {}", contents(fd));
    seek(fd, 0, 0);
    let (e, n, bufs) = readv(fd, &[2, 4]);
    println!("read [2,4] e={} n={n} bufs={:?}", en(e), bufs.iter().map(|b| String::from_utf8_lossy(b).into_owned()).collect::<Vec<_>>());
    let (e, n, bufs) = readv(fd, &[0, 3, 4]);
    println!("read [0,3,4] e={} n={n} bufs={:?}", en(e), bufs.iter().map(|b| String::from_utf8_lossy(b).into_owned()).collect::<Vec<_>>());
    let (e, n, bufs) = readv(fd, &[0, 0]);
    println!("read [0,0] e={} n={n} bufs={bufs:?}", en(e));
    let (e, n, _) = readv(fd, &[]);
    println!("read [] e={} n={n}", en(e));
    println!("tell {:?}", tell(fd));
    let (e, data) = read(fd, 100);
    println!("read rest e={} {:?}", en(e), String::from_utf8_lossy(&data));
    let (e, data) = read(fd, 100);
    println!("read at eof e={} len={}", en(e), data.len());
    let (e, n, bufs) = preadv(fd, &[3, 3], 1);
    println!("pread [3,3]@1 e={} n={n} {:?}", en(e), bufs.iter().map(|b| String::from_utf8_lossy(b).into_owned()).collect::<Vec<_>>());
    let (e, n, bufs) = preadv(fd, &[0, 5], 4);
    println!("pread [0,5]@4 e={} n={n} {:?}", en(e), bufs.iter().map(|b| String::from_utf8_lossy(b).into_owned()).collect::<Vec<_>>());
    let (e, n, _) = preadv(fd, &[0], 0);
    println!("pread [0]@0 e={} n={n}", en(e));
    let (e, n, _) = preadv(fd, &[], 0);
    println!("pread []@0 e={} n={n}", en(e));
    let (e, data) = pread(fd, 10, 9);
    println!("pread@9 (eof) e={} len={}", en(e), data.len());
    let (e, data) = pread(fd, 10, 1000);
    println!("pread@1000 e={} len={}", en(e), data.len());
    println!("tell after preads {:?}", tell(fd));
    println!("pwrite [\"PQ\",\"RS\"]@1 {:?}", pwritev(fd, &[b"PQ", b"RS"], 1));
    println!("pwrite []@0 {:?}", pwritev(fd, &[], 0));
    println!("pwrite [\"\"]@0 {:?}", pwritev(fd, &[b""], 0));
    println!("pwrite@20 {:?}", pwritev(fd, &[b"far"], 20));
    println!("tell after pwrites {:?}", tell(fd));
    println!("contents {}", contents(fd));
    print_fstat("after pwrite", fd);
    // A large write in one call, and a read of it in one call.
    let big: Vec<u8> = (0..300_000u64).map(|i| pattern(1, i)).collect();
    seek(fd, 0, 0);
    println!("write 300000 {:?}", write(fd, &big));
    seek(fd, 0, 0);
    let (e, data) = read(fd, 400_000);
    println!("read 400000 e={} len={} same={}", en(e), data.len(), data == big);
    close(fd);

    // Descriptors that cannot read or write.
    let ro = open("read-only", PRE, 0, b"a.txt", 0, R_READ, 0);
    println!("write on read-only {:?}", write(ro, b"x"));
    println!("pwrite on read-only {:?}", pwritev(ro, &[b"x"], 0));
    println!("write empty on read-only {:?}", write(ro, b""));
    close(ro);
    let wo = open("write-only", PRE, 0, b"a.txt", 0, R_WRITE, 0);
    let (e, n, _) = readv(wo, &[4]);
    println!("read on write-only e={} n={}", en(e), if e == 0 { n } else { 0 });
    let (e, n, _) = preadv(wo, &[4], 0);
    println!("pread on write-only e={} n={}", en(e), if e == 0 { n } else { 0 });
    let (e, n, _) = readv(wo, &[0]);
    println!("empty read on write-only e={} n={}", en(e), if e == 0 { n } else { 0 });
    close(wo);
    let dfd = open("dir", PRE, 0, b"d", DIRECTORY, R_READ, 0);
    for (what, fd) in [("dir", dfd), ("preopen", PRE), ("closed 77", 77)] {
        let (e1, _) = read(fd, 4);
        let (e2, _) = pread(fd, 4, 0);
        let (e3, _) = write(fd, b"x");
        let (e4, _) = pwritev(fd, &[b"x"], 0);
        println!("{what}: read={} pread={} write={} pwrite={}", en(e1), en(e2), en(e3), en(e4));
    }
    close(dfd);
    let (e1, _) = pread(0, 4, 0);
    let (e2, _) = pwritev(1, &[b"x"], 0);
    let (e3, _) = pwritev(2, &[b"x"], 0);
    let (e4, _) = write(0, b"x");
    let (e5, _) = read(1, 4);
    println!("stdio: pread(0)={} pwrite(1)={} pwrite(2)={} write(0)={} read(1)={}", en(e1), en(e2), en(e3), en(e4), en(e5));
    let (e, data) = read(0, 4);
    println!("read stdin e={} {:?}", en(e), String::from_utf8_lossy(&data));
}

fn seek_case() {
    let fd = open("seek", PRE, 0, b"a.txt", 0, RW, 0);
    let steps: [(&str, i64, u32); 12] = [
        ("SET 5", 5, 0),
        ("CUR -2", -2, 1),
        ("CUR 0", 0, 1),
        ("END 0", 0, 2),
        ("END -1", -1, 2),
        ("END -100", -100, 2),
        ("SET -1", -1, 0),
        ("CUR -100", -100, 1),
        ("SET 1000", 1000, 0),
        ("CUR 10", 10, 1),
        ("END 10", 10, 2),
        ("SET 0", 0, 0),
    ];
    for (what, off, whence) in steps {
        let (e, pos) = seek(fd, off, whence);
        println!("{what}: e={} pos={} tell={:?}", en(e), if e == 0 { pos } else { 0 }, tell(fd));
    }
    seek(fd, 6, 0);
    let (e, data) = read(fd, 5);
    println!("read after SET 6: e={} {:?} tell={:?}", en(e), String::from_utf8_lossy(&data), tell(fd));
    seek(fd, 100, 0);
    let (e, data) = read(fd, 5);
    println!("read past end: e={} len={} tell={:?}", en(e), data.len(), tell(fd));
    println!("write past end: {:?} tell={:?}", write(fd, b"Z"), tell(fd));
    print_fstat("after write past end", fd);
    let (e, data) = pread(fd, 200, 0);
    println!("contents e={} len={} zeros={} last={:?}", en(e), data.len(), data[12..100].iter().all(|&b| b == 0), data.last().map(|&b| b as char));
    let (e, pos) = seek(fd, i64::MAX, 0);
    println!("SET i64::MAX: e={} pos={pos}", en(e));
    let (e, pos) = seek(fd, 1, 1);
    println!("CUR +1 beyond i64::MAX: e={} pos={}", en(e), if e == 0 { pos } else { 0 });
    let (e, data) = read(fd, 4);
    println!("read at huge position: e={} len={}", en(e), data.len());
    let (e, n) = write(fd, b"q");
    println!("write at huge position: e={} n={}", en(e), if e == 0 { n } else { 0 });
    let (e, pos) = seek(fd, i64::MAX, 1);
    println!("CUR i64::MAX again: e={} pos={}", en(e), if e == 0 { pos } else { 0 });
    let (e, pos) = seek(fd, i64::MIN, 1);
    println!("CUR i64::MIN: e={} pos={}", en(e), if e == 0 { pos } else { 0 });
    let (e, data) = pread(fd, 4, u64::MAX - 1);
    println!("pread at u64::MAX-1: e={} len={}", en(e), data.len());
    let (e, n) = pwritev(fd, &[b"q"], 1 << 62);
    println!("pwrite at 2^62: e={} n={}", en(e), if e == 0 { n } else { 0 });
    close(fd);
    let afd = open("append", PRE, 0, b"a.txt", 0, RW, APPEND);
    println!("append: SET 2 {:?} tell={:?}", seek(afd, 2, 0), tell(afd));
    close(afd);
    let dfd = open("dir", PRE, 0, b"d", DIRECTORY, R_READ, 0);
    for (what, fd) in [("dir", dfd), ("preopen", PRE), ("stdin", 0), ("stdout", 1), ("stderr", 2), ("closed", 99)] {
        let (e1, _) = seek(fd, 0, 0);
        let (e2, _) = seek(fd, 0, 2);
        let (e3, _) = tell(fd);
        println!("{what}: seek SET={} END={} tell={}", en(e1), en(e2), en(e3));
    }
    close(dfd);
}

fn stat_case() {
    let fd = open("a", PRE, 0, b"a.txt", 0, R_READ, 0);
    let (e, st) = fstat(fd);
    println!("fstat a.txt e={} {}", en(e), st.brief());
    let (e2, pst) = pstat(PRE, 0, b"a.txt");
    println!("stat a.txt e={} {} ino same as fstat: {} times same: {}", en(e2), pst.brief(), st.ino == pst.ino, (st.mtim, st.ctim) == (pst.mtim, pst.ctim));
    close(fd);
    println!("symlink {}", en(symlink(b"a.txt", PRE, b"link")));
    println!("symlink {}", en(symlink(b"nowhere", PRE, b"dangling")));
    println!("symlink {}", en(symlink(b"d", PRE, b"dlink")));
    for path in [&b"a.txt"[..], b"d", b"d/inner.txt", b"e", b".", b"link", b"dangling", b"dlink", b"dlink/inner.txt", b"missing", b"a.txt/x"] {
        print_pstat("path", PRE, 0, path);
        print_pstat("path", PRE, FOLLOW, path);
    }
    let (_, a) = pstat(PRE, 0, b"a.txt");
    let (_, l) = pstat(PRE, FOLLOW, b"link");
    let (_, ln) = pstat(PRE, 0, b"link");
    println!("link follow ino == a.txt ino: {}; nofollow ino == a.txt ino: {}", a.ino == l.ino, a.ino == ln.ino);
    let file = must_open(PRE, "a.txt", 0, 0);
    let (e, _) = pstat(file, 0, b"x");
    println!("stat relative to a file -> {}", en(e));
    close(file);
    let (e, _) = pstat(1, 0, b"a.txt");
    println!("stat relative to stdout -> {}", en(e));

    for fd in [0, 1, 2] {
        let (e, st) = fstat(fd);
        println!("fstat({fd}) e={} {:?}", en(e), st);
    }
    let (e, st) = fstat(PRE);
    let (_, dot) = pstat(PRE, 0, b".");
    println!("fstat(preopen) e={} {} ino same as stat \".\": {}", en(e), st.brief(), st.ino == dot.ino);
    let dfd = open("d", PRE, 0, b"d", DIRECTORY, R_READ, 0);
    let (e, st) = fstat(dfd);
    let (_, dst) = pstat(PRE, 0, b"d");
    println!("fstat(d) e={} {} ino same as stat d: {}", en(e), st.brief(), st.ino == dst.ino);
    print_fstat("closed", 99);

    // fd_filestat_set_size.
    let fd = open("sized", PRE, 0, b"sized.txt", CREAT, RW, 0);
    write(fd, b"0123456789");
    for size in [100u64, 3, 0, 5] {
        let e = unsafe { p1::fd_filestat_set_size(fd, size) };
        let (_, st) = fstat(fd);
        println!("set_size({size}) e={} size={} tell={:?}", en(e), st.size, tell(fd));
    }
    println!("contents {:?}", pread(fd, 100, 0));
    println!("write after shrink {:?} contents {:?}", write(fd, b"w"), pread(fd, 100, 0));
    let e = unsafe { p1::fd_filestat_set_size(fd, u64::MAX) };
    println!("set_size(u64::MAX) {}", en(e));
    let e = unsafe { p1::fd_filestat_set_size(fd, 1 << 62) };
    println!("set_size(2^62) {}", en(e));
    close(fd);
    let ro = open("sized read-only", PRE, 0, b"sized.txt", 0, R_READ, 0);
    let e = unsafe { p1::fd_filestat_set_size(ro, 1) };
    println!("set_size on read-only fd {}", en(e));
    close(ro);
    let afd = open("sized append", PRE, 0, b"sized.txt", 0, RW, APPEND);
    let e = unsafe { p1::fd_filestat_set_size(afd, 2) };
    println!("set_size on append fd {} size={}", en(e), fstat(afd).1.size);
    close(afd);
    for (what, fd) in [("dir", dfd), ("preopen", PRE), ("stdout", 1), ("closed", 99)] {
        let e = unsafe { p1::fd_filestat_set_size(fd, 0) };
        println!("set_size on {what} {}", en(e));
    }
    close(dfd);

    // nlink after hard links.
    println!("link a.txt a2 {}", en(link(PRE, 0, b"a.txt", PRE, b"a2")));
    print_pstat("after link", PRE, 0, b"a.txt");
    println!("unlink a2 {}", en(unlink(PRE, b"a2")));
    print_pstat("after unlink", PRE, 0, b"a.txt");
}

fn times_case() {
    const A: u64 = 1_000_000_000_123_456_789;
    const M: u64 = 1_100_000_000_987_654_321;
    let fd = open("t", PRE, 0, b"t.txt", CREAT, RW, 0);
    let show_times = |what: &str, e: i32| {
        let (_, st) = fstat(fd);
        println!("{what}: e={} atim={} mtim={}", en(e), st.atim, st.mtim);
    };
    show_times("ATIM|MTIM", set_times_fd(fd, A, M, ATIM | MTIM));
    show_times("ATIM only", set_times_fd(fd, A + 1, 7, ATIM));
    show_times("MTIM only", set_times_fd(fd, 7, M + 1, MTIM));
    show_times("none", set_times_fd(fd, 1, 1, 0));
    show_times("ATIM|ATIM_NOW", set_times_fd(fd, 5, 5, ATIM | ATIM_NOW));
    show_times("MTIM|MTIM_NOW", set_times_fd(fd, 5, 5, MTIM | MTIM_NOW));
    show_times("ATIM|MTIM|MTIM_NOW", set_times_fd(fd, 5, 5, ATIM | MTIM | MTIM_NOW));
    show_times("zero", set_times_fd(fd, 0, 0, ATIM | MTIM));
    show_times("seconds only", set_times_fd(fd, 5_000_000_000, 6_000_000_000, ATIM | MTIM));
    let e = set_times_fd(fd, A, M, ATIM_NOW | MTIM);
    let (_, st) = fstat(fd);
    println!("ATIM_NOW|MTIM: e={} atim recent={} mtim={}", en(e), st.atim > 1_600_000_000_000_000_000, st.mtim);
    let e = set_times_fd(fd, A, M, ATIM | MTIM_NOW);
    let (_, st) = fstat(fd);
    println!("ATIM|MTIM_NOW: e={} atim={} mtim recent={}", en(e), st.atim, st.mtim > 1_600_000_000_000_000_000);
    let e = set_times_fd(fd, u64::MAX, u64::MAX, ATIM | MTIM);
    let (_, st) = fstat(fd);
    println!("u64::MAX: e={} atim={} mtim={}", en(e), st.atim, st.mtim);
    close(fd);
    let ro = open("t read-only", PRE, 0, b"t.txt", 0, R_READ, 0);
    let e = set_times_fd(ro, A, M, ATIM | MTIM);
    println!("on read-only fd: e={} mtim={}", en(e), fstat(ro).1.mtim);
    close(ro);
    let dfd = open("d", PRE, 0, b"d", DIRECTORY, R_READ, 0);
    let e = set_times_fd(dfd, A, M, ATIM | MTIM);
    let (_, st) = fstat(dfd);
    println!("on dir fd: e={} atim={} mtim={}", en(e), st.atim, st.mtim);
    close(dfd);
    let e = set_times_fd(PRE, A, M, MTIM);
    println!("on preopen: e={} mtim={}", en(e), if e == 0 { fstat(PRE).1.mtim } else { 0 });
    for (what, fd) in [("stdin", 0), ("stdout", 1), ("closed", 99)] {
        println!("on {what}: {} ; with bad flags: {}", en(set_times_fd(fd, 1, 1, ATIM)), en(set_times_fd(fd, 1, 1, ATIM | ATIM_NOW)));
    }

    // path_filestat_set_times.
    println!("symlink {}", en(symlink(b"t.txt", PRE, b"tlink")));
    // (The link's own times are printed only once set: following it reads it.)
    let show_path = |what: &str, e: i32| {
        let (_, t) = pstat(PRE, 0, b"t.txt");
        println!("{what}: e={} t.txt atim={} mtim={}", en(e), t.atim, t.mtim);
    };
    show_path("path t.txt ATIM|MTIM", set_times_path(PRE, 0, b"t.txt", A, M, ATIM | MTIM));
    show_path("path tlink follow", set_times_path(PRE, FOLLOW, b"tlink", A + 5, M + 5, ATIM | MTIM));
    show_path("path tlink nofollow", set_times_path(PRE, 0, b"tlink", A + 9, M + 9, ATIM | MTIM));
    let (_, l) = pstat(PRE, 0, b"tlink");
    println!("  tlink itself: atim={} mtim={}", l.atim, l.mtim);
    show_path("path MTIM only", set_times_path(PRE, 0, b"t.txt", 1, M + 11, MTIM));
    show_path("path ATIM|ATIM_NOW", set_times_path(PRE, 0, b"t.txt", 1, 1, ATIM | ATIM_NOW));
    show_path("path MTIM|MTIM_NOW", set_times_path(PRE, 0, b"t.txt", 1, 1, MTIM | MTIM_NOW));
    show_path("path missing", set_times_path(PRE, 0, b"missing", 1, 1, ATIM));
    show_path("path missing, bad flags", set_times_path(PRE, 0, b"missing", 1, 1, ATIM | ATIM_NOW));
    show_path("path none", set_times_path(PRE, 0, b"t.txt", 1, 1, 0));
    let e = set_times_path(PRE, 0, b"t.txt", A, M, MTIM_NOW);
    let (_, t) = pstat(PRE, 0, b"t.txt");
    println!("path MTIM_NOW: e={} atim={} mtim recent={}", en(e), t.atim, t.mtim > 1_600_000_000_000_000_000);
    let e = set_times_path(PRE, 0, b"d", A, M, ATIM | MTIM);
    let (_, t) = pstat(PRE, 0, b"d");
    println!("path d: e={} atim={} mtim={}", en(e), t.atim, t.mtim);
    let e = set_times_path(PRE, 0, b".", A, M, MTIM);
    let (_, t) = pstat(PRE, 0, b".");
    println!("path '.': e={} mtim={}", en(e), t.mtim);
    let e = set_times_path(PRE, 0, b"d/inner.txt", A, M, MTIM);
    let (_, t) = pstat(PRE, 0, b"d/inner.txt");
    println!("path d/inner.txt: e={} mtim={}", en(e), t.mtim);
    let file = must_open(PRE, "a.txt", 0, 0);
    println!("path relative to file: {}", en(set_times_path(file, 0, b"x", 1, 1, ATIM)));
    close(file);
    println!("path relative to stdout: {}", en(set_times_path(1, 0, b"x", 1, 1, ATIM)));
}

fn fdstat_case() {
    for fd in [0, 1, 2, PRE, 4, 99] {
        print_fdstat("initial", fd);
    }
    let cases: [(&str, &[u8], u32, u64, u32); 10] = [
        ("file rw", b"a.txt", 0, RW, 0),
        ("file r", b"a.txt", 0, R_READ, 0),
        ("file w", b"a.txt", 0, R_WRITE, 0),
        ("file none", b"a.txt", 0, 0, 0),
        ("file all", b"a.txt", 0, R_ALL, 0),
        ("file append", b"a.txt", 0, RW, APPEND),
        ("file nonblock", b"a.txt", 0, R_READ, NONBLOCK),
        ("dir r", b"d", DIRECTORY, R_READ, 0),
        ("dir readdir only", b"d", DIRECTORY, R_READDIR, 0),
        ("dir none", b"d", DIRECTORY, 0, 0),
    ];
    for (what, path, oflags, rights, fdflags) in cases {
        let fd = open(what, PRE, 0, path, oflags, rights, fdflags);
        print_fdstat("  ", fd);
        close(fd);
    }
    let fd = open("trunc without write rights", PRE, 0, b"e2.txt", CREAT | TRUNC, 0, 0);
    print_fdstat("  ", fd);
    close(fd);

    // fd_fdstat_set_flags.
    let fd = open("flags", PRE, 0, b"a.txt", 0, RW, 0);
    for flags in [APPEND, 0, NONBLOCK, APPEND | NONBLOCK, DSYNC, SYNC, RSYNC, APPEND | DSYNC, 0] {
        let e = unsafe { p1::fd_fdstat_set_flags(fd, flags) };
        let (_, _, fl, _, _) = fdstat(fd);
        println!("set_flags({flags:#x}) e={} now {fl:#x}", en(e));
    }
    // Setting APPEND takes effect for the next write.
    unsafe { p1::fd_fdstat_set_flags(fd, APPEND) };
    seek(fd, 0, 0);
    println!("append write {:?} tell={:?} contents={:?}", write(fd, b"+"), tell(fd), String::from_utf8_lossy(&pread(fd, 100, 0).1));
    unsafe { p1::fd_fdstat_set_flags(fd, 0) };
    seek(fd, 0, 0);
    println!("plain write {:?} tell={:?} contents={:?}", write(fd, b"H"), tell(fd), String::from_utf8_lossy(&pread(fd, 100, 0).1));
    let dfd = open("d", PRE, 0, b"d", DIRECTORY, R_READ, 0);
    for (what, f) in [("dir", dfd), ("preopen", PRE), ("stdin", 0), ("stdout", 1), ("closed", 99)] {
        let e1 = unsafe { p1::fd_fdstat_set_flags(f, APPEND) };
        let e2 = unsafe { p1::fd_fdstat_set_flags(f, 0) };
        println!("set_flags on {what}: APPEND={} 0={}", en(e1), en(e2));
    }

    // fd_fdstat_set_rights.
    for (what, f) in [("file", fd), ("dir", dfd), ("preopen", PRE), ("stdin", 0), ("stdout", 1), ("closed", 99)] {
        let e1 = unsafe { p1::fd_fdstat_set_rights(f, 0, 0) };
        let e2 = unsafe { p1::fd_fdstat_set_rights(f, R_ALL, R_ALL) };
        println!("set_rights on {what}: none={} all={}", en(e1), en(e2));
        print_fdstat("  ", f);
    }
    println!("write after set_rights(0) {:?}", write(fd, b"!"));
    close(fd);
    close(dfd);
}

fn misc_case() {
    let rw = open("rw", PRE, 0, b"a.txt", 0, RW, 0);
    let ro = open("ro", PRE, 0, b"a.txt", 0, R_READ, 0);
    let dfd = open("d", PRE, 0, b"d", DIRECTORY, R_READ, 0);
    for advice in 0..6 {
        let e1 = unsafe { p1::fd_advise(rw, 0, 100, advice) };
        let e2 = unsafe { p1::fd_advise(ro, 5, 0, advice) };
        let e3 = unsafe { p1::fd_advise(dfd, 0, 0, advice) };
        let e4 = unsafe { p1::fd_advise(1, 0, 0, advice) };
        println!("advise {advice}: rw={} ro={} dir={} stdout={}", en(e1), en(e2), en(e3), en(e4));
    }
    println!("advise huge range: {}", en(unsafe { p1::fd_advise(rw, u64::MAX, u64::MAX, 0) }));
    println!("advise closed: {}", en(unsafe { p1::fd_advise(99, 0, 0, 0) }));
    for (what, fd) in [("rw", rw), ("ro", ro), ("dir", dfd), ("preopen", PRE), ("stdin", 0), ("stdout", 1), ("closed", 99)] {
        let e1 = unsafe { p1::fd_allocate(fd, 0, 100) };
        let e2 = unsafe { p1::fd_allocate(fd, 0, 0) };
        let e3 = unsafe { p1::fd_datasync(fd) };
        let e4 = unsafe { p1::fd_sync(fd) };
        println!("{what}: allocate={} allocate0={} datasync={} sync={}", en(e1), en(e2), en(e3), en(e4));
    }
    print_fstat("after allocate", rw);
    close(rw);
    close(ro);
    close(dfd);
}

fn prestat(fd: u32) -> String {
    let mut st = [0u32; 2];
    let e = unsafe { p1::fd_prestat_get(fd, out(&mut st)) };
    if e != 0 {
        return format!("prestat({fd}) {}", en(e));
    }
    let mut name = vec![0u8; st[1] as usize];
    let e2 = unsafe { p1::fd_prestat_dir_name(fd, out(&mut name[..]), st[1]) };
    format!("prestat({fd}) tag={} {:?} ({})", st[0], String::from_utf8_lossy(&name), en(e2))
}

fn renumber_case() {
    let renumber = |from: u32, to: u32| {
        let e = unsafe { p1::fd_renumber(from, to) };
        println!("renumber({from},{to}) {}", en(e));
    };
    let a = open("a", PRE, 0, b"a.txt", 0, RW, 0); // 4
    let b = open("b", PRE, 0, b"d/inner.txt", 0, RW, 0); // 5
    read(a, 3);
    renumber(a, b);
    println!("fd {b}: tell={:?} read={:?}", tell(b), String::from_utf8_lossy(&read(b, 100).1));
    print_fdstat("old", a);
    renumber(a, b);
    renumber(b, 77);
    renumber(77, b);
    renumber(b, b);
    renumber(u32::MAX, b);
    let c = open("next open reuses", PRE, 0, b"a.txt", 0, R_READ, 0);
    renumber(c, c);
    // A directory onto a file, then the preopen away and back.
    let d = open("d", PRE, 0, b"d", DIRECTORY, R_READ, 0);
    renumber(d, c);
    print_fdstat("renumbered dir", c);
    let f = open("via renumbered dir", c, 0, b"inner.txt", 0, R_READ, 0);
    close(f);
    renumber(PRE, b);
    println!("{}", prestat(b));
    println!("{}", prestat(PRE));
    print_fdstat("preopen moved", b);
    let g = open("via moved preopen", b, 0, b"a.txt", 0, R_READ, 0);
    open("via old preopen number", PRE, 0, b"a.txt", 0, R_READ, 0);
    renumber(g, c);
    println!("fd {c}: {:?}", String::from_utf8_lossy(&pread(c, 100, 0).1));
    // A file onto the preopen's new number, a preopen onto stdin.
    let h = open("h", b, 0, b"e", DIRECTORY, R_READ, 0);
    renumber(b, 0);
    println!("{}", prestat(0));
    print_fdstat("stdin is now the preopen", 0);
    let i = open("via preopen at 0", 0, 0, b"a.txt", 0, R_READ, 0);
    println!("fd {i}: {:?}", String::from_utf8_lossy(&pread(i, 100, 0).1));
    let (e, _) = read(0, 4);
    println!("read(0) {}", en(e));
    renumber(i, 2);
    print_fdstat("stderr replaced by a file", 2);
    let (e, n) = write(2, b"into the file");
    println!("write(2) {} {}", en(e), n);
    renumber(2, h);
    print_fdstat("h", h);
    for fd in 0..12 {
        let (e, ft, ..) = fdstat(fd);
        println!("fd {fd}: {} type={}", en(e), if e == 0 { ft } else { 0 });
    }
    let last = open("last", 0, 0, b"a.txt", 0, R_READ, 0);
    println!("last fd {last}");
}

fn renumber_stdout_case() {
    let f = open("f", PRE, 0, b"out.txt", CREAT, RW, 0);
    let e = unsafe { p1::fd_renumber(f, 1) };
    // stdout is now the file: these lines land in out.txt.
    println!("renumber(f,1) {}", en(e));
    println!("fd {f} after: {:?}", fdstat(f).0);
    let (e, ft, ..) = fdstat(1);
    println!("fdstat(1) {} type={ft}", en(e));
    println!("tell(1) {:?}", tell(1));
    let e = unsafe { p1::fd_renumber(2, 1) };
    // stdout is now the old stderr.
    println!("renumber(2,1) {}", en(e));
    let (e, n) = write(2, b"x");
    println!("write(2) {} {}", en(e), n);
}

fn close_preopen_case() {
    let root = open("root dir", PRE, 0, b".", DIRECTORY, R_READ, 0);
    println!("close(3) {}", en(close(PRE)));
    println!("close(3) again {}", en(close(PRE)));
    println!("{}", prestat(PRE));
    open("via closed preopen", PRE, 0, b"a.txt", 0, R_READ, 0);
    println!("mkdir via closed preopen {}", en(mkdir(PRE, b"x")));
    let a = open("via root dir", root, 0, b"a.txt", 0, R_READ, 0);
    println!("fd {a}: {:?}", String::from_utf8_lossy(&read(a, 100).1));
    print_fdstat("reused", a);
    let b = open("another", root, 0, b"d/inner.txt", 0, R_READ, 0);
    println!("mkdir via root {}", en(mkdir(root, b"made")));
    close(a);
    close(b);
    println!("close(root) {}", en(close(root)));
    println!("close(0)={} close(2)={}", en(close(0)), en(close(2)));
    // Closing stdout ends the printing.
    close(1);
    // Every fd is closed now: the next open has nothing to open from.
    let (e, _) = open_raw(PRE, 0, b"a.txt", 0, R_READ, 0, 0);
    if e != 8 {
        unsafe { p1::proc_exit(1) };
    }
}

fn paths_case() {
    let p = |what: &str, e: i32| println!("{what}: {}", en(e));
    // path_create_directory
    p("mkdir newdir", mkdir(PRE, b"newdir"));
    p("mkdir newdir again", mkdir(PRE, b"newdir"));
    p("mkdir on a file", mkdir(PRE, b"a.txt"));
    p("mkdir missing/child", mkdir(PRE, b"missing/child"));
    p("mkdir a.txt/child", mkdir(PRE, b"a.txt/child"));
    p("mkdir newdir/sub/", mkdir(PRE, b"newdir/sub/"));
    p("mkdir newdir/sub2//", mkdir(PRE, b"newdir/sub2//"));
    p("mkdir .", mkdir(PRE, b"."));
    p("mkdir ..", mkdir(PRE, b".."));
    p("mkdir ''", mkdir(PRE, b""));
    p("mkdir /abs", mkdir(PRE, b"/abs"));
    p("mkdir via stdin", mkdir(0, b"x"));
    print_pstat("newdir", PRE, 0, b"newdir");
    // path_remove_directory
    p("rmdir newdir (not empty)", rmdir(PRE, b"newdir"));
    p("rmdir a.txt", rmdir(PRE, b"a.txt"));
    p("rmdir missing", rmdir(PRE, b"missing"));
    p("rmdir newdir/sub/", rmdir(PRE, b"newdir/sub/"));
    p("rmdir newdir/sub2", rmdir(PRE, b"newdir/sub2"));
    p("rmdir .", rmdir(PRE, b"."));
    p("rmdir newdir/.", rmdir(PRE, b"newdir/."));
    p("rmdir ''", rmdir(PRE, b""));
    // path_unlink_file
    let fd = must_open(PRE, "gone.txt", CREAT, 0);
    close(fd);
    p("unlink gone.txt", unlink(PRE, b"gone.txt"));
    p("unlink gone.txt again", unlink(PRE, b"gone.txt"));
    p("unlink dir e", unlink(PRE, b"e"));
    p("unlink dir e/", unlink(PRE, b"e/"));
    p("unlink a.txt/", unlink(PRE, b"a.txt/"));
    p("unlink ''", unlink(PRE, b""));
    p("unlink .", unlink(PRE, b"."));
    let fd = must_open(PRE, "open-unlinked.txt", CREAT, 0);
    write(fd, b"still here");
    p("unlink open file", unlink(PRE, b"open-unlinked.txt"));
    println!("  read through fd: {:?} stat nlink={}", String::from_utf8_lossy(&pread(fd, 100, 0).1), fstat(fd).1.nlink);
    close(fd);

    // path_symlink and path_readlink
    p("symlink l1 -> a.txt", symlink(b"a.txt", PRE, b"l1"));
    p("symlink l1 again", symlink(b"a.txt", PRE, b"l1"));
    p("symlink over file", symlink(b"x", PRE, b"a.txt"));
    p("symlink ld -> d/", symlink(b"d/", PRE, b"ld"));
    p("symlink labs -> /etc/passwd", symlink(b"/etc/passwd", PRE, b"labs"));
    p("symlink lup -> ../outside", symlink(b"../outside", PRE, b"lup"));
    p("symlink lempty -> ''", symlink(b"", PRE, b"lempty"));
    p("symlink d/l2 -> ../a.txt", symlink(b"../a.txt", PRE, b"d/l2"));
    p("symlink into missing dir", symlink(b"a.txt", PRE, b"missing/l"));
    p("symlink with trailing slash", symlink(b"a.txt", PRE, b"lslash/"));
    p("symlink ''", symlink(b"a.txt", PRE, b""));
    for (path, len) in [(&b"l1"[..], 100), (b"l1", 5), (b"l1", 3), (b"l1", 0), (b"ld", 100), (b"labs", 100), (b"lup", 4), (b"d/l2", 100), (b"a.txt", 100), (b"d", 100), (b"missing", 100), (b"", 100), (b"l1/", 100)] {
        let (e, used, buf) = readlink(PRE, path, len);
        let used = if e == 0 { used } else { 0 };
        println!("readlink {} len={len}: {} used={used} buf={:?}", show(path), en(e), String::from_utf8_lossy(&buf));
    }
    let f = open("d/l2 follow", PRE, FOLLOW, b"d/l2", 0, R_READ, 0);
    println!("  contents: {:?}", String::from_utf8_lossy(&pread(f, 100, 0).1));
    close(f);
    open("labs follow", PRE, FOLLOW, b"labs", 0, R_READ, 0);
    open("lup follow", PRE, FOLLOW, b"lup", 0, R_READ, 0);
    print_pstat("labs", PRE, FOLLOW, b"labs");
    print_pstat("lup", PRE, FOLLOW, b"lup");
    print_pstat("lempty", PRE, 0, b"lempty");
    let ffd = must_open(PRE, "a.txt", 0, 0);
    println!("readlink via file fd: {}", en(readlink(ffd, b"l1", 10).0));
    println!("symlink via file fd: {}", en(symlink(b"a", ffd, b"x")));
    close(ffd);
    p("unlink symlink ld", unlink(PRE, b"ld"));
    p("rmdir symlink l1", rmdir(PRE, b"l1"));

    // path_link
    p("link a.txt -> hard", link(PRE, 0, b"a.txt", PRE, b"hard"));
    print_pstat("hard", PRE, 0, b"hard");
    let (_, a) = pstat(PRE, 0, b"a.txt");
    let (_, h) = pstat(PRE, 0, b"hard");
    println!("  same ino: {}", a.ino == h.ino);
    p("link over existing", link(PRE, 0, b"a.txt", PRE, b"hard"));
    p("link missing", link(PRE, 0, b"missing", PRE, b"h2"));
    p("link dir", link(PRE, 0, b"d", PRE, b"dhard"));
    p("link with SYMLINK_FOLLOW", link(PRE, FOLLOW, b"a.txt", PRE, b"h3"));
    p("link a symlink (nofollow)", link(PRE, 0, b"l1", PRE, b"l1hard"));
    print_pstat("l1hard", PRE, 0, b"l1hard");
    let dfd = open("d", PRE, 0, b"d", DIRECTORY, R_READ, 0);
    p("link across dir fds", link(PRE, 0, b"a.txt", dfd, b"hard-in-d"));
    p("link into missing dir", link(PRE, 0, b"a.txt", PRE, b"missing/h"));
    p("link trailing slash", link(PRE, 0, b"a.txt/", PRE, b"h5"));
    p("link to trailing slash", link(PRE, 0, b"a.txt", PRE, b"h6/"));
    p("link via stdout", link(1, 0, b"a.txt", PRE, b"h7"));
    p("link to stdout", link(PRE, 0, b"a.txt", 1, b"h7"));

    // path_rename
    p("rename hard -> renamed", rename(PRE, b"hard", PRE, b"renamed"));
    p("rename renamed over a.txt (same inode)", rename(PRE, b"renamed", PRE, b"a.txt"));
    print_pstat("renamed", PRE, 0, b"renamed");
    let fd = must_open(PRE, "other.txt", CREAT, 0);
    write(fd, b"other");
    close(fd);
    p("rename other.txt over l1hard", rename(PRE, b"other.txt", PRE, b"l1hard"));
    p("rename missing", rename(PRE, b"missing", PRE, b"x"));
    p("rename across dir fds", rename(dfd, b"hard-in-d", PRE, b"moved-from-d"));
    p("rename into missing dir", rename(PRE, b"moved-from-d", PRE, b"missing/x"));
    p("rename to ''", rename(PRE, b"moved-from-d", PRE, b""));
    p("rename ''", rename(PRE, b"", PRE, b"x"));
    p("rename to itself", rename(PRE, b"moved-from-d", PRE, b"moved-from-d"));
    p("rename to trailing slash", rename(PRE, b"moved-from-d", PRE, b"y/"));
    p("rename file with trailing slash", rename(PRE, b"moved-from-d/", PRE, b"y"));
    p("rename e -> e2/ (dir, trailing slash)", rename(PRE, b"e/", PRE, b"e2/"));
    p("rename via stdout", rename(1, b"a.txt", PRE, b"x"));
    p("rename to file fd", rename(PRE, b"a.txt", 0, b"x"));
    p("rename .", rename(PRE, b".", PRE, b"dot"));
    p("rename to ..", rename(PRE, b"e2", PRE, b".."));
    close(dfd);
}

fn names_case() {
    // Every path call with the same set of awkward names.
    let names: [(&str, &[u8]); 16] = [
        ("empty", b""),
        ("dot", b"."),
        ("dotdot", b".."),
        ("d/..", b"d/.."),
        ("d/../a.txt", b"d/../a.txt"),
        ("./a.txt", b"./a.txt"),
        ("d//inner.txt", b"d//inner.txt"),
        ("a.txt/", b"a.txt/"),
        ("d/", b"d/"),
        ("abs /a.txt", b"/a.txt"),
        ("abs /sandbox/a.txt", b"/sandbox/a.txt"),
        ("escape ../x", b"../x"),
        ("escape d/../../x", b"d/../../x"),
        ("invalid utf-8", b"\xff\xfe.txt"),
        ("nul inside", b"a.t\0xt"),
        ("trailing nul", b"a.txt\0"),
    ];
    let long = vec![b'n'; 300];
    let longpath: Vec<u8> = std::iter::repeat(&b"d/../"[..]).take(1000).flatten().copied().chain(*b"a.txt").collect();
    let mut all: Vec<(&str, &[u8])> = names.to_vec();
    all.push(("name of 300 bytes", &long));
    all.push(("path of 5005 bytes", &longpath));
    for (what, path) in all {
        let (e, fd) = open_raw(PRE, 0, path, 0, R_READ, 0, 0);
        let opened = if e == 0 {
            let t = fdstat(fd).1;
            close(fd);
            format!("ok type={t}")
        } else {
            en(e)
        };
        let (e1, st) = pstat(PRE, 0, path);
        let stat = if e1 == 0 { format!("type={}", st.filetype) } else { en(e1) };
        let (ec, fdc) = open_raw(PRE, 0, path, CREAT, RW, 0, 0);
        if ec == 0 {
            close(fdc);
        }
        let e2 = set_times_path(PRE, 0, path, 1, 1, 0);
        let e3 = readlink(PRE, path, 10).0;
        let e4 = mkdir(PRE, path);
        let e5 = symlink(b"target", PRE, path);
        let e6 = link(PRE, 0, b"a.txt", PRE, path);
        let e7 = link(PRE, 0, path, PRE, b"linked");
        if e7 == 0 {
            unlink(PRE, b"linked");
        }
        let e8 = rename(PRE, path, PRE, path);
        let e9 = symlink(path, PRE, b"sym");
        if e9 == 0 {
            unlink(PRE, b"sym");
        }
        println!(
            "{what}: open={opened} stat={stat} creat={} set_times={} readlink={} mkdir={} symlink_at={} link_to={} link_from={} rename_self={} symlink_to={}",
            en(ec), en(e2), en(e3), en(e4), en(e5), en(e6), en(e7), en(e8), en(e9)
        );
    }
    // Destructive calls last, on names that should not exist or fail.
    for (what, path) in [("empty", &b""[..]), ("dot", b"."), ("dotdot", b".."), ("invalid utf-8", b"\xff\xfe.txt"), ("nul", b"a.t\0xt"), ("abs", b"/a.txt"), ("escape", b"../x"), ("a.txt/", b"a.txt/"), ("d/", b"d/")] {
        println!("{what}: unlink={} rmdir={} rename_away={}", en(unlink(PRE, path)), en(rmdir(PRE, path)), en(rename(PRE, path, PRE, b"renamed")));
    }
    println!("rename a.txt to invalid utf-8: {}", en(rename(PRE, b"a.txt", PRE, b"\xff")));
    println!("rename a.txt to nul: {}", en(rename(PRE, b"a.txt", PRE, b"x\0y")));
    println!("rename a.txt to ..: {}", en(rename(PRE, b"a.txt", PRE, b"../a.txt")));
}

fn fdnum_case() {
    let mut fds = Vec::new();
    for i in 0..6 {
        fds.push(must_open(PRE, &format!("f{i}"), CREAT, 0));
    }
    println!("opened {fds:?}");
    for fd in [fds[1], fds[3], fds[4]] {
        close(fd);
    }
    let mut again = Vec::new();
    for i in 0..5 {
        again.push(must_open(PRE, &format!("g{i}"), CREAT, 0));
    }
    println!("after closing {} {} {}: {again:?}", fds[1], fds[3], fds[4]);
    // Closing the newest fd, then the oldest.
    close(*again.last().unwrap());
    close(fds[0]);
    println!("next: {}", must_open(PRE, "h0", CREAT, 0));
    println!("next: {}", must_open(PRE, "h1", CREAT, 0));
    println!("next: {}", must_open(PRE, "h2", CREAT, 0));
    // A failed open does not consume a number.
    let (e, _) = open_raw(PRE, 0, b"missing", 0, R_READ, 0, 0);
    println!("failed open {}; next: {}", en(e), must_open(PRE, "h3", CREAT, 0));
    // Directories take numbers from the same pool.
    let d = must_open_dir();
    println!("dir fd {d}");
    close(d);
    println!("after closing the dir: {}", must_open(PRE, "h4", CREAT, 0));
}

fn must_open_dir() -> u32 {
    let (e, fd) = open_raw(PRE, 0, b"d", DIRECTORY, R_READ, 0, 0);
    assert_eq!(e, 0);
    fd
}

/// One call with a flags or enum value preview1 does not define (native
/// decodes those before anything else and traps or fails), on a valid and on
/// a closed descriptor.
fn badflags_case(which: &str) {
    let fd = must_open(PRE, "a.txt", 0, 0);
    let mut st = [0u64; 8];
    let o = out(&mut st);
    let (target, call) = which.split_once('@').unwrap_or((which, "file"));
    let fd = match call {
        "file" => fd,
        "closed" => 99,
        "dir" => PRE,
        other => panic!("unknown target {other}"),
    };
    let e = unsafe {
        match target {
            "open-oflags" => open_raw(fd, 0, b"a.txt", 0x10, R_READ, 0, 0).0,
            "open-fdflags" => open_raw(fd, 0, b"a.txt", 0, R_READ, 0, 0x20).0,
            "open-lookupflags" => open_raw(fd, 2, b"a.txt", 0, R_READ, 0, 0).0,
            "open-rights" => open_raw(fd, 0, b"a.txt", 0, 1 << 40, 0, 0).0,
            "open-inheriting" => open_raw(fd, 0, b"a.txt", 0, R_READ, u64::MAX, 0).0,
            "stat-lookupflags" => pstat(fd, 2, b"a.txt").0,
            "seek-whence" => p1::fd_seek(fd, 0, 3, o),
            "set-times-fstflags" => set_times_fd(fd, 5, 5, 0x10),
            "path-set-times-fstflags" => set_times_path(fd, 0, b"a.txt", 1, 1, 0x10),
            "path-set-times-lookupflags" => set_times_path(fd, 2, b"a.txt", 1, 1, ATIM),
            "set-flags" => p1::fd_fdstat_set_flags(fd, 0x20),
            "set-rights" => p1::fd_fdstat_set_rights(fd, u64::MAX, 0),
            "advise" => p1::fd_advise(fd, 0, 0, 6),
            "link-lookupflags" => link(fd, 2, b"a.txt", PRE, b"h4"),
            other => panic!("unknown call {other}"),
        }
    };
    println!("{which} -> {}", en(e));
}
