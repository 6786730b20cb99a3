import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseOutputFile } from '../../test/helpers/run-action.js';
import { verifyChain, type AuditMirror, type SealedEntry } from '../core/audit.js';
import { parseConfig } from '../core/config/parse.js';
import { EXIT_CODES, GuardError } from '../core/errors.js';
import type { Outcome, Plan } from '../core/plan.js';
import { manualClock } from '../core/runtime.js';
import type { StepDefinition } from '../core/step.js';
import { COMMON_INPUTS, maskEverywhere, parseApply, parseOverrides, runAction, withKitVariables, type ActionDefinition, type RunActionOptions } from './action-shell.js';
import { Redactor } from '../core/redact.js';

interface FakeInput {
  targets: string[];
  token?: string;
}

const SECRET = 'sk-live-abcdef0123456789';
const MULTILINE_SECRET = '-----BEGIN KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END KEY-----';

let dir: string;
let stdout: string[];
let savedEnv: NodeJS.ProcessEnv;

beforeEach(async () => {
  savedEnv = { ...process.env };
  dir = await mkdtemp(join(tmpdir(), 'action-shell-'));
  for (const k of Object.keys(process.env)) if (k.startsWith('INPUT_') || k.startsWith('GITHUB_')) delete process.env[k];
  process.env.GITHUB_OUTPUT = join(dir, 'output');
  process.env.GITHUB_STEP_SUMMARY = join(dir, 'summary');
  process.env.FIREBREAK_AUDIT_FILE = join(dir, 'audit.jsonl');
  process.env.GITHUB_ACTOR = 'octo-responder';
  process.env.GITHUB_SERVER_URL = 'https://github.example';
  process.env.GITHUB_REPOSITORY = 'acme/shop';
  process.env.GITHUB_RUN_ID = '4242';
  await writeFile(process.env.GITHUB_OUTPUT, '');
  await writeFile(process.env.GITHUB_STEP_SUMMARY, '');
  stdout = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout.push(String(chunk));
    return true;
  });
});

afterEach(() => {
  vi.restoreAllMocks();
  process.env = savedEnv;
  process.exitCode = undefined;
});

function setInputs(inputs: Record<string, string>): void {
  for (const [k, v] of Object.entries(inputs)) process.env[`INPUT_${k.replace(/ /g, '_').toUpperCase()}`] = v;
}

function fakeStep(overrides: Partial<StepDefinition<FakeInput, { applied: string[] }>> = {}): StepDefinition<FakeInput, { applied: string[] }> {
  return {
    name: 'fake',
    description: 'test step',
    secretInputs: ['token'],
    parse: (raw) => ({ targets: String(raw.targets ?? '').split(',').filter(Boolean), token: raw.token as string | undefined }),
    plan: async (input): Promise<Plan> => ({
      step: 'fake',
      changes: input.targets.map((t) => ({ target: 'fake:set', action: 'add', subject: t })),
      unchanged: [],
      warnings: [],
    }),
    apply: async (plan, _input, ports): Promise<Outcome[]> =>
      plan.changes.map((c) => {
        ports.applied.push(c.subject);
        return { target: c.target, action: c.action, subject: c.subject, status: 'applied' };
      }),
    ...overrides,
  };
}

function definition(step = fakeStep(), ports = { applied: [] as string[] }, extra: Partial<ActionDefinition<FakeInput, { applied: string[] }>> = {}) {
  return {
    step,
    secretInputs: ['token'],
    readInputs: (read) => ({ targets: read.get('targets'), token: read.get('token') || undefined }),
    buildPorts: () => ports,
    ...extra,
  } satisfies ActionDefinition<FakeInput, { applied: string[] }>;
}

const options: RunActionOptions = {
  clock: manualClock('2026-11-23T10:00:00Z'),
  sleep: async () => {},
  mirrors: [],
  loadConfig: async () => parseConfig('version: 1\nlimits:\n  max_changes_per_run: 3\n', 'test.yml'),
};

