import { createHash } from 'node:crypto';
import { findEvidenceCapture, type CaptureFound } from '../../core/compute/evidence-capture.js';
import { denyPrecedesAllows, NACL_DEFAULT_RULES_PER_DIRECTION, pickDenyRuleNumber, type NaclEntry } from '../../core/compute/network-acl.js';
import { ConflictError, GuardError, InputError, asError } from '../../core/errors.js';
import { readInputs } from '../../core/inputs.js';
import { contains, formatCidr, overlaps, parseCidrLoose, type Cidr } from '../../core/ip/cidr.js';
import { assertNoProtectedOverlap, toProtectedRanges } from '../../core/ip/guard.js';
import { checkCidr } from '../../core/ip/parse-addresses.js';
import type { Change, Outcome, Plan, Unchanged } from '../../core/plan.js';
import { clipText } from '../../core/redact.js';
import type { StepContext, StepDefinition } from '../../core/step.js';
import { parseTarget, type TargetRef } from '../../core/target.js';
import { ISOLATE_KINDS, isolateInputs, releaseInputs } from './inputs.js';
import { TAG, type IngressRule, type IsolatePorts, type TaskInfo } from './ports.js';

/**
 * isolate and release: take a suspect out of service without destroying what it can tell, and put
 * it back exactly as it was.
 *
 *   aws:instance      snapshot every volume (tagged with the incident) → record the original groups
 *                     on the instance → swap them for the kit's quarantine group. Release restores
 *                     the recorded groups and drops the record.
 *   aws:ecs-task      capture DescribeTasks, ListTagsForResource and the awslogs streams into the
 *                     evidence bucket (StopTask deletes tags) → StopTask with the reason. A stopped
 *                     task cannot be released: its service starts a replacement.
 *   aws:security-group  revoke the ingress rules that allow `cidr` (recorded on the group, so
 *                     release re-authorizes exactly those, descriptions included).
 *   aws:network-acl   add an ingress deny for `cidr` numbered below the lowest allow (recorded on
 *                     the ACL); release deletes exactly that entry.
 *
 * The destructive half never runs when the capture half did not: a failed snapshot or evidence put
 * skips the swap or stop. With `capture` off, a capture of the resource must be on record in this
 * incident (src/core/compute/evidence-capture.ts), else the guard EVIDENCE_NOT_CAPTURED refuses.
 * Re-runs converge: snapshots and evidence files of this incident are found and reused, an
 * isolated instance or stopped task is reported as already so.
 */

export type IsolateKind = 'instance' | 'ecs-task' | 'security-group' | 'network-acl';
export type IsolateMode = 'isolate' | 'release';

export interface IsolateInput {
  mode: IsolateMode;
  target: TargetRef;
  reason: string;
  cidr: Cidr | undefined;
  protocol: 'all' | 'tcp' | 'udp';
  fromPort: number | undefined;
  toPort: number | undefined;
  capture: boolean;
  detach: boolean;
}

interface RevokeRecord {
  tagKey: string;
  descKey: string | undefined;
  rule: Omit<IngressRule, 'ruleId'>;
}

export interface IsolateMeta {
  mode: IsolateMode;
  kind: IsolateKind;
  /** Canonical target without scope: what outcomes name, and what evidence records are matched on. */
  resource: string;
  evidence: { needed: boolean; capturing: boolean; onRecord: CaptureFound | null; sources: string[] };
  instance?: {
    id: string;
    quarantine: string;
    groups: string[];
    originals: string[];
    snapshot: string[];
    recordGroups: boolean;
    swap: boolean;
    clearRecord: boolean;
    /** isolate: the Auto Scaling group to detach from; release: the one to attach back to. */
    autoScalingGroup?: string | undefined;
    detach?: boolean;
    reattach?: boolean;
  };
  task?: { cluster: string; arn: string; capture: boolean; stop: boolean; keyPrefix: string };
  group?: { id: string; revoke: Array<IngressRule & { tagKey: string; descKey: string | undefined }>; restore: Array<RevokeRecord & { present: boolean }> };
  acl?: { id: string; add?: { ruleNumber: number; tagKey: string; staleTagKey?: string | undefined }; remove: Array<{ ruleNumber: number; tagKey: string; present: boolean }> };
}

const KIND_OF: Record<string, IsolateKind> = { instance: 'instance', 'ecs-task': 'ecs-task', 'security-group': 'security-group', 'network-acl': 'network-acl' };
/** How many recent log events per container a task capture keeps (GetLogEvents answers at most 10,000). */
export const TASK_LOG_EVENTS = 1000;

function parseWith(mode: IsolateMode, raw: Record<string, unknown>): IsolateInput {
  const v = mode === 'isolate' ? readInputs(isolateInputs, raw) : { ...readInputs(releaseInputs, raw), capture: false, detach: false };
  const target = parseTarget(v.target, { kinds: ISOLATE_KINDS });
  const kind = KIND_OF[target.kind]!;
  const network = kind === 'security-group' || kind === 'network-acl';
  const protocol = v.protocol as IsolateInput['protocol'];
  if (!network) {
    if (v.cidr || v.ports || protocol !== 'all') throw new InputError(`cidr, protocol and ports apply to security-group and network-acl targets, not to ${target.kind}`, { field: 'cidr', code: 'INPUT_CONFLICT' });
    return { mode, target, reason: v.reason, cidr: undefined, protocol, fromPort: undefined, toPort: undefined, capture: v.capture, detach: v.detach };
  }
  if (!v.cidr) throw new InputError(`a ${target.kind} target needs cidr: the source range to ${mode === 'isolate' ? 'block' : 'release'}`, { field: 'cidr', code: 'INPUT_MISSING' });
  const cidr = checkCidr(v.cidr.trim());
  if ('code' in cidr) {
    // "Every address" is a guard no override passes, the same refusal block-ips gives.
    if (cidr.code === 'ALL_ADDRESSES') throw new GuardError(`cidr: ${cidr.message}`, { code: 'ALL_ADDRESSES' });
    throw new InputError(`cidr: ${cidr.message}`, { field: 'cidr', code: cidr.code });
  }
  let fromPort: number | undefined;
  let toPort: number | undefined;
  if (v.ports) {
    if (protocol === 'all') throw new InputError('ports need protocol tcp or udp (protocol all covers every port)', { field: 'ports', code: 'INPUT_CONFLICT' });
    const m = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(v.ports.trim());
    const a = m ? Number(m[1]) : NaN;
    const b = m?.[2] !== undefined ? Number(m[2]) : a;
    if (!m || a > 65535 || b > 65535 || b < a) throw new InputError(`ports: "${v.ports}" is not a port (0-65535) or a range low-high`, { field: 'ports', code: 'INPUT_INVALID' });
    fromPort = a;
    toPort = b;
  } else if (protocol !== 'all') {
    fromPort = 0;
    toPort = 65535;
  }
  return { mode, target, reason: v.reason, cidr, protocol, fromPort, toPort, capture: false, detach: false };
}

