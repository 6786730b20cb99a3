import type { KitVariableKey } from '../../core/names.js';
import type { CapabilityRuntime, WorkflowShape } from '../types.js';

/** Kit variables revoke-access and restore-access read: the region and the ledger's bucket. */
export const ACCESS_KIT_VARIABLES: readonly KitVariableKey[] = ['awsRegion', 'evidenceBucket', 'evidencePrefix'];

/**
 * Production-changing: the job runs in the environment the responder picks (reviewers gate it).
 * GitHub organisation changes need the kit's App token (FIREBREAK_GITHUB_TOKEN with organisation
 * members: write); the job's own token only reads the repository.
 */
export function accessWorkflow(concurrency: string): WorkflowShape {
  return {
    mode: 'generated',
    aws: true,
    environment: 'pick',
    secrets: ['FIREBREAK_GITHUB_TOKEN'],
    // Revoke and restore of the same principals never interleave.
    concurrency,
    timeoutMinutes: 15,
  };
}


export async function accessRuntime(step: CapabilityRuntime['step']): Promise<CapabilityRuntime> {
  const { buildAccessPorts } = await import('../../runtime/ports/access.js');
  return { step, ports: (ctx) => buildAccessPorts(ctx.env, ctx.config, { sleep: ctx.sleep, onRetry: (m) => ctx.logger.info(m) }) };
}
