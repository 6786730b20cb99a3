import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../scenario.js';
import type { RunbookFixture } from './fixture.js';
import { parseFaultSpecs } from './fault-spec.js';
import { declareFixture } from '../../capabilities/declare/runbook-fixture.js';
import { drillRunbook } from './run.js';
import { alertFixture } from './alert-step.js';

const CONFIG = 'version: 1\nincident:\n  severity: { scheme: SEV0-3 }\n  roster: { incident_commander: [drill-ic] }\n  routes:\n    security: [{ notify: incident_commander }]\n';

async function runbook(drill: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'fb-runbook-int-'));
  await writeFile(join(dir, 'drill.yml'), CONFIG);
  const file = join(dir, 'r.md');
  await writeFile(file, `---\ntitle: Runner test\nowner: sec\nlast_reviewed: 2026-12-01\nsteps: [declare, classify]\ndrill_config: drill.yml\ndrill:\n${drill}\n---\n\n# Runner test\n`);
  return file;
}

/** classify verified by what the issue holds after it, so a classify that did nothing fails. */
const issueCount: RunbookFixture = {
  async verify(world) {
    const gh = await world.github();
    return [check('exactly one incident issue', gh.state.issues.size === 1, `${gh.state.issues.size} issues`)];
  },
};

describe('a runbook that starts from an alert', () => {
  it('the first alert declares through the rule, the same alert again attaches: one incident; an alert no rule matches fails the step', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fb-runbook-alert-'));
    await writeFile(join(dir, 'drill.yml'), `${CONFIG}alerts:\n  rules:\n    - { name: decoy, match: { source: honeypot }, severity: SEV1 }\n`);
    const body = (source: string) => `'${JSON.stringify({ source, fingerprint: 'decoy:1', title: 'Decoy hit', labels: { kind: 'decoy_hit' } })}'`;
    const file = join(dir, 'r.md');
    await writeFile(file, `---\ntitle: Alert test\nowner: sec\nlast_reviewed: 2026-12-01\nsteps: [alert]\ndrill_config: drill.yml\ndrill:\n  - { step: alert, with: { format: firebreak, body: ${body('honeypot')} } }\n  - { step: alert, with: { format: firebreak, body: ${body('honeypot')} } }\n  - { step: alert, with: { format: firebreak, body: ${body('scanner')} } }\n---\n# A\n`);
    const report = await drillRunbook({ file, fixtures: { alert: alertFixture } });
    expect(report.steps.map((s) => `${s.status}:${s.ok}`)).toEqual(['declared:true', 'attached:true', 'ignored:false']);
    expect(report.steps[2]!.expectations[0]!.detail).toMatch(/no rule/);
  });
});

describe('firebreak drill --runbook, through the CLI against the GitHub emulator', () => {
  it('runs the plan in order, checks each step in the emulator, verifies the chain and builds the timeline', async () => {
    const file = await runbook('  - { step: declare, with: { title: "Stolen token", severity: SEV2, category: security } }\n  - { step: classify, with: { severity: SEV1 }, after: 15m }');
    const report = await drillRunbook({ file, fixtures: { declare: declareFixture, classify: issueCount } });
    expect(report.steps.map((s) => `${s.step}:${s.status}:${s.ok}`)).toEqual(['declare:applied:true', 'classify:applied:true']);
    expect(report.ok).toBe(true);
    expect(report.audit.ok).toBe(true);
    expect(report.timeline.map((t) => t.step)).toEqual(['declare', 'classify']);
    // The drill clock: 30 minutes after the (default) start, then the step's own gap.
    expect(Date.parse(report.steps[1]!.at) - Date.parse(report.steps[0]!.at)).toBe(15 * 60_000);
    expect(report.contract.every((c) => c.ok)).toBe(true);
  });

  it('fails when a step does not do what the runbook expects, and says what it got', async () => {
    const file = await runbook('  - { step: declare, with: { title: "Stolen token", severity: SEV9, category: security } }');
    const report = await drillRunbook({ file, fixtures: { declare: declareFixture } });
    expect(report.ok).toBe(false);
    const failed = report.steps[0]!.expectations.filter((e) => !e.ok).map((e) => `${e.name}: ${e.detail}`);
    expect(failed[0]).toMatch(/declare applied: got refused SEVERITY/);
  });

  it('passes when a guard the runbook relies on refuses, as the runbook says it must', async () => {
    const file = await runbook('  - { step: declare, with: { title: "Stolen token", severity: SEV1, category: nope }, expect: CATEGORY_UNKNOWN }');
    const report = await drillRunbook({ file, fixtures: { declare: { verify: async () => [check('refused', true)] } } });
    expect(report.steps[0]).toMatchObject({ status: 'refused', code: 'CATEGORY_UNKNOWN', ok: true });
  });

  it('refuses before starting anything when a step has no fixture', async () => {
    const file = await runbook('  - { step: declare, with: { title: "x" } }\n  - { step: classify, with: { severity: SEV1 } }');
    await expect(drillRunbook({ file, fixtures: { declare: declareFixture } })).rejects.toMatchObject({ code: 'RUNBOOK_NOT_DRILLABLE', message: expect.stringContaining('classify') });
  });

  it('under an injected fault, the failed step is run again and converges without a second incident', async () => {
    const file = await runbook('  - { step: declare, with: { title: "Stolen token", severity: SEV2, category: security } }\n  - { step: classify, with: { severity: SEV1 } }');
    const faults = parseFaultSpecs('github:POST /repos/[^/]+/[^/]+/issues/[0-9]+/comments=500x6');
    const report = await drillRunbook({ file, faults, fixtures: { declare: declareFixture, classify: issueCount } });
    const rerun = report.steps.find((s) => s.rerun);
    expect(rerun, JSON.stringify(report.steps.map((s) => [s.step, s.status, s.code]))).toBeDefined();
    expect(report.faults).toEqual([]);
    expect(report.steps.map((s) => s.ok), JSON.stringify(report.steps.map((s) => [s.step, s.rerun, s.expectations.filter((e) => !e.ok)]))).toEqual([true, true]);
  });

  it('a fault that no request matched fails the drill: a replay that injected nothing proves nothing', async () => {
    const file = await runbook('  - { step: declare, with: { title: "Stolen token", severity: SEV2, category: security } }');
    const report = await drillRunbook({ file, faults: parseFaultSpecs('github:DELETE /nothing, vault:GET /v1/x'), fixtures: { declare: declareFixture } });
    expect(report.ok).toBe(false);
    const names = report.faults.map((f) => f.name);
    expect(names).toContain('--faults for vault could fire');
    expect(names.some((n) => n.startsWith('injected fault fired: github: DELETE'))).toBe(true);
  });
});
