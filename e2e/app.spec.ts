// The app end to end in web mode: the two user flows, driven through Chromium.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { createVm, setEditorText } from './ui';
import { servedForSuite } from './web-server';

const vmlab = servedForSuite();

const GOOD = `; e2e-program
bits 16
org 0x7C00
start:
    mov si, msg
.next:
    lodsb
    test al, al
    jz .done
    mov dx, 0x3F8
    out dx, al
    jmp .next
.done:
    cli
    hlt
msg: db 'Hello from the e2e guest', 13, 10, 0
times 510-($-$$) db 0
dw 0xAA55
`;

test('create a VM, edit with diagnostics, run, stop, and find it all after a reload', async ({
  page,
}) => {
  await page.goto(vmlab.url);
  await createVm(page, 'E2E Hello');

  await setEditorText(page, GOOD);
  const squiggles = page.locator('[data-testid="editor"] .squiggly-error');
  await expect(page.getByTestId('diagnostics-count')).toHaveText('0');

  // Type a bad line at the end: the assembler's error shows as a marker on it.
  await page.keyboard.press('ControlOrMeta+End');
  await page.keyboard.type('mov ax, no_such_label');
  await expect(squiggles).toHaveCount(1);
  await expect(page.getByTestId('diagnostics-count')).toHaveText('1');

  // Fix it by deleting the line again: the marker goes away.
  await page.keyboard.press('Shift+Home');
  await page.keyboard.press('Delete');
  await expect(squiggles).toHaveCount(0);
  await expect(page.getByTestId('diagnostics-count')).toHaveText('0');

  await page.getByTestId('run-start').click();
  await expect(page.getByTestId('console')).toContainText('Hello from the e2e guest');
  await expect(page.getByTestId('run-state')).toHaveText(/halted/);
  await page.getByTestId('run-stop').click();
  await expect(page.getByTestId('run-state')).toHaveText(/stopped/);

  // The source is on disk in the VM's folder, saved atomically.
  const vms = readdirSync(join(vmlab.dataDir, 'vms'));
  const texts = vms.map((id) => readFileSync(join(vmlab.dataDir, 'vms', id, 'main.asm'), 'utf8'));
  expect(texts).toContain(GOOD);

  await page.reload();
  const item = page.getByTestId('vm-item').filter({ hasText: 'E2E Hello' });
  await expect(item).toBeVisible();
  await item.click();
  await expect(page.locator('[data-testid="editor"] .view-lines')).toContainText('e2e-program');
});

test('a guest spinning forever is stopped from the UI, which stays responsive', async ({
  page,
}) => {
  await page.goto(vmlab.url);
  await createVm(page, 'E2E Spin');
  await setEditorText(page, readFileSync('examples/spin.asm', 'utf8'));
  await expect(page.locator('[data-testid="editor"] .squiggly-error')).toHaveCount(0);

  await page.getByTestId('run-start').click();
  await expect(page.getByTestId('run-state')).toHaveText(/running/);
  const icount = page.getByTestId('icount');
  const first = await icount.textContent();
  await expect(icount).not.toHaveText(first ?? '');

  // The UI answers while the guest spins: create another VM meanwhile.
  await createVm(page, 'E2E Meanwhile');
  await page.getByTestId('vm-item').filter({ hasText: 'E2E Spin' }).click();
  await expect(page.getByTestId('run-state')).toHaveText(/running/);

  await page.getByTestId('run-stop').click();
  await expect(page.getByTestId('run-state')).toHaveText(/stopped/);
  const stoppedAt = await icount.textContent();
  await page.waitForTimeout(300);
  await expect(icount).toHaveText(stoppedAt ?? '');
});

test('rename, clone and delete VMs from the list', async ({ page }) => {
  await page.goto(vmlab.url);
  await createVm(page, 'E2E Library');
  const items = page.getByTestId('vm-item');

  await page.getByTestId('vm-rename').click();
  const input = page.getByTestId('vm-name-input');
  await input.fill('E2E Renamed');
  await input.press('Enter');
  await expect(items.filter({ hasText: /^E2E Renamed$/ })).toBeVisible();
  await expect(items.filter({ hasText: /^E2E Library$/ })).toHaveCount(0);

  await page.getByTestId('vm-clone').click();
  await expect(items.filter({ hasText: 'E2E Renamed (copy)' })).toBeVisible();

  await items.filter({ hasText: 'E2E Renamed (copy)' }).click();
  await page.getByTestId('vm-delete').click();
  await page.getByTestId('confirm-yes').click();
  await expect(items.filter({ hasText: 'E2E Renamed (copy)' })).toHaveCount(0);

  // The library on disk agrees after a reload.
  await page.reload();
  await expect(items.filter({ hasText: /^E2E Renamed$/ })).toBeVisible();
  await expect(items.filter({ hasText: 'E2E Renamed (copy)' })).toHaveCount(0);
});

test('export a VM to a file and import it back as a copy', async ({ page }, testInfo) => {
  await page.goto(vmlab.url);
  await createVm(page, 'E2E Portable');
  const download = page.waitForEvent('download');
  await page.getByTestId('vm-export').click();
  const file = testInfo.outputPath('portable.vmlab');
  await (await download).saveAs(file);
  expect(readFileSync(file).subarray(0, 8).toString()).toBe('VMLABSNP');

  await page.getByTestId('vm-import-file').setInputFiles(file);
  await expect(
    page.getByTestId('vm-item').filter({ hasText: 'E2E Portable (imported)' }),
  ).toBeVisible();
  await expect(page.locator('[data-testid="editor"] .view-lines')).toContainText('hello.asm');
});
