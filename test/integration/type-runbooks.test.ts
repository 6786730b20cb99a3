import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { drillRunbook } from '../../src/drill/runbook/run.js';

/**
 * The runbooks per incident type (credential compromise, hostile traffic, data exposure through a
 * route, bad deploy, personal data / PHI breach, log tampering, and the generic security incident):
 * every runbook in runbooks/ that is not a seed's and has a drill plan drills green end to end,
 * through the CLI, against the emulators, every step's outcome read back and the audit chain verified.
 */
const dir = fileURLToPath(new URL('../../runbooks/', import.meta.url));
const typed = readdirSync(dir)
  .filter((f) => f.endsWith('.md') && !/^seed-\d{3}-/.test(f) && /^drill:/m.test(readFileSync(join(dir, f), 'utf8')))
  .sort();

describe('every incident-type runbook drills green', () => {
  it('each incident type the seeds share has a drilled runbook', () => {
    expect(typed).toEqual([
      'block-hostile-ips.md',
      'contain-compromised-compute.md',
      'disable-routes-and-limit-rate.md',
      'log-tampering.md',
      'personal-data-breach.md',
      'roll-back-a-bad-deploy.md',
      'rotate-leaked-credentials.md',
      'security-incident.md',
    ]);
  });

  it.each(typed)('%s', async (file) => {
    const report = await drillRunbook({ file: join(dir, file) });
    const failed = report.steps.flatMap((s) => [
      ...(s.ok ? [] : [`${s.index + 1}. ${s.step}: ${s.status}${s.code ? ` ${s.code}` : ''}`]),
      ...s.expectations.filter((e) => !e.ok).map((e) => `${s.index + 1}. ${s.step}: ${e.name} — ${e.detail ?? ''}`),
    ]);
    expect([...failed, ...[...report.contract, ...report.faults, report.audit].filter((e) => !e.ok).map((e) => `${e.name} — ${e.detail ?? ''}`)]).toEqual([]);
    expect(report.ok).toBe(true);
    // Every step the plan ran is in the audit chain the timeline is read from.
    expect(report.timeline.length).toBeGreaterThanOrEqual(report.steps.length);
  });
});
