import { ECSClient } from '@aws-sdk/client-ecs';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { EcsServices } from '../../core/ports/ecs.js';
import { AwsEcsServices } from '../../providers/aws/ecs-services.js';
import { githubClient } from '../../runtime/github-client.js';
import { AtlasAdmin } from './atlas-admin.js';
import { GitHubSecrets } from './github-secrets.js';
import { VaultHttp } from './vault-http.js';
import { InputError } from '../../core/errors.js';
import type { Sleep } from '../../core/runtime.js';
import { parseFingerprintKey } from '../../core/secret-fingerprint.js';
import type { TargetRef } from '../../core/target.js';
import type { Clock } from '../../core/runtime.js';
import { awsClientConfig, githubRepository, nonEmpty, type ClientOptions, type Env } from '../../runtime/clients.js';
import { ENV } from '../../runtime/env.js';
import { AwsSecrets } from './aws-secrets.js';
import type { RotateSecretPorts, VerifyHook } from './ports.js';

/** Kit secret holding the fingerprint key (32+ random bytes, hex or base64). Never a workflow input. */
export const FINGERPRINT_KEY_VARIABLE = ENV.fingerprintKey;

export interface RotateSecretPortOptions {
  sleep: Sleep;
  /** For the ECS steady-state wait (the run's clock). */
  clock?: Clock;
  /** ECS poll interval (default: the SDK waiter's 15 s). */
  ecsPollMs?: number;
  timeoutMs?: number;
  /** One AWS request handler for many ports (a fleet run's connection pool). */
  sharedRequestHandler?: ClientOptions['sharedRequestHandler'];
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
  const base = awsClientConfig(env, { ...(opts.timeoutMs === undefined ? {} : { timeoutMs: opts.timeoutMs }), ...(opts.sharedRequestHandler ? { sharedRequestHandler: opts.sharedRequestHandler } : {}) });
  const keyText = env[FINGERPRINT_KEY_VARIABLE];
  let fingerprintKey: Uint8Array | undefined;
  if (keyText && keyText.trim() !== '') {
    try {
      fingerprintKey = parseFingerprintKey(keyText);
    } catch (e) {
      throw new InputError(`${FINGERPRINT_KEY_VARIABLE} is not a usable key: ${(e as Error).message}`, { field: FINGERPRINT_KEY_VARIABLE, code: 'CONFIG_INVALID' });
    }
  }
  const ecs = new Map<string, EcsServices>();
  const githubToken = nonEmpty(env[ENV.githubToken]);
  const vaultAddr = nonEmpty(env[ENV.vaultAddr]);
  const vaultToken = nonEmpty(env[ENV.vaultToken]);
  const atlasId = nonEmpty(env[ENV.atlasClientId]);
  const atlasSecret = nonEmpty(env[ENV.atlasClientSecret]);
  const common = { sleep: opts.sleep, ...(opts.timeoutMs === undefined ? {} : { timeoutMs: opts.timeoutMs }), ...(opts.callAttempts ? { callAttempts: opts.callAttempts } : {}), ...(opts.random ? { random: opts.random } : {}) };
  return {
    // Only FIREBREAK_GITHUB_TOKEN (the kit's App token): the workflow's GITHUB_TOKEN cannot write secrets.
    github: githubToken
      ? { secrets: new GitHubSecrets(githubClient(env, opts.timeoutMs === undefined ? {} : { timeoutMs: opts.timeoutMs })), repository: nonEmpty(env[ENV.githubRepository]) ? githubRepository(env) : undefined }
      : undefined,
    vault: vaultAddr && vaultToken ? new VaultHttp({ addr: vaultAddr, token: vaultToken, namespace: nonEmpty(env[ENV.vaultNamespace]), ...common }) : undefined,
    atlas: atlasId && atlasSecret ? new AtlasAdmin({ baseUrl: nonEmpty(env[ENV.atlasApiUrl]) ?? 'https://cloud.mongodb.com', clientId: atlasId, clientSecret: atlasSecret, ...common }) : undefined,
    ecs(region: string | undefined) {
      const r = region ?? base.region;
      let s = ecs.get(r);
      if (!s) {
        const clock = opts.clock ?? { now: () => new Date() };
        s = new AwsEcsServices({ client: new ECSClient({ ...base, region: r }), clock, sleep: opts.sleep, ...(opts.callAttempts ? { callAttempts: opts.callAttempts } : {}), ...(opts.random ? { random: opts.random } : {}) });
        if (opts.ecsPollMs !== undefined) {
          const inner = s;
          const poll = opts.ecsPollMs;
          s = Object.assign(Object.create(inner) as EcsServices, { waitSteady: (ref: Parameters<EcsServices['waitSteady']>[0], o: Parameters<EcsServices['waitSteady']>[1]) => inner.waitSteady(ref, { pollMs: poll, ...o }) });
        }
        ecs.set(r, s);
      }
      return s;
    },
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
