// One IDE channel with two ATA disks in PIO mode (ATA/ATAPI-6, T13 1410D: register block, PIO data-in/out protocols; QEMU hw/ide/core.c).

import type { AccessSize, Device, IrqLine, PortRange } from '../bus/device';
import { type BlockDevice, SECTOR_SIZE } from '../disks/block-device';
import { identifyData } from './ata-identify';
import { isExtCommand, storeTaskFileLba, taskFileLba } from './ata-task-file';

/** Saved state of one IDE channel. */
export interface IdeChannelState {
  /** Task file, shared by both drives as on the cable. */
  feature: number;
  sectorCount: number;
  lbaLow: number;
  lbaMid: number;
  lbaHigh: number;
  /** The previous sector count and LBA bytes (LBA48's high-order bytes), read with HOB. */
  hob: number[];
  /** Device/head register: bit 4 selects the drive, bit 6 LBA addressing. */
  device: number;
  /** Status and error of each drive. */
  status: number[];
  error: number[];
  /** Device control: bit 1 nIEN, bit 2 SRST. */
  control: number;
  /** Sectors per DRQ block set by SET MULTIPLE, per drive (0 = disabled). */
  multiple: number[];
  /** The command in progress (0 when idle) and what remains of it. */
  command: number;
  nextLba: number;
  sectorsLeft: number;
  /** PIO buffer (saved up to bufferLen only) and the byte position/length of the block in it. */
  buffer: Uint8Array;
  bufferPos: number;
  bufferLen: number;
  irqPending: boolean;
}

const BSY = 0x80;
const DRDY = 0x40;
const DSC = 0x10;
const DRQ = 0x08;
const ERR = 0x01;
const ABRT = 0x04;
const IDNF = 0x10;
const MAX_MULTIPLE = 16;

/** READ/WRITE MULTIPLE and their LBA48 forms move multiple-count sectors per DRQ block. */
const isMultiple = (cmd: number) => cmd === 0xc4 || cmd === 0xc5 || cmd === 0x29 || cmd === 0x39;

/** Counters per channel for --stats. */
export interface IdeCounters {
  sectorsRead: number;
  sectorsWritten: number;
  commands: number;
}

/**
 * An IDE channel (primary: 1F0h-1F7h and 3F6h, IRQ 14; secondary: 170h-177h and 376h,
 * IRQ 15) with up to two disks. Commands complete at once: a read has its first sector in
 * the buffer with DRQ set when the command port write returns.
 */
export class IdeChannel implements Device<IdeChannelState> {
  readonly name = 'ide-ata';
  readonly portRanges: readonly PortRange[];
  private st: IdeChannelState = IdeChannel.powerOn();
  readonly counters: IdeCounters = { sectorsRead: 0, sectorsWritten: 0, commands: 0 };

  /**
   * @param commandBase 1F0h or 170h
   * @param controlPort 3F6h or 376h
   * @param drives master and slave disks (undefined when absent)
   */
  constructor(
    commandBase: number,
    controlPort: number,
    private readonly irq: IrqLine,
    private readonly drives: readonly (BlockDevice | undefined)[],
  ) {
    this.portRanges = [
      {
        base: commandBase,
        length: 8,
        read: (offset: number, size: AccessSize) => this.readRegister(offset, size),
        write: (offset: number, size: AccessSize, value: number) =>
          this.writeRegister(offset, size, value),
      },
      {
        base: controlPort,
        length: 1,
        read: () => this.statusOf(this.selected()),
        write: (_offset: number, _size: AccessSize, value: number) =>
          this.writeControl(value & 0xff),
      },
    ];
  }

  private static powerOn(): IdeChannelState {
    return {
      feature: 0,
      sectorCount: 1,
      lbaLow: 1,
      lbaMid: 0,
      lbaHigh: 0,
      hob: [0, 0, 0, 0],
      device: 0,
      status: [DRDY | DSC, DRDY | DSC],
      error: [1, 1],
      control: 0,
      multiple: [0, 0],
      command: 0,
      nextLba: 0,
      sectorsLeft: 0,
      buffer: new Uint8Array(MAX_MULTIPLE * SECTOR_SIZE),
      bufferPos: 0,
      bufferLen: 0,
      irqPending: false,
    };
  }

  reset(): void {
    this.st = IdeChannel.powerOn();
    this.irq.set(false);
  }

  saveState(): IdeChannelState {
    const s = this.st;
    return {
      ...s,
      status: [...s.status],
      error: [...s.error],
      multiple: [...s.multiple],
      hob: [...s.hob],
      buffer: s.buffer.slice(0, s.bufferLen),
    };
  }

  loadState(state: IdeChannelState): void {
    const s = state;
    const buffer = new Uint8Array(MAX_MULTIPLE * SECTOR_SIZE);
    buffer.set(s.buffer.subarray(0, buffer.length));
    this.st = {
      ...s,
      status: [...s.status],
      error: [...s.error],
      multiple: [...s.multiple],
      hob: [...s.hob],
      buffer,
    };
    this.updateIrq();
  }

