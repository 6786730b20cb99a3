import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { publicName } from '../../src/core/inputs.js';
import { capabilityBySlug } from '../../src/capabilities/registry.js';
import { COMMON_INPUTS, COMMON_OUTPUTS } from '../../src/runtime/action-shell.js';

/**
 * Every action follows the same shape, so a responder can trust any of them the same way:
 * action.yml (node24, its bundle ../../dist/<slug>.js from the one shared build, the capability's
 * schema inputs plus the common inputs and outputs, dry-run by default), its README, and an
 * index.ts entry without domain branches (the capability's folder holds the step).
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
    const cap = capabilityBySlug(slug);

    it('is a registered capability with action.yml, README.md and index.ts, and no bundle of its own', () => {
      expect(cap?.action, `${slug} in src/capabilities/registry.ts with action: true`).toBe(true);
      for (const f of ['action.yml', 'README.md', 'index.ts']) expect(existsSync(join(dir, f)), f).toBe(true);
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
      // An action that creates its incident (declare) derives the id; it takes none.
      const common = Object.values(COMMON_INPUTS).filter((n) => !(n === COMMON_INPUTS.incidentId && cap?.incident === 'creates'));
      for (const name of common) expect(Object.keys(m.inputs ?? {}), name).toContain(name);
      for (const name of Object.values(COMMON_OUTPUTS)) expect(Object.keys(m.outputs ?? {}), name).toContain(name);
      expect(['false', '', undefined]).toContain(m.inputs?.[COMMON_INPUTS.apply]?.default);
      expect(m.inputs?.[COMMON_INPUTS.apply]?.required ?? false).toBe(false);
    });

    it('declares exactly its schema inputs plus the common inputs', () => {
      const own = Object.entries(cap?.inputs ?? {}).map(([k, f]) => publicName(k, f));
      const common = Object.values(COMMON_INPUTS).filter((n) => !(n === COMMON_INPUTS.incidentId && cap?.incident === 'creates'));
      expect(Object.keys(meta().inputs ?? {}).sort()).toEqual([...new Set([...own, ...common])].sort());
    });

    it('keeps index.ts free of domain branches', () => {
      const entry = readFileSync(join(dir, 'index.ts'), 'utf8');
      expect(entry).not.toMatch(/\bif\s*\(|\bswitch\s*\(|\?\s*[^:]+:/);
      expect(entry).toMatch(/runCapabilityAction\(capability\)/);
    });
  });
});