function resourceOf(t: TargetRef): string {
  return `${t.provider}:${t.kind}:${t.id}`;
}

function requireIncident(ctx: StepContext): string {
  if (!ctx.incidentId) throw new InputError('isolate and release act inside an incident: give its id (--incident INC-… or the incident-id input)', { field: 'incident-id', code: 'INCIDENT_ID_MISSING' });
  return ctx.incidentId;
}

async function evidenceOnRecord(ports: IsolatePorts, incidentId: string, names: string[]): Promise<CaptureFound | null> {
  return findEvidenceCapture(await ports.trail.recordsFor(incidentId), incidentId, names) ?? null;
}

function makeStep(mode: IsolateMode): StepDefinition<IsolateInput, IsolatePorts, IsolateMeta> {
  const name = mode;
  return {
    name,
    description:
      mode === 'isolate'
        ? 'Isolate compute (quarantine an instance, stop a task, evidence first) or block a source below the edge (security group, network ACL)'
        : 'Release what isolate did: restore an instance’s original groups, re-authorize revoked ingress, remove a network ACL deny',
    parse: (raw) => parseWith(mode, raw),

    async plan(input, ports, ctx) {
      const incidentId = requireIncident(ctx);
      const kind = KIND_OF[input.target.kind]!;
      const resource = resourceOf(input.target);
      const base = { mode, kind, resource, evidence: { needed: false, capturing: false, onRecord: null, sources: [...ports.trail.sources] } };
      const acc: Acc = { changes: [], unchanged: [], warnings: [] };
      let meta: IsolateMeta;
      if (kind === 'instance') meta = await planInstance(input, ports, incidentId, { ...base }, acc);
      else if (kind === 'ecs-task') meta = await planTask(input, ports, incidentId, { ...base }, acc);
      else if (kind === 'security-group') meta = await planGroup(input, ports, { ...base }, acc);
      else meta = await planAcl(input, ports, incidentId, { ...base }, acc);
      return { step: name, changes: acc.changes, unchanged: acc.unchanged, warnings: acc.warnings, meta };
    },

    guard(plan) {
      const meta = plan.meta!;
      const e = meta.evidence;
      if (plan.changes.length === 0 || !e.needed || e.capturing || e.onRecord) return;
      throw new GuardError(
        `refused: ${meta.resource} would lose evidence (${meta.kind === 'ecs-task' ? 'StopTask ends the process and deletes its tags' : 'the swap cuts the connections under observation'}) and no capture of it is on record in this incident (read: ${e.sources.join(', ') || 'no audit trail'})`,
        {
          code: 'EVIDENCE_NOT_CAPTURED',
          hint: 'Run with capture on (the default), or capture it with preserve-evidence first; or override EVIDENCE_NOT_CAPTURED with a reason (--override-guard EVIDENCE_NOT_CAPTURED --override-reason TEXT). Nothing was changed.',
        },
      );
    },

    async apply(plan, input, ports, ctx) {
      const meta = plan.meta!;
      const out = (action: string, subject: string, status: Outcome['status'], reason?: string): Outcome => ({
        target: meta.resource,
        action,
        subject,
        status,
        ...(reason ? { reason: ctx.redactor.scrub(reason) } : {}),
      });
      const why = (e: unknown) => ctx.redactor.scrub(asError(e).message);
      if (meta.instance) return applyInstance(meta, input, ports, ctx, out, why);
      if (meta.task) return applyTask(meta, input, ports, ctx, out, why);
      if (meta.group) return applyGroup(meta, input, ports, ctx, out, why);
      return applyAcl(meta, input, ports, ctx, out, why);
    },

    async verify(plan, outcomes, input, ports, ctx) {
      const meta = plan.meta!;
      const fail = (o: Outcome, reason: string): Outcome => ({ ...o, status: 'failed', reason: ctx.redactor.scrub(reason) });
      try {
        if (meta.instance) {
          const i = await ports.compute.describeInstance(meta.instance.id);
          const now = i?.groups ?? [];
          const want = mode === 'isolate' ? [meta.instance.quarantine] : meta.instance.originals;
          return outcomes.map((o) => ((o.action === 'quarantine' || o.action === 'restore') && o.status === 'applied' && !sameSet(now, want) ? fail(o, `read back: the instance's groups are ${now.join(' ') || 'none'}, expected ${want.join(' ')}`) : o));
        }
        if (meta.task && mode === 'isolate') {
          const t = await ports.compute.describeTask(meta.task.cluster, meta.task.arn);
          const desired = (t?.raw as { desiredStatus?: string } | undefined)?.desiredStatus;
          return outcomes.map((o) => (o.action === 'stop' && o.status === 'applied' && t && desired !== 'STOPPED' ? fail(o, `read back: the task's desired status is ${desired ?? 'unknown'}, not STOPPED`) : o));
        }
        if (meta.acl) {
          const acl = await ports.compute.describeAcl(meta.acl.id);
          return outcomes.map((o) => {
            if (o.status !== 'applied') return o;
            const n = Number(o.subject.replace(/^rule /, ''));
            const entry = acl?.entries.find((e) => !e.egress && e.ruleNumber === n);
            if (o.action === 'deny' && entry?.action !== 'deny') return fail(o, `read back: rule ${n} is not a deny entry`);
            if (o.action === 'remove' && entry) return fail(o, `read back: rule ${n} is still there`);
            return o;
          });
        }
      } catch (e) {
        return outcomes.map((o) => (o.status === 'applied' ? fail(o, `${o.reason ?? ''}; read back failed: ${asError(e).message}`) : o));
      }
      return outcomes;
    },
  };
}

