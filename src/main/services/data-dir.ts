// Where the VM library lives: --data-dir flag, then VMLAB_HOME, then the OS app-data folder.
import { homedir } from 'node:os';
import { join } from 'node:path';

export const DATA_DIR_ENV = 'VMLAB_HOME';

/** The per-user application data folder that Electron's app.getPath('userData') also uses. */
export function defaultAppDataDir(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
  home: string = homedir(),
): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'vmlab');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'vmlab');
  return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), 'vmlab');
}

/** Resolves the library folder: an explicit flag wins, then the environment, then the default. */
export function resolveDataDir(
  flag: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
  fallback: () => string = () => defaultAppDataDir(process.platform, env),
): string {
  if (flag) return flag;
  const fromEnv = env[DATA_DIR_ENV];
  if (fromEnv) return fromEnv;
  return fallback();
}
