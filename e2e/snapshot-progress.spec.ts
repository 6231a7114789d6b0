// Progress of a long snapshot operation in web mode (issue 6): taking a snapshot of a 256 MiB
// VM shows a bar naming the phase until the snapshot is in the tree.
import { expect, test } from '@playwright/test';
import { createVm } from './ui';
import { servedForSuite } from './web-server';

const vmlab = servedForSuite();

test('taking a snapshot of a 256 MiB VM shows its phases in a progress bar', async ({ page }) => {
  await page.goto(vmlab.url);
  await createVm(page, 'E2E Big');
  // The UI has no memory size field yet: set it through the service API, as a client would.
  await page.evaluate(async () => {
    const g = globalThis as unknown as {
      location: { host: string };
      WebSocket: new (
        url: string,
      ) => {
        onopen: () => void;
        onmessage: (e: { data: string }) => void;
        send(s: string): void;
        close(): void;
      };
    };
    const ws = new g.WebSocket(`ws://${g.location.host}/api`);
    const call = (id: number, method: string, params: unknown) =>
      new Promise<unknown>((resolve) => {
        ws.onmessage = (e) => {
          const m = JSON.parse(e.data) as { kind: string; id: number; result: unknown };
          if (m.kind === 'response' && m.id === id) resolve(m.result);
        };
        ws.send(JSON.stringify({ kind: 'request', id, method, params }));
      });
    await new Promise<void>((open) => {
      ws.onopen = open;
    });
    const vms = (await call(1, 'vm.list', {})) as { id: string; name: string }[];
    const vm = vms.find((v) => v.name === 'E2E Big');
    await call(2, 'vm.update', { id: vm?.id, memoryMiB: 256 });
    ws.close();
  });
  await expect(page.getByTestId('vm-item').filter({ hasText: 'E2E Big' })).toHaveAttribute(
    'title',
    /256 MiB/,
  );
  await page.getByTestId('run-start').click();
  await expect(page.getByTestId('snapshot-take')).toBeEnabled();

  await page.getByTestId('snapshot-take').click();
  await page.getByTestId('snapshot-name-input').press('Enter');
  const bar = page.getByTestId('operation-progress');
  await expect(bar).toBeVisible();
  await expect(bar.getByTestId('progress-label')).toContainText('Taking snapshot: ');
  await page.screenshot({ path: '/tmp/snapshot-progress.png' });

  const item = page.getByTestId('snapshot-item').filter({ hasText: 'Snapshot 1' });
  await expect(item.getByTestId('snapshot-current')).toBeVisible();
  await expect(bar).toHaveCount(0);
});
