import { InputError } from '../errors.js';

/**
 * When a tick was meant to run, how late it ran, and the slot that makes it idempotent across
 * sources (issue 10 §7). Two schedulers start ticks: Amazon EventBridge Scheduler (through
 * `repository_dispatch`, with the scheduled time in the payload: on time within about a minute)
 * and GitHub's `*\/15` schedule (best effort: often minutes late, sometimes dropped; its payload
 * carries the cron, not the time, so the scheduled time is the latest cron boundary at or before
 * the start — a lower bound on the delay). A tick whose slot another tick already claimed posts
 * nothing, so the fallback and the primary never remind or escalate twice.
 */

/** `repository_dispatch` event type the kit's scheduler sends and the incident-tick workflow listens to. */
export const TICK_EVENT_TYPE = 'firebreak-tick';

export const TICK_SOURCES = ['schedule', 'repository_dispatch', 'manual'] as const;
export type TickSource = (typeof TICK_SOURCES)[number];

/** What the triggering event says, before any clock is read. */
export interface TickTrigger {
  source: TickSource;
  /** repository_dispatch: `client_payload.scheduled_time` (EventBridge Scheduler's `<aws.scheduler.scheduled-time>`). */
  scheduledTime?: string | undefined;
  /** schedule: the cron line that fired, e.g. `*\/15 * * * *`. */
  cron?: string | undefined;
}

export interface TickTiming {
  source: TickSource;
  /** ISO UTC. For `schedule` an estimate (see `estimated`); for `manual` the start itself. */
  scheduledAt: string;
  startedAt: string;
  /** startedAt − scheduledAt, whole seconds, never negative. */
  lateSeconds: number;
  estimated: boolean;
  /** `tick:<slot start>` — one per slot whatever the source; a manual tick has its own. */
  slot: string;
}

/** The event name and payload of the run → the trigger. Pure, so it is tested without a runner. */
export function triggerFromEvent(eventName: string | undefined, payload: unknown): TickTrigger {
  const p = (typeof payload === 'object' && payload !== null ? payload : {}) as Record<string, unknown>;
  if (eventName === 'repository_dispatch') {
    // The workflow listens to this one event type; anything else is not a tick.
    if (p.action !== TICK_EVENT_TYPE) {
      throw new InputError(`repository_dispatch event type "${String(p.action).slice(0, 60)}" is not ${TICK_EVENT_TYPE}`, { field: 'event_type', code: 'TICK_EVENT_TYPE' });
    }
    const cp = (typeof p.client_payload === 'object' && p.client_payload !== null ? p.client_payload : {}) as Record<string, unknown>;
    return { source: 'repository_dispatch', scheduledTime: typeof cp.scheduled_time === 'string' ? cp.scheduled_time : undefined };
  }
  if (eventName === 'schedule') return { source: 'schedule', cron: typeof p.schedule === 'string' ? p.schedule : undefined };
  return { source: 'manual' };
}

const MIN = 60_000;
/** A scheduled time further ahead than this is not a clock difference, it is a wrong payload. */
const FUTURE_TOLERANCE_MS = 2 * MIN;

/** Minutes of a `*\/N * * * *` or `M * * * *`-like minute field, for the boundary estimate; else 1. */
function cronStepMinutes(cron: string | undefined): number {
  const minute = cron?.trim().split(/\s+/)[0] ?? '';
  const m = /^(?:\*|0)\/(\d{1,2})$/.exec(minute);
  if (m && 60 % Number(m[1]) === 0) return Number(m[1]);
  return 1;
}

export function tickTiming(trigger: TickTrigger, now: Date, slotMinutes: number): TickTiming {
  const t = now.getTime();
  let scheduled: number;
  let estimated = false;
  switch (trigger.source) {
    case 'repository_dispatch': {
      const raw = trigger.scheduledTime;
      if (raw === undefined) {
        throw new InputError('a firebreak-tick repository_dispatch needs client_payload.scheduled_time (ISO 8601 UTC)', {
          field: 'scheduled_time',
          code: 'TICK_SCHEDULED_TIME_MISSING',
          hint: 'The kit’s EventBridge target sends it; when dispatching by hand, send {"event_type":"firebreak-tick","client_payload":{"scheduled_time":"<now, ISO>"}} or run the workflow manually.',
        });
      }
      if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})$/.test(raw) || Number.isNaN(Date.parse(raw))) {
        throw new InputError(`scheduled_time "${raw.slice(0, 40)}" is not an ISO 8601 time with an offset`, { field: 'scheduled_time', code: 'TICK_SCHEDULED_TIME_INVALID' });
      }
      scheduled = Date.parse(raw);
      if (scheduled - t > FUTURE_TOLERANCE_MS) {
        throw new InputError(`scheduled_time ${new Date(scheduled).toISOString()} is in the future (now ${now.toISOString()})`, { field: 'scheduled_time', code: 'TICK_SCHEDULED_TIME_INVALID' });
      }
      break;
    }
    case 'schedule': {
      const step = cronStepMinutes(trigger.cron) * MIN;
      scheduled = Math.floor(t / step) * step;
      estimated = true;
      break;
    }
    default:
      scheduled = t;
  }
  const slotMs = slotMinutes * MIN;
  const slot = trigger.source === 'manual' ? `tick:manual:${now.toISOString()}` : `tick:${new Date(Math.floor(scheduled / slotMs) * slotMs).toISOString()}`;
  return {
    source: trigger.source,
    scheduledAt: new Date(scheduled).toISOString(),
    startedAt: now.toISOString(),
    lateSeconds: Math.max(0, Math.round((t - scheduled) / 1000)),
    estimated,
    slot,
  };
}

/** One line for summaries and logs. */
export function describeTiming(x: TickTiming): string {
  const late = x.lateSeconds >= 60 ? `${Math.floor(x.lateSeconds / 60)} min ${x.lateSeconds % 60} s` : `${x.lateSeconds} s`;
  if (x.source === 'manual') return `manual tick at ${x.startedAt}`;
  return `${x.source} tick for ${x.scheduledAt} ran at ${x.startedAt}: ${late} late${x.estimated ? ' (at least; GitHub gives no scheduled time)' : ''}`;
}
