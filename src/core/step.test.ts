import { describe, expect, it } from 'vitest';
import { verifyChain } from './audit.js';
import { ConflictError, GuardError, InputError, PartialFailureError } from './errors.js';
import type { Outcome, Plan } from './plan.js';
import { manualClock, memoryLogger } from './runtime.js';
import { makeContext, maxChangesGuard, runStep, type StepContext, type StepDefinition } from './step.js';
import { MemoryAuditSink } from '../providers/local/file-audit-sink.js';

/** A real step over an in-memory "firewall": a set of blocked addresses. */
interface Ports {
  blocked: Set<string>;
  failOn: Set<string>;
  throwInApply?: unknown;
  throwsSomething?: boolean;
}
interface Input {
  addresses: string[];
  apiKey?: string;
}

const blockStep: StepDefinition<Input, Ports> = {
  name: 'block-test',
  description: 'block addresses in a set',
  secretInputs: ['apiKey'],
  parse(raw) {
    if (!Array.isArray(raw.addresses) || raw.addresses.length === 0) throw new InputError('addresses required', { field: 'addresses' });
    return { addresses: raw.addresses as string[], apiKey: raw.apiKey as string | undefined };
  },
  async plan(input, ports) {
    return {
      step: 'block-test',
      changes: input.addresses.filter((a) => !ports.blocked.has(a)).map((a) => ({ target: 'set', action: 'add', subject: a })),
      unchanged: input.addresses.filter((a) => ports.blocked.has(a)).map((a) => ({ target: 'set', subject: a, reason: 'already blocked' })),
      warnings: [],
    };
  },
  guard(plan) {
    if (plan.changes.some((c) => c.subject === '0.0.0.0/0')) throw new GuardError('refusing to block everything', { code: 'EVERYTHING' });
  },
  async apply(plan, _input, ports) {
    if (ports.throwsSomething) throw ports.throwInApply;
    return plan.changes.map((c): Outcome => {
      if (ports.failOn.has(c.subject)) return { ...c, status: 'failed', reason: `provider said no (key ${_input.apiKey ?? ''})`, retryable: true };
      ports.blocked.add(c.subject);
      return { ...c, status: 'applied' };
    });
  },
};

function setup(dryRun = false, extra: Partial<StepContext> = {}) {
  const audit = new MemoryAuditSink();
  const clock = manualClock('2026-03-01T10:00:00Z');
  const logger = memoryLogger();
  const ctx = makeContext({ audit, clock, sleep: clock.sleep, logger, dryRun, actor: 'alice', incidentId: 'INC-1', ...extra });
  const ports: Ports = { blocked: new Set(), failOn: new Set() };
  return { audit, ctx, ports, logger };
}

