import type { GitHubSpec } from './spec.js';
import {
  blobSha,
  publicKeyBase64,
  type CommentRecord,
  type DeploymentRecord,
  type DeploymentStatusRecord,
  type EnvironmentRecord,
  type FileRecord,
  type GitHubState,
  type IssueRecord,
  type KeyPair,
  type LabelRecord,
  type SecretRecord,
  type VariableRecord,
  type WorkflowRecord,
} from './state.js';

type Obj = Record<string, unknown>;

/**
 * Response bodies in GitHub's shapes. Builders set every field firebreak or octokit reads;
 * `complete` then fills the schema's remaining required fields (dozens of `*_url` templates on a
 * repository, reaction counts …) with schema-valid placeholders, so a newly required field in a
 * refreshed spec does not break the emulator. Every response is still validated as a whole, so a
 * field we set with the wrong type or an undeclared status fails loudly.
 */
export class Builders {
  constructor(
    private readonly spec: GitHubSpec,
    private readonly state: GitHubState,
    private readonly baseUrl: string,
  ) {}

  private get api(): string {
    return `${this.baseUrl}/repos/${this.state.owner}/${this.state.repo}`;
  }

  /** Where github.com pages would be; not served, but well-formed URIs. */
  private get html(): string {
    return `${this.baseUrl}/${this.state.owner}/${this.state.repo}`;
  }

  complete<T extends Obj>(schemaName: string, value: T): T {
    return completeRequired(this.spec, this.spec.componentSchema(schemaName), value, this.baseUrl) as T;
  }

  user(login: string, id: number, type: 'User' | 'Organization' | 'Bot' = 'User'): Obj {
    // App bots are `name[bot]`: brackets are not valid in a URI path, so encode like GitHub does.
    const path = encodeURIComponent(login);
    return this.complete('simple-user', {
      login,
      id,
      node_id: nodeId('U', id),
      type,
      site_admin: false,
      url: `${this.baseUrl}/users/${path}`,
      html_url: `${this.baseUrl}/${path}`,
      avatar_url: `${this.baseUrl}/avatars/${path}`,
      gravatar_id: '',
    });
  }

  actor(): Obj {
    return this.user(this.state.actor, this.state.actorId, 'Bot');
  }

  repository(schema: 'full-repository' | 'repository' = 'full-repository'): Obj {
    const s = this.state;
    const openIssues = [...s.issues.values()].filter((i) => i.state === 'open').length;
    return this.complete(schema, {
      id: s.repoId,
      node_id: nodeId('R', s.repoId),
      name: s.repo,
      full_name: `${s.owner}/${s.repo}`,
      owner: this.user(s.owner, s.ownerId, 'Organization'),
      private: true,
      visibility: 'private',
      description: null,
      fork: false,
      url: this.api,
      html_url: this.html,
      default_branch: s.defaultBranch,
      has_issues: true,
      archived: false,
      disabled: false,
      open_issues: openIssues,
      open_issues_count: openIssues,
      permissions: { admin: true, maintain: true, push: true, triage: true, pull: true },
      created_at: s.createdAt,
      updated_at: s.createdAt,
      pushed_at: s.createdAt,
    });
  }

  label(l: LabelRecord): Obj {
    return this.complete('label', {
      id: l.id,
      node_id: nodeId('LA', l.id),
      url: `${this.api}/labels/${encodeURIComponent(l.name)}`,
      name: l.name,
      description: l.description,
      color: l.color,
      default: l.default,
    });
  }

