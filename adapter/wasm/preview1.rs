//! The 46 `wasi_snapshot_preview1` exports.
//!
//! Each is a wrapper that owns no stack frame of its own: it points the
//! shadow stack at the adapter's stack window (`stack::enter`), runs the
//! implementation, and leaves the window clean (`stack::leave`). See
//! `scratch.rs` for why the stack lives there.
//!
//! The number after each export is the bytes of the window it may use: the
//! window is checked and cleared on every call, so a call pays for what it
//! uses rather than for the deepest export. `verify` computes each export's
//! deepest chain of frames and fails the build if it exceeds this number
//! (it reads it as the `i32.const` before the export's first call). Keep
//! them multiples of 32 and at most `STACK_WINDOW`, and no larger than the
//! need rounded up: every 32 bytes more cost each call ~20 instructions. To
//! read the needs, build with every window 0: `verify` lists them.
//!
//! A few hot calls have a fast path (`fast` after the window), tried before
//! the window is entered: it handles the common case with no stack, no
//! scratch and no host call that returns through memory, and answers
//! [`NOT_FAST`] for everything else, which the full implementation then
//! handles (errors included). Entering and leaving the window costs more
//! than `fd_tell` itself. `verify` checks that a fast path needs no stack.
//! A fast path may answer `NOT_FAST` only before it has changed anything:
//! once it has called the host or written memory (which may hold the
//! call's own arguments, iovecs say), it finishes the call itself.

use super::fast::NOT_FAST;
use super::scratch::stack::{self, STACK_WINDOW};
use super::{args_env, clocks, fd, path, poll, process, sock, stdio};

macro_rules! exports {
    ($($module:ident::$name:ident($($arg:ident: $ty:ty),*) $window:literal $(fast $fast:ident)?;)*) => {
        $(
            #[no_mangle]
            pub unsafe extern "C" fn $name($($arg: $ty),*) -> u32 {
                exports!(@fast $module::($($arg),*) $($fast)?);
                stack::enter($window);
                let errno = $module::$name($($arg),*);
                stack::leave();
                errno
            }
        )*
    };
    (@fast $module:ident::($($arg:ident),*)) => {};
    (@fast $module:ident::($($arg:ident),*) $fast:ident) => {
        // Not in the proxy, which is built for size: there the fast paths
        // would be 0.7 KB of 10 KB, and the full implementations answer the same.
        #[cfg(not(feature = "proxy"))]
        {
            let errno = $module::$fast($($arg),*);
            if errno != NOT_FAST {
                return errno;
            }
        }
    };
}

exports! {
    stdio::fd_write(fd: u32, iovs: u32, iovs_len: u32, nwritten: u32) 32 fast fd_write_fast;
    stdio::fd_read(fd: u32, iovs: u32, iovs_len: u32, nread: u32) 32 fast fd_read_fast;
    stdio::fd_pread(fd: u32, iovs: u32, iovs_len: u32, offset: u64, nread: u32) 32;
    stdio::fd_pwrite(fd: u32, iovs: u32, iovs_len: u32, offset: u64, nwritten: u32) 32;
    args_env::args_sizes_get(argc: u32, argv_buf_size: u32) 32;
    args_env::args_get(argv: u32, argv_buf: u32) 32;
    args_env::environ_sizes_get(environc: u32, environ_buf_size: u32) 32;
    args_env::environ_get(environ: u32, environ_buf: u32) 32;
    clocks::clock_res_get(id: u32, resolution: u32) 0;
    clocks::clock_time_get(id: u32, precision: u64, time: u32) 0 fast clock_time_fast;
    clocks::random_get(buf: u32, len: u32) 0 fast random_fast;
    clocks::sched_yield() 0;
    fd::fd_close(fd: u32) 32 fast fd_close_fast;
    fd::fd_renumber(from: u32, to: u32) 32;
    fd::fd_fdstat_get(fd: u32, out: u32) 64;
    fd::fd_prestat_get(fd: u32, out: u32) 32;
    fd::fd_prestat_dir_name(fd: u32, path: u32, path_len: u32) 32;
    fd::fd_advise(fd: u32, offset: u64, len: u64, advice: u32) 32;
    fd::fd_allocate(fd: u32, offset: u64, len: u64) 32;
    fd::fd_datasync(fd: u32) 32;
    fd::fd_sync(fd: u32) 32;
    fd::fd_fdstat_set_flags(fd: u32, flags: u32) 32;
    fd::fd_fdstat_set_rights(fd: u32, base: u64, inheriting: u64) 32;
    fd::fd_filestat_get(fd: u32, out: u32) 32;
    fd::fd_filestat_set_size(fd: u32, size: u64) 32;
    fd::fd_filestat_set_times(fd: u32, atim: u64, mtim: u64, flags: u32) 64;
    fd::fd_readdir(fd: u32, buf: u32, buf_len: u32, cookie: u64, used: u32) 64;
    fd::fd_seek(fd: u32, offset: i64, whence: u32, newoffset: u32) 32 fast fd_seek_fast;
    fd::fd_tell(fd: u32, offset: u32) 32 fast fd_tell_fast;
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
    sock::sock_accept(fd: u32, flags: u32, opened: u32) 32;
    sock::sock_recv(fd: u32, ri_data: u32, ri_data_len: u32, ri_flags: u32, ro_datalen: u32, ro_flags: u32) 32;
    sock::sock_send(fd: u32, si_data: u32, si_data_len: u32, si_flags: u32, so_datalen: u32) 32;
    sock::sock_shutdown(fd: u32, how: u32) 32;
    process::proc_raise(signal: u32) 0;
}

/// Does not return, so it leaves no stack behind to clean.
#[no_mangle]
pub unsafe extern "C" fn proc_exit(code: u32) -> ! {
    stack::enter(STACK_WINDOW);
    process::proc_exit(code)
}