export const isolateStep = makeStep('isolate');
export const releaseStep = makeStep('release');

interface Acc {
  changes: Change[];
  unchanged: Unchanged[];
  warnings: string[];
}

type Out = (action: string, subject: string, status: Outcome['status'], reason?: string) => Outcome;
type Why = (e: unknown) => string;

// ---------------------------------------------------------------- instances

async function planInstance(input: IsolateInput, ports: IsolatePorts, incidentId: string, meta: IsolateMeta, acc: Acc): Promise<IsolateMeta> {
  const id = input.target.id;
  const inst = await ports.compute.describeInstance(id);
  if (!inst) throw new InputError(`instance ${id} does not exist in this account and region`, { field: 'target', code: 'TARGET_NOT_FOUND' });
  if (inst.state === 'terminated' || inst.state === 'shutting-down') throw new InputError(`instance ${id} is ${inst.state}: there is nothing left to isolate or release`, { field: 'target', code: 'TARGET_GONE' });
  if (inst.interfaceCount > 1) {
    throw new InputError(`instance ${id} has ${inst.interfaceCount} network interfaces; isolate swaps the groups of an instance with exactly one`, {
      field: 'target',
      code: 'MULTIPLE_INTERFACES',
      hint: 'Detach the extra interfaces, or set the quarantine group on each interface by hand (aws ec2 modify-network-interface-attribute --groups).',
    });
  }
  const quarantine = ports.quarantineGroupId;
  if (!quarantine) {
    throw new InputError('the kit has no quarantine security group (FIREBREAK_QUARANTINE_SG_ID is not set)', {
      field: 'FIREBREAK_QUARANTINE_SG_ID',
      code: 'KIT_MISSING',
      hint: 'Set aws.quarantineVpcId in the kit config and run `pulumi up`: it creates the group and writes the variable.',
    });
  }
  const groups = inst.groups;
  const recorded = (inst.tags[TAG.originalGroups] ?? '').split(' ').filter(Boolean);
  const isolated = groups.length === 1 && groups[0] === quarantine;
  const info: NonNullable<IsolateMeta['instance']> = { id, quarantine, groups, originals: recorded, snapshot: [], recordGroups: false, swap: false, clearRecord: false };
  const inGroup = await ports.compute.autoScalingGroupOf(id);

  if (meta.mode === 'release') {
    if (recorded.length === 0) {
      if (isolated) {
        throw new InputError(`instance ${id} carries only the quarantine group but no record of its original groups (${TAG.originalGroups}); firebreak did not isolate it, so it cannot restore it`, {
          field: 'target',
          code: 'NO_ORIGINAL_GROUPS',
          hint: 'Restore the groups by hand from the incident record or the change history (CloudTrail ModifyInstanceAttribute).',
        });
      }
      acc.unchanged.push({ target: meta.resource, subject: id, reason: `not isolated: groups ${groups.join(' ')}` });
      return { ...meta, instance: info };
    }
    const detachedFrom = inst.tags[TAG.autoScalingGroup];
    const reattach = detachedFrom !== undefined && detachedFrom !== '' && inGroup === undefined;
    if (reattach) info.autoScalingGroup = detachedFrom;
    if (sameSet(groups, recorded)) {
      info.clearRecord = true;
      info.reattach = reattach;
      if (reattach) acc.changes.push({ target: meta.resource, action: 'reattach', subject: detachedFrom, detail: { instance: id } });
      acc.changes.push({ target: meta.resource, action: 'clear-record', subject: id, detail: { groups: recorded } });
      acc.unchanged.push({ target: meta.resource, subject: `${id} groups`, reason: `already released: groups are ${recorded.join(' ')}` });
      return { ...meta, instance: info };
    }
    if (!isolated) {
      throw new ConflictError(`instance ${id}: its groups are ${groups.join(' ')}, neither the quarantine group ${quarantine} nor the recorded originals ${recorded.join(' ')}; someone changed them since isolation. Nothing was changed.`, {
        code: 'GROUPS_CHANGED',
        hint: `Decide which groups it should have; to restore the recorded ones, set the quarantine group again (or the originals by hand) and re-run release.`,
      });
    }
    info.swap = true;
    info.clearRecord = true;
    info.reattach = reattach;
    acc.changes.push({ target: meta.resource, action: 'restore', subject: id, detail: { from: groups, to: recorded } });
    if (reattach) {
      acc.changes.push({ target: meta.resource, action: 'reattach', subject: detachedFrom, detail: { instance: id } });
      acc.warnings.push(`Attaching ${id} back to ${detachedFrom} raises its desired capacity by one (the replacement it launched stays); lower it afterwards if needed.`);
    }
    acc.changes.push({ target: meta.resource, action: 'clear-record', subject: id, detail: { tags: [TAG.originalGroups, TAG.isolated, TAG.autoScalingGroup] } });
    return { ...meta, instance: info };
  }

  const quarantineVpc = await ports.compute.describeGroupVpc(quarantine);
  if (!quarantineVpc) throw new InputError(`the kit's quarantine group ${quarantine} does not exist in this account and region`, { field: 'FIREBREAK_QUARANTINE_SG_ID', code: 'KIT_MISSING' });
  if (quarantineVpc !== inst.vpcId) {
    throw new InputError(`instance ${id} is in ${inst.vpcId ?? 'no VPC'}, the quarantine group ${quarantine} in ${quarantineVpc}; a group only attaches within its VPC`, {
      field: 'target',
      code: 'QUARANTINE_OTHER_VPC',
      hint: 'Provision a quarantine group in that VPC (a second QuarantineSecurityGroup in the kit), or isolate at the network ACL.',
    });
  }
  const existing = await ports.compute.incidentSnapshots(incidentId, id);
  for (const volume of inst.volumes) {
    const snap = existing.find((s) => s.volumeId === volume && s.state !== 'error');
    if (snap) acc.unchanged.push({ target: meta.resource, subject: volume, reason: `snapshot ${snap.id} of this incident already taken (${snap.state})` });
    else if (input.capture) {
      info.snapshot.push(volume);
      acc.changes.push({ target: meta.resource, action: 'snapshot', subject: volume, detail: { instance: id, incident: incidentId } });
    }
  }
  const covered = inst.volumes.length > 0 && inst.volumes.every((v) => info.snapshot.includes(v) || existing.some((s) => s.volumeId === v && s.state !== 'error'));
  if (inGroup && input.detach) {
    info.autoScalingGroup = inGroup.group;
    info.detach = true;
  } else if (inGroup) {
    acc.warnings.push(`Instance ${id} stays in Auto Scaling group ${inGroup.group} (detach off): a failing health check behind the quarantine group may get it replaced, and its memory with it.`);
  }
  if (isolated) {
    if (info.detach) {
      info.recordGroups = inst.tags[TAG.autoScalingGroup] !== inGroup!.group;
      if (info.recordGroups) acc.changes.push({ target: meta.resource, action: 'record-groups', subject: id, detail: { tag: TAG.autoScalingGroup, autoScalingGroup: inGroup!.group } });
      acc.changes.push({ target: meta.resource, action: 'detach', subject: inGroup!.group, detail: { shouldDecrementDesiredCapacity: false } });
      info.originals = recorded;
    }
    acc.unchanged.push({ target: meta.resource, subject: id, reason: `already isolated: only the quarantine group ${quarantine} is attached` });
    if (recorded.length === 0) acc.warnings.push(`Instance ${id} carries the quarantine group but no ${TAG.originalGroups} record: release will not be able to restore its groups.`);
    return { ...meta, instance: info };
  }
  if (inst.volumes.length === 0) acc.warnings.push(`Instance ${id} has no EBS volume to snapshot (instance store only): nothing on disk is preserved by this step.`);
  info.originals = [...groups];
  info.recordGroups = !sameList(recorded, groups) || inst.tags[TAG.isolated] !== incidentId || (info.detach === true && inst.tags[TAG.autoScalingGroup] !== inGroup!.group);
  info.swap = true;
  if (info.recordGroups) acc.changes.push({ target: meta.resource, action: 'record-groups', subject: id, detail: { tag: TAG.originalGroups, groups, ...(info.detach ? { autoScalingGroup: inGroup!.group } : {}) } });
  if (info.detach) acc.changes.push({ target: meta.resource, action: 'detach', subject: inGroup!.group, detail: { shouldDecrementDesiredCapacity: false } });
  acc.changes.push({ target: meta.resource, action: 'quarantine', subject: id, detail: { from: groups, to: [quarantine] } });
  const onRecord = covered ? null : await evidenceOnRecord(ports, incidentId, [meta.resource, id]);
  return { ...meta, instance: info, evidence: { ...meta.evidence, needed: true, capturing: covered, onRecord } };
}

