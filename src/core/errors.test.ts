import { describe, expect, it } from 'vitest';
import { GuardError, NON_OVERRIDABLE_GUARDS, guardHint } from './errors.js';
import { manualClock, memoryLogger } from './runtime.js';
import { makeContext, runStep, type StepDefinition } from './step.js';
import { MemoryAuditSink } from '../providers/local/file-audit-sink.js';

describe('guard hints derive from whether the guard can be overridden', () => {
  it.each([...NON_OVERRIDABLE_GUARDS])('%s: not overridable, and no hint offers an override', (code) => {
    const bare = new GuardError('refused', { code });
    expect(bare.overridable).toBe(false);
    expect(bare.hint).toBe(`Nothing was changed. ${code} cannot be overridden: change the request.`);
    // A thrower's hint that talks about overriding is replaced, not shown.
    expect(new GuardError('refused', { code, hint: 'or override it with a reason' }).hint).not.toMatch(/--override|override it/);
    const own = new GuardError('refused', { code, hint: 'Split the range, or target waf only.' });
    expect(own.hint).toBe(`Split the range, or target waf only. (${code} cannot be overridden.)`);
    expect(own.toJSON()).toMatchObject({ code, overridable: false });
  });
  it('an overridable guard names the override for CLI and action, unless its thrower says better', () => {
    const e = new GuardError('too many', { code: 'BLAST_RADIUS' });
    expect(e.overridable).toBe(true);
    expect(e.hint).toContain('--override-guard BLAST_RADIUS --override-reason');
    expect(e.hint).toContain('override-guard');
    expect(new GuardError('x', { code: 'BLAST_RADIUS', hint: 'Split the run.' }).hint).toBe('Split the run.');
    expect(guardHint('X', false, undefined)).not.toContain('--override');
    // The thrower decides when it knows better than the registry.
    expect(new GuardError('x', { code: 'CUSTOM', overridable: false }).hint).not.toContain('--override');
  });
});

describe('runStep never lets an override pass a guard that cannot be overridden', () => {
  const step: StepDefinition<Record<string, unknown>, object> = {
    name: 'limit-test',
    description: 'a step whose guard is a provider limit',
    parse: (raw) => raw,
    plan: async () => ({ step: 'limit-test', changes: [{ target: 't', action: 'add', subject: 's' }], unchanged: [], warnings: [] }),
    guard: () => {
      throw new GuardError('over the provider limit', { code: 'PROVIDER_LIMIT' });
    },
    apply: async (plan) => plan.changes.map((c) => ({ ...c, status: 'applied' as const })),
  };
  it('an override naming PROVIDER_LIMIT is ignored: refused and audited as refused', async () => {
    const clock = manualClock('2026-03-01T10:00:00Z');
    const audit = new MemoryAuditSink();
    const ctx = makeContext({ audit, clock, sleep: clock.sleep, logger: memoryLogger(), dryRun: false, overrides: [{ guard: 'PROVIDER_LIMIT', reason: 'please' }] });
    await expect(runStep(step, {}, {}, ctx)).rejects.toMatchObject({ code: 'PROVIDER_LIMIT', overridable: false });
    expect(audit.entries.map((e) => e.record.status)).toEqual(['refused']);
    expect(audit.entries[0]!.record.override).toBeUndefined();
    expect(audit.entries[0]!.record.error?.hint).toContain('cannot be overridden');
  });
});
