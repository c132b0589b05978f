//! Differential scenarios for the preview1 filesystem functions (programs
//! `tests/programs/src/bin/fs_*.rs`), plus adapter-only scaling checks.
//!
//! Every differential test also asserts something about the native outcome,
//! so that a program that stopped exercising what it should cannot pass.

use adapter_tests::jco::differs;
use adapter_tests::{check, compare, component_status, run, run_counting, stdout_of, Node, Outcome, Runner, Scenario, Status};

fn assert_has(o: &Outcome, needles: &[&str]) {
    let text = stdout_of(o);
    for n in needles {
        assert!(text.contains(n), "native stdout lacks {n:?}:\n{text}");
    }
}

fn file_of<'a>(o: &'a Outcome, path: &str) -> Option<&'a [u8]> {
    o.tree.iter().find(|(p, _)| p.to_str() == Some(path)).and_then(|(_, n)| match n {
        Node::File(c) => Some(&c[..]),
        _ => None,
    })
}

/// The directory most fs_tour and fs_edge cases expect.
fn base(program: &'static str, case: &str) -> Scenario {
    Scenario::rust(program).args([case]).file("a.txt", "hello world\n").file("d/inner.txt", "inner\n").dir("e")
}

fn tour(case: &str) -> Outcome {
    tour_on(case, None)
}

/// [`tour`], on wasmtime only if `wasmtime_only` says why (a difference of
/// the jco host's, asserted in `jco_host.rs`).
fn tour_on(case: &str, wasmtime_only: Option<&'static str>) -> Outcome {
    check_case("fs_tour", case, wasmtime_only)
}

/// Case `case` of `program` on the [`base`] tree, compared with native
/// (on wasmtime only if `wasmtime_only` says why); it must exit 0.
fn check_case(program: &'static str, case: &str, wasmtime_only: Option<&'static str>) -> Outcome {
    let mut scenario = base(program, case);
    if let Some(why) = wasmtime_only {
        scenario = scenario.wasmtime_only(why);
    }
    let out = check(&scenario);
    assert_eq!(out.status, Status::Exit(0), "{case}: {}", String::from_utf8_lossy(&out.stderr));
    out
}

// ---------------------------------------------------------------------------
// 1. A tour of every call.

#[test]
fn path_open_flags_rights_and_lookup() {
    // One line differs on jco (jco_host.rs: a symlink opened with O_NOFOLLOW | O_DIRECTORY).
    let out = tour_on("open", Some(differs::PATHS));
    assert_has(
        &out,
        &[
            "rights r: open \"a.txt\" -> fd 4\n  read=0 \"hello\" write=8/BADF",
            "creat|excl existing: open \"new.txt\" -> 20/EXIST",
            "directory on file: open \"a.txt\" -> 54/NOTDIR",
            "directory|creat: open \"newdir\" -> 28/INVAL",
            "dir with write rights: open \"d\" -> 31/ISDIR",
            "fdflags dsync: open \"a.txt\" -> 58/NOTSUP",
            "fdflags append|nonblock: open \"a.txt\" -> fd 4\n  : fdstat(4) type=4 flags=0x5",
            "link nofollow: open \"link\" -> 32/LOOP",
            "dirfd is a file: open \"x\" -> 54/NOTDIR",
            "via d: ../a.txt: open \"../a.txt\" -> 63/PERM",
        ],
    );
    assert_eq!(file_of(&out, "d/made-in-d.txt"), Some(&b"made in d\n"[..]));
}

#[test]
fn read_write_pread_pwrite_and_iovecs() {
    let out = tour_on("rw", Some(differs::STDIN_END));
    assert_has(
        &out,
        &[
            "write two iovecs (0, 3)",
            "read [2,4] e=0 n=2 bufs=[\"ab\", \"....\"]",
            "pread [0,5]@4 e=0 n=2",
            "contents \"aPQxyz\\0\\0",
            "read 400000 e=0 len=300000 same=true",
            "read on write-only e=8/BADF",
            "stdio: pread(0)=70/SPIPE",
        ],
    );
}

