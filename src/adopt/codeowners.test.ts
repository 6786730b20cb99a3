import { describe, expect, it } from 'vitest';
import { mergeCodeowners } from './codeowners.js';

describe('mergeCodeowners', () => {
  it('adds the three firebreak paths to an empty file, and a second merge changes nothing', () => {
    const once = mergeCodeowners(undefined, ['@acme/security']);
    expect(once.split('\n').filter((l) => l.startsWith('/'))).toEqual(['/runbooks/ @acme/security', '/.github/workflows/ @acme/security', '/firebreak.yml @acme/security']);
    expect(mergeCodeowners(once, ['@someone-else'])).toBe(once);
  });

  it('keeps the team\'s own owner for a path it already covers and only adds the missing ones', () => {
    const existing = '* @acme/devs\n/.github/workflows/ @acme/platform\n';
    const merged = mergeCodeowners(existing, ['@acme/security']);
    expect(merged.startsWith(existing)).toBe(true);
    expect(merged).toContain('/runbooks/ @acme/security');
    expect(merged).not.toContain('/.github/workflows/ @acme/security');
  });
});
