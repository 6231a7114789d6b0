// Conversions into ApiError, the one error type the renderer shows (src/shared/api.ts).

import { ApiError, type ApiErrorBody, type ApiErrorCode } from '../../../shared/api';

const CODES: readonly ApiErrorCode[] = [
  'bad-request',
  'unknown-method',
  'not-found',
  'conflict',
  'invalid-state',
  'not-implemented',
  'assemble-failed',
  'internal',
];

/** Builds an ApiError from a wire error body, tolerating a malformed one. */
export function errorFromBody(body: unknown): ApiError {
  if (typeof body === 'object' && body !== null) {
    const b = body as Partial<ApiErrorBody>;
    const code = CODES.includes(b.code as ApiErrorCode) ? (b.code as ApiErrorCode) : 'internal';
    const message = typeof b.message === 'string' ? b.message : 'Unknown error from the service';
    return new ApiError(code, message, Array.isArray(b.diagnostics) ? b.diagnostics : undefined);
  }
  return new ApiError('internal', 'Malformed error from the service');
}

/** Wraps anything thrown into an ApiError (transport failures become 'internal'). */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof Error) return new ApiError('internal', err.message);
  return new ApiError('internal', String(err));
}
