import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/**
 * scanning-alerts.yml: the poll that stands in for the webhook-only code_scanning_alert /
 * secret_scanning_alert events. Its promises to operators: every 15 minutes and on demand, never
 * two polls at once, the least token it can run with, and no event text in any expression.
 */
const text = readFileSync(fileURLToPath(new URL('../../.github/workflows/scanning-alerts.yml', import.meta.url)), 'utf8');
const wf = parse(text) as { on: Record<string, unknown>; permissions: unknown; jobs: Record<string, { concurrency?: { group: string; 'cancel-in-progress': boolean }; permissions?: Record<string, string>; steps: Array<{ run?: string }> }> };

describe('scanning-alerts.yml', () => {
  it('runs every 15 minutes and on demand, and nothing else starts it', () => {
    expect(wf.on).toEqual({ schedule: [{ cron: '*/15 * * * *' }], workflow_dispatch: null });
  });

  it('one fixed concurrency group, never cancelling a running poll; least privilege', () => {
    const [job, ...more] = Object.values(wf.jobs);
    expect(more).toEqual([]);
    expect(job!.concurrency).toEqual({ group: 'firebreak-scanning-alerts', 'cancel-in-progress': false });
    expect(wf.permissions).toEqual({});
    expect(job!.permissions).toEqual({ contents: 'read', issues: 'write', 'security-events': 'read', 'id-token': 'write' });
  });

  it('runs the poll with no argument and no expression from an event', () => {
    const runs = Object.values(wf.jobs).flatMap((j) => j.steps.filter((s) => s.run !== undefined).map((s) => s.run!.trim()));
    expect(runs).toEqual(['node dist/cli.js alert poll-scanning']);
    const expressions = [...text.matchAll(/\$\{\{([\s\S]*?)\}\}/g)].map((m) => m[1]!.trim());
    expect(expressions.filter((e) => /github\.event\b|inputs\./.test(e))).toEqual([]);
  });
});