  issue(i: IssueRecord): Obj {
    const labels = i.labels.map((name) => this.state.labels.get(name.toLowerCase())).filter((l): l is LabelRecord => !!l);
    const commentCount = [...this.state.comments.values()].filter((c) => c.issueNumber === i.number).length;
    const assignees = i.assignees.map((login) => this.user(login, loginId(login)));
    return this.complete('issue', {
      id: i.id,
      node_id: nodeId('I', i.id),
      number: i.number,
      title: i.title,
      body: i.body,
      state: i.state,
      state_reason: i.stateReason,
      labels: labels.map((l) => this.label(l)),
      assignee: assignees[0] ?? null,
      assignees,
      milestone: null,
      locked: false,
      active_lock_reason: null,
      comments: commentCount,
      user: this.actorOrUser(i.user),
      author_association: 'MEMBER',
      url: `${this.api}/issues/${i.number}`,
      repository_url: this.api,
      labels_url: `${this.api}/issues/${i.number}/labels{/name}`,
      comments_url: `${this.api}/issues/${i.number}/comments`,
      events_url: `${this.api}/issues/${i.number}/events`,
      html_url: `${this.html}/${i.pull ? 'pull' : 'issues'}/${i.number}`,
      created_at: i.createdAt,
      updated_at: i.updatedAt,
      closed_at: i.closedAt,
      ...(i.pull
        ? {
            pull_request: {
              url: `${this.api}/pulls/${i.number}`,
              html_url: `${this.html}/pull/${i.number}`,
              diff_url: `${this.html}/pull/${i.number}.diff`,
              patch_url: `${this.html}/pull/${i.number}.patch`,
              merged_at: i.pull.mergedAt,
            },
          }
        : {}),
    });
  }

  comment(c: CommentRecord): Obj {
    return this.complete('issue-comment', {
      id: c.id,
      node_id: nodeId('IC', c.id),
      url: `${this.api}/issues/comments/${c.id}`,
      html_url: `${this.html}/issues/${c.issueNumber}#issuecomment-${c.id}`,
      issue_url: `${this.api}/issues/${c.issueNumber}`,
      body: c.body,
      user: this.actorOrUser(c.user),
      author_association: 'MEMBER',
      created_at: c.createdAt,
      updated_at: c.updatedAt,
    });
  }

  gitRef(ref: string, sha: string): Obj {
    return this.complete('git-ref', {
      ref,
      node_id: nodeId('REF', hashInt(ref)),
      url: `${this.api}/git/${ref}`,
      object: { type: 'commit', sha, url: `${this.api}/git/commits/${sha}` },
    });
  }

  contentFile(path: string, file: FileRecord, ref: string): Obj {
    const name = path.split('/').pop() ?? path;
    const url = `${this.api}/contents/${path}?ref=${encodeURIComponent(ref)}`;
    const gitUrl = `${this.api}/git/blobs/${file.sha}`;
    const htmlUrl = `${this.html}/blob/${ref}/${path}`;
    return this.complete('content-file', {
      type: 'file',
      encoding: 'base64',
      size: file.content.length,
      name,
      path,
      content: wrapBase64(file.content.toString('base64')),
      sha: file.sha,
      url,
      git_url: gitUrl,
      html_url: htmlUrl,
      download_url: `${this.baseUrl}/raw/${this.state.owner}/${this.state.repo}/${ref}/${path}`,
      _links: { self: url, git: gitUrl, html: htmlUrl },
    });
  }

  contentDirectory(dir: string, files: [string, FileRecord][], ref: string): Obj[] {
    const entries = new Map<string, Obj>();
    for (const [path, file] of files) {
      const rest = path.slice(dir === '' ? 0 : dir.length + 1);
      const [head, ...tail] = rest.split('/');
      if (!head) continue;
      const full = dir === '' ? head : `${dir}/${head}`;
      const isDir = tail.length > 0;
      const url = `${this.api}/contents/${full}?ref=${encodeURIComponent(ref)}`;
      const sha = isDir ? blobSha(Buffer.from(full)) : file.sha;
      const gitUrl = `${this.api}/git/${isDir ? 'trees' : 'blobs'}/${sha}`;
      const htmlUrl = `${this.html}/${isDir ? 'tree' : 'blob'}/${ref}/${full}`;
      entries.set(full, {
        type: isDir ? 'dir' : 'file',
        size: isDir ? 0 : file.content.length,
        name: head,
        path: full,
        sha,
        url,
        git_url: gitUrl,
        html_url: htmlUrl,
        download_url: isDir ? null : `${this.baseUrl}/raw/${this.state.owner}/${this.state.repo}/${ref}/${full}`,
        _links: { self: url, git: gitUrl, html: htmlUrl },
      });
    }
    return [...entries.values()];
  }

