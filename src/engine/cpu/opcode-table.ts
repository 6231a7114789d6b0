// The one x86 opcode table (Intel SDM vol. 2D appendix A "Opcode map"): drives the decoder and the assembler.

/**
 * Operand types in the SDM opcode-map notation: E = ModRM r/m, G = ModRM reg, S = segment
 * register in ModRM reg, M = memory-only r/m, I = immediate, J = relative offset, O = moffs,
 * A = far pointer; suffix b = byte, w = word, v = operand size, z = word or dword immediate.
 * Additions: Ibs is an Ib sign-extended to the operand size (opcodes 6A and 83); Zb/Zv is a
 * register in the opcode's low three bits (B0+r); '1' is the constant 1 of the shift group;
 * Rd is a 32-bit register in ModRM.rm whatever the mod bits, Cd/Dd a control/debug register in
 * ModRM.reg (MOV CRn/DRn, 0F 20-23).
 */
export type OperandType =
  | 'Eb'
  | 'Ew'
  | 'Ev'
  | 'Gb'
  | 'Gv'
  | 'Gw'
  | 'Sw'
  | 'M'
  | 'Mp'
  | 'Ib'
  | 'Iw'
  | 'Iv'
  | 'Iz'
  | 'Ibs'
  | 'Jb'
  | 'Jz'
  | 'Ob'
  | 'Ov'
  | 'Ap'
  | 'Zb'
  | 'Zv'
  | 'Rd'
  | 'Cd'
  | 'Dd'
  | 'AL'
  | 'CL'
  | 'DX'
  | 'eAX'
  | '1'
  | 'ES'
  | 'CS'
  | 'SS'
  | 'DS'
  | 'FS'
  | 'GS';

/** One encoding of one instruction. */
export interface OpcodeEntry {
  /** Position in OPCODE_TABLE; the interpreter's dispatch array is indexed by it. */
  readonly index: number;
  /** Canonical NASM/SDM mnemonic, lower case. */
  readonly mnemonic: string;
  /** Other mnemonics for the same encoding (je for jz). */
  readonly aliases: readonly string[];
  /** Opcode byte, or 0x100 | second byte for the two-byte map (0F xx). */
  readonly opcode: number;
  /** True for +r opcodes (B0+r): the low three bits hold a register. */
  readonly plusReg: boolean;
  /** ModRM.reg opcode extension (/digit), or -1. */
  readonly ext: number;
  /** True when a ModRM byte follows the opcode. */
  readonly modrm: boolean;
  readonly operands: readonly OperandType[];
  /** Name of the interpreter handler (cpu/exec); several encodings share one. */
  readonly exec: string;
  /** Set when the encoding means this mnemonic only at one operand size (movsw vs movsd). */
  readonly osize?: 16 | 32;
  /** An alternative operand order the assembler may use; the decoder ignores it. */
  readonly encodeOnly?: boolean;
  /** A redundant encoding the decoder accepts but the assembler never emits (82 /r). */
  readonly decodeOnly?: boolean;
  /** Operand 0 is read, modified and written: its read is checked as a write (Cpu.readRmw). */
  readonly rmw: boolean;
}

interface Options {
  aliases?: readonly string[];
  osize?: 16 | 32;
  encodeOnly?: boolean;
  decodeOnly?: boolean;
}

const table: OpcodeEntry[] = [];

/**
 * Instructions whose r/m destination is read and then written. Their read is checked as a
 * write, so a read-only segment or page faults even where nothing ends up written (a shift by
 * 0, ARPL with nothing to raise) and a #PF reports W/R = 1, as Bochs does.
 */
const RMW = new Set(
  'add or adc sbb and sub xor inc dec not neg rol ror rcl rcr shl sal shr sar shld shrd bts btr btc xadd xchg cmpxchg arpl'.split(
    ' ',
  ),
);
const MODRM_OPERANDS = new Set<OperandType>(['Eb', 'Ew', 'Ev', 'Gb', 'Gv', 'Gw', 'Sw', 'M', 'Mp']);

/**
 * Adds an entry. `code` is the SDM opcode column: 'B0+r', '0F 84', '80 /0' or '00 /r'.
 * The exec name defaults to the upper-case mnemonic.
 */
