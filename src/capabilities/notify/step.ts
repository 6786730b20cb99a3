import type { AuditRecord } from '../../core/audit.js';
import type { NotifyConfig } from '../../core/config/sections/notify.js';
import { InputError } from '../../core/errors.js';
import { incidentEvents } from '../../core/notify/events.js';
import { planDeliveries, type Delivery, type Env } from '../../core/notify/plan.js';
import type { DeliveryClaimsPort, NotifyPorts, SentMessage } from '../../core/ports/notify.js';
import type { Outcome, Plan } from '../../core/plan.js';
import type { StepDefinition } from '../../core/step.js';
import { loadIncident, optionalString, requireIncidentId, type IncidentPorts } from '../shared/incident-support.js';

/**
 * notify: delivers what the incident's audit chain says happened (declared, severity changed,
 * update, ack overdue, escalation rung, deadline warning, resolved, closed) to the channels and
 * people `notify.routes` names. Every delivery has a key (incident + event + channel + recipient);
 * the keys already delivered are read back from earlier notify records, so a re-run or a second
 * tick sends only what has not been delivered, and a failed delivery is retried by running again.
 * Each outcome carries the provider's message id as evidence in the audit record.
 *
 * Two runs at once (the hook after a step and the notify button, two racing ticks) both plan the
 * same deliveries before either record lands, so apply first claims them on the incident issue
 * (src/core/notify/claims.ts): each delivery is sent by the one run that won its claim, the other
 * reports it `skipped`. Failed deliveries are released, so a re-run sends exactly those.
 */

/** How long an unsettled claim holds its deliveries: longer than a job may run (10 min timeout). */
export const CLAIM_LEASE_MS = 15 * 60_000;

export const NOTIFY_STEP = 'notify';

export interface NotifyInput {
  /** Only this event key (e.g. `declared`, `escalate:tech_lead:1`); all undelivered ones otherwise. */
  event: string | undefined;
}

export interface NotifyStepPorts extends IncidentPorts {
  notify: NotifyPorts;
  notifyConfig: NotifyConfig;
  env: Env;
  /** Delivery claims on the incident issue, seen by every notify run whatever started it. */
  claims: DeliveryClaimsPort;
}

interface NotifyMeta {
  deliveries: Delivery[];
  /** From earlier deliveries: the Slack channel id and the status-page incident id. */
  threads: Record<string, string>;
  issueUrl: string;
  issueNumber: number;
}

export const targetOf = (channel: string): string => `notify:${channel}`;

/** Keys delivered by earlier runs, and the threads (channel ids, status-page incidents) they opened. */
export function deliveredFrom(records: readonly AuditRecord[]): { keys: Set<string>; threads: Record<string, string> } {
  const keys = new Set<string>();
  const threads: Record<string, string> = {};
  for (const r of records) {
    if (r.step !== NOTIFY_STEP || r.dryRun) continue;
    const outcomes = (r.result as { outcomes?: Outcome[] } | null)?.outcomes ?? [];
    for (const o of outcomes) {
      if (o.status !== 'applied' && o.status !== 'already') continue;
      keys.add(o.subject);
      const thread = o.evidence?.thread;
      const channel = o.evidence?.channel;
      if (thread && channel) threads[channel] = thread;
    }
  }
  return { keys, threads };
}

