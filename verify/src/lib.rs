//! Checks a built adapter module against what `wit-component` accepts and
//! against this adapter's own contract (see `../shared/DESIGN.md` §1 and
//! `adapter/wasm/scratch.rs`). Every violation is reported with where it is.

use std::collections::{HashMap, HashSet};
use std::fmt;

use wasmparser::{
    CompositeInnerType, ExternalKind, FuncType, Operator, Parser, Payload, TypeRef, ValType,
};

/// Which artifact is being checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Variant {
    Command,
    Reactor,
    Proxy,
}

/// Bytes of shadow stack the adapter gives each export (`STACK_WINDOW` in
/// `adapter/wasm/scratch.rs`).
pub const STACK_WINDOW: u64 = 512;

/// The preview1 functions and their core signatures (`i` = i32, `I` = i64);
/// all return an i32 errno except `proc_exit`.
pub const PREVIEW1: &[(&str, &str)] = &[
    ("args_get", "ii"),
    ("args_sizes_get", "ii"),
    ("environ_get", "ii"),
    ("environ_sizes_get", "ii"),
    ("clock_res_get", "ii"),
    ("clock_time_get", "iIi"),
    ("fd_advise", "iIIi"),
    ("fd_allocate", "iII"),
    ("fd_close", "i"),
    ("fd_datasync", "i"),
    ("fd_fdstat_get", "ii"),
    ("fd_fdstat_set_flags", "ii"),
    ("fd_fdstat_set_rights", "iII"),
    ("fd_filestat_get", "ii"),
    ("fd_filestat_set_size", "iI"),
    ("fd_filestat_set_times", "iIIi"),
    ("fd_pread", "iiiIi"),
    ("fd_prestat_get", "ii"),
    ("fd_prestat_dir_name", "iii"),
    ("fd_pwrite", "iiiIi"),
    ("fd_read", "iiii"),
    ("fd_readdir", "iiiIi"),
    ("fd_renumber", "ii"),
    ("fd_seek", "iIii"),
    ("fd_sync", "i"),
    ("fd_tell", "ii"),
    ("fd_write", "iiii"),
    ("path_create_directory", "iii"),
    ("path_filestat_get", "iiiii"),
    ("path_filestat_set_times", "iiiiIIi"),
    ("path_link", "iiiiiii"),
    ("path_open", "iiiiiIIii"),
    ("path_readlink", "iiiiii"),
    ("path_remove_directory", "iii"),
    ("path_rename", "iiiiii"),
    ("path_symlink", "iiiii"),
    ("path_unlink_file", "iii"),
    ("poll_oneoff", "iiii"),
    ("proc_exit", "i"),
    ("proc_raise", "i"),
    ("sched_yield", ""),
    ("random_get", "ii"),
    ("sock_accept", "iii"),
    ("sock_recv", "iiiiii"),
    ("sock_send", "iiiii"),
    ("sock_shutdown", "ii"),
];

/// The `wasi:cli/run` export of the command variant.
pub const RUN_EXPORT: &str = "wasi:cli/run@0.2.0#run";

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
    /// Where: a section, an import or export name, a function index.
    pub place: String,
    pub rule: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.place, self.rule)
    }
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

/// What [`check`] found.
#[derive(Debug, Default)]
pub struct Report {
    pub violations: Vec<Violation>,
    /// Bytes of shadow stack the deepest export needs.
    pub deepest_stack: i64,
}

