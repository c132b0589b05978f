//! `./release.sh` on a fresh copy of the sources, twice, in two directories
//! of different paths and lengths, each with its default `target/`, the
//! second with another CARGO_HOME: the two release directories must be
//! identical byte for byte (rust-toolchain.toml pins the compiler). Also
//! checks what a user checks: `sha256sum -c`, the published file names, the
//! version in every artifact, no build path inside one, and that the
//! converter binary works and carries the adapters the release ships. Two
//! full builds at once: 8.5 minutes on two cores busy with other work (518 s;
//! without the converter the two builds took 284 s).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use adapter_tests::tools::{fuse_with_wasm_tools, run_command_component};
use adapter_tests::{program_wasm, root, scratch_dir, Program};

/// The release's files but the converter, whose name holds its version and
/// host ([`converter_name`]).
const RELEASE_FILES: [&str; 6] = [
    "wasi_snapshot_preview1.command.wasm",
    "wasi_snapshot_preview1.reactor.wasm",
    "wasi_snapshot_preview1.proxy.wasm",
    "wasi_snapshot_preview1.command-exit-with-code.wasm",
    "LICENSE",
    "SHA256SUMS",
];

/// The files git would put in a clone (tracked, or new and not ignored), as
/// they are in the working tree, copied under `to`.
fn copy_sources(to: &Path) {
    let out = Command::new("git")
        .current_dir(root())
        .args(["ls-files", "-z", "--cached", "--others", "--exclude-standard"])
        .output()
        .expect("git runs");
    assert!(out.status.success());
    for name in out.stdout.split(|&b| b == 0).filter(|n| !n.is_empty()) {
        let name = std::str::from_utf8(name).unwrap();
        let (from, dest) = (root().join(name), to.join(name));
        std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
        let meta = match std::fs::symlink_metadata(&from) {
            Ok(meta) => meta,
            Err(_) => continue, // deleted in the working tree
        };
        if meta.file_type().is_symlink() {
            std::os::unix::fs::symlink(std::fs::read_link(&from).unwrap(), &dest).unwrap();
        } else {
            std::fs::copy(&from, &dest).unwrap();
        }
    }
}

/// `./release.sh OUT` in the copy at `dir`, as on a fresh clone: no target
/// directory or toolchain inherited from this test's cargo, and
/// `cargo_home` as CARGO_HOME when given.
fn release(dir: &Path, cargo_home: Option<&Path>) -> PathBuf {
    let started = Instant::now();
    let mut command = Command::new("bash");
    command
        .current_dir(dir)
        .args(["./release.sh", "out"])
        .env_remove("CARGO_TARGET_DIR")
        .env_remove("RUSTUP_TOOLCHAIN")
        .env_remove("CARGO_BUILD_TARGET_DIR");
    if let Some(cargo_home) = cargo_home {
        command.env("CARGO_HOME", cargo_home);
    }
    let out = command.output().expect("bash runs");
    assert!(out.status.success(), "release.sh in {}:\n{}", dir.display(), String::from_utf8_lossy(&out.stderr));
    eprintln!("release.sh in {}: {:.0?}", dir.display(), started.elapsed());
    dir.join("out")
}

/// Another CARGO_HOME at `at`, holding this one's registry (downloaded
/// sources and index) through a link: a build there reads the same crates
/// from other paths, and needs no network.
fn another_cargo_home(at: &Path) -> PathBuf {
    let ours = std::env::var_os("CARGO_HOME").map(PathBuf::from).unwrap_or_else(|| PathBuf::from(std::env::var_os("HOME").unwrap()).join(".cargo"));
    std::fs::create_dir_all(at).unwrap();
    std::os::unix::fs::symlink(ours.join("registry"), at.join("registry")).unwrap();
    at.to_path_buf()
}

/// What `cargo pkgid` says `package`'s version is, in the sources at `dir`.
fn package_version(dir: &Path, package: &str) -> String {
    let pkgid = Command::new("cargo").current_dir(dir).args(["pkgid", "--quiet", "-p", package]).output().unwrap();
    let pkgid = String::from_utf8(pkgid.stdout).unwrap();
    pkgid.trim().rsplit(['#', '@']).next().unwrap().to_string()
}

