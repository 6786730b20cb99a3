import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import type { EvidenceWindow } from '../../core/evidence/manifest.js';
import { keySegment, type EvidenceTarget } from '../../core/evidence/targets.js';
import { awsCall, type AwsCallDeps } from './aws-sources.js';
import type { EvidencePiece, EvidenceSource, EvidenceSourceContext } from './ports.js';

/**
 * CloudTrail event history for a principal (`cloudtrail:user:<name>`) or a resource
 * (`cloudtrail:resource:<name>`) over the window: paged LookupEvents with one lookup attribute
 * (Username or ResourceName), written as NDJSON, one event per line with the full CloudTrail record.
 * Event history keeps 90 days; older windows need the trail's S3 copy (preserve it with s3:).
 */
export class CloudTrailSource implements EvidenceSource {
  constructor(
    private readonly client: CloudTrailClient,
    private readonly deps: AwsCallDeps,
  ) {}

  async pieces(target: EvidenceTarget, window: EvidenceWindow, ctx: EvidenceSourceContext): Promise<EvidencePiece[]> {
    const colon = target.id.indexOf(':');
    const by = target.id.slice(0, colon) as 'user' | 'resource';
    const value = target.id.slice(colon + 1);
    const key = by === 'user' ? 'Username' : 'ResourceName';
    return [
      {
        key: `cloudtrail/${by}/${keySegment(value)}/${window.from}_${window.to}.ndjson`,
        subject: `CloudTrail events for ${by} ${value} ${window.from} to ${window.to}`,
        collect: async () => {
          const lines: string[] = [];
          let token: string | undefined;
          let pages = 0;
          do {
            const page = await awsCall(this.deps, 'cloudtrail:LookupEvents', target.id, () =>
              this.client.send(
                new LookupEventsCommand({
                  LookupAttributes: [{ AttributeKey: key, AttributeValue: value }],
                  StartTime: new Date(window.from),
                  // LookupEvents includes its end time; the window's end is exclusive.
                  EndTime: new Date(Date.parse(window.to) - 1000),
                  MaxResults: 50,
                  ...(token ? { NextToken: token } : {}),
                }),
              ),
            );
            for (const e of page.Events ?? []) {
              lines.push(
                JSON.stringify({
                  eventId: e.EventId,
                  eventName: e.EventName,
                  eventTime: e.EventTime?.toISOString(),
                  eventSource: e.EventSource,
                  username: e.Username,
                  readOnly: e.ReadOnly,
                  accessKeyId: e.AccessKeyId,
                  resources: e.Resources,
                  // The record as CloudTrail wrote it, parsed so triage reads its nested fields.
                  cloudTrailEvent: e.CloudTrailEvent ? (JSON.parse(e.CloudTrailEvent) as unknown) : undefined,
                }),
              );
            }
            token = page.NextToken || undefined;
            // LookupEvents answers 2 calls a second per account: a busy principal takes a while.
            if (++pages % 20 === 0) ctx.progress(`cloudtrail: ${target.id}: ${lines.length} event(s) read so far`);
          } while (token);
          return { body: Buffer.from(lines.length ? `${lines.join('\n')}\n` : '', 'utf8'), contentType: 'application/x-ndjson' };
        },
      },
    ];
  }
}

export { CloudTrailClient };
