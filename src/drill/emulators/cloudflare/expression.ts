import ipaddr from 'ipaddr.js';

/**
 * A parser and evaluator for the subset of Cloudflare's Rules language firebreak writes, so the
 * emulator refuses what Cloudflare would refuse (an unknown field, an unknown function, `matches`
 * on a plan without regex) and tests can ask what a rule really matches.
 *
 * Names come from Cloudflare's published references: the fields reference
 * (developers.cloudflare.com/ruleset-engine/rules-language/fields/reference/), the functions
 * reference (…/rules-language/functions/) and the operators page (…/rules-language/operators/).
 * Only a subset is listed: an expression using anything else is refused here even if Cloudflare
 * would take it, which keeps firebreak on fields someone has checked.
 */

type FieldType = 'string' | 'bytes' | 'int' | 'bool' | 'ip';

export const DOCUMENTED_FIELDS: Readonly<Record<string, FieldType>> = {
  'http.host': 'string',
  'http.request.uri': 'string',
  'http.request.uri.path': 'string',
  'http.request.uri.path.extension': 'string',
  'http.request.uri.query': 'string',
  'http.request.full_uri': 'string',
  'http.request.method': 'string',
  'http.request.version': 'string',
  'http.user_agent': 'string',
  'http.referer': 'string',
  'http.cookie': 'string',
  'http.x_forwarded_for': 'string',
  'raw.http.request.uri.path': 'string',
  'raw.http.request.uri.query': 'string',
  'ip.src': 'ip',
  'ip.src.country': 'string',
  'ip.src.asnum': 'int',
  'ip.geoip.country': 'string',
  'ip.geoip.asnum': 'int',
  'cf.colo.id': 'int',
  'cf.bot_management.verified_bot': 'bool',
  'cf.client.bot': 'bool',
  'cf.threat_score': 'int',
  'cf.edge.server_port': 'int',
  ssl: 'bool',
};

/** Functions usable in filter expressions, with their arity (min, max). */
export const DOCUMENTED_FUNCTIONS: Readonly<Record<string, [number, number]>> = {
  any: [1, 1],
  all: [1, 1],
  concat: [1, 16],
  ends_with: [2, 2],
  starts_with: [2, 2],
  len: [1, 1],
  lower: [1, 1],
  upper: [1, 1],
  url_decode: [1, 2],
};

const COMPARISONS = new Set(['eq', 'ne', 'lt', 'le', 'gt', 'ge', '==', '!=', '<', '<=', '>', '>=', 'contains', 'matches', '~', 'wildcard', 'strict wildcard', 'in']);

export type Node =
  | { t: 'or' | 'and' | 'xor'; a: Node; b: Node }
  | { t: 'not'; a: Node }
  | { t: 'bool'; v: boolean }
  | { t: 'field'; name: string }
  | { t: 'call'; name: string; args: Value[] }
  | { t: 'cmp'; op: string; left: Value; right: Value };

type Value = { t: 'field'; name: string } | { t: 'call'; name: string; args: Value[] } | { t: 'str'; v: string } | { t: 'int'; v: number } | { t: 'set'; items: Value[] } | { t: 'list'; name: string } | { t: 'ip'; v: string };

export class ExpressionError extends Error {}

export interface ParseOptions {
  /** `matches` / `~` need a Business or Enterprise plan. */
  allowRegex: boolean;
}

interface Token {
  k: 'word' | 'str' | 'num' | 'ip' | 'op' | 'punct' | 'list';
  v: string;
}

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '"') {
      let v = '';
      i++;
      for (;;) {
        if (i >= src.length) throw new ExpressionError('filter parsing error: unterminated string');
        const d = src[i]!;
        if (d === '\\') {
          const e = src[i + 1];
          if (e !== '"' && e !== '\\') throw new ExpressionError(`filter parsing error: invalid escape \\${e ?? ''} in a string (only \\" and \\\\)`);
          v += e;
          i += 2;
          continue;
        }
        if (d === '"') break;
        v += d;
        i++;
      }
      i++;
      out.push({ k: 'str', v });
      continue;
    }
    if (c === '$') {
      const m = /^\$([a-z0-9_]+)/.exec(src.slice(i));
      if (!m) throw new ExpressionError('filter parsing error: "$" must start a list name');
      out.push({ k: 'list', v: m[1]! });
      i += m[0].length;
      continue;
    }
    const ip = /^(?:\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}|[0-9a-fA-F]*:[0-9a-fA-F:.]+)(?:\/\d{1,3})?/.exec(src.slice(i));
    if (ip && (ip[0].includes('.') || ip[0].includes(':')) && /^\d|:|[a-f]/i.test(c) && (ip[0].split('.').length === 4 || ip[0].includes(':'))) {
      out.push({ k: 'ip', v: ip[0] });
      i += ip[0].length;
      continue;
    }
    const num = /^\d+/.exec(src.slice(i));
    if (num) {
      out.push({ k: 'num', v: num[0] });
      i += num[0].length;
      continue;
    }
    const word = /^[a-z_][a-z0-9_.]*/i.exec(src.slice(i));
    if (word) {
      out.push({ k: 'word', v: word[0] });
      i += word[0].length;
      continue;
    }
    const op = /^(?:==|!=|<=|>=|&&|\|\||\^\^|<|>|~|!)/.exec(src.slice(i));
    if (op) {
      out.push({ k: 'op', v: op[0] });
      i += op[0].length;
      continue;
    }
    if ('(){},'.includes(c)) {
      out.push({ k: 'punct', v: c });
      i++;
      continue;
    }
    throw new ExpressionError(`filter parsing error: unexpected character ${JSON.stringify(c)}`);
  }
  return out;
}

