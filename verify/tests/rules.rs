//! One test per rule of `verify::check`: a valid adapter-shaped module is
//! accepted, and the same module with exactly one defect is rejected with a
//! violation that names the rule.

mod common;

use common::{encoded_world, Adapter, Kind, Sig, STACK_POINTER, VARIANTS};
use verify::{check, Report, Variant, IMPORT_REALLOC, RUN_EXPORT};
use wasm_encoder::{ExportKind, Instruction, MemoryType, ValType};

use Variant::{Command, Proxy, Reactor};

fn report(wasm: &[u8], variant: Variant) -> Report {
    check(wasm, variant)
}

fn assert_accepted(a: &Adapter, variant: Variant) {
    let r = report(&a.encode(), variant);
    assert!(r.is_ok(), "{variant:?} module rejected:\n{}", list(&r));
}

/// Rejected, with a violation whose text (place and rule) contains `needle`.
fn assert_rejected(a: &Adapter, variant: Variant, needle: &str) {
    assert_rejected_bytes(&a.encode(), variant, needle);
}

fn assert_rejected_bytes(wasm: &[u8], variant: Variant, needle: &str) {
    let r = report(wasm, variant);
    assert!(
        r.violations.iter().any(|v| v.to_string().contains(needle)),
        "expected a violation containing {needle:?}, got:\n{}",
        list(&r)
    );
}

fn list(r: &Report) -> String {
    r.violations.iter().map(|v| format!("  {v}\n")).collect()
}

fn command() -> Adapter {
    Adapter::valid(Command)
}

// --- the baseline -----------------------------------------------------------

#[test]
fn valid_module_is_accepted_for_every_variant() {
    for variant in VARIANTS {
        assert_accepted(&Adapter::valid(variant), variant);
    }
}

#[test]
fn valid_module_reports_its_stack_need() {
    assert_eq!(report(&command().encode(), Command).deepest_stack, 32);
}

/// wasm-ld's unused `(table 1 1 funcref)` is dead and harmless.
#[test]
fn dead_table_is_accepted() {
    let a = command();
    assert_eq!(a.tables.len(), 1);
    assert_accepted(&a, Command);
}

// --- input that is not a core module ----------------------------------------

#[test]
fn not_wasm_is_rejected() {
    assert_rejected_bytes(b"#!/bin/sh\necho hello\n", Command, "not a WebAssembly binary");
    assert_rejected_bytes(b"", Command, "not a WebAssembly binary");
}

#[test]
fn component_is_rejected() {
    assert_rejected_bytes(&encoded_world(), Command, "is a component");
}

#[test]
fn truncated_module_is_rejected() {
    let wasm = command().encode();
    assert_rejected_bytes(&wasm[..wasm.len() / 2], Command, "invalid wasm module");
}

// --- sections ---------------------------------------------------------------

#[test]
fn data_segment_is_rejected_with_its_location() {
    let mut a = command();
    a.data = Some(b"hello".to_vec());
    assert_rejected(&a, Command, "data segment");
    assert_rejected(&a, Command, "data section (offset 0x");
}

#[test]
fn data_count_section_is_rejected() {
    let mut a = command();
    a.data_count = Some(0);
    assert_rejected(&a, Command, "data-count section");
}

#[test]
fn start_function_is_rejected() {
    let mut a = command();
    a.start = Some(a.func(Sig(vec![], vec![]), None));
    assert_rejected(&a, Command, "start function");
}

#[test]
fn element_segment_is_rejected() {
    let mut a = command();
    a.elements = Some(vec![a.func_index("sched_yield")]);
    assert_rejected(&a, Command, "element segment");
    assert_rejected(&a, Command, "live table: element segments");
}

#[test]
fn defined_tag_is_rejected() {
    let mut a = command();
    a.tags = 1;
    assert_rejected(&a, Command, "tag");
}

// --- memory -----------------------------------------------------------------

