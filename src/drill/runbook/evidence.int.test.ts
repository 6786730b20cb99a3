import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { drillRunbook, type RunbookDrillReport } from './run.js';

/**
 * The runbook fixtures of preserve-evidence, verify-evidence, triage, run-command, isolate, release
 * and rollback, drilled through the CLI on test/fixtures/runbooks/evidence.md: green as written,
 * and red, naming the check, when a step is given inputs that make it change nothing.
 */

const FIXTURE = new URL('../../../test/fixtures/runbooks/', import.meta.url);
const dirs: string[] = [];

/** The test runbook with its window starting three whole hours ago (moto keeps 14 days of log events). */
async function runbook(edit: (text: string) => string = (t) => t): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'fb-evidence-runbook-'));
  dirs.push(dir);
  const from = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3 * 3_600_000).toISOString();
  const text = (await readFile(new URL('evidence.md', FIXTURE), 'utf8')).replace('"FROM"', `"${from}"`);
  await writeFile(join(dir, 'evidence.md'), edit(text));
  await copyFile(new URL('evidence.yml', FIXTURE), join(dir, 'evidence.yml'));
  return join(dir, 'evidence.md');
}

const failures = (r: RunbookDrillReport) => r.steps.flatMap((s) => s.expectations.filter((e) => !e.ok).map((e) => `${s.index + 1}. ${s.step}: ${e.name}${e.detail ? ` — ${e.detail}` : ''}`));

afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('evidence, containment and rollback runbook fixtures', () => {
  it('drills the test runbook green, with the ids moto minted aliased', async () => {
    const report = await drillRunbook({ file: await runbook() });
    expect(failures(report)).toEqual([]);
    expect(report.steps.map((s) => `${s.step}:${s.status}`)).toEqual([
      'declare:applied',
      'preserve-evidence:applied',
      'verify-evidence:applied',
      'triage:applied',
      'triage:applied',
      'run-command:applied',
      'isolate:refused',
      'isolate:applied',
      'release:applied',
      'rollback:applied',
      'rollback:refused',
      'rollback:applied',
    ]);
    // Each fixture checked something real, not just that the step exited 0.
    expect(report.steps.find((s) => s.step === 'triage')!.expectations.map((e) => e.name)).toContain('affected user_id: distinct count');
    expect(report.aliases.map((a) => a.written).sort()).toEqual(['i-0123456789abcdef0', 'vol-0123456789abcdef0']);
    expect(report.ok).toBe(true);
  });

  it('fails, naming the check, when steps are given inputs that make them change nothing', async () => {
    const file = await runbook((t) =>
      t
        // triage for an indicator nothing in the incident matches
        .replace('indicators: "event:decoy_hit"', 'indicators: "event:never_seen_here"')
        // roll the Argo CD app "back" to the history id it already runs (0, 1, 2: the live one)
        .replace('target: "argocd:application:shop" } }', 'target: "argocd:application:shop", to: "2" } }')
        // the host steps are not needed here
        .split('\n')
        .filter((l) => !/step: (run-command|isolate|release),/.test(l))
        .join('\n'),
    );
    const report = await drillRunbook({ file });
    expect(report.ok).toBe(false);
    const failed = failures(report);
    expect(failed.filter((f) => f.startsWith('5. triage: ')).map((f) => f.split(' — ')[0])).toContain('5. triage: the indicators match seeded records');
    expect(failed.filter((f) => f.startsWith('8. rollback: ')).map((f) => f.split(' — ')[0])).toContain('8. rollback: Argo CD shop: synced to the previous revision');
    // The steps given their real inputs stay green.
    expect(failed.filter((f) => !/^(5|8)\. /.test(f))).toEqual([]);
  });
});
