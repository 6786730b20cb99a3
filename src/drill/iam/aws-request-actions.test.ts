import { describe, expect, it } from 'vitest';
import { impliedKmsCalls, knownSecret, toAwsCall, UnmappedRequestError, type KnownSecret } from './aws-request-actions.js';
import { parseRecording, type RecordedHttpRequest } from './moto-recorder.js';

const ACCOUNT = '123456789012';
const auth = (service: string, region = 'eu-west-1') =>
  `AWS4-HMAC-SHA256 Credential=testing/20261123/${region}/${service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc`;

function req(method: string, url: string, headers: Record<string, string>, body = ''): RecordedHttpRequest {
  return { method, url, headers, body: Buffer.from(body) };
}
const waf = (op: string, body: object) =>
  req('POST', 'http://127.0.0.1:5000/', { authorization: auth('wafv2'), 'x-amz-target': `AWSWAF_20190729.${op}` }, JSON.stringify(body));
const s3 = (method: string, path: string, extra: Record<string, string> = {}) => req(method, `http://127.0.0.1:5000${path}`, { authorization: auth('s3'), ...extra });
const sm = (op: string, body: object) =>
  req('POST', 'http://127.0.0.1:5000/', { authorization: auth('secretsmanager'), 'x-amz-target': `secretsmanager.${op}` }, JSON.stringify(body));

describe('parseRecording (moto 5.2 recorder lines)', () => {
  it('reads base64 and plain bodies and lower-cases header names', () => {
    const text = [
      JSON.stringify({ headers: { Authorization: 'x', 'X-Amz-Target': 'T' }, method: 'POST', url: 'http://h/', body: Buffer.from('{"a":1}').toString('base64'), body_encoded: true }),
      '',
      JSON.stringify({ headers: {}, method: 'GET', url: 'http://h/b?list-type=2', body: '', body_encoded: false }),
    ].join('\n');
    const got = parseRecording(text);
    expect(got.map((r) => [r.method, r.headers['x-amz-target'], r.body.toString()])).toEqual([
      ['POST', 'T', '{"a":1}'],
      ['GET', undefined, ''],
    ]);
  });

  it('refuses a line that is not a request', () => {
    expect(() => parseRecording('{"url":"http://h/"}')).toThrow(/line 1 has no method/);
    expect(() => parseRecording('not json')).toThrow(/line 1 is not JSON/);
  });
});

