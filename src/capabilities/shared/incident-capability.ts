import type { InputSchema } from '../../core/inputs.js';
import type { CapabilityDefinition, CapabilityRuntime, GitHubPermission, WorkflowShape } from '../types.js';
import { NOTIFY_AFTER_STEPS, NOTIFY_SECRETS } from '../notify/secrets.js';

/**
 * What every incident bookkeeping capability shares: it writes only to the incident issue (and PRs),
 * so its button runs in the reviewer-less `firebreak-incident` environment, applies by default, and
 * makes no AWS call of its own (its records reach the evidence bucket through the audit-writer role).
 */
export function incidentCapability<S extends InputSchema>(
  def: Pick<CapabilityDefinition<S>, 'slug' | 'title' | 'summary' | 'description' | 'inputs' | 'runtime'> &
    Partial<Pick<CapabilityDefinition<S>, 'incident' | 'cliAliases'>> & {
      permissions?: Readonly<Record<string, GitHubPermission>>;
      concurrency?: string;
      workflow?: WorkflowShape;
      cli?: CapabilityDefinition<S>['cli'];
    },
): CapabilityDefinition<S> {
  const { permissions, concurrency, workflow, cli, ...rest } = def;
  return {
    status: 'built',
    group: 'incident',
    incident: 'required',
    action: true,
    cli: cli ?? 'generated',
    workflow: workflow ?? {
      mode: 'generated',
      aws: false,
      environment: { name: 'firebreak-incident' },
      applyByDefault: true,
      note: "Incident bookkeeping only writes to issues and PRs: the environment has no reviewers, so a\nresponder is never blocked at 3 a.m.; it scopes the token's use and shows runs per incident.",
      permissions: permissions ?? { issues: 'write' },
      concurrency: concurrency ?? 'firebreak-incident-${{ inputs.incident-id }}',
      // The notify hook runs after the step (src/runtime/notify-hook.ts) and reads these.
      ...(NOTIFY_AFTER_STEPS.has(def.slug) ? { secrets: NOTIFY_SECRETS } : {}),
    },
    iam: [],
    kitVariables: [],
    drill: 'incident',
    ...rest,
  };
}

/** The incident steps' runtime: ports on the incident issue, and a record that misses it fails. */
export async function incidentRuntime(step: CapabilityRuntime['step'], extra: Partial<CapabilityRuntime> = {}): Promise<CapabilityRuntime> {
  const { buildIncidentPorts } = await import('../../runtime/ports/incident.js');
  return {
    step,
    ports: (ctx) => buildIncidentPorts(ctx),
    // The incident's state is derived from the issue: a record that did not reach it must fail.
    mirrorFailure: 'fail',
    ...extra,
  };
}
