import { CreateBucketCommand, HeadBucketCommand, PutBucketVersioningCommand, PutObjectCommand, DeleteObjectCommand } from '@aws-sdk/client-s3';
import { CreateVolumeCommand, DescribeSnapshotsCommand, DescribeVolumesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CreateDetectorCommand, GuardDutyClient } from '@aws-sdk/client-guardduty';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { keySegment } from '../../core/evidence/targets.js';
import { KIT_VARIABLES } from '../../core/names.js';
import { atlasBackups } from '../../drill/emulators/atlas/handlers-snapshots.js';
import type { RunbookFixture } from '../../drill/runbook/fixture.js';
import { recordedOnIssue } from '../../drill/runbook/incident-ledger.js';
import { direct, directS3, ensureLocalLogs, ensureLogGroup, manifestEntries, readEvidence, seeded } from '../../drill/runbook/kit-evidence.js';
import { ensureAwsKit } from '../../drill/runbook/kit.js';
import type { RunbookWorld } from '../../drill/runbook/world.js';
import { check, type Expectation } from '../../drill/scenario.js';

/**
 * preserve-evidence in a runbook drill: every target line is made real before the step (a log
 * group holding the incident's records inside the window, the local `logs/` folder, a versioned
 * suspect prefix, GuardDuty findings, an Atlas cluster, a principal's CloudTrail events, an EBS
 * volume aliased to the id the runbook writes); afterwards every target has manifest entries, every
 * entry's object is in the locked bucket with the recorded SHA-256 and COMPLIANCE retention, the
 * log evidence holds exactly the seeded events, the files are byte-identical, and the Atlas and EBS
 * snapshots exist for the incident.
 */

/** The seeded CloudTrail history of a `cloudtrail:user:` target: reads, then the log deletions triage looks for. */
const TRAIL_EVENTS = ['GetObject', 'GetSecretValue', 'GetObject', 'DeleteLogStream', 'PutRetentionPolicy', 'GetSecretValue'];

/** Atlas project ids are 24 hex characters; the runbook names the project. */
const ATLAS_GROUP_ID = '65b0c0ffee0123456789abcd';

/** The project another fixture (rotate-secret's Atlas user) may already have made under that name, else ours. */
function atlasGroupId(state: Parameters<typeof atlasBackups>[0], project: string): string {
  return [...atlasBackups(state).projects.values()].find((p) => p.name === project)?.id ?? ATLAS_GROUP_ID;
}

interface Target {
  kind: string;
  id: string;
  line: string;
}

function targetsOf(input: Readonly<Record<string, unknown>>): Target[] {
  return String(input.targets ?? '')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((line) => {
      const colon = line.indexOf(':');
      return colon < 0 ? { kind: line, id: '', line } : { kind: line.slice(0, colon), id: line.slice(colon + 1), line };
    });
}

function windowOf(world: RunbookWorld, input: Readonly<Record<string, unknown>>): { from: number; to: number } {
  const to = typeof input.to === 'string' && input.to ? Date.parse(input.to) : world.clock.now().getTime();
  return { from: Date.parse(String(input.from)), to };
}

/** Volumes this fixture created, by the id the runbook writes. */
const volumes = new WeakMap<RunbookWorld, Map<string, string>>();

