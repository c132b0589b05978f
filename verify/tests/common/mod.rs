//! Builds small adapter-shaped modules with `wasm-encoder`: [`Adapter::valid`]
//! is a module `verify` accepts, and tests edit one field to add one defect.

#![allow(dead_code)] // each test crate uses a different part

use std::borrow::Cow;
use std::collections::HashMap;

use verify::{Variant, IMPORT_REALLOC, PREVIEW1, RUN_EXPORT};
use wasm_encoder::{
    CodeSection, Component, ConstExpr, CustomSection, DataCountSection, DataSection, Elements, EntityType,
    ExportKind, ExportSection, Function, FunctionSection, GlobalSection, GlobalType, ImportSection, Instruction,
    MemorySection, MemoryType, Module, NameMap, NameSection, RefType, StartSection, TableSection, TableType,
    TagKind, TagSection, TagType, TypeSection, ValType,
};

use ValType::{I32, I64};

/// A core function signature.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Sig(pub Vec<ValType>, pub Vec<ValType>);

impl Sig {
    /// From `verify`'s notation: `i` = i32, `I` = i64.
    pub fn parse(params: &str, results: &str) -> Sig {
        let types = |s: &str| s.chars().map(|c| if c == 'I' { I64 } else { I32 }).collect();
        Sig(types(params), types(results))
    }
}

/// What an import brings in.
#[derive(Clone)]
pub enum Kind {
    Func(Sig),
    Memory,
    Table,
    Global(ValType, bool),
    Tag,
}

#[derive(Clone)]
pub struct Func {
    pub sig: Sig,
    /// The body without the final `end`.
    pub body: Vec<Instruction<'static>>,
}

#[derive(Clone)]
pub struct Adapter {
    pub imports: Vec<(String, String, Kind)>,
    /// Defined functions; their indices follow the imported ones.
    pub funcs: Vec<Func>,
    pub tables: Vec<TableType>,
    pub memories: Vec<MemoryType>,
    pub tags: u32,
    /// Type, mutability and initial value of each defined global.
    pub globals: Vec<(ValType, bool, i32)>,
    /// Exports; the index is the position among the *defined* items of its
    /// kind, so that adding an import does not move them.
    pub exports: Vec<(String, ExportKind, u32)>,
    pub start: Option<u32>,
    /// Functions an active element segment puts into table 0.
    pub elements: Option<Vec<u32>>,
    pub data: Option<Vec<u8>>,
    pub data_count: Option<u32>,
    /// A `name` section naming global 0 `__stack_pointer`, as wasm-ld writes it.
    pub name_section: bool,
    pub customs: Vec<(String, Vec<u8>)>,
}

/// The wasm-ld `__stack_pointer` global of [`Adapter::valid`].
pub const STACK_POINTER: u32 = 0;

/// `unreachable`-free trivial body for a signature: returns zeros.
fn zeros(sig: &Sig) -> Vec<Instruction<'static>> {
    sig.1
        .iter()
        .map(|t| if *t == I64 { Instruction::I64Const(0) } else { Instruction::I32Const(0) })
        .collect()
}

/// A tiny component that carries what an encoded world needs for `verify`:
/// the `wit-component-encoding` custom section, format 4, UTF-8.
pub fn encoded_world() -> Vec<u8> {
    let mut component = Component::new();
    component.section(&CustomSection { name: "wit-component-encoding".into(), data: Cow::Borrowed(&[4, 0]) });
    component.finish()
}

