import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, DescribeLogGroupsCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { EVIDENCE_DIR_NAME, MANIFEST_DIR_NAME, evidenceFolder } from '../../core/evidence/layout.js';
import type { ManifestEntry, ManifestPart } from '../../core/evidence/manifest.js';
import { parseIndicators, type Indicator } from '../../core/triage/indicators.js';
import type { MotoServer } from '../emulators/moto.js';
import { ensureAwsKit } from './kit.js';
import type { RunbookWorld } from './world.js';

/**
 * What an incident left behind in a runbook drill, and what the evidence steps should therefore
 * find: log groups and local log files seeded with one incident's records (failed logins, decoy
 * hits, exports to a hostile address, a correlation id, admin access, noise), remembered per world
 * so triage's fixture can count, independently of triage, which records each indicator matches and
 * how many distinct people they name.
 */

/** One seeded log record: its text as written, and its fields when the text is JSON. */
export interface SeededRecord {
  text: string;
  fields: Record<string, string> | undefined;
}

interface Seeded {
  /** By log group: the records whose time is in the group's seeded window. */
  logs: Map<string, SeededRecord[]>;
  /** By path relative to the work dir (`logs/app.ndjson`). */
  files: Map<string, SeededRecord[]>;
  /** By principal as its evidence key names it (`cloudtrail/user/<segment>/…`): its seeded CloudTrail events. */
  trails: Map<string, SeededRecord[]>;
}

const seededByWorld = new WeakMap<RunbookWorld, Seeded>();

export function seeded(world: RunbookWorld): Seeded {
  let s = seededByWorld.get(world);
  if (!s) {
    s = { logs: new Map(), files: new Map(), trails: new Map() };
    seededByWorld.set(world, s);
  }
  return s;
}

export function direct(moto: MotoServer) {
  return { region: moto.region, endpoint: moto.directEndpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } };
}

export function directS3(moto: MotoServer): S3Client {
  return new S3Client({ ...direct(moto), forcePathStyle: true });
}

/** The incident's records, `count` of them at the given times (ms). Plain-text lines carry key=value pairs. */
export function incidentRecords(times: number[]): SeededRecord[] {
  return times.map((t, i) => {
    const ts = new Date(t).toISOString();
    const json = (fields: Record<string, string>): SeededRecord => {
      const all = { ts, ...fields };
      return { text: JSON.stringify(all), fields: all };
    };
    switch (i % 10) {
      case 1:
        return json({ event: 'login_failed', user_id: `u-${100 + (i % 7)}`, src_ip: '203.0.113.5', detail: 'unauthorized: bad password' });
      case 2:
        return json({ event: 'decoy_hit', participant_id: `p-${200 + (i % 5)}`, src_ip: '203.0.113.7', path: '/honeypot/admin-backup' });
      case 3:
        return json({ event: 'submit_result', participant_id: `p-${300 + (i % 9)}`, src_ip: '198.51.100.23' });
      case 4:
        return json({ event: 'session_start', participant_id: `p-${300 + (i % 4)}`, src_ip: '10.0.4.4' });
      case 5:
        return json({ event: 'export', patient_id: `pt-${400 + (i % 11)}`, src_ip: '203.0.113.9', path: '/export/patients.csv', status: '200' });
      case 6:
        return json({ event: 'auth_failed', user_id: `u-${150 + (i % 3)}`, detail: 'token expired' });
      case 7:
        return { text: `${ts} INFO agent run correlationId=c0ffee user_id=u-${600 + (i % 3)} step=${i}`, fields: undefined };
      case 8:
        return json({ event: 'admin_login', user_id: 'u-1', path: '/admin/users', src_ip: '10.1.2.3' });
      case 9:
        return { text: `${ts} WARN request rejected: unauthorised participant_id=p-${900 + (i % 2)} path=/export/all`, fields: undefined };
      default:
        return json({ event: 'http_request', user_id: `u-${500 + i}`, src_ip: `10.0.${i % 200}.${1 + (i % 250)}`, path: '/api/v1/items', status: '200' });
    }
  });
}

const RECORDS_PER_SOURCE = 40;

function spread(from: number, to: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => Math.floor(from + ((i + 0.5) * (to - from)) / n));
}

/**
 * The part of [from, to] moto keeps log events in: it drops events older than 14 days or more
 * than two hours ahead of its wall clock, and the drill clock follows the runbook's dates.
 */
export function motoLogWindow(from: number, to: number, now = Date.now()): { from: number; to: number } {
  const lo = Math.max(from, now - 14 * 86_400_000 + 3_600_000);
  const hi = Math.min(to, now + 2 * 3_600_000 - 10 * 60_000);
  if (hi - lo < 60_000) {
    throw new Error(
      `the window ${new Date(from).toISOString()} to ${new Date(to).toISOString()} is outside what moto keeps (log events from 14 days ago to 2 hours ahead of ${new Date(now).toISOString()}): move the runbook's drill dates`,
    );
  }
  return { from: lo, to: hi };
}

