// A fast 32-bit checksum over bytes for detecting corruption in snapshot sections. Not
// cryptographic: it catches truncation, bit flips and torn writes, which is its job here.

const P1 = 0x9e3779b1;
const P2 = 0x85ebca77;
const P3 = 0xc2b2ae3d;

/**
 * Checksums `bytes`: words are mixed in four lanes (multiply-rotate, as xxHash32 does),
 * the tail byte by byte, then the lanes are folded with the length. Any single-bit change
 * changes the result.
 */
export function checksum32(bytes: Uint8Array): number {
  const len = bytes.length;
  const aligned = bytes.byteOffset % 4 === 0;
  const words = len >>> 2;
  const view = aligned
    ? new Uint32Array(bytes.buffer, bytes.byteOffset, words)
    : // A copy (not .slice(), which is a view for Node Buffers) puts the words at offset 0.
      new Uint32Array(new Uint8Array(bytes.subarray(0, words * 4)).buffer);
  let a = P1;
  let b = P2;
  let c = P3;
  let d = 0x27d4eb2f;
  let i = 0;
  for (; i + 4 <= words; i += 4) {
    a = Math.imul(rotl(a + Math.imul(view[i]!, P2), 13), P1);
    b = Math.imul(rotl(b + Math.imul(view[i + 1]!, P2), 13), P1);
    c = Math.imul(rotl(c + Math.imul(view[i + 2]!, P2), 13), P1);
    d = Math.imul(rotl(d + Math.imul(view[i + 3]!, P2), 13), P1);
  }
  for (; i < words; i++) a = Math.imul(rotl(a + Math.imul(view[i]!, P3), 17), P1);
  for (let j = words * 4; j < len; j++) b = Math.imul(rotl(b + Math.imul(bytes[j]!, P1), 11), P2);
  let h = (rotl(a, 1) + rotl(b, 7) + rotl(c, 12) + rotl(d, 18) + len) | 0;
  h = Math.imul(h ^ (h >>> 15), P2);
  h = Math.imul(h ^ (h >>> 13), P3);
  return (h ^ (h >>> 16)) >>> 0;
}

function rotl(x: number, r: number): number {
  return (x << r) | (x >>> (32 - r));
}
