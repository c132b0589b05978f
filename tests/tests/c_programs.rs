//! Differential scenarios with C programs (`tests/c/fs_*.c`, wasi-libc):
//! the filesystem as a C program reaches it through libc. Each program is
//! a set of named cases (argv[1]); each test runs one case with the scenario
//! directory preopened at `/sandbox` (the program's working directory) and
//! also checks the native output, so that no test passes vacuously.
//!
//! `C_PROGRAMS_ORACLE_ONLY=1` runs only the oracle (wasmtime's preview1),
//! twice in each blocking mode, and asserts the runs agree: a check of the
//! programs themselves (deterministic output, expected lines), not of the
//! adapter.

use std::sync::Mutex;

use adapter_tests::jco::differs;
use adapter_tests::{check, program_wasm, run, stdout_of, Outcome, Runner, Scenario, Status};

fn oracle_only() -> bool {
    std::env::var_os("C_PROGRAMS_ORACLE_ONLY").is_some_and(|v| v != "0")
}

/// Runs the oracle alone, in both blocking modes and twice each, and
/// asserts that every run observes the same thing.
fn oracle(scenario: &Scenario) -> Outcome {
    let first = run(scenario, Runner::Native, true).unwrap();
    for blocking in [true, false] {
        for _ in 0..(if blocking { 1 } else { 2 }) {
            let again = run(scenario, Runner::Native, blocking).unwrap();
            assert_eq!(stdout_of(&first), stdout_of(&again), "native stdout differs between runs (blocking={blocking})");
            assert_eq!(first.stderr, again.stderr, "native stderr differs between runs");
            assert_eq!(first.status, again.status, "native status differs between runs");
            assert!(first.tree == again.tree, "native directory tree differs between runs");
        }
    }
    first
}

fn outcome(scenario: &Scenario) -> Outcome {
    // The harness compiles a C program on first use under a name private to
    // the process, not to the thread: compile each program once, in turn,
    // before tests of this process use it in parallel.
    static COMPILING: Mutex<()> = Mutex::new(());
    {
        let _guard = COMPILING.lock().unwrap_or_else(|e| e.into_inner());
        program_wasm(&scenario.program);
    }
    if oracle_only() {
        oracle(scenario)
    } else {
        check(scenario)
    }
}

/// Runs one case and checks that it ran to the end natively and printed
/// every line of `expected` (each a whole line of stdout).
fn case(scenario: Scenario, expected: &[&str]) -> String {
    let out = outcome(&scenario);
    let text = stdout_of(&out);
    assert_eq!(out.status, Status::Exit(0), "native run did not exit cleanly:\n{text}\nstderr: {}", String::from_utf8_lossy(&out.stderr));
    assert!(text.ends_with("done\n"), "native run did not finish its case:\n{text}");
    for line in expected {
        assert!(text.lines().any(|l| l == *line), "native output lacks the line {line:?}:\n{text}");
    }
    text
}

fn dirs(name: &'static str) -> Scenario {
    Scenario::c("fs_dirs").args([name])
}

fn stat(name: &'static str) -> Scenario {
    Scenario::c("fs_stat").args([name])
}

fn files(name: &'static str) -> Scenario {
    Scenario::c("fs_files").args([name])
}

fn names(name: &'static str) -> Scenario {
    Scenario::c("fs_names").args([name])
}

/// The names `fs_dirs.c` gives its generated entries (`make_name`): up to
/// 255 bytes, so that entries straddle the edges of libc's readdir buffer.
fn generated_name(i: usize) -> String {
    let mut name = format!("f{i:04}_");
    let mut extra = (i * 37) % 250;
    if i % 100 == 99 {
        extra = 255 - name.len();
    }
    for k in 0..extra {
        if name.len() >= 255 {
            break;
        }
        name.push((b'a' + ((i + k) % 26) as u8) as char);
    }
    name
}

fn thousand_files(mut scenario: Scenario) -> Scenario {
    scenario = scenario.dir("big");
    for i in 0..1000 {
        scenario = scenario.file(&format!("big/{}", generated_name(i)), Vec::new());
    }
    scenario
}

// ---------------------------------------------------------------------------
// fs_dirs.c

#[test]
fn dirs_empty() {
    case(dirs("empty"), &["empty: count=0 dot=1 dotdot=1 duplicates=0 end_errno=0"]);
}

