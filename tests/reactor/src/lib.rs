//! What the reactor test calls: plain std code, reached through the
//! component export `probe` or (for the native run) the `probe` binary.

wit_bindgen::generate!({ path: "wit", world: "probe" });

struct Probe;

impl Guest for Probe {
    fn probe(call: u32, file: String, var: String) -> String {
        describe(call, &file, &var)
    }
}

export!(Probe);

pub fn describe(call: u32, file: &str, var: &str) -> String {
    use std::time::{Instant, SystemTime, UNIX_EPOCH};
    let contents = std::fs::read_to_string(format!("/sandbox/{file}")).map_err(|e| e.kind().to_string());
    let value = std::env::var(var).map_err(|e| e.to_string());
    let start = Instant::now();
    let since_epoch = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs() > 1_577_836_800);
    format!(
        "call {call}: {file} -> {contents:?}; {var} -> {value:?}; monotonic ok: {}; realtime after 2020: {since_epoch:?}; args: {}",
        start.elapsed().as_secs() < 10,
        std::env::args().count(),
    )
}
