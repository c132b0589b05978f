//! Descriptor churn, to show that closing gives back everything opening took.
//!
//! * `cycles N`: N times, opens one file, reads it and closes it; every
//!   100th time also lists the preopen through a second descriptor.
//! * `hold N`: opens N files at once, closes them all, twice. The second
//!   round must reuse the numbers of the first.
//!
//! Both print whether linear memory grew after a warm-up: natively only the
//! program can grow it, so through an adapter any growth is the adapter's.
//! The host side counts the WASI 0.2 resources left alive at exit.
#[path = "fs_common.rs"]
mod fs;
use fs::*;

fn pages() -> usize {
    core::arch::wasm32::memory_size(0)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n: usize = args[2].parse().unwrap();
    match args[1].as_str() {
        "cycles" => cycles(n),
        "hold" => hold(n),
        other => panic!("unknown case {other}"),
    }
}

fn cycles(n: usize) {
    let fd = must_open(PRE, "churn.txt", CREAT | TRUNC, 0);
    assert_eq!(write(fd, b"churn\n"), (0, 6));
    assert_eq!(close(fd), 0);
    let mut warm_pages = 0;
    let mut fds = std::collections::BTreeSet::new();
    for i in 0..n {
        let (e, fd) = open_raw(PRE, 0, b"churn.txt", 0, RW, RW, 0);
        assert_eq!(e, 0, "open #{i}: {}", en(e));
        fds.insert(fd);
        let (e, data) = read(fd, 16);
        assert!(e == 0 && data == b"churn\n", "read #{i}: {}", en(e));
        if i % 100 == 0 {
            // A directory descriptor with a listing in progress.
            let (e, dir) = open_raw(PRE, 0, b".", DIRECTORY, R_READDIR, 0, 0);
            assert_eq!(e, 0, "open .: {}", en(e));
            let (entries, _) = list(dir, 256, 0);
            assert_eq!(entries.len(), 3, "cycle {i}: . .. churn.txt");
            assert_eq!(close(dir), 0);
        }
        assert_eq!(close(fd), 0, "close #{i}");
        if i == 99 {
            warm_pages = pages();
        }
    }
    println!("cycles {n}: fds {fds:?}; memory grew after 100 cycles: {}", pages() > warm_pages);
}

fn hold(n: usize) {
    assert_eq!(mkdir(PRE, b"hold"), 0);
    let mut fds = Vec::with_capacity(n);
    let mut pages_after = Vec::new();
    for round in 0..3 {
        let oflags = if round == 0 { CREAT | EXCL } else { 0 };
        for i in 0..n {
            let (e, fd) = open_raw(PRE, 0, format!("hold/{i:05}").as_bytes(), oflags, RW, RW, 0);
            if e != 0 {
                println!("round {round}: open #{i} failed: {}", en(e));
                return;
            }
            fds.push(fd);
        }
        // Every descriptor is live and distinct at once.
        let stat_ok = fds.iter().all(|&fd| fstat(fd).0 == 0);
        let contiguous = fds.iter().enumerate().all(|(i, &fd)| fd == fds[0] + i as u32);
        println!(
            "round {round}: {} open, fds {}..={}, contiguous {contiguous}, all stat {stat_ok}",
            fds.len(),
            fds[0],
            fds[fds.len() - 1]
        );
        // Close in an order that mixes up the free list.
        let (even, odd): (Vec<_>, Vec<_>) = fds.drain(..).enumerate().partition(|(i, _)| i % 2 == 0);
        let closed = even.iter().chain(odd.iter().rev()).filter(|&&(_, fd)| close(fd) == 0).count();
        println!("round {round}: closed {closed}; fdstat of the first now {}", en(fdstat(4).0));
        pages_after.push(pages());
    }
    println!("memory grew after the first round: {}", pages_after[2] > pages_after[0]);
}
