//! The post-link pass of the adapter build: `build.sh` runs it on what
//! `cargo build` links, before `verify` checks the result. It removes two
//! costs that `wasm-ld` leaves behind and that every fused component would
//! otherwise carry:
//!
//! * Every relocated operand (call targets, global and type indices) is
//!   written as a padded five-byte LEB so the linker can patch it in place.
//!   Re-encoding writes the shortest form: about an eighth of the code.
//! * Rust cannot name a wasm global, so the adapter reaches the raw globals
//!   of `build.rs` through one-instruction accessor functions, a call each.
//!   Every `call $get_x` becomes `global.get $x` and every `call $set_x`
//!   `global.set $x` (the same stack effect), and the accessors go.
//!
//! * The encoded WIT world keeps only what the module imports (`world.rs`).
//! * `wasm-ld` exports its immutable `__data_end` and `__heap_base` globals;
//!   the adapter has no data and no heap, and wit-component drops the
//!   exports. They go here, and so do the globals when nothing reads them.
//!
//! * Defined functions are renumbered most referenced first: a call or an
//!   export of a function index below 128 takes one byte of LEB, not two.
//!
//! Nothing else changes: same imports, exports, globals, types and custom
//! sections, in the same order; the output is validated before it is
//! returned.

mod version;
mod world;

pub use version::{read_version, stamp_version};

use std::collections::{HashMap, HashSet};
use std::convert::Infallible;

use anyhow::{Context, Result};
use wasm_encoder::reencode::{self, utils, Reencode};
use wasm_encoder::Instruction;
use wasmparser::{ElementItems, ExternalKind, Operator, Parser, Payload};

/// What [`finish`] did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Stats {
    pub calls_inlined: usize,
    pub accessors_removed: usize,
    pub linker_globals_removed: usize,
}

/// The globals `wasm-ld` defines and exports for a data segment and a heap.
const LINKER_GLOBALS: [&str; 2] = ["__data_end", "__heap_base"];

/// A function whose whole body reads or writes one global.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Accessor {
    Get(u32),
    Set(u32),
}

/// Rewrites a linked module; see the module documentation.
pub fn finish(wasm: &[u8]) -> Result<(Vec<u8>, Stats)> {
    wasmparser::validate(wasm).context("input is not a valid module")?;
    let mut rewriter = Rewriter::scan(wasm)?;
    let mut module = wasm_encoder::Module::new();
    rewriter
        .parse_core_module(&mut module, Parser::new(0), wasm)
        .map_err(|e| anyhow::anyhow!("re-encoding: {e:?}"))?;
    let out = world::prune_module(&module.finish())?;
    wasmparser::validate(&out).context("the rewritten module is invalid")?;
    Ok((out, rewriter.stats))
}

struct Rewriter {
    imported_funcs: u32,
    /// Accessors by function index.
    accessors: HashMap<u32, Accessor>,
    /// Accessors referenced other than by `call` (export, element, `ref.func`,
    /// start): inlined at call sites but kept.
    kept: HashSet<u32>,
    /// An element segment of expressions was seen: keep every accessor
    /// rather than read the expressions.
    keep_all: bool,
    imported_globals: u32,
    /// Linker globals (`LINKER_GLOBALS`) removed with their exports: the
    /// last globals of the module, which no instruction reads. Removing only
    /// trailing globals leaves every other global's index as it was.
    removed_globals: HashSet<u32>,
    /// How often each function is named (calls, exports, elements,
    /// `ref.func`, start), counted for the new order.
    references: HashMap<u32, usize>,
    /// The defined functions that stay, by their old index, in their new order.
    order: Vec<u32>,
    /// Old function index → new, for the defined functions that stay.
    new_index: HashMap<u32, u32>,
    stats: Stats,
}

