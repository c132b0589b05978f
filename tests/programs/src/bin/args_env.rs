//! Prints the arguments and environment as std sees them, then the raw sizes,
//! then `args_get` / `environ_get` into pointer arrays that overlap their
//! buffers, checked against native's order of writes (each pointer, then its
//! item) simulated here.
use p1_programs::{out, p1};
use std::os::wasi::ffi::OsStrExt;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    println!("argc={}", args.len());
    for a in &args {
        println!("arg {:?}", a);
    }
    let vars: Vec<(String, String)> = std::env::vars().collect();
    println!("envc={}", vars.len());
    for (k, v) in &vars {
        println!("env {:?}={:?}", k, v);
    }
    let (mut n, mut size) = (0u32, 0u32);
    let e1 = unsafe { p1::args_sizes_get(out(&mut n), out(&mut size)) };
    println!("args_sizes_get={e1} {n} {size}");
    let e2 = unsafe { p1::environ_sizes_get(out(&mut n), out(&mut size)) };
    println!("environ_sizes_get={e2} {n} {size}");
    // Raw layout: pointers into the buffer, NUL-terminated items.
    let mut ptrs = vec![0u32; n as usize];
    let mut buf = vec![0xaau8; size as usize + 8];
    let e3 = unsafe { p1::environ_get(out(&mut ptrs[..]), out(&mut buf[..])) };
    let base = buf.as_ptr() as u32;
    let offsets: Vec<u32> = ptrs.iter().map(|p| p - base).collect();
    println!("environ_get={e3} offsets_sum={} tail={:?}", offsets.iter().map(|&o| o as u64).sum::<u64>(), &buf[size as usize..]);
    ptrs.clear();
    buf.clear();
    overlapping();
}

/// Each item as the buffer holds it: `arg\0` or `key=value\0`.
fn items(args: bool) -> Vec<Vec<u8>> {
    let with_nul = |mut v: Vec<u8>| {
        v.push(0);
        v
    };
    if args {
        std::env::args_os().map(|a| with_nul(a.as_bytes().to_vec())).collect()
    } else {
        std::env::vars_os()
            .map(|(k, v)| with_nul([k.as_bytes(), b"=", v.as_bytes()].concat()))
            .collect()
    }
}

/// `args_get` / `environ_get` with the pointer array at `ptrs_at` and the
/// buffer at `buf_at` (offsets into one region pre-filled with 0x55).
fn overlapping() {
    for args in [true, false] {
        let items = items(args);
        let size: usize = items.iter().map(|i| i.len()).sum();
        let ptrs_len = items.len() * 4;
        let span = size + ptrs_len + 64;
        // (pointers, buffer): pointers inside the buffer, the buffer inside
        // the pointers, the buffer straight after the pointers' start.
        for (ptrs_at, buf_at) in [(8, 0), (0, 4), (16, 16 + ptrs_len / 2)] {
            let mut region = vec![0x55u8; span];
            let base = region.as_mut_ptr() as u32;
            let mut expected = region.clone();
            let mut cursor = buf_at;
            for (i, item) in items.iter().enumerate() {
                let at = ptrs_at + i * 4;
                expected[at..at + 4].copy_from_slice(&(base + cursor as u32).to_le_bytes());
                expected[cursor..cursor + item.len()].copy_from_slice(item);
                cursor += item.len();
            }
            let (p, b) = (base + ptrs_at as u32, base + buf_at as u32);
            let errno = unsafe { if args { p1::args_get(p, b) } else { p1::environ_get(p, b) } };
            let which = if args { "args_get" } else { "environ_get" };
            println!("{which} overlapping at ({ptrs_at}, {buf_at}): errno={errno} as_simulated={}", region == expected);
        }
    }
}
