// The NASM assembly language for Monaco: a Monarch tokenizer and editing configuration.
// Number, string and directive forms follow the NASM manual, chapter 3 ("The NASM Language").

import type { languages } from 'monaco-editor/editor';

export const NASM_LANGUAGE_ID = 'nasm';

/** Mnemonics highlighted as instructions (IA-32 integer set plus common extensions). */
const INSTRUCTIONS = `
aaa aad aam aas adc add and arpl bound bsf bsr bswap bt btc btr bts call cbw cdq clc cld cli
clts cmc cmp cmps cmpsb cmpsw cmpsd cmpxchg cmpxchg8b cpuid cwd cwde daa das dec div enter
hlt idiv imul in inc ins insb insw insd int int1 icebp int3 into invd invlpg iret iretd iretw jcxz jecxz
jmp jmpe lahf lar lds lea leave les lfs lgdt lgs lidt lldt lmsw lock lods lodsb lodsw lodsd
loop loope loopne loopnz loopz lsl lss ltr mov movs movsb movsw movsd movsx movzx mul neg nop
not or out outs outsb outsw outsd pop popa popad popaw popf popfd popfw push pusha pushad
pushaw pushf pushfd pushfw rcl rcr rdmsr rdpmc rdtsc rdtscp rep repe repne repnz repz ret
retf retn rol ror rsm sahf sal sar sbb scas scasb scasw scasd sgdt shl shld shr shrd sidt
sldt smsw stc std sti stos stosb stosw stosd str sub sysenter sysexit test ud0 ud1 ud2
verr verw wait fwait wbinvd wrmsr xadd xchg xlat xlatb xor pause vmcall vmlaunch vmresume
vmxoff vmxon vmptrld vmptrst vmread vmwrite vmclear invept invvpid monitor mwait clflush
lfence mfence sfence prefetch fninit fnstsw fnstcw fldcw emms
`
  .trim()
  .split(/\s+/);

/** Register names: general, segment, control, debug, test, x87, MMX and SSE. */
const REGISTERS = `
al ah bl bh cl ch dl dh ax bx cx dx si di sp bp eax ebx ecx edx esi edi esp ebp
cs ds es fs gs ss cr0 cr2 cr3 cr4 dr0 dr1 dr2 dr3 dr6 dr7 tr3 tr4 tr5 tr6 tr7
st0 st1 st2 st3 st4 st5 st6 st7 mm0 mm1 mm2 mm3 mm4 mm5 mm6 mm7
xmm0 xmm1 xmm2 xmm3 xmm4 xmm5 xmm6 xmm7
`
  .trim()
  .split(/\s+/);

/** Assembler directives and pseudo-instructions. */
const DIRECTIVES = `
bits use16 use32 org section segment absolute extern global common static cpu default float
align alignb db dw dd dq dt do dy dz resb resw resd resq rest reso resy resz incbin equ times
struc endstruc istruc iend at seg wrt strict nosplit rel abs
`
  .trim()
  .split(/\s+/);

/** Operand-size and jump-distance keywords. */
const SIZES = 'byte word dword qword tword oword yword far near short to'.split(' ');

/** Conditional families: Jcc, SETcc, CMOVcc (condition codes per Intel SDM Vol. 1, B.1). */
const CONDITIONAL = '~(j|set|cmov)(n?(a|ae|b|be|c|e|g|ge|l|le|o|p|s|z)|pe|po)';

/**
 * NASM's numeric forms: 0x1F 0h1F $0F 1Fh 1Fx (hex), 0b101 0y101 101b 101y (binary),
 * 0o17 0q17 17o 17q (octal), 0d99 99d 99 (decimal), 1.5e3 (float). Underscores may separate
 * digits. Listed most specific first: the lexer takes the first that matches.
 */
