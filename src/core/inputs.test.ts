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

  it('says exactly what is wrong, naming the public name', () => {
    expect(err(() => readInputs(schema, { addresses: '' })).message).toBe('addresses is required: addresses');
    expect(err(() => readInputs(schema, { addresses: null })).code).toBe('INPUT_MISSING');
    expect(err(() => readInputs(schema, { addresses: ['  ', ''] })).code).toBe('INPUT_MISSING');
    expect(err(() => readInputs(schema, { addresses: 42 })).message).toBe('addresses must be text, got number');
    expect(err(() => readInputs(schema, { addresses: ['a', 3] })).message).toBe('addresses must be text');
    const choice = err(() => readInputs(schema, { addresses: 'x', target: `${'w'.repeat(40)}AF` }));
    expect(choice.message).toBe(`target must be one of all, waf, cloudflare; got "${'w'.repeat(40)}"`);
    expect(choice.code).toBe('INPUT_CHOICE');
    const long = err(() => readInputs(schema, { addresses: 'x', rootCause: ` ${'a'.repeat(11)} ` }));
    expect(long.message).toBe('root-cause is 11 characters; at most 10');
    expect(long.field).toBe('root-cause');
    const flag = err(() => readInputs(schema, { addresses: 'x', workaround: `yes${'s'.repeat(30)}` }));
    expect(flag.message).toBe(`workaround must be true or false; got "${`yes${'s'.repeat(30)}`.slice(0, 20)}"`);
    expect(flag.code).toBe('INPUT_FLAG');
    expect(err(() => readInputs(schema, { addresses: 'x', workaround: 1 })).message).toBe('workaround must be true or false; got "1"');
  });

  it('keeps text at its limit, trims before measuring, and drops blank variadic items', () => {
    const out = readInputs(schema, { addresses: ['a', '   ', 'b', ''], rootCause: ` ${'a'.repeat(10)}\n`, target: ' waf ' });
    expect(out).toEqual({ addresses: 'a\nb', target: 'waf', rootCause: 'a'.repeat(10), workaround: false, token: undefined });
  });

  it('falls back to a default only when the value is empty; an empty default is no value', () => {
    const s = defineInputs({
      mode: { kind: 'text', description: 'm', default: 'fast' },
      blank: { kind: 'text', description: 'b', default: '' },
      on: { kind: 'flag', description: 'o', default: true },
    });
    expect(readInputs(s, {})).toEqual({ mode: 'fast', blank: undefined, on: true });
    expect(readInputs(s, { mode: '  ', blank: ' ', on: '  ' })).toEqual({ mode: 'fast', blank: undefined, on: true });
    expect(readInputs(s, { mode: 'slow', blank: 'x', on: 'FALSE' })).toEqual({ mode: 'slow', blank: 'x', on: false });
    expect(readInputs(s, { on: null }).on).toBe(true);
    expect(readInputs(s, { on: false }).on).toBe(false);
    expect(readInputs(s, { on: 'false' }).on).toBe(false);
  });

  it('input keys: a lowercase letter first, then letters, digits and _', () => {
    expect(() => defineInputs({ a1_B: { kind: 'text', description: 'x' } })).not.toThrow();
    for (const key of ['Ab', '1a', '_a', 'a-b', 'a b', 'aé']) {
      expect(() => defineInputs({ [key]: { kind: 'text', description: 'x' } }), key).toThrow(`input key ${key} must be camelCase or snake_case`);
    }
    expect(() => defineInputs({ t: { kind: 'choice', description: 'x', options: ['a', 'c'], default: 'b' } })).toThrow('input t: default b is not one of a, c');
    expect(() => defineInputs({ t: { kind: 'text', description: 'x', secret: true, workflow: { type: 'string' } } })).toThrow('input t is secret: a workflow must not offer it as an input');
    expect(() => defineInputs({ t: { kind: 'text', description: 'x', secret: true, cli: { positional: true } } })).toThrow('input t is secret: never a positional argument (shell history)');
    expect(() => defineInputs({ t: { kind: 'text', description: 'x', cli: { variadic: true } } })).toThrow('input t: variadic is for positional arguments; use repeatable for flags');
  });

  it('accepts what is consistent: a secret flag on the CLI, a variadic positional, a choice default among the options', () => {
    expect(() =>
      defineInputs({
        t: { kind: 'text', description: 'x', secret: true, cli: { placeholder: 'TOKEN' }, workflow: false },
        u: { kind: 'text', description: 'x', cli: { positional: true, variadic: true } },
        c: { kind: 'choice', description: 'x', options: ['a', 'b'], default: 'b' },
        d: { kind: 'choice', description: 'x', options: ['a', 'b'] },
      }),
    ).not.toThrow();
    expect(publicName('rootCause', { kind: 'text', description: 'x', name: 'cause' })).toBe('cause');
    expect(publicName('aB_cD', { kind: 'text', description: 'x' })).toBe('a-b-c-d');
    expect(secretKeys(defineInputs({ b: { kind: 'text', description: 'x', secret: true }, a: { kind: 'text', description: 'x' }, c: { kind: 'flag', description: 'x', secret: true } }))).toEqual(['b', 'c']);
  });
});
