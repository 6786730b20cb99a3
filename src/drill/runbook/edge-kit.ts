import { S3Client } from '@aws-sdk/client-s3';
import { GetIPSetCommand, GetRegexPatternSetCommand, GetRuleGroupCommand, WAFV2Client, type RateBasedStatement } from '@aws-sdk/client-wafv2';
import type { EdgeRecord } from '../../core/edge/ports.js';
import { KIT_VARIABLES } from '../../core/names.js';
import type { LedgerRecord } from '../../core/ip/ledger.js';
import { S3BlockLedger } from '../../providers/aws/block-ledger.js';
import { S3EdgeLedger } from '../../providers/aws/edge-ledger.js';
import { WAF_RATE_RULE_DEFAULT } from '../../runtime/edge-ports.js';
import type { CloudflareEmulator } from '../emulators/cloudflare/server.js';
import type { RuleRecord } from '../emulators/cloudflare/state.js';
import type { MotoServer } from '../emulators/moto.js';
import { provisionEdgeKit, type EdgeKit } from '../fixtures/edge-kit.js';
import { provisionIpBlockKit, type IpBlockKit } from '../fixtures/ip-block-kit.js';
import { ensureAwsKit } from './kit.js';
import type { RunbookWorld } from './world.js';

/**
 * The edge half of the break-glass kit for runbook drills, provisioned once: the WAF IP sets and
 * Cloudflare list of block-ips, the WAF regex set / rule group and Cloudflare kill-switch and rate
 * rules of the route and rate steps. Both ledgers (block and edge) live in the ONE evidence bucket
 * ensureAwsKit made, as in the real kit, and both kits share one Cloudflare list (the block rule
 * references it by name). Readers go to the emulators directly, never through the fault proxy.
 */
export interface RunbookEdgeKit {
  moto: MotoServer;
  cf: CloudflareEmulator;
  bucket: string;
  ipBlock: IpBlockKit;
  edge: EdgeKit;
}

const SUFFIX = 'runbook';
const CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };

export async function ensureEdgeKit(world: RunbookWorld): Promise<RunbookEdgeKit> {
  const { moto, bucket } = await ensureAwsKit(world);
  const cf = await world.cloudflare();
  return world.once('kit:edge', async () => {
    // The ip-block kit first: it creates the list, the edge kit's block rule then references it.
    const ipBlock = await provisionIpBlockKit(moto, cf, { suffix: SUFFIX, bucket });
    const edge = await provisionEdgeKit(moto, cf, { suffix: SUFFIX, bucket });
    Object.assign(world.env, ipBlock.env, edge.env);
    return { moto, cf, bucket, ipBlock, edge };
  });
}

function waf(moto: MotoServer): WAFV2Client {
  return new WAFV2Client({ region: moto.region, endpoint: moto.directEndpoint, credentials: CREDENTIALS });
}

/** The addresses of the kit's WAF IP set for one family, sorted. */
export async function wafIpSet(kit: RunbookEdgeKit, version: 4 | 6): Promise<string[]> {
  const arn = kit.ipBlock.env[version === 4 ? KIT_VARIABLES.wafIpSetV4Arn : KIT_VARIABLES.wafIpSetV6Arn]!;
  const [, , name, id] = arn.split('/');
  const client = waf(kit.moto);
  try {
    const got = await client.send(new GetIPSetCommand({ Name: name!, Id: id!, Scope: 'REGIONAL' }));
    return [...(got.IPSet?.Addresses ?? [])].sort();
  } finally {
    client.destroy();
  }
}

/** The Cloudflare list's items (pending bulk operations settled first, as a later read would see them). */
export function cloudflareListItems(kit: RunbookEdgeKit): Array<{ ip: string; comment?: string | undefined }> {
  kit.cf.state.settle();
  return kit.cf.state.listItems(kit.ipBlock.listId).map((i) => ({ ip: i.ip, comment: i.comment }));
}

/** The kill-switch regex set's patterns, sorted. */
export async function wafRoutePatterns(kit: RunbookEdgeKit): Promise<string[]> {
  const client = waf(kit.moto);
  try {
    const got = await client.send(new GetRegexPatternSetCommand(kit.edge.regexSet));
    return (got.RegexPatternSet?.RegularExpressionList ?? []).map((r) => r.RegexString ?? '').sort();
  } finally {
    client.destroy();
  }
}

/** The WAF rate-based rule's statement as the rule group holds it. */
export async function wafRateRule(kit: RunbookEdgeKit): Promise<RateBasedStatement | undefined> {
  const client = waf(kit.moto);
  try {
    const got = await client.send(new GetRuleGroupCommand(kit.edge.ruleGroup));
    return got.RuleGroup?.Rules?.find((r) => r.Name === WAF_RATE_RULE_DEFAULT)?.Statement?.RateBasedStatement;
  } finally {
    client.destroy();
  }
}

export function cloudflareKillSwitch(kit: RunbookEdgeKit): RuleRecord | undefined {
  return kit.cf.state.getRuleset(kit.cf.zoneId, kit.edge.customRulesetId).rules.find((r) => r.id === kit.edge.routeRuleId);
}

/** The Cloudflare rate rule's settings, without the fields every write bumps (version, last_updated). */
export function cloudflareRateRule(kit: RunbookEdgeKit): Record<string, unknown> | undefined {
  const rule = kit.cf.state.getRuleset(kit.cf.zoneId, kit.edge.rateRulesetId).rules.find((r) => r.id === kit.edge.rateRuleId);
  if (!rule) return undefined;
  const { version: _v, last_updated: _l, ...rest } = structuredClone(rule) as RuleRecord & { version?: unknown; last_updated?: unknown };
  return rest as Record<string, unknown>;
}

function s3(moto: MotoServer): S3Client {
  return new S3Client({ region: moto.region, endpoint: moto.directEndpoint, credentials: CREDENTIALS, forcePathStyle: true });
}

async function prefixOf(world: RunbookWorld, section: 'routes' | 'blocking', fallback: string): Promise<string> {
  const configured = await world.configValue([section, 'ledger_prefix']);
  return `${world.env[KIT_VARIABLES.evidencePrefix] ?? ''}${typeof configured === 'string' ? configured : fallback}`;
}

/** Open edge-ledger records of one kind in the kit's evidence bucket, read with the same reader the steps use. */
export async function openEdgeRecords(world: RunbookWorld, kit: RunbookEdgeKit, kind: EdgeRecord['kind']): Promise<EdgeRecord[]> {
  const client = s3(kit.moto);
  try {
    return await new S3EdgeLedger({ client, bucket: kit.bucket, prefix: await prefixOf(world, 'routes', 'edge-ledger/'), sleep: async () => {} }).list(kind);
  } finally {
    client.destroy();
  }
}

/** Live block-ledger records in the kit's evidence bucket. */
export async function blockRecords(world: RunbookWorld, kit: RunbookEdgeKit): Promise<LedgerRecord[]> {
  const client = s3(kit.moto);
  try {
    return await new S3BlockLedger({ client, bucket: kit.bucket, prefix: await prefixOf(world, 'blocking', 'block-ledger/'), sleep: async () => {}, callAttempts: 1 }).list();
  } finally {
    client.destroy();
  }
}

/** `all`, `waf` or `cloudflare` from a step's `target` input. */
export function targetsOf(input: Readonly<Record<string, unknown>>): { waf: boolean; cloudflare: boolean } {
  const t = typeof input.target === 'string' && input.target.trim() ? input.target.trim() : 'all';
  return { waf: t !== 'cloudflare', cloudflare: t !== 'waf' };
}
