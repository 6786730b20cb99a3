import type { AuditRecord } from '../audit.js';
import type { IncidentFacts } from './facts.js';

/**
 * The incident's state is a fold over its audit records — never a separate mutable store. Each
 * incident step leaves what later steps need in its record (`plan.meta.incident` for declare,
 * the input for updates and notifications, outcome subjects for tick keys); containment steps of
 * other capabilities count when their name is in `incident.containment_steps` and they applied.
 */

export const INCIDENT_STEPS = {
  declare: 'declare',
  classify: 'classify',
  update: 'post-update',
  notification: 'record-notification',
  tick: 'incident-tick',
  close: 'close-incident',
  postmortem: 'write-postmortem',
  containment: 'record-containment',
} as const;

/** What `declare` writes into `plan.meta.incident`. */
export interface DeclaredIncident {
  id: string;
  slug: string;
  title: string;
  summary: string;
  severity: string;
  declaredAt: string;
  roles: Record<string, string[]>;
  facts: IncidentFacts;
  /** Categories for escalation routing (incident.routes), e.g. infrastructure, security. */
  categories?: string[] | undefined;
}

export type UpdateAudience = 'internal' | 'external';

export interface StatusUpdate {
  at: string;
  actor: string;
  audience: UpdateAudience;
  status: string;
  text: string;
}

export interface NotificationRecord {
  obligation: string;
  /** Sent: when, to whom, with which reference. Waived: why. */
  sentAt?: string | undefined;
  recipient?: string | undefined;
  reference?: string | undefined;
  waived?: string | undefined;
  at: string;
  actor: string;
}

export interface TimelineEvent {
  at: string;
  kind: 'declared' | 'classified' | 'update' | 'containment' | 'notification' | 'reminder' | 'postmortem' | 'closed' | 'step';
  what: string;
  actor: string;
}

export interface IncidentState {
  id: string;
  slug: string;
  title: string;
  summary: string;
  severity: string;
  status: 'open' | 'closed';
  declaredAt: string;
  roles: Record<string, string[]>;
  facts: IncidentFacts;
  updates: StatusUpdate[];
  /** Declaration or the latest status update: the update cadence counts from here. */
  lastUpdateAt: string;
  /** Latest update, notification or containment: escalation ("nobody acts") counts from here. */
  lastActivityAt: string;
  notifications: Map<string, NotificationRecord>;
  containment: Array<{ at: string; step: string; actor: string }>;
  fixPrs: number[];
  postmortem: { path: string; branch: string } | undefined;
  /** Idempotency keys of reminders, escalations and warnings already posted. */
  postedKeys: Set<string>;
  timeline: TimelineEvent[];
  closedAt: string | undefined;
  closeOverride: { guard: string; reason: string } | undefined;
  /** First update with status `resolved` since the last one with another status (none: the close), for clocks from resolution. */
  resolvedAt: string | undefined;
  categories: string[];
}

/** Notification key under which write-postmortem meets the `internal-postmortem` clock. */
export const POSTMORTEM_OBLIGATION = 'internal-postmortem';

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);
const obj = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {});