export const NUMBER_PATTERNS: readonly (readonly [RegExp, string])[] = [
  [/\b0[xh][0-9a-f_]+\b/i, 'number.hex'],
  [/\$[0-9][0-9a-f_]*\b/i, 'number.hex'],
  [/\b0[by][01_]+\b/i, 'number.binary'],
  [/\b0[oq][0-7_]+\b/i, 'number.octal'],
  [/\b0[dt][0-9_]+\b/i, 'number'],
  [/\b[01][01_]*[by]\b/i, 'number.binary'],
  [/\b[0-7][0-7_]*[oq]\b/i, 'number.octal'],
  [/\b[0-9][0-9a-f_]*[hx]\b/i, 'number.hex'],
  [/\b[0-9][0-9_]*\.[0-9_]*(e[+-]?[0-9]+)?\b/i, 'number.float'],
  [/\b[0-9][0-9_]*d?\b/i, 'number'],
];

/** The Monarch tokenizer; `ignoreCase` because NASM mnemonics and registers are. */
export const nasmMonarch: languages.IMonarchLanguage = {
  ignoreCase: true,
  defaultToken: '',
  tokenPostfix: '.nasm',
  instructions: INSTRUCTIONS,
  registers: REGISTERS,
  directives: DIRECTIVES,
  sizes: SIZES,
  brackets: [
    { open: '[', close: ']', token: 'delimiter.square' },
    { open: '(', close: ')', token: 'delimiter.parenthesis' },
  ],
  tokenizer: {
    root: [
      [/;.*$/, 'comment'],
      // Preprocessor: %define, %macro ..., macro parameters %1, macro-local labels %%x.
      [/%%[a-z_.?$][\w.?$#@~]*/, 'variable.parameter'],
      [/%[0-9]+/, 'variable.parameter'],
      [/%[a-z_]\w*/, 'meta.preprocessor'],
      // Strings: '...' and "..." are verbatim, `...` understands C-style escapes.
      [/'[^']*$/, 'string.invalid'],
      [/"[^"]*$/, 'string.invalid'],
      [/`([^`\\]|\\.)*$/, 'string.invalid'],
      [/'/, 'string', '@squote'],
      [/"/, 'string', '@dquote'],
      [/`/, 'string', '@bquote'],
      ...NUMBER_PATTERNS.map(([re, token]): [RegExp, string] => [re, token]),
      [/\$\$?/, 'variable.predefined'],
      // A name followed by a colon is a label, unless it is a segment register override.
      [
        /[a-z_.?][\w.?$#@~]*(?=\s*:)/,
        { cases: { '@registers': 'variable.predefined', '@default': 'type.identifier' } },
      ],
      [
        /[a-z_.?][\w.?$#@~]*/,
        {
          cases: {
            '@registers': 'variable.predefined',
            '@instructions': 'keyword',
            [CONDITIONAL]: 'keyword',
            '@directives': 'keyword.directive',
            '@sizes': 'type',
            '@default': 'identifier',
          },
        },
      ],
      [/[[\]()]/, '@brackets'],
      [/[,:]/, 'delimiter'],
      [/[+\-*/%|&^~<>!=]+/, 'operator'],
      [/\s+/, 'white'],
    ],
    squote: [
      [/[^']+/, 'string'],
      [/'/, 'string', '@pop'],
    ],
    dquote: [
      [/[^"]+/, 'string'],
      [/"/, 'string', '@pop'],
    ],
    bquote: [
      [/[^`\\]+/, 'string'],
      [/\\./, 'string.escape'],
      [/`/, 'string', '@pop'],
    ],
  },
};

/** Comments, brackets and word boundaries for editing (toggle comment is Ctrl+/). */
export const nasmConfiguration: languages.LanguageConfiguration = {
  comments: { lineComment: ';' },
  brackets: [
    ['[', ']'],
    ['(', ')'],
  ],
  autoClosingPairs: [
    { open: '[', close: ']' },
    { open: '(', close: ')' },
    { open: "'", close: "'", notIn: ['string', 'comment'] },
    { open: '"', close: '"', notIn: ['string', 'comment'] },
    { open: '`', close: '`', notIn: ['string', 'comment'] },
  ],
  surroundingPairs: [
    { open: '[', close: ']' },
    { open: '(', close: ')' },
    { open: "'", close: "'" },
    { open: '"', close: '"' },
  ],
  wordPattern: /(-?\d+(\.\d+)?[a-z]?)|(%{0,2}[a-z_.?$][\w.?$#@~]*)/i,
};
