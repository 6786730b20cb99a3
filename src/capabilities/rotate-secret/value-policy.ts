import { randomBytes, randomInt } from 'node:crypto';
import { InputError } from '../../core/errors.js';

/**
 * How a new secret value is made. Every alphabet is plain ASCII, so characters are bytes, and the
 * local alphabets contain no quote, backslash, backtick or space: the value survives JSON, shell
 * and connection-string embedding unescaped. `aws` asks Secrets Manager's GetRandomPassword, whose
 * punctuation does include quotes and backslashes (JSON-escaped they take two bytes).
 */
export type Alphabet = 'alnum' | 'alnum-symbols' | 'hex' | 'base64url' | 'aws';
export const ALPHABETS: readonly Alphabet[] = ['alnum', 'alnum-symbols', 'hex', 'base64url', 'aws'];

export interface ValuePolicy {
  length: number;
  alphabet: Alphabet;
  /** `aws` only: characters GetRandomPassword must not use. */
  excludeCharacters?: string | undefined;
  /** `aws` only: no punctuation at all. */
  excludePunctuation?: boolean | undefined;
}

/** Provider limits, from the Secrets Manager API reference (GetRandomPassword, PutSecretValue). */
export const LIMITS = {
  /** GetRandomPassword PasswordLength: 1-4096. */
  awsRandomMax: 4096,
  /** A value placed in one JSON key: the rotate-secret bound for a key (the brief of issue 11). */
  jsonKeyMax: 4096,
  /** PutSecretValue SecretString: at most 65536 bytes. */
  secretBytesMax: 65536,
  /**
   * Below this a value is guessable and too short for the redactor to scrub reliably (it ignores
   * strings shorter than 4 characters). Secrets Manager would accept it; we do not.
   */
  min: 12,
} as const;

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const SYMBOLS = '!#$%&()*+,-./:;<=>?@[]^_{|}~';
export const LOCAL_ALPHABETS: Record<Exclude<Alphabet, 'aws'>, string> = {
  alnum: ALNUM,
  'alnum-symbols': ALNUM + SYMBOLS,
  hex: '0123456789abcdef',
  // RFC 4648 §5: what a JWT HMAC key is usually written in.
  base64url: `${ALNUM}-_`,
};

/** Bits of entropy one character of each local alphabet carries. */
export function bitsPerCharacter(alphabet: Exclude<Alphabet, 'aws'>): number {
  return Math.log2(LOCAL_ALPHABETS[alphabet].length);
}

/**
 * The length that carries at least `bytes` bytes of entropy in `alphabet` (a signing key is usually
 * specified in bytes: HS256 wants 32). GetRandomPassword's pool depends on its options, so `aws`
 * takes a length only.
 */
export function lengthForBytes(bytes: number, alphabet: Alphabet): number {
  if (alphabet === 'aws') throw new InputError('bytes applies to the local alphabets; give alphabet aws a length', { field: 'bytes', code: 'POLICY_INVALID' });
  return Math.ceil((bytes * 8) / bitsPerCharacter(alphabet));
}

/** Where the value goes decides the largest value the provider accepts. */
export interface Placement {
  /** Bytes the secret string has besides the rotated value (0 for a whole-secret rotation). */
  otherBytes: number;
  jsonKey: boolean;
}

/**
 * Parses the policy inputs and refuses one that cannot produce a value the provider accepts, before
 * anything is read or changed. `placement` is checked again once the current secret is known.
 */
