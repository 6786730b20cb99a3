import { readFileSync } from 'node:fs';
import type { ProxiedRequest } from '../fault-proxy.js';
import type { FaultRule } from '../faults.js';

/**
 * CloudTrail event history, which moto 5.2.1 does not have (its CloudTrail answers trails only):
 * LookupEvents answered in the moto harness's proxy (src/drill/emulators/moto.ts) from events seeded
 * by tests; everything else of CloudTrail still goes to moto. Requests are checked against the subset
 * of CloudTrail's API description in api-subset.json (extracted from the AWS SDK's copy of the Smithy
 * model by scripts/extract-cloudtrail-api.mjs): unknown members, missing required ones, wrong types
 * and unknown attribute keys are refused with the model's error codes, and AWS's documented rules
 * hold (one lookup attribute, MaxResults 1-50, start before end, newest first, paged by NextToken).
 */

interface ShapeSpec {
  members: Record<string, { type: string }>;
  required: string[];
}
interface ApiSubset {
  operations: Record<string, { target: string; input: string; output: string }>;
  shapes: Record<string, ShapeSpec>;
  enums: Record<string, string[]>;
  errors: Record<string, { status: number }>;
}

const API = JSON.parse(readFileSync(new URL('./api-subset.json', import.meta.url), 'utf8')) as ApiSubset;

export interface SeedEvent {
  eventId: string;
  eventName: string;
  /** ISO 8601. */
  eventTime: string;
  username: string;
  eventSource?: string;
  readOnly?: boolean;
  accessKeyId?: string;
  resources?: Array<{ type: string; name: string }>;
  /** Extra fields of the CloudTrail record (sourceIPAddress, requestParameters, …). */
  detail?: Record<string, unknown>;
}

type Answer = Pick<FaultRule, 'status' | 'headers' | 'body'>;

class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const ACCOUNT = '123456789012';

export class CloudTrailEvents {
  private readonly events: SeedEvent[] = [];
  /** LookupEvents calls answered (tests: paging happened). */
  lookups = 0;

  constructor(private readonly region: string) {}

  add(events: readonly SeedEvent[]): void {
    this.events.push(...events);
  }

  clear(): void {
    this.events.length = 0;
    this.lookups = 0;
  }

  /** The proxy's check: an answer for LookupEvents, undefined for anything else. */
  handle(req: ProxiedRequest): Answer | undefined {
    if (req.method !== 'POST' || req.target !== API.operations.LookupEvents!.target) return undefined;
    try {
      const body = req.body.length ? (JSON.parse(req.body.toString('utf8')) as unknown) : {};
      const input = checkShape(API.operations.LookupEvents!.input, body, 'LookupEventsRequest');
      this.lookups++;
      return this.lookup(input);
    } catch (e) {
      if (e instanceof ApiError || e instanceof SyntaxError) {
        const code = e instanceof ApiError ? e.code : 'SerializationException';
        return { status: API.errors[code]?.status ?? 400, headers: { 'x-amzn-errortype': code }, body: { __type: code, message: e.message } };
      }
      throw e;
    }
  }