  fileCommit(path: string, file: FileRecord, commitSha: string, message: string, branch: string): Obj {
    const content = this.contentFile(path, file, branch);
    delete content.encoding;
    delete content.content;
    const date = this.state.commits.get(commitSha)?.date ?? this.state.now();
    const person = { name: this.state.actor, email: `${this.state.actor}@users.noreply.example`, date };
    return {
      content,
      commit: {
        sha: commitSha,
        node_id: nodeId('C', hashInt(commitSha)),
        url: `${this.api}/git/commits/${commitSha}`,
        html_url: `${this.html}/commit/${commitSha}`,
        author: person,
        committer: person,
        message,
        tree: { url: `${this.api}/git/trees/${commitSha}`, sha: commitSha },
        parents: (this.state.commits.get(commitSha)?.parents ?? []).map((sha) => ({
          url: `${this.api}/git/commits/${sha}`,
          html_url: `${this.html}/commit/${sha}`,
          sha,
        })),
        verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
      },
    };
  }

  pull(i: IssueRecord, schema: 'pull-request' | 'pull-request-simple' = 'pull-request'): Obj {
    const p = i.pull;
    if (!p) throw new Error(`#${i.number} is not a pull request`);
    const issue = this.issue(i);
    const repo = this.repository('repository');
    const branch = (ref: string, sha: string) => ({
      label: `${this.state.owner}:${ref}`,
      ref,
      sha: this.state.resolveRef(ref) ?? sha,
      user: this.user(this.state.owner, this.state.ownerId, 'Organization'),
      repo,
    });
    const base = `${this.api}/pulls/${i.number}`;
    return this.complete(schema, {
      id: i.id,
      node_id: nodeId('PR', i.id),
      number: i.number,
      title: i.title,
      body: i.body,
      state: i.state,
      locked: false,
      draft: p.draft,
      user: issue.user,
      labels: issue.labels,
      assignee: issue.assignee,
      assignees: issue.assignees,
      milestone: null,
      head: branch(p.head, p.headSha),
      base: branch(p.base, p.baseSha),
      merged: p.merged,
      merged_at: p.mergedAt,
      merge_commit_sha: p.mergeCommitSha,
      merged_by: p.merged ? this.actor() : null,
      mergeable: p.merged ? null : true,
      mergeable_state: p.merged ? 'unknown' : 'clean',
      author_association: 'MEMBER',
      auto_merge: null,
      url: base,
      html_url: `${this.html}/pull/${i.number}`,
      diff_url: `${this.html}/pull/${i.number}.diff`,
      patch_url: `${this.html}/pull/${i.number}.patch`,
      issue_url: `${this.api}/issues/${i.number}`,
      commits_url: `${base}/commits`,
      review_comments_url: `${base}/comments`,
      review_comment_url: `${this.api}/pulls/comments{/number}`,
      comments_url: `${this.api}/issues/${i.number}/comments`,
      statuses_url: `${this.api}/statuses/${p.headSha}`,
      _links: {
        self: { href: base },
        html: { href: `${this.html}/pull/${i.number}` },
        issue: { href: `${this.api}/issues/${i.number}` },
        comments: { href: `${this.api}/issues/${i.number}/comments` },
        review_comments: { href: `${base}/comments` },
        review_comment: { href: `${this.api}/pulls/comments{/number}` },
        commits: { href: `${base}/commits` },
        statuses: { href: `${this.api}/statuses/${p.headSha}` },
      },
      created_at: i.createdAt,
      updated_at: i.updatedAt,
      closed_at: i.closedAt,
      ...(schema === 'pull-request'
        ? { comments: issue.comments, review_comments: 0, commits: 1, additions: 0, deletions: 0, changed_files: 0, maintainer_can_modify: false }
        : {}),
    });
  }

