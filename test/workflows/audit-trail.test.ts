import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DEFAULT_AUDIT_FILE } from '../../src/runtime/env.js';

/**
 * Issue 9 §4: every step workflow keeps its audit trail beyond the runner. A job that runs a
 * firebreak action uploads the chain file as an artifact (even when the step failed), copies the
 * record to the incident issue when it knows the incident (a token with `issues: write` on that job
 * only), and hands the kit's variables to the action when it holds AWS credentials, so the
 * evidence-bucket mirror finds FIREBREAK_EVIDENCE_BUCKET.
 */
const ROOT = resolve(import.meta.dirname, '..', '..');
const DIR = join(ROOT, '.github', 'workflows');
const UPLOAD = /^actions\/upload-artifact@[0-9a-f]{40}$/;

type Step = { uses?: string; if?: string; with?: Record<string, unknown>; env?: Record<string, string> };
type Job = { environment?: string; permissions?: Record<string, string>; steps?: Step[] };

const stepJobs = readdirSync(DIR)
  .filter((f) => f.endsWith('.yml'))
  .flatMap((file) => {
    const text = readFileSync(join(DIR, file), 'utf8');
    const wf = parse(text) as { permissions?: unknown; jobs: Record<string, Job> };
    return Object.entries(wf.jobs)
      .filter(([, job]) => (job.steps ?? []).some((s) => s.uses?.startsWith('./actions/')))
      .map(([id, job]) => ({ file, id, job, text, top: wf.permissions }));
  });

describe('step workflows keep their audit trail', () => {
  it('covers every step workflow', () => {
    expect(stepJobs.map((j) => j.file).sort()).toEqual(
      ['block-ips', 'classify', 'close-incident', 'declare', 'disable-routes', 'enable-routes', 'freeze', 'incident-tick', 'isolate', 'limit-rate', 'notify', 'post-update', 'preflight', 'preserve-evidence', 'record-containment', 'record-notification', 'release', 'restart-service', 'restore-access', 'restore-rate', 'revoke-access', 'rollback', 'rotate-secret', 'run-command', 'sweep-expired', 'triage', 'unfreeze', 'verify-evidence', 'verify-health', 'write-postmortem'].map((n) => `${n}.yml`),
    );
  });

  it('every job that knows its incident copies to the issue; only sweep-expired (no incident) does not', () => {
    const knows = stepJobs.filter(({ job }) => job.environment === 'firebreak-incident' || (job.steps ?? []).some((s) => s.with?.['incident-id'] !== undefined));
    expect(stepJobs.filter((j) => !knows.includes(j)).map((j) => j.file)).toEqual(['sweep-expired.yml']);
  });

  for (const { file, id, job, text, top } of stepJobs) {
    const steps = job.steps ?? [];
    const actions = steps.filter((s) => s.uses?.startsWith('./actions/'));
    it(`${file} ${id}: uploads the chain file with a pinned upload-artifact, after every firebreak step, even on failure`, () => {
      const upload = steps.findIndex((s) => UPLOAD.test(s.uses ?? ''));
      expect(upload, 'an actions/upload-artifact step pinned by SHA').toBeGreaterThanOrEqual(0);
      expect(steps.findLastIndex((s) => s.uses?.startsWith('./actions/'))).toBeLessThan(upload);
      const step = steps[upload]!;
      expect(step.if).toBe('always()');
      expect(String(step.with?.path).split('\n').map((l) => l.trim())).toEqual(expect.arrayContaining([DEFAULT_AUDIT_FILE, `${DEFAULT_AUDIT_FILE}.head`]));
      // `.firebreak/` is hidden: upload-artifact skips hidden files unless told otherwise.
      expect(step.with?.['include-hidden-files']).toBe(true);
      expect(text).toMatch(new RegExp(`${step.uses!.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} # v7\\.\\d+\\.\\d+`));
      expect(top).toEqual({});
    });

    const knowsIncident = job.environment === 'firebreak-incident' || actions.some((s) => s.with?.['incident-id'] !== undefined);
    if (knowsIncident) {
      it(`${file} ${id}: copies the record to the incident issue (issues: write on this job, token passed)`, () => {
        expect(job.permissions?.issues).toBe('write');
        for (const s of actions) expect(s.env?.GITHUB_TOKEN, `${s.uses} gets a token`).toBe('${{ github.token }}');
      });
    }

    it(`${file} ${id}: holds AWS credentials and the kit's variables, so the bucket mirror can append the record`, () => {
      const aws = steps.findIndex((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials@'));
      expect(aws, 'configure-aws-credentials before the firebreak step').toBeGreaterThanOrEqual(0);
      expect(aws).toBeLessThan(steps.findIndex((s) => s.uses?.startsWith('./actions/')));
      expect(job.permissions?.['id-token']).toBe('write');
      for (const s of actions) expect(s.env?.FIREBREAK_VARS, `${s.uses} gets FIREBREAK_VARS`).toBe('${{ toJSON(vars) }}');
      // Jobs without reviewers get the audit-writer role, never the responder role.
      const role = String(steps[aws]!.with?.['role-to-assume']);
      expect(role).toBe(job.environment === 'firebreak-incident' ? '${{ vars.FIREBREAK_AUDIT_ROLE_ARN }}' : '${{ vars.FIREBREAK_RESPONDER_ROLE_ARN }}');
    });
  }
});
