// Reads the arguments and environment first, then makes the runtime allocate
// many MiB (the heap grows far past the initial memory and reuses freed
// blocks), then prints what it read and a checksum of the allocations.
import {
  argsEnvSalt, churn, corrupted, err, fnvString, FNV_INIT, grewBy, hex, keptCount, out, printArgsEnv, recordInitialMemory,
} from "../lib/common";

recordInitialMemory();

const argv = process.argv;
const env = process.env;
const before = fnvString(FNV_INIT, argsEnvSalt(argv, env));

const sum = churn(0x1234567, 3000, 400, argsEnvSalt(argv, env));

printArgsEnv(argv, env);
const after = fnvString(FNV_INIT, argsEnvSalt(argv, env));
out("args/env unchanged by allocation: " + (before == after ? "yes" : "NO") + "\n");
out("checksum=" + hex(sum) + " kept=" + keptCount().toString() + " corrupted=" + corrupted().toString() + "\n");
err("args_env: heap grew past 16 MiB: " + (grewBy(256) ? "yes" : "no") + "\n");
