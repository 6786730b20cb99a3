import { describe, expect, it } from 'vitest';
import { InputError } from './errors.js';
import { defineInputs, publicName, readInputs, secretKeys } from './inputs.js';

const schema = defineInputs({
  addresses: { kind: 'text', description: 'addresses', required: true, cli: { positional: true, variadic: true } },
  target: { kind: 'choice', description: 'where', options: ['all', 'waf', 'cloudflare'], default: 'all' },
  rootCause: { kind: 'text', description: 'why', maxLength: 10 },
  workaround: { kind: 'flag', description: 'a workaround exists' },
  token: { kind: 'text', description: 'a token', secret: true, workflow: false },
});

const err = (fn: () => unknown): InputError => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  return expect.unreachable('accepted');
};

describe('input schema', () => {
  it('applies defaults, trims, joins variadic values', () => {
    expect(readInputs(schema, { addresses: ['1.2.3.4', ' 5.6.7.0/24 '], workaround: 'true' })).toEqual({
      addresses: '1.2.3.4\n5.6.7.0/24',
      target: 'all',
      rootCause: undefined,
      workaround: true,
      token: undefined,
    });
  });

  it('names the field that is missing, not a generic error', () => {
    const e = err(() => readInputs(schema, { addresses: '   ' }));
    expect(e.field).toBe('addresses');
    expect(e.code).toBe('INPUT_MISSING');
  });

  it('refuses a choice outside the options', () => {
    expect(err(() => readInputs(schema, { addresses: 'x', target: 'WAF' })).message).toContain('one of all, waf, cloudflare');
  });

  it('refuses overlong text instead of truncating it', () => {
    expect(err(() => readInputs(schema, { addresses: 'x', rootCause: 'a'.repeat(11) })).code).toBe('INPUT_TOO_LONG');
  });

  it.each(['yes', '1', 'on', 'TRUE '.repeat(2)])('refuses the flag value %j instead of guessing', (v) => {
    expect(err(() => readInputs(schema, { addresses: 'x', workaround: v })).field).toBe('workaround');
  });

  it.each([
    ['false', false],
    ['', false],
    [' True ', true],
    [true, true],
    [undefined, false],
  ])('reads the flag value %j as %s', (v, expected) => {
    expect(readInputs(schema, { addresses: 'x', workaround: v }).workaround).toBe(expected);
  });

  it('refuses non-text values for text fields', () => {
    expect(err(() => readInputs(schema, { addresses: 42 })).field).toBe('addresses');
    expect(err(() => readInputs(schema, { addresses: ['a', 3] })).field).toBe('addresses');
  });

  it('derives public names and secrets from the schema', () => {
    expect(publicName('rootCause', schema.rootCause)).toBe('root-cause');
    expect(publicName('fix_pr', { kind: 'text', description: 'x' })).toBe('fix-pr');
    expect(secretKeys(schema)).toEqual(['token']);
  });

  it('refuses schemas that would expose a secret or contradict themselves', () => {
    expect(() => defineInputs({ t: { kind: 'text', description: 'x', secret: true, workflow: { type: 'string' } } })).toThrow(/secret/);
    expect(() => defineInputs({ t: { kind: 'text', description: 'x', secret: true, cli: { positional: true } } })).toThrow(/positional/);
    expect(() => defineInputs({ t: { kind: 'choice', description: 'x', options: ['a'], default: 'b' } })).toThrow(/default/);
    expect(() => defineInputs({ 'root-cause': { kind: 'text', description: 'x' } })).toThrow(/camelCase/);
    expect(() => defineInputs({ t: { kind: 'text', description: 'x', cli: { variadic: true } } })).toThrow(/variadic/);
  });
});
