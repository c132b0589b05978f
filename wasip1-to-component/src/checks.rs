//! The checks a module passes before it is converted. Each one catches a
//! module that wit-component would refuse with a message about its own
//! internals, or, worse, turn into a component that does not work (a
//! `_start` nobody calls, library exports silently dropped), and says which
//! import or export is the matter and what to do about it.

use std::collections::BTreeMap;

use wit_parser::{TypeDefKind, WorldItem, WorldKey};

use crate::module::{signature_from_codes, CoreModule, Kind};
use crate::{Adapter, Error, Variant, PREVIEW1_MODULE};

/// The export of an HTTP handler: `wasi:http/incoming-handler@0.2.x#handle`.
const HANDLER_INTERFACE: &str = "wasi:http/incoming-handler@0.2.";

/// Exports that are the ABI's machinery, not a library's functions:
/// wit-component gives these a meaning of their own (`cabi_realloc`,
/// `cabi_realloc_adapter`, `cabi_export_realloc`, ...), and bindings
/// generators export more under the same prefix (wit-bindgen 0.61:
/// `cabi_realloc_wit_bindgen_0_61_1`), which nobody expects in the component.
/// `cm32p2_initialize` and `cm32p2_realloc` are the standard naming's
/// (below) `_initialize` and `cabi_realloc`.
const ABI_EXPORTS: &[&str] = &["_start", "_initialize", "canonical_abi_realloc", "cm32p2_initialize", "cm32p2_realloc"];
const ABI_EXPORT_PREFIX: &str = "cabi_";

/// The prefix of wit-component's standard core names (component-model's
/// 32-bit "cm32p2" ABI), beside the legacy ones: see [`world_export_names`].
const STANDARD_PREFIX: &str = "cm32p2";

fn is_abi_export(name: &str) -> bool {
    ABI_EXPORTS.contains(&name) || name.starts_with(ABI_EXPORT_PREFIX)
}

fn bad(message: impl Into<String>) -> Error {
    Error::BadInput(message.into())
}

/// Reads the input as a core module, refusing what is not one.
pub(crate) fn readable_module(wasm: &[u8]) -> Result<CoreModule, Error> {
    if wasmparser::Parser::is_component(wasm) {
        return Err(bad("the input is already a component, so there is nothing to convert \
                        (`wasm-tools component wit FILE` shows its world)"));
    }
    if !wasmparser::Parser::is_core_wasm(wasm) {
        let text = wasm.iter().take(64).all(|b| b.is_ascii());
        let hint = if text { " (text? convert a .wat file first: `wasm-tools parse app.wat -o app.wasm`)" } else { "" };
        return Err(bad(format!("the input is not a WebAssembly module: it does not start with the binary header `\\0asm`{hint}")));
    }
    CoreModule::read(wasm).map_err(|why| bad(format!("the input is not a valid core WebAssembly module: {why}")))
}

/// The variant a module needs, from what it exports: a program has `_start`,
/// an HTTP handler exports `wasi:http/incoming-handler`, anything else is a
/// library.
pub(crate) fn variant_from_exports(module: &CoreModule) -> Variant {
    if module.exports_function("_start") {
        Variant::Command
    } else if module.exports.iter().any(|e| is_handler(&e.name) && matches!(e.kind, Kind::Func(_))) {
        Variant::Proxy
    } else {
        Variant::Reactor
    }
}

fn is_handler(export: &str) -> bool {
    export.strip_prefix(HANDLER_INTERFACE).and_then(|rest| rest.split_once('#')).is_some_and(|(_, func)| func == "handle")
}

/// Every check, in the order a person would fix things.
pub(crate) fn everything(
    module: &CoreModule,
    wasm: &[u8],
    adapter: &CoreModule,
    choice: &Adapter,
    extra_adapters: &[(String, Vec<u8>)],
) -> Result<(), Error> {
    memory(module)?;
    preview1_imports(module, adapter, choice)?;
    // The module's own WIT world (wit-bindgen embeds it): what it names is
    // wit-component's to bind, neither an adapter's nor lost.
    let (_, world) = wit_component::metadata::decode(wasm)
        .map_err(|e| bad(format!("the module's WIT world (its `component-type` custom section) cannot be read: {e:#}")))?;
    other_imports(module, &world, extra_adapters)?;
    let adapter_runs_start = adapter.exports.iter().any(|e| e.name.starts_with("wasi:cli/run@"));
    variant(module, adapter_runs_start, choice)?;
    if !adapter_runs_start {
        library_exports(module, &world)?;
    }
    Ok(())
}

