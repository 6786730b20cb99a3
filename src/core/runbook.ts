import { dirname as posixDirname, join as posixJoin } from 'node:path/posix';
import { LineCounter, parseDocument } from 'yaml';
import * as z from 'zod/mini';
import './config/zod-messages.js';

/**
 * Runbooks are Markdown with YAML front matter. A runbook is tested, not trusted: every step it
 * names must exist as a firebreak command, every workflow or action it links must exist, and it
 * must have been reviewed recently. This module is pure: the caller supplies what exists.
 */

const slug = z.string().check(z.regex(/^[a-z0-9][a-z0-9-]*$/, 'a step slug, kebab-case'));

/**
 * One operational action the source runbook asks for, in our own words, mapped to the capability
 * that does it or marked manual with the reason a machine cannot (a legal judgement, a human call).
 */
export const runbookAction = z
  .strictObject({
    id: slug,
    does: z.string().check(z.minLength(1)),
    capability: z.optional(slug),
    manual: z.optional(z.string().check(z.minLength(10, 'say why it cannot be automated (at least 10 characters)'))),
    /** The capability exists but not this part of it yet: counted as a gap, with what to do meanwhile. */
    pending: z.optional(z.string().check(z.minLength(10))),
  })
  .check(
    z.refine((a) => (a.capability === undefined) !== (a.manual === undefined), {
      message: 'an action names exactly one of `capability` (the step that does it) or `manual` (why it cannot be automated)',
    }),
  );

/** A step the runbook drill runs, in order, with the inputs a responder would give. */
export const runbookDrillStep = z.strictObject({
  step: slug,
  with: z._default(z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.array(z.string())])), {}),
  /** `ok` (the default) or the error code the step must refuse with (a guard the runbook relies on). */
  expect: z._default(z.string().check(z.regex(/^(ok|[A-Z][A-Z0-9_]*)$/, 'ok or an error code')), 'ok'),
  /** Action ids this step exercises, beyond those mapped to the same capability. */
  covers: z.optional(z.array(slug)),
  /** Drill-clock time since the previous step (`30m`, `2h`; default 2m): lets a tick see an overdue ack. */
  after: z.optional(z.string().check(z.regex(/^\d{1,6}[mhdw]$/, 'a duration such as 30m, 2h or 1d'))),
});

export const runbookFrontMatter = z.strictObject({
  title: z.string().check(z.minLength(1)),
  owner: z.string().check(z.minLength(1)),
  /** The prose runbook this one was made from (a file name; never read at build or test time). */
  source: z.optional(z.string().check(z.minLength(1))),
  /** Severities this runbook is for, in the configured scheme's labels (e.g. SEV0, P1). */
  severities: z.optional(z.array(z.string().check(z.minLength(1)))),
  /** ISO date of the last human review. */
  last_reviewed: z.iso.date(),
  review_every_days: z._default(z.int().check(z.positive()), 180),
  /** ISO date of the last green drill; stamped by the scheduled drill's pull request, never by hand. */
  last_tested: z.optional(z.iso.date()),
  /** A runbook not drilled green within this many days fails the check (when it has a drill). */
  test_every_days: z._default(z.int().check(z.positive()), 14),
  /** The firebreak steps this runbook drives, by slug, in order. */
  steps: z.array(slug).check(z.minLength(1)),
  actions: z.optional(z.array(runbookAction)),
  drill: z.optional(z.array(runbookDrillStep)),
  /**
   * The organisation's firebreak.yml the drill runs with (severity scheme, roster, regimes, health
   * checks), relative to the runbook; fixtures point its endpoints at the emulators.
   */
  drill_config: z.optional(z.string().check(z.regex(/^(?!\/)(?!.*(?:^|\/)\.\.(?:\/|$))[A-Za-z0-9._/-]+\.ya?ml$/, 'a relative path to a .yml file, beside or below the runbook'))),
  /** Where the drill clock starts (default: 30 minutes after the latest time the plan names). */
  drill_start: z.optional(z.iso.datetime({ offset: true })),
});

export type RunbookFrontMatter = z.infer<typeof runbookFrontMatter>;

export interface RunbookProblem {
  file: string;
  line: number;
  message: string;
  kind: 'invalid' | 'unknown-step' | 'missing-file' | 'stale' | 'untested' | 'drill-input';
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
  /** Checks a drill step's inputs against the step's own schema; returns the refusal, if any. */
  drillInput?: (step: string, input: Readonly<Record<string, unknown>>) => string | undefined;
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
    const ids = new Set<string>();
    for (const a of fm.actions ?? []) {
      if (ids.has(a.id)) problems.push({ file, line: 1, kind: 'invalid', message: `action id "${a.id}" is used twice` });
      ids.add(a.id);
    }
    (fm.drill ?? []).forEach((d, i) => {
      if (!world.commands.has(d.step)) problems.push({ file, line: 1, kind: 'unknown-step', message: `drill step ${i + 1} runs "${d.step}", which is not a firebreak command` });
      else {
        const refused = world.drillInput?.(d.step, d.with);
        if (refused) problems.push({ file, line: 1, kind: 'drill-input', message: `drill step ${i + 1} (${d.step}): ${refused}` });
      }
      for (const c of d.covers ?? []) if (!ids.has(c)) problems.push({ file, line: 1, kind: 'invalid', message: `drill step ${i + 1} covers "${c}", which is not an action id of this runbook` });
    });
    if (fm.drill_config && !world.exists(posixJoin(posixDirname(file), fm.drill_config))) {
      problems.push({ file, line: 1, kind: 'missing-file', message: `drill_config ${fm.drill_config} does not exist beside the runbook` });
    }
    if (fm.drill?.length) {
      const tested = fm.last_tested ? Math.floor((world.today.getTime() - new Date(`${fm.last_tested}T00:00:00Z`).getTime()) / 86_400_000) : undefined;
      if (tested === undefined) problems.push({ file, line: 1, kind: 'untested', message: 'never drilled green: no last_tested (the scheduled drill stamps it)' });
      else if (tested > fm.test_every_days) problems.push({ file, line: 1, kind: 'untested', message: `last drilled green ${fm.last_tested}, ${tested} days ago (drill every ${fm.test_every_days})` });
    }
    const reviewed = new Date(`${fm.last_reviewed}T00:00:00Z`).getTime();
    const ageDays = Math.floor((world.today.getTime() - reviewed) / 86_400_000);
    if (ageDays > fm.review_every_days) {
      problems.push({ file, line: 1, kind: 'stale', message: `last reviewed ${fm.last_reviewed}, ${ageDays} days ago (review every ${fm.review_every_days})` });
    }
  }
  return problems;
}
