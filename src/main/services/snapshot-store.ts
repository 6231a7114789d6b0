// A VM's snapshot tree on disk: snapshots/<id>.vmsnap files plus tree.json (names, parents,
// "you are here"). Files are written atomically; the tree is rewritten after each change.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import {
  type ParentSnapshot,
  readSnapshot,
  SnapshotError,
  type SnapshotState,
  writeSnapshot,
} from '../../engine';
import { ApiError } from '../../shared/api';
import { writeFileAtomic } from './atomic-file';
import { type ProgressStep, quietProgress } from './progress';

export const SNAPSHOT_DIR = 'snapshots';
const TREE_FILE = 'tree.json';

const nodeSchema = z.object({
  id: z.string(),
  parentId: z.string().nullable(),
  name: z.string(),
  description: z.string(),
  createdAt: z.string(),
  icount: z.number(),
  screen: z.array(z.string()).optional(),
});
const treeSchema = z.object({ nodes: z.array(nodeSchema), current: z.string().nullable() });

export type SnapshotNode = z.infer<typeof nodeSchema>;
export type SnapshotTree = z.infer<typeof treeSchema>;

/** Snapshot tree of one VM folder. */
export class SnapshotStore {
  private tree: SnapshotTree = { nodes: [], current: null };
  /** The last snapshot written or read in full, so a chain of takes does not re-decode. */
  private cache: ParentSnapshot | undefined;
  readonly dir: string;

  constructor(
    vmFolder: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.dir = join(vmFolder, SNAPSHOT_DIR);
  }