#[test]
fn seek_and_tell() {
    let out = tour_on("seek", Some(differs::OFFSETS));
    assert_has(
        &out,
        &[
            "CUR -2: e=0 pos=3 tell=(0, 3)",
            "SET -1: e=28/INVAL",
            "END 10: e=0 pos=22",
            "read past end: e=0 len=0 tell=(0, 100)",
            "CUR +1 beyond i64::MAX: e=0 pos=9223372036854775808",
            "stdin: seek SET=70/SPIPE",
            "dir: seek SET=8/BADF",
        ],
    );
}

#[test]
fn filestat_get_and_set_size() {
    let out = tour_on("stat", Some(differs::PREOPEN_DESCRIPTOR));
    assert_has(
        &out,
        &[
            "ino same as fstat: true",
            "path: stat \"link\" follow=0 dev=1 type=7 nlink=1 size=5",
            "path: stat \"link\" follow=1 dev=1 type=4 nlink=1 size=12",
            "path: stat \"dangling\" follow=1 -> 44/NOENT",
            "fstat(1) e=0 Filestat { dev: 0, ino: 0, filetype: 0",
            "set_size(3) e=0 size=3 tell=(0, 10)",
            "set_size on read-only fd 28/INVAL",
            "set_size on dir 8/BADF",
            "after link: stat \"a.txt\" follow=0 dev=1 type=4 nlink=2",
        ],
    );
}

#[test]
fn filestat_set_times() {
    let out = tour_on("times", Some(differs::TIMES));
    assert_has(
        &out,
        &[
            "ATIM|MTIM: e=0 atim=1000000000123456789 mtim=1100000000987654321",
            "ATIM|ATIM_NOW: e=28/INVAL",
            "ATIM_NOW|MTIM: e=0 atim recent=true",
            "on stdin: 8/BADF ; with bad flags: 28/INVAL",
            "  tlink itself: atim=1000000000123456798 mtim=1100000000987654330",
            "path missing, bad flags: e=28/INVAL",
            "path MTIM_NOW: e=0 atim=1000000000123456794 mtim recent=true",
        ],
    );
}

#[test]
fn fdstat_get_set_flags_set_rights() {
    let out = tour("fdstat");
    assert_has(
        &out,
        &[
            "initial: fdstat(3) type=3 flags=0x0 base=0x7b7fe00 inheriting=0xff7ffff",
            "file w: open \"a.txt\" -> fd 4\n  : fdstat(4) type=4 flags=0x0 base=0x3fffbffd",
            "dir r: open \"d\" -> fd 4\n  : fdstat(4) type=3 flags=0x0 base=0x3fb7ffbb",
            "set_flags(0x2) e=28/INVAL now 0x5",
            "append write (0, 1) tell=(0, 13)",
            "set_rights on file: none=58/NOTSUP",
            "set_rights on stdin: none=8/BADF",
        ],
    );
}

#[test]
fn advise_allocate_sync_datasync() {
    let out = tour("misc");
    assert_has(&out, &["advise 5: rw=0 ro=0 dir=8/BADF stdout=8/BADF", "rw: allocate=58/NOTSUP", "dir: allocate=8/BADF allocate0=8/BADF datasync=8/BADF sync=8/BADF"]);
}

#[test]
fn renumber_files_dirs_preopens_and_stdio() {
    let out = tour("renumber");
    assert_has(
        &out,
        &[
            "renumber(4,5) 0\nfd 5: tell=(0, 3) read=\"lo world\\n\"",
            "renumber(5,77) 8/BADF",
            "prestat(5) tag=0 \"/sandbox\" (0)",
            "via moved preopen: open \"a.txt\" -> fd 6",
            "stdin is now the preopen: fdstat(0) type=3",
            "last fd 5",
        ],
    );
}

#[test]
fn renumber_a_file_onto_stdout() {
    let out = tour("renumber-stdout");
    assert_eq!(stdout_of(&out), "f: open \"out.txt\" -> fd 4\n");
    assert_eq!(String::from_utf8_lossy(&out.stderr), "renumber(2,1) 0\nwrite(2) 8/BADF 0\n");
    let file = String::from_utf8_lossy(file_of(&out, "out.txt").unwrap()).into_owned();
    assert!(file.starts_with("renumber(f,1) 0\nfd 4 after: 8\nfdstat(1) 0 type=4\n"), "{file}");
}

