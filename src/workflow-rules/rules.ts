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
  dangerousTriggers: 'dangerous-triggers',
  templateInjection: 'template-injection',
  overprovisionedSecrets: 'overprovisioned-secrets',
  unpinnedImages: 'unpinned-images',
  firebreakApplyGated: 'firebreak-apply-gated',
  artipacked: 'artipacked',
  excessivePermissions: 'excessive-permissions',
  reusableRefMatchesPin: 'firebreak-ref-matches-pin',
  parse: 'workflow-parses',
} as const;
export type RuleName = (typeof RULES)[keyof typeof RULES];

const SHA_PIN = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+(\/[^@\s]+)?@[0-9a-f]{40}$/;
const DOCKER_DIGEST = /^docker:\/\/[^@\s]+@sha256:[0-9a-f]{64}$/;
/** A firebreak action from the repository's own checkout, or from firebreak checked out into a sub-folder (the reusable workflows). */
const LOCAL_FIREBREAK_ACTION = /^\.\/([A-Za-z0-9_.-]+\/)?actions\/[a-z0-9-]+\/?$/;
/** A reusable workflow called from another repository; firebreak's when the repository is named firebreak or it takes firebreak-ref. */
const REMOTE_REUSABLE_WORKFLOW = /^([A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+)\/\.github\/workflows\/reusable-[a-z0-9-]+\.ya?ml@(.*)$/;
/** firebreak's actions consumed from another repository: OWNER/firebreak/actions/<slug>@ref. */
const REMOTE_FIREBREAK_ACTION = /^[A-Za-z0-9_.-]+\/firebreak\/actions\/[a-z0-9-]+@/;
const IMAGE_DIGEST = /@sha256:[0-9a-f]{64}$/;
const EXPRESSION = /\$\{\{([\s\S]*?)\}\}/g;
/** Contexts an outsider can write: event payloads (titles, bodies, branch names), dispatch inputs, and outputs derived from them. */
const UNTRUSTED_CONTEXT = /\b(inputs\.|github\.event\.|github\.head_ref\b|steps\.[^.\s]+\.outputs\b|needs\.[^.\s]+\.outputs\b)/;
/** Refs that name the contributor's code, not the base repository's. */
const UNTRUSTED_REF = /(github\.event\.pull_request\.head\.|github\.head_ref\b|github\.event\.workflow_run\.head_|github\.event\.pull_request\.merge_commit_sha|refs\/pull\/)/;
const UNTRUSTED_CHECKOUT_IN_RUN = /(\bgh\s+pr\s+checkout\b|\bgit\s+(fetch|checkout|pull)\b[^\n]*(refs\/)?pull\/)/;
/** A shell that fetches or switches to a ref (which ref is decided by its variables). */
const GIT_REF_IN_RUN = /\bgit\s+(fetch|checkout|switch|pull|reset|worktree\s+add)\b/;
/** Values computed at run time by an earlier step or job: under a privileged trigger, typically read from the PR. */
const COMPUTED_VALUE = /\b(steps|needs)\.[^.\s]+\.outputs\b/;
/** Downloads of the triggering run's artifacts: whatever the contributor's workflow uploaded. */
const ARTIFACT_DOWNLOAD_IN_RUN = /\bgh\s+run\s+download\b/;
const ALL_SECRETS = /toJSON\(\s*secrets\s*\)|\bsecrets\s*\[/i;
/** Long-lived cloud credentials handed to a job as variables (OIDC needs none of these). */
const STATIC_CLOUD_CREDENTIALS = /^(AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN|CLOUDFLARE_API_TOKEN|CLOUDFLARE_API_KEY|GOOGLE_APPLICATION_CREDENTIALS|GOOGLE_CREDENTIALS|ARM_CLIENT_SECRET|AZURE_CREDENTIALS)$/;
const CLI_FIREBREAK_APPLY_IN_RUN = /\bfirebreak\b[^\n]*\s--apply\b/;

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
  checkAllSecrets(wf, add);
  const jobs = isMap(wf.jobs) ? wf.jobs : {};
  for (const [jobId, job] of Object.entries(jobs)) {
    if (!isMap(job)) continue;
    if (typeof job.uses === 'string') {
      checkUses(job.uses, ['jobs', jobId, 'uses'], add);
      checkReusableFirebreakCall(jobId, job, add);
    }
    checkJobAudits(wf, jobId, job, add);
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

/** Contexts a composite action's caller controls: its inputs are whatever the workflow passed, event text included. */
const CALLER_CONTEXT = /\b(inputs\.|github\.event\.|github\.head_ref\b|steps\.[^.\s]+\.outputs\b)/;

/**
 * A composite action (`action.yml` with `runs.using: composite`): its `run:` and github-script
 * `script:` are pasted with `${{ inputs.x }}` before they run, so a workflow that passes
 * `${{ github.event.issue.title }}` to it in `with:` is injected through the action. The workflow
 * looks clean; the sink is here. Same rules as a workflow's steps: no expression in `run:`, none
 * from the caller in `script:`.
 */
export function checkCompositeAction(file: string, text: string): Finding[] {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true });
  if (doc.errors.length) return doc.errors.map((e) => ({ rule: RULES.parse, file, line: e.linePos?.[0]?.line ?? 1, message: e.message }));
  const action = doc.toJS() as unknown;
  if (!isMap(action) || !isMap(action.runs) || action.runs.using !== 'composite') return [];
  const at = new Located(doc, lines);
  const out: Finding[] = [];
  const steps = Array.isArray(action.runs.steps) ? action.runs.steps : [];
  steps.forEach((step, i) => {
    if (!isMap(step)) return;
    const path = ['runs', 'steps', i];
    if (typeof step.run === 'string' && step.run.includes('${{')) {
      out.push({ rule: RULES.noExpressionInRun, file, line: at.line([...path, 'run']), message: `composite step ${stepName(step, i)}: \${{ }} inside run: is pasted before the shell parses it; a caller passing event text in with: injects code here. Map it to env: and quote "$VAR".` });
    }
    const script = withOf(step).script;
    if (/^actions\/github-script@/.test(usesOf(step)) && typeof script === 'string') {
      const found = [...script.matchAll(EXPRESSION)].map((m) => m[1]!.trim()).filter((e) => CALLER_CONTEXT.test(e));
      if (found.length) out.push({ rule: RULES.templateInjection, file, line: at.line([...path, 'with', 'script']), message: `composite step ${stepName(step, i)}: \${{ ${found[0]} }} is pasted into script: (code injection through the caller's with:). Pass it through env: and read process.env.X.` });
    }
  });
  return out;
}

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

/**
 * firebreak-ref-matches-pin: a firebreak reusable workflow checks out firebreak at `firebreak-ref`
 * and runs the step from there, so the code that runs is the ref, not the pin in `uses:`. They must
 * be the same commit, and `firebreak-repository` the same repository, or a reviewed pin runs
 * unreviewed code.
 */
function checkReusableFirebreakCall(jobId: string, job: Json, add: Add): void {
  const m = REMOTE_REUSABLE_WORKFLOW.exec(String(job.uses).trim());
  if (!m) return;
  const [, repository, pin] = m;
  const w = isMap(job.with) ? job.with : {};
  if (!repository!.endsWith('/firebreak') && !('firebreak-ref' in w) && !('firebreak-repository' in w)) return;
  if (String(w['firebreak-ref'] ?? '') !== pin) {
    add(RULES.reusableRefMatchesPin, 'firebreak-ref' in w ? ['jobs', jobId, 'with', 'firebreak-ref'] : ['jobs', jobId, 'uses'], `job ${jobId}: firebreak-ref must be the commit SHA pinned in uses: (${pin}); the called workflow checks out and runs firebreak-ref.`);
  }
  if (String(w['firebreak-repository'] ?? '') !== repository) {
    add(RULES.reusableRefMatchesPin, 'firebreak-repository' in w ? ['jobs', jobId, 'with', 'firebreak-repository'] : ['jobs', jobId, 'uses'], `job ${jobId}: firebreak-repository must be ${repository}, the repository in uses:; the called workflow checks out and runs firebreak-repository.`);
  }
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
  const firebreakStep = steps.find((s) => isMap(s) && typeof s.uses === 'string' && LOCAL_FIREBREAK_ACTION.test(s.uses.trim())) as Json | undefined;
  if (!writes && !firebreakStep) return false;
  const why = writes ? `it has ${writes}` : `it runs ${String(firebreakStep!.uses)}`;
  // A job that calls a reusable workflow cannot name an environment (GitHub refuses it): the called
  // workflow's jobs carry theirs, and are checked in their own repository.
  if (typeof job.uses !== 'string' && (job.environment === undefined || job.environment === null || job.environment === '')) {
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

function triggers(wf: Json): string[] {
  const on = wf.on;
  if (typeof on === 'string') return [on];
  if (Array.isArray(on)) return on.filter((t): t is string => typeof t === 'string');
  return isMap(on) ? Object.keys(on) : [];
}

function stepsOf(job: Json): Json[] {
  return Array.isArray(job.steps) ? job.steps.filter(isMap) : [];
}

function usesOf(step: Json): string {
  return typeof step.uses === 'string' ? step.uses.trim() : '';
}

function withOf(step: Json): Json {
  return isMap(step.with) ? step.with : {};
}

function isCheckout(step: Json): boolean {
  return /^actions\/checkout@/.test(usesOf(step));
}

function untrustedExpressions(text: string): string[] {
  return [...text.matchAll(EXPRESSION)].map((m) => m[1]!.trim()).filter((e) => UNTRUSTED_CONTEXT.test(e));
}

/** The job's permissions, else the workflow's; undefined means the repository default (possibly write-all). */
function effectivePermissions(wf: Json, job: Json): unknown {
  return 'permissions' in job ? job.permissions : wf.permissions;
}

/** Write scopes of the GITHUB_TOKEN; `id-token` is counted only when asked (it mints cloud credentials, not a repo token). */
function writeScopes(permissions: unknown, countIdToken: boolean): string | undefined {
  if (permissions === undefined || permissions === null) return 'the default token (no permissions: anywhere)';
  if (permissions === 'write-all') return 'write-all';
  if (!isMap(permissions)) return undefined;
  const w = Object.entries(permissions).filter(([s, level]) => level === 'write' && (countIdToken || s !== 'id-token'));
  return w.length ? w.map(([s]) => `${s}: write`).join(', ') : undefined;
}

function hasEnvironment(job: Json): boolean {
  return !(job.environment === undefined || job.environment === null || job.environment === '');
}

/** Every string in a value with its path, for rules that look at expressions wherever they are. */
function* strings(value: unknown, path: (string | number)[]): Generator<[string, (string | number)[]]> {
  if (typeof value === 'string') yield [value, path];
  else if (Array.isArray(value)) for (const [i, v] of value.entries()) yield* strings(v, [...path, i]);
  else if (isMap(value)) for (const [k, v] of Object.entries(value)) yield* strings(v, [...path, k]);
}

/** overprovisioned-secrets: the whole secrets context handed to one place, or `secrets: inherit`. */
function checkAllSecrets(wf: Json, add: Add): void {
  for (const [text, path] of strings(wf, [])) {
    const wholesale = [...text.matchAll(EXPRESSION)].some((m) => ALL_SECRETS.test(m[1]!));
    if (wholesale) add(RULES.overprovisionedSecrets, path, `${path.join('.')}: \${{ toJSON(secrets) }} (or secrets[...]) hands every secret of the repository and environment to this step. Pass only the secrets it needs, one variable each.`);
  }
  const jobs = isMap(wf.jobs) ? wf.jobs : {};
  for (const [jobId, job] of Object.entries(jobs)) {
    if (isMap(job) && job.secrets === 'inherit') add(RULES.overprovisionedSecrets, ['jobs', jobId, 'secrets'], `job ${jobId}: secrets: inherit gives the called workflow every secret; pass the ones it needs by name.`);
  }
}

function checkJobAudits(wf: Json, jobId: string, job: Json, add: Add): void {
  const steps = stepsOf(job);
  const stepPath = (i: number, ...rest: string[]) => ['jobs', jobId, 'steps', i, ...rest];

  // excessive-permissions: write-all on a job (top level is checked by top-level-permissions-read-only).
  if (job.permissions === 'write-all') add(RULES.excessivePermissions, ['jobs', jobId, 'permissions'], `job ${jobId}: permissions: write-all grants every scope; list the write scopes the job needs.`);

  // dangerous-triggers: privileged triggers that run the contributor's code.
  const privileged = triggers(wf).filter((t) => t === 'pull_request_target' || t === 'workflow_run');
  if (privileged.length) {
    const secrets = /\bsecrets\b/.test(JSON.stringify({ job, env: wf.env ?? null }));
    const writes = writeScopes(effectivePermissions(wf, job), true);
    const reach = [secrets ? 'secrets' : '', writes ?? ''].filter(Boolean).join(' and ');
    // The head reaches the job directly (ref: from the event), through a value an earlier step
    // computed (ref: ${{ steps.pr.outputs.sha }}), or through the shell (git fetch "$SHA" with SHA
    // bound to the head in env:).
    const untrustedRef = (text: string) => UNTRUSTED_REF.test(text) || [...text.matchAll(EXPRESSION)].some((m) => COMPUTED_VALUE.test(m[1]!));
    const envOf = (s: Json) => [wf.env, job.env, s.env].flatMap((e) => (isMap(e) ? Object.values(e).map(String) : []));
    const untrusted = steps.findIndex(
      (s) =>
        (isCheckout(s) && untrustedRef(`${String(withOf(s).ref ?? '')} ${String(withOf(s).repository ?? '')}`)) ||
        (typeof s.run === 'string' && (UNTRUSTED_CHECKOUT_IN_RUN.test(s.run) || (GIT_REF_IN_RUN.test(s.run) && envOf(s).some(untrustedRef)))),
    );
    if (untrusted >= 0 && reach) {
      add(RULES.dangerousTriggers, stepPath(untrusted), `job ${jobId} runs on ${privileged.join('/')} and checks out the contributor's head code while ${reach} are in reach: their code runs with your privileges. Check out the base (no ref:), or split into an unprivileged pull_request job that uploads results and a privileged job that only reads them.`);
    }
    // Artifact poisoning: the triggering run's artifacts are whatever the contributor's code
    // uploaded; a later shell or local action in the same job may execute or source them.
    const download = steps.findIndex(
      (s) =>
        (/^actions\/download-artifact@/.test(usesOf(s)) && ('run-id' in withOf(s) || 'github-token' in withOf(s))) ||
        /^dawidd6\/action-download-artifact@/.test(usesOf(s)) ||
        (typeof s.run === 'string' && ARTIFACT_DOWNLOAD_IN_RUN.test(s.run)),
    );
    const runsLater = download >= 0 && steps.slice(download + 1).some((s) => typeof s.run === 'string' || usesOf(s).startsWith('./'));
    if (untrusted < 0 && runsLater && reach) {
      add(RULES.dangerousTriggers, stepPath(download), `job ${jobId} runs on ${privileged.join('/')}, downloads the triggering run's artifacts (the contributor's workflow wrote them) and runs later steps while ${reach} are in reach: a poisoned artifact runs with your privileges. Read them as data only in a job with no secrets and read-only permissions, or extract into $RUNNER_TEMP and never execute, source or install from them.`);
    }
  }

  steps.forEach((step, i) => {
    const uses = usesOf(step);
    const w = withOf(step);
    // template-injection beyond run: (run: is no-expression-in-run): github-script's script and docker args/entrypoint.
    const sinks: [string, unknown][] = [];
    if (/^actions\/github-script@/.test(uses)) sinks.push(['script', w.script]);
    if (uses.startsWith('docker://')) sinks.push(['args', w.args], ['entrypoint', w.entrypoint]);
    for (const [key, value] of sinks) {
      if (typeof value !== 'string') continue;
      const found = untrustedExpressions(value);
      if (found.length) {
        add(RULES.templateInjection, stepPath(i, 'with', key), `job ${jobId} step ${stepName(step, i)}: \${{ ${found[0]} }} is pasted into ${key}: before it runs (code injection). Pass it through env: and read it there (process.env.X in github-script, "$X" in a shell).`);
      }
    }

    // artipacked: a persisted token in .git/config ends up in uploaded artifacts or in later steps' reach.
    if (isCheckout(step) && w['persist-credentials'] !== false && w['persist-credentials'] !== 'false') {
      const uploads = steps.some((s) => /^actions\/upload-artifact@/.test(usesOf(s)));
      const writes = writeScopes(effectivePermissions(wf, job), false);
      if (uploads || writes) {
        add(RULES.artipacked, stepPath(i, 'uses'), `job ${jobId} step ${stepName(step, i)}: actions/checkout keeps the GITHUB_TOKEN in .git/config while the job ${uploads ? 'uploads artifacts' : `has ${writes}`}; set with: persist-credentials: false.`);
      }
    }

    // firebreak-apply-gated: firebreak used from another repository with apply set.
    if (REMOTE_FIREBREAK_ACTION.test(uses) && 'apply' in w && w.apply !== false && w.apply !== 'false' && !hasEnvironment(job)) {
      add(RULES.firebreakApplyGated, stepPath(i, 'uses'), `job ${jobId}: ${uses.split('@')[0]} with apply set changes production but the job has no environment: (reviewers, and the OIDC subject the role trusts).`);
    }
  });

  // firebreak-apply-gated: `firebreak … --apply` from a shell with static cloud credentials.
  // Line continuations joined, so `firebreak x \\\n  --apply` is one command.
  const applyStep = steps.findIndex((s) => typeof s.run === 'string' && CLI_FIREBREAK_APPLY_IN_RUN.test(s.run.replace(/\\\r?\n/g, ' ')));
  if (applyStep >= 0 && !hasEnvironment(job)) {
    const names = new Set<string>();
    for (const env of [wf.env, job.env, ...steps.map((s) => s.env)]) if (isMap(env)) for (const k of Object.keys(env)) if (STATIC_CLOUD_CREDENTIALS.test(k)) names.add(k);
    for (const s of steps) if (/^aws-actions\/configure-aws-credentials@/.test(usesOf(s)) && 'aws-access-key-id' in withOf(s)) names.add('aws-access-key-id');
    if (names.size) {
      add(RULES.firebreakApplyGated, stepPath(applyStep, 'run'), `job ${jobId} runs firebreak --apply with static cloud credentials (${[...names].sort().join(', ')}) and no environment:. Put it behind an environment with required reviewers, and prefer OIDC (id-token: write + role-to-assume) to long-lived keys.`);
    }
  }

  // unpinned-images: container and service images move with their tags.
  const images: [unknown, (string | number)[]][] = [];
  if (typeof job.container === 'string') images.push([job.container, ['jobs', jobId, 'container']]);
  else if (isMap(job.container)) images.push([job.container.image, ['jobs', jobId, 'container', 'image']]);
  if (isMap(job.services)) {
    for (const [name, svc] of Object.entries(job.services)) {
      if (typeof svc === 'string') images.push([svc, ['jobs', jobId, 'services', name]]);
      else if (isMap(svc)) images.push([svc.image, ['jobs', jobId, 'services', name, 'image']]);
    }
  }
  for (const [image, path] of images) {
    if (typeof image !== 'string' || !IMAGE_DIGEST.test(image.trim())) {
      add(RULES.unpinnedImages, path, `job ${jobId}: image ${String(image)} is not pinned: use image@sha256:<64 hex> (tags move; whoever moves one runs code in your job).`);
    }
  }
}
