//! Counting the wasm instructions a run through the command adapter
//! executes: wasmtime's fuel, one unit per wasm operator (a few, such as
//! `nop` and `drop`, are free), in the program, the adapter and the shims
//! wit-component puts between them alike; none for the host's own work.
//!
//! Metering needs an engine of its own ([`fuel_engine`]), and code compiled
//! for it, so the other tests run as fast as before. Fuel is exact and does
//! not depend on the machine, so a test can compare runs call for call.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use wasmtime::component::{Component, ResourceTable};
use wasmtime::{Engine, Error, Result, Store};
use wasmtime_wasi::I32Exit;

use crate::{command_adapter, fuse, new_engine, program_wasm, scratch_dir, status_of, wasi_ctx, ComponentCtx, Scenario, Status};

/// The library host's engine ([`crate::engine`]) with fuel metering on.
pub fn fuel_engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| new_engine(false, true).unwrap())
}

/// The adapter measured: `dist/`'s command adapter, or the file
/// `FUEL_ADAPTER` names (to measure another build, such as one with a fast
/// path turned off, without replacing `dist/`).
fn adapter() -> &'static [u8] {
    static OTHER: OnceLock<Option<Vec<u8>>> = OnceLock::new();
    let other = OTHER.get_or_init(|| std::env::var("FUEL_ADAPTER").ok().filter(|f| !f.is_empty()).map(|f| std::fs::read(&f).unwrap_or_else(|e| panic!("FUEL_ADAPTER={f}: {e}"))));
    other.as_deref().unwrap_or_else(command_adapter)
}

fn component(scenario: &Scenario) -> Component {
    static CACHE: OnceLock<Mutex<HashMap<String, Component>>> = OnceLock::new();
    let key = format!("{:?}", scenario.program);
    let cache = CACHE.get_or_init(Default::default);
    if let Some(c) = cache.lock().unwrap().get(&key) {
        return c.clone();
    }
    let bytes = fuse(&program_wasm(&scenario.program), adapter()).expect("fusing with the adapter");
    let component = Component::new(fuel_engine(), &bytes).unwrap();
    cache.lock().unwrap().insert(key, component.clone());
    component
}

/// A metered run.
pub struct Metered {
    pub status: Status,
    pub stderr: Vec<u8>,
    /// Instantiation and the run.
    pub fuel: u64,
}

/// Runs `scenario` through the command adapter on the library host (in a
/// fresh copy of its directory, `allow_blocking_current_thread` on),
/// metering the fuel it uses.
pub fn adapter_fuel(scenario: &Scenario) -> Result<Metered> {
    const TANK: u64 = u64::MAX / 2;
    let engine = fuel_engine();
    let dir = scratch_dir(&scenario.dirs, &scenario.files);
    let (mut builder, _stdout, stderr) = wasi_ctx(scenario, &dir, true)?;
    let mut store = Store::new(engine, ComponentCtx { wasi: builder.build(), table: ResourceTable::new() });
    store.set_fuel(TANK)?;
    let mut linker = wasmtime::component::Linker::new(engine);
    wasmtime_wasi::p2::add_to_linker_sync(&mut linker)?;
    let result = wasmtime_wasi::p2::bindings::sync::Command::instantiate(&mut store, &component(scenario), &linker)
        .and_then(|command| command.wasi_cli_run().call_run(&mut store))
        .and_then(|r| r.map_err(|()| Error::new(I32Exit(1))));
    let status = status_of(result);
    let fuel = TANK - store.get_fuel()?;
    std::fs::remove_dir_all(&dir).ok();
    Ok(Metered { status, stderr: stderr.contents().to_vec(), fuel })
}