#[test]
fn defined_memory_is_rejected() {
    let mut a = command();
    a.remove_import("env", "memory");
    a.memories.push(MemoryType { minimum: 1, maximum: None, memory64: false, shared: false, page_size_log2: None });
    assert_rejected(&a, Command, "defines a memory");
}

#[test]
fn missing_memory_import_is_rejected() {
    let mut a = command();
    a.remove_import("env", "memory");
    assert_rejected(&a, Command, "exactly one memory import (env.memory), found 0");
}

#[test]
fn second_memory_import_is_rejected() {
    let mut a = command();
    a.import("env", "memory2", Kind::Memory);
    assert_rejected(&a, Command, "exactly one memory import (env.memory), found 2");
    assert_rejected(&a, Command, "import env.memory2: the only memory");
}

// --- imports ----------------------------------------------------------------

#[test]
fn imported_table_is_rejected() {
    let mut a = command();
    a.import("env", "__indirect_function_table", Kind::Table);
    assert_rejected(&a, Command, "may not import a table");
}

#[test]
fn imported_global_is_rejected() {
    let mut a = command();
    a.import("env", "__stack_pointer", Kind::Global(ValType::I32, true));
    assert_rejected(&a, Command, "import env.__stack_pointer: an adapter may not import a global");
    assert_eq!(report(&a.encode(), Command).violations.len(), 1);
}

#[test]
fn imported_tag_is_rejected() {
    let mut a = command();
    a.import("env", "exn", Kind::Tag);
    assert_rejected(&a, Command, "may not import a tag");
}

#[test]
fn import_from_unknown_module_is_rejected() {
    let mut a = command();
    a.import("wasi_snapshot_preview1", "fd_write", Kind::Func(Sig::parse("iiii", "i")));
    assert_rejected(&a, Command, "import wasi_snapshot_preview1.fd_write: import module not allowed");
}

#[test]
fn function_from_env_is_rejected() {
    let mut a = command();
    a.import("env", "abort", Kind::Func(Sig(vec![], vec![])));
    assert_rejected(&a, Command, "import env.abort: import module not allowed");
}

#[test]
fn wasi_import_without_version_is_rejected() {
    let mut a = command();
    a.import("wasi:cli/exit", "exit", Kind::Func(Sig::parse("i", "")));
    assert_rejected(&a, Command, "import wasi:cli/exit.exit: import module not allowed");
}

#[test]
fn duplicate_import_is_rejected() {
    let mut a = command();
    a.import("wasi:cli/stdout@0.2.0", "get-stdout", Kind::Func(Sig::parse("", "i")));
    assert_rejected(&a, Command, "duplicate import");
}

#[test]
fn proxy_may_import_only_what_wasi_http_proxy_offers() {
    let mut a = Adapter::valid(Proxy);
    a.import("wasi:filesystem/preopens@0.2.0", "get-directories", Kind::Func(Sig::parse("i", "")));
    assert_rejected(&a, Proxy, "wasi:http/proxy");
    // The same import is fine for the other variants.
    let mut a = command();
    a.import("wasi:filesystem/preopens@0.2.0", "get-directories", Kind::Func(Sig::parse("i", "")));
    assert_accepted(&a, Command);
}

#[test]
fn start_import_outside_command_is_rejected() {
    for variant in [Reactor, Proxy] {
        let mut a = Adapter::valid(variant);
        a.import("__main_module__", "_start", Kind::Func(Sig(vec![], vec![])));
        assert_rejected(&a, variant, "import __main_module__._start: only the command variant");
    }
}

#[test]
fn main_module_imports_are_limited_and_typed() {
    let mut a = command();
    a.import("__main_module__", "cabi_realloc", Kind::Func(Sig::parse("iiii", "i")));
    assert_accepted(&a, Command);

    let mut a = command();
    a.import("__main_module__", "malloc", Kind::Func(Sig::parse("i", "i")));
    assert_rejected(&a, Command, "only `_start` and `cabi_realloc`");

    let mut a = command();
    a.import("__main_module__", "cabi_realloc", Kind::Func(Sig::parse("ii", "i")));
    assert_rejected(&a, Command, "import __main_module__.cabi_realloc: signature (ii)->(i)");
}

