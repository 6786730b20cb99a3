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
    description: 'The secret to rotate: aws:secret:<name-or-arn>[@account/region]',
    cli: { positional: true, placeholder: 'aws:secret:NAME' },
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
    description: 'alnum, alnum-symbols (no quotes, backslash or space), hex, or aws (Secrets Manager GetRandomPassword).',
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
    description: 'Instead of rotating, make the previous version (AWSPREVIOUS) current again.',
  },
  rotationId: {
    kind: 'text',
    maxLength: 128,
    description: 'Names this rotation so a re-run finishes it instead of rotating twice. Default: the workflow run, else the incident.',
  },
});

export type RotateSecretInputs = typeof rotateSecretInputs;