/** Builds the state from records in chain order; undefined when no applied declare is among them. */
export function deriveIncidentState(records: readonly AuditRecord[], containmentSteps: readonly string[]): IncidentState | undefined {
  let s: IncidentState | undefined;
  const containment = new Set(containmentSteps);
  for (const r of records) {
    if (r.dryRun) continue;
    const applied = r.status === 'applied';
    if (r.step === INCIDENT_STEPS.declare) {
      if (!applied && !(r.status === 'noop' && !s)) continue;
      const d = obj(obj(r.plan).meta).incident as DeclaredIncident | undefined;
      if (!d || s) continue;
      s = {
        id: d.id,
        slug: d.slug,
        title: d.title,
        summary: d.summary,
        severity: d.severity,
        status: 'open',
        declaredAt: d.declaredAt,
        roles: d.roles,
        facts: d.facts,
        updates: [],
        lastUpdateAt: d.declaredAt,
        lastActivityAt: d.declaredAt,
        notifications: new Map(),
        containment: [],
        fixPrs: [],
        postmortem: undefined,
        postedKeys: new Set(),
        timeline: [{ at: d.declaredAt, kind: 'declared', what: `Declared ${d.severity}: ${d.title}`, actor: r.actor }],
        closedAt: undefined,
        closeOverride: undefined,
        resolvedAt: undefined,
        categories: d.categories ?? [],
      };
      continue;
    }
    if (!s) continue;
    const input = obj(r.input);
    if (containment.has(r.step)) {
      if (!applied) continue;
      s.containment.push({ at: r.time, step: r.step, actor: r.actor });
      // What was done (record-containment's action) names the entry; its note is only the details.
      const what = str(input.action) ?? str(input.note) ?? r.step;
      s.timeline.push({ at: r.time, kind: 'containment', what: `Containment: ${r.step}${what !== r.step ? ` — ${what}` : ''}`, actor: r.actor });
      s.lastActivityAt = max(s.lastActivityAt, r.time);
      continue;
    }
    if (r.step === 'notify') {
      // One line per delivery (partial runs too: what was delivered was delivered), by reference
      // only (channel, recipient name), with the provider's id.
      for (const o of (obj(r.result).outcomes as unknown[] | undefined) ?? []) {
        const ev = obj(obj(o).evidence);
        if (obj(o).status !== 'applied' || !str(ev.channel)) continue;
        s.timeline.push({ at: str(ev.at) ?? r.time, kind: 'notification', what: `Sent ${str(ev.event) ?? 'event'} via ${String(ev.channel)} to ${str(ev.recipient) ?? 'channel'} (id ${str(ev.messageId) ?? 'n/a'})`, actor: r.actor });
      }
      continue;
    }
    if (!applied) continue;
    switch (r.step) {
      case INCIDENT_STEPS.classify: {
        const meta = obj(obj(r.plan).meta);
        const sev = str(meta.severity);
        if (sev && sev !== s.severity) {
          s.timeline.push({ at: r.time, kind: 'classified', what: `Severity ${s.severity} → ${sev}`, actor: r.actor });
          s.severity = sev;
        }
        // A commander handover by severity (incident.commander) and a category change travel in the plan.
        const roles = meta.roles;
        if (roles && typeof roles === 'object' && !Array.isArray(roles)) s.roles = roles as Record<string, string[]>;
        if (Array.isArray(meta.categories)) s.categories = meta.categories.filter((c): c is string => typeof c === 'string');
        break;
      }
      case INCIDENT_STEPS.update: {
        const u: StatusUpdate = {
          at: r.time,
          actor: r.actor,
          audience: input.audience === 'external' ? 'external' : 'internal',
          status: str(input.status) ?? 'investigating',
          text: str(input.text) ?? '',
        };
        s.updates.push(u);
        s.resolvedAt = u.status === 'resolved' ? (s.resolvedAt ?? r.time) : undefined;
        s.lastUpdateAt = max(s.lastUpdateAt, r.time);
        s.lastActivityAt = max(s.lastActivityAt, r.time);
        const pr = input.fix_pr;
        if (typeof pr === 'number' && !s.fixPrs.includes(pr)) s.fixPrs.push(pr);
        const facts = obj(obj(r.plan).meta).facts;
        if (facts && typeof facts === 'object') s.facts = facts as IncidentFacts;
        s.timeline.push({ at: r.time, kind: 'update', what: `${u.audience === 'external' ? 'External' : 'Internal'} update (${u.status})${u.text ? `: ${firstLine(u.text)}` : ''}`, actor: r.actor });
        break;
      }
      case INCIDENT_STEPS.notification: {
        const id = str(input.obligation);
        if (!id) break;
        const n: NotificationRecord = {
          obligation: id,
          sentAt: str(input.sent_at),
          recipient: str(input.recipient),
          reference: str(input.reference),
          waived: str(input.waive_reason),
          at: r.time,
          actor: r.actor,
        };
        s.notifications.set(id, n);
        s.lastActivityAt = max(s.lastActivityAt, r.time);
        s.timeline.push({
          at: n.sentAt ?? r.time,
          kind: 'notification',
          what: n.waived ? `Obligation ${id} waived: ${n.waived}` : `Notified ${n.recipient ?? id} (${id})${n.reference ? `, ref ${n.reference}` : ''}`,
          actor: r.actor,
        });
        break;
      }
      case INCIDENT_STEPS.tick: {
        const outcomes = obj(r.result).outcomes;
        if (Array.isArray(outcomes)) {
          for (const o of outcomes) {
            const oo = obj(o);
            if ((oo.status === 'applied' || oo.status === 'already') && typeof oo.subject === 'string') s.postedKeys.add(oo.subject);
            if (oo.status === 'applied' && typeof oo.subject === 'string' && !oo.subject.startsWith('body') && !oo.subject.startsWith('tick:')) {
              s.timeline.push({ at: r.time, kind: 'reminder', what: describeKey(oo.subject), actor: r.actor });
            }
          }
        }
        break;
      }
      case INCIDENT_STEPS.postmortem: {
        const meta = obj(obj(r.plan).meta);
        const path = str(meta.path);
        const branch = str(meta.branch);
        if (path && branch) s.postmortem = { path, branch };
        // The PR is the postmortem: once it is open (or was already), the internal postmortem clock is met.
        const outcomes = obj(r.result).outcomes;
        const pullFailed = Array.isArray(outcomes) && outcomes.some((o) => obj(o).target === 'github:pull' && obj(o).status === 'failed');
        if (path && branch && !pullFailed && !s.notifications.get(POSTMORTEM_OBLIGATION)?.sentAt) {
          s.notifications.set(POSTMORTEM_OBLIGATION, { obligation: POSTMORTEM_OBLIGATION, sentAt: r.time, recipient: 'postmortem PR', reference: path, at: r.time, actor: r.actor });
        }
        s.timeline.push({ at: r.time, kind: 'postmortem', what: `Postmortem PR opened (${path ?? 'postmortem'})`, actor: r.actor });
        break;
      }
      case INCIDENT_STEPS.close: {
        s.status = 'closed';
        s.closedAt = r.time;
        s.resolvedAt ??= r.time;
        s.closeOverride = r.override;
        const pr = input.fix_pr;
        if (typeof pr === 'number' && !s.fixPrs.includes(pr)) s.fixPrs.push(pr);
        s.timeline.push({ at: r.time, kind: 'closed', what: r.override ? `Closed with override: ${r.override.reason}` : 'Closed', actor: r.actor });
        break;
      }
      default:
        s.timeline.push({ at: r.time, kind: 'step', what: `Step ${r.step} applied`, actor: r.actor });
    }
  }
  s?.timeline.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  return s;
}