function def(mnemonic: string, code: string, ops: string, exec = '', opt: Options = {}): void {
  const parts = code.split(' ');
  let opcode = 0;
  let ext = -1;
  let hasModrm = false;
  let plusReg = false;
  for (const p of parts) {
    if (p === '/r') hasModrm = true;
    else if (p.startsWith('/')) {
      hasModrm = true;
      ext = Number(p.slice(1));
    } else if (p.endsWith('+r')) {
      plusReg = true;
      opcode = (opcode === 0x0f ? 0x100 : 0) | Number.parseInt(p, 16);
    } else {
      opcode = (opcode === 0x0f ? 0x100 : 0) | Number.parseInt(p, 16);
    }
  }
  const operands = (ops === '' ? [] : ops.split(',')) as OperandType[];
  if (operands.some((o) => MODRM_OPERANDS.has(o))) {
    hasModrm = true;
  }
  table.push({
    index: table.length,
    mnemonic,
    aliases: opt.aliases ?? [],
    opcode,
    plusReg,
    ext,
    modrm: hasModrm,
    operands,
    exec: exec || mnemonic.toUpperCase(),
    rmw: RMW.has(mnemonic) && /^E[bwv]$/.test(operands[0] ?? ''),
    ...(opt.osize ? { osize: opt.osize } : {}),
    ...(opt.encodeOnly ? { encodeOnly: true } : {}),
    ...(opt.decodeOnly ? { decodeOnly: true } : {}),
  });
}

const hx = (n: number) => n.toString(16).toUpperCase().padStart(2, '0');

// Arithmetic and logic group: eight operations share six forms and the 80/81/83 group.
// Order matters to the assembler: among encodings of equal length the first wins, which
// reproduces NASM's choices (89 over 8B, 83 /0 ib over the 05 iw accumulator form).
const ALU = ['add', 'or', 'adc', 'sbb', 'and', 'sub', 'xor', 'cmp'] as const;
ALU.forEach((m, op) => {
  const b = op * 8;
  def(m, hx(b), 'Eb,Gb');
  def(m, hx(b + 1), 'Ev,Gv');
  def(m, hx(b + 2), 'Gb,Eb');
  def(m, hx(b + 3), 'Gv,Ev');
  def(m, `80 /${op}`, 'Eb,Ib');
  def(m, `82 /${op}`, 'Eb,Ib', '', { decodeOnly: true });
  def(m, `83 /${op}`, 'Ev,Ibs');
  def(m, hx(b + 4), 'AL,Ib');
  def(m, hx(b + 5), 'eAX,Iz');
  def(m, `81 /${op}`, 'Ev,Iz');
});

def('test', '84 /r', 'Eb,Gb');
def('test', '85 /r', 'Ev,Gv');
def('test', '84 /r', 'Gb,Eb', '', { encodeOnly: true });
def('test', '85 /r', 'Gv,Ev', '', { encodeOnly: true });
def('test', 'A8', 'AL,Ib');
def('test', 'A9', 'eAX,Iz');
def('test', 'F6 /0', 'Eb,Ib');
def('test', 'F7 /0', 'Ev,Iz');

