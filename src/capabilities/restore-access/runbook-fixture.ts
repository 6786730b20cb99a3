import { check, checkEqual, type Expectation } from '../../drill/scenario.js';
import type { RunbookFixture } from '../../drill/runbook/fixture.js';
import { auditHoldsNone, refusedWhole } from '../../drill/runbook/kit-leaks.js';
import { beforeRevocation, plantedCredentials, preparePrincipals, principalLabel, principalsOf, readPrincipal, stateBeforeStep } from '../revoke-access/runbook-fixture.js';

/**
 * restore-access in a runbook drill: the principals exist (the same provisioning as revoke-access,
 * so a runbook that restores in a later drill step finds what it revoked), and afterwards each one
 * has back what it had before the first revocation: the Cognito user enabled, the GitHub user
 * invited back with their role and teams (pending until they accept), the IAM user's previously
 * active keys active and firebreak's policies gone. A refused step changed nothing.
 */
export const restoreAccessFixture: RunbookFixture = {
  prepare: preparePrincipals,

  async verify(world, outcome) {
    const targets = principalsOf(outcome.input.targets);
    const out: Expectation[] = [check('restore-access: the targets name principals', targets.length > 0 || outcome.code !== undefined, String(outcome.input.targets))];
    for (const t of targets) {
      const name = principalLabel(t);
      const now = (await readPrincipal(world, t))?.facts ?? {};
      if (refusedWhole(outcome)) {
        out.push(checkEqual(`refused: ${name} unchanged`, now, stateBeforeStep(world, t)?.facts));
        continue;
      }
      const original = beforeRevocation.get(world, name)?.facts ?? {};
      switch (`${t.provider}:${t.kind}`) {
        case 'aws:cognito-user':
          out.push(checkEqual(`${name}: enabled again`, now.enabled, true));
          break;
        case 'github:user': {
          const role = original.role === 'admin' ? 'admin' : 'direct_member';
          out.push(check(`${name}: invited back as ${role}`, now.invitation === role || now.role === original.role, `role ${String(now.role)}, invitation ${String(now.invitation)}`));
          out.push(checkEqual(`${name}: back in their teams with their team role`, now.teams, original.teams));
          break;
        }
        case 'aws:iam-user': {
          const was = (original.keys as Record<string, string> | undefined) ?? {};
          out.push(checkEqual(`${name}: the keys that were active are active again, the others not`, now.keys, was));
          out.push(checkEqual(`${name}: firebreak's deny policy removed`, now.policies, original.policies));
          break;
        }
        case 'aws:iam-role':
          out.push(checkEqual(`${name}: firebreak's session policy removed`, now.policies, original.policies));
          break;
        default:
          out.push(check(`${name}: a runbook fixture verifies this kind`, false));
      }
    }
    const gh = await world.github();
    out.push(await auditHoldsNone(world, 'no credential in the audit chain', [gh.token, ...plantedCredentials(world, targets)]));
    return out;
  },
};