async function files() {
  const audit = await readFile(process.env.FIREBREAK_AUDIT_FILE!, 'utf8').catch(() => '');
  return {
    outputs: parseOutputFile(await readFile(process.env.GITHUB_OUTPUT!, 'utf8')),
    summary: await readFile(process.env.GITHUB_STEP_SUMMARY!, 'utf8'),
    audit,
    auditLines: audit.split('\n').filter(Boolean),
  };
}

describe('runAction', () => {
  it('is a dry run unless apply is true: plans, audits, reports, changes nothing', async () => {
    const ports = { applied: [] as string[] };
    setInputs({ targets: 'a,b' });
    const run = await runAction(definition(fakeStep(), ports), options);
    const { outputs, summary, auditLines } = await files();

    expect(run.exitCode).toBe(0);
    expect(process.exitCode).toBeUndefined();
    expect(ports.applied).toEqual([]);
    expect(outputs.status).toBe('planned');
    expect(JSON.parse(outputs['plan-json']!).changes).toHaveLength(2);
    expect(outputs['result-json']).toBe('null');
    expect(auditLines).toHaveLength(1);
    const entry = JSON.parse(auditLines[0]!);
    expect(outputs['audit-hash']).toBe(entry.hash);
    expect(outputs['audit-seq']).toBe('1');
    expect(entry.record).toMatchObject({
      step: 'fake',
      status: 'planned',
      dryRun: true,
      actor: 'octo-responder',
      runUrl: 'https://github.example/acme/shop/actions/runs/4242',
      incidentId: null,
    });
    expect(summary).toContain('dry run — nothing was changed');
    expect(summary).toContain('### Plan: `fake`');
    expect(summary).toContain('| fake:set | add | `a` |');
    expect(summary).toContain(`hash \`${entry.hash}\``);
    // The sealed line is mirrored verbatim, so the summary alone proves the record.
    expect(summary).toContain(auditLines[0]);
  });

  it('applies with apply: true, reports the result and chains onto the previous record', async () => {
    const ports = { applied: [] as string[] };
    setInputs({ targets: 'a' });
    await runAction(definition(fakeStep(), ports), options);
    await writeFile(process.env.GITHUB_STEP_SUMMARY!, '');
    await writeFile(process.env.GITHUB_OUTPUT!, '');
    setInputs({ targets: 'a,b', apply: 'true', 'incident-id': 'INC-7' });
    const run = await runAction(definition(fakeStep(), ports), options);
    const { outputs, summary, audit, auditLines } = await files();

    expect(run.exitCode).toBe(0);
    expect(ports.applied).toEqual(['a', 'b']);
    expect(outputs.status).toBe('applied');
    expect(JSON.parse(outputs['result-json']!).outcomes.map((o: Outcome) => o.status)).toEqual(['applied', 'applied']);
    expect(summary).toContain('### Result: `fake` — ok');
    expect(summary).toContain('| mode | apply |');
    expect(summary).toContain('| incident | INC-7 |');
    expect(verifyChain(audit.split('\n'))).toMatchObject({ ok: true, records: 2 });
    expect(JSON.parse(auditLines[1]!).record.incidentId).toBe('INC-7');
    expect(outputs['audit-seq']).toBe('2');
  });

  it.each([
    ['a string', 'boom', 'boom'],
    ['a plain object', { reason: 'nope' }, 'non-Error value thrown: {"reason":"nope"}'],
    ['an empty object', {}, 'non-Error value thrown: {}'],
    ['undefined', undefined, 'undefined was thrown'],
    ['null', null, 'non-Error value thrown: null'],
    ['a number', 42, 'non-Error value thrown: 42'],
  ])('fails the action when the step throws %s', async (_label, value, message) => {
    setInputs({ targets: 'a', apply: 'true' });
    const step = fakeStep({
      apply: async () => {
        throw value;
      },
    });
    const run = await runAction(definition(step), options);
    const { outputs, summary, auditLines } = await files();

    expect(run.exitCode).toBe(EXIT_CODES.unexpected);
    expect(process.exitCode).toBe(EXIT_CODES.unexpected);
    expect(outputs.status).toBe('failed');
    expect(summary).toContain('**`UNEXPECTED`**');
    expect(summary).toContain(message.replace(/\|/g, '\\|'));
    expect(stdout.join('')).toContain('::error::UNEXPECTED: ');
    const record = JSON.parse(auditLines[0]!).record;
    expect(record.status).toBe('failed');
    // runStep (src/core/step.ts) cannot tell `throw undefined` from success, so its record has no error.
    if (value !== undefined) expect(record.error.code).toBe('UNEXPECTED');
  });

  it.each([
    ['readInputs', { readInputs: () => { throw 'bad inputs'; } }],
    ['buildPorts', { buildPorts: () => { throw { no: 'ports' }; } }],
    ['an async buildPorts', { buildPorts: async () => Promise.reject(undefined) }],
  ] as const)('fails and audits a refusal when %s throws a non-Error', async (_label, extra) => {
    setInputs({ targets: 'a', apply: 'true' });
    const run = await runAction(definition(fakeStep(), { applied: [] }, extra as never), options);
    const { outputs, auditLines } = await files();
    expect(run.exitCode).toBe(EXIT_CODES.unexpected);
    expect(process.exitCode).toBe(EXIT_CODES.unexpected);
    expect(outputs.status).toBe('refused');
    expect(JSON.parse(auditLines[0]!).record).toMatchObject({ status: 'refused', dryRun: false, error: { code: 'UNEXPECTED' } });
  });

  it('refuses a mistyped apply value before anything runs, with the input named', async () => {
    const ports = { applied: [] as string[] };
    const plan = vi.fn();
    setInputs({ targets: 'a', apply: 'yes' });
    const run = await runAction(definition(fakeStep({ plan }), ports), options);
    const { outputs, summary, auditLines } = await files();
    expect(run.exitCode).toBe(EXIT_CODES.input);
    expect(plan).not.toHaveBeenCalled();
    expect(outputs.status).toBe('refused');
    expect(summary).toContain('**`INPUT_INVALID`** input "apply" must be true or false');
    expect(JSON.parse(auditLines[0]!).record.status).toBe('refused');
  });

  it('reports a partial failure with the typed code, the hint and per-target outcomes', async () => {
    setInputs({ targets: 'a,b', apply: 'true' });
    const step = fakeStep({
      apply: async (plan) =>
        plan.changes.map((c, i) =>
          i === 0
            ? { target: c.target, action: c.action, subject: c.subject, status: 'applied' as const }
            : { target: c.target, action: c.action, subject: c.subject, status: 'failed' as const, reason: 'throttled', retryable: true },
        ),
    });
    const run = await runAction(definition(step), options);
    const { outputs, summary } = await files();
    expect(run.exitCode).toBe(EXIT_CODES.partial);
    expect(outputs.status).toBe('partial');
    expect(JSON.parse(outputs['result-json']!).status).toBe('partial');
    expect(summary).toContain('**`PARTIAL_FAILURE`**');
    expect(summary).toContain('> Nothing applied is rolled back.');
    expect(summary).toContain('| fake:set | `b` | failed | throttled |');
  });

  it('a provider reason cannot issue workflow commands or rewrite the log through core.info', async () => {
    setInputs({ targets: 'a', apply: 'true' });
    const hostile = 'denied\n::set-output name=status::applied\n  ::error title=ok::all applied\r\x1b[2K';
    const step = fakeStep({
      apply: async (plan) => plan.changes.map((c) => ({ target: c.target, action: c.action, subject: c.subject, status: 'failed' as const, reason: hostile, retryable: false })),
    });
    await runAction(definition(step), options);
    const lines = stdout.join('').split('\n');
    expect(lines.filter((l) => /^\s*::(set-output|error title=ok)/.test(l))).toEqual([]);
    expect(lines.some((l) => l.includes(': :set-output name=status::applied'))).toBe(true);
    expect(stdout.join('')).not.toContain('\x1b');
  });

  it('enforces the config blast-radius cap and lets a responder override it with a reason', async () => {
    setInputs({ targets: 'a,b,c,d', apply: 'true' });
    const refused = await runAction(definition(), options);
    expect(refused.exitCode).toBe(EXIT_CODES.guard);
    expect(refused.status).toBe('refused');

    setInputs({ 'override-guard': 'BLAST_RADIUS', 'override-reason': 'whole botnet, approved by IC' });
    const ports = { applied: [] as string[] };
    const run = await runAction(definition(fakeStep(), ports), options);
    const { summary, auditLines } = await files();
    expect(run.exitCode).toBe(0);
    expect(ports.applied).toHaveLength(4);
    expect(JSON.parse(auditLines[1]!).record.override).toEqual({ guard: 'BLAST_RADIUS', reason: 'whole botnet, approved by IC' });
    expect(summary).toContain('| override | `BLAST_RADIUS`: whole botnet, approved by IC |');
  });

  it('refuses a step guard without override; an override without a reason is an input error', async () => {
    const step = fakeStep({
      guard: () => {
        throw new GuardError('would lock out the office', { code: 'LOCKOUT', hint: 'remove the office range' });
      },
    });
    setInputs({ targets: 'a', apply: 'true', 'override-guard': 'LOCKOUT' });
    const run = await runAction(definition(step), options);
    expect(run.exitCode).toBe(EXIT_CODES.input);
    const { summary } = await files();
    expect(summary).toContain('needs a reason in "override-reason"');
  });

  it('masks secret inputs (each line and encoded forms) before anything else is written, and keeps them out of every output', async () => {
    setInputs({ targets: 'a', apply: 'true', token: MULTILINE_SECRET });
    process.env.FIREBREAK_GITHUB_TOKEN = SECRET;
    const step = fakeStep({
      apply: async () => {
        throw new Error(`provider echoed ${SECRET} and ${MULTILINE_SECRET.split('\n')[1]}`);
      },
    });
    await runAction(definition(step), options);
    const { outputs, summary, audit } = await files();

    const firstOther = stdout.findIndex((l) => !l.startsWith('::add-mask::'));
    const masks = stdout.slice(0, firstOther).map((l) => l.trim().slice('::add-mask::'.length));
    expect(firstOther).toBeGreaterThan(0);
    expect(masks).toContain('MIIEvQIBADANBgkqhkiG9w0BAQEFAASC');
    expect(masks).toContain('-----BEGIN KEY-----');
    expect(masks).toContain(SECRET);
    expect(masks).toContain(Buffer.from(SECRET).toString('base64'));
    for (const text of [JSON.stringify(outputs), summary, audit, stdout.slice(firstOther).join('')]) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain('MIIEvQIBADANBgkqhkiG9w0BAQEFAASC');
    }
    expect(summary).toContain('provider echoed [REDACTED]');
  });

  it('copies each sealed entry to mirrors, and fails loudly when a mirror fails after sealing', async () => {
    const copies: SealedEntry[] = [];
    const good: AuditMirror = { name: 'memory', mirror: async (e) => void copies.push(e) };
    const bad: AuditMirror = { name: 'evidence-bucket', mirror: async () => Promise.reject(new Error('403 AccessDenied')) };
    setInputs({ targets: 'a', apply: 'true' });
    const ok = await runAction(definition(), { ...options, mirrors: [() => good, () => undefined] });
    expect(ok.exitCode).toBe(0);
    expect(copies.map((c) => c.seq)).toEqual([1]);

    const failed = await runAction(definition(), { ...options, mirrors: [() => good, () => bad] });
    const { outputs, summary, auditLines } = await files();
    expect(failed.exitCode).toBe(EXIT_CODES.audit);
    expect(outputs.status).toBe('applied');
    expect(auditLines).toHaveLength(2);
    expect(copies.map((c) => c.seq)).toEqual([1, 2]);
    expect(summary).toContain('**`AUDIT_MIRROR_FAILED`**');
    expect(summary).toContain('evidence-bucket: 403 AccessDenied');
  });
});

