//! The converter's command line (`wasip1-to-component`, built by the
//! harness): every mistake it checks for, with its message and exit status
//! (1 bad input, 2 usage, 3 internal failure or I/O), and its options:
//! --help, --print-wit, --quiet, the default output name, --adapter with
//! another adapter file and --adapt with an adapter for host functions of
//! the program's own. The modules are small ones written as text here.

use std::process::Output;

use adapter_tests::tools::{convert_with_tool, fuse_with_wasm_tools, run_command_component, run_converter, wasm_tools};
use adapter_tests::{embed_wasi_world, engine, program_wasm, root, scratch_dir, Program};
use wasmtime::component::types::ComponentItem;
use wasmtime::component::Component;

/// A program: one preview1 import, its memory, `_start`.
const PROGRAM: &str = r#"(module
  (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "_start")))"#;

/// A program that also imports a host function of its own, `env::host_add`,
/// and prints "40 + 2 = 42" with it.
const PROGRAM_WITH_HOST_IMPORT: &str = r#"(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "env" "host_add" (func $add (param i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "40 + 2 = 4?\n")
  (func (export "_start")
    (i32.store8 (i32.const 26) (i32.add (i32.const 48) (i32.sub (call $add (i32.const 40) (i32.const 2)) (i32.const 40))))
    (i32.store (i32.const 0) (i32.const 16))
    (i32.store (i32.const 4) (i32.const 12))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))"#;

/// An adapter for `env`: a core module exporting `host_add`.
const HOST_ADAPTER: &str = r#"(module
  (func (export "host_add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add))"#;

/// A library with a plain export and no WIT world (what a cdylib with
/// `#[no_mangle]` functions and no wit-bindgen is).
const LIBRARY_WITHOUT_WORLD: &str = r#"(module
  (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "_initialize"))
  (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add))"#;

/// A library that exports nothing but `_initialize`.
const LIBRARY_EXPORTING_NOTHING: &str = r#"(module
  (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "_initialize")))"#;

fn wasm(text: &str) -> Vec<u8> {
    wat::parse_str(text).unwrap()
}

/// Runs the tool on `input` (written as `app.wasm` in a fresh directory,
/// with `files` beside it) with `args` after the input's name.
fn tool(input: &[u8], files: &[(&str, Vec<u8>)], args: &[&str]) -> (Output, std::path::PathBuf) {
    let mut all: Vec<(String, Vec<u8>)> = files.iter().map(|(n, b)| (n.to_string(), b.clone())).collect();
    all.push(("app.wasm".into(), input.to_vec()));
    let dir = scratch_dir(&[], &all);
    let output = run_converter(&dir, &[&["app.wasm"], args].concat());
    (output, dir)
}

/// Asserts the tool refused with `code` and a message holding every one of
/// `parts`, and wrote nothing.
#[track_caller]
fn refused(input: &[u8], files: &[(&str, Vec<u8>)], args: &[&str], code: i32, parts: &[&str]) {
    let (output, dir) = tool(input, files, args);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(code), "{args:?}: expected exit {code}; stderr:\n{stderr}");
    for part in parts {
        assert!(stderr.contains(part), "{args:?}: the message lacks {part:?}:\n{stderr}");
    }
    assert!(!dir.join("app.component.wasm").exists() && !dir.join("out.wasm").exists(), "{args:?}: wrote a component");
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn not_a_core_module() {
    let component = convert_with_tool(&wasm(PROGRAM), &[]);
    refused(&component, &[], &[], 1, &["error: the input is already a component, so there is nothing to convert"]);
    refused(b"(module)", &[], &[], 1, &["not a WebAssembly module", "wasm-tools parse"]);
    refused(b"\0asm\x01\0\0\0\x01\xff", &[], &[], 1, &["not a valid core WebAssembly module"]);
}

#[test]
fn no_preview1_imports() {
    let none = wasm(r#"(module (memory (export "memory") 1) (func (export "_start")))"#);
    refused(&none, &[], &[], 1, &["imports nothing from `wasi_snapshot_preview1`", "not a wasm32-wasip1 program"]);
    let preview0 = wasm(
        r#"(module (import "wasi_unstable" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
           (memory (export "memory") 1) (func (export "_start")))"#,
    );
    refused(&preview0, &[], &[], 1, &["imports nothing from `wasi_snapshot_preview1`", "`wasi_unstable`", "wasm32-wasip1"]);
}

