//! Descriptor-level behaviour of stdio and preopens: fdstat, filestat,
//! prestat, close, renumber, and the errno of every other fd call on them.
use p1_programs::{addr, out, case, p1};

fn fdstat(fd: u32) {
    let mut st = [0xeeu8; 24];
    let e = unsafe { p1::fd_fdstat_get(fd, out(&mut st[..])) };
    println!("fdstat({fd})={e} {:?}", st);
}

fn filestat(fd: u32) {
    let mut st = [0xeeu8; 64];
    let e = unsafe { p1::fd_filestat_get(fd, out(&mut st[..])) };
    println!("filestat({fd})={e} {:?}", st);
}

fn prestat(fd: u32) {
    let mut st = [0xeeu8; 8];
    let e = unsafe { p1::fd_prestat_get(fd, out(&mut st[..])) };
    let mut name = [0xeeu8; 64];
    let len = u32::from_le_bytes([st[4], st[5], st[6], st[7]]).min(64);
    let e2 = unsafe { p1::fd_prestat_dir_name(fd, out(&mut name[..]), if e == 0 { len } else { 64 }) };
    let e3 = if e == 0 && len > 0 { unsafe { p1::fd_prestat_dir_name(fd, out(&mut name[..]), len - 1) } } else { -1 };
    println!("prestat({fd})={e} {:?} dir_name={e2} {:?} short={e3}", st, String::from_utf8_lossy(&name[..len as usize]));
}

fn others(fd: u32) {
    let mut buf = [0u8; 64];
    let iov = [out(&mut buf[..]), 4u32];
    let o = out(&mut buf[8..]);
    unsafe {
        println!(
            "fd {fd}: seek={} tell={} sync={} datasync={} advise={} allocate={} set_flags={} set_rights={} set_size={} set_times={} pread={} pwrite={} accept={} recv={} send={} shutdown={}",
            p1::fd_seek(fd, 0, 1, o),
            p1::fd_tell(fd, o),
            p1::fd_sync(fd),
            p1::fd_datasync(fd),
            p1::fd_advise(fd, 0, 0, 0),
            p1::fd_allocate(fd, 0, 1),
            p1::fd_fdstat_set_flags(fd, 0),
            p1::fd_fdstat_set_rights(fd, 0, 0),
            p1::fd_filestat_set_size(fd, 0),
            p1::fd_filestat_set_times(fd, 0, 0, 0),
            p1::fd_pread(fd, addr(&iov[..]), 1, 0, o),
            p1::fd_pwrite(fd, addr(&iov[..]), 1, 0, o),
            p1::sock_accept(fd, 0, o),
            p1::sock_recv(fd, addr(&iov[..]), 1, 0, o, o),
            p1::sock_send(fd, addr(&iov[..]), 1, 0, o),
            p1::sock_shutdown(fd, 3),
        );
    }
    std::hint::black_box(&buf);
}

fn write(fd: u32, text: &str) -> i32 {
    let iov = [addr(text.as_bytes()), text.len() as u32];
    let mut n = 0u32;
    unsafe { p1::fd_write(fd, addr(&iov[..]), 1, out(&mut n)) }
}

fn main() {
    match case().as_str() {
        "stat" => {
            for fd in 0..6 {
                fdstat(fd);
                prestat(fd);
            }
            for fd in [0, 1, 2, 7] {
                filestat(fd);
            }
            for fd in [0, 1, 2, 3, 4, 99, u32::MAX] {
                others(fd);
            }
            unsafe {
                println!("raise={} yield={} poll0={}", p1::proc_raise(2), p1::sched_yield(), p1::poll_oneoff(0, 0, 0, 0));
            }
        }
        "close" => unsafe {
            println!("close(99)={} close(-1)={}", p1::fd_close(99), p1::fd_close(u32::MAX));
            println!("close(2)={} write(2)={} close(2)={}", p1::fd_close(2), write(2, "gone\n"), p1::fd_close(2));
            fdstat(2);
            println!("close(3)={}", p1::fd_close(3));
            prestat(3);
            fdstat(4);
            println!("close(0)={} close(1)={}", p1::fd_close(0), p1::fd_close(1));
            fdstat(1);
            let e = write(1, "not shown\n");
            // stdout is closed: report through the exit status.
            p1::proc_exit(if e == 8 { 0 } else { 1 });
        },
        "renumber" => unsafe {
            println!("renumber(3,3)={} renumber(9,1)={} renumber(1,9)={}", p1::fd_renumber(3, 3), p1::fd_renumber(9, 1), p1::fd_renumber(1, 9));
            println!("renumber(3,0)={}", p1::fd_renumber(3, 0));
            prestat(0);
            prestat(3);
            fdstat(0);
            println!("renumber(2,1)={}", p1::fd_renumber(2, 1));
            println!("write(1)={} write(2)={}", write(1, "via renumbered stderr\n"), write(2, "x"));
            fdstat(1);
            fdstat(2);
            println!("renumber(0,3)={} renumber(4,1)={}", p1::fd_renumber(0, 3), p1::fd_renumber(4, 1));
            prestat(1);
            prestat(3);
        },
        "io-first" => unsafe {
            // Reads and writes of numbers above stdio before any other call
            // names one: the preopen (3), the number after it and a far one.
            for fd in [3, 4, 99] {
                let mut buf = [0u8; 8];
                let iov = [out(&mut buf[..]), 8u32];
                let mut n = 0xeeee_eeeeu32;
                println!(
                    "fd {fd}: write={} read={} pread={} pwrite={} n={n:#x}",
                    write(fd, "x"),
                    p1::fd_read(fd, addr(&iov[..]), 1, out(&mut n)),
                    p1::fd_pread(fd, addr(&iov[..]), 1, 0, out(&mut n)),
                    p1::fd_pwrite(fd, addr(&iov[..]), 1, 0, out(&mut n)),
                );
            }
            // The preopen is still 3, and what opens next gets 4.
            prestat(3);
            let name = b"io-first.txt";
            let mut fd = 0u32;
            let rights = (1u64 << 29) - 1;
            let e = p1::path_open(3, 0, addr(&name[..]), name.len() as u32, 1, rights, rights, 0, out(&mut fd));
            println!("open={e} fd={fd} write={}", write(fd, "written\n"));
            fdstat(fd);
        },
        "write-closed-stdout" => {
            // The host's stdout is closed: the errno of the failed write is the result.
            let e = write(1, "into the void\n");
            write(2, &format!("write to closed stdout: {e}\n"));
        },
        other => panic!("unknown case {other:?}"),
    }
}
