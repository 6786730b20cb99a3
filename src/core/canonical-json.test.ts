import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, canonicalProblem, strictMembers } from './canonical-json.js';

interface Vector {
  name: string;
  input: string;
  output: string;
  outhex: string;
}
const vectors = (JSON.parse(readFileSync(new URL('./fixtures/rfc8785-vectors.json', import.meta.url), 'utf8')) as { cases: Vector[] }).cases;

/** RFC 8785 Appendix B: IEEE-754 bit patterns and their one serialisation (NaN, Infinity: errors). */
const NUMBER_SAMPLES: Array<[string, string]> = [
  ['0000000000000000', '0'],
  ['8000000000000000', '0'],
  ['0000000000000001', '5e-324'],
  ['8000000000000001', '-5e-324'],
  ['7fefffffffffffff', '1.7976931348623157e+308'],
  ['ffefffffffffffff', '-1.7976931348623157e+308'],
  ['4340000000000000', '9007199254740992'],
  ['c340000000000000', '-9007199254740992'],
  ['4430000000000000', '295147905179352830000'],
  ['44b52d02c7e14af5', '9.999999999999997e+22'],
  ['44b52d02c7e14af6', '1e+23'],
  ['44b52d02c7e14af7', '1.0000000000000001e+23'],
  ['444b1ae4d6e2ef4e', '999999999999999700000'],
  ['444b1ae4d6e2ef4f', '999999999999999900000'],
  ['444b1ae4d6e2ef50', '1e+21'],
  ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
  ['3eb0c6f7a0b5ed8d', '0.000001'],
  ['41b3de4355555553', '333333333.3333332'],
  ['41b3de4355555554', '333333333.33333325'],
  ['41b3de4355555555', '333333333.3333333'],
  ['41b3de4355555556', '333333333.3333334'],
  ['41b3de4355555557', '333333333.33333343'],
  ['becbf647612f3696', '-0.0000033333333333333333'],
  ['43143ff3c1cb0959', '1424953923781206.2'],
  // From the es6testfile samples in the same test data's README.
  ['4340000000000001', '9007199254740994'],
  ['4340000000000002', '9007199254740996'],
];

const fromBits = (hex: string): number => new DataView(new Uint8Array(Buffer.from(hex, 'hex')).buffer).getFloat64(0);

describe('RFC 8785 published test vectors', () => {
  for (const v of vectors) {
    it(`${v.name}: canonical output, UTF-8 bytes, and the strict reader's verdicts`, () => {
      const out = canonicalJson(JSON.parse(v.input));
      expect(out).toBe(v.output);
      expect(Buffer.from(out, 'utf8').toString('hex').replace(/(..)(?!$)/g, '$1 ')).toBe(v.outhex);
      expect(canonicalProblem(v.output)).toBeUndefined();
      // Every input is pretty-printed or re-escaped: the strict reader says so.
      expect(canonicalProblem(v.input)).toEqual(expect.any(String));
    });
  }

  it('number serialisation samples (Appendix B)', () => {
    for (const [bits, text] of NUMBER_SAMPLES) {
      expect(canonicalJson(fromBits(bits)), bits).toBe(text);
      expect(canonicalProblem(`[${text}]`), bits).toBeUndefined();
    }
    expect(() => canonicalJson(fromBits('7fffffffffffffff'))).toThrow(/cannot hold NaN/);
    expect(() => canonicalJson(fromBits('7ff0000000000000'))).toThrow(/cannot hold Infinity/);
  });
});

describe('canonicalProblem: a text is canonical only when it is exactly what canonicalJson writes', () => {
  const refused: Array<[string, RegExp]> = [
    ['{"a":1,"a":2}', /duplicate member name "a"/],
    ['{"a":{"b":1,"b":1}}', /duplicate member name "b"/],
    ['[{"x":1},{"y":2,"y":2}]', /duplicate member name "y"/],
    ['{"b":1,"a":2}', /out of canonical order/],
    ['{"\\u00e9":1,"z":2}', /string at offset 1 is not in canonical form/],
    ['{"a": 1}', /whitespace/],
    [' {}', /whitespace/],
    ['{}\n', /unexpected text at offset 2/],
    ['[1.0]', /number 1\.0 .* not in canonical form \(1\)/],
    ['[1E2]', /number 1E2 .*\(100\)/],
    ['[-0]', /number -0 .*\(0\)/],
    ['[0.1e1]', /\(1\)/],
    ['[12345678901234567890]', /\(12345678901234567000\)/],
    ['[1e400]', /\(null\)/],
    ['["\\u0041"]', /string .* not in canonical form/],
    ['["\\/"]', /string .* not in canonical form/],
    ['["\\u001F"]', /string .* not in canonical form/],
    ['["\\ud83d\\ude00"]', /string .* not in canonical form/],
    ['["a\tb"]', /raw control character/],
    ['["\\x"]', /invalid escape/],
    ['{"a":1}{', /unexpected text/],
    ['{"a":1', /end of JSON/],
    ['[01]', /expected at offset 2/],
  ];
  for (const [text, reason] of refused) {
    it(`refuses ${JSON.stringify(text)}`, () => {
      expect(canonicalProblem(text)).toMatch(reason);
    });
  }

  it('accepts lone surrogates in JSON.stringify’s lowercase escape, the one tolerance beyond I-JSON', () => {
    expect(canonicalJson('\ud800')).toBe('"\\ud800"');
    expect(canonicalProblem('"\\ud800"')).toBeUndefined();
    expect(canonicalProblem('"\\uD800"')).toMatch(/not in canonical form/);
  });

  it('agrees with canonicalJson(JSON.parse(text)) === text on random values and their re-serialisations', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.nat({ max: 4 }), (v, indent) => {
        const canonical = canonicalJson(v);
        expect(canonicalProblem(canonical)).toBeUndefined();
        const other = JSON.stringify(v, null, indent);
        expect(canonicalProblem(other) === undefined).toBe(other === canonical);
      }),
      { numRuns: 400, seed: 85 },
    );
  });

  it('strictMembers: lists top-level members in order and refuses duplicates at any depth', () => {
    expect(strictMembers(' { "b" : 1 , "a" : [ {"x":1} ] } ')).toEqual({ members: ['b', 'a'] });
    expect(strictMembers('[1]')).toEqual({ members: undefined });
    expect(strictMembers('{"a":1,"b":{"c":1,"c":2}}')).toEqual({ problem: expect.stringMatching(/duplicate member name "c"/) });
    expect(strictMembers('{"a":1,"a":1}')).toEqual({ problem: expect.stringMatching(/duplicate member name "a"/) });
  });
});

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

