// Makes the runtime allocate many MiB before touching the arguments or the
// environment (so preview1 calls happen with the allocator owning all of
// memory and the heap already grown), then reads them, allocates more, and
// prints what it read.
import {
  argsEnvSalt, churn, corrupted, err, grewBy, hex, keptCount, out, printArgsEnv, recordInitialMemory,
} from "../lib/common";

recordInitialMemory();

const first = churn(42, 2500, 300, "before args and env");
err("alloc_first: grew before reading args: " + (grewBy(64) ? "yes" : "no") + "\n");

const argv = process.argv;
const env = process.env;
const second = churn(7, 2000, 500, argsEnvSalt(argv, env));

printArgsEnv(argv, env);
out("checksum1=" + hex(first) + " checksum2=" + hex(second) + "\n");
out("kept=" + keptCount().toString() + " corrupted=" + corrupted().toString() + "\n");
err("alloc_first: done\n");
