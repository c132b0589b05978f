//! Pruning of the encoded WIT world (the `component-type` custom section).
//!
//! `wit-bindgen` encodes every interface the world imports whole: every
//! function and type of `wasi:filesystem/types`, `wasi:io/streams`, ...
//! `wit-component` needs only the functions the adapter really imports (and
//! the types they mention): from those it builds the fused component's
//! imports, which list only what is used anyway. So the section is decoded,
//! each imported interface keeps just the functions the module imports, the
//! resources it drops and the types these reach (a `use`d type keeps its
//! type in the interface it comes from), and interfaces left empty leave the
//! world. The world's exports stay whole.
//! The WIT files themselves are untouched: this is done to the built module.

use std::collections::{HashMap, HashSet};

use anyhow::{bail, Context, Result};
use wit_parser::{Handle, InterfaceId, Resolve, Type, TypeDefKind, TypeId, WorldItem};

/// The functions a module imports: import module name → field names.
pub type Imports = HashMap<String, HashSet<String>>;

/// Re-encodes the custom section `data` for a module whose imports are `imports`.
pub fn prune(data: &[u8], imports: &Imports) -> Result<Vec<u8>> {
    check_utf8(data)?;
    // The world itself, under its own name (`wasi-p1-adapter:worlds/...`).
    // Not `wit_component::metadata::decode`: that merges it into a world
    // named `root:root/root`, and newer wit-component releases refuse an
    // adapter whose world has that name when they merge it with the
    // program's (wasm-tools 1.262: "world contains different number of
    // imports than expected").
    let (mut resolve, world) = wit_parser::decoding::decode_world(data).context("decoding the encoded world")?;

    let interfaces: Vec<InterfaceId> = resolve.worlds[world]
        .imports
        .values()
        .filter_map(|item| match item {
            WorldItem::Interface { id, .. } => Some(*id),
            _ => None,
        })
        .collect();

    // What the module uses of each interface, and every type that reaches.
    let mut live_types = HashSet::new();
    let mut used_functions: HashMap<InterfaceId, HashSet<String>> = HashMap::new();
    for &id in &interfaces {
        let name = resolve.id_of(id).context("an imported interface without a name")?;
        let fields = imports.get(&name).cloned().unwrap_or_default();
        let iface = &resolve.interfaces[id];
        let mut seeds = Vec::new();
        for (fname, func) in &iface.functions {
            if fields.contains(fname) {
                seeds.extend(func.params.iter().map(|(_, t)| *t));
                seeds.extend(func.result);
            }
        }
        for field in &fields {
            if let Some(resource) = field.strip_prefix("[resource-drop]") {
                let ty = iface.types.get(resource).with_context(|| format!("`{name}` has no resource `{resource}`"))?;
                seeds.push(Type::Id(*ty));
            }
        }
        for ty in seeds {
            mark(&resolve, ty, &mut live_types);
        }
        used_functions.insert(id, fields);
    }

    for &id in &interfaces {
        let fields = &used_functions[&id];
        let iface = &mut resolve.interfaces[id];
        iface.functions.retain(|name, _| fields.contains(name));
        iface.types.retain(|_, ty| live_types.contains(ty));
    }
    let emptied: HashSet<InterfaceId> = interfaces
        .iter()
        .copied()
        .filter(|id| resolve.interfaces[*id].functions.is_empty() && resolve.interfaces[*id].types.is_empty())
        .collect();
    resolve.worlds[world].imports.retain(|_, item| !matches!(item, WorldItem::Interface { id, .. } if emptied.contains(id)));

    let encoded = wit_component::metadata::encode(&resolve, world, wit_component::StringEncoding::UTF8, None)?;
    without_producers(&encoded)
}

/// `encode` names the wit-component release that encoded the world in a
/// `producers` section: ~40 bytes that no tool reads from an adapter.
fn without_producers(component: &[u8]) -> Result<Vec<u8>> {
    let mut out = wasm_encoder::Component::new();
    for payload in wasmparser::Parser::new(0).parse_all(component) {
        let payload = payload.context("reading the encoded world")?;
        if matches!(&payload, wasmparser::Payload::CustomSection(s) if s.name() == "producers") {
            continue;
        }
        if let Some((id, range)) = payload.as_section() {
            out.section(&wasm_encoder::RawSection { id, data: &component[range] });
        }
    }
    Ok(out.finish())
}

