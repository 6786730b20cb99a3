import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../io.js';
import { main } from '../main.js';

/** A flag that is on by default (isolate's capture, restart-service's restart and wait) can be turned off from the CLI. */
describe('CLI flags that default to on', () => {
  const run = async (...args: string[]) => {
    const dir = mkdtempSync(join(tmpdir(), 'fb-flag-off-'));
    writeFileSync(join(dir, 'firebreak.yml'), 'version: 1\n');
    const io = memoryIo({ USER: 't' }, dir);
    // No incident: isolate refuses in its plan, before any provider call, and records the parsed input.
    await main(['isolate', 'aws:instance:i-0123456789abcdef0', '--reason', 'x', '--audit-file', 'a.jsonl', ...args], io);
    const record = JSON.parse(readFileSync(join(dir, 'a.jsonl'), 'utf8').trim().split('\n')[0]!) as { record: { input: { capture: boolean }; error: { code: string } } };
    return record.record;
  };

  it('--no-capture reaches the step as false; no flag keeps the default on', async () => {
    const off = await run('--no-capture');
    expect(off.error.code).toBe('INCIDENT_ID_MISSING');
    expect(off.input.capture).toBe(false);
    expect((await run()).input.capture).toBe(true);
    expect((await run('--capture')).input.capture).toBe(true);
  });
});