  private selected(): number {
    return (this.st.device >> 4) & 1;
  }

  private statusOf(drive: number): number {
    return this.drives[drive] ? this.st.status[drive]! : 0;
  }

  private updateIrq(): void {
    this.irq.set(this.st.irqPending && (this.st.control & 0x02) === 0);
  }

  private raise(): void {
    this.st.irqPending = true;
    this.updateIrq();
  }

  private readRegister(offset: number, size: AccessSize): number {
    const st = this.st;
    const drive = this.selected();
    switch (offset) {
      case 0:
        return this.readData(size);
      case 1:
        return this.drives[drive] ? st.error[drive]! : 0;
      case 2:
      case 3:
      case 4:
      case 5:
        // Device control bit 7 (HOB) reads the previously written, high-order bytes.
        if ((st.control & 0x80) !== 0) return st.hob[offset - 2]!;
        return offset === 2
          ? st.sectorCount
          : offset === 3
            ? st.lbaLow
            : offset === 4
              ? st.lbaMid
              : st.lbaHigh;
      case 6:
        return st.device | 0xa0;
      default:
        // Reading the status register acknowledges the interrupt; alternate status does not.
        st.irqPending = false;
        this.updateIrq();
        return this.statusOf(drive);
    }
  }

  private writeRegister(offset: number, size: AccessSize, value: number): void {
    const st = this.st;
    if (offset === 0) {
      this.writeData(size, value);
      return;
    }
    value &= 0xff;
    switch (offset) {
      case 1:
        st.feature = value;
        return;
      case 2:
        st.hob[0] = st.sectorCount;
        st.sectorCount = value;
        return;
      case 3:
        st.hob[1] = st.lbaLow;
        st.lbaLow = value;
        return;
      case 4:
        st.hob[2] = st.lbaMid;
        st.lbaMid = value;
        return;
      case 5:
        st.hob[3] = st.lbaHigh;
        st.lbaHigh = value;
        return;
      case 6:
        st.device = value;
        return;
      default:
        this.execute(value);
    }
  }

  private writeControl(value: number): void {
    const st = this.st;
    const wasReset = (st.control & 0x04) !== 0;
    st.control = value;
    if ((value & 0x04) !== 0) {
      st.status = [BSY, BSY];
      st.command = 0;
    } else if (wasReset) {
      // Software reset done: both drives show their signature and are ready.
      Object.assign(st, { sectorCount: 1, lbaLow: 1, lbaMid: 0, lbaHigh: 0, device: 0 });
      st.status = [DRDY | DSC, DRDY | DSC];
      st.error = [1, 1];
      st.bufferLen = 0;
      st.bufferPos = 0;
    }
    this.updateIrq();
  }

  private execute(cmd: number): void {
    const st = this.st;
    const drive = this.selected();
    const disk = this.drives[drive];
    if (!disk) return; // no device answers
    this.counters.commands++;
    st.error[drive] = 0;
    st.command = 0;
    switch (cmd) {
      case 0xec:
        this.identify(drive, disk);
        return;
      case 0x20:
      case 0x21:
      case 0xc4:
      case 0x30:
      case 0x31:
      case 0xc5:
      case 0x24:
      case 0x29:
      case 0x34:
      case 0x39:
        this.startTransfer(drive, disk, cmd);
        return;
      case 0xc6: {
        const n = st.sectorCount;
        if (n > MAX_MULTIPLE || (n & (n - 1)) !== 0) this.abort(drive, ABRT);
        else this.complete(drive, () => (st.multiple[drive] = n));
        return;
      }
      case 0xe5:
        this.complete(drive, () => (st.sectorCount = 0xff)); // CHECK POWER MODE: active
        return;
      case 0xe7:
      case 0xea:
        this.complete(drive, () => disk.flush());
        return;
      case 0x40:
      case 0x41: {
        const lba = taskFileLba(this.st);
        const count = st.sectorCount === 0 ? 256 : st.sectorCount;
        if (lba < 0 || lba + count > disk.sectorCount) this.abort(drive, IDNF);
        else this.complete(drive, () => {});
        return;
      }
      case 0x10:
      case 0x91:
      case 0xef:
      case 0xe0:
      case 0xe1:
      case 0xe2:
      case 0xe3:
        this.complete(drive, () => {}); // recalibrate, geometry, features, power: accepted
        return;
      default:
        this.abort(drive, ABRT);
    }
  }

  private complete(drive: number, action: () => void): void {
    action();
    this.st.status[drive] = DRDY | DSC;
    this.raise();
  }

  private abort(drive: number, error: number): void {
    this.st.error[drive] = error;
    this.st.status[drive] = DRDY | DSC | ERR;
    this.st.command = 0;
    this.raise();
  }

