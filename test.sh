#!/usr/bin/env bash
# Builds the artifacts, then runs every test: the adapter's unit tests, the
# verify tool's tests, and the differential tests (native preview1 vs our
# adapter on wasmtime). Installs what it needs: Rust targets through
# rust-toolchain.toml, the AssemblyScript compiler through npm.
set -euo pipefail
cd "$(dirname "$0")"
# C test programs need clang and wasi-libc (Debian packages).
if ! command -v clang >/dev/null || [ ! -f /usr/lib/wasm32-wasi/libc.a ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq clang lld wasi-libc libclang-rt-dev-wasm32 >/dev/null
  else
    echo "test.sh: install clang lld wasi-libc libclang-rt-dev-wasm32 (Debian packages)" >&2
    exit 1
  fi
fi
./build.sh
cargo test --workspace
