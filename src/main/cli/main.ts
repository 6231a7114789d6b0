// The `vmlab` command line: run, asm, disasm, snapshot, serve, bench. Plain Node, no Electron.

import { bundlePaths } from '../bundle-paths';
import { commandAsm } from './command-asm';
import { commandBench } from './command-bench';
import { commandDisasm } from './command-disasm';
import { commandRun } from './command-run';
import { commandServe } from './command-serve';
import { commandSnapshot } from './command-snapshot';
import { UsageError } from './usage';

export const USAGE = `usage: vmlab <command> [options]

commands:
  run [FILE]          run a PC headless: FILE (.asm is assembled first; any other file is
                      loaded whole at 0x7C00 and started at 0000:7C00 with DL=0x80), or
                      the first --disk's MBR, or a --kernel
      --disk IMG             attach a raw disk image (repeatable: IDE primary master, ...)
      --kernel ELF           load a Multiboot (v1) kernel (--cmdline TEXT)
      --memory SIZE          guest memory, 1M to 2G (default 256M)
      --max-instructions N   stop after N instructions (exit status 124)
      --timeout SECONDS      stop after SECONDS of wall time (exit status 124)
      --serial stdio|FILE    where COM1 goes (default stdout, with port 0xE9)
      --screen               also print BIOS teletype (int 10h) text
      --vga-dump             print the VGA text screen at the end
      --stats                print icount, virtual time and device counters on stderr
      --save-snapshot OUT    save the machine to a snapshot file when the run ends
      --restore-snapshot IN  continue a snapshot file instead of booting
  snapshot list VM    print a library VM's snapshot tree (--data-dir DIR)
  snapshot save VM NAME
                      save the VM where it is (its current snapshot, else freshly
                      booted), after --max-instructions N or --timeout S if given
  snapshot restore VM NAME
                      make NAME the VM's current position
  asm FILE [-o OUT] [-l LISTING] [-f bin]
                      assemble NASM-syntax FILE to a flat binary (default OUT: FILE
                      without its extension, as nasm does); -l writes a nasm-style listing
  disasm FILE [-b 16|32] [-o ORIGIN]
                      disassemble a flat binary as ndisasm prints it
  serve               start web mode: the vmlab UI in a browser
      --port N               port to listen on (default 8080; 0 picks a free one)
      --host HOST            interface to bind (default 127.0.0.1)
      --data-dir DIR         the VM library folder (default: $VMLAB_HOME, else the
                             per-user app-data folder)
  bench               guest MIPS per CPU tier, assembler and snapshot speed
                      (--runs N, --scale X, --tier T, --kernel K, --cpu, --json)

exit status of run: the guest's exit-port status ((v << 1) | 1), 0 when the guest
halts, 2 when it hits an unimplemented instruction or device, 3 on another guest
error (such as a triple fault), 124 when a bound is reached; 1 on bad input.`;

/** Runs the CLI; resolves with the process exit status. */
export async function main(argv: string[], paths = bundlePaths(import.meta.url)): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'run':
        return await commandRun(rest);
      case 'asm':
        return await commandAsm(rest);
      case 'disasm':
        return await commandDisasm(rest);
      case 'serve':
        return await commandServe(rest, paths);
      case 'snapshot':
        return await commandSnapshot(rest);
      case 'bench':
        return await commandBench(rest);
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        process.stdout.write(`${USAGE}\n`);
        return command === undefined ? 1 : 0;
      default:
        throw new UsageError(`unknown command '${command}'`);
    }
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`vmlab: ${err.message}\n(run 'vmlab --help' for usage)\n`);
      return 1;
    }
    throw err;
  }
}
