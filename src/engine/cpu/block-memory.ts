// JS source for a translated region's aligned dword accesses and stack pushes and pops: checks hoisted to the region's entry, one TLB load per access (Intel SDM vol. 3A, 5.3 and 4.10).

// Inside a region, nothing changes segments, CPL, CR0, EFLAGS.AC, the A20 gate or the data
// breakpoints (no block holds an instruction that could), so the segment checks of ram-access.ts
// are made once at entry (REGION_PROLOGUE). What stays per access: the limit, the TLB entry's
// permission bit, RAM bounds and, for a write, that the frame holds no decoded code. An aligned
// dword never crosses a page nor raises #AC. Anything else takes the Cpu method, which decides,
// and sets `slow`: only then may the access have written code or reached MMIO.

/** Statements at a region's entry: the hoisted checks the sources below name. */
export const REGION_PROLOGUE = `const ok = HOST_LE && mem.a20Enabled;
  const pg = (s.cr0 & 0x80000000) !== 0;
  const rbit = s.cpl === 3 ? 4 : 1;
  const wbit = rbit << 1;
  const tlb = cpu.tlb.entries;
  const ram = cpu.ram32;
  const ramEnd = mem.size - 3;
  const cf = mem.codeFrames;
  const sb = s.segBase;
  const sl = s.segLimit;
  const sa = s.segAttr;
  const B0 = sb[0], B1 = sb[1], B2 = sb[2], B3 = sb[3], B4 = sb[4], B5 = sb[5];
  const L0 = sl[0] - 3, L1 = sl[1] - 3, L2 = sl[2] - 3, L3 = sl[3] - 3, L4 = sl[4] - 3, L5 = sl[5] - 3;
  const R0 = ok && (sa[0] & 0x9c) === 0x90, W0 = ok && (sa[0] & 0x9e) === 0x92;
  const R1 = ok && (sa[1] & 0x9c) === 0x90, W1 = ok && (sa[1] & 0x9e) === 0x92;
  const R2 = ok && (sa[2] & 0x9c) === 0x90, W2 = ok && (sa[2] & 0x9e) === 0x92;
  const R3 = ok && (sa[3] & 0x9c) === 0x90, W3 = ok && (sa[3] & 0x9e) === 0x92;
  const R4 = ok && (sa[4] & 0x9c) === 0x90, W4 = ok && (sa[4] & 0x9e) === 0x92;
  const R5 = ok && (sa[5] & 0x9c) === 0x90, W5 = ok && (sa[5] & 0x9e) === 0x92;
  const S32 = (sa[2] & 0x4000) !== 0;
  let p = 0;
  let lin = 0;
  let e = 0;`;

/** RAM address (expression) of an aligned dword at `seg`:`off`, or -1 for the full path. */
function fastAddress(seg: number, off: string, write: boolean): string {
  const allowed = write ? `W${seg}` : `R${seg}`;
  const bit = write ? 'wbit' : 'rbit';
  const paged = `((e = tlb[lin >>> 12]) & ${bit}) !== 0 ? (e & -4096) | (lin & 0xfff) : -1`;
  return `(${allowed} && ${off} <= L${seg} && ((lin = (B${seg} + ${off}) >>> 0) & 3) === 0 ? (pg ? (${paged}) : lin) : -1)`;
}

/** Expression reading the dword at `seg`:`off` (as a write for a read-modify-write). */
export function read32Source(seg: number, off: string, rmw: boolean): string {
  const full = rmw
    ? `(slow = 1, cpu.readRmw(${seg}, ${off}, 32))`
    : `(slow = 1, cpu.read32(${seg}, ${off}))`;
  return `((p = ${fastAddress(seg, off, rmw)}) >= 0 && p < ramEnd ? ram[p >>> 2] >>> 0 : ${full})`;
}

/** Statement writing `value` (an expression without side effects) as a dword at `seg`:`off`. */
export function write32Source(seg: number, off: string, value: string): string {
  const fast = `(p = ${fastAddress(seg, off, true)}) >= 0 && p < ramEnd && cf[p >>> 12] === 0`;
  return `if (${fast}) ram[p >>> 2] = ${value}; else { slow = 1; cpu.write32(${seg}, ${off}, ${value}); }`;
}

/** Statement pushing dword `value` (stack.ts push32), ESP moved once the write is done. */
export function push32Source(value: string): string {
  const fast = `S32 && (p = ${fastAddress(2, 'sp', true)}) >= 0 && p < ramEnd && cf[p >>> 12] === 0`;
  return `{ const sp = (r[4] - 4) >>> 0; if (${fast}) { ram[p >>> 2] = ${value}; r[4] = sp; } else { slow = 1; push32(cpu, ${value}); } }`;
}

/** Statements popping a dword into the declared local `target` (stack.ts pop32). */
export function pop32Source(target: string): string {
  const fast = `S32 && (p = ${fastAddress(2, 'sp', false)}) >= 0 && p < ramEnd`;
  return `{ const sp = r[4]; if (${fast}) { ${target} = ram[p >>> 2] >>> 0; r[4] = (sp + 4) >>> 0; } else { slow = 1; ${target} = pop32(cpu); } }`;
}
