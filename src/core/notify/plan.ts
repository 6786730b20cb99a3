import { createHash } from 'node:crypto';
import { InputError } from '../errors.js';
import type { NotifyChannelConfig, NotifyChannelKind, NotifyConfig, NotifyEvent, RosterPerson } from '../config/sections/notify.js';
import { assertExternalSafe } from '../incident/templates.js';
import type { IncidentState } from '../incident/state.js';
import type { IncidentEvent } from './events.js';
import { LIMITS } from './limits.js';
import { DEFAULT_TEMPLATES, renderTemplate, splitText, type TemplateVariable } from './render.js';

/**
 * Routing: which events go to which channel and person, as a list of deliveries with a dedup key
 * each (incident id + event key + channel + recipient, hashed). Everything that can be wrong with
 * the configuration or a message is found here, before a single request is sent: an unknown channel
 * or person, an unset secret/env reference, a template variable the event lacks, a message over a
 * provider's limit, a webhook that is not https.
 */

export type Env = Readonly<Record<string, string | undefined>>;

export interface Delivery {
  /** `nfy-<hash>`: recorded as the outcome subject; a key already delivered is never sent again. */
  key: string;
  channel: string;
  kind: NotifyChannelKind;
  eventKey: string;
  event: NotifyEvent;
  /** Who, by reference only: `alice:phone_env=ALICE_PHONE`, `channel`, `topic`. Never a value. */
  recipient: string;
  /** What the adapter does: post, open-channel, archive, trigger, resolve, publish, send, create, update. */
  action: string;
  title: string;
  /** The message, already split to the provider's limit where the provider splits. */
  parts: string[];
  /** The event's severity mapped to PagerDuty's four (also the status page's impact). */
  level: 'critical' | 'error' | 'warning' | 'info';
  /** PagerDuty: the dedup key (incident id, or `<id>:rung:<n>`) and mapped severity. */
  pagerduty?: { dedupKey: string; severity: 'critical' | 'error' | 'warning' | 'info'; routingKeyEnv: string };
  /** Env var names holding the recipient's address (phone, e-mail, Slack ids). */
  addressEnv?: string;
  inviteEnvs?: string[];
}

export interface DeliveredEvidence {
  key: string;
  channel: string;
  messageId?: string | undefined;
  /** Channel id / status-page incident id / PagerDuty dedup key the later deliveries reuse. */
  thread?: string | undefined;
  at: string;
}

export interface PlanDeliveriesArgs {
  config: NotifyConfig;
  /** incident.roster: role → GitHub handles. */
  roles: Readonly<Record<string, readonly string[]>>;
  state: IncidentState;
  events: readonly IncidentEvent[];
  /** Severity ids most severe first (the scheme), for PagerDuty's mapping. */
  severityOrder: readonly string[];
  env: Env;
  issueUrl: string;
  /** Restrict to these event keys (a run for one event); all when undefined. */
  onlyEvents?: ReadonlySet<string>;
}

export function deliveryKey(incidentId: string, eventKey: string, channel: string, recipient: string): string {
  return `nfy-${createHash('sha256').update([incidentId, eventKey, channel, recipient].join('\u0000')).digest('hex').slice(0, 24)}`;
}

export function pagerdutySeverity(severityOrder: readonly string[], severity: string): 'critical' | 'error' | 'warning' | 'info' {
  const rank = severityOrder.indexOf(severity);
  return rank <= 0 ? (rank === 0 ? 'critical' : 'info') : rank === 1 ? 'error' : rank === 2 ? 'warning' : 'info';
}

