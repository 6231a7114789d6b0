// `vmlab serve`: web mode. The service, its engine workers and the HTTP/WebSocket server.
import type { BundlePaths } from '../bundle-paths';
import { workerLink } from '../engine-host/links';
import { resolveDataDir } from '../services/data-dir';
import { VmService } from '../services/vm-service';
import { startWebServer } from '../web/server';
import { numberFlag, parse, UsageError } from './usage';

export async function commandServe(args: string[], paths: BundlePaths): Promise<number> {
  const { values, positionals } = parse(args, {
    port: { type: 'string' },
    host: { type: 'string' },
    'data-dir': { type: 'string' },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  const port = numberFlag('port', values.port, { max: 65535 }) ?? 8080;
  const dataDir = resolveDataDir(values['data-dir']);
  const service = await VmService.open(dataDir, () => workerLink(paths.engineWorker));
  for (const bad of service.library.unreadable) {
    process.stderr.write(`vmlab: skipped ${bad.folder}: ${bad.reason}\n`);
  }
  let server: Awaited<ReturnType<typeof startWebServer>>;
  try {
    server = await startWebServer({
      service,
      rendererDir: paths.rendererDir,
      host: values.host,
      port,
    });
  } catch (err) {
    await service.close();
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'EADDRINUSE')
      throw new UsageError(`port ${port} is in use; pick another with --port`);
    throw err;
  }
  process.stdout.write(`vmlab web mode: ${server.url}\nlibrary: ${dataDir}\n`);
  await new Promise<void>((done) => {
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
  await server.close();
  await service.close();
  return 0;
}
