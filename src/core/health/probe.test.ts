import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/parse.js';
import { backoffMs, judge, readPath, runCheck, type HealthCheck, type ProbeAnswer } from './probe.js';

const base: HealthCheck = { name: 'h', url: 'http://x/health', method: 'GET', expectStatus: [200], headers: {}, timeoutMs: 100, retries: 2, backoffMs: 100, consecutive: 1, insecureTls: false };

/** Answers in order; records each wait instead of sleeping. */
function scripted(answers: ProbeAnswer[]) {
  const waits: number[] = [];
  let i = 0;
  return { prober: { probe: async () => answers[Math.min(i++, answers.length - 1)]! }, sleep: async (ms: number) => void waits.push(ms), waits, probes: () => i };
}

describe('health judgement', () => {
  it('reads own JSON properties only: __proto__ and constructor are not paths into the body', () => {
    expect(readPath({ a: { b: 1 } }, 'a.b')).toEqual({ present: true, value: 1 });
    expect(readPath({}, 'constructor')).toEqual({ present: false });
    expect(readPath(JSON.parse('{"__proto__":{"status":"healthy"}}'), 'status')).toEqual({ present: false });
    expect(judge({ ...base, json: { path: 'constructor.name', equals: 'Object' } }, { status: 200, body: '{}' })).toMatch(/has no constructor.name/);
  });

  it('a value of another type is not equal (1 is not "1", null is not missing)', () => {
    expect(judge({ ...base, json: { path: 'ok', equals: '1' } }, { status: 200, body: '{"ok":1}' })).toMatch(/is 1, expected "1"/);
    expect(judge({ ...base, json: { path: 'ok', equals: null } }, { status: 200, body: '{"ok":null}' })).toBeNull();
    expect(judge({ ...base, json: { path: 'ok', equals: null } }, { status: 200, body: '{}' })).toMatch(/has no ok/);
  });

  it('backs off doubling, capped at 30 s', () => {
    expect([1, 2, 3, 10].map((n) => backoffMs({ backoffMs: 1_000 }, n))).toEqual([1_000, 2_000, 4_000, 30_000]);
  });

  it('needs N successes in a row: a success between failures resets the streak', async () => {
    const ok = { status: 200, body: '' };
    const bad = { status: 503, body: '' };
    const s = scripted([ok, bad, ok, ok, bad, ok, ok, ok]);
    const r = await runCheck({ ...base, consecutive: 3, retries: 2 }, s.prober, s.sleep);
    expect(r.ok).toBe(true);
    expect(s.probes()).toBe(8);
    const t = scripted([ok, bad, ok, bad, ok, bad]);
    expect((await runCheck({ ...base, consecutive: 2, retries: 2 }, t.prober, t.sleep)).ok).toBe(false);
  });

  it('refuses a check URL carrying credentials (it would be shown in the plan and the record)', () => {
    expect(() => parseConfig('version: 1\nhealth:\n  checks:\n    - { name: a, url: "https://user:pa55@app.example.com/health" }\n')).toThrow(/without user:password@/);
    expect(parseConfig('version: 1\nhealth:\n  checks:\n    - { name: a, url: "https://app.example.com/health?x=@y" }\n').health.checks).toHaveLength(1);
  });
});
