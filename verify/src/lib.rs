//! Checks a built adapter module against what `wit-component` accepts and
//! against this adapter's own contract (see README, "How the adapter places
//! its state and stack", and `adapter/wasm/scratch.rs`). Every violation is
//! reported with where it is.
//!
//! [`check`] first makes sure the input is a valid core module at all, then
//! reads it once into a [`Module`] and runs one function per group of rules
//! over it, each adding what it finds to the list of [`Violation`]s.

use std::collections::{HashMap, HashSet};
use std::fmt;

use wasmparser::{
    CompositeInnerType, Encoding, ExternalKind, FuncType, GlobalType, Operator, Parser, Payload,
    TypeRef, ValType, Validator,
};

/// Which artifact is being checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Variant {
    Command,
    Reactor,
    Proxy,
}

// The adapter's export contract (the preview1 functions, the stack
// window), from the adapter's own source: one list for both crates.
#[path = "../../adapter/exports.rs"]
#[macro_use]
mod adapter_exports;

/// Bytes of shadow stack the adapter gives each export.
pub use adapter_exports::STACK_WINDOW;

/// A preview1 function as a program imports it: its name and core
/// signature, in codes (`i` = i32, `I` = i64).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Preview1Function {
    pub name: &'static str,
    pub params: &'static str,
    /// `i` (the errno) for all but `proc_exit`, which returns nothing.
    pub results: &'static str,
}

/// The core type code of an argument type in `for_each_preview1!`.
macro_rules! core_type_code {
    (u32) => {
        "i"
    };
    (u64) => {
        "I"
    };
    (i64) => {
        "I"
    };
}

/// The results of a function whose window in `for_each_preview1!` is
/// `exits` (none: it does not return) or a number of bytes (an errno).
macro_rules! results_code {
    (exits) => {
        ""
    };
    ($window:literal) => {
        "i"
    };
}

macro_rules! preview1_table {
    ($($module:ident::$name:ident($($arg:ident: $ty:ident),*) $window:tt $(fast $fast:ident)?;)*) => {
        /// The 46 preview1 functions, in the order of preview1's witx (the
        /// adapter's `for_each_preview1!`, `adapter/exports.rs`).
        pub const PREVIEW1: &[Preview1Function] = &[$(
            Preview1Function {
                name: stringify!($name),
                params: concat!("" $(, core_type_code!($ty))*),
                results: results_code!($window),
            },
        )*];
    };
}

for_each_preview1!(preview1_table);

/// How a program imports the preview1 function `name`: its parameters and
/// results in [`PREVIEW1`]'s codes (`i` = i32, `I` = i64), or `None` when
/// preview1 has no function of that name. For tools that check a program's
/// imports against what an adapter provides.
pub fn preview1_signature(name: &str) -> Option<(&'static str, &'static str)> {
    let f = PREVIEW1.iter().find(|f| f.name == name)?;
    Some((f.params, f.results))
}

/// The `wasi:cli/run` export of the command variant.
pub const RUN_EXPORT: &str = "wasi:cli/run@0.2.0#run";

/// The realloc the host uses to write the results of the adapter's imports.
pub const IMPORT_REALLOC: &str = "cabi_import_realloc";

/// Exports beyond preview1 that the published adapter also has and that
/// toolchains rely on (`adapter/wasm/extras.rs`). Optional, but if present
/// they must have the published signature, since programs import them by it.
pub const EXTRA_EXPORTS: &[(&str, &str)] = &[
    ("adapter_open_badfd", "(i)->(i)"),
    ("adapter_close_badfd", "(i)->(i)"),
    ("adapter_monotonic_clock_set_paused", "(i)->()"),
    ("reset_adapter_state", "()->()"),
];

/// Immutable globals wasm-ld always defines and exports; wit-component drops them.
const LINKER_GLOBALS: &[&str] = &["__data_end", "__heap_base"];

/// Interfaces the proxy variant may import (what `wasi:http/proxy` offers).
const PROXY_INTERFACES: &[&str] = &[
    "wasi:cli/stdin@",
    "wasi:cli/stdout@",
    "wasi:cli/stderr@",
    "wasi:clocks/monotonic-clock@",
    "wasi:clocks/wall-clock@",
    "wasi:io/error@",
    "wasi:io/poll@",
    "wasi:io/streams@",
    "wasi:random/random@",
];

/// One broken rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// Where: a section, an import or export name, a function index, with a
    /// byte offset where one is known.
    pub place: String,
    pub rule: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.place, self.rule)
    }
}

