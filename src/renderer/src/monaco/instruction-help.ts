// One-line help for every mnemonic and register (Intel SDM vol. 2 instruction summaries, vol. 1 ch. 3 registers).

/** A mnemonic's summary and the flags it affects (SDM notation: modified, undefined, cleared). */
export interface InstructionHelp {
  summary: string;
  flags: string;
}

const ARITH = 'OF SF ZF AF CF PF';
const LOGIC = 'OF=0 CF=0, SF ZF PF set, AF undefined';
const NONE = 'none';

/** Help for the mnemonics that are not a condition-code family. */
const HELP: Record<string, [string, string]> = {
  aaa: ['ASCII adjust AL after addition', 'AF CF; OF SF ZF PF undefined'],
  aad: ['ASCII adjust AX before division (base imm8, default 10)', 'SF ZF PF; OF AF CF undefined'],
  aam: [
    'ASCII adjust AX after multiplication (base imm8, default 10)',
    'SF ZF PF; OF AF CF undefined',
  ],
  aas: ['ASCII adjust AL after subtraction', 'AF CF; OF SF ZF PF undefined'],
  adc: ['Add with carry: dest = dest + src + CF', ARITH],
  add: ['Add: dest = dest + src', ARITH],
  and: ['Bitwise AND: dest = dest & src', LOGIC],
  arpl: ['Adjust RPL of a selector to at least the source RPL', 'ZF'],
  bound: ['Check an index against bounds in memory; #BR when outside', NONE],
  bsf: ['Bit scan forward: index of the lowest set bit', 'ZF; others undefined'],
  bsr: ['Bit scan reverse: index of the highest set bit', 'ZF; others undefined'],
  bswap: ['Reverse the byte order of a 32-bit register', NONE],
  bt: ['Bit test: CF = the selected bit', 'CF; OF SF AF PF undefined'],
  btc: ['Bit test and complement', 'CF; OF SF AF PF undefined'],
  btr: ['Bit test and reset', 'CF; OF SF AF PF undefined'],
  bts: ['Bit test and set', 'CF; OF SF AF PF undefined'],
  call: [
    'Call a procedure: push the return address and jump (near, far or indirect)',
    'none (task switch: all)',
  ],
  cbw: ['Sign-extend AL into AX', NONE],
  cdq: ['Sign-extend EAX into EDX:EAX', NONE],
  clc: ['Clear the carry flag', 'CF=0'],
  cld: ['Clear the direction flag: string operations count up', 'DF=0'],
  cli: ['Clear the interrupt flag: mask maskable interrupts (IOPL-sensitive)', 'IF=0'],
  clts: ['Clear the task-switched flag in CR0 (ring 0)', 'CR0.TS=0'],
  cmc: ['Complement the carry flag', 'CF'],
  cmp: ['Compare: set flags as for dest - src, keep dest', ARITH],
  cmpsb: ['Compare bytes at DS:(E)SI and ES:(E)DI, step both', ARITH],
  cmpsw: ['Compare words at DS:(E)SI and ES:(E)DI, step both', ARITH],
  cmpsd: ['Compare dwords at DS:(E)SI and ES:(E)DI, step both', ARITH],
  cmpxchg: ['Compare AL/AX/EAX with dest; equal: dest = src, else accumulator = dest', ARITH],
  cmpxchg8b: ['Compare EDX:EAX with m64; equal: m64 = ECX:EBX, else EDX:EAX = m64', 'ZF'],
  cpuid: ['CPU identification: EAX selects the leaf, results in EAX EBX ECX EDX', NONE],
  cwd: ['Sign-extend AX into DX:AX', NONE],
  cwde: ['Sign-extend AX into EAX', NONE],
  daa: ['Decimal adjust AL after addition', 'SF ZF AF CF PF; OF undefined'],
  das: ['Decimal adjust AL after subtraction', 'SF ZF AF CF PF; OF undefined'],
  dec: ['Decrement by 1 (CF unchanged)', 'OF SF ZF AF PF'],
  div: ['Unsigned divide the accumulator (AX, DX:AX or EDX:EAX); #DE on overflow', 'all undefined'],
  enter: ['Make a stack frame: push (E)BP, nesting level, reserve imm16 bytes', NONE],
  fwait: ['Wait for pending x87 exceptions (same as WAIT)', NONE],
  hlt: ['Halt until the next interrupt (ring 0)', NONE],
  idiv: ['Signed divide the accumulator; #DE on overflow', 'all undefined'],
  imul: ['Signed multiply: one, two or three operands', 'OF CF; SF ZF AF PF undefined'],
  in: ['Input from an I/O port into AL/AX/EAX (IOPL and I/O bitmap checked)', NONE],
  inc: ['Increment by 1 (CF unchanged)', 'OF SF ZF AF PF'],
  insb: ['Input a byte from port DX to ES:(E)DI', NONE],
  insw: ['Input a word from port DX to ES:(E)DI', NONE],
  insd: ['Input a dword from port DX to ES:(E)DI', NONE],
  int: [
    'Software interrupt imm8 through the IVT/IDT',
    'IF TF cleared (and AC, NT, RF, VM in protected mode)',
  ],
  int3: ['Breakpoint trap (#BP, one byte CC)', 'IF TF cleared'],
  int1: ['ICEBP: debug trap (#DB, F1) with no gate DPL check', 'IF TF cleared'],
  icebp: ['Same as INT1: debug trap (#DB, F1) with no gate DPL check', 'IF TF cleared'],
  into: ['Interrupt 4 (#OF) when OF is set', 'IF TF cleared when taken'],
  invd: ['Invalidate caches without writing them back (ring 0)', NONE],
  invlpg: ['Invalidate the TLB entry of the page holding mem (ring 0)', NONE],
  iret: ['Return from interrupt: pop IP, CS, FLAGS (16-bit operand size)', 'all, from the stack'],
  iretw: ['Return from interrupt with 16-bit operand size', 'all, from the stack'],
  iretd: [
    'Return from interrupt: pop EIP, CS, EFLAGS (and ESP, SS on a ring change)',
    'all, from the stack',
  ],
  jcxz: ['Jump short if CX = 0', NONE],
  jecxz: ['Jump short if ECX = 0', NONE],
  jmp: ['Jump: short, near, far or indirect', 'none (task switch: all)'],
  lahf: ['Load AH from the low byte of FLAGS (SF ZF AF PF CF)', NONE],
  lar: ['Load access rights of a selector; ZF=1 when valid', 'ZF'],
  lds: ['Load a far pointer into DS:reg', NONE],
  lea: ['Load the effective address (no memory access)', NONE],
  leave: ['Undo ENTER: (E)SP = (E)BP, pop (E)BP', NONE],
  les: ['Load a far pointer into ES:reg', NONE],
  lfs: ['Load a far pointer into FS:reg', NONE],
  lgdt: ['Load GDTR from a 6-byte pseudo-descriptor (ring 0)', NONE],
  lgs: ['Load a far pointer into GS:reg', NONE],
  lidt: ['Load IDTR from a 6-byte pseudo-descriptor (ring 0)', NONE],
  lldt: ['Load the LDT register from a selector (ring 0)', NONE],
  lmsw: ['Load the machine status word (CR0 bits 0-3; cannot clear PE)', NONE],
  lodsb: ['Load AL from DS:(E)SI, step (E)SI', NONE],
  lodsw: ['Load AX from DS:(E)SI, step (E)SI', NONE],
  lodsd: ['Load EAX from DS:(E)SI, step (E)SI', NONE],
  loop: ['Decrement (E)CX; jump short if not zero', NONE],
  loope: ['Decrement (E)CX; jump short if not zero and ZF=1', NONE],
  loopz: ['Decrement (E)CX; jump short if not zero and ZF=1', NONE],
  loopne: ['Decrement (E)CX; jump short if not zero and ZF=0', NONE],
  loopnz: ['Decrement (E)CX; jump short if not zero and ZF=0', NONE],
  lsl: ['Load the segment limit of a selector; ZF=1 when valid', 'ZF'],
  lss: ['Load a far pointer into SS:reg', NONE],
  ltr: ['Load the task register from a selector (ring 0)', NONE],
  mov: [
    'Move: dest = src (also segment, control and debug registers)',
    'none (mov crN/drN: undefined)',
  ],
  movsb: ['Move a byte from DS:(E)SI to ES:(E)DI, step both', NONE],
  movsw: ['Move a word from DS:(E)SI to ES:(E)DI, step both', NONE],
  movsd: ['Move a dword from DS:(E)SI to ES:(E)DI, step both', NONE],
  movsx: ['Move with sign extension', NONE],
  movzx: ['Move with zero extension', NONE],
  mul: [
    'Unsigned multiply the accumulator: AX, DX:AX or EDX:EAX = acc * src',
    'OF CF; SF ZF AF PF undefined',
  ],
  neg: ["Two's complement negation: dest = 0 - dest", 'CF = (dest != 0); OF SF ZF AF PF'],
  nop: ['No operation (90, xchg ax, ax)', NONE],
  not: ['Bitwise NOT', NONE],
  or: ['Bitwise OR: dest = dest | src', LOGIC],
  out: ['Output AL/AX/EAX to an I/O port (IOPL and I/O bitmap checked)', NONE],
  outsb: ['Output the byte at DS:(E)SI to port DX', NONE],
  outsw: ['Output the word at DS:(E)SI to port DX', NONE],
  outsd: ['Output the dword at DS:(E)SI to port DX', NONE],
  pop: ['Pop from the stack into a register, memory or segment register', NONE],
  popa: ['Pop DI SI BP (skip) BX DX CX AX', NONE],
  popaw: ['Pop DI SI BP (skip) BX DX CX AX', NONE],
  popad: ['Pop EDI ESI EBP (skip) EBX EDX ECX EAX', NONE],
  popf: ['Pop FLAGS (IF and IOPL kept silently when not privileged)', 'all that may change'],
  popfw: ['Pop FLAGS with 16-bit operand size', 'all that may change'],
  popfd: ['Pop EFLAGS (VM, RF kept; IF and IOPL by privilege)', 'all that may change'],
  push: ['Push a register, memory, segment register or immediate', NONE],
  pusha: ['Push AX CX DX BX SP BP SI DI', NONE],
  pushaw: ['Push AX CX DX BX SP BP SI DI', NONE],
  pushad: ['Push EAX ECX EDX EBX ESP EBP ESI EDI', NONE],
  pushf: ['Push FLAGS (reveals IOPL and IF without trapping)', NONE],
  pushfw: ['Push FLAGS with 16-bit operand size', NONE],
  pushfd: ['Push EFLAGS (VM and RF cleared in the copy)', NONE],
  rcl: ['Rotate left through CF', 'CF; OF for 1-bit rotates'],
  rcr: ['Rotate right through CF', 'CF; OF for 1-bit rotates'],
  rdtsc: ['Read the time-stamp counter into EDX:EAX', NONE],
  ret: ['Near return: pop the return address, then release imm16 bytes', NONE],
  retn: ['Near return (same as RET)', NONE],
  retf: ['Far return: pop IP/EIP and CS, then release imm16 bytes', NONE],
  rol: ['Rotate left', 'CF; OF for 1-bit rotates'],
  ror: ['Rotate right', 'CF; OF for 1-bit rotates'],
  sahf: ['Store AH into the low byte of FLAGS', 'SF ZF AF PF CF'],
  sal: ['Shift arithmetic left (same as SHL)', 'OF SF ZF PF CF; AF undefined'],
  salc: ['Set AL to FF when CF=1, else 00 (undocumented)', NONE],
  sar: ['Shift arithmetic right (sign fills)', 'OF SF ZF PF CF; AF undefined'],
  sbb: ['Subtract with borrow: dest = dest - src - CF', ARITH],
  scasb: ['Compare AL with the byte at ES:(E)DI, step (E)DI', ARITH],
  scasw: ['Compare AX with the word at ES:(E)DI, step (E)DI', ARITH],
  scasd: ['Compare EAX with the dword at ES:(E)DI, step (E)DI', ARITH],
  sgdt: ['Store GDTR (not privileged: reveals the host GDT)', NONE],
  shl: ['Shift left', 'OF SF ZF PF CF; AF undefined'],
  shld: [
    'Double-precision shift left: shift dest, filling from src',
    'SF ZF PF CF; OF AF undefined',
  ],
  shr: ['Shift logical right (zero fills)', 'OF SF ZF PF CF; AF undefined'],
  shrd: [
    'Double-precision shift right: shift dest, filling from src',
    'SF ZF PF CF; OF AF undefined',
  ],
  sidt: ['Store IDTR (not privileged: reveals the host IDT)', NONE],
  sldt: ['Store the LDT selector (not privileged)', NONE],
  smsw: ['Store the machine status word, CR0 bits 0-15 (not privileged)', NONE],
  stc: ['Set the carry flag', 'CF=1'],
  std: ['Set the direction flag: string operations count down', 'DF=1'],
  sti: ['Set the interrupt flag; interrupts open after the next instruction', 'IF=1'],
  stosb: ['Store AL at ES:(E)DI, step (E)DI', NONE],
  stosw: ['Store AX at ES:(E)DI, step (E)DI', NONE],
  stosd: ['Store EAX at ES:(E)DI, step (E)DI', NONE],
  str: ['Store the task register selector (not privileged)', NONE],
  sub: ['Subtract: dest = dest - src', ARITH],
  test: ['Logical compare: flags of dest & src, keep dest', LOGIC],
  ud2: ['Raise #UD on purpose', NONE],
  verr: ['Verify a segment for reading; ZF=1 when readable', 'ZF'],
  verw: ['Verify a segment for writing; ZF=1 when writable', 'ZF'],
  wait: ['Wait for pending x87 exceptions', NONE],
  wbinvd: ['Write back and invalidate caches (ring 0)', NONE],
  xadd: ['Exchange and add: temp = dest + src; src = dest; dest = temp', ARITH],
  xchg: ['Exchange two operands (with memory: locked)', NONE],
  xlat: ['AL = byte at DS:[(E)BX + AL]', NONE],
  xlatb: ['AL = byte at DS:[(E)BX + AL]', NONE],
  xor: ['Bitwise exclusive OR: dest = dest ^ src', LOGIC],
};

