import type { Octokit } from '@octokit/rest';
import { ROTATION_MARKER_PREFIX } from '../../core/names.js';
import sodium from 'libsodium-wrappers';
import { InputError, ProviderError } from '../../core/errors.js';

/**
 * GitHub Actions secrets of a repository or an environment, through @octokit/rest. A value is sealed
 * with libsodium's `crypto_box_seal` for the target's public key, so only GitHub can open it; GitHub
 * never returns it. Writing secrets needs a GitHub App installation token with `secrets: write`
 * (and `variables: write` for the run marker): the workflow's GITHUB_TOKEN cannot.
 *
 * Run marker: GitHub keeps no versions, so "already rotated by this run" is a variable beside the
 * secret (ROTATION_MARKER_PREFIX + <NAME> = the run's key hash), written after the secret.
 */
export interface GitHubSecretRef {
  owner: string;
  repo: string;
  environment?: string | undefined;
  name: string;
}

export function markerName(secret: string): string {
  return `${ROTATION_MARKER_PREFIX}${secret.toUpperCase()}`.slice(0, 255);
}

export class GitHubSecrets {
  constructor(private readonly octokit: Octokit) {}

  private wrap(operation: string, e: unknown): Error {
    const status = (e as { status?: number }).status;
    if (status === 403 || status === 401) {
      return new ProviderError(`github ${operation}: denied (HTTP ${status})`, {
        provider: 'github',
        operation,
        status,
        retryable: false,
        code: 'PROVIDER_DENIED',
        hint: 'Writing Actions secrets needs the kit GitHub App token (FIREBREAK_GITHUB_TOKEN) with secrets: write and variables: write; GITHUB_TOKEN cannot write secrets.',
      });
    }
    return new ProviderError(`github ${operation}: HTTP ${status ?? '?'}: ${(e as Error).message.slice(0, 200)}`, { provider: 'github', operation, ...(status ? { status } : {}), retryable: status !== undefined && status >= 500 });
  }

  /** The secret's last update time; undefined when it does not exist. */
  async describe(ref: GitHubSecretRef): Promise<{ updatedAt: string } | undefined> {
    try {
      const r = ref.environment
        ? await this.octokit.rest.actions.getEnvironmentSecret({ owner: ref.owner, repo: ref.repo, environment_name: ref.environment, secret_name: ref.name })
        : await this.octokit.rest.actions.getRepoSecret({ owner: ref.owner, repo: ref.repo, secret_name: ref.name });
      return { updatedAt: r.data.updated_at };
    } catch (e) {
      if ((e as { status?: number }).status === 404) return undefined;
      throw this.wrap('get secret', e);
    }
  }

  async readMarker(ref: GitHubSecretRef): Promise<string | undefined> {
    const name = markerName(ref.name);
    try {
      const r = ref.environment
        ? await this.octokit.rest.actions.getEnvironmentVariable({ owner: ref.owner, repo: ref.repo, environment_name: ref.environment, name })
        : await this.octokit.rest.actions.getRepoVariable({ owner: ref.owner, repo: ref.repo, name });
      return r.data.value;
    } catch (e) {
      if ((e as { status?: number }).status === 404) return undefined;
      throw this.wrap('get variable', e);
    }
  }

  async writeMarker(ref: GitHubSecretRef, value: string): Promise<void> {
    const name = markerName(ref.name);
    const exists = (await this.readMarker(ref)) !== undefined;
    try {
      if (ref.environment) {
        if (exists) await this.octokit.rest.actions.updateEnvironmentVariable({ owner: ref.owner, repo: ref.repo, environment_name: ref.environment, name, value });
        else await this.octokit.rest.actions.createEnvironmentVariable({ owner: ref.owner, repo: ref.repo, environment_name: ref.environment, name, value });
      } else if (exists) await this.octokit.rest.actions.updateRepoVariable({ owner: ref.owner, repo: ref.repo, name, value });
      else await this.octokit.rest.actions.createRepoVariable({ owner: ref.owner, repo: ref.repo, name, value });
    } catch (e) {
      throw this.wrap('write variable', e);
    }
  }

  /** Seals `value` for the target's current public key and writes it. */
  async put(ref: GitHubSecretRef, value: string): Promise<void> {
    await sodium.ready;
    let key: { key_id: string; key: string };
    try {
      key = ref.environment
        ? (await this.octokit.rest.actions.getEnvironmentPublicKey({ owner: ref.owner, repo: ref.repo, environment_name: ref.environment })).data
        : (await this.octokit.rest.actions.getRepoPublicKey({ owner: ref.owner, repo: ref.repo })).data;
    } catch (e) {
      throw this.wrap('get public key', e);
    }
    const sealed = sodium.to_base64(sodium.crypto_box_seal(sodium.from_string(value), sodium.from_base64(key.key, sodium.base64_variants.ORIGINAL)), sodium.base64_variants.ORIGINAL);
    try {
      if (ref.environment) {
        await this.octokit.rest.actions.createOrUpdateEnvironmentSecret({ owner: ref.owner, repo: ref.repo, environment_name: ref.environment, secret_name: ref.name, encrypted_value: sealed, key_id: key.key_id });
      } else {
        await this.octokit.rest.actions.createOrUpdateRepoSecret({ owner: ref.owner, repo: ref.repo, secret_name: ref.name, encrypted_value: sealed, key_id: key.key_id });
      }
    } catch (e) {
      throw this.wrap('write secret', e);
    }
  }
}

/** GitHub's limit on one secret (48 KB). */
export const GITHUB_SECRET_MAX_BYTES = 48 * 1024;

export function checkGitHubValueSize(bytes: number): void {
  if (bytes > GITHUB_SECRET_MAX_BYTES) throw new InputError(`a GitHub secret holds at most ${GITHUB_SECRET_MAX_BYTES} bytes`, { field: 'length', code: 'POLICY_IMPOSSIBLE' });
}
