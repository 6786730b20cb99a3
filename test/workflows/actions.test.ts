import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { COMMON_INPUTS, COMMON_OUTPUTS } from '../../src/runtime/action-shell.js';

/**
 * Every action follows the same shape, so a responder can trust any of them the same way:
 * action.yml (node24, its bundle ../../dist/<slug>.js from the one shared build, the common inputs
 * and outputs, dry-run by default),
 * inputs.ts with one INPUTS constants object matching action.yml, main.ts without domain branches.
 */
const ROOT = resolve(import.meta.dirname, '..', '..');
const slugs = readdirSync(join(ROOT, 'actions'), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

interface ActionYml {
  runs?: { using?: string; main?: string };
  inputs?: Record<string, { default?: string; required?: boolean }>;
  outputs?: Record<string, unknown>;
}

describe('actions', () => {
  it('include preflight', () => {
    expect(slugs).toContain('preflight');
  });

  describe.each(slugs)('actions/%s', (slug) => {
    const dir = join(ROOT, 'actions', slug);
    const meta = () => parse(readFileSync(join(dir, 'action.yml'), 'utf8')) as ActionYml;

    it('has action.yml, inputs.ts, main.ts and index.ts, and no bundle of its own', () => {
      for (const f of ['action.yml', 'inputs.ts', 'main.ts', 'index.ts']) expect(existsSync(join(dir, f)), f).toBe(true);
      // Bundles live in the shared top-level dist/ (scripts/build.mjs); a per-action one is stale.
      expect(existsSync(join(dir, 'dist')), `actions/${slug}/dist`).toBe(false);
    });

    it('runs its entry of the shared bundle on node24', () => {
      expect(meta().runs).toEqual({ using: 'node24', main: `../../dist/${slug}.js` });
      // The path GitHub resolves from the action's folder in the checkout of OWNER/firebreak@SHA.
      expect(existsSync(resolve(dir, meta().runs!.main!)), meta().runs!.main).toBe(true);
    });

    it('declares the common inputs and outputs, and is a dry run by default', () => {
      const m = meta();
      for (const name of Object.values(COMMON_INPUTS)) expect(Object.keys(m.inputs ?? {}), name).toContain(name);
      for (const name of Object.values(COMMON_OUTPUTS)) expect(Object.keys(m.outputs ?? {}), name).toContain(name);
      expect(['false', '', undefined]).toContain(m.inputs?.[COMMON_INPUTS.apply]?.default);
      expect(m.inputs?.[COMMON_INPUTS.apply]?.required ?? false).toBe(false);
    });

    it('declares exactly its INPUTS constants plus the common inputs', async () => {
      const mod = (await import(pathToFileURL(join(dir, 'inputs.ts')).href)) as { INPUTS?: Record<string, string> };
      expect(mod.INPUTS, 'inputs.ts must export an INPUTS constants object').toBeTypeOf('object');
      const own = Object.values(mod.INPUTS ?? {});
      const declared = Object.keys(meta().inputs ?? {}).sort();
      expect(declared).toEqual([...new Set([...own, ...Object.values(COMMON_INPUTS)])].sort());
    });

    it('keeps main.ts free of domain branches', () => {
      const main = readFileSync(join(dir, 'main.ts'), 'utf8');
      expect(main).not.toMatch(/\bif\s*\(|\bswitch\s*\(|\?\s*[^:]+:/);
      expect(main).toMatch(/runAction\(/);
    });
  });
});
