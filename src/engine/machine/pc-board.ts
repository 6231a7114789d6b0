// The PC's chips and their wiring: buses, interrupt routing and timers (DESIGN.md 2.2; Intel MP spec 1.4 for the APIC wiring).

import type { Device, TimerDevice } from '../bus/device';
import { MmioBus } from '../bus/mmio-bus';
import { PC_KNOWN_PORTS } from '../bus/pc-port-map';
import type { PhysicalMemory } from '../bus/physical-memory';
import { PortBus } from '../bus/port-bus';
import { CmosRtc } from '../devices/cmos-rtc';
import { DebugPortE9 } from '../devices/debug-port-e9';
import { ExitPortF4 } from '../devices/exit-port-f4';
import { IdeChannel } from '../devices/ide-ata';
import { IoApic } from '../devices/io-apic';
import { Kbc8042 } from '../devices/kbc-8042';
import { LocalApic } from '../devices/local-apic';
import { Pic8259 } from '../devices/pic-8259';
import { Pit8254 } from '../devices/pit-8254';
import { SystemPort61 } from '../devices/system-port-61';
import { SystemPort92 } from '../devices/system-port-92';
import { Uart16550 } from '../devices/uart-16550';
import { VgaText } from '../devices/vga-text';
import type { BlockDevice } from '../disks/block-device';
import { InterruptRouter } from './interrupt-router';
import { VirtualTime } from './virtual-time';

/** What the board needs from the machine around it. */
export interface BoardHost {
  mem: PhysicalMemory;
  icount(): number;
  /** A console byte from COM1, COM2 or the debug port. */
  write(port: 'com1' | 'com2' | 'debug', byte: number): void;
  /** The guest wrote the exit port. */
  exit(): void;
  /** The guest asked for a CPU reset (port 92h bit 0, 8042 command FEh). */
  resetRequest(): void;
  /** An NMI for the CPU. */
  nmi(): void;
  /** Nominal instructions per virtual second. */
  instructionsPerSecond?: number;
  /** Wall-clock time (ms since 1970) the RTC shows at virtual time 0. */
  rtcEpochMs?: number;
  /** Disks on IDE primary master, primary slave, secondary master, secondary slave. */
  disks: readonly (BlockDevice | undefined)[];
}

/** IPIs the local APIC sent to CPUs that do not exist (one-CPU machine), for --stats. */
export interface IpiCounters {
  init: number;
  startup: number;
  fixed: number;
}

/** All the PC's devices, wired. */
export class PcBoard {
  readonly io = new PortBus(PC_KNOWN_PORTS);
  readonly mmio = new MmioBus();
  readonly time: VirtualTime;
  readonly pic: Pic8259;
  readonly pit: Pit8254;
  readonly port61: SystemPort61;
  readonly port92: SystemPort92;
  readonly rtc: CmosRtc;
  readonly kbc: Kbc8042;
  readonly vga: VgaText;
  readonly com1: Uart16550;
  readonly com2: Uart16550;
  readonly ide0: IdeChannel;
  readonly ide1: IdeChannel;
  readonly lapic: LocalApic;
  readonly ioapic: IoApic;
  readonly debugPort: DebugPortE9;
  readonly exitPort: ExitPortF4;
  readonly router: InterruptRouter;
  readonly ipis: IpiCounters = { init: 0, startup: 0, fixed: 0 };
  /** Every device, in the order states are saved. */
  readonly devices: readonly Device[];

