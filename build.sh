#!/usr/bin/env bash
# Builds the three adapter variants into dist/ and checks each with verify.
set -euo pipefail
cd "$(dirname "$0")"
rustup show active-toolchain >/dev/null # installs the toolchain and targets of rust-toolchain.toml
mkdir -p dist
for variant in command reactor proxy; do
  cargo build --quiet --release --target wasm32-unknown-unknown -p wasi-preview1-adapter --features "$variant"
  cp "${CARGO_TARGET_DIR:-target}/wasm32-unknown-unknown/release/wasi_snapshot_preview1.wasm" "dist/wasi_snapshot_preview1.$variant.wasm"
done

for variant in command reactor proxy; do
  cargo run --quiet --release -p verify -- --variant "$variant" "dist/wasi_snapshot_preview1.$variant.wasm"
done
ls -l dist/*.wasm
