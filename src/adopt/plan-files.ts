import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createTwoFilesPatch } from 'diff';

export interface FileChange {
  /** Relative to the repository root, with forward slashes. */
  path: string;
  action: 'create' | 'update' | 'unchanged';
  before: string | undefined;
  after: string;
}

function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Compares what init would write with what is there; nothing is written here. */
export function planFiles(root: string, files: ReadonlyMap<string, string>): FileChange[] {
  return [...files].map(([path, after]) => {
    const before = readIfExists(join(root, path));
    return { path, before, after, action: before === undefined ? 'create' : before === after ? 'unchanged' : 'update' };
  });
}

/** The plan as a person reviews it: one line per file, then a unified diff of every change. */
export function renderPlan(changes: readonly FileChange[]): string {
  const lines = changes.map((c) => `  ${c.action.padEnd(9)} ${c.path}`);
  const diffs = changes
    .filter((c) => c.action !== 'unchanged')
    .map((c) => createTwoFilesPatch(c.before === undefined ? '/dev/null' : `a/${c.path}`, `b/${c.path}`, c.before ?? '', c.after, undefined, undefined, { context: 3 }).trimEnd());
  return [...lines, ...(diffs.length ? ['', ...diffs] : [])].join('\n');
}

export function applyFiles(root: string, changes: readonly FileChange[]): string[] {
  const written: string[] = [];
  for (const c of changes) {
    if (c.action === 'unchanged') continue;
    const abs = join(root, c.path);
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, c.after);
    written.push(c.path);
  }
  return written;
}
