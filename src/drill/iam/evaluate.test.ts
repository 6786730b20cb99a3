import { describe, expect, it } from 'vitest';
import type { AwsCall } from './aws-request-actions.js';
import { describeDenial, evaluateCapability, grantKey, listGrants, unusedGrants, type EvaluationInput, type NamedPolicy } from './evaluate.js';

const ACCOUNT = '123456789012';
const SET = `arn:aws:wafv2:eu-west-1:${ACCOUNT}:regional/ipset/blk/id-1`;
const OTHER_SET = `arn:aws:wafv2:eu-west-1:${ACCOUNT}:regional/ipset/edge/id-2`;
const BUCKET = 'arn:aws:s3:::ev';

const policies: NamedPolicy[] = [
  { name: 'firebreak-block-ips', document: { Version: '2012-10-17', Statement: [{ Sid: 'Sets', Effect: 'Allow', Action: ['wafv2:GetIPSet', 'wafv2:UpdateIPSet'], Resource: [SET] }] } },
  {
    name: 'firebreak-preserve-evidence',
    document: {
      Version: '2012-10-17',
      Statement: [
        { Sid: 'Write', Effect: 'Allow', Action: ['s3:PutObject', 's3:GetObject'], Resource: `${BUCKET}/incidents/*` },
        { Sid: 'List', Effect: 'Allow', Action: 's3:ListBucket', Resource: BUCKET, Condition: { StringLike: { 's3:prefix': 'incidents/*' } } },
        // No Sid: named by position, as iam-simulate does; the wildcard counts as used by kms:GenerateDataKey.
        { Effect: 'Allow', Action: 'kms:GenerateDataKey*', Resource: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/k1` },
      ],
    },
  },
];

const call = (action: string, resource: string, context: Record<string, string> = {}): AwsCall => ({ service: action.split(':')[0]!, operation: action.split(':')[1]!, action, resource, context });
const input = (calls: AwsCall[], extra: Partial<EvaluationInput> = {}): EvaluationInput => ({
  capability: 'block-ips',
  calls,
  identityPolicies: policies,
  principalArn: `arn:aws:iam::${ACCOUNT}:role/firebreak-responder`,
  accountId: ACCOUNT,
  ...extra,
});

describe('evaluateCapability', () => {
  it('allows what the role grants and names the statement that did', async () => {
    const e = await evaluateCapability(input([call('wafv2:UpdateIPSet', SET), call('s3:ListBucket', BUCKET, { 's3:prefix': 'incidents/block-ledger/' }), call('sts:GetCallerIdentity', '*')]));
    expect(e.denied).toEqual([]);
    expect(e.decisions.map((d) => [d.call.action, d.allowedBy])).toEqual([
      ['wafv2:UpdateIPSet', [{ policy: 'firebreak-block-ips', sid: 'Sets' }]],
      ['s3:ListBucket', [{ policy: 'firebreak-preserve-evidence', sid: 'List' }]],
      ['sts:GetCallerIdentity', []],
    ]);
    expect(e.actions).toEqual(['s3:ListBucket', 'sts:GetCallerIdentity', 'wafv2:UpdateIPSet']);
  });

  it('denies another resource, a prefix outside the condition, and says which call', async () => {
    const e = await evaluateCapability(input([call('wafv2:UpdateIPSet', OTHER_SET), call('s3:ListBucket', BUCKET, { 's3:prefix': 'other/' }), call('s3:ListBucket', BUCKET)]));
    expect(e.denied.map(describeDenial)).toEqual([
      `block-ips: wafv2:UpdateIPSet on ${OTHER_SET} would be ImplicitlyDenied in production: no statement of the role allows it`,
      `block-ips: s3:ListBucket on ${BUCKET} with {"s3:prefix":"other/"} would be ImplicitlyDenied in production: no statement of the role allows it`,
      `block-ips: s3:ListBucket on ${BUCKET} would be ImplicitlyDenied in production: no statement of the role allows it`,
    ]);
  });

  it('an explicit Deny in the resource policy wins', async () => {
    const deny = { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:PutObject', Resource: `${BUCKET}/*` }] };
    const e = await evaluateCapability(input([call('s3:PutObject', `${BUCKET}/incidents/x`)], { resourcePolicies: [{ name: 'bucket', resources: [`${BUCKET}*`], document: deny }] }));
    expect(e.denied.map((d) => d.decision)).toEqual(['ExplicitlyDenied']);
    expect(describeDenial(e.denied[0]!)).toContain('an explicit Deny matches');
  });

  it('a resource ARN the action does not take is a simulation error, not an allow', async () => {
    const e = await evaluateCapability(input([call('wafv2:UpdateIPSet', `${BUCKET}/x`)]));
    expect(e.denied.map((d) => d.decision)).toEqual(['SimulationError']);
  });

  it('evaluates each distinct call once', async () => {
    const e = await evaluateCapability(input([call('wafv2:GetIPSet', SET), call('wafv2:GetIPSet', SET)]));
    expect(e.decisions).toHaveLength(1);
  });
});

const KEY = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/k1`;
/** The kit's evidence key policy hands authorisation to IAM (`kms:*` for the account root). */
const keyPolicy = {
  name: 'key',
  resources: [KEY],
  document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' }] },
};

describe('KMS needs the key policy too', () => {
  it('an identity grant alone does not allow a KMS call; a key policy that delegates to the account does', async () => {
    expect((await evaluateCapability(input([call('kms:GenerateDataKey', KEY)]))).denied.map((d) => d.decision)).toEqual(['ImplicitlyDenied']);
    expect((await evaluateCapability(input([call('kms:GenerateDataKey', KEY)], { resourcePolicies: [keyPolicy] }))).denied).toEqual([]);
  });
});

describe('unused grants', () => {
  it('lists every grant no allowed call went through, by policy, statement and action', async () => {
    const e = await evaluateCapability(
      input([call('wafv2:GetIPSet', SET), call('kms:GenerateDataKey', KEY), call('wafv2:UpdateIPSet', OTHER_SET)], { resourcePolicies: [keyPolicy] }),
    );
    expect(e.decisions.map((d) => d.decision)).toEqual(['Allowed', 'Allowed', 'ImplicitlyDenied']);
    expect(listGrants(policies).map(grantKey)).toHaveLength(6);
    expect(unusedGrants(policies, [e]).map(grantKey)).toEqual([
      'firebreak-block-ips/Sets/wafv2:UpdateIPSet',
      'firebreak-preserve-evidence/Write/s3:PutObject',
      'firebreak-preserve-evidence/Write/s3:GetObject',
      'firebreak-preserve-evidence/List/s3:ListBucket',
    ]);
  });
});
