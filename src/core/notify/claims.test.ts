import { describe, expect, it } from 'vitest';
import { liveClaims, ownerOf, parseClaim, renderClaim } from './claims.js';

const NOW = new Date('2026-12-02T09:00:00Z');
const later = new Date('2026-12-02T09:15:00Z');
const earlier = new Date('2026-12-02T08:45:00Z');

describe('delivery claims', () => {
  it('round-trips an open and a settled claim', () => {
    expect(parseClaim(7, renderClaim('run-1', later, ['nfy-a', 'nfy-b'], 'note'))).toEqual({ id: 7, run: 'run-1', until: later, keys: ['nfy-a', 'nfy-b'] });
    expect(parseClaim(8, renderClaim('run-1', null, ['nfy-a'], 'note'))).toEqual({ id: 8, run: 'run-1', until: null, keys: ['nfy-a'] });
  });

  it('ignores other comments, released stubs and malformed claims', () => {
    expect(parseClaim(1, '<!-- firebreak:superseded -->\n_Superseded: x._')).toBeUndefined();
    expect(parseClaim(1, '<!-- firebreak:notify-claim run=r until=2026-12-02T09:15:00Z -->\n```json firebreak-notify-claim\n{"k":1}\n```')).toBeUndefined();
    expect(parseClaim(1, '<!-- firebreak:notify-claim run=r until=soon -->\n```json firebreak-notify-claim\n["k"]\n```')).toBeUndefined();
    expect(parseClaim(1, '<!-- firebreak:notify-claim run=r until=2026-12-02T09:15:00Z -->\n```json firebreak-notify-claim\n[1]\n```')).toBeUndefined();
  });

  it('the lowest live comment id owns a key; a lapsed open claim owns nothing, a settled one keeps its keys', () => {
    const comments = [
      { id: 30, body: renderClaim('late', later, ['nfy-a', 'nfy-c'], '') },
      { id: 20, body: renderClaim('first', later, ['nfy-a'], '') },
      { id: 10, body: renderClaim('dead', earlier, ['nfy-a', 'nfy-b'], '') },
      { id: 5, body: renderClaim('done', null, ['nfy-d'], '') },
    ];
    const live = liveClaims(comments, NOW);
    expect(live.map((c) => c.id)).toEqual([5, 20, 30]);
    expect(ownerOf(live, 'nfy-a')?.run).toBe('first');
    expect(ownerOf(live, 'nfy-b')).toBeUndefined();
    expect(ownerOf(live, 'nfy-c')?.run).toBe('late');
    expect(ownerOf(live, 'nfy-d')?.run).toBe('done');
  });
});
