//! The published adapter's extra exports, which toolchains import from
//! `wasi_snapshot_preview1`: only a component adapter provides them, so this
//! program runs through adapters only.
use p1_programs::{addr, case, out, p1};

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
    match case().as_str() {
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
        // `badfd-many N`: numbering of reserved numbers, logged on stderr
        // (wherever it is). N reservations; closes in the middle and
        // reservations again (the highest freed number first); a closed
        // stdio number reserved again; stdout moved onto a reserved number
        // and back, then a reserved number moved onto stdout; stderr moved
        // onto a reserved number. Writes say where the streams are.
        "badfd-many" => unsafe {
            let n: u32 = p1_programs::arg(2).expect("badfd-many N").parse().unwrap();
            let log_fd = std::cell::Cell::new(2u32);
            let log = |text: String| {
                let line = format!("{text}\n");
                let iov = [addr(line.as_bytes()), line.len() as u32];
                let mut n = 0u32;
                assert_eq!(p1::fd_write(log_fd.get(), addr(&iov[..]), 1, out(&mut n)), 0, "log");
            };
            let reserve = |what: &str| {
                let mut fd = 0xdead_u32;
                let e = adapter_open_badfd(out(&mut fd));
                log(format!("reserve {what}: e={e} fd={fd}"));
                fd
            };
            let close = |fd: u32| log(format!("close({fd})={}", p1::fd_close(fd)));
            let renumber = |from: u32, to: u32| log(format!("renumber({from}, {to})={}", p1::fd_renumber(from, to)));
            let write = |fd: u32, text: &str| {
                let iov = [addr(text.as_bytes()), text.len() as u32];
                let mut n = 0xdead_u32;
                let e = p1::fd_write(fd, addr(&iov[..]), 1, out(&mut n));
                log(format!("write({fd})={e} n={n}"));
            };
            let fdstat = |fd: u32| {
                let mut st = [0u8; 24];
                let e = p1::fd_fdstat_get(fd, out(&mut st[..]));
                log(format!("fdstat({fd})={e} filetype={} base={:#x}", st[0], u64::from_le_bytes(st[8..16].try_into().unwrap())));
            };
            let poll = |fd: u32, tag: u8| {
                let mut sub = [0u8; 48];
                sub[8] = tag;
                sub[16..20].copy_from_slice(&fd.to_le_bytes());
                let mut event = [0xeeu8; 32];
                let mut n = 0xdead_u32;
                let e = p1::poll_oneoff(addr(&sub[..]), out(&mut event[..]), 1, out(&mut n));
                log(format!("poll({fd}, tag {tag})={e} n={n} err={} type={}", u16::from_le_bytes([event[8], event[9]]), event[10]));
            };
            for i in 0..n {
                reserve(&format!("#{i}"));
            }
            for fd in [10, 40, 20, 21, 5] {
                close(fd);
            }
            for i in 0..5 {
                reserve(&format!("again #{i}"));
            }
            reserve("fresh");
            close(0);
            reserve("after closing stdin");
            // stdout onto reserved 8, and back onto 1 once 1 is reserved again.
            renumber(1, 8);
            write(8, "<stdout through 8>\n");
            write(1, "<nothing at 1>\n");
            fdstat(8);
            fdstat(1);
            poll(8, 2);
            poll(1, 2);
            poll(9, 2);
            poll(9, 1);
            renumber(8, 1);
            reserve("after stdout left 1");
            renumber(8, 1);
            write(1, "<stdout back at 1>\n");
            fdstat(8);
            // A reserved number onto stdout: the stream is gone.
            renumber(7, 1);
            write(1, "<lost>\n");
            fdstat(1);
            fdstat(7);
            close(1);
            reserve("after closing the reserved 1");
            // stderr onto reserved 9: the log follows it.
            let e = p1::fd_renumber(2, 9);
            log_fd.set(9);
            log(format!("renumber(2, 9)={e}"));
            write(2, "<nothing at 2>\n");
            write(9, "<stderr through 9>\n");
            poll(9, 2);
            poll(2, 2);
            reserve("after stderr left 2");
            renumber(11, 12);
            fdstat(11);
            fdstat(12);
            close(12);
            reserve("last");
        },
        // reset_adapter_state after stdio moved and numbers were reserved:
        // what the streams and numbers are afterwards (logged on stdout).
        "reset-moved" => unsafe {
            let say = |fd: u32, text: &str| {
                let line = format!("{text}\n");
                let iov = [addr(line.as_bytes()), line.len() as u32];
                let mut n = 0xdead_u32;
                p1::fd_write(fd, addr(&iov[..]), 1, out(&mut n))
            };
            let mut fd = 0xdead_u32;
            let e = adapter_open_badfd(out(&mut fd));
            let r = p1::fd_renumber(2, 1);
            let w = say(1, &format!("reserved e={e} fd={fd}; renumber(2, 1)={r}; this goes to stderr"));
            reset_adapter_state();
            let mut st = [0u8; 24];
            let f = p1::fd_fdstat_get(fd, out(&mut st[..]));
            let mut again = 0xdead_u32;
            let e2 = adapter_open_badfd(out(&mut again));
            say(1, &format!("after reset: previous write {w}; fdstat(reserved)={f}; reserved again e={e2} fd={again}"));
            say(2, "stderr after reset");
            let mut buf = [0u8; 4];
            let iov = [out(&mut buf[..]), 4u32];
            let mut n = 0u32;
            let rd = p1::fd_read(0, addr(&iov[..]), 1, out(&mut n));
            say(1, &format!("read(0)={rd} n={n} {:?}", &buf[..n as usize]));
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
