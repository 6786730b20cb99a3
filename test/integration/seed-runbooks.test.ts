import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { drillRunbook } from '../../src/drill/runbook/run.js';

/**
 * The measure of the mission: every seed runbook drills green end to end — through the CLI, against
 * the emulators, every step's outcome read back, the audit chain verified, the postmortem written.
 */
const dir = fileURLToPath(new URL('../../runbooks/', import.meta.url));
const seeds = readdirSync(dir).filter((f) => /^seed-\d{3}-.*\.md$/.test(f) && /^drill:/m.test(readFileSync(join(dir, f), 'utf8')));

describe('every seed runbook drills green', () => {
  it('there are five seed runbooks with a drill plan', () => {
    expect(seeds).toHaveLength(5);
  });

  it.each(seeds)('%s', async (file) => {
    const report = await drillRunbook({ file: join(dir, file) });
    const failed = report.steps.flatMap((s) => s.expectations.filter((e) => !e.ok).map((e) => `${s.index + 1}. ${s.step}: ${e.name} — ${e.detail ?? ''}`));
    expect([...failed, ...[...report.contract, ...report.faults, report.audit].filter((e) => !e.ok).map((e) => `${e.name} — ${e.detail ?? ''}`)]).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.steps.every((s) => s.ok)).toBe(true);
    // The postmortem is written from the audit trail, and the trail holds every step the plan ran.
    expect(report.steps.some((s) => s.step === 'write-postmortem' && s.status === 'applied')).toBe(true);
    expect(report.timeline.length).toBeGreaterThanOrEqual(report.steps.filter((s) => s.step !== 'alert').length);
  });
});
