import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

/**
 * What an adopter relies on outside the code: who reviews production paths, how pinned actions stay
 * current, and that every third-party action says which release its SHA is.
 */
const ROOT = resolve(import.meta.dirname, '..', '..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

describe('repository hygiene', () => {
  it('CODEOWNERS names an owner for runbooks, workflows, infra, actions and firebreak.yml', () => {
    const rules = read('.github/CODEOWNERS')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => l.split(/\s+/));
    const owned = new Map(rules.filter((r) => r.length >= 2 && r.slice(1).every((o) => /^@[\w-]+(\/[\w-]+)?$/.test(o))).map((r) => [r[0]!, r.slice(1)]));
    for (const path of ['/runbooks/', '/.github/workflows/', '/infra/', '/actions/', '/firebreak.yml']) {
      expect(owned.get(path), path).toEqual([expect.stringMatching(/^@/)]);
    }
  });

  it('dependabot watches GitHub Actions and npm', () => {
    const config = parse(read('.github/dependabot.yml')) as { version: number; updates: { 'package-ecosystem': string; directory: string }[] };
    expect(config.version).toBe(2);
    expect(config.updates.map((u) => `${u['package-ecosystem']} ${u.directory}`).sort()).toEqual(['github-actions /', 'npm /']);
  });

  it('every third-party uses: in a workflow is a SHA with its release in a comment', () => {
    const dir = join(ROOT, '.github', 'workflows');
    const lines = readdirSync(dir)
      .filter((f) => f.endsWith('.yml'))
      .flatMap((f) => read(`.github/workflows/${f}`).split('\n').map((line, i) => ({ at: `${f}:${i + 1}`, line })))
      .filter(({ line }) => /^\s*(-\s+)?uses:\s+[^.\s]/.test(line));
    expect(lines.length).toBeGreaterThan(0);
    const bad = lines.filter(({ line }) => !/uses:\s+[\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+\s*$/.test(line));
    expect(bad.map((b) => `${b.at}: ${b.line.trim()}`)).toEqual([]);
  });

  it('LICENSE is the Apache-2.0 text package.json declares', () => {
    expect((JSON.parse(read('package.json')) as { license: string }).license).toBe('Apache-2.0');
    const license = read('LICENSE');
    expect(license).toContain('Apache License\n                           Version 2.0, January 2004');
    expect(license).toContain('END OF TERMS AND CONDITIONS');
  });
});
