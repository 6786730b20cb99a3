import { runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import type { AwsCall } from './aws-request-actions.js';

/**
 * Evaluates the AWS calls a capability made against the policies the kit attaches, with
 * @cloud-copilot/iam-simulate (AWS's evaluation logic: explicit deny, identity and resource
 * policies, conditions). Fed with (capability, calls, policies) so the capability registry can
 * supply the expected lists later; nothing here knows about moto or Pulumi.
 */
export interface PolicyDocument {
  Version: string;
  Statement: Array<Record<string, unknown>>;
}

export interface NamedPolicy {
  /** The inline policy's name on the role, e.g. `firebreak-block-ips`. */
  name: string;
  document: PolicyDocument;
}

/** A resource-based policy (bucket policy, key policy) and the ARNs it governs. */
export interface ResourcePolicy {
  name: string;
  /** Exact ARN, or a prefix ending in `*` (`arn:aws:s3:::bucket*` covers the bucket and its objects). */
  resources: string[];
  document: PolicyDocument;
}

export interface EvaluationInput {
  capability: string;
  calls: AwsCall[];
  /** Every inline policy of the role the job assumes: a call may be allowed by another capability's policy. */
  identityPolicies: NamedPolicy[];
  resourcePolicies?: ResourcePolicy[];
  /** The role the job assumes. */
  principalArn: string;
  /** Account that owns the resources (same-account requests). */
  accountId: string;
}

export type Decision = 'Allowed' | 'ImplicitlyDenied' | 'ExplicitlyDenied' | 'SimulationError';

/** One statement of one policy, by Sid (or, as iam-simulate names it, its 1-based position when it has none). */
export interface StatementRef {
  policy: string;
  sid: string;
}

export interface CallDecision {
  capability: string;
  call: AwsCall;
  decision: Decision;
  /** Identity statements that allowed the call (empty for calls IAM does not authorise, like sts:GetCallerIdentity). */
  allowedBy: StatementRef[];
  detail?: string;
}

export interface CapabilityEvaluation {
  capability: string;
  decisions: CallDecision[];
  /** Every call that production would refuse. */
  denied: CallDecision[];
  /** Distinct IAM actions the capability used, sorted: what the capability registry's `iam:` should list. */
  actions: string[];
}

export async function evaluateCapability(input: EvaluationInput): Promise<CapabilityEvaluation> {
  const decisions: CallDecision[] = [];
  const seen = new Set<string>();
  for (const call of input.calls) {
    // The same call with the same resource and context gets the same answer.
    const key = JSON.stringify([call.action, call.resource, call.context]);
    if (seen.has(key)) continue;
    seen.add(key);
    decisions.push(await decide(input, call));
  }
  return {
    capability: input.capability,
    decisions,
    denied: decisions.filter((d) => d.decision !== 'Allowed'),
    actions: [...new Set(input.calls.map((c) => c.action))].sort(),
  };
}

async function decide(input: EvaluationInput, call: AwsCall): Promise<CallDecision> {
  const resourcePolicy = input.resourcePolicies?.find((p) => p.resources.some((r) => (r.endsWith('*') ? call.resource.startsWith(r.slice(0, -1)) : call.resource === r)));
  const simulation: Simulation = {
    identityPolicies: input.identityPolicies.map((p) => ({ name: p.name, policy: p.document })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    ...(resourcePolicy ? { resourcePolicy: resourcePolicy.document } : {}),
    request: {
      action: call.action,
      principal: input.principalArn,
      resource: { accountId: input.accountId, resource: call.resource },
      // Production calls go over TLS; the evidence bucket denies anything else.
      contextVariables: { 'aws:SecureTransport': 'true', ...call.context },
    },
  } as Simulation;
  const response = await runSimulation(simulation, {});
  const base = { capability: input.capability, call };
  if (response.resultType === 'error') return { ...base, decision: 'SimulationError', allowedBy: [], detail: JSON.stringify(response.errors) };
  if (response.resultType !== 'single') return { ...base, decision: 'SimulationError', allowedBy: [], detail: `unexpected ${response.resultType} result for ${call.resource}` };
  const allow = response.result.analysis?.identityAnalysis?.allowStatements ?? [];
  const allowedBy = allow.map((s) => ({ policy: s.policyId ?? '?', sid: s.explain?.identifier ?? '?' }));
  return { ...base, decision: response.overallResult as Decision, allowedBy };
}

/** One action a statement grants: the unit an unused-grant finding names. */
export interface Grant extends StatementRef {
  action: string;
  resources: string[];
}

/** Every (policy, statement, action) the identity policies grant, in policy order. */
export function listGrants(policies: NamedPolicy[]): Grant[] {
  const out: Grant[] = [];
  for (const p of policies) {
    p.document.Statement.forEach((s, i) => {
      if (s['Effect'] !== 'Allow') return;
      const actions = ([] as unknown[]).concat(s['Action'] ?? []).map(String);
      const resources = ([] as unknown[]).concat(s['Resource'] ?? []).map(String);
      const sid = typeof s['Sid'] === 'string' ? s['Sid'] : String(i + 1);
      for (const action of actions) out.push({ policy: p.name, sid, action, resources });
    });
  }
  return out;
}

/** Grants no allowed call used (matching action, through that very statement). */
export function unusedGrants(policies: NamedPolicy[], evaluations: CapabilityEvaluation[]): Grant[] {
  const used = new Set<string>();
  for (const e of evaluations) {
    for (const d of e.decisions) {
      if (d.decision !== 'Allowed') continue;
      for (const s of d.allowedBy) used.add(grantKey({ ...s, action: d.call.action }));
    }
  }
  return listGrants(policies).filter((g) => !used.has(grantKey(g)) && !usedByWildcard(g, used));
}

export function grantKey(g: StatementRef & { action: string }): string {
  return `${g.policy}/${g.sid}/${g.action}`;
}

/** `kms:GenerateDataKey*` is used when kms:GenerateDataKey went through the same statement. */
function usedByWildcard(g: Grant, used: Set<string>): boolean {
  if (!g.action.includes('*')) return false;
  const re = new RegExp(`^${g.action.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`, 'i');
  const prefix = `${g.policy}/${g.sid}/`;
  return [...used].some((k) => k.startsWith(prefix) && re.test(k.slice(prefix.length)));
}

/** The line a responder reads when a call would be refused. */
export function describeDenial(d: CallDecision): string {
  const via = d.call.impliedBy ? ` (S3 calls KMS for ${d.call.impliedBy})` : '';
  const why =
    d.decision === 'ExplicitlyDenied'
      ? 'an explicit Deny matches'
      : d.decision === 'SimulationError'
        ? `the simulator refused the request: ${d.detail ?? ''}`
        : 'no statement of the role allows it';
  const context = Object.keys(d.call.context).length ? ` with ${JSON.stringify(d.call.context)}` : '';
  return `${d.capability}: ${d.call.action} on ${d.call.resource}${context}${via} would be ${d.decision} in production: ${why}`;
}
