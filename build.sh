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
for variant in command reactor proxy; do
  cargo build --quiet --release --target wasm32-unknown-unknown -p wasi-preview1-adapter --features "$variant"
  "$finish" "${CARGO_TARGET_DIR:-target}/wasm32-unknown-unknown/release/wasi_snapshot_preview1.wasm" "dist/wasi_snapshot_preview1.$variant.wasm"
done

# Opt-in: the command variant whose proc_exit keeps the exit code (README).
mkdir -p dist/exit-with-code
cargo build --quiet --release --target wasm32-unknown-unknown -p wasi-preview1-adapter --features exit-with-code
"$finish" "${CARGO_TARGET_DIR:-target}/wasm32-unknown-unknown/release/wasi_snapshot_preview1.wasm" dist/exit-with-code/wasi_snapshot_preview1.command.wasm

for variant in command reactor proxy; do
  cargo run --quiet --release -p verify -- --variant "$variant" "dist/wasi_snapshot_preview1.$variant.wasm"
done
cargo run --quiet --release -p verify -- --variant command dist/exit-with-code/wasi_snapshot_preview1.command.wasm
ls -l dist/*.wasm dist/exit-with-code/*.wasm
