import { defineInputs } from '../../core/inputs.js';

/** revoke-access's inputs: the one declaration the action, workflow and CLI are generated from. */
export const revokeAccessInputs = defineInputs({
  targets: {
    kind: 'text',
    required: true,
    maxLength: 8000,
    description:
      'Principals to cut off, separated by spaces, commas or newlines: aws:iam-user:NAME, aws:iam-role:NAME (revokes its active sessions), aws:cognito-user:POOL_ID/USERNAME, github:user:LOGIN.',
    cli: { positional: true, variadic: true, placeholder: 'targets...' },
  },
  reason: { kind: 'text', required: true, maxLength: 200, description: 'Why access is revoked (kept in the audit record and the access ledger).' },
  github: {
    kind: 'choice',
    options: ['remove-from-org', 'remove-from-teams', 'convert-to-outside-collaborator'],
    default: 'remove-from-org',
    description: 'For github:user targets: remove from the organisation, only from the teams listed in `teams`, or keep repository access as an outside collaborator. Pending invitations are cancelled in every mode.',
  },
  teams: {
    kind: 'text',
    maxLength: 2000,
    description: 'github remove-from-teams: team slugs of the organisation, separated by spaces or commas.',
  },
  revocationId: {
    kind: 'text',
    maxLength: 128,
    description: 'Names this revocation so a re-run finishes it instead of starting another. Default: the workflow run, else the incident.',
  },
});
