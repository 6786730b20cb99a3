import * as z from 'zod/mini';

/**
 * `notify:` in firebreak.yml — channels, the people they reach and which events go where. Every
 * credential, phone number, e-mail address and Slack id is given BY REFERENCE: the name of an
 * environment variable (a repository or environment secret in the workflow), never the value, so
 * nothing personal or secret sits in the repository or on the incident issue.
 */
const envName = z.string().check(z.regex(/^[A-Z][A-Z0-9_]{0,127}$/, 'the NAME of an environment variable or secret (A-Z, 0-9, _), never its value'));

export const NOTIFY_EVENTS = ['declared', 'severity_changed', 'update_posted', 'ack_overdue', 'escalation', 'deadline_warning', 'resolved', 'closed'] as const;
export type NotifyEvent = (typeof NOTIFY_EVENTS)[number];

const channelName = z.string().check(z.regex(/^[a-z][a-z0-9-]{0,39}$/, 'kebab-case channel name'));
const personName = z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,38}$/, 'a roster name (a GitHub handle or a short name)'));

const slackChannel = z.strictObject({
  kind: z.literal('slack'),
  token_env: z._default(envName, 'FIREBREAK_SLACK_BOT_TOKEN'),
  /** The incident channel is `<prefix><incident id, lowercased>` (Slack: ≤ 80 chars, no dots or spaces). */
  channel_prefix: z._default(z.string().check(z.regex(/^[a-z0-9_-]{0,20}$/)), 'incident-'),
  /** An existing channel (id) that gets the announcement too, e.g. #incidents; by reference. */
  announce_channel_env: z.optional(envName),
  /** Archive the incident channel when the incident closes. */
  archive_on_close: z._default(z.boolean(), true),
});
const pagerdutyChannel = z.strictObject({
  kind: z.literal('pagerduty'),
  /** Events API v2 integration key of the service the first page goes to. */
  routing_key_env: z._default(envName, 'FIREBREAK_PAGERDUTY_ROUTING_KEY'),
  /** REST API token, read-only is enough: who is on call for the roster's escalation policies. */
  api_token_env: z.optional(envName),
});
const googleChatChannel = z.strictObject({ kind: z.literal('google-chat'), webhook_url_env: z._default(envName, 'FIREBREAK_GOOGLE_CHAT_WEBHOOK') });
const smsChannel = z.strictObject({ kind: z.literal('sms') });
const snsTopicChannel = z.strictObject({ kind: z.literal('sns-topic'), topic_arn_env: z._default(envName, 'FIREBREAK_SNS_TOPIC_ARN') });
const emailChannel = z.strictObject({ kind: z.literal('email'), from_env: z._default(envName, 'FIREBREAK_EMAIL_FROM') });
const statuspageChannel = z.strictObject({
  kind: z.literal('statuspage'),
  page_id_env: z._default(envName, 'FIREBREAK_STATUSPAGE_PAGE_ID'),
  api_key_env: z._default(envName, 'FIREBREAK_STATUSPAGE_API_KEY'),
  /** Component ids shown as affected while the incident is open. */
  components: z._default(z.array(z.string().check(z.regex(/^[a-z0-9]{1,40}$/i))), []),
});
const webhookChannel = z.strictObject({
  kind: z.literal('webhook'),
  url_env: z._default(envName, 'FIREBREAK_WEBHOOK_URL'),
  secret_env: z._default(envName, 'FIREBREAK_WEBHOOK_SECRET'),
});

export const notifyChannelSection = z.discriminatedUnion('kind', [slackChannel, pagerdutyChannel, googleChatChannel, smsChannel, snsTopicChannel, emailChannel, statuspageChannel, webhookChannel]);
export type NotifyChannelConfig = z.infer<typeof notifyChannelSection>;
export type NotifyChannelKind = NotifyChannelConfig['kind'];

/** One person's addresses, each the name of a secret/env var holding the value. */
const rosterPerson = z.strictObject({
  slack_id_env: z.optional(envName),
  phone_env: z.optional(envName),
  email_env: z.optional(envName),
  /** PagerDuty escalation policy whose on-call is read for the roster; an id is not personal. */
  pagerduty_escalation_policy: z.optional(z.string().check(z.regex(/^P[A-Z0-9]{5,13}$/, 'a PagerDuty id like PABC123'))),
  /** Events v2 routing key that pages this person's rung (escalation), by reference. */
  pagerduty_routing_key_env: z.optional(envName),
});
export type RosterPerson = z.infer<typeof rosterPerson>;

export const notifyRouteSection = z.strictObject({
  events: z.array(z.enum(NOTIFY_EVENTS)).check(z.minLength(1)),
  /** Severity ids; all when absent. */
  severities: z.optional(z.array(z.string().check(z.minLength(1)))),
  channels: z.array(channelName).check(z.minLength(1)),
  /** Roster names, or `role:<incident role>` for whoever holds it (incident.roster). */
  to: z._default(z.array(z.string().check(z.regex(/^(role:[a-z_]+|[A-Za-z0-9][A-Za-z0-9_.-]{0,38})$/))), []),
});
export type NotifyRoute = z.infer<typeof notifyRouteSection>;

export const notifySection = z.strictObject({
  channels: z._default(z.record(channelName, notifyChannelSection), {}),
  roster: z._default(z.record(personName, rosterPerson), {}),
  routes: z._default(z.array(notifyRouteSection), []),
  /** Per-event message templates; placeholders `{id}` `{title}` `{severity}` `{summary}` `{status}` `{text}` `{rung}` `{url}`. */
  templates: z._default(z.partialRecord(z.enum(NOTIFY_EVENTS), z.string().check(z.minLength(1), z.maxLength(20_000))), {}),
  /** Allow http://127.0.0.1 / localhost webhook URLs (the drill and tests only). */
  allow_loopback_http: z._default(z.boolean(), false),
});

export type NotifyConfig = z.infer<typeof notifySection>;
