import { InputError } from '../errors.js';
import { ROUTE_LIMITS } from './limits.js';

/**
 * The route syntax responders type, one route per line:
 *
 *   [METHOD[,METHOD...] ][host]/path
 *
 * - `/status`           exact path (a trailing slash matches too)
 * - `/admin/*`          `/admin` and everything below it (a trailing `*` is a prefix)
 * - `/erase/<id>`       `<name>` is exactly one non-empty segment
 * - `/tasks/*\/results`  a `*` before the end is one segment too
 * - `POST /erase/<id>`, `GET,HEAD api.example.com/export/*`: methods and a host narrow it
 *
 * Literal segments are percent-decoded when parsed, because both edges compare decoded, normalised
 * paths (the WAF rule URL-decodes and normalises first; Cloudflare normalises incoming URLs). Only
 * characters that mean nothing to a regex engine or an expression string are accepted in literals,
 * so escaping is belt and braces rather than the only defence.
 */

export const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
export type Method = (typeof METHODS)[number];

export type Segment = { kind: 'literal'; value: string } | { kind: 'param'; name: string } | { kind: 'any' };

export interface Route {
  /** Canonical text: methods sorted, host lower-case, literals decoded. Stable across runs. */
  text: string;
  /** null: every method. */
  methods: Method[] | null;
  /** null: every host. */
  host: string | null;
  segments: Segment[];
  /** true: the path and everything below it (`/admin/*`). */
  rest: boolean;
}

/** Characters a literal segment may hold once decoded (RFC 3986 pchar minus `%`, `*` and quotes). */
const LITERAL = /^[A-Za-z0-9._~!$&'()+,;=:@-]+$/;
const PARAM = /^<([A-Za-z_][A-Za-z0-9_]{0,31})>$/;
const HOST = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;

export function parseRoute(raw: string, field = 'routes'): Route {
  const text = raw.trim();
  const fail = (why: string, code = 'ROUTE_INVALID') => new InputError(`route "${clip(text)}": ${why}`, { field, code });
  if (text === '') throw fail('empty route', 'ROUTE_EMPTY');
  if (text.length > ROUTE_LIMITS.maxRouteLength) throw fail(`longer than ${ROUTE_LIMITS.maxRouteLength} characters`);
  // Control characters, quotes and backslashes never belong in a route: refuse before anything else.
  if (/[\u0000-\u001f\u007f"\\`]/.test(text)) throw fail('contains a control character, a quote or a backslash');

  let rest = text;
  let methods: Method[] | null = null;
  const space = rest.search(/\s/);
  if (space >= 0) {
    const head = rest.slice(0, space);
    rest = rest.slice(space).trim();
    if (/\s/.test(rest)) throw fail('holds more than one space-separated part (one route per line: [METHODS] [host]/path)');
    const named = head.split(',').map((m) => m.trim().toUpperCase());
    for (const m of named) if (!(METHODS as readonly string[]).includes(m)) throw fail(`unknown method "${m}" (one of ${METHODS.join(', ')})`);
    methods = [...new Set(named as Method[])].sort((a, b) => METHODS.indexOf(a) - METHODS.indexOf(b));
  }

  let host: string | null = null;
  const slash = rest.indexOf('/');
  if (slash < 0) throw fail('the path must start with "/"');
  if (slash > 0) {
    const h = rest.slice(0, slash).toLowerCase().replace(/\.$/, '');
    if (!HOST.test(h)) throw fail(`"${rest.slice(0, slash)}" is not a host name (letters, digits, dots and dashes; no port, no scheme)`);
    host = h;
    rest = rest.slice(slash);
  }
  if (/[?#]/.test(rest)) throw fail('a route is a path: no query string or fragment');

  const parts = rest.split('/').slice(1);
  // One trailing slash is the same route (`/status/` is `/status`); `//` inside is refused.
  if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  const segments: Segment[] = [];
  let isPrefix = false;
  parts.forEach((part, i) => {
    const last = i === parts.length - 1;
    if (part === '') {
      if (parts.length === 1) return; // "/" alone: no segments
      throw fail('empty path segment ("//")');
    }
    if (part === '*') {
      if (last) isPrefix = true;
      else segments.push({ kind: 'any' });
      return;
    }
    const param = PARAM.exec(part);
    if (param) {
      segments.push({ kind: 'param', name: param[1]! });
      return;
    }
    if (part.includes('<') || part.includes('>')) throw fail(`"${part}": a parameter is a whole segment, <name> with letters, digits or _`);
    if (part.includes('*')) throw fail(`"${part}": "*" is a whole segment (one segment, or everything below when last)`);
    let decoded: string;
    try {
      decoded = decodeURIComponent(part);
    } catch {
      throw fail(`"${part}" holds a malformed percent-escape`);
    }
    if (decoded === '.' || decoded === '..') throw fail('"." and ".." segments are resolved by the edge before matching; name the real path');
    if (!LITERAL.test(decoded)) throw fail(`"${part}" holds characters a route literal may not (letters, digits and . _ ~ ! $ & ' ( ) + , ; = : @ -)`);
    segments.push({ kind: 'literal', value: decoded });
  });
  const route: Route = { text: '', methods, host, segments, rest: isPrefix };
  route.text = formatRoute(route);
  return route;
}

export function formatRoute(r: Omit<Route, 'text'>): string {
  const path =
    r.segments.map((s) => `/${s.kind === 'literal' ? s.value : s.kind === 'param' ? `<${s.name}>` : '*'}`).join('') + (r.rest ? '/*' : '') || '/';
  return `${r.methods ? `${r.methods.join(',')} ` : ''}${r.host ?? ''}${path}`;
}

/** Splits a routes input (newlines, commas between routes are not allowed: commas belong to methods). */
export function parseRoutes(raw: unknown, field = 'routes'): Route[] {
  const text = typeof raw === 'string' ? raw : Array.isArray(raw) ? raw.join('\n') : '';
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  if (lines.length === 0) throw new InputError('no route given: one route per line, e.g. /admin/*', { field, code: 'ROUTE_EMPTY' });
  if (lines.length > ROUTE_LIMITS.maxRoutesPerRun) throw new InputError(`${lines.length} routes in one run; at most ${ROUTE_LIMITS.maxRoutesPerRun}`, { field, code: 'ROUTE_TOO_MANY' });
  const out = new Map<string, Route>();
  for (const l of lines) {
    const r = parseRoute(l, field);
    out.set(r.text, r);
  }
  return [...out.values()];
}

function clip(s: string): string {
  const printable = s.replace(/[\u0000-\u001f\u007f]/g, '?');
  return printable.length > 80 ? `${printable.slice(0, 77)}...` : printable;
}
