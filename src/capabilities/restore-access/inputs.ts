import { defineInputs } from '../../core/inputs.js';

/** restore-access's inputs. A reason is required: restoring access is a decision, never a side effect. */
export const restoreAccessInputs = defineInputs({
  targets: {
    kind: 'text',
    required: true,
    maxLength: 8000,
    description: 'Principals whose revoked access to put back (as revoke-access named them): aws:iam-user:NAME, aws:iam-role:NAME, aws:cognito-user:POOL_ID/USERNAME, github:user:LOGIN.',
    cli: { positional: true, variadic: true, placeholder: 'targets...' },
  },
  reason: { kind: 'text', required: true, maxLength: 200, description: 'Why access is given back (required; kept in the audit record and on the ledger).' },
  revocationId: {
    kind: 'text',
    maxLength: 128,
    description: 'Restore only this revocation. Default: every revocation of the principal not restored yet.',
  },
});