#[test]
fn dirs_one_entry() {
    case(dirs("one"), &["one: count=1 dot=1 dotdot=1 duplicates=0 end_errno=0", "  file only.txt"]);
}

#[test]
fn dirs_fifty_entries() {
    case(
        dirs("fifty"),
        &["fifty: count=50 dot=1 dotdot=1 duplicates=0 end_errno=0", "  symlink dangling", "  file file46.txt", "  symlink link", "  dir subdir"],
    );
}

#[test]
fn dirs_thousand_entries_from_scenario() {
    case(
        thousand_files(dirs("thousand")),
        &["big: count=1000 dot=1 dotdot=1 duplicates=0 end_errno=0", "exactly the created names, all regular files: yes"],
    );
}

#[test]
fn dirs_thousand_entries_read_only_preopen() {
    case(
        thousand_files(dirs("thousand")).read_only(),
        &["big: count=1000 dot=1 dotdot=1 duplicates=0 end_errno=0", "exactly the created names, all regular files: yes"],
    );
}

#[test]
fn dirs_thousand_entries_created() {
    case(
        dirs("thousand_created"),
        &[
            "created 1000 files in made, 0 failed",
            "made: count=1000 dot=1 dotdot=1 duplicates=0 end_errno=0",
            "exactly the created names, all regular files: yes",
        ],
    );
}

#[test]
fn dirs_preopen_itself() {
    case(
        dirs("preopen").dir("sub").file("top.txt", "top"),
        &[
            "/sandbox: count=2 dot=1 dotdot=1 duplicates=0 end_errno=0",
            ".: count=2 dot=1 dotdot=1 duplicates=0 end_errno=0",
            "sub/..: count=2 dot=1 dotdot=1 duplicates=0 end_errno=0",
            "  file top.txt",
            "opendir(/): ENOTCAPABLE",
        ],
    );
}

#[test]
fn dirs_rewind() {
    case(
        dirs("rewind"),
        &[
            "read 3 entries before rewind",
            "after rewind: count=3 dot=1 dotdot=1 duplicates=0 end_errno=0",
            "readdir at end again: NULL errno=0",
            "after changes and rewind: count=3 dot=1 dotdot=1 duplicates=0 end_errno=0",
            "  file d",
        ],
    );
}

#[test]
fn dirs_telldir_seekdir() {
    case(
        dirs("seek"),
        &[
            "s: entries=5 positions distinct=yes seekdir checked=5 consistent=yes at end after seekdir(end): NULL",
            "s2: entries=602 positions distinct=yes seekdir checked=602 consistent=yes at end after seekdir(end): NULL",
            "s2: after seekdir(first) read 602 entries",
        ],
    );
}

#[test]
fn dirs_nested() {
    case(
        dirs("nested"),
        &[
            "        file n/a/b/c/d/deep.txt",
            "interleaved n: count=4 dot=1 dotdot=1 duplicates=0 end_errno=0",
            "dirfd matches: yes",
            "fdopendir n/a/b/c: count=1 dot=1 dotdot=1 duplicates=0 end_errno=0",
            "n/link_to_b/c/: count=1 dot=1 dotdot=1 duplicates=0 end_errno=0",
        ],
    );
}

#[test]
fn dirs_scandir() {
    case(
        dirs("scandir"),
        &["scandir(\"sc\", &list, NULL, alphasort) = 6", "scandir(\"sc\", &list, not_hidden, alphasort) = 3", "  file .hidden"],
    );
}

#[test]
fn dirs_modified_while_reading() {
    case(
        dirs("modify"),
        &[
            "small dir while changing: keep1 seen 1, keep2 seen 1, dot=1 dotdot=1",
            "after rewind: count=4 dot=1 dotdot=1 duplicates=0 end_errno=0",
            "large dir while adding: original entries missing=0 end_errno=0",
            "mb after rewind: count=500 dot=1 dotdot=1 duplicates=0 end_errno=0",
            "remove while reading: some removed=yes duplicates=0 foreign=0",
            "md after rewind: remaining+removed=30",
            "rmdir(\"md\") = 0",
        ],
    );
}

