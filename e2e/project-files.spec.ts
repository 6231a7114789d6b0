// A VM's other files in the real UI: create an %include file, run the program that includes
// it, see its errors marked in it, rename and delete it, and a bad name refused with a reason.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import { createVm, setEditorText } from './ui';
import { servedForSuite } from './web-server';

const vmlab = servedForSuite();

const MAIN = `; prints the message that msg.inc holds
bits 16
org 0x7C00
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
msg:
%include "msg.inc"
times 510-($-$$) db 0
dw 0xAA55
`;

const MSG = "db 'Hello from msg.inc', 13, 10, 0\n";

/** The folder of the only VM whose main source mentions msg.inc. */
function vmFolder(dataDir: string): string {
  const root = join(dataDir, 'vms');
  const id = readdirSync(root).find((d) => {
    const main = join(root, d, 'main.asm');
    return existsSync(main) && readFileSync(main, 'utf8').includes('msg.inc');
  });
  if (!id) throw new Error('no VM includes msg.inc yet');
  return join(root, id);
}

async function newFile(page: Page, name: string): Promise<void> {
  await page.getByTestId('file-create').click();
  const input = page.getByTestId('file-name-input');
  await input.fill(name);
  await input.press('Enter');
}

test('an %include file is created, run, marked, renamed and deleted', async ({ page }) => {
  await page.goto(vmlab.url);
  await createVm(page, 'E2E Files');
  const items = page.getByTestId('file-item');
  const row = (name: string) => page.locator(`[data-testid="file-item"][data-file="${name}"]`);
  await expect(row('main.asm').getByTestId('file-main')).toBeVisible();

  // A bad name is refused with the reason beside it; a good one opens the new file.
  await newFile(page, 'my msg.inc');
  await expect(page.getByTestId('file-name-error')).toContainText('no spaces');
  await newFile(page, 'main.asm');
  await expect(page.getByTestId('file-name-error')).toContainText(
    "already has a file named 'main.asm'",
  );
  await page.getByTestId('file-name-input').fill('msg.inc');
  await page.getByTestId('file-name-input').press('Enter');
  await expect(row('msg.inc')).toBeVisible();
  await expect(page.getByTestId('editor-file')).toHaveText('msg.inc');

  await setEditorText(page, MSG);
  await row('main.asm').locator('.file-open').click();
  await expect(page.getByTestId('editor-file')).toHaveText('main.asm');
  await setEditorText(page, MAIN);
  await expect(page.getByTestId('diagnostics-count')).toHaveText('0');

  await page.getByTestId('run-start').click();
  await expect(page.getByTestId('console')).toContainText('Hello from msg.inc');
  await expect(page.getByTestId('run-state')).toHaveText(/halted/);
  await page.getByTestId('run-stop').click();
  const folder = vmFolder(vmlab.dataDir);
  expect(readFileSync(join(folder, 'msg.inc'), 'utf8')).toBe(MSG);

  // An error typed into the included file is marked there, before it is even saved.
  await row('msg.inc').locator('.file-open').click();
  await expect(page.getByTestId('editor-file')).toHaveText('msg.inc');
  const squiggles = page.locator('[data-testid="editor"] .squiggly-error');
  await page.locator('[data-testid="editor"] .view-lines').click();
  await page.keyboard.press('ControlOrMeta+End');
  await page.keyboard.type('mov ax, no_such_label');
  await expect(squiggles).toHaveCount(1);
  await expect(page.getByTestId('diagnostics-count')).toHaveText('1');
  await expect(row('msg.inc').locator('.error-count')).toHaveText('1');
  await page.screenshot({ path: '/tmp/project-files.png' });
  await page.keyboard.press('Shift+Home');
  await page.keyboard.press('Delete');
  await expect(squiggles).toHaveCount(0);
  await expect(page.getByTestId('diagnostics-count')).toHaveText('0');

  // Rename: the file moves on disk and the editor follows it; main no longer finds msg.inc.
  await row('msg.inc').getByTestId('file-rename').click();
  await page.getByTestId('file-name-input').fill('text.inc');
  await page.getByTestId('file-name-input').press('Enter');
  await expect(row('text.inc')).toBeVisible();
  await expect(row('msg.inc')).toHaveCount(0);
  await expect(page.getByTestId('editor-file')).toHaveText('text.inc');
  await expect(page.getByTestId('diagnostics-count')).not.toHaveText('0');
  expect(existsSync(join(folder, 'msg.inc'))).toBe(false);
  expect(readFileSync(join(folder, 'text.inc'), 'utf8')).toBe(MSG);

  // Delete asks first; the editor goes back to the main source.
  await row('text.inc').getByTestId('file-delete').click();
  await page.getByTestId('confirm-no').click();
  await expect(row('text.inc')).toBeVisible();
  await row('text.inc').getByTestId('file-delete').click();
  await page.getByTestId('confirm-yes').click();
  await expect(row('text.inc')).toHaveCount(0);
  await expect(items).toHaveCount(1);
  await expect(page.getByTestId('editor-file')).toHaveText('main.asm');
  expect(existsSync(join(folder, 'text.inc'))).toBe(false);
  expect(row('main.asm').getByTestId('file-delete')).toHaveCount(0);
});