// --- tables and indirect calls ------------------------------------------------

#[test]
fn call_indirect_is_rejected_and_makes_the_table_live() {
    let mut a = command();
    let ty = a.type_index(&Sig::parse("", "i"));
    a.func_mut("sched_yield").body =
        vec![Instruction::I32Const(0), Instruction::CallIndirect { type_index: ty, table_index: 0 }];
    assert_rejected(&a, Command, "indirect call (call_indirect)");
    assert_rejected(&a, Command, "live table: used by call_indirect");
    assert_rejected(&a, Command, "(`sched_yield`)");
}

#[test]
fn table_instruction_makes_the_table_live() {
    let mut a = command();
    a.func_mut("sched_yield").body = vec![Instruction::TableSize(0)];
    assert_rejected(&a, Command, "live table: used by table.size");
}

#[test]
fn exported_table_is_live() {
    let mut a = command();
    a.exports.push(("__indirect_function_table".into(), ExportKind::Table, 0));
    assert_rejected(&a, Command, "live table: exported");
    assert_rejected(&a, Command, "export __indirect_function_table: export not allowed");
}

// --- globals ----------------------------------------------------------------

#[test]
fn immutable_global_is_rejected() {
    let mut a = command();
    a.globals.push((ValType::I32, false, 7));
    assert_rejected(&a, Command, "global 3 (offset 0x");
    assert_rejected(&a, Command, "only mutable i32 and i64 globals");
}

/// The descriptor slots (build.rs) are mutable i64 globals.
#[test]
fn mutable_i64_global_is_accepted() {
    let mut a = command();
    a.globals.push((ValType::I64, true, 0));
    assert_accepted(&a, Command);
}

#[test]
fn immutable_i64_global_is_rejected() {
    let mut a = command();
    a.globals.push((ValType::I64, false, 0));
    assert_rejected(&a, Command, "only mutable i32 and i64 globals");
}

#[test]
fn linker_global_names_do_not_excuse_other_types() {
    let mut a = command();
    a.globals[1] = (ValType::I64, false, 1024); // __data_end
    assert_rejected(&a, Command, "global 1");
}

// --- exports ----------------------------------------------------------------

#[test]
fn missing_preview1_export_is_rejected() {
    let mut a = command();
    a.remove_export("fd_write");
    assert_rejected(&a, Command, "export fd_write: missing preview1 function");
}

#[test]
fn wrongly_typed_preview1_export_is_rejected() {
    let mut a = command();
    a.func_mut("fd_seek").sig = Sig::parse("iiii", "i"); // the offset is an i64
    assert_rejected(&a, Command, "export fd_seek: signature (iiii)->(i) but expected (iIii)->(i)");
}

#[test]
fn preview1_export_that_is_not_a_function_is_rejected() {
    let mut a = command();
    a.remove_export("fd_close");
    a.exports.push(("fd_close".into(), ExportKind::Global, 0));
    assert_rejected(&a, Command, "export fd_close: is not a function");
}

#[test]
fn unknown_export_is_rejected() {
    let mut a = command();
    a.export_func("malloc", Sig::parse("i", "i"), None);
    assert_rejected(&a, Command, "export malloc: export not allowed");
}

#[test]
fn extra_exports_are_allowed_with_their_published_signature() {
    let mut a = command();
    a.export_func("adapter_open_badfd", Sig::parse("i", "i"), None);
    a.export_func("reset_adapter_state", Sig::parse("", ""), None);
    assert_accepted(&a, Command);

    let mut a = command();
    a.export_func("adapter_monotonic_clock_set_paused", Sig::parse("I", ""), None);
    assert_rejected(&a, Command, "export adapter_monotonic_clock_set_paused: signature");
}