#[test]
fn dirs_errors() {
    case(
        dirs("errors"),
        &["opendir(\"missing\") = NULL ENOENT", "opendir(\"file\") = NULL ENOTDIR", "readdir of removed dir: entries=3 errno=0"],
    );
}

// ---------------------------------------------------------------------------
// fs_stat.c

#[test]
fn stat_basic() {
    case(
        stat("basic"),
        &[
            "stat(\"file.txt\", &a): type=file mode=100000 size=1234 nlink=1",
            "stat/lstat/fstat/fstatat same file: yes yes yes",
            "st_ino nonzero: yes; st_dev same for two files: yes; different files differ: yes",
            "dir/sub/.. is dir: yes",
            "stat(\"grow\", &b): type=file mode=100000 size=5001 nlink=1",
        ],
    );
}

#[test]
fn stat_symlinks() {
    case(
        stat("symlinks").wasmtime_only(differs::PATHS),
        &[
            "lstat(\"link\", &b): type=symlink mode=120000 size=10 nlink=1",
            "stat(link) is the target: yes",
            "stat(\"dangling\", &a): -1 ENOENT",
            "lstat(\"dangling\", &a): type=symlink mode=120000 size=7 nlink=1",
            "stat(\"dotdot_link\", &a): type=file mode=100000 size=11 nlink=1",
        ],
    );
}

#[test]
fn stat_errors() {
    case(
        stat("errors").wasmtime_only(differs::PATHS),
        &["stat(\"missing\", &st): -1 ENOENT", "stat(\"file/x\", &st): -1 ENOTDIR", "stat(\"file/\", &st): -1 ENOTDIR", "stat(name, &st): -1 ENAMETOOLONG"],
    );
}

#[test]
fn stat_escape_and_absolute_paths() {
    case(
        stat("escape"),
        &[
            "stat(\"..\", &st): -1 EPERM",
            "stat(\"dir/../file\", &st): type=file mode=100000 size=8 nlink=1",
            "stat(SANDBOX \"/file\", &st): type=file mode=100000 size=8 nlink=1",
            "stat(SANDBOX \"/..\", &st): -1 EPERM",
            "getcwd: /sandbox/dir",
        ],
    );
}

#[test]
fn stat_nlink() {
    case(
        stat("nlink"),
        &["stat(\"b\", &b): type=file mode=100000 size=6 nlink=2", "same inode: yes", "fstat(fd, &a): type=file mode=100000 size=6 nlink=0", "dir nlink=4"],
    );
}

#[test]
fn stat_times() {
    case(
        stat("times").wasmtime_only(differs::TIMES),
        &[
            "explicit: atime=1000000000.123456789 mtime=1500000000.500000000",
            "omit atime: atime=1000000000.123456789 mtime=1600000000.000000001",
            "atime now: atime is now=yes mtime=86400.000000000",
            "wasi mtime now: atime=1300000000.000000007 mtime is now=yes",
            "wasi both now: atime is now=yes mtime is now=yes",
            "futimens O_WRONLY: atime=2000000000.000000042 mtime=2200000000.000000043",
            "write updates mtime to now: yes",
            "futimens dir: atime=1.000000002 mtime=3.000000004",
            "nofollow: link: atime=1333333333.000000000 mtime=1444444444.000000000",
            "final: atime=1111111111.000000000 mtime=1222222222.000000000",
        ],
    );
}

#[test]
fn stat_modes() {
    case(
        stat("modes"),
        &["l: S_ISREG=0 S_ISDIR=0 S_ISLNK=1 type bits=120000", "fd 1: F_GETFL accmode=wronly append=yes", "fd 2: type=dir"],
    );
}

// ---------------------------------------------------------------------------
// fs_files.c

#[test]
fn files_fopen_modes() {
    let text = case(files("fopen_modes"), &["fopen(existing, \"wx\") = NULL EEXIST", "fopen(\"d\", \"w\") = NULL EISDIR"]);
    // Every mode ends with the file's contents: check the ones that matter.
    for (mode, contents) in [("r", "\"hello\\n\""), ("r+", "\"Xzllo\\n\""), ("w", "\"Xz\""), ("a", "\"hello\\nXYz\""), ("a+", "\"hello\\nXYz\"")] {
        let opened = format!("fopen(existing, \"{mode}\") = ok");
        let after = text.split(&opened).nth(1).unwrap_or_else(|| panic!("{opened} missing:\n{text}"));
        assert!(after.lines().take(5).any(|l| l.ends_with(contents)), "{mode}: expected contents {contents}:\n{text}");
    }
}

