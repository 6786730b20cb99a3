import { describe, expect, it } from 'vitest';
import { InputError } from '../../core/errors.js';
import { manualClock, silentLogger } from '../../core/runtime.js';
import { makeContext } from '../../core/step.js';
import { MemoryAuditSink } from '../../providers/local/file-audit-sink.js';
import { rollbackMarker } from './shared.js';
import { rollbackStep } from './step.js';

const clock = manualClock('2026-12-02T03:00:00Z');
const ctx = (over: Partial<Parameters<typeof makeContext>[0]> = {}) => makeContext({ audit: new MemoryAuditSink(), clock, sleep: clock.sleep, logger: silentLogger, ...over });
const parse = (raw: Record<string, unknown>) => rollbackStep.parse(raw, ctx());
const refusal = (raw: Record<string, unknown>) => {
  try {
    parse(raw);
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as InputError).code;
  }
  return expect.unreachable('parse accepted it');
};

describe('rollback input', () => {
  it('accepts each provider target and normalises the wait', () => {
    expect(parse({ target: 'github:environment:production' })).toMatchObject({ method: 'deployment', waitMs: 15 * 60_000 });
    expect(parse({ target: 'github:branch:release/2026-12', method: 'push', to: 'a'.repeat(40) }).target).toMatchObject({ kind: 'branch', id: 'release/2026-12' });
    expect(parse({ target: 'aws:ecs-service:prod/api@eu-west-1', waitMinutes: '30' })).toMatchObject({ waitMs: 30 * 60_000, target: { scope: { region: 'eu-west-1' } } });
    expect(parse({ target: 'cloudflare:worker:edge-api', force: true }).force).toBe(true);
    expect(parse({ target: 'argocd:application:shop@apps' }).target).toMatchObject({ provider: 'argocd', id: 'shop', scope: { account: 'apps' } });
  });

  it('refuses inputs that do not fit the target, before any provider call', () => {
    expect(refusal({ target: 'aws:secret:prod/db' })).toBe('TARGET_INVALID');
    expect(refusal({ target: 'aws:ecs-service:prod/api', method: 'push' })).toBe('INPUT_CONFLICT');
    expect(refusal({ target: 'aws:ecs-service:prod/api', branch: 'main' })).toBe('INPUT_CONFLICT');
    expect(refusal({ target: 'github:environment:production', force: true })).toBe('INPUT_CONFLICT');
    expect(refusal({ target: 'github:branch:main' })).toBe('INPUT_CONFLICT');
    expect(refusal({ target: 'github:environment:production', method: 'pull-request', branch: 'a..b' })).toBe('TARGET_INVALID');
    expect(refusal({ target: 'aws:ecs-service:prod/api', waitMinutes: '0' })).toBe('INPUT_INVALID');
    expect(refusal({ target: 'aws:ecs-service:prod/api', waitMinutes: '121' })).toBe('INPUT_INVALID');
    expect(refusal({ target: 'cloudflare:worker:Edge' })).toBe('TARGET_INVALID');
  });

  it('the marker depends on target and run, and needs a run key', () => {
    const input = parse({ target: 'aws:ecs-service:prod/api' });
    const a = rollbackMarker(input, ctx({ runUrl: 'https://x/runs/1' }));
    expect(a).toMatch(/^[0-9a-f]{16}$/);
    expect(rollbackMarker(input, ctx({ runUrl: 'https://x/runs/1' }))).toBe(a);
    expect(rollbackMarker(input, ctx({ runUrl: 'https://x/runs/2' }))).not.toBe(a);
    expect(rollbackMarker(parse({ target: 'aws:ecs-service:prod/web' }), ctx({ runUrl: 'https://x/runs/1' }))).not.toBe(a);
    expect(rollbackMarker({ ...input, rollbackId: 'r1' }, ctx({ runUrl: 'https://x/runs/1' }))).not.toBe(a);
    expect(() => rollbackMarker(input, ctx())).toThrow(/rollback-id is required/);
  });
});