def('inc', '40+r', 'Zv');
def('dec', '48+r', 'Zv');
def('inc', 'FE /0', 'Eb');
def('dec', 'FE /1', 'Eb');
def('inc', 'FF /0', 'Ev');
def('dec', 'FF /1', 'Ev');
def('not', 'F6 /2', 'Eb');
def('not', 'F7 /2', 'Ev');
def('neg', 'F6 /3', 'Eb');
def('neg', 'F7 /3', 'Ev');
['mul', 'imul', 'div', 'idiv'].forEach((m, i) => {
  def(m, `F6 /${i + 4}`, 'Eb');
  def(m, `F7 /${i + 4}`, 'Ev');
});
def('imul', '0F AF /r', 'Gv,Ev', 'IMUL2');
def('imul', '6B /r', 'Gv,Ev,Ibs', 'IMUL3');
def('imul', '69 /r', 'Gv,Ev,Iz', 'IMUL3');
def('test', 'F6 /1', 'Eb,Ib', 'TEST', { decodeOnly: true }); // undocumented alias of /0
def('test', 'F7 /1', 'Ev,Iz', 'TEST', { decodeOnly: true });
def('xadd', '0F C0 /r', 'Eb,Gb');
def('xadd', '0F C1 /r', 'Ev,Gv');
def('cmpxchg', '0F B0 /r', 'Eb,Gb');
def('cmpxchg', '0F B1 /r', 'Ev,Gv');
def('cmpxchg8b', '0F C7 /1', 'M');
def('daa', '27', '');
def('das', '2F', '');
def('aaa', '37', '');
def('aas', '3F', '');
def('aam', 'D4', 'Ib');
def('aad', 'D5', 'Ib');
def('salc', 'D6', ''); // undocumented but present on every Intel CPU: AL = CF ? FF : 00
['rol', 'ror', 'rcl', 'rcr', 'shl', 'shr', '', 'sar'].forEach((m, i) => {
  if (m === '') return;
  const aliases = m === 'shl' ? ['sal'] : [];
  def(m, `D0 /${i}`, 'Eb,1', '', { aliases });
  def(m, `D1 /${i}`, 'Ev,1', '', { aliases });
  def(m, `C0 /${i}`, 'Eb,Ib', '', { aliases });
  def(m, `C1 /${i}`, 'Ev,Ib', '', { aliases });
  def(m, `D2 /${i}`, 'Eb,CL', '', { aliases });
  def(m, `D3 /${i}`, 'Ev,CL', '', { aliases });
});
// ModRM.reg 6 of the shift group behaves as SHL on Intel CPUs (undocumented, as in Bochs).
for (const [code, ops] of [
  ['D0', 'Eb,1'],
  ['D1', 'Ev,1'],
  ['C0', 'Eb,Ib'],
  ['C1', 'Ev,Ib'],
  ['D2', 'Eb,CL'],
  ['D3', 'Ev,CL'],
] as const) {
  def('shl', `${code} /6`, ops, 'SHL', { decodeOnly: true });
}
def('shld', '0F A4 /r', 'Ev,Gv,Ib');
def('shld', '0F A5 /r', 'Ev,Gv,CL');
def('shrd', '0F AC /r', 'Ev,Gv,Ib');
def('shrd', '0F AD /r', 'Ev,Gv,CL');

// Bit test and scan.
['bt', 'bts', 'btr', 'btc'].forEach((m, i) => {
  def(m, `0F ${hx(0xa3 + i * 8)} /r`, 'Ev,Gv');
  def(m, `0F BA /${i + 4}`, 'Ev,Ib');
});
def('bsf', '0F BC /r', 'Gv,Ev');
def('bsr', '0F BD /r', 'Gv,Ev');

// Data movement.
def('mov', '88 /r', 'Eb,Gb');
def('mov', '89 /r', 'Ev,Gv');
def('mov', '8A /r', 'Gb,Eb');
def('mov', '8B /r', 'Gv,Ev');
def('mov', '8C /r', 'Ew,Sw', 'MOV_SREG');
def('mov', '8E /r', 'Sw,Ew', 'MOV_SREG');
def('mov', 'A0', 'AL,Ob');
def('mov', 'A1', 'eAX,Ov');
def('mov', 'A2', 'Ob,AL');
def('mov', 'A3', 'Ov,eAX');
def('mov', 'B0+r', 'Zb,Ib');
def('mov', 'B8+r', 'Zv,Iv');
def('mov', 'C6 /0', 'Eb,Ib');
def('mov', 'C7 /0', 'Ev,Iz');
def('nop', '90', ''); // before xchg so that the decoder reads 90 as NOP
def('xchg', '86 /r', 'Gb,Eb', '', { encodeOnly: true }); // NASM puts the register first
def('xchg', '86 /r', 'Eb,Gb');
def('xchg', '87 /r', 'Gv,Ev', '', { encodeOnly: true });
def('xchg', '87 /r', 'Ev,Gv');
def('xchg', '90+r', 'eAX,Zv');
def('xchg', '90+r', 'Zv,eAX', '', { encodeOnly: true });
def('lea', '8D /r', 'Gv,M');
def('cbw', '98', '', 'CBW', { osize: 16 });
def('cwde', '98', '', 'CBW', { osize: 32 });
def('cwd', '99', '', 'CWD', { osize: 16 });
def('cdq', '99', '', 'CWD', { osize: 32 });
def('lahf', '9F', '');
def('sahf', '9E', '');
def('les', 'C4 /r', 'Gv,Mp');
def('lds', 'C5 /r', 'Gv,Mp');
def('xlatb', 'D7', '', 'XLAT');
def('lss', '0F B2 /r', 'Gv,Mp');
def('lfs', '0F B4 /r', 'Gv,Mp');
def('lgs', '0F B5 /r', 'Gv,Mp');
def('movzx', '0F B6 /r', 'Gv,Eb');
def('movzx', '0F B7 /r', 'Gv,Ew');
def('movsx', '0F BE /r', 'Gv,Eb');
def('movsx', '0F BF /r', 'Gv,Ew');
def('bswap', '0F C8+r', 'Zv', 'BSWAP', { osize: 32 });
def('bswap', '0F C8+r', 'Zv', 'BSWAP', { osize: 16, decodeOnly: true }); // undefined: clears the word