async function applyInstance(meta: IsolateMeta, input: IsolateInput, ports: IsolatePorts, ctx: StepContext, out: Out, why: Why): Promise<Outcome[]> {
  const i = meta.instance!;
  const outcomes: Outcome[] = [];
  const incidentId = ctx.incidentId!;
  let captureFailed = false;
  for (const volume of i.snapshot) {
    try {
      const snap = await ports.compute.createSnapshot(volume, clipText(`firebreak ${incidentId}: isolate ${i.id}: ${input.reason}`, 255), {
        [TAG.incident]: incidentId,
        [TAG.instance]: i.id,
        [TAG.volume]: volume,
      });
      outcomes.push(out('snapshot', volume, 'applied', `snapshot ${snap} started`));
    } catch (e) {
      captureFailed = true;
      outcomes.push(out('snapshot', volume, 'failed', `no snapshot: ${why(e)}`));
    }
  }
  const later = (action: string, subject: string, reason: string) => outcomes.push(out(action, subject, 'skipped', reason));
  if (captureFailed) {
    if (i.recordGroups) later('record-groups', i.id, 'not started: a snapshot failed');
    if (i.detach) later('detach', i.autoScalingGroup ?? '', 'not started: a snapshot failed');
    later(meta.mode === 'isolate' ? 'quarantine' : 'restore', i.id, 'not isolated: a snapshot failed, and swapping groups first would lose what it should have kept. Re-run: snapshots taken are reused.');
    return outcomes;
  }
  if (meta.mode === 'release') {
    if (i.swap) {
      try {
        await ports.compute.setInstanceGroups(i.id, i.originals);
        outcomes.push(out('restore', i.id, 'applied', `groups ${i.originals.join(' ')} restored (quarantine ${i.quarantine} removed)`));
      } catch (e) {
        outcomes.push(out('restore', i.id, 'failed', `still quarantined: ${why(e)}`));
        later('clear-record', i.id, 'kept: the groups were not restored');
        return outcomes;
      }
    }
    if (i.reattach && i.autoScalingGroup) {
      try {
        await ports.compute.attachToGroup(i.id, i.autoScalingGroup);
        outcomes.push(out('reattach', i.autoScalingGroup, 'applied', `${i.id} attached back to ${i.autoScalingGroup} (its desired capacity grew by one)`));
      } catch (e) {
        outcomes.push(out('reattach', i.autoScalingGroup, 'failed', `not attached back: ${why(e)}. Re-run release: the record is kept.`));
        later('clear-record', i.id, 'kept: the instance is not back in its Auto Scaling group');
        return outcomes;
      }
    }
    try {
      await ports.compute.untagResource(i.id, [TAG.originalGroups, TAG.isolated, TAG.autoScalingGroup]);
      outcomes.push(out('clear-record', i.id, 'applied', `${TAG.originalGroups} removed`));
    } catch (e) {
      outcomes.push(out('clear-record', i.id, 'failed', `groups restored, but the record tags stay: ${why(e)}. Re-run to finish.`));
    }
    return outcomes;
  }
  if (i.recordGroups) {
    const record: Record<string, string> = {
      [TAG.isolated]: incidentId,
      ...(i.originals.length ? { [TAG.originalGroups]: i.originals.join(' ') } : {}),
      ...(i.detach && i.autoScalingGroup ? { [TAG.autoScalingGroup]: i.autoScalingGroup } : {}),
    };
    try {
      await ports.compute.tagResource(i.id, record);
      outcomes.push(out('record-groups', i.id, 'applied', `recorded on the instance: ${Object.entries(record).map(([k, v]) => `${k}=${v}`).join(', ')}`));
    } catch (e) {
      outcomes.push(out('record-groups', i.id, 'failed', `not recorded: ${why(e)}`));
      if (i.detach) later('detach', i.autoScalingGroup ?? '', 'not detached: without the record release could not attach it back');
      if (i.swap) later('quarantine', i.id, 'not isolated: without the record release could not restore the groups');
      return outcomes;
    }
  }
  if (i.detach && i.autoScalingGroup) {
    try {
      await ports.compute.detachFromGroup(i.id, i.autoScalingGroup);
      outcomes.push(out('detach', i.autoScalingGroup, 'applied', `${i.id} detached (the group launches a replacement; the instance left its target groups and load balancers)`));
    } catch (e) {
      outcomes.push(out('detach', i.autoScalingGroup, 'failed', `still in the group: ${why(e)}`));
      if (i.swap) later('quarantine', i.id, 'not isolated: quarantined inside its Auto Scaling group it would fail health checks and be replaced (terminated). Re-run: the snapshots and the record are reused.');
      return outcomes;
    }
  }
  if (!i.swap) return outcomes;
  try {
    const now = await ports.compute.describeInstance(i.id);
    const groups = now?.groups ?? [];
    if (!sameSet(groups, i.originals)) {
      outcomes.push(out('quarantine', i.id, 'failed', `the groups changed since the plan (now ${groups.join(' ') || 'none'}); nothing swapped. Re-run to plan again.`));
      return outcomes;
    }
    await ports.compute.setInstanceGroups(i.id, [i.quarantine]);
    outcomes.push(out('quarantine', i.id, 'applied', `groups ${i.originals.join(' ')} replaced by quarantine ${i.quarantine}`));
  } catch (e) {
    outcomes.push(out('quarantine', i.id, 'failed', `not isolated: ${why(e)}. Re-run: the snapshots and the record are reused.`));
  }
  return outcomes;
}

