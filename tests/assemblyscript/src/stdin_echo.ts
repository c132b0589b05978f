// Allocates many MiB, then reads all of stdin through the shim's
// `process.stdin.read` with buffers of varied sizes (each a fresh heap
// allocation), allocating more between reads, and then writes a summary to
// stderr and everything read back to stdout.
import { churn, corrupted, err, fnvByte, FNV_INIT, hex, keptCount, out, Rng } from "../lib/common";

const first = churn(99, 1500, 200, "stdin");

const rng = new Rng(5);
const chunks = new Array<ArrayBuffer>();
let total = 0;
let lines = 0;
let h = FNV_INIT;
let reads = 0;
while (true) {
  let size = 1 + <i32>rng.below(70000);
  let buf = new ArrayBuffer(size);
  let n = process.stdin.read(buf);
  reads++;
  if (n <= 0) break;
  let view = Uint8Array.wrap(buf, 0, n);
  for (let i = 0; i < n; i++) {
    h = fnvByte(h, view[i]);
    if (view[i] == 10) lines++;
  }
  chunks.push(buf.slice(0, n));
  total += n;
  if ((reads & 3) == 0) churn(<u32>reads, 50, 100, "between reads");
}

for (let i = 0; i < chunks.length; i++) process.stdout.write(chunks[i]);
err("stdin_echo: bytes=" + total.toString() + " lines=" + lines.toString() + " fnv=" + hex(h) + "\n");
err("stdin_echo: checksum=" + hex(first) + " kept=" + keptCount().toString() + " corrupted=" + corrupted().toString() + "\n");
