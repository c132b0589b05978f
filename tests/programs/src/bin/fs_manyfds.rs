//! Opens N files (the first argument) at the same time, writes to each, reads
//! each back, closes them all; prints a summary of the descriptor numbers.
#[path = "fs_common.rs"]
mod fs;
use fs::*;

fn main() {
    let n: usize = case().parse().unwrap();
    println!("mkdir {}", en(mkdir(PRE, b"many")));
    let mut fds = Vec::with_capacity(n);
    for i in 0..n {
        let (e, fd) = open_raw(PRE, 0, format!("many/file-{i:05}").as_bytes(), CREAT | EXCL, RW, RW, 0);
        if e != 0 {
            println!("open #{i} failed: {}", en(e));
            break;
        }
        fds.push(fd);
    }
    let contiguous = fds.iter().enumerate().all(|(i, &fd)| fd == fds[0] + i as u32);
    println!("opened {} fds: first={:?} last={:?} contiguous={contiguous}", fds.len(), fds.first(), fds.last());
    for (i, &fd) in fds.iter().enumerate() {
        let text = format!("file {i} of {n}\n").repeat(i % 7 + 1);
        let (e, w) = write(fd, text.as_bytes());
        assert!(e == 0 && w as usize == text.len(), "write #{i}: {} {w}", en(e));
    }
    println!("wrote {}", fds.len());
    // Read back newest first, through the position (seek back) and by pread.
    let mut ok = 0;
    for (i, &fd) in fds.iter().enumerate().rev() {
        let text = format!("file {i} of {n}\n").repeat(i % 7 + 1);
        let (e, pos) = seek(fd, 0, 0);
        assert!(e == 0 && pos == 0);
        let (e, data) = read(fd, 4096);
        let (e2, pdata) = pread(fd, 4096, 3);
        if e == 0 && e2 == 0 && data == text.as_bytes() && pdata == &text.as_bytes()[3..] {
            ok += 1;
        } else {
            println!("file {i} (fd {fd}): read {} {:?} pread {}", en(e), String::from_utf8_lossy(&data), en(e2));
        }
    }
    println!("verified {ok}");
    // Close every other one, open as many again, then close everything.
    for &fd in fds.iter().step_by(2) {
        assert_eq!(close(fd), 0);
    }
    let mut again = Vec::new();
    for i in (0..fds.len()).step_by(2) {
        let (e, fd) = open_raw(PRE, 0, format!("many/file-{i:05}").as_bytes(), 0, R_READ, 0, 0);
        assert_eq!(e, 0);
        again.push(fd);
    }
    println!("reopened {}: first={:?} last={:?}", again.len(), again.first(), again.last());
    let mut closed = 0;
    for (i, &fd) in fds.iter().enumerate() {
        if i % 2 == 1 && close(fd) == 0 {
            closed += 1;
        }
    }
    for &fd in &again {
        if close(fd) == 0 {
            closed += 1;
        }
    }
    println!("closed {closed}");
    let last = must_open(PRE, "many/after", CREAT, 0);
    println!("next fd {last}; fdstat(4)={}", en(fdstat(4).0));
}