  constructor(host: BoardHost) {
    const timers: TimerDevice[] = [];
    this.time = new VirtualTime(host.icount, timers, host.instructionsPerSecond);
    const clock = this.time;
    // The router needs the PIC and both APICs; they report changes through it.
    let router: InterruptRouter | undefined;
    const changed = () => router?.changed();
    this.pic = new Pic8259(changed);
    this.lapic = new LocalApic(clock, {
      eoi: (vector) => this.ioapic.eoi(vector),
      nmi: host.nmi,
      ipi: (kind) => this.ipis[kind]++,
      changed,
    });
    this.ioapic = new IoApic({
      deliver: (vector, level) => this.lapic.accept(vector, level),
      nmi: host.nmi,
    });
    router = new InterruptRouter(this.pic, this.lapic, this.ioapic);
    this.router = router;
    const irq = (n: number) => router.isaLine(n);
    this.pit = new Pit8254(clock, irq(0));
    this.port61 = new SystemPort61(this.pit, clock);
    this.port92 = new SystemPort92(host.mem, host.resetRequest);
    this.rtc = new CmosRtc(clock, irq(8), host.rtcEpochMs);
    this.kbc = new Kbc8042(irq(1), host.mem, host.resetRequest);
    this.vga = new VgaText(clock);
    this.com1 = new Uart16550(0x3f8, (b) => host.write('com1', b), irq(4));
    this.com2 = new Uart16550(0x2f8, (b) => host.write('com2', b), irq(3));
    this.ide0 = new IdeChannel(0x1f0, 0x3f6, irq(14), [host.disks[0], host.disks[1]]);
    this.ide1 = new IdeChannel(0x170, 0x376, irq(15), [host.disks[2], host.disks[3]]);
    this.debugPort = new DebugPortE9((b) => host.write('debug', b));
    this.exitPort = new ExitPortF4(host.exit);
    timers.push(this.pit, this.rtc, this.lapic);
    this.devices = [
      this.pic,
      this.pit,
      this.port61,
      this.port92,
      this.rtc,
      this.kbc,
      this.vga,
      this.com1,
      this.com2,
      this.ide0,
      this.ide1,
      this.lapic,
      this.ioapic,
      this.debugPort,
      this.exitPort,
    ];
    for (const d of this.devices) {
      for (const r of d.portRanges) this.io.register(r);
      for (const r of d.mmioRanges ?? []) this.mmio.register(r);
    }
    host.mem.attachMmio(this.mmio);
  }

  /** Resets every device and the clock. */
  reset(): void {
    this.time.reset();
    for (const d of this.devices) d.reset();
    this.ipis.init = 0;
    this.ipis.startup = 0;
    this.ipis.fixed = 0;
    this.router.changed();
  }

  /** Every device's state, keyed by its name (two UARTs and IDE channels get a suffix). */
  saveState(): BoardState {
    return {
      time: this.time.saveState(),
      pic: this.pic.saveState(),
      pit: this.pit.saveState(),
      port61: this.port61.saveState(),
      rtc: this.rtc.saveState(),
      kbc: this.kbc.saveState(),
      vga: this.vga.saveState(),
      com1: this.com1.saveState(),
      com2: this.com2.saveState(),
      ide0: this.ide0.saveState(),
      ide1: this.ide1.saveState(),
      lapic: this.lapic.saveState(),
      ioapic: this.ioapic.saveState(),
      exit: this.exitPort.saveState(),
    };
  }

  /** Restores what saveState captured. */
  loadState(state: BoardState): void {
    this.time.loadState(state.time);
    this.pic.loadState(state.pic);
    this.pit.loadState(state.pit);
    this.port61.loadState(state.port61);
    this.rtc.loadState(state.rtc);
    this.kbc.loadState(state.kbc);
    this.vga.loadState(state.vga);
    this.com1.loadState(state.com1);
    this.com2.loadState(state.com2);
    this.ide0.loadState(state.ide0);
    this.ide1.loadState(state.ide1);
    this.lapic.loadState(state.lapic);
    this.ioapic.loadState(state.ioapic);
    this.exitPort.loadState(state.exit);
    this.router.changed();
  }
}

/** Saved state of all the board's devices (stateless ones, 0xE9 and 92h, are left out). */
export type BoardState = {
  time: ReturnType<VirtualTime['saveState']>;
  pic: ReturnType<Pic8259['saveState']>;
  pit: ReturnType<Pit8254['saveState']>;
  port61: ReturnType<SystemPort61['saveState']>;
  rtc: ReturnType<CmosRtc['saveState']>;
  kbc: ReturnType<Kbc8042['saveState']>;
  vga: ReturnType<VgaText['saveState']>;
  com1: ReturnType<Uart16550['saveState']>;
  com2: ReturnType<Uart16550['saveState']>;
  ide0: ReturnType<IdeChannel['saveState']>;
  ide1: ReturnType<IdeChannel['saveState']>;
  lapic: ReturnType<LocalApic['saveState']>;
  ioapic: ReturnType<IoApic['saveState']>;
  exit: ReturnType<ExitPortF4['saveState']>;
};
