//! Where a benchmark region's instructions go, by wasm function: reads one
//! callgrind dump of `bench --callgrind` and the perf map wasmtime wrote
//! for the same process, and lists the region's instructions per compiled
//! function (callgrind names them only by address) and per host function.
//!
//! ```sh
//! ADAPTER_TESTS_PERFMAP=1 cargo run --release -p adapter-tests --bin bench -- --callgrind --only seek
//! cargo run --release -p adapter-tests --bin wasm_profile -- target/bench-callgrind/callgrind.out.PID.PART-01 [TOP]
//! ```
//!
//! Host function names need a build that keeps symbols
//! (`CARGO_PROFILE_RELEASE_STRIP=none`, in a separate target directory).
//! Costs are self costs (excluding callees), as callgrind records them.

use std::collections::HashMap;

/// `(start, end, name)` of each compiled function in `/tmp/perf-PID.map`.
fn perf_map(pid: &str) -> Vec<(u64, u64, String)> {
    let path = format!("/tmp/perf-{pid}.map");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e} (run the bench with ADAPTER_TESTS_PERFMAP=1)"));
    let mut out: Vec<(u64, u64, String)> = text
        .lines()
        .filter_map(|line| {
            let mut parts = line.splitn(3, ' ');
            let hex = |field: &str| u64::from_str_radix(field.trim_start_matches("0x"), 16).ok();
            let start = hex(parts.next()?)?;
            let size = hex(parts.next()?)?;
            Some((start, start + size, parts.next()?.to_string()))
        })
        .collect();
    out.sort();
    out
}

/// Self cost per function name in a dump written with `--dump-instr=no`
/// (one position column) and uncompressed names, as the bench writes them.
fn self_costs(dump: &str) -> HashMap<String, u64> {
    let mut costs = HashMap::new();
    let mut current = String::new();
    let mut after_calls = false;
    for line in dump.lines() {
        if let Some(name) = line.strip_prefix("fn=") {
            current = name.to_string();
        } else if line.starts_with("calls=") {
            after_calls = true; // the next cost line is the call's inclusive cost
        } else if line.starts_with(|c: char| c.is_ascii_digit() || "+-*".contains(c)) {
            let cost = line.split_whitespace().nth(1).and_then(|c| c.parse::<u64>().ok());
            if let Some(cost) = cost {
                if !std::mem::take(&mut after_calls) {
                    *costs.entry(current.clone()).or_insert(0) += cost;
                }
            }
        }
    }
    costs
}

fn main() {
    let mut args = std::env::args().skip(1);
    let dump_path = args.next().expect("usage: wasm_profile CALLGRIND_DUMP [TOP]");
    let top: usize = args.next().map_or(30, |t| t.parse().expect("TOP is a number"));
    let dump = std::fs::read_to_string(&dump_path).unwrap_or_else(|e| panic!("{dump_path}: {e}"));
    let pid = dump.lines().find_map(|l| l.strip_prefix("pid: ")).expect("a dump names its pid").trim().to_string();
    let map = perf_map(&pid);
    let mut by_name: HashMap<String, u64> = HashMap::new();
    for (name, cost) in self_costs(&dump) {
        // Compiled code has no symbols: callgrind names it by address.
        let address = name.strip_prefix("0x").and_then(|a| u64::from_str_radix(a, 16).ok());
        let name = match address {
            Some(a) => {
                let i = map.partition_point(|&(start, _, _)| start <= a);
                match i.checked_sub(1).map(|i| &map[i]) {
                    Some((_, end, wasm)) if a < *end => format!("[wasm] {wasm}"),
                    _ => format!("[unmapped] {name}"),
                }
            }
            None => name,
        };
        *by_name.entry(name).or_insert(0) += cost;
    }
    let mut rows: Vec<(u64, String)> = by_name.into_iter().map(|(n, c)| (c, n)).collect();
    rows.sort_by(|a, b| b.cmp(a));
    let total: u64 = rows.iter().map(|r| r.0).sum();
    let wasm: u64 = rows.iter().filter(|r| r.1.starts_with("[wasm]")).map(|r| r.0).sum();
    println!("{dump_path}: {total} instructions, {wasm} in compiled wasm");
    for (cost, name) in rows.into_iter().take(top) {
        println!("{cost:>10}  {name}");
    }
}
