import { InputError } from '../errors.js';
import { ROUTE_LIMITS } from './limits.js';
import { formatRoute, type Route } from './syntax.js';

/**
 * Routes → what each edge matches on.
 *
 * WAF: one regex per route for the kit's regex pattern set, matched against the URL-decoded,
 * normalised URI path. The kit's rule matches the path only, so a route with methods or a host
 * cannot be expressed there and is refused for the WAF target (never silently widened).
 *
 * Cloudflare: one clause per route, OR-ed into the kill-switch rule's expression, using only
 * documented fields and functions: `http.request.uri.path`, `http.request.method`, `http.host`,
 * `eq`, `in`, `starts_with()` and, for parameters, `matches` (regex operators need a Business or
 * Enterprise plan: without `routes.cloudflare_regex`, a parameter route is widened to its literal
 * prefix and the plan says so).
 *
 * Both outputs are built from a closed grammar (literals, `[^/]+` between slashes, an optional
 * trailing slash, `(?:/.*)?` at the very end) and checked against it again before use: no
 * alternation, no nested or adjacent quantifiers, nothing that can backtrack more than linearly.
 */

/** The kill-switch expression while no route is disabled (infra/components/cloudflare-break-glass.ts). */
export const ROUTE_KILL_SWITCH_PLACEHOLDER = 'http.request.uri.path eq "/__firebreak_no_route_disabled__"';

const PATH = 'http.request.uri.path';

/** Regex metacharacters in JS, PCRE (WAF) and Rust regex (Cloudflare) alike. */
function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/-]/g, (c) => (c === '/' ? '/' : `\\${c}`));
}

/** A Cloudflare string literal: backslash and quote escaped. */
export function cfString(s: string): string {
  return `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

export function wafRegex(route: Route): string {
  if (route.methods || route.host) {
    throw new InputError(
      `route "${route.text}" names ${route.methods ? 'methods' : 'a host'}; the kit's WAF kill-switch rule matches the URI path only. Use target cloudflare for it, or drop the ${route.methods ? 'methods' : 'host'} to disable the path for every ${route.methods ? 'method' : 'host'}.`,
      { field: 'routes', code: 'ROUTE_NOT_EXPRESSIBLE_ON_WAF' },
    );
  }
  const body = route.segments.map((s) => `/${s.kind === 'literal' ? escapeRegex(s.value) : '[^/]+'}`).join('');
  const pattern = `^${body}${route.rest ? '(?:/.*)?' : '/?'}$`;
  assertLinearRoutePattern(pattern);
  if (pattern.length > ROUTE_LIMITS.waf.maxPatternLength) {
    throw new InputError(`route "${route.text}" compiles to a ${pattern.length}-character regex; WAF allows ${ROUTE_LIMITS.waf.maxPatternLength} per pattern. Disable a shorter prefix.`, {
      field: 'routes',
      code: 'ROUTE_PATTERN_TOO_LONG',
    });
  }
  return pattern;
}

/**
 * The closed grammar every compiled pattern belongs to. A pattern outside it is refused before it
 * reaches a provider, so a bug in the compiler cannot ship a backtracking regex.
 */
const LINEAR = /^\^(?:\/(?:\[\^\/\]\+|(?:\\[.*+?^${}()|[\]\\\-]|[A-Za-z0-9_~!&',;=:@])+))*(?:\(\?:\/\.\*\)\?|\/\?)\$$/;

export function assertLinearRoutePattern(pattern: string): void {
  if (!LINEAR.test(pattern)) {
    throw new InputError(`refusing regex ${JSON.stringify(pattern)}: outside the linear route grammar (it could backtrack or match more than a route)`, {
      field: 'routes',
      code: 'ROUTE_REGEX_UNSAFE',
    });
  }
}

export interface CloudflareClause {
  clause: string;
  /** The route Cloudflare really matches (widened when a parameter needs a regex and regex is off). */
  effective: Route;
  warning?: string;
}

export function cloudflareClause(route: Route, opts: { regex: boolean }): CloudflareClause {
  const parts: string[] = [];
  let effective = route;
  let warning: string | undefined;
  const literalOnly = route.segments.every((s) => s.kind === 'literal');
  if (literalOnly) {
    const path = '/' + route.segments.map((s) => (s.kind === 'literal' ? s.value : '')).join('/');
    parts.push(route.rest ? `(${PATH} eq ${cfString(path)} or starts_with(${PATH}, ${cfString(`${path}/`)}))` : `(${PATH} eq ${cfString(path)} or ${PATH} eq ${cfString(`${path}/`)})`);
  } else if (opts.regex) {
    const re = wafRegex({ ...route, methods: null, host: null });
    parts.push(`${PATH} matches ${cfString(re)}`);
  } else {
    const firstOpen = route.segments.findIndex((s) => s.kind !== 'literal');
    const prefix = route.segments.slice(0, firstOpen);
    if (prefix.length === 0) {
      throw new InputError(`route "${route.text}" needs a regex on Cloudflare (its first segment is not literal) and routes.cloudflare_regex is off`, { field: 'routes', code: 'ROUTE_NOT_EXPRESSIBLE_ON_CLOUDFLARE' });
    }
    const widened = { methods: route.methods, host: route.host, segments: prefix, rest: true };
    effective = { ...widened, text: formatRoute(widened) };
    warning = `Cloudflare: "${route.text}" needs a regex (a Business or Enterprise plan, routes.cloudflare_regex: true); disabling the wider "${effective.text}" there instead`;
    return { ...cloudflareClause(effective, opts), effective, warning };
  }
  if (route.methods) parts.push(route.methods.length === 1 ? `http.request.method eq ${cfString(route.methods[0]!)}` : `http.request.method in {${route.methods.map(cfString).join(' ')}}`);
  if (route.host) parts.push(`http.host eq ${cfString(route.host)}`);
  return { clause: parts.length === 1 ? parts[0]! : `(${parts.join(' and ')})`, effective, ...(warning ? { warning } : {}) };
}

/** The whole kill-switch expression for a route list; empty list → the placeholder (rule disabled). */
export function cloudflareExpression(routes: readonly Route[], opts: { regex: boolean }): { expression: string; enabled: boolean; warnings: string[]; effective: Route[] } {
  if (routes.length === 0) return { expression: ROUTE_KILL_SWITCH_PLACEHOLDER, enabled: false, warnings: [], effective: [] };
  const compiled = routes.map((r) => cloudflareClause(r, opts));
  const expression = compiled.map((c) => c.clause).join(' or ');
  if (expression.length > ROUTE_LIMITS.cloudflare.maxExpressionLength) {
    throw new InputError(`the kill-switch expression for ${routes.length} routes is ${expression.length} characters; Cloudflare allows ${ROUTE_LIMITS.cloudflare.maxExpressionLength}. Disable fewer, broader routes.`, {
      field: 'routes',
      code: 'ROUTE_EXPRESSION_TOO_LONG',
    });
  }
  return { expression, enabled: true, warnings: compiled.flatMap((c) => (c.warning ? [c.warning] : [])), effective: compiled.map((c) => c.effective) };
}
