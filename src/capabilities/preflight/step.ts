import { InputError } from '../../core/errors.js';
import { KIT_VARIABLES, type KitVariableKey } from '../../core/names.js';
import type { AwsIdentityPort, CallerIdentity } from '../../core/ports/aws-identity.js';
import type { Change, Outcome } from '../../core/plan.js';
import type { StepDefinition } from '../../core/step.js';

/**
 * Preflight: can the responder act? Read-only. The plan lists the checks; apply performs them and
 * reports one outcome per check (`applied` = checked and fine, `failed` = what to fix). Run it
 * after `pulumi up` and before an incident, so the first button pressed in anger works.
 */

export const PREFLIGHT_CHECKS = ['aws', 'variables'] as const;
export type PreflightCheck = (typeof PREFLIGHT_CHECKS)[number];

export interface PreflightInput {
  checks: PreflightCheck[];
  /** Kit variables present in the environment (from `readKitVariables`). */
  variables: Partial<Record<KitVariableKey, string>>;
}

/** Without these nothing can act; the others belong to optional parts of the kit. */
export const REQUIRED_KIT_VARIABLES: readonly KitVariableKey[] = ['awsRegion', 'responderRoleArn'];

export interface PreflightPorts {
  identity: AwsIdentityPort;
}

export const TARGET_AWS = 'aws:sts';
export const TARGET_VARIABLES = 'github:environment';
export const SUBJECT_IDENTITY = 'caller-identity';
export const SUBJECT_ROLE = 'responder-role';

export const preflightStep: StepDefinition<PreflightInput, PreflightPorts> = {
  name: 'preflight',
  description: 'Checks, read-only, that the responder can act: AWS identity and the kit variables.',

  parse(raw) {
    const checks = parseChecks(raw.checks);
    const variables: Partial<Record<KitVariableKey, string>> = {};
    const given = raw.variables ?? {};
    if (typeof given !== 'object' || given === null || Array.isArray(given)) throw new InputError('variables must be an object of kit variable values', { field: 'variables' });
    for (const key of Object.keys(KIT_VARIABLES) as KitVariableKey[]) {
      const v = (given as Record<string, unknown>)[key];
      if (typeof v === 'string' && v.trim() !== '') variables[key] = v.trim();
    }
    return { checks, variables };
  },

  async plan(input) {
    const changes: Change[] = [];
    const warnings: string[] = [];
    if (input.checks.includes('aws')) {
      changes.push({ target: TARGET_AWS, action: 'check', subject: SUBJECT_IDENTITY });
      const roleArn = input.variables.responderRoleArn;
      if (roleArn) changes.push({ target: TARGET_AWS, action: 'check', subject: SUBJECT_ROLE, detail: { roleArn } });
      else warnings.push(`${KIT_VARIABLES.responderRoleArn} is not set, so the AWS identity cannot be compared with the responder role.`);
    }
    if (input.checks.includes('variables')) {
      for (const name of Object.values(KIT_VARIABLES)) changes.push({ target: TARGET_VARIABLES, action: 'check', subject: name });
    }
    return { step: 'preflight', changes, unchanged: [], warnings };
  },

  async apply(plan, input, ports, ctx) {
    const outcomes: Outcome[] = [];
    const awsChecks = plan.changes.filter((c) => c.target === TARGET_AWS);
    if (awsChecks.length) outcomes.push(...(await checkAws(awsChecks, input, ports, (m) => ctx.logger.info(m))));
    const keyOf = new Map<string, KitVariableKey>((Object.entries(KIT_VARIABLES) as [KitVariableKey, string][]).map(([key, name]) => [name, key]));
    for (const c of plan.changes.filter((ch) => ch.target === TARGET_VARIABLES)) {
      const key = keyOf.get(c.subject);
      const present = key !== undefined && input.variables[key] !== undefined;
      const required = key !== undefined && REQUIRED_KIT_VARIABLES.includes(key);
      const how = `\`pulumi up\` writes it to the GitHub environment; the workflow passes it to the step as env ${c.subject}: \${{ vars.${c.subject} }}`;
      outcomes.push({
        target: c.target,
        action: c.action,
        subject: c.subject,
        status: present ? 'applied' : required ? 'failed' : 'skipped',
        reason: present ? 'present' : required ? `missing, and every step needs it: ${how}` : `not set; steps that use it will refuse until ${how}`,
        retryable: false,
      });
    }
    return outcomes;
  },
};

function parseChecks(raw: unknown): PreflightCheck[] {
  if (raw === undefined || raw === null) return [...PREFLIGHT_CHECKS];
  const list = typeof raw === 'string' ? raw.split(/[\n,]/) : Array.isArray(raw) ? raw : null;
  if (!list) throw new InputError('checks must be a list', { field: 'checks' });
  const out: PreflightCheck[] = [];
  for (const item of list) {
    const v = String(item).trim();
    if (v === '') continue;
    if (!(PREFLIGHT_CHECKS as readonly string[]).includes(v)) {
      throw new InputError(`unknown check "${v.slice(0, 40)}"; choose from ${PREFLIGHT_CHECKS.join(', ')}`, { field: 'checks' });
    }
    if (!out.includes(v as PreflightCheck)) out.push(v as PreflightCheck);
  }
  if (out.length === 0) return [...PREFLIGHT_CHECKS];
  return out;
}

async function checkAws(checks: Change[], input: PreflightInput, ports: PreflightPorts, log: (m: string) => void): Promise<Outcome[]> {
  let identity: CallerIdentity;
  try {
    identity = await ports.identity.whoAmI();
  } catch (error) {
    const err = error as { message?: string; hint?: string; retryable?: boolean };
    const reason = [err.message ?? String(error), err.hint].filter(Boolean).join(' — ');
    return checks.map((c) => ({ target: c.target, action: c.action, subject: c.subject, status: 'failed', reason, retryable: err.retryable ?? false }));
  }
  log(`AWS identity: ${identity.arn} (account ${identity.account})`);
  return checks.map((c): Outcome => {
    if (c.subject === SUBJECT_IDENTITY) {
      return { target: c.target, action: c.action, subject: c.subject, status: 'applied', reason: `${identity.arn} in account ${identity.account}` };
    }
    const roleArn = input.variables.responderRoleArn ?? '';
    const mismatch = roleMismatch(identity, roleArn);
    return mismatch
      ? { target: c.target, action: c.action, subject: c.subject, status: 'failed', reason: mismatch, retryable: false }
      : { target: c.target, action: c.action, subject: c.subject, status: 'applied', reason: `running as ${roleArn}` };
  });
}

const ASSUMED_ROLE = /^arn:([^:]+):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/;
const ROLE = /^arn:([^:]+):iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/;

/** Returns why the identity is not the responder role, or undefined when it is. */
export function roleMismatch(identity: CallerIdentity, roleArn: string): string | undefined {
  const want = ROLE.exec(roleArn);
  if (!want) return `${KIT_VARIABLES.responderRoleArn} is "${roleArn}", not an IAM role ARN (arn:aws:iam::<account>:role/<name>)`;
  const got = ASSUMED_ROLE.exec(identity.arn);
  if (!got) return `running as ${identity.arn}, not as an assumed role; expected the responder role ${roleArn} (configure-aws-credentials with role-to-assume)`;
  if (got[2] !== want[2]) return `running in account ${got[2]} but the responder role is in account ${want[2]}`;
  if (got[3] !== want[3]) return `running as role ${got[3]}, expected the responder role ${want[3]}`;
  return undefined;
}
