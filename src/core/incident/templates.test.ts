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
  it.each([
    // loopback (127/8, ::1), link-local (169.254/16, fe80::/10), CGNAT, unique-local, unspecified, site-local
    '127.0.0.1', '127.53.1.9', '::1', '[::1]:8080', '169.254.169.254', 'fe80::1', 'fe80::1%eth0', 'febf:ffff::1', '100.64.0.1', '100.127.255.254',
    'fc00::1', 'fdff:ffff::1', '0.0.0.0', '::0', 'fec0::1', '255.255.255.255', '198.18.0.1',
    // with a port, in a URL, as IPv4-mapped / translated IPv6
    '127.0.0.1:8080', 'http://169.254.169.254/latest/meta-data', '10.0.0.1:22', '::ffff:127.0.0.1', '::ffff:10.1.2.3', '::ffff:7f00:1', '::ffff:0:a00:1', '64:ff9b::a9fe:a9fe',
  ])('flags the non-public address in %j', (address) => {
    expect(findInternalDetails(`we restarted ${address} after the fault`).map((f) => f.kind)).toEqual(['private-ip']);
  });
  it.each(['db.internal', 'printer.local', 'DB-1.PROD.INTERNAL', 'metadata.google.internal', 'api.svc.cluster.local'])('flags the internal host name %j', (host) => {
    expect(findInternalDetails(`see ${host} for details`).map((f) => f.kind)).toContain('hostname');
  });
  it('lets public addresses in IPv6, mapped and port forms through', () => {
    expect(findInternalDetails('blocked 8.8.8.8:53, ::ffff:8.8.8.8, 2606:4700::1111 and 64:ff9b::808:808')).toEqual([]);
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