  publicKey(keys: KeyPair): Obj {
    return this.complete('actions-public-key', { key_id: keys.keyId, key: publicKeyBase64(keys) });
  }

  secret(name: string, s: SecretRecord): Obj {
    return this.complete('actions-secret', { name, created_at: s.createdAt, updated_at: s.updatedAt });
  }

  variable(name: string, v: VariableRecord): Obj {
    return this.complete('actions-variable', { name, value: v.value, created_at: v.createdAt, updated_at: v.updatedAt });
  }

  workflow(w: WorkflowRecord): Obj {
    const file = w.path.split('/').pop() ?? w.path;
    return this.complete('workflow', {
      id: w.id,
      node_id: nodeId('W', w.id),
      name: w.name,
      path: w.path,
      state: w.state,
      created_at: w.createdAt,
      updated_at: w.updatedAt,
      url: `${this.api}/actions/workflows/${w.id}`,
      html_url: `${this.html}/blob/${this.state.defaultBranch}/${w.path}`,
      badge_url: `${this.html}/workflows/${encodeURIComponent(file)}/badge.svg`,
    });
  }

  environment(e: EnvironmentRecord): Obj {
    const rules: Obj[] = [];
    if (e.waitTimer > 0) rules.push({ id: e.id * 10 + 1, node_id: nodeId('GA', e.id * 10 + 1), type: 'wait_timer', wait_timer: e.waitTimer });
    if (e.reviewers.length > 0) {
      rules.push({
        id: e.id * 10 + 2,
        node_id: nodeId('GA', e.id * 10 + 2),
        type: 'required_reviewers',
        prevent_self_review: e.preventSelfReview,
        reviewers: e.reviewers.map((r) => ({ type: r.type, reviewer: r.type === 'User' ? this.user(`user-${r.id}`, r.id) : { id: r.id } })),
      });
    }
    if (e.deploymentBranchPolicy) rules.push({ id: e.id * 10 + 3, node_id: nodeId('GA', e.id * 10 + 3), type: 'branch_policy' });
    return this.complete('environment', {
      id: e.id,
      node_id: nodeId('EN', e.id),
      name: e.name,
      url: `${this.api}/environments/${encodeURIComponent(e.name)}`,
      html_url: `${this.html}/deployments/activity_log?environments_filter=${encodeURIComponent(e.name)}`,
      created_at: e.createdAt,
      updated_at: e.updatedAt,
      protection_rules: rules,
      deployment_branch_policy: e.deploymentBranchPolicy,
    });
  }

  deployment(d: DeploymentRecord): Obj {
    return this.complete('deployment', {
      id: d.id,
      node_id: nodeId('DE', d.id),
      url: `${this.api}/deployments/${d.id}`,
      sha: d.sha,
      ref: d.ref,
      task: d.task,
      payload: d.payload,
      original_environment: d.originalEnvironment,
      environment: d.environment,
      description: d.description,
      creator: this.actor(),
      created_at: d.createdAt,
      updated_at: d.updatedAt,
      statuses_url: `${this.api}/deployments/${d.id}/statuses`,
      repository_url: this.api,
      transient_environment: d.transientEnvironment,
      production_environment: d.productionEnvironment,
    });
  }

  deploymentStatus(d: DeploymentRecord, s: DeploymentStatusRecord): Obj {
    return this.complete('deployment-status', {
      id: s.id,
      node_id: nodeId('DES', s.id),
      state: s.state,
      creator: this.actor(),
      description: s.description,
      environment: s.environment,
      target_url: s.targetUrl,
      log_url: s.logUrl,
      environment_url: s.environmentUrl,
      created_at: s.createdAt,
      updated_at: s.createdAt,
      deployment_url: `${this.api}/deployments/${d.id}`,
      repository_url: this.api,
      url: `${this.api}/deployments/${d.id}/statuses/${s.id}`,
    });
  }