impl Rewriter {
    fn scan(wasm: &[u8]) -> Result<Rewriter> {
        let mut r = Rewriter {
            imported_funcs: 0,
            accessors: HashMap::new(),
            kept: HashSet::new(),
            keep_all: false,
            imported_globals: 0,
            removed_globals: HashSet::new(),
            references: HashMap::new(),
            order: Vec::new(),
            new_index: HashMap::new(),
            stats: Stats::default(),
        };
        let mut defined = 0;
        let mut globals = 0;
        let mut linker_globals = HashSet::new();
        let mut read_globals = HashSet::new();
        for payload in Parser::new(0).parse_all(wasm) {
            match payload? {
                Payload::ImportSection(reader) => {
                    for import in reader {
                        match import?.ty {
                            wasmparser::TypeRef::Func(_) => r.imported_funcs += 1,
                            wasmparser::TypeRef::Global(_) => r.imported_globals += 1,
                            _ => {}
                        }
                    }
                }
                Payload::ExportSection(reader) => {
                    for export in reader {
                        let export = export?;
                        match export.kind {
                            ExternalKind::Func => {
                                r.kept.insert(export.index);
                                *r.references.entry(export.index).or_default() += 1;
                            }
                            ExternalKind::Global if LINKER_GLOBALS.contains(&export.name) => {
                                linker_globals.insert(export.index);
                            }
                            ExternalKind::Global => {
                                read_globals.insert(export.index);
                            }
                            _ => {}
                        }
                    }
                }
                Payload::GlobalSection(reader) => globals = reader.count(),
                Payload::StartSection { func, .. } => {
                    r.kept.insert(func);
                    *r.references.entry(func).or_default() += 1;
                }
                Payload::ElementSection(reader) => {
                    for element in reader {
                        match element?.items {
                            ElementItems::Functions(funcs) => {
                                for f in funcs {
                                    let f = f?;
                                    r.kept.insert(f);
                                    *r.references.entry(f).or_default() += 1;
                                }
                            }
                            ElementItems::Expressions(..) => r.keep_all = true,
                        }
                    }
                }
                Payload::CodeSectionEntry(body) => {
                    let index = r.imported_funcs + defined;
                    defined += 1;
                    let mut ops = body.get_operators_reader()?;
                    let mut list = Vec::new();
                    while !ops.eof() {
                        let op = ops.read()?;
                        match op {
                            Operator::RefFunc { function_index } => {
                                r.kept.insert(function_index);
                                *r.references.entry(function_index).or_default() += 1;
                            }
                            Operator::Call { function_index } | Operator::ReturnCall { function_index } => {
                                *r.references.entry(function_index).or_default() += 1;
                            }
                            Operator::GlobalGet { global_index } | Operator::GlobalSet { global_index } => {
                                read_globals.insert(global_index);
                            }
                            _ => {}
                        }
                        if list.len() < 4 {
                            list.push(op);
                        }
                    }
                    let no_locals = body.get_locals_reader()?.get_count() == 0;
                    let accessor = match list[..] {
                        [Operator::GlobalGet { global_index }, Operator::End] => Some(Accessor::Get(global_index)),
                        [Operator::LocalGet { local_index: 0 }, Operator::GlobalSet { global_index }, Operator::End] => {
                            Some(Accessor::Set(global_index))
                        }
                        _ => None,
                    };
                    if let (true, Some(a)) = (no_locals, accessor) {
                        r.accessors.insert(index, a);
                    }
                }
                _ => {}
            }
        }
        r.stats.accessors_removed = r.accessors.keys().filter(|&&f| r.removed(f)).count();
        // Global initialisers may read imported globals only, never these.
        let mut last = r.imported_globals + globals;
        while last > r.imported_globals && linker_globals.contains(&(last - 1)) && !read_globals.contains(&(last - 1)) {
            last -= 1;
            r.removed_globals.insert(last);
        }
        r.stats.linker_globals_removed = r.removed_globals.len();
        // A call of an accessor becomes a global instruction, not a reference.
        let mut order: Vec<u32> = (r.imported_funcs..r.imported_funcs + defined).filter(|&f| !r.removed(f)).collect();
        order.sort_by_key(|f| core::cmp::Reverse(r.references.get(f).copied().unwrap_or(0)));
        for (i, &f) in order.iter().enumerate() {
            r.new_index.insert(f, r.imported_funcs + i as u32);
        }
        r.order = order;
        Ok(r)
    }

    fn removed(&self, func: u32) -> bool {
        !self.keep_all && self.accessors.contains_key(&func) && !self.kept.contains(&func)
    }

