// @vitest-environment happy-dom
import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils';
import { getActivePinia } from 'pinia';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useConsolesStore } from '../stores/consoles';
import type { TerminalHost, TerminalOptions } from '../terminal/terminal-host';
import { useFakeApi } from '../testing/setup';
import SerialConsole from './SerialConsole.vue';

/** Stands in for xterm.js: records what is written, forgets it on reset. */
interface FakeTerminal extends TerminalHost {
  screen: string;
  options: TerminalOptions;
}

const terminals = vi.hoisted(() => [] as FakeTerminal[]);

vi.mock('../terminal/terminal-host', () => ({
  createTerminal: (_el: HTMLElement, options: TerminalOptions): TerminalHost => {
    const t: FakeTerminal = {
      screen: '',
      options,
      write(text) {
        t.screen += text;
      },
      reset() {
        t.screen = '';
      },
      focus() {},
      dispose() {},
    };
    terminals.push(t);
    return t;
  },
}));

enableAutoUnmount(afterEach);

function mountConsole(vmId: string | null = 'a') {
  terminals.length = 0;
  const client = useFakeApi();
  const wrapper = mount(SerialConsole, {
    props: { vmId },
    global: { plugins: [getActivePinia()!] },
  });
  const term = () => {
    const t = terminals[0];
    if (!t) throw new Error('no terminal');
    return t;
  };
  const out = async (port: 'com1' | 'debug', data: string, vm = 'a') => {
    client.emit('console.output', { vmId: vm, port, data });
    await flushPromises();
  };
  return { client, wrapper, term, out };
}

describe('SerialConsole', () => {
  it('writes the output of its VM, turning lone LF into CR LF', async () => {
    const { term, out } = mountConsole();
    await out('com1', 'Hello\nWorld\r\n');
    await out('com1', 'more', 'other-vm');
    expect(term().screen).toBe('Hello\r\nWorld\r\n');
  });

  it('merges COM1 and the debug port, or shows one of them', async () => {
    const { wrapper, term, out } = mountConsole();
    await out('com1', 'uart ');
    await out('debug', 'e9 ');
    await out('com1', 'again');
    expect(term().screen).toBe('uart e9 again');
    await wrapper.get('[data-testid="console-tab-com1"]').trigger('click');
    expect(term().screen).toBe('uart again');
    await wrapper.get('[data-testid="console-tab-debug"]').trigger('click');
    expect(term().screen).toBe('e9 ');
    await out('debug', 'late');
    await out('com1', 'hidden');
    expect(term().screen).toBe('e9 late');
  });

  it('sends typed keys to COM1, not from the output-only debug view', async () => {
    const { client, wrapper, term } = mountConsole();
    term().options.onInput('dir\r');
    await flushPromises();
    expect(client.paramsOf('console.input')).toEqual([{ vmId: 'a', data: 'dir\r' }]);
    await wrapper.get('[data-testid="console-tab-debug"]').trigger('click');
    term().options.onInput('x');
    await flushPromises();
    expect(client.paramsOf('console.input')).toHaveLength(1);
  });

  it('Clear empties the terminal and the buffer', async () => {
    const { wrapper, term, out } = mountConsole();
    await out('com1', 'junk');
    await wrapper.get('[data-testid="console-clear"]').trigger('click');
    await flushPromises();
    expect(term().screen).toBe('');
    await out('com1', 'fresh');
    expect(term().screen).toBe('fresh');
  });

  it('shows the other VM when the selection changes', async () => {
    const { wrapper, term, out } = mountConsole();
    await out('com1', 'from a');
    await out('com1', 'from b', 'b');
    await wrapper.setProps({ vmId: 'b' });
    expect(term().screen).toBe('from b');
    await wrapper.setProps({ vmId: 'a' });
    expect(term().screen).toBe('from a');
  });

  it("shows the UI's notes (a revert divider) in every view, the replayed screen in its own", async () => {
    const { wrapper, term, out } = mountConsole();
    await out('com1', 'ABCD');
    useConsolesStore().note('a', '-- reverted --', ['echo', 'AB', '']);
    await flushPromises();
    expect(term().screen).toBe('ABCD\r\n\x1b[90m-- reverted --\x1b[0m\r\n');
    await wrapper.get('[data-testid="console-tab-screen"]').trigger('click');
    expect(term().screen).toBe('\r\n\x1b[90m-- reverted --\x1b[0m\r\necho\r\nAB');
    await wrapper.get('[data-testid="console-tab-debug"]').trigger('click');
    expect(term().screen).toContain('-- reverted --');
  });
});