export function parseExpression(src: string, opts: ParseOptions): Node {
  const toks = tokenize(src);
  let p = 0;
  const peek = () => toks[p];
  const is = (v: string) => peek()?.v === v && peek()?.k !== 'str';
  const take = () => {
    const t = toks[p++];
    if (!t) throw new ExpressionError('filter parsing error: unexpected end of expression');
    return t;
  };
  const expect = (v: string) => {
    const t = take();
    if (t.v !== v || t.k === 'str') throw new ExpressionError(`filter parsing error: expected "${v}", found ${JSON.stringify(t.v)}`);
  };

  const value = (): Value => {
    const t = take();
    if (t.k === 'str') return { t: 'str', v: t.v };
    if (t.k === 'num') return { t: 'int', v: Number(t.v) };
    if (t.k === 'ip') {
      const [addr, prefix] = t.v.split('/');
      if (!ipaddr.isValid(addr!) || (prefix !== undefined && !ipaddr.isValidCIDR(t.v))) throw new ExpressionError(`filter parsing error: invalid IP ${t.v}`);
      return { t: 'ip', v: t.v };
    }
    if (t.k === 'list') return { t: 'list', name: t.v };
    if (t.k === 'punct' && t.v === '{') {
      const items: Value[] = [];
      while (!is('}')) items.push(value());
      expect('}');
      if (items.length === 0) throw new ExpressionError('filter parsing error: empty set');
      return { t: 'set', items };
    }
    if (t.k === 'word') {
      if (is('(')) {
        const arity = DOCUMENTED_FUNCTIONS[t.v];
        if (!arity) throw new ExpressionError(`filter parsing error: unknown function "${t.v}"`);
        expect('(');
        const args: Value[] = [];
        while (!is(')')) {
          args.push(value());
          if (is(',')) take();
          else break;
        }
        expect(')');
        if (args.length < arity[0] || args.length > arity[1]) throw new ExpressionError(`filter parsing error: ${t.v}() takes ${arity[0]}–${arity[1]} arguments, got ${args.length}`);
        const first = args[0]!;
        if (first.t !== 'field' && first.t !== 'call') throw new ExpressionError(`filter parsing error: the first argument of ${t.v}() must be a field or a function, not a literal`);
        return { t: 'call', name: t.v, args };
      }
      if (!(t.v in DOCUMENTED_FIELDS)) throw new ExpressionError(`filter parsing error: unknown field "${t.v}"`);
      return { t: 'field', name: t.v };
    }
    throw new ExpressionError(`filter parsing error: unexpected ${JSON.stringify(t.v)}`);
  };

  const primary = (): Node => {
    if (is('(')) {
      take();
      const inner = or();
      expect(')');
      return inner;
    }
    if (peek()?.k === 'word' && (peek()!.v === 'true' || peek()!.v === 'false')) return { t: 'bool', v: take().v === 'true' };
    const left = value();
    if (left.t !== 'field' && left.t !== 'call') throw new ExpressionError('filter parsing error: a comparison starts with a field or a function');
    let op = peek()?.k === 'word' || peek()?.k === 'op' ? peek()!.v : '';
    if (op === 'strict' && toks[p + 1]?.v === 'wildcard') {
      take();
      op = 'strict wildcard';
    }
    if (!COMPARISONS.has(op)) {
      if (left.t === 'field' && DOCUMENTED_FIELDS[left.name] !== 'bool') throw new ExpressionError(`filter parsing error: ${left.name} is not a boolean; compare it`);
      return left;
    }
    take();
    if ((op === 'matches' || op === '~') && !opts.allowRegex) throw new ExpressionError('not entitled: the regex operator "matches" needs a Business or Enterprise plan');
    const right = value();
    if (op === 'in' && right.t !== 'set' && right.t !== 'list') throw new ExpressionError('filter parsing error: "in" needs a set {…} or a list $name');
    if (op === 'matches' || op === '~') {
      if (right.t !== 'str') throw new ExpressionError('filter parsing error: "matches" needs a string');
      try {
        new RegExp(right.v);
      } catch (e) {
        throw new ExpressionError(`filter parsing error: invalid regex: ${(e as Error).message}`);
      }
    }
    return { t: 'cmp', op, left, right };
  };
  const not = (): Node => {
    if (is('not') || is('!')) {
      take();
      return { t: 'not', a: not() };
    }
    return primary();
  };
  const chain = (next: () => Node, words: string[], t: 'and' | 'or' | 'xor') => (): Node => {
    let a = next();
    while (words.some((w) => is(w))) {
      take();
      a = { t, a, b: next() };
    }
    return a;
  };
  const and = chain(not, ['and', '&&'], 'and');
  const xor = chain(and, ['xor', '^^'], 'xor');
  const or = chain(xor, ['or', '||'], 'or');
  const node = or();
  if (p !== toks.length) throw new ExpressionError(`filter parsing error: unexpected ${JSON.stringify(toks[p]!.v)}`);
  return node;
}