// ---------------------------------------------------------------- tasks

async function planTask(input: IsolateInput, ports: IsolatePorts, incidentId: string, meta: IsolateMeta, acc: Acc): Promise<IsolateMeta> {
  const [cluster, taskId] = input.target.id.split('/') as [string, string];
  if (meta.mode === 'release') {
    throw new InputError(`a stopped ECS task cannot be started again: its service (if any) replaces it. Nothing to release for ${meta.resource}`, {
      field: 'target',
      code: 'RELEASE_NOT_POSSIBLE',
      hint: 'Use restart-service to scale or restart the service.',
    });
  }
  const task = await ports.compute.describeTask(cluster, taskId);
  if (!task) throw new InputError(`task ${taskId} does not exist in cluster ${cluster} (or is long gone: ECS keeps stopped tasks about an hour)`, { field: 'target', code: 'TARGET_NOT_FOUND' });
  const desired = (task.raw as { desiredStatus?: string }).desiredStatus;
  const keyPrefix = ports.evidence ? `${ports.evidence.prefix}${incidentId}/isolate/ecs-task/${cluster}/${taskId}/` : '';
  const info = { cluster, arn: task.arn, capture: false, stop: false, keyPrefix };
  if (task.lastStatus === 'STOPPED' || desired === 'STOPPED') {
    acc.unchanged.push({ target: meta.resource, subject: task.arn, reason: `already stopped (last status ${task.lastStatus}, desired ${desired ?? 'unknown'})` });
    return { ...meta, task: info };
  }
  if (input.capture) {
    if (!ports.evidence) {
      throw new InputError('the kit has no evidence bucket (FIREBREAK_EVIDENCE_BUCKET is not set): the task cannot be captured before it is stopped', {
        field: 'FIREBREAK_EVIDENCE_BUCKET',
        code: 'KIT_MISSING',
        hint: 'Provision the evidence store, or run with capture off once a capture of this task is on record.',
      });
    }
    info.capture = true;
    acc.changes.push({ target: meta.resource, action: 'capture', subject: task.arn, detail: { into: `${ports.evidence.location}${keyPrefix}`, files: ['task.json', 'tags.json', 'logs.json (when awslogs is configured)'] } });
  }
  info.stop = true;
  acc.changes.push({ target: meta.resource, action: 'stop', subject: task.arn, detail: { reason: input.reason } });
  const onRecord = info.capture ? null : await evidenceOnRecord(ports, incidentId, [meta.resource, taskId, task.arn]);
  return { ...meta, task: info, evidence: { ...meta.evidence, needed: true, capturing: info.capture, onRecord } };
}