// Control transfer.
const CC = [
  ['o'],
  ['no'],
  ['b', 'c', 'nae'],
  ['nb', 'nc', 'ae'],
  ['z', 'e'],
  ['nz', 'ne'],
  ['be', 'na'],
  ['a', 'nbe'],
  ['s'],
  ['ns'],
  ['p', 'pe'],
  ['np', 'po'],
  ['l', 'nge'],
  ['nl', 'ge'],
  ['le', 'ng'],
  ['g', 'nle'],
];
CC.forEach((names, cc) => {
  const [first, ...rest] = names.map((n) => `j${n}`);
  def(first!, hx(0x70 + cc), 'Jb', 'JCC', { aliases: rest });
  def(first!, `0F ${hx(0x80 + cc)}`, 'Jz', 'JCC', { aliases: rest });
});
CC.forEach((names, cc) => {
  const [first, ...rest] = names.map((n) => `set${n}`);
  def(first!, `0F ${hx(0x90 + cc)}`, 'Eb', 'SETCC', { aliases: rest });
});
CC.forEach((names, cc) => {
  const [first, ...rest] = names.map((n) => `cmov${n}`);
  def(first!, `0F ${hx(0x40 + cc)}`, 'Gv,Ev', 'CMOVCC', { aliases: rest });
});
def('bound', '62 /r', 'Gv,M');
def('jmp', 'EB', 'Jb', 'JMP_REL');
def('jmp', 'E9', 'Jz', 'JMP_REL');
def('jmp', 'FF /4', 'Ev', 'JMP_INDIRECT');
def('jmp', 'EA', 'Ap', 'JMP_FAR');
def('jmp', 'FF /5', 'Mp', 'JMP_FAR');
def('call', 'E8', 'Jz', 'CALL_REL');
def('call', 'FF /2', 'Ev', 'CALL_INDIRECT');
def('call', '9A', 'Ap', 'CALL_FAR');
def('call', 'FF /3', 'Mp', 'CALL_FAR');
def('ret', 'C3', '');
def('ret', 'C2', 'Iw');
def('retf', 'CB', '');
def('retf', 'CA', 'Iw');
def('loopnz', 'E0', 'Jb', 'LOOP', { aliases: ['loopne'] });
def('loopz', 'E1', 'Jb', 'LOOP', { aliases: ['loope'] });
def('loop', 'E2', 'Jb', 'LOOP');
def('jcxz', 'E3', 'Jb', 'JCXZ');
def('int3', 'CC', '', 'INT3');
def('int', 'CD', 'Ib');
def('into', 'CE', '');
// ICEBP: a #DB trap with no gate DPL or IOPL check (SDM 2A "INT n/INTO/INT3/INT1").
def('int1', 'F1', '', 'INT1');
def('iret', 'CF', '', 'IRET', { osize: 16 });
def('iretd', 'CF', '', 'IRET', { osize: 32 });

// Stack.
def('push', '50+r', 'Zv');
def('pop', '58+r', 'Zv');
def('push', '06', 'ES', 'PUSH_SREG');
def('pop', '07', 'ES', 'POP_SREG');
def('push', '0E', 'CS', 'PUSH_SREG');
def('push', '16', 'SS', 'PUSH_SREG');
def('pop', '17', 'SS', 'POP_SREG');
def('push', '1E', 'DS', 'PUSH_SREG');
def('pop', '1F', 'DS', 'POP_SREG');
def('push', '0F A0', 'FS', 'PUSH_SREG');
def('pop', '0F A1', 'FS', 'POP_SREG');
def('push', '0F A8', 'GS', 'PUSH_SREG');
def('pop', '0F A9', 'GS', 'POP_SREG');
def('push', '6A', 'Ibs');
def('push', '68', 'Iz');
def('push', 'FF /6', 'Ev');
def('pop', '8F /0', 'Ev');
def('pushf', '9C', '', 'PUSHF', { osize: 16 });
def('pushfd', '9C', '', 'PUSHF', { osize: 32 });
def('popf', '9D', '', 'POPF', { osize: 16 });
def('popfd', '9D', '', 'POPF', { osize: 32 });
def('pusha', '60', '', 'PUSHA', { osize: 16 });
def('pushad', '60', '', 'PUSHA', { osize: 32 });
def('popa', '61', '', 'POPA', { osize: 16 });
def('popad', '61', '', 'POPA', { osize: 32 });
def('enter', 'C8', 'Iw,Ib');
def('leave', 'C9', '');