/// What [`check`] found.
#[derive(Debug, Default)]
pub struct Report {
    pub violations: Vec<Violation>,
    /// Bytes of shadow stack the deepest export needs.
    pub deepest_stack: i64,
    /// Bytes of shadow stack each export needs (of those within their window).
    pub stack_needs: Vec<(String, i64)>,
}

impl Report {
    /// No rule is broken.
    pub fn is_ok(&self) -> bool {
        self.violations.is_empty()
    }
}

/// Checks `wasm` as the given variant. Input that is not a core module (not
/// wasm at all, a component, malformed or invalid) is reported as a
/// violation too, so the result is `Ok` for any input.
pub fn check(wasm: &[u8], variant: Variant) -> Report {
    let mut out = Out::default();
    if let Err(v) = core_module(wasm) {
        out.0.push(v);
        return Report { violations: out.0, ..Report::default() };
    }
    let m = match Module::parse(wasm) {
        Ok(m) => m,
        Err(e) => {
            out.add(at("module", e.offset()), format!("malformed wasm: {}", e.message()));
            return Report { violations: out.0, ..Report::default() };
        }
    };
    forbidden_sections(&m, &mut out);
    memories(&m, &mut out);
    tables(&m, &mut out);
    globals(&m, &mut out);
    imports(&m, variant, &mut out);
    exports(&m, variant, &mut out);
    custom_sections(&m, &mut out);
    indirect_calls(&m, &mut out);
    let stack_needs = stack(&m, &mut out);
    let deepest_stack = stack_needs.iter().map(|(_, d)| *d).max().unwrap_or(0);
    Report { violations: out.0, deepest_stack, stack_needs }
}

/// Collects violations.
#[derive(Default)]
struct Out(Vec<Violation>);

impl Out {
    fn add(&mut self, place: impl Into<String>, rule: impl Into<String>) {
        self.0.push(Violation { place: place.into(), rule: rule.into() });
    }
}

fn at(what: &str, offset: usize) -> String {
    format!("{what} (offset {offset:#x})")
}

// ---------------------------------------------------------------------------
// Reading the module
// ---------------------------------------------------------------------------

/// Rejects anything but a valid core wasm module: wit-component needs a core
/// module ("adapter must be a core wasm module, not a component").
fn core_module(wasm: &[u8]) -> Result<(), Violation> {
    let bad = |place: &str, rule: String| Violation { place: place.into(), rule };
    if wasm.len() < 8 || &wasm[..4] != b"\0asm" {
        return Err(bad("file", "not a WebAssembly binary (no `\\0asm` header)".into()));
    }
    match Parser::new(0).parse_all(wasm).next() {
        Some(Ok(Payload::Version { encoding: Encoding::Module, .. })) => {}
        Some(Ok(Payload::Version { encoding: Encoding::Component, .. })) => {
            return Err(bad("header", "is a component: an adapter must be a core wasm module, not a component".into()))
        }
        Some(Err(e)) => return Err(bad("header", format!("not a WebAssembly module: {}", e.message()))),
        _ => return Err(bad("header", "not a WebAssembly module".into())),
    }
    Validator::new()
        .validate_all(wasm)
        .map(|_| ())
        .map_err(|e| bad(&at("module", e.offset()), format!("invalid wasm module: {}", e.message())))
}

struct Import<'a> {
    module: &'a str,
    name: &'a str,
    ty: TypeRef,
    offset: usize,
}

impl Import<'_> {
    fn place(&self) -> String {
        format!("import {}.{}", self.module, self.name)
    }
}

struct Export<'a> {
    name: &'a str,
    kind: ExternalKind,
    index: u32,
}

/// A section the adapter may not have: where it is and how many entries.
#[derive(Clone, Copy)]
struct Section {
    offset: usize,
    count: u32,
}

struct Custom<'a> {
    name: &'a str,
    data: &'a [u8],
    offset: usize,
}

/// An instruction that needs a table or a function reference.
struct TableUse {
    op: &'static str,
    /// The table it uses, if any (`call_ref` uses none).
    table: Option<u32>,
    /// A call through the table or a reference.
    indirect: bool,
    offset: usize,
}

/// What the stack and table rules need of one function body.
struct Body {
    index: u32,
    /// `(global, bytes)` for each `global.get g; i32.const bytes; i32.sub`.
    frames: Vec<(u32, i64)>,
    /// Every `i32.const N; call F` (how an export enters its stack window:
    /// see [`stack`]).
    window_calls: Vec<WindowCall>,
    callees: Vec<u32>,
    table_uses: Vec<TableUse>,
}

