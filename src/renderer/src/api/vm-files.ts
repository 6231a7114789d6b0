// Moving a VM in and out as one file: Electron asks with save/open dialogs in the main
// process; web mode downloads from and uploads to the server's archive routes.

import { ApiError, type ApiErrorBody, type PreloadApi, type VmInfo } from '../../../shared/api';
import { errorFromBody } from './errors';

export interface VmFiles {
  /** Whether import needs a file the page picked (web) or asks by itself (Electron). */
  readonly picksOwnFile: boolean;
  exportVm(id: string): Promise<void>;
  /** Imports `file` (web) or asks for one (Electron); null when the user cancelled. */
  importVm(file?: Blob): Promise<VmInfo | null>;
}

/** Web mode: a download link and an upload with the header the server requires. */
export function webVmFiles(doc: Document = document, fetchFn: typeof fetch = fetch): VmFiles {
  return {
    picksOwnFile: false,
    async exportVm(id) {
      const a = doc.createElement('a');
      a.href = `/api/vms/${encodeURIComponent(id)}/export`;
      a.download = '';
      doc.body.append(a);
      a.click();
      a.remove();
    },
    async importVm(file) {
      if (!file) return null;
      const res = await fetchFn('/api/vms/import', {
        method: 'POST',
        headers: { 'x-vmlab-upload': '1' },
        body: file,
      });
      const body = (await res.json().catch(() => null)) as VmInfo | ApiErrorBody | null;
      if (!res.ok) {
        throw body && 'code' in body
          ? errorFromBody(body)
          : new ApiError('internal', `import failed with HTTP ${res.status}`);
      }
      return body as VmInfo;
    },
  };
}

/** Electron: the main process shows the dialogs and reads or writes the file. */
export function preloadVmFiles(bridge: PreloadApi): VmFiles {
  return {
    picksOwnFile: true,
    async exportVm(id) {
      const out = await bridge.exportVmFile(id);
      if (!out.ok) throw errorFromBody(out.error);
    },
    async importVm() {
      const out = await bridge.importVmFile();
      if (!out.ok) throw errorFromBody(out.error);
      return out.result;
    },
  };
}

/** The transport for this page, like createApiClient's choice. */
export function createVmFiles(win: { vmlab?: PreloadApi } = window): VmFiles {
  return win.vmlab ? preloadVmFiles(win.vmlab) : webVmFiles();
}
