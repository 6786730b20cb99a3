import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json.js';

describe('canonicalJson', () => {
  it('sorts keys at every depth, drops undefined members and functions, no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: undefined }], c: null }, u: undefined, f: () => 1 })).toBe('{"a":{"c":null,"d":[3,{"z":1}]},"b":1}');
  });

  it('sorts by UTF-16 code units, not locale', () => {
    expect(canonicalJson({ é: 1, z: 2, Z: 3, '10': 4, '9': 5 })).toBe('{"10":4,"9":5,"Z":3,"z":2,"é":1}');
  });

  it('writes undefined array slots as null, dates as ISO strings, bigints as strings', () => {
    expect(canonicalJson([undefined, new Date('2026-01-02T03:04:05Z'), 12n])).toBe('[null,"2026-01-02T03:04:05.000Z","12"]');
  });

  it('refuses values JSON cannot hold', () => {
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(TypeError);
    expect(() => canonicalJson(Infinity)).toThrow(/cannot hold/);
    expect(() => canonicalJson(Symbol('x'))).toThrow(/symbol/);
  });

  it('is stable under key order and round-trips through JSON.parse', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const text = canonicalJson(v);
        expect(canonicalJson(JSON.parse(text))).toBe(text);
        const shuffled = JSON.parse(JSON.stringify(v, (_k, x: unknown) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).reverse()) : x)));
        expect(canonicalJson(shuffled)).toBe(text);
        expect(text).not.toMatch(/^\s|\s$/);
      }),
      { numRuns: 300 },
    );
  });

  it('escapes strings exactly as JSON.stringify (lone surrogates included)', () => {
    for (const s of ['"quote"', 'back\\slash', 'line\nbreak', '\u2028', '\ud800', '😀']) expect(canonicalJson(s)).toBe(JSON.stringify(s));
  });
});
