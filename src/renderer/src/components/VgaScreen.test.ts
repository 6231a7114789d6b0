// @vitest-environment happy-dom
import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils';
import { getActivePinia } from 'pinia';
import { afterEach, describe, expect, it } from 'vitest';
import { useFakeApi } from '../testing/setup';
import { wireFrame } from '../vga/test-frames';
import VgaScreen from './VgaScreen.vue';

enableAutoUnmount(afterEach);

function mountScreen(vmId = 'a') {
  const client = useFakeApi();
  const wrapper = mount(VgaScreen, {
    props: { vmId },
    global: { plugins: [getActivePinia()!] },
    attachTo: document.body,
  });
  const canvas = wrapper.get('[data-testid="vga-canvas"]');
  return { client, wrapper, canvas };
}

describe('VgaScreen', () => {
  it('shows its VM screen as text for tests and screen readers, on an 8:5 canvas', async () => {
    const { client, wrapper, canvas } = mountScreen();
    expect(wrapper.get('[data-testid="vga-text"]').text()).toBe('');
    client.emit('screen.update', { vmId: 'a', frame: wireFrame(['vmlab kernel', 'line 2']) });
    client.emit('screen.update', { vmId: 'b', frame: wireFrame(['not mine']) });
    await flushPromises();
    expect(wrapper.get('[data-testid="vga-text"]').text()).toBe('vmlab kernel\nline 2');
    const w = Number(canvas.attributes('width'));
    expect(w / Number(canvas.attributes('height'))).toBeCloseTo(1.6, 2);
    expect(canvas.attributes('tabindex')).toBe('0');
    expect(canvas.attributes('aria-label')).toMatch(/VGA text screen, 80 by 25/);
  });

  it('sends keys typed on the canvas to the keyboard, not to the serial console', async () => {
    const { client, canvas } = mountScreen();
    await canvas.trigger('focus');
    await canvas.trigger('keydown', { code: 'KeyQ', key: 'q' });
    await canvas.trigger('keyup', { code: 'KeyQ', key: 'q' });
    await canvas.trigger('keyup', { code: 'KeyW', key: 'w' }); // pressed elsewhere: ignored
    await flushPromises();
    const keys = client.paramsOf('keyboard.input').flatMap((p) => p.keys);
    expect(keys).toEqual([
      { code: 'KeyQ', down: true },
      { code: 'KeyQ', down: false },
    ]);
    expect(client.paramsOf('keyboard.input').every((p) => p.vmId === 'a')).toBe(true);
    expect(client.paramsOf('console.input')).toHaveLength(0);
  });

  it('releases held keys when it loses focus, so none sticks in the guest', async () => {
    const { client, wrapper, canvas } = mountScreen();
    await canvas.trigger('focus');
    expect(wrapper.get('[data-testid="vga-hint"]').text()).toBe('Keys go to the VM');
    await canvas.trigger('keydown', { code: 'ShiftLeft', key: 'Shift' });
    await canvas.trigger('blur');
    await flushPromises();
    expect(client.paramsOf('keyboard.input').flatMap((p) => p.keys)).toEqual([
      { code: 'ShiftLeft', down: true },
      { code: 'ShiftLeft', down: false },
    ]);
    expect(wrapper.get('[data-testid="vga-hint"]').text()).toBe('Click the screen to type');
  });

  it('stops the browser acting on keys it passes on, and leaves the app its shortcuts', async () => {
    const { client, canvas } = mountScreen();
    const tab = new KeyboardEvent('keydown', { code: 'Tab', cancelable: true });
    canvas.element.dispatchEvent(tab);
    expect(tab.defaultPrevented).toBe(true);
    for (const init of [
      { code: 'F12' },
      { code: 'F5' },
      { code: 'KeyS', ctrlKey: true, shiftKey: true },
    ]) {
      const e = new KeyboardEvent('keydown', { ...init, cancelable: true });
      canvas.element.dispatchEvent(e);
      expect(e.defaultPrevented, init.code).toBe(false);
    }
    await flushPromises();
    expect(client.paramsOf('keyboard.input').flatMap((p) => p.keys.map((k) => k.code))).toEqual([
      'Tab',
    ]);
  });
});
