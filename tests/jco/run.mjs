// Runs one command component, transpiled by `jco transpile`, on Node with
// preview2-shim as its WASI 0.2 host, as one test scenario describes it.
//
//   node --no-warnings run.mjs SPEC.json
//
// SPEC.json: { "module": transpiled entry (absolute path), "args": [...],
// "env": [[key, value], ...], "preopen": host directory or null,
// "guest_preopen": its guest path, "status": where to write how it ended,
// "shim_terminals": whether stdio stays the terminals the shim claims }.
// stdin, stdout and stderr are the process's own (the harness gives files).
//
// How the run ends: the guest's `exit` ends the process itself (preview2-shim
// calls process.exit with 0 or 1) and no status file is written; otherwise
// this script writes one JSON object to the status file: {"exit": 0} when
// `run` returned ok, {"exit": 1} when it returned err, {"trap": message}
// when the wasm trapped or the host threw, {"setup": message} when the
// component could not even be loaded (a harness failure, not an outcome).
//
// The harness copies this file next to target/jco/node_modules, so the bare
// specifiers below resolve to the same preview2-shim instance the transpiled
// component imports.
import { readFileSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { _setArgs, _setEnv, _setCwd, _setTerminalStdin, _setTerminalStdout, _setTerminalStderr } from "@bytecodealliance/preview2-shim/cli";
import { _setPreopens, _clearPreopens } from "@bytecodealliance/preview2-shim/filesystem";

const spec = JSON.parse(readFileSync(process.argv[2], "utf8"));
const finish = (status) => {
    writeFileSync(spec.status, JSON.stringify(status));
    process.exit(0);
};

_setArgs(spec.args);
// _setEnv takes an object and keeps Object.entries' order, which puts
// integer-like keys first and merges duplicates: the harness refuses such
// environments for this host rather than reorder them silently.
_setEnv(Object.fromEntries(spec.env));
// Nothing of the Node process leaks in: no cwd (wasmtime gives none either).
_setCwd(null);
// preview2-shim answers every get-terminal-* with a terminal, whatever the
// process's stdio is; the harness's are files, so say so (wasmtime's pipes
// are no terminals either). "shim_terminals" keeps the shim's answer, for
// the test that asserts it.
if (!spec.shim_terminals) {
    _setTerminalStdin(null);
    _setTerminalStdout(null);
    _setTerminalStderr(null);
}
if (spec.preopen === null) {
    _clearPreopens();
} else {
    _setPreopens({ [spec.guest_preopen]: spec.preopen });
}

let component;
try {
    component = await import(pathToFileURL(spec.module).href);
} catch (e) {
    finish({ setup: String(e?.stack ?? e) });
}
try {
    component.run.run();
    finish({ exit: 0 });
} catch (e) {
    // jco throws a ComponentError carrying the `err` of a result-returning export.
    if (e?.constructor?.name === "ComponentError") {
        finish({ exit: 1 });
    }
    finish({ trap: String(e?.stack ?? e) });
}
