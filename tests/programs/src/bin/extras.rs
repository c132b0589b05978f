//! The published adapter's extra exports, which toolchains import from
//! `wasi_snapshot_preview1`: only a component adapter provides them, so this
//! program runs through adapters only.
use p1_programs::{addr, out, p1};

#[link(wasm_import_module = "wasi_snapshot_preview1")]
extern "C" {
    fn adapter_open_badfd(fd: u32) -> u32;
    fn adapter_close_badfd(fd: u32) -> u32;
    fn adapter_monotonic_clock_set_paused(paused: u32);
    fn reset_adapter_state();
}

fn monotonic() -> u64 {
    let mut t = 0u64;
    assert_eq!(unsafe { p1::clock_time_get(1, 0, out(&mut t)) }, 0);
    t
}

fn sleep_ms(ms: u64) {
    // One relative clock subscription.
    let mut sub = [0u8; 48];
    sub[24..32].copy_from_slice(&(ms * 1_000_000).to_le_bytes());
    let mut event = [0u64; 4];
    let mut n = 0u32;
    assert_eq!(unsafe { p1::poll_oneoff(addr(&sub[..]), out(&mut event[..]), 1, out(&mut n)) }, 0);
}

fn main() {
    let case = std::env::args().nth(1).unwrap_or_default();
    match case.as_str() {
        "badfd" => unsafe {
            let mut fd = 0u32;
            let e = adapter_open_badfd(out(&mut fd));
            println!("open_badfd={e} fd_is_new={}", fd > 3);
            let text = b"x";
            let iov = [addr(&text[..]), 1u32];
            let mut n = 0u32;
            let mut st = [0u8; 24];
            println!("write={}", p1::fd_write(fd, addr(&iov[..]), 1, out(&mut n)));
            println!("fdstat={}", p1::fd_fdstat_get(fd, out(&mut st[..])));
            println!("close_badfd={}", adapter_close_badfd(fd));
            println!("again={}", adapter_close_badfd(fd));
            println!("close_badfd(99)={}", adapter_close_badfd(99));
            // Last, reported on stderr: whether it closes a real descriptor.
            let e = adapter_close_badfd(1);
            let w = p1::fd_write(1, addr(&iov[..]), 1, out(&mut n));
            eprintln!("close_badfd(stdout)={e} then write(stdout)={w}");
        },
        "paused" => unsafe {
            adapter_monotonic_clock_set_paused(1);
            let a = monotonic();
            sleep_ms(20);
            let b = monotonic();
            adapter_monotonic_clock_set_paused(0);
            let c = monotonic();
            println!("paused: frozen={} resumed={}", a == b, c >= b + 20_000_000);
        },
        "reset" => unsafe {
            println!("before reset");
            reset_adapter_state();
            println!("after reset");
            let mut prestat = [0u32; 2];
            println!("prestat(3) after reset={}", p1::fd_prestat_get(3, out(&mut prestat[..])));
        },
        other => panic!("unknown case {other:?}"),
    }
}