// Strings: the b forms are byte-sized, the w/d forms take the operand size.
for (const [m, op] of [
  ['movs', 0xa4],
  ['cmps', 0xa6],
  ['stos', 0xaa],
  ['lods', 0xac],
  ['scas', 0xae],
] as const) {
  const exec = m.toUpperCase();
  def(`${m}b`, hx(op), '', `${exec}B`);
  def(`${m}w`, hx(op + 1), '', `${exec}V`, { osize: 16 });
  def(`${m}d`, hx(op + 1), '', `${exec}V`, { osize: 32 });
}
def('insb', '6C', '', 'INSB');
def('insw', '6D', '', 'INSV', { osize: 16 });
def('insd', '6D', '', 'INSV', { osize: 32 });
def('outsb', '6E', '', 'OUTSB');
def('outsw', '6F', '', 'OUTSV', { osize: 16 });
def('outsd', '6F', '', 'OUTSV', { osize: 32 });

// Port I/O.
def('in', 'E4', 'AL,Ib', 'IN');
def('in', 'E5', 'eAX,Ib', 'IN');
def('in', 'EC', 'AL,DX', 'IN');
def('in', 'ED', 'eAX,DX', 'IN');
def('out', 'E6', 'Ib,AL', 'OUT');
def('out', 'E7', 'Ib,eAX', 'OUT');
def('out', 'EE', 'DX,AL', 'OUT');
def('out', 'EF', 'DX,eAX', 'OUT');

// Flags and processor control.
def('clc', 'F8', '');
def('stc', 'F9', '');
def('cli', 'FA', '');
def('sti', 'FB', '');
def('cld', 'FC', '');
def('std', 'FD', '');
def('cmc', 'F5', '');
def('hlt', 'F4', '');
def('cpuid', '0F A2', '');
def('rdtsc', '0F 31', '');
def('ud2', '0F 0B', '');
def('wait', '9B', '', 'WAIT', { aliases: ['fwait'] });
// x87 escapes D8-DF: decoded (ModRM and displacement) so that #NM and the error name them.
for (let op = 0xd8; op <= 0xdf; op++)
  def('x87-esc', `${hx(op)} /r`, 'Eb', 'ESC', { decodeOnly: true });
// System instructions (SDM 3A 2.8): descriptor tables, task register, control and debug registers.
def('sldt', '0F 00 /0', 'Ew');
def('str', '0F 00 /1', 'Ew');
def('lldt', '0F 00 /2', 'Ew');
def('ltr', '0F 00 /3', 'Ew');
def('verr', '0F 00 /4', 'Ew');
def('verw', '0F 00 /5', 'Ew');
def('sgdt', '0F 01 /0', 'M');
def('sidt', '0F 01 /1', 'M');
def('lgdt', '0F 01 /2', 'M');
def('lidt', '0F 01 /3', 'M');
def('smsw', '0F 01 /4', 'Ew');
def('lmsw', '0F 01 /6', 'Ew');
def('invlpg', '0F 01 /7', 'M');
def('lar', '0F 02 /r', 'Gv,Ew');
def('lsl', '0F 03 /r', 'Gv,Ew');
// ARPL's operands are words whatever the operand size: 66 changes nothing (SDM 2A "ARPL").
def('arpl', '63 /r', 'Ew,Gw');
def('clts', '0F 06', '');
def('invd', '0F 08', '');
def('wbinvd', '0F 09', '');
def('mov', '0F 20 /r', 'Rd,Cd', 'MOV_R_CR');
def('mov', '0F 21 /r', 'Rd,Dd', 'MOV_R_DR');
def('mov', '0F 22 /r', 'Cd,Rd', 'MOV_CR_R');
def('mov', '0F 23 /r', 'Dd,Rd', 'MOV_DR_R');

/** Every instruction encoding vmlab knows, implemented or not. */
export const OPCODE_TABLE: readonly OpcodeEntry[] = table;

/** Number of distinct opcode keys: 256 one-byte plus 256 two-byte (0F xx) opcodes. */
export const OPCODE_KEYS = 512;
