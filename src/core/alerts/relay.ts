/**
 * The webhook relay's wire shapes (the kit's AlertRelay, infra/components/alert-relay.ts): what
 * API Gateway puts on the relay's bus, what the rule matches, and the dispatch its target sends.
 * Here, not in the component, so the EventBridge leg is tested against moto with the very values
 * the kit provisions, and the alert adapters are tested against the envelope GitHub receives.
 */
export const RELAY_SENDERS = ['alertmanager', 'cloudflare'] as const;
export type RelaySender = (typeof RELAY_SENDERS)[number];

/** The header each sender authenticates with (API Gateway lowercases header names). */
export const RELAY_AUTH_HEADER: Readonly<Record<RelaySender, string>> = {
  // Alertmanager: webhook_config.http_config.authorization (type Bearer): `Authorization: Bearer <secret>`.
  alertmanager: 'authorization',
  // Cloudflare: the webhook destination's secret arrives as `cf-webhook-auth: <secret>`.
  cloudflare: 'cf-webhook-auth',
};

/**
 * A relay secret: random, 32–100 URL-safe characters. It ends up in an event's DetailType (at most
 * 128 characters) and in a JSON event pattern, so nothing outside this alphabet is accepted.
 */
export const RELAY_SECRET = /^[A-Za-z0-9_-]{32,100}$/;

/** What the header must hold, exactly, for the event to be forwarded. */
export function relayCredential(sender: RelaySender, secret: string): string {
  return sender === 'alertmanager' ? `Bearer ${secret}` : secret;
}

export const relaySource = (sender: RelaySender): string => `firebreak.relay.${sender}`;

/** The rule's pattern: this route's source and nothing but the exact credential. */
export function relayEventPattern(sender: RelaySender, secret: string): string {
  if (!RELAY_SECRET.test(secret)) throw new Error(`the ${sender} relay secret must be 32–100 characters of A–Z a–z 0–9 _ - (e.g. openssl rand -hex 32)`);
  return JSON.stringify({ source: [relaySource(sender)], 'detail-type': [relayCredential(sender, secret)] });
}

/** The target's input paths: the body only; the credential (DetailType) is never forwarded. */
export const RELAY_INPUT_PATHS = { body: '$.detail' } as const;

/** The dispatch GitHub receives: the sender's body, as the format its adapter reads. */
export function relayInputTemplate(sender: RelaySender): string {
  return `{"event_type":"firebreak-alert","client_payload":{"v":1,"format":"${sender}","body":<body>}}`;
}