test('an uploaded binary file is listed with its size and feeds incbin', async ({ page }) => {
  await page.goto(vmlab.url);
  await createVm(page, 'E2E Binary');
  const data = Buffer.from([0x48, 0x69, 0x21, 0x0d, 0x0a, 0x00, 0xff]);
  await page.getByTestId('file-upload-input').setInputFiles({
    name: 'greeting.bin',
    mimeType: 'application/octet-stream',
    buffer: data,
  });
  const row = page.locator('[data-testid="file-item"][data-file="greeting.bin"]');
  await expect(row).toContainText('7 B');
  await row.locator('.file-open').click();
  await expect(page.getByTestId('binary-note')).toContainText('greeting.bin is a binary file');
  await expect(page.getByTestId('binary-note')).toContainText('incbin "greeting.bin"');
  await page.screenshot({ path: '/tmp/project-files-binary.png' });

  await page.locator('[data-testid="file-item"][data-file="main.asm"] .file-open').click();
  await setEditorText(page, MAIN.replace('%include "msg.inc"', 'incbin "greeting.bin"'));
  await expect(page.getByTestId('diagnostics-count')).toHaveText('0');
  await page.getByTestId('run-start').click();
  await expect(page.getByTestId('console')).toContainText('Hi!');
});

test('an error in a macro of an included file is marked at the call and in the macro', async ({
  page,
}) => {
  await page.goto(vmlab.url);
  await createVm(page, 'E2E Macros');
  const row = (name: string) => page.locator(`[data-testid="file-item"][data-file="${name}"]`);
  const squiggles = page.locator('[data-testid="editor"] .squiggly-error');
  const hover = page.locator('.monaco-hover:not(.hidden)').first();
  // The squiggle lies under the text, which takes the pointer; Monaco wants a few moves.
  const hoverSquiggle = async () => {
    const box = await squiggles.first().boundingBox();
    if (!box) throw new Error('no squiggle to hover');
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 4 });
  };
  await newFile(page, 'defs.inc');
  await setEditorText(page, '%macro emit 1\n    mov al, %1 %1\n%endmacro\n');
  await row('main.asm').locator('.file-open').click();
  await setEditorText(page, 'bits 16\norg 0x7C00\n%include "defs.inc"\n    emit 5\n    hlt\n');
  await expect(page.getByTestId('diagnostics-count')).toHaveText('1');
  await expect(squiggles).toHaveCount(1);
  await expect(row('defs.inc').locator('.error-count')).toHaveText('1');

  // At the call, the hover lists the macro body line; following it opens defs.inc there.
  await hoverSquiggle();
  await expect(hover).toContainText("from macro `emit' defined here");
  await page.screenshot({ path: '/tmp/macro-call-marker.png' });
  await hover
    .getByText(/defs\.inc/)
    .first()
    .click();
  await expect(page.getByTestId('editor-file')).toHaveText('defs.inc');

  // In the macro body, the fault itself is marked, naming the call.
  await expect(squiggles).toHaveCount(1);
  await hoverSquiggle();
  await expect(hover).toContainText("in macro `emit' called at main.asm:4");
  await page.screenshot({ path: '/tmp/macro-body-marker.png' });
});
