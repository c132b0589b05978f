//! The provider crate (`provider/`, crates.io's
//! `wasi-preview1-component-adapter-provider` API with our artifacts): its
//! constants drive wit-component, it packages with the artifacts inside, its
//! version names the adapter release it carries, and a real consumer built
//! against it through `[patch.crates-io]` (crates.io's wasm-component-ld,
//! `tests/wasm-component-ld/`) links programs into components that run on
//! our adapter.

use std::path::{Path, PathBuf};
use std::process::Command;

use adapter_provider as provider;
use adapter_tests::{build_wasip1_package, engine, program_wasm, root, scratch_dir, wasi_ctx, ComponentCtx, Program, Scenario};
use wasmtime::component::{Component, Linker, ResourceTable};
use wasmtime::Store;

/// Runs a command component's `wasi:cli/run`; its result, stdout and stderr.
fn run_command(component: &[u8], scenario: &Scenario) -> (Result<(), ()>, String, String) {
    let component = Component::new(engine(), component).unwrap();
    let (mut builder, stdout, stderr) = wasi_ctx(scenario, &scratch_dir(&[], &[]), true).unwrap();
    let mut linker = Linker::new(engine());
    wasmtime_wasi::p2::add_to_linker_sync(&mut linker).unwrap();
    let mut store = Store::new(engine(), ComponentCtx { wasi: builder.build(), table: ResourceTable::new() });
    let command = wasmtime_wasi::p2::bindings::sync::Command::instantiate(&mut store, &component, &linker).unwrap();
    let result = command.wasi_cli_run().call_run(&mut store).unwrap();
    let text = |pipe: wasmtime_wasi::p2::pipe::MemoryOutputPipe| String::from_utf8_lossy(&pipe.contents()).into_owned();
    (result, text(stdout), text(stderr))
}

/// The `version` custom section of a module (`wasm-tools metadata show`).
fn version_section(wasm: &[u8]) -> Option<String> {
    finish::read_version(wasm).unwrap()
}

/// `version = "..."` of a manifest's `[package]` table.
fn manifest_version(manifest: &Path) -> String {
    let text = std::fs::read_to_string(manifest).unwrap();
    let package = &text[text.find("[package]").expect("a [package] table")..];
    let line = package.lines().find(|l| l.starts_with("version = ")).expect("a version");
    line["version = ".len()..].trim_matches('"').to_string()
}

#[test]
fn the_constants_are_the_dist_artifacts_under_the_published_api() {
    assert_eq!(provider::WASI_SNAPSHOT_PREVIEW1_ADAPTER_NAME, "wasi_snapshot_preview1");
    for (variant, bytes) in [
        ("command", provider::WASI_SNAPSHOT_PREVIEW1_COMMAND_ADAPTER),
        ("reactor", provider::WASI_SNAPSHOT_PREVIEW1_REACTOR_ADAPTER),
        ("proxy", provider::WASI_SNAPSHOT_PREVIEW1_PROXY_ADAPTER),
    ] {
        let dist = std::fs::read(root().join(format!("dist/wasi_snapshot_preview1.{variant}.wasm"))).unwrap();
        // build.sh copies dist/ into provider/artifacts; a mismatch means the
        // crate was compiled from an older build than dist/.
        assert!(bytes == dist.as_slice(), "{variant}: the provider's bytes are not dist/'s (run ./build.sh, then rebuild)");
    }
}

#[test]
fn the_provider_version_names_the_adapter_release_it_carries() {
    let adapter = manifest_version(&root().join("Cargo.toml"));
    let provider_version = manifest_version(&root().join("provider/Cargo.toml"));
    let (base, metadata) = provider_version.split_once('+').expect("build metadata naming the adapter release");
    assert_eq!(metadata, format!("wasi-preview1-adapter.{adapter}"));
    // wasm-component-ld 0.5.31 asks for "49.0.1" (^49.0.1): [patch.crates-io]
    // is used only by a version that satisfies it.
    let parts: Vec<u64> = base.split('.').map(|p| p.parse().unwrap()).collect();
    assert!(parts[0] == 49 && parts[1..] >= [0, 1][..], "{base} does not satisfy ^49.0.1");
    for bytes in [
        provider::WASI_SNAPSHOT_PREVIEW1_COMMAND_ADAPTER,
        provider::WASI_SNAPSHOT_PREVIEW1_REACTOR_ADAPTER,
        provider::WASI_SNAPSHOT_PREVIEW1_PROXY_ADAPTER,
    ] {
        assert_eq!(version_section(bytes).as_deref(), Some(adapter.as_str()));
    }
}

