//! Generates `raw_globals.o`, a relocatable wasm object holding the adapter's
//! mutable globals and one getter/setter function pair per global.
//!
//! Why: the adapter may not own any linear memory at start-up (no data
//! segments, no `static`s, see `../shared/DESIGN.md` §1.4), so every piece of
//! state that must exist before the adapter has claimed memory lives in wasm
//! globals. Rust cannot declare a wasm global, so we hand-assemble an object
//! file with `wasm-encoder` and pass it to `wasm-ld`.
//!
//! The object follows the tool-conventions "Linking" format: a `linking`
//! custom section with a symbol table, and a `reloc.CODE` section whose
//! entries point at the 5-byte padded global indices inside the accessors.

use std::{env, fs, path::PathBuf};

use wasm_encoder::{
    ConstExpr, CustomSection, EntityType, FunctionSection, GlobalSection, GlobalType,
    ImportSection, LinkingSection, Module, RawSection, SymbolTable, TypeSection, ValType,
};

/// Every raw global, in declaration order. `adapter/globals.rs` declares the
/// matching `get_*` / `set_*` externs; keep the two lists in sync.
const GLOBALS: &[&str] = &[
    // Scratch region used for one call at a time (see adapter/scratch.rs).
    "scratch_base",
    "scratch_end",
    "scratch_cursor",
    "scratch_dirty_end",
    "scratch_old_base",
    "scratch_old_dirty_end",
    // Steering of `cabi_import_realloc` during a single import call.
    "realloc_mode",
    "realloc_ptr",
    "realloc_len",
    // Scratch verified zero ahead of the dirty end, during one import call.
    "scratch_checked_end",
    // Memory size (in pages) when the program called the current export.
    "guest_memory_pages",
    // Top of the stack window (see adapter/wasm/scratch.rs); 0 until first used.
    "stack_top",
    // Lowest byte of the window the current export may use (cleared on leave).
    "stack_window_low",
    // Descriptor table root page; 0 until the table is built.
    "table_root",
    // adapter_monotonic_clock_set_paused: flag, and the paused time's halves.
    "monotonic_paused",
    "monotonic_paused_low",
    "monotonic_paused_high",
    // A preopen handle looked up for the current call only (0: none).
    "transient_handle",
    "transient_handle2",
    // Handle of the first preopen (fd 3) kept between calls until the table
    // exists, so path calls on it need no get-directories; 0 if not fetched.
    "first_preopen",
    // Streams of the untouched stdio descriptors, cached before the table exists.
    "stdin_stream",
    "stdout_stream",
    "stderr_stream",
    // The proxy's descriptors (adapter/wasm/descriptors/stdio_only.rs):
    // where the stdio streams are, and the numbers adapter_open_badfd reserved.
    "stdio_fds",
    "bad_fds_low",
    "bad_fds_high",
];

/// Globals defined elsewhere (by `wasm-ld`) that the adapter must drive
/// itself: the shadow-stack pointer, which each export points at the
/// adapter's stack window (see adapter/wasm/stack.rs).
const EXTERNAL_GLOBALS: &[&str] = &["__stack_pointer"];

/// Tool-conventions relocation type `R_WASM_GLOBAL_INDEX_LEB`.
const R_WASM_GLOBAL_INDEX_LEB: u8 = 7;

