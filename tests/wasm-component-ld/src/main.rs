//! wasm-component-ld's own entry point; only the provider crate differs.
fn main() {
    wasm_component_ld::main();
}
