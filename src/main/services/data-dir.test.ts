import { describe, expect, it } from 'vitest';
import { DATA_DIR_ENV, defaultAppDataDir, resolveDataDir } from './data-dir';

describe('library folder', () => {
  it('prefers the flag, then the environment, then the app-data folder', () => {
    const env = { [DATA_DIR_ENV]: '/from/env' };
    expect(resolveDataDir('/from/flag', env, () => '/default')).toBe('/from/flag');
    expect(resolveDataDir(undefined, env, () => '/default')).toBe('/from/env');
    expect(resolveDataDir(undefined, {}, () => '/default')).toBe('/default');
  });

  it('follows each platform convention for app data', () => {
    expect(defaultAppDataDir('linux', {}, '/home/u')).toBe('/home/u/.config/vmlab');
    expect(defaultAppDataDir('linux', { XDG_CONFIG_HOME: '/x' }, '/home/u')).toBe('/x/vmlab');
    expect(defaultAppDataDir('darwin', {}, '/Users/u')).toBe(
      '/Users/u/Library/Application Support/vmlab',
    );
    expect(defaultAppDataDir('win32', { APPDATA: 'C:\\AppData' }, 'C:\\u')).toMatch(/vmlab$/);
  });
});
