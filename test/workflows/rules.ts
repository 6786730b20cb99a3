import { LineCounter, parseDocument, type Document } from 'yaml';

/**
 * firebreak's own workflow rules, on top of actionlint. Each rule is small and named; a finding
 * names file:line and says what to do instead.
 *
 * What "changes production" means here (rule `production-job-gated`): a job that can obtain
 * production credentials or act through firebreak — it has any `write` permission (including
 * `id-token: write`, which mints the OIDC token a cloud role trusts, and `write-all`), or a step
 * uses a firebreak action (`uses: ./actions/<slug>`, which acts on production even in dry-run by
 * reading it). Such a job must name an `environment:` (required reviewers, and the OIDC `sub` the
 * role trusts) and a `concurrency:` group that does not cancel a run in progress: a containment
 * step killed halfway leaves production in a state nobody planned.
 */

export interface Finding {
  rule: RuleName;
  file: string;
  line: number;
  message: string;
}

export const RULES = {
  noExpressionInRun: 'no-expression-in-run',
  topLevelPermissions: 'top-level-permissions-read-only',
  pinnedUses: 'uses-pinned-to-sha',
  productionJobGated: 'production-job-gated',
  parse: 'workflow-parses',
} as const;
export type RuleName = (typeof RULES)[keyof typeof RULES];

const SHA_PIN = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+(\/[^@\s]+)?@[0-9a-f]{40}$/;
const DOCKER_DIGEST = /^docker:\/\/[^@\s]+@sha256:[0-9a-f]{64}$/;
const FIREBREAK_ACTION = /^\.\/actions\/[a-z0-9-]+\/?$/;

type Json = Record<string, unknown>;

function isMap(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

class Located {
  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  /** 1-based line of the node at `path`, falling back to the nearest ancestor that exists. */
  line(path: (string | number)[]): number {
    for (let n = path.length; n >= 0; n--) {
      const node = this.doc.getIn(path.slice(0, n), true) as { range?: [number, number, number] } | undefined;
      if (node && node.range) return this.lines.linePos(node.range[0]).line;
    }
    return 1;
  }
}

export function checkWorkflow(file: string, text: string): Finding[] {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true });
  if (doc.errors.length) {
    return doc.errors.map((e) => ({ rule: RULES.parse, file, line: e.linePos?.[0]?.line ?? 1, message: e.message }));
  }
  const wf = doc.toJS() as unknown;
  if (!isMap(wf)) return [{ rule: RULES.parse, file, line: 1, message: 'a workflow must be a YAML mapping' }];
  const at = new Located(doc, lines);
  const out: Finding[] = [];
  const add = (rule: RuleName, path: (string | number)[], message: string) => out.push({ rule, file, line: at.line(path), message });

  checkTopLevelPermissions(wf, add);
  const jobs = isMap(wf.jobs) ? wf.jobs : {};
  for (const [jobId, job] of Object.entries(jobs)) {
    if (!isMap(job)) continue;
    if (typeof job.uses === 'string') checkUses(job.uses, ['jobs', jobId, 'uses'], add);
    const steps = Array.isArray(job.steps) ? job.steps : [];
    steps.forEach((step, i) => {
      if (!isMap(step)) return;
      const path = ['jobs', jobId, 'steps', i];
      if (typeof step.run === 'string' && step.run.includes('${{')) {
        add(RULES.noExpressionInRun, [...path, 'run'], `job ${jobId} step ${stepName(step, i)}: \${{ }} inside run: is expanded before the shell parses it (script injection). Pass the value through env: and quote "$VAR".`);
      }
      if (typeof step.uses === 'string') checkUses(step.uses, [...path, 'uses'], add);
    });
    const production = checkProductionJob(jobId, job, steps, add);
    const top = wf.concurrency;
    if (production && isMap(top) && top['cancel-in-progress'] !== undefined && top['cancel-in-progress'] !== false) {
      add(RULES.productionJobGated, ['concurrency', 'cancel-in-progress'], `workflow-level cancel-in-progress would kill job ${jobId}, which changes production, halfway; set it to false or drop it.`);
    }
  }
  return out;
}

type Add = (rule: RuleName, path: (string | number)[], message: string) => void;

function stepName(step: Json, i: number): string {
  return typeof step.name === 'string' ? `"${step.name}"` : typeof step.id === 'string' ? step.id : `#${i + 1}`;
}

function checkTopLevelPermissions(wf: Json, add: Add): void {
  if (!('permissions' in wf)) {
    add(RULES.topLevelPermissions, [], 'no top-level permissions: the GITHUB_TOKEN gets the repository default (often write-all). Add `permissions: {}` and grant write scopes per job.');
    return;
  }
  const p = wf.permissions;
  if (p === 'read-all') return;
  if (!isMap(p)) {
    add(RULES.topLevelPermissions, ['permissions'], `top-level permissions "${String(p)}" is not read-only: use {} or read scopes, and grant write scopes per job.`);
    return;
  }
  for (const [scope, level] of Object.entries(p)) {
    if (level !== 'read' && level !== 'none') add(RULES.topLevelPermissions, ['permissions', scope], `top-level permission ${scope}: ${String(level)} applies to every job; move it to the one job that needs it.`);
  }
}

function checkUses(uses: string, path: (string | number)[], add: Add): void {
  const u = uses.trim();
  if (u.startsWith('./')) return;
  if (u.startsWith('docker://')) {
    if (!DOCKER_DIGEST.test(u)) add(RULES.pinnedUses, path, `${u}: pin the image by digest (docker://image@sha256:<64 hex>); tags move.`);
    return;
  }
  if (!SHA_PIN.test(u)) add(RULES.pinnedUses, path, `${u}: pin to a full 40-hex commit SHA from the action's own repository (owner/repo@<sha> # vX.Y.Z); tags and branches move.`);
}

function writesSomething(permissions: unknown): string | undefined {
  if (permissions === 'write-all') return 'write-all';
  if (!isMap(permissions)) return undefined;
  const w = Object.entries(permissions).filter(([, level]) => level === 'write');
  return w.length ? w.map(([s]) => `${s}: write`).join(', ') : undefined;
}

/** Returns whether the job changes production, after checking it is gated. */
function checkProductionJob(jobId: string, job: Json, steps: unknown[], add: Add): boolean {
  const writes = writesSomething(job.permissions);
  const firebreakStep = steps.find((s) => isMap(s) && typeof s.uses === 'string' && FIREBREAK_ACTION.test(s.uses.trim())) as Json | undefined;
  if (!writes && !firebreakStep) return false;
  const why = writes ? `it has ${writes}` : `it runs ${String(firebreakStep!.uses)}`;
  if (job.environment === undefined || job.environment === null || job.environment === '') {
    add(RULES.productionJobGated, ['jobs', jobId], `job ${jobId} changes production (${why}) but has no environment: (approvals, and the OIDC subject the cloud role trusts).`);
  }
  const c = job.concurrency;
  if (c === undefined || c === null || c === '') {
    add(RULES.productionJobGated, ['jobs', jobId], `job ${jobId} changes production (${why}) but has no concurrency: group; two responders could act on the same target at once.`);
  } else if (isMap(c) && c['cancel-in-progress'] !== undefined && c['cancel-in-progress'] !== false) {
    add(RULES.productionJobGated, ['jobs', jobId, 'concurrency', 'cancel-in-progress'], `job ${jobId} changes production: cancel-in-progress must be false, or a half-applied step is killed.`);
  }
  return true;
}
