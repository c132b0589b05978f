//! Sleeping through std (one relative monotonic clock subscription a call).
//! `loop N`: N sleeps of 1 ms; `sleep MS`: one sleep. Prints only what is
//! deterministic: whether the time slept is at least what was asked and below
//! a generous bound.
use std::time::{Duration, Instant, SystemTime};

fn main() {
    let n: u64 = p1_programs::arg(2).map(|s| s.parse().unwrap()).unwrap_or(0);
    let start = Instant::now();
    let wall = SystemTime::now();
    match p1_programs::arg(1) {
        Some("loop") => {
            let mut short = 0;
            for _ in 0..n {
                let t = Instant::now();
                std::thread::sleep(Duration::from_millis(1));
                if t.elapsed() < Duration::from_millis(1) {
                    short += 1;
                }
            }
            println!("{n} sleeps of 1 ms, each at least 1 ms: {}", short == 0);
        }
        Some("sleep") => std::thread::sleep(Duration::from_millis(n)),
        other => panic!("unknown case {other:?}"),
    }
    let elapsed = start.elapsed();
    let wall_elapsed = wall.elapsed().unwrap_or_default();
    println!("elapsed >= {n} ms: {}", elapsed >= Duration::from_millis(n));
    println!("realtime agrees: {}", wall_elapsed + Duration::from_millis(50) >= Duration::from_millis(n));
    // Generous: 1 ms sleeps cost a timer tick each at worst.
    println!("elapsed < {} ms: {}", 20 * n + 2000, elapsed < Duration::from_millis(20 * n + 2000));
}
