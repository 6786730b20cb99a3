import type { EcsServices } from '../../core/ports/ecs.js';
import type { TargetRef } from '../../core/target.js';
import type { AtlasAdmin } from './atlas-admin.js';
import type { GitHubSecrets } from './github-secrets.js';
import type { VaultHttp } from './vault-http.js';
import type { ValuePolicy } from './value-policy.js';

/**
 * What rotate-secret needs from a secret store. Shaped on staged rotation (write a new version
 * beside the current one, check it, then switch), which Secrets Manager does with staging labels.
 * A store without staging (GitHub Actions secrets) or with check-and-set versions (Vault KV v2)
 * implements the same calls: `stage` writes the version, `promote` is the switch, and `versions`
 * reports what is current, previous and pending.
 */

export const STAGE = { current: 'AWSCURRENT', previous: 'AWSPREVIOUS', pending: 'AWSPENDING' } as const;

export interface SecretVersion {
  id: string;
  stages: string[];
}

export interface SecretDescription {
  /** Canonical id (the ARN for AWS): what records and fingerprints name. */
  id: string;
  name: string;
  versions: SecretVersion[];
}

export interface SecretValue {
  versionId: string;
  /** The stored text. Binary secrets are refused by the adapter. */
  text: string;
}

export interface SecretStore {
  /** `provider:kind` this store serves, e.g. `aws:secret`. */
  readonly kind: string;
  /** Throws InputError SECRET_NOT_FOUND when the secret does not exist. */
  describe(secretId: string): Promise<SecretDescription>;
  /** Reads by stage, always naming it (moto and some SDK paths do not default to AWSCURRENT). */
  readStage(secretId: string, stage: string): Promise<SecretValue>;
  /** Writes `text` as a new version with id `versionId`, labelled pending only. Idempotent per id+text. */
  stage(secretId: string, versionId: string, text: string): Promise<void>;
  /** Moves `label` to `toVersionId`, removing it from `fromVersionId` when given. */
  moveLabel(secretId: string, label: string, toVersionId: string, fromVersionId: string | undefined): Promise<void>;
  /** Removes `label` from `versionId`. */
  removeLabel(secretId: string, label: string, versionId: string): Promise<void>;
  /** A random value from the provider (GetRandomPassword), when the store has one. */
  randomValue?(policy: ValuePolicy): Promise<string>;
}

/** Checks a staged value before it becomes current (e.g. logs in with it); throws to refuse. */
export type VerifyHook = (check: { target: TargetRef; secretId: string; versionId: string; value: string; jsonKey: string | undefined }) => Promise<void>;

export interface RotateSecretPorts {
  /** The store for a parsed target (one per account/region for AWS). Throws for an unsupported kind. */
  store(target: TargetRef): SecretStore;
  /** Kit secret for keyed fingerprints; records carry version ids only when absent. */
  fingerprintKey?: Uint8Array | undefined;
  verify?: VerifyHook | undefined;
  /** Replaces the policy's generator; tests use it to rotate to a known canary value. */
  generate?: ((policy: ValuePolicy) => Promise<string>) | undefined;
  /** GitHub Actions secrets (an App token: GITHUB_TOKEN cannot write secrets) and the default repository. */
  github?: { secrets: GitHubSecrets; repository: { owner: string; repo: string } | undefined } | undefined;
  vault?: VaultHttp | undefined;
  atlas?: AtlasAdmin | undefined;
  /** ECS services of a region (the credentials' region when undefined): the consumers restarted. */
  ecs?: ((region: string | undefined) => EcsServices) | undefined;
}
