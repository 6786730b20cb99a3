import { describe, expect, it } from 'vitest';
import { ExpressionError, parseExpression } from '../../drill/emulators/cloudflare/expression.js';
import { InputError } from '../errors.js';
import { assertLinearRoutePattern, cloudflareExpression, ROUTE_KILL_SWITCH_PLACEHOLDER, wafRegex } from './compile.js';
import { coveredProtected, overlaps, tooBroad } from './protect.js';
import { parseRoute, parseRoutes } from './syntax.js';

const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as InputError).code;
  }
  return expect.unreachable('expected an InputError');
};

describe('route syntax', () => {
  it("parses seed 000's routes", () => {
    expect(parseRoutes('/admin/*\n/erase/<id>\n/export/*').map((r) => r.text)).toEqual(['/admin/*', '/erase/<id>', '/export/*']);
    expect(parseRoute('/erase/<id>').segments).toEqual([{ kind: 'literal', value: 'erase' }, { kind: 'param', name: 'id' }]);
    expect(parseRoute('/admin/*').rest).toBe(true);
  });

  it('normalises methods, host, trailing slash and percent-escapes into one canonical text', () => {
    expect(parseRoute('post,get API.Example.com/%61dmin/').text).toBe('GET,POST api.example.com/admin');
  });

  it.each([
    ['', 'ROUTE_EMPTY'],
    ['admin', 'ROUTE_INVALID'],
    ['/a//b', 'ROUTE_INVALID'],
    ['/a/../b', 'ROUTE_INVALID'],
    ['/a/%2e%2e/b', 'ROUTE_INVALID'],
    ['/a%2Fb', 'ROUTE_INVALID'],
    ['/a"b', 'ROUTE_INVALID'],
    ['/a\\b', 'ROUTE_INVALID'],
    ['/adm*', 'ROUTE_INVALID'],
    ['/<id', 'ROUTE_INVALID'],
    ['/a?x=1', 'ROUTE_INVALID'],
    ['BREW /a', 'ROUTE_INVALID'],
    ['host:443/a', 'ROUTE_INVALID'],
    ['/a\u0000', 'ROUTE_INVALID'],
    ['/%zz', 'ROUTE_INVALID'],
    ['GET /a /b', 'ROUTE_INVALID'],
  ])('refuses %j with %s', (text, expected) => {
    expect(code(() => parseRoute(text))).toBe(expected);
  });
});

describe('breadth and protected routes', () => {
  it.each(['/*', '/', '/<x>/*', '/*/admin'])('%s matches (nearly) everything', (t) => {
    expect(tooBroad(parseRoute(t))).not.toBeNull();
  });

  it('decides overlap exactly, by path, method and host', () => {
    const o = (a: string, b: string) => overlaps(parseRoute(a), parseRoute(b));
    expect(o('/admin/*', '/admin')).toBe(true);
    expect(o('/admin/*', '/administrator')).toBe(false);
    expect(o('/erase/<id>', '/erase/all')).toBe(true);
    expect(o('/erase/<id>', '/erase')).toBe(false);
    expect(o('/erase/<id>', '/erase/a/b')).toBe(false);
    expect(o('POST /login', 'GET /login')).toBe(false);
    expect(o('/login', 'GET /login')).toBe(true);
    expect(o('a.example.com/x', 'b.example.com/x')).toBe(false);
    expect(o('/api/*/health', '/api/<v>/*')).toBe(true);
    expect(coveredProtected(parseRoute('/api/*'), [parseRoute('/health'), parseRoute('/api/<v>/health')]).map((r) => r.text)).toEqual(['/api/<v>/health']);
  });
});