#[test]
fn close_the_preopen() {
    let out = tour("close-preopen");
    assert_has(&out, &["close(3) again 8/BADF", "via root dir: open \"a.txt\" -> fd 3", "close(0)=0 close(2)=0"]);
}

#[test]
fn directories_links_symlinks_renames() {
    let out = tour_on("paths", Some(differs::PATHS));
    assert_has(
        &out,
        &[
            "mkdir newdir again: 20/EXIST",
            "rmdir newdir/sub/: 28/INVAL",
            "unlink dir e: 31/ISDIR",
            "  read through fd: \"still here\" stat nlink=0",
            "symlink labs -> /etc/passwd: 63/PERM",
            "readlink \"l1\" len=3: 0 used=3 buf=\"a.t....\"",
            "readlink \"a.txt\" len=100: 28/INVAL",
            "link with SYMLINK_FOLLOW: 28/INVAL",
            "renamed: stat \"renamed\" follow=0 dev=1 type=4 nlink=3",
            "rename .: 10/BUSY",
        ],
    );
}

#[test]
fn awkward_path_names() {
    let out = tour_on("names", Some(differs::PATHS));
    assert_has(
        &out,
        &[
            "empty: open=44/NOENT stat=44/NOENT",
            "dotdot: open=63/PERM",
            "a.txt/: open=54/NOTDIR stat=type=4",
            "abs /sandbox/a.txt: open=63/PERM",
            "invalid utf-8: open=25/ILSEQ stat=25/ILSEQ creat=25/ILSEQ",
            "nul inside: open=28/INVAL",
            "name of 300 bytes: open=37/NAMETOOLONG",
            "path of 5005 bytes: open=37/NAMETOOLONG",
            "d/: unlink=31/ISDIR rmdir=28/INVAL rename_away=0",
        ],
    );
}

#[test]
fn descriptor_numbers_reuse_the_highest_freed_first() {
    let out = tour("fdnum");
    assert_eq!(
        stdout_of(&out),
        "opened [4, 5, 6, 7, 8, 9]\nafter closing 5 7 8: [8, 7, 5, 10, 11]\nnext: 11\nnext: 4\nnext: 12\n\
         failed open 44/NOENT; next: 13\ndir fd 14\nafter closing the dir: 14\n"
    );
}

#[test]
fn undefined_flag_and_enum_values_trap() {
    let calls = [
        "open-oflags",
        "open-fdflags",
        "open-lookupflags",
        "open-rights",
        "open-inheriting",
        "stat-lookupflags",
        "seek-whence",
        "set-times-fstflags",
        "path-set-times-fstflags",
        "path-set-times-lookupflags",
        "set-flags",
        "set-rights",
        "advise",
        "link-lookupflags",
    ];
    for call in calls {
        for target in ["file", "closed", "dir"] {
            let out = check(&base("fs_tour", &format!("badflags:{call}@{target}")));
            assert!(matches!(out.status, Status::Trap(_)), "{call}@{target}: {:?} {}", out.status, stdout_of(&out));
        }
    }
}

// ---------------------------------------------------------------------------
// 2. fd_readdir.

/// 1000 entries in `big/`: 977 files (names of 5 to 40 bytes, some not
/// ASCII), 20 directories, and 3 symlinks the program adds.
fn big_dir(program: &'static str, args: &[&str]) -> Scenario {
    let mut s = Scenario::rust(program).args(args.iter().copied()).file("a.txt", "hello world\n").dir("empty");
    for i in 0..977usize {
        let name = match i % 100 {
            7 => format!("big/ünï-{i}"),
            8 => format!("big/日本-{i}"),
            9 => format!("big/🦀-{i}"),
            _ => format!("big/f{i:04}{}", "x".repeat(i % 36)),
        };
        s = s.file(&name, vec![b'a' + (i % 26) as u8; i % 50]);
    }
    for i in 0..20 {
        s = s.dir(&format!("big/dir{i:02}"));
    }
    s.file("big/dir03/child", "c")
}