/// `wasip1-to-component-VERSION-HOST`: the converter's name in the release,
/// HOST as the pinned rustc in `dir` reports it.
fn converter_name(dir: &Path) -> String {
    let rustc = Command::new("rustc").current_dir(dir).arg("-vV").env_remove("RUSTUP_TOOLCHAIN").output().unwrap();
    let rustc = String::from_utf8(rustc.stdout).unwrap();
    let host = rustc.lines().find_map(|l| l.strip_prefix("host: ")).expect("rustc -vV names the host");
    format!("wasip1-to-component-{}-{host}", package_version(dir, "wasip1-to-component"))
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn two_release_builds_in_different_directories_are_identical() {
    let base = std::env::temp_dir().join(format!("p1-adapter-reproducible-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&base);
    let (a, b) = (base.join("a"), base.join("second-checkout/of/the/sources"));
    copy_sources(&a);
    copy_sources(&b);
    let cargo_home_b = another_cargo_home(&base.join("another/cargo-home"));
    // Side by side: each build has long stretches on one core (the adapters'
    // and the converter's LTO), and neither shares anything with the other.
    let (release_a, release_b) = std::thread::scope(|scope| {
        let first = scope.spawn(|| release(&a, None));
        let second = release(&b, Some(&cargo_home_b));
        (first.join().expect("the first release build"), second)
    });

    let converter = converter_name(&a);
    let release_files: Vec<&str> = RELEASE_FILES.iter().copied().chain([converter.as_str()]).collect();
    let mut names: Vec<String> = std::fs::read_dir(&release_a).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    names.sort();
    let mut expected: Vec<String> = release_files.iter().map(|s| s.to_string()).collect();
    expected.sort();
    assert_eq!(names, expected, "the release directory's files");

    let version = package_version(&a, "wasi-preview1-adapter");
    let home = std::env::var("HOME").unwrap_or_default();
    for &name in &release_files {
        let (x, y) = (std::fs::read(release_a.join(name)).unwrap(), std::fs::read(release_b.join(name)).unwrap());
        assert!(x == y, "{name} differs between the two builds ({} and {} bytes)", x.len(), y.len());
        // Nothing of the machine it was built on. The converter, a host
        // binary, keeps the standard library's panic locations: `/rustc/`
        // and the compiler's commit, the same on every machine.
        let std_paths = if name == converter { "" } else { "/rustc/" };
        for path in [a.to_str().unwrap(), b.to_str().unwrap(), cargo_home_b.to_str().unwrap(), &home, std_paths, ".cargo/registry"] {
            assert!(path.is_empty() || !contains(&x, path.as_bytes()), "{name} contains the path {path}");
        }
        if name.ends_with(".wasm") {
            // The version a user reads with `wasm-tools metadata show`.
            assert_eq!(finish::read_version(&x).unwrap().as_deref(), Some(version.as_str()), "{name}: version section");
        }
    }
    // The release files are the build's dist/ files, byte for byte.
    for (release_name, dist_name) in [
        ("wasi_snapshot_preview1.command.wasm", "wasi_snapshot_preview1.command.wasm"),
        ("wasi_snapshot_preview1.reactor.wasm", "wasi_snapshot_preview1.reactor.wasm"),
        ("wasi_snapshot_preview1.proxy.wasm", "wasi_snapshot_preview1.proxy.wasm"),
        ("wasi_snapshot_preview1.command-exit-with-code.wasm", "exit-with-code/wasi_snapshot_preview1.command.wasm"),
    ] {
        assert!(std::fs::read(release_a.join(release_name)).unwrap() == std::fs::read(a.join("dist").join(dist_name)).unwrap(), "{release_name} is not dist/{dist_name}");
    }
    // The sums check, from inside the directory as a user runs it.
    let check = Command::new("sha256sum").current_dir(&release_b).args(["-c", "SHA256SUMS"]).output().unwrap();
    assert!(check.status.success(), "sha256sum -c:\n{}{}", String::from_utf8_lossy(&check.stdout), String::from_utf8_lossy(&check.stderr));
    let sums = std::fs::read_to_string(release_b.join("SHA256SUMS")).unwrap();
    assert_eq!(sums.lines().count(), release_files.len() - 1, "one sum per file but SHA256SUMS:\n{sums}");
    released_converter_works(&release_b, &converter);
    std::fs::remove_dir_all(&base).unwrap();
}

/// The released converter says its version, carries the four adapters the
/// release ships (the bytes themselves), and turns a program into the
/// component `wasm-tools component new` makes with the release's command
/// adapter, which runs.
fn released_converter_works(release: &Path, converter: &str) {
    let binary = release.join(converter);
    let version = Command::new(&binary).arg("--version").output().unwrap();
    let version = String::from_utf8(version.stdout).unwrap();
    let version_in_name = converter.strip_prefix("wasip1-to-component-").unwrap().split('-').next().unwrap();
    assert_eq!(version.trim(), format!("wasip1-to-component {version_in_name}"));

    let bytes = std::fs::read(&binary).unwrap();
    for adapter in RELEASE_FILES.iter().filter(|n| n.ends_with(".wasm")) {
        assert!(contains(&bytes, &std::fs::read(release.join(adapter)).unwrap()), "{converter} does not embed {adapter}");
    }

    let hello = program_wasm(&Program::Rust("hello"));
    let dir = scratch_dir(&[], &[("hello.wasm".into(), hello.to_vec())]);
    let run = Command::new(&binary).current_dir(&dir).args(["hello.wasm", "-o", "hello.component.wasm"]).output().unwrap();
    assert!(run.status.success(), "{converter} hello.wasm:\n{}", String::from_utf8_lossy(&run.stderr));
    let component = std::fs::read(dir.join("hello.component.wasm")).unwrap();
    let command_adapter = release.join("wasi_snapshot_preview1.command.wasm");
    assert!(component == fuse_with_wasm_tools(&hello, &command_adapter, &[]), "not what wasm-tools writes with the release's command adapter");
    assert_eq!(run_command_component(&component), "Hello, world!\n");
    std::fs::remove_dir_all(dir).ok();
}
