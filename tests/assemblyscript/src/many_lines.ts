// Writes argv[1] (default 20000) numbered lines to stdout, one write per
// line, allocating as it goes, then a summary line; a progress note goes
// to stderr every 5000 lines.
import { churn, corrupted, err, fnvString, FNV_INIT, hex, keptCount, out } from "../lib/common";

const argv = process.argv;
const count = argv.length > 1 ? I32.parseInt(argv[1]) : 20000;
const sum = churn(3, 1000, 200, "many lines");

let h = FNV_INIT;
for (let i = 0; i < count; i++) {
  let line = "line " + i.toString() + " " + "abcdefghijklmnopqrstuvwxyz".repeat(1 + (i % 7)) + " " + hex(h) + "\n";
  h = fnvString(h, line);
  out(line);
  if (i % 5000 == 4999) err("many_lines: " + (i + 1).toString() + " written\n");
}
out("lines=" + count.toString() + " fnv=" + hex(h) + " checksum=" + hex(sum) + " kept=" + keptCount().toString() + " corrupted=" + corrupted().toString() + "\n");
