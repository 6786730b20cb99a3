import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { parseConfig } from './parse.js';

function problems(text: string) {
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
