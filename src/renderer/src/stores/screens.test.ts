import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../shared/api';
import { settle, useFakeApi } from '../testing/setup';
import { wireFrame } from '../vga/test-frames';
import { frameText } from '../vga/text-frame';
import { useNoticesStore } from './notices';
import { useScreensStore } from './screens';

describe('screens store', () => {
  it("keeps the latest 'screen.update' per VM outside reactivity, with a version", () => {
    const client = useFakeApi();
    const screens = useScreensStore();
    expect(screens.frame('a')).toBeNull();
    client.emit('screen.update', { vmId: 'a', frame: wireFrame(['first']) });
    client.emit('screen.update', { vmId: 'a', frame: wireFrame(['second']) });
    client.emit('screen.update', { vmId: 'b', frame: wireFrame(['other']) });
    expect(frameText(screens.frame('a')!)[0]).toBe('second');
    expect(screens.version('a')).toBe(2);
    expect(screens.version('b')).toBe(1);
    expect(JSON.stringify(screens.$state)).not.toContain('cells');
    screens.forget('a');
    expect(screens.frame('a')).toBeNull();
    expect(screens.version('a')).toBe(0);
  });

  it("loads the service's last frame once, without replacing a newer event", async () => {
    const client = useFakeApi();
    client.handle('screen.get', ({ vmId }) => (vmId === 'a' ? wireFrame(['kept']) : null));
    const screens = useScreensStore();
    await screens.load('a');
    await screens.load('b');
    expect(frameText(screens.frame('a')!)[0]).toBe('kept');
    expect(screens.frame('b')).toBeNull();
    client.emit('screen.update', { vmId: 'a', frame: wireFrame(['newer']) });
    await screens.load('a');
    expect(frameText(screens.frame('a')!)[0]).toBe('newer');
  });

  it("sends keys in order with 'keyboard.input', batching those typed during a request", async () => {
    const client = useFakeApi();
    const screens = useScreensStore();
    screens.sendKey('a', { code: 'KeyH', down: true });
    screens.sendKey('a', { code: 'KeyH', down: false });
    screens.sendKey('a', { code: 'KeyI', down: true });
    await settle(10);
    expect(client.paramsOf('keyboard.input')).toEqual([
      { vmId: 'a', keys: [{ code: 'KeyH', down: true }] },
      {
        vmId: 'a',
        keys: [
          { code: 'KeyH', down: false },
          { code: 'KeyI', down: true },
        ],
      },
    ]);
  });

  it('drops keys for a VM that is not running quietly and reports other failures', async () => {
    const client = useFakeApi();
    const screens = useScreensStore();
    const notices = useNoticesStore();
    client.fail('keyboard.input', new ApiError('invalid-state', 'the VM is not running'));
    screens.sendKey('a', { code: 'KeyA', down: true });
    await settle(10);
    expect(notices.notices).toHaveLength(0);
    client.fail('keyboard.input', new ApiError('internal', 'boom'));
    screens.sendKey('a', { code: 'KeyA', down: true });
    await settle(10);
    expect(notices.notices).toHaveLength(1);
  });
});
