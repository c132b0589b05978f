;; The floor adapter: a MEASURING STICK for the benchmark, never shipped.
;;
;; It is the thinnest adapter that runs tests/programs' `bench` workloads:
;; each preview1 export makes the WASI 0.2 call our adapter makes for that
;; workload and nothing else. It checks nothing (no bounds, no alignment,
;; no errno of the host's but "ok"), knows only the descriptor numbers the
;; workloads use (0-2 stdio, 3 the preopen, 4 the one file or directory a
;; workload opens), keeps the one open file's position in a global, and
;; trusts the host to lower lists in the order wasmtime does. `bench`
;; subtracts its cost from ours: what remains is what our checks,
;; descriptor lookups and memory-safety protocol cost.
;;
;; Memory: `run` takes one fresh page (memory.grow) before `_start`; its
;; first 128 bytes are the return area of every host call, the rest a bump
;; region for the lists the host returns (`cabi_import_realloc`), but for
;; the directory entry a short buffer cut (from 32 KiB on) and the
;; preopen's name (the page's last bytes). No stack.
;;
;; The bench assembles this file with the `wat` crate and embeds the WASI
;; 0.2.0 world it imports (tests/src/floor.rs).
(module
  (import "env" "memory" (memory 0))
  (import "__main_module__" "_start" (func $start))

  (import "wasi:cli/environment@0.2.0" "get-arguments" (func $get_arguments (param i32)))
  (import "wasi:cli/environment@0.2.0" "get-environment" (func $get_environment (param i32)))
  (import "wasi:cli/exit@0.2.0" "exit" (func $exit (param i32)))
  (import "wasi:cli/stdout@0.2.0" "get-stdout" (func $get_stdout (result i32)))
  (import "wasi:cli/stderr@0.2.0" "get-stderr" (func $get_stderr (result i32)))
  (import "wasi:clocks/monotonic-clock@0.2.0" "now" (func $monotonic_now (result i64)))
  (import "wasi:clocks/wall-clock@0.2.0" "now" (func $wall_now (param i32)))
  (import "wasi:random/random@0.2.0" "get-random-bytes" (func $get_random_bytes (param i64 i32)))
  (import "wasi:io/streams@0.2.0" "[method]output-stream.blocking-write-and-flush"
    (func $blocking_write_and_flush (param i32 i32 i32 i32)))
  (import "wasi:filesystem/preopens@0.2.0" "get-directories" (func $get_directories (param i32)))
  (import "wasi:filesystem/types@0.2.0" "[method]descriptor.open-at"
    (func $open_at (param i32 i32 i32 i32 i32 i32 i32)))
  (import "wasi:filesystem/types@0.2.0" "[resource-drop]descriptor" (func $drop_descriptor (param i32)))
  (import "wasi:filesystem/types@0.2.0" "[method]descriptor.read" (func $read (param i32 i64 i64 i32)))
  (import "wasi:filesystem/types@0.2.0" "[method]descriptor.write" (func $write (param i32 i32 i32 i64 i32)))
  (import "wasi:filesystem/types@0.2.0" "[method]descriptor.stat-at" (func $stat_at (param i32 i32 i32 i32 i32)))
  (import "wasi:filesystem/types@0.2.0" "[method]descriptor.metadata-hash-at"
    (func $metadata_hash_at (param i32 i32 i32 i32 i32)))
  (import "wasi:filesystem/types@0.2.0" "[method]descriptor.metadata-hash" (func $metadata_hash (param i32 i32)))
  (import "wasi:filesystem/types@0.2.0" "[method]descriptor.read-directory" (func $read_directory (param i32 i32)))
  (import "wasi:filesystem/types@0.2.0" "[method]directory-entry-stream.read-directory-entry"
    (func $read_directory_entry (param i32 i32)))
  (import "wasi:filesystem/types@0.2.0" "[resource-drop]directory-entry-stream" (func $drop_stream (param i32)))

  ;; The return area (the scratch page's start) and the bump cursor after it.
  (global $ret (mut i32) (i32.const 0))
  (global $cursor (mut i32) (i32.const 0))
  ;; Where the host's next byte list or string goes, when a call names a
  ;; buffer (random bytes, file data, strings of `*_get`): 0 for none. Each
  ;; allocation advances it by its size + 1 (the string's terminator).
  (global $into (mut i32) (i32.const 0))
  ;; 1 while only the strings' lengths matter (`*_sizes_get`): every
  ;; string takes the same scratch bytes.
  (global $lengths_only (mut i32) (i32.const 0))
  (global $stdout (mut i32) (i32.const 0))
  (global $stderr (mut i32) (i32.const 0))
  ;; fd 3: the preopen's handle and name; fd 4: the opened file's handle
  ;; and position.
  (global $preopen (mut i32) (i32.const 0))
  (global $preopen_name (mut i32) (i32.const 0))
  (global $preopen_name_len (mut i32) (i32.const 0))
  (global $file (mut i32) (i32.const 0))
  (global $position (mut i64) (i64.const 0))
  ;; fd 4 as a directory being listed: its entry stream (0 for none) and
  ;; the number of the entry the stream yields next (`.` is 0, `..` 1, the
  ;; host's entries from 2; an entry's cookie is its number + 1). The entry
  ;; a short buffer cut is kept whole at $ret + 32 KiB: its byte length
  ;; ($pending, 0 for none) and number.
  (global $stream (mut i32) (i32.const 0))
  (global $next (mut i64) (i64.const 0))
  (global $pending (mut i32) (i32.const 0))
  (global $pending_number (mut i64) (i64.const 0))

  ;; Starts a call that returns through memory: an empty bump region.
  (func $begin
    (global.set $cursor (i32.add (global.get $ret) (i32.const 128))))

  (func (export "cabi_import_realloc") (param $old i32) (param $old_size i32) (param $align i32) (param $size i32) (result i32)
    (local $at i32)
    (if (i32.eq (local.get $align) (i32.const 1))
      (then
        (if (global.get $lengths_only) (then (return (global.get $cursor))))
        (if (global.get $into)
          (then
            (local.set $at (global.get $into))
            (global.set $into (i32.add (local.get $at) (i32.add (local.get $size) (i32.const 1))))
            (return (local.get $at))))))
    (local.set $at
      (i32.and (i32.add (global.get $cursor) (i32.sub (local.get $align) (i32.const 1)))
               (i32.sub (i32.const 0) (local.get $align))))
    (global.set $cursor (i32.add (local.get $at) (local.get $size)))
    (local.get $at))

  (func (export "wasi:cli/run@0.2.0#run") (result i32)
    (local $list i32)
    (global.set $ret (i32.mul (memory.grow (i32.const 1)) (i32.const 65536)))
    (global.set $stdout (call $get_stdout))
    (global.set $stderr (call $get_stderr))
    ;; The one preopen: (handle, name) at the list's start.
    (call $begin)
    (call $get_directories (global.get $ret))
    (local.set $list (i32.load (global.get $ret)))
    (global.set $preopen (i32.load (local.get $list)))
    ;; The name must outlive this call's scratch, which later calls reuse:
    ;; it is kept in the page's last bytes.
    (global.set $preopen_name_len (i32.load offset=8 (local.get $list)))
    (global.set $preopen_name (i32.sub (i32.add (global.get $ret) (i32.const 65536)) (global.get $preopen_name_len)))
    (memory.copy (global.get $preopen_name) (i32.load offset=4 (local.get $list)) (global.get $preopen_name_len))
    (call $start)
    (i32.const 0))

  ;; --- arguments and environment -------------------------------------

  ;; Sums `len + 1` over the `parts` strings of each of `count` items of a
  ;; list at `base` (items of `parts * 8` bytes: (ptr, len) pairs).
  (func $string_bytes (param $base i32) (param $strings i32) (result i32)
    (local $total i32) (local $end i32)
    (local.set $end (i32.add (local.get $base) (i32.shl (local.get $strings) (i32.const 3))))
    (block $done
      (loop $next
        (br_if $done (i32.eq (local.get $base) (local.get $end)))
        (local.set $total (i32.add (local.get $total) (i32.add (i32.load offset=4 (local.get $base)) (i32.const 1))))
        (local.set $base (i32.add (local.get $base) (i32.const 8)))
        (br $next)))
    (local.get $total))

  (func (export "args_sizes_get") (param $count i32) (param $size i32) (result i32)
    (call $begin)
    (global.set $lengths_only (i32.const 1))
    (call $get_arguments (global.get $ret))
    (global.set $lengths_only (i32.const 0))
    (i32.store (local.get $size) (call $string_bytes (i32.load (global.get $ret)) (i32.load offset=4 (global.get $ret))))
    (i32.store (local.get $count) (i32.load offset=4 (global.get $ret)))
    (i32.const 0))

  (func (export "environ_sizes_get") (param $count i32) (param $size i32) (result i32)
    (call $begin)
    (global.set $lengths_only (i32.const 1))
    (call $get_environment (global.get $ret))
    (global.set $lengths_only (i32.const 0))
    (i32.store (local.get $size)
      (call $string_bytes (i32.load (global.get $ret)) (i32.shl (i32.load offset=4 (global.get $ret)) (i32.const 1))))
    (i32.store (local.get $count) (i32.load offset=4 (global.get $ret)))
    (i32.const 0))

  ;; The host has written the strings into the program's buffer, a byte
  ;; apart, in order; writes the pointers and terminators (`=` between a
  ;; key and its value, NUL after each item).
  (func $finish_strings (param $list i32) (param $count i32) (param $parts i32) (param $ptrs i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $list) (i32.mul (local.get $count) (i32.shl (local.get $parts) (i32.const 3)))))
    (block $done
      (loop $next
        (br_if $done (i32.eq (local.get $list) (local.get $end)))
        (i32.store (local.get $ptrs) (i32.load (local.get $list)))
        (if (i32.eq (local.get $parts) (i32.const 2))
          (then
            (i32.store8 (i32.add (i32.load (local.get $list)) (i32.load offset=4 (local.get $list))) (i32.const 61))
            (local.set $list (i32.add (local.get $list) (i32.const 8)))))
        (i32.store8 (i32.add (i32.load (local.get $list)) (i32.load offset=4 (local.get $list))) (i32.const 0))
        (local.set $list (i32.add (local.get $list) (i32.const 8)))
        (local.set $ptrs (i32.add (local.get $ptrs) (i32.const 4)))
        (br $next))))

  (func (export "args_get") (param $ptrs i32) (param $buf i32) (result i32)
    (call $begin)
    (global.set $into (local.get $buf))
    (call $get_arguments (global.get $ret))
    (global.set $into (i32.const 0))
    (call $finish_strings (i32.load (global.get $ret)) (i32.load offset=4 (global.get $ret)) (i32.const 1) (local.get $ptrs))
    (i32.const 0))

  (func (export "environ_get") (param $ptrs i32) (param $buf i32) (result i32)
    (call $begin)
    (global.set $into (local.get $buf))
    (call $get_environment (global.get $ret))
    (global.set $into (i32.const 0))
    (call $finish_strings (i32.load (global.get $ret)) (i32.load offset=4 (global.get $ret)) (i32.const 2) (local.get $ptrs))
    (i32.const 0))

  ;; --- clocks, random, exit -------------------------------------------

  (func (export "clock_time_get") (param $id i32) (param $precision i64) (param $out i32) (result i32)
    (if (local.get $id)
      (then (i64.store (local.get $out) (call $monotonic_now)))
      (else
        (call $wall_now (global.get $ret))
        (i64.store (local.get $out)
          (i64.add (i64.mul (i64.load (global.get $ret)) (i64.const 1000000000))
                   (i64.load32_u offset=8 (global.get $ret))))))
    (i32.const 0))

  (func (export "random_get") (param $buf i32) (param $len i32) (result i32)
    (global.set $into (local.get $buf))
    (call $get_random_bytes (i64.extend_i32_u (local.get $len)) (global.get $ret))
    (global.set $into (i32.const 0))
    (i32.const 0))

  (func (export "proc_exit") (param $code i32)
    (call $exit (i32.ne (local.get $code) (i32.const 0)))
    (unreachable))

  ;; --- descriptors ----------------------------------------------------

  (func (export "fd_prestat_get") (param $fd i32) (param $out i32) (result i32)
    (if (i32.ne (local.get $fd) (i32.const 3)) (then (return (i32.const 8)))) ;; BADF: no more preopens
    (i32.store (local.get $out) (i32.const 0))
    (i32.store offset=4 (local.get $out) (global.get $preopen_name_len))
    (i32.const 0))

  (func (export "fd_prestat_dir_name") (param $fd i32) (param $path i32) (param $len i32) (result i32)
    (memory.copy (local.get $path) (global.get $preopen_name) (local.get $len))
    (i32.const 0))

  ;; The preopen's (fd 3), which wasi-libc's `opendir` asks for before it
  ;; opens a directory: what native reports for a preopened directory.
  (func (export "fd_fdstat_get") (param $fd i32) (param $out i32) (result i32)
    (i32.store (local.get $out) (i32.const 3)) ;; DIRECTORY, no flags
    (i64.store offset=8 (local.get $out) (i64.const 0x7b7fe00))
    (i64.store offset=16 (local.get $out) (i64.const 0xff7ffff))
    (i32.const 0))

  ;; fd 4's listing, as ours makes it: `read-directory` when a listing
  ;; starts (cookie 0), `.` and `..` with the directory's `metadata-hash`,
  ;; then per entry `read-directory-entry` and `metadata-hash-at` of its
  ;; name (the inode). A listing resumes where the last call stopped (the
  ;; workloads ask for the cookie of their last whole entry, which is the
  ;; cut entry when there is one, else the stream's next).
  (func (export "fd_readdir") (param $fd i32) (param $buf i32) (param $len i32) (param $cookie i64) (param $used i32) (result i32)
    (local $at i32) (local $left i32) (local $ino i64) (local $type i32)
    (local $name i32) (local $name_len i32) (local $whole i32) (local $kept i32)
    (local.set $at (local.get $buf))
    (local.set $left (local.get $len))
    (if (i64.eqz (local.get $cookie))
      (then
        (if (global.get $stream) (then (call $drop_stream (global.get $stream))))
        (call $read_directory (global.get $file) (global.get $ret))
        (global.set $stream (i32.load offset=4 (global.get $ret)))
        (global.set $next (i64.const 2))
        (global.set $pending (i32.const 0))
        (call $metadata_hash (global.get $file) (global.get $ret))
        (local.set $ino (i64.load offset=8 (global.get $ret)))
        ;; `.` and `..`: 51 bytes, which every workload's buffer holds.
        (call $dirent (local.get $at) (i64.const 1) (local.get $ino) (i32.const 1) (i32.const 3))
        (i32.store8 offset=24 (local.get $at) (i32.const 46))
        (call $dirent (i32.add (local.get $at) (i32.const 25)) (i64.const 2) (local.get $ino) (i32.const 2) (i32.const 3))
        (i32.store16 offset=49 (local.get $at) (i32.const 0x2e2e))
        (local.set $at (i32.add (local.get $at) (i32.const 51)))
        (local.set $left (i32.sub (local.get $left) (i32.const 51)))))
    (local.set $kept (i32.add (global.get $ret) (i32.const 32768)))
    (if (i32.and (i32.ne (global.get $pending) (i32.const 0)) (i64.eq (local.get $cookie) (global.get $pending_number)))
      (then
        (local.set $whole (global.get $pending))
        (global.set $pending (i32.const 0))
        (if (i32.ge_u (local.get $whole) (local.get $left))
          (then
            (call $cut (local.get $kept) (local.get $whole) (global.get $pending_number) (local.get $at) (local.get $left))
            (i32.store (local.get $used) (local.get $len))
            (return (i32.const 0))))
        (memory.copy (local.get $at) (local.get $kept) (local.get $whole))
        (local.set $at (i32.add (local.get $at) (local.get $whole)))
        (local.set $left (i32.sub (local.get $left) (local.get $whole)))))
    (block $end
      (loop $entry
        (call $begin)
        (call $read_directory_entry (global.get $stream) (global.get $ret))
        (br_if $end (i32.eqz (i32.load8_u offset=4 (global.get $ret))))
        (local.set $type (i32.load8_u offset=8 (global.get $ret)))
        (local.set $name (i32.load offset=12 (global.get $ret)))
        (local.set $name_len (i32.load offset=16 (global.get $ret)))
        (call $metadata_hash_at (global.get $file) (i32.const 0) (local.get $name) (local.get $name_len) (global.get $ret))
        (local.set $ino (i64.load offset=8 (global.get $ret)))
        (local.set $type (call $filetype (local.get $type)))
        (global.set $next (i64.add (global.get $next) (i64.const 1)))
        (local.set $whole (i32.add (local.get $name_len) (i32.const 24)))
        (if (i32.lt_u (local.get $whole) (local.get $left))
          (then
            (call $dirent (local.get $at) (global.get $next) (local.get $ino) (local.get $name_len) (local.get $type))
            (memory.copy (i32.add (local.get $at) (i32.const 24)) (local.get $name) (local.get $name_len))
            (local.set $at (i32.add (local.get $at) (local.get $whole)))
            (local.set $left (i32.sub (local.get $left) (local.get $whole)))
            (br $entry)))
        ;; The buffer ends in this entry (or right after it).
        (call $dirent (local.get $kept) (global.get $next) (local.get $ino) (local.get $name_len) (local.get $type))
        (memory.copy (i32.add (local.get $kept) (i32.const 24)) (local.get $name) (local.get $name_len))
        (call $cut (local.get $kept) (local.get $whole) (i64.sub (global.get $next) (i64.const 1)) (local.get $at) (local.get $left))
        (i32.store (local.get $used) (local.get $len))
        (return (i32.const 0))))
    (i32.store (local.get $used) (i32.sub (local.get $len) (local.get $left)))
    (i32.const 0))

  ;; A dirent's 24 bytes at `at`.
  (func $dirent (param $at i32) (param $next i64) (param $ino i64) (param $name_len i32) (param $type i32)
    (i64.store (local.get $at) (local.get $next))
    (i64.store offset=8 (local.get $at) (local.get $ino))
    (i32.store offset=16 (local.get $at) (local.get $name_len))
    (i32.store offset=20 (local.get $at) (local.get $type)))

  ;; Fills the `left` bytes at `at` from the `whole`-byte entry `number` at
  ;; `entry`, and keeps the entry for the next call if it did not fit.
  (func $cut (param $entry i32) (param $whole i32) (param $number i64) (param $at i32) (param $left i32)
    (if (i32.gt_u (local.get $whole) (local.get $left))
      (then
        (memory.copy (local.get $at) (local.get $entry) (local.get $left))
        (global.set $pending (local.get $whole))
        (global.set $pending_number (local.get $number)))
      (else (memory.copy (local.get $at) (local.get $entry) (local.get $whole)))))

  ;; WASI 0.2's descriptor-type as preview1's filetype.
  (func $filetype (param $type i32) (result i32)
    (i32.wrap_i64
      (i64.and (i64.shr_u (i64.const 0x0604070003020100) (i64.extend_i32_u (i32.shl (local.get $type) (i32.const 3))))
               (i64.const 0xff))))

  ;; fd 4, read and write unless it is a directory.
  (func (export "path_open") (param $dir i32) (param $dirflags i32) (param $path i32) (param $path_len i32)
      (param $oflags i32) (param $rights i64) (param $inheriting i64) (param $fdflags i32) (param $opened i32) (result i32)
    (call $open_at (global.get $preopen) (local.get $dirflags) (local.get $path) (local.get $path_len) (local.get $oflags)
      (select (i32.const 1) (i32.const 3) (i32.and (local.get $oflags) (i32.const 2)))
      (global.get $ret))
    (if (i32.load8_u (global.get $ret)) (then (return (i32.const 44)))) ;; NOENT, the only error a workload could meet
    (global.set $file (i32.load offset=4 (global.get $ret)))
    (global.set $position (i64.const 0))
    (i32.store (local.get $opened) (i32.const 4))
    (i32.const 0))

  (func (export "fd_close") (param $fd i32) (result i32)
    ;; A listing's stream is the descriptor's child: it goes first.
    (if (global.get $stream)
      (then
        (call $drop_stream (global.get $stream))
        (global.set $stream (i32.const 0))))
    (call $drop_descriptor (global.get $file))
    (i32.const 0))

  (func (export "fd_seek") (param $fd i32) (param $offset i64) (param $whence i32) (param $out i32) (result i32)
    ;; SET (0) or CUR (1): the workloads never seek from the end.
    (global.set $position
      (i64.add (local.get $offset) (select (global.get $position) (i64.const 0) (local.get $whence))))
    (i64.store (local.get $out) (global.get $position))
    (i32.const 0))

  (func (export "fd_tell") (param $fd i32) (param $out i32) (result i32)
    (i64.store (local.get $out) (global.get $position))
    (i32.const 0))

  ;; The first non-empty iovec of `iovs_len` at `iovs`: its address.
  (func $first_iovec (param $iovs i32) (param $count i32) (result i32)
    (block $found
      (loop $next
        (br_if $found (i32.eqz (local.get $count)))
        (br_if $found (i32.load offset=4 (local.get $iovs)))
        (local.set $iovs (i32.add (local.get $iovs) (i32.const 8)))
        (local.set $count (i32.sub (local.get $count) (i32.const 1)))
        (br $next)))
    (local.get $iovs))

  (func (export "fd_write") (param $fd i32) (param $iovs i32) (param $iovs_len i32) (param $written i32) (result i32)
    (local $iov i32)
    (local.set $iov (call $first_iovec (local.get $iovs) (local.get $iovs_len)))
    (if (i32.eq (local.get $fd) (i32.const 4))
      (then
        (call $write (global.get $file) (i32.load (local.get $iov)) (i32.load offset=4 (local.get $iov))
          (global.get $position) (global.get $ret))
        (global.set $position (i64.add (global.get $position) (i64.load offset=8 (global.get $ret))))
        (i32.store (local.get $written) (i32.load offset=8 (global.get $ret)))
        (return (i32.const 0))))
    (call $blocking_write_and_flush
      (select (global.get $stdout) (global.get $stderr) (i32.eq (local.get $fd) (i32.const 1)))
      (i32.load (local.get $iov)) (i32.load offset=4 (local.get $iov)) (global.get $ret))
    (i32.store (local.get $written) (i32.load offset=4 (local.get $iov)))
    (i32.const 0))

  (func (export "fd_read") (param $fd i32) (param $iovs i32) (param $iovs_len i32) (param $read i32) (result i32)
    (local $iov i32)
    (local.set $iov (call $first_iovec (local.get $iovs) (local.get $iovs_len)))
    (global.set $into (i32.load (local.get $iov)))
    (call $read (global.get $file) (i64.extend_i32_u (i32.load offset=4 (local.get $iov))) (global.get $position) (global.get $ret))
    (global.set $into (i32.const 0))
    (global.set $position (i64.add (global.get $position) (i64.load32_u offset=8 (global.get $ret))))
    (i32.store (local.get $read) (i32.load offset=8 (global.get $ret)))
    (i32.const 0))

  (func (export "path_filestat_get") (param $dir i32) (param $flags i32) (param $path i32) (param $path_len i32) (param $out i32) (result i32)
    (local $hash i32)
    (call $stat_at (global.get $preopen) (local.get $flags) (local.get $path) (local.get $path_len) (global.get $ret))
    (local.set $hash (i32.add (global.get $ret) (i32.const 104)))
    (call $metadata_hash_at (global.get $preopen) (local.get $flags) (local.get $path) (local.get $path_len) (local.get $hash))
    (i64.store (local.get $out) (i64.const 1))
    (i64.store offset=8 (local.get $out) (i64.load offset=8 (local.get $hash)))
    ;; WASI 0.2's descriptor-type as preview1's filetype, a byte each.
    (i64.store offset=16 (local.get $out)
      (i64.and (i64.shr_u (i64.const 0x0604070003020100)
                          (i64.extend_i32_u (i32.shl (i32.load8_u offset=8 (global.get $ret)) (i32.const 3))))
               (i64.const 0xff)))
    (i64.store offset=24 (local.get $out) (i64.load offset=16 (global.get $ret)))
    (i64.store offset=32 (local.get $out) (i64.load offset=24 (global.get $ret)))
    (i64.store offset=40 (local.get $out) (call $nanoseconds (i32.add (global.get $ret) (i32.const 32))))
    (i64.store offset=48 (local.get $out) (call $nanoseconds (i32.add (global.get $ret) (i32.const 56))))
    (i64.store offset=56 (local.get $out) (call $nanoseconds (i32.add (global.get $ret) (i32.const 80))))
    (i32.const 0))

  ;; An `option<datetime>` at `at` in nanoseconds, 0 for none.
  (func $nanoseconds (param $at i32) (result i64)
    (if (i32.eqz (i32.load8_u (local.get $at))) (then (return (i64.const 0))))
    (i64.add (i64.mul (i64.load offset=8 (local.get $at)) (i64.const 1000000000))
             (i64.load32_u offset=16 (local.get $at))))

  ;; A relative clock subscription with a zero timeout (the `poll`
  ;; workload) is ready at once: one clock event, no host call.
  (func (export "poll_oneoff") (param $subs i32) (param $events i32) (param $count i32) (param $nevents i32) (result i32)
    (i64.store (local.get $events) (i64.load (local.get $subs)))
    (i32.store16 offset=8 (local.get $events) (i32.const 0))
    (i32.store8 offset=10 (local.get $events) (i32.const 0))
    (i32.store (local.get $nevents) (i32.const 1))
    (i32.const 0))
)