impl Adapter {
    /// A module of the shape of a real adapter that `verify` accepts: imports
    /// `env.memory` (+ `_start` for command) and one WASI function, exports the
    /// 46 preview1 functions, `cabi_import_realloc` (+ `run` for command) and
    /// wasm-ld's `__data_end`/`__heap_base`, has a dead `(table 1 1 funcref)`
    /// and a `component-type:x` section.
    pub fn valid(variant: Variant) -> Adapter {
        let mut a = Adapter {
            imports: vec![("env".into(), "memory".into(), Kind::Memory)],
            funcs: Vec::new(),
            tables: vec![TableType {
                element_type: RefType::FUNCREF,
                table64: false,
                minimum: 1,
                maximum: Some(1),
                shared: false,
            }],
            memories: Vec::new(),
            tags: 0,
            globals: vec![(I32, true, 0), (I32, false, 1024), (I32, false, 1024)],
            exports: vec![
                ("__data_end".into(), ExportKind::Global, 1),
                ("__heap_base".into(), ExportKind::Global, 2),
            ],
            start: None,
            elements: None,
            data: None,
            data_count: None,
            name_section: false,
            customs: vec![("component-type:x".into(), encoded_world())],
        };
        if variant == Variant::Command {
            a.import("__main_module__", "_start", Kind::Func(Sig(vec![], vec![])));
        }
        let get_stdout = a.import("wasi:cli/stdout@0.2.0", "get-stdout", Kind::Func(Sig(vec![], vec![I32])));
        for f in PREVIEW1 {
            a.export_func(f.name, Sig::parse(f.params, f.results), None);
        }
        // fd_write has a stack frame and calls an import, like the real one.
        a.func_mut("fd_write").body = vec![
            Instruction::GlobalGet(STACK_POINTER),
            Instruction::I32Const(32),
            Instruction::I32Sub,
            Instruction::GlobalSet(STACK_POINTER),
            Instruction::Call(get_stdout),
            Instruction::Drop,
            Instruction::GlobalGet(STACK_POINTER),
            Instruction::I32Const(32),
            Instruction::I32Add,
            Instruction::GlobalSet(STACK_POINTER),
            Instruction::I32Const(0),
        ];
        a.export_func(IMPORT_REALLOC, Sig::parse("iiii", "i"), None);
        if variant == Variant::Command {
            a.export_func(RUN_EXPORT, Sig::parse("", "i"), Some(vec![Instruction::Call(0), Instruction::I32Const(0)]));
        }
        a
    }

    pub fn imported_funcs(&self) -> u32 {
        self.imports.iter().filter(|(_, _, k)| matches!(k, Kind::Func(_))).count() as u32
    }

    /// How many imports there are of the kind `kind` exports.
    fn imported(&self, kind: ExportKind) -> u32 {
        let count = |f: fn(&Kind) -> bool| self.imports.iter().filter(|(_, _, k)| f(k)).count() as u32;
        match kind {
            ExportKind::Func => count(|k| matches!(k, Kind::Func(_))),
            ExportKind::Table => count(|k| matches!(k, Kind::Table)),
            ExportKind::Memory => count(|k| matches!(k, Kind::Memory)),
            ExportKind::Global => count(|k| matches!(k, Kind::Global(..))),
            ExportKind::Tag => count(|k| matches!(k, Kind::Tag)),
        }
    }

    /// Adds an import; returns its index in its own index space.
    pub fn import(&mut self, module: &str, name: &str, kind: Kind) -> u32 {
        let same = |k: &Kind| std::mem::discriminant(k) == std::mem::discriminant(&kind);
        let index = self.imports.iter().filter(|(_, _, k)| same(k)).count() as u32;
        self.imports.push((module.into(), name.into(), kind));
        index
    }

    /// Adds a function (with zero results if `body` is `None`); returns its index.
    pub fn func(&mut self, sig: Sig, body: Option<Vec<Instruction<'static>>>) -> u32 {
        let body = body.unwrap_or_else(|| zeros(&sig));
        self.funcs.push(Func { sig, body });
        self.imported_funcs() + self.funcs.len() as u32 - 1
    }

    /// Adds a function and exports it; returns its index.
    pub fn export_func(&mut self, name: &str, sig: Sig, body: Option<Vec<Instruction<'static>>>) -> u32 {
        let index = self.func(sig, body);
        self.exports.push((name.into(), ExportKind::Func, self.funcs.len() as u32 - 1));
        index
    }

    /// Index of the function exported as `name`.
    pub fn func_index(&self, name: &str) -> u32 {
        self.imported_funcs() + self.defined(name)
    }

    fn defined(&self, name: &str) -> u32 {
        self.exports.iter().find(|(n, k, _)| n == name && *k == ExportKind::Func).expect(name).2
    }

    /// The defined function exported as `name`.
    pub fn func_mut(&mut self, name: &str) -> &mut Func {
        let index = self.defined(name) as usize;
        &mut self.funcs[index]
    }

    pub fn remove_export(&mut self, name: &str) {
        self.exports.retain(|(n, _, _)| n != name);
    }

    pub fn remove_import(&mut self, module: &str, name: &str) {
        self.imports.retain(|(m, n, _)| !(m == module && n == name));
    }

    /// The type index of `sig` in the encoded module.
    pub fn type_index(&self, sig: &Sig) -> u32 {
        self.types().0[sig]
    }

    /// Every signature used, in order of first use.
    fn types(&self) -> (HashMap<Sig, u32>, Vec<Sig>) {
        let mut index = HashMap::new();
        let mut list = Vec::new();
        let tag = Sig(vec![], vec![]);
        let sigs = self
            .imports
            .iter()
            .filter_map(|(_, _, k)| match k {
                Kind::Func(s) => Some(s),
                Kind::Tag => Some(&tag),
                _ => None,
            })
            .chain(self.funcs.iter().map(|f| &f.sig))
            .chain(std::iter::once(&tag));
        for sig in sigs {
            if !index.contains_key(sig) {
                index.insert(sig.clone(), list.len() as u32);
                list.push(sig.clone());
            }
        }
        (index, list)
    }

