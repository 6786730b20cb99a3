import { loginId, type Builders } from './builders.js';
import { ORG_HANDLERS } from './handlers-orgs.js';
import { dispatchHandlers } from './handlers-dispatch.js';
import { ISSUEOPS_HANDLERS } from './handlers-issueops.js';
import { scanningHandlers } from './handlers-scanning.js';
import {
  blobSha,
  LIMITS,
  openSealedBox,
  type DeploymentRecord,
  type EnvironmentRecord,
  type FileRecord,
  type GitHubState,
  type IssueRecord,
  type KeyPair,
  type SecretRecord,
  type VariableRecord,
} from './state.js';

/**
 * One handler per operationId in the spec subset. Handlers receive parameters and a body that
 * already passed the spec's request validation, and answer with GitHub's behaviour for what the
 * spec cannot express (existence, conflicts, sealed boxes, limits) by throwing `HttpError`.
 */

type Obj = Record<string, unknown>;

export interface HandlerContext {
  params: Record<string, unknown>;
  query: Record<string, unknown>;
  body: unknown;
  state: GitHubState;
  build: Builders;
  /** The request URL (absolute), for Link headers. */
  url: URL;
}

export interface HandlerResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type Handler = (ctx: HandlerContext) => HandlerResult;

export const DOCS = 'https://docs.github.com/rest';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors?: Obj[],
  ) {
    super(message);
  }

  toBody(): Obj {
    return {
      message: this.message,
      documentation_url: DOCS,
      status: String(this.status),
      ...(this.errors ? { errors: this.errors } : {}),
    };
  }
}

const notFound = () => new HttpError(404, 'Not Found');
const validation = (resource: string, field: string, code: string, message?: string) =>
  new HttpError(422, message ?? 'Validation Failed', [{ resource, field, code, ...(message ? { message } : {}) }]);

const ok = (body: unknown, headers?: Record<string, string>): HandlerResult => ({ status: 200, body, ...(headers ? { headers } : {}) });
const created = (body: unknown): HandlerResult => ({ status: 201, body });
const noContent = (): HandlerResult => ({ status: 204 });

function str(v: unknown): string {
  return typeof v === 'string' ? v : String(v);
}

function body(ctx: HandlerContext): Obj {
  return (ctx.body ?? {}) as Obj;
}

