import type { ResourceValidationPolicy } from '@pulumi/policy';
import { allowStatements, list, statementsOf } from './iam-document.js';

const HOST = 'token.actions.githubusercontent.com';

function federatedToGitHub(principal: unknown): boolean {
  if (typeof principal !== 'object' || principal === null) return false;
  const federated = (principal as Record<string, unknown>)['Federated'];
  return list(federated as string | string[] | undefined).some((p) => p.includes(HOST));
}

/**
 * A role GitHub Actions can assume pins both claims with StringEquals: `aud` to sts.amazonaws.com
 * and `sub` to one exact subject. Without `sub` any workflow on GitHub could assume the role;
 * with StringLike or a `*` it is any branch, any environment.
 */
export const oidcTrustPinned: ResourceValidationPolicy = {
  name: 'aws-iam-oidc-trust-pinned',
  description: 'GitHub OIDC trust policies pin aud = sts.amazonaws.com and an exact sub (no wildcards).',
  enforcementLevel: 'mandatory',
  validateResource: (args, reportViolation) => {
    if (args.type !== 'aws:iam/role:Role') return;
    const statements = statementsOf(args.props['assumeRolePolicy']);
    if (!statements) return;
    for (const { label, statement } of allowStatements(statements)) {
      if (!federatedToGitHub(statement.Principal)) continue;
      const where = `role "${args.name}" trust ${label}`;
      const equals = (statement.Condition?.['StringEquals'] ?? {}) as Record<string, unknown>;
      const aud = equals[`${HOST}:aud`];
      const sub = equals[`${HOST}:sub`];
      if (aud !== 'sts.amazonaws.com') {
        reportViolation(`${where} must pin StringEquals "${HOST}:aud" to "sts.amazonaws.com" (got ${JSON.stringify(aud)})`);
      }
      const subjects = list(sub as string | string[] | undefined);
      if (subjects.length === 0) {
        reportViolation(`${where} must pin StringEquals "${HOST}:sub" (without it any GitHub workflow can assume the role)`);
      } else if (subjects.some((s) => typeof s !== 'string' || s.includes('*') || s.includes('?') || !s.startsWith('repo:'))) {
        reportViolation(`${where} pins "${HOST}:sub" to ${JSON.stringify(sub)}; use one exact "repo:ORG/REPO:environment:ENV"`);
      }
      const like = statement.Condition?.['StringLike'] as Record<string, unknown> | undefined;
      if (like && (`${HOST}:sub` in like || `${HOST}:aud` in like)) {
        reportViolation(`${where} also matches the OIDC claims with StringLike, which widens them; use StringEquals only`);
      }
      // A reusable-workflow pin narrows the trust only when its repository is literal: a wildcard
      // before /.github/workflows/ would accept a workflow of the same name from anyone's repository.
      for (const ref of list(like?.[`${HOST}:job_workflow_ref`] as string | string[] | undefined)) {
        const repository = typeof ref === 'string' ? ref.split('/.github/workflows/')[0] : undefined;
        if (!repository || repository === ref || /[*?]/.test(repository) || repository.split('/').length !== 2) {
          reportViolation(`${where} pins "${HOST}:job_workflow_ref" to ${JSON.stringify(ref)}; name one literal owner/repo before /.github/workflows/`);
        }
      }
    }
  },
};