    /// A per-function name map (locals, labels) for the functions that
    /// stay, under their new indices, sorted by them as the format wants.
    fn renumbered_indirect(&mut self, map: wasmparser::IndirectNameMap<'_>) -> Result<wasm_encoder::IndirectNameMap, reencode::Error<Infallible>> {
        let mut sorted = Vec::new();
        for naming in map {
            let naming = naming?;
            if !self.removed(naming.index) {
                sorted.push((self.function_index(naming.index)?, utils::name_map(naming.names, Ok)?));
            }
        }
        sorted.sort_by_key(|(index, _)| *index);
        let mut out = wasm_encoder::IndirectNameMap::new();
        for (index, names) in &sorted {
            out.append(*index, names);
        }
        Ok(out)
    }
}

impl Reencode for Rewriter {
    type Error = Infallible;

    fn function_index(&mut self, func: u32) -> Result<u32, reencode::Error<Self::Error>> {
        // Removed functions are never referenced (see `kept`), so this is only
        // asked of imports and of the functions that stay.
        Ok(if func < self.imported_funcs { func } else { self.new_index[&func] })
    }

    fn instruction<'a>(&mut self, op: Operator<'a>) -> Result<Instruction<'a>, reencode::Error<Self::Error>> {
        if let Operator::Call { function_index } = op {
            if let Some(a) = self.accessors.get(&function_index).copied() {
                self.stats.calls_inlined += 1;
                return Ok(match a {
                    Accessor::Get(g) => Instruction::GlobalGet(self.global_index(g)?),
                    Accessor::Set(g) => Instruction::GlobalSet(self.global_index(g)?),
                });
            }
        }
        utils::instruction(self, op)
    }

    fn parse_export(
        &mut self,
        exports: &mut wasm_encoder::ExportSection,
        export: wasmparser::Export<'_>,
    ) -> Result<(), reencode::Error<Self::Error>> {
        if export.kind == ExternalKind::Global && LINKER_GLOBALS.contains(&export.name) {
            return Ok(());
        }
        utils::parse_export(self, exports, export)
    }

    fn parse_global_section(
        &mut self,
        globals: &mut wasm_encoder::GlobalSection,
        section: wasmparser::GlobalSectionReader<'_>,
    ) -> Result<(), reencode::Error<Self::Error>> {
        for (i, global) in section.into_iter().enumerate() {
            let global = global?;
            if !self.removed_globals.contains(&(self.imported_globals + i as u32)) {
                self.parse_global(globals, global)?;
            }
        }
        Ok(())
    }

    /// Names (in builds that keep them, for profiling) follow their
    /// functions and globals: those removed lose theirs, and the function
    /// maps are re-sorted by the new indices, as the format wants.
    fn parse_custom_name_subsection(
        &mut self,
        names: &mut wasm_encoder::NameSection,
        section: wasmparser::Name<'_>,
    ) -> Result<(), reencode::Error<Self::Error>> {
        match section {
            wasmparser::Name::Function(map) => {
                let mut sorted = Vec::new();
                for naming in map {
                    let naming = naming?;
                    if !self.removed(naming.index) {
                        sorted.push((self.function_index(naming.index)?, naming.name));
                    }
                }
                sorted.sort_by_key(|&(index, _)| index);
                let mut out = wasm_encoder::NameMap::new();
                for (index, name) in sorted {
                    out.append(index, name);
                }
                names.functions(&out);
            }
            wasmparser::Name::Local(map) => names.locals(&self.renumbered_indirect(map)?),
            wasmparser::Name::Label(map) => names.labels(&self.renumbered_indirect(map)?),
            wasmparser::Name::Global(map) => {
                let mut out = wasm_encoder::NameMap::new();
                for naming in map {
                    let naming = naming?;
                    if !self.removed_globals.contains(&naming.index) {
                        out.append(naming.index, naming.name);
                    }
                }
                names.globals(&out);
            }
            other => utils::parse_custom_name_subsection(self, names, other)?,
        }
        Ok(())
    }

    fn parse_function_section(
        &mut self,
        functions: &mut wasm_encoder::FunctionSection,
        section: wasmparser::FunctionSectionReader<'_>,
    ) -> Result<(), reencode::Error<Self::Error>> {
        let types = section.into_iter().collect::<Result<Vec<u32>, _>>()?;
        for f in self.order.clone() {
            functions.function(self.type_index(types[(f - self.imported_funcs) as usize])?);
        }
        Ok(())
    }

    fn parse_code_section(
        &mut self,
        code: &mut wasm_encoder::CodeSection,
        section: wasmparser::CodeSectionReader<'_>,
    ) -> Result<(), reencode::Error<Self::Error>> {
        let bodies = section.into_iter().collect::<Result<Vec<_>, _>>()?;
        for f in self.order.clone() {
            self.parse_function_body(code, bodies[(f - self.imported_funcs) as usize].clone())?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_encoder::{
        CodeSection, ConstExpr, EntityType, ExportKind, ExportSection, Function, FunctionSection, GlobalSection,
        GlobalType, ImportSection, Module, TypeSection, ValType,
    };

    /// Imports `f0`; defines `get` (1), `set` (2), `user` (3, calls both and
    /// the import), `exported_get` (4, an accessor that is exported) and
    /// `after` (5, calls `user`). Global 1 is the accessors' global.
    fn module() -> Vec<u8> {
        let mut m = Module::new();
        let mut types = TypeSection::new();
        types.ty().function([], []);
        types.ty().function([], [ValType::I32]);
        types.ty().function([ValType::I32], []);
        m.section(&types);
        let mut imports = ImportSection::new();
        imports.import("host", "f0", EntityType::Function(0));
        m.section(&imports);
        let mut funcs = FunctionSection::new();
        for ty in [1, 2, 0, 1, 0] {
            funcs.function(ty);
        }
        m.section(&funcs);
        let mut globals = GlobalSection::new();
        for _ in 0..2 {
            globals.global(GlobalType { val_type: ValType::I32, mutable: true, shared: false }, &ConstExpr::i32_const(0));
        }
        m.section(&globals);
        let mut exports = ExportSection::new();
        exports.export("user", ExportKind::Func, 3);
        exports.export("exported_get", ExportKind::Func, 4);
        m.section(&exports);
        let mut code = CodeSection::new();
        code.function(&body(&[Instruction::GlobalGet(1)]));
        code.function(&body(&[Instruction::LocalGet(0), Instruction::GlobalSet(1)]));
        code.function(&body(&[
            Instruction::Call(1),
            Instruction::I32Const(1),
            Instruction::I32Add,
            Instruction::Call(2),
            Instruction::Call(0),
            Instruction::Call(4),
            Instruction::Drop,
        ]));
        code.function(&body(&[Instruction::GlobalGet(1)]));
        code.function(&body(&[Instruction::Call(3)]));
        m.section(&code);
        m.finish()
    }

    /// A function without locals running `ins`.
    fn body(ins: &[Instruction]) -> Function {
        let mut f = Function::new([]);
        for i in ins {
            f.instruction(i);
        }
        f.instruction(&Instruction::End);
        f
    }

    fn exports_of(wasm: &[u8]) -> Vec<(String, u32)> {
        Parser::new(0)
            .parse_all(wasm)
            .filter_map(|p| match p.unwrap() {
                Payload::ExportSection(r) => Some(r.into_iter().map(|e| e.unwrap()).map(|e| (e.name.to_string(), e.index)).collect::<Vec<_>>()),
                _ => None,
            })
            .flatten()
            .collect()
    }

    fn bodies(wasm: &[u8]) -> Vec<Vec<String>> {
        let mut out = Vec::new();
        for payload in Parser::new(0).parse_all(wasm) {
            if let Payload::CodeSectionEntry(body) = payload.unwrap() {
                let mut ops = body.get_operators_reader().unwrap();
                let mut list = Vec::new();
                while !ops.eof() {
                    list.push(format!("{:?}", ops.read().unwrap()));
                }
                out.push(list);
            }
        }
        out
    }

    #[test]
    fn accessor_calls_become_global_instructions() {
        let (out, stats) = finish(&module()).unwrap();
        // `get` and `set` go; the exported accessor stays but its call is inlined too.
        assert_eq!(stats, Stats { calls_inlined: 3, accessors_removed: 2, linker_globals_removed: 0 });
        let b = bodies(&out);
        assert_eq!(b.len(), 3);
        assert_eq!(
            b[0],
            [
                "GlobalGet { global_index: 1 }",
                "I32Const { value: 1 }",
                "I32Add",
                "GlobalSet { global_index: 1 }",
                "Call { function_index: 0 }",
                "GlobalGet { global_index: 1 }",
                "Drop",
                "End"
            ]
        );
        // Indices after the removed functions move down by two.
        assert_eq!(b[2], ["Call { function_index: 1 }", "End"]);
        assert_eq!(exports_of(&out), [("user".to_string(), 1), ("exported_get".to_string(), 2)]);
    }

    #[test]
    fn padded_lebs_are_shortened() {
        // One function: `call 0` with the index padded to five bytes, as
        // wasm-ld leaves a relocated operand.
        let with_body = |body: &[u8]| {
            let mut m = Module::new();
            let mut types = TypeSection::new();
            types.ty().function([], []);
            m.section(&types);
            let mut imports = ImportSection::new();
            imports.import("host", "f0", EntityType::Function(0));
            m.section(&imports);
            let mut funcs = FunctionSection::new();
            funcs.function(0);
            m.section(&funcs);
            let mut code = CodeSection::new();
            code.raw(body);
            m.section(&code);
            m.finish()
        };
        let padded = with_body(&[0x00, 0x10, 0x80, 0x80, 0x80, 0x80, 0x00, 0x0b]);
        let shortest = with_body(&[0x00, 0x10, 0x00, 0x0b]);
        let (out, _) = finish(&padded).unwrap();
        assert_eq!(out, shortest);
    }

    /// A module with globals `[mutable, __data_end, __heap_base]`, all three
    /// exported, and one function whose body is `body`.
    fn with_linker_globals(ins: &[Instruction]) -> Vec<u8> {
        let mut m = Module::new();
        let mut types = TypeSection::new();
        types.ty().function([], []);
        m.section(&types);
        let mut funcs = FunctionSection::new();
        funcs.function(0);
        m.section(&funcs);
        let mut globals = GlobalSection::new();
        for mutable in [true, false, false] {
            globals.global(GlobalType { val_type: ValType::I32, mutable, shared: false }, &ConstExpr::i32_const(1024));
        }
        m.section(&globals);
        let mut exports = ExportSection::new();
        exports.export("f", ExportKind::Func, 0);
        exports.export("g", ExportKind::Global, 0);
        exports.export("__data_end", ExportKind::Global, 1);
        exports.export("__heap_base", ExportKind::Global, 2);
        m.section(&exports);
        let mut code = CodeSection::new();
        code.function(&body(ins));
        m.section(&code);
        m.finish()
    }

    fn exports_and_globals(wasm: &[u8]) -> (Vec<String>, u32) {
        let mut names = Vec::new();
        let mut globals = 0;
        for payload in Parser::new(0).parse_all(wasm) {
            match payload.unwrap() {
                Payload::ExportSection(r) => names.extend(r.into_iter().map(|e| e.unwrap().name.to_string())),
                Payload::GlobalSection(r) => globals = r.count(),
                _ => {}
            }
        }
        (names, globals)
    }

    #[test]
    fn linker_globals_go_with_their_exports() {
        let (out, stats) = finish(&with_linker_globals(&[])).unwrap();
        assert_eq!(stats.linker_globals_removed, 2);
        assert_eq!(exports_and_globals(&out), (vec!["f".to_string(), "g".to_string()], 1));
    }

    #[test]
    fn a_linker_global_that_code_reads_stays_unexported() {
        // `__data_end` is read, so it stays, and `__heap_base` after it stays
        // too: removing only trailing globals keeps every index.
        let (out, stats) = finish(&with_linker_globals(&[Instruction::GlobalGet(1), Instruction::Drop])).unwrap();
        assert_eq!(stats.linker_globals_removed, 1);
        assert_eq!(exports_and_globals(&out), (vec!["f".to_string(), "g".to_string()], 2));
        assert_eq!(bodies(&out)[0], ["GlobalGet { global_index: 1 }", "Drop", "End"]);
        let (out, stats) = finish(&with_linker_globals(&[Instruction::GlobalGet(2), Instruction::Drop])).unwrap();
        assert_eq!(stats.linker_globals_removed, 0);
        assert_eq!(exports_and_globals(&out), (vec!["f".to_string(), "g".to_string()], 3));
    }

    #[test]
    fn the_most_referenced_functions_come_first() {
        // Defined: `a` (1, exported), `b` (2, called twice by `c`), `c` (3,
        // called by `a`); `b` moves first, then `a` and `c` (one reference
        // each) keep their order.
        let mut m = Module::new();
        let mut types = TypeSection::new();
        types.ty().function([], []);
        types.ty().function([], [ValType::I32]);
        m.section(&types);
        let mut imports = ImportSection::new();
        imports.import("host", "f0", EntityType::Function(0));
        m.section(&imports);
        let mut funcs = FunctionSection::new();
        for ty in [0, 1, 0] {
            funcs.function(ty);
        }
        m.section(&funcs);
        let mut exports = ExportSection::new();
        exports.export("a", ExportKind::Func, 1);
        m.section(&exports);
        let mut code = CodeSection::new();
        code.function(&body(&[Instruction::Call(3)]));
        code.function(&body(&[Instruction::I32Const(7)]));
        code.function(&body(&[Instruction::Call(2), Instruction::Call(2), Instruction::I32Add, Instruction::Drop, Instruction::Call(0)]));
        m.section(&code);
        let (out, _) = finish(&m.finish()).unwrap();
        assert_eq!(
            bodies(&out),
            [
                vec!["I32Const { value: 7 }", "End"],
                vec!["Call { function_index: 3 }", "End"],
                vec!["Call { function_index: 1 }", "Call { function_index: 1 }", "I32Add", "Drop", "Call { function_index: 0 }", "End"],
            ]
        );
        assert_eq!(exports_of(&out), [("a".to_string(), 2)]);
    }

    #[test]
    fn names_follow_their_functions() {
        let mut wasm = module();
        let mut names = wasm_encoder::NameSection::new();
        let mut functions = wasm_encoder::NameMap::new();
        for (i, name) in ["f0", "get", "set", "user", "exported_get", "after"].iter().enumerate() {
            functions.append(i as u32, name);
        }
        names.functions(&functions);
        // Local names of `get` (removed) and of `after` (moves to 3).
        let mut locals = wasm_encoder::IndirectNameMap::new();
        for f in [1, 5] {
            let mut map = wasm_encoder::NameMap::new();
            map.append(0, "x");
            locals.append(f, &map);
        }
        names.locals(&locals);
        wasm.push(0); // a custom section's id
        wasm_encoder::Encode::encode(&wasm_encoder::CustomSection { name: "name".into(), data: names.as_custom().data }, &mut wasm);
        let (out, _) = finish(&wasm).unwrap();
        let (mut found, mut found_locals) = (Vec::new(), Vec::new());
        for payload in Parser::new(0).parse_all(&out) {
            if let Payload::CustomSection(s) = payload.unwrap() {
                if let wasmparser::KnownCustom::Name(reader) = s.as_known() {
                    for name in reader {
                        match name.unwrap() {
                            wasmparser::Name::Function(map) => {
                                found.extend(map.into_iter().map(|n| n.unwrap()).map(|n| (n.index, n.name.to_string())))
                            }
                            wasmparser::Name::Local(map) => found_locals.extend(map.into_iter().map(|n| n.unwrap().index)),
                            _ => {}
                        }
                    }
                }
            }
        }
        // `get` and `set` are gone; `user` and `exported_get` (two
        // references each) stay ahead of `after` (none).
        let expected = [(0, "f0"), (1, "user"), (2, "exported_get"), (3, "after")];
        assert_eq!(found, expected.map(|(i, n)| (i, n.to_string())));
        assert_eq!(found_locals, [3]);
    }

    #[test]
    fn invalid_input_is_refused() {
        assert!(finish(b"\0asm\x01\0\0\0\x01").is_err());
    }
}
