// A VM's snapshot tree laid out for display: depth-first rows and the lines joining each node
// to its parent. A chain stays in one lane (as in a history graph); only branches indent.

import type { SnapshotInfo, SnapshotTreeInfo } from '../../shared/api';

/** One row of the displayed tree; lane `depth` holds the node's dot. */
export interface SnapshotRow {
  node: SnapshotInfo;
  depth: number;
  /**
   * One entry per lane left of the node: whether a vertical line runs on below this row.
   * In a branch child's row, the last lane is its elbow (├ when true, └ when false).
   */
  guides: boolean[];
  /** A child of a node with several children: joined by an elbow from the lane to its left. */
  branch: boolean;
  /** An only child: joined by a straight line from the dot above. */
  stem: boolean;
  /** Has children: a line leaves the dot downwards. */
  tail: boolean;
  /** The current position ("you are here") or one of its ancestors. */
  onPath: boolean;
}

const byCreation = (a: SnapshotInfo, b: SnapshotInfo) =>
  a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id);

/**
 * Rows in depth-first order, children oldest first. A node whose parent is missing is shown
 * as a root (so does a cycle's oldest node), so a damaged tree still shows every snapshot.
 */
export function layoutSnapshotTree(tree: SnapshotTreeInfo): SnapshotRow[] {
  const ids = new Set(tree.nodes.map((n) => n.id));
  const children = new Map<string | null, SnapshotInfo[]>();
  for (const node of tree.nodes) {
    const parent = node.parentId !== null && ids.has(node.parentId) ? node.parentId : null;
    const list = children.get(parent) ?? [];
    list.push(node);
    children.set(parent, list);
  }
  for (const list of children.values()) list.sort(byCreation);

  const onPath = new Set<string>();
  const parentOf = new Map(tree.nodes.map((n) => [n.id, n.parentId]));
  for (let id = tree.current; id && !onPath.has(id); id = parentOf.get(id) ?? null) {
    onPath.add(id);
  }

  const rows: SnapshotRow[] = [];
  const visited = new Set<string>();
  const visit = (
    node: SnapshotInfo,
    depth: number,
    guides: boolean[],
    join: 'stem' | 'branch' | null,
  ) => {
    if (visited.has(node.id)) return; // a cycle in a damaged tree: show each node once
    visited.add(node.id);
    const kids = (children.get(node.id) ?? []).filter((k) => !visited.has(k.id));
    rows.push({
      node,
      depth,
      guides,
      branch: join === 'branch',
      stem: join === 'stem',
      tail: kids.length > 0,
      onPath: onPath.has(node.id),
    });
    const [only] = kids;
    if (kids.length === 1 && only) {
      visit(only, depth, guides, 'stem');
      return;
    }
    kids.forEach((kid, i) => {
      visit(kid, depth + 1, [...guides, i < kids.length - 1], 'branch');
    });
  };
  for (const root of children.get(null) ?? []) visit(root, 0, [], null);
  // Nodes only reachable through a cycle have no root; show them anyway.
  for (const node of [...tree.nodes].sort(byCreation)) visit(node, 0, [], null);
  return rows;
}

/** "Snapshot N" with the smallest N from the count up that no snapshot is called yet. */
export function defaultSnapshotName(tree: SnapshotTreeInfo | undefined): string {
  const names = new Set(tree?.nodes.map((n) => n.name) ?? []);
  let n = (tree?.nodes.length ?? 0) + 1;
  while (names.has(`Snapshot ${n}`)) n++;
  return `Snapshot ${n}`;
}
