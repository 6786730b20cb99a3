import type { GitHubState } from './state.js';
import { HttpError, type Handler } from './handlers.js';

/**
 * `POST /repos/{owner}/{repo}/dispatches` (repos/create-dispatch-event): what the kit's EventBridge
 * API destination sends for every incident tick. GitHub answers 204 and starts the workflows that
 * listen to `repository_dispatch` with that `event_type`; `client_payload` holds at most 10
 * top-level properties (GitHub Docs "Create a repository dispatch event").
 */

export interface RepositoryDispatchRecord {
  eventType: string;
  clientPayload: Record<string, unknown>;
  at: string;
  /** Who sent it (the token's identity): the `sender` of the event GitHub delivers. */
  sender: string;
}

const events = new WeakMap<GitHubState, RepositoryDispatchRecord[]>();

/** The dispatch events this emulator received, oldest first. */
export function repositoryDispatches(state: GitHubState): RepositoryDispatchRecord[] {
  let list = events.get(state);
  if (!list) {
    list = [];
    events.set(state, list);
  }
  return list;
}

/** A function declaration, so handlers.ts can spread it while the two modules import each other. */
export function dispatchHandlers(): Record<string, Handler> {
  return { 'repos/create-dispatch-event': createDispatchEvent };
}

function createDispatchEvent(ctx: Parameters<Handler>[0]): ReturnType<Handler> {
  {
    const b = (ctx.body ?? {}) as { event_type: string; client_payload?: Record<string, unknown> };
    if (b.event_type.length < 1 || b.event_type.length > 100) throw new HttpError(422, 'event_type must be 1 to 100 characters');
    const payload = b.client_payload ?? {};
    if (Object.keys(payload).length > 10) throw new HttpError(422, 'client_payload can have at most 10 top-level properties');
    // GitHub refuses a client_payload over 64 KB (the spec only knows the 10-property cap).
    if (Buffer.byteLength(JSON.stringify(payload), 'utf8') > 64 * 1024) {
      throw new HttpError(422, 'client_payload is too large', [{ resource: 'Repository', field: 'client_payload', code: 'invalid' }]);
    }
    repositoryDispatches(ctx.state).push({ eventType: b.event_type, clientPayload: payload, at: ctx.state.now(), sender: ctx.state.actor });
    return { status: 204 };
  }
}
