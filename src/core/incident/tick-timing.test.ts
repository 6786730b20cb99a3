import { describe, expect, it } from 'vitest';
import { InputError } from '../errors.js';
import { describeTiming, tickTiming, triggerFromEvent } from './tick-timing.js';

/**
 * Issue 10 §7. Sources: GitHub Docs "Events that trigger workflows — schedule" (runs can be
 * delayed during high load, and may be dropped; the payload names the cron, not a time) and
 * "repository_dispatch" (`client_payload`, `action` = the event_type); AWS "Adding context
 * attributes in EventBridge Scheduler" (`<aws.scheduler.scheduled-time>`, e.g. 2022-03-22T18:59:43Z).
 */

const now = new Date('2026-11-22T10:17:40Z');

describe('tick timing: how late each tick ran, by source', () => {
  it('repository_dispatch from EventBridge Scheduler: lateness against the scheduled time in the payload', () => {
    const t = tickTiming(triggerFromEvent('repository_dispatch', { action: 'firebreak-tick', client_payload: { scheduled_time: '2026-11-22T10:15:00Z' } }), now, 5);
    expect(t).toEqual({ source: 'repository_dispatch', scheduledAt: '2026-11-22T10:15:00.000Z', startedAt: '2026-11-22T10:17:40.000Z', lateSeconds: 160, estimated: false, slot: 'tick:2026-11-22T10:15:00.000Z' });
    expect(describeTiming(t)).toBe('repository_dispatch tick for 2026-11-22T10:15:00.000Z ran at 2026-11-22T10:17:40.000Z: 2 min 40 s late');
  });

  it('GitHub schedule: the latest */15 boundary, marked as an estimate (a lower bound)', () => {
    const t = tickTiming(triggerFromEvent('schedule', { schedule: '*/15 * * * *' }), now, 5);
    expect(t).toMatchObject({ source: 'schedule', scheduledAt: '2026-11-22T10:15:00.000Z', lateSeconds: 160, estimated: true, slot: 'tick:2026-11-22T10:15:00.000Z' });
    expect(describeTiming(t)).toContain('(at least; GitHub gives no scheduled time)');
  });

  it('both sources ticking the same scheduled time share one slot key; the next slot does not', () => {
    const dispatch = tickTiming({ source: 'repository_dispatch', scheduledTime: '2026-11-22T10:15:00Z' }, new Date('2026-11-22T10:15:20Z'), 5);
    const schedule = tickTiming({ source: 'schedule', cron: '*/15 * * * *' }, new Date('2026-11-22T10:19:59Z'), 5);
    expect(schedule.slot).toBe(dispatch.slot);
    const next = tickTiming({ source: 'repository_dispatch', scheduledTime: '2026-11-22T10:20:00Z' }, new Date('2026-11-22T10:20:05Z'), 5);
    expect(next.slot).not.toBe(dispatch.slot);
  });

  it('a manual tick is on time by definition and never shares a slot', () => {
    const t = tickTiming(triggerFromEvent('workflow_dispatch', { inputs: {} }), now, 5);
    expect(t).toMatchObject({ source: 'manual', lateSeconds: 0, slot: 'tick:manual:2026-11-22T10:17:40.000Z' });
  });

  it('refuses a dispatch without a scheduled time, with one in the future or not ISO, and another event type', () => {
    expect(() => tickTiming({ source: 'repository_dispatch' }, now, 5)).toThrow(InputError);
    expect(() => tickTiming({ source: 'repository_dispatch', scheduledTime: '2026-11-22T10:30:00Z' }, now, 5)).toThrow('is in the future');
    expect(() => tickTiming({ source: 'repository_dispatch', scheduledTime: '11/22/2026 10:15' }, now, 5)).toThrow('not an ISO 8601 time');
    expect(() => triggerFromEvent('repository_dispatch', { action: 'deploy', client_payload: {} })).toThrow('is not firebreak-tick');
  });
});