/// The adapter shares the program's memory, which wit-component finds as
/// the export `memory`.
fn memory(module: &CoreModule) -> Result<(), Error> {
    if module.export("memory").is_some_and(|e| e.kind == Kind::Memory) {
        return Ok(());
    }
    if let Some(import) = module.imports.iter().find(|i| i.kind == Kind::Memory) {
        return Err(bad(format!(
            "the module imports its memory (`{}::{}`) instead of exporting it: the adapter works in the \
             program's memory, which must be exported as `memory`; link without --import-memory",
            import.module, import.name
        )));
    }
    let other = module.exports.iter().find(|e| e.kind == Kind::Memory);
    Err(bad(match other {
        Some(e) => format!(
            "the module exports its memory as `{}`, but the adapter looks for `memory`; export it under that name",
            e.name
        ),
        None => "the module exports no memory: the adapter works in the program's memory, which must be \
                 exported as `memory` (wasm32-wasip1 toolchains do so)"
            .to_string(),
    }))
}

/// At least one preview1 import, each a function preview1 has (or one of
/// the adapter's extras) with the signature it has there.
fn preview1_imports(module: &CoreModule, adapter: &CoreModule, choice: &Adapter) -> Result<(), Error> {
    let imports: Vec<_> = module.imports.iter().filter(|i| i.module == PREVIEW1_MODULE).collect();
    if imports.is_empty() {
        let preview0 = module.imports.iter().any(|i| i.module == "wasi_unstable");
        let hint = if preview0 {
            "; it imports `wasi_unstable`, the WASI snapshot before preview1, which no adapter converts: \
             rebuild it with a toolchain that targets wasm32-wasip1"
        } else {
            ": it is not a wasm32-wasip1 program, and a module with a WIT world of its own and no WASI \
             imports converts without an adapter (`wasm-tools component new app.wasm`)"
        };
        return Err(bad(format!("the module imports nothing from `{PREVIEW1_MODULE}`{hint}")));
    }
    let from_file = matches!(choice, Adapter::File(_));
    let mut problems = Vec::new();
    for import in imports {
        let place = format!("`{PREVIEW1_MODULE}::{}`", import.name);
        let preview1 = verify::preview1_signature(&import.name).map(|(p, r)| signature_from_codes(p, r));
        let provided = adapter.export(&import.name);
        let Kind::Func(wanted) = &import.kind else {
            problems.push(format!("{place} is imported as {}, but preview1 has only functions", import.kind.describe()));
            continue;
        };
        match (provided.map(|e| &e.kind), &preview1) {
            (Some(Kind::Func(have)), _) if have == wanted => {}
            (_, Some(native)) if native != wanted => problems.push(format!(
                "{place} is imported with the signature {wanted}, but preview1's is {native}: \
                 the program was built against a wrong declaration of it"
            )),
            (Some(Kind::Func(have)), None) => problems.push(format!(
                "{place} is imported with the signature {wanted}, but the adapter exports it as {have}"
            )),
            (_, Some(_)) => problems.push(format!(
                "{place} is a preview1 function, but the {} does not export it",
                if from_file { "adapter given with --adapter" } else { "adapter" }
            )),
            (_, None) => problems.push(format!(
                "{place} is not a preview1 function (a WASI extension of another runtime, or a typo), \
                 so no adapter provides it: build the program without it"
            )),
        }
    }
    match problems.len() {
        0 => Ok(()),
        _ => Err(bad(format!("the module's preview1 imports cannot be satisfied:\n  {}", problems.join("\n  ")))),
    }
}

