import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { InputError } from '../../core/errors.js';
import type { Sleep } from '../../core/runtime.js';
import { parseFingerprintKey } from '../../core/secret-fingerprint.js';
import type { TargetRef } from '../../core/target.js';
import { awsClientConfig, type Env } from '../../runtime/clients.js';
import { ENV } from '../../runtime/env.js';
import { AwsSecrets } from './aws-secrets.js';
import type { RotateSecretPorts, VerifyHook } from './ports.js';

/** Kit secret holding the fingerprint key (32+ random bytes, hex or base64). Never a workflow input. */
export const FINGERPRINT_KEY_VARIABLE = ENV.fingerprintKey;

export interface RotateSecretPortOptions {
  sleep: Sleep;
  timeoutMs?: number;
  random?: () => number;
  callAttempts?: number;
  verify?: VerifyHook;
  onRetry?: (message: string) => void;
}

/**
 * Ports from the environment: one Secrets Manager client per region a target's scope names (the
 * credentials' region otherwise), and the fingerprint key when the kit has one.
 */
export function buildRotateSecretPorts(env: Env, opts: RotateSecretPortOptions): RotateSecretPorts {
  const stores = new Map<string, AwsSecrets>();
  const base = awsClientConfig(env, { ...(opts.timeoutMs === undefined ? {} : { timeoutMs: opts.timeoutMs }) });
  const keyText = env[FINGERPRINT_KEY_VARIABLE];
  let fingerprintKey: Uint8Array | undefined;
  if (keyText && keyText.trim() !== '') {
    try {
      fingerprintKey = parseFingerprintKey(keyText);
    } catch (e) {
      throw new InputError(`${FINGERPRINT_KEY_VARIABLE} is not a usable key: ${(e as Error).message}`, { field: FINGERPRINT_KEY_VARIABLE, code: 'CONFIG_INVALID' });
    }
  }
  return {
    store(target: TargetRef) {
      if (target.provider !== 'aws' || target.kind !== 'secret') {
        throw new InputError(`rotate-secret has no store for ${target.provider}:${target.kind} yet`, { field: 'target', code: 'TARGET_INVALID' });
      }
      const region = target.scope.region ?? base.region;
      const key = `${target.scope.account ?? ''}/${region}`;
      let store = stores.get(key);
      if (!store) {
        store = new AwsSecrets({
          client: new SecretsManagerClient({ ...base, region }),
          expectedAccount: target.scope.account,
          sleep: opts.sleep,
          ...(opts.random ? { random: opts.random } : {}),
          ...(opts.callAttempts ? { callAttempts: opts.callAttempts } : {}),
          ...(opts.onRetry ? { onRetry: opts.onRetry } : {}),
        });
        stores.set(key, store);
      }
      return store;
    },
    fingerprintKey,
    ...(opts.verify ? { verify: opts.verify } : {}),
  };
}
