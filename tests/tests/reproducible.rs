//! `./release.sh` on a fresh copy of the sources, twice, in two directories
//! of different paths and lengths, each with its default `target/`: the two
//! release directories must be identical byte for byte (rust-toolchain.toml
//! pins the compiler). Also checks what a user checks: `sha256sum -c`, the
//! published file names, the version in every artifact, and no build path
//! inside one. Two full builds: a few minutes on two cores.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use adapter_tests::root;

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
/// directory or toolchain inherited from this test's cargo.
fn release(dir: &Path) -> PathBuf {
    let started = Instant::now();
    let out = Command::new("bash")
        .current_dir(dir)
        .args(["./release.sh", "out"])
        .env_remove("CARGO_TARGET_DIR")
        .env_remove("RUSTUP_TOOLCHAIN")
        .env_remove("CARGO_BUILD_TARGET_DIR")
        .output()
        .expect("bash runs");
    assert!(out.status.success(), "release.sh in {}:\n{}", dir.display(), String::from_utf8_lossy(&out.stderr));
    eprintln!("release.sh in {}: {:.0?}", dir.display(), started.elapsed());
    dir.join("out")
}

#[test]
fn two_release_builds_in_different_directories_are_identical() {
    let base = std::env::temp_dir().join(format!("p1-adapter-reproducible-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&base);
    let (a, b) = (base.join("a"), base.join("second-checkout/of/the/sources"));
    copy_sources(&a);
    copy_sources(&b);
    let (release_a, release_b) = (release(&a), release(&b));

    let mut names: Vec<String> = std::fs::read_dir(&release_a).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    names.sort();
    let mut expected: Vec<String> = RELEASE_FILES.iter().map(|s| s.to_string()).collect();
    expected.sort();
    assert_eq!(names, expected, "the release directory's files");

    let version = {
        let pkgid = Command::new("cargo").current_dir(&a).args(["pkgid", "--quiet", "-p", "wasi-preview1-adapter"]).output().unwrap();
        let pkgid = String::from_utf8(pkgid.stdout).unwrap();
        pkgid.trim().rsplit(['#', '@']).next().unwrap().to_string()
    };
    let home = std::env::var("HOME").unwrap_or_default();
    for name in RELEASE_FILES {
        let (x, y) = (std::fs::read(release_a.join(name)).unwrap(), std::fs::read(release_b.join(name)).unwrap());
        assert!(x == y, "{name} differs between the two builds ({} and {} bytes)", x.len(), y.len());
        if !name.ends_with(".wasm") {
            continue;
        }
        // The version a user reads with `wasm-tools metadata show`.
        assert_eq!(finish::read_version(&x).unwrap().as_deref(), Some(version.as_str()), "{name}: version section");
        // Nothing of the machine it was built on.
        for path in [a.to_str().unwrap(), b.to_str().unwrap(), &home, "/rustc/", ".cargo/registry"] {
            assert!(path.is_empty() || !x.windows(path.len()).any(|w| w == path.as_bytes()), "{name} contains the path {path}");
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
    assert_eq!(sums.lines().count(), RELEASE_FILES.len() - 1, "one sum per file but SHA256SUMS:\n{sums}");
    std::fs::remove_dir_all(&base).unwrap();
}