#[test]
fn missing_import_realloc_is_rejected() {
    let mut a = command();
    a.remove_export(IMPORT_REALLOC);
    assert_rejected(&a, Command, "export cabi_import_realloc: missing");
}

#[test]
fn wrongly_typed_import_realloc_is_rejected() {
    let mut a = command();
    a.func_mut(IMPORT_REALLOC).sig = Sig::parse("iii", "i");
    assert_rejected(&a, Command, "export cabi_import_realloc: signature (iii)->(i)");
}

#[test]
fn command_without_run_is_rejected() {
    let mut a = command();
    a.remove_export(RUN_EXPORT);
    assert_rejected(&a, Command, "export wasi:cli/run@0.2.0#run: missing");
}

#[test]
fn wrongly_typed_run_is_rejected() {
    let mut a = command();
    a.func_mut(RUN_EXPORT).sig = Sig::parse("", "");
    a.func_mut(RUN_EXPORT).body = vec![Instruction::Call(0)];
    assert_rejected(&a, Command, "export wasi:cli/run@0.2.0#run: signature ()->()");
}

#[test]
fn run_outside_command_is_rejected() {
    for variant in [Reactor, Proxy] {
        let mut a = Adapter::valid(variant);
        a.export_func(RUN_EXPORT, Sig::parse("", "i"), None);
        assert_rejected(&a, variant, "only the command variant exports wasi:cli/run");
    }
}

// --- custom sections --------------------------------------------------------

#[test]
fn missing_component_type_section_is_rejected() {
    let mut a = command();
    a.customs.clear();
    assert_rejected(&a, Command, "no `component-type` section");
}

#[test]
fn undecodable_component_type_section_is_rejected() {
    let mut a = command();
    a.customs = vec![("component-type:x".into(), b"not a component".to_vec())];
    assert_rejected(&a, Command, "not an encoded world");
}

#[test]
fn name_section_is_rejected() {
    let mut a = command();
    a.name_section = true;
    assert_rejected(&a, Command, "name section");
}

// --- stack ------------------------------------------------------------------

#[test]
fn recursion_is_rejected() {
    let mut a = command();
    let me = a.func_index("sched_yield");
    a.func_mut("sched_yield").body = vec![Instruction::Call(me)];
    assert_rejected(&a, Command, "export sched_yield: reaches a recursive call");
}

#[test]
fn stack_beyond_the_window_is_rejected() {
    let mut a = command();
    a.func_mut("fd_read").body = vec![
        Instruction::GlobalGet(STACK_POINTER),
        Instruction::I32Const(verify::STACK_WINDOW as i32 + 16),
        Instruction::I32Sub,
        Instruction::GlobalSet(STACK_POINTER),
        Instruction::I32Const(0),
    ];
    let message = format!("export fd_read: needs {} bytes of stack", verify::STACK_WINDOW + 16);
    assert_rejected(&a, Command, &message);
}

/// `fd_read` as the adapter builds it: `stack::enter(window)`, then a body
/// whose chain of frames needs `frame` bytes.
fn with_declared_window(window: i32, frame: i32) -> Adapter {
    let mut a = command();
    let enter = a.func(Sig::parse("i", ""), Some(vec![]));
    let body = a.func(
        Sig::parse("", ""),
        Some(vec![
            Instruction::GlobalGet(STACK_POINTER),
            Instruction::I32Const(frame),
            Instruction::I32Sub,
            Instruction::GlobalSet(STACK_POINTER),
        ]),
    );
    a.func_mut("fd_read").body = vec![
        Instruction::I32Const(window),
        Instruction::Call(enter),
        Instruction::Call(body),
        Instruction::I32Const(0),
    ];
    a
}

#[test]
fn stack_within_the_declared_window_is_accepted() {
    let a = with_declared_window(64, 48);
    assert_accepted(&a, Command);
    let r = report(&a.encode(), Command);
    assert!(r.stack_needs.contains(&("fd_read".to_string(), 48)), "{:?}", r.stack_needs);
}