async function applyTask(meta: IsolateMeta, input: IsolateInput, ports: IsolatePorts, ctx: StepContext, out: Out, why: Why): Promise<Outcome[]> {
  const t = meta.task!;
  const outcomes: Outcome[] = [];
  if (t.capture) {
    try {
      const task = await ports.compute.describeTask(t.cluster, t.arn);
      if (!task) throw new Error('the task disappeared before its capture');
      const files = await captureTask(task, t.keyPrefix, ports, ctx);
      const written = files.filter((f) => f.result === 'written').length;
      outcomes.push(out('capture', t.arn, written > 0 ? 'applied' : 'already', files.map((f) => `${f.uri} (${f.result})`).join('; ')));
    } catch (e) {
      outcomes.push(out('capture', t.arn, 'failed', `evidence not captured: ${why(e)}`));
      outcomes.push(out('stop', t.arn, 'skipped', 'not stopped: the capture failed, and StopTask would delete its tags. Re-run: files already written are kept.'));
      return outcomes;
    }
  }
  try {
    await ports.compute.stopTask(t.cluster, t.arn, clipText(`firebreak ${ctx.incidentId}: ${input.reason}`, 255));
    outcomes.push(out('stop', t.arn, 'applied', 'StopTask sent (SIGTERM, then SIGKILL after the stop timeout)'));
  } catch (e) {
    outcomes.push(out('stop', t.arn, 'failed', `still running: ${why(e)}. Re-run: the capture is reused.`));
  }
  return outcomes;
}

async function captureTask(task: TaskInfo, keyPrefix: string, ports: IsolatePorts, ctx: StepContext): Promise<Array<{ uri: string; result: 'written' | 'exists' }>> {
  const evidence = ports.evidence!;
  const capturedAt = ctx.clock.now().toISOString();
  const header = { incidentId: ctx.incidentId, capturedAt, capturedBy: ctx.actor, runUrl: ctx.runUrl, task: task.arn };
  const files: Array<{ name: string; body: unknown }> = [
    { name: 'task.json', body: { ...header, source: 'ecs:DescribeTasks', describeTasks: task.raw } },
    { name: 'tags.json', body: { ...header, source: 'ecs:ListTagsForResource', tags: await ports.compute.taskTags(task.arn) } },
  ];
  const streams = await ports.compute.taskLogStreams(task);
  if (streams.length > 0) {
    const logs = [];
    for (const s of streams) logs.push({ ...s, events: await ports.compute.logEvents(s, TASK_LOG_EVENTS) });
    files.push({ name: 'logs.json', body: { ...header, source: 'logs:GetLogEvents', limitPerStream: TASK_LOG_EVENTS, streams: logs } });
  }
  const results = [];
  for (const f of files) {
    const key = `${keyPrefix}${f.name}`;
    // The run's own credentials never reach the evidence; everything else is kept as AWS gave it.
    results.push({ uri: `${evidence.location}${key}`, result: await evidence.putOnce(key, ctx.redactor.scrub(`${JSON.stringify(f.body, null, 2)}\n`)) });
  }
  return results;
}

// ---------------------------------------------------------------- security groups

function ruleSpec(r: Omit<IngressRule, 'ruleId' | 'description'>): string {
  return `${r.protocol} ${r.fromPort ?? '-'} ${r.toPort ?? '-'} ${r.cidr}`;
}

function parseRuleSpec(text: string): Omit<IngressRule, 'ruleId' | 'description'> | undefined {
  const m = /^(\S+) (-|\d+) (-|\d+) (\S+)$/.exec(text);
  if (!m) return undefined;
  return { protocol: m[1]!, fromPort: m[2] === '-' ? undefined : Number(m[2]), toPort: m[3] === '-' ? undefined : Number(m[3]), cidr: m[4]! };
}

function shortHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 12);
}

function sameCidr(text: string, cidr: Cidr): boolean {
  const c = parseCidrLoose(text);
  return c !== undefined && c.family === cidr.family && c.prefix === cidr.prefix && c.base === cidr.base;
}

function matchesTraffic(r: { protocol: string; fromPort: number | undefined; toPort: number | undefined }, input: IsolateInput): boolean {
  if (input.protocol === 'all' && input.fromPort === undefined) return true;
  return r.protocol === input.protocol && r.fromPort === input.fromPort && r.toPort === input.toPort;
}

function guardRange(input: IsolateInput, ports: IsolatePorts): Cidr {
  const cidr = input.cidr!;
  assertNoProtectedOverlap([cidr], toProtectedRanges(ports.protectedRanges));
  return cidr;
}