/** List names an expression references. */
export function referencedLists(node: Node | Value): string[] {
  switch (node.t) {
    case 'list':
      return [node.name];
    case 'or':
    case 'and':
    case 'xor':
      return [...referencedLists(node.a), ...referencedLists(node.b)];
    case 'not':
      return referencedLists(node.a);
    case 'cmp':
      return [...referencedLists(node.left), ...referencedLists(node.right)];
    case 'call':
      return node.args.flatMap(referencedLists);
    case 'set':
      return node.items.flatMap(referencedLists);
    default:
      return [];
  }
}

/** A request to evaluate against: missing fields read as empty strings / 0 / false. */
export type RequestFields = Partial<Record<string, string | number | boolean>>;

export function evaluate(node: Node, req: RequestFields, lists: (name: string) => string[] = () => []): boolean {
  const val = (v: Value): unknown => {
    switch (v.t) {
      case 'str':
      case 'int':
      case 'ip':
        return v.v;
      case 'field': {
        const type = DOCUMENTED_FIELDS[v.name];
        return req[v.name] ?? (type === 'int' ? 0 : type === 'bool' ? false : '');
      }
      case 'call':
        return call(v.name, v.args.map(val));
      case 'set':
        return v.items.map(val);
      case 'list':
        return lists(v.name);
    }
  };
  const call = (name: string, args: unknown[]): unknown => {
    const s = String(args[0] ?? '');
    switch (name) {
      case 'starts_with':
        return s.startsWith(String(args[1]));
      case 'ends_with':
        return s.endsWith(String(args[1]));
      case 'lower':
        return s.toLowerCase();
      case 'upper':
        return s.toUpperCase();
      case 'len':
        return s.length;
      case 'url_decode':
        return decodeURIComponent(s);
      case 'concat':
        return args.map(String).join('');
      default:
        return Boolean(args[0]);
    }
  };
  const ev = (n: Node): boolean => {
    switch (n.t) {
      case 'or':
        return ev(n.a) || ev(n.b);
      case 'and':
        return ev(n.a) && ev(n.b);
      case 'xor':
        return ev(n.a) !== ev(n.b);
      case 'not':
        return !ev(n.a);
      case 'bool':
        return n.v;
      case 'field':
      case 'call':
        return Boolean(val(n));
      case 'cmp': {
        const l = val(n.left);
        const r = val(n.right);
        switch (n.op) {
          case 'eq':
          case '==':
            return l === r;
          case 'ne':
          case '!=':
            return l !== r;
          case 'contains':
            return String(l).includes(String(r));
          case 'matches':
          case '~':
            return new RegExp(String(r)).test(String(l));
          case 'in':
            return Array.isArray(r) && r.some((x) => (n.right.t === 'list' || n.left.t === 'field' && DOCUMENTED_FIELDS[(n.left as { name: string }).name] === 'ip' ? ipIn(String(l), String(x)) : x === l));
          case 'lt':
          case '<':
            return Number(l) < Number(r);
          case 'le':
          case '<=':
            return Number(l) <= Number(r);
          case 'gt':
          case '>':
            return Number(l) > Number(r);
          case 'ge':
          case '>=':
            return Number(l) >= Number(r);
          default:
            return false;
        }
      }
    }
  };
  return ev(node);
}

function ipIn(addr: string, range: string): boolean {
  try {
    const a = ipaddr.parse(addr);
    if (!range.includes('/')) return a.toString() === ipaddr.parse(range).toString();
    const [r, bits] = ipaddr.parseCIDR(range);
    return a.kind() === r.kind() && a.match(r, bits);
  } catch {
    return false;
  }
}
