import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { ProviderError } from '../core/errors.js';
import { awsClientConfig, type AwsSharedRequestHandler, type Env } from '../runtime/clients.js';
import { ENV } from '../runtime/env.js';

/**
 * Credentials for one fleet account: the responder role (the run's own credentials) assumes the
 * per-account role the kit provisions there (infra/components/fleet-member-role.ts). One AssumeRole
 * per account per run, shared by that account's regions; concurrent asks share one call.
 */
export interface AccountCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
}

export class FleetAwsSessions {
  private readonly cache = new Map<string, Promise<AccountCredentials>>();
  /** One STS client per endpoint: a target's environment may name its own (partition, emulator shard). */
  private readonly clients = new Map<string, STSClient>();

  constructor(
    private readonly env: Env,
    private readonly sessionName: string,
    private readonly timeoutMs?: number,
    private readonly requestHandler?: AwsSharedRequestHandler,
  ) {}

  credentials(roleArn: string, env: Env = this.env): Promise<AccountCredentials> {
    const endpoint = env[ENV.awsEndpoint] ?? '';
    const key = `${endpoint} ${roleArn}`;
    let p = this.cache.get(key);
    if (!p) {
      p = this.assume(roleArn, this.client(endpoint, env));
      // A failed assume is not cached: a re-run in the same process tries again.
      p.catch(() => this.cache.delete(key));
      this.cache.set(key, p);
    }
    return p;
  }

  private client(endpoint: string, env: Env): STSClient {
    let c = this.clients.get(endpoint);
    if (!c) {
      c = new STSClient(awsClientConfig(env, { ...(this.timeoutMs === undefined ? {} : { timeoutMs: this.timeoutMs }), sharedRequestHandler: this.requestHandler }));
      this.clients.set(endpoint, c);
    }
    return c;
  }

  private async assume(roleArn: string, sts: STSClient): Promise<AccountCredentials> {
    try {
      const out = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: this.sessionName.slice(0, 64), DurationSeconds: 3600 }));
      const c = out.Credentials;
      if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken) throw new Error('STS returned no credentials');
      return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken };
    } catch (error) {
      throw new ProviderError(`cannot assume ${roleArn}: ${(error as Error).message}`, { provider: 'aws', operation: 'sts:AssumeRole', retryable: false, code: 'FLEET_ASSUME_FAILED', hint: 'Deploy the kit\'s fleet-member role in that account (infra/components/fleet-member-role.ts) trusting the responder role.' });
    }
  }

  destroy(): void {
    // A shared handler is its owner's to destroy (the fleet runner's).
    if (!this.requestHandler) for (const c of this.clients.values()) c.destroy();
  }
}
