import { DescribeApiDestinationCommand, DescribeConnectionCommand, DescribeRuleCommand, ListTargetsByRuleCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { RELAY_SENDERS, relaySource, type RelaySender } from '../core/alerts/relay.js';

/**
 * Whether the GuardDuty → GitHub bridge the kit provisions (infra/components/alert-bridge.ts) would
 * deliver a finding as a `firebreak-alert` dispatch to this repository: the rule is enabled and
 * matches GuardDuty findings, a target sends the firebreak payload to an active API destination
 * that POSTs to this repository's dispatches endpoint, through an authorized API-key connection.
 * Returns the problems found, each with what to fix; none means the bridge is sound.
 */
export interface BridgeCheckOptions {
  ruleName: string;
  /** The relay's rules live on its own bus (AlertRelay's eventBusName output). */
  eventBusName?: string;
  repository: string;
  githubApiUrl?: string;
}

/** The IAM actions the check calls (read-only). */
export const BRIDGE_CHECK_ACTIONS = ['events:DescribeRule', 'events:ListTargetsByRule', 'events:DescribeApiDestination', 'events:DescribeConnection'] as const;

export async function checkAlertBridge(client: EventBridgeClient, opts: BridgeCheckOptions): Promise<string[]> {
  const problems: string[] = [];
  const bus = opts.eventBusName ? { EventBusName: opts.eventBusName } : {};
  const rule = await client.send(new DescribeRuleCommand({ Name: opts.ruleName, ...bus }));
  if (rule.State !== 'ENABLED') problems.push(`rule ${opts.ruleName} is ${rule.State ?? 'in an unknown state'}: enable it, or no finding is sent`);
  const pattern = safeJson(rule.EventPattern ?? '') as { source?: unknown; 'detail-type'?: unknown } | undefined;
  // A relay rule (firebreak.relay.<sender>) sends that sender's format; anything else is the GuardDuty bridge.
  const sender = RELAY_SENDERS.find((s) => Array.isArray(pattern?.source) && pattern.source.length === 1 && pattern.source[0] === relaySource(s));
  const format: 'guardduty' | RelaySender = sender ?? 'guardduty';
  if (sender) {
    const types = pattern?.['detail-type'];
    if (!Array.isArray(types) || types.length !== 1 || typeof types[0] !== 'string' || types[0] === '') problems.push(`rule ${opts.ruleName} does not require exactly one credential (detail-type): anyone could send ${sender} alerts`);
  } else if (!Array.isArray(pattern?.source) || !pattern.source.includes('aws.guardduty')) problems.push(`rule ${opts.ruleName} does not match source aws.guardduty`);

  const targets = (await client.send(new ListTargetsByRuleCommand({ Rule: opts.ruleName, ...bus }))).Targets ?? [];
  const bridged = targets.filter((t) => /:api-destination\//.test(t.Arn ?? ''));
  if (bridged.length === 0) {
    problems.push(`rule ${opts.ruleName} has no API destination target`);
    return problems;
  }
  const endpoint = `${(opts.githubApiUrl ?? 'https://api.github.com').replace(/\/+$/, '')}/repos/${opts.repository}/dispatches`;
  for (const t of bridged) {
    const sent = safeJson((t.InputTransformer?.InputTemplate ?? '').replace('<aws.events.event.json>', '{}').replace('<body>', '{}')) as { event_type?: unknown; client_payload?: { v?: unknown; format?: unknown } } | undefined;
    if (sent?.event_type !== 'firebreak-alert' || sent.client_payload?.v !== 1 || sent.client_payload.format !== format) {
      problems.push(`target ${t.Id}: its input template does not send {"event_type":"firebreak-alert","client_payload":{"v":1,"format":"${format}",...}}`);
    }
    if (sender && JSON.stringify(t.InputTransformer?.InputPathsMap ?? {}) !== JSON.stringify({ body: '$.detail' })) {
      problems.push(`target ${t.Id}: it must forward $.detail only (the credential rides in detail-type and must never reach GitHub)`);
    }
    const name = t.Arn!.split(':api-destination/')[1]!.split('/')[0]!;
    const dest = await client.send(new DescribeApiDestinationCommand({ Name: name }));
    if (dest.ApiDestinationState !== 'ACTIVE') problems.push(`API destination ${name} is ${dest.ApiDestinationState ?? 'in an unknown state'}`);
    if (dest.HttpMethod !== 'POST' || dest.InvocationEndpoint !== endpoint) problems.push(`API destination ${name} calls ${dest.HttpMethod} ${dest.InvocationEndpoint}, not POST ${endpoint}`);
    const connection = dest.ConnectionArn?.split(':connection/')[1]?.split('/')[0];
    if (!connection) {
      problems.push(`API destination ${name} has no connection`);
      continue;
    }
    const conn = await client.send(new DescribeConnectionCommand({ Name: connection }));
    if (conn.AuthorizationType !== 'API_KEY' || conn.AuthParameters?.ApiKeyAuthParameters?.ApiKeyName !== 'Authorization') problems.push(`connection ${connection} does not send an Authorization API key (the GitHub token)`);
    if (conn.ConnectionState !== 'AUTHORIZED') problems.push(`connection ${connection} is ${conn.ConnectionState ?? 'in an unknown state'}, not AUTHORIZED: check the token`);
  }
  return problems;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