/// An `i32.const bytes; call target` in a body.
struct WindowCall {
    /// How many calls of the body come before it.
    callee_pos: usize,
    /// Whether it is how the body starts.
    first: bool,
    bytes: i64,
    target: u32,
}

/// The parts of a module the rules look at.
#[derive(Default)]
struct Module<'a> {
    /// Function types; `None` for other composite types (offset of the type section).
    types: Vec<Option<FuncType>>,
    non_func_types: Option<usize>,
    imports: Vec<Import<'a>>,
    /// Type of every function, imported first.
    func_types: Vec<u32>,
    imported_funcs: u32,
    imported_tables: u32,
    imported_globals: u32,
    memory_section: Option<Section>,
    /// Indices of the defined tables and the table section's offset.
    tables: Vec<u32>,
    table_section: usize,
    /// Index, type and offset of each defined global.
    globals: Vec<(u32, GlobalType, usize)>,
    exports: Vec<Export<'a>>,
    start: Option<(u32, usize)>,
    elements: Option<Section>,
    data: Option<Section>,
    data_count: Option<Section>,
    tags: Option<Section>,
    customs: Vec<Custom<'a>>,
    bodies: Vec<Body>,
}

impl<'a> Module<'a> {
    fn parse(wasm: &'a [u8]) -> wasmparser::Result<Self> {
        let mut m = Module::default();
        for payload in Parser::new(0).parse_all(wasm) {
            match payload? {
                Payload::TypeSection(reader) => {
                    let offset = reader.range().start;
                    for group in reader {
                        for sub in group?.into_types() {
                            match sub.composite_type.inner {
                                CompositeInnerType::Func(f) => m.types.push(Some(f)),
                                _ => {
                                    m.types.push(None);
                                    m.non_func_types = Some(offset);
                                }
                            }
                        }
                    }
                }
                Payload::ImportSection(reader) => {
                    for item in reader.into_iter_with_offsets() {
                        let (offset, import) = item?;
                        match import.ty {
                            TypeRef::Func(t) => {
                                m.imported_funcs += 1;
                                m.func_types.push(t);
                            }
                            TypeRef::Table(_) => m.imported_tables += 1,
                            TypeRef::Global(_) => m.imported_globals += 1,
                            _ => {}
                        }
                        m.imports.push(Import { module: import.module, name: import.name, ty: import.ty, offset });
                    }
                }
                Payload::FunctionSection(reader) => {
                    for t in reader {
                        m.func_types.push(t?);
                    }
                }
                Payload::TableSection(reader) => {
                    m.table_section = reader.range().start;
                    m.tables = (0..reader.count()).map(|i| m.imported_tables + i).collect();
                }
                Payload::MemorySection(reader) => m.memory_section = section(reader.range().start, reader.count()),
                Payload::TagSection(reader) => m.tags = section(reader.range().start, reader.count()),
                Payload::GlobalSection(reader) => {
                    for (i, item) in reader.into_iter_with_offsets().enumerate() {
                        let (offset, g) = item?;
                        m.globals.push((m.imported_globals + i as u32, g.ty, offset));
                    }
                }
                Payload::ExportSection(reader) => {
                    for e in reader {
                        let e = e?;
                        m.exports.push(Export { name: e.name, kind: e.kind, index: e.index });
                    }
                }
                Payload::StartSection { func, range } => m.start = Some((func, range.start)),
                Payload::ElementSection(reader) => m.elements = Some(Section { offset: reader.range().start, count: reader.count() }),
                Payload::DataSection(reader) => m.data = Some(Section { offset: reader.range().start, count: reader.count() }),
                Payload::DataCountSection { count, range } => m.data_count = Some(Section { offset: range.start, count }),
                Payload::CodeSectionEntry(body) => {
                    let index = m.imported_funcs + m.bodies.len() as u32;
                    m.bodies.push(read_body(index, &body)?);
                }
                Payload::CustomSection(reader) => {
                    m.customs.push(Custom { name: reader.name(), data: reader.data(), offset: reader.range().start });
                }
                _ => {}
            }
        }
        Ok(m)
    }

    fn body(&self, func: u32) -> Option<&Body> {
        self.bodies.get(func.checked_sub(self.imported_funcs)? as usize)
    }

    fn func_type(&self, func: u32) -> Option<&FuncType> {
        let ty = *self.func_types.get(func as usize)?;
        self.types.get(ty as usize)?.as_ref()
    }