fn readdir_raw(bufsize: &str) -> Outcome {
    let out = check(&big_dir("fs_readdir", &["raw", "big", bufsize]).wasmtime_only(differs::SLOW));
    assert_eq!(out.status, Status::Exit(0), "{}", String::from_utf8_lossy(&out.stderr));
    let text = stdout_of(&out);
    assert!(text.contains("entries=1002 calls="), "{text}");
    assert_eq!(text.matches("same as stat: true").count(), 1000, "{text}");
    assert_eq!(text.matches("same as fstat(dir): true").count(), 2, "{text}");
    assert!(text.contains("type=7 name=\"link-dangling\""), "{text}");
    assert!(text.contains("type=3 name=\"dir03\""), "{text}");
    out
}

#[test]
fn readdir_1000_entries_64_byte_buffer() {
    let out = readdir_raw("64");
    assert_has(&out, &["call 1: cookie=0 used=64 complete=2 partial=true", "entries=1002 calls=972"]);
}

#[test]
fn readdir_1000_entries_256_byte_buffer() {
    let out = readdir_raw("256");
    assert_has(&out, &["call 1: cookie=0 used=256 complete=6 partial=true", "entries=1002 calls=198"]);
}

#[test]
fn readdir_1000_entries_65536_byte_buffer() {
    let out = readdir_raw("65536");
    assert_has(&out, &["entries=1002 calls=1"]);
}

#[test]
fn readdir_resuming_from_cookies() {
    let out = check(&big_dir("fs_readdir", &["cookies", "big"]));
    assert_eq!(out.status, Status::Exit(0));
    let text = stdout_of(&out);
    assert_eq!(text.matches("same as listing: true").count(), 4, "{text}");
    assert_has(
        &out,
        &[
            "listed 1002 entries",
            "back to 1: 0 used=200 names=[\"..\",",
            "cookie 1002: 0 used=0 entries=0",
            "cookie 18446744073709551615: 0 used=0 entries=0",
            "len 0 cookie 0: 0 used=0",
            "len 25 cookie 0: 0 used=25 head=[1, 0, 0, 0, 0, 0, 0, 0, 255, 255, 255, 255, 255, 255, 255, 255, 1, 0, 0, 0, 3, 0, 0, 0] name=\".\"",
            "second fd: same listing: true",
            "interleaved: 2004 entries, cookies 1002 1002",
        ],
    );
}

/// Documented divergence (README, "Known differences"): native re-reads the
/// whole directory on every `fd_readdir` call, so a cookie is an index into
/// the *current* listing and removing already-listed entries (as `rm -r`
/// does) makes it skip entries nobody touched: 4 of the 988 here. Ours keeps
/// one open listing per directory (the O(entries) cursor the readdir work
/// requires), so every untouched entry comes back exactly once, which is what
/// POSIX promises. Everything else in the run is identical.
#[test]
fn readdir_with_entries_removed_and_added_between_calls() {
    use adapter_tests::{run, Runner};
    let scenario = big_dir("fs_readdir", &["modify", "big"]);
    for blocking in [true, false] {
        let native = run(&scenario, Runner::Native, blocking).unwrap();
        let ours = run(&scenario, Runner::Adapter, blocking).unwrap();
        assert_has(&native, &["first call: 0 used=512 entries=11", "removed 9, added 5", "after cookie 11: 984 entries", "from 0: 995 entries"]);
        assert_has(&ours, &["first call: 0 used=512 entries=11", "removed 9, added 5", "after cookie 11: 988 entries", "from 0: 995 entries"]);
        // The resumed listing: distinct names, and every original entry native
        // returned is there too.
        let listed = |o: &adapter_tests::Outcome| -> Vec<String> {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .filter_map(|l| l.trim_start().strip_prefix("next=").and_then(|r| r.split_once(" name=")).map(|(_, n)| n.to_string()))
                .collect()
        };
        let (theirs, mine) = (listed(&native), listed(&ours));
        let distinct: std::collections::HashSet<&String> = mine.iter().collect();
        assert_eq!(distinct.len(), mine.len(), "a name listed twice");
        // Entries added after the listing started may or may not appear (POSIX
        // leaves it open; native shows them, our open listing does not).
        let missing: Vec<&String> = theirs.iter().filter(|n| !n.starts_with("\"added-") && !distinct.contains(n)).collect();
        assert!(missing.is_empty(), "entries native lists are missing: {missing:?}");
        assert_eq!(native.tree, ours.tree);
        assert_eq!(native.status, ours.status);
    }
}

