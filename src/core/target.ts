import { InputError } from './errors.js';

/**
 * One grammar for what a step acts on, shared by every capability:
 *
 *   provider:kind:id[@scope]
 *
 *   aws:secret:prod/db@123456789012/eu-west-1     a Secrets Manager secret in one account and region
 *   aws:ecs-service:prod-cluster/api@eu-west-1    a service, account from the credentials
 *   github:env-secret:production/DB_URL           an environment secret of the current repository
 *   github:env-secret:production/DB_URL@acme/api  … of another repository
 *   cloudflare:zone:example.com                   a zone, account from the kit
 *   argocd:application:shop@apps                  an Argo CD Application in namespace `apps`
 *
 * The scope is where the thing lives, so the same step can later fan out across accounts, regions,
 * repositories and zones without a new input. A target is parsed and validated here once; adapters
 * receive the parsed form and never re-split strings.
 */

export type Provider = 'aws' | 'github' | 'cloudflare' | 'vault' | 'atlas' | 'argocd';

export interface TargetScope {
  /** AWS account id, Cloudflare account id, Atlas project id, GitHub `owner/repo` or Argo CD Application namespace. */
  account?: string;
  /** AWS region. */
  region?: string;
}

export interface TargetRef {
  provider: Provider;
  kind: string;
  id: string;
  scope: TargetScope;
}

interface KindRule {
  /** What a valid id looks like, for the error message. */
  shape: string;
  id: RegExp;
}

