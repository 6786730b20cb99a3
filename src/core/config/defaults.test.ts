import { describe, expect, it } from 'vitest';
import { defaultConfig } from './defaults.js';
import { parseConfig } from './parse.js';

describe('defaultConfig', () => {
  it('is exactly what the schema makes of an empty firebreak.yml', () => {
    expect(defaultConfig()).toStrictEqual(parseConfig('version: 1\n', '(defaults)'));
  });

  it('hands out a copy: changing one run config leaves the next one alone', () => {
    const first = defaultConfig();
    first.protected_ranges.push('10.0.0.0/8');
    first.incident.warn_before_hours.push(1);
    expect(defaultConfig()).toStrictEqual(parseConfig('version: 1\n', '(defaults)'));
  });
});
