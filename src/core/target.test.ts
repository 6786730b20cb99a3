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

describe('target grammar: each kind at the edges of its provider naming rule', () => {
  const hex = (n: number) => '0123456789abcdef'.repeat(4).slice(0, n);
  // [provider:kind, ids accepted, ids refused]
  const table: Array<[string, string[], string[]]> = [
    ['aws:secret', ['a', 'x'.repeat(512), 'a_b+c=d.e-f/g', 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbCdEf', 'arn:aws-us-gov:secretsmanager:us-gov-west-1:123456789012:secret:x'], ['x'.repeat(513), 'a#b', 'a,b', 'arn:aws:secretsmanager:eu-west-1:12345:secret:x', 'arn:aws:s3:eu-west-1:123456789012:secret:x']],
    ['aws:iam-user', ['a', 'x'.repeat(64), 'ci+deploy=1,x.y_z-w'], ['x'.repeat(65), 'a/b', 'a:b', 'a#b']],
    ['aws:iam-role', ['a', 'x'.repeat(64), 'ci+deploy=1,x.y_z-w'], ['x'.repeat(65), 'a/b', 'a:b', 'a#b']],
    ['aws:ecs-service', ['c/s', `A_1-x/${'y'.repeat(255)}`, `${'c'.repeat(255)}/s`], ['c', 'c/s/t', `${'c'.repeat(256)}/s`, `c/${'s'.repeat(256)}`, 'c/s.x', '/s', 'c/']],
    ['aws:instance', ['i-0123abcd', 'i-0123456789abcdef0'], ['i-0123abc', 'i-012345678', 'i-0123456789abcdef', 'i-0123456789abcdef01', 'i-0123ABCD', 'x-0123abcd', 'i-0123abcg']],
    ['aws:log-group', ['/aws/lambda/fn#1.x-y_z', 'x'.repeat(512)], ['x'.repeat(513), 'a:b', 'a*b']],
    ['aws:cognito-user', ['eu-west-1_AbC123/alice', `p_1/${'ü'.repeat(128)}`, 'p_1/a+b.c!d', 'p_Z/9'], ['pool/alice', 'p_1/', `p_1/${'a'.repeat(129)}`, 'p_!/alice', 'p_/alice', '_1/alice', 'p_1/a\u200bb']],
    ['aws:ecs-task', [`prod/${hex(32)}`, 'prod_1/0b6c1f2a-6a37-4c5e-9d2b-3f1f8e2a7c10', `${'c'.repeat(255)}/${hex(32)}`], [hex(32), `prod/${hex(31)}`, `prod/${hex(32)}/x`, `arn:aws:ecs/${hex(32)}`, `prod/${hex(32).toUpperCase()}`, `${'c'.repeat(256)}/${hex(32)}`]],
    ['aws:security-group', ['sg-0123abcd', 'sg-0123456789abcdef0'], ['sg-0123abc', 'sg-0123456789ABCDEF0', 'sg-0123456789abcdef', 'i-0123abcd', 'sg_0123abcd']],
    ['aws:network-acl', ['acl-0123abcd', 'acl-0123456789abcdef0'], ['acl-0123abc', 'acl-0123456789abcdef', 'sg-0123abcd', 'acl-0123ABCD']],
    ['aws:db-instance', ['a', `a${'b-'.repeat(31)}`, 'Z9'], [`a${'b'.repeat(63)}`, '1abc', 'a_b', '-a']],
    ['github:repo-secret', ['A', '_x', `A${'9'.repeat(254)}`, 'z_Z9'], [`A${'9'.repeat(255)}`, '9A', 'A-B', 'A.B']],
    ['github:env-secret', ['prod/DB_URL', `${'x'.repeat(255)}/A`, `prod/_${'a'.repeat(254)}`], [`${'x'.repeat(256)}/A`, '/A', 'prod/9A', 'prod/A/B', 'prod', `prod/_${'a'.repeat(255)}`]],
    ['github:environment', ['production', 'x'.repeat(255), 'staging (eu)'.replace(' ', '_')], ['x'.repeat(256), 'a/b', '/a']],
    ['github:user', ['a', 'a'.repeat(39), 'a-b', 'Z9'], ['a'.repeat(40), 'a_b', '-a']],
    ['github:team', ['org/team-slug.x_y', `${'o'.repeat(39)}/t`, `o/${'t'.repeat(100)}`, 'O-9/t'], [`${'o'.repeat(40)}/t`, `o/${'t'.repeat(101)}`, 'o/Team', 'o_x/t', 'o/', '/t', 'o/t/u']],
    ['cloudflare:zone', [hex(32), 'example.com', 'a.b.co', 'xn--bcher-kva.example', 'a-b.io', `${'a'.repeat(63)}.com`, `${'a.'.repeat(125)}com`], ['example', 'example.c', '-a.com', 'a-.com', `${'a'.repeat(64)}.com`, `${'a.'.repeat(126)}io`, 'EXAMPLE.com', hex(31), 'a..com', 'a.co1', `a.${'c'.repeat(64)}`]],
    ['cloudflare:list', ['a', 'x'.repeat(50), 'ip_list_2'], ['x'.repeat(51), 'List', 'a-b']],
    ['cloudflare:ruleset', [hex(32)], [hex(31), `${hex(32)}0`, hex(32).toUpperCase(), `${hex(31)}g`]],
    ['vault:kv', ['secret/app', 'kv/a.b/c-d_e', 'a/b/c'], ['secret', 'secret/', 'a//b', '/a', 'a b'.replace(' ', ':') + '/c']],
    ['vault:token-accessor', ['x'.repeat(8), 'x'.repeat(128), 'a.b-c_d9'], ['x'.repeat(7), 'x'.repeat(129), 'a/bcdefgh', 'abcdefg:']],
    ['vault:lease-prefix', ['aws', 'aws/creds/', 'aws/creds/role', 'aws//x'], ['/aws', 'a*b', 'aws/cr:ds']],
    ['atlas:db-user', ['admin/alice', 'admin/a.b+c-d@e'.replace('@', '.'), 'a/b'], ['admin/', 'admin', 'admin/a/b', '/alice', 'ad*min/a']],
    ['atlas:access-list-entry', ['10.0.0.0/8', '::1', 'fe80::1/64', '1'.repeat(49)], ['1', '1'.repeat(50), 'g', '10.0.0.0-8']],
    ['github:branch', ['main', 'release/2026-12', 'feat_x.y', 'x'.repeat(255)], ['-main', '/main', 'a..b', 'a//b', 'main/', 'main.', 'x.lock', 'a~1', 'a^b', 'a:b', 'a?b', 'a*b', 'a[b', 'a\\b', 'x'.repeat(256)]],
    ['cloudflare:worker', ['a', 'edge-api_2', `a${'b'.repeat(62)}`], ['Edge', '-a', '_a', `a${'b'.repeat(63)}`, 'a.b']],
    ['argocd:application', ['a', 'shop', 'shop.prod-2', `a${'b'.repeat(251)}c`], ['Shop', '-a', 'a-', 'a_b', `a${'b'.repeat(252)}c`]],
  ];

  for (const [kind, good, bad] of table) {
    it(`${kind}`, () => {
      for (const id of good) expect(parseTarget(`${kind}:${id}`).id, `${kind}:${id}`).toBe(id);
      for (const id of bad) {
        const text = `${kind}:${id}`;
        if (text.length > 1024) throw new Error(`test case ${text.slice(0, 40)}… is refused for its length, not its id`);
        expect(refused(text).message, text).toMatch(/has an id that is not|path segment/);
      }
    });
  }

  it('every kind is in the table', () => {
    expect(table.map(([k]) => k).sort()).toEqual([...knownTargetKinds()].sort());
  });
});

describe('target grammar: scopes', () => {
  it.each([
    ['aws:secret:x@123456789012/us-gov-west-1', { account: '123456789012', region: 'us-gov-west-1' }],
    ['aws:secret:x@us-isob-east-1', { region: 'us-isob-east-1' }],
    ['aws:secret:x@us-iso-east-1', { region: 'us-iso-east-1' }],
    ['aws:secret:x@cn-north-1', { region: 'cn-north-1' }],
    ['aws:secret:x@eu-west-12', { region: 'eu-west-12' }],
    ['github:env-secret:p/A@a/r', { account: 'a/r' }],
    ['github:env-secret:p/A@a-b9/r._-x', { account: 'a-b9/r._-x' }],
    [`github:env-secret:p/A@${'a'.repeat(39)}/${'r'.repeat(100)}`, { account: `${'a'.repeat(39)}/${'r'.repeat(100)}` }],
    [`cloudflare:zone:example.com@${'0123456789abcdef'.repeat(2)}`, { account: '0123456789abcdef'.repeat(2) }],
    ['vault:kv:secret/app@ns1/ns-2_x', { account: 'ns1/ns-2_x' }],
    ['vault:kv:secret/app@ns1', { account: 'ns1' }],
    [`atlas:db-user:admin/alice@${'0123456789abcdef'.repeat(2).slice(0, 24)}`, { account: '0123456789abcdef'.repeat(2).slice(0, 24) }],
  ])('%s', (text, scope) => {
    const ref = parseTarget(text);
    expect(ref.scope).toEqual(scope);
    expect(formatTarget(ref)).toBe(text);
  });

  it.each([
    ['aws:secret:x@123456789012/eu-west-1/extra', 'account/region, account or region'],
    ['aws:secret:x@12345678901', 'a 12-digit account id and/or a region (123456789012/eu-west-1)'],
    ['aws:secret:x@1234567890123', 'a 12-digit account id and/or a region (123456789012/eu-west-1)'],
    ['aws:secret:x@eu-west-123', 'a 12-digit account id and/or a region (123456789012/eu-west-1)'],
    ['aws:secret:x@EU-west-1', 'a 12-digit account id and/or a region (123456789012/eu-west-1)'],
    ['aws:secret:x@eu-west', 'a 12-digit account id and/or a region (123456789012/eu-west-1)'],
    ['aws:secret:x@euw-west-1', 'a 12-digit account id and/or a region (123456789012/eu-west-1)'],
    ['aws:secret:x@e-west-1', 'a 12-digit account id and/or a region (123456789012/eu-west-1)'],
    ['aws:secret:x@us-gav-west-1', 'a 12-digit account id and/or a region (123456789012/eu-west-1)'],
    ['aws:secret:x@eu-west-1x', 'a 12-digit account id and/or a region (123456789012/eu-west-1)'],
    ['aws:secret:x@eu-west-1/123456789012', 'a 12-digit account id before the region'],
    ['aws:secret:x@123456789012/123456789012', 'a region such as eu-west-1 after the account'],
    ['aws:secret:x@123456789012/eu-west-1x', 'a region such as eu-west-1 after the account'],
    ['aws:secret:x@1234567890123/eu-west-1', 'a 12-digit account id before the region'],
    ['github:env-secret:p/A@acme', 'owner/repo'],
    ['github:env-secret:p/A@-acme/api', 'owner/repo'],
    [`github:env-secret:p/A@${'a'.repeat(40)}/x`, 'owner/repo'],
    [`github:env-secret:p/A@a/${'x'.repeat(101)}`, 'owner/repo'],
    ['github:env-secret:p/A@a/r/x', 'owner/repo'],
    ['github:env-secret:p/A@a/', 'owner/repo'],
    ['cloudflare:zone:example.com@0123', 'a 32-hex Cloudflare account id'],
    [`cloudflare:zone:example.com@${'0123456789abcdef'.repeat(2).toUpperCase()}`, 'a 32-hex Cloudflare account id'],
    [`cloudflare:zone:example.com@${'0123456789abcdef'.repeat(2)}0`, 'a 32-hex Cloudflare account id'],
    ['vault:kv:secret/app@ns1/', 'a Vault namespace (ns1/ns2)'],
    ['vault:kv:secret/app@/ns1', 'a Vault namespace (ns1/ns2)'],
    ['vault:kv:secret/app@ns.1', 'a Vault namespace (ns1/ns2)'],
    ['vault:kv:secret/app@ns1/n.s', 'a Vault namespace (ns1/ns2)'],
    ['atlas:db-user:admin/alice@0123456789abcdef01234567x', 'a 24-hex Atlas project id'],
    ['atlas:db-user:admin/alice@0123456789abcdef0123456', 'a 24-hex Atlas project id'],
  ])('refuses %s', (text, why) => {
    const message = refused(text).message;
    expect(message.startsWith(`target: ${JSON.stringify(text.slice(0, 80)).slice(0, -1)}`), message).toBe(true);
    expect(message.endsWith(`" has a scope (after the last @) that is not ${why}`), message).toBe(true);
  });

  it('quotes the text whole up to 80 characters and clipped beyond; the hint shows the grammar', () => {
    const eighty = `aws:instance:${'x'.repeat(67)}`;
    expect(eighty).toHaveLength(80);
    const e = refused(eighty);
    expect(e.message).toBe(`target: "${eighty}" has an id that is not an EC2 instance id (i-0123456789abcdef0)`);
    expect(e.code).toBe('TARGET_INVALID');
    expect(e.field).toBe('target');
    expect(e.hint).toBe('Targets are written provider:kind:id[@scope], e.g. aws:secret:prod/db@123456789012/eu-west-1');
    expect(refused(`${eighty}y`).message).toBe(`target: "${eighty}…" has an id that is not an EC2 instance id (i-0123456789abcdef0)`);
    expect(refused('x'.repeat(1025)).message).toMatch(/is longer than 1024 characters$/);
    expect(parseTarget(`atlas:db-user:a/${'x'.repeat(1008)}`).id).toHaveLength(1010);
    expect(refused(`atlas:db-user:a/${'x'.repeat(1009)}`).message).toMatch(/is longer than 1024 characters$/);
  });

  it('names what is wrong in each refusal', () => {
    expect(refused('aws:').message).toBe('target: "aws:" is not provider:kind:id');
    expect(refused('aws').message).toBe('target: "aws" is not provider:kind:id');
    expect(refused('gcp:secret:x').message).toBe('target: "gcp:secret:x" names an unknown provider "gcp" (known: aws, github, cloudflare, vault, atlas, argocd)');
    expect(refused('cloudflare:bucket:x').message).toBe('target: "cloudflare:bucket:x" names an unknown cloudflare kind "bucket" (known: zone, list, ruleset, worker)');
    expect(refused('aws:toString:x').message).toMatch(/unknown aws kind "toString"/);
    expect(refused('constructor:secret:x').message).toMatch(/unknown provider "constructor"/);
    expect(refused('aws:secret:a\u007fb').message).toMatch(/control characters$/);
    expect(refused('aws:secret:a\u001fb').message).toMatch(/control characters$/);
    expect(refused('aws:secret:a/./b').message).toMatch(/path segment$/);
    expect(refused('github:user:octocat', { kinds: ['github:env-secret'] }).message).toBe('target: "github:user:octocat" is a github:user, which this step does not act on');
    expect(parseTarget('github:user:octocat', { kinds: ['github:user'] }).id).toBe('octocat');
    expect(refused('aws::x').message).toMatch(/unknown aws kind ""/);
  });

  it('formats a scope with only a region', () => {
    expect(formatTarget({ provider: 'aws', kind: 'secret', id: 'x', scope: { region: 'eu-west-1' } })).toBe('aws:secret:x@eu-west-1');
    expect(formatTarget({ provider: 'aws', kind: 'secret', id: 'x', scope: {} })).toBe('aws:secret:x');
  });
});

describe('target grammar: the separators at their edges', () => {
  it('an empty provider is an unknown provider; a scope right after the kind is still a scope; non-text is empty', () => {
    expect(refused(':secret:x').message).toBe('target: ":secret:x" names an unknown provider "" (known: aws, github, cloudflare, vault, atlas, argocd)');
    expect(refused('aws:secret:@bogus').message).toBe('target: "aws:secret:@bogus" has a scope (after the last @) that is not a 12-digit account id and/or a region (123456789012/eu-west-1)');
    expect(refused('aws:secret:@123456789012').message).toBe('target: "aws:secret:@123456789012" has an id that is not a secret name or ARN (letters, digits, /_+=.@-)');
    expect(refused(42 as unknown as string).message).toMatch(/is empty$/);
    expect(refused('aws:x').message).toBe('target: "aws:x" is not provider:kind:id');
  });
});
