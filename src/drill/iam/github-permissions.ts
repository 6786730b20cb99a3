import { parse } from 'yaml';

/**
 * What a step's GitHub calls need from the job's GITHUB_TOKEN, against the workflow's `permissions:`.
 *
 * GitHub's OpenAPI description carries `x-github` metadata per operation (category, subcategory,
 * enabledForGitHubApps, githubCloudOnly, ...) but not the permission an operation needs, so this
 * table is written by hand from GitHub's docs, "Permissions required for GitHub Apps"
 * (https://docs.github.com/en/rest/authentication/permissions-required-for-github-apps), whose
 * permission names and read/write levels are the ones GITHUB_TOKEN uses
 * (https://docs.github.com/en/actions/security-for-github-actions/security-guides/automatic-token-authentication#permissions-for-the-github_token).
 * Issue endpoints that also serve pull requests (comments, labels, update) are authorised by the
 * target: `issues` on an issue, `pull-requests` on a pull request. The steps only target incident
 * issues (and action-item issues), so the table names `issues`.
 * `metadata: read` is granted to every GITHUB_TOKEN and cannot be declared.
 */
export type Level = 'read' | 'write';

export interface PermissionNeed {
  /** Any one of these permissions at `level` (or write, which includes read). */
  anyOf: string[];
  level: Level;
}

const read = (...anyOf: string[]): PermissionNeed => ({ anyOf, level: 'read' });
const write = (...anyOf: string[]): PermissionNeed => ({ anyOf, level: 'write' });

/** operationId (GitHub's OpenAPI) → the token permission it needs, for the operations the steps call. */
export const OPERATION_PERMISSIONS: Readonly<Record<string, PermissionNeed>> = {
  'repos/get': read('metadata'),
  'issues/list-for-repo': read('issues'),
  'issues/get': read('issues'),
  'issues/create': write('issues'),
  'issues/update': write('issues'),
  'issues/list-comments': read('issues'),
  'issues/get-comment': read('issues'),
  'issues/create-comment': write('issues'),
  'issues/update-comment': write('issues'),
  'issues/list-labels-on-issue': read('issues'),
  'issues/add-labels': write('issues'),
  'issues/set-labels': write('issues'),
  'issues/remove-label': write('issues'),
  'issues/list-labels-for-repo': read('issues'),
  'issues/get-label': read('issues'),
  'issues/create-label': write('issues'),
  'git/get-ref': read('contents'),
  'git/create-ref': write('contents'),
  'git/get-commit': read('contents'),
  'git/create-commit': write('contents'),
  'git/update-ref': write('contents'),
  'repos/get-content': read('contents'),
  'repos/create-or-update-file-contents': write('contents'),
  'pulls/list': read('pull-requests'),
  'pulls/get': read('pull-requests'),
  'pulls/create': write('pull-requests'),
};

/** Always on a GITHUB_TOKEN; a workflow cannot declare or drop it. */
const IMPLICIT: Record<string, Level> = { metadata: 'read' };

export type Granted = Record<string, string>;

export interface GitHubFinding {
  capability: string;
  kind: 'missing' | 'unmapped' | 'unused' | 'broader-than-needed';
  /** Operation for missing/unmapped, permission for unused/broader. */
  subject: string;
  message: string;
}

const satisfies = (granted: string | undefined, level: Level) => granted === 'write' || (level === 'read' && granted === 'read');

/**
 * Missing: an operation no granted permission covers (GitHub answers 403 "Resource not accessible
 * by integration"). Unused/broader: a declared permission no operation needs, or write where read
 * would do. `id-token` is left out: it is for OIDC, not for the REST API.
 */
export function checkJobPermissions(capability: string, operationIds: readonly string[], granted: Granted): GitHubFinding[] {
  const findings: GitHubFinding[] = [];
  const effective: Granted = { ...IMPLICIT, ...granted };
  const needed = new Map<string, Level>();
  for (const op of [...new Set(operationIds)]) {
    const need = OPERATION_PERMISSIONS[op];
    if (!need) {
      findings.push({ capability, kind: 'unmapped', subject: op, message: `${capability}: operation ${op} has no entry in OPERATION_PERMISSIONS (src/drill/iam/github-permissions.ts); add it from GitHub's docs` });
      continue;
    }
    const by = need.anyOf.find((p) => satisfies(effective[p], need.level));
    if (!by) {
      const want = need.anyOf.map((p) => `${p}: ${need.level}`).join(' or ');
      findings.push({ capability, kind: 'missing', subject: op, message: `${capability}: ${op} needs ${want}; the job grants ${JSON.stringify(granted)}` });
      continue;
    }
    if (need.level === 'write' || needed.get(by) === undefined) needed.set(by, need.level === 'write' ? 'write' : (needed.get(by) ?? 'read'));
  }
  for (const [permission, level] of Object.entries(granted)) {
    if (permission === 'id-token' || level === 'none') continue;
    const used = needed.get(permission);
    if (!used) findings.push({ capability, kind: 'unused', subject: permission, message: `${capability}: the job grants ${permission}: ${level} and no recorded call needs it` });
    else if (level === 'write' && used === 'read') {
      findings.push({ capability, kind: 'broader-than-needed', subject: permission, message: `${capability}: the job grants ${permission}: write and every recorded call needs only read` });
    }
  }
  return findings;
}

/** The `permissions:` of one job, falling back to the workflow's top-level block. */
export function jobPermissions(workflowYaml: string, jobId: string): Granted {
  const doc = parse(workflowYaml) as { permissions?: unknown; jobs?: Record<string, { permissions?: unknown }> };
  const job = doc.jobs?.[jobId];
  if (!job) throw new Error(`workflow has no job "${jobId}" (jobs: ${Object.keys(doc.jobs ?? {}).join(', ')})`);
  const block = job.permissions ?? doc.permissions;
  if (block === undefined) throw new Error(`job "${jobId}" declares no permissions and neither does the workflow: the token gets the repository default`);
  if (typeof block === 'string') throw new Error(`job "${jobId}" uses the shorthand permissions "${block}"; declare each permission`);
  return Object.fromEntries(Object.entries(block as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
}
