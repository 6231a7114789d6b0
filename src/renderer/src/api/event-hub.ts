// Typed fan-out of service events (ApiEvents in src/shared/api.ts) to subscribers.

import { API_EVENTS, type ApiEventName, type ApiEvents } from '../../../shared/api';

type AnyHandler = (payload: unknown) => void;

/** True when `name` is one of the events the contract defines. */
export function isApiEventName(name: unknown): name is ApiEventName {
  return typeof name === 'string' && (API_EVENTS as readonly string[]).includes(name);
}

/** Holds handlers per event name and calls them; one failing handler never stops the others. */
export class EventHub {
  private readonly handlers = new Map<ApiEventName, Set<AnyHandler>>();

  /** Subscribes to one event; returns the unsubscribe function. */
  on<E extends ApiEventName>(event: E, handler: (payload: ApiEvents[E]) => void): () => void {
    let set = this.handlers.get(event);
    if (!set) {
      set = new Set();
      this.handlers.set(event, set);
    }
    const h = handler as AnyHandler;
    set.add(h);
    return () => {
      set.delete(h);
    };
  }

  /** Delivers a payload to every handler of `event`. */
  emit(event: ApiEventName, payload: unknown): void {
    const set = this.handlers.get(event);
    if (!set) return;
    for (const handler of [...set]) {
      try {
        handler(payload);
      } catch (err) {
        // A broken subscriber must not starve the others; make it visible in devtools.
        console.error(`vmlab: handler for '${event}' failed`, err);
      }
    }
  }
}