/// A consumer of the crate: the constants, as wit-component users pass them.
#[test]
fn the_constants_build_components_that_run() {
    let encode = |module: &[u8], adapter: &[u8]| {
        wit_component::ComponentEncoder::default()
            .module(module)
            .unwrap()
            .adapter(provider::WASI_SNAPSHOT_PREVIEW1_ADAPTER_NAME, adapter)
            .unwrap()
            .validate(true)
            .encode()
            .unwrap()
    };
    let component = encode(&program_wasm(&Program::Rust("hello")), provider::WASI_SNAPSHOT_PREVIEW1_COMMAND_ADAPTER);
    let (result, stdout, stderr) = run_command(&component, &Scenario::rust("hello"));
    assert_eq!(result, Ok(()));
    assert_eq!(stdout, "Hello, world!\n");
    assert_eq!(stderr, "a line on stderr\n");
    // The version section is the artifact's alone: wit-component keeps no
    // custom section of an adapter but `name` and `producers`.
    assert_eq!(version_section(&component), None);

    let library = std::fs::read(build_wasip1_package("reactor").join("reactor_probe.wasm")).unwrap();
    let handler = std::fs::read(build_wasip1_package("proxy").join("proxy_handler.wasm")).unwrap();
    for (module, adapter, variant) in [
        (library, provider::WASI_SNAPSHOT_PREVIEW1_REACTOR_ADAPTER, "reactor"),
        (handler, provider::WASI_SNAPSHOT_PREVIEW1_PROXY_ADAPTER, "proxy"),
    ] {
        Component::new(engine(), encode(&module, adapter)).unwrap_or_else(|e| panic!("{variant}: {e:?}"));
    }
}

