/**
 * Secrets a workflow passes as env for notify: the default reference names plus the bundle
 * (FIREBREAK_NOTIFY_SECRETS). The notify workflow and every incident workflow (whose steps run
 * notify through the hook) pass them; a name renamed in firebreak.yml must be added by hand.
 */
export const NOTIFY_SECRETS = [
  'FIREBREAK_NOTIFY_SECRETS',
  'FIREBREAK_SLACK_BOT_TOKEN',
  'FIREBREAK_PAGERDUTY_ROUTING_KEY',
  'FIREBREAK_PAGERDUTY_API_TOKEN',
  'FIREBREAK_GOOGLE_CHAT_WEBHOOK',
  'FIREBREAK_STATUSPAGE_API_KEY',
  'FIREBREAK_WEBHOOK_URL',
  'FIREBREAK_WEBHOOK_SECRET',
] as const;

/** The incident steps after which the hook runs notify (src/runtime/notify-hook.ts). */
export const NOTIFY_AFTER_STEPS: ReadonlySet<string> = new Set(['declare', 'classify', 'post-update', 'incident-tick', 'close-incident']);
