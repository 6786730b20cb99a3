import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { AuditRecord } from '../core/audit.js';
import { parseConfig } from '../core/config/parse.js';
import { ConfigError, GuardError } from '../core/errors.js';
import { manualClock, type Logger } from '../core/runtime.js';
import type { StepDefinition } from '../core/step.js';
import { runSession, type RunRequest, type SessionSource } from './session.js';

const TOKEN = 'ghs_session0123456789/abcdef+XYZ=';
const step: StepDefinition<{ n: number }, object> = {
  name: 'probe',
  description: 'a step that plans one change and refuses twice',
  secretInputs: ['password'],
  parse: (raw) => ({ n: Number(raw.n) }),
  plan: async () => ({ step: 'probe', changes: [{ target: 't', action: 'set', subject: 'x' }], unchanged: [], warnings: [] }),
  guard: () => {
    throw new GuardError('second says no', { code: 'SECOND_GUARD' });
  },
  apply: async () => [],
};

let dir: string;
let logged: string[];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fb-session-'));
  logged = [];
});

function source(extra: Partial<SessionSource> = {}): SessionSource {
  const log = (m: string) => void logged.push(m);
  return {
    env: { GITHUB_TOKEN: TOKEN },
    actor: 'dana',
    runUrl: null,
    auditFile: join(dir, 'audit.jsonl'),
    logger: (redactor): Logger => ({ info: (m) => log(redactor.scrub(m)), warn: (m) => log(redactor.scrub(m)), error: (m) => log(redactor.scrub(m)), debug: () => {} }),
    clock: manualClock(new Date('2026-01-01T00:00:00Z')),
    sleep: async () => {},
    mirrors: [],
    mirrorFailure: 'warn',
    ...extra,
  };
}

function request(extra: Partial<RunRequest<{ n: number }, object>> = {}): RunRequest<{ n: number }, object> {
  return {
    step,
    common: {
      dryRun: () => true,
      incidentId: () => 'INC-1',
      overrides: () => [
        { guard: 'FIRST_GUARD', reason: 'one' },
        { guard: 'SECOND_GUARD', reason: 'two' },
      ],
    },
    input: { n: '1', password: 'hunter2-secret' },
    config: async () => parseConfig('version: 1\n', 'firebreak.yml'),
    ports: () => ({}),
    guards: () => [
      () => {
        throw new GuardError('first says no', { code: 'FIRST_GUARD' });
      },
    ],
    ...extra,
  };
}

async function records(): Promise<AuditRecord[]> {
  return (await readFile(join(dir, 'audit.jsonl'), 'utf8'))
    .trim()
    .split('\n')
    .map((l) => (JSON.parse(l) as { record: AuditRecord }).record);
}

describe('runSession', () => {
  it('registers every credential before a mirror factory (the first code that may send a request) runs', async () => {
    const run = await runSession(
      source({
        mirrors: [
          (deps) => {
            deps.logger.warn(`mirror sees ${deps.env.GITHUB_TOKEN} and ${Buffer.from(TOKEN).toString('base64url')}`);
            return undefined;
          },
        ],
      }),
      request(),
    );
    expect(run.failure).toBeUndefined();
    expect(logged.join('\n')).toContain('mirror sees [REDACTED] and [REDACTED]');
    expect(logged.join('\n')).not.toContain('session0123456789');
  });

  it('keeps both overrides in the record when two guards are overridden', async () => {
    const run = await runSession(source(), request());
    expect(run.status).toBe('planned');
    const [rec] = await records();
    expect(rec!.overrides).toEqual([
      { guard: 'FIRST_GUARD', reason: 'one' },
      { guard: 'SECOND_GUARD', reason: 'two' },
    ]);
    expect(rec!.input).toEqual({ n: 1 });
    expect(rec!.given).toEqual({ n: '1', password: '[REDACTED]' });
  });

  it('a config refusal leaves one refused record with the input, both overrides and no secret', async () => {
    const run = await runSession(
      source(),
      request({
        config: async () => {
          throw new ConfigError('firebreak.yml:2:1 limits: expected an object, got hunter2-secret', []);
        },
      }),
    );
    expect(run.exitCode).toBe(2);
    const recs = await records();
    expect(recs).toHaveLength(1);
    expect(recs[0]).toMatchObject({
      status: 'refused',
      incidentId: 'INC-1',
      input: { n: '1', password: '[REDACTED]' },
      overrides: [{ guard: 'FIRST_GUARD' }, { guard: 'SECOND_GUARD' }],
      error: { code: 'CONFIG_INVALID', message: 'firebreak.yml:2:1 limits: expected an object, got [REDACTED]' },
    });
  });

  it('records the choices read before the one that was refused', async () => {
    const run = await runSession(
      source(),
      request({
        common: {
          dryRun: () => false,
          incidentId: () => 'INC-2',
          overrides: () => {
            throw new GuardError('no reason', { code: 'X' });
          },
        },
      }),
    );
    expect(run.status).toBe('refused');
    expect((await records())[0]).toMatchObject({ dryRun: false, incidentId: 'INC-2', status: 'refused' });
  });
});