describe('toAwsCall', () => {
  it('maps WAF IP set calls to the set ARN, regional and CloudFront', () => {
    expect(toAwsCall(waf('UpdateIPSet', { Name: 'blk', Id: 'id-1', Scope: 'REGIONAL', Addresses: [] }), { accountId: ACCOUNT })).toEqual({
      service: 'wafv2',
      operation: 'UpdateIPSet',
      action: 'wafv2:UpdateIPSet',
      resource: `arn:aws:wafv2:eu-west-1:${ACCOUNT}:regional/ipset/blk/id-1`,
      context: {},
    });
    expect(toAwsCall(waf('GetIPSet', { Name: 'edge', Id: 'id-2', Scope: 'CLOUDFRONT' }), { accountId: ACCOUNT }).resource).toBe(`arn:aws:wafv2:us-east-1:${ACCOUNT}:global/ipset/edge/id-2`);
    expect(toAwsCall(waf('GetRuleGroup', { Name: 'rg', Id: 'id-3', Scope: 'REGIONAL' }), { accountId: ACCOUNT, partition: 'aws-us-gov' }).resource).toBe(
      `arn:aws-us-gov:wafv2:eu-west-1:${ACCOUNT}:regional/rulegroup/rg/id-3`,
    );
  });

  it('maps S3 object and listing calls, with the prefix as a condition key', () => {
    const ctx = { accountId: ACCOUNT };
    expect(toAwsCall(s3('PUT', '/ev/incidents/runs/a%20b.json'), ctx)).toMatchObject({ action: 's3:PutObject', resource: 'arn:aws:s3:::ev/incidents/runs/a b.json' });
    expect(toAwsCall(s3('GET', '/ev/incidents/x'), ctx)).toMatchObject({ operation: 'GetObject', action: 's3:GetObject' });
    expect(toAwsCall(s3('HEAD', '/ev/incidents/x'), ctx)).toMatchObject({ operation: 'HeadObject', action: 's3:GetObject' });
    expect(toAwsCall(s3('DELETE', '/ev/incidents/x'), ctx)).toMatchObject({ action: 's3:DeleteObject' });
    expect(toAwsCall(s3('GET', '/ev?list-type=2&prefix=incidents%2Fblock-ledger%2F'), ctx)).toEqual({
      service: 's3',
      operation: 'ListObjectsV2',
      action: 's3:ListBucket',
      resource: 'arn:aws:s3:::ev',
      context: { 's3:prefix': 'incidents/block-ledger/' },
    });
    expect(toAwsCall(s3('GET', '/ev'), ctx)).toMatchObject({ operation: 'ListObjects', context: {} });
  });

  it("maps the audit trail's calls: version listings, version reads, and the put's condition headers", () => {
    const ctx = { accountId: ACCOUNT };
    expect(toAwsCall(s3('GET', '/ev?versions&prefix=audit%2FINC-1%2F'), ctx)).toEqual({
      service: 's3',
      operation: 'ListObjectVersions',
      action: 's3:ListBucketVersions',
      resource: 'arn:aws:s3:::ev',
      context: { 's3:prefix': 'audit/INC-1/' },
    });
    expect(toAwsCall(s3('GET', '/ev/audit/INC-1/000000000001.json?versionId=v1'), ctx)).toMatchObject({ operation: 'GetObject', action: 's3:GetObjectVersion' });
    expect(toAwsCall(s3('HEAD', '/ev/audit/INC-1/000000000001.json?versionId=v1'), ctx)).toMatchObject({ operation: 'HeadObject', action: 's3:GetObjectVersion' });
    const put = s3('PUT', '/ev/audit/INC-1/000000000001.json', { 'if-none-match': '*', 'x-amz-object-lock-mode': 'GOVERNANCE', 'x-amz-object-lock-legal-hold': 'ON' });
    expect(toAwsCall(put, ctx).context).toEqual({ 's3:if-none-match': '*', 's3:object-lock-mode': 'GOVERNANCE', 's3:object-lock-legal-hold': 'ON' });
    expect(toAwsCall(s3('PUT', '/ev/incidents/x'), ctx).context).toEqual({});
  });

  it('sts:GetCallerIdentity is kept (IAM never denies it) with resource *', () => {
    const call = toAwsCall(req('POST', 'http://h/', { authorization: auth('sts') }, 'Action=GetCallerIdentity&Version=2011-06-15'), { accountId: ACCOUNT });
    expect(call).toEqual({ service: 'sts', operation: 'GetCallerIdentity', action: 'sts:GetCallerIdentity', resource: '*', context: {} });
  });

  describe('Secrets Manager', () => {
    const TAGGED_ARN = `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:prod/db-AbC123`;
    const PLAIN_ARN = `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:prod/db-plain-XyZ789`;
    const secrets: KnownSecret[] = [
      { arn: TAGGED_ARN, name: 'prod/db', tags: { 'firebreak:rotatable': 'true', team: 'shop' } },
      { arn: PLAIN_ARN, name: 'prod/db-plain', tags: {} },
    ];
    const ctx = { accountId: ACCOUNT, secrets };
    const tagContext = { 'aws:ResourceTag/firebreak:rotatable': 'true', 'aws:ResourceTag/team': 'shop' };

    it("maps each call on a secret to its full ARN, with the secret's tags as condition keys", () => {
      for (const op of ['DescribeSecret', 'GetSecretValue', 'PutSecretValue', 'UpdateSecretVersionStage', 'ListSecretVersionIds']) {
        expect(toAwsCall(sm(op, { SecretId: 'prod/db', VersionStage: 'AWSCURRENT' }), ctx), op).toEqual({
          service: 'secretsmanager',
          operation: op,
          action: `secretsmanager:${op}`,
          resource: TAGGED_ARN,
          context: tagContext,
        });
      }
    });

    it('finds the secret by name, full ARN or partial ARN, and never confuses a name that is a prefix of another', () => {
      expect(toAwsCall(sm('GetSecretValue', { SecretId: TAGGED_ARN }), ctx).resource).toBe(TAGGED_ARN);
      expect(toAwsCall(sm('GetSecretValue', { SecretId: `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:prod/db` }), ctx).resource).toBe(TAGGED_ARN);
      expect(toAwsCall(sm('GetSecretValue', { SecretId: 'prod/db-plain' }), ctx).resource).toBe(PLAIN_ARN);
      expect(toAwsCall(sm('GetSecretValue', { SecretId: `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:prod/db-plain` }), ctx).resource).toBe(PLAIN_ARN);
    });

    it('an untagged secret carries no tag condition keys (so a tag condition cannot match it)', () => {
      expect(toAwsCall(sm('PutSecretValue', { SecretId: 'prod/db-plain' }), ctx).context).toEqual({});
    });

    it('GetRandomPassword has no resource type: resource *, no context', () => {
      expect(toAwsCall(sm('GetRandomPassword', { PasswordLength: 32 }), { accountId: ACCOUNT })).toEqual({
        service: 'secretsmanager',
        operation: 'GetRandomPassword',
        action: 'secretsmanager:GetRandomPassword',
        resource: '*',
        context: {},
      });
    });

    it('refuses a secret it does not know (its ARN and tags would be guesses) and operations it does not map', () => {
      expect(() => toAwsCall(sm('GetSecretValue', { SecretId: 'prod/other' }), ctx)).toThrow(/not in MappingContext.secrets/);
      expect(() => toAwsCall(sm('GetSecretValue', { SecretId: 'prod/db' }), { accountId: ACCOUNT })).toThrow(UnmappedRequestError);
      expect(() => toAwsCall(sm('DeleteSecret', { SecretId: 'prod/db' }), ctx)).toThrow(UnmappedRequestError);
      expect(() => toAwsCall(sm('GetSecretValue', {}), ctx)).toThrow(/without SecretId/);
    });

    it('knownSecret reads a DescribeSecret answer', () => {
      expect(knownSecret({ ARN: TAGGED_ARN, Name: 'prod/db', Tags: [{ Key: 'firebreak:rotatable', Value: 'true' }] })).toEqual({ arn: TAGGED_ARN, name: 'prod/db', tags: { 'firebreak:rotatable': 'true' } });
      expect(knownSecret({ ARN: PLAIN_ARN, Name: 'prod/db-plain' }).tags).toEqual({});
      expect(() => knownSecret({ Name: 'x' })).toThrow(/without ARN/);
    });
  });

  it('maps ECS service calls to the service ARN (cluster by name or ARN); more than one service is refused', () => {
    const ecs = (op: string, body: object) =>
      req('POST', 'http://127.0.0.1:5000/', { authorization: auth('ecs'), 'x-amz-target': `AmazonEC2ContainerServiceV20141113.${op}` }, JSON.stringify(body));
    const ctx = { accountId: ACCOUNT };
    expect(toAwsCall(ecs('UpdateService', { cluster: 'prod', service: 'api', forceNewDeployment: true }), ctx)).toEqual({
      service: 'ecs',
      operation: 'UpdateService',
      action: 'ecs:UpdateService',
      resource: `arn:aws:ecs:eu-west-1:${ACCOUNT}:service/prod/api`,
      context: {},
    });
    expect(toAwsCall(ecs('DescribeServices', { cluster: `arn:aws:ecs:eu-west-1:${ACCOUNT}:cluster/prod`, services: ['api'] }), ctx).resource).toBe(`arn:aws:ecs:eu-west-1:${ACCOUNT}:service/prod/api`);
    expect(() => toAwsCall(ecs('DescribeServices', { cluster: 'prod', services: ['api', 'worker'] }), ctx)).toThrow(UnmappedRequestError);
    expect(() => toAwsCall(ecs('DeleteService', { cluster: 'prod', service: 'api' }), ctx)).toThrow(UnmappedRequestError);
  });

  it('refuses what it cannot map, so a new API call cannot slip past the check', () => {
    const ctx = { accountId: ACCOUNT };
    const cases: RecordedHttpRequest[] = [
      req('POST', 'http://h/', {}, '{}'),
      req('POST', 'http://h/', { authorization: auth('secretsmanager'), 'x-amz-target': 'secretsmanager.PutSecretValue' }, '{}'),
      waf('DeleteIPSet', { Name: 'a', Id: 'b', Scope: 'REGIONAL' }),
      waf('GetIPSet', { Name: 'a', Scope: 'REGIONAL' }),
      s3('PUT', '/ev/incidents/x?retention'),
      s3('PUT', '/ev/incidents/x', { 'x-amz-copy-source': '/ev/other' }),
      s3('PUT', '/ev?object-lock'),
      s3('POST', '/ev'),
      req('POST', 'http://h/', { authorization: auth('sts') }, 'Action=AssumeRole'),
    ];
    for (const c of cases) expect(() => toAwsCall(c, ctx), `${c.method} ${c.url} ${c.body.toString()}`).toThrow(UnmappedRequestError);
  });
});

