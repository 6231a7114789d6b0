// Snapshots end to end in web mode (issue 6): take two, revert to the first, and see the guest
// go on from that moment, in the console, on the screen and in the tree.
import { readFileSync } from 'node:fs';
import { expect, type Page, test } from '@playwright/test';
import { createVm, setEditorText } from './ui';
import { servedForSuite } from './web-server';

const vmlab = servedForSuite();

/**
 * examples/echo.asm, with every character it sends also put on the VGA screen through the
 * BIOS teletype, so the snapshots' screens differ the way the console does.
 */
function echoOnScreen(): string {
  const source = readFileSync('examples/echo.asm', 'utf8');
  const send = '    out dx, al\n    pop dx\n    ret';
  expect(source).toContain(send);
  return source.replace(
    send,
    '    out dx, al\n    xor bx, bx\n    mov ah, 0x0E\n    int 0x10\n    pop dx\n    ret',
  );
}

async function typeIntoConsole(page: Page, keys: string): Promise<void> {
  await page.getByTestId('console').click();
  await page.keyboard.type(keys);
}

async function takeSnapshot(page: Page, expectedName: string): Promise<void> {
  await page.getByTestId('snapshot-take').click();
  const input = page.getByTestId('snapshot-name-input');
  await expect(input).toHaveValue(expectedName);
  await input.press('Enter');
  const item = page.getByTestId('snapshot-item').filter({ hasText: expectedName });
  await expect(item.getByTestId('snapshot-current')).toBeVisible();
}

test('take two snapshots, revert to the first, and go on from that moment', async ({ page }) => {
  await page.goto(vmlab.url);
  await createVm(page, 'E2E Snapshots');
  const panel = page.getByTestId('snapshot-panel');
  await expect(panel).toBeVisible();
  await expect(page.getByTestId('snapshot-take')).toBeDisabled();

  await setEditorText(page, echoOnScreen());
  await expect(page.getByTestId('diagnostics-count')).toHaveText('0');
  await page.getByTestId('run-start').click();
  const consoleView = page.getByTestId('console');
  await expect(consoleView).toContainText('echo: type something');
  await expect(page.getByTestId('snapshot-take')).toBeEnabled();

  await typeIntoConsole(page, 'ab');
  await expect(consoleView).toContainText('AB');
  await takeSnapshot(page, 'Snapshot 1');

  await typeIntoConsole(page, 'cd');
  await expect(consoleView).toContainText('ABCD');
  await takeSnapshot(page, 'Snapshot 2');

  const items = page.getByTestId('snapshot-item');
  const first = items.filter({ hasText: 'Snapshot 1' });
  const second = items.filter({ hasText: 'Snapshot 2' });
  await first.click();
  await page.getByTestId('snapshot-revert').click();
  await expect(panel).toContainText('Reverting discards the current state since the last snapshot');
  await page.screenshot({ path: 'test-results/snapshots-confirm.png' });
  await page.getByTestId('confirm-yes').click();

  // The console is append-only: a divider marks the moment the guest went back to.
  await expect(consoleView).toContainText("— reverted to 'Snapshot 1' —");
  await expect(page.getByTestId('run-state')).toHaveText('running');
  await typeIntoConsole(page, 'z');
  await expect(consoleView).toContainText(/reverted to 'Snapshot 1' —\s*Z/);
  await expect(consoleView).not.toContainText('ABCDZ');

  // The screen view goes on from the screen as it was: "AB", then the new "Z".
  await page.getByTestId('console-tab-screen').click();
  await expect(consoleView).toContainText(
    /reverted to 'Snapshot 1' —\s*echo: type something\s*ABZ/,
  );

  // The tree: both snapshots, "you are here" on the first.
  await expect(items).toHaveCount(2);
  await expect(page.getByTestId('snapshot-current')).toHaveCount(1);
  await expect(first.getByTestId('snapshot-current')).toBeVisible();
  await expect(second.getByTestId('snapshot-current')).toHaveCount(0);

  // Each snapshot's screen, on hover.
  const thumbnail = page.getByTestId('snapshot-thumbnail');
  await second.hover();
  await expect(thumbnail).toContainText('ABCD');
  await first.hover();
  await expect(thumbnail).toContainText('AB');
  await expect(thumbnail).not.toContainText('ABCD');
  await page.screenshot({ path: 'test-results/snapshots-thumbnail.png' });

  // Ctrl+Shift+S takes one at once: a branch off the first, which it becomes.
  await page.getByTestId('console-tab-all').click();
  await page.getByTestId('console').click();
  await page.keyboard.press('ControlOrMeta+Shift+S');
  const third = items.filter({ hasText: 'Snapshot 3' });
  await expect(third.getByTestId('snapshot-current')).toBeVisible();
  await expect(items).toHaveCount(3);

  // A stopped VM starts from a snapshot, paused, without a confirmation (nothing to lose).
  await page.getByTestId('run-stop').click();
  await expect(page.getByTestId('run-state')).toHaveText('stopped');
  await expect(page.getByTestId('snapshot-take')).toBeDisabled();
  await second.click();
  await page.getByTestId('snapshot-revert').click();
  await expect(page.getByTestId('run-state')).toHaveText('paused');
  await expect(page.getByTestId('confirm-yes')).toHaveCount(0);
  await expect(second.getByTestId('snapshot-current')).toBeVisible();
  await page.getByTestId('run-pause').click();
  await expect(page.getByTestId('run-state')).toHaveText('running');
  await typeIntoConsole(page, 'e');
  await expect(consoleView).toContainText(/reverted to 'Snapshot 2' —\s*E/);

  // Rename inline; delete the first snapshot: the ones after it keep their state.
  await third.click();
  await page.getByTestId('snapshot-rename').click();
  await page.getByTestId('snapshot-name-input').fill('branch off 1');
  await page.getByTestId('snapshot-name-input').press('Enter');
  await expect(items.filter({ hasText: 'branch off 1' })).toHaveCount(1);
  await first.click();
  await page.getByTestId('snapshot-delete').click();
  await page.getByTestId('confirm-yes').click();
  await expect(items).toHaveCount(2);
  await expect(first).toHaveCount(0);
  await second.click();
  await page.getByTestId('snapshot-revert').click();
  await page.getByTestId('confirm-yes').click();
  // The second divider for 'Snapshot 2' says the revert is done; keys typed before it would
  // still reach the state being discarded.
  await expect(consoleView).toContainText(/'Snapshot 2' —\s*E.*reverted to 'Snapshot 2' —/);
  await expect(panel).toHaveAttribute('aria-busy', 'false');
  await typeIntoConsole(page, 'f');
  await expect(consoleView).toContainText(/'Snapshot 2' —\s*E.*reverted to 'Snapshot 2' —\s*F/);

  await page.mouse.move(640, 400);
  await page.screenshot({ path: 'test-results/snapshots.png' });
});
