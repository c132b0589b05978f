#!/usr/bin/env bash
# Builds the adapters and writes a release directory (default: release/):
#   wasi_snapshot_preview1.{command,reactor,proxy}.wasm   the published names
#   wasi_snapshot_preview1.command-exit-with-code.wasm    the opt-in build
#   SHA256SUMS  (`sha256sum -c SHA256SUMS` inside the directory)
#   LICENSE
#   wasip1-to-component-VERSION-HOST                       the converter, for this host
# The adapter files are dist/'s, byte for byte: build.sh stamps the version into them
# (`wasm-tools metadata show FILE` prints it), so what the tests ran is what
# ships. Same sources and toolchain (rust-toolchain.toml) give the same bytes
# in any directory (tests/tests/reproducible.rs).
# The converter is a host binary, built after build.sh (it embeds the adapters
# build.sh copies into provider/ and wasip1-to-component/): its bytes are the
# same from any checkout and any CARGO_HOME only with every path it would
# carry (panic locations: file!() of our sources and of the registry's)
# remapped to a fixed one, and without symbols (the release-converter
# profile in Cargo.toml).
set -euo pipefail
cd "$(dirname "$0")"
out=${1:-release}
./build.sh
mkdir -p "$out"
# Only this release's files: a stale artifact must not sit beside new sums.
rm -f "$out"/*.wasm "$out"/wasip1-to-component-* "$out/SHA256SUMS"
for variant in command reactor proxy; do
  cp "dist/wasi_snapshot_preview1.$variant.wasm" "$out/"
done
cp dist/exit-with-code/wasi_snapshot_preview1.command.wasm "$out/wasi_snapshot_preview1.command-exit-with-code.wasm"
cp LICENSE "$out/"

host=$(rustc -vV | sed -n 's/^host: //p')
converter_pkgid=$(cargo pkgid --quiet -p wasip1-to-component)
converter=wasip1-to-component-${converter_pkgid##*[#@]}-$host
# Absolute, as cargo and rustc spell them: the real source directory (cargo
# starts from getcwd), CARGO_HOME as given (cargo joins it to the current
# directory and resolves no link).
source_dir=$(pwd -P)
target_dir=${CARGO_TARGET_DIR:-target}
cargo_home=${CARGO_HOME:-$HOME/.cargo}
[[ $target_dir == /* ]] || target_dir=$source_dir/$target_dir
[[ $cargo_home == /* ]] || cargo_home=$source_dir/$cargo_home
# These flags and no others (CARGO_ENCODED_RUSTFLAGS wins over RUSTFLAGS and
# any config's rustflags, which would make other bytes), for this build only:
# the adapters above are built as before. The target directory is mapped
# too, for files generated under it (OUT_DIR) when it lies outside the
# sources. Fields are separated by 0x1f, so a path with spaces stays one.
remaps=("--remap-path-prefix=$source_dir=/source" "--remap-path-prefix=$cargo_home=/cargo-home")
case "$target_dir/" in "$source_dir"/*) ;; *) remaps+=("--remap-path-prefix=$target_dir=/target") ;; esac
CARGO_ENCODED_RUSTFLAGS=$(IFS=$'\x1f'; printf '%s' "${remaps[*]}") \
  cargo build --quiet --locked --profile release-converter -p wasip1-to-component
cp "$target_dir/release-converter/wasip1-to-component" "$out/$converter"
# A fixed order and relative paths, so the file itself is reproducible and
# checks from wherever the directory is moved to.
(cd "$out" && sha256sum -- wasi_snapshot_preview1.command.wasm wasi_snapshot_preview1.reactor.wasm \
  wasi_snapshot_preview1.proxy.wasm wasi_snapshot_preview1.command-exit-with-code.wasm LICENSE "$converter" > SHA256SUMS)
echo "release $(cargo pkgid --quiet -p wasi-preview1-adapter | sed 's/.*[#@]//') in $out:"
cat "$out/SHA256SUMS"
