#!/usr/bin/env bash
# Builds the artifacts, then runs every test: the adapter's unit tests, the
# verify tool's tests, and the differential tests (native preview1 vs our
# adapter on wasmtime). Installs what it needs: Rust targets through
# rust-toolchain.toml, the AssemblyScript compiler through npm.
set -euo pipefail
cd "$(dirname "$0")"
./build.sh
cargo test --workspace
