// Typed engine errors: what a run reports when the guest reaches something vmlab cannot do.

/** Kinds of UnimplementedError: an instruction, a device or a BIOS service that vmlab lacks. */
export type UnimplementedKind =
  | 'unimplemented-instruction'
  | 'unimplemented-device'
  | 'unimplemented-bios';

/** Any error the engine reports about a guest or a machine, tagged with a machine-readable kind. */
export class EngineError extends Error {
  /** A stable, machine-readable tag such as 'triple-fault' or 'unimplemented-device'. */
  readonly kind: string;

  /** Guest CS:IP of the instruction that raised the error, once known. */
  at: { cs: number; ip: number } | undefined;

  constructor(kind: string, message: string) {
    super(message);
    this.name = 'EngineError';
    this.kind = kind;
    this.at = undefined;
  }

  /** Records where in the guest the error happened and names it in the message, once. */
  locate(cs: number, ip: number, text: string): void {
    if (this.at) return;
    this.at = { cs, ip };
    this.message += ` at ${text}`;
  }
}

/** The guest reached an instruction, device or BIOS service that vmlab does not implement yet. */
export class UnimplementedError extends EngineError {
  declare readonly kind: UnimplementedKind;

  constructor(kind: UnimplementedKind, message: string) {
    super(kind, message);
    this.name = 'UnimplementedError';
  }
}

/** Formats a number as upper-case hex, zero-padded to `digits`. */
export function hex(value: number, digits: number): string {
  return (value >>> 0).toString(16).toUpperCase().padStart(digits, '0');
}