describe('impliedKmsCalls', () => {
  const keys = { ev: 'arn:aws:kms:eu-west-1:123456789012:key/k1' };
  it('adds GenerateDataKey for uploads and Decrypt for downloads to an SSE-KMS bucket', () => {
    const put = toAwsCall(s3('PUT', '/ev/incidents/x'), { accountId: ACCOUNT });
    const get = toAwsCall(s3('GET', '/ev/incidents/x'), { accountId: ACCOUNT });
    expect(impliedKmsCalls(put, keys)).toEqual([
      { service: 'kms', operation: 'GenerateDataKey', action: 'kms:GenerateDataKey', resource: keys.ev, context: {}, impliedBy: 's3:PutObject arn:aws:s3:::ev/incidents/x' },
    ]);
    expect(impliedKmsCalls(get, keys).map((c) => c.action)).toEqual(['kms:Decrypt']);
    const version = toAwsCall(s3('GET', '/ev/audit/INC-1/000000000001.json?versionId=v1'), { accountId: ACCOUNT });
    expect(impliedKmsCalls(version, keys).map((c) => c.action)).toEqual(['kms:Decrypt']);
  });

  it('adds nothing for listings, other buckets or other services', () => {
    expect(impliedKmsCalls(toAwsCall(s3('GET', '/ev?list-type=2'), { accountId: ACCOUNT }), keys)).toEqual([]);
    expect(impliedKmsCalls(toAwsCall(s3('PUT', '/other/x'), { accountId: ACCOUNT }), keys)).toEqual([]);
    expect(impliedKmsCalls(toAwsCall(waf('GetIPSet', { Name: 'a', Id: 'b', Scope: 'REGIONAL' }), { accountId: ACCOUNT }), keys)).toEqual([]);
  });
});
