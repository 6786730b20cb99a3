import type { ResourceValidationPolicy } from '@pulumi/policy';
import { allowStatements, isReadOnlyAction, list, statementsOf, type PolicyStatement } from './iam-document.js';

const POLICY_TYPES: Record<string, string> = {
  'aws:iam/policy:Policy': 'policy',
  'aws:iam/rolePolicy:RolePolicy': 'policy',
  'aws:iam/userPolicy:UserPolicy': 'policy',
  'aws:iam/groupPolicy:GroupPolicy': 'policy',
};

/** Problems of one Allow statement; exported for the tests' messages. */
export function wildcardWriteProblems(label: string, statement: PolicyStatement): string[] {
  const problems: string[] = [];
  if (statement.NotAction !== undefined) problems.push(`${label} uses NotAction with Allow, which grants every other action`);
  const actions = list(statement.Action);
  const resources = list(statement.Resource);
  for (const action of actions) {
    if (action === '*' || (action.includes('*') && !isReadOnlyAction(action))) {
      problems.push(`${label} allows the wildcard action "${action}"; name each write action`);
    }
  }
  const writes = actions.filter((a) => !isReadOnlyAction(a) && a !== '*' && !a.includes('*'));
  if (writes.length > 0 && (resources.includes('*') || statement.NotResource !== undefined)) {
    problems.push(`${label} allows ${writes.join(', ')} on every resource ("*"); scope it to the kit's ARNs`);
  }
  return problems;
}

/** Nothing that writes is granted on `*`, and no write action is a wildcard. Reads may use `*`. */
export const noWildcardWrites: ResourceValidationPolicy = {
  name: 'aws-iam-no-wildcard-writes',
  description: 'IAM policies never allow a write action as a wildcard or on resource "*".',
  enforcementLevel: 'mandatory',
  validateResource: (args, reportViolation) => {
    const documents: { where: string; doc: unknown }[] = [];
    const field = POLICY_TYPES[args.type];
    if (field) documents.push({ where: `policy "${args.props['name'] ?? args.name}"`, doc: args.props[field] });
    if (args.type === 'aws:iam/role:Role') {
      for (const inline of (args.props['inlinePolicies'] ?? []) as { name?: string; policy?: unknown }[]) {
        documents.push({ where: `role "${args.name}" inline policy "${inline.name ?? '?'}"`, doc: inline.policy });
      }
    }
    for (const { where, doc } of documents) {
      for (const { label, statement } of allowStatements(statementsOf(doc) ?? [])) {
        for (const problem of wildcardWriteProblems(label, statement)) reportViolation(`${where}: ${problem}`);
      }
    }
  },
};
