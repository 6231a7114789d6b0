// Seeded random numbers for the vector generator (generate.mjs): one seed always gives the same cases.

// mulberry32: small, fast and good enough to spread operand values.
let state = 0;

/** Restarts the sequence from `seed`. */
export function reseed(seed) {
  state = seed >>> 0;
}

/** A float in [0, 1). */
export function rnd() {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

export const int = (n) => Math.floor(rnd() * n);
export const pick = (a) => a[int(a.length)];

const EDGES = [
  0, 1, 2, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff,
];
/** A register value: an edge value (sometimes with a random high half) or anything. */
export function r32() {
  if (rnd() < 0.3) {
    const e = pick(EDGES);
    return rnd() < 0.5 ? e : (e ^ (int(0x10000) << 16)) >>> 0;
  }
  return (int(0x10000) | (int(0x10000) << 16)) >>> 0;
}
export const bytes = (n) => Array.from({ length: n }, () => int(256));
export const dword = (v) => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
export const word = (v) => [v & 0xff, (v >>> 8) & 0xff];
