// Web mode's two binary routes: download a VM as one file, upload one to import it. They sit
// beside the WebSocket API because files can be far larger than a socket message.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from '../../shared/api';
import type { VmService } from '../services/vm-service';

/** Largest archive accepted for import. */
export const MAX_IMPORT_BYTES = 4 * 2 ** 30;
/** Header a page of ours sends with uploads; a cross-site form cannot set it. */
export const UPLOAD_HEADER = 'x-vmlab-upload';

const EXPORT_PATH = /^\/api\/vms\/([a-z0-9-]+)\/export$/;

/** Handles the request if it is an archive route; returns false otherwise. */
export async function archiveRoute(
  service: VmService,
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
): Promise<boolean> {
  const exportMatch = EXPORT_PATH.exec(pathname);
  if (exportMatch && req.method === 'GET') {
    await answer(res, async () => {
      const { name, file } = await service.exportVm(exportMatch[1]);
      const fileName = `${name.replace(/[^A-Za-z0-9 _.-]+/g, '_').trim() || 'vm'}.vmlab`;
      res.writeHead(200, {
        'content-type': 'application/octet-stream',
        'content-length': file.length,
        'content-disposition': `attachment; filename="${fileName}"`,
      });
      res.end(file);
    });
    return true;
  }
  if (pathname === '/api/vms/import' && req.method === 'POST') {
    await answer(res, async () => {
      if (req.headers[UPLOAD_HEADER] !== '1') {
        throw new ApiError('bad-request', `uploads must carry the ${UPLOAD_HEADER} header`);
      }
      const vm = await service.importVm(await readBody(req));
      json(res, 200, vm);
    });
    return true;
  }
  return false;
}

async function answer(res: ServerResponse, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (err) {
    const error = err instanceof ApiError ? err : new ApiError('internal', String(err));
    const status = error.code === 'not-found' ? 404 : error.code === 'internal' ? 500 : 400;
    if (!res.headersSent) json(res, status, error.toBody());
    else res.destroy();
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    // Past the limit the rest is read and dropped, so the client still gets an answer.
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_IMPORT_BYTES) chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > MAX_IMPORT_BYTES)
        reject(new ApiError('bad-request', 'the file is larger than 4 GiB'));
      else resolve(new Uint8Array(Buffer.concat(chunks)));
    });
    req.on('error', reject);
  });
}