#[test]
fn readdir_through_std() {
    let out = check(&big_dir("fs_readdir", &["std", "big"]));
    assert_has(
        &out,
        &[
            "\"link-to-dir\" dir=false file=false symlink=true",
            "\"dir03\" dir=true file=false symlink=false size=-",
            "1000 entries",
            "sorted first=Some(\"dir00\") last=Some(\"🦀-909\")",
            "read_dir of a file: Err(Some(54))",
        ],
    );
}

#[test]
fn readdir_errors_and_small_directories() {
    let out = check(&big_dir("fs_readdir", &["errors"]).wasmtime_only(differs::PREOPEN_DESCRIPTOR));
    assert_has(
        &out,
        &[
            "readdir on file: 8/BADF",
            "readdir on preopen: 0 used<4096: true names=[\".\", \"..\",",
            "write-only dir: open \"big\" -> 31/ISDIR",
            "readdir of removed dir: 0 used=51 names=[\".\", \"..\"]",
            "  next=2 type=3 name=\"..\" ino nonzero=true same as fstat(dir): true",
        ],
    );
}

// ---------------------------------------------------------------------------
// 3. Scaling (adapter only: native re-reads the directory on every call).

fn many_entries(n: usize) -> Scenario {
    let mut s = Scenario::rust("fs_scale").args(["many"]).dir("many");
    for i in 0..n {
        s = s.file(&format!("many/e{i:06}"), Vec::new());
    }
    s
}

fn fnv(mut h: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        h ^= b as u64;
        h = h.wrapping_mul(0x100_0000_01b3);
    }
    h
}

/// The summary line fs_scale must print for `n` entries (and its call count).
fn expect_scale(out: &Outcome, n: usize) -> u64 {
    let mut sum = 0u64;
    for name in [".".to_string(), "..".to_string()].into_iter().chain((0..n).map(|i| format!("e{i:06}"))) {
        sum = sum.wrapping_add(fnv(0xcbf2_9ce4_8422_2325, name.as_bytes()));
    }
    let text = stdout_of(out);
    let want = format!("entries={} files={n} dirs=2 nonzero_ino={} namesum={sum:#x} last_cookie={} calls=", n + 2, n + 2, n + 2);
    assert!(text.starts_with(&want), "expected {want}…, got {text}");
    text.trim_end()[want.len()..].parse().unwrap()
}

#[test]
fn scale_program_agrees_with_native() {
    let out = check(&many_entries(500));
    assert_eq!(expect_scale(&out, 500), 251);
}

#[test]
fn readdir_host_calls_grow_linearly() {
    let mut calls = Vec::new();
    for n in [10_000usize, 100_000] {
        let (out, host_calls) = run_counting(&many_entries(n), Runner::Adapter, true).unwrap();
        assert_eq!(out.status, Status::Exit(0), "{n} entries: {}", String::from_utf8_lossy(&out.stderr));
        let readdir_calls = expect_scale(&out, n);
        eprintln!("{n} entries: {readdir_calls} fd_readdir calls, {host_calls} host calls ({:.2} per entry)", host_calls as f64 / n as f64);
        assert!(host_calls < 8 * n as u64, "{n} entries took {host_calls} host calls");
        calls.push(host_calls);
    }
    assert!(calls[1] < 12 * calls[0], "host calls for 10k and 100k entries: {calls:?}");
}

// ---------------------------------------------------------------------------
// 4. Many descriptors at once.

/// The soft RLIMIT_NOFILE of this process (Linux), if it can be read.
/// Lets this process hold `need` more open files than it does now: every
/// file the guest holds open is a host file, and the tests running in
/// parallel hold theirs. Raises the soft limit, and the hard one if it is
/// lower (allowed as root, as `./test.sh` runs in CI); fails clearly if the
/// system refuses.
fn allow_open_files(need: u64) {
    let want = need + 4096;
    let mut limit = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    assert_eq!(unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) }, 0);
    if limit.rlim_cur >= want {
        return;
    }
    limit.rlim_cur = want;
    limit.rlim_max = limit.rlim_max.max(want);
    let raised = unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &limit) } == 0;
    assert!(raised, "this test needs RLIMIT_NOFILE >= {want} and could not raise it: {}", std::io::Error::last_os_error());
}

