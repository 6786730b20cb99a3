import { LineCounter, parseDocument } from 'yaml';
import * as z from 'zod/mini';
import './config/zod-messages.js';

/**
 * Runbooks are Markdown with YAML front matter. A runbook is tested, not trusted: every step it
 * names must exist as a firebreak command, every workflow or action it links must exist, and it
 * must have been reviewed recently. This module is pure: the caller supplies what exists.
 */

export const runbookFrontMatter = z.strictObject({
  title: z.string().check(z.minLength(1)),
  owner: z.string().check(z.minLength(1)),
  /** Severities this runbook is for, in the configured scheme's labels (e.g. SEV0, P1). */
  severities: z.optional(z.array(z.string().check(z.minLength(1)))),
  /** ISO date of the last human review. */
  last_reviewed: z.iso.date(),
  review_every_days: z._default(z.int().check(z.positive()), 180),
  /** The firebreak steps this runbook drives, by slug, in order. */
  steps: z.array(z.string().check(z.regex(/^[a-z0-9][a-z0-9-]*$/, 'a step slug, kebab-case'))).check(z.minLength(1)),
});

export type RunbookFrontMatter = z.infer<typeof runbookFrontMatter>;

export interface RunbookProblem {
  file: string;
  line: number;
  message: string;
  kind: 'invalid' | 'unknown-step' | 'missing-file' | 'stale';
}

export interface RunbookReferences {
  /** `firebreak <command>` invocations in code spans or blocks, with their line. */
  commands: Array<{ name: string; line: number }>;
  /** Repository paths linked or quoted: `.github/workflows/x.yml`, `actions/x`. */
  paths: Array<{ path: string; line: number }>;
}

export interface ParsedRunbook {
  file: string;
  frontMatter: RunbookFrontMatter | undefined;
  references: RunbookReferences;
  problems: RunbookProblem[];
}

const FENCE = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/;

export function parseRunbook(text: string, file: string): ParsedRunbook {
  const problems: RunbookProblem[] = [];
  const m = FENCE.exec(text);
  let frontMatter: RunbookFrontMatter | undefined;
  if (!m) {
    problems.push({ file, line: 1, kind: 'invalid', message: 'no YAML front matter (--- … ---) at the top' });
  } else {
    const lc = new LineCounter();
    const doc = parseDocument(m[1]!, { lineCounter: lc });
    if (doc.errors.length) {
      const e = doc.errors[0]!;
      problems.push({ file, line: lc.linePos(e.pos[0]).line + 1, kind: 'invalid', message: `front matter: ${e.message.split('\n')[0]}` });
    } else {
      const parsed = runbookFrontMatter.safeParse(doc.toJS());
      if (parsed.success) frontMatter = parsed.data;
      else
        for (const issue of parsed.error.issues) {
          const node = doc.getIn(issue.path as (string | number)[], true) as { range?: [number, number] } | undefined;
          const line = node?.range ? lc.linePos(node.range[0]).line + 1 : 2;
          problems.push({ file, line, kind: 'invalid', message: `front matter ${issue.path.join('.') || '(root)'}: ${issue.message}` });
        }
    }
  }
  return { file, frontMatter, references: extractReferences(text), problems };
}

/** Finds `firebreak <cmd>` in code and repository paths in links and code. */
export function extractReferences(text: string): RunbookReferences {
  const commands: RunbookReferences['commands'] = [];
  const paths: RunbookReferences['paths'] = [];
  const lines = text.split('\n');
  let inFence = false;
  lines.forEach((line, i) => {
    if (/^\s*(```|~~~)/.test(line)) {
      inFence = !inFence;
      return;
    }
    const code = inFence ? [line] : [...line.matchAll(/`([^`]+)`/g)].map((x) => x[1]!);
    for (const c of code) {
      for (const cm of c.matchAll(/(?:^|[\s;&|(])(?:npx\s+)?firebreak\s+([a-z][a-z0-9-]*)/g)) commands.push({ name: cm[1]!, line: i + 1 });
    }
    for (const pm of line.matchAll(/(?:\.\.\/)*(\.github\/workflows\/[A-Za-z0-9_.-]+\.ya?ml|actions\/[a-z0-9-]+)(?![A-Za-z0-9_/-])/g)) {
      paths.push({ path: pm[1]!, line: i + 1 });
    }
  });
  return { commands, paths };
}

export interface RunbookWorld {
  /** Command names the CLI registers (top-level). */
  commands: ReadonlySet<string>;
  /** Whether a repository path exists. */
  exists: (path: string) => boolean;
  today: Date;
}

/** Full check of one runbook against what exists in the repository. */
export function checkRunbook(parsed: ParsedRunbook, world: RunbookWorld): RunbookProblem[] {
  const problems = [...parsed.problems];
  const { file } = parsed;
  for (const step of parsed.frontMatter?.steps ?? []) {
    if (!world.commands.has(step)) problems.push({ file, line: 1, kind: 'unknown-step', message: `front matter names step "${step}", which is not a firebreak command` });
  }
  for (const c of parsed.references.commands) {
    if (!world.commands.has(c.name)) problems.push({ file, line: c.line, kind: 'unknown-step', message: `\`firebreak ${c.name}\` is not a firebreak command` });
  }
  for (const p of parsed.references.paths) {
    if (!world.exists(p.path)) problems.push({ file, line: p.line, kind: 'missing-file', message: `${p.path} does not exist in this repository` });
  }
  const fm = parsed.frontMatter;
  if (fm) {
    const reviewed = new Date(`${fm.last_reviewed}T00:00:00Z`).getTime();
    const ageDays = Math.floor((world.today.getTime() - reviewed) / 86_400_000);
    if (ageDays > fm.review_every_days) {
      problems.push({ file, line: 1, kind: 'stale', message: `last reviewed ${fm.last_reviewed}, ${ageDays} days ago (review every ${fm.review_every_days})` });
    }
  }
  return problems;
}