/** Slices a list and sets GitHub's Link header (first/prev/next/last) the way octokit.paginate reads it. */
export function paginate<T>(ctx: HandlerContext, items: T[], defaultPerPage = 30): { items: T[]; headers: Record<string, string> } {
  const perPage = Math.min(Math.max(Number(ctx.query.per_page ?? defaultPerPage), 1), LIMITS.perPageMax);
  const page = Math.max(Number(ctx.query.page ?? 1), 1);
  const last = Math.max(Math.ceil(items.length / perPage), 1);
  const link = (p: number, rel: string) => {
    const u = new URL(ctx.url);
    u.searchParams.set('page', String(p));
    u.searchParams.set('per_page', String(perPage));
    return `<${u.toString()}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (page > 1) links.push(link(page - 1, 'prev'));
  if (page < last) links.push(link(page + 1, 'next'));
  if (page < last) links.push(link(last, 'last'));
  if (page > 1) links.push(link(1, 'first'));
  return { items: items.slice((page - 1) * perPage, page * perPage), headers: links.length > 0 ? { link: links.join(', ') } : {} };
}

function issueOr404(ctx: HandlerContext): IssueRecord {
  const issue = ctx.state.issues.get(Number(ctx.params.issue_number));
  if (!issue) throw notFound();
  return issue;
}

function pullOr404(ctx: HandlerContext): IssueRecord {
  const issue = ctx.state.issues.get(Number(ctx.params.pull_number));
  if (!issue?.pull) throw notFound();
  return issue;
}

function touch(ctx: HandlerContext, issue: IssueRecord): void {
  issue.updatedAt = ctx.state.now();
}

/** Label names from the accepted shapes: strings or `{ name }` objects. */
function labelNames(raw: unknown): string[] {
  const list = Array.isArray(raw) ? raw : [];
  return list.map((l) => (typeof l === 'string' ? l : str((l as Obj).name ?? '')).trim()).filter((n) => n !== '');
}

/** GitHub creates labels that do not exist yet when they are applied to an issue. */
function ensureLabels(ctx: HandlerContext, names: string[]): string[] {
  const out: string[] = [];
  for (const name of names) {
    const key = name.toLowerCase();
    let label = ctx.state.labels.get(key);
    if (!label) {
      label = { id: 5000000 + ctx.state.id(), name, color: 'ededed', description: null, default: false };
      ctx.state.labels.set(key, label);
    }
    if (!out.some((n) => n.toLowerCase() === key)) out.push(label.name);
  }
  return out;
}

function issueLabels(ctx: HandlerContext, issue: IssueRecord): Obj[] {
  return issue.labels.map((n) => ctx.state.labels.get(n.toLowerCase())).flatMap((l) => (l ? [ctx.build.label(l)] : []));
}

// ── secrets and variables ────────────────────────────────────────────────────────────────────

const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

function checkName(kind: 'secret' | 'variable', name: string): void {
  if (!NAME_RE.test(name)) {
    throw validation(kind, 'name', 'invalid', `${kind} names can only contain alphanumeric characters ([a-z], [A-Z], [0-9]) or underscores (_), and must not start with a number`);
  }
  if (/^GITHUB_/i.test(name)) throw validation(kind, 'name', 'invalid', `${kind} names must not start with the GITHUB_ prefix`);
}

function environmentOr404(ctx: HandlerContext): EnvironmentRecord {
  const env = ctx.state.environments.get(str(ctx.params.environment_name));
  if (!env) throw notFound();
  return env;
}

function putSecret(ctx: HandlerContext, keys: KeyPair, store: Map<string, SecretRecord>, limit: number): HandlerResult {
  // GitHub stores secret (and variable) names upper-cased; lookups are case-insensitive.
  const name = str(ctx.params.secret_name).toUpperCase();
  checkName('secret', name);
  const { encrypted_value: encrypted, key_id: keyId } = body(ctx) as { encrypted_value: string; key_id: string };
  if (keyId !== keys.keyId) throw validation('secret', 'key_id', 'invalid', 'key_id does not match the current public key');
  if (Buffer.byteLength(encrypted, 'base64') > LIMITS.secretBytes + 48) throw validation('secret', 'encrypted_value', 'too_large', 'secrets are limited to 48 KB');
  const value = openSealedBox(keys, encrypted);
  if (value === undefined) throw validation('secret', 'encrypted_value', 'invalid', 'encrypted_value could not be decrypted with the public key');
  if (Buffer.byteLength(value) > LIMITS.secretBytes) throw validation('secret', 'encrypted_value', 'too_large', 'secrets are limited to 48 KB');
  const at = ctx.state.now();
  const existing = store.get(name);
  if (existing) {
    existing.value = value;
    existing.updatedAt = at;
    return noContent();
  }
  if (store.size >= limit) throw validation('secret', 'name', 'too_many', `at most ${limit} secrets`);
  store.set(name, { value, createdAt: at, updatedAt: at });
  return created({});
}

function listSecrets(ctx: HandlerContext, store: Map<string, SecretRecord>): HandlerResult {
  const all = [...store.entries()].sort(([a], [b]) => a.localeCompare(b));
  const { items, headers } = paginate(ctx, all);
  return ok({ total_count: all.length, secrets: items.map(([n, s]) => ctx.build.secret(n, s)) }, headers);
}

function getSecret(ctx: HandlerContext, store: Map<string, SecretRecord>): HandlerResult {
  const name = str(ctx.params.secret_name).toUpperCase();
  const s = store.get(name);
  if (!s) throw notFound();
  return ok(ctx.build.secret(name, s));
}

function deleteSecret(ctx: HandlerContext, store: Map<string, SecretRecord>): HandlerResult {
  if (!store.delete(str(ctx.params.secret_name).toUpperCase())) throw notFound();
  return noContent();
}

function checkVariableValue(value: string): void {
  if (Buffer.byteLength(value) > LIMITS.variableBytes) throw validation('variable', 'value', 'too_large', 'variables are limited to 48 KB');
}

function createVariable(ctx: HandlerContext, store: Map<string, VariableRecord>, limit: number): HandlerResult {
  const { name, value } = body(ctx) as { name: string; value: string };
  checkName('variable', name);
  checkVariableValue(value);
  if (findVariable(store, name)) throw new HttpError(409, 'Already exists - Variable already exists');
  if (store.size >= limit) throw validation('variable', 'name', 'too_many', `at most ${limit} variables`);
  const at = ctx.state.now();
  store.set(name.toUpperCase(), { value, createdAt: at, updatedAt: at });
  return created({});
}

function findVariable(store: Map<string, VariableRecord>, name: string): [string, VariableRecord] | undefined {
  const key = name.toUpperCase();
  const v = store.get(key);
  return v ? [key, v] : undefined;
}

function updateVariable(ctx: HandlerContext, store: Map<string, VariableRecord>): HandlerResult {
  const found = findVariable(store, str(ctx.params.name));
  if (!found) throw notFound();
  const b = body(ctx) as { name?: string; value?: string };
  const [key, record] = found;
  if (b.value !== undefined) {
    checkVariableValue(b.value);
    record.value = b.value;
  }
  record.updatedAt = ctx.state.now();
  if (b.name !== undefined && b.name.toUpperCase() !== key) {
    checkName('variable', b.name);
    store.delete(key);
    store.set(b.name.toUpperCase(), record);
  }
  return noContent();
}

function getVariable(ctx: HandlerContext, store: Map<string, VariableRecord>): HandlerResult {
  const found = findVariable(store, str(ctx.params.name));
  if (!found) throw notFound();
  return ok(ctx.build.variable(found[0], found[1]));
}

function listVariables(ctx: HandlerContext, store: Map<string, VariableRecord>): HandlerResult {
  const all = [...store.entries()].sort(([a], [b]) => a.localeCompare(b));
  const { items, headers } = paginate(ctx, all, 10);
  return ok({ total_count: all.length, variables: items.map(([n, v]) => ctx.build.variable(n, v)) }, headers);
}

function deleteVariable(ctx: HandlerContext, store: Map<string, VariableRecord>): HandlerResult {
  const found = findVariable(store, str(ctx.params.name));
  if (!found) throw notFound();
  store.delete(found[0]);
  return noContent();
}

// ── contents ─────────────────────────────────────────────────────────────────────────────────

function branchOr404(ctx: HandlerContext, ref: string): string {
  const sha = ctx.state.resolveRef(ref);
  if (!sha) throw new HttpError(404, `No commit found for the ref ${ref}`);
  return sha;
}

// ── the handlers ─────────────────────────────────────────────────────────────────────────────

export const HANDLERS: Record<string, Handler> = {
  'repos/get': (ctx) => ok(ctx.build.repository()),

  // Issues
  'issues/create': (ctx) => {
    const b = body(ctx) as { title: string | number; body?: string | null; labels?: unknown[]; assignees?: string[]; assignee?: string | null };
    const at = ctx.state.now();
    const issue: IssueRecord = {
      id: 9000000 + ctx.state.id(),
      number: ctx.state.issueNumber(),
      title: str(b.title),
      body: b.body ?? null,
      state: 'open',
      stateReason: null,
      labels: ensureLabels(ctx, labelNames(b.labels)),
      assignees: [...(b.assignees ?? []), ...(b.assignee ? [b.assignee] : [])],
      user: ctx.state.actor,
      createdAt: at,
      updatedAt: at,
      closedAt: null,
    };
    ctx.state.issues.set(issue.number, issue);
    return created(ctx.build.issue(issue));
  },
  'issues/get': (ctx) => ok(ctx.build.issue(issueOr404(ctx))),
  'issues/update': (ctx) => {
    const issue = issueOr404(ctx);
    const b = body(ctx) as { title?: string | number | null; body?: string | null; state?: 'open' | 'closed'; state_reason?: IssueRecord['stateReason']; labels?: unknown[]; assignees?: unknown[] };
    if (b.title !== undefined && b.title !== null) issue.title = str(b.title);
    if (b.body !== undefined) issue.body = b.body;
    if (b.labels !== undefined) issue.labels = ensureLabels(ctx, labelNames(b.labels));
    if (b.assignees !== undefined) issue.assignees = b.assignees.map((a) => (typeof a === 'string' ? a : str((a as Obj).login)));
    if (b.state !== undefined && b.state !== issue.state) {
      issue.state = b.state;
      issue.closedAt = b.state === 'closed' ? ctx.state.now() : null;
      issue.stateReason = b.state === 'closed' ? (b.state_reason ?? 'completed') : 'reopened';
    } else if (b.state_reason !== undefined) {
      issue.stateReason = b.state_reason;
    }
    touch(ctx, issue);
    return ok(ctx.build.issue(issue));
  },
  'issues/list-for-repo': (ctx) => {
    const q = ctx.query as { state?: string; labels?: string; sort?: string; direction?: string; since?: string; creator?: string; assignee?: string };
    const wanted = (q.labels ?? '').split(',').map((l) => l.trim().toLowerCase()).filter(Boolean);
    let list = [...ctx.state.issues.values()].filter((i) => q.state === 'all' || i.state === (q.state ?? 'open'));
    if (wanted.length > 0) list = list.filter((i) => wanted.every((w) => i.labels.some((l) => l.toLowerCase() === w)));
    if (q.since) list = list.filter((i) => i.updatedAt >= q.since!);
    if (q.creator) list = list.filter((i) => i.user === q.creator);
    if (q.assignee && q.assignee !== '*') list = list.filter((i) => (q.assignee === 'none' ? i.assignees.length === 0 : i.assignees.includes(q.assignee!)));
    const key = q.sort === 'updated' ? 'updatedAt' : 'createdAt';
    list.sort((a, b) => (a[key] === b[key] ? a.number - b.number : a[key] < b[key] ? -1 : 1));
    if ((q.direction ?? 'desc') === 'desc') list.reverse();
    const { items, headers } = paginate(ctx, list);
    return ok(items.map((i) => ctx.build.issue(i)), headers);
  },
  'issues/create-comment': (ctx) => {
    const issue = issueOr404(ctx);
    const at = ctx.state.now();
    const comment = { id: 3000000 + ctx.state.id(), issueNumber: issue.number, body: str(body(ctx).body), user: ctx.state.actor, createdAt: at, updatedAt: at };
    ctx.state.comments.set(comment.id, comment);
    touch(ctx, issue);
    return created(ctx.build.comment(comment));
  },
  'issues/list-comments': (ctx) => {
    const issue = issueOr404(ctx);
    const since = ctx.query.since as string | undefined;
    const list = [...ctx.state.comments.values()].filter((c) => c.issueNumber === issue.number && (!since || c.updatedAt >= since)).sort((a, b) => a.id - b.id);
    const { items, headers } = paginate(ctx, list);
    return ok(items.map((c) => ctx.build.comment(c)), headers);
  },
  'issues/get-comment': (ctx) => {
    const c = ctx.state.comments.get(Number(ctx.params.comment_id));
    if (!c) throw notFound();
    return ok(ctx.build.comment(c));
  },
  'issues/update-comment': (ctx) => {
    const c = ctx.state.comments.get(Number(ctx.params.comment_id));
    if (!c) throw notFound();
    c.body = str(body(ctx).body);
    c.updatedAt = ctx.state.now();
    return ok(ctx.build.comment(c));
  },

  // Labels
  'issues/create-label': (ctx) => {
    const b = body(ctx) as { name: string; color?: string; description?: string };
    const key = b.name.toLowerCase();
    if (ctx.state.labels.has(key)) throw validation('Label', 'name', 'already_exists');
    const color = (b.color ?? 'ededed').replace(/^#/, '');
    if (!/^[0-9a-fA-F]{6}$/.test(color)) throw validation('Label', 'color', 'invalid');
    const label = { id: 5000000 + ctx.state.id(), name: b.name, color: color.toLowerCase(), description: b.description ?? null, default: false };
    ctx.state.labels.set(key, label);
    return created(ctx.build.label(label));
  },
  'issues/get-label': (ctx) => {
    const l = ctx.state.labels.get(str(ctx.params.name).toLowerCase());
    if (!l) throw notFound();
    return ok(ctx.build.label(l));
  },
  'issues/list-labels-for-repo': (ctx) => {
    const all = [...ctx.state.labels.values()].sort((a, b) => a.id - b.id);
    const { items, headers } = paginate(ctx, all);
    return ok(items.map((l) => ctx.build.label(l)), headers);
  },
  'issues/list-labels-on-issue': (ctx) => {
    const issue = issueOr404(ctx);
    const { items, headers } = paginate(ctx, issueLabels(ctx, issue));
    return ok(items, headers);
  },
  'issues/add-labels': (ctx) => {
    const issue = issueOr404(ctx);
    const raw = ctx.body;
    const names = labelNames(Array.isArray(raw) ? raw : typeof raw === 'string' ? [raw] : (raw as Obj | undefined)?.labels);
    issue.labels = ensureLabels(ctx, [...issue.labels, ...names]);
    touch(ctx, issue);
    return ok(issueLabels(ctx, issue));
  },
  'issues/set-labels': (ctx) => {
    const issue = issueOr404(ctx);
    const raw = ctx.body;
    const names = labelNames(Array.isArray(raw) ? raw : typeof raw === 'string' ? [raw] : (raw as Obj | undefined)?.labels);
    issue.labels = ensureLabels(ctx, names);
    touch(ctx, issue);
    return ok(issueLabels(ctx, issue));
  },
  'issues/remove-label': (ctx) => {
    const issue = issueOr404(ctx);
    const key = str(ctx.params.name).toLowerCase();
    if (!issue.labels.some((l) => l.toLowerCase() === key)) throw new HttpError(404, 'Label does not exist');
    issue.labels = issue.labels.filter((l) => l.toLowerCase() !== key);
    touch(ctx, issue);
    return ok(issueLabels(ctx, issue));
  },

  // Git refs and contents
  'git/get-ref': (ctx) => {
    const ref = `refs/${str(ctx.params.ref).replace(/^refs\//, '')}`;
    const sha = ctx.state.refs.get(ref);
    if (!sha) throw notFound();
    return ok(ctx.build.gitRef(ref, sha));
  },
  'git/create-ref': (ctx) => {
    const { ref, sha } = body(ctx) as { ref: string; sha: string };
    if (!/^refs\/[^/]+\/.+/.test(ref)) throw new HttpError(422, 'Reference name must start with refs/ and have at least two slashes.');
    if (!ctx.state.commits.has(sha)) throw new HttpError(422, 'Object does not exist');
    if (ctx.state.refs.has(ref)) throw new HttpError(422, 'Reference already exists');
    ctx.state.refs.set(ref, sha);
    return created(ctx.build.gitRef(ref, sha));
  },
  'repos/get-content': (ctx) => {
    const ref = (ctx.query.ref as string | undefined) ?? ctx.state.defaultBranch;
    const commit = ctx.state.commits.get(branchOr404(ctx, ref));
    const path = str(ctx.params.path).replace(/^\/+|\/+$/g, '');
    const file = commit?.files.get(path);
    if (file) return ok(ctx.build.contentFile(path, file, ref));
    const under = [...(commit?.files ?? [])].filter(([p]) => path === '' || p.startsWith(`${path}/`));
    if (under.length === 0) throw notFound();
    return ok(ctx.build.contentDirectory(path, under, ref));
  },
  'repos/create-or-update-file-contents': (ctx) => {
    const path = str(ctx.params.path).replace(/^\/+/, '');
    const b = body(ctx) as { message: string; content: string; sha?: string; branch?: string };
    const branch = b.branch ?? ctx.state.defaultBranch;
    const head = ctx.state.refs.get(`refs/heads/${branch}`);
    if (!head) throw new HttpError(404, `Branch ${branch} not found`);
    if (!/^[A-Za-z0-9+/\r\n]*={0,2}\s*$/.test(b.content)) throw validation('Content', 'content', 'invalid', 'content is not valid Base64');
    const parent = ctx.state.commits.get(head);
    const existing = parent?.files.get(path);
    if (existing && b.sha === undefined) throw new HttpError(422, 'Invalid request.\n\n"sha" wasn\'t supplied.');
    if (existing && b.sha !== existing.sha) throw new HttpError(409, `${path} does not match ${b.sha}`);
    if (!existing && b.sha !== undefined) throw new HttpError(409, `${path} does not match ${b.sha}`);
    const content = Buffer.from(b.content, 'base64');
    const file: FileRecord = { content, sha: blobSha(content) };
    const files = new Map(parent?.files ?? []);
    files.set(path, file);
    const commitSha = ctx.state.addCommit(b.message, [head], files);
    ctx.state.refs.set(`refs/heads/${branch}`, commitSha);
    return { status: existing ? 200 : 201, body: ctx.build.fileCommit(path, file, commitSha, b.message, branch) };
  },

  // Pull requests
  'pulls/create': (ctx) => {
    const b = body(ctx) as { title?: string; head: string; base: string; body?: string; draft?: boolean };
    const head = b.head.includes(':') ? b.head.split(':')[1] ?? b.head : b.head;
    const headSha = ctx.state.refs.get(`refs/heads/${head}`);
    const baseSha = ctx.state.refs.get(`refs/heads/${b.base}`);
    if (!headSha) throw validation('PullRequest', 'head', 'invalid');
    if (!baseSha) throw validation('PullRequest', 'base', 'invalid');
    if (headSha === baseSha) throw validation('PullRequest', 'head', 'custom', `No commits between ${b.base} and ${head}`);
    const dup = [...ctx.state.issues.values()].find((i) => i.pull && i.state === 'open' && i.pull.head === head && i.pull.base === b.base);
    if (dup) throw validation('PullRequest', 'head', 'custom', `A pull request already exists for ${ctx.state.owner}:${head}.`);
    if (!b.title) throw validation('PullRequest', 'title', 'missing_field');
    const at = ctx.state.now();
    const issue: IssueRecord = {
      id: 8000000 + ctx.state.id(),
      number: ctx.state.issueNumber(),
      title: b.title,
      body: b.body ?? null,
      state: 'open',
      stateReason: null,
      labels: [],
      assignees: [],
      user: ctx.state.actor,
      createdAt: at,
      updatedAt: at,
      closedAt: null,
      pull: { head, base: b.base, headSha, baseSha, draft: b.draft ?? false, merged: false, mergedAt: null, mergeCommitSha: null },
    };
    ctx.state.issues.set(issue.number, issue);
    return created(ctx.build.pull(issue));
  },
  'pulls/get': (ctx) => ok(ctx.build.pull(pullOr404(ctx))),
  'pulls/list': (ctx) => {
    const q = ctx.query as { state?: string; head?: string; base?: string; direction?: string; sort?: string };
    const headBranch = q.head?.includes(':') ? q.head.split(':')[1] : q.head;
    let list = [...ctx.state.issues.values()].filter((i) => i.pull && (q.state === 'all' || i.state === (q.state ?? 'open')));
    if (headBranch) list = list.filter((i) => i.pull?.head === headBranch);
    if (q.base) list = list.filter((i) => i.pull?.base === q.base);
    list.sort((a, b) => a.number - b.number);
    if ((q.direction ?? (q.sort === 'created' || q.sort === undefined ? 'desc' : 'asc')) === 'desc') list.reverse();
    const { items, headers } = paginate(ctx, list);
    return ok(items.map((i) => ctx.build.pull(i, 'pull-request-simple')), headers);
  },

  // Secrets
  'actions/get-repo-public-key': (ctx) => ok(ctx.build.publicKey(ctx.state.repoKeys)),
  'actions/create-or-update-repo-secret': (ctx) => putSecret(ctx, ctx.state.repoKeys, ctx.state.repoSecrets, LIMITS.repoSecrets),
  'actions/get-repo-secret': (ctx) => getSecret(ctx, ctx.state.repoSecrets),
  'actions/list-repo-secrets': (ctx) => listSecrets(ctx, ctx.state.repoSecrets),
  'actions/delete-repo-secret': (ctx) => deleteSecret(ctx, ctx.state.repoSecrets),
  'actions/get-environment-public-key': (ctx) => ok(ctx.build.publicKey(environmentOr404(ctx).keys)),
  'actions/create-or-update-environment-secret': (ctx) => {
    const env = environmentOr404(ctx);
    return putSecret(ctx, env.keys, env.secrets, LIMITS.environmentSecrets);
  },
  'actions/get-environment-secret': (ctx) => getSecret(ctx, environmentOr404(ctx).secrets),
  'actions/list-environment-secrets': (ctx) => listSecrets(ctx, environmentOr404(ctx).secrets),
  'actions/delete-environment-secret': (ctx) => deleteSecret(ctx, environmentOr404(ctx).secrets),

  // Variables
  'actions/create-repo-variable': (ctx) => createVariable(ctx, ctx.state.repoVariables, LIMITS.repoVariables),
  'actions/update-repo-variable': (ctx) => updateVariable(ctx, ctx.state.repoVariables),
  'actions/get-repo-variable': (ctx) => getVariable(ctx, ctx.state.repoVariables),
  'actions/list-repo-variables': (ctx) => listVariables(ctx, ctx.state.repoVariables),
  'actions/delete-repo-variable': (ctx) => deleteVariable(ctx, ctx.state.repoVariables),
  'actions/create-environment-variable': (ctx) => createVariable(ctx, environmentOr404(ctx).variables, LIMITS.environmentVariables),
  'actions/update-environment-variable': (ctx) => updateVariable(ctx, environmentOr404(ctx).variables),
  'actions/get-environment-variable': (ctx) => getVariable(ctx, environmentOr404(ctx).variables),
  'actions/list-environment-variables': (ctx) => listVariables(ctx, environmentOr404(ctx).variables),
  'actions/delete-environment-variable': (ctx) => deleteVariable(ctx, environmentOr404(ctx).variables),

  // Workflows
  'actions/list-repo-workflows': (ctx) => {
    const all = [...ctx.state.workflows.values()].sort((a, b) => a.id - b.id);
    const { items, headers } = paginate(ctx, all);
    return ok({ total_count: all.length, workflows: items.map((w) => ctx.build.workflow(w)) }, headers);
  },
  'actions/get-workflow': (ctx) => {
    const wf = ctx.state.findWorkflow(ctx.params.workflow_id);
    if (!wf) throw notFound();
    return ok(ctx.build.workflow(wf));
  },
  'actions/disable-workflow': (ctx) => {
    const wf = ctx.state.findWorkflow(ctx.params.workflow_id);
    if (!wf) throw notFound();
    wf.state = 'disabled_manually';
    wf.updatedAt = ctx.state.now();
    return noContent();
  },
  'actions/enable-workflow': (ctx) => {
    const wf = ctx.state.findWorkflow(ctx.params.workflow_id);
    if (!wf) throw notFound();
    wf.state = 'active';
    wf.updatedAt = ctx.state.now();
    return noContent();
  },
  'actions/create-workflow-dispatch': (ctx) => {
    const wf = ctx.state.findWorkflow(ctx.params.workflow_id);
    if (!wf) throw notFound();
    const b = body(ctx) as { ref: string; inputs?: Record<string, unknown>; return_run_details?: boolean };
    if (wf.state !== 'active') throw new HttpError(422, 'Workflow is disabled and cannot be dispatched');
    if (!ctx.state.resolveRef(b.ref)) throw new HttpError(422, `No ref found for: ${b.ref}`);
    const payload = JSON.stringify(b.inputs ?? {});
    if (payload.length > 65535) throw new HttpError(422, 'inputs are too large');
    const runId = 77000000 + ctx.state.id();
    ctx.state.dispatches.push({ workflowId: wf.id, ref: b.ref, inputs: b.inputs ?? {}, at: ctx.state.now(), runId });
    if (!b.return_run_details) return noContent();
    const api = `${ctx.url.origin}/repos/${ctx.state.owner}/${ctx.state.repo}`;
    return ok({ workflow_run_id: runId, run_url: `${api}/actions/runs/${runId}`, html_url: `${ctx.url.origin}/${ctx.state.owner}/${ctx.state.repo}/actions/runs/${runId}` });
  },

  // Environments
  'repos/get-environment': (ctx) => ok(ctx.build.environment(environmentOr404(ctx))),
  'repos/create-or-update-environment': (ctx) => {
    const b = (ctx.body ?? {}) as {
      wait_timer?: number;
      prevent_self_review?: boolean;
      reviewers?: { type?: 'User' | 'Team'; id?: number }[] | null;
      deployment_branch_policy?: { protected_branches: boolean; custom_branch_policies: boolean } | null;
    };
    if ((b.reviewers ?? []).length > 6) throw validation('Environment', 'reviewers', 'invalid', 'at most 6 reviewers');
    if (b.deployment_branch_policy && b.deployment_branch_policy.protected_branches === b.deployment_branch_policy.custom_branch_policies) {
      throw validation('Environment', 'deployment_branch_policy', 'invalid', 'exactly one of protected_branches and custom_branch_policies must be true');
    }
    const env = ctx.state.upsertEnvironment(str(ctx.params.environment_name), {
      ...(b.wait_timer !== undefined ? { waitTimer: b.wait_timer } : {}),
      ...(b.prevent_self_review !== undefined ? { preventSelfReview: b.prevent_self_review } : {}),
      ...(b.reviewers !== undefined ? { reviewers: (b.reviewers ?? []).map((r) => ({ type: r.type ?? 'User', id: r.id ?? loginId('reviewer') })) } : {}),
      ...(b.deployment_branch_policy !== undefined ? { deploymentBranchPolicy: b.deployment_branch_policy } : {}),
    });
    return ok(ctx.build.environment(env));
  },

  // Deployments
  'repos/create-deployment': (ctx) => {
    const b = body(ctx) as {
      ref: string;
      task?: string;
      payload?: Record<string, unknown> | string;
      environment?: string;
      description?: string | null;
      transient_environment?: boolean;
      production_environment?: boolean;
    };
    const sha = ctx.state.resolveRef(b.ref);
    if (!sha) throw new HttpError(422, `No ref found for: ${b.ref}`);
    const environment = b.environment ?? 'production';
    const at = ctx.state.now();
    const d: DeploymentRecord = {
      id: 55000000 + ctx.state.id(),
      ref: b.ref,
      sha,
      task: b.task ?? 'deploy',
      environment,
      originalEnvironment: environment,
      description: b.description ?? '',
      payload: b.payload ?? {},
      transientEnvironment: b.transient_environment ?? false,
      productionEnvironment: b.production_environment ?? environment === 'production',
      createdAt: at,
      updatedAt: at,
      statuses: [],
    };
    ctx.state.deployments.set(d.id, d);
    return created(ctx.build.deployment(d));
  },
  'repos/list-deployments': (ctx) => {
    const q = ctx.query as { sha?: string; ref?: string; task?: string; environment?: string | null };
    const given = (v: string | null | undefined) => v !== undefined && v !== null && v !== 'none';
    let list = [...ctx.state.deployments.values()];
    if (given(q.sha)) list = list.filter((d) => d.sha === q.sha);
    if (given(q.ref)) list = list.filter((d) => d.ref === q.ref);
    if (given(q.task)) list = list.filter((d) => d.task === q.task);
    if (given(q.environment)) list = list.filter((d) => d.environment === q.environment);
    list.sort((a, b) => b.id - a.id);
    const { items, headers } = paginate(ctx, list);
    return ok(items.map((d) => ctx.build.deployment(d)), headers);
  },
  'repos/create-deployment-status': (ctx) => {
    const d = ctx.state.deployments.get(Number(ctx.params.deployment_id));
    if (!d) throw notFound();
    const b = body(ctx) as { state: string; description?: string; environment?: string; target_url?: string; log_url?: string; environment_url?: string; auto_inactive?: boolean };
    if (b.description !== undefined && b.description.length > 140) throw validation('DeploymentStatus', 'description', 'invalid', 'description is too long (maximum is 140 characters)');
    const status = {
      id: 66000000 + ctx.state.id(),
      state: b.state,
      description: b.description ?? '',
      environment: b.environment ?? d.environment,
      targetUrl: b.target_url ?? b.log_url ?? '',
      logUrl: b.log_url ?? b.target_url ?? '',
      environmentUrl: b.environment_url ?? '',
      createdAt: ctx.state.now(),
    };
    if (b.environment) d.environment = b.environment;
    d.statuses.unshift(status);
    d.updatedAt = status.createdAt;
    // auto_inactive (default true) marks earlier successful deployments to the same environment inactive.
    if (b.state === 'success' && b.auto_inactive !== false) {
      for (const other of ctx.state.deployments.values()) {
        if (other.id === d.id || other.environment !== d.environment || other.statuses[0]?.state !== 'success') continue;
        other.statuses.unshift({ ...status, id: 66000000 + ctx.state.id(), state: 'inactive', description: '' });
      }
    }
    return created(ctx.build.deploymentStatus(d, status));
  },
  'repos/list-deployment-statuses': (ctx) => {
    const d = ctx.state.deployments.get(Number(ctx.params.deployment_id));
    if (!d) throw notFound();
    const { items, headers } = paginate(ctx, d.statuses);
    return ok(items.map((s) => ctx.build.deploymentStatus(d, s)), headers);
  },
  ...ORG_HANDLERS,
  ...dispatchHandlers(),
  ...ISSUEOPS_HANDLERS,
  ...scanningHandlers(),
};
