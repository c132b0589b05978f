//! The 46 `wasi_snapshot_preview1` exports.
//!
//! Each is a wrapper that owns no stack frame of its own: it points the
//! shadow stack at the adapter's stack window (`stack::enter`), runs the
//! implementation, and leaves the window clean (`stack::leave`). See
//! `scratch.rs` for why the stack lives there.
//!
//! The exports are generated from the list in `exports.rs`
//! (`for_each_preview1!`), which `verify` reads too. The number after each
//! function there is the bytes of the window it may use: the window is
//! checked and cleared on every call, so a call pays for what it uses
//! rather than for the deepest export. `verify` computes each export's
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

// Only the fast paths answer it, and the proxy has none (below).
#[cfg(not(feature = "proxy"))]
use super::fast::NOT_FAST;
use super::scratch::stack;
use super::{args_env, clocks, fd, path, poll, process, random, read_write, sock};
use crate::exports::STACK_WINDOW;

macro_rules! exports {
    ($($module:ident::$name:ident($($arg:ident: $ty:ident),*) $window:tt $(fast $fast:ident)?;)*) => {
        $(
            exports!(@export $module::$name($($arg: $ty),*) $window $(fast $fast)?);
        )*
    };
    // `proc_exit` does not return, so it leaves no stack behind to clean.
    (@export $module:ident::$name:ident($($arg:ident: $ty:ident),*) exits) => {
        #[no_mangle]
        pub unsafe extern "C" fn $name($($arg: $ty),*) -> ! {
            stack::enter(STACK_WINDOW);
            $module::$name($($arg),*)
        }
    };
    (@export $module:ident::$name:ident($($arg:ident: $ty:ident),*) $window:literal $(fast $fast:ident)?) => {
        #[no_mangle]
        pub unsafe extern "C" fn $name($($arg: $ty),*) -> u32 {
            exports!(@fast $module::($($arg),*) $($fast)?);
            stack::enter($window);
            let errno = $module::$name($($arg),*);
            stack::leave();
            errno
        }
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

for_each_preview1!(exports);