/** Checks routes against channels and roster; run at every start, before any event is routed. */
export function validateNotifyConfig(config: NotifyConfig, roles: Readonly<Record<string, readonly string[]>>): void {
  config.routes.forEach((route, i) => {
    for (const ch of route.channels) {
      if (!config.channels[ch]) throw new InputError(`notify.routes[${i}] sends to channel "${ch}", which notify.channels does not define (defined: ${Object.keys(config.channels).join(', ') || 'none'})`, { field: `notify.routes.${i}.channels`, code: 'NOTIFY_CONFIG' });
    }
    for (const to of route.to) {
      if (to.startsWith('role:')) {
        const role = to.slice(5);
        if (!roles[role]) throw new InputError(`notify.routes[${i}] sends to ${to}, but incident.roster has no role "${role}"`, { field: `notify.routes.${i}.to`, code: 'NOTIFY_CONFIG' });
      } else if (!config.roster[to]) {
        throw new InputError(`notify.routes[${i}] sends to "${to}", who is not in notify.roster`, { field: `notify.routes.${i}.to`, code: 'NOTIFY_CONFIG' });
      }
    }
  });
}

export function planDeliveries(args: PlanDeliveriesArgs): Delivery[] {
  const { config, state, env } = args;
  validateNotifyConfig(config, args.roles);
  const out: Delivery[] = [];
  const seen = new Set<string>();
  for (const ev of args.events) {
    if (args.onlyEvents && !args.onlyEvents.has(ev.key)) continue;
    for (const route of config.routes) {
      if (!route.events.includes(ev.event)) continue;
      if (route.severities && !route.severities.includes(ev.severity)) continue;
      const people = recipientsOf(route.to, ev, config, args.roles, state);
      for (const channel of route.channels) {
        const ch = config.channels[channel]!;
        for (const d of deliveriesFor(channel, ch, ev, people, args)) {
          if (seen.has(d.key)) continue;
          seen.add(d.key);
          out.push(d);
        }
      }
    }
  }
  return out;
}

interface Person {
  name: string;
  ref: RosterPerson;
}

function recipientsOf(to: readonly string[], ev: IncidentEvent, config: NotifyConfig, roles: PlanDeliveriesArgs['roles'], state: IncidentState): Person[] {
  const names: string[] = [];
  const holders = (role: string): readonly string[] => state.roles[role] ?? roles[role] ?? [];
  for (const t of to) names.push(...(t.startsWith('role:') ? holders(t.slice(5)) : [t]));
  // An escalation pages the role of its rung, whoever the route names besides.
  if (ev.event === 'escalation' && ev.role) names.push(...holders(ev.role));
  const out: Person[] = [];
  for (const name of [...new Set(names)]) {
    const ref = config.roster[name];
    if (!ref) throw new InputError(`notify: "${name}" must be reached for ${ev.event}, but is not in notify.roster (add them with the names of the secrets holding their addresses)`, { field: 'notify.roster', code: 'NOTIFY_RECIPIENT_UNKNOWN' });
    out.push({ name, ref });
  }
  return out;
}

function requireEnv(env: Env, name: string, what: string): string {
  const v = env[name]?.trim();
  if (!v) throw new InputError(`notify: ${what} is read from ${name}, which is not set (add it as a secret and pass it to the workflow)`, { field: name, code: 'NOTIFY_REFERENCE_UNSET' });
  return v;
}

function vars(ev: IncidentEvent, state: IncidentState, url: string): Partial<Record<TemplateVariable, string>> {
  return {
    id: state.id,
    title: state.title,
    severity: ev.severity,
    summary: state.summary,
    status: ev.status ?? state.status,
    url,
    ...(ev.text !== undefined ? { text: ev.text } : {}),
    ...(ev.role !== undefined ? { role: ev.role } : {}),
    ...(ev.rung !== undefined ? { rung: String(ev.rung + 1) } : {}),
  };
}

function refuse(channel: string, what: string, length: number, max: number): never {
  throw new InputError(`notify: the ${what} for channel "${channel}" is ${length} characters; the provider takes at most ${max}. Shorten the template (notify.templates)`, { field: 'notify.templates', code: 'NOTIFY_MESSAGE_TOO_LONG' });
}

