//! Shared helpers for the test programs: raw preview1 imports (so a program
//! can pass exactly the arguments a scenario needs, bad ones included) and
//! small output helpers.

pub mod p1 {
    #[link(wasm_import_module = "wasi_snapshot_preview1")]
    extern "C" {
        pub fn args_get(argv: u32, buf: u32) -> i32;
        pub fn args_sizes_get(argc: u32, size: u32) -> i32;
        pub fn environ_get(environ: u32, buf: u32) -> i32;
        pub fn environ_sizes_get(count: u32, size: u32) -> i32;
        pub fn clock_res_get(id: u32, out: u32) -> i32;
        pub fn clock_time_get(id: u32, precision: u64, out: u32) -> i32;
        pub fn fd_close(fd: u32) -> i32;
        pub fn fd_fdstat_get(fd: u32, out: u32) -> i32;
        pub fn fd_filestat_get(fd: u32, out: u32) -> i32;
        pub fn fd_prestat_get(fd: u32, out: u32) -> i32;
        pub fn fd_prestat_dir_name(fd: u32, path: u32, len: u32) -> i32;
        pub fn fd_read(fd: u32, iovs: u32, len: u32, nread: u32) -> i32;
        pub fn fd_write(fd: u32, iovs: u32, len: u32, nwritten: u32) -> i32;
        pub fn fd_pread(fd: u32, iovs: u32, len: u32, offset: u64, nread: u32) -> i32;
        pub fn fd_pwrite(fd: u32, iovs: u32, len: u32, offset: u64, nwritten: u32) -> i32;
        pub fn fd_renumber(from: u32, to: u32) -> i32;
        pub fn fd_seek(fd: u32, offset: i64, whence: u32, out: u32) -> i32;
        pub fn fd_tell(fd: u32, out: u32) -> i32;
        pub fn fd_sync(fd: u32) -> i32;
        pub fn fd_datasync(fd: u32) -> i32;
        pub fn fd_advise(fd: u32, offset: u64, len: u64, advice: u32) -> i32;
        pub fn fd_allocate(fd: u32, offset: u64, len: u64) -> i32;
        pub fn fd_fdstat_set_flags(fd: u32, flags: u32) -> i32;
        pub fn fd_fdstat_set_rights(fd: u32, base: u64, inheriting: u64) -> i32;
        pub fn fd_filestat_set_size(fd: u32, size: u64) -> i32;
        pub fn fd_filestat_set_times(fd: u32, atim: u64, mtim: u64, flags: u32) -> i32;
        pub fn fd_readdir(fd: u32, buf: u32, len: u32, cookie: u64, used: u32) -> i32;
        pub fn path_open(fd: u32, dirflags: u32, path: u32, len: u32, oflags: u32, base: u64, inheriting: u64, fdflags: u32, out: u32) -> i32;
        pub fn path_create_directory(fd: u32, path: u32, len: u32) -> i32;
        pub fn path_unlink_file(fd: u32, path: u32, len: u32) -> i32;
        pub fn poll_oneoff(subs: u32, events: u32, n: u32, nevents: u32) -> i32;
        pub fn proc_exit(code: u32) -> !;
        pub fn proc_raise(signal: u32) -> i32;
        pub fn random_get(buf: u32, len: u32) -> i32;
        pub fn sched_yield() -> i32;
        pub fn sock_accept(fd: u32, flags: u32, out: u32) -> i32;
        pub fn sock_recv(fd: u32, iovs: u32, len: u32, flags: u32, out: u32, oflags: u32) -> i32;
        pub fn sock_send(fd: u32, iovs: u32, len: u32, flags: u32, out: u32) -> i32;
        pub fn sock_shutdown(fd: u32, how: u32) -> i32;
    }
}

/// Address of a value, as a guest pointer.
pub fn addr<T: ?Sized>(v: &T) -> u32 {
    v as *const T as *const u8 as u32
}

/// Bytes of linear memory: one past the last valid address.
pub fn memory_end() -> u32 {
    (core::arch::wasm32::memory_size(0) * 65536) as u32
}

/// The scenario's first argument (the case to run), or "".
pub fn case() -> String {
    arg(1).unwrap_or_default().to_string()
}

/// Argument `n` (1 is the first after the program name), as
/// `std::env::args().nth(n)` but also where arguments come on stdin (see
/// [`args`]).
pub fn arg(n: usize) -> Option<&'static str> {
    args().get(n.checked_sub(1)?).map(String::as_str)
}

/// The scenario's arguments after the program name.
///
/// A run normally has them in argv. Where there is no argv at all — not even
/// the program name, which every runtime passes (wasmtime and the harness
/// do) — they come as the first line of stdin, separated by tabs (an empty
/// line: none). The `wasi:http/proxy` world has no arguments, so that is how
/// the harness hands a proxy run its case (`Runner::Proxy`, and the native
/// run it is compared with: see `adapter_tests::Scenario::args_on_stdin`).
/// The line is read one byte at a time with raw `fd_read` (std's stdin would
/// read ahead into its buffer), so all of stdin after it stays for the
/// program; it is read once, on first use.
pub fn args() -> &'static [String] {
    static ARGS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    ARGS.get_or_init(|| {
        let mut argv = std::env::args();
        if argv.next().is_some() {
            return argv.collect();
        }
        let line = String::from_utf8(first_stdin_line()).expect("the argument line is UTF-8");
        if line.is_empty() {
            Vec::new()
        } else {
            line.split('\t').map(String::from).collect()
        }
    })
}

/// Bytes of stdin up to the first newline (not included) or the end.
fn first_stdin_line() -> Vec<u8> {
    let mut line = Vec::new();
    loop {
        let mut byte = 0u8;
        let iov = [out(&mut byte), 1u32];
        let mut n = 0u32;
        let e = unsafe { p1::fd_read(0, addr(&iov[..]), 1, out(&mut n)) };
        if e != 0 || n == 0 || byte == b'\n' {
            return line;
        }
        line.push(byte);
    }
}

/// Address of a value the host will write, as a guest pointer.
pub fn out<T: ?Sized>(v: &mut T) -> u32 {
    v as *mut T as *mut u8 as u32
}
