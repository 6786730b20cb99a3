import { buildRotateSecretPorts } from '../capabilities/rotate-secret/build-ports.js';
import type { RotateSecretPorts } from '../capabilities/rotate-secret/ports.js';
import { rotateSecretStep } from '../capabilities/rotate-secret/step.js';
import { InputError } from '../core/errors.js';
import { formatTarget, parseTarget } from '../core/target.js';
import type { FleetCapability } from './capability.js';
import { targetEnv } from './target-env.js';

/**
 * rotate-secret across a fleet: the secret of the same name in every selected AWS account and
 * region (a credential shared across the estate), each rotated to its own new value with the
 * member role's credentials, each with its own audit record. The name is given once, unscoped:
 * the fleet target supplies `@account/region`, so a run can never rotate one account's secret
 * with another's credentials.
 */
export const rotateSecretFleet: FleetCapability<RotateSecretPorts> = {
  slug: 'rotate-secret',
  providers: ['aws'],
  step: rotateSecretStep,
  validate(raw) {
    secretName(raw);
  },
  input(raw, target) {
    if (target.provider !== 'aws') throw new InputError(`rotate-secret acts on AWS targets only, not ${target.id}`, { field: 'targets' });
    const ref = secretName(raw);
    return { ...raw, target: formatTarget({ ...ref, scope: { account: target.account, region: target.region } }) };
  },
  ports: (ctx) => buildRotateSecretPorts(targetEnv(ctx), { sleep: ctx.sleep, clock: ctx.clock, sharedRequestHandler: ctx.awsRequestHandler, ...(ctx.timeoutMs ? { timeoutMs: ctx.timeoutMs } : {}) }),
};

function secretName(raw: Record<string, unknown>) {
  const text = typeof raw['target'] === 'string' ? raw['target'].trim() : '';
  if (!text) throw new InputError('target is required: the secret to rotate in every selected account, e.g. aws:secret:prod/api-key', { field: 'target', code: 'INPUT_MISSING' });
  const ref = parseTarget(text, { field: 'target', kinds: ['aws:secret'] });
  if (ref.scope.account || ref.scope.region || ref.id.startsWith('arn:')) {
    throw new InputError(`target: ${text} names one account or region; a fleet run takes the bare name (aws:secret:NAME) and rotates it in each selected target's account and region`, {
      field: 'target',
      code: 'FLEET_TARGET_SCOPED',
    });
  }
  return ref;
}
