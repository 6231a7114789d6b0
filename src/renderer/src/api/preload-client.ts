// ApiClient over Electron IPC: wraps the PreloadApi that src/preload puts on window.vmlab.

import type {
  ApiClient,
  ApiErrorBody,
  ApiEventName,
  ApiEvents,
  ApiMethod,
  ApiParams,
  ApiResult,
  PreloadApi,
} from '../../../shared/api';
import { errorFromBody, toApiError } from './errors';
import { EventHub, isApiEventName } from './event-hub';

type Outcome<M extends ApiMethod> =
  | { ok: true; result: ApiResult<M> }
  | { ok: false; error: ApiErrorBody };

/** Talks to the main process through the preload bridge; errors become ApiError. */
export class PreloadClient implements ApiClient {
  private readonly hub = new EventHub();

  constructor(private readonly bridge: PreloadApi) {
    bridge.onEvent((event: ApiEventName, payload: unknown) => {
      if (isApiEventName(event)) this.hub.emit(event, payload);
    });
  }

  async request<M extends ApiMethod>(method: M, params: ApiParams<M>): Promise<ApiResult<M>> {
    // The mapped type cannot be indexed generically; the bridge has one function per method.
    const call = this.bridge[method] as unknown as (p: ApiParams<M>) => Promise<Outcome<M>>;
    let outcome: Outcome<M>;
    try {
      outcome = await call(params);
    } catch (err) {
      throw toApiError(err);
    }
    if (outcome.ok) return outcome.result;
    throw errorFromBody(outcome.error);
  }

  on<E extends ApiEventName>(event: E, handler: (payload: ApiEvents[E]) => void): () => void {
    return this.hub.on(event, handler);
  }
}