#[test]
fn stack_beyond_the_declared_window_is_rejected() {
    assert_rejected(&with_declared_window(64, 80), Command, "export fd_read: needs 80 bytes of stack, more than its 64-byte window");
}

#[test]
fn declared_window_larger_than_the_adapter_has_is_rejected() {
    let too_big = verify::STACK_WINDOW as i32 + 32;
    assert_rejected(&with_declared_window(too_big, 16), Command, &format!("declares a {too_big}-byte stack window"));
}

/// `fd_tell` as the adapter builds it with a fast path: a call before
/// `stack::enter(64)` (to `fast`, whose frame is `fast_frame` bytes), then
/// the implementation and `leave`, then (`cold`) a second call to `fast`,
/// as if the compiler had put part of the fast path at the end. `fd_read`
/// enters its window first, so the entry is known.
fn with_fast_path(fast_frame: i32, export_frame: bool, cold: bool) -> Adapter {
    let mut a = with_declared_window(64, 16);
    let enter = match a.func_mut("fd_read").body[1] {
        Instruction::Call(f) => f,
        _ => unreachable!(),
    };
    let frame = |bytes: i32| {
        vec![
            Instruction::GlobalGet(STACK_POINTER),
            Instruction::I32Const(bytes),
            Instruction::I32Sub,
            Instruction::GlobalSet(STACK_POINTER),
        ]
    };
    let framed = a.func(Sig::parse("", ""), Some(frame(32)));
    let fast = a.func(Sig::parse("", ""), Some(if fast_frame > 0 { frame(fast_frame) } else { vec![] }));
    let implementation = a.func(Sig::parse("", ""), Some(frame(48)));
    let leave = a.func(Sig::parse("", ""), Some(vec![]));
    let mut body = if export_frame { frame(16) } else { vec![] };
    body.extend([
        Instruction::Call(fast),
        Instruction::I32Const(64),
        Instruction::Call(enter),
        Instruction::Call(implementation),
        Instruction::Call(leave),
    ]);
    if cold {
        body.push(Instruction::Call(framed));
    }
    body.push(Instruction::I32Const(0));
    a.func_mut("fd_tell").body = body;
    a
}

#[test]
fn fast_path_without_stack_is_accepted() {
    let a = with_fast_path(0, false, false);
    assert_accepted(&a, Command);
    let r = report(&a.encode(), Command);
    assert!(r.stack_needs.contains(&("fd_tell".to_string(), 48)), "{:?}", r.stack_needs);
}

#[test]
fn fast_path_that_needs_stack_is_rejected() {
    assert_rejected(&with_fast_path(32, false, false), Command, "export fd_tell: calls function");
    assert_rejected(&with_fast_path(32, false, false), Command, "outside its stack window, and it needs stack");
}

#[test]
fn fast_path_code_placed_after_the_window_still_needs_no_stack() {
    assert_rejected(&with_fast_path(0, false, true), Command, "outside its stack window, and it needs stack");
}

#[test]
fn export_with_a_frame_before_its_window_is_rejected() {
    assert_rejected(&with_fast_path(0, true, false), Command, "export fd_tell: has a stack frame of its own, outside its window");
}

#[test]
fn import_realloc_with_a_stack_frame_is_rejected() {
    let mut a = command();
    a.func_mut(IMPORT_REALLOC).body = vec![
        Instruction::GlobalGet(STACK_POINTER),
        Instruction::I32Const(16),
        Instruction::I32Sub,
        Instruction::GlobalSet(STACK_POINTER),
        Instruction::I32Const(0),
    ];
    assert_rejected(&a, Command, &format!("export {IMPORT_REALLOC}: needs 16 bytes of stack; the import realloc must need none"));
}

#[test]
fn every_violation_is_reported() {
    let mut a = command();
    a.data = Some(vec![1]);
    a.name_section = true;
    a.remove_export("fd_write");
    let r = report(&a.encode(), Command);
    assert_eq!(r.violations.len(), 3, "{}", list(&r));
}
