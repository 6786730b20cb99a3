import { describe, expect, it } from 'vitest';
import { clipText, CUT_MARK, encodedForms, REDACTED, Redactor } from './redact.js';

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

  it('a short secret registered before a longer one containing it does not split the longer match', () => {
    const r = new Redactor();
    r.register('AKIA1234');
    r.register('AKIA1234-the-rest-of-a-long-secret');
    const out = r.scrub('echo: AKIA1234-the-rest-of-a-long-secret!');
    expect(out).toBe(`echo: ${REDACTED}!`);
    expect(out).not.toContain('the-rest');
  });

  it('secrets that overlap (the end of one starts the other) leave no character of either', () => {
    const r = new Redactor();
    r.register('abcdef12');
    r.register('ef12ghij');
    expect(r.scrub('x abcdef12ghij y')).toBe(`x ${REDACTED} y`);
    // and in the other registration order
    const r2 = new Redactor();
    r2.register('ef12ghij');
    r2.register('abcdef12');
    expect(r2.scrub('x abcdef12ghij y')).toBe(`x ${REDACTED} y`);
  });

  it.each([
    ['base64', (s: string) => Buffer.from(s).toString('base64')],
    ['base64 without padding', (s: string) => Buffer.from(s).toString('base64').replace(/=+$/, '')],
    ['base64url', (s: string) => Buffer.from(s).toString('base64url')],
    ['URL-encoded', (s: string) => encodeURIComponent(s)],
    ['form-encoded', (s: string) => new URLSearchParams({ v: s }).toString().slice(2)],
    ['JSON-escaped', (s: string) => JSON.stringify(s).slice(1, -1)],
    ['JSON-escaped with \\u for non-ASCII', (s: string) => JSON.stringify(s).slice(1, -1).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)],
    ['hex', (s: string) => Buffer.from(s).toString('hex')],
  ])('scrubs the %s form of a secret', (_name, encode) => {
    const secret = 'wJalr/XUtnFEMI+K7MDENG"bPxRfi\\CYEXAMPLEKEY ü?&';
    const r = new Redactor();
    r.register(secret);
    const form = encode(secret);
    expect(form).not.toBe(secret);
    expect(r.scrub(`before ${form} after`)).toBe(`before ${REDACTED} after`);
  });

  it('scrubs each line of a multi-line secret on its own', () => {
    const r = new Redactor();
    r.register('-----BEGIN KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END KEY-----');
    expect(r.scrub('line: MIIEvQIBADANBgkqhkiG9w0BAQEFAASC')).toBe(`line: ${REDACTED}`);
  });

  it('scrubs secrets in object keys too', () => {
    const r = new Redactor();
    r.register('tok_1234567890');
    expect(r.redact({ 'tok_1234567890': 1 })).toEqual({ [REDACTED]: 1 });
  });

  it('scrubs percent-encodings with lowercase hex, RFC 3986 strict escapes of !\'()*, and uppercase hex', () => {
    const secret = "ab/c+d=e f!g'h(i)j*k";
    const r = new Redactor();
    r.register(secret);
    const lower = (t: string) => t.replace(/%[0-9A-F]{2}/g, (h) => h.toLowerCase());
    const strict = encodeURIComponent(secret).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
    for (const form of [lower(encodeURIComponent(secret)), strict, lower(strict), lower(new URLSearchParams({ v: secret }).toString().slice(2)), Buffer.from(secret).toString('hex').toUpperCase()]) {
      expect(r.scrub(`x ${form} y`)).toBe(`x ${REDACTED} y`);
    }
  });

  it('scrubs the start of a secret that a clip cut in half, at every cut position, and leaves other text', () => {
    const secret = 'tok_SECRETabcdefghij0123456789';
    const r = new Redactor();
    r.register(secret);
    for (let at = 0; at < secret.length; at++) {
      const message = `${'m'.repeat(50)}${secret}`;
      const clipped = clipText(message, 50 + at);
      const out = r.scrub(clipped);
      // Every start of 4 characters or more is gone; a shorter one cannot be told from ordinary text.
      expect(out).toBe(at >= 4 ? `${'m'.repeat(50)}${REDACTED}${CUT_MARK}` : clipped);
    }
    expect(r.scrub(clipText(`${'m'.repeat(60)}`, 50))).toBe(`${'m'.repeat(50)}${CUT_MARK}`);
    expect(clipText('short', 50)).toBe('short');
  });

  it('scrubs a secret inside a longer base64 text at every byte alignment (Basic auth user:secret echoed back)', () => {
    const secret = 'ghs_16C7e42F292c6912E7710c838347Ae178B4a';
    const r = new Redactor();
    r.register(secret);
    for (const before of ['', 'u:', 'us:', 'user:', 'x-access-token:']) {
      for (const after of ['', '\n', '@h', 'xyz']) {
        for (const enc of ['base64', 'base64url'] as const) {
          const b64 = Buffer.from(`${before}${secret}${after}`).toString(enc);
          const out = r.scrub(`Authorization: Basic ${b64}`);
          expect(out).toContain(REDACTED);
          // What is left is at most the few characters shared with the neighbouring bytes.
          const left = out.replace(`Authorization: Basic `, '').split(REDACTED).join('');
          expect(left.length).toBeLessThanOrEqual(Math.ceil(((before.length + after.length) * 8) / 6) + 4);
        }
      }
    }
  });

  it('scrubs HTML-safe JSON escapes and XML/HTML entities of a value with < > & and quotes (an aws-alphabet secret)', () => {
    const secret = `a<b>c&d"e'f0123`;
    const r = new Redactor();
    r.register(secret);
    for (const form of ['a\\u003cb\\u003ec\\u0026d\\"e\'f0123', 'a&lt;b&gt;c&amp;d&quot;e&apos;f0123', 'a&lt;b&gt;c&amp;d&quot;e&#39;f0123']) {
      expect(r.scrub(`x ${form} y`), form).toBe(`x ${REDACTED} y`);
    }
  });

  it('json() scrubs values and keys, never the JSON syntax: a secret equal to true, null or a key still parses', () => {
    for (const secret of ['true', 'null', 'false', 'status']) {
      const r = new Redactor();
      r.register(secret);
      const text = r.json({ ok: true, none: null, off: false, status: 'applied', note: `a ${secret} b`, when: new Date(0) }, 2);
      const back = JSON.parse(text) as Record<string, unknown>;
      expect(back.ok).toBe(true);
      expect(back.none).toBeNull();
      expect(back.off).toBe(false);
      expect(back.note).toBe(`a ${REDACTED} b`);
      expect(back.when).toBe('1970-01-01T00:00:00.000Z');
    }
  });

  it('registers exactly these forms of a secret (each one checked by hand), none shorter than 4', () => {
    expect(encodedForms('a/b cd\u00e9"\\')).toEqual([
      'a/b cd\u00e9"\\',
      'YS9iIGNkw6kiXA==', // base64 of 61 2f 62 20 63 64 c3 a9 22 5c
      'YS9iIGNkw6kiXA', // unpadded; base64url is the same here
      'YS9iIGNkw6kiX', // the part only the secret decides, inside a longer base64 text at offset 0
      'EvYiBjZMOpIl', // ... at byte offset 1
      'hL2IgY2TDqSJc', // ... at byte offset 2
      'a%2Fb%20cd%C3%A9%22%5C', // encodeURIComponent
      'a%2fb%20cd%c3%a9%22%5c', // ... lowercase hex
      'a/b%20cd%C3%A9%22%5C', // encodeURI keeps /
      'a/b%20cd%c3%a9%22%5c',
      'a%2Fb+cd%C3%A9%22%5C', // form encoding: space as +
      'a%2fb+cd%c3%a9%22%5c',
      'a/b cd\u00e9\\"\\\\', // JSON string contents
      'a\\/b cd\u00e9\\"\\\\', // ... with / escaped
      'a/b cd\\u00e9\\"\\\\', // ... with non-ASCII as \uXXXX
      'a/b cd\u00e9&quot;\\', // XML/HTML text
      '612f62206364c3a9225c', // hex
      '612F62206364C3A9225C', // ... uppercase
    ]);
    expect(encodedForms('>>>?')).toEqual(['>>>?', 'Pj4+Pw==', 'Pj4+Pw', 'Pj4-Pw', '%3E%3E%3E%3F', '%3e%3e%3e%3f', '%3E%3E%3E?', '%3e%3e%3e?', '\\u003e\\u003e\\u003e?', '&gt;&gt;&gt;?', '3e3e3e3f', '3E3E3E3F']);
    expect(encodedForms('ab')).toEqual(['YWI=', '6162']);
  });

  it('a multi-line secret adds each trimmed line of 8 characters or more, split on \\n or \\r\\n', () => {
    const forms = encodedForms('-----BEGIN-----\r\n  1234567  \nabcdefgh\nxyz');
    expect(forms.slice(0, 3)).toEqual(['-----BEGIN-----\r\n  1234567  \nabcdefgh\nxyz', '-----BEGIN-----', 'abcdefgh']);
    expect(forms).not.toContain('1234567');
    expect(forms).not.toContain('  1234567  ');
    expect(forms.some((f) => f.endsWith('\r'))).toBe(false);
    // A one-line secret is not trimmed into a second form: only the value as given is scrubbed.
    expect(encodedForms('  onelinesecret  ')).not.toContain('onelinesecret');
  });

  it('registers a value of exactly 4 non-blank characters and scrubs text of exactly that length', () => {
    const r = new Redactor();
    r.register(' abc ');
    expect(r.size).toBe(0);
    r.register('abcd');
    expect(r.size).toBe(4);
    expect(r.scrub('abcd')).toBe(REDACTED);
    expect(r.scrub('abc')).toBe('abc');
    expect(r.scrub('no secret here')).toBe('no secret here');
    expect(new Set(r.forms())).toEqual(new Set(['abcd', 'YWJjZA==', 'YWJjZA', '61626364']));
  });

  it('adjacent secrets become one redaction, separate ones two, with the text between kept', () => {
    const r = new Redactor();
    r.register('abcd');
    r.register('efgh');
    expect(r.scrub('abcdefgh')).toBe(REDACTED);
    expect(r.scrub('abcd-efgh')).toBe(`${REDACTED}-${REDACTED}`);
    expect(r.scrub('<abcd> and <efgh> and <abcd>')).toBe(`<${REDACTED}> and <${REDACTED}> and <${REDACTED}>`);
    expect(r.scrub('abcdabcd')).toBe(REDACTED);
  });

  it('a secret field keeps undefined and null as they are, matched case-insensitively either way', () => {
    const r = new Redactor();
    const out = r.redact({ token: undefined, password: null, apiKey: 'k', list: [new Date(5)] }, ['TOKEN', 'Password', 'APIKEY']);
    expect(out).toEqual({ token: undefined, password: null, apiKey: REDACTED, list: [new Date(5)] });
    expect(Object.keys(out)).toEqual(['token', 'password', 'apiKey', 'list']);
    expect(r.redact('plain')).toBe('plain');
    expect(r.redact(7)).toBe(7);
  });
});
