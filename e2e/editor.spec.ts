// The editor's help in the real Monaco: hover text for an instruction, and completion.
import { expect, test } from '@playwright/test';
import { createVm } from './ui';
import { servedForSuite } from './web-server';

const vmlab = servedForSuite();

test('hover explains an instruction and typing offers completions', async ({ page }) => {
  await page.goto(vmlab.url);
  await createVm(page, 'E2E Editor');
  const editor = page.getByTestId('editor');
  await editor.locator('.view-line span span', { hasText: /^xor$/ }).first().hover();
  await expect(
    page.locator('.monaco-hover').filter({ hasText: 'Bitwise exclusive OR' }),
  ).toBeVisible();

  await editor.locator('.view-lines').click({ position: { x: 300, y: 40 } });
  await page.keyboard.press('ControlOrMeta+Home');
  await page.keyboard.press('Enter');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.type('    lod');
  const suggest = page.locator('.suggest-widget.visible');
  await expect(suggest).toContainText('lodsb');
  await expect(suggest).toContainText('lodsw');
});
