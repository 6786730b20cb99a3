import { describe, expect, it } from 'vitest';
import { REDACTED, Redactor } from './redact.js';

describe('Redactor', () => {
  it('scrubs a registered secret and its base64 and URL-encoded forms from any string', () => {
    const r = new Redactor();
    const secret = 'p@ss word/+=';
    r.register(secret);
    const b64 = Buffer.from(secret).toString('base64');
    expect(r.scrub(`a ${secret} b ${b64} c ${encodeURIComponent(secret)}`)).toBe(`a ${REDACTED} b ${REDACTED} c ${REDACTED}`);
  });

  it('ignores values too short to be secrets, and empty or missing ones', () => {
    const r = new Redactor();
    r.register('abc');
    r.register('');
    r.register(undefined);
    r.register(null);
    expect(r.size).toBe(0);
    expect(r.scrub('abc')).toBe('abc');
  });

  it('redact() deep-copies, replaces secret fields by name (case-insensitive) and scrubs every string', () => {
    const r = new Redactor();
    r.register('tok_1234567890');
    const input = { Token: 'anything', nested: { list: ['x tok_1234567890 y', 3, null], when: new Date(0) }, empty: null, value: undefined };
    const out = r.redact(input, ['token', 'empty']);
    expect(out).toEqual({ Token: REDACTED, nested: { list: [`x ${REDACTED} y`, 3, null], when: new Date(0) }, empty: null, value: undefined });
    expect(input.Token).toBe('anything');
    expect(input.nested.list[0]).toBe('x tok_1234567890 y');
  });

  it('scrubs every occurrence, and overlapping secrets leave no fragment', () => {
    const r = new Redactor();
    r.register('secretvalue');
    r.register('value-long-secret');
    const text = 'secretvalue and value-long-secret and secretvalue';
    const out = r.scrub(text);
    expect(out).not.toContain('secretvalue');
    expect(out).not.toContain('value-long-secret');
  });
});