export function assertWebhookUrl(url: string, name: string, allowLoopbackHttp: boolean): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InputError(`notify: ${name} is not a URL`, { field: name, code: 'NOTIFY_WEBHOOK_URL' });
  }
  if (parsed.protocol === 'https:') return;
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(parsed.hostname);
  if (parsed.protocol === 'http:' && loopback && allowLoopbackHttp) return;
  throw new InputError(`notify: ${name} must be an https:// URL${loopback ? ' (plain http to loopback only with notify.allow_loopback_http, for tests)' : ''}`, { field: name, code: 'NOTIFY_WEBHOOK_URL' });
}

function deliveriesFor(channel: string, ch: NotifyChannelConfig, ev: IncidentEvent, people: Person[], args: PlanDeliveriesArgs): Delivery[] {
  const { state, env, config } = args;
  const text = renderTemplate(config.templates[ev.event] ?? DEFAULT_TEMPLATES[ev.event], vars(ev, state, args.issueUrl), `notify.templates.${ev.event}`);
  const title = `${state.id} ${ev.severity}: ${state.title}`;
  const level = pagerdutySeverity(args.severityOrder, ev.severity);
  const base = (recipient: string, action: string, parts: string[]): Delivery => ({ key: deliveryKey(state.id, ev.key, channel, recipient), channel, kind: ch.kind, eventKey: ev.key, event: ev.event, recipient, action, title, parts, level });
  switch (ch.kind) {
    case 'slack': {
      requireEnv(env, ch.token_env, 'the Slack bot token');
      const parts = splitText(text, LIMITS.slackSection);
      if (parts.length > LIMITS.slackBlocks) refuse(channel, 'Slack message', text.length, LIMITS.slackSection * LIMITS.slackBlocks);
      const out: Delivery[] = [];
      if (ev.event === 'declared') {
        const invite = people.map((p) => p.ref.slack_id_env).filter((e): e is string => !!e);
        for (const e of invite) requireEnv(env, e, 'a Slack user id');
        out.push({ ...base('incident-channel', 'open-channel', parts), inviteEnvs: invite });
        if (ch.announce_channel_env) {
          requireEnv(env, ch.announce_channel_env, 'the Slack announcement channel');
          out.push({ ...base(`announce:${ch.announce_channel_env}`, 'post', parts), addressEnv: ch.announce_channel_env });
        }
      } else {
        out.push(base('incident-channel', 'post', parts));
        if (ev.event === 'closed' && ch.archive_on_close) out.push(base('incident-channel:archive', 'archive', []));
      }
      return out;
    }
    case 'pagerduty': {
      const severity = pagerdutySeverity(args.severityOrder, ev.severity);
      const summary = firstLine(text);
      if (summary.length > LIMITS.pagerdutySummary) refuse(channel, 'PagerDuty summary', summary.length, LIMITS.pagerdutySummary);
      if (ev.event === 'declared' || ev.event === 'ack_overdue') {
        requireEnv(env, ch.routing_key_env, 'the PagerDuty routing key');
        return [{ ...base('service', 'trigger', [summary]), pagerduty: { dedupKey: state.id, severity, routingKeyEnv: ch.routing_key_env } }];
      }
      if (ev.event === 'escalation') {
        const rung = ev.rung ?? 0;
        const targets = people.filter((p) => p.ref.pagerduty_routing_key_env).map((p) => p.ref.pagerduty_routing_key_env!);
        const keys = targets.length ? [...new Set(targets)] : [ch.routing_key_env];
        return keys.map((k) => {
          requireEnv(env, k, 'a PagerDuty routing key');
          return { ...base(`rung:${rung}:${k}`, 'trigger', [summary]), pagerduty: { dedupKey: `${state.id}:rung:${rung}`, severity, routingKeyEnv: k } };
        });
      }
      if (ev.event === 'resolved' || ev.event === 'closed') {
        requireEnv(env, ch.routing_key_env, 'the PagerDuty routing key');
        return [{ ...base('service', 'resolve', [summary]), pagerduty: { dedupKey: state.id, severity, routingKeyEnv: ch.routing_key_env } }];
      }
      return [];
    }
    case 'google-chat': {
      const url = requireEnv(env, ch.webhook_url_env, 'the Google Chat webhook URL');
      assertWebhookUrl(url, ch.webhook_url_env, config.allow_loopback_http);
      const parts = splitText(text, LIMITS.googleChatText);
      if (parts.length > LIMITS.googleChatParts) refuse(channel, 'Google Chat message', text.length, LIMITS.googleChatText * LIMITS.googleChatParts);
      return [base('space', 'post', parts)];
    }
    case 'sms': {
      if (text.length > LIMITS.sms) refuse(channel, 'SMS', text.length, LIMITS.sms);
      return people.flatMap((p) => {
        if (!p.ref.phone_env) return [];
        requireEnv(env, p.ref.phone_env, `${p.name}'s phone number`);
        return [{ ...base(`${p.name}:phone_env=${p.ref.phone_env}`, 'publish', [text]), addressEnv: p.ref.phone_env }];
      });
    }
    case 'sns-topic': {
      requireEnv(env, ch.topic_arn_env, 'the SNS topic ARN');
      if (text.length > LIMITS.sms) refuse(channel, 'SNS message', text.length, LIMITS.sms);
      return [{ ...base(`topic_arn_env=${ch.topic_arn_env}`, 'publish', [text]), addressEnv: ch.topic_arn_env }];
    }
    case 'email': {
      requireEnv(env, ch.from_env, 'the e-mail sender');
      if (title.length > LIMITS.emailSubject) refuse(channel, 'e-mail subject', title.length, LIMITS.emailSubject);
      return people.flatMap((p) => {
        if (!p.ref.email_env) return [];
        requireEnv(env, p.ref.email_env, `${p.name}'s e-mail address`);
        return [{ ...base(`${p.name}:email_env=${p.ref.email_env}`, 'send', [text]), addressEnv: p.ref.email_env }];
      });
    }
    case 'statuspage': {
      requireEnv(env, ch.page_id_env, 'the Statuspage page id');
      requireEnv(env, ch.api_key_env, 'the Statuspage API key');
      const external = externalText(ev);
      if (external === undefined) return [];
      const name = `${state.title}`;
      if (name.length > LIMITS.statuspageName) refuse(channel, 'Statuspage incident name', name.length, LIMITS.statuspageName);
      // The public page gets external words only; the lint that guards external updates applies.
      assertExternalSafe(name);
      assertExternalSafe(external.body);
      return [{ ...base('page', external.action, [external.body]), title: name }];
    }
    case 'webhook': {
      const url = requireEnv(env, ch.url_env, 'the webhook URL');
      requireEnv(env, ch.secret_env, 'the webhook signing secret');
      assertWebhookUrl(url, ch.url_env, config.allow_loopback_http);
      if (Buffer.byteLength(text) > LIMITS.webhookBody) refuse(channel, 'webhook body', Buffer.byteLength(text), LIMITS.webhookBody);
      return [base('endpoint', 'post', [text])];
    }
  }
}

/** Statuspage: declaration opens, external updates update, resolution/close resolves; nothing else. */
function externalText(ev: IncidentEvent): { action: 'create' | 'update' | 'resolve'; body: string } | undefined {
  if (ev.event === 'declared') return { action: 'create', body: 'We are investigating reports of a problem and will post an update soon.' };
  if (ev.event === 'update_posted' && ev.audience === 'external' && ev.text) return { action: 'update', body: ev.text };
  if (ev.event === 'resolved' && ev.audience === 'external') return { action: 'resolve', body: ev.text || 'This incident has been resolved.' };
  if (ev.event === 'closed') return { action: 'resolve', body: 'This incident has been resolved.' };
  return undefined;
}

function firstLine(text: string): string {
  return text.split('\n').find((l) => l.trim() !== '')?.trim() ?? text;
}