/// Marks `ty` and every type it mentions as live.
fn mark(resolve: &Resolve, ty: Type, live: &mut HashSet<TypeId>) {
    let Type::Id(id) = ty else { return };
    if !live.insert(id) {
        return;
    }
    let mut each = |t: &Type| mark(resolve, *t, live);
    match &resolve.types[id].kind {
        TypeDefKind::Record(r) => r.fields.iter().for_each(|f| each(&f.ty)),
        TypeDefKind::Variant(v) => v.cases.iter().filter_map(|c| c.ty.as_ref()).for_each(each),
        TypeDefKind::Tuple(t) => t.types.iter().for_each(each),
        TypeDefKind::Option(t) | TypeDefKind::List(t) | TypeDefKind::FixedSizeList(t, _) | TypeDefKind::Type(t) => each(t),
        TypeDefKind::Result(r) => r.ok.iter().chain(r.err.iter()).for_each(each),
        TypeDefKind::Future(t) | TypeDefKind::Stream(t) => t.iter().for_each(each),
        TypeDefKind::Handle(Handle::Own(r) | Handle::Borrow(r)) => each(&Type::Id(*r)),
        TypeDefKind::Resource | TypeDefKind::Flags(_) | TypeDefKind::Enum(_) | TypeDefKind::Unknown => {}
    }
}

/// The section must say its strings are UTF-8, the only encoding the
/// adapter's imports use; [`prune`] writes it back so.
fn check_utf8(data: &[u8]) -> Result<()> {
    for payload in wasmparser::Parser::new(0).parse_all(data) {
        if let wasmparser::Payload::CustomSection(s) = payload.context("reading the encoded world")? {
            if s.name() == "wit-component-encoding" {
                if s.data() != [0x04, 0x00] {
                    bail!("the encoded world is not in version 4 with UTF-8 strings: {:?}", s.data());
                }
                return Ok(());
            }
        }
    }
    bail!("the encoded world has no `wit-component-encoding` section")
}

