import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyChain, type AuditRecord } from '../core/audit.js';
import { EXIT_CODES, GuardError, InputError } from '../core/errors.js';
import type { Outcome } from '../core/plan.js';
import type { StepDefinition } from '../core/step.js';
import { memoryIo } from './io.js';
import { main } from './main.js';
import { addStepOptions, runStepCommand } from './run-step.js';

/** A real step over a real port (marker files in a directory), as a capability's command would use it. */
interface Ports {
  dir: string;
  failing: Set<string>;
}
const markStep: StepDefinition<{ names: string[]; token?: string }, Ports> = {
  name: 'mark',
  description: 'write marker files',
  secretInputs: ['token'],
  parse(raw) {
    const names = raw.names as string[];
    if (names.some((n) => !/^[a-z]+$/.test(n))) throw new InputError('names must be lowercase letters', { field: 'names' });
    return { names, token: raw.token as string | undefined };
  },
  async plan(input, ports) {
    const changes = input.names.filter((n) => !existsSync(join(ports.dir, n))).map((n) => ({ target: 'fs:dir', action: 'create', subject: n }));
    const unchanged = input.names.filter((n) => existsSync(join(ports.dir, n))).map((n) => ({ target: 'fs:dir', subject: n, reason: 'exists' }));
    return { step: 'mark', changes, unchanged, warnings: input.token ? [`token ${input.token} used`] : [] };
  },
  async apply(plan, _input, ports) {
    const out: Outcome[] = [];
    for (const c of plan.changes) {
      if (ports.failing.has(c.subject)) out.push({ ...c, status: 'failed', reason: 'disk says no' });
      else {
        await writeFile(join(ports.dir, c.subject), 'x');
        out.push({ ...c, status: 'applied' });
      }
    }
    return out;
  },
};

let dir: string;
let ports: Ports;
/** Two guards that always refuse, to see that a run overriding both keeps both overrides. */
const refuseAlways = (code: string) => () => {
  throw new GuardError(`${code} says no`, { code });
};
const register = (program: Command): void => {
  addStepOptions(program.command('mark2').argument('<names...>')).action(async (names: string[], _o: unknown, cmd: Command) => {
    await runStepCommand(cmd, markStep, { names }, { ports: () => ports, guards: () => [refuseAlways('FIRST_GUARD'), refuseAlways('SECOND_GUARD')] });
  });
  addStepOptions(program.command('mark').argument('<names...>').option('--token <t>'))
    .action(async (names: string[], opts: { token?: string }, cmd: Command) => {
      await runStepCommand(cmd, markStep, { names, ...(opts.token ? { token: opts.token } : {}) }, { ports: () => ports });
    });
};

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fb-runstep-'));
  ports = { dir, failing: new Set() };
});
afterEach(() => rm(dir, { recursive: true, force: true }));

async function run(args: string[], env: Record<string, string> = {}) {
  const io = memoryIo({ USER: 'dana', FIREBREAK_AUDIT_FILE: join(dir, 'audit.jsonl'), ...env }, dir);
  const code = await main(args, io, [register]);
  return { code, out: io.out.join('\n'), err: io.err.join('\n') };
}

async function records(file = join(dir, 'audit.jsonl')): Promise<AuditRecord[]> {
  const text = await readFile(file, 'utf8');
  expect(verifyChain(text.split('\n')).ok).toBe(true);
  return text.trim().split('\n').map((l) => (JSON.parse(l) as { record: AuditRecord }).record);
}