describe('runAction with a very large plan', () => {
  it('keeps outputs under the 1 MB limit and the summary under 1 MiB, pointing at the audit record', async () => {
    const targets = Array.from({ length: 6000 }, (_, i) => `198.51.${i % 256}.${i % 250}/32-entry-${String(i).padStart(6, '0')}-with-some-padding-text`);
    setInputs({ targets: targets.join(',') });
    const run = await runAction(definition(), { ...options, loadConfig: async () => parseConfig('version: 1\n', 'test.yml') });
    const { outputs, summary, auditLines } = await files();
    expect(run.exitCode).toBe(0);
    expect(auditLines[0]!.length).toBeGreaterThan(512 * 1024);
    expect(JSON.parse(outputs['plan-json']!)).toEqual({ truncated: true, bytes: expect.any(Number), auditSeq: 1, auditHash: outputs['audit-hash'] });
    expect(Buffer.byteLength(summary)).toBeLessThan(1024 * 1024);
    expect(summary).toContain('5800 more rows in the audit record');
    expect(summary).toContain('too large for a job summary');
  });
});

describe('input helpers', () => {
  it('withKitVariables takes kit names from FIREBREAK_VARS; explicit env wins; bad JSON is an input error', () => {
    const env = withKitVariables({
      FIREBREAK_AWS_REGION: 'eu-west-1',
      FIREBREAK_VARS: JSON.stringify({ FIREBREAK_AWS_REGION: 'us-east-1', FIREBREAK_RESPONDER_ROLE_ARN: 'arn:aws:iam::1:role/r', PATH: '/evil' }),
    });
    expect(env.FIREBREAK_AWS_REGION).toBe('eu-west-1');
    expect(env.FIREBREAK_RESPONDER_ROLE_ARN).toBe('arn:aws:iam::1:role/r');
    expect(env.PATH).toBeUndefined();
    expect(() => withKitVariables({ FIREBREAK_VARS: '{nope' })).toThrow(/not JSON/);
    expect(() => withKitVariables({ FIREBREAK_VARS: '[]' })).toThrow(/JSON object/);
  });

  it('refuses and audits a malformed FIREBREAK_VARS before reading inputs', async () => {
    process.env.FIREBREAK_VARS = '{nope';
    setInputs({ targets: 'a', apply: 'true' });
    const run = await runAction(definition(), options);
    const { auditLines } = await files();
    expect(run.exitCode).toBe(EXIT_CODES.input);
    expect(JSON.parse(auditLines[0]!).record).toMatchObject({ status: 'refused', error: { code: 'INPUT_INVALID' } });
  });

  it('parseApply accepts only YAML booleans', () => {
    expect(parseApply('')).toBe(false);
    expect(parseApply('false')).toBe(false);
    expect(parseApply('TRUE')).toBe(true);
    for (const v of ['yes', '1', 'on', 'truee']) expect(() => parseApply(v)).toThrow(/must be true or false/);
  });

  it('parseOverrides needs codes and a reason together', () => {
    expect(parseOverrides('', '')).toEqual([]);
    expect(parseOverrides('A_B, C', 'why')).toEqual([
      { guard: 'A_B', reason: 'why' },
      { guard: 'C', reason: 'why' },
    ]);
    expect(() => parseOverrides('', 'why')).toThrow(/without "override-guard"/);
    expect(() => parseOverrides('lockout', 'why')).toThrow(/not a guard code/);
  });

  it('maskEverywhere registers lines and encoded forms with the redactor', () => {
    const r = new Redactor();
    maskEverywhere(MULTILINE_SECRET, r);
    expect(r.scrub('x MIIEvQIBADANBgkqhkiG9w0BAQEFAASC y')).toBe('x [REDACTED] y');
    expect(COMMON_INPUTS.apply).toBe('apply');
  });
});
