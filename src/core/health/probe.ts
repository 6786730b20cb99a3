import type { Clock, Sleep } from '../runtime.js';

/**
 * Health checks as data and the pure judgement of a probe. The loop here decides when a check has
 * passed (N successes in a row) or failed (more failures than its retries allow); the HTTP call
 * itself is a port, so the loop is the same against a real server and in a drill.
 */
export interface HealthCheck {
  name: string;
  url: string;
  method: string;
  expectStatus: number[];
  json?: { path: string; equals: string | number | boolean | null } | undefined;
  bodyPattern?: string | undefined;
  headers: Record<string, string>;
  timeoutMs: number;
  retries: number;
  backoffMs: number;
  consecutive: number;
  insecureTls: boolean;
}

/** What one probe saw: a response, or why there was none (timeout, TLS, refused). */
export type ProbeAnswer = { status: number; body: string } | { error: string };

export interface HttpProber {
  probe(check: HealthCheck): Promise<ProbeAnswer>;
}

export interface CheckResult {
  name: string;
  ok: boolean;
  probes: number;
  /** The last answer's judgement, in words: "200 and status = healthy", "timed out after 5000 ms". */
  detail: string;
}

/** Why an answer fails the check, or null when it passes. */
export function judge(check: HealthCheck, answer: ProbeAnswer): string | null {
  if ('error' in answer) return answer.error;
  if (!check.expectStatus.includes(answer.status)) return `HTTP ${answer.status}, expected ${check.expectStatus.join(' or ')}`;
  if (check.json) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(answer.body);
    } catch {
      return `HTTP ${answer.status} but the body is not JSON`;
    }
    const found = readPath(parsed, check.json.path);
    if (!found.present) return `HTTP ${answer.status} but the body has no ${check.json.path}`;
    if (found.value !== check.json.equals) return `HTTP ${answer.status} but ${check.json.path} is ${JSON.stringify(found.value)}, expected ${JSON.stringify(check.json.equals)}`;
  }
  if (check.bodyPattern !== undefined && !new RegExp(check.bodyPattern).test(answer.body)) return `HTTP ${answer.status} but the body does not match /${check.bodyPattern}/`;
  return null;
}

/** `details.db.0.ok` into parsed JSON; own properties only, so `constructor` or `__proto__` read nothing. */
export function readPath(value: unknown, path: string): { present: boolean; value?: unknown } {
  let cur: unknown = value;
  for (const key of path.split('.')) {
    if (cur === null || typeof cur !== 'object' || !Object.prototype.hasOwnProperty.call(cur, key)) return { present: false };
    cur = (cur as Record<string, unknown>)[key];
  }
  return { present: true, value: cur };
}

/** Backoff before the next probe after `failures` failures in total: doubling, capped at 30 s. */
export function backoffMs(check: Pick<HealthCheck, 'backoffMs'>, failures: number): number {
  return Math.min(30_000, check.backoffMs * 2 ** Math.max(0, failures - 1));
}

/**
 * Probes until `consecutive` successes in a row (pass) or more than `retries` failures (fail).
 * Between successes it waits `backoffMs` so a flapping endpoint is seen flapping; after a failure
 * it backs off.
 */
export async function runCheck(check: HealthCheck, prober: HttpProber, sleep: Sleep): Promise<CheckResult> {
  let streak = 0;
  let failures = 0;
  let probes = 0;
  for (;;) {
    const answer = await prober.probe(check);
    probes++;
    const why = judge(check, answer);
    if (why === null) {
      streak++;
      if (streak >= check.consecutive) return { name: check.name, ok: true, probes, detail: `${'status' in answer ? `HTTP ${answer.status}` : ''}, ${streak} success(es) in a row` };
      await sleep(check.backoffMs);
      continue;
    }
    streak = 0;
    failures++;
    if (failures > check.retries) return { name: check.name, ok: false, probes, detail: `${why} (${failures} failed probe(s), ${check.retries} retries allowed)` };
    await sleep(backoffMs(check, failures));
  }
}

export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA' | 'MISSING';

export interface AlarmReader {
  state(alarmName: string): Promise<AlarmState>;
}

export interface AlarmWatch {
  name: string;
  alarmName: string;
}

/** Polls an alarm until it is OK, or until `waitMs` has passed on `clock` (then it fails, naming the last state). */
export async function watchAlarm(watch: AlarmWatch, reader: AlarmReader, opts: { clock: Clock; sleep: Sleep; waitMs: number; pollMs: number }): Promise<CheckResult> {
  const started = opts.clock.now().getTime();
  let polls = 0;
  for (;;) {
    const state = await reader.state(watch.alarmName);
    polls++;
    if (state === 'OK') return { name: watch.name, ok: true, probes: polls, detail: `alarm ${watch.alarmName} is OK` };
    if (state === 'MISSING') return { name: watch.name, ok: false, probes: polls, detail: `alarm ${watch.alarmName} does not exist` };
    const waited = opts.clock.now().getTime() - started;
    if (waited >= opts.waitMs) return { name: watch.name, ok: false, probes: polls, detail: `alarm ${watch.alarmName} still ${state} after ${Math.round(waited / 1000)} s` };
    await opts.sleep(Math.min(opts.pollMs, opts.waitMs - waited));
  }
}