describe('runStep', () => {
  it('dry run: plans, changes nothing, audits status planned', async () => {
    const { audit, ctx, ports } = setup(true);
    const run = await runStep(blockStep, { addresses: ['1.2.3.4'] }, ports, ctx);
    expect(run.plan?.changes).toHaveLength(1);
    expect(run.result).toBeUndefined();
    expect(ports.blocked.size).toBe(0);
    expect(audit.entries[0]!.record).toMatchObject({ status: 'planned', dryRun: true, actor: 'alice', incidentId: 'INC-1', time: '2026-03-01T10:00:00.000Z', step: 'block-test' });
  });

  it('apply then re-apply: applied, then noop with every subject "already"', async () => {
    const { audit, ctx, ports } = setup();
    const first = await runStep(blockStep, { addresses: ['1.2.3.4', '5.6.7.8'] }, ports, ctx);
    expect(first.result).toMatchObject({ status: 'ok' });
    expect([...ports.blocked]).toEqual(['1.2.3.4', '5.6.7.8']);
    const again = await runStep(blockStep, { addresses: ['1.2.3.4', '5.6.7.8'] }, ports, ctx);
    expect(again.result?.status).toBe('noop');
    expect(again.result?.outcomes.every((o) => o.status === 'already')).toBe(true);
    expect(audit.entries.map((e) => e.record.status)).toEqual(['applied', 'noop']);
    expect(verifyChain(audit.lines, audit.head).ok).toBe(true);
  });

  it('a mixed plan reports applied and already together', async () => {
    const { ctx, ports } = setup();
    ports.blocked.add('1.2.3.4');
    const run = await runStep(blockStep, { addresses: ['1.2.3.4', '9.9.9.9'] }, ports, ctx);
    expect(run.result?.outcomes.map((o) => `${o.subject}:${o.status}`)).toEqual(['9.9.9.9:applied', '1.2.3.4:already']);
  });

  it('bad input: InputError, nothing changed, audited as refused with the raw (redacted) input', async () => {
    const { audit, ctx, ports } = setup();
    await expect(runStep(blockStep, { addresses: [], apiKey: 'key-1234567' }, ports, ctx)).rejects.toBeInstanceOf(InputError);
    const record = audit.entries[0]!.record;
    expect(record).toMatchObject({ status: 'refused', plan: null, error: { code: 'INPUT_INVALID' } });
    expect(JSON.stringify(record)).not.toContain('key-1234567');
  });

  it('a step guard refuses before apply; an override with a reason lets it through and is audited', async () => {
    const { audit, ctx, ports } = setup();
    await expect(runStep(blockStep, { addresses: ['0.0.0.0/0'] }, ports, ctx)).rejects.toMatchObject({ code: 'EVERYTHING' });
    expect(ports.blocked.size).toBe(0);
    const blank = { ...ctx, overrides: [{ guard: 'EVERYTHING', reason: '  ' }] };
    await expect(runStep(blockStep, { addresses: ['0.0.0.0/0'] }, ports, blank)).rejects.toBeInstanceOf(GuardError);
    const over = { ...ctx, overrides: [{ guard: 'EVERYTHING', reason: 'test lab' }] };
    const run = await runStep(blockStep, { addresses: ['0.0.0.0/0'] }, ports, over);
    expect(run.overridden).toEqual([{ guard: 'EVERYTHING', reason: 'test lab' }]);
    expect(run.plan?.warnings).toContain('Guard EVERYTHING overridden by alice: test lab');
    expect(audit.entries.map((e) => e.record.status)).toEqual(['refused', 'refused', 'applied']);
    expect(audit.entries[2]!.record.override).toEqual({ guard: 'EVERYTHING', reason: 'test lab' });
  });

  it('context guards run too (blast-radius cap) and warnings are logged once', async () => {
    const { ctx, ports, logger } = setup(false, { guards: [maxChangesGuard(1)], overrides: [{ guard: 'BLAST_RADIUS', reason: 'approved' }] });
    await runStep(blockStep, { addresses: ['1.1.1.1', '2.2.2.2'] }, ports, ctx);
    expect(logger.lines.filter((l) => l.includes('BLAST_RADIUS'))).toEqual(['warn: Guard BLAST_RADIUS overridden by alice: approved']);
    const strict = setup(false, { guards: [maxChangesGuard(1)] });
    await expect(runStep(blockStep, { addresses: ['1.1.1.1', '2.2.2.2'] }, strict.ports, strict.ctx)).rejects.toMatchObject({ code: 'BLAST_RADIUS' });
  });

  it('a partial failure throws PartialFailureError with the result, after auditing; secrets scrubbed', async () => {
    const { audit, ctx, ports } = setup();
    ports.failOn.add('5.6.7.8');
    const error = await runStep(blockStep, { addresses: ['1.2.3.4', '5.6.7.8'], apiKey: 'sekret-key-99' }, ports, ctx).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PartialFailureError);
    expect((error as PartialFailureError).message).toContain('1 change(s) failed, 1 applied');
    expect((error as PartialFailureError).result).toMatchObject({ status: 'partial' });
    const record = audit.entries[0]!.record;
    expect(record.status).toBe('partial');
    expect(JSON.stringify(record)).not.toContain('sekret-key-99');
    expect(JSON.stringify(record)).toContain('[REDACTED]');
    expect(ports.blocked.has('1.2.3.4')).toBe(true);
  });

  it('every target failing is status failed', async () => {
    const { audit, ctx, ports } = setup();
    ports.failOn.add('5.6.7.8');
    await expect(runStep(blockStep, { addresses: ['5.6.7.8'] }, ports, ctx)).rejects.toBeInstanceOf(PartialFailureError);
    expect(audit.entries[0]!.record.status).toBe('failed');
  });

  it('a throwing apply is audited as failed with its error code and rethrown as is', async () => {
    const { audit, ctx, ports } = setup();
    ports.throwsSomething = true;
    ports.throwInApply = new ConflictError('lock lost 5 times');
    await expect(runStep(blockStep, { addresses: ['1.2.3.4'] }, ports, ctx)).rejects.toBe(ports.throwInApply);
    expect(audit.entries[0]!.record).toMatchObject({ status: 'failed', error: { code: 'CONFLICT', message: 'lock lost 5 times' } });
  });

  it('an empty plan applied is a noop', async () => {
    const { audit, ctx, ports } = setup();
    ports.blocked.add('1.2.3.4');
    const run = await runStep(blockStep, { addresses: ['1.2.3.4'] }, ports, ctx);
    expect(run.result?.status).toBe('noop');
    expect(audit.entries[0]!.record.status).toBe('noop');
  });

  it('makeContext defaults to a dry run', () => {
    const { ctx } = setup();
    expect(makeContext({ audit: ctx.audit, clock: ctx.clock, sleep: ctx.sleep, logger: ctx.logger }).dryRun).toBe(true);
  });
});

describe('maxChangesGuard', () => {
  it('passes at the cap and refuses above it', () => {
    const plan = (n: number): Plan => ({ step: 's', changes: Array.from({ length: n }, (_, i) => ({ target: 't', action: 'add', subject: String(i) })), unchanged: [], warnings: [] });
    const { ctx } = setup();
    expect(() => maxChangesGuard(2)(plan(2), ctx)).not.toThrow();
    expect(() => maxChangesGuard(2)(plan(3), ctx)).toThrow(/3 changes, more than the blast-radius cap of 2/);
  });

  it.each([
    ['undefined', undefined],
    ['a string', 'boom'],
    ['a plain object', { oops: true }],
  ])('a step that throws %s fails the run and audits the failure', async (_label, value) => {
    const { audit, ctx, ports } = setup();
    ports.throwsSomething = true;
    ports.throwInApply = value;
    let caught = false;
    try {
      await runStep(blockStep, { addresses: ['1.2.3.4'] }, ports, ctx);
    } catch (thrown) {
      caught = true;
      expect(thrown).toBe(value);
    }
    expect(caught).toBe(true);
    expect(audit.entries[0]!.record.status).toBe('failed');
    expect(audit.entries[0]!.record.error).toMatchObject({ code: 'UNEXPECTED' });
  });
});
