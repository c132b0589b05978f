//! Generates `raw_globals.o`, a relocatable wasm object holding the adapter's
//! mutable globals: the named ones, with one getter/setter function pair
//! each, and the 64-bit slots of `adapter/slots.rs`, reached by index
//! through `slot_get` / `slot_set`.
//!
//! Why: the adapter may not own any linear memory at start-up (no data
//! segments, no `static`s: README, "How the adapter places its state"), so every piece of
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

const I32: ValType = ValType::I32;
const I64: ValType = ValType::I64;

// The slot layout, which the adapter reads too.
#[allow(dead_code)]
#[path = "adapter/slots.rs"]
mod slots;
use slots::SLOTS;

// The named globals' list, which the adapter reads too.
#[macro_use]
#[path = "adapter/raw_globals.rs"]
mod raw_globals;

macro_rules! val_type {
    (u32) => {
        I32
    };
    (u64) => {
        I64
    };
}

macro_rules! named_globals {
    ($($getter:ident / $setter:ident: $ty:ident;)*) => {
        /// Every named raw global, in declaration order, with its type.
        fn named_globals() -> Vec<(&'static str, ValType)> {
            vec![$((stringify!($getter).strip_prefix("get_").unwrap(), val_type!($ty))),*]
        }
    };
}
for_each_raw_global!(named_globals);

/// What a named global holds when the adapter starts: 0 but for the set of
/// open descriptor numbers, which starts with stdio (`adapter/slots.rs`).
fn initial_value(name: &str) -> i64 {
    match name {
        "low_open" => slots::LOW_OPEN_AT_START as i64,
        "low_slots" => slots::LOW_SLOTS_AT_START as i64,
        _ => 0,
    }
}

/// Globals defined elsewhere (by `wasm-ld`) that the adapter must drive
/// itself: the shadow-stack pointer, which each export points at the
/// adapter's stack window (adapter/wasm/scratch.rs, `stack`).
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

/// A function body: its bytes (local declarations included) and, for each
/// relocated global index in it, `(offset in the body, symbol)`.
#[derive(Default)]
struct Body {
    bytes: Vec<u8>,
    relocs: Vec<(u32, u32)>,
}

impl Body {
    fn global(&mut self, op: u8, symbol: u32, index: u32) {
        self.bytes.push(op);
        self.relocs.push((self.bytes.len() as u32, symbol));
        padded_leb_u32(&mut self.bytes, index);
    }
}

const GLOBAL_GET: u8 = 0x23;
const GLOBAL_SET: u8 = 0x24;

/// `slot_get(i) -> i64` (`set` false) or `slot_set(i, value)` (`set` true):
/// a `br_table` on `i` with one arm per slot global (`first` is the index,
/// and the symbol, of slot 0); any other `i` reads 0 or writes nothing.
fn slot_dispatch(set: bool, first: u32) -> Body {
    let mut body = Body::default();
    body.bytes.push(0); // no locals
    for _ in 0..=SLOTS {
        body.bytes.extend_from_slice(&[0x02, 0x40]); // block
    }
    body.bytes.extend_from_slice(&[0x20, 0x00, 0x0e]); // local.get 0; br_table
    leb_u32(&mut body.bytes, SLOTS);
    for label in 0..=SLOTS {
        leb_u32(&mut body.bytes, label); // arm `label`; the last is the default
    }
    for slot in 0..SLOTS {
        body.bytes.push(0x0b); // end: arm `slot` starts here
        if set {
            body.bytes.extend_from_slice(&[0x20, 0x01]); // local.get 1
            body.global(GLOBAL_SET, first + slot, first + slot);
        } else {
            body.global(GLOBAL_GET, first + slot, first + slot);
        }
        body.bytes.push(0x0f); // return
    }
    body.bytes.push(0x0b); // the default arm
    if !set {
        body.bytes.extend_from_slice(&[0x42, 0x00]); // i64.const 0
    }
    body.bytes.push(0x0b);
    body
}

