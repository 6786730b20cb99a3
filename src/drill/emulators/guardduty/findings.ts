import { readFileSync } from 'node:fs';
import type { ProxiedRequest } from '../fault-proxy.js';
import type { FaultRule } from '../faults.js';

/**
 * GuardDuty findings, which moto does not have: ListFindings and GetFindings answered in the moto
 * harness's proxy (src/drill/emulators/moto.ts), everything else of GuardDuty still goes to moto.
 * Requests are checked against the subset of GuardDuty's API description in api-subset.json
 * (extracted from the AWS SDK's copy of the Smithy model by scripts/extract-guardduty-api.mjs):
 * unknown members, missing required ones and wrong types are refused as GuardDuty refuses them
 * (400 BadRequestException). Responses use the model's wire names. Findings are seeded by tests.
 */

interface MemberSpec {
  json: string;
  type: string;
  location?: string;
}
interface ShapeSpec {
  members: Record<string, MemberSpec>;
  required: string[];
}
interface ApiSubset {
  operations: Record<string, { method: string; path: string; status: number; input: string; output: string }>;
  shapes: Record<string, ShapeSpec>;
}

const API = JSON.parse(readFileSync(new URL('./api-subset.json', import.meta.url), 'utf8')) as ApiSubset;

export interface SeedFinding {
  id: string;
  type: string;
  severity: number;
  /** ISO 8601. */
  updatedAt: string;
  createdAt?: string;
  title?: string;
  description?: string;
  resource?: Record<string, unknown>;
  service?: Record<string, unknown>;
}

type Answer = Pick<FaultRule, 'status' | 'headers' | 'body'>;

class BadRequest extends Error {}

const ACCOUNT = '123456789012';

export class GuardDutyFindings {
  private readonly detectors = new Map<string, SeedFinding[]>();

  constructor(private readonly region: string) {}

  /** A detector whose findings this emulator serves (create it in moto too, for GetDetector). */
  addDetector(detectorId: string): void {
    if (!this.detectors.has(detectorId)) this.detectors.set(detectorId, []);
  }

  addFindings(detectorId: string, findings: readonly SeedFinding[]): void {
    this.addDetector(detectorId);
    this.detectors.get(detectorId)!.push(...findings);
  }

  clear(): void {
    this.detectors.clear();
  }

  /** The proxy's check: an answer for ListFindings/GetFindings, undefined for anything else. */
  handle(req: ProxiedRequest): Answer | undefined {
    const m = /^\/detector\/([^/]+)\/findings(\/get)?$/.exec(req.path);
    if (!m || req.method !== 'POST') return undefined;
    const detectorId = decodeURIComponent(m[1]!);
    const op = m[2] ? 'GetFindings' : 'ListFindings';
    try {
      const body = req.body.length ? (JSON.parse(req.body.toString('utf8')) as unknown) : {};
      const input = checkShape(API.operations[op]!.input, body, op);
      const findings = this.detectors.get(detectorId);
      if (!findings) throw new BadRequest('The request is rejected because the input detectorId is not owned by the current account.');
      return op === 'ListFindings' ? this.list(findings, input) : this.get(detectorId, findings, input);
    } catch (e) {
      if (e instanceof BadRequest || e instanceof SyntaxError) {
        return { status: 400, headers: { 'x-amzn-errortype': 'BadRequestException' }, body: { __type: 'BadRequestException', message: e.message, Message: e.message } };
      }
      throw e;
    }
  }

  private list(findings: SeedFinding[], input: Record<string, unknown>): Answer {
    const criterion = ((input.findingCriteria as Record<string, unknown> | undefined)?.criterion ?? {}) as Record<string, Record<string, unknown>>;
    const max = (input.maxResults as number | undefined) ?? 50;
    if (max < 1 || max > 50) throw new BadRequest('maxResults must be between 1 and 50.');
    const matching = findings.filter((f) => Object.entries(criterion).every(([field, cond]) => matches(fieldValue(f, field), cond, field))).sort((a, b) => Date.parse(a.updatedAt) - Date.parse(b.updatedAt) || (a.id < b.id ? -1 : 1));
    const start = input.nextToken ? Number(input.nextToken) : 0;
    if (!Number.isInteger(start) || start < 0) throw new BadRequest('The request is rejected because an invalid or out-of-range value is specified for nextToken.');
    const page = matching.slice(start, start + max);
    const next = start + max < matching.length ? String(start + max) : '';
    return { status: 200, body: { findingIds: page.map((f) => f.id), nextToken: next } };
  }

