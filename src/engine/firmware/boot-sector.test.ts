import { describe, expect, it } from 'vitest';
import { EngineError } from '../bus/errors';
import { getEflags, IF } from '../cpu/flags';
import { createPcMachine } from '../machine/pc-machine';
import { BOOT_ADDRESS } from './boot-sector';

const quiet = { write() {} };

describe('boot sector loader', () => {
  it('loads the whole image at 0000:7C00 and starts it as a BIOS does', () => {
    const m = createPcMachine({ memoryMiB: 1, console: quiet });
    const image = new Uint8Array(1024).fill(0x90);
    image[0] = 0xfa; // cli
    image[1] = 0xf4; // hlt
    m.loadBootSector(image);
    const s = m.saveState();
    expect(s.memory.slice(BOOT_ADDRESS, BOOT_ADDRESS + 1024)).toEqual(image);
    expect([m.cpu.cs, m.cpu.ip]).toEqual([0, 0x7c00]);
    expect(s.cpu.regs[2]! & 0xff).toBe(0x80); // DL = first hard disk
    expect(s.cpu.regs[4]).toBe(0x7c00);
    expect([...s.cpu.seg]).toEqual([0, 0, 0, 0, 0, 0]);
    expect(getEflags(s.cpu) & IF).toBe(IF);
    expect(m.run(10)).toEqual({ reason: 'halted', interruptsEnabled: false });
  });

  it('refuses an image that does not fit below the EBDA', () => {
    const m = createPcMachine({ memoryMiB: 1, console: quiet });
    expect(() => m.loadBootSector(new Uint8Array(0x98001))).toThrow(EngineError);
    expect(() => m.loadBootSector(new Uint8Array(0x98000))).not.toThrow();
  });

  it('with no image, the reset vector asks int 19h for a boot device', () => {
    const m = createPcMachine({ memoryMiB: 1, console: quiet });
    const r = m.run(100);
    expect(r.reason === 'error' && r.error.kind).toBe('no-boot-device');
  });
});
