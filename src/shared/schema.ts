// Boundary validation for the service API: every request's params are parsed here
// before VmService sees them, so a malformed request gets a typed error, never a crash.
import { z } from 'zod';
import {
  API_METHODS,
  ApiError,
  type ApiMethod,
  type ApiParams,
  type ApiRequests,
  PLAIN_FILE_NAME,
  TECHNIQUES,
} from './api';

/** Limits that keep one request from exhausting the service. */
export const LIMITS = {
  nameLength: 80,
  sourceBytes: 1 << 20,
  consoleInputBytes: 4096,
  keyEvents: 64,
  stepCount: 1_000_000,
  memoryMiB: { min: 1, max: 2048 },
  /** Files in one VM's folder, and unsaved texts one assembly may carry. */
  projectFiles: 256,
  unsavedFiles: 16,
} as const;

// Defined beside the API types so the renderer can check names without loading zod.
export { PLAIN_FILE_NAME };

const id = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'must be a VM id');
const name = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(LIMITS.nameLength, `must be at most ${LIMITS.nameLength} characters`)
  .refine(
    (s) => ![...s].some((c) => c.charCodeAt(0) < 0x20),
    'must not contain control characters',
  );
const technique = z.enum(TECHNIQUES);
const memoryMiB = z.number().int().min(LIMITS.memoryMiB.min).max(LIMITS.memoryMiB.max);
const file = z.string().regex(PLAIN_FILE_NAME, 'must be a plain file name such as main.asm');
const sourceText = z.string().max(LIMITS.sourceBytes, 'source is larger than 1 MiB');
const none = z.object({}).strict();
// Base64 of at most sourceBytes bytes: a binary file for incbin, uploaded in one request.
const binaryData = z
  .base64('must be base64')
  .max(Math.ceil(LIMITS.sourceBytes / 3) * 4, 'file is larger than 1 MiB');
const unsavedFiles = z
  .record(file, sourceText)
  .refine(
    (files) => Object.keys(files).length <= LIMITS.unsavedFiles,
    `must hold at most ${LIMITS.unsavedFiles} files`,
  );
const snapshotId = z.string().regex(/^snap-[0-9a-f]{8}$/, 'must be a snapshot id');
const description = z.string().max(2000, 'must be at most 2000 characters');
const vm = z.object({ vmId: id }).strict();

const schemas = {
  'vm.list': none,
  'vm.create': z
    .object({
      name,
      technique: technique.optional(),
      memoryMiB: memoryMiB.optional(),
      source: sourceText.optional(),
    })
    .strict(),
  'vm.update': z
    .object({
      id,
      name: name.optional(),
      technique: technique.optional(),
      memoryMiB: memoryMiB.optional(),
    })
    .strict(),
  'vm.delete': z.object({ id }).strict(),
  'vm.clone': z.object({ id, name: name.optional() }).strict(),
  'source.get': z.object({ vmId: id, file: file.optional() }).strict(),
  'source.set': z.object({ vmId: id, file: file.optional(), text: sourceText }).strict(),
  'source.assemble': z
    .object({
      vmId: id,
      file: file.optional(),
      text: sourceText.optional(),
      files: unsavedFiles.optional(),
    })
    .strict(),
  'source.list': vm,
  'source.create': z
    .object({ vmId: id, file, text: sourceText.optional(), data: binaryData.optional() })
    .strict()
    .refine((p) => p.text === undefined || p.data === undefined, 'give text or data, not both'),
  'source.rename': z.object({ vmId: id, file, to: file }).strict(),
  'source.delete': z.object({ vmId: id, file }).strict(),
  'run.start': vm,
  'run.pause': vm,
  'run.resume': vm,
  'run.stop': vm,
  'run.reset': vm,
  'run.step': z
    .object({ vmId: id, count: z.number().int().min(1).max(LIMITS.stepCount).optional() })
    .strict(),
  'run.status': vm,
  'console.input': z
    .object({ vmId: id, data: z.string().min(1).max(LIMITS.consoleInputBytes) })
    .strict(),
  'keyboard.input': z
    .object({
      vmId: id,
      keys: z
        .array(
          z
            .object({
              code: z.string().regex(/^[A-Za-z0-9]{1,32}$/, 'must be a KeyboardEvent.code'),
              down: z.boolean(),
            })
            .strict(),
        )
        .min(1)
        .max(LIMITS.keyEvents),
    })
    .strict(),
  'screen.get': vm,
  'snapshot.list': vm,
  'snapshot.take': z.object({ vmId: id, name, description: description.optional() }).strict(),
  'snapshot.revert': z.object({ vmId: id, snapshotId }).strict(),
  'snapshot.rename': z
    .object({ vmId: id, snapshotId, name, description: description.optional() })
    .strict(),
  'snapshot.delete': z.object({ vmId: id, snapshotId }).strict(),
} satisfies { [M in ApiMethod]: z.ZodType };

/** Validates a VM id given outside a request's params (a URL path, a CLI argument). */
export function parseVmId(value: unknown): string {
  const result = id.safeParse(value);
  if (!result.success) throw new ApiError('bad-request', `${JSON.stringify(value)} is not a VM id`);
  return result.data;
}

export function isApiMethod(method: unknown): method is ApiMethod {
  return typeof method === 'string' && (API_METHODS as readonly string[]).includes(method);
}

/** Parses a request's params or throws ApiError('bad-request') saying which field is wrong. */
export function parseParams<M extends ApiMethod>(method: M, params: unknown): ApiParams<M> {
  const result = schemas[method].safeParse(params ?? {});
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue && issue.path.length > 0 ? `'${issue.path.join('.')}' ` : '';
    const what = issue ? issue.message : 'invalid';
    throw new ApiError('bad-request', `${method}: ${where}${what}`);
  }
  return result.data as ApiRequests[M]['params'];
}

/** Checks the method name, then the params; the single entry point of both adapters. */
export function validateRequest(
  method: unknown,
  params: unknown,
): { method: ApiMethod; params: unknown } {
  if (!isApiMethod(method)) {
    throw new ApiError('unknown-method', `unknown method ${JSON.stringify(method)}`);
  }
  return { method, params: parseParams(method, params) };
}