export const notifyStep: StepDefinition<NotifyInput, NotifyStepPorts, NotifyMeta> = {
  name: NOTIFY_STEP,
  description: 'Pages people and posts status (Slack, PagerDuty, Google Chat, SMS, e-mail, Statuspage, webhook) for what the incident chain says happened; each delivery once.',

  parse(raw, ctx) {
    requireIncidentId(ctx);
    const event = optionalString(raw, 'event', 200);
    if (event !== undefined && !/^[\w:.+-]+$/.test(event)) throw new InputError('event must be an event key like declared or escalate:tech_lead:1', { field: 'event' });
    return { event };
  },

  async plan(input, ports, ctx) {
    const id = requireIncidentId(ctx);
    const loaded = await loadIncident(ports, id);
    const derived = incidentEvents(loaded.records, ports.config.containment_steps);
    if (!derived) throw new InputError(`incident ${id} has no declaration`, { field: 'incident-id' });
    if (input.event && !derived.events.some((e) => e.key === input.event)) {
      throw new InputError(`incident ${id} has no event ${input.event} (it has: ${derived.events.map((e) => e.key).join(', ')})`, { field: 'event', code: 'NOTIFY_EVENT_UNKNOWN' });
    }
    const all = planDeliveries({
      config: ports.notifyConfig,
      roles: ports.config.roster,
      state: derived.state,
      events: derived.events,
      severityOrder: loaded.scheme.levels.map((l) => l.id),
      env: ports.env,
      issueUrl: loaded.issue.url,
      ...(input.event ? { onlyEvents: new Set([input.event]) } : {}),
    });
    const { keys, threads } = deliveredFrom(loaded.records);
    const plan: Plan<NotifyMeta> = { step: this.name, changes: [], unchanged: [], warnings: [], meta: { deliveries: [], threads, issueUrl: loaded.issue.url, issueNumber: loaded.issue.number } };
    for (const d of all) {
      if (keys.has(d.key)) {
        plan.unchanged.push({ target: targetOf(d.channel), subject: d.key, reason: `${d.event} already delivered to ${d.recipient}` });
        continue;
      }
      plan.meta!.deliveries.push(d);
      plan.changes.push({ target: targetOf(d.channel), action: d.action, subject: d.key, detail: { event: d.eventKey, recipient: d.recipient } });
    }
    if (ports.notifyConfig.routes.length === 0) plan.warnings.push('notify.routes is empty: nothing is routed anywhere (see docs/operators/config.md#notify)');
    return plan;
  },

  async apply(plan, _input, ports, ctx) {
    const meta = plan.meta!;
    const threads = { ...meta.threads };
    const out: Outcome[] = [];
    const now = ctx.clock.now();
    const claimed = await ports.claims.claim({
      issue: meta.issueNumber,
      keys: meta.deliveries.map((d) => d.key),
      now,
      leaseUntil: new Date(now.getTime() + CLAIM_LEASE_MS),
      note: `🔒 \`notify\` by ${ctx.actor} is sending ${meta.deliveries.length} deliveries for ${ctx.incidentId}; its audit record lists what was sent.`,
    });
    for (const d of meta.deliveries) {
      const target = targetOf(d.channel);
      if (!claimed.won.has(d.key)) {
        out.push({ target, action: d.action, subject: d.key, status: 'skipped', reason: `${d.event} → ${d.recipient}: another notify run claimed this delivery (${claimed.lost.get(d.key) ?? 'on the incident issue'}); it sends it, or already did` });
        continue;
      }
      try {
        const sent = await deliver(d, ports, threads, ctx.incidentId!, meta.issueUrl);
        if (sent.thread) threads[d.channel] = sent.thread;
        out.push({
          target,
          action: d.action,
          subject: d.key,
          status: sent.outcome === 'already' && d.action !== 'open-channel' ? 'already' : 'applied',
          evidence: { channel: d.channel, event: d.eventKey, recipient: d.recipient, messageId: sent.messageId, at: ctx.clock.now().toISOString(), ...(sent.thread ? { thread: sent.thread } : {}) },
        });
      } catch (error) {
        const e = error as { message?: string; retryable?: boolean };
        out.push({ target, action: d.action, subject: d.key, status: 'failed', reason: `${d.event} → ${d.recipient}: ${e.message ?? String(error)}`, retryable: e.retryable ?? false });
      }
    }
    try {
      await claimed.settle(out.filter((o) => o.status === 'applied' || o.status === 'already').map((o) => o.subject));
    } catch {
      // The audit record still says what was delivered (the next plan skips those); an unsettled
      // claim lapses at its lease end, and the failed deliveries are retried after that.
    }
    return out;
  },
};

function port<T>(p: T | undefined, kind: string): T {
  if (!p) throw new InputError(`notify: no ${kind} client was built for this run`, { code: 'NOTIFY_CHANNEL_UNAVAILABLE' });
  return p;
}

function env(ports: NotifyStepPorts, name: string): string {
  const v = ports.env[name]?.trim();
  if (!v) throw new InputError(`notify: ${name} is not set`, { field: name, code: 'NOTIFY_REFERENCE_UNSET' });
  return v;
}