    /// "function 57 (`fd_write`)": the index, and the export names if any.
    fn func_place(&self, func: u32) -> String {
        let names: Vec<&str> = self
            .exports
            .iter()
            .filter(|e| e.kind == ExternalKind::Func && e.index == func)
            .map(|e| e.name)
            .collect();
        if names.is_empty() {
            format!("function {func}")
        } else {
            format!("function {func} (`{}`)", names.join("`, `"))
        }
    }
}

/// A section of `count` entries; an empty one is as good as none.
fn section(offset: usize, count: u32) -> Option<Section> {
    (count > 0).then_some(Section { offset, count })
}

fn read_body(index: u32, body: &wasmparser::FunctionBody) -> wasmparser::Result<Body> {
    let mut b = Body { index, frames: Vec::new(), window_calls: Vec::new(), callees: Vec::new(), table_uses: Vec::new() };
    let mut ops = body.get_operators_reader()?;
    // A frame is `global.get $sp; i32.const N; i32.sub`.
    let (mut last_get, mut last_const): (Option<u32>, Option<i64>) = (None, None);
    // The operator before this one, when it was `i32.const`, and whether it was the first.
    let (mut prev_const, mut count): (Option<(i64, bool)>, usize) = (None, 0);
    while !ops.eof() {
        let (op, offset) = ops.read_with_offset()?;
        let const_before = prev_const.take();
        if let Operator::I32Const { value } = op {
            prev_const = Some((value as i64, count == 0));
        }
        count += 1;
        if let (Operator::Call { function_index }, Some((bytes, first))) = (&op, const_before) {
            b.window_calls.push(WindowCall { callee_pos: b.callees.len(), first, bytes, target: *function_index });
        }
        match op {
            Operator::GlobalGet { global_index } => {
                last_get = Some(global_index);
                last_const = None;
                continue;
            }
            Operator::I32Const { value } if last_get.is_some() => {
                last_const = Some(value as i64);
                continue;
            }
            Operator::I32Sub => {
                if let (Some(g), Some(n)) = (last_get, last_const) {
                    b.frames.push((g, n));
                }
            }
            Operator::Call { function_index } | Operator::ReturnCall { function_index } => b.callees.push(function_index),
            op => {
                if let Some((op, table, indirect)) = table_use(&op) {
                    b.table_uses.push(TableUse { op, table, indirect, offset });
                }
            }
        }
        last_get = None;
        last_const = None;
    }
    Ok(b)
}

/// `(name, table, is a call)` for the instructions that need a table or a
/// function reference.
fn table_use(op: &Operator) -> Option<(&'static str, Option<u32>, bool)> {
    Some(match *op {
        Operator::CallIndirect { table_index, .. } => ("call_indirect", Some(table_index), true),
        Operator::ReturnCallIndirect { table_index, .. } => ("return_call_indirect", Some(table_index), true),
        Operator::CallRef { .. } => ("call_ref", None, true),
        Operator::ReturnCallRef { .. } => ("return_call_ref", None, true),
        Operator::TableGet { table } => ("table.get", Some(table), false),
        Operator::TableSet { table } => ("table.set", Some(table), false),
        Operator::TableSize { table } => ("table.size", Some(table), false),
        Operator::TableGrow { table } => ("table.grow", Some(table), false),
        Operator::TableFill { table } => ("table.fill", Some(table), false),
        Operator::TableCopy { dst_table, .. } => ("table.copy", Some(dst_table), false),
        Operator::TableInit { table, .. } => ("table.init", Some(table), false),
        _ => return None,
    })
}

fn signature(ty: &FuncType) -> String {
    let code = |t: &ValType| match t {
        ValType::I32 => "i".to_string(),
        ValType::I64 => "I".to_string(),
        other => format!("{other:?}"),
    };
    let params: String = ty.params().iter().map(code).collect();
    let results: String = ty.results().iter().map(code).collect();
    format!("({params})->({results})")
}

// ---------------------------------------------------------------------------
// Rules
// ---------------------------------------------------------------------------