async function prepareTarget(world: RunbookWorld, t: Target, window: { from: number; to: number }): Promise<void> {
  const { moto } = await ensureAwsKit(world);
  const mid = Math.floor((window.from + window.to) / 2);
  switch (t.kind) {
    case 'logs':
      return ensureLogGroup(world, t.id, window);
    case 'file':
      return ensureLocalLogs(world, t.id);
    case 's3': {
      const [bucket, ...rest] = t.id.split('/');
      const prefix = rest.join('/');
      await world.once(`evidence:s3:${t.id}`, async () => {
        const s3 = directS3(moto);
        try {
          if (await s3.send(new HeadBucketCommand({ Bucket: bucket! })).then(() => true, () => false)) return;
          await s3.send(new CreateBucketCommand({ Bucket: bucket! }));
          await s3.send(new PutBucketVersioningCommand({ Bucket: bucket!, VersioningConfiguration: { Status: 'Enabled' } }));
          await s3.send(new PutObjectCommand({ Bucket: bucket!, Key: `${prefix}records.csv`, Body: 'id,name\n1,Ada\n' }));
          await s3.send(new PutObjectCommand({ Bucket: bucket!, Key: `${prefix}records.csv`, Body: 'id,name\n1,Ada\n2,Grace\n' }));
          await s3.send(new PutObjectCommand({ Bucket: bucket!, Key: `${prefix}dump.sql`, Body: 'select * from records;\n' }));
          await s3.send(new DeleteObjectCommand({ Bucket: bucket!, Key: `${prefix}dump.sql` }));
        } finally {
          s3.destroy();
        }
      });
      return;
    }
    case 'guardduty':
      await world.once('evidence:guardduty', async () => {
        const gd = new GuardDutyClient(direct(moto));
        const detector = t.id || (await gd.send(new CreateDetectorCommand({ Enable: true })).finally(() => gd.destroy())).DetectorId!;
        if (!t.id) world.env[KIT_VARIABLES.guardDutyDetectorId] = detector;
        moto.guardDuty.addFindings(detector, [
          { id: 'rb-exfil', type: 'Exfiltration:S3/AnomalousBehavior', severity: 8, updatedAt: new Date(mid).toISOString() },
          { id: 'rb-before', type: 'Recon:EC2/PortProbeUnprotectedPort', severity: 2, updatedAt: new Date(window.from - 86_400_000).toISOString() },
        ]);
      });
      return;
    case 'atlas': {
      const atlas = await world.atlas();
      const [project, cluster] = t.id.split('/');
      await world.once(`evidence:atlas:${t.id}`, async () => atlasBackups(atlas.state).addCluster({ groupId: atlasGroupId(atlas.state, project!), projectName: project!, clusterName: cluster! }));
      return;
    }
    case 'cloudtrail': {
      const user = t.id.replace(/^user:/, '');
      await world.once(`evidence:cloudtrail:${t.id}`, async () => {
        // What a principal that read data and then covered its tracks leaves in the event history.
        const events = TRAIL_EVENTS.map((eventName, i) => ({ eventId: `rb-ct-${user}-${i}`, eventName, eventTime: new Date(window.from + (i + 1) * ((window.to - window.from) / 8)).toISOString(), username: user }));
        moto.cloudTrail.add(events);
        seeded(world).trails.set(keySegment(user), events.map((e) => ({ text: JSON.stringify(e), fields: { ...e } })));
      });
      return;
    }
    case 'ebs': {
      const known = volumes.get(world) ?? new Map<string, string>();
      volumes.set(world, known);
      if ([...known.values()].includes(t.id)) return;
      const real = await world.once(`evidence:ebs:${t.id}`, async () => {
        const ec2 = new EC2Client(direct(moto));
        try {
          const exists = await ec2.send(new DescribeVolumesCommand({ VolumeIds: [t.id] })).then((r) => (r.Volumes?.length ?? 0) > 0, () => false);
          if (exists) return t.id;
          return (await ec2.send(new CreateVolumeCommand({ AvailabilityZone: `${moto.region}a`, Size: 8 }))).VolumeId!;
        } finally {
          ec2.destroy();
        }
      });
      known.set(t.id, real);
      world.alias(t.id, real);
      return;
    }
    default:
      return;
  }
}

