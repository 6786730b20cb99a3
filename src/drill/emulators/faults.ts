import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Scripted faults at the HTTP layer, shared by every emulator and by the proxy in front of moto, so
 * tests exercise the real SDK clients' retry and error paths instead of mocking them.
 */
export interface FaultRule {
  /** HTTP method to match (any when absent). */
  method?: string;
  /** Path (without query) to match: exact string or RegExp (any when absent). */
  path?: string | RegExp;
  /** AWS JSON operation to match against the `x-amz-target` header suffix, e.g. `UpdateIPSet`. */
  target?: string;
  /** Let this many matching requests through before the fault applies. */
  skip?: number;
  /** How many matching requests get the fault (default 1; Infinity for all). */
  times?: number;
  /** Delay before answering (or before passing through, when no status is set). */
  latencyMs?: number;
  /** Answer with this status instead of the real handler. */
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** Never answer: the socket is held open until the client gives up (then destroyed). */
  timeout?: boolean;
}

export interface RequestRecord {
  method: string;
  path: string;
  target: string | undefined;
  status: number;
  faulted: boolean;
}

interface ArmedRule extends FaultRule {
  seen: number;
  used: number;
}

export class FaultScript {
  private rules: ArmedRule[] = [];
  /** Added to every request: what benchmarks use to model network round trips. */
  latencyMs = 0;

  add(rule: FaultRule): this {
    this.rules.push({ ...rule, seen: 0, used: 0 });
    return this;
  }

  clear(): void {
    this.rules = [];
    this.latencyMs = 0;
  }

  /** Rules whose faults were not all used: a test can assert its script actually ran. */
  pending(): FaultRule[] {
    return this.rules.filter((r) => r.used < (r.times ?? 1));
  }

  /** Finds and consumes the fault for a request, if any. */
  take(method: string, path: string, target: string | undefined): FaultRule | undefined {
    for (const rule of this.rules) {
      if (rule.method && rule.method.toUpperCase() !== method.toUpperCase()) continue;
      if (rule.path !== undefined && !(typeof rule.path === 'string' ? rule.path === path : rule.path.test(path))) continue;
      if (rule.target && !(target ?? '').endsWith(`.${rule.target}`) && target !== rule.target) continue;
      rule.seen++;
      if (rule.seen <= (rule.skip ?? 0)) continue;
      if (rule.used >= (rule.times ?? 1)) continue;
      rule.used++;
      return rule;
    }
    return undefined;
  }
}

export const sleepMs = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Applies global latency and any matching fault. Returns true when the fault answered the request
 * (the caller must not), false when the real handler should run.
 */
export async function applyFault(script: FaultScript, req: IncomingMessage, res: ServerResponse): Promise<{ handled: boolean; faulted: boolean }> {
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  const target = headerValue(req, 'x-amz-target');
  const rule = script.take(req.method ?? 'GET', path, target);
  const delay = script.latencyMs + (rule?.latencyMs ?? 0);
  if (delay > 0) await sleepMs(delay);
  if (!rule) return { handled: false, faulted: false };
  if (rule.timeout) {
    // Hold the request; the client's own timeout fires and it retries or fails. Destroy on close.
    req.resume();
    await new Promise<void>((resolve) => {
      // Not req 'close': that fires as soon as the (empty) body is read. Wait for the client to hang up.
      res.on('close', resolve);
      req.socket.on('close', resolve);
    });
    res.destroy();
    return { handled: true, faulted: true };
  }
  if (rule.status === undefined) return { handled: false, faulted: true };
  req.resume();
  const body = rule.body === undefined ? '' : typeof rule.body === 'string' ? rule.body : JSON.stringify(rule.body);
  res.writeHead(rule.status, { 'content-type': 'application/json', ...rule.headers });
  res.end(body);
  return { handled: true, faulted: true };
}

export function headerValue(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** An AWS JSON-protocol error (WAFv2, Secrets Manager, ECS, Logs), as the SDK parses it. */
export function awsJsonError(type: string, message: string, status = 400): Pick<FaultRule, 'status' | 'headers' | 'body'> {
  return { status, headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': type }, body: { __type: type, message } };
}

/** WAFv2's optimistic-lock conflict for UpdateIPSet: what a concurrent writer causes. */
export function wafLockConflict(times = 1): FaultRule {
  return { target: 'UpdateIPSet', times, ...awsJsonError('WAFOptimisticLockException', 'AWS WAF couldn’t save your changes because someone changed the resource after you started to edit it.') };
}
