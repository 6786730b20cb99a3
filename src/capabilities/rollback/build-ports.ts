import { ECSClient } from '@aws-sdk/client-ecs';
import { Workers } from 'cloudflare/resources/workers/workers';
import { createClient } from 'cloudflare/tree-shakable';
import { InputError } from '../../core/errors.js';
import { readKitVariables } from '../../core/names.js';
import type { Clock, Sleep } from '../../core/runtime.js';
import { AwsEcsServices } from '../../providers/aws/ecs-services.js';
import { awsClientConfig, DEFAULT_REQUEST_TIMEOUT_MS, githubRepository, nonEmpty, type Env } from '../../runtime/clients.js';
import { ENV } from '../../runtime/env.js';
import { githubClient } from '../../runtime/github-client.js';
import { ArgoCdRestApplications } from './argocd-applications.js';
import { EcsRollbackMarker } from './ecs-marker.js';
import { GitHubRestDeploys } from './github-deploys.js';
import type { RollbackPorts } from './ports.js';
import { CloudflareWorkersDeploys } from './workers-deploys.js';

/** Argo CD's own CLI variables: the API server (host or URL) and an account token. */
export const ARGOCD_SERVER = 'ARGOCD_SERVER';
export const ARGOCD_AUTH_TOKEN = 'ARGOCD_AUTH_TOKEN';

/**
 * Ports from the environment, each built only when the target needs it (a GitHub rollback needs no
 * AWS credentials, an ECS one no GitHub token).
 */
export function buildRollbackPorts(env: Env, deps: { sleep: Sleep; clock: Clock; timeoutMs?: number }): RollbackPorts {
  const kit = readKitVariables(env);
  return {
    github(repository) {
      const where = repository ? githubRepository({ [ENV.githubRepository]: repository }) : githubRepository(env);
      return new GitHubRestDeploys(githubClient(env), where, { sleep: deps.sleep, clock: deps.clock });
    },
    ecs(scope) {
      const base = awsClientConfig(env, deps.timeoutMs === undefined ? {} : { timeoutMs: deps.timeoutMs });
      const client = new ECSClient({ ...base, region: scope.region ?? base.region });
      return {
        services: new AwsEcsServices({ client, clock: deps.clock, sleep: deps.sleep }),
        marker: (arn) => new EcsRollbackMarker({ client, sleep: deps.sleep }).read(arn),
        setMarker: (arn, value) => new EcsRollbackMarker({ client, sleep: deps.sleep }).write(arn, value),
      };
    },
    workers(account) {
      const accountId = account ?? kit.cloudflareAccountId;
      if (!accountId) throw new InputError(`no Cloudflare account: give it in the target (cloudflare:worker:NAME@ACCOUNT) or set ${'FIREBREAK_CLOUDFLARE_ACCOUNT_ID'}`, { field: 'target', code: 'CLOUDFLARE_ACCOUNT_MISSING' });
      const apiToken = nonEmpty(env[ENV.cloudflareToken]);
      if (!apiToken) throw new InputError(`no Cloudflare token: set ${ENV.cloudflareToken}`, { field: ENV.cloudflareToken, code: 'CLOUDFLARE_TOKEN_MISSING' });
      const client = createClient({
        resources: [Workers],
        apiToken,
        baseURL: nonEmpty(env[ENV.cloudflareBaseUrl]) ?? null,
        apiKey: null,
        apiEmail: null,
        userServiceKey: null,
        maxRetries: 0,
        timeout: deps.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
      });
      return new CloudflareWorkersDeploys({ client, accountId, sleep: deps.sleep });
    },
    argocd() {
      const server = nonEmpty(env[ARGOCD_SERVER]) ?? kit.argocdServer;
      const token = nonEmpty(env[ARGOCD_AUTH_TOKEN]);
      if (!server) throw new InputError(`no Argo CD server: set ${ARGOCD_SERVER} (or the kit variable FIREBREAK_ARGOCD_SERVER)`, { field: ARGOCD_SERVER, code: 'ARGOCD_SERVER_MISSING' });
      if (!token) throw new InputError(`no Argo CD token: set ${ARGOCD_AUTH_TOKEN} (an account token with get, update and sync on the Application)`, { field: ARGOCD_AUTH_TOKEN, code: 'ARGOCD_TOKEN_MISSING' });
      return new ArgoCdRestApplications({ server, token, sleep: deps.sleep, ...(deps.timeoutMs === undefined ? {} : { timeoutMs: deps.timeoutMs }) });
    },
  };
}
