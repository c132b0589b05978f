#!/usr/bin/env bash
# Builds the three adapter variants into dist/ and checks each with verify.
# Each linked module goes through `finish` (shortest LEBs, raw-global
# accessors inlined; see finish/src/lib.rs) on its way into dist/.
set -euo pipefail
cd "$(dirname "$0")"
# rust-toolchain.toml names the targets, but rustup installs them only with a
# toolchain it has to download; an existing "stable" needs them added.
rustup target add wasm32-unknown-unknown wasm32-wasip1 >/dev/null 2>&1 ||
  rustup target add wasm32-unknown-unknown wasm32-wasip1
mkdir -p dist
cargo build --quiet --release -p finish
finish="${CARGO_TARGET_DIR:-target}/release/finish"
# The adapter crate's version, stamped into every artifact by finish
# (`wasm-tools metadata show` reads it): dist/ is what a release ships.
pkgid=$(cargo pkgid --quiet -p wasi-preview1-adapter)
version=${pkgid##*[#@]}
for variant in command reactor proxy; do
  cargo build --quiet --release --target wasm32-unknown-unknown -p wasi-preview1-adapter --features "$variant"
  "$finish" --version "$version" "${CARGO_TARGET_DIR:-target}/wasm32-unknown-unknown/release/wasi_snapshot_preview1.wasm" "dist/wasi_snapshot_preview1.$variant.wasm"
done

# Opt-in: the command variant whose proc_exit keeps the exit code (README).
mkdir -p dist/exit-with-code
cargo build --quiet --release --target wasm32-unknown-unknown -p wasi-preview1-adapter --features exit-with-code
"$finish" --version "$version" "${CARGO_TARGET_DIR:-target}/wasm32-unknown-unknown/release/wasi_snapshot_preview1.wasm" dist/exit-with-code/wasi_snapshot_preview1.command.wasm

for variant in command reactor proxy; do
  cargo run --quiet --release -p verify -- --variant "$variant" "dist/wasi_snapshot_preview1.$variant.wasm"
done
cargo run --quiet --release -p verify -- --variant command dist/exit-with-code/wasi_snapshot_preview1.command.wasm
# The provider crate (provider/, the drop-in for crates.io's
# wasi-preview1-component-adapter-provider) embeds these three files, which
# must lie inside its directory to be packaged. Copied only when they differ,
# so an unchanged build does not rebuild everything that depends on the crate.
mkdir -p provider/artifacts
for variant in command reactor proxy; do
  file=wasi_snapshot_preview1.$variant.wasm
  cmp -s "dist/$file" "provider/artifacts/$file" || cp "dist/$file" "provider/artifacts/$file"
done
# The converter (wasip1-to-component/) embeds the three through the provider
# crate and the exit-with-code build, which the provider's API has no place
# for, from its own artifacts/ (ignored by git), copied the same way.
mkdir -p wasip1-to-component/artifacts
file=wasip1-to-component/artifacts/wasi_snapshot_preview1.command-exit-with-code.wasm
cmp -s dist/exit-with-code/wasi_snapshot_preview1.command.wasm "$file" || cp dist/exit-with-code/wasi_snapshot_preview1.command.wasm "$file"
ls -l dist/*.wasm dist/exit-with-code/*.wasm