describe('WAF regex', () => {
  it('anchors, escapes and keeps to linear constructs', () => {
    expect(wafRegex(parseRoute('/admin/*'))).toBe('^/admin(?:/.*)?$');
    expect(wafRegex(parseRoute('/erase/<id>'))).toBe('^/erase/[^/]+/?$');
    expect(wafRegex(parseRoute('/a.b/x+y/$'))).toBe('^/a\\.b/x\\+y/\\$/?$');
    const re = new RegExp(wafRegex(parseRoute('/a.b')));
    expect(re.test('/a.b')).toBe(true);
    expect(re.test('/aXb')).toBe(false);
  });

  it('refuses a route with methods or a host (the kit rule matches paths only)', () => {
    expect(code(() => wafRegex(parseRoute('POST /erase/<id>')))).toBe('ROUTE_NOT_EXPRESSIBLE_ON_WAF');
  });

  it('refuses a pattern longer than WAF allows, saying the number', () => {
    const long = `/${'a'.repeat(60)}/${'b'.repeat(60)}/${'c'.repeat(80)}`;
    expect(code(() => wafRegex(parseRoute(long)))).toBe('ROUTE_PATTERN_TOO_LONG');
  });

  it.each(['^(a+)+$', '^/(?:a|aa)*$', '^/a(?=b)$', '^/(a)\\1$', '^/.*/.*$', '^/[^/]+[^/]+$', '/admin', '^/admin.*$'])('the linear grammar refuses %s', (p) => {
    expect(code(() => assertLinearRoutePattern(p))).toBe('ROUTE_REGEX_UNSAFE');
  });
});

describe('Cloudflare expression', () => {
  const doc = (e: string, allowRegex = false) => parseExpression(e, { allowRegex });

  it("rebuilds seed 000's kill-switch with documented fields and functions, no regex needed for prefixes", () => {
    const out = cloudflareExpression(parseRoutes('/admin/*\n/export/*'), { regex: false });
    expect(out.expression).toBe(
      '(http.request.uri.path eq "/admin" or starts_with(http.request.uri.path, "/admin/")) or (http.request.uri.path eq "/export" or starts_with(http.request.uri.path, "/export/"))',
    );
    expect(out.enabled).toBe(true);
    expect(() => doc(out.expression)).not.toThrow();
  });

  it('uses matches for a parameter only when regex is allowed, and widens with a warning otherwise', () => {
    const withRegex = cloudflareExpression(parseRoutes('/erase/<id>'), { regex: true });
    expect(withRegex.expression).toBe('http.request.uri.path matches "^/erase/[^/]+/?$"');
    expect(() => doc(withRegex.expression)).toThrow(ExpressionError);
    expect(() => doc(withRegex.expression, true)).not.toThrow();
    const widened = cloudflareExpression(parseRoutes('/erase/<id>'), { regex: false });
    expect(widened.effective[0]!.text).toBe('/erase/*');
    expect(widened.warnings[0]).toMatch(/wider "\/erase\/\*"/);
  });

  it('narrows by method and host', () => {
    const out = cloudflareExpression(parseRoutes('GET,POST api.example.com/export/*'), { regex: false });
    expect(out.expression).toContain('http.request.method in {"GET" "POST"}');
    expect(out.expression).toContain('http.host eq "api.example.com"');
    expect(() => doc(out.expression)).not.toThrow();
  });

  it('is the placeholder, disabled, for an empty list', () => {
    expect(cloudflareExpression([], { regex: false })).toMatchObject({ expression: ROUTE_KILL_SWITCH_PLACEHOLDER, enabled: false });
  });

  it('refuses an expression longer than Cloudflare takes', () => {
    const many = Array.from({ length: 50 }, (_, i) => `/${'p'.repeat(60)}${i}/*`).join('\n');
    expect(code(() => cloudflareExpression(parseRoutes(many), { regex: false }))).toBe('ROUTE_EXPRESSION_TOO_LONG');
  });

  it('the emulator refuses undocumented fields and functions', () => {
    expect(() => doc('http.request.path eq "/x"')).toThrow(/unknown field/);
    expect(() => doc('begins_with(http.request.uri.path, "/x")')).toThrow(/unknown function/);
    expect(() => doc('starts_with("/x", "/x")')).toThrow(/must be a field/);
  });
});