  async open(): Promise<this> {
    await mkdir(this.dir, { recursive: true });
    try {
      this.tree = treeSchema.parse(JSON.parse(await readFile(join(this.dir, TREE_FILE), 'utf8')));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw new ApiError(
          'internal',
          `the snapshot tree is unreadable: ${(err as Error).message}`,
        );
      }
    }
    return this;
  }

  list(): SnapshotTree {
    return structuredClone(this.tree);
  }

  get(id: string): SnapshotNode {
    const node = this.tree.nodes.find((n) => n.id === id);
    if (!node) throw new ApiError('not-found', `no snapshot with id '${id}'`);
    return node;
  }

  /**
   * Saves `state` as a child of the current position (a branch if the current snapshot
   * already has children), incremental against it, and makes it the current position.
   * Steps: read (the parent), encode, write.
   */
  async take(
    state: SnapshotState & { cpu: { icount: number } },
    meta: { name: string; description?: string; screen?: string[] },
    step: ProgressStep = quietProgress,
  ): Promise<SnapshotNode> {
    const id = `snap-${randomBytes(4).toString('hex')}`;
    const parentId = this.tree.current;
    await step('read');
    const parent = parentId ? await this.decodedParent(parentId) : undefined;
    const createdAt = this.now().toISOString();
    await step('encode');
    const { file, manifest } = writeSnapshot(
      {
        id,
        name: meta.name,
        description: meta.description ?? '',
        createdAt,
        ...(meta.screen ? { screen: meta.screen } : {}),
      },
      state,
      parent,
    );
    await step('write');
    await writeFileAtomic(this.path(id), file);
    this.cache = {
      id,
      nonce: manifest.nonce,
      memory: state.memory.slice(),
      ...(state.disks ? { disks: state.disks } : {}),
    };
    const node: SnapshotNode = {
      id,
      parentId,
      name: meta.name,
      description: meta.description ?? '',
      createdAt,
      icount: state.cpu.icount,
      ...(meta.screen ? { screen: meta.screen } : {}),
    };
    await this.saveTree({ nodes: [...this.tree.nodes, node], current: id });
    return node;
  }

  /**
   * Decodes a snapshot's whole state, following its parents; the tree is not changed.
   * Steps: read, decode.
   */
  async load<S>(
    id: string,
    step: ProgressStep = quietProgress,
  ): Promise<S & { memory: Uint8Array }> {
    this.get(id);
    await step('read');
    const files = await this.readChain(id);
    await step('decode');
    try {
      return readSnapshot<S>(files.get(id)!, (pid) => files.get(pid)).state;
    } catch (err) {
      if (err instanceof SnapshotError) throw new ApiError('invalid-state', err.message);
      throw err;
    }
  }

  /**
   * The files of a snapshot and its parents, the snapshot first, for an engine host to
   * verify and decode into its machine (a revert); nothing is decoded here.
   */
  async chainFiles(id: string): Promise<{ id: string; bytes: Uint8Array }[]> {
    this.get(id);
    return [...(await this.readChain(id))].map(([fileId, bytes]) => ({ id: fileId, bytes }));
  }

  /** Marks `id` as the current position ("you are here"), after a revert. */
  async setCurrent(id: string | null): Promise<void> {
    if (id !== null) this.get(id);
    await this.saveTree({ ...this.tree, current: id });
  }

  async rename(id: string, name: string, description?: string): Promise<SnapshotNode> {
    const node = { ...this.get(id), name, ...(description !== undefined ? { description } : {}) };
    await this.saveTree({
      ...this.tree,
      nodes: this.tree.nodes.map((n) => (n.id === id ? node : n)),
    });
    return node;
  }

  /**
   * Deletes a snapshot. Its children are re-parented to its parent and rewritten against it
   * (or as full snapshots) first, so no child loses state; only then is its file removed.
   * Steps: read, rewrite (child k of n), write (the tree).
   */
  async delete(id: string, step: ProgressStep = quietProgress): Promise<void> {
    const node = this.get(id);
    await step('read');
    const files = await this.readChain(id);
    const children = this.tree.nodes.filter((n) => n.parentId === id);
    const grandparent = node.parentId ? await this.decodedParent(node.parentId) : undefined;
    for (const [k, child] of children.entries()) {
      await step('rewrite', { index: k + 1, count: children.length });
      const childFiles = new Map([...files, ...(await this.readChain(child.id))]);
      const decoded = readSnapshot(childFiles.get(child.id)!, (pid) => childFiles.get(pid));
      const { file } = writeSnapshot(
        {
          id: child.id,
          name: child.name,
          description: child.description,
          createdAt: child.createdAt,
          nonce: decoded.manifest.nonce,
          ...(child.screen ? { screen: child.screen } : {}),
        },
        decoded.state,
        grandparent,
      );
      await writeFileAtomic(this.path(child.id), file);
    }
    const nodes = this.tree.nodes
      .filter((n) => n.id !== id)
      .map((n) => (n.parentId === id ? { ...n, parentId: node.parentId } : n));
    const current = this.tree.current === id ? node.parentId : this.tree.current;
    this.cache = undefined;
    await step('write');
    await this.saveTree({ nodes, current });
    await rm(this.path(id), { force: true });
  }

  private path(id: string): string {
    return join(this.dir, `${id}.vmsnap`);
  }

  private async saveTree(tree: SnapshotTree): Promise<void> {
    await writeFileAtomic(join(this.dir, TREE_FILE), `${JSON.stringify(tree, null, 2)}\n`);
    this.tree = tree;
  }

  /** Reads the files of `id` and all its ancestors. */
  private async readChain(id: string): Promise<Map<string, Uint8Array>> {
    const files = new Map<string, Uint8Array>();
    for (let at: string | null = id; at; at = this.get(at).parentId) {
      try {
        files.set(at, new Uint8Array(await readFile(this.path(at))));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
          throw new ApiError(
            'invalid-state',
            `the file of snapshot '${this.get(at).name}' is missing`,
          );
        }
        throw err;
      }
    }
    return files;
  }

  private async decodedParent(id: string): Promise<ParentSnapshot> {
    if (this.cache?.id === id) return this.cache;
    const files = await this.readChain(id);
    const file = files.get(id)!;
    const decoded = readSnapshot(file, (pid) => files.get(pid));
    const { memory, disks } = decoded.state;
    return { id, nonce: decoded.manifest.nonce, memory, ...(disks ? { disks } : {}) };
  }
}
