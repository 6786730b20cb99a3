import { describe, expect, it } from 'vitest';
import { compareWithManifest, indexEntries, manifestHash, manifestPart, manifestText, parseManifestPart, parseWindow, sliceWindow, type ManifestEntry } from './manifest.js';
import { keySegment, parseTargets } from './targets.js';

const W = { from: '2026-11-01T10:00:00.000Z', to: '2026-11-01T12:30:00.000Z' };
const entry = (key: string, sha = 'a'.repeat(64), size = 1): ManifestEntry => ({ key, size, sha256: sha, source: 'file:x', window: W, collectedAt: W.to, collector: 'arn:aws:sts::1:assumed-role/r (by alice)' });

describe('evidence targets', () => {
  it('parses every source kind and refuses bad ones, naming the line', () => {
    expect(parseTargets('logs:/app/api\nrds:orders\nrds-cluster:orders-c\nebs:vol-0123456789abcdef0\ns3:bucket-1/a/b/\nguardduty\ncloudtrail:user:alice\natlas:0123456789abcdef01234567/prod\nfile:logs/').map((t) => t.label)).toEqual([
      'logs:/app/api',
      'rds:orders',
      'rds-cluster:orders-c',
      'ebs:vol-0123456789abcdef0',
      's3:bucket-1/a/b/',
      'guardduty',
      'cloudtrail:user:alice',
      'atlas:0123456789abcdef01234567/prod',
      'file:logs/',
    ]);
    expect(() => parseTargets('logs:/a\nebs:volume-1')).toThrow(/line 2.*vol-/);
    expect(() => parseTargets('ftp:x')).toThrow(/unknown source/);
    expect(() => parseTargets('rds:')).toThrow(/DB instance identifier/);
    expect(() => parseTargets('# nothing\n')).toThrow(/nothing to preserve/);
    expect(parseTargets('file:a\nfile:a')).toHaveLength(1);
  });
  it('atlas takes a project id or name and a cluster; cloudtrail a user or a resource', () => {
    expect(parseTargets('atlas:askflorence/askflorence-prod-01\natlas:My Project (EU)/c-1\ncloudtrail:resource:arn:aws:s3:::b').map((t) => t.id)).toEqual(['askflorence/askflorence-prod-01', 'My Project (EU)/c-1', 'resource:arn:aws:s3:::b']);
    for (const bad of ['atlas:askflorence', 'atlas:/c', 'atlas:p/-c', 'atlas:p/c_1', 'cloudtrail:role:x', 'cloudtrail:user:']) expect(() => parseTargets(bad), bad).toThrow(/takes/);
  });
  it('key segments are stable and safe', () => {
    expect(keySegment('/aws/lambda/fn name?x')).toBe('aws/lambda/fn%20name%3fx');
    expect(keySegment('a//b')).toBe('a/b');
  });
});

describe('window', () => {
  const now = new Date('2026-11-02T00:00:00Z');
  it('needs offsets and from before to; to defaults to now', () => {
    expect(parseWindow('2026-11-01T10:00:00+01:00', '', now)).toEqual({ from: '2026-11-01T09:00:00.000Z', to: '2026-11-02T00:00:00.000Z' });
    expect(() => parseWindow('2026-11-01T10:00:00', '2026-11-01T11:00:00Z', now)).toThrow(/zone offset/);
    expect(() => parseWindow('2026-11-01T11:00:00Z', '2026-11-01T11:00:00Z', now)).toThrow(/empty/);
    expect(() => parseWindow('2020-01-01T00:00:00Z', '2026-11-01T11:00:00Z', now)).toThrow(/longer than/);
  });
  it('slices cover the window exactly, the last one shorter', () => {
    expect(sliceWindow(W, 60)).toEqual([
      { from: '2026-11-01T10:00:00.000Z', to: '2026-11-01T11:00:00.000Z' },
      { from: '2026-11-01T11:00:00.000Z', to: '2026-11-01T12:00:00.000Z' },
      { from: '2026-11-01T12:00:00.000Z', to: '2026-11-01T12:30:00.000Z' },
    ]);
  });
});

describe('manifest', () => {
  it('hash does not depend on entry or part order, and changes with any entry', () => {
    const a = [entry('k1'), entry('k2', 'b'.repeat(64))];
    expect(manifestHash(a)).toBe(manifestHash([...a].reverse()));
    expect(manifestHash(a)).not.toBe(manifestHash([entry('k1'), entry('k2', 'c'.repeat(64))]));
    expect(manifestHash(a)).not.toBe(manifestHash([entry('k1'), { ...entry('k2', 'b'.repeat(64)), collector: 'someone else' }]));
  });
  it('round-trips a part and refuses a damaged one', () => {
    const part = manifestPart('INC-1', W, [entry('z'), entry('a')]);
    expect(part.entries.map((e) => e.key)).toEqual(['a', 'z']);
    expect(parseManifestPart(manifestText(part), 'p')).toEqual(part);
    expect(() => parseManifestPart('{', 'p')).toThrow(/not JSON/);
    expect(() => parseManifestPart(JSON.stringify({ ...part, entries: [{ ...entry('a'), sha256: 'nope' }] }), 'p')).toThrow(/SHA-256/);
  });
  it('a key recorded twice with different hashes is a conflict; the first entry stands', () => {
    const { byKey, conflicts } = indexEntries([manifestPart('I', W, [entry('k')]), manifestPart('I', W, [entry('k', 'b'.repeat(64))])]);
    expect(conflicts).toEqual(['k']);
    expect(byKey.get('k')!.sha256).toBe('a'.repeat(64));
  });
  it('names objects that differ or are missing, and only those', () => {
    const entries = [entry('same'), entry('changed'), entry('resized'), entry('gone')];
    const stored = new Map([
      ['same', { key: 'same', size: 1, sha256: 'a'.repeat(64) }],
      ['changed', { key: 'changed', size: 1, sha256: 'f'.repeat(64) }],
      ['resized', { key: 'resized', size: 2, sha256: 'a'.repeat(64) }],
      ['gone', undefined],
    ]);
    expect(compareWithManifest(entries, stored).map((f) => `${f.key}:${f.problem}`)).toEqual(['changed:differs', 'resized:differs', 'gone:missing']);
  });
});
