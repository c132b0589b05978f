//! Prints the arguments and environment as std sees them, then the raw sizes.
use p1_programs::{out, p1};

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
}