const AWS_ACCOUNT = /^\d{12}$/;
const AWS_REGION = /^[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/;
const GITHUB_REPO = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/;
const CLOUDFLARE_ACCOUNT = /^[0-9a-f]{32}$/;
const ATLAS_PROJECT = /^[0-9a-f]{24}$/;

/**
 * Kinds each provider knows. Ids are checked against the provider's own naming rules so a typo is
 * refused here, not by a provider call half-way through a run.
 */
const KINDS: Record<Provider, Record<string, KindRule>> = {
  aws: {
    // Secrets Manager names: 1-512 of letters, digits and /_+=.@-
    secret: { shape: 'a secret name or ARN (letters, digits, /_+=.@-)', id: /^(?:arn:aws[\w-]*:secretsmanager:[\w-]+:\d{12}:secret:)?[\w/+=.@-]{1,512}$/ },
    'iam-user': { shape: 'an IAM user name (letters, digits, +=,.@_-; at most 64)', id: /^[\w+=,.@-]{1,64}$/ },
    'iam-role': { shape: 'an IAM role name (letters, digits, +=,.@_-; at most 64)', id: /^[\w+=,.@-]{1,64}$/ },
    'ecs-service': { shape: 'cluster/service', id: /^[A-Za-z0-9_-]{1,255}\/[A-Za-z0-9_-]{1,255}$/ },
    instance: { shape: 'an EC2 instance id (i-0123456789abcdef0)', id: /^i-(?:[0-9a-f]{8}|[0-9a-f]{17})$/ },
    // Task ids are 32 hex digits (older tasks: a UUID); the cluster is a name, never an ARN here.
    'ecs-task': { shape: 'cluster/task-id', id: /^[A-Za-z0-9_-]{1,255}\/[0-9a-f-]{32,36}$/ },
    'security-group': { shape: 'a security group id (sg-0123456789abcdef0)', id: /^sg-(?:[0-9a-f]{8}|[0-9a-f]{17})$/ },
    'network-acl': { shape: 'a network ACL id (acl-0123456789abcdef0)', id: /^acl-(?:[0-9a-f]{8}|[0-9a-f]{17})$/ },
    'log-group': { shape: 'a CloudWatch log group name', id: /^[\w#/.-]{1,512}$/ },
    'cognito-user': { shape: 'pool-id/username', id: /^[\w-]+_[0-9a-zA-Z]+\/[\p{L}\p{M}\p{S}\p{N}\p{P}]{1,128}$/u },
    'db-instance': { shape: 'an RDS DB instance identifier', id: /^[a-zA-Z][a-zA-Z0-9-]{0,62}$/ },
  },
  github: {
    'repo-secret': { shape: 'SECRET_NAME', id: /^[A-Za-z_][A-Za-z0-9_]{0,254}$/ },
    'env-secret': { shape: 'environment/SECRET_NAME', id: /^[^/\s]{1,255}\/[A-Za-z_][A-Za-z0-9_]{0,254}$/ },
    environment: { shape: 'an environment name', id: /^[^/\s][^/]{0,254}$/ },
    // git check-ref-format, roughly: no `..`, `@{`, control characters, space, ~^:?*[\ or a leading `-`/`/`.
    branch: { shape: 'a branch name', id: /^(?!-|\/)(?!.*(?:\.\.|@\{|\/\/|\.lock(?:\/|$)|\/$|\.$))[^\s~^:?*[\\\x00-\x1f\x7f]{1,255}$/ },
    user: { shape: 'a GitHub login', id: /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/ },
    team: { shape: 'org/team-slug', id: /^[A-Za-z0-9-]{1,39}\/[a-z0-9_.-]{1,100}$/ },
  },
  cloudflare: {
    zone: { shape: 'a domain name (example.com) or a 32-hex zone id', id: /^(?:[0-9a-f]{32}|(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63})$/ },
    list: { shape: 'a list name (lowercase letters, digits, _)', id: /^[a-z0-9_]{1,50}$/ },
    ruleset: { shape: 'a 32-hex ruleset id', id: /^[0-9a-f]{32}$/ },
    worker: { shape: 'a Worker script name (lowercase letters, digits, - and _)', id: /^[a-z0-9](?:[a-z0-9_-]{0,62})$/ },
  },
  vault: {
    kv: { shape: 'mount/path/to/secret', id: /^[\w.-]+(?:\/[\w.@-]+)+$/ },
    'token-accessor': { shape: 'a token accessor', id: /^[\w.-]{8,128}$/ },
    'lease-prefix': { shape: 'a lease path prefix', id: /^[\w.-]+(?:\/[\w.-]*)*$/ },
  },
  atlas: {
    'db-user': { shape: 'admin/username (auth database/user)', id: /^[\w.-]+\/[\w.@+-]{1,1024}$/ },
    'access-list-entry': { shape: 'a CIDR or IP in the project access list', id: /^[0-9a-fA-F:./]{2,49}$/ },
  },
  argocd: {
    // Kubernetes object names (RFC 1123 subdomain).
    application: { shape: 'an Application name (lowercase letters, digits, - and .)', id: /^[a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?$/ },
  },
};

const SCOPE_RULES: Record<Provider, (scope: string) => TargetScope | string> = {
  aws(scope) {
    const [first, second, ...rest] = scope.split('/');
    if (rest.length > 0 || first === undefined) return 'account/region, account or region';
    if (second === undefined) {
      if (AWS_ACCOUNT.test(first)) return { account: first };
      if (AWS_REGION.test(first)) return { region: first };
      return 'a 12-digit account id and/or a region (123456789012/eu-west-1)';
    }
    if (!AWS_ACCOUNT.test(first)) return 'a 12-digit account id before the region';
    if (!AWS_REGION.test(second)) return 'a region such as eu-west-1 after the account';
    return { account: first, region: second };
  },
  github(scope) {
    return GITHUB_REPO.test(scope) ? { account: scope } : 'owner/repo';
  },
  cloudflare(scope) {
    return CLOUDFLARE_ACCOUNT.test(scope) ? { account: scope } : 'a 32-hex Cloudflare account id';
  },
  vault(scope) {
    // A Vault namespace (Enterprise); plain paths only, no traversal.
    return /^[\w-]+(?:\/[\w-]+)*$/.test(scope) ? { account: scope } : 'a Vault namespace (ns1/ns2)';
  },
  atlas(scope) {
    return ATLAS_PROJECT.test(scope) ? { account: scope } : 'a 24-hex Atlas project id';
  },
  argocd(scope) {
    // The Application's namespace (apps in any namespace); the default is the Argo CD namespace.
    return /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(scope) ? { account: scope } : 'a Kubernetes namespace';
  },
};

const MAX_TARGET_LENGTH = 1024;

export interface ParseTargetOptions {
  /** The input the text came from, for the error. */
  field?: string;
  /** Only these `provider:kind` pairs are accepted by the calling step. */
  kinds?: readonly string[];
}

export function parseTarget(text: string, options: ParseTargetOptions = {}): TargetRef {
  const field = options.field ?? 'target';
  const fail = (why: string): never => {
    throw new InputError(`${field}: ${JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text)} ${why}`, {
      field,
      code: 'TARGET_INVALID',
      hint: options.kinds ? `This step acts on: ${options.kinds.join(', ')} (provider:kind:id[@scope])` : 'Targets are written provider:kind:id[@scope], e.g. aws:secret:prod/db@123456789012/eu-west-1',
    });
  };
  if (typeof text !== 'string' || text.length === 0) fail('is empty');
  if (text.length > MAX_TARGET_LENGTH) fail(`is longer than ${MAX_TARGET_LENGTH} characters`);
  if (/\s|[\u0000-\u001f\u007f]/.test(text)) fail('contains white space or control characters');
  const first = text.indexOf(':');
  const second = first < 0 ? -1 : text.indexOf(':', first + 1);
  if (first < 0 || second < 0) fail('is not provider:kind:id');
  const provider = text.slice(0, first);
  const kind = text.slice(first + 1, second);
  let rest = text.slice(second + 1);
  if (!Object.hasOwn(KINDS, provider)) fail(`names an unknown provider ${JSON.stringify(provider)} (known: ${Object.keys(KINDS).join(', ')})`);
  const p = provider as Provider;
  const rule = Object.hasOwn(KINDS[p], kind) ? KINDS[p][kind] : undefined;
  if (!rule) fail(`names an unknown ${provider} kind ${JSON.stringify(kind)} (known: ${Object.keys(KINDS[p]).join(', ')})`);
  if (options.kinds && !options.kinds.includes(`${provider}:${kind}`)) fail(`is a ${provider}:${kind}, which this step does not act on`);
  let scope: TargetScope = {};
  // The last '@' always starts the scope, so a typo in an account id is an error, never part of the
  // id. An id that itself contains '@' (secret names may) is written with its scope after it.
  const at = rest.lastIndexOf('@');
  if (at >= 0) {
    const candidate = SCOPE_RULES[p](rest.slice(at + 1));
    if (typeof candidate === 'string') fail(`has a scope (after the last @) that is not ${candidate}`);
    scope = candidate as TargetScope;
    rest = rest.slice(0, at);
  }
  if (rest.split('/').some((seg) => seg === '..' || seg === '.')) fail('contains a . or .. path segment');
  if (!rule!.id.test(rest)) fail(`has an id that is not ${rule!.shape}`);
  return { provider: p, kind, id: rest, scope };
}

export function formatTarget(ref: TargetRef): string {
  const scope = [ref.scope.account, ref.scope.region].filter(Boolean).join('/');
  return `${ref.provider}:${ref.kind}:${ref.id}${scope ? `@${scope}` : ''}`;
}

/** Every `provider:kind` the grammar knows, for docs and `--help`. */
export function knownTargetKinds(): string[] {
  return Object.entries(KINDS).flatMap(([p, kinds]) => Object.keys(kinds).map((k) => `${p}:${k}`));
}