/// Checks `wasm` as the given variant.
pub fn check(wasm: &[u8], variant: Variant) -> anyhow::Result<Report> {
    let mut deepest_stack = 0;
    let mut v = Vec::new();
    let mut bad = |place: &str, rule: String| v.push(Violation { place: place.to_string(), rule });

    let mut types: Vec<FuncType> = Vec::new();
    let mut func_types: Vec<u32> = Vec::new(); // imported then defined
    let mut imported_funcs = 0u32;
    let mut imported_globals = 0u32;
    let mut exports: HashMap<String, (ExternalKind, u32)> = HashMap::new();
    let mut bodies: Vec<(u32, Vec<(u32, i64)>, Vec<u32>, bool)> = Vec::new(); // (func, sp adjustments, callees, indirect)
    let mut world_section = false;
    let mut memory_imports = 0;

    for payload in Parser::new(0).parse_all(wasm) {
        match payload? {
            Payload::Version { encoding, .. } => {
                if encoding != wasmparser::Encoding::Module {
                    bad("header", "an adapter must be a core wasm module, not a component".into());
                    return Ok(Report { violations: v, deepest_stack });
                }
            }
            Payload::TypeSection(reader) => {
                for group in reader {
                    for sub in group?.into_types() {
                        match &sub.composite_type.inner {
                            CompositeInnerType::Func(f) => types.push(f.clone()),
                            _ => {
                                bad("type section", "only function types are allowed".into());
                                types.push(FuncType::new([], []));
                            }
                        }
                    }
                }
            }
            Payload::ImportSection(reader) => {
                for import in reader {
                    let import = import?;
                    let place = format!("import {}.{}", import.module, import.name);
                    match import.ty {
                        TypeRef::Memory(_) => {
                            memory_imports += 1;
                            if (import.module, import.name) != ("env", "memory") {
                                bad(&place, "the only memory an adapter may import is env.memory".into());
                            }
                        }
                        TypeRef::Func(t) => {
                            imported_funcs += 1;
                            func_types.push(t);
                            let allowed = import.module == "__main_module__" || import.module.starts_with("wasi:");
                            if !allowed {
                                bad(&place, "functions may come only from `__main_module__` or `wasi:` interfaces".into());
                            }
                            if variant == Variant::Proxy
                                && import.module.starts_with("wasi:")
                                && !PROXY_INTERFACES.iter().any(|p| import.module.starts_with(p))
                            {
                                bad(&place, "the proxy variant may import only what wasi:http/proxy offers".into());
                            }
                            if import.module == "__main_module__" && import.name == "_start" && variant != Variant::Command {
                                bad(&place, "only the command variant calls the program's `_start`".into());
                            }
                        }
                        TypeRef::Global(_) => {
                            imported_globals += 1;
                            bad(&place, "an adapter may not import globals".into());
                        }
                        TypeRef::Table(_) => bad(&place, "an adapter may not import tables".into()),
                        TypeRef::Tag(_) => bad(&place, "an adapter may not import tags".into()),
                    }
                }
            }
            Payload::FunctionSection(reader) => {
                for t in reader {
                    func_types.push(t?);
                }
            }
            Payload::MemorySection(reader) => {
                if reader.count() > 0 {
                    bad("memory section", "an adapter may not define a memory; it uses the program's".into());
                }
            }
            Payload::GlobalSection(reader) => {
                for (i, g) in reader.into_iter().enumerate() {
                    let g = g?;
                    if g.ty.content_type != ValType::I32 && g.ty.content_type != ValType::I64 {
                        bad(&format!("global {}", imported_globals as usize + i), "only integer globals are expected".into());
                    }
                }
            }
            Payload::ExportSection(reader) => {
                for e in reader {
                    let e = e?;
                    exports.insert(e.name.to_string(), (e.kind, e.index));
                }
            }
            Payload::StartSection { func, .. } => bad("start section", format!("a start function ({func}) is not allowed")),
            Payload::ElementSection(_) => bad("element section", "element segments are not allowed (function pointers?)".into()),
            Payload::DataSection(reader) => {
                bad("data section", format!("{} data segment(s): the adapter may not have static data", reader.count()))
            }
            Payload::DataCountSection { .. } => bad("data count section", "not allowed".into()),
            Payload::TagSection(_) => bad("tag section", "not allowed".into()),
            Payload::CodeSectionEntry(body) => {
                let index = imported_funcs + bodies.len() as u32;
                let mut adjustments = Vec::new();
                let mut callees = Vec::new();
                let mut indirect = false;
                let mut ops = body.get_operators_reader()?;
                // A frame is `global.get $sp; i32.const N; i32.sub`.
                let (mut last_get, mut last_const): (Option<u32>, Option<i64>) = (None, None);
                while !ops.eof() {
                    let op = ops.read()?;
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
                                adjustments.push((g, n));
                            }
                        }
                        Operator::Call { function_index } => callees.push(function_index),
                        Operator::CallIndirect { .. } | Operator::ReturnCallIndirect { .. } | Operator::CallRef { .. } => indirect = true,
                        Operator::ReturnCall { function_index } => callees.push(function_index),
                        _ => {}
                    }
                    last_get = None;
                    last_const = None;
                }
                bodies.push((index, adjustments, callees, indirect));
            }
            Payload::CustomSection(reader) => {
                if reader.name().starts_with("component-type") {
                    world_section = true;
                }
                if reader.name() == "name" {
                    bad("name section", "wit-component would find `__stack_pointer` in it and allocate a stack the adapter does not use".into());
                }
            }
            _ => {}
        }
    }

    if memory_imports != 1 {
        bad("imports", format!("expected exactly one memory import (env.memory), found {memory_imports}"));
    }
    if !world_section {
        bad("custom sections", "no `component-type` section: wit-component would not know the adapter's world".into());
    }

    // Exports: every preview1 function with its exact signature.
    let ty_of = |kind: ExternalKind, index: u32| -> Option<&FuncType> {
        if kind != ExternalKind::Func {
            return None;
        }
        func_types.get(index as usize).and_then(|t| types.get(*t as usize))
    };
    for (name, params) in PREVIEW1 {
        let results = if *name == "proc_exit" { "" } else { "i" };
        let want = format!("({params})->({results})");
        match exports.get(*name) {
            None => bad(&format!("export {name}"), "missing preview1 function".into()),
            Some((kind, index)) => match ty_of(*kind, *index) {
                Some(ty) if signature(ty) == want => {}
                Some(ty) => bad(&format!("export {name}"), format!("signature {} but preview1 says {want}", signature(ty))),
                None => bad(&format!("export {name}"), "is not a function".into()),
            },
        }
    }
    let mut expect_fn = |name: &str, want: &str, required: bool| match exports.get(name) {
        None if required => bad(&format!("export {name}"), "missing".into()),
        None => {}
        Some((kind, index)) => match ty_of(*kind, *index) {
            Some(ty) if signature(ty) == want => {}
            Some(ty) => bad(&format!("export {name}"), format!("signature {} but expected {want}", signature(ty))),
            None => bad(&format!("export {name}"), "is not a function".into()),
        },
    };
    expect_fn("cabi_import_realloc", "(iiii)->(i)", true);
    expect_fn(RUN_EXPORT, "()->(i)", variant == Variant::Command);
    let preview1: HashSet<&str> = PREVIEW1.iter().map(|(n, _)| *n).collect();
    for (name, (kind, _)) in &exports {
        let known = preview1.contains(name.as_str()) || name == "cabi_import_realloc" || name == RUN_EXPORT;
        // wasm-ld always exports these two; wit-component drops them.
        let linker_globals = *kind == ExternalKind::Global && (name == "__data_end" || name == "__heap_base");
        if !known && !linker_globals {
            bad(&format!("export {name}"), "not part of the adapter's interface".into());
        }
        if name == RUN_EXPORT && variant != Variant::Command {
            bad(&format!("export {name}"), "only the command variant exports `wasi:cli/run`".into());
        }
    }

    // Stack: the deepest chain of frames from any export must fit the window.
    for (index, _, _, indirect) in &bodies {
        if *indirect {
            bad(&format!("function {index}"), "indirect calls are not allowed (they need a table)".into());
        }
    }
    let sp = stack_pointer(&bodies);
    let frames: HashMap<u32, (i64, Vec<u32>)> = bodies
        .iter()
        .map(|(i, adj, callees, _)| (*i, (adj.iter().filter(|(g, _)| Some(*g) == sp).map(|(_, n)| *n).sum(), callees.clone())))
        .collect();
    let mut depth_of: HashMap<u32, Option<i64>> = HashMap::new();
    for (name, (kind, index)) in &exports {
        if *kind != ExternalKind::Func {
            continue;
        }
        match depth(*index, &frames, &mut depth_of, &mut Vec::new()) {
            Some(d) if d as u64 <= STACK_WINDOW => deepest_stack = deepest_stack.max(d),
            Some(d) => bad(&format!("export {name}"), format!("needs {d} bytes of stack, more than the {STACK_WINDOW}-byte window")),
            None => bad(&format!("export {name}"), "reaches a recursive call: its stack use has no bound".into()),
        }
    }
    Ok(Report { violations: v, deepest_stack })
}

/// The global used as shadow-stack pointer: the one functions subtract their frames from.
fn stack_pointer(bodies: &[(u32, Vec<(u32, i64)>, Vec<u32>, bool)]) -> Option<u32> {
    let mut counts: HashMap<u32, usize> = HashMap::new();
    for (_, adj, _, _) in bodies {
        for (g, _) in adj {
            *counts.entry(*g).or_default() += 1;
        }
    }
    counts.into_iter().max_by_key(|(_, c)| *c).map(|(g, _)| g)
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