/** What each condition code tests (SDM vol. 1 appendix B). */
const CONDITIONS: Record<string, string> = {
  o: 'overflow (OF=1)',
  no: 'not overflow (OF=0)',
  b: 'below, unsigned (CF=1)',
  c: 'carry (CF=1)',
  nae: 'not above or equal (CF=1)',
  nb: 'not below (CF=0)',
  nc: 'not carry (CF=0)',
  ae: 'above or equal, unsigned (CF=0)',
  z: 'zero (ZF=1)',
  e: 'equal (ZF=1)',
  nz: 'not zero (ZF=0)',
  ne: 'not equal (ZF=0)',
  be: 'below or equal, unsigned (CF=1 or ZF=1)',
  na: 'not above (CF=1 or ZF=1)',
  a: 'above, unsigned (CF=0 and ZF=0)',
  nbe: 'not below or equal (CF=0 and ZF=0)',
  s: 'sign (SF=1)',
  ns: 'not sign (SF=0)',
  p: 'parity even (PF=1)',
  pe: 'parity even (PF=1)',
  np: 'parity odd (PF=0)',
  po: 'parity odd (PF=0)',
  l: 'less, signed (SF!=OF)',
  nge: 'not greater or equal (SF!=OF)',
  nl: 'not less (SF=OF)',
  ge: 'greater or equal, signed (SF=OF)',
  le: 'less or equal, signed (ZF=1 or SF!=OF)',
  ng: 'not greater (ZF=1 or SF!=OF)',
  g: 'greater, signed (ZF=0 and SF=OF)',
  nle: 'not less or equal (ZF=0 and SF=OF)',
};

