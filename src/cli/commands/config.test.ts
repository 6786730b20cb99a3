import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../../core/errors.js';
import { memoryIo } from '../io.js';
import { main } from '../main.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fb-config-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function check(yaml: string, extra: string[] = []) {
  await writeFile(join(dir, 'firebreak.yml'), yaml);
  const io = memoryIo({}, dir);
  const code = await main(['config', 'check', ...extra], io);
  return { code, out: io.out.join('\n'), err: io.err.join('\n'), errLines: io.err };
}

describe('firebreak config check', () => {
  it('prints an OK summary for a valid file', async () => {
    const r = await check('version: 1\nproject:\n  name: shop\nprotected_ranges: [10.0.0.0/8]\n');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^ok firebreak\.yml: version 1, project shop, .*protected_ranges 1 entry/);
  });

  it('firebreak.example.yml documents every top-level section of the schema', async () => {
    const { parse } = await import('yaml');
    const { configSchema } = await import('../../core/config/schema.js');
    const { readFile } = await import('node:fs/promises');
    const example = parse(await readFile(new URL('../../../firebreak.example.yml', import.meta.url), 'utf8')) as Record<string, unknown>;
    expect(Object.keys(example).sort()).toEqual(Object.keys(configSchema.shape).sort());
  });

  it('accepts the shipped firebreak.example.yml', async () => {
    const io = memoryIo({}, process.cwd());
    const code = await main(['config', 'check', new URL('../../../firebreak.example.yml', import.meta.url).pathname], io);
    expect(io.err).toEqual([]);
    expect(code).toBe(0);
  });

  const cases: Array<[string, string, string]> = [
    ['a wrong type', 'version: 1\nlimits:\n  max_changes_per_run: "ten"\n', 'firebreak.yml:3:24 limits.max_changes_per_run: '],
    ['an unknown key', 'version: 1\nproject:\n  name: x\n  colour: red\n', 'firebreak.yml:4:3 project.colour: unknown field "colour"'],
    ['an unknown top-level key', 'version: 1\nprotectd_ranges: []\n', 'firebreak.yml:2:1 protectd_ranges: unknown field "protectd_ranges"'],
    ['a bad CIDR in protected_ranges', 'version: 1\nprotected_ranges:\n  - 10.0.0.0/8\n  - 300.1.1.0/24\n', 'firebreak.yml:4:5 protected_ranges.1: "300.1.1.0/24" is not an IP address or CIDR'],
    ['an octal-looking protected range', 'version: 1\nprotected_ranges:\n  - 198.051.100.0/24\n', 'firebreak.yml:3:5 protected_ranges.0: "198.051.100.0/24" has an octet with a leading zero'],
    ['a bad CIDR inside a labelled range', 'version: 1\nprotected_ranges:\n  - cidr: 10.0.0.0/33\n    label: vpn\n', 'firebreak.yml:3:11 protected_ranges.0.cidr: "10.0.0.0/33" has an invalid prefix length'],
    ['a YAML syntax error', 'version: 1\nproject:\n  name: a: b\n', 'firebreak.yml:3:9 : Nested mappings are not allowed'],
    // The YAML parser notices an unterminated quote where the file ends: that is the position it names.
    ['an unterminated quote', 'version: 1\nproject:\n  name: "unterminated\n', 'firebreak.yml:4:1 : Missing closing "quote'],
    ['a duplicate key', 'version: 1\nversion: 1\n', 'firebreak.yml:2:1 '],
    ['the wrong version', 'version: 2\n', 'firebreak.yml:1:10 version: '],
  ];
  for (const [name, yaml, expected] of cases) {
    it(`names file:line:col and field for ${name}; exit 2`, async () => {
      const r = await check(yaml);
      expect(r.code).toBe(EXIT_CODES.input);
      expect(r.errLines[0]).toContain(expected);
      expect(r.err).toMatch(/error CONFIG_INVALID: \d+ problem\(s\) in firebreak\.yml/);
    });
  }

  it('lists every problem, one line each', async () => {
    const r = await check('version: 1\nlimits:\n  max_changes_per_run: 0\nprotected_ranges: [nope]\nextra: 1\n');
    expect(r.errLines.filter((l) => /^firebreak\.yml:\d+:\d+ /.test(l))).toHaveLength(3);
  });

  it('--json returns the problems with positions', async () => {
    const r = await check('version: 1\nprotected_ranges: [nope]\n', ['--json']);
    expect(r.code).toBe(EXIT_CODES.input);
    expect(JSON.parse(r.out)).toMatchObject({ ok: false, error: { code: 'CONFIG_INVALID', problems: [{ line: 2, column: 20, field: 'protected_ranges.0' }] } });
  });

  it('a missing file is a config error with a hint to copy the example', async () => {
    const io = memoryIo({}, dir);
    expect(await main(['config', 'check', 'nope.yml'], io)).toBe(EXIT_CODES.input);
    expect(io.err.join('\n')).toMatch(/cannot read nope\.yml: file not found\nhint: Copy firebreak\.example\.yml/);
  });

  it('FIREBREAK_CONFIG names the default file', async () => {
    await writeFile(join(dir, 'other.yml'), 'version: 1\n');
    const io = memoryIo({ FIREBREAK_CONFIG: 'other.yml' }, dir);
    expect(await main(['config', 'check'], io)).toBe(0);
    expect(io.out[0]).toMatch(/^ok other\.yml/);
  });
});
