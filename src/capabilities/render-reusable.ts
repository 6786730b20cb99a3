import { actionStep, auditArtifactStep, awsCredentialsStep, GENERATED_BY, offeredFields, workflowFile, type RenderOptions } from './render.js';
import type { CapabilityDefinition, WorkflowShape } from './types.js';

/**
 * Renders `.github/workflows/reusable-<slug>.yml`: the `workflow_call` twin of a capability's
 * button, for teams that keep their own repository and call firebreak from it. Pure, like
 * render.ts; `generated-files.ts` adds one line per capability with a workflow.
 *
 * A called workflow runs in the CALLER's repository: `github.repository`, the token, `vars`, the
 * environment (its reviewers, secrets and the OIDC `sub`) are the caller's, and `uses: ./actions/x`
 * would resolve in the caller's checkout. So the job checks out the caller (for its firebreak.yml)
 * at the workspace root and firebreak itself, at the commit the caller pinned, into
 * SOURCE_CHECKOUT_DIR, and runs the action from there. No expression context that actionlint knows
 * names the called workflow's own commit, so the caller passes it (`firebreak-ref`, the same
 * 40-hex SHA as in `uses:`); before anything is checked out the job refuses a ref that is not a
 * full commit SHA, and one that is not the commit its own OIDC token names (CHECK_SOURCE_SCRIPT).
 */

/** Where the job checks out firebreak (the action, its bundle in dist/). Not `.firebreak/`: that holds the audit chain. */
export const SOURCE_CHECKOUT_DIR = '.firebreak-src';

/** Inputs every reusable workflow takes before the capability's own: which firebreak to run. */
export const REUSABLE_SOURCE_INPUTS = {
  'firebreak-repository': 'owner/name of the firebreak repository in your `uses:` line (e.g. acme/firebreak).',
  'firebreak-ref': 'The full 40-hex commit SHA in your `uses:` line; the step runs this commit. Branches and tags are refused.',
} as const;

export function reusableWorkflowFile(cap: CapabilityDefinition): string {
  return `reusable-${cap.slug}.yml`;
}

export interface ReusableInput {
  name: string;
  description: string;
  type: 'string' | 'boolean';
  required: boolean;
  default?: string | boolean;
}

/**
 * The capability's inputs as a reusable workflow declares them, in the dispatch twin's order:
 * environment, incident id, the schema's offered fields, apply, the guard override. `workflow_call`
 * has only string, boolean and number: a choice or an environment becomes a string (the action
 * refuses a value outside the choice's options, as it does from the CLI).
 */
export function reusableInputs(cap: CapabilityDefinition): ReusableInput[] {
  const wf = shapeOf(cap);
  const out: ReusableInput[] = [];
  if (wf.environment === 'pick') out.push({ name: 'environment', description: 'GitHub environment of YOUR repository that holds the kit (its reviewers gate the job; it is the OIDC subject the role trusts).', type: 'string', required: true });
  if (cap.incident !== 'creates') {
    out.push(
      cap.incident === 'required'
        ? { name: 'incident-id', description: 'Incident id (INC-YYYY-MM-DD-slug).', type: 'string', required: true }
        : { name: 'incident-id', description: 'Incident id (INC-YYYY-MM-DD-slug).', type: 'string', required: false, default: '' },
    );
  }
  for (const [name, f] of offeredFields(cap)) {
    const w = f.workflow || {};
    const description = w.description ?? f.description;
    const type = w.type ?? (f.kind === 'flag' ? 'boolean' : f.kind === 'choice' ? 'choice' : 'string');
    if (type === 'boolean') {
      out.push({ name, description, type: 'boolean', required: false, default: typeof w.default === 'boolean' ? w.default : f.kind === 'flag' ? (f.default ?? false) : false });
    } else if (type === 'choice') {
      const options = w.options ?? (f.kind === 'choice' ? f.options : []);
      const dflt = w.default ?? f.default ?? options[0] ?? '';
      out.push({ name, description: `${description}${options.every((o) => description.includes(o)) ? '' : ` One of: ${options.join(', ')}.`}`, type: 'string', required: false, default: String(dflt) });
    } else if (f.required) out.push({ name, description, type: 'string', required: true });
    else out.push({ name, description, type: 'string', required: false, default: String(w.default ?? (f.kind === 'text' ? (f.default ?? '') : '')) });
  }
  out.push(
    { name: 'apply', description: 'Make the change (false = dry run, plan only).', type: 'boolean', required: false, default: wf.applyByDefault === true },
    { name: 'override-guard', description: 'Guard code to override; needs a reason.', type: 'string', required: false, default: '' },
    { name: 'override-reason', description: 'Why the guard is overridden (kept in the audit record).', type: 'string', required: false, default: '' },
  );
  return out;
}

