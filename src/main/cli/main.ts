// The `vmlab` command line: run, asm, serve. Plain Node, no Electron.

import { bundlePaths } from '../bundle-paths';
import { commandAsm } from './command-asm';
import { commandBench } from './command-bench';
import { commandDisasm } from './command-disasm';
import { commandRun } from './command-run';
import { commandServe } from './command-serve';
import { UsageError } from './usage';

export const USAGE = `usage: vmlab <command> [options]

commands:
  run FILE            run a boot sector headless (.asm is assembled first; any other file
                      is loaded whole at 0x7C00 and started at 0000:7C00 with DL=0x80)
      --max-instructions N   stop after N instructions (exit status 124)
      --timeout SECONDS      stop after SECONDS of wall time (exit status 124)
      --memory MIB           guest memory in MiB (default 256)
      --screen               also print BIOS teletype (int 10h) text
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
  bench               measure interpreter and assembler speed (--runs N)

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