#[test]
fn files_stdio() {
    case(
        files("stdio"),
        &[
            "ftell after 1000 lines = 8893",
            "fread at end-10 = 10 \"line 1000\\n\" feof=1",
            "hole: read 101, zeros=100, last=!",
            "fgetc count=8994 hash=04455c28a98e976d feof=1",
            "after remove: still here",
        ],
    );
}

#[test]
fn files_open_flags() {
    case(
        files("open_flags").wasmtime_only(differs::PATHS),
        &[
            "open(\"new\", O_WRONLY | O_CREAT | O_EXCL, 0644) = -1 EEXIST",
            "content(new) = 5 \"First\"",
            "size after O_TRUNC = 0",
            "open(\"d\", O_WRONLY) = -1 EISDIR",
            "open(\"ln\", O_RDONLY | O_NOFOLLOW) = -1 ELOOP",
            "write(fd, \"x\", 1) = -1 EBADF",
            "F_GETFL: rdwr=yes append=yes",
        ],
    );
}

#[test]
fn files_append() {
    case(
        files("append"),
        &[
            "content(log) = 18 \"0123456789ABCDEFpw\"",
            "read: \"wGH\"",
            "content(log2) = 15 \"abbabbabbabbabb\"",
            "content(log2) = 16 \"XXbabbabbabbabbY\"",
            "content(log) = 25 \"0123456789ABCDEFpwGH<end>\"",
        ],
    );
}

#[test]
fn files_pread_pwrite() {
    case(
        files("pread_pwrite"),
        &[
            "size=23",
            "content(p) = 23 \"abXYZfghij\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00END\"",
            "pwrite(fd, \"no\", 2, 0) = -1 EBADF",
            "pread big: 300000 equal=yes offset=0",
        ],
    );
}

#[test]
fn files_truncate() {
    case(
        files("truncate"),
        &["size=4 pos=10", "size=100000", "pread=100000 zeros after 11=99989 head=\"0123\\x00\\x00\\x00\\x00\\x00\\x00W\"", "content(t) = 3 \"\\x00\\x00A\""],
    );
}

#[test]
fn files_eof() {
    case(
        files("eof"),
        &["lseek(fd, -2, SEEK_END) = 3", "lseek(fd, -1, SEEK_SET) = -1 EINVAL", "lseek(fd, (off_t)1 << 40, SEEK_SET) = 1099511627776", "\"+more\""],
    );
}

#[test]
fn files_big_round_trip() {
    case(
        files("big"),
        &[
            "wrote 5255225 of 5255225 bytes, error=0",
            "size=5255225",
            "read 5255225 bytes, error=0, checksum match=yes, equal=yes",
            "pread spot checks ok=yes",
            "stdio read 5255225 bytes, checksum match=yes, feof=1",
            "after overwrite: 5255225 bytes, equal=yes",
        ],
    );
}

#[test]
fn files_sync_advise_allocate() {
    case(
        files("sync_advise"),
        &[
            "fsync(rw) = 0",
            "fdatasync(rw) = 0",
            "posix_fadvise(rw, 0, 4, POSIX_FADV_SEQUENTIAL) = 0",
            "posix_fallocate(rw, 0, 100) = ENOTSUP",
            "size after fallocate attempts=4",
        ],
    );
}

#[test]
fn files_many_descriptors() {
    case(
        files("many_fds"),
        &[
            "opened 300, distinct=yes, none is stdio=yes",
            "odd descriptors intact=yes",
            "reopened 150, all contents correct=yes",
            "2000 open/close cycles ok=yes",
        ],
    );
}

#[test]
fn files_read_only_preopen() {
    case(
        files("readonly").file("ro.txt", "read-only contents\n").file("rodir/inner.txt", "inner\n").read_only(),
        &[
            "content(ro.txt) = 19 \"read-only contents\\n\"",
            "open(\"ro.txt\", O_WRONLY) = -1 EPERM",
            "open(\"new.txt\", O_WRONLY | O_CREAT, 0644) = -1 EPERM",
            "mkdir(\"newdir\", 0755) = -1 EPERM",
            "rodir entries (with . and ..) = 3",
        ],
    );
}