/** The GitHub token permissions the called job uses; the caller's job must grant at least these. */
export function reusablePermissions(cap: CapabilityDefinition): Record<string, string> {
  const wf = shapeOf(cap);
  const perms: Record<string, string> = { contents: wf.permissions?.contents ?? 'read', issues: wf.permissions?.issues ?? 'write', 'id-token': 'write' };
  for (const [k, v] of Object.entries(wf.permissions ?? {})) if (!(k in perms)) perms[k] = v;
  return perms;
}

/** The environment the job runs in, as an expression or a fixed name. */
function environmentOf(wf: WorkflowShape): string {
  return wf.environment === 'pick' ? '${{ inputs.environment }}' : wf.environment.name;
}

/**
 * The concurrency group: the shape's (the dispatch twin's) when it names one; else one run per
 * capability and environment (containment) or per incident (bookkeeping).
 */
function concurrencyOf(cap: CapabilityDefinition, wf: WorkflowShape): string {
  if (wf.concurrency) return wf.concurrency;
  if (wf.environment === 'pick') return `firebreak-${cap.slug}-\${{ inputs.environment }}`;
  return cap.incident === 'creates' ? `firebreak-${cap.slug}` : `firebreak-${cap.slug}-\${{ inputs.incident-id }}`;
}

/** The OIDC audience of the token the source check reads (no role trusts it: AWS roles want sts.amazonaws.com). */
export const SOURCE_CHECK_AUDIENCE = 'firebreak-source-check';

/**
 * The shell that refuses a firebreak source other than the workflow that is running. Values arrive
 * through env:, never pasted into the script, and a refused value is never echoed (it could carry
 * workflow commands). Shape first (owner/name, a full 40-hex SHA), then the job's own OIDC token:
 * GitHub names the called workflow and its commit in `job_workflow_ref` and `job_workflow_sha`, so
 * a `firebreak-ref` that is not the SHA in the caller's `uses:` is refused at run time as well as
 * by the caller's lint. Fails closed when no token can be had (`id-token: write` is required anyway).
 */
export const CHECK_SOURCE_SCRIPT = [
  'if ! [[ "$SOURCE_REPOSITORY" =~ ^[A-Za-z0-9-]+/[A-Za-z0-9._-]+$ ]]; then',
  '  echo "::error title=firebreak-repository::firebreak-repository must be owner/name, the repository in your uses: line (e.g. acme/firebreak)."',
  '  exit 1',
  'fi',
  'if ! [[ "$SOURCE_REF" =~ ^[0-9a-f]{40}$ ]]; then',
  '  echo "::error title=firebreak-ref::firebreak-ref must be the full 40-hex commit SHA you pinned in uses: (…/reusable-*.yml@<sha>); a branch, tag or short SHA can move under you."',
  '  exit 1',
  'fi',
  'if [ -z "${ACTIONS_ID_TOKEN_REQUEST_URL:-}" ] || [ -z "${ACTIONS_ID_TOKEN_REQUEST_TOKEN:-}" ]; then',
  '  echo "::error title=firebreak-ref::no OIDC token to check firebreak-ref against: the calling job must grant id-token: write."',
  '  exit 1',
  'fi',
  `if ! response=$(curl -sSf --retry 3 -H "Authorization: bearer $ACTIONS_ID_TOKEN_REQUEST_TOKEN" "$ACTIONS_ID_TOKEN_REQUEST_URL&audience=${SOURCE_CHECK_AUDIENCE}"); then`,
  '  echo "::error title=firebreak-ref::could not get the job\'s OIDC token to check firebreak-ref against."',
  '  exit 1',
  'fi',
  'payload=$(jq -r \'.value // ""\' <<<"$response" 2>/dev/null | cut -d. -f2 | tr \'_-\' \'/+\' || true)',
  'while (( ${#payload} % 4 )); do payload+="="; done',
  'claims=$(base64 -d <<<"$payload" 2>/dev/null || true)',
  'running_sha=$(jq -r \'.job_workflow_sha // ""\' <<<"$claims" 2>/dev/null || true)',
  'running_ref=$(jq -r \'.job_workflow_ref // ""\' <<<"$claims" 2>/dev/null || true)',
  'if [ "$running_sha" != "$SOURCE_REF" ] || [[ "${running_ref,,}" != "${SOURCE_REPOSITORY,,}/.github/workflows/"* ]]; then',
  '  echo "::error title=firebreak-ref::firebreak-repository and firebreak-ref must name the workflow you called (the repository and SHA in your uses: line); this job runs ${running_ref:-an unknown workflow} at ${running_sha:-an unknown commit}."',
  '  exit 1',
  'fi',
  'echo "firebreak source: $SOURCE_REPOSITORY@$SOURCE_REF (the called workflow\'s own commit)"',
].join('\n');

