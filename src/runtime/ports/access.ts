import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { IAMClient } from '@aws-sdk/client-iam';
import { S3Client } from '@aws-sdk/client-s3';
import { STSClient } from '@aws-sdk/client-sts';
import type { FirebreakConfig } from '../../core/config/schema.js';
import { readKitVariables } from '../../core/names.js';
import type { AccessPorts, CognitoUsersPort } from '../../core/ports/access.js';
import type { Sleep } from '../../core/runtime.js';
import { S3AccessLedger } from '../../providers/aws/access-ledger.js';
import { CognitoUsers } from '../../providers/aws/cognito-users.js';
import { IamAccess } from '../../providers/aws/iam-access.js';
import { StsIdentity } from '../../providers/aws/sts-identity.js';
import { GitHubOrgAccess } from '../../providers/github/org-access.js';
import { awsClientConfig, nonEmpty, type Env } from '../clients.js';
import { ENV } from '../env.js';
import { githubClient } from '../github-client.js';

export interface AccessPortOptions {
  sleep: Sleep;
  timeoutMs?: number;
  random?: () => number;
  callAttempts?: number;
  onRetry?: (message: string) => void;
}

/**
 * Ports of revoke-access / restore-access from the environment: IAM (global), Cognito per region,
 * STS for "who am I", the access ledger in the kit's evidence bucket, and GitHub organisation
 * access only with FIREBREAK_GITHUB_TOKEN (the workflow's GITHUB_TOKEN has no organisation
 * permissions, so it is never used for these calls).
 */
export function buildAccessPorts(env: Env, config: FirebreakConfig, opts: AccessPortOptions): AccessPorts {
  const kit = readKitVariables(env);
  const regionEnv = kit.awsRegion ? { ...env, [ENV.awsRegion]: kit.awsRegion } : env;
  const base = awsClientConfig(regionEnv, opts.timeoutMs === undefined ? {} : { timeoutMs: opts.timeoutMs });
  const call = { sleep: opts.sleep, random: opts.random, callAttempts: opts.callAttempts, onRetry: opts.onRetry };
  const cognito = new Map<string, CognitoUsersPort>();
  const repoOwner = nonEmpty(env[ENV.githubRepository])?.split('/')[0];
  const ports: AccessPorts = {
    // IAM's endpoint is global; the SDK signs it for us-east-1 whatever the kit's region.
    iam: new IamAccess(new IAMClient({ ...base, region: 'us-east-1' }), call),
    cognito: (region) => {
      const r = region ?? base.region;
      let port = cognito.get(r);
      if (!port) {
        port = new CognitoUsers(new CognitoIdentityProviderClient({ ...base, region: r }), call);
        cognito.set(r, port);
      }
      return port;
    },
    awsIdentity: new StsIdentity(new STSClient(base), opts.sleep),
    settings: { protected: config.access.protected, githubOrg: config.access.github_org ?? repoOwner },
  };
  if (nonEmpty(env[ENV.githubToken])) {
    ports.github = new GitHubOrgAccess(githubClient({ ...env, [ENV.githubDefaultToken]: undefined }, opts.timeoutMs === undefined ? {} : { timeoutMs: opts.timeoutMs }), {
      sleep: opts.sleep,
      ...(opts.callAttempts ? { attempts: opts.callAttempts } : {}),
    });
  }
  if (kit.evidenceBucket) {
    ports.ledger = new S3AccessLedger({
      client: new S3Client({ ...base, forcePathStyle: Boolean(env[ENV.awsEndpoint]) }),
      bucket: kit.evidenceBucket,
      prefix: `${kit.evidencePrefix ?? ''}${config.access.ledger_prefix}`,
      sleep: opts.sleep,
      ...(opts.random ? { random: opts.random } : {}),
      ...(opts.callAttempts ? { callAttempts: opts.callAttempts } : {}),
    });
  }
  return ports;
}
