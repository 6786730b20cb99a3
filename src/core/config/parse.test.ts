import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { CONFIG_LIMITS, parseConfig } from './parse.js';

function problems(text: string | Uint8Array) {
  try {
    parseConfig(text, 'fb.yml');
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('parseConfig', () => {
  it('fills defaults from `version: 1` alone', () => {
    const c = parseConfig('version: 1\n');
    expect(c.project.name).toBe('firebreak');
    expect(c.limits.max_changes_per_run).toBe(10_000);
    expect(c.protected_ranges).toEqual([]);
  });

  it('accepts protected ranges as strings or {cidr, label}, IPv4 and IPv6', () => {
    const c = parseConfig('version: 1\nprotected_ranges:\n  - 10.0.0.0/8\n  - 2001:db8::/32\n  - {cidr: 192.0.2.1, label: checker}\n');
    expect(c.protected_ranges).toHaveLength(3);
  });

  it('names line, column and dotted field for a wrong type', () => {
    expect(problems('version: 1\nlimits:\n  max_changes_per_run: true\n')).toEqual([
      { file: 'fb.yml', line: 3, column: 24, field: 'limits.max_changes_per_run', message: expect.any(String) },
    ]);
  });

  it('points at the unknown key itself', () => {
    expect(problems('version: 1\nproject:\n  name: a\n  owner: b\n')[0]).toMatchObject({ line: 4, column: 3, field: 'project.owner', message: 'unknown field "owner"' });
  });

  it('names each bad CIDR by index', () => {
    const ps = problems('version: 1\nprotected_ranges:\n  - 10.0.0.0/8\n  - 10.0.0.0/40\n  - fe80::/200\n');
    expect(ps.map((p) => [p.line, p.column, p.field])).toEqual([
      [4, 5, 'protected_ranges.1'],
      [5, 5, 'protected_ranges.2'],
    ]);
  });

  it('reports YAML syntax errors with position and no field', () => {
    const [p] = problems('version: 1\nproject: {name: a\n');
    expect(p).toMatchObject({ file: 'fb.yml', field: '' });
    expect(p!.line).toBeGreaterThanOrEqual(2);
  });

  it('a missing version points at the document', () => {
    expect(problems('project:\n  name: x\n')[0]).toMatchObject({ line: 1, column: 1, field: 'version' });
  });

  it('the error message leads with the first problem and the hint lists all', () => {
    try {
      parseConfig('version: 1\nlimits: {max_changes_per_run: 0}\nextra: 1\n', 'fb.yml');
    } catch (e) {
      const err = e as ConfigError;
      expect(err.message).toMatch(/^fb\.yml:2:\d+ limits\.max_changes_per_run: .* \(and 1 more\)$/);
      expect(err.hint).toContain('fb.yml:3:1 extra: unknown field "extra"');
      return;
    }
    throw new Error('expected a ConfigError');
  });
});

describe('parseConfig: bounded work, clear refusals', () => {
  const bomb = [
    'version: 1',
    'project:',
    '  name: x',
    'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]',
    'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]',
    'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]',
    'd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]',
    'e: [*d, *d, *d, *d, *d, *d, *d, *d, *d]',
    '',
  ].join('\n');

  it('an alias bomb is a ConfigError at the alias that crossed the limit, naming the limit', () => {
    const [p, ...rest] = problems(bomb);
    expect(rest).toEqual([]);
    expect(p).toMatchObject({ file: 'fb.yml', field: '' });
    expect(p!.message).toMatch(/^alias \*[a-d] expands its anchor too often: .* at most 100 times/);
    // The alias named is on the line the problem points at.
    const line = bomb.split('\n')[p!.line - 1]!;
    const name = /alias (\*[a-d])/.exec(p!.message)![1]!;
    expect(line.slice(p!.column - 1).startsWith(name)).toBe(true);
  });

  it('a few aliases are still fine (then the schema speaks)', () => {
    expect(problems('version: 1\nx: &x 10.0.0.0/8\nprotected_ranges: [*x, *x]\n')).toEqual([
      expect.objectContaining({ field: 'x', message: 'unknown field "x"' }),
    ]);
    expect(parseConfig('version: 1\nprotected_ranges:\n  - &x 10.0.0.0/8\n  - *x\n').protected_ranges).toHaveLength(2);
  });

  it('refuses a list longer than the limit at the list, before the schema runs', () => {
    const n = CONFIG_LIMITS.maxItems + 1;
    const text = `version: 1\nprotected_ranges:\n${'  - not-a-cidr\n'.repeat(n)}`;
    // One problem (the length), not 10,001 schema problems about each bad CIDR.
    expect(problems(text)).toEqual([
      { file: 'fb.yml', line: 3, column: 3, field: 'protected_ranges', message: `list has ${n} entries; the limit is ${CONFIG_LIMITS.maxItems} per list or mapping` },
    ]);
    const atLimit = `version: 1\nprotected_ranges:\n${'  - 10.0.0.0/8\n'.repeat(CONFIG_LIMITS.maxItems)}`;
    expect(parseConfig(atLimit).protected_ranges).toHaveLength(CONFIG_LIMITS.maxItems);
  });

  it('refuses a mapping with too many keys, nested, with its dotted path', () => {
    const keys = Array.from({ length: CONFIG_LIMITS.maxItems + 1 }, (_, i) => `    k${i}: [a]`).join('\n');
    const ps = problems(`version: 1\nincident:\n  roster:\n${keys}\n`);
    expect(ps).toEqual([expect.objectContaining({ line: 4, column: 5, field: 'incident.roster', message: expect.stringMatching(/^mapping has 10001 entries; the limit is 10000/) })]);
  });

  it.each([
    ['flow lists', (n: number) => `version: 1\nprotected_ranges: ${'['.repeat(n)}${']'.repeat(n)}\n`],
    ['flow mappings', (n: number) => `version: 1\nincident: ${'{a: '.repeat(n)}1${'}'.repeat(n)}\n`],
    ['block mappings', (n: number) => `version: 1\nincident:\n${Array.from({ length: n }, (_, i) => `${' '.repeat(i + 1)}a:`).join('\n')} 1\n`],
  ])('refuses %s nested past the depth limit, or past what the parser can read, in words, once', (_kind, make) => {
    for (const n of [CONFIG_LIMITS.maxDepth + 1, 300, 1_200]) {
      const ps = problems(make(n));
      expect(ps).toHaveLength(1);
      expect(ps[0]!.message).toMatch(/^nested too deeply: a firebreak\.yml nests lists and mappings at most 64 levels deep$/);
      expect(ps[0]!.line).toBeGreaterThanOrEqual(2);
    }
  });

  it('still refuses duplicate keys, at the second one, with its path', () => {
    expect(problems('version: 1\nlimits:\n  max_changes_per_run: 5\n  max_changes_per_run: 50000\n')).toEqual([
      { file: 'fb.yml', line: 4, column: 3, field: 'limits.max_changes_per_run', message: 'duplicate key "max_changes_per_run": the later value would silently win' },
    ]);
  });

  it('refuses text over the size limit without parsing it (50 MB string)', () => {
    const huge = `version: 1\nprotected_ranges:\n${'  - 10.0.0.0/8\n'.repeat(Math.ceil((50 * 1024 * 1024) / 15))}`;
    expect(problems(huge)).toEqual([
      { file: 'fb.yml', line: 1, column: 1, field: '', message: 'config is more than 1 MiB; the limit is 1 MiB (1048576 bytes). Is this the right file?' },
    ]);
  });

  it('measures the limit in UTF-8 bytes, not characters', () => {
    // 600,000 three-byte characters: under the limit in characters, over it in bytes.
    const text = `version: 1\nproject:\n  name: "${'€'.repeat(600_000)}"\n`;
    expect(text.length).toBeLessThan(CONFIG_LIMITS.maxBytes);
    expect(problems(text)[0]!.message).toMatch(/^config is 1\.7 MiB \(18000\d\d bytes\); the limit is 1 MiB/);
  });

  it('refuses non-UTF-8 bytes with the offset of the first bad byte', () => {
    const head = Buffer.from('version: 1\nproject:\n  name: caf', 'utf8');
    const latin1 = Buffer.concat([head, Buffer.from([0xe9]), Buffer.from('\n')]);
    expect(problems(latin1)).toEqual([
      { file: 'fb.yml', line: 3, column: 12, field: '', message: `not valid UTF-8: byte 0xE9 at byte offset ${head.length}; save the file as UTF-8` },
    ]);
  });

  it('finds the bad byte after literal U+FFFD, multi-byte characters and a BOM', () => {
    const valid = Buffer.from('\uFEFFversion: 1\n# é € 😀 \uFFFD\nproject: {name: x}\n', 'utf8');
    expect(parseConfig(valid).project.name).toBe('x');
    const truncated = Buffer.concat([valid, Buffer.from([0xf0, 0x9f, 0x98])]); // 😀 cut short
    expect(problems(truncated)[0]!.message).toBe(`not valid UTF-8: byte 0xF0 at byte offset ${valid.length}; save the file as UTF-8`);
  });

  it('refuses bytes over the size limit before decoding them', () => {
    const bytes = new Uint8Array(CONFIG_LIMITS.maxBytes + 1).fill(0xff);
    expect(problems(bytes)[0]!.message).toBe('config is more than 1 MiB; the limit is 1 MiB (1048576 bytes). Is this the right file?');
  });
});
