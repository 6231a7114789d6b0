// `vmlab snapshot list|save|restore VM [NAME]`: a VM's snapshot tree in the library, from a
// terminal. `save` boots the VM headless from where it is (its current snapshot, or its source)
// and saves it, optionally after running it; `restore` moves "you are here".
import {
  assemble,
  type ConsoleSink,
  createPcMachine,
  type Machine,
  type MachineState,
  MemoryDisk,
} from '../../engine';
import { ApiError, type VmInfo } from '../../shared/api';
import { resolveDataDir } from '../services/data-dir';
import { type SnapshotNode, SnapshotStore } from '../services/snapshot-store';
import { VmLibrary } from '../services/vm-library';
import { formatDiagnostic } from './diagnostics';
import { runHeadless } from './headless-run';
import { numberFlag, parse, UsageError } from './usage';

export async function commandSnapshot(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    'data-dir': { type: 'string' },
    description: { type: 'string' },
    'max-instructions': { type: 'string' },
    timeout: { type: 'string' },
  });
  const [action, vmName, snapName, ...extra] = positionals;
  if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0]}'`);
  if (!action || !vmName)
    throw new UsageError('expected: vmlab snapshot list|save|restore VM [NAME]');
  const library = new VmLibrary(resolveDataDir(values['data-dir']));
  await library.open();
  const vm = findVm(library, vmName);
  const store = await new SnapshotStore(library.folder(vm.id)).open();
  try {
    switch (action) {
      case 'list':
        process.stdout.write(formatTree(vm, store));
        return 0;
      case 'restore': {
        const node = findSnapshot(store, required(snapName));
        await store.setCurrent(node.id);
        process.stdout.write(`${vm.name} is now at '${node.name}' (instruction ${node.icount})\n`);
        return 0;
      }
      case 'save': {
        const name = required(snapName);
        const guest: number[] = [];
        const write = (port: string, byte: number) => {
          if (port !== 'screen') guest.push(byte);
        };
        const machine = await machineAt(library, vm, store, { write });
        const outcome = runHeadless(machine, {
          boot: { kind: 'disk' },
          memoryMiB: vm.memoryMiB,
          write,
          maxInstructions:
            numberFlag('max-instructions', values['max-instructions'], { min: 1 }) ??
            (values.timeout === undefined ? 0 : undefined),
          timeoutSeconds: numberFlag('timeout', values.timeout, { integer: false, max: 1e7 }),
        });
        process.stdout.write(Buffer.from(guest));
        if (outcome.kind === 'unimplemented' || outcome.kind === 'triple-fault') {
          process.stderr.write(`${outcome.report}\nvmlab: nothing saved\n`);
          return 2;
        }
        const node = await store.take(machine.saveState(), {
          name,
          ...(values.description !== undefined ? { description: values.description } : {}),
          screen: machine.screen().lines,
        });
        process.stdout.write(`saved '${node.name}' (${node.id}) at instruction ${node.icount}\n`);
        return 0;
      }
      default:
        throw new UsageError(`unknown snapshot action '${action}' (list, save or restore)`);
    }
  } catch (err) {
    if (err instanceof ApiError) throw new UsageError(err.message);
    throw err;
  }
}

function required(name: string | undefined): string {
  if (!name) throw new UsageError('expected a snapshot NAME');
  return name;
}

/** A VM by id or by its exact name. */
function findVm(library: VmLibrary, key: string): VmInfo {
  const matches = library.list().filter((v) => v.id === key || v.name === key);
  if (matches.length === 1) return matches[0]!;
  if (matches.length === 0) throw new UsageError(`no VM named '${key}' in ${library.root}`);
  throw new UsageError(
    `${matches.length} VMs are named '${key}'; give its id (${matches.map((v) => v.id).join(', ')})`,
  );
}

function findSnapshot(store: SnapshotStore, key: string): SnapshotNode {
  const matches = store.list().nodes.filter((n) => n.id === key || n.name === key);
  if (matches.length === 1) return matches[0]!;
  if (matches.length === 0) throw new UsageError(`no snapshot named '${key}'`);
  throw new UsageError(`${matches.length} snapshots are named '${key}'; give its id`);
}

/** The VM where it is: its current snapshot, or freshly booted from its source as the app does. */
async function machineAt(
  library: VmLibrary,
  vm: VmInfo,
  store: SnapshotStore,
  console: ConsoleSink,
): Promise<Machine> {
  const current = store.list().current;
  if (current) {
    const state = await store.load<MachineState>(current);
    const disk = state.bootImage ? [new MemoryDisk(state.bootImage)] : [];
    const machine = createPcMachine({ memoryMiB: state.memoryMiB, console, disks: disk });
    machine.loadState(state);
    return machine;
  }
  const { text } = await library.readSource(vm.id);
  const out = assemble(text, {
    fileName: vm.mainSource,
    readFile: (name) => library.readProjectFile(vm.id, name),
  });
  for (const d of out.diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
  if (!out.ok) throw new UsageError(`${vm.mainSource} does not assemble; nothing saved`);
  const machine = createPcMachine({
    memoryMiB: vm.memoryMiB,
    console,
    disks: [new MemoryDisk(out.bytes)],
  });
  machine.loadBootSector(out.bytes);
  return machine;
}

/** The tree as indented lines, "*" marking where the VM is. */
export function formatTree(vm: VmInfo, store: SnapshotStore): string {
  const { nodes, current } = store.list();
  if (nodes.length === 0) return `${vm.name}: no snapshots\n`;
  const lines = [`${vm.name} (${vm.id})`];
  const walk = (parent: string | null, depth: number) => {
    for (const n of nodes.filter((x) => x.parentId === parent)) {
      const mark = n.id === current ? '*' : ' ';
      const when = n.createdAt.replace('T', ' ').slice(0, 16);
      lines.push(
        `${mark} ${'  '.repeat(depth)}${n.name}  [${n.id}] ${when}, instruction ${n.icount}`,
      );
      walk(n.id, depth + 1);
    }
  };
  walk(null, 0);
  if (current) lines.push('(* you are here)');
  return `${lines.join('\n')}\n`;
}
