//! One hostile call per case (named by the first argument). Prints the errno;
//! when native preview1 traps, the program dies before printing.
use p1_programs::{addr, out, case, memory_end, p1};

fn main() {
    // Everything that may allocate (and so grow memory) comes before `end`.
    let c = case();
    let end = memory_end();
    let mut cell = [0u64; 8];
    let good = out(&mut cell[..]); // 8-aligned, 64 bytes
    let odd = good + 1;
    let text = b"hello\n";
    let text_iov = [addr(&text[..]), text.len() as u32];
    let oob_iov = [end - 4, 16u32];
    let empty_oob_iov = [end + 100, 0u32];
    let mut small = [0u8; 4];
    let small_iov = [out(&mut small[..]), 4u32];
    let e: i32 = unsafe {
        match c.as_str() {
            "args_sizes_get:oob" => p1::args_sizes_get(end, good),
            "args_sizes_get:oob2" => p1::args_sizes_get(good, end - 2),
            "args_sizes_get:misaligned" => p1::args_sizes_get(odd, good),
            "args_get:argv-oob" => p1::args_get(end - 4, good),
            "args_get:argv-misaligned" => p1::args_get(odd, good + 32),
            "args_get:buf-oob" => p1::args_get(good, end - 1),
            "environ_sizes_get:oob" => p1::environ_sizes_get(good, end),
            "environ_sizes_get:misaligned" => p1::environ_sizes_get(good, odd),
            "environ_get:environ-oob" => p1::environ_get(end, good),
            "environ_get:buf-oob" => p1::environ_get(good, end - 1),
            "clock_time_get:oob" => p1::clock_time_get(1, 0, end - 4),
            "clock_time_get:misaligned" => p1::clock_time_get(0, 0, good + 4),
            "clock_time_get:cputime-oob" => p1::clock_time_get(2, 0, end + 8),
            "clock_res_get:oob" => p1::clock_res_get(0, end),
            "clock_res_get:thread-oob" => p1::clock_res_get(3, end),
            "random_get:oob" => p1::random_get(end - 8, 16),
            "random_get:empty-oob" => p1::random_get(end + 1000, 0),
            "random_get:huge" => p1::random_get(good, u32::MAX),
            "fd_write:iovs-oob" => p1::fd_write(1, end - 4, 1, good),
            "fd_write:iovs-misaligned" => p1::fd_write(1, odd, 1, good),
            "fd_write:buf-oob" => p1::fd_write(1, addr(&oob_iov[..]), 1, good),
            "fd_write:buf-oob-badfd" => p1::fd_write(77, addr(&oob_iov[..]), 1, good),
            "fd_write:nwritten-oob" => p1::fd_write(1, addr(&text_iov[..]), 1, end),
            "fd_write:nwritten-misaligned" => p1::fd_write(1, addr(&text_iov[..]), 1, odd),
            "fd_write:empty-badfd" => p1::fd_write(77, addr(&empty_oob_iov[..]), 1, good),
            "fd_write:no-iovs-badfd" => p1::fd_write(77, 0, 0, good),
            "fd_write:empty-oob-stdout" => p1::fd_write(1, addr(&empty_oob_iov[..]), 1, good),
            "fd_write:iovs-huge" => p1::fd_write(1, good, 1 << 29, good),
            "fd_write:buf-huge" => p1::fd_write(77, addr(&[good, 200u32 << 20][..]), 1, good),
            "fd_write:stdin" => p1::fd_write(0, addr(&text_iov[..]), 1, good),
            "fd_read:iovs-oob" => p1::fd_read(0, end, 1, good),
            "fd_read:buf-oob" => p1::fd_read(0, addr(&oob_iov[..]), 1, good),
            "fd_read:nread-oob" => p1::fd_read(0, addr(&small_iov[..]), 1, end - 2),
            "fd_read:no-iovs" => p1::fd_read(0, 0, 0, good),
            "fd_read:stdout" => p1::fd_read(1, addr(&small_iov[..]), 1, good),
            "fd_read:badfd" => p1::fd_read(1234, addr(&small_iov[..]), 1, good),
            "fd_fdstat_get:oob" => p1::fd_fdstat_get(1, end - 8),
            "fd_fdstat_get:misaligned" => p1::fd_fdstat_get(1, good + 4),
            "fd_fdstat_get:badfd-oob" => p1::fd_fdstat_get(50, end),
            "fd_prestat_get:oob" => p1::fd_prestat_get(3, end),
            "fd_prestat_get:misaligned" => p1::fd_prestat_get(3, good + 2),
            "fd_prestat_get:stdout-oob" => p1::fd_prestat_get(1, end),
            "fd_prestat_dir_name:oob" => p1::fd_prestat_dir_name(3, end - 1, 100),
            "fd_prestat_dir_name:short-oob" => p1::fd_prestat_dir_name(3, end, 0),
            "fd_prestat_dir_name:stdout" => p1::fd_prestat_dir_name(1, end, 100),
            "fd_close:max" => p1::fd_close(u32::MAX),
            "fd_seek:bad-whence" => p1::fd_seek(1, 0, 3, good),
            "fd_advise:bad-advice" => p1::fd_advise(1, 0, 0, 6),
            "fd_fdstat_set_flags:bad-flags" => p1::fd_fdstat_set_flags(1, 0x20),
            "proc_raise:bad-signal" => p1::proc_raise(31),
            "sock_shutdown:bad-how" => p1::sock_shutdown(1, 4),
            other => panic!("unknown case {other:?}"),
        }
    };
    println!("{c} -> {e}");
    std::hint::black_box((&small, &cell));
}
