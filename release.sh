#!/usr/bin/env bash
# Builds the adapters and writes a release directory (default: release/):
#   wasi_snapshot_preview1.{command,reactor,proxy}.wasm   the published names
#   wasi_snapshot_preview1.command-exit-with-code.wasm    the opt-in build
#   SHA256SUMS  (`sha256sum -c SHA256SUMS` inside the directory)
#   LICENSE
# The files are dist/'s, byte for byte: build.sh stamps the version into them
# (`wasm-tools metadata show FILE` prints it), so what the tests ran is what
# ships. Same sources and toolchain (rust-toolchain.toml) give the same bytes
# in any directory (tests/tests/reproducible.rs).
set -euo pipefail
cd "$(dirname "$0")"
out=${1:-release}
./build.sh
mkdir -p "$out"
# Only this release's files: a stale artifact must not sit beside new sums.
rm -f "$out"/*.wasm "$out/SHA256SUMS"
for variant in command reactor proxy; do
  cp "dist/wasi_snapshot_preview1.$variant.wasm" "$out/"
done
cp dist/exit-with-code/wasi_snapshot_preview1.command.wasm "$out/wasi_snapshot_preview1.command-exit-with-code.wasm"
cp LICENSE "$out/"
# A fixed order and relative paths, so the file itself is reproducible and
# checks from wherever the directory is moved to.
(cd "$out" && sha256sum -- wasi_snapshot_preview1.command.wasm wasi_snapshot_preview1.reactor.wasm \
  wasi_snapshot_preview1.proxy.wasm wasi_snapshot_preview1.command-exit-with-code.wasm LICENSE > SHA256SUMS)
echo "release $(cargo pkgid --quiet -p wasi-preview1-adapter | sed 's/.*[#@]//') in $out:"
cat "$out/SHA256SUMS"