/// wit-component's GC of the adapter refuses start, element, data,
/// data-count and tag sections ("unsupported section `N` in adapter"): the
/// adapter's memory and table belong to the program, so there is nowhere to
/// put segments, and a start function would run before the program could be
/// reached.
fn forbidden_sections(m: &Module, out: &mut Out) {
    if let Some((func, offset)) = m.start {
        out.add(at("start section", offset), format!("start function {func}: an adapter may not have a start function"));
    }
    if let Some(s) = m.elements {
        let rule = format!("{} element segment(s): an adapter may not have element segments (function pointers?)", s.count);
        out.add(at("element section", s.offset), rule);
    }
    if let Some(s) = m.data {
        out.add(at("data section", s.offset), format!("{} data segment(s): the adapter may not have static data", s.count));
    }
    if let Some(s) = m.data_count {
        out.add(at("data-count section", s.offset), format!("data-count section (count {}): not allowed in an adapter", s.count));
    }
    if let Some(s) = m.tags {
        out.add(at("tag section", s.offset), format!("{} tag(s): an adapter may not define tags", s.count));
    }
    if let Some(offset) = m.non_func_types {
        out.add(at("type section", offset), "only function types are allowed");
    }
}

/// The adapter works in the program's memory, which wit-component hands it as
/// the import `env.memory`; a memory of its own, or a second one, is refused
/// ("locally-defined memories are not allowed", "multi-memory").
fn memories(m: &Module, out: &mut Out) {
    if let Some(s) = m.memory_section {
        out.add(at("memory section", s.offset), "the adapter defines a memory; it must import the program's as env.memory");
    }
    let imported: Vec<&Import> = m.imports.iter().filter(|i| matches!(i.ty, TypeRef::Memory(_))).collect();
    for i in &imported {
        if (i.module, i.name) != ("env", "memory") {
            out.add(i.place(), "the only memory an adapter may import is env.memory");
        }
    }
    if imported.len() != 1 {
        out.add("imports", format!("expected exactly one memory import (env.memory), found {}", imported.len()));
    }
}

/// wit-component refuses a live table ("tables should not be present in the
/// final adapter module"): the adapter has no way to fill one. wasm-ld always
/// leaves a `(table 1 1 funcref)` for the indirect function table, even when
/// nothing uses it; a table no instruction, element segment or export uses is
/// dead, wit-component's GC drops it, and so it is accepted here.
fn tables(m: &Module, out: &mut Out) {
    for &t in &m.tables {
        let place = at(&format!("table {t}"), m.table_section);
        if m.elements.is_some() {
            out.add(&place, "live table: element segments fill it");
        }
        if let Some(e) = m.exports.iter().find(|e| e.kind == ExternalKind::Table && e.index == t) {
            out.add(&place, format!("live table: exported as `{}`", e.name));
        }
        let users = m.bodies.iter().flat_map(|b| b.table_uses.iter().filter(|u| u.table == Some(t)).map(move |u| (b.index, u)));
        for (func, u) in users {
            out.add(&place, format!("live table: used by {} in {}", u.op, at(&m.func_place(func), u.offset)));
        }
    }
}

/// The adapter's state lives in mutable i32 and i64 globals (build.rs) and
/// wasm-ld's `__stack_pointer`; wasm-ld also defines the immutable
/// `__data_end` and `__heap_base`, which it exports and wit-component drops.
/// Any other global means something unexpected got linked in (e.g. an
/// address of static data).
fn globals(m: &Module, out: &mut Out) {
    for &(index, ty, offset) in &m.globals {
        if matches!(ty.content_type, ValType::I32 | ValType::I64) && ty.mutable {
            continue;
        }
        let linker_global = ty.content_type == ValType::I32
            && m.exports.iter().any(|e| e.kind == ExternalKind::Global && e.index == index && LINKER_GLOBALS.contains(&e.name));
        if !linker_global {
            let ty = format!("{}{}", if ty.mutable { "mut " } else { "" }, ty.content_type);
            let rule = format!(
                "global of type {ty}: only mutable i32 and i64 globals are allowed \
                 (and the immutable __data_end/__heap_base wasm-ld exports)"
            );
            out.add(at(&format!("global {index}"), offset), rule);
        }
    }
}

/// What wit-component can satisfy: `env.memory` (see [`memories`]), exports
/// of the program under `__main_module__`, and functions of WASI interfaces
/// named `wasi:<package>/<interface>@<version>` in the adapter's world.
fn imports(m: &Module, variant: Variant, out: &mut Out) {
    let mut seen = HashSet::new();
    for i in &m.imports {
        let place = i.place();
        if !seen.insert((i.module, i.name)) {
            out.add(at(&place, i.offset), "duplicate import (wit-component refuses it)");
        }
        match i.ty {
            TypeRef::Memory(_) => {} // see `memories`
            TypeRef::Table(_) => out.add(place, "an adapter may not import a table"),
            TypeRef::Global(_) => out.add(place, "an adapter may not import a global"),
            TypeRef::Tag(_) => out.add(place, "an adapter may not import a tag"),
            TypeRef::Func(t) => {
                let sig = m.types.get(t as usize).and_then(|t| t.as_ref()).map(signature).unwrap_or_default();
                function_import(i, &sig, variant, out);
            }
        }
    }
}