#[test]
fn preview1_imports_that_do_not_exist_or_have_the_wrong_signature() {
    let unknown = wasm(
        r#"(module (import "wasi_snapshot_preview1" "sock_open" (func (param i32 i32 i32) (result i32)))
           (memory (export "memory") 1) (func (export "_start")))"#,
    );
    refused(&unknown, &[], &[], 1, &["`wasi_snapshot_preview1::sock_open` is not a preview1 function"]);
    let wrong = wasm(
        r#"(module (import "wasi_snapshot_preview1" "fd_write" (func (param i32) (result i32)))
           (import "wasi_snapshot_preview1" "clock_time_get" (func (param i32 i32 i32) (result i32)))
           (memory (export "memory") 1) (func (export "_start")))"#,
    );
    refused(
        &wrong,
        &[],
        &[],
        1,
        &[
            "`wasi_snapshot_preview1::fd_write` is imported with the signature (i32) -> i32, but preview1's is (i32, i32, i32, i32) -> i32",
            "`wasi_snapshot_preview1::clock_time_get` is imported with the signature (i32, i32, i32) -> i32, but preview1's is (i32, i64, i32) -> i32",
        ],
    );
    let not_a_function = wasm(
        r#"(module (import "wasi_snapshot_preview1" "fd_write" (global i32))
           (memory (export "memory") 1) (func (export "_start")))"#,
    );
    refused(&not_a_function, &[], &[], 1, &["`wasi_snapshot_preview1::fd_write` is imported as a global, but preview1 has only functions"]);
}

#[test]
fn imports_from_another_module_need_an_adapter() {
    refused(&wasm(PROGRAM_WITH_HOST_IMPORT), &[], &[], 1, &["from `env`: `host_add`", "--adapt env="]);
    // An adapter that does not export what is imported.
    let wrong_adapter = wasm(r#"(module (func (export "host_sub") (param i32 i32) (result i32) local.get 0))"#);
    refused(
        &wasm(PROGRAM_WITH_HOST_IMPORT),
        &[("host.wasm", wrong_adapter)],
        &["--adapt", "env=host.wasm"],
        1,
        &["`env::host_add` is imported, but its adapter does not export `host_add`"],
    );
}

#[test]
fn memory_must_be_exported_as_memory() {
    let no_memory = wasm(
        r#"(module (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
           (func (export "_start")))"#,
    );
    refused(&no_memory, &[], &[], 1, &["exports no memory"]);
    let imported = wasm(
        r#"(module (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
           (import "env" "memory" (memory 1)) (func (export "_start")))"#,
    );
    refused(&imported, &[], &[], 1, &["imports its memory (`env::memory`)", "--import-memory"]);
    let renamed = wasm(
        r#"(module (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
           (memory (export "mem") 1) (func (export "_start")))"#,
    );
    refused(&renamed, &[], &[], 1, &["exports its memory as `mem`"]);
}

#[test]
fn a_library_whose_exports_would_be_lost() {
    // wit-component itself drops `add` without a word (the reason for the check):
    let adapter = root().join("dist/wasi_snapshot_preview1.reactor.wasm");
    let fused = fuse_with_wasm_tools(&wasm(LIBRARY_WITHOUT_WORLD), &adapter, &[]);
    let exports: Vec<String> =
        Component::new(engine(), fused).unwrap().component_type().exports(engine()).map(|(n, _)| n.to_string()).collect();
    assert!(exports.is_empty(), "{exports:?}");
    refused(&wasm(LIBRARY_WITHOUT_WORLD), &[], &[], 1, &["exports `add` that its WIT world does not name", "no `component-type` custom section"]);
    refused(&wasm(LIBRARY_EXPORTING_NOTHING), &[], &[], 1, &["exports neither `_start` nor any function of a WIT world"]);
}

/// A world with a function of its own and an interface of a versioned
/// package, for libraries in wit-component's standard naming (`cm32p2`).
const LIBRARY_WORLD: &str = "package test:lib@0.2.3;
interface math { mul: func(a: s32, b: s32) -> s32; }
world library { export add: func(a: s32, b: s32) -> s32; export math; }
";

