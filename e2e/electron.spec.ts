// The same app in Electron, where the Electron binary exists; skipped, with the reason, elsewhere.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';
import { electronBinary } from '../scripts/electron-binary.mjs';

const binary: string | undefined = electronBinary();
if (!binary) {
  console.log(
    'electron e2e skipped: no Electron binary on this machine (its download failed at install)',
  );
}

test.describe('electron', () => {
  test.skip(!binary, 'no Electron binary on this machine');

  test('the window opens isolated and sandboxed, and lists a created VM', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'vmlab-electron-'));
    const app = await electron.launch({
      executablePath: binary,
      args: ['.', '--data-dir', dataDir],
    });
    try {
      const page = await app.firstWindow();
      await expect(page.getByTestId('vm-list')).toBeVisible();
      expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe(
        'undefined',
      );
      await page.getByTestId('vm-create').click();
      await page.getByTestId('vm-name-input').fill('Electron VM');
      await page.getByTestId('vm-name-input').press('Enter');
      await expect(page.getByTestId('vm-item').filter({ hasText: 'Electron VM' })).toBeVisible();
    } finally {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
