// The engine's one public surface: the assembler, the PC machine and the engine's error types.

export { type AsmDiagnostic, type AssemblyOutput, assemble } from './assembler/assembler';
export { EngineError, UnimplementedError, type UnimplementedKind } from './bus/errors';
export { readTextScreen } from './firmware/bios-video';
export type {
  ConsoleSink,
  Machine,
  MachineConfig,
  MachineState,
  RunResult,
} from './machine/machine';
export { MACHINE_STATE_VERSION } from './machine/machine';
export { createPcMachine } from './machine/pc-machine';
export {
  FORMAT_VERSION as SNAPSHOT_FORMAT_VERSION,
  readContainer,
  writeContainer,
} from './snapshot/container';
export { SnapshotError, type SnapshotErrorKind } from './snapshot/errors';
export {
  type ParentLoader,
  type ParentSnapshot,
  type ReadSnapshot,
  readSnapshot,
  readSnapshotManifest,
  type SnapshotManifest,
  type SnapshotMeta,
  type SnapshotState,
  writeSnapshot,
} from './snapshot/snapshot-file';