/// A library exporting `exports` (each `(param i32 i32) (result i32)`) in
/// the standard naming, with `LIBRARY_WORLD` embedded when `with_world`.
fn standard_library(exports: &[&str], with_world: bool) -> Vec<u8> {
    let functions: String = exports
        .iter()
        .map(|name| format!(r#"(func (export "{name}") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)"#))
        .collect();
    let mut module = wasm(&format!(
        r#"(module (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
           (memory (export "memory") 1) (func (export "cm32p2_initialize")) {functions})"#
    ));
    if with_world {
        embed_wasi_world(&mut module, "library.wit", LIBRARY_WORLD, "library").unwrap();
    }
    module
}

/// What a component exports: its functions, and each function of each
/// instance it exports as `instance#function`.
fn component_exports(component: &[u8]) -> Vec<String> {
    let component = Component::new(engine(), component).unwrap();
    let mut names = Vec::new();
    for (name, export) in component.component_type().exports(engine()) {
        match export.ty {
            ComponentItem::ComponentInstance(instance) => {
                names.extend(instance.exports(engine()).map(|(function, _)| format!("{name}#{function}")));
            }
            _ => names.push(name.to_string()),
        }
    }
    names
}

#[test]
fn a_library_in_the_standard_naming() {
    // An interface is named by its version-compatible ID (`@0.2`, not `@0.2.3`).
    let library = standard_library(&["cm32p2||add", "cm32p2|test:lib/math@0.2|mul"], true);
    let component = convert_with_tool(&library, &[]);
    assert_eq!(component_exports(&component), ["add", "test:lib/math@0.2.3#mul"]);
    let adapter = root().join("dist/wasi_snapshot_preview1.reactor.wasm");
    assert!(component == fuse_with_wasm_tools(&library, &adapter, &[]), "not what wasm-tools writes");
}

#[test]
fn a_library_whose_standard_named_exports_would_be_lost() {
    // Beside the world's two functions, one the world does not have and one
    // its interface does not have: wit-component drops both without a word.
    let lost = ["cm32p2||sub", "cm32p2|test:lib/math@0.2|div"];
    let library = standard_library(&[&["cm32p2||add", "cm32p2|test:lib/math@0.2|mul"][..], &lost].concat(), true);
    let adapter = root().join("dist/wasi_snapshot_preview1.reactor.wasm");
    assert_eq!(component_exports(&fuse_with_wasm_tools(&library, &adapter, &[])), ["add", "test:lib/math@0.2.3#mul"]);
    refused(&library, &[], &[], 1, &["exports `cm32p2||sub`, `cm32p2|test:lib/math@0.2|div` that its WIT world does not name"]);
    // With no world at all, a `cm32p2` name carries nothing either.
    refused(&standard_library(&["cm32p2||add"], false), &[], &[], 1, &["exports `cm32p2||add` that its WIT world does not name", "no `component-type` custom section"]);
}

#[test]
fn the_wrong_variant_for_the_module() {
    for variant in ["reactor", "proxy"] {
        refused(
            &wasm(PROGRAM),
            &[],
            &["--variant", variant],
            1,
            &["exports `_start` (a program)", &format!("--variant {variant} is not the command adapter"), "`_start` would never run"],
        );
    }
    refused(&wasm(LIBRARY_EXPORTING_NOTHING), &[], &["--variant", "command"], 1, &["exports no `_start`", "--variant command needs one", "--variant reactor"]);
    refused(&wasm(LIBRARY_EXPORTING_NOTHING), &[], &["--exit-with-code"], 1, &["exports no `_start`", "--exit-with-code needs one"]);
    // Another adapter file, shaped as a reactor, for a program.
    let reactor = std::fs::read(root().join("dist/wasi_snapshot_preview1.reactor.wasm")).unwrap();
    refused(&wasm(PROGRAM), &[("reactor.wasm", reactor)], &["--adapter", "reactor.wasm"], 1, &["the adapter given with --adapter is not the command adapter"]);
}

#[test]
fn usage_errors_and_failures() {
    // Usage (clap): exit 2.
    refused(&wasm(PROGRAM), &[], &["--variant", "library"], 2, &["invalid value 'library'"]);
    refused(&wasm(PROGRAM), &[], &["--variant", "command", "--exit-with-code"], 2, &["cannot be used with"]);
    refused(&wasm(PROGRAM), &[], &["--adapt", "wasi_snapshot_preview1=x.wasm"], 2, &["use --adapter FILE"]);
    refused(&wasm(PROGRAM), &[], &["--adapt", "env"], 2, &["expected NAME=FILE"]);
    // I/O: exit 3.
    refused(&wasm(PROGRAM), &[], &["--adapter", "missing.wasm"], 3, &["reading missing.wasm"]);
    refused(&wasm(PROGRAM), &[], &["-o", "no/such/dir/out.wasm"], 3, &["writing no/such/dir/out.wasm"]);
    // wit-component refusing what passed the checks: exit 3. This adapter
    // exports the right `fd_write` and a `wasi:cli/run`, but is no adapter:
    // `fd_write` reads a memory of its own.
    let not_an_adapter = wasm(
        r#"(module (memory 1)
           (func (export "fd_write") (param i32 i32 i32 i32) (result i32) (i32.load (i32.const 0)))
           (func (export "wasi:cli/run@0.2.0#run") (result i32) i32.const 0))"#,
    );
    refused(
        &wasm(PROGRAM),
        &[("bad.wasm", not_an_adapter)],
        &["--adapter", "bad.wasm"],
        3,
        &["error: wit-component could not build the component: ", "locally-defined memories are not allowed"],
    );
}