  private lookup(input: Record<string, unknown>): Answer {
    const attrs = (input.LookupAttributes as Array<{ AttributeKey: string; AttributeValue: string }> | undefined) ?? [];
    if (attrs.length > 1) throw new ApiError('InvalidLookupAttributesException', 'You cannot specify more than one lookup attribute.');
    for (const a of attrs) if (!API.enums.LookupAttributeKey!.includes(a.AttributeKey)) throw new ApiError('InvalidLookupAttributesException', `Invalid attribute key: ${a.AttributeKey}`);
    if (input.EventCategory !== undefined && !API.enums.EventCategory!.includes(input.EventCategory as string)) throw new ApiError('InvalidEventCategoryException', 'Invalid EventCategory.');
    const max = (input.MaxResults as number | undefined) ?? 50;
    if (!Number.isInteger(max) || max < 1 || max > 50) throw new ApiError('InvalidMaxResultsException', 'MaxResults must be from 1 to 50.');
    const start = input.StartTime === undefined ? -Infinity : (input.StartTime as number) * 1000;
    const end = input.EndTime === undefined ? Infinity : (input.EndTime as number) * 1000;
    if (start > end) throw new ApiError('InvalidTimeRangeException', 'Start time must be earlier than end time.');
    const attr = attrs[0];
    const matching = this.events
      .filter((e) => {
        const t = Date.parse(e.eventTime);
        if (t < start || t > end) return false;
        if (!attr) return true;
        const v = attr.AttributeValue;
        switch (attr.AttributeKey) {
          case 'Username':
            return e.username === v;
          case 'EventName':
            return e.eventName === v;
          case 'EventId':
            return e.eventId === v;
          case 'EventSource':
            return (e.eventSource ?? '') === v;
          case 'AccessKeyId':
            return e.accessKeyId === v;
          case 'ReadOnly':
            return String(e.readOnly ?? false) === v;
          case 'ResourceName':
            return (e.resources ?? []).some((r) => r.name === v);
          case 'ResourceType':
            return (e.resources ?? []).some((r) => r.type === v);
          default:
            return false;
        }
      })
      // Newest first, as CloudTrail returns its event history.
      .sort((a, b) => Date.parse(b.eventTime) - Date.parse(a.eventTime) || (a.eventId < b.eventId ? -1 : 1));
    const from = input.NextToken === undefined ? 0 : Number(/^ct-(\d+)$/.exec(input.NextToken as string)?.[1] ?? NaN);
    if (!Number.isInteger(from)) throw new ApiError('InvalidNextTokenException', 'Invalid NextToken.');
    const page = matching.slice(from, from + max);
    const next = from + max < matching.length ? `ct-${from + max}` : undefined;
    return { status: 200, body: { Events: page.map((e) => this.view(e)), ...(next ? { NextToken: next } : {}) } };
  }

  private view(e: SeedEvent) {
    const source = e.eventSource ?? 'iam.amazonaws.com';
    const record = {
      eventVersion: '1.09',
      userIdentity: { type: 'IAMUser', accountId: ACCOUNT, userName: e.username, arn: `arn:aws:iam::${ACCOUNT}:user/${e.username}`, ...(e.accessKeyId ? { accessKeyId: e.accessKeyId } : {}) },
      eventTime: e.eventTime.replace(/\.\d{3}Z$/, 'Z'),
      eventSource: source,
      eventName: e.eventName,
      awsRegion: this.region,
      eventID: e.eventId,
      readOnly: e.readOnly ?? false,
      eventType: 'AwsApiCall',
      recipientAccountId: ACCOUNT,
      ...(e.resources ? { resources: e.resources.map((r) => ({ type: r.type, ARN: r.name })) } : {}),
      ...e.detail,
    };
    return {
      EventId: e.eventId,
      EventName: e.eventName,
      ReadOnly: String(e.readOnly ?? false),
      ...(e.accessKeyId ? { AccessKeyId: e.accessKeyId } : {}),
      EventTime: Date.parse(e.eventTime) / 1000,
      EventSource: source,
      Username: e.username,
      Resources: (e.resources ?? []).map((r) => ({ ResourceType: r.type, ResourceName: r.name })),
      CloudTrailEvent: JSON.stringify(record),
    };
  }
}

/** Checks a JSON value against a shape of the subset; returns it. */
function checkShape(shape: string, value: unknown, where: string): Record<string, unknown> {
  const spec = API.shapes[shape];
  if (!spec) return value as Record<string, unknown>;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new ApiError('SerializationException', `${where}: expected an object`);
  const obj = value as Record<string, unknown>;
  for (const [key, v] of Object.entries(obj)) {
    const m = spec.members[key];
    if (!m) throw new ApiError('SerializationException', `${where}: unknown member ${key}`);
    checkType(m.type, v, `${where}.${key}`);
  }
  for (const name of spec.required) if (obj[name] === undefined) throw new ApiError('ValidationException', `${where}: ${name} is required`);
  return obj;
}

function checkType(type: string, v: unknown, where: string): void {
  if (type === 'string') {
    if (typeof v !== 'string') throw new ApiError('SerializationException', `${where}: expected a string`);
  } else if (type === 'number' || type === 'timestamp') {
    // JSON 1.1 sends timestamps as epoch seconds.
    if (typeof v !== 'number') throw new ApiError('SerializationException', `${where}: expected a number`);
  } else if (type === 'boolean') {
    if (typeof v !== 'boolean') throw new ApiError('SerializationException', `${where}: expected a boolean`);
  } else if (type.startsWith('list<')) {
    if (!Array.isArray(v)) throw new ApiError('SerializationException', `${where}: expected a list`);
    v.forEach((x, i) => checkType(type.slice(5, -1), x, `${where}[${i}]`));
  } else {
    checkShape(type, v, where);
  }
}