export const preserveEvidenceFixture: RunbookFixture = {
  async prepare(world, input) {
    await ensureAwsKit(world);
    const window = windowOf(world, input);
    for (const t of targetsOf(input)) await prepareTarget(world, t, window);
  },

  async verify(world, outcome) {
    const out: Expectation[] = [];
    const incident = outcome.incidentId ?? world.incidentId;
    if (!incident) return [check('preserve-evidence ran in a declared incident', false, 'no incident')];
    const entries = await manifestEntries(world, incident);
    out.push(check('the manifest lists preserved objects', entries.length > 0, `no manifest under ${incident}`));
    for (const t of targetsOf(outcome.input)) {
      const prefix = t.line.replace(/\/+$/, '');
      out.push(check(`${t.line}: in the manifest`, entries.some((e) => e.source.startsWith(prefix)), `sources: ${[...new Set(entries.map((e) => e.source))].join(', ')}`));
    }
    const now = world.clock.now().getTime();
    const bad: string[] = [];
    const unlocked: string[] = [];
    for (const e of entries) {
      const got = await readEvidence(world, e.key);
      if (!got || got.sha256 !== e.sha256) bad.push(`${e.key}: ${got ? `sha256 ${got.sha256.slice(0, 12)}…` : 'missing'}`);
      if (!got || got.lockMode !== 'COMPLIANCE' || !got.retainUntil || got.retainUntil.getTime() <= Math.min(now, Date.now())) unlocked.push(`${e.key}: ${got?.lockMode ?? 'no lock'} until ${got?.retainUntil?.toISOString() ?? '-'}`);
    }
    out.push(check(`all ${entries.length} object(s) are in the bucket with the manifest's SHA-256`, bad.length === 0, bad.slice(0, 5).join('; ')));
    out.push(check('every object is under COMPLIANCE retention', unlocked.length === 0, unlocked.slice(0, 5).join('; ')));

    const s = seeded(world);
    for (const t of targetsOf(outcome.input)) {
      if (t.kind === 'logs' && s.logs.has(t.id)) {
        let lines = 0;
        for (const e of entries.filter((x) => x.source === t.line)) lines += (await readEvidence(world, e.key))?.text.split('\n').filter(Boolean).length ?? 0;
        out.push(check(`${t.line}: the ${s.logs.get(t.id)!.length} seeded events are kept`, lines === s.logs.get(t.id)!.length, `${lines} event line(s) in evidence`));
      }
      if (t.kind === 'file') {
        for (const rel of [...s.files.keys()].filter((p) => p.startsWith(t.id.replace(/^\.?\/+/, '')))) {
          const local = createHash('sha256').update(await readFile(join(world.workDir, rel))).digest('hex');
          const entry = entries.find((e) => e.source === `file:${rel}` || e.key.endsWith(`/files/${rel}`));
          out.push(check(`file:${rel} kept byte for byte`, entry?.sha256 === local, entry ? `manifest ${entry.sha256}, local ${local}` : 'not in the manifest'));
        }
      }
      if (t.kind === 'atlas') {
        const atlas = await world.atlas();
        const [, cluster] = t.id.split('/');
        const [project] = t.id.split('/');
        const snaps = atlasBackups(atlas.state).snapshots(atlasGroupId(atlas.state, project!), cluster!);
        out.push(check(`${t.line}: an Atlas snapshot for ${incident}`, snaps.some((x) => x.description === `incident-${incident}`), JSON.stringify(snaps.map((x) => x.description))));
      }
      if (t.kind === 'ebs') {
        const { moto } = await ensureAwsKit(world);
        const ec2 = new EC2Client(direct(moto));
        const snaps = (await ec2.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'], Filters: [{ Name: 'volume-id', Values: [t.id] }] })).finally(() => ec2.destroy())).Snapshots ?? [];
        out.push(check(`${t.line}: a snapshot tagged with ${incident}`, snaps.some((x) => x.Tags?.some((tag) => tag.Value === incident)), `${snaps.length} snapshot(s)`));
      }
    }
    out.push(await recordedOnIssue(world, 'preserve-evidence'));
    return out;
  },
};
