import { defineInputs } from '../../core/inputs.js';
import { ALPHABETS } from './value-policy.js';

/**
 * rotate-secret's inputs: the one declaration the action, workflow and CLI shells are generated
 * from. No input is secret: the step makes the new value itself, so no value is ever typed in.
 */
export const rotateSecretInputs = defineInputs({
  target: {
    kind: 'text',
    required: true,
    maxLength: 1024,
    description:
      'What to rotate or revoke: aws:secret:NAME[@account/region], github:repo-secret:NAME[@owner/repo], github:env-secret:ENV/NAME[@owner/repo], vault:kv:MOUNT/PATH, vault:token-accessor:ACCESSOR, vault:lease-prefix:PREFIX, atlas:db-user:DB/USER@PROJECT, atlas:access-list-entry:CIDR@PROJECT',
    cli: { positional: true, placeholder: 'TARGET' },
  },
  jsonKey: {
    kind: 'text',
    maxLength: 256,
    description: 'Rotate only this top-level key of a JSON secret; every other key is kept byte for byte. Empty: replace the whole value.',
  },
  createKey: {
    kind: 'flag',
    default: false,
    description: 'Add json-key when the secret does not have it (otherwise a missing key is an error).',
  },
  length: {
    kind: 'text',
    default: '32',
    maxLength: 7,
    description: 'Length of the new value in characters (12 or more).',
  },
  alphabet: {
    kind: 'choice',
    options: ALPHABETS,
    default: 'alnum',
    description: 'alnum, alnum-symbols (no quotes, backslash or space), hex, base64url (A-Z a-z 0-9 - _), or aws (Secrets Manager GetRandomPassword).',
  },
  bytes: {
    kind: 'text',
    maxLength: 5,
    description: 'Bytes of entropy instead of a length (a JWT HS256 key: 32); the length follows from the alphabet. 16 or more.',
  },
  excludeCharacters: {
    kind: 'text',
    maxLength: 100,
    description: 'alphabet aws only: characters GetRandomPassword must not use.',
  },
  excludePunctuation: {
    kind: 'flag',
    default: false,
    description: 'alphabet aws only: no punctuation.',
  },
  rollback: {
    kind: 'flag',
    default: false,
    description: 'Instead of rotating, make the previous version current again (aws:secret: AWSPREVIOUS; vault:kv: a new version with the previous data). GitHub and Atlas keep no readable previous value.',
  },
  disable: {
    kind: 'flag',
    default: false,
    description: 'atlas:db-user only: lock the user out (a random password nobody is given) instead of handing out a new one.',
  },
  atlasUser: {
    kind: 'text',
    maxLength: 1100,
    description: 'aws:secret only: the Atlas database user (atlas:db-user:DB/USER@PROJECT) whose password becomes the new value, set after staging and before promotion.',
  },
  restartServices: {
    kind: 'text',
    maxLength: 2000,
    description: 'ECS services that read the secret, restarted (force new deployment) once the new value is current: cluster/service[@region], comma or newline separated.',
  },
  restartTimeoutMinutes: {
    kind: 'text',
    default: '10',
    maxLength: 3,
    description: 'How long to wait for each restarted service to reach a steady state (minutes, 1-20).',
  },
  rotationId: {
    kind: 'text',
    maxLength: 128,
    description: 'Names this rotation so a re-run finishes it instead of rotating twice. Default: the workflow run, else the incident.',
  },
});

export type RotateSecretInputs = typeof rotateSecretInputs;
