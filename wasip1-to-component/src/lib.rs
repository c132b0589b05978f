//! Turns a `wasm32-wasip1` core module into a WASI 0.2 component: fuses it
//! with one of this repository's preview1 adapters, embedded, chosen from
//! what the module exports, after checks that name what is wrong with a
//! module wit-component would refuse or turn into a component that does not
//! work.
//!
//! The fusing is wit-component's, configured as the `wasm-tools component
//! new` command line configures it, so the same module and adapter give the
//! same bytes as `wasm-tools component new MODULE --adapt
//! wasi_snapshot_preview1=ADAPTER` (wasm-tools 1.262, wit-component 0.262).

mod checks;
mod module;

use std::fmt;

use module::CoreModule;

/// The import module name of preview1, under which the adapter is given.
pub const PREVIEW1_MODULE: &str = adapter_provider::WASI_SNAPSHOT_PREVIEW1_ADAPTER_NAME;

/// Which adapter a module is fused with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[derive(clap::ValueEnum)]
pub enum Variant {
    /// A program with `_start`: the component exports `wasi:cli/run`.
    Command,
    /// A library: the component exports what the module's WIT world exports.
    Reactor,
    /// An HTTP handler (`wasi:http/proxy`): imports only what that world offers.
    Proxy,
}

impl Variant {
    pub fn name(self) -> &'static str {
        match self {
            Variant::Command => "command",
            Variant::Reactor => "reactor",
            Variant::Proxy => "proxy",
        }
    }
}

impl fmt::Display for Variant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The preview1 adapter to fuse with.
#[derive(Clone, Debug, Default)]
pub enum Adapter {
    /// The embedded adapter of the variant the module's exports call for.
    #[default]
    FromExports,
    /// The embedded adapter of this variant.
    Embedded(Variant),
    /// The command adapter whose `proc_exit` keeps the exit code (imports
    /// `wasi:cli/exit@0.2.12`, so it needs a WASI 0.2.12 host).
    CommandExitWithCode,
    /// Another adapter module (its bytes), e.g. the published one.
    File(Vec<u8>),
}

/// How to convert.
#[derive(Clone, Debug, Default)]
pub struct Options {
    pub adapter: Adapter,
    /// Adapters for import modules other than `wasi_snapshot_preview1`
    /// (import module name, adapter module), as wit-component takes them.
    pub extra_adapters: Vec<(String, Vec<u8>)>,
}

/// Why a conversion failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Error {
    /// The module (or an adapter given) is not one that converts into a
    /// working component; the message says what and what to do.
    BadInput(String),
    /// wit-component failed on a module that passed every check.
    Internal(String),
}

impl Error {
    /// The command line's exit status for this error.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::BadInput(_) => 1,
            Error::Internal(_) => 3,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::BadInput(why) => f.write_str(why),
            Error::Internal(why) => write!(f, "wit-component could not build the component: {why}"),
        }
    }
}

impl std::error::Error for Error {}

/// A module that passed the checks, with the adapter it will be fused with.
pub struct Plan<'a> {
    module: &'a [u8],
    adapter: &'a [u8],
    /// Which adapter: an embedded variant's name or "the given adapter".
    pub adapter_name: String,
    extra_adapters: &'a [(String, Vec<u8>)],
}

/// Checks `module` against `options` and chooses the adapter, without
/// converting yet.
pub fn plan<'a>(module: &'a [u8], options: &'a Options) -> Result<Plan<'a>, Error> {
    let core = checks::readable_module(module)?;
    let (adapter, adapter_name): (&[u8], String) = match &options.adapter {
        Adapter::FromExports => {
            let variant = checks::variant_from_exports(&core);
            (embedded(variant), format!("{variant} adapter"))
        }
        Adapter::Embedded(variant) => (embedded(*variant), format!("{variant} adapter")),
        Adapter::CommandExitWithCode => (EXIT_WITH_CODE_ADAPTER, "command adapter (exit-with-code build)".into()),
        Adapter::File(bytes) => (bytes, "given adapter".into()),
    };
    let adapter_module = match CoreModule::read(adapter) {
        Ok(m) => m,
        Err(why) => return Err(Error::BadInput(format!("the adapter is not a valid core module: {why}"))),
    };
    checks::everything(&core, module, &adapter_module, &options.adapter, &options.extra_adapters)?;
    Ok(Plan { module, adapter, adapter_name, extra_adapters: &options.extra_adapters })
}

impl Plan<'_> {
    /// Fuses the module with its adapter (and the extra adapters), as
    /// `wasm-tools component new` does with the same inputs.
    pub fn encode(&self) -> Result<Vec<u8>, Error> {
        let internal = |e: anyhow::Error| Error::Internal(format!("{e:#}"));
        // The settings and order of `wasm-tools component new`'s defaults
        // (its src/bin/wasm-tools/component.rs), so the bytes are the same.
        let mut encoder = wit_component::ComponentEncoder::default();
        encoder
            .validate(true)
            .reject_legacy_names(false)
            .debug_names(true)
            .shim_return_call_ref(false)
            .merge_imports_based_on_semver(true)
            .realloc_via_memory_grow(false)
            .emit_canonical_names(false);
        encoder.adapter(PREVIEW1_MODULE, self.adapter).map_err(internal)?;
        for (name, adapter) in self.extra_adapters {
            encoder.adapter(name, adapter).map_err(internal)?;
        }
        encoder.module(self.module).map_err(internal)?;
        encoder.import_name_map(Default::default()).encode().map_err(internal)
    }
}

/// Checks `module` and converts it into a component (see [`plan`]).
pub fn convert(module: &[u8], options: &Options) -> Result<Vec<u8>, Error> {
    plan(module, options)?.encode()
}

/// The WIT of a component's world, as `wasm-tools component wit` prints it.
pub fn component_wit(component: &[u8]) -> Result<String, Error> {
    let internal = |e: anyhow::Error| Error::Internal(format!("reading the component's world: {e:#}"));
    let decoded = wit_component::decode(component).map_err(internal)?;
    let resolve = decoded.resolve();
    let others: Vec<_> = resolve.packages.iter().map(|(id, _)| id).filter(|id| *id != decoded.package()).collect();
    let mut printer = wit_component::WitPrinter::default();
    printer.print(resolve, decoded.package(), &others).map_err(internal)?;
    Ok(printer.output.to_string())
}

/// The embedded adapter of a variant.
pub fn embedded(variant: Variant) -> &'static [u8] {
    match variant {
        Variant::Command => adapter_provider::WASI_SNAPSHOT_PREVIEW1_COMMAND_ADAPTER,
        Variant::Reactor => adapter_provider::WASI_SNAPSHOT_PREVIEW1_REACTOR_ADAPTER,
        Variant::Proxy => adapter_provider::WASI_SNAPSHOT_PREVIEW1_PROXY_ADAPTER,
    }
}

/// The opt-in command build that keeps `proc_exit` codes (not in the
/// provider crate, whose API has only the three published variants):
/// `../build.sh` copies it here from `dist/exit-with-code/`.
pub const EXIT_WITH_CODE_ADAPTER: &[u8] = include_bytes!("../artifacts/wasi_snapshot_preview1.command-exit-with-code.wasm");
