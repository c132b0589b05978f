//! random_get of the length given as argument; prints properties only.
use p1_programs::{arg, out, p1};

fn main() {
    let len: usize = arg(1).unwrap().parse().unwrap();
    // Guard bytes on both sides must stay untouched.
    let mut buf = vec![0x5au8; len + 16];
    let e = unsafe { p1::random_get(out(&mut buf[8..]), len as u32) };
    let body = &buf[8..8 + len];
    let mut seen = [false; 256];
    for &b in body {
        seen[b as usize] = true;
    }
    let distinct = seen.iter().filter(|s| **s).count();
    let guards_ok = buf[..8].iter().chain(&buf[8 + len..]).all(|&b| b == 0x5a);
    let plausible = match len {
        0 => true,
        1..=15 => true,
        16..=4095 => distinct >= 8,
        _ => distinct == 256,
    };
    println!("random_get({len})={e} guards_ok={guards_ok} plausible={plausible}");
    buf.clear();
}
