// What the e2e tests do as a person would: create a VM, put a program in the editor.
import { expect, type Page } from '@playwright/test';

/** Creates a VM through the sidebar and selects it. */
export async function createVm(page: Page, name: string): Promise<void> {
  await page.getByTestId('vm-create').click();
  const input = page.getByTestId('vm-name-input');
  await input.fill(name);
  await input.press('Enter');
  const item = page.getByTestId('vm-item').filter({ hasText: name });
  await expect(item).toBeVisible();
  await item.click();
}

/**
 * Replaces the whole editor text as a person pasting a program would: select all, paste.
 * (Typed line by line, the editor's auto-indent would rewrite the indentation.)
 */
export async function setEditorText(page: Page, text: string): Promise<void> {
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  // Runs in the page, where the DOM exists; this file is compiled without DOM types.
  await page.evaluate(
    (t) =>
      (
        globalThis as unknown as {
          navigator: { clipboard: { writeText(s: string): Promise<void> } };
        }
      ).navigator.clipboard.writeText(t),
    text,
  );
  await page.locator('[data-testid="editor"] .monaco-editor').click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('ControlOrMeta+V');
}