    pub fn encode(&self) -> Vec<u8> {
        let (type_of, sigs) = self.types();
        let tag_type = TagType { kind: TagKind::Exception, func_type_idx: type_of[&Sig(vec![], vec![])] };
        let mut module = Module::new();

        let mut types = TypeSection::new();
        for Sig(params, results) in &sigs {
            types.ty().function(params.iter().copied(), results.iter().copied());
        }
        module.section(&types);

        let mut imports = ImportSection::new();
        for (m, n, kind) in &self.imports {
            let ty = match kind {
                Kind::Func(sig) => EntityType::Function(type_of[sig]),
                Kind::Memory => EntityType::Memory(memory_type()),
                Kind::Table => EntityType::Table(self.tables.first().copied().unwrap_or(funcref_table())),
                Kind::Global(t, mutable) => EntityType::Global(GlobalType { val_type: *t, mutable: *mutable, shared: false }),
                Kind::Tag => EntityType::Tag(tag_type),
            };
            imports.import(m, n, ty);
        }
        module.section(&imports);

        let mut functions = FunctionSection::new();
        for f in &self.funcs {
            functions.function(type_of[&f.sig]);
        }
        module.section(&functions);

        if !self.tables.is_empty() {
            let mut tables = TableSection::new();
            for t in &self.tables {
                tables.table(*t);
            }
            module.section(&tables);
        }
        if !self.memories.is_empty() {
            let mut memories = MemorySection::new();
            for m in &self.memories {
                memories.memory(*m);
            }
            module.section(&memories);
        }
        if self.tags > 0 {
            let mut tags = TagSection::new();
            for _ in 0..self.tags {
                tags.tag(tag_type);
            }
            module.section(&tags);
        }
        let mut globals = GlobalSection::new();
        for (t, mutable, init) in &self.globals {
            let init = if *t == I64 { ConstExpr::i64_const(*init as i64) } else { ConstExpr::i32_const(*init) };
            globals.global(GlobalType { val_type: *t, mutable: *mutable, shared: false }, &init);
        }
        module.section(&globals);

        let mut exports = ExportSection::new();
        for (name, kind, index) in &self.exports {
            let index = self.imported(*kind) + index;
            exports.export(name, *kind, index);
        }
        module.section(&exports);

        if let Some(function_index) = self.start {
            module.section(&StartSection { function_index });
        }
        if let Some(funcs) = &self.elements {
            let mut elements = wasm_encoder::ElementSection::new();
            elements.active(None, &ConstExpr::i32_const(0), Elements::Functions(Cow::Borrowed(funcs)));
            module.section(&elements);
        }
        if let Some(count) = self.data_count {
            module.section(&DataCountSection { count });
        }

        let mut code = CodeSection::new();
        for f in &self.funcs {
            let mut body = Function::new([]);
            for i in &f.body {
                body.instruction(i);
            }
            body.instruction(&Instruction::End);
            code.function(&body);
        }
        module.section(&code);

        if let Some(bytes) = &self.data {
            let mut data = DataSection::new();
            data.active(0, &ConstExpr::i32_const(1024), bytes.iter().copied());
            module.section(&data);
        }
        if self.name_section {
            let mut names = NameSection::new();
            let mut globals = NameMap::new();
            globals.append(STACK_POINTER, "__stack_pointer");
            names.globals(&globals);
            module.section(&names);
        }
        for (name, data) in &self.customs {
            module.section(&CustomSection { name: name.into(), data: data.into() });
        }
        module.finish()
    }
}

fn memory_type() -> MemoryType {
    MemoryType { minimum: 0, maximum: None, memory64: false, shared: false, page_size_log2: None }
}

fn funcref_table() -> TableType {
    TableType { element_type: RefType::FUNCREF, table64: false, minimum: 1, maximum: Some(1), shared: false }
}

/// Path of a built artifact in `dist/`; fails, telling what to do, if missing.
pub fn dist(variant: Variant) -> std::path::PathBuf {
    let name = format!("{variant:?}").to_lowercase();
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../dist/wasi_snapshot_preview1.{name}.wasm"));
    assert!(path.exists(), "{} is missing: run ./build.sh first", path.display());
    path
}

pub const VARIANTS: [Variant; 3] = [Variant::Command, Variant::Reactor, Variant::Proxy];