async function planGroup(input: IsolateInput, ports: IsolatePorts, meta: IsolateMeta, acc: Acc): Promise<IsolateMeta> {
  const id = input.target.id;
  const cidr = input.mode === 'isolate' ? guardRange(input, ports) : input.cidr!;
  const tags = await ports.compute.groupTags(id);
  if (!tags) throw new InputError(`security group ${id} does not exist in this account and region`, { field: 'target', code: 'TARGET_NOT_FOUND' });
  const rules = await ports.compute.ingressRules(id);
  const info: NonNullable<IsolateMeta['group']> = { id, revoke: [], restore: [] };
  const shown = formatCidr(cidr);
  if (input.mode === 'isolate') {
    for (const r of rules.filter((r) => sameCidr(r.cidr, cidr) && matchesTraffic(r, input))) {
      const spec = ruleSpec(r);
      const h = shortHash(spec);
      info.revoke.push({ ...r, tagKey: `${TAG.revokedPrefix}${h}`, descKey: r.description ? `${TAG.revokedDescPrefix}${h}` : undefined });
      acc.changes.push({ target: meta.resource, action: 'revoke', subject: spec, detail: { ruleId: r.ruleId, ...(r.description ? { description: r.description } : {}) } });
    }
    if (info.revoke.length === 0) acc.unchanged.push({ target: meta.resource, subject: shown, reason: `no ingress rule of ${id} allows ${shown}${input.protocol === 'all' ? '' : ` ${input.protocol} ${input.fromPort}-${input.toPort}`} (already revoked)` });
    const wider = rules.filter((r) => !info.revoke.some((x) => x.ruleId === r.ruleId)).filter((r) => {
      const c = parseCidrLoose(r.cidr);
      return c !== undefined && c.family === cidr.family && (contains(c, cidr) || overlaps(c, cidr));
    });
    if (wider.length) acc.warnings.push(`Traffic from ${shown} is still allowed by ${wider.map((r) => `${ruleSpec(r)} (${r.ruleId})`).join(', ')}: revoking only the exact rules does not block it. Use the network ACL target to deny it.`);
    return { ...meta, group: info };
  }
  for (const [key, value] of Object.entries(tags)) {
    if (!key.startsWith(TAG.revokedPrefix)) continue;
    const rule = parseRuleSpec(value);
    if (!rule || !sameCidr(rule.cidr, cidr) || !matchesTraffic(rule, input)) continue;
    const descKey = `${TAG.revokedDescPrefix}${key.slice(TAG.revokedPrefix.length)}`;
    const description = tags[descKey];
    const present = rules.some((r) => ruleSpec(r) === ruleSpec(rule));
    info.restore.push({ tagKey: key, descKey: description === undefined ? undefined : descKey, rule: { ...rule, description }, present });
    acc.changes.push({ target: meta.resource, action: present ? 'clear-record' : 'authorize', subject: value, detail: description ? { description } : undefined });
  }
  if (info.restore.length === 0) acc.unchanged.push({ target: meta.resource, subject: shown, reason: `nothing revoked by firebreak for ${shown} on ${id}` });
  return { ...meta, group: info };
}

async function applyGroup(meta: IsolateMeta, input: IsolateInput, ports: IsolatePorts, ctx: StepContext, out: Out, why: Why): Promise<Outcome[]> {
  const g = meta.group!;
  const outcomes: Outcome[] = [];
  if (input.mode === 'isolate') {
    const record: Record<string, string> = {};
    for (const r of g.revoke) {
      record[r.tagKey] = ruleSpec(r);
      if (r.descKey) record[r.descKey] = r.description!;
    }
    try {
      // The record first: a revoke without it could not be released exactly.
      await ports.compute.tagResource(g.id, record);
    } catch (e) {
      return g.revoke.map((r) => out('revoke', ruleSpec(r), 'failed', `nothing revoked: the record for release could not be written: ${why(e)}`));
    }
    try {
      await ports.compute.revokeIngress(g.id, g.revoke.map((r) => r.ruleId));
      return g.revoke.map((r) => out('revoke', ruleSpec(r), 'applied', `rule ${r.ruleId} revoked; recorded as ${r.tagKey}`));
    } catch (e) {
      return g.revoke.map((r) => out('revoke', ruleSpec(r), 'failed', `not revoked: ${why(e)}. Re-run to converge.`));
    }
  }
  for (const r of g.restore) {
    const spec = ruleSpec(r.rule);
    if (!r.present) {
      try {
        await ports.compute.authorizeIngress(g.id, r.rule);
      } catch (e) {
        outcomes.push(out('authorize', spec, 'failed', `not re-authorized: ${why(e)}`));
        continue;
      }
    }
    try {
      await ports.compute.untagResource(g.id, [r.tagKey, ...(r.descKey ? [r.descKey] : [])]);
      outcomes.push(out(r.present ? 'clear-record' : 'authorize', spec, 'applied', r.present ? 'the rule was already back; record removed' : `re-authorized${r.rule.description ? ` with its description` : ''}`));
    } catch (e) {
      outcomes.push(out(r.present ? 'clear-record' : 'authorize', spec, r.present ? 'failed' : 'applied', r.present ? `record not removed: ${why(e)}` : `re-authorized; the record stays (${why(e)}), a re-run removes it`));
    }
  }
  void ctx;
  return outcomes;
}

// ---------------------------------------------------------------- network ACLs

function denySpec(cidr: string, input: { protocol: string; fromPort: number | undefined; toPort: number | undefined }): string {
  return `${cidr} ${input.protocol} ${input.fromPort === undefined ? 'all' : `${input.fromPort}-${input.toPort}`}`;
}

function parseDenySpec(text: string): { cidr: string; protocol: string; fromPort: number | undefined; toPort: number | undefined } | undefined {
  const m = /^(\S+) (\S+) (all|(\d+)-(\d+))(?: .*)?$/.exec(text);
  if (!m) return undefined;
  return { cidr: m[1]!, protocol: m[2]!, fromPort: m[4] === undefined ? undefined : Number(m[4]), toPort: m[5] === undefined ? undefined : Number(m[5]) };
}

function entryMatches(e: NaclEntry, cidr: Cidr, input: IsolateInput): boolean {
  return !e.egress && e.action === 'deny' && e.cidr !== undefined && sameCidr(e.cidr, cidr) && e.protocol === input.protocol && (input.protocol === 'all' || (e.fromPort === input.fromPort && e.toPort === input.toPort));
}

