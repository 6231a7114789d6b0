// The VGA screen end to end in web mode: the kernel example boots from its disk image in the
// UI, its text shows on the canvas, and a key typed on the canvas is echoed by the guest.
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { createVm, setEditorText } from './ui';
import { servedForSuite } from './web-server';

const vmlab = servedForSuite();

// The example halts after half a second of timer ticks, paced to the wall clock in the UI;
// thirty seconds leave the test (and a person) time to type.
const KERNEL = readFileSync('examples/kernel.asm', 'utf8').replace(
  /TICKS_TO_RUN\s+equ 50/,
  'TICKS_TO_RUN    equ 3000',
);

test('boots the kernel example from disk, shows its VGA screen and echoes a typed key', async ({
  page,
}) => {
  await page.goto(vmlab.url);
  await createVm(page, 'E2E Kernel');
  await setEditorText(page, KERNEL);
  await expect(page.getByTestId('diagnostics-count')).toHaveText('0');

  await page.getByTestId('run-start').click();
  const screen = page.getByTestId('vga-text');
  await expect(screen).toContainText('vmlab kernel: 32-bit protected mode');
  await expect(screen).toContainText('IDE sector 16: read with IDE PIO');
  await expect(screen).toContainText('ring 3: hello through int 0x80');
  await expect(screen).toContainText('task exited; type keys, they echo here');

  // Keys typed on the focused canvas reach the 8042; the kernel's IRQ 1 handler echoes them.
  const canvas = page.getByTestId('vga-canvas');
  await canvas.click();
  await expect(canvas).toBeFocused();
  await page.keyboard.type('hi vmlab');
  await expect(screen).toContainText('echo here\nhi vmlab');
  await expect(page.getByTestId('run-state')).toHaveText(/running/);
  await page.screenshot({ path: 'test-results/vga-kernel.png' });

  await page.getByTestId('run-stop').click();
  await expect(page.getByTestId('run-state')).toHaveText(/stopped/);
  // The last screen stays on show after the VM stopped.
  await expect(screen).toContainText('hi vmlab');
});