fn leb_u32(out: &mut Vec<u8>, mut v: u32) {
    loop {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

/// A 5-byte LEB, as relocatable code requires so the linker can patch in place.
fn padded_leb_u32(out: &mut Vec<u8>, v: u32) {
    for i in 0..5 {
        let byte = ((v >> (7 * i)) & 0x7f) as u8;
        out.push(if i < 4 { byte | 0x80 } else { byte });
    }
}

fn raw_globals_object() -> Vec<u8> {
    let external = EXTERNAL_GLOBALS.len() as u32;
    let defined = GLOBALS.len() as u32;
    let n = external + defined;
    let mut module = Module::new();

    let mut types = TypeSection::new();
    types.ty().function([], [ValType::I32]); // type 0: getter
    types.ty().function([ValType::I32], []); // type 1: setter
    module.section(&types);

    let i32_mut = GlobalType { val_type: ValType::I32, mutable: true, shared: false };
    // Global index space: imported (external) globals first, then ours.
    let mut imports = ImportSection::new();
    for name in EXTERNAL_GLOBALS {
        imports.import("env", name, EntityType::Global(i32_mut));
    }
    module.section(&imports);

    let mut functions = FunctionSection::new();
    for _ in 0..n {
        functions.function(0);
        functions.function(1);
    }
    module.section(&functions);

    let mut globals = GlobalSection::new();
    for _ in GLOBALS {
        globals.global(i32_mut, &ConstExpr::i32_const(0));
    }
    module.section(&globals);

    // Symbols: accessor functions 0..2n first, then globals; the symbol of
    // global g is 2n + g.
    let all: Vec<&str> = EXTERNAL_GLOBALS.iter().chain(GLOBALS).copied().collect();
    let mut symbols = SymbolTable::new();
    let mut names = Vec::new();
    for name in &all {
        let name = name.trim_start_matches('_');
        names.push(format!("get_{name}"));
        names.push(format!("set_{name}"));
    }
    for (i, name) in names.iter().enumerate() {
        symbols.function(SymbolTable::WASM_SYM_VISIBILITY_HIDDEN, i as u32, Some(name));
    }
    for (g, name) in all.iter().enumerate() {
        let flags = if (g as u32) < external {
            SymbolTable::WASM_SYM_UNDEFINED | SymbolTable::WASM_SYM_EXPLICIT_NAME
        } else {
            SymbolTable::WASM_SYM_BINDING_LOCAL | SymbolTable::WASM_SYM_VISIBILITY_HIDDEN
        };
        symbols.global(flags, g as u32, Some(name));
    }

    // Code section built by hand so that relocation offsets are known.
    let mut code = Vec::new();
    let mut relocs: Vec<(u32, u32)> = Vec::new(); // (offset in section payload, symbol index)
    leb_u32(&mut code, 2 * n);
    for g in 0..n {
        // getter: (func (result i32) global.get $g)
        code.push(8); // body size
        code.push(0); // no locals
        code.push(0x23); // global.get
        relocs.push((code.len() as u32, 2 * n + g));
        padded_leb_u32(&mut code, g);
        code.push(0x0b);
        // setter: (func (param i32) local.get 0 global.set $g)
        code.push(10);
        code.push(0);
        code.extend_from_slice(&[0x20, 0x00]); // local.get 0
        code.push(0x24); // global.set
        relocs.push((code.len() as u32, 2 * n + g));
        padded_leb_u32(&mut code, g);
        code.push(0x0b);
    }
    module.section(&RawSection { id: 10, data: &code });

    let mut linking = LinkingSection::new();
    linking.symbol_table(&symbols);
    module.section(&linking);

    // reloc.CODE: target section index (type=0, import=1, function=2, global=3, code=4).
    let mut reloc = Vec::new();
    leb_u32(&mut reloc, 4);
    leb_u32(&mut reloc, relocs.len() as u32);
    for (offset, symbol) in relocs {
        reloc.push(R_WASM_GLOBAL_INDEX_LEB);
        leb_u32(&mut reloc, offset);
        leb_u32(&mut reloc, symbol);
    }
    module.section(&CustomSection { name: "reloc.CODE".into(), data: reloc.into() });

    module.finish()
}

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    if env::var("CARGO_CFG_TARGET_ARCH").as_deref() != Ok("wasm32") {
        // Host builds only compile the adapter's pure logic for unit tests.
        return;
    }
    let out = PathBuf::from(env::var_os("OUT_DIR").unwrap()).join("raw_globals.o");
    fs::write(&out, raw_globals_object()).unwrap();
    println!("cargo:rustc-link-arg-cdylib={}", out.display());
    // The adapter uses the main module's memory and has no stack of its own.
    println!("cargo:rustc-link-arg-cdylib=--import-memory");
    println!("cargo:rustc-link-arg-cdylib=-zstack-size=0");
}