export function renderReusableWorkflow(cap: CapabilityDefinition, options: RenderOptions): string {
  const wf = shapeOf(cap);
  const L: string[] = [];
  const perms = reusablePermissions(cap);
  L.push(
    `# ${GENERATED_BY}/${cap.slug}/capability.ts; edit that file, not this one.`,
    `# ${cap.description}`,
    `# Reusable twin of .github/workflows/${workflowFile(cap)}, for calling firebreak from your own repository:`,
    '# see docs/operators/using-from-your-repository.md. Call it at a commit SHA and pass the same SHA as',
    '# firebreak-ref. The calling job must grant at least:',
    ...Object.entries(perms).map(([k, v]) => `#   ${k}: ${v}`),
    `name: reusable-${cap.slug}`,
    '',
    'on:',
    '  workflow_call:',
    '    inputs:',
  );
  const input = (i: ReusableInput) => {
    L.push(`      ${i.name}:`, `        description: ${JSON.stringify(i.description)}`, `        type: ${i.type}`);
    if (i.required) L.push('        required: true');
    else L.push('        required: false', `        default: ${typeof i.default === 'boolean' ? String(i.default) : JSON.stringify(i.default ?? '')}`);
  };
  for (const [name, description] of Object.entries(REUSABLE_SOURCE_INPUTS)) input({ name, description, type: 'string', required: true });
  for (const i of reusableInputs(cap)) input(i);
  const secrets = wf.secrets ?? [];
  if (secrets.length) {
    L.push('    # Declared one by one (never `secrets: inherit`). A secret of the same name in the job\'s', '    # environment takes precedence over the one passed here.', '    secrets:');
    for (const s of secrets) L.push(`      ${s}:`, `        description: Read by the step from env ${s}.`, '        required: false');
  }
  L.push('', 'permissions: {}', '', 'jobs:', `  ${cap.slug}:`, '    runs-on: ubuntu-24.04', `    timeout-minutes: ${wf.timeoutMinutes ?? 10}`);
  if (wf.note) for (const line of wf.note.split('\n')) L.push(`    # ${line}`);
  L.push(`    environment: ${environmentOf(wf)}`, '    concurrency:', `      group: ${concurrencyOf(cap, wf)}`, '      cancel-in-progress: false');
  L.push('    # At most what the calling job granted; the audit record is copied to the incident issue.', '    permissions:');
  for (const [k, v] of Object.entries(perms)) L.push(`      ${k}: ${v}`);
  L.push(
    '    steps:',
    '      - name: Refuse a firebreak source other than this workflow\'s own commit',
    '        env:',
    '          SOURCE_REPOSITORY: ${{ inputs.firebreak-repository }}',
    '          SOURCE_REF: ${{ inputs.firebreak-ref }}',
    '        run: |',
    ...CHECK_SOURCE_SCRIPT.split('\n').map((l) => `          ${l}`),
    '      # Your repository (its firebreak.yml) at the workspace root, then firebreak itself beside it.',
    `      - uses: actions/checkout@${options.pins.checkout}`,
    '        with:',
    '          persist-credentials: false',
    `      - uses: actions/checkout@${options.pins.checkout}`,
    '        with:',
    '          repository: ${{ inputs.firebreak-repository }}',
    '          ref: ${{ inputs.firebreak-ref }}',
    `          path: ${SOURCE_CHECKOUT_DIR}`,
    '          persist-credentials: false',
  );
  L.push(...awsCredentialsStep(cap, wf, options.pins));
  L.push(...actionStep(cap, `./${SOURCE_CHECKOUT_DIR}/actions/${cap.slug}`, offeredFields(cap).map(([name]) => name), secrets));
  L.push(...auditArtifactStep(options.pins));
  return `${L.join('\n')}\n`;
}

function shapeOf(cap: CapabilityDefinition): WorkflowShape {
  if (!cap.workflow) throw new Error(`${cap.slug} has no workflow, so no reusable workflow`);
  if (!cap.action) throw new Error(`${cap.slug} has no action for a reusable workflow to run`);
  return cap.workflow;
}

/** Schema fields a workflow offers (secrets never: they travel as env from `secrets.*`). */
