import { isNode, LineCounter, parseDocument, visit, type Alias, type Document } from 'yaml';
import type { z } from 'zod';
import './zod-messages.js';
import { ConfigError, type ConfigProblem } from '../errors.js';
import { configSchema, type FirebreakConfig } from './schema.js';
import { CONFIG_LIMITS, decodeUtf8, nestedTooDeeply, structuralProblems, tooLarge } from './limits.js';

export { CONFIG_LIMITS } from './limits.js';

/**
 * Parses and validates `firebreak.yml` text. Every problem names file:line:column and the dotted
 * field path, so a responder can fix the config without reading the schema.
 */
export function parseConfig(source: string | Uint8Array, file = 'firebreak.yml'): FirebreakConfig {
  const text = textOf(source, file);
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  const problems: ConfigProblem[] = [];
  // Once the parser's own recursion ran out of stack, the errors after it are echoes of that one.
  const overflow = doc.errors.find((e) => /call stack/i.test(e.message));
  for (const e of overflow ? [overflow] : doc.errors) {
    const pos = lineCounter.linePos(e.pos[0]);
    // The parser's own recursion ran out of stack: the file nests too deeply, say so in those words.
    const message = /call stack/i.test(e.message) ? nestedTooDeeply() : (e.message.split('\n')[0] ?? e.message);
    problems.push({ file, line: pos.line, column: pos.col, field: '', message });
  }
  if (problems.length) throw configError(file, problems);
  const structural = structuralProblems(doc, lineCounter, file);
  if (structural.length) throw configError(file, structural);

  const data: unknown = toJsBounded(doc, lineCounter, file) ?? {};
  const parsed = configSchema.safeParse(data);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) problems.push(problemFor(doc, lineCounter, file, issue));
  throw configError(file, problems);
}

/** Size first (cheap, and before YAML builds anything), then strict UTF-8. */
function textOf(source: string | Uint8Array, file: string): string {
  if (typeof source === 'string') {
    // A string's UTF-8 size is at least its length, so only a short one needs encoding to measure.
    const bytes = source.length > CONFIG_LIMITS.maxBytes ? source.length : new TextEncoder().encode(source).length;
    if (bytes > CONFIG_LIMITS.maxBytes) throw configError(file, [tooLarge(file, source.length > CONFIG_LIMITS.maxBytes ? 'more' : bytes)]);
    return source;
  }
  if (source.length > CONFIG_LIMITS.maxBytes) throw configError(file, [tooLarge(file, 'more')]);
  const decoded = decodeUtf8(source, file);
  if (typeof decoded !== 'string') throw configError(file, [decoded]);
  return decoded;
}

/**
 * `toJS` with yaml's alias limit. Its error (a ReferenceError) says neither where nor which limit;
 * on that path only, convert again with each alias watched, to name the alias that crossed it.
 */
function toJsBounded(doc: Document, lc: LineCounter, file: string): unknown {
  const maxAliasCount = CONFIG_LIMITS.maxAliasCount;
  try {
    return doc.toJS({ maxAliasCount });
  } catch (error) {
    if (!(error instanceof ReferenceError) || !/alias/i.test(error.message)) throw error;
    const culprit = aliasThatFails(doc, maxAliasCount);
    const pos = lc.linePos(culprit?.range?.[0] ?? 0);
    const what = culprit ? `alias *${culprit.source}` : 'an alias';
    const message = /excessive/i.test(error.message)
      ? `${what} expands its anchor too often: aliases may repeat anchored content at most ${maxAliasCount} times in total (nested aliases multiply); write the values out instead`
      : `${what}: ${error.message}`;
    throw configError(file, [{ file, line: pos.line, column: pos.col, field: '', message }]);
  }
}

function aliasThatFails(doc: Document, maxAliasCount: number): Alias | undefined {
  let culprit: Alias | undefined;
  visit(doc, {
    Alias(_key, node) {
      const own = node.toJSON.bind(node);
      // Innermost first: the alias whose resolution threw is recorded before the ones around it.
      node.toJSON = (arg?: unknown, ctx?: Parameters<Alias['toJSON']>[1]) => {
        try {
          return own(arg, ctx);
        } catch (error) {
          culprit ??= node;
          throw error;
        }
      };
    },
  });
  try {
    doc.toJS({ maxAliasCount });
  } catch {
    // Expected: the same limit is crossed at the same alias.
  }
  return culprit;
}

function problemFor(doc: Document, lc: LineCounter, file: string, issue: z.core.$ZodIssue): ConfigProblem {
  const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
  // Unknown keys are reported on the parent; point at the key itself.
  const keys = issue.code === 'unrecognized_keys' ? (issue as { keys?: string[] }).keys ?? [] : [];
  const fieldPath = keys.length ? [...path, keys[0]!] : path;
  const offset = offsetFor(doc, fieldPath, keys.length > 0);
  const pos = lc.linePos(offset);
  return {
    file,
    line: pos.line,
    column: pos.col,
    field: fieldPath.join('.') || '(root)',
    message: keys.length ? `unknown field "${keys.join('", "')}"` : issue.message,
  };
}

/** Finds the deepest node on the path that exists; for a missing field, its parent. */
function offsetFor(doc: Document, path: (string | number)[], wantKey: boolean): number {
  for (let depth = path.length; depth >= 0; depth--) {
    const sub = path.slice(0, depth);
    if (wantKey && depth === path.length && sub.length > 0) {
      const parent = sub.length > 1 ? doc.getIn(sub.slice(0, -1), true) : doc.contents;
      const pair = findPair(parent, sub[sub.length - 1]!);
      if (pair !== undefined) return pair;
    }
    const node = sub.length === 0 ? doc.contents : doc.getIn(sub, true);
    if (isNode(node) && node.range) return node.range[0];
  }
  return 0;
}

function findPair(parent: unknown, key: string | number): number | undefined {
  const items = (parent as { items?: Array<{ key?: unknown }> } | null)?.items;
  if (!Array.isArray(items)) return undefined;
  for (const item of items) {
    const k = item.key;
    if (isNode(k) && (k as { value?: unknown }).value === key && k.range) return k.range[0];
  }
  return undefined;
}

function configError(file: string, problems: ConfigProblem[]): ConfigError {
  const first = problems[0]!;
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
  const list = problems.map((p) => `${p.file}:${p.line}:${p.column} ${p.field}: ${p.message}`).join('\n');
  return new ConfigError(`${first.file}:${first.line}:${first.column} ${first.field}: ${first.message}${more}`, problems, {
    hint: `Fix firebreak.yml and run \`firebreak config check\`.\n${list}`,
  });
}
