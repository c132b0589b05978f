//! The adapter's export contract, written once: the 46 preview1 functions
//! and the stack each may use. The adapter generates its exports from it
//! (`wasm/preview1.rs`); `verify` includes this file (`#[path]`) and derives
//! its table of names and core signatures from the same list, which the
//! fuzzer and the converter use in turn. Plain macro data and one constant:
//! it must compile in the `no_std` adapter and in a host crate alike.

/// Bytes of shadow stack an export may use (its window: see
/// `wasm/scratch.rs`). `verify` computes the deepest call chain of the built
/// adapter and fails the build if it needs more. A multiple of 32 (see
/// `zero_words` in `scratch.rs`); the deepest export needs 64 (`path_open`),
/// each declares its own part (below), and the fast paths' return areas are
/// its top bytes.
pub const STACK_WINDOW: u32 = 384;

/// `for_each_preview1!(callback)` expands to `callback! { ...entries... }`,
/// one entry per preview1 function in the order of preview1's witx (the
/// fuzzer's guest numbers the functions so):
///
/// `module::name(arg: type, ...) window [fast fast_path];`
///
/// * `module`: the adapter's module that implements it (`wasm/`);
/// * the arguments, as core wasm takes them: `u32` is an `i32`, `u64` and
///   `i64` are `i64`; every function returns an `i32` errno except the one
///   whose window is `exits`;
/// * `window`: the bytes of [`STACK_WINDOW`] it declares it uses (why: see
///   `wasm/preview1.rs`), or `exits` for `proc_exit`, which does not return
///   and takes the whole window;
/// * `fast fast_path`: the function in `module` that tries the common case
///   first (`wasm/preview1.rs`).
macro_rules! for_each_preview1 {
    ($callback:ident) => {
        $callback! {
            args_env::args_get(argv: u32, argv_buf: u32) 32;
            args_env::args_sizes_get(argc: u32, argv_buf_size: u32) 32;
            args_env::environ_get(environ: u32, environ_buf: u32) 32;
            args_env::environ_sizes_get(environc: u32, environ_buf_size: u32) 32;
            clocks::clock_res_get(id: u32, resolution: u32) 0;
            clocks::clock_time_get(id: u32, precision: u64, time: u32) 0 fast clock_time_fast;
            fd::fd_advise(fd: u32, offset: u64, len: u64, advice: u32) 32;
            fd::fd_allocate(fd: u32, offset: u64, len: u64) 32;
            fd::fd_close(fd: u32) 32 fast fd_close_fast;
            fd::fd_datasync(fd: u32) 32;
            fd::fd_fdstat_get(fd: u32, out: u32) 64;
            fd::fd_fdstat_set_flags(fd: u32, flags: u32) 32;
            fd::fd_fdstat_set_rights(fd: u32, base: u64, inheriting: u64) 32;
            fd::fd_filestat_get(fd: u32, out: u32) 32;
            fd::fd_filestat_set_size(fd: u32, size: u64) 32;
            fd::fd_filestat_set_times(fd: u32, atim: u64, mtim: u64, flags: u32) 64;
            read_write::fd_pread(fd: u32, iovs: u32, iovs_len: u32, offset: u64, nread: u32) 32;
            fd::fd_prestat_get(fd: u32, out: u32) 32;
            fd::fd_prestat_dir_name(fd: u32, path: u32, path_len: u32) 32;
            read_write::fd_pwrite(fd: u32, iovs: u32, iovs_len: u32, offset: u64, nwritten: u32) 32;
            read_write::fd_read(fd: u32, iovs: u32, iovs_len: u32, nread: u32) 32 fast fd_read_fast;
            fd::fd_readdir(fd: u32, buf: u32, buf_len: u32, cookie: u64, used: u32) 64;
            fd::fd_renumber(from: u32, to: u32) 32;
            fd::fd_seek(fd: u32, offset: i64, whence: u32, newoffset: u32) 32 fast fd_seek_fast;
            fd::fd_sync(fd: u32) 32;
            fd::fd_tell(fd: u32, offset: u32) 32 fast fd_tell_fast;
            read_write::fd_write(fd: u32, iovs: u32, iovs_len: u32, nwritten: u32) 32 fast fd_write_fast;
            path::path_create_directory(fd: u32, path: u32, path_len: u32) 64;
            path::path_filestat_get(fd: u32, flags: u32, path: u32, path_len: u32, out: u32) 64 fast path_filestat_get_fast;
            path::path_filestat_set_times(fd: u32, flags: u32, path: u32, path_len: u32, atim: u64, mtim: u64, fst_flags: u32) 64;
            path::path_link(old_fd: u32, old_flags: u32, old_path: u32, old_path_len: u32, new_fd: u32, new_path: u32, new_path_len: u32) 64;
            path::path_open(fd: u32, dirflags: u32, path: u32, path_len: u32, oflags: u32, rights_base: u64, rights_inheriting: u64, fdflags: u32, opened: u32) 64;
            path::path_readlink(fd: u32, path: u32, path_len: u32, buf: u32, buf_len: u32, used: u32) 64;
            path::path_remove_directory(fd: u32, path: u32, path_len: u32) 64;
            path::path_rename(fd: u32, old_path: u32, old_path_len: u32, new_fd: u32, new_path: u32, new_path_len: u32) 64;
            path::path_symlink(old_path: u32, old_path_len: u32, fd: u32, new_path: u32, new_path_len: u32) 64;
            path::path_unlink_file(fd: u32, path: u32, path_len: u32) 64;
            poll::poll_oneoff(subscriptions: u32, events: u32, nsubscriptions: u32, nevents: u32) 32;
            process::proc_exit(code: u32) exits;
            process::proc_raise(signal: u32) 0;
            clocks::sched_yield() 0;
            random::random_get(buf: u32, len: u32) 0 fast random_fast;
            sock::sock_accept(fd: u32, flags: u32, opened: u32) 32;
            sock::sock_recv(fd: u32, ri_data: u32, ri_data_len: u32, ri_flags: u32, ro_datalen: u32, ro_flags: u32) 32;
            sock::sock_send(fd: u32, si_data: u32, si_data_len: u32, si_flags: u32, so_datalen: u32) 32;
            sock::sock_shutdown(fd: u32, how: u32) 32;        }
    };
}