  private get(detectorId: string, findings: SeedFinding[], input: Record<string, unknown>): Answer {
    const ids = input.findingIds as string[];
    if (ids.length > 50) throw new BadRequest('findingIds may name at most 50 findings.');
    const byId = new Map(findings.map((f) => [f.id, f]));
    const out = ids.flatMap((id) => {
      const f = byId.get(id);
      if (!f) return [];
      return [
        {
          accountId: ACCOUNT,
          arn: `arn:aws:guardduty:${this.region}:${ACCOUNT}:detector/${detectorId}/finding/${f.id}`,
          createdAt: f.createdAt ?? f.updatedAt,
          id: f.id,
          partition: 'aws',
          region: this.region,
          resource: f.resource ?? { resourceType: 'AccessKey' },
          schemaVersion: '2.0',
          service: f.service ?? { serviceName: 'guardduty', detectorId, archived: false, count: 1 },
          severity: f.severity,
          title: f.title ?? f.type,
          description: f.description ?? f.type,
          type: f.type,
          updatedAt: f.updatedAt,
        },
      ];
    });
    return { status: 200, body: { findings: out } };
  }
}

function fieldValue(f: SeedFinding, field: string): string | number | undefined {
  switch (field) {
    case 'updatedAt':
      return Date.parse(f.updatedAt);
    case 'createdAt':
      return Date.parse(f.createdAt ?? f.updatedAt);
    case 'severity':
      return f.severity;
    case 'type':
      return f.type;
    case 'id':
      return f.id;
    default:
      throw new BadRequest(`the drill's GuardDuty emulator does not filter on ${field} (it filters on updatedAt, createdAt, severity, type, id)`);
  }
}

function matches(v: string | number | undefined, cond: Record<string, unknown>, field: string): boolean {
  if (v === undefined) return false;
  for (const [op, want] of Object.entries(cond)) {
    const n = want as number;
    const list = want as Array<string>;
    const ok =
      op === 'eq' || op === 'equals'
        ? list.map(String).includes(String(v))
        : op === 'neq' || op === 'notEquals'
          ? !list.map(String).includes(String(v))
          : op === 'gt' || op === 'greaterThan'
            ? (v as number) > n
            : op === 'gte' || op === 'greaterThanOrEqual'
              ? (v as number) >= n
              : op === 'lt' || op === 'lessThan'
                ? (v as number) < n
                : op === 'lte' || op === 'lessThanOrEqual'
                  ? (v as number) <= n
                  : unsupported(op, field);
    if (!ok) return false;
  }
  return true;
}

function unsupported(op: string, field: string): never {
  throw new BadRequest(`the drill's GuardDuty emulator does not implement ${op} (on ${field})`);
}

/** Checks a JSON value against a shape of the subset; returns it. */
function checkShape(shape: string, value: unknown, where: string): Record<string, unknown> {
  const spec = API.shapes[shape];
  if (!spec) return value as Record<string, unknown>;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new BadRequest(`${where}: expected an object`);
  const obj = value as Record<string, unknown>;
  const byJson = new Map(Object.values(spec.members).filter((m) => m.location !== 'label').map((m) => [m.json, m]));
  for (const [key, v] of Object.entries(obj)) {
    const m = byJson.get(key);
    if (!m) throw new BadRequest(`${where}: unknown member ${key}`);
    checkType(m.type, v, `${where}.${key}`);
  }
  for (const name of spec.required) {
    const m = spec.members[name]!;
    if (m.location !== 'label' && obj[m.json] === undefined) throw new BadRequest(`${where}: ${m.json} is required`);
  }
  return obj;
}

function checkType(type: string, v: unknown, where: string): void {
  if (type === 'string') {
    if (typeof v !== 'string') throw new BadRequest(`${where}: expected a string`);
  } else if (type === 'number') {
    if (typeof v !== 'number') throw new BadRequest(`${where}: expected a number`);
  } else if (type.startsWith('list<')) {
    if (!Array.isArray(v)) throw new BadRequest(`${where}: expected a list`);
    v.forEach((x, i) => checkType(type.slice(5, -1), x, `${where}[${i}]`));
  } else if (type.startsWith('map<string,')) {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new BadRequest(`${where}: expected a map`);
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) checkType(type.slice(11, -1), x, `${where}.${k}`);
  } else {
    checkShape(type, v, where);
  }
}