export function parsePolicy(raw: { length: string; alphabet: string; bytes?: string | undefined; excludeCharacters?: string | undefined; excludePunctuation?: boolean }): ValuePolicy {
  if (raw.bytes) {
    if (!/^\d{1,5}$/.test(raw.bytes)) throw new InputError(`bytes must be a whole number; got ${JSON.stringify(raw.bytes.slice(0, 20))}`, { field: 'bytes', code: 'POLICY_INVALID' });
    if (!ALPHABETS.includes(raw.alphabet as Alphabet)) throw new InputError(`alphabet must be one of ${ALPHABETS.join(', ')}`, { field: 'alphabet', code: 'POLICY_INVALID' });
    if (Number(raw.bytes) < 16) throw new InputError(`bytes ${raw.bytes} is below 16 (128 bits): too little entropy for a key`, { field: 'bytes', code: 'POLICY_IMPOSSIBLE' });
    return parsePolicy({ ...raw, bytes: undefined, length: String(lengthForBytes(Number(raw.bytes), raw.alphabet as Alphabet)) });
  }
  if (!/^\d{1,7}$/.test(raw.length)) {
    throw new InputError(`length must be a whole number of characters; got ${JSON.stringify(raw.length.slice(0, 20))}`, { field: 'length', code: 'POLICY_INVALID' });
  }
  const length = Number(raw.length);
  const alphabet = raw.alphabet as Alphabet;
  if (!ALPHABETS.includes(alphabet)) throw new InputError(`alphabet must be one of ${ALPHABETS.join(', ')}`, { field: 'alphabet', code: 'POLICY_INVALID' });
  if (alphabet !== 'aws' && (raw.excludeCharacters || raw.excludePunctuation)) {
    throw new InputError('exclude-characters and exclude-punctuation apply to alphabet aws (GetRandomPassword) only', { field: 'alphabet', code: 'POLICY_INVALID' });
  }
  if (length < LIMITS.min) {
    throw new InputError(`length ${length} is below the minimum of ${LIMITS.min}: a shorter value is guessable`, { field: 'length', code: 'POLICY_IMPOSSIBLE' });
  }
  if (alphabet === 'aws' && length > LIMITS.awsRandomMax) {
    throw new InputError(`length ${length} is over GetRandomPassword's maximum of ${LIMITS.awsRandomMax}`, {
      field: 'length',
      code: 'POLICY_IMPOSSIBLE',
      hint: `Use alphabet alnum, alnum-symbols or hex for values longer than ${LIMITS.awsRandomMax}.`,
    });
  }
  if (alphabet === 'aws' && raw.excludeCharacters) {
    // Every character GetRandomPassword could use, excluded: the provider can produce nothing.
    const pool = ALNUM + (raw.excludePunctuation ? '' : `!"#$%&'()*+,-./:;<=>?@[\\]^_\`{|}~`);
    const left = [...pool].filter((c) => !raw.excludeCharacters!.includes(c));
    if (left.length === 0) throw new InputError('exclude-characters excludes every character GetRandomPassword can use', { field: 'exclude-characters', code: 'POLICY_IMPOSSIBLE' });
  }
  return { length, alphabet, ...(raw.excludeCharacters ? { excludeCharacters: raw.excludeCharacters } : {}), ...(raw.excludePunctuation ? { excludePunctuation: true } : {}) };
}

/** Largest number of bytes the value can take in the stored string (JSON-escaped when in a key). */
export function worstCaseBytes(policy: ValuePolicy, jsonKey: boolean): number {
  const escapes = jsonKey && policy.alphabet === 'aws' && !policy.excludePunctuation && !/["\\]/.test(policy.excludeCharacters ?? '') ? 2 : 1;
  return policy.length * escapes;
}

/** Refuses a policy whose value would not fit where it goes. */
export function checkPlacement(policy: ValuePolicy, placement: Placement): void {
  if (placement.jsonKey && policy.length > LIMITS.jsonKeyMax) {
    throw new InputError(`length ${policy.length} is over the ${LIMITS.jsonKeyMax}-character limit for a value in one JSON key`, { field: 'length', code: 'POLICY_IMPOSSIBLE' });
  }
  const total = placement.otherBytes + worstCaseBytes(policy, placement.jsonKey);
  if (total > LIMITS.secretBytesMax) {
    throw new InputError(
      `the new secret could be ${total} bytes (${placement.otherBytes} bytes besides the value), over Secrets Manager's ${LIMITS.secretBytesMax}-byte limit`,
      { field: 'length', code: 'POLICY_IMPOSSIBLE' },
    );
  }
}

/**
 * A value from a local alphabet: `randomInt` rejects out-of-range draws, so every character is
 * equally likely (no modulo bias); hex takes whole random bytes.
 */
export function generateLocal(policy: ValuePolicy): string {
  if (policy.alphabet === 'aws') throw new TypeError('alphabet aws is generated by the provider');
  if (policy.alphabet === 'hex') return randomBytes(Math.ceil(policy.length / 2)).toString('hex').slice(0, policy.length);
  const alphabet = LOCAL_ALPHABETS[policy.alphabet];
  let out = '';
  for (let i = 0; i < policy.length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}