/** A log group holding the incident's records inside the window (once per drill; describe first). */
export async function ensureLogGroup(world: RunbookWorld, group: string, window: { from: number; to: number }): Promise<void> {
  const { moto } = await ensureAwsKit(world);
  await world.once(`evidence:logs:${group}`, async () => {
    const logs = new CloudWatchLogsClient(direct(moto));
    try {
      const found = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: group }));
      if (found.logGroups?.some((g) => g.logGroupName === group)) return;
      const w = motoLogWindow(window.from, window.to);
      const times = spread(w.from, w.to, RECORDS_PER_SOURCE);
      const records = incidentRecords(times);
      await logs.send(new CreateLogGroupCommand({ logGroupName: group }));
      await logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: 'app-1' }));
      const put = await logs.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: 'app-1', logEvents: records.map((r, i) => ({ timestamp: times[i]!, message: r.text })) }));
      if (put.rejectedLogEventsInfo && Object.keys(put.rejectedLogEventsInfo).length) throw new Error(`moto rejected seeded events of ${group}: ${JSON.stringify(put.rejectedLogEventsInfo)}`);
      seeded(world).logs.set(group, records);
    } finally {
      logs.destroy();
    }
  });
}

/** Local log files under `dir` (relative to the work dir): NDJSON and a plain-text access log. */
export async function ensureLocalLogs(world: RunbookWorld, dir: string): Promise<void> {
  const rel = dir.replace(/^\.?\/+/, '').replace(/\/+$/, '') || '.';
  await world.once(`evidence:files:${rel}`, async () => {
    const base = Date.parse(world.clock.now().toISOString()) - 6 * 3_600_000;
    const records = incidentRecords(spread(base, base + 5 * 3_600_000, RECORDS_PER_SOURCE));
    const files: Array<[string, SeededRecord[]]> = [
      [`${rel}/app.ndjson`, records.filter((r) => r.fields)],
      [`${rel}/web/access.log`, records.filter((r) => !r.fields)],
    ];
    for (const [path, rs] of files) {
      const full = join(world.workDir, path);
      await mkdir(dirname(full), { recursive: true });
      await writeFile(full, `${rs.map((r) => r.text).join('\n')}\n`);
      seeded(world).files.set(path, rs);
    }
  });
}

/** What triage should report over these records for these indicators, computed without triage. */
export interface ExpectedTriage {
  records: number;
  hitRecords: number;
  hits: Record<string, number>;
  subjects: Set<string>;
  missing: number;
}

export function expectedTriage(records: readonly SeededRecord[], indicatorText: string, subjectField: string | undefined): ExpectedTriage {
  const indicators = parseIndicators(indicatorText);
  const out: ExpectedTriage = { records: records.length, hitRecords: 0, hits: {}, subjects: new Set(), missing: 0 };
  for (const i of indicators) out.hits[`${i.kind}:${i.value}`] = 0;
  for (const r of records) {
    const matched = indicators.filter((i) => matches(i, r.text));
    if (matched.length === 0) continue;
    out.hitRecords++;
    for (const i of matched) out.hits[`${i.kind}:${i.value}`]!++;
    if (!subjectField) continue;
    const subject = r.fields ? r.fields[subjectField] : new RegExp(`(?:^|\\s)${subjectField}=(\\S+)`).exec(r.text)?.[1];
    if (subject) out.subjects.add(subject);
    else out.missing++;
  }
  return out;
}

function matches(i: Indicator, text: string): boolean {
  if (i.kind === 'regex') return new RegExp(i.value).test(text);
  if (i.kind === 'text') return text.includes(i.value);
  const v = i.value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const edge = i.kind === 'ip' ? '[A-Za-z0-9_.:]' : '[A-Za-z0-9_]';
  return new RegExp(`(?<!${edge})${v}(?!${edge})`).test(text);
}

/** The incident's manifest entries, read back from the evidence bucket (every part). */
export async function manifestEntries(world: RunbookWorld, incident: string): Promise<ManifestEntry[]> {
  const { moto, bucket } = await ensureAwsKit(world);
  const s3 = directS3(moto);
  try {
    const folder = `${evidenceFolder(world.env.FIREBREAK_EVIDENCE_PREFIX ?? 'incidents/', incident)}${MANIFEST_DIR_NAME}`;
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: folder }));
    const out: ManifestEntry[] = [];
    for (const o of listed.Contents ?? []) {
      const part = JSON.parse(await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: o.Key! }))).Body!.transformToString()) as ManifestPart;
      out.push(...part.entries);
    }
    return out;
  } finally {
    s3.destroy();
  }
}

/** An evidence object read back: its bytes' SHA-256 and its Object Lock state. */
export async function readEvidence(world: RunbookWorld, key: string): Promise<{ sha256: string; text: string; lockMode: string | undefined; retainUntil: Date | undefined } | undefined> {
  const { moto, bucket } = await ensureAwsKit(world);
  const s3 = directS3(moto);
  try {
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key })).catch(() => undefined);
    if (!got) return undefined;
    const bytes = Buffer.from(await got.Body!.transformToByteArray());
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return { sha256: createHash('sha256').update(bytes).digest('hex'), text: bytes.toString('utf8'), lockMode: head.ObjectLockMode, retainUntil: head.ObjectLockRetainUntilDate };
  } finally {
    s3.destroy();
  }
}

/** Keys under the incident's evidence folder + `path` (`logs/`, `files/`). */
export async function evidenceKeys(world: RunbookWorld, incident: string, path: string): Promise<string[]> {
  const { moto, bucket } = await ensureAwsKit(world);
  const s3 = directS3(moto);
  try {
    const prefix = `${evidenceFolder(world.env.FIREBREAK_EVIDENCE_PREFIX ?? 'incidents/', incident)}${EVIDENCE_DIR_NAME}${path}`;
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ...(token ? { ContinuationToken: token } : {}) }));
      keys.push(...(page.Contents ?? []).map((o) => o.Key!));
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return keys;
  } finally {
    s3.destroy();
  }
}