fn function_import(i: &Import, sig: &str, variant: Variant, out: &mut Out) {
    let place = i.place();
    match i.module {
        "__main_module__" => main_module_import(i, sig, variant, out),
        "env" => out.add(place, "import module not allowed: `env` may provide only `memory` (an unresolved symbol?)"),
        module if module.starts_with("wasi:") => {
            if !is_wasi_interface(module) {
                out.add(place, "import module not allowed: expected `wasi:<package>/<interface>@<version>`");
            } else if variant == Variant::Proxy && !PROXY_INTERFACES.iter().any(|p| module.starts_with(p)) {
                out.add(place, "the proxy variant may import only what wasi:http/proxy offers (cli stdio, clocks, random, io)");
            }
        }
        _ => out.add(place, "import module not allowed: only env (memory), __main_module__ and wasi:* interfaces"),
    }
}

/// The adapter may call the program's `_start` (command only: the reactor
/// and proxy programs have none) and its `cabi_realloc`; anything else would
/// require the program to export it.
fn main_module_import(i: &Import, sig: &str, variant: Variant, out: &mut Out) {
    let place = i.place();
    let want = match i.name {
        "_start" if variant != Variant::Command => {
            return out.add(place, "only the command variant calls the program's `_start`");
        }
        "_start" => "()->()",
        "cabi_realloc" => "(iiii)->(i)",
        _ => return out.add(place, "the adapter may import from the program only `_start` and `cabi_realloc`"),
    };
    if sig != want {
        out.add(place, format!("signature {sig} but expected {want}"));
    }
}

