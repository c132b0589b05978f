//! The adapter's named raw wasm globals, listed once. `build.rs` generates
//! them (in this order: it fixes their indices) and their accessor
//! functions; `adapter/wasm/globals.rs` declares the accessors. Each entry
//! is `get_NAME / set_NAME: TYPE;` for the global `NAME` (`build.rs` takes
//! the name from the getter). The shadow-stack pointer, which `wasm-ld`
//! defines, and the per-descriptor slots (`slots.rs`) are not here.
//!
//! `for_each_raw_global!(callback)` expands to `callback! { ...entries... }`.

macro_rules! for_each_raw_global {
    ($callback:ident) => {
        $callback! {
            // Scratch region used for one call at a time (adapter/wasm/scratch.rs).
            get_scratch_base / set_scratch_base: u32;
            get_scratch_end / set_scratch_end: u32;
            get_scratch_cursor / set_scratch_cursor: u32;
            get_scratch_dirty_end / set_scratch_dirty_end: u32;
            get_scratch_old_base / set_scratch_old_base: u32;
            get_scratch_old_dirty_end / set_scratch_old_dirty_end: u32;
            // Steering of `cabi_import_realloc` during a single import call.
            get_realloc_mode / set_realloc_mode: u32;
            get_realloc_ptr / set_realloc_ptr: u32;
            get_realloc_len / set_realloc_len: u32;
            // Scratch verified zero ahead of the dirty end, during one import call.
            get_scratch_checked_end / set_scratch_checked_end: u32;
            // Memory size (in pages) when the program called the current export.
            get_guest_memory_pages / set_guest_memory_pages: u32;
            // Memory size (in pages) right after the adapter last grew memory: if
            // the program has grown it since, the pages the adapter grew may be the
            // program's now (adapter/wasm/scratch.rs).
            get_known_pages / set_known_pages: u32;
            // Top of the stack window (see adapter/wasm/scratch.rs); 0 until first used.
            get_stack_top / set_stack_top: u32;
            // Lowest byte of the window the current export may use (cleared on leave).
            get_stack_window_low / set_stack_window_low: u32;
            // The command's and reactor's descriptors (adapter/wasm/descriptors/globals_backed.rs):
            // whether the preopens have been numbered yet, the open numbers below
            // slots::GLOBAL_FDS as a bit set (stdio at start), those of them that
            // are regular files (a bit set: fd_seek and fd_tell look nothing else
            // up), one past the highest number below GLOBAL_FDS ever used (3 at
            // start), and the spill table's root page (0 until needed).
            get_preopens_added / set_preopens_added: u32;
            get_low_open / set_low_open: u64;
            get_low_files / set_low_files: u64;
            get_low_slots / set_low_slots: u32;
            get_table_root / set_table_root: u32;
            // The fd_readdir cursor (adapter/wasm/readdir.rs).
            get_readdir_owner / set_readdir_owner: u32;
            get_readdir_dir / set_readdir_dir: u32;
            get_readdir_stream / set_readdir_stream: u32;
            get_readdir_next / set_readdir_next: u64;
            get_readdir_pending / set_readdir_pending: u32;
            get_readdir_pending_number / set_readdir_pending_number: u64;
            get_readdir_pending_ino / set_readdir_pending_ino: u64;
            // Its name, eight bytes a global (named, not slots, so that a program
            // that never lists a directory does not instantiate them).
            get_readdir_name_0 / set_readdir_name_0: u64;
            get_readdir_name_1 / set_readdir_name_1: u64;
            get_readdir_name_2 / set_readdir_name_2: u64;
            get_readdir_name_3 / set_readdir_name_3: u64;
            get_readdir_name_4 / set_readdir_name_4: u64;
            get_readdir_name_5 / set_readdir_name_5: u64;
            get_readdir_name_6 / set_readdir_name_6: u64;
            get_readdir_name_7 / set_readdir_name_7: u64;
            // adapter_monotonic_clock_set_paused: flag, and the paused time's halves.
            get_monotonic_paused / set_monotonic_paused: u32;
            get_monotonic_paused_low / set_monotonic_paused_low: u32;
            get_monotonic_paused_high / set_monotonic_paused_high: u32;
            // The proxy's descriptors (adapter/wasm/descriptors/stdio_only.rs):
            // the stdio streams, where they are, and the numbers adapter_open_badfd reserved.
            get_stdin_stream / set_stdin_stream: u32;
            get_stdout_stream / set_stdout_stream: u32;
            get_stderr_stream / set_stderr_stream: u32;
            get_stdio_fds / set_stdio_fds: u32;
            get_bad_fds_low / set_bad_fds_low: u32;
            get_bad_fds_high / set_bad_fds_high: u32;
        }
    };
}
