//! `proc_exit`, `proc_raise`, and the command entry point `wasi:cli/run`.

use super::trap;
use crate::errno::Errno;

/// Native preview1 accepts exit codes below 126 and traps on the rest. WASI
/// 0.2's stable `exit` only tells success from failure, so every non-zero
/// code below 126 reaches the host as "error" (status 1); the opt-in
/// `exit-with-code` build passes the code itself.
#[inline(never)]
pub fn proc_exit(code: u32) -> ! {
    if code >= 126 {
        // Native: "exit with invalid exit status outside of [0..126)".
        trap::abort();
    }
    #[cfg(feature = "exit-with-code")]
    super::host::cli::exit_with_code(code);
    #[cfg(not(any(feature = "proxy", feature = "exit-with-code")))]
    super::host::cli::exit(if code == 0 { 0 } else { 1 });
    // `exit` does not return; the proxy world has no exit at all.
    trap::abort()
}

/// No signals in WASI 0.2; native answers NOTSUP for every valid signal.
#[inline(never)]
pub fn proc_raise(signal: u32) -> u32 {
    if signal > 30 {
        // Not a `signal` value: native rejects the argument with a trap.
        trap::abort();
    }
    Errno::NOTSUP.0
}

#[cfg(feature = "command")]
mod command {
    use super::super::host::main_module::main_start;

    /// `wasi:cli/run.run`: runs the program's `_start`. Returning means
    /// success; `proc_exit` ends the instance through `wasi:cli/exit` instead.
    #[export_name = "wasi:cli/run@0.2.0#run"]
    pub extern "C" fn run() -> u32 {
        main_start();
        0
    }
}
