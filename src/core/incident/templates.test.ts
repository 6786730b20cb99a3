import { describe, expect, it } from 'vitest';
import { GuardError } from '../errors.js';
import { assertExternalSafe, findInternalDetails, renderUpdate } from './templates.js';

describe('internal-detail checker', () => {
  it.each([
    ['hostname', 'Failover of db-1.prod.internal is done'],
    ['hostname', 'ip-10-0-3-17.ec2.internal restarted'],
    ['hostname', 'see mydb.abc123.eu-west-1.rds.amazonaws.com'],
    ['private-ip', 'traffic from 10.0.3.17 was dropped'],
    ['private-ip', 'the 192.168.1.0/24 subnet'],
    ['private-ip', 'node fd12:3456:789a::1 is down'],
    ['arn', 'role arn:aws:iam::123456789012:role/responder was used'],
    ['stack-trace', 'Error: boom\n    at handler (/srv/app/index.js:12:7)'],
    ['stack-trace', 'Traceback (most recent call last):\n  File "app.py", line 3'],
    ['secret-like', 'key AKIAABCDEFGHIJKLMNOP leaked'],
  ])('flags %s in %j', (kind, text) => {
    expect(findInternalDetails(text).map((f) => f.kind)).toContain(kind);
  });
  it('lets plain customer language, public addresses and public domains through', () => {
    const ok = 'Some admin features at status.example.com were unavailable from 09:10 to 09:40 UTC. Traffic from 203.0.113.7 was blocked. Version 1.2.3 fixes it.';
    expect(findInternalDetails(ok)).toEqual([]);
    expect(() => assertExternalSafe(ok)).not.toThrow();
  });
  it('refuses with a GuardError listing each finding', () => {
    try {
      assertExternalSafe('restarted 10.1.2.3 and db.corp');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(GuardError);
      expect((e as GuardError).code).toBe('INTERNAL_DETAIL');
      expect((e as GuardError).message).toContain('private-ip: 10.1.2.3');
      expect((e as GuardError).message).toContain('hostname: db.corp');
    }
  });
});

describe('templates (seed 004)', () => {
  it('initial, update and resolved', () => {
    expect(renderUpdate('initial', 'internal', { severity: 'P1', title: 'API down', status: 'Investigating', commander: '@ic' })).toBe(
      '🔴 P1 INCIDENT: API down\nStatus: Investigating\nImpact: assessing\nETA: assessing\nCommander: @ic',
    );
    expect(renderUpdate('update', 'external', { severity: 'P1', title: 'API down', status: 'Mitigating', nextUpdate: '10:00 UTC' })).toContain('Next update: 10:00 UTC');
    const resolved = renderUpdate('resolved', 'external', { severity: 'P1', title: 'API down', status: 'resolved', duration: '1 h 5 min' });
    expect(resolved).toContain('✅ P1 RESOLVED: API down');
    expect(resolved).not.toContain('Post-mortem');
  });
});