/** Help for a mnemonic (case-insensitive), or undefined when it is not one. */
export function instructionHelp(mnemonic: string): InstructionHelp | undefined {
  const m = mnemonic.toLowerCase();
  const h = HELP[m];
  if (h) return { summary: h[0], flags: h[1] };
  const cc = /^(j|set|cmov)(.+)$/.exec(m);
  const cond = cc ? CONDITIONS[cc[2]!] : undefined;
  if (cc && cond) {
    if (cc[1] === 'j') return { summary: `Jump if ${cond}`, flags: NONE };
    if (cc[1] === 'set') return { summary: `Set byte to 1 if ${cond}, else 0`, flags: NONE };
    return { summary: `Move if ${cond}`, flags: NONE };
  }
  return undefined;
}

const REG_HELP: Record<string, string> = {
  eax: 'Accumulator (32-bit): arithmetic, I/O, string and multiply/divide results',
  ebx: 'Base register (32-bit): pointer to data, XLAT table',
  ecx: 'Count register (32-bit): loop, shift and REP counts',
  edx: 'Data register (32-bit): I/O port, high half of multiply/divide',
  esi: 'Source index (32-bit): string source',
  edi: 'Destination index (32-bit): string destination',
  esp: 'Stack pointer (32-bit)',
  ebp: 'Base pointer (32-bit): stack frame',
  cs: 'Code segment: selector of the executing code; its DPL is the CPL',
  ds: 'Data segment: default for most memory operands',
  es: 'Extra segment: string destination',
  ss: 'Stack segment: for (E)SP and (E)BP addressing',
  fs: 'Extra segment FS (386+)',
  gs: 'Extra segment GS (386+)',
  cr0: 'Control register 0: PE, MP, EM, TS, ET, NE, WP, AM, NW, CD, PG',
  cr2: 'Control register 2: the linear address of the last page fault',
  cr3: 'Control register 3: page directory base (PDBR), PWT, PCD',
  cr4: 'Control register 4: VME, PVI, TSD, DE, PSE, PAE, PGE ...',
};

/** Help for a register name, or undefined when it is not one. */
export function registerHelp(name: string): string | undefined {
  const r = name.toLowerCase();
  if (REG_HELP[r]) return REG_HELP[r];
  const r16 = ['ax', 'bx', 'cx', 'dx', 'si', 'di', 'sp', 'bp'];
  if (r16.includes(r))
    return REG_HELP[`e${r}`]!.replace('(32-bit)', `(16-bit, low half of E${r.toUpperCase()})`);
  const m8 = /^([abcd])([lh])$/.exec(r);
  if (m8) return `${m8[2] === 'l' ? 'Low' : 'High'} byte of ${m8[1]!.toUpperCase()}X`;
  const dr = /^dr([0-7])$/.exec(r);
  if (dr)
    return Number(dr[1]) < 4
      ? `Debug register ${dr[1]}: breakpoint address`
      : `Debug register ${dr[1]}: ${dr[1] === '6' ? 'status' : dr[1] === '7' ? 'control' : 'reserved'}`;
  if (/^tr[3-7]$/.test(r)) return `Test register ${r.slice(2)} (486 cache and TLB test)`;
  return undefined;
}
