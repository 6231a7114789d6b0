// The engine's one public surface: the assembler, the PC machine and the engine's error types.

export {
  type AsmDiagnostic,
  type AssembleOptions,
  type AssemblyOutput,
  assemble,
} from './assembler/assembler';
export { type DisasmLine, disassemble, formatNdisasm } from './assembler/disassembler';
export { formatListing } from './assembler/listing';
export { EngineError, UnimplementedError, type UnimplementedKind } from './bus/errors';
export { type BlockDevice, SECTOR_SIZE } from './disks/block-device';
export { CowOverlay, type CowOverlayState } from './disks/cow-overlay';
export { MemoryDisk } from './disks/memory-disk';
export { readTextScreen } from './firmware/bios-video';
export type {
  ConsoleSink,
  CpuTier,
  Machine,
  MachineConfig,
  MachineState,
  MachineStats,
  RunResult,
  TextScreen,
} from './machine/machine';
export {
  DEFAULT_MEMORY_MIB,
  MACHINE_STATE_VERSION,
  MACHINE_STATE_VERSIONS_READ,
  MAX_MEMORY_MIB,
} from './machine/machine';
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
