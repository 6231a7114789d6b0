import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../shared/api';
import { useFakeApi } from '../testing/setup';
import { useConsolesStore } from './consoles';
import { useNoticesStore } from './notices';

describe('consoles store', () => {
  it("appends 'console.output' per VM and bumps that VM's version", () => {
    const client = useFakeApi();
    const consoles = useConsolesStore();
    client.emit('console.output', { vmId: 'a', port: 'com1', data: 'Hello' });
    client.emit('console.output', { vmId: 'a', port: 'debug', data: '!' });
    client.emit('console.output', { vmId: 'b', port: 'com1', data: 'other' });
    expect(consoles.buffer('a').text()).toBe('Hello!');
    expect(consoles.buffer('a').text('debug')).toBe('!');
    expect(consoles.buffer('b').text()).toBe('other');
    expect(consoles.version('a')).toBe(2);
    expect(consoles.version('b')).toBe(1);
    expect(consoles.version('c')).toBe(0);
  });

  it('keeps the text out of reactive state', () => {
    const client = useFakeApi();
    const consoles = useConsolesStore();
    client.emit('console.output', { vmId: 'a', port: 'com1', data: 'x'.repeat(1000) });
    expect(JSON.stringify(consoles.$state)).not.toContain('xxxx');
  });

  it('clears one VM and forgets deleted ones', () => {
    const client = useFakeApi();
    const consoles = useConsolesStore();
    client.emit('console.output', { vmId: 'a', port: 'com1', data: 'abc' });
    consoles.clear('a');
    expect(consoles.buffer('a').text()).toBe('');
    expect(consoles.version('a')).toBe(2);
    consoles.forget('a');
    expect(consoles.version('a')).toBe(0);
  });

  it("sends typed keys with 'console.input' and reports failures", async () => {
    const client = useFakeApi();
    const consoles = useConsolesStore();
    await consoles.sendInput('a', 'ls\r');
    expect(client.paramsOf('console.input')).toEqual([{ vmId: 'a', data: 'ls\r' }]);
    client.fail('console.input', new ApiError('invalid-state', 'The VM is not running'));
    await consoles.sendInput('a', 'x');
    await consoles.sendInput('a', 'y');
    const notices = useNoticesStore().notices;
    expect(notices).toHaveLength(1);
    expect(notices[0]?.message).toBe('Console input: The VM is not running');
    expect(notices[0]?.count).toBe(2);
  });
});
