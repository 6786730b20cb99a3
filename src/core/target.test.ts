import { describe, expect, it } from 'vitest';
import { InputError } from './errors.js';
import { formatTarget, knownTargetKinds, parseTarget } from './target.js';

const refused = (text: string, opts = {}): InputError => {
  try {
    parseTarget(text, opts);
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  return expect.unreachable(`${text} was accepted`);
};

describe('target grammar', () => {
  it.each([
    ['aws:secret:prod/db@123456789012/eu-west-1', { provider: 'aws', kind: 'secret', id: 'prod/db', scope: { account: '123456789012', region: 'eu-west-1' } }],
    ['aws:secret:prod/db@123456789012', { provider: 'aws', kind: 'secret', id: 'prod/db', scope: { account: '123456789012' } }],
    ['aws:ecs-service:prod/api@us-gov-west-1', { provider: 'aws', kind: 'ecs-service', id: 'prod/api', scope: { region: 'us-gov-west-1' } }],
    ['aws:secret:user@example@123456789012', { provider: 'aws', kind: 'secret', id: 'user@example', scope: { account: '123456789012' } }],
    ['github:env-secret:production/DB_URL', { provider: 'github', kind: 'env-secret', id: 'production/DB_URL', scope: {} }],
    ['github:env-secret:production/DB_URL@acme/api', { provider: 'github', kind: 'env-secret', id: 'production/DB_URL', scope: { account: 'acme/api' } }],
    ['cloudflare:zone:example.com', { provider: 'cloudflare', kind: 'zone', id: 'example.com', scope: {} }],
  ])('%s', (text, expected) => {
    const ref = parseTarget(text);
    expect(ref).toEqual(expected);
    expect(formatTarget(ref)).toBe(text);
  });

  it.each([
    ['', 'is empty'],
    ['aws:secret', 'is not provider:kind:id'],
    ['gcp:secret:x', 'unknown provider'],
    ['aws:bucket:x', 'unknown aws kind'],
    ['aws:secret:prod db', 'white space'],
    ['aws:secret:a\u0000b', 'control characters'],
    ['aws:secret:../etc/passwd', '. or .. path segment'],
    ['aws:instance:i-123', 'EC2 instance id'],
    ['aws:secret:prod/db@12345/eu-west-1', 'scope'],
    ['cloudflare:zone:Example..com', 'domain name'],
    ['github:user:-bad', 'GitHub login'],
    ['aws:secret:user@example', 'scope (after the last @)'],
  ])('refuses %j (%s)', (text, why) => {
    expect(refused(text).message).toContain(why);
  });

  it('refuses a kind the step does not act on, naming what it does', () => {
    const e = refused('github:user:octocat', { kinds: ['aws:secret', 'github:env-secret'], field: 'secret' });
    expect(e.message).toContain('does not act on');
    expect(e.hint).toContain('aws:secret, github:env-secret');
    expect(e.field).toBe('secret');
  });

  it('refuses overlong text before any matching', () => {
    expect(refused(`aws:secret:${'a'.repeat(2000)}`).message).toContain('longer than 1024');
  });

  it('lists every kind for docs', () => {
    expect(knownTargetKinds()).toContain('aws:secret');
    expect(knownTargetKinds()).toContain('cloudflare:zone');
  });
});
