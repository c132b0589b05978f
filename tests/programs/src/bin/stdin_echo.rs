//! Copies stdin to stdout with std, then reports what it saw on stderr.
use std::io::{Read, Write};

fn main() {
    // No arguments; asking for them takes the argument line off stdin where
    // they come that way (a proxy run: see `p1_programs::args`).
    assert!(p1_programs::args().is_empty());
    let mut all = Vec::new();
    let n = std::io::stdin().read_to_end(&mut all).unwrap();
    std::io::stdout().write_all(&all).unwrap();
    let sum: u64 = all.iter().map(|&b| b as u64).sum();
    eprintln!("read {n} bytes, sum {sum}");
    // At end of file a further read returns 0 again.
    let mut more = [0u8; 16];
    eprintln!("after eof: {:?}", std::io::stdin().read(&mut more).map_err(|e| e.raw_os_error()));
}