async function planAcl(input: IsolateInput, ports: IsolatePorts, incidentId: string, meta: IsolateMeta, acc: Acc): Promise<IsolateMeta> {
  const id = input.target.id;
  const cidr = input.mode === 'isolate' ? guardRange(input, ports) : input.cidr!;
  const acl = await ports.compute.describeAcl(id);
  if (!acl) throw new InputError(`network ACL ${id} does not exist in this account and region`, { field: 'target', code: 'TARGET_NOT_FOUND' });
  const spec = denySpec(formatCidr(cidr), input);
  const ours = Object.entries(acl.tags)
    .filter(([k]) => k.startsWith(TAG.denyPrefix))
    .map(([k, v]) => ({ tagKey: k, ruleNumber: Number(k.slice(TAG.denyPrefix.length)), spec: parseDenySpec(v) }))
    .filter((o) => o.spec && Number.isInteger(o.ruleNumber) && sameCidr(o.spec.cidr, cidr) && matchesTraffic(o.spec, input));
  const info: NonNullable<IsolateMeta['acl']> = { id, remove: [] };
  const at = (n: number) => acl.entries.find((e) => !e.egress && e.ruleNumber === n);
  if (input.mode === 'isolate') {
    const live = ours.find((o) => {
      const e = at(o.ruleNumber);
      return e !== undefined && entryMatches(e, cidr, input);
    });
    if (live) {
      acc.unchanged.push({ target: meta.resource, subject: `rule ${live.ruleNumber}`, reason: `already denied: rule ${live.ruleNumber} denies ${spec}` });
      if (!denyPrecedesAllows(acl.entries, live.ruleNumber)) acc.warnings.push(`Rule ${live.ruleNumber} is no longer evaluated before every allow rule: an allow was added below it. Release and block again.`);
      return { ...meta, acl: info };
    }
    const stale = ours.find((o) => at(o.ruleNumber) === undefined && denyPrecedesAllows(acl.entries, o.ruleNumber));
    const ruleNumber = stale ? stale.ruleNumber : pickDenyRuleNumber(acl.entries, id);
    const staleTagKey = ours.find((o) => o !== stale)?.tagKey;
    info.add = { ruleNumber, tagKey: `${TAG.denyPrefix}${ruleNumber}`, staleTagKey };
    const inbound = acl.entries.filter((e) => !e.egress && e.ruleNumber <= 32766).length;
    if (inbound + 1 > NACL_DEFAULT_RULES_PER_DIRECTION) acc.warnings.push(`Network ACL ${id} will hold ${inbound + 1} inbound rules; the default quota is ${NACL_DEFAULT_RULES_PER_DIRECTION} (it can be raised to 40). AWS refuses the entry when over the account's quota.`);
    acc.changes.push({ target: meta.resource, action: 'deny', subject: `rule ${ruleNumber}`, detail: { deny: spec, before: 'every inbound allow rule', incident: incidentId } });
    return { ...meta, acl: info };
  }
  for (const o of ours) {
    const e = at(o.ruleNumber);
    const present = e !== undefined && entryMatches(e, cidr, input);
    info.remove.push({ ruleNumber: o.ruleNumber, tagKey: o.tagKey, present });
    acc.changes.push({ target: meta.resource, action: present ? 'remove' : 'clear-record', subject: `rule ${o.ruleNumber}`, detail: { deny: spec } });
  }
  if (info.remove.length === 0) acc.unchanged.push({ target: meta.resource, subject: spec, reason: `no deny for ${spec} added by firebreak on ${id}` });
  return { ...meta, acl: info };
}

async function applyAcl(meta: IsolateMeta, input: IsolateInput, ports: IsolatePorts, ctx: StepContext, out: Out, why: Why): Promise<Outcome[]> {
  const a = meta.acl!;
  if (input.mode === 'isolate') {
    const add = a.add!;
    const subject = `rule ${add.ruleNumber}`;
    const spec = denySpec(formatCidr(input.cidr!), input);
    try {
      await ports.compute.tagResource(a.id, { [add.tagKey]: `${spec} ${ctx.incidentId}` });
      if (add.staleTagKey && add.staleTagKey !== add.tagKey) await ports.compute.untagResource(a.id, [add.staleTagKey]);
    } catch (e) {
      return [out('deny', subject, 'failed', `nothing added: the record for release could not be written: ${why(e)}`)];
    }
    try {
      await ports.compute.addAclDeny(a.id, { ruleNumber: add.ruleNumber, protocol: input.protocol, cidr: formatCidr(input.cidr!), fromPort: input.fromPort, toPort: input.toPort });
      return [out('deny', subject, 'applied', `inbound ${spec} denied at rule ${add.ruleNumber}, before every allow rule`)];
    } catch (e) {
      return [out('deny', subject, 'failed', `not denied: ${why(e)}. Re-run: it reuses rule ${add.ruleNumber} if still free.`)];
    }
  }
  const outcomes: Outcome[] = [];
  for (const r of a.remove) {
    const subject = `rule ${r.ruleNumber}`;
    if (r.present) {
      try {
        await ports.compute.deleteAclEntry(a.id, r.ruleNumber);
      } catch (e) {
        outcomes.push(out('remove', subject, 'failed', `the deny stays: ${why(e)}`));
        continue;
      }
    }
    try {
      await ports.compute.untagResource(a.id, [r.tagKey]);
      outcomes.push(out(r.present ? 'remove' : 'clear-record', subject, 'applied', r.present ? `rule ${r.ruleNumber} deleted` : 'the entry was already gone; record removed'));
    } catch (e) {
      outcomes.push(out(r.present ? 'remove' : 'clear-record', subject, r.present ? 'applied' : 'failed', r.present ? `rule ${r.ruleNumber} deleted; the record stays (${why(e)}), a re-run removes it` : `record not removed: ${why(e)}`));
    }
  }
  return outcomes;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && [...a].sort().join(' ') === [...b].sort().join(' ');
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.join(' ') === b.join(' ');
}