#[test]
fn files_invalid_whence_traps() {
    let out = outcome(&files("bad_whence"));
    assert!(matches!(out.status, Status::Trap(_)), "{:?}\n{}", out.status, stdout_of(&out));
}

#[test]
fn files_invalid_advice_traps() {
    let out = outcome(&files("bad_advice"));
    assert!(matches!(out.status, Status::Trap(_)), "{:?}\n{}", out.status, stdout_of(&out));
}

// ---------------------------------------------------------------------------
// fs_names.c

#[test]
fn names_rename() {
    case(
        names("rename").wasmtime_only(differs::PATHS),
        &[
            "content(b) = 6 \"file a\"",
            "content(empty/inside) = 9 \"inside d1\"",
            "rename(\"empty\", \"full\") = -1 ENOTEMPTY",
            "rename(\"b\", \"full\") = -1 EISDIR",
            "rename(\"full\", \"b\") = -1 ENOTDIR",
            "renameat(qd, \"h\", pd, \"../escaped\") = -1 EPERM",
            "lstat(sl2): file size=6",
        ],
    );
}

#[test]
fn names_unlink_rmdir() {
    case(
        names("unlink_rmdir").wasmtime_only(differs::PATHS),
        &["unlink(\"d\") = -1 EISDIR", "rmdir(\"full\") = -1 ENOTEMPTY", "rmdir(\"full/x\") = -1 ENOTDIR", "read: still readable", "size=15 nlink=0"],
    );
}

#[test]
fn names_mkdir() {
    case(
        names("mkdir"),
        &["mkdir(\"a\", 0755) = -1 EEXIST", "mkdir(\"f/y\", 0755) = -1 ENOTDIR", "mkdir(\"../outside\", 0755) = -1 EPERM", "deep chain depth=60 ok=yes path length=364"],
    );
}

#[test]
fn names_symlink_readlink() {
    case(
        names("symlink").wasmtime_only(differs::PATHS),
        &[
            "readlink(l, buf, 3) = 3  \"tar\" next='#'",
            "readlink(l, buf, 7) = 6  \"target\" next='#'",
            "readlink(\"target\", buf, sizeof buf) = -1 EINVAL",
            "long target round trip: yes",
            "truncated to 100: prefix matches=yes",
            "content(chain3) = 15 \"target contents\"",
            "content(target) = 26 \"target contents + appended\"",
        ],
    );
}

#[test]
fn names_symlink_loops() {
    case(
        names("loops"),
        &["open(\"self\", O_RDONLY) = -1 ELOOP", "stat(\"loop_b\", &st) = -1 ELOOP", "lstat(loop_b) is a symlink: yes", "is dir: yes", "chain: longest openable=39 then ELOOP"],
    );
}

#[test]
fn names_hard_links() {
    case(
        names("link").wasmtime_only(differs::PATHS),
        &["nlink=3 same inode=yes", "content(d/hard2) = 13 \"original+hard\"", "link(\"d\", \"dlink\") = -1 EPERM", "stat(from_dirfd): file size=13 nlink=4"],
    );
}

#[test]
fn names_unicode() {
    case(
        names("unicode"),
        &["entries=13", "  he\\xcc\\x81llo.txt file", "content(中文) = 6 \"name 2\"", "readlink matches: yes", "open(\"bad\\xff\", O_WRONLY | O_CREAT, 0644) = -1 EILSEQ"],
    );
}

#[test]
fn names_long() {
    case(
        names("long_names"),
        &["put_str(name, \"255\") = 0", "open(name, O_WRONLY | O_CREAT, 0644) = -1 ENAMETOOLONG", "made 250 levels, path length 2749", "stat(huge, &st) = -1 ENAMETOOLONG"],
    );
}

#[test]
fn names_walk() {
    let text = case(names("walk"), &["openat(fd, \"..\", O_RDONLY | O_DIRECTORY) = -1 EPERM", "stat(\"a/loop1\", &st) = -1 ELOOP"]);
    assert_eq!(text.matches("  resolved: <root>/d/file\n").count(), 2, "{text}");
    assert!(text.contains("walk a/loop1\n") && text.contains("  loop1: too many links\n"), "{text}");
}
