import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { assemble } from '../../engine';
import { workerLink } from './links';
import type { HostCommand, HostEvent, HostLink } from './protocol';

// The real worker bundle, as the app runs it; `npm test` builds it before the unit tests.
const WORKER = new URL('../../../out/main/engine-worker.js', import.meta.url);
const built = existsSync(fileURLToPath(WORKER));

const links: HostLink[] = [];
afterEach(async () => {
  for (const l of links.splice(0)) await l.terminate();
});

/** Sends a command and resolves with its ack and the wall time the round trip took. */
function ask(link: HostLink, events: HostEvent[], command: HostCommand) {
  const start = performance.now();
  const seen = events.length;
  link.post(command);
  return new Promise<{ ack: Extract<HostEvent, { type: 'ack' }>; ms: number }>((resolve) => {
    const poll = () => {
      const ack = events.slice(seen).find((e) => e.type === 'ack');
      if (ack?.type === 'ack') resolve({ ack, ms: performance.now() - start });
      else setImmediate(poll);
    };
    poll();
  });
}

describe.runIf(built)('engine host in a worker thread', () => {
  it('answers pause and stop within 100 ms while the guest spins', async () => {
    const image = assemble(readFileSync('examples/spin.asm', 'utf8')).bytes;
    const link = workerLink(WORKER);
    links.push(link);
    const events: HostEvent[] = [];
    link.onEvent((e) => events.push(e));
    await ask(link, events, { type: 'load', vmId: 'spin', image, memoryMiB: 16 });
    const latencies: number[] = [];
    for (let i = 0; i < 5; i++) {
      await ask(link, events, { type: 'resume' });
      await new Promise((r) => setTimeout(r, 60));
      const { ack, ms } = await ask(link, events, { type: i === 4 ? 'stop' : 'pause' });
      expect(ack.status.state).toBe(i === 4 ? 'stopped' : 'paused');
      latencies.push(ms);
    }
    latencies.sort((a, b) => a - b);
    console.log(`pause/stop round trips (ms): ${latencies.map((m) => m.toFixed(1)).join(' ')}`);
    expect(latencies[2]).toBeLessThan(100);
    const running = events.filter((e) => e.type === 'status' && e.status.state === 'running');
    expect(running.length).toBeGreaterThan(0);
    expect(running.every((e) => e.type === 'status' && e.status.ips >= 0)).toBe(true);
  });
});
