// Helpers shared by the programs of src/: output, a deterministic PRNG,
// hashing, and an allocation workload that grows the heap well past the
// initial memory, frees much of what it allocates (so the allocator reuses
// blocks) and keeps the rest alive for a later integrity check.

export function out(s: string): void {
  process.stdout.write(s);
}

export function err(s: string): void {
  process.stderr.write(s);
}

/** xorshift32: deterministic, never zero. */
export class Rng {
  state: u32;
  constructor(seed: u32) {
    this.state = seed == 0 ? 0x9e3779b9 : seed;
  }
  next(): u32 {
    let x = this.state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    this.state = x;
    return x;
  }
  below(n: u32): u32 {
    return this.next() % n;
  }
}

export const FNV_INIT: u32 = 2166136261;

export function fnvByte(h: u32, b: u32): u32 {
  return (h ^ (b & 0xff)) * 16777619;
}

export function fnvString(h: u32, s: string): u32 {
  for (let i = 0, n = s.length; i < n; i++) {
    let c = <u32>s.charCodeAt(i);
    h = fnvByte(fnvByte(h, c), c >> 8);
  }
  return h;
}

export function fnvBytes(h: u32, b: Uint8Array): u32 {
  for (let i = 0, n = b.length; i < n; i++) h = fnvByte(h, b[i]);
  return h;
}

export function fnvInts(h: u32, a: Array<i32>): u32 {
  for (let i = 0, n = a.length; i < n; i++) {
    let v = <u32>a[i];
    h = fnvByte(fnvByte(fnvByte(fnvByte(h, v), v >> 8), v >> 16), v >> 24);
  }
  return h;
}

export function hex(v: u32): string {
  let s = v.toString(16);
  while (s.length < 8) s = "0" + s;
  return s;
}

/** One object kept alive by the workload, with the hash it had when made. */
class Kept {
  text: string | null = null;
  bytes: Uint8Array | null = null;
  ints: Array<i32> | null = null;
  hash: u32 = 0;
}

const kept = new Array<Kept>();
let allocated: u64 = 0;

function hashOf(k: Kept): u32 {
  let h = FNV_INIT;
  let t = k.text;
  if (t !== null) h = fnvString(h, t);
  let b = k.bytes;
  if (b !== null) h = fnvBytes(h, b);
  let a = k.ints;
  if (a !== null) h = fnvInts(h, a);
  return h;
}

function keep(k: Kept, rng: Rng, limit: i32): void {
  k.hash = hashOf(k);
  if (kept.length < limit) {
    kept.push(k);
  } else {
    // Replace a random survivor: the old one becomes garbage.
    kept[<i32>rng.below(<u32>kept.length)] = k;
  }
}

/**
 * Allocates `rounds` objects of varied sizes (strings built from `salt`,
 * byte buffers, int arrays, and now and then a block of hundreds of KiB),
 * keeping up to `limit` of them alive. Returns a checksum of everything
 * allocated, which depends only on the arguments.
 */
export function churn(seed: u32, rounds: i32, limit: i32, salt: string): u32 {
  let rng = new Rng(seed);
  let h = FNV_INIT;
  let piece = salt.length > 0 ? salt : "salt";
  for (let i = 0; i < rounds; i++) {
    let k = new Kept();
    let kind = rng.below(16);
    if (kind < 6) {
      let reps = <i32>rng.below(<u32>(4096 / piece.length + 1)) + 1;
      let s = piece.repeat(reps) + i.toString() + "/" + hex(rng.next());
      k.text = s;
      allocated += <u64>s.length * 2;
    } else if (kind < 11) {
      let n = <i32>rng.below(24576);
      let b = new Uint8Array(n);
      for (let j = 0; j < n; j += 7) b[j] = <u8>rng.next();
      k.bytes = b;
      allocated += <u64>n;
    } else if (kind < 15) {
      let n = <i32>rng.below(3000);
      let a = new Array<i32>();
      for (let j = 0; j < n; j++) a.push(<i32>rng.next());
      k.ints = a;
      allocated += <u64>n * 4;
    } else {
      let n = 200000 + <i32>rng.below(600000);
      let b = new Uint8Array(n);
      for (let j = 0; j < n; j += 4093) b[j] = <u8>(j ^ i);
      b[n - 1] = 0x5a;
      k.bytes = b;
      allocated += <u64>n;
    }
    let kh = hashOf(k);
    h = fnvByte(fnvByte(fnvByte(fnvByte(h, kh), kh >> 8), kh >> 16), kh >> 24);
    if (rng.below(4) == 0) keep(k, rng, limit);
  }
  return h;
}

/** How many kept objects no longer hash as they did when made. */
export function corrupted(): i32 {
  let bad = 0;
  for (let i = 0, n = kept.length; i < n; i++) {
    if (hashOf(kept[i]) != kept[i].hash) bad++;
  }
  return bad;
}

export function keptCount(): i32 {
  return kept.length;
}

/** Total bytes of payload the workload has allocated so far. */
export function allocatedBytes(): u64 {
  return allocated;
}

/** The pages of linear memory at instantiation: recorded by `main` first thing. */
let initialPages: i32 = -1;

export function recordInitialMemory(): void {
  if (initialPages < 0) initialPages = memory.size();
}

/** Whether linear memory grew by more than `pages` since `recordInitialMemory`. */
export function grewBy(pages: i32): bool {
  return memory.size() - initialPages > pages;
}

export function sortedKeys(env: Map<string, string>): string[] {
  let keys = env.keys();
  keys.sort((a: string, b: string): i32 => (a < b ? -1 : a > b ? 1 : 0));
  return keys;
}

/** Prints argc, each argument, envc and each variable (sorted by key). */
export function printArgsEnv(argv: string[], env: Map<string, string>): void {
  out("argc=" + argv.length.toString() + "\n");
  for (let i = 0; i < argv.length; i++) {
    let a = argv[i];
    out("arg[" + i.toString() + "] len=" + a.length.toString() + " <" + a + ">\n");
  }
  let keys = sortedKeys(env);
  out("envc=" + keys.length.toString() + "\n");
  for (let i = 0; i < keys.length; i++) {
    out("env <" + keys[i] + ">=<" + env.get(keys[i]) + ">\n");
  }
}

/** A hash of the arguments and environment, to feed into the workload. */
export function argsEnvSalt(argv: string[], env: Map<string, string>): string {
  let s = argv.join("\u0001");
  let keys = sortedKeys(env);
  for (let i = 0; i < keys.length; i++) s += "\u0002" + keys[i] + "=" + env.get(keys[i]);
  return s;
}
