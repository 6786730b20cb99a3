import { S3Client } from '@aws-sdk/client-s3';
import { WAFV2Client } from '@aws-sdk/client-wafv2';
import type { FirebreakConfig } from '../core/config/schema.js';
import { readKitVariables } from '../core/names.js';
import type { WafIpSetRef, WafScope } from '../core/ports/waf.js';
import type { Sleep } from '../core/runtime.js';
import { S3BlockLedger } from '../providers/aws/block-ledger.js';
import { AwsWafIpSets, parseIpSetArn } from '../providers/aws/waf-ip-sets.js';
import { CloudflareAccountIpList } from '../providers/cloudflare/ip-list.js';
import { settingsFromConfig, type IpBlockPorts } from '../capabilities/shared/ip-block-targets.js';
import { awsClientConfig, type ClientOptions, type Env } from './clients.js';
import { cloudflareClient } from './cloudflare-client.js';
import { ENV } from './env.js';

/**
 * Builds the ports of block-ips / unblock-ips / sweep-expired from the environment `pulumi up` wrote
 * (src/core/names.ts) and firebreak.yml `blocking:`. A provider whose variables are absent is left
 * out; a run that targets it then fails with a ConfigError naming the variables.
 */
export interface IpBlockPortOptions {
  sleep: Sleep;
  timeoutMs?: number;
  /** One AWS request handler for many ports (a fleet run's connection pool). */
  sharedRequestHandler?: ClientOptions['sharedRequestHandler'];
  random?: () => number;
  onRetry?: (message: string) => void;
  /** Retry tuning for tests (e.g. 20 concurrent writers on one Cloudflare account). */
  cloudflare?: { callAttempts?: number; retryBaseMs?: number; retryMaxMs?: number; pollBaseMs?: number };
  wafLockRounds?: number;
}

export function wafSetRefs(env: Env, config: FirebreakConfig): WafIpSetRef[] {
  const kit = readKitVariables(env);
  const refs: WafIpSetRef[] = [];
  const scope: WafScope = kit.wafScope === 'CLOUDFRONT' ? 'CLOUDFRONT' : 'REGIONAL';
  const fromKit = (arn: string | undefined, id: string | undefined, name: string | undefined, ipVersion: 'IPV4' | 'IPV6') => {
    const parsed = arn ? parseIpSetArn(arn) : undefined;
    const finalId = id ?? parsed?.id;
    const finalName = name ?? parsed?.name;
    if (finalId && finalName) refs.push({ scope: parsed?.scope ?? scope, ipVersion, id: finalId, name: finalName });
  };
  fromKit(kit.wafIpSetV4Arn, kit.wafIpSetV4Id, kit.wafIpSetV4Name, 'IPV4');
  fromKit(kit.wafIpSetV6Arn, kit.wafIpSetV6Id, kit.wafIpSetV6Name, 'IPV6');
  for (const s of config.blocking.waf.ip_sets) {
    if (!refs.some((r) => r.id === s.id)) refs.push({ scope: s.scope, ipVersion: s.ip_version, id: s.id, name: s.name });
  }
  return refs;
}

export function buildIpBlockPorts(env: Env, config: FirebreakConfig, opts: IpBlockPortOptions): IpBlockPorts {
  const kit = readKitVariables(env);
  const timeout = { ...(opts.timeoutMs === undefined ? {} : { timeoutMs: opts.timeoutMs }), ...(opts.sharedRequestHandler ? { sharedRequestHandler: opts.sharedRequestHandler } : {}) };
  const sets = wafSetRefs(env, config);
  const regionEnv = kit.awsRegion ? { ...env, [ENV.awsRegion]: kit.awsRegion } : env;
  const ports: IpBlockPorts = { settings: settingsFromConfig(config) };
  if (sets.length) {
    const clients: Partial<Record<WafScope, WAFV2Client>> = {};
    if (sets.some((s) => s.scope === 'REGIONAL')) clients.REGIONAL = new WAFV2Client(awsClientConfig(regionEnv, timeout));
    // CLOUDFRONT IP sets are only reachable through us-east-1.
    if (sets.some((s) => s.scope === 'CLOUDFRONT')) clients.CLOUDFRONT = new WAFV2Client({ ...awsClientConfig(regionEnv, timeout), region: 'us-east-1' });
    ports.waf = {
      sets,
      client: new AwsWafIpSets({
        clients,
        sleep: opts.sleep,
        ...(opts.random ? { random: opts.random } : {}),
        ...(opts.onRetry ? { onRetry: opts.onRetry } : {}),
        ...(opts.wafLockRounds ? { lockRounds: opts.wafLockRounds } : {}),
      }),
    };
  }
  const accountId = kit.cloudflareAccountId;
  const listId = kit.cloudflareListId;
  if (accountId && listId && env[ENV.cloudflareToken]) {
    ports.cloudflare = new CloudflareAccountIpList({
      client: cloudflareClient(env, timeout),
      accountId,
      listId,
      sleep: opts.sleep,
      ...(opts.random ? { random: opts.random } : {}),
      ...(opts.onRetry ? { onRetry: opts.onRetry } : {}),
      ...opts.cloudflare,
    });
  }
  const bucket = kit.evidenceBucket;
  if (bucket) {
    ports.ledger = new S3BlockLedger({
      client: new S3Client({ ...awsClientConfig(regionEnv, timeout), forcePathStyle: Boolean(env[ENV.awsEndpoint]) }),
      bucket,
      prefix: `${kit.evidencePrefix ?? ''}${config.blocking.ledger_prefix}`,
      sleep: opts.sleep,
      ...(opts.random ? { random: opts.random } : {}),
    });
  }
  return ports;
}