describe('canonicalProblem and strictMembers name the exact place and reason', () => {
  const k50 = 'k'.repeat(50);
  const exact: Array<[string, string | undefined]> = [
    ['', 'unexpected end of JSON'],
    ['{', 'unexpected end of JSON'],
    ['[', 'unexpected end of JSON'],
    ['"abc', 'unexpected end of JSON inside a string'],
    ['[1,', 'unexpected end of JSON'],
    ['[1,2', 'unexpected end of JSON'],
    ['{"a"', "':' expected at offset 4"],
    ['{"a"1}', "':' expected at offset 4"],
    ['{"a":', 'unexpected end of JSON'],
    ['{"a" :1}', 'whitespace at offset 4'],
    ['{"a":1 }', 'whitespace at offset 6'],
    ['{ "a":1}', 'whitespace at offset 1'],
    ['[1 ]', 'whitespace at offset 2'],
    ['[ 1]', 'whitespace at offset 1'],
    ['\t[1]', 'whitespace at offset 0'],
    ['[1]\r', 'unexpected text at offset 3 after the JSON value'],
    ['[1;2]', "',' or ']' expected at offset 2"],
    ['[truex]', "',' or ']' expected at offset 5"],
    ['{"a":1;}', "',' or '}' expected at offset 6"],
    ['{1:2}', 'member name expected at offset 1'],
    ['{"a":1,}', 'member name expected at offset 7'],
    ['tru', 'unexpected character at offset 0'],
    ['-', 'unexpected character at offset 0'],
    ['[-]', 'unexpected character at offset 1'],
    ['[1,]', 'unexpected character at offset 3'],
    ['{"b":1,"a":1}', 'member "a" at offset 7 is out of canonical order (after "b")'],
    ['{"ab":1,"a":1}', 'member "a" at offset 8 is out of canonical order (after "ab")'],
    ['{"a":1,"a":1}', 'duplicate member name "a" at offset 7'],
    [`{"${k50}":1,"${k50}":1}`, `duplicate member name "${'k'.repeat(36)}... at offset 56`],
    [`{"${'k'.repeat(38)}":1,"${'k'.repeat(38)}":1}`, `duplicate member name "${'k'.repeat(38)}" at offset 44`],
    [`[${'1'.repeat(50)}]`, `number ${'1'.repeat(37)}... at offset 1 is not in canonical form (1.1111111111111111e+49)`],
    ['[1.5e+3]', 'number 1.5e+3 at offset 1 is not in canonical form (1500)'],
    ['["\\u0041"]', 'string at offset 1 is not in canonical form (escapes differ from RFC 8785)'],
    ['["a\u0001"]', 'raw control character in a string at offset 3'],
    ['["a\\q"]', 'invalid escape in the string at offset 1'],
    ['{"a":1,"b":2}', undefined],
    ['{"":1,"a":2}', undefined],
    ['[true,false,null]', undefined],
    ['{}', undefined],
    ['[]', undefined],
    ['"a\\u0000"', undefined],
    ['"\u007f\u2028"', undefined],
    ['[-1.5,0,1e+21,-2e-7]', undefined],
    [`${'['.repeat(1001)}${']'.repeat(1001)}`, undefined],
    [`${'['.repeat(1002)}${']'.repeat(1002)}`, 'nested deeper than 1000 levels'],
    [`${'{"a":'.repeat(1000)}1${'}'.repeat(1000)}`, undefined],
    [`${'{"a":'.repeat(1001)}1${'}'.repeat(1001)}`, 'nested deeper than 1000 levels'],
  ];
  for (const [text, problem] of exact) {
    it(`${JSON.stringify(text.slice(0, 40))} → ${String(problem)}`, () => {
      expect(canonicalProblem(text)).toBe(problem);
    });
  }

  it('strictMembers accepts any whitespace, keeps member order, and names what it refuses', () => {
    expect(strictMembers(' {"a" : 1 ,\t"b":[1,2]\r\n}\n')).toEqual({ members: ['a', 'b'] });
    expect(strictMembers('{"b":1,"a":{"a":1}}')).toEqual({ members: ['b', 'a'] });
    expect(strictMembers('{}')).toEqual({ members: [] });
    expect(strictMembers(' [1] ')).toEqual({ members: undefined });
    expect(strictMembers(' "x" ')).toEqual({ members: undefined });
    expect(strictMembers('{"a":1} x')).toEqual({ problem: 'unexpected text at offset 8 after the JSON value' });
    expect(strictMembers('{')).toEqual({ problem: 'unexpected end of JSON' });
    expect(strictMembers('[{"a":1,"a":2}]')).toEqual({ problem: 'duplicate member name "a" at offset 8' });
    expect(strictMembers('{"a":1,}')).toEqual({ problem: 'member name expected at offset 7' });
    expect(strictMembers('[1.0, 1E2, "\\u0041"]')).toEqual({ members: undefined });
  });
});

