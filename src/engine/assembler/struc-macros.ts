// NASM's standard STRUC/ENDSTRUC and ISTRUC/AT/IEND macros as line rewrites (NASM manual 5.9).

import { splitArgs, stripComment } from './macros';

/** The state of the struc macros across lines: the open STRUC and the ISTRUC instances. */
export class StrucMacros {
  private section = '.text';
  private struc: { name: string; section: string } | null = null;
  private instances: { name: string; start: string }[] = [];

  /**
   * NASM's standard struc macros (manual 5.9): STRUC/ENDSTRUC declare offsets in an ABSOLUTE
   * block, ISTRUC/AT/IEND lay out an instance padded with zeros. True when the line was one.
   */
  line(
    text: string,
    emit: (text: string) => void,
    error: (message: string) => void,
    uniqueLabel: () => string,
  ): boolean {
    const sec = /^\s*\[?\s*(?:section|segment)\s+([^\s\]]+)/i.exec(text);
    if (sec) this.section = sec[1]!;
    const m = /^\s*(struc|endstruc|istruc|at|iend)\b\s*(.*)$/i.exec(stripComment(text));
    if (!m) return false;
    const word = m[1]!.toLowerCase();
    const args = m[2]!.trim();
    switch (word) {
      case 'struc': {
        const [name = '', offset = '0'] = splitArgs(args, false);
        this.struc = { name, section: this.section };
        emit(`absolute ${offset}`);
        emit(`${name}:`);
        return true;
      }
      case 'endstruc': {
        if (!this.struc) {
          error("`endstruc' without `struc'");
          return true;
        }
        const { name, section } = this.struc;
        this.struc = null;
        emit(`${name}_size equ ($-${name})`);
        emit(`section ${section}`);
        return true;
      }
      case 'istruc': {
        const start = uniqueLabel();
        this.instances.push({ name: args, start });
        emit(`${start}:`);
        return true;
      }
      case 'at': {
        const inst = this.instances[this.instances.length - 1];
        if (!inst) {
          error("`at' outside `istruc'");
          return true;
        }
        const comma = args.indexOf(',');
        const field = comma < 0 ? args : args.slice(0, comma);
        emit(`times (${field}-${inst.name})-($-${inst.start}) db 0`);
        if (comma >= 0 && args.slice(comma + 1).trim() !== '') emit(args.slice(comma + 1));
        return true;
      }
      default: {
        const inst = this.instances.pop();
        if (!inst) {
          error("`iend' without `istruc'");
          return true;
        }
        emit(`times ${inst.name}_size-($-${inst.start}) db 0`);
        return true;
      }
    }
  }
}
