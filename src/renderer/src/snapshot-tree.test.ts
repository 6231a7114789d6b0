import { describe, expect, it } from 'vitest';
import type { SnapshotTreeInfo } from '../../shared/api';
import { defaultSnapshotName, layoutSnapshotTree } from './snapshot-tree';
import { makeSnapshot } from './testing/fake-client';

const at = (minute: number) => `2025-01-01T00:${String(minute).padStart(2, '0')}:00.000Z`;

/** root -> a -> (b1 -> c, b2), taken in that order. */
const branched: SnapshotTreeInfo = {
  nodes: [
    makeSnapshot('b2', 'B2', 'a', { createdAt: at(4) }),
    makeSnapshot('root', 'Root', null, { createdAt: at(0) }),
    makeSnapshot('c', 'C', 'b1', { createdAt: at(3) }),
    makeSnapshot('a', 'A', 'root', { createdAt: at(1) }),
    makeSnapshot('b1', 'B1', 'a', { createdAt: at(2) }),
  ],
  current: 'c',
};

describe('layoutSnapshotTree', () => {
  it('keeps a chain in one lane and indents only branches, children oldest first', () => {
    const rows = layoutSnapshotTree(branched);
    expect(rows.map((r) => [r.node.id, r.depth])).toEqual([
      ['root', 0],
      ['a', 0],
      ['b1', 1],
      ['c', 1],
      ['b2', 1],
    ]);
    expect(rows.map((r) => r.stem)).toEqual([false, true, false, true, false]);
    expect(rows.map((r) => r.branch)).toEqual([false, false, true, false, true]);
    expect(rows.map((r) => r.tail)).toEqual([true, true, true, false, false]);
  });

  it('runs the parent lane on past every branch but the last', () => {
    const rows = layoutSnapshotTree(branched);
    expect(rows.map((r) => r.guides)).toEqual([[], [], [true], [true], [false]]);
  });

  it('marks the current node and its ancestors as the path', () => {
    const rows = layoutSnapshotTree(branched);
    expect(rows.filter((r) => r.onPath).map((r) => r.node.id)).toEqual(['root', 'a', 'b1', 'c']);
    expect(layoutSnapshotTree({ ...branched, current: null }).some((r) => r.onPath)).toBe(false);
  });

  it('shows a node whose parent is missing as a root, and survives a cycle', () => {
    const rows = layoutSnapshotTree({
      nodes: [
        makeSnapshot('x', 'X', 'gone'),
        makeSnapshot('p', 'P', 'q', { createdAt: at(1) }),
        makeSnapshot('q', 'Q', 'p', { createdAt: at(2) }),
      ],
      current: 'p',
    });
    expect(rows.map((r) => [r.node.id, r.depth])).toEqual([
      ['x', 0],
      ['p', 0],
      ['q', 0],
    ]);
    expect(layoutSnapshotTree({ nodes: [], current: null })).toEqual([]);
  });
});

describe('defaultSnapshotName', () => {
  it('counts up from the number of snapshots, skipping names in use', () => {
    expect(defaultSnapshotName(undefined)).toBe('Snapshot 1');
    expect(defaultSnapshotName({ nodes: [makeSnapshot('a', 'first')], current: 'a' })).toBe(
      'Snapshot 2',
    );
    const taken = { nodes: [makeSnapshot('a', 'Snapshot 2')], current: 'a' };
    expect(defaultSnapshotName(taken)).toBe('Snapshot 3');
  });
});