/// Imports from any other module need an adapter of their own (`--adapt`),
/// unless the module's WIT world describes them.
fn other_imports(module: &CoreModule, world: &wit_component::metadata::Bindgen, extra_adapters: &[(String, Vec<u8>)]) -> Result<(), Error> {
    let resolve = &world.resolve;
    let described: Vec<String> = {
        let w = &resolve.worlds[world.world];
        let imports = w.imports.keys().map(|k| resolve.name_world_key(k));
        let exports = w.exports.keys().map(|k| format!("[export]{}", resolve.name_world_key(k)));
        imports.chain(exports).chain(["$root".to_string(), "[export]$root".to_string()]).collect()
    };
    let mut unprovided: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for import in &module.imports {
        let module_name = import.module.as_str();
        let provided = module_name == PREVIEW1_MODULE
            || extra_adapters.iter().any(|(name, _)| name == module_name)
            || described.iter().any(|d| d == module_name)
            || module_name.starts_with(STANDARD_PREFIX);
        if !provided {
            unprovided.entry(module_name).or_default().push(&import.name);
        }
    }
    extra_adapters_export_what_is_imported(module, extra_adapters)?;
    let Some((first, _)) = unprovided.first_key_value() else { return Ok(()) };
    let lines: Vec<String> = unprovided
        .iter()
        .map(|(module_name, names)| {
            let names: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
            let what = if module_name.contains(':') && module_name.contains('/') {
                " (a WIT interface the module's world does not name)"
            } else {
                ""
            };
            format!("from `{module_name}`{what}: {}", names.join(", "))
        })
        .collect();
    Err(bad(format!(
        "the module imports from modules no adapter provides:\n  {}\npass an adapter for each with --adapt \
         NAME=FILE (e.g. --adapt {first}=host.wasm, a core module exporting those functions), or build the \
         program without these imports (a C program gets them from undefined symbols with -Wl,--allow-undefined)",
        lines.join("\n  ")
    )))
}

/// Each `--adapt NAME=FILE` adapter exports every function the module
/// imports from NAME, with the same signature.
fn extra_adapters_export_what_is_imported(module: &CoreModule, extra_adapters: &[(String, Vec<u8>)]) -> Result<(), Error> {
    let mut problems = Vec::new();
    for (adapter_name, bytes) in extra_adapters {
        let adapter = CoreModule::read(bytes)
            .map_err(|why| bad(format!("the adapter for `{adapter_name}` (--adapt) is not a valid core module: {why}")))?;
        for import in module.imports.iter().filter(|i| &i.module == adapter_name) {
            let place = format!("`{adapter_name}::{}`", import.name);
            match (adapter.export(&import.name).map(|e| &e.kind), &import.kind) {
                (Some(have), wanted) if have == wanted => {}
                (Some(Kind::Func(have)), Kind::Func(wanted)) => problems.push(format!(
                    "{place} is imported with the signature {wanted}, but its adapter exports it as {have}"
                )),
                (Some(have), wanted) => problems.push(format!(
                    "{place} is imported as {}, but its adapter exports {}",
                    wanted.describe(),
                    have.describe()
                )),
                (None, _) => problems.push(format!("{place} is imported, but its adapter does not export `{}`", import.name)),
            }
        }
    }
    match problems.len() {
        0 => Ok(()),
        _ => Err(bad(format!("the adapters given with --adapt do not provide what the module imports:\n  {}", problems.join("\n  ")))),
    }
}

/// A program needs the command adapter (which calls `_start`), and only a
/// program can use it.
fn variant(module: &CoreModule, adapter_runs_start: bool, choice: &Adapter) -> Result<(), Error> {
    let has_start = module.exports_function("_start");
    let chosen = match choice {
        Adapter::FromExports => return Ok(()),
        Adapter::Embedded(variant) => format!("--variant {variant}"),
        Adapter::CommandExitWithCode => "--exit-with-code".to_string(),
        Adapter::File(_) => "the adapter given with --adapter".to_string(),
    };
    if has_start && !adapter_runs_start {
        return Err(bad(format!(
            "the module exports `_start` (a program), but {chosen} is not the command adapter: the component would \
             export no `wasi:cli/run`, so `_start` would never run (a host reports \"no exported instance named \
             `wasi:cli/run@...`\"); leave out --variant (or pass --variant command)"
        )));
    }
    if !has_start && adapter_runs_start {
        let handler = variant_from_exports(module) == Variant::Proxy;
        let instead = if handler { "--variant proxy" } else { "--variant reactor" };
        return Err(bad(format!(
            "the module exports no `_start` (it is a library), but {chosen} needs one: the command adapter's \
             `wasi:cli/run` calls the program's `_start`; leave out the option (or pass {instead})"
        )));
    }
    Ok(())
}

