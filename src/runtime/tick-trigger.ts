import { context } from '@actions/github';
import { triggerFromEvent } from '../core/incident/tick-timing.js';

/**
 * The incident tick's trigger, read from the run's event with `@actions/github`'s context (event
 * name and the payload file the runner wrote), never from `${{ }}` expressions in the workflow:
 * the payload of a repository_dispatch is whatever its sender wrote.
 */
export function tickTriggerInput(ctx: { eventName?: string | undefined; payload: unknown } = context): Record<string, unknown> {
  const t = triggerFromEvent(ctx.eventName, ctx.payload);
  return { source: t.source, ...(t.scheduledTime !== undefined ? { scheduled_time: t.scheduledTime } : {}), ...(t.cron !== undefined ? { cron: t.cron } : {}) };
}
