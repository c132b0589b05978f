//! What the checks need to know of a core module: its imports and exports,
//! each with its kind and, for functions, its core signature. Read once,
//! after the module has been validated.

use wasmparser::{ExternalKind, FuncType, Parser, Payload, TypeRef, ValType, Validator};

/// What an import or export is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A function, with its signature as [`signature`] writes it.
    Func(String),
    Memory,
    Table,
    Global,
    Tag,
}

impl Kind {
    pub(crate) fn describe(&self) -> &'static str {
        match self {
            Kind::Func(_) => "a function",
            Kind::Memory => "a memory",
            Kind::Table => "a table",
            Kind::Global => "a global",
            Kind::Tag => "a tag",
        }
    }
}

pub(crate) struct Import {
    pub module: String,
    pub name: String,
    pub kind: Kind,
}

pub(crate) struct Export {
    pub name: String,
    pub kind: Kind,
}

/// The imports and exports of a valid core module.
pub(crate) struct CoreModule {
    pub imports: Vec<Import>,
    pub exports: Vec<Export>,
}

impl CoreModule {
    /// Validates `wasm` as a core module and reads its imports and exports;
    /// the error says why it is not a valid one.
    pub(crate) fn read(wasm: &[u8]) -> Result<CoreModule, String> {
        let types = Validator::new().validate_all(wasm).map_err(|e| e.to_string())?;
        let types = types.as_ref();
        let func_signature = |index: u32| signature(types[types.core_function_at(index)].unwrap_func());
        let (mut imports, mut exports, mut imported_funcs) = (Vec::new(), Vec::new(), 0u32);
        for payload in Parser::new(0).parse_all(wasm) {
            match payload.map_err(|e| e.to_string())? {
                Payload::ImportSection(section) => {
                    for import in section.into_imports() {
                        let import = import.map_err(|e| e.to_string())?;
                        let kind = match import.ty {
                            TypeRef::Func(_) | TypeRef::FuncExact(_) => {
                                imported_funcs += 1;
                                Kind::Func(func_signature(imported_funcs - 1))
                            }
                            TypeRef::Memory(_) => Kind::Memory,
                            TypeRef::Table(_) => Kind::Table,
                            TypeRef::Global(_) => Kind::Global,
                            TypeRef::Tag(_) => Kind::Tag,
                        };
                        imports.push(Import { module: import.module.to_string(), name: import.name.to_string(), kind });
                    }
                }
                Payload::ExportSection(section) => {
                    for export in section {
                        let export = export.map_err(|e| e.to_string())?;
                        let kind = match export.kind {
                            ExternalKind::Func | ExternalKind::FuncExact => Kind::Func(func_signature(export.index)),
                            ExternalKind::Memory => Kind::Memory,
                            ExternalKind::Table => Kind::Table,
                            ExternalKind::Global => Kind::Global,
                            ExternalKind::Tag => Kind::Tag,
                        };
                        exports.push(Export { name: export.name.to_string(), kind });
                    }
                }
                _ => {}
            }
        }
        Ok(CoreModule { imports, exports })
    }

    pub(crate) fn export(&self, name: &str) -> Option<&Export> {
        self.exports.iter().find(|e| e.name == name)
    }

    pub(crate) fn exports_function(&self, name: &str) -> bool {
        self.export(name).is_some_and(|e| matches!(e.kind, Kind::Func(_)))
    }
}

/// A core signature as a person reads it: `(i32, i64) -> i32`.
pub(crate) fn signature(ty: &FuncType) -> String {
    let list = |types: &[ValType]| types.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ");
    join_signature(&list(ty.params()), &list(ty.results()))
}

/// The same, from the codes of `verify::PREVIEW1` (`i` = i32, `I` = i64).
pub(crate) fn signature_from_codes(params: &str, results: &str) -> String {
    let list = |codes: &str| {
        codes.chars().map(|c| if c == 'I' { "i64" } else { "i32" }).collect::<Vec<_>>().join(", ")
    };
    join_signature(&list(params), &list(results))
}

fn join_signature(params: &str, results: &str) -> String {
    match results {
        "" => format!("({params})"),
        _ if results.contains(',') => format!("({params}) -> ({results})"),
        _ => format!("({params}) -> {results}"),
    }
}