  private startTransfer(drive: number, disk: BlockDevice, cmd: number): void {
    const st = this.st;
    const multiple = isMultiple(cmd);
    if (multiple && st.multiple[drive] === 0) {
      this.abort(drive, ABRT);
      return;
    }
    const ext = isExtCommand(cmd);
    const lba = taskFileLba(this.st, ext);
    const rawCount = ext ? (st.hob[0]! << 8) | st.sectorCount : st.sectorCount;
    const count = rawCount === 0 ? (ext ? 65536 : 256) : rawCount;
    if (lba < 0 || lba + count > disk.sectorCount) {
      this.abort(drive, IDNF);
      return;
    }
    const writing = cmd === 0x30 || cmd === 0x31 || cmd === 0xc5 || cmd === 0x34 || cmd === 0x39;
    if (writing && disk.readOnly) {
      this.abort(drive, ABRT);
      return;
    }
    st.command = cmd;
    st.nextLba = lba;
    st.sectorsLeft = count;
    if (writing) {
      this.prepareBlock(drive);
      st.status[drive] = DRDY | DSC | DRQ; // data-out: no interrupt before the first block
    } else {
      this.readBlock(drive, disk);
    }
  }

  /** Sectors in the next DRQ block. */
  private blockSectors(drive: number): number {
    const st = this.st;
    return Math.min(st.sectorsLeft, isMultiple(st.command) ? st.multiple[drive]! : 1);
  }

  private prepareBlock(drive: number): void {
    const st = this.st;
    st.bufferPos = 0;
    st.bufferLen = this.blockSectors(drive) * SECTOR_SIZE;
  }

  private readBlock(drive: number, disk: BlockDevice): void {
    const st = this.st;
    const n = this.blockSectors(drive);
    disk.read(st.nextLba, n, st.buffer, 0);
    this.counters.sectorsRead += n;
    st.nextLba += n;
    st.sectorsLeft -= n;
    st.bufferPos = 0;
    st.bufferLen = n * SECTOR_SIZE;
    storeTaskFileLba(this.st, st.nextLba - 1);
    st.status[drive] = DRDY | DSC | DRQ;
    this.raise();
  }

  private identify(drive: number, disk: BlockDevice): void {
    const st = this.st;
    const words = identifyData(disk, drive, st.multiple[drive]!, MAX_MULTIPLE);
    for (let i = 0; i < 256; i++) {
      st.buffer[i * 2] = words[i]! & 0xff;
      st.buffer[i * 2 + 1] = words[i]! >> 8;
    }
    st.command = 0xec;
    st.sectorsLeft = 0;
    st.bufferPos = 0;
    st.bufferLen = SECTOR_SIZE;
    st.status[drive] = DRDY | DSC | DRQ;
    this.raise();
  }

  private readData(size: AccessSize): number {
    const st = this.st;
    if (st.bufferPos >= st.bufferLen) return size === 4 ? 0xffffffff : 0xffff;
    const b = st.buffer;
    const p = st.bufferPos;
    let v = b[p]! | (b[p + 1]! << 8);
    if (size === 4) v = (v | (b[p + 2]! << 16) | (b[p + 3]! << 24)) >>> 0;
    st.bufferPos += size === 4 ? 4 : 2;
    if (st.bufferPos >= st.bufferLen) this.blockRead();
    return size === 1 ? v & 0xff : v;
  }

  /** The guest has taken a whole block: the next one follows, or the command ends. */
  private blockRead(): void {
    const st = this.st;
    const drive = this.selected();
    const disk = this.drives[drive];
    if (st.sectorsLeft > 0 && disk && st.command !== 0xec) {
      this.readBlock(drive, disk);
    } else {
      st.command = 0;
      st.status[drive] = DRDY | DSC;
    }
  }

  private writeData(size: AccessSize, value: number): void {
    const st = this.st;
    if (st.bufferPos >= st.bufferLen) return;
    const b = st.buffer;
    const p = st.bufferPos;
    b[p] = value & 0xff;
    b[p + 1] = (value >>> 8) & 0xff;
    if (size === 4) {
      b[p + 2] = (value >>> 16) & 0xff;
      b[p + 3] = (value >>> 24) & 0xff;
    }
    st.bufferPos += size === 4 ? 4 : 2;
    if (st.bufferPos < st.bufferLen) return;
    const drive = this.selected();
    const disk = this.drives[drive];
    if (!disk) return;
    const n = st.bufferLen / SECTOR_SIZE;
    disk.write(st.nextLba, n, st.buffer, 0);
    this.counters.sectorsWritten += n;
    st.nextLba += n;
    st.sectorsLeft -= n;
    storeTaskFileLba(this.st, st.nextLba - 1);
    if (st.sectorsLeft > 0) {
      this.prepareBlock(drive);
      st.status[drive] = DRDY | DSC | DRQ;
    } else {
      st.command = 0;
      st.bufferLen = 0;
      st.status[drive] = DRDY | DSC;
    }
    this.raise();
  }
}
