import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { TICK_EVENT_TYPE } from '../../src/core/incident/tick-timing.js';

/**
 * Issue 10 §7: the incident tick runs on the kit's EventBridge Scheduler (repository_dispatch
 * `firebreak-tick`) with the `*\/15` GitHub schedule as the fallback. GitHub Docs "Events that
 * trigger workflows": repository_dispatch `types` filter on the event_type; its client_payload is
 * whatever the sender wrote, so it is read in code (@actions/github context), never expanded here.
 */
const text = readFileSync(join(resolve(import.meta.dirname, '..', '..'), '.github', 'workflows', 'incident-tick.yml'), 'utf8');
const wf = parse(text) as { on: Record<string, unknown>; jobs: Record<string, { steps?: Array<Record<string, unknown>> }> };

describe('incident-tick triggers', () => {
  it('listens to repository_dispatch firebreak-tick and keeps the */15 schedule and manual runs', () => {
    expect(wf.on.repository_dispatch).toEqual({ types: [TICK_EVENT_TYPE] });
    expect(wf.on.schedule).toEqual([{ cron: '*/15 * * * *' }]);
    expect(wf.on).toHaveProperty('workflow_dispatch');
  });

  it('expands no event payload anywhere: the action reads the event file itself', () => {
    expect(text).not.toMatch(/\$\{\{[^}]*github\.event/);
    expect(text).not.toMatch(/client_payload/);
  });
});
