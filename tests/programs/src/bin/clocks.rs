//! Every clock id, through the raw calls: errno and properties of the values.
use p1_programs::{case, out, p1};

fn main() {
    if case() == "invalid-id" {
        let mut t = 0u64;
        let e = unsafe { p1::clock_time_get(4, 0, out(&mut t)) };
        println!("clock 4: {e}");
        return;
    }
    if case() == "invalid-res-id" {
        let mut t = 0u64;
        let e = unsafe { p1::clock_res_get(u32::MAX, out(&mut t)) };
        println!("clock res -1: {e}");
        return;
    }
    for id in 0..4u32 {
        let (mut res, mut t1, mut t2) = (0u64, 0u64, 0u64);
        let er = unsafe { p1::clock_res_get(id, out(&mut res)) };
        let e1 = unsafe { p1::clock_time_get(id, 0, out(&mut t1)) };
        let e2 = unsafe { p1::clock_time_get(id, u64::MAX, out(&mut t2)) };
        println!(
            "clock {id}: res_errno={er} res_positive={} time_errno={e1},{e2} nondecreasing={} untouched_on_error={}",
            res > 0,
            t2 >= t1,
            er != 0 && res == 0 && t1 == 0
        );
        if id == 0 && e1 == 0 {
            // After 2020-01-01 and before 2100.
            println!("realtime plausible={}", t1 > 1_577_836_800_000_000_000 && t1 < 4_102_444_800_000_000_000);
        }
    }
    // std's clocks work through the same calls.
    let start = std::time::Instant::now();
    let now = std::time::SystemTime::now();
    println!("std: elapsed_ok={} after_epoch={}", start.elapsed().as_secs() < 60, now > std::time::UNIX_EPOCH);
}