  private actorOrUser(login: string): Obj {
    return login === this.state.actor ? this.actor() : this.user(login, loginId(login));
  }
}

/**
 * Fills required properties missing from `value` with placeholders valid for their schema:
 * `null` where nullable, the first enum value, a URI under the emulator for `format: uri`, 0, false,
 * [] or a completed object. Present objects are completed recursively.
 */
export function completeRequired(spec: GitHubSpec, schema: Obj, value: unknown, baseUrl: string, depth = 0): unknown {
  if (depth > 12) return value;
  const s = deref(spec, schema);
  if (Array.isArray(s.allOf)) {
    let v = value;
    for (const part of s.allOf as Obj[]) v = completeRequired(spec, part, v, baseUrl, depth + 1);
    return v;
  }
  const alternatives = (s.oneOf ?? s.anyOf) as Obj[] | undefined;
  if (value === undefined) return placeholder(spec, s, baseUrl, depth);
  if (alternatives && value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const objectAlt = alternatives.map((a) => deref(spec, a)).find((a) => a.type === 'object' || a.properties);
    return objectAlt ? completeRequired(spec, objectAlt, value, baseUrl, depth + 1) : value;
  }
  if (Array.isArray(value) && s.items) return value.map((v) => completeRequired(spec, s.items as Obj, v, baseUrl, depth + 1));
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const props = (s.properties ?? {}) as Record<string, Obj>;
  const out: Obj = { ...(value as Obj) };
  for (const key of (s.required as string[] | undefined) ?? []) {
    if (!(key in out)) out[key] = placeholder(spec, props[key] ?? {}, baseUrl, depth + 1);
  }
  for (const [key, v] of Object.entries(out)) {
    const propSchema = props[key];
    if (propSchema && v !== null && typeof v === 'object') out[key] = completeRequired(spec, propSchema, v, baseUrl, depth + 1);
  }
  return out;
}

function placeholder(spec: GitHubSpec, schema: Obj, baseUrl: string, depth: number): unknown {
  const s = deref(spec, schema);
  if (s.nullable === true) return null;
  if (Array.isArray(s.enum) && s.enum.length > 0) return s.enum[0];
  if (Array.isArray(s.allOf)) return completeRequired(spec, s, {}, baseUrl, depth + 1);
  const alternatives = (s.oneOf ?? s.anyOf) as Obj[] | undefined;
  if (alternatives?.[0]) return placeholder(spec, alternatives[0], baseUrl, depth + 1);
  switch (s.type) {
    case 'string':
      if (s.format === 'date-time' || s.format === 'timestamp') return '2026-01-01T00:00:00Z';
      if (s.format === 'date') return '2026-01-01';
      if (s.format === 'uri' || s.format === 'uri-template') return `${baseUrl}/placeholder`;
      if (s.format === 'email') return 'placeholder@example.com';
      return '';
    case 'integer':
    case 'number':
      return 0;
    case 'boolean':
      return false;
    case 'array':
      return [];
    default:
      return depth > 12 ? {} : completeRequired(spec, s, {}, baseUrl, depth + 1);
  }
}

function deref(spec: GitHubSpec, schema: Obj): Obj {
  let s = schema;
  for (let i = 0; i < 10 && typeof s.$ref === 'string'; i++) s = { ...spec.resolve(s.$ref), ...(s.nullable ? { nullable: true } : {}) };
  return s;
}

export function nodeId(prefix: string, id: number): string {
  return Buffer.from(`${prefix}_${id}`).toString('base64').replace(/=+$/, '');
}

function hashInt(text: string): number {
  let h = 0;
  for (const ch of text) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return h;
}

/** Stable fake ids for logins that are not the owner or the actor. */
export function loginId(login: string): number {
  return 100000 + (hashInt(login) % 900000);
}

/** GitHub wraps base64 file content at 60 characters. */
function wrapBase64(b64: string): string {
  return `${b64.replace(/.{60}/g, '$&\n')}\n`;
}
