// Compiles every src/<name>.ts to build/<name>.wasm with the WASI shim
// (release, asserts kept). Silent on success; skips the work when nothing
// that goes into the modules has changed since the last build.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import asc from "assemblyscript/asc";

const here = dirname(fileURLToPath(import.meta.url));
process.chdir(here);

const programs = readdirSync("src").filter((f) => f.endsWith(".ts")).sort();
const inputs = [
  "asconfig.json",
  "build.mjs",
  "package-lock.json",
  "node_modules/assemblyscript/package.json",
  "node_modules/@assemblyscript/wasi-shim/package.json",
  ...readdirSync("lib").filter((f) => f.endsWith(".ts")).sort().map((f) => join("lib", f)),
  ...programs.map((f) => join("src", f)),
];
const hash = createHash("sha256");
for (const file of inputs) hash.update(file).update("\0").update(readFileSync(file)).update("\0");
const stamp = hash.digest("hex");
const stampFile = join("build", ".stamp");
const outputs = programs.map((f) => join("build", f.replace(/\.ts$/, ".wasm")));
if (existsSync(stampFile) && readFileSync(stampFile, "utf8") === stamp && outputs.every((f) => existsSync(f))) {
  process.exit(0);
}

mkdirSync("build", { recursive: true });
let failed = false;
for (let i = 0; i < programs.length; i++) {
  let log = "";
  const sink = { write(chunk) { log += chunk; return true; } };
  const { error } = await asc.main(
    [join("src", programs[i]), "--config", "asconfig.json", "--target", "release", "--outFile", outputs[i]],
    { stdout: sink, stderr: sink },
  );
  if (error) {
    failed = true;
    process.stderr.write(`asc ${programs[i]}: ${error.message}\n${log}`);
  }
}
if (failed) process.exit(1);
writeFileSync(stampFile, stamp);
