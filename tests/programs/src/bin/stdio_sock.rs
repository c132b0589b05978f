//! sock_accept, sock_recv, sock_send and sock_shutdown on stdio, the
//! preopen, a directory, a regular file, closed and bad descriptors, with
//! valid and invalid flags and pointers nobody should touch; proc_raise with
//! every signal; sched_yield. The preopen holds `data.txt` and `sub/`.
use p1_programs::{addr, memory_end, out, p1};

const UNTOUCHED: u32 = 0xdead;

fn open(path: &str, oflags: u32, rights: u64) -> u32 {
    let mut fd = UNTOUCHED;
    let e = unsafe { p1::path_open(3, 0, addr(path.as_bytes()), path.len() as u32, oflags, rights, rights, 0, out(&mut fd)) };
    println!("open({path:?})={e}");
    assert_eq!(e, 0);
    fd
}

fn main() {
    // `bad CALL FD VALUE`: one call with a flag or signal value outside its type.
    let arg = |n| p1_programs::arg(n).unwrap();
    if p1_programs::arg(1) == Some("bad") {
        let (fd, v): (u32, u32) = (arg(3).parse().unwrap(), arg(4).parse().unwrap());
        let mut o = [0u32; 2];
        let iov = [out(&mut o[..]), 4u32];
        println!("{} fd={fd} value={v:#x}...", arg(2));
        let e = unsafe {
            match arg(2) {
                "accept" => p1::sock_accept(fd, v, out(&mut o[..])),
                "recv" => p1::sock_recv(fd, addr(&iov[..]), 1, v, out(&mut o[..]), out(&mut o[1..])),
                "send" => p1::sock_send(fd, addr(&iov[..]), 1, v, out(&mut o[..])),
                "shutdown" => p1::sock_shutdown(fd, v),
                "raise" => p1::proc_raise(v),
                other => panic!("unknown call {other}"),
            }
        };
        println!("= {e}");
        return;
    }
    let dir = open("sub", 2, 1 << 1);
    let file = open("data.txt", 0, (1 << 1) | (1 << 6));
    let closed = open("data.txt", 0, 1 << 1);
    println!("close={}", unsafe { p1::fd_close(closed) });
    let end = memory_end();
    let mut buf = [0x77u8; 16];
    let mut outs = [UNTOUCHED; 4];
    let iov = [out(&mut buf[..]), 16u32];
    let o = out(&mut outs[..]);
    for (name, fd) in [("stdin", 0), ("stdout", 1), ("stderr", 2), ("preopen", 3), ("dir", dir), ("file", file), ("closed", closed), ("bad", 99), ("max", u32::MAX)] {
        unsafe {
            // Every valid flag value (others trap natively: see `bad`).
            let accept: Vec<i32> = [0u32, 1, 4, 0x1f].iter().map(|&f| p1::sock_accept(fd, f, o)).collect();
            let recv: Vec<i32> = [0u32, 1, 2, 3].iter().map(|&f| p1::sock_recv(fd, addr(&iov[..]), 1, f, o, o + 4)).collect();
            let send: Vec<i32> = [0u32, 1, 0xffff].iter().map(|&f| p1::sock_send(fd, addr(&iov[..]), 1, f, o)).collect();
            let shutdown: Vec<i32> = [0u32, 1, 2, 3].iter().map(|&h| p1::sock_shutdown(fd, h)).collect();
            // Pointers past the end of memory: never dereferenced natively.
            let hostile = [
                p1::sock_accept(fd, 0, end),
                p1::sock_recv(fd, end + 8, 4, 0, end, end + 1),
                p1::sock_send(fd, end + 3, 1 << 30, 0, end - 1),
            ];
            println!("{name}: accept={accept:?} recv={recv:?} send={send:?} shutdown={shutdown:?} hostile={hostile:?}");
        }
    }
    println!("untouched: buf={} outs={}", buf.iter().all(|&b| b == 0x77), outs.iter().all(|&o| o == UNTOUCHED));
    // The file is still usable.
    let mut pos = 0u64;
    println!("seek(file)={} pos={pos}", unsafe { p1::fd_seek(file, 0, 2, out(&mut pos)) });

    let signals: Vec<(u32, i32)> = (0..=30u32).map(|s| (s, unsafe { p1::proc_raise(s) })).collect();
    println!("proc_raise: {signals:?}");
    let yields: Vec<i32> = (0..1000).map(|_| unsafe { p1::sched_yield() }).collect();
    println!("sched_yield x1000: all zero={}", yields.iter().all(|&e| e == 0));
    std::thread::yield_now();
    println!("std yield_now: ok");
}
