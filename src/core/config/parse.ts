import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import './zod-messages.js';
import { ConfigError, type ConfigProblem } from '../errors.js';
import { configSchema, type FirebreakConfig } from './schema.js';

/**
 * Parses and validates `firebreak.yml` text. Every problem names file:line:column and the dotted
 * field path, so a responder can fix the config without reading the schema.
 */
export function parseConfig(text: string, file = 'firebreak.yml'): FirebreakConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const problems: ConfigProblem[] = [];
  for (const e of doc.errors) {
    const pos = lineCounter.linePos(e.pos[0]);
    problems.push({ file, line: pos.line, column: pos.col, field: '', message: e.message.split('\n')[0] ?? e.message });
  }
  if (problems.length) throw configError(file, problems);

  const data: unknown = doc.toJS() ?? {};
  const parsed = configSchema.safeParse(data);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) problems.push(problemFor(doc, lineCounter, file, issue));
  throw configError(file, problems);
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
