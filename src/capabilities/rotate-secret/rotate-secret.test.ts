import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../core/errors.js';
import { manualClock, memoryLogger } from '../../core/runtime.js';
import { fingerprint, fingerprintKeyId, parseFingerprintKey, verifyFingerprint } from '../../core/secret-fingerprint.js';
import { makeContext } from '../../core/step.js';
import { MemoryAuditSink } from '../../providers/local/file-audit-sink.js';
import { rotateSecretInputs as capabilityInputs } from './inputs.js';
import { bytesBesidesKey, locateKey, patchKey } from './json-key.js';
import { rotateSecretStep, rotationToken } from './step.js';
import { LOCAL_ALPHABETS, checkPlacement, generateLocal, parsePolicy } from './value-policy.js';

const ctx = () => makeContext({ audit: new MemoryAuditSink(), clock: manualClock('2026-12-01T00:00:00Z'), sleep: async () => {}, logger: memoryLogger() });
const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as InputError).code;
  }
  return expect.unreachable('no error thrown');
};

describe('value policy', () => {
  it('turns bytes of entropy into a length per alphabet (a JWT HS256 key: 32 bytes)', () => {
    expect(parsePolicy({ length: '32', alphabet: 'hex', bytes: '32' }).length).toBe(64);
    expect(parsePolicy({ length: '32', alphabet: 'base64url', bytes: '32' }).length).toBe(43);
    expect(parsePolicy({ length: '32', alphabet: 'alnum', bytes: '32' }).length).toBe(43);
    const v = generateLocal(parsePolicy({ length: '32', alphabet: 'base64url', bytes: '64' }));
    expect(v).toMatch(/^[A-Za-z0-9_-]{86}$/);
  });

  it('generates exactly the length from exactly the alphabet', () => {
    for (const alphabet of ['alnum', 'alnum-symbols', 'hex', 'base64url'] as const) {
      for (const length of [12, 33, 4096]) {
        const v = generateLocal(parsePolicy({ length: String(length), alphabet }));
        expect(v).toHaveLength(length);
        expect([...v].every((c) => LOCAL_ALPHABETS[alphabet].includes(c))).toBe(true);
      }
    }
  });

  it('local alphabets hold nothing that needs escaping in JSON, a shell or a URL userinfo quote', () => {
    for (const a of Object.values(LOCAL_ALPHABETS)) expect(a).not.toMatch(/["'`\\\s]/);
  });

  it('two values differ (randomness reaches every position)', () => {
    const p = parsePolicy({ length: '32', alphabet: 'alnum' });
    expect(generateLocal(p)).not.toBe(generateLocal(p));
  });

  it.each([
    ['length 0', { length: '0', alphabet: 'alnum' }, 'POLICY_IMPOSSIBLE'],
    ['below the minimum', { length: '11', alphabet: 'hex' }, 'POLICY_IMPOSSIBLE'],
    ['not a number', { length: '32chars', alphabet: 'alnum' }, 'POLICY_INVALID'],
    ['negative', { length: '-5', alphabet: 'alnum' }, 'POLICY_INVALID'],
    ['GetRandomPassword over 4096', { length: '4097', alphabet: 'aws' }, 'POLICY_IMPOSSIBLE'],
    ['aws options on a local alphabet', { length: '32', alphabet: 'alnum', excludePunctuation: true }, 'POLICY_INVALID'],
    ['every character excluded', { length: '32', alphabet: 'aws', excludePunctuation: true, excludeCharacters: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789' }, 'POLICY_IMPOSSIBLE'],
  ])('refuses %s', (_name, raw, expected) => {
    expect(code(() => parsePolicy(raw))).toBe(expected);
  });

  it('refuses a value that would not fit where it goes', () => {
    const p = parsePolicy({ length: '65537', alphabet: 'hex' });
    expect(code(() => checkPlacement(p, { otherBytes: 0, jsonKey: false }))).toBe('POLICY_IMPOSSIBLE');
    expect(code(() => checkPlacement(parsePolicy({ length: '4097', alphabet: 'hex' }), { otherBytes: 10, jsonKey: true }))).toBe('POLICY_IMPOSSIBLE');
    // GetRandomPassword punctuation may be JSON-escaped to two bytes: the worst case counts.
    const aws = parsePolicy({ length: '4096', alphabet: 'aws' });
    expect(code(() => checkPlacement(aws, { otherBytes: 65536 - 4096, jsonKey: true }))).toBe('POLICY_IMPOSSIBLE');
    expect(() => checkPlacement(parsePolicy({ length: '4096', alphabet: 'hex' }), { otherBytes: 65536 - 4096, jsonKey: true })).not.toThrow();
  });
});

describe('JSON one-key patch', () => {
  it('replaces only the value and keeps every other byte', () => {
    const text = '{"a" : "x\\"}" ,\n "password":"old", "n": 123456789012345678901234567890, "o": {"password": "inner"}, "z": 1.50}';
    expect(patchKey(text, 'password', 'n"e\\w', { create: false })).toBe(text.replace('"old"', '"n\\"e\\\\w"'));
  });

  it('matches top-level keys only, written with escapes', () => {
    expect(code(() => patchKey('{"o":{"password":"x"}}', 'password', 'v', { create: false }))).toBe('JSON_KEY_MISSING');
    expect(JSON.parse(patchKey('{"pass\\u0077ord":"old"}', 'password', 'new', { create: false }))).toEqual({ password: 'new' });
  });

  it('adds a key only with create, to an empty or a full object', () => {
    expect(patchKey('{}', 'k', 'v', { create: true })).toBe('{"k":"v"}');
    expect(patchKey(' { "a": [1, {"b": "}"}] } ', 'k', 'v', { create: true })).toBe(' { "a": [1, {"b": "}"}] ,"k":"v"} ');
    expect(code(() => patchKey('{"a":"b"}', 'k', 'v', { create: false }))).toBe('JSON_KEY_MISSING');
  });

  it('refuses non-JSON, non-objects, duplicate keys and non-string values, without quoting the text', () => {
    for (const [text, expected] of [
      ['s3cr3t-value', 'SECRET_NOT_JSON'],
      ['["a"]', 'SECRET_NOT_JSON'],
      ['"str"', 'SECRET_NOT_JSON'],
      ['{"k":"a","k":"b"}', 'JSON_KEY_DUPLICATE'],
      ['{"k":5}', 'JSON_KEY_NOT_STRING'],
      ['{"k":null}', 'JSON_KEY_NOT_STRING'],
      ['{"k":{"a":1}}', 'JSON_KEY_NOT_STRING'],
    ] as const) {
      expect(code(() => patchKey(text, 'k', 'v', { create: true })), text).toBe(expected);
    }
    const err = (() => {
      try {
        patchKey('{"k": s3cr3t-value}', 'k', 'v', { create: false });
      } catch (e) {
        return e as Error;
      }
      return expect.unreachable();
    })();
    expect(err.message).not.toContain('s3cr3t');
  });

  it('counts the bytes besides the value', () => {
    const text = '{"k":"abcd","x":"é"}';
    expect(bytesBesidesKey(text, 'k')).toBe(Buffer.byteLength(text) - 4);
    expect(locateKey(text, 'x').span).toEqual({ start: 16, end: 19 });
  });
});

describe('keyed fingerprints', () => {
  const key = parseFingerprintKey('aa'.repeat(32));
  const other = parseFingerprintKey(Buffer.alloc(32, 7).toString('base64'));
  it('depend on the key, the secret and the version; verify only the right value', () => {
    const fp = fingerprint('hunter22', key, 'arn:1', 'v1');
    expect(fp).toMatch(/^hmac-sha256:[0-9a-f]{8}:[0-9a-f]{64}$/);
    expect(fp).toContain(fingerprintKeyId(key));
    expect(fingerprint('hunter22', other, 'arn:1', 'v1')).not.toBe(fp);
    expect(fingerprint('hunter22', key, 'arn:2', 'v1')).not.toBe(fp);
    expect(fingerprint('hunter22', key, 'arn:1', 'v2')).not.toBe(fp);
    expect(verifyFingerprint('hunter22', fp, key, 'arn:1', 'v1')).toBe(true);
    expect(verifyFingerprint('hunter23', fp, key, 'arn:1', 'v1')).toBe(false);
    // Not a plain or public-salted hash an auditor log reader could replay.
    expect(fp).not.toContain(createHash('sha256').update('hunter22').digest('hex'));
  });
  it('refuses a short key', () => {
    expect(() => parseFingerprintKey('abcd')).toThrow(/at least 16 bytes/);
  });
});

describe('rotate-secret parse', () => {
  it.each([
    ['an unknown target kind', { target: 'aws:iam-user:bob' }, 'TARGET_INVALID'],
    ['a kind of another provider that holds no secret', { target: 'github:user:bob' }, 'TARGET_INVALID'],
    ['a Vault KV secret without json-key', { target: 'vault:kv:secret/app' }, 'JSON_KEY_REQUIRED'],
    ['json-key on a GitHub secret', { target: 'github:repo-secret:DB_URL', jsonKey: 'k' }, 'INPUT_CONFLICT'],
    ['rollback of a write-only GitHub secret', { target: 'github:env-secret:production/DB_URL', rollback: 'true' }, 'ROLLBACK_IMPOSSIBLE'],
    ['rollback of an Atlas user', { target: 'atlas:db-user:admin/app@0123456789abcdef01234567', rollback: 'true' }, 'ROLLBACK_IMPOSSIBLE'],
    ['a new Atlas password with nowhere to land', { target: 'atlas:db-user:admin/app@0123456789abcdef01234567' }, 'INPUT_CONFLICT'],
    ['an Atlas target without its project', { target: 'atlas:access-list-entry:203.0.113.9', disable: 'false' }, 'TARGET_INVALID'],
    ['disable on a secret', { target: 'aws:secret:a', disable: 'true' }, 'INPUT_CONFLICT'],
    ['disable on a Vault KV secret', { target: 'vault:kv:secret/app', jsonKey: 'k', disable: 'true' }, 'INPUT_CONFLICT'],
    ['a GitHub secret over 48 KB', { target: 'github:repo-secret:BIG', length: '50000' }, 'POLICY_IMPOSSIBLE'],
    ['alphabet aws outside Secrets Manager', { target: 'vault:kv:secret/app', jsonKey: 'k', alphabet: 'aws' }, 'POLICY_IMPOSSIBLE'],
    ['atlas-user with a Vault target', { target: 'vault:kv:secret/app', jsonKey: 'k', atlasUser: 'atlas:db-user:admin/app@0123456789abcdef01234567' }, 'INPUT_CONFLICT'],
    ['a restart service that is not cluster/service', { target: 'aws:secret:a', restartServices: 'api' }, 'TARGET_INVALID'],
    ['the same restart service twice', { target: 'aws:secret:a', restartServices: 'prod/api, prod/api' }, 'INPUT_DUPLICATE'],
    ['a restart timeout of 0', { target: 'aws:secret:a', restartTimeoutMinutes: '0' }, 'INPUT_INVALID'],
    ['bytes below 16', { target: 'aws:secret:a', bytes: '8', alphabet: 'base64url' }, 'POLICY_IMPOSSIBLE'],
    ['bytes with alphabet aws', { target: 'aws:secret:a', bytes: '32', alphabet: 'aws' }, 'POLICY_INVALID'],
    ['no target', {}, 'INPUT_MISSING'],
    ['rollback with json-key', { target: 'aws:secret:a', rollback: 'true', jsonKey: 'k' }, 'INPUT_CONFLICT'],
    ['create-key without json-key', { target: 'aws:secret:a', createKey: 'true' }, 'INPUT_CONFLICT'],
    ['an unknown alphabet', { target: 'aws:secret:a', alphabet: 'base64' }, 'INPUT_CHOICE'],
    ['a whole secret over 65536 bytes', { target: 'aws:secret:a', length: '70000' }, 'POLICY_IMPOSSIBLE'],
    ['a flag that is neither true nor false', { target: 'aws:secret:a', rollback: 'yes' }, 'INPUT_FLAG'],
  ])('refuses %s', (_n, raw, expected) => {
    expect(code(() => rotateSecretStep.parse(raw, ctx()))).toBe(expected);
  });

  it('reads a target with scope and defaults', () => {
    const input = rotateSecretStep.parse({ target: 'aws:secret:prod/db@123456789012/eu-west-1' }, ctx());
    expect(input.target).toEqual({ provider: 'aws', kind: 'secret', id: 'prod/db', scope: { account: '123456789012', region: 'eu-west-1' } });
    expect(input.policy).toEqual({ length: 32, alphabet: 'alnum' });
    expect(input.rollback).toBe(false);
  });

  it('declares no secret inputs: the step makes the value, nobody types one', () => {
    expect(Object.values(capabilityInputs).filter((f) => 'secret' in f && f.secret)).toEqual([]);
  });
});

describe('rotation token', () => {
  it('is a stable UUID per secret and run, different across either', () => {
    const t = rotationToken('arn:a', 'run:1');
    expect(t).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(rotationToken('arn:a', 'run:1')).toBe(t);
    expect(rotationToken('arn:a', 'run:2')).not.toBe(t);
    expect(rotationToken('arn:b', 'run:1')).not.toBe(t);
  });
});