/** Facts with the real submission times of sent obligations, so chained deadlines follow reality. */
export function factsWithSubmissions(state: IncidentState): IncidentFacts {
  const submitted: Record<string, string> = { ...state.facts.submitted };
  for (const n of state.notifications.values()) if (n.sentAt) submitted[n.obligation] = n.sentAt;
  // The current severity, not the one at declaration: a reclassification can trigger a custom regime.
  // Declaration and resolution too, for custom regimes that start there.
  return { ...state.facts, severity: state.severity, submitted, declared_at: state.declaredAt, ...(state.resolvedAt ? { resolved_at: state.resolvedAt } : {}) };
}

function describeKey(key: string): string {
  const [kind, ...rest] = key.split(':');
  switch (kind) {
    case 'reminder':
      return 'Reminder: status update overdue';
    case 'escalate':
      return `Escalated to ${rest[0] ?? 'next on the ladder'}`;
    case 'warn':
      return `Warning: ${rest[0]} due within ${rest[1]}`;
    case 'overdue':
      return `Overdue: ${rest[0]}`;
    case 'ack':
      return 'Acknowledgement overdue';
    case 'route':
      return `Routed ${rest[0]} incident to ${rest[2] ?? 'its route'}`;
    default:
      return key;
  }
}

function firstLine(text: string): string {
  const line = text.split('\n')[0] ?? '';
  return line.length > 120 ? `${line.slice(0, 117)}…` : line;
}

function max(a: string, b: string): string {
  return a > b ? a : b;
}
