import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { context } from '@actions/github';
import { afterEach, describe, expect, it } from 'vitest';
import { tickTriggerInput } from './tick-trigger.js';

/** GitHub Docs "repository_dispatch": the payload's `action` is the event_type, `client_payload` the sender's data. */
describe('the trigger is read with @actions/github context from the runner’s event file', () => {
  const saved = { name: process.env.GITHUB_EVENT_NAME, path: process.env.GITHUB_EVENT_PATH };
  let dir: string | undefined;
  afterEach(async () => {
    for (const [k, v] of [['GITHUB_EVENT_NAME', saved.name], ['GITHUB_EVENT_PATH', saved.path]] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('a repository_dispatch payload file gives source and scheduled time', async () => {
    dir = await mkdtemp(join(tmpdir(), 'fb-event-'));
    const file = join(dir, 'event.json');
    await writeFile(file, JSON.stringify({ action: 'firebreak-tick', client_payload: { scheduled_time: '2026-11-22T10:15:00Z', source: 'eventbridge-scheduler' } }));
    process.env.GITHUB_EVENT_NAME = 'repository_dispatch';
    process.env.GITHUB_EVENT_PATH = file;
    // A fresh Context reads the environment now, as the action's does when it starts.
    const Ctx = context.constructor as new () => typeof context;
    expect(tickTriggerInput(new Ctx())).toEqual({ source: 'repository_dispatch', scheduled_time: '2026-11-22T10:15:00Z' });
  });

  it('outside a workflow (no event) the tick is manual', () => {
    expect(tickTriggerInput({ eventName: undefined, payload: {} })).toEqual({ source: 'manual' });
  });
});