/// Runs a `fs_churn` case natively and through the adapter (blocking mode
/// does not matter here: one is enough for this many calls) and also
/// asserts that the adapter run ends with exactly as many live WASI 0.2
/// resources as a run of one cycle: nothing a closed descriptor held
/// (stream, directory stream, preopen handle) is left behind.
fn churn(case: &str, n: usize) -> Outcome {
    let one = run(&Scenario::rust("fs_churn").args([case, "1"]), Runner::Adapter, true).unwrap();
    let baseline = one.host_resources.expect("component runs count resources");
    let scenario = Scenario::rust("fs_churn").args([case.to_string(), n.to_string()]);
    let native = run(&scenario, Runner::Native, true).unwrap();
    let adapter = run(&scenario, Runner::Adapter, true).unwrap();
    let mut diff = compare(&native, &adapter, &component_status(&native.status));
    if adapter.host_resources != Some(baseline) {
        diff += &format!("host resources alive at exit: {:?}, after one cycle: {baseline}\n", adapter.host_resources);
    }
    assert!(diff.is_empty(), "fs_churn {case} {n}: native and adapter differ:\n{diff}");
    native
}

#[test]
fn hundred_thousand_open_close_cycles_leave_nothing_behind() {
    let out = churn("cycles", 100_000);
    assert_eq!(stdout_of(&out), "cycles 100000: fds {4, 5}; memory grew after 100 cycles: false\n");
}

#[test]
fn ten_thousand_files_open_at_once_three_times() {
    allow_open_files(10_000);
    let out = churn("hold", 10_000);
    assert_has(
        &out,
        &[
            "round 0: 10000 open, fds 4..=10003, contiguous true, all stat true\n",
            "round 0: closed 10000; fdstat of the first now 8/BADF\n",
            "round 2: closed 10000",
            "memory grew after the first round: false\n",
        ],
    );
}

#[test]
fn two_thousand_files_open_at_once() {
    allow_open_files(2_000);
    let out = check(&Scenario::rust("fs_manyfds").args(["2000"]));
    assert_eq!(
        stdout_of(&out),
        "mkdir 0\nopened 2000 fds: first=Some(4) last=Some(2003) contiguous=true\nwrote 2000\nverified 2000\n\
         reopened 1000: first=Some(2002) last=Some(4)\nclosed 2000\nnext fd 2003; fdstat(4)=8/BADF\n"
    );
    assert_eq!(out.tree.len(), 2002);
}

// ---------------------------------------------------------------------------
// 5. A large file.

#[test]
fn sixty_four_mib_file_in_aligned_and_misaligned_chunks() {
    let out = check(&Scenario::rust("fs_bigfile").wasmtime_only(differs::SLOW));
    assert_has(
        &out,
        &[
            "wrote 67108864 bytes: writes 1048576x64",
            "reads 0x1,1048513x1,1048577x63",
            "same=true",
            "pwrote up to 67108864: pwrites 63x1,1048575x64",
            "as expected=true",
            "pread 5 at 67108863: 0 [244]",
            "std::fs::read: 67108864 bytes",
        ],
    );
    assert_eq!(file_of(&out, "big.bin").map(|c| c.len()), Some(64 << 20));
}

// ---------------------------------------------------------------------------
// 6. Edge cases.

fn edge(case: &str) -> Outcome {
    edge_on(case, None)
}

/// [`edge`], on wasmtime only if `wasmtime_only` says why.
fn edge_on(case: &str, wasmtime_only: Option<&'static str>) -> Outcome {
    check_case("fs_edge", case, wasmtime_only)
}

#[test]
fn fifty_nested_directories() {
    let out = edge_on("deep", Some(differs::PATHS));
    assert_has(
        &out,
        &[
            "path length 449",
            "walked down: fds 4..53",
            "  read \"at the bottom\\n\"",
            "via to-top: stat \"to-top\" follow=1 -> 63/PERM",
            "long path 12460 bytes",
            "readdir at depth 25: 0 [\".\", \"..\", \"level-25\"]",
            "removed 49",
        ],
    );
    let text = stdout_of(&out);
    assert!(text.lines().any(|l| l.starts_with("long path: stat") && l.ends_with("-> 37/NAMETOOLONG")), "{text}");
}