/// A library's exports reach the component only where its WIT world names
/// them: wit-component drops every other function export without a word.
fn library_exports(module: &CoreModule, world: &wit_component::metadata::Bindgen) -> Result<(), Error> {
    let carried = world_export_names(world);
    let is_carried = |name: &str| {
        let name = name.strip_prefix("[callback]").unwrap_or(name);
        let base = ["[async-lift]", "[async-lift-stackful]"]
            .iter()
            .find_map(|prefix| name.strip_prefix(prefix))
            .unwrap_or(name);
        carried.iter().any(|c| c == base)
    };
    // A legacy post-return (`cabi_post_*`) is ABI machinery: carried with its
    // world function, and with none it has nothing to do. A standard one
    // (`cm32p2||f_post`) is a name like any other to wit-component: carried
    // with its function, else dropped, so reported.
    let functions = module.exports.iter().filter(|e| matches!(e.kind, Kind::Func(_)) && !is_abi_export(&e.name));
    let (kept, lost): (Vec<_>, Vec<_>) = functions.partition(|e| is_carried(&e.name));
    let has_world = !resolve_world_is_empty(world);
    let no_world = if has_world {
        ""
    } else {
        " (the module carries no WIT world: no `component-type` custom section)"
    };
    if !lost.is_empty() {
        let names: Vec<String> = lost.iter().map(|e| format!("`{}`", e.name)).collect();
        return Err(bad(format!(
            "the module exports {} that its WIT world does not name{no_world}: wit-component would drop {}, and the \
             component would not export {}; describe the exports in a WIT world (wit-bindgen generates the \
             bindings and embeds the world), or, for a program, export `_start`",
            names.join(", "),
            if lost.len() == 1 { "it" } else { "them" },
            if lost.len() == 1 { "it" } else { "them" },
        )));
    }
    if kept.is_empty() {
        return Err(bad(format!(
            "the module exports neither `_start` nor any function of a WIT world{no_world}, so the component \
             would export nothing: a program needs `_start`, a library exports described by a WIT world \
             (wit-bindgen)"
        )));
    }
    Ok(())
}

fn resolve_world_is_empty(world: &wit_component::metadata::Bindgen) -> bool {
    let w = &world.resolve.worlds[world.world];
    w.imports.is_empty() && w.exports.is_empty()
}

/// The core export names of the functions and resource destructors the
/// module's world exports, in both of wit-component's naming schemes, which
/// a module may mix:
/// - legacy: `f`, `iface#f`, `iface#[dtor]res` (post-returns are `cabi_post_*`,
///   ABI exports above);
/// - standard, each name behind the prefix `cm32p2`: `||f`, `|iface|f`, each
///   also with `_post` (its post-return), and `|iface|res_dtor`, where an
///   interface is named by its version-compatible ID (`wasi:http/types@0.2`,
///   not `@0.2.4`).
///
/// wit-component 0.262 (`ExportMap::classify` in its validation.rs) strips
/// `cm32p2`, tries these names, and drops a function matching none as
/// silently as an unknown legacy name: a `cm32p2` prefix alone carries
/// nothing.
fn world_export_names(world: &wit_component::metadata::Bindgen) -> Vec<String> {
    let resolve = &world.resolve;
    let mut names = Vec::new();
    for (key, item) in &resolve.worlds[world.world].exports {
        match item {
            WorldItem::Function(f) => {
                names.push(f.legacy_core_export_name(None).into_owned());
                names.push(format!("{STANDARD_PREFIX}||{}", f.name));
                names.push(format!("{STANDARD_PREFIX}||{}_post", f.name));
            }
            WorldItem::Interface { id, .. } => {
                let legacy = resolve.name_world_key(key);
                let standard = match key {
                    WorldKey::Name(name) => name.clone(),
                    WorldKey::Interface(_) => resolve.canonicalized_id_of(*id).unwrap_or_else(|| legacy.clone()),
                };
                let interface = &resolve.interfaces[*id];
                for f in interface.functions.values() {
                    names.push(f.legacy_core_export_name(Some(&legacy)).into_owned());
                    names.push(format!("{STANDARD_PREFIX}|{standard}|{}", f.name));
                    names.push(format!("{STANDARD_PREFIX}|{standard}|{}_post", f.name));
                }
                for (type_name, ty) in &interface.types {
                    if matches!(resolve.types[*ty].kind, TypeDefKind::Resource) {
                        names.push(format!("{legacy}#[dtor]{type_name}"));
                        names.push(format!("{STANDARD_PREFIX}|{standard}|{type_name}_dtor"));
                    }
                }
            }
            WorldItem::Type { .. } => {}
        }
    }
    names
}
