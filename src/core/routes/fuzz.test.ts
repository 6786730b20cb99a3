import { describe, expect, it } from 'vitest';
import { evaluate, parseExpression } from '../../drill/emulators/cloudflare/expression.js';
import { InputError } from '../errors.js';
import { cloudflareExpression, wafRegex } from './compile.js';
import { coveredProtected, tooBroad } from './protect.js';
import { parseRoute, type Route } from './syntax.js';

/**
 * ≥ 10,000 generated routes (seeded, so a failure replays): every one that is accepted compiles to
 * a WAF regex and a Cloudflare expression that match its own sample path and never a protected
 * route or the empty path. The expression is parsed and evaluated by the emulator's Rules-language
 * implementation, the same one that refuses unknown fields.
 */

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PROTECTED = ['/health', '/status', 'GET,POST /login', '/auth/*', '/api/<v>/health', 'ops.example.com/admin/*'].map((t) => parseRoute(t));

const PIECES = ['admin', 'health', 'status', 'login', 'auth', 'api', 'v1', 'erase', 'export', 'a.b', 'x+y', '$', '(x)', 'we~ird', "it's", 'a=b', 'q:1', 'me@', '-', '.', '..', '%2e', '%2F', '%41dmin', '%zz', '*', '<id>', '<v>', '<bad', 'a*b', 'sp ace', '"q"', 'back\\slash', '?x=1', '#f', '', 'ok', 'tasks', 'metrics', 'é'];
const METHODS = ['', '', '', 'GET ', 'POST ', 'GET,POST ', 'DELETE ', 'get ', 'BREW '];
const HOSTS = ['', '', '', 'ops.example.com', 'api.example.com', 'Bad_Host', 'ops.example.com:443'];

function generate(rand: () => number): string {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const n = Math.floor(rand() * 5);
  let path = '';
  for (let i = 0; i < n; i++) path += `/${pick(PIECES)}`;
  if (rand() < 0.3) path += '/*';
  if (rand() < 0.1) path += '/';
  if (path === '' && rand() < 0.5) path = '/';
  return `${pick(METHODS)}${pick(HOSTS)}${path}`;
}

/** Concrete requests a route matches: parameters and `*` filled in, prefixes at depth 0 and 2. */
function samples(r: Route): Array<{ path: string; method: string; host: string }> {
  const base = '/' + r.segments.map((s) => (s.kind === 'literal' ? s.value : 'x')).join('/');
  const paths = r.segments.length === 0 ? ['/'] : [base, `${base}/`];
  if (r.rest) paths.push(`${base === '/' ? '' : base}/deep/er`);
  const methods = r.methods ?? ['GET', 'POST'];
  const hosts = r.host ? [r.host] : ['ops.example.com', 'www.example.com'];
  return paths.flatMap((path) => methods.flatMap((method) => hosts.map((host) => ({ path, method, host }))));
}

function matcher(expression: string, allowRegex: boolean): (req: { path: string; method: string; host: string }) => boolean {
  const node = parseExpression(expression, { allowRegex });
  return (req) => evaluate(node, { 'http.request.uri.path': req.path, 'http.request.method': req.method, 'http.host': req.host });
}

describe('route compiler fuzz', () => {
  it('never compiles a route that matches a protected route or the empty path (10,000+ accepted routes)', () => {
    const rand = mulberry32(0xf1eb);
    const protectedSamples = PROTECTED.flatMap(samples);
    let accepted = 0;
    let refusedSyntax = 0;
    let refusedGuard = 0;
    let tries = 0;
    // Collected rather than asserted one by one: 10,000 routes × samples is a lot of `expect` calls.
    const problems: string[] = [];
    const check = (ok: boolean, what: string) => {
      if (!ok && problems.length < 20) problems.push(what);
    };
    while (accepted < 10_000) {
      tries++;
      if (tries > 200_000) break;
      const text = generate(rand);
      let route: Route;
      try {
        route = parseRoute(text);
      } catch (error) {
        check(error instanceof InputError, `${text}: ${String(error)}`);
        refusedSyntax++;
        continue;
      }
      if (tooBroad(route) || coveredProtected(route, PROTECTED).length > 0) {
        refusedGuard++;
        continue;
      }
      for (const regex of [true, false]) {
        let compiled: ReturnType<typeof cloudflareExpression>;
        try {
          compiled = cloudflareExpression([route], { regex });
        } catch (error) {
          check(error instanceof InputError, `${route.text}: ${String(error)}`);
          continue;
        }
        // A widened route is judged again, as the step does.
        if (compiled.effective.some((e) => tooBroad(e) || coveredProtected(e, PROTECTED).length > 0)) continue;
        const cfMatches = matcher(compiled.expression, regex);
        for (const s of samples(route)) check(cfMatches(s), `${route.text} should match ${s.method} ${s.host}${s.path}`);
        for (const p of protectedSamples) check(!cfMatches(p), `${route.text} → ${compiled.expression} matches protected ${p.method} ${p.host}${p.path}`);
        for (const host of ['ops.example.com', 'x.example.com']) check(!cfMatches({ path: '', method: 'GET', host }), `${compiled.expression} matches the empty path`);
      }
      if (!route.methods && !route.host) {
        const re = new RegExp(wafRegex(route));
        for (const s of samples(route)) check(re.test(s.path), `${re} should match ${s.path}`);
        for (const p of protectedSamples) {
          // The WAF rule sees every method and host: a protected route narrowed by method or host is
          // still protected there on its path.
          check(!re.test(p.path), `${route.text} → ${re} matches protected ${p.path}`);
        }
        check(!re.test(''), `${re} matches the empty path`);
      }
      accepted++;
    }
    expect(problems).toEqual([]);
    expect(accepted).toBe(10_000);
    // The generator must exercise the refusals too, or it proves little.
    expect(refusedSyntax).toBeGreaterThan(1_000);
    expect(refusedGuard).toBeGreaterThan(100);
  });
});
