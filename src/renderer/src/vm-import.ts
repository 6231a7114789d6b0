// Importing a .vmlab file: Electron shows its own open dialog; a web page needs a file input.
import { useTemplateRef } from 'vue';
import { vmFiles } from './stores/client';
import { useVmsStore } from './stores/vms';

/** Handlers for an Import button and for the file input the component marks `ref="importFile"`. */
export function useVmImport() {
  const vms = useVmsStore();
  const fileInput = useTemplateRef<HTMLInputElement>('importFile');

  function startImport(): void {
    if (vmFiles().picksOwnFile) void vms.importVm();
    else fileInput.value?.click();
  }

  async function importPicked(): Promise<void> {
    const input = fileInput.value;
    const file = input?.files?.[0];
    if (input) input.value = '';
    if (file) await vms.importVm(file);
  }

  return { startImport, importPicked };
}