fn raw_globals_object() -> Vec<u8> {
    let external = EXTERNAL_GLOBALS.len() as u32;
    // The globals: the external ones (imported), the named ones, the slots.
    let ours = named_globals();
    let named: Vec<(&str, ValType)> = EXTERNAL_GLOBALS.iter().map(|&n| (n, I32)).chain(ours.iter().copied()).collect();
    let n = named.len() as u32;
    let first_slot = n;
    let mut module = Module::new();

    let mut types = TypeSection::new();
    types.ty().function([], [I32]); // type 0: i32 getter
    types.ty().function([I32], []); // type 1: i32 setter
    types.ty().function([], [I64]); // type 2: i64 getter
    types.ty().function([I64], []); // type 3: i64 setter
    types.ty().function([I32], [I64]); // type 4: slot_get
    types.ty().function([I32, I64], []); // type 5: slot_set
    module.section(&types);

    let i32_mut = GlobalType { val_type: I32, mutable: true, shared: false };
    // Global index space: imported (external) globals first, then ours.
    let mut imports = ImportSection::new();
    for name in EXTERNAL_GLOBALS {
        imports.import("env", name, EntityType::Global(i32_mut));
    }
    module.section(&imports);

    // Functions: a getter and a setter per named global, then the slot pair.
    let mut functions = FunctionSection::new();
    for &(_, ty) in &named {
        let wide = (ty == I64) as u32;
        functions.function(2 * wide);
        functions.function(2 * wide + 1);
    }
    functions.function(4);
    functions.function(5);
    module.section(&functions);

    let mut globals = GlobalSection::new();
    for &(name, ty) in &ours {
        let init = initial_value(name);
        let init = if ty == I64 { ConstExpr::i64_const(init) } else { ConstExpr::i32_const(init as i32) };
        globals.global(GlobalType { val_type: ty, mutable: true, shared: false }, &init);
    }
    for slot in 0..SLOTS {
        let init = slots::STDIO_WORDS.get((slot / 2) as usize).filter(|_| slot % 2 == 0).copied().unwrap_or(0);
        globals.global(GlobalType { val_type: I64, mutable: true, shared: false }, &ConstExpr::i64_const(init as i64));
    }
    module.section(&globals);

    // Symbols: functions first (accessors 0..2n, then slot_get and
    // slot_set), then globals; the symbol of global g is 2n + 2 + g.
    let global_symbol = |g: u32| 2 * n + 2 + g;
    let mut symbols = SymbolTable::new();
    let mut names = Vec::new();
    for (name, _) in &named {
        let name = name.trim_start_matches('_');
        names.push(format!("get_{name}"));
        names.push(format!("set_{name}"));
    }
    names.push("slot_get".to_string());
    names.push("slot_set".to_string());
    for (i, name) in names.iter().enumerate() {
        symbols.function(SymbolTable::WASM_SYM_VISIBILITY_HIDDEN, i as u32, Some(name));
    }
    let local = SymbolTable::WASM_SYM_BINDING_LOCAL | SymbolTable::WASM_SYM_VISIBILITY_HIDDEN;
    for (g, (name, _)) in named.iter().enumerate() {
        let flags = if (g as u32) < external {
            SymbolTable::WASM_SYM_UNDEFINED | SymbolTable::WASM_SYM_EXPLICIT_NAME
        } else {
            local
        };
        symbols.global(flags, g as u32, Some(name));
    }
    let slot_names: Vec<String> = (0..SLOTS).map(|s| format!("slot_{s}")).collect();
    for (s, name) in slot_names.iter().enumerate() {
        symbols.global(local, first_slot + s as u32, Some(name));
    }

    let mut bodies = Vec::new();
    for g in 0..n {
        let mut getter = Body::default();
        getter.bytes.push(0); // no locals
        getter.global(GLOBAL_GET, global_symbol(g), g);
        getter.bytes.push(0x0b);
        bodies.push(getter);
        let mut setter = Body::default();
        setter.bytes.extend_from_slice(&[0, 0x20, 0x00]); // no locals; local.get 0
        setter.global(GLOBAL_SET, global_symbol(g), g);
        setter.bytes.push(0x0b);
        bodies.push(setter);
    }
    for set in [false, true] {
        let mut body = slot_dispatch(set, first_slot);
        // `slot_dispatch` names each slot by its index; the symbol differs.
        for reloc in &mut body.relocs {
            reloc.1 = global_symbol(reloc.1);
        }
        bodies.push(body);
    }

    // Code section built by hand so that relocation offsets are known.
    let mut code = Vec::new();
    let mut relocs: Vec<(u32, u32)> = Vec::new(); // (offset in section payload, symbol index)
    leb_u32(&mut code, bodies.len() as u32);
    for body in bodies {
        leb_u32(&mut code, body.bytes.len() as u32);
        let at = code.len() as u32;
        relocs.extend(body.relocs.iter().map(|&(offset, symbol)| (at + offset, symbol)));
        code.extend_from_slice(&body.bytes);
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
    println!("cargo:rerun-if-changed=adapter/slots.rs");
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
