// Why a snapshot file was refused: one kind per failure, with a message fit to show a person.

export type SnapshotErrorKind =
  | 'wrong-magic'
  | 'truncated'
  | 'corrupt'
  | 'future-version'
  | 'missing-parent'
  | 'wrong-parent'
  | 'mismatch';

/** A snapshot that cannot be read or applied; nothing has been changed when it is thrown. */
export class SnapshotError extends Error {
  readonly kind: SnapshotErrorKind;
  constructor(kind: SnapshotErrorKind, message: string) {
    super(message);
    this.name = 'SnapshotError';
    this.kind = kind;
  }
}