describe('runStepCommand', () => {
  it('is a dry run by default: prints the plan, changes nothing, audits the run', async () => {
    const r = await run(['mark', 'a', 'b']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('plan mark: 2 change(s), 0 already in place');
    expect(r.out).toContain('+ fs:dir create a');
    expect(r.out).toContain('dry run: nothing changed');
    expect(existsSync(join(dir, 'a'))).toBe(false);
    const [rec] = await records();
    expect(rec).toMatchObject({ step: 'mark', status: 'planned', dryRun: true, actor: 'dana', incidentId: null });
    expect(existsSync(join(dir, 'audit.jsonl.head'))).toBe(true);
  });

  it('--apply changes, re-running converges to noop, every run on one chain', async () => {
    expect((await run(['mark', 'a', 'b', '--apply', '--incident', 'INC-7', '--actor', 'erin'])).code).toBe(0);
    expect(existsSync(join(dir, 'a')) && existsSync(join(dir, 'b'))).toBe(true);
    const again = await run(['mark', 'a', 'b', '--apply']);
    expect(again.code).toBe(0);
    expect(again.out).toContain('= fs:dir a (exists)');
    const recs = await records();
    expect(recs.map((x) => x.status)).toEqual(['applied', 'noop']);
    expect(recs[0]).toMatchObject({ actor: 'erin', incidentId: 'INC-7', dryRun: false });
  });

  it('--json prints one document with status, plan, result and the audit position', async () => {
    const r = await run(['mark', 'a', '--apply', '--json']);
    const doc = JSON.parse(r.out) as Record<string, unknown>;
    expect(doc).toMatchObject({ ok: true, step: 'mark', dryRun: false, status: 'applied', audit: { seq: 1 }, result: { status: 'ok' } });
  });

  it('--audit-file beats FIREBREAK_AUDIT_FILE', async () => {
    const other = join(dir, 'elsewhere', 'chain.jsonl');
    expect((await run(['mark', 'a', '--audit-file', other])).code).toBe(0);
    expect(existsSync(join(dir, 'audit.jsonl'))).toBe(false);
    expect(await records(other)).toHaveLength(1);
  });

  it('the blast-radius cap from --config refuses (exit 3) and a reasoned override passes', async () => {
    await writeFile(join(dir, 'fb.yml'), 'version: 1\nlimits:\n  max_changes_per_run: 1\n');
    const refused = await run(['mark', 'a', 'b', '--apply', '--config', 'fb.yml']);
    expect(refused.code).toBe(EXIT_CODES.guard);
    expect(refused.err).toMatch(/^error BLAST_RADIUS: /);
    expect(existsSync(join(dir, 'a'))).toBe(false);
    const ok = await run(['mark', 'a', 'b', '--apply', '--config', 'fb.yml', '--override-guard', 'BLAST_RADIUS', '--override-reason', 'approved by IC']);
    expect(ok.code).toBe(0);
    expect(ok.err).toContain('Guard BLAST_RADIUS overridden by dana: approved by IC');
    const recs = await records();
    expect(recs.map((x) => x.status)).toEqual(['refused', 'applied']);
    expect(recs[1]!.override).toEqual({ guard: 'BLAST_RADIUS', reason: 'approved by IC' });
  });

  it('an override without a reason is bad input (exit 2): nothing runs, and the refusal is the one record of the run', async () => {
    const r = await run(['mark', 'a', '--apply', '--override-guard', 'BLAST_RADIUS']);
    expect(r.code).toBe(EXIT_CODES.input);
    expect(r.err).toContain('--override-reason');
    expect(existsSync(join(dir, 'a'))).toBe(false);
    const lines = (await readFile(join(dir, 'audit.jsonl'), 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!).record).toMatchObject({ step: 'mark', status: 'refused', dryRun: false, error: { code: 'INPUT_INVALID' } });
  });

  it('a partial failure prints the result and exits 6; the re-run converges', async () => {
    ports.failing.add('b');
    const r = await run(['mark', 'a', 'b', '--apply']);
    expect(r.code).toBe(EXIT_CODES.partial);
    expect(r.out).toContain('✓ fs:dir create a');
    expect(r.out).toContain('✗ fs:dir create b — disk says no');
    expect(r.err).toMatch(/^error PARTIAL_FAILURE: /);
    ports.failing.clear();
    expect((await run(['mark', 'a', 'b', '--apply'])).code).toBe(0);
    expect((await records()).map((x) => x.status)).toEqual(['partial', 'applied']);
  });

  it('bad step input exits 2 and is audited as refused', async () => {
    const r = await run(['mark', 'A!']);
    expect(r.code).toBe(EXIT_CODES.input);
    expect((await records())[0]).toMatchObject({ status: 'refused', error: { code: 'INPUT_INVALID' } });
  });

  it('uses ./firebreak.yml of the working directory by default; a missing --config is exit 2', async () => {
    await writeFile(join(dir, 'firebreak.yml'), 'version: 1\nlimits:\n  max_changes_per_run: 1\n');
    expect((await run(['mark', 'a', 'b'])).code).toBe(EXIT_CODES.guard);
    const missing = await run(['mark', 'a', '--config', 'nope.yml']);
    expect(missing.code).toBe(EXIT_CODES.input);
    expect(missing.err).toContain('cannot read config nope.yml: file not found');
  });

  it('a broken --config exits 2 naming file:line:col', async () => {
    await writeFile(join(dir, 'fb.yml'), 'version: 1\nlimits:\n  max_changes_per_run: many\n');
    const r = await run(['mark', 'a', '--config', 'fb.yml']);
    expect(r.code).toBe(EXIT_CODES.input);
    expect(r.err).toMatch(/fb\.yml:3:24 limits\.max_changes_per_run: /);
  });

  it('a secret input never reaches stdout, stderr or the audit file', async () => {
    const secret = 'ghs_SuperSecret1234567890';
    const r = await run(['mark', 'a', '--token', secret, '--apply', '--verbose']);
    expect(r.code).toBe(0);
    expect(`${r.out}\n${r.err}`).not.toContain(secret);
    expect(await readFile(join(dir, 'audit.jsonl'), 'utf8')).not.toContain(secret);
    expect(r.err).toContain('token [REDACTED] used');
  });

  it('a run that overrides two guards keeps both overrides in its record and its --json output', async () => {
    const r = await run(['mark2', 'a', '--apply', '--json', '--override-guard', 'FIRST_GUARD', '--override-reason', 'one', '--override-guard', 'SECOND_GUARD', '--override-reason', 'two']);
    expect(r.code).toBe(0);
    const both = [
      { guard: 'FIRST_GUARD', reason: 'one' },
      { guard: 'SECOND_GUARD', reason: 'two' },
    ];
    expect((JSON.parse(r.out) as { overridden: unknown }).overridden).toEqual(both);
    const [rec] = await records();
    expect(rec).toMatchObject({ status: 'applied', overrides: both, override: both[0] });
  });

  it('a record keeps what the responder gave next to the step\'s normalised input', async () => {
    // markStep normalises nothing but drops `extra`; the given input keeps it.
    const step: StepDefinition<{ names: string[] }, Ports> = { ...markStep, parse: (raw) => ({ names: (raw.names as string[]).map((n) => n.toLowerCase()) }) };
    const reg = (program: Command): void => {
      addStepOptions(program.command('mark').argument('<names...>')).action(async (names: string[], _o: unknown, cmd: Command) => {
        await runStepCommand(cmd, step, { names }, { ports: () => ports });
      });
    };
    const io = memoryIo({ USER: 'dana', FIREBREAK_AUDIT_FILE: join(dir, 'audit.jsonl') }, dir);
    expect(await main(['mark', 'Ab'], io, [reg])).toBe(0);
    const [rec] = await records();
    expect(rec).toMatchObject({ input: { names: ['ab'] }, given: { names: ['Ab'] } });
  });

  describe('a broken firebreak.yml still leaves one refused record, as the action does', () => {
    const bomb = ['version: 1', 'a: &a ["x","x","x","x","x","x","x","x","x"]', ...'bcdefghij'.split('').map((c, i) => `${c}: &${c} [*${'abcdefghij'[i]},*${'abcdefghij'[i]},*${'abcdefghij'[i]},*${'abcdefghij'[i]},*${'abcdefghij'[i]},*${'abcdefghij'[i]},*${'abcdefghij'[i]},*${'abcdefghij'[i]},*${'abcdefghij'[i]}]`)].join('\n');
    it.each([
      ['wrong types', 'version: 1\nlimits:\n  max_changes_per_run: "many"\n', 'CONFIG_INVALID'],
      ['a YAML alias bomb', bomb, undefined],
      ['a missing file', undefined, 'CONFIG_INVALID'],
    ])('%s', async (_name, text, code) => {
      if (text !== undefined) await writeFile(join(dir, 'bad.yml'), text);
      const r = await run(['mark', 'a', '--apply', '--incident', 'INC-3', '--config', 'bad.yml', '--token', 'tok-0123456789abcdef']);
      expect(r.code).not.toBe(0);
      expect(existsSync(join(dir, 'a'))).toBe(false);
      const recs = await records();
      expect(recs).toHaveLength(1);
      expect(recs[0]).toMatchObject({ step: 'mark', status: 'refused', dryRun: false, incidentId: 'INC-3', actor: 'dana', plan: null, input: { names: ['a'], token: '[REDACTED]' } });
      // The alias bomb's code is the config helper's (issue 8 §6); here only that a refusal is recorded.
      expect(recs[0]!.error).toMatchObject({ code: code ?? expect.stringMatching(/^[A-Z_]+$/) });
      expect(JSON.stringify(recs)).not.toContain('tok-0123456789abcdef');
    });
  });
});