#[test]
fn symlink_loops_and_chains() {
    let out = edge("loops");
    assert_has(
        &out,
        &[
            "\"self\": open follow=32/LOOP nofollow=32/LOOP stat follow=32/LOOP nofollow=0 (type 7)",
            "\"loop1/x\": open follow=32/LOOP",
            "chain of 40: open 0 \"hello world\\n\" stat 0",
            "chain of 41: open 32/LOOP",
            "loop2 now dangling: stat \"loop2\" follow=1 -> 44/NOENT",
        ],
    );
}

#[test]
fn unicode_names() {
    let out = edge_on("unicode", Some(differs::PREOPEN_DESCRIPTOR));
    assert_has(
        &out,
        &[
            "open through unicode link: 0 \"1:日本語のファイル\"",
            "readlink cut to 4: 0 used=4 [46, 46, 47, 230]",
            "std exists é: true e+◌́: true",
            "create name of 255 bytes: 0",
            "create name of 258 bytes: 37/NAMETOOLONG",
        ],
    );
    assert_eq!(file_of(&out, "目录/🦀"), Some("2:🦀🦀🦀".as_bytes()));
}

#[test]
fn rename_over_files_and_directories() {
    let out = edge("rename");
    assert_has(
        &out,
        &[
            "  old fd reads \"third\" nlink=0",
            "rename db over non-empty dc: 55/NOTEMPTY",
            "rename file over dir: 31/ISDIR",
            "rename dir over file: 54/NOTDIR",
            "rename dir into itself: 28/INVAL",
            "  dlnk: \"first\"",
            "rename across with .. escape: 63/PERM",
        ],
    );
}

#[test]
fn append_mode_interleaved_with_seeks() {
    let out = edge("append");
    assert_has(
        &out,
        &[
            "seek 0, write two: (0, 4) tell=(0, 8) contents=\"one\\ntwo\\n\"",
            "pwrite at 0: (0, 2) tell=(0, 14) contents=\"one\\ntwo\\nthree\\nPW\"",
            "append tell after shrink (0, 34)",
            "interleaved: \"0a1b2a3b4a\"",
        ],
    );
    assert_eq!(file_of(&out, "log.txt"), Some(&b"NINEeight\nten\neleven\n"[..]));
}

#[test]
fn read_only_preopen_refuses_every_write() {
    let out = check(&base("fs_edge", "readonly").read_only());
    assert_eq!(out.status, Status::Exit(0));
    assert_has(
        &out,
        &[
            "write (8, 0)",
            "set_size: 63/PERM",
            "open rw: open \"a.txt\" -> 63/PERM",
            "open trunc: open \"a.txt\" -> 63/PERM",
            "mkdir: 63/PERM",
            "rename to self: 63/PERM",
            "path set_times invalid: 28/INVAL",
            "d: creat: open \"made.txt\" -> 63/PERM",
            "std write: Err(Some(63))",
            "std read: Ok(\"hello world\\n\")",
        ],
    );
    // Nothing changed.
    let names: Vec<String> = out.tree.iter().map(|(p, _)| p.display().to_string()).collect();
    assert_eq!(names, ["a.txt", "d", "d/inner.txt", "e"]);
    assert_eq!(file_of(&out, "a.txt"), Some(&b"hello world\n"[..]));
}

#[test]
fn std_fs_api() {
    let out = check(&base("fs_std", "").wasmtime_only(differs::TIMES));
    assert_has(
        &out,
        &[
            "read a dir: err Some(8)",
            "copy: ok 12",
            "read_link: ok \"moved.txt\"",
            "symlink_metadata: ok (false, false, true, 9)",
            "modified: ok 1234567892.123456789s",
            "read_to_end: ok 20",
            "remove_dir non-empty: err Some(55)",
            "tree entries: ok 302",
            "remove_dir_all tree: ok ()",
            "list root at the end: ok [\"a.txt\", \"d/\", \"e/\", \"f.txt\", \"moved.txt\", \"new.txt\", \"w.txt\"]",
        ],
    );
}