/// `cargo package` takes the artifacts into the crate (they are ignored by
/// git, and listed in `include`), and the packaged crate builds.
#[test]
fn the_provider_crate_packages_with_its_artifacts() {
    let target = root().join("target/provider-package");
    let cargo = |args: &[&str]| {
        let out = Command::new(env!("CARGO"))
            .current_dir(root())
            .args(args)
            .args(["-p", "wasi-preview1-component-adapter-provider", "--allow-dirty", "--target-dir"])
            .arg(&target)
            .output()
            .unwrap();
        assert!(out.status.success(), "cargo {args:?}:\n{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    let list = cargo(&["package", "--list"]);
    for file in [
        "artifacts/wasi_snapshot_preview1.command.wasm",
        "artifacts/wasi_snapshot_preview1.reactor.wasm",
        "artifacts/wasi_snapshot_preview1.proxy.wasm",
        "LICENSE",
        "src/lib.rs",
    ] {
        assert!(list.lines().any(|l| l == file), "{file} is not in the package:\n{list}");
    }
    // Packs and compiles the packaged copy on its own.
    cargo(&["package", "--quiet"]);
}

/// crates.io's wasm-component-ld built against our provider crate through
/// `[patch.crates-io]` (tests/wasm-component-ld), used as rustc's linker for
/// a wasm32-wasip1 program: the component it writes runs, on our adapter.
#[test]
fn wasm_component_ld_patched_to_our_provider_links_a_running_component() {
    let manifest = root().join("tests/wasm-component-ld/Cargo.toml");
    let target = root().join("target/wasm-component-ld");
    let out = Command::new(env!("CARGO"))
        .args(["build", "--quiet", "--manifest-path"])
        .arg(&manifest)
        .arg("--target-dir")
        .arg(&target)
        .output()
        .unwrap();
    assert!(out.status.success(), "building wasm-component-ld:\n{}", String::from_utf8_lossy(&out.stderr));
    // The patch took: the lock file resolves the provider to our path crate.
    let lock = std::fs::read_to_string(root().join("tests/wasm-component-ld/Cargo.lock")).unwrap();
    let entry = &lock[lock.find("name = \"wasi-preview1-component-adapter-provider\"").unwrap()..];
    let entry = &entry[..entry.find("\n\n").unwrap_or(entry.len())];
    assert!(!entry.contains("source ="), "the provider still comes from a registry:\n{entry}");
    let linker = target.join("debug/wasm-component-ld");

    let dir = scratch_dir(&[], &[]);
    let source = dir.join("linked.rs");
    std::fs::write(
        &source,
        "fn main() {\n    let args: Vec<String> = std::env::args().skip(1).collect();\n    println!(\"linked by wasm-component-ld: {}\", args.join(\" \"));\n    eprintln!(\"{}\", std::env::var(\"GREETING\").unwrap());\n}\n",
    )
    .unwrap();
    let output = dir.join("linked.wasm");
    // wasm-component-ld runs wasm-ld, or rust-lld found on the PATH: the
    // toolchain's own, in the host's rustlib bin directory.
    let rustc = |args: &[&str]| {
        let out = Command::new("rustc").current_dir(root()).args(args).output().unwrap();
        assert!(out.status.success(), "rustc {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    let sysroot = PathBuf::from(rustc(&["--print", "sysroot"]).trim());
    let host = rustc(&["-vV"]).lines().find_map(|l| l.strip_prefix("host: ")).unwrap().to_string();
    let lld_dir = sysroot.join("lib/rustlib").join(host).join("bin");
    let path = std::env::join_paths(std::iter::once(lld_dir).chain(std::env::split_paths(&std::env::var_os("PATH").unwrap()))).unwrap();
    let out = Command::new("rustc")
        .current_dir(root())
        .env("PATH", path)
        .args(["--edition", "2021", "-O", "--target", "wasm32-wasip1", "-C"])
        .arg(format!("linker={}", linker.display()))
        .args(["-C", "link-arg=--wasi-adapter=command"])
        .arg(&source)
        .arg("-o")
        .arg(&output)
        .output()
        .unwrap();
    assert!(out.status.success(), "linking with wasm-component-ld: {}", String::from_utf8_lossy(&out.stderr));
    let component = std::fs::read(&output).unwrap();
    assert!(wasmparser::Parser::is_component(&component), "wasm-component-ld wrote no component");

    // Ours imports WASI 0.2.0 interfaces, the published adapters newer ones:
    // every WASI interface the component imports says which adapter is
    // inside (nested components' own import names are not WASI's).
    let mut imports = Vec::new();
    for payload in wasmparser::Parser::new(0).parse_all(&component) {
        if let wasmparser::Payload::ComponentImportSection(reader) = payload.unwrap() {
            for import in reader {
                let name = import.unwrap().name.0.to_string();
                if name.starts_with("wasi:") {
                    imports.push(name);
                }
            }
        }
    }
    assert!(!imports.is_empty() && imports.iter().all(|i| i.ends_with("@0.2.0")), "imports not of our adapter: {imports:?}");

    let scenario = Scenario::wasm_file(output).args(["one", "two"]).env([("GREETING", "hello from the environment")]);
    let (result, stdout, stderr) = run_command(&component, &scenario);
    assert_eq!(result, Ok(()));
    assert_eq!(stdout, "linked by wasm-component-ld: one two\n");
    assert_eq!(stderr, "hello from the environment\n");
}

/// What the README says of the wrong artifact: a `_start` program fused with
/// the reactor builds, with nothing to run; a library (no `_start`) fused
/// with the command adapter is refused.
#[test]
fn the_wrong_artifact() {
    let encode = |module: &[u8], adapter: &[u8]| {
        wit_component::ComponentEncoder::default()
            .module(module)
            .and_then(|e| e.adapter(provider::WASI_SNAPSHOT_PREVIEW1_ADAPTER_NAME, adapter))
            .and_then(|e| e.validate(true).encode())
    };
    let program = program_wasm(&Program::Rust("hello"));
    let component = encode(&program, provider::WASI_SNAPSHOT_PREVIEW1_REACTOR_ADAPTER).expect("a _start program fuses with the reactor");
    let mut exports = Vec::new();
    for payload in wasmparser::Parser::new(0).parse_all(&component) {
        if let wasmparser::Payload::ComponentExportSection(reader) = payload.unwrap() {
            exports.extend(reader.into_iter().map(|e| e.unwrap().name.0.to_string()));
        }
    }
    assert!(!exports.iter().any(|e| e.starts_with("wasi:cli/run")), "exports: {exports:?}");
    Component::new(engine(), &component).unwrap();

    let library = std::fs::read(build_wasip1_package("reactor").join("reactor_probe.wasm")).unwrap();
    let error = encode(&library, provider::WASI_SNAPSHOT_PREVIEW1_COMMAND_ADAPTER).expect_err("a library without _start fuses with the command adapter");
    assert!(format!("{error:?}").contains("_start"), "{error:?}");
}