/// `wasm` with every `component-type` custom section pruned (see [`prune`])
/// for the functions it imports and named just `component-type`; sections
/// keep their order.
pub fn prune_module(wasm: &[u8]) -> Result<Vec<u8>> {
    let mut imports = Imports::new();
    for payload in wasmparser::Parser::new(0).parse_all(wasm) {
        if let wasmparser::Payload::ImportSection(reader) = payload? {
            for import in reader {
                let import = import?;
                if matches!(import.ty, wasmparser::TypeRef::Func(_)) {
                    imports.entry(import.module.to_string()).or_default().insert(import.name.to_string());
                }
            }
        }
    }
    let mut module = wasm_encoder::Module::new();
    for payload in wasmparser::Parser::new(0).parse_all(wasm) {
        let payload = payload?;
        match &payload {
            wasmparser::Payload::CustomSection(s) if s.name().starts_with("component-type") => {
                let data = prune(s.data(), &imports).with_context(|| format!("pruning custom section `{}`", s.name()))?;
                // The prefix is all `wit-component` looks for; the rest of
                // the name (generator, version, world) is ~65 bytes in every
                // fused component.
                module.section(&wasm_encoder::CustomSection { name: "component-type".into(), data: data.into() });
            }
            _ => {
                if let Some((id, range)) = payload.as_section() {
                    module.section(&wasm_encoder::RawSection { id, data: &wasm[range] });
                }
            }
        }
    }
    Ok(module.finish())
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_encoder::{EntityType, ImportSection, Module, TypeSection, ValType};

    const WIT: &str = r#"
        package t:io@0.1.0;
        interface streams {
            resource output-stream {
                write: func(bytes: list<u8>) -> result<_, stream-error>;
                flush: func();
            }
            variant stream-error { closed, failed(string) }
            record unused-record { a: u32 }
        }
        interface clock {
            record datetime { seconds: u64 }
            now: func() -> datetime;
        }
        interface fs {
            use streams.{output-stream};
            use clock.{datetime};
            resource descriptor {
                write-via-stream: func() -> output-stream;
                set-times: func(t: datetime);
            }
            enum error-code { access, busy }
            stat: func() -> result<u64, error-code>;
        }
        interface unused { f: func(); }
        world w {
            import fs;
            import unused;
        }
    "#;

    /// An encoded world of [`WIT`] and a module importing `imports` from it.
    fn module(imports: &[(&str, &str)]) -> Vec<u8> {
        let mut resolve = Resolve::default();
        let pkg = resolve.push_str("t.wit", WIT).unwrap();
        let world = resolve.select_world(&[pkg], Some("w")).unwrap();
        let data = wit_component::metadata::encode(&resolve, world, wit_component::StringEncoding::UTF8, None).unwrap();
        let mut module = Module::new();
        let mut types = TypeSection::new();
        types.ty().function([ValType::I32], []);
        module.section(&types);
        let mut section = ImportSection::new();
        for (m, n) in imports {
            section.import(m, n, EntityType::Function(0));
        }
        module.section(&section);
        module.section(&wasm_encoder::CustomSection { name: "component-type:long name".into(), data: data.into() });
        module.finish()
    }

    /// The world in `wasm`'s `component-type` section, as WIT.
    fn world_of(wasm: &[u8]) -> String {
        let (_, bindgen) = wit_component::metadata::decode(wasm).unwrap();
        let mut printer = wit_component::WitPrinter::default();
        let mut out = String::new();
        for (id, _) in bindgen.resolve.packages.iter() {
            printer.print(&bindgen.resolve, id, &[]).unwrap();
            out += &printer.output.to_string();
            printer.output = Default::default();
        }
        out
    }

    #[test]
    fn keeps_only_imported_functions_and_the_types_they_reach() {
        let wasm = module(&[
            ("t:io/fs@0.1.0", "[method]descriptor.write-via-stream"),
            ("t:io/fs@0.1.0", "[resource-drop]descriptor"),
            ("t:io/streams@0.1.0", "[method]output-stream.write"),
        ]);
        let before = world_of(&wasm);
        let pruned = prune_module(&wasm).unwrap();
        let after = world_of(&pruned);
        for gone in ["unused-record", "flush", "set-times", "error-code", "stat", "interface unused", "interface clock", "now"] {
            assert!(before.contains(gone), "{gone} in the original:\n{before}");
            assert!(!after.contains(gone), "{gone} survived:\n{after}");
        }
        for kept in ["write-via-stream", "resource descriptor", "resource output-stream", "variant stream-error", "write: func"] {
            assert!(after.contains(kept), "{kept} lost:\n{after}");
        }
        assert!(pruned.len() < wasm.len());
        // `wit-component` finds it by prefix.
        let names: Vec<String> = wasmparser::Parser::new(0)
            .parse_all(&pruned)
            .filter_map(|p| match p.unwrap() {
                wasmparser::Payload::CustomSection(s) => Some(s.name().to_string()),
                _ => None,
            })
            .collect();
        assert_eq!(names, ["component-type"]);
    }

    #[test]
    fn a_used_type_keeps_the_interface_it_comes_from() {
        let wasm = module(&[("t:io/fs@0.1.0", "[method]descriptor.set-times")]);
        let after = world_of(&prune_module(&wasm).unwrap());
        assert!(after.contains("interface clock") && after.contains("record datetime"), "{after}");
        assert!(!after.contains("now: func"), "{after}");
        assert!(!after.contains("interface streams"), "{after}");
    }

    /// wit-component merges the adapter's world into the program's, which is
    /// `root:root/root` when the program carries none: a pruned world under
    /// that name is refused by newer releases (wasm-tools 1.262), so it must
    /// keep its own package and name.
    #[test]
    fn the_world_keeps_its_package_and_name() {
        let pruned = prune_module(&module(&[("t:io/fs@0.1.0", "[resource-drop]descriptor")])).unwrap();
        let data = wasmparser::Parser::new(0)
            .parse_all(&pruned)
            .find_map(|p| match p.unwrap() {
                wasmparser::Payload::CustomSection(s) if s.name() == "component-type" => Some(s.data().to_vec()),
                _ => None,
            })
            .unwrap();
        let (resolve, world) = wit_parser::decoding::decode_world(&data).unwrap();
        let world = &resolve.worlds[world];
        assert_eq!(resolve.id_of_name(world.package.unwrap(), &world.name), "t:io/w@0.1.0");
    }
}
