import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { ProviderError } from '../core/errors.js';
import { awsClientConfig, type Env } from '../runtime/clients.js';

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
  private readonly sts: STSClient;

  constructor(
    env: Env,
    private readonly sessionName: string,
    timeoutMs?: number,
  ) {
    this.sts = new STSClient(awsClientConfig(env, timeoutMs === undefined ? {} : { timeoutMs }));
  }

  credentials(roleArn: string): Promise<AccountCredentials> {
    let p = this.cache.get(roleArn);
    if (!p) {
      p = this.assume(roleArn);
      // A failed assume is not cached: a re-run in the same process tries again.
      p.catch(() => this.cache.delete(roleArn));
      this.cache.set(roleArn, p);
    }
    return p;
  }

  private async assume(roleArn: string): Promise<AccountCredentials> {
    try {
      const out = await this.sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: this.sessionName.slice(0, 64), DurationSeconds: 3600 }));
      const c = out.Credentials;
      if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken) throw new Error('STS returned no credentials');
      return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken };
    } catch (error) {
      throw new ProviderError(`cannot assume ${roleArn}: ${(error as Error).message}`, { provider: 'aws', operation: 'sts:AssumeRole', retryable: false, code: 'FLEET_ASSUME_FAILED', hint: 'Deploy the kit\'s fleet-member role in that account (infra/components/fleet-member-role.ts) trusting the responder role.' });
    }
  }

  destroy(): void {
    this.sts.destroy();
  }
}