/// `wasi:<package>/<interface>@<major>.<minor>.<patch>[-pre][+build]`.
fn is_wasi_interface(module: &str) -> bool {
    let kebab = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    let Some(rest) = module.strip_prefix("wasi:") else { return false };
    let Some((path, version)) = rest.split_once('@') else { return false };
    let Some((package, interface)) = path.split_once('/') else { return false };
    let core = version.split(['-', '+']).next().unwrap_or("");
    let numbers: Vec<&str> = core.split('.').collect();
    kebab(package)
        && kebab(interface)
        && numbers.len() == 3
        && numbers.iter().all(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
}

/// The 46 preview1 functions with their exact core signatures (programs
/// import them by name and type), the import realloc, `wasi:cli/run` for the
/// command variant only, the optional [`EXTRA_EXPORTS`], wasm-ld's two
/// globals, and nothing else.
fn exports(m: &Module, variant: Variant, out: &mut Out) {
    let by_name: HashMap<&str, &Export> = m.exports.iter().map(|e| (e.name, e)).collect();
    let mut expect = |name: &str, want: &str, required: bool, missing: &str| match by_name.get(name) {
        None if required => out.add(format!("export {name}"), missing.to_string()),
        None => {}
        Some(e) => match (e.kind, m.func_type(e.index)) {
            (ExternalKind::Func, Some(ty)) if signature(ty) == want => {}
            (ExternalKind::Func, Some(ty)) => {
                out.add(format!("export {name}"), format!("signature {} but expected {want}", signature(ty)))
            }
            _ => out.add(format!("export {name}"), "is not a function"),
        },
    };
    for f in PREVIEW1 {
        expect(f.name, &format!("({})->({})", f.params, f.results), true, "missing preview1 function");
    }
    expect(IMPORT_REALLOC, "(iiii)->(i)", true, "missing: the host needs it to return lists and strings");
    if variant == Variant::Command {
        expect(RUN_EXPORT, "()->(i)", true, "missing: the command world exports wasi:cli/run");
    }
    for (name, want) in EXTRA_EXPORTS {
        expect(name, want, false, "");
    }

    let preview1: HashSet<&str> = PREVIEW1.iter().map(|f| f.name).collect();
    for e in &m.exports {
        let place = format!("export {}", e.name);
        if e.name == RUN_EXPORT {
            if variant != Variant::Command {
                out.add(place, "only the command variant exports wasi:cli/run");
            }
            continue;
        }
        let allowed = match e.kind {
            ExternalKind::Func => {
                preview1.contains(e.name) || e.name == IMPORT_REALLOC || EXTRA_EXPORTS.iter().any(|(n, _)| *n == e.name)
            }
            ExternalKind::Global => LINKER_GLOBALS.contains(&e.name),
            _ => false,
        };
        if !allowed {
            let kind = match e.kind {
                ExternalKind::Func => "function",
                ExternalKind::Table => "table",
                ExternalKind::Memory => "memory",
                ExternalKind::Global => "global",
                _ => "tag",
            };
            out.add(place, format!("export not allowed: a {kind} that is not part of the adapter's interface"));
        }
    }
}

/// The `component-type*` section carries the adapter's WIT world, without
/// which wit-component cannot tell what its imports mean. The `name` section
/// must be absent: wit-component would find `__stack_pointer` in it and
/// allocate a stack the adapter does not use (see `adapter/wasm/scratch.rs`).
fn custom_sections(m: &Module, out: &mut Out) {
    let mut worlds = 0;
    for c in &m.customs {
        if c.name == "name" {
            let rule = "name section present: wit-component would find `__stack_pointer` in it \
                        and allocate a stack the adapter does not use";
            out.add(at("name section", c.offset), rule);
        }
        if c.name.starts_with("component-type") {
            worlds += 1;
            if let Err(why) = encoded_world(c.data) {
                let place = at(&format!("custom section `{}`", c.name), c.offset);
                out.add(place, format!("component-type section is not an encoded world: {why}"));
            }
        }
    }
    if worlds == 0 {
        out.add("custom sections", "no `component-type` section: wit-component would not know the adapter's world");
    }
}

/// An encoded world is a component whose custom section
/// `wit-component-encoding` starts with format byte 4.
fn encoded_world(data: &[u8]) -> Result<(), String> {
    if !data.starts_with(b"\0asm") {
        return Err("not a component binary".into());
    }
    let mut format = None;
    for payload in Parser::new(0).parse_all(data) {
        match payload.map_err(|e| e.message().to_string())? {
            Payload::Version { encoding: Encoding::Module, .. } => return Err("a module, not a component".into()),
            Payload::CustomSection(c) if c.name() == "wit-component-encoding" => format = c.data().first().copied(),
            _ => {}
        }
    }
    match format {
        Some(4) => Ok(()),
        Some(other) => Err(format!("`wit-component-encoding` format {other}, expected 4")),
        None => Err("no `wit-component-encoding` section".into()),
    }
}

/// Calls through a table or a reference need function pointers, which need
/// element segments and a live table; they also hide callees from the stack
/// bound below.
fn indirect_calls(m: &Module, out: &mut Out) {
    for b in &m.bodies {
        for u in b.table_uses.iter().filter(|u| u.indirect) {
            out.add(at(&m.func_place(b.index), u.offset), format!("indirect call ({}) is not allowed", u.op));
        }
    }
}

/// The deepest chain of stack frames from each export must fit the stack
/// window it declares; recursion has no bound. An export declares its window
/// with `i32.const N; call $enter` (`stack::enter(N)` in the adapter: it
/// checks and clears only those N bytes); `$enter` is the function most
/// exports start by calling so. One that never calls it is held to the whole
/// `STACK_WINDOW`. An export may run a fast path before entering its window
/// (`preview1.rs`), but that must not touch the stack: such an export may
/// have no frame of its own, and of the functions it calls only three may
/// need stack: `$enter`, the implementation it calls next and `$leave`
/// after that. Everything else it calls is the fast path's, wherever the
/// compiler placed that code. Returns each export's need.
fn stack(m: &Module, out: &mut Out) -> Vec<(String, i64)> {
    let sp = stack_pointer(&m.bodies);
    let own_frame = |b: &Body| -> i64 { b.frames.iter().filter(|(g, _)| Some(*g) == sp).map(|(_, n)| *n).sum() };
    let frames: HashMap<u32, (i64, Vec<u32>)> = m.bodies.iter().map(|b| (b.index, (own_frame(b), b.callees.clone()))).collect();
    let export_bodies = || m.exports.iter().filter(|e| e.kind == ExternalKind::Func).filter_map(|e| m.body(e.index));
    let mut starts: HashMap<u32, usize> = HashMap::new();
    for b in export_bodies() {
        if let Some(w) = b.window_calls.first().filter(|w| w.first) {
            *starts.entry(w.target).or_default() += 1;
        }
    }
    let enter = starts.into_iter().max_by_key(|&(f, n)| (n, std::cmp::Reverse(f))).map(|(f, _)| f);
    let mut memo = HashMap::new();
    let mut needs = Vec::new();
    for e in m.exports.iter().filter(|e| e.kind == ExternalKind::Func) {
        let place = format!("export {}", e.name);
        let body = m.body(e.index);
        let entry = body.and_then(|b| b.window_calls.iter().find(|w| Some(w.target) == enter));
        if let (Some(b), Some(w)) = (body, entry) {
            if !w.first {
                if own_frame(b) != 0 {
                    out.add(&place, "has a stack frame of its own, outside its window");
                }
                let windowed = w.callee_pos..=w.callee_pos + 2;
                for (i, &c) in b.callees.iter().enumerate() {
                    if !windowed.contains(&i) && depth(c, &frames, &mut memo, &mut Vec::new()) != Some(0) {
                        out.add(&place, format!("calls {} outside its stack window, and it needs stack", m.func_place(c)));
                    }
                }
            }
        }
        let declared = entry.map(|w| w.bytes);
        let window = declared.unwrap_or(STACK_WINDOW as i64);
        if window < 0 || window > STACK_WINDOW as i64 {
            out.add(&place, format!("declares a {window}-byte stack window; the adapter has {STACK_WINDOW} bytes"));
        }
        let need = depth(e.index, &frames, &mut memo, &mut Vec::new());
        if e.name == IMPORT_REALLOC && need.is_some_and(|d| d > 0) {
            // The host calls it in the middle of another export's import
            // call, on that export's stack: its frames would lie below the
            // window the export declared, unchecked and never cleared.
            out.add(&place, format!("needs {} bytes of stack; the import realloc must need none", need.unwrap_or(0)));
            continue;
        }
        match need {
            Some(d) if d <= window => needs.push((e.name.to_string(), d)),
            Some(d) if declared.is_some() => {
                out.add(place, format!("needs {d} bytes of stack, more than its {window}-byte window"))
            }
            Some(d) => out.add(place, format!("needs {d} bytes of stack, more than the {STACK_WINDOW}-byte window")),
            None => out.add(place, "reaches a recursive call: its stack use has no bound"),
        }
    }
    needs
}

/// The global used as shadow-stack pointer: the one functions subtract their frames from.
fn stack_pointer(bodies: &[Body]) -> Option<u32> {
    let mut counts: HashMap<u32, usize> = HashMap::new();
    for b in bodies {
        for (g, _) in &b.frames {
            *counts.entry(*g).or_default() += 1;
        }
    }
    counts.into_iter().max_by_key(|&(g, c)| (c, std::cmp::Reverse(g))).map(|(g, _)| g)
}

/// Deepest stack use starting at `f`, or `None` on recursion.
fn depth(f: u32, frames: &HashMap<u32, (i64, Vec<u32>)>, memo: &mut HashMap<u32, Option<i64>>, path: &mut Vec<u32>) -> Option<i64> {
    if let Some(d) = memo.get(&f) {
        return *d;
    }
    if path.contains(&f) {
        return None;
    }
    let Some((frame, callees)) = frames.get(&f) else {
        return Some(0); // an import
    };
    path.push(f);
    let mut deepest = Some(0);
    for c in callees {
        deepest = match (deepest, depth(*c, frames, memo, path)) {
            (Some(a), Some(b)) => Some(a.max(b)),
            _ => None,
        };
    }
    path.pop();
    let result = deepest.map(|d| d + frame);
    memo.insert(f, result);
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The table generated from the adapter's list: every preview1 function
    /// once, in witx order, and only `proc_exit` without an errno.
    #[test]
    fn the_generated_table_has_each_function_once() {
        assert_eq!(PREVIEW1.len(), 46);
        let names: HashSet<&str> = PREVIEW1.iter().map(|f| f.name).collect();
        assert_eq!(names.len(), 46);
        assert_eq!((PREVIEW1[0].name, PREVIEW1[45].name), ("args_get", "sock_shutdown"));
        assert_eq!(preview1_signature("path_open"), Some(("iiiiiIIii", "i")));
        assert_eq!(preview1_signature("fd_seek"), Some(("iIii", "i")));
        assert_eq!(preview1_signature("sched_yield"), Some(("", "i")));
        assert_eq!(preview1_signature("proc_exit"), Some(("i", "")));
        assert_eq!(preview1_signature("sock_open"), None);
        let silent: Vec<&str> = PREVIEW1.iter().filter(|f| f.results.is_empty()).map(|f| f.name).collect();
        assert_eq!(silent, ["proc_exit"]);
    }
}