async function deliver(d: Delivery, ports: NotifyStepPorts, threads: Record<string, string>, incidentId: string, issueUrl: string): Promise<SentMessage> {
  const ch = ports.notifyConfig.channels[d.channel]!;
  switch (ch.kind) {
    case 'slack': {
      const slack = port(ports.notify.slack, 'Slack');
      if (d.action === 'open-channel') {
        const oncall = await onCallLine(ports);
        const name = `${ch.channel_prefix}${incidentId.toLowerCase()}`.replace(/[^a-z0-9_-]/g, '-').slice(0, 80);
        return slack.openIncidentChannel({ name, existing: threads[d.channel], users: (d.inviteEnvs ?? []).map((e) => env(ports, e)), topic: `${d.title} — ${issueUrl}`, title: d.title, parts: oncall ? [...d.parts, oncall] : d.parts });
      }
      if (d.addressEnv) return { ...(await slack.post({ channel: env(ports, d.addressEnv), title: d.title, parts: d.parts })), thread: undefined };
      const channel = threads[d.channel];
      if (!channel) throw new InputError(`the incident's Slack channel is not open yet (the declared delivery to ${d.channel} has not succeeded); run notify again`, { code: 'NOTIFY_CHANNEL_NOT_OPEN' });
      return d.action === 'archive' ? slack.archive(channel) : slack.post({ channel, title: d.title, parts: d.parts });
    }
    case 'pagerduty': {
      const pd = d.pagerduty!;
      return port(ports.notify.pagerduty, 'PagerDuty').event({ routingKey: env(ports, pd.routingKeyEnv), action: d.action as 'trigger' | 'resolve', dedupKey: pd.dedupKey, summary: d.parts[0] ?? d.title, severity: pd.severity, source: 'firebreak', link: issueUrl });
    }
    case 'google-chat': {
      const chat = port(ports.notify.googleChat, 'Google Chat');
      let last: SentMessage | undefined;
      for (const [i, text] of d.parts.entries()) last = await chat.post({ webhookUrl: env(ports, ch.webhook_url_env), threadKey: incidentId, text, requestId: `${d.key}-${i}` });
      return last!;
    }
    case 'sms':
      return port(ports.notify.sms, 'SNS').sendSms({ phoneNumber: env(ports, d.addressEnv!), text: d.parts[0]! });
    case 'sns-topic':
      return port(ports.notify.sms, 'SNS').publishTopic({ topicArn: env(ports, d.addressEnv!), subject: d.title, text: d.parts[0]!, dedupId: d.key });
    case 'email':
      return port(ports.notify.email, 'SES').send({ from: env(ports, ch.from_env), to: env(ports, d.addressEnv!), subject: d.title, text: d.parts[0]! });
    case 'statuspage': {
      const sp = port(ports.notify.statuspage, 'Statuspage');
      const pageId = env(ports, ch.page_id_env);
      if (d.action === 'create') {
        if (threads[d.channel]) return { messageId: threads[d.channel]!, thread: threads[d.channel], outcome: 'already' };
        return sp.create({ pageId, incidentKey: incidentId, name: d.title, body: d.parts[0]!, impact: impactOf(d), componentIds: ch.components });
      }
      const incident = threads[d.channel];
      if (!incident) throw new InputError(`no status-page incident was opened for ${incidentId} on ${d.channel} (the declared delivery has not succeeded); run notify again`, { code: 'NOTIFY_STATUSPAGE_NOT_OPEN' });
      return d.action === 'resolve' ? sp.resolve({ pageId, incidentId: incident, body: d.parts[0]!, componentIds: ch.components }) : sp.update({ pageId, incidentId: incident, body: d.parts[0]!, status: 'identified' });
    }
    case 'webhook':
      return port(ports.notify.webhook, 'webhook').post({
        url: env(ports, ch.url_env),
        secret: env(ports, ch.secret_env),
        deliveryId: d.key,
        body: JSON.stringify({ incident: incidentId, event: d.event, key: d.eventKey, delivery: d.key, title: d.title, text: d.parts.join('\n'), url: issueUrl }),
      });
  }
}

/**
 * Who PagerDuty says is on call for the roster's escalation policies, as a line for the pinned
 * summary. A read that fails leaves the line out: the channel matters more than the line.
 */
async function onCallLine(ports: NotifyStepPorts): Promise<string | undefined> {
  const policies = [...new Set(Object.values(ports.notifyConfig.roster).flatMap((p) => (p.pagerduty_escalation_policy ? [p.pagerduty_escalation_policy] : [])))];
  if (!policies.length || !ports.notify.pagerduty) return undefined;
  try {
    const oncalls = await ports.notify.pagerduty.onCall(policies);
    return oncalls.length ? `On call (PagerDuty): ${oncalls.map((o) => `${o.user} (${o.policy} L${o.level})`).join(', ')}` : undefined;
  } catch {
    return undefined;
  }
}

function impactOf(d: Delivery): 'critical' | 'major' | 'minor' | 'none' {
  const s = d.level;
  return s === 'critical' ? 'critical' : s === 'error' ? 'major' : 'minor';
}
