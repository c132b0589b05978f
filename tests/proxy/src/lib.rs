//! Answers every request with a description of what preview1 showed it.

wit_bindgen::generate!({
    path: [
        "../../wit/deps/io",
        "../../wit/deps/clocks",
        "../../wit/deps/random",
        "../../wit/deps/filesystem",
        "../../wit/deps/sockets",
        "../../wit/deps/cli",
        "../../wit/deps/http",
    ],
    world: "wasi:http/proxy@0.2.0",
    generate_all,
});

use exports::wasi::http::incoming_handler::Guest;
use wasi::http::types::{Fields, IncomingRequest, OutgoingBody, OutgoingResponse, ResponseOutparam};

struct Handler;

impl Guest for Handler {
    fn handle(request: IncomingRequest, response_out: ResponseOutparam) {
        let path = request.path_with_query().unwrap_or_default();
        // Through preview1 fd_write(2) and the adapter, to the host's stderr.
        eprintln!("proxy handler: serving {path}");

        if path == "/exit" {
            // The proxy world has no exit: this must end the instance (trap).
            unsafe { p1::proc_exit(0) }
        }
        if path == "/probe" {
            let report = probe();
            return respond(response_out, &report);
        }

        let start = std::time::Instant::now();
        let wall = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() > 1_577_836_800);
        let mut random = [0u8; 32];
        let random_ok = getrandom(&mut random);
        let report = format!(
            "path={path} args={} env={} wall_after_2020={wall:?} monotonic_ok={} random_ok={random_ok} fs={:?}\n",
            std::env::args().count(),
            std::env::vars().count(),
            start.elapsed().as_secs() < 10,
            std::fs::read("/etc/passwd").map(|_| ()).map_err(|e| e.raw_os_error()),
        );
        respond(response_out, &report);
    }
}

fn respond(response_out: ResponseOutparam, report: &str) {
    let response = OutgoingResponse::new(Fields::new());
    response.set_status_code(200).unwrap();
    let body = response.body().unwrap();
    ResponseOutparam::set(response_out, Ok(response));
    let stream = body.write().unwrap();
    stream.blocking_write_and_flush(report.as_bytes()).unwrap();
    drop(stream);
    OutgoingBody::finish(body, None).unwrap();
}

/// Raw preview1 imports the probe calls.
mod p1 {
    #[link(wasm_import_module = "wasi_snapshot_preview1")]
    extern "C" {
        pub fn random_get(buf: *mut u8, len: usize) -> u16;
        pub fn proc_exit(code: u32) -> !;
        pub fn args_sizes_get(count: *mut u32, bytes: *mut u32) -> u16;
        pub fn environ_sizes_get(count: *mut u32, bytes: *mut u32) -> u16;
        pub fn fd_prestat_get(fd: u32, out: *mut u8) -> u16;
        pub fn fd_prestat_dir_name(fd: u32, path: *mut u8, len: usize) -> u16;
        pub fn fd_fdstat_get(fd: u32, out: *mut u8) -> u16;
        pub fn fd_close(fd: u32) -> u16;
        pub fn fd_readdir(fd: u32, buf: *mut u8, len: usize, cookie: u64, used: *mut u32) -> u16;
        pub fn path_open(fd: u32, dirflags: u32, path: *const u8, len: usize, oflags: u32, base: u64, inheriting: u64, fdflags: u32, opened: *mut u32) -> u16;
        pub fn path_create_directory(fd: u32, path: *const u8, len: usize) -> u16;
        pub fn sock_accept(fd: u32, flags: u32, out: *mut u32) -> u16;
        pub fn poll_oneoff(subs: *const u8, events: *mut u8, n: u32, nevents: *mut u32) -> u16;
        pub fn clock_time_get(id: u32, precision: u64, out: *mut u64) -> u16;
    }
}

/// preview1 `random_get`, as std's hash seeds and `getrandom` use it.
fn getrandom(buf: &mut [u8]) -> bool {
    unsafe { p1::random_get(buf.as_mut_ptr(), buf.len()) == 0 && buf.iter().any(|&b| b != 0) }
}

/// Calls that need what the proxy world lacks, with the errno each gave
/// (a preview1 program with no preopens, no args, no env sees the same), and
/// a relative clock poll, which works.
fn probe() -> String {
    let (mut a, mut b) = (7u32, 7u32);
    let mut buf = [0u8; 64];
    let mut out = 0u32;
    let mut lines = Vec::new();
    unsafe {
        lines.push(format!("args_sizes_get={} {a} {b}", p1::args_sizes_get(&mut a, &mut b)));
        (a, b) = (7, 7);
        lines.push(format!("environ_sizes_get={} {a} {b}", p1::environ_sizes_get(&mut a, &mut b)));
        lines.push(format!("fd_prestat_get(3)={}", p1::fd_prestat_get(3, buf.as_mut_ptr())));
        // Stdio is open but no preopen: BADF, and NOTDIR (54) for its name.
        lines.push(format!("fd_prestat_get(1)={}", p1::fd_prestat_get(1, buf.as_mut_ptr())));
        lines.push(format!("fd_prestat_dir_name(1)={}", p1::fd_prestat_dir_name(1, buf.as_mut_ptr(), 64)));
        lines.push(format!("fd_prestat_dir_name(3)={}", p1::fd_prestat_dir_name(3, buf.as_mut_ptr(), 64)));
        lines.push(format!("fd_fdstat_get(3)={}", p1::fd_fdstat_get(3, buf.as_mut_ptr())));
        lines.push(format!("fd_close(3)={}", p1::fd_close(3)));
        lines.push(format!("fd_readdir(3)={}", p1::fd_readdir(3, buf.as_mut_ptr(), 64, 0, &mut out)));
        lines.push(format!("path_open(3)={}", p1::path_open(3, 0, b"x".as_ptr(), 1, 0, 0x1fff_ffff, 0x1fff_ffff, 0, &mut out)));
        lines.push(format!("path_create_directory(3)={}", p1::path_create_directory(3, b"d".as_ptr(), 1)));
        lines.push(format!("sock_accept(3)={}", p1::sock_accept(3, 0, &mut out)));
        // One relative monotonic clock of 1 ms: userdata 9, tag 0, clock id 1.
        let mut sub = [0u64; 6];
        sub[0] = 9;
        sub[2] = 1;
        sub[3] = 1_000_000;
        let mut event = [0u64; 4];
        let mut n = 0u32;
        let e = p1::poll_oneoff(sub.as_ptr().cast(), event.as_mut_ptr().cast(), 1, &mut n);
        lines.push(format!("poll_oneoff={e} n={n} userdata={}", event[0]));
        let mut t = 0u64;
        lines.push(format!("clock_time_get(monotonic)={} nonzero={}", p1::clock_time_get(1, 1, &mut t), t != 0));
    }
    lines.join("\n") + "\n"
}

export!(Handler);