#[test]
fn help_lists_the_options_and_exit_codes() {
    let (output, _) = tool(b"", &[], &["--help"]);
    let help = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0));
    for part in ["--output", "--variant", "--exit-with-code", "--adapter <FILE>", "--adapt <NAME=FILE>", "--print-wit", "--quiet", "Exit status:", "  1  bad input", "  2  usage", "  3  internal failure"] {
        assert!(help.contains(part), "--help lacks {part:?}:\n{help}");
    }
}

#[test]
fn default_output_quiet_and_print_wit() {
    let hello = program_wasm(&Program::Rust("hello"));
    // No -o: app.component.wasm beside the input, and a line saying so.
    let (output, dir) = tool(&hello, &[], &[]);
    assert!(output.status.success());
    assert_eq!(String::from_utf8_lossy(&output.stderr), format!("app.component.wasm: {} bytes, with the command adapter\n", std::fs::metadata(dir.join("app.component.wasm")).unwrap().len()));
    assert!(output.stdout.is_empty());
    // --quiet: the same file, nothing printed.
    let (quiet, quiet_dir) = tool(&hello, &[], &["--quiet"]);
    assert!(quiet.status.success() && quiet.stdout.is_empty() && quiet.stderr.is_empty(), "{quiet:?}");
    assert_eq!(std::fs::read(quiet_dir.join("app.component.wasm")).unwrap(), std::fs::read(dir.join("app.component.wasm")).unwrap());

    // --print-wit: the world as `wasm-tools component wit` prints it, and no
    // file unless -o is given.
    let (printed, print_dir) = tool(&hello, &[], &["--print-wit"]);
    assert!(printed.status.success(), "{printed:?}");
    assert!(!print_dir.join("app.component.wasm").exists());
    let wit = String::from_utf8_lossy(&printed.stdout);
    let theirs = std::process::Command::new(wasm_tools()).args(["component", "wit"]).arg(dir.join("app.component.wasm")).output().unwrap();
    assert!(theirs.status.success());
    assert_eq!(wit, String::from_utf8_lossy(&theirs.stdout));
    assert!(wit.contains("export wasi:cli/run@0.2.0;"), "{wit}");
    for d in [dir, quiet_dir, print_dir] {
        std::fs::remove_dir_all(d).ok();
    }
}

#[test]
fn adapt_gives_an_adapter_for_host_functions_of_the_programs_own() {
    let program = wasm(PROGRAM_WITH_HOST_IMPORT);
    let host = wasm(HOST_ADAPTER);
    let (output, dir) = tool(&program, &[("host.wasm", host)], &["--adapt", "env=host.wasm", "-o", "out.wasm"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let component = std::fs::read(dir.join("out.wasm")).unwrap();
    assert_eq!(run_command_component(&component), "40 + 2 = 42\n");
    let adapter = root().join("dist/wasi_snapshot_preview1.command.wasm");
    let host_arg = format!("env={}", dir.join("host.wasm").display());
    assert!(component == fuse_with_wasm_tools(&program, &adapter, &["--adapt", &host_arg]), "not what wasm-tools writes");
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn adapter_takes_another_adapter_file() {
    // The published adapter (crates.io's provider crate, the tests' comparison).
    let published = wasi_preview1_component_adapter_provider::WASI_SNAPSHOT_PREVIEW1_COMMAND_ADAPTER;
    let hello = program_wasm(&Program::Rust("hello"));
    let (output, dir) = tool(&hello, &[("published.wasm", published.to_vec())], &["--adapter", "published.wasm", "-o", "out.wasm"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(String::from_utf8_lossy(&output.stderr).contains("with the given adapter"));
    let component = std::fs::read(dir.join("out.wasm")).unwrap();
    assert_eq!(run_command_component(&component), "Hello, world!\n");
    assert!(component == fuse_with_wasm_tools(&hello, &dir.join("published.wasm"), &[]), "not what wasm-tools writes");
    std::fs::remove_dir_all(dir).ok();
}
